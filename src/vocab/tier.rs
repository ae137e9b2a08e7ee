//! Credit tiers, their order, and the action each carries (policy.md, "Tiers and actions").

super::id_enum! {
    /// A credit tier: A excellent, B good, C adequate, D below standard, X disqualified, N not
    /// rated. `ALL` is the order every table and chart lists them in.
    Tier, "tier", { A => "A", B => "B", C => "C", D => "D", X => "X", N => "N" }
}

super::id_enum! {
    /// What a tier means for the institution this quarter, as `institution_scores.action` writes it.
    Action, "action", {
        Uplift => "uplift",
        /// Tier A whose uplift is withheld pending review (a lead above the threshold, an open case).
        UpliftHeld => "uplift_held",
        Standard => "standard",
        Watch => "watch",
        Ban => "ban",
        Disqualify => "disqualify",
        None => "none",
    }
}

impl Tier {
    /// The action a tier carries before any hold or watch.
    pub fn action(self) -> Action {
        match self {
            Tier::A => Action::Uplift,
            Tier::B => Action::Standard,
            Tier::C => Action::Watch,
            Tier::D => Action::Ban,
            Tier::X => Action::Disqualify,
            Tier::N => Action::None,
        }
    }

    /// The tier's name in the policy (Chinese).
    pub fn label(self) -> &'static str {
        self.name(super::Lang::Zh)
    }

    /// The tier's name: 优秀 / excellent.
    pub fn name(self, lang: super::Lang) -> &'static str {
        match self {
            Tier::A => lang.t("优秀", "excellent"),
            Tier::B => lang.t("良好", "good"),
            Tier::C => lang.t("合格", "adequate"),
            Tier::D => lang.t("不达标", "below standard"),
            Tier::X => lang.t("取消资格", "disqualified"),
            Tier::N => lang.t("未评级", "not rated"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_keep_their_order_and_actions() {
        assert_eq!(Tier::ALL.iter().map(|t| t.as_str()).collect::<String>(), "ABCDXN");
        assert_eq!(Tier::D.action(), Action::Ban);
        assert_eq!(Tier::A.action().as_str(), "uplift");
        assert_eq!(Action::parse("uplift_held"), Some(Action::UpliftHeld));
        assert_eq!(Tier::parse("E"), None);
        assert_eq!(Tier::X.name(crate::vocab::Lang::En), "disqualified");
    }
}
