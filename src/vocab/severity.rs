//! A finding's severity, as `rules.toml` and `flags.parquet` write it.

super::id_enum! {
    /// How serious a finding is.
    Severity, "severity", { Low => "low", Medium => "medium", High => "high" }
}
