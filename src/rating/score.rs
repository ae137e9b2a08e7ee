//! Points, score and tier: pure functions of an institution's indicators and findings, so each
//! boundary (a floor, a target, 84.99 against 85.00, the C→A guard) is tested on its own.

use crate::policy::Policy;
use crate::quarter::Quarter;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};

pub use crate::vocab::Tier;

/// 100 × clamp((value − floor) ÷ (target − floor), 0, 1).
pub fn points(value: f64, floor: f64, target: f64) -> f64 {
    (100.0 * ((value - floor) / (target - floor)).clamp(0.0, 1.0)).clamp(0.0, 100.0)
}

/// Weighted mean of the points of the indicators that have data (weights renormalised); `None`
/// when none has data.
pub fn weighted_points(indicators: &[(f64, Option<f64>)]) -> Option<f64> {
    let (weighted, weights) = indicators
        .iter()
        .filter_map(|(weight, points)| points.map(|p| (weight * p, *weight)))
        .fold((0.0, 0.0), |(sum, total), (value, weight)| (sum + value, total + weight));
    (weights > 0.0).then(|| weighted / weights)
}

/// Rounds half-up to 0.01, after removing binary noise below 1e-9 (84.995 → 85.00).
pub fn round_score(value: f64) -> f64 {
    let decimal = Decimal::from_f64(value).unwrap_or_default().round_dp_with_strategy(9, RoundingStrategy::MidpointAwayFromZero);
    decimal.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero).to_f64().unwrap_or(0.0)
}

/// The deductions of the policy, each already capped.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deductions {
    pub breach_lines: f64,
    pub procedural: f64,
    pub violations: f64,
}

impl Deductions {
    pub fn new(breach_lines: usize, procedural_findings: usize, violations: usize, policy: &Policy) -> Deductions {
        let rules = policy.tiers.deductions;
        Deductions {
            breach_lines: (breach_lines as f64 * rules.per_breach_line).min(rules.breach_lines_max),
            procedural: (procedural_findings as f64 * rules.per_procedural_finding).min(rules.procedural_max),
            violations: violations as f64 * rules.per_violation,
        }
    }

    pub fn total(&self) -> f64 {
        self.breach_lines + self.procedural + self.violations
    }
}

/// Score = weighted points − deductions, clamped to 0–100, rounded half-up to 0.01.
pub fn score(weighted: f64, deductions: &Deductions) -> f64 {
    round_score((weighted - deductions.total()).clamp(0.0, 100.0))
}

/// What decides a tier.
#[derive(Debug, Clone, PartialEq)]
pub struct TierInputs {
    /// Why the institution is disqualified, when it is.
    pub disqualified: Option<String>,
    /// A ban in force in Q: its last quarter (`None` inside = no end).
    pub ban_in_force: Option<Option<Quarter>>,
    pub score: Option<f64>,
    /// Parts at stake ÷ line amounts, percent.
    pub breach_share_percent: f64,
    pub completed_enrollments: i64,
    pub high_priority_lead: bool,
    pub breach_line_in_quarter: bool,
    pub previous_tier: Option<Tier>,
}

/// A tier, the rule that set it, and the ban it starts or carries.
#[derive(Debug, Clone, PartialEq)]
pub struct TierDecision {
    pub tier: Tier,
    /// Which rule of the tier table applied, in words.
    pub because: String,
    /// For D: whether this quarter starts (or extends) a ban.
    pub new_ban: bool,
    /// The last quarter of the ban in force after this run (D only); `None` = no end.
    pub banned_until: Option<Quarter>,
}

