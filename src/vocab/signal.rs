//! Risk signal ids, as `signals.toml`, `flags.parquet` (`rule`) and `leads.parquet` name them.

super::id_enum! {
    /// A risk signal (statistics, never a sanction by itself).
    SignalId, "signal", {
        Benford => "benford",
        SynchronizedSignIns => "synchronized_sign_ins",
        ManualSignIns => "manual_sign_ins",
        BulkSignIns => "bulk_sign_ins",
        ScoreHeaping => "score_heaping",
        AssessorPassRate => "assessor_pass_rate",
        ShortEmployment => "short_employment",
        EmployerConcentration => "employer_concentration",
        SharedContacts => "shared_contacts",
        RecycledTrainees => "recycled_trainees",
        EmploymentClusters => "employment_clusters",
        Successor => "successor",
        Outlier => "outlier",
    }
}
