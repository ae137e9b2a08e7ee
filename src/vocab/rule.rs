//! Rule ids: the line rules R01–R12, the procedural findings P01–P04, and `DECISION` for a
//! finding that comes from a case decision rather than a rule.

super::id_enum! {
    /// A subsidy rule, a procedural check, or a case decision, by its id in `rules.toml`.
    RuleId, "rule", {
        R01 => "R01", R02 => "R02", R03 => "R03", R04 => "R04", R05 => "R05", R06 => "R06",
        R07 => "R07", R08 => "R08", R09 => "R09", R10 => "R10", R11 => "R11", R12 => "R12",
        P01 => "P01", P02 => "P02", P03 => "P03", P04 => "P04",
        /// A `fraud_confirmed` decision's own recovery (not a rule of `rules.toml`).
        Decision => "DECISION",
    }
}

impl RuleId {
    /// The line rules, in id order.
    pub const LINE: [RuleId; 12] = [
        RuleId::R01, RuleId::R02, RuleId::R03, RuleId::R04, RuleId::R05, RuleId::R06,
        RuleId::R07, RuleId::R08, RuleId::R09, RuleId::R10, RuleId::R11, RuleId::R12,
    ];
    /// The procedural findings, in id order.
    pub const PROCEDURAL: [RuleId; 4] = [RuleId::P01, RuleId::P02, RuleId::P03, RuleId::P04];

    /// Whether `rules.toml` configures it (every id but `DECISION`).
    pub fn configurable(self) -> bool {
        self != RuleId::Decision
    }

    /// A line rule (money at stake), not a procedural finding.
    pub fn is_line_rule(self) -> bool {
        RuleId::LINE.contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_ids_name_what_was_expected() {
        for id in RuleId::ALL {
            assert_eq!(id.as_str().parse::<RuleId>().unwrap(), *id);
        }
        let error = "R13".parse::<RuleId>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown rule 'R13' (expected one of R01, R02, R03, R04, R05, R06, R07, R08, R09, R10, R11, R12, P01, P02, P03, P04, DECISION)"
        );
        assert_eq!(RuleId::LINE.len() + RuleId::PROCEDURAL.len() + 1, RuleId::ALL.len());
        assert!(RuleId::R12.is_line_rule() && !RuleId::P01.is_line_rule());
    }
}