/// Decides the tier in the policy's order: X, D, N, C, B/A; the first that applies wins.
pub fn decide_tier(inputs: &TierInputs, policy: &Policy, quarter: Quarter) -> TierDecision {
    let cutoffs = policy.tiers.cutoffs;
    let decision = |tier, because: String| TierDecision { tier, because, new_ban: false, banned_until: None };
    if let Some(reason) = &inputs.disqualified {
        return decision(Tier::X, format!("disqualified: {reason}"));
    }
    let low_score = inputs.score.is_some_and(|s| s < cutoffs.c);
    let high_share = inputs.breach_share_percent > cutoffs.max_breach_share_percent;
    if low_score || high_share {
        let new_until = quarter.offset(policy.tiers.actions.ban_quarters as i32);
        let banned_until = match inputs.ban_in_force {
            Some(None) => None,
            Some(Some(until)) => Some(until.max(new_until)),
            None => Some(new_until),
        };
        let because = if low_score {
            format!("score {:.2} < {:.2}", inputs.score.unwrap_or_default(), cutoffs.c)
        } else {
            format!("breach share {:.2}% > {}%", inputs.breach_share_percent, cutoffs.max_breach_share_percent)
        };
        let span = banned_until.map(|u| format!("{}–{u}", quarter.offset(1))).unwrap_or_else(|| "with no end".into());
        return TierDecision { tier: Tier::D, because: format!("{because}: ban {span}"), new_ban: true, banned_until };
    }
    if let Some(until) = inputs.ban_in_force {
        let span = until.map(|u| format!("until {u}")).unwrap_or_else(|| "with no end".into());
        return TierDecision { tier: Tier::D, because: format!("a ban is in force in {quarter} ({span})"), new_ban: false, banned_until: until };
    }
    if inputs.completed_enrollments < cutoffs.min_completed_enrollments as i64 || inputs.score.is_none() {
        return decision(
            Tier::N,
            format!("{} completed enrollments < {} in classes ending in {}–{quarter}", inputs.completed_enrollments, cutoffs.min_completed_enrollments, quarter.offset(-3)),
        );
    }
    let score = inputs.score.unwrap_or_default();
    if inputs.high_priority_lead {
        return decision(Tier::C, "a high-priority investigation lead: watch, tier C at best".into());
    }
    if score < cutoffs.b {
        return decision(Tier::C, format!("score {score:.2} in {:.2}–{:.2}", cutoffs.c, cutoffs.b - 0.01));
    }
    if score < cutoffs.a {
        return decision(Tier::B, format!("score {score:.2} in {:.2}–{:.2}", cutoffs.b, cutoffs.a - 0.01));
    }
    if inputs.breach_line_in_quarter {
        return decision(Tier::B, format!("score {score:.2} ≥ {:.2} but a breach line in {quarter}: not allowed A", cutoffs.a));
    }
    match inputs.previous_tier {
        Some(previous) if previous != Tier::A && previous != Tier::B => {
            decision(Tier::B, format!("score {score:.2} ≥ {:.2} but previous tier {previous}: no jump to A", cutoffs.a))
        }
        _ => decision(Tier::A, format!("score {score:.2} ≥ {:.2}, no breach line, previous tier allows A", cutoffs.a)),
    }
}

/// An institution's standing among the investigation leads, as rating sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeadStanding {
    pub risk_score: f64,
    pub high_priority: bool,
    /// Its rank among the leads (1 = most suspicious); `None` when it is not a lead.
    pub rank: Option<u32>,
}

/// Why a tier-A institution's uplift is withheld pending review (policy.md, "Uplift held
/// pending review"): a strong lead, or a case of the ledger not yet closed. [`decide_action`]
/// holds the uplift for any hold it is given.
#[derive(Debug, Clone, PartialEq)]
pub enum Hold {
    /// A lead whose risk score is at or above `cutoffs.uplift_hold_risk_score`.
    Lead { rank: u32, risk_score: f64, threshold: f64 },
    /// A case the previous run's ledger (as the investigators left it) holds open.
    OpenCase(OpenCase),
}

/// An institution's case that is not closed: the first by id when it has several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCase {
    pub case_id: String,
    pub opened_in: String,
}

impl Hold {
    /// The hold in words (the engine's reasons are English; the report renders its own).
    pub fn because(&self) -> String {
        match self {
            Hold::Lead { rank, risk_score, threshold } => {
                format!("uplift held pending review: lead #{rank} with risk score {risk_score:.3} ≥ {threshold}")
            }
            Hold::OpenCase(case) => format!("uplift held pending review: case {} opened in {} is not closed", case.case_id, case.opened_in),
        }
    }

    /// The hold's code in `institution_scores.parquet` (`uplift_hold`).
    pub fn code(&self) -> &'static str {
        match self {
            Hold::Lead { .. } => "lead",
            Hold::OpenCase(_) => "open_case",
        }
    }
}

/// The holds that apply to an institution: its lead when its risk score is at or above the
/// setting, and its case that the ledger holds open. A `cleared` decision (`cleared_on`, dated in
/// Q−3 … Q, the window of the data the lead rests on) releases both: the decision cleared it.
pub fn holds(lead: Option<&LeadStanding>, open_case: Option<&OpenCase>, cleared_on: Option<chrono::NaiveDate>, policy: &Policy) -> Vec<Hold> {
    let threshold = policy.tiers.cutoffs.uplift_hold_risk_score;
    if cleared_on.is_some() {
        return Vec::new();
    }
    let lead = lead.and_then(|l| Some(Hold::Lead { rank: l.rank?, risk_score: l.risk_score, threshold }).filter(|_| l.risk_score >= threshold));
    lead.into_iter().chain(open_case.cloned().map(Hold::OpenCase)).collect()
}

