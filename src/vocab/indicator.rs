//! The six performance indicators of `indicators.toml`, in the order the tables list them.

super::id_enum! {
    /// A performance indicator, by its key in `indicators.toml` and its column name.
    IndicatorId, "indicator", {
        CompletionRate => "completion_rate",
        PassRate => "pass_rate",
        EmploymentRate => "employment_rate",
        RetentionRate => "retention_rate",
        Satisfaction => "satisfaction",
        Compliance => "compliance",
    }
}