/// What follows from a tier: the action and the uplift paid next quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionDecision {
    pub action: &'static str,
    pub subsidy_uplift_pct: f64,
    /// Why the uplift is held (`uplift_held` only).
    pub holds: Vec<Hold>,
}

/// The action of a tier (policy.md, "Tiers and what follows"): A gets `uplift` unless a hold
/// applies (`uplift_held`, tier unchanged, uplift 0); N gets `watch` instead of `none` when it
/// has a high-priority lead; every other tier its own action.
pub fn decide_action(tier: Tier, high_priority_lead: bool, holds: Vec<Hold>, policy: &Policy) -> ActionDecision {
    match tier {
        Tier::A if holds.is_empty() => ActionDecision { action: "uplift", subsidy_uplift_pct: policy.tiers.actions.subsidy_uplift_pct, holds },
        Tier::A => ActionDecision { action: "uplift_held", subsidy_uplift_pct: 0.0, holds },
        Tier::N if high_priority_lead => ActionDecision { action: "watch", subsidy_uplift_pct: 0.0, holds: Vec::new() },
        other => ActionDecision { action: other.action().as_str(), subsidy_uplift_pct: 0.0, holds: Vec::new() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(score: f64) -> TierInputs {
        TierInputs {
            disqualified: None,
            ban_in_force: None,
            score: Some(score),
            breach_share_percent: 0.0,
            completed_enrollments: 20,
            high_priority_lead: false,
            breach_line_in_quarter: false,
            previous_tier: None,
        }
    }

    fn tier(inputs: &TierInputs) -> Tier {
        decide_tier(inputs, &Policy::defaults().unwrap(), "2026Q3".parse().unwrap()).tier
    }

    #[test]
    fn points_at_floor_target_and_between() {
        assert_eq!(points(0.40, 0.40, 0.90), 0.0);
        assert_eq!(points(0.30, 0.40, 0.90), 0.0);
        assert_eq!(points(0.90, 0.40, 0.90), 100.0);
        assert_eq!(points(1.00, 0.40, 0.90), 100.0);
        assert!((points(0.58, 0.40, 0.90) - 36.0).abs() < 1e-9);
    }

    #[test]
    fn weights_renormalise_over_indicators_with_data() {
        assert_eq!(weighted_points(&[(25.0, Some(80.0)), (25.0, None), (50.0, Some(20.0))]), Some(40.0));
        assert_eq!(weighted_points(&[(25.0, None)]), None);
    }

    #[test]
    fn rounding_is_half_up_to_the_hundredth() {
        assert_eq!(round_score(84.995), 85.0);
        assert_eq!(round_score(84.994999), 84.99);
        assert_eq!(round_score(59.995), 60.0);
    }

    #[test]
    fn cut_offs_exactly() {
        assert_eq!(tier(&inputs(85.0)), Tier::A);
        assert_eq!(tier(&inputs(84.99)), Tier::B);
        assert_eq!(tier(&inputs(70.0)), Tier::B);
        assert_eq!(tier(&inputs(69.99)), Tier::C);
        assert_eq!(tier(&inputs(60.0)), Tier::C);
        assert_eq!(tier(&inputs(59.99)), Tier::D);
    }

    #[test]
    fn small_cohorts_are_not_rated_unless_d_applies_first() {
        let mut small = inputs(90.0);
        small.completed_enrollments = 19;
        assert_eq!(tier(&small), Tier::N);
        small.score = Some(50.0);
        assert_eq!(tier(&small), Tier::D);
    }

    #[test]
    fn no_jump_to_a_from_c_or_d_and_no_a_with_a_breach() {
        let mut guarded = inputs(90.0);
        guarded.previous_tier = Some(Tier::C);
        assert_eq!(tier(&guarded), Tier::B);
        guarded.previous_tier = Some(Tier::D);
        assert_eq!(tier(&guarded), Tier::B);
        guarded.previous_tier = Some(Tier::B);
        assert_eq!(tier(&guarded), Tier::A);
        guarded.breach_line_in_quarter = true;
        assert_eq!(tier(&guarded), Tier::B);
    }

    #[test]
    fn breach_share_above_five_percent_bans_and_a_lead_caps_at_c() {
        let mut shared = inputs(95.0);
        shared.breach_share_percent = 5.0;
        assert_eq!(tier(&shared), Tier::A);
        shared.breach_share_percent = 5.01;
        let decision = decide_tier(&shared, &Policy::defaults().unwrap(), "2026Q3".parse().unwrap());
        assert_eq!((decision.tier, decision.new_ban, decision.banned_until), (Tier::D, true, Some("2027Q3".parse().unwrap())));
        let mut lead = inputs(95.0);
        lead.high_priority_lead = true;
        assert_eq!(tier(&lead), Tier::C);
    }

    #[test]
    fn a_ban_in_force_holds_without_starting_a_new_one() {
        let mut banned = inputs(95.0);
        banned.ban_in_force = Some(Some("2026Q4".parse().unwrap()));
        let decision = decide_tier(&banned, &Policy::defaults().unwrap(), "2026Q3".parse().unwrap());
        assert_eq!((decision.tier, decision.new_ban, decision.banned_until), (Tier::D, false, Some("2026Q4".parse().unwrap())));
        assert_eq!(decision.because, "a ban is in force in 2026Q3 (until 2026Q4)");
        let mut disqualified = inputs(95.0);
        disqualified.disqualified = Some("fraud_confirmed on 2026-05-12".into());
        assert_eq!(tier(&disqualified), Tier::X);
    }

    fn lead(risk_score: f64, rank: Option<u32>) -> LeadStanding {
        LeadStanding { risk_score, high_priority: risk_score >= 0.9, rank }
    }

    #[test]
    fn a_lead_at_the_hold_score_holds_the_uplift_of_tier_a_only() {
        let policy = Policy::defaults().unwrap();
        assert_eq!(policy.tiers.cutoffs.uplift_hold_risk_score, 0.5);
        let held = decide_action(Tier::A, false, holds(Some(&lead(0.5, Some(3))), None, None, &policy), &policy);
        assert_eq!((held.action, held.subsidy_uplift_pct), ("uplift_held", 0.0));
        assert_eq!(held.holds[0].because(), "uplift held pending review: lead #3 with risk score 0.500 ≥ 0.5");
        let paid = decide_action(Tier::A, false, holds(Some(&lead(0.499999, Some(3))), None, None, &policy), &policy);
        assert_eq!((paid.action, paid.subsidy_uplift_pct, paid.holds.len()), ("uplift", 10.0, 0));
        // Not a lead (a risk score from the learned model alone): nothing to review.
        assert_eq!(decide_action(Tier::A, false, holds(Some(&lead(0.7, None)), None, None, &policy), &policy).action, "uplift");
        assert_eq!(decide_action(Tier::A, false, holds(None, None, None, &policy), &policy).action, "uplift");
        // A `cleared` decision in Q−3 … Q releases it: the uplift is paid.
        let released = decide_action(Tier::A, false, holds(Some(&lead(0.8, Some(1))), None, "2026-08-01".parse().ok(), &policy), &policy);
        assert_eq!((released.action, released.subsidy_uplift_pct), ("uplift", 10.0));
        // Other tiers carry no uplift to hold.
        let b = decide_action(Tier::B, false, holds(Some(&lead(0.7, Some(1))), None, None, &policy), &policy);
        assert_eq!((b.action, b.subsidy_uplift_pct, b.holds.len()), ("standard", 0.0, 0));
    }

    #[test]
    fn an_open_case_holds_the_uplift_whatever_the_lead_until_a_decision_clears_it() {
        let policy = Policy::defaults().unwrap();
        let case = OpenCase { case_id: "I1/sign_ins".into(), opened_in: "2026Q2".into() };
        let held = decide_action(Tier::A, false, holds(None, Some(&case), None, &policy), &policy);
        assert_eq!((held.action, held.subsidy_uplift_pct), ("uplift_held", 0.0));
        assert_eq!(held.holds[0].because(), "uplift held pending review: case I1/sign_ins opened in 2026Q2 is not closed");
        assert_eq!(held.holds[0].code(), "open_case");
        // A weak lead adds nothing; a strong one is a second reason.
        assert_eq!(holds(Some(&lead(0.2, Some(9))), Some(&case), None, &policy).len(), 1);
        let both = holds(Some(&lead(0.6, Some(2))), Some(&case), None, &policy);
        assert_eq!(both.iter().map(Hold::code).collect::<Vec<_>>(), vec!["lead", "open_case"]);
        // A `cleared` decision in Q−3 … Q releases it.
        assert!(holds(None, Some(&case), "2026-08-01".parse().ok(), &policy).is_empty());
    }

    #[test]
    fn a_high_priority_lead_on_an_unrated_institution_is_watched() {
        let policy = Policy::defaults().unwrap();
        assert_eq!(decide_action(Tier::N, true, Vec::new(), &policy).action, "watch");
        assert_eq!(decide_action(Tier::N, false, Vec::new(), &policy).action, "none");
        assert_eq!(decide_action(Tier::C, true, Vec::new(), &policy).action, "watch");
        assert_eq!(decide_action(Tier::D, true, Vec::new(), &policy).action, "ban");
        assert_eq!(decide_action(Tier::X, true, Vec::new(), &policy).action, "disqualify");
    }
}
