//! Points, score and tier: pure functions of an institution's indicators and findings, so each
//! boundary (a floor, a target, 84.99 against 85.00, the C→A guard) is tested on its own.

use crate::policy::Policy;
use crate::quarter::Quarter;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use crate::vocab::{Action, Lang, Message};
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

/// Why an institution is disqualified (tier X).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disqualification {
    /// A standing `fraud_confirmed` decision, of this day.
    Decision { decided_on: chrono::NaiveDate },
    /// A `disqualified` sanction in force, from this quarter (`until` `None`: no end).
    Sanction { from: Quarter, until: Option<Quarter> },
}

/// What decides a tier.
#[derive(Debug, Clone, PartialEq)]
pub struct TierInputs {
    /// Why the institution is disqualified, when it is.
    pub disqualified: Option<Disqualification>,
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

/// The ban a tier D starts or extends: from Q+1 to `until` (`None`: no end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BanSpan {
    pub from: Quarter,
    pub until: Option<Quarter>,
}

/// Which rule of the tier table (policy.md, "Tiers and what follows") set a tier, with the
/// numbers that decided it. `institution_scores.parquet` keeps its code (`tier_rule`) and its
/// arguments (`tier_rule_args`); every text of it, in any language, is rendered from those, so
/// no one parses a sentence back.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TierRule {
    /// X: disqualified by a decision or a sanction.
    Disqualified(Disqualification),
    /// D: score below the C cut-off; a ban starts.
    ScoreBelowC { score: f64, cutoff: f64, ban: BanSpan },
    /// D: the breach share is above the maximum; a ban starts.
    BreachShare { share_percent: f64, max_percent: f64, ban: BanSpan },
    /// D: a ban of an earlier quarter is in force in `quarter`.
    BanInForce { quarter: Quarter, until: Option<Quarter> },
    /// N: fewer completed enrollments than the minimum in classes ending in `from`–`to`.
    FewCompleted { completed: i64, min: i64, from: Quarter, to: Quarter },
    /// N: enough completed enrollments, but no indicator has data (no score).
    NoIndicatorData { completed: i64 },
    /// C: a high-priority lead caps the tier at C.
    LeadCapsAtC,
    /// C or B: the score lies in the tier's band `low`–`high`.
    ScoreBand { tier: Tier, score: f64, low: f64, high: f64 },
    /// B: the score reaches A but the quarter has a breach line.
    ARefusedForBreachLine { score: f64, cutoff: f64, quarter: Quarter },
    /// B: the score reaches A but the previous tier (C or D) allows no jump to A.
    ARefusedForPreviousTier { score: f64, cutoff: f64, previous: Tier },
    /// A: the score reaches A, no breach line, the previous tier allows it.
    ScoreA { score: f64, cutoff: f64 },
}

/// A score or a cut-off as the reasons show it (two decimals).
fn two(value: f64) -> String {
    format!("{value:.2}")
}

impl TierRule {
    /// Its message in the catalogue (`messages::rating`).
    pub fn message(&self) -> &'static Message {
        use crate::vocab::messages::rating as m;
        match self {
            TierRule::Disqualified(Disqualification::Decision { .. }) => &m::X_BY_DECISION,
            TierRule::Disqualified(Disqualification::Sanction { until: Some(_), .. }) => &m::X_BY_SANCTION,
            TierRule::Disqualified(Disqualification::Sanction { until: None, .. }) => &m::X_BY_SANCTION_OPEN,
            TierRule::ScoreBelowC { ban: BanSpan { until: Some(_), .. }, .. } => &m::D_SCORE,
            TierRule::ScoreBelowC { ban: BanSpan { until: None, .. }, .. } => &m::D_SCORE_OPEN,
            TierRule::BreachShare { ban: BanSpan { until: Some(_), .. }, .. } => &m::D_BREACH_SHARE,
            TierRule::BreachShare { ban: BanSpan { until: None, .. }, .. } => &m::D_BREACH_SHARE_OPEN,
            TierRule::BanInForce { until: Some(_), .. } => &m::D_BAN_IN_FORCE,
            TierRule::BanInForce { until: None, .. } => &m::D_BAN_IN_FORCE_OPEN,
            TierRule::FewCompleted { .. } => &m::N_FEW_COMPLETED,
            TierRule::NoIndicatorData { .. } => &m::N_NO_DATA,
            TierRule::LeadCapsAtC => &m::C_LEAD,
            TierRule::ScoreBand { tier: Tier::B, .. } => &m::B_SCORE,
            TierRule::ScoreBand { .. } => &m::C_SCORE,
            TierRule::ARefusedForBreachLine { .. } => &m::B_BREACH_LINE,
            TierRule::ARefusedForPreviousTier { .. } => &m::B_PREVIOUS_TIER,
            TierRule::ScoreA { .. } => &m::A_SCORE,
        }
    }

    /// The tier-table code kept in `institution_scores.tier_rule`.
    pub fn code(&self) -> &'static str {
        self.message().code
    }

    /// Its numbers, named as its message's placeholders.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        let until = |q: Option<Quarter>| q.map(|q| q.to_string()).unwrap_or_default();
        match *self {
            TierRule::Disqualified(Disqualification::Decision { decided_on }) => vec![("decided_on", decided_on.to_string())],
            TierRule::Disqualified(Disqualification::Sanction { from, until: end }) => vec![("from", from.to_string()), ("until", until(end))],
            TierRule::ScoreBelowC { score, cutoff, ban } => {
                vec![("score", two(score)), ("cutoff", two(cutoff)), ("from", ban.from.to_string()), ("until", until(ban.until))]
            }
            TierRule::BreachShare { share_percent, max_percent, ban } => vec![
                ("share", two(share_percent)),
                ("max", max_percent.to_string()),
                ("from", ban.from.to_string()),
                ("until", until(ban.until)),
            ],
            TierRule::BanInForce { quarter, until: end } => vec![("quarter", quarter.to_string()), ("until", until(end))],
            TierRule::FewCompleted { completed, min, from, to } => {
                vec![("completed", completed.to_string()), ("min", min.to_string()), ("from", from.to_string()), ("to", to.to_string())]
            }
            TierRule::NoIndicatorData { completed } => vec![("completed", completed.to_string())],
            TierRule::LeadCapsAtC => Vec::new(),
            TierRule::ScoreBand { score, low, high, .. } => vec![("score", two(score)), ("low", two(low)), ("high", two(high))],
            TierRule::ARefusedForBreachLine { score, cutoff, quarter } => {
                vec![("score", two(score)), ("cutoff", two(cutoff)), ("quarter", quarter.to_string())]
            }
            TierRule::ARefusedForPreviousTier { score, cutoff, previous } => {
                vec![("score", two(score)), ("cutoff", two(cutoff)), ("previous", previous.to_string())]
            }
            TierRule::ScoreA { score, cutoff } => vec![("score", two(score)), ("cutoff", two(cutoff))],
        }
    }

    /// The arguments as `tier_rule_args` stores them (in the message's placeholder order).
    pub fn stored(&self) -> Vec<String> {
        let args = self.args();
        let named: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.message().store(&named)
    }

    /// The rule in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let args = self.args();
        let named: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.message().render(lang, &named)
    }

    /// Whether its text states the score (the reasons add it otherwise).
    pub fn states_score(&self) -> bool {
        match self {
            TierRule::ScoreBelowC { .. }
            | TierRule::ScoreBand { .. }
            | TierRule::ARefusedForBreachLine { .. }
            | TierRule::ARefusedForPreviousTier { .. }
            | TierRule::ScoreA { .. } => true,
            TierRule::Disqualified(_)
            | TierRule::BreachShare { .. }
            | TierRule::BanInForce { .. }
            | TierRule::FewCompleted { .. }
            | TierRule::NoIndicatorData { .. }
            | TierRule::LeadCapsAtC => false,
        }
    }
}

/// The ledger's words for a rule (English, as the sanctions ledger has kept them so far; the
/// ledger's own reason codes come with `rating::ledger`).
impl std::fmt::Display for TierRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// A tier, the rule that set it, and the ban it starts or carries.
#[derive(Debug, Clone, PartialEq)]
pub struct TierDecision {
    pub tier: Tier,
    /// Which rule of the tier table applied, with its numbers.
    pub because: TierRule,
    /// For D: whether this quarter starts (or extends) a ban.
    pub new_ban: bool,
    /// The last quarter of the ban in force after this run (D only); `None` = no end.
    pub banned_until: Option<Quarter>,
}

/// Decides the tier in the policy's order: X, D, N, C, B/A; the first that applies wins.
pub fn decide_tier(inputs: &TierInputs, policy: &Policy, quarter: Quarter) -> TierDecision {
    let cutoffs = policy.tiers.cutoffs;
    let decision = |tier, because| TierDecision { tier, because, new_ban: false, banned_until: None };
    if let Some(reason) = inputs.disqualified {
        return decision(Tier::X, TierRule::Disqualified(reason));
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
        let ban = BanSpan { from: quarter.offset(1), until: banned_until };
        let because = if low_score {
            TierRule::ScoreBelowC { score: inputs.score.unwrap_or_default(), cutoff: cutoffs.c, ban }
        } else {
            TierRule::BreachShare { share_percent: inputs.breach_share_percent, max_percent: cutoffs.max_breach_share_percent, ban }
        };
        return TierDecision { tier: Tier::D, because, new_ban: true, banned_until };
    }
    if let Some(until) = inputs.ban_in_force {
        return TierDecision { tier: Tier::D, because: TierRule::BanInForce { quarter, until }, new_ban: false, banned_until: until };
    }
    let min = cutoffs.min_completed_enrollments as i64;
    if inputs.completed_enrollments < min {
        let completed = inputs.completed_enrollments;
        return decision(Tier::N, TierRule::FewCompleted { completed, min, from: quarter.offset(-3), to: quarter });
    }
    let Some(score) = inputs.score else {
        return decision(Tier::N, TierRule::NoIndicatorData { completed: inputs.completed_enrollments });
    };
    if inputs.high_priority_lead {
        return decision(Tier::C, TierRule::LeadCapsAtC);
    }
    if score < cutoffs.b {
        return decision(Tier::C, TierRule::ScoreBand { tier: Tier::C, score, low: cutoffs.c, high: cutoffs.b - 0.01 });
    }
    if score < cutoffs.a {
        return decision(Tier::B, TierRule::ScoreBand { tier: Tier::B, score, low: cutoffs.b, high: cutoffs.a - 0.01 });
    }
    if inputs.breach_line_in_quarter {
        return decision(Tier::B, TierRule::ARefusedForBreachLine { score, cutoff: cutoffs.a, quarter });
    }
    match inputs.previous_tier {
        Some(previous) if previous != Tier::A && previous != Tier::B => {
            decision(Tier::B, TierRule::ARefusedForPreviousTier { score, cutoff: cutoffs.a, previous })
        }
        _ => decision(Tier::A, TierRule::ScoreA { score, cutoff: cutoffs.a }),
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
    /// Its message in the catalogue and its arguments (the hold part of the reasons).
    pub fn message(&self) -> (&'static Message, Vec<(&'static str, String)>) {
        use crate::vocab::messages::rating as m;
        match self {
            Hold::Lead { rank, risk_score, threshold } => {
                (&m::HOLD_LEAD, vec![("rank", rank.to_string()), ("risk", format!("{risk_score:.3}")), ("threshold", threshold.to_string())])
            }
            Hold::OpenCase(case) => (&m::HOLD_OPEN_CASE, vec![("case", case.case_id.clone()), ("opened_in", case.opened_in.clone())]),
        }
    }

    /// The hold in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let (message, args) = self.message();
        let named: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        message.render(lang, &named)
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
    pub action: Action,
    pub subsidy_uplift_pct: f64,
    /// Why the uplift is held (`uplift_held` only).
    pub holds: Vec<Hold>,
}

/// The action of a tier (policy.md, "Tiers and what follows"): A gets `uplift` unless a hold
/// applies (`uplift_held`, tier unchanged, uplift 0); N gets `watch` instead of `none` when it
/// has a high-priority lead; every other tier its own action.
pub fn decide_action(tier: Tier, high_priority_lead: bool, holds: Vec<Hold>, policy: &Policy) -> ActionDecision {
    match tier {
        Tier::A if holds.is_empty() => ActionDecision { action: Action::Uplift, subsidy_uplift_pct: policy.tiers.actions.subsidy_uplift_pct, holds },
        Tier::A => ActionDecision { action: Action::UpliftHeld, subsidy_uplift_pct: 0.0, holds },
        Tier::N if high_priority_lead => ActionDecision { action: Action::Watch, subsidy_uplift_pct: 0.0, holds: Vec::new() },
        other => ActionDecision { action: other.action(), subsidy_uplift_pct: 0.0, holds: Vec::new() },
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
        assert_eq!(decision.because.code(), "tier.d.ban_in_force");
        assert_eq!(decision.because.stored(), vec!["2026Q3", "2026Q4"]);
        assert_eq!(decision.because.render(Lang::En), "a ban is in force in 2026Q3 (until 2026Q4)");
        assert_eq!(decision.because.render(Lang::Zh), "2026Q3 处于禁入期内（至 2026Q4）");
        let mut disqualified = inputs(95.0);
        disqualified.disqualified = Some(Disqualification::Decision { decided_on: "2026-05-12".parse().unwrap() });
        assert_eq!(tier(&disqualified), Tier::X);
    }

    fn lead(risk_score: f64, rank: Option<u32>) -> LeadStanding {
        LeadStanding { risk_score, high_priority: risk_score >= 0.9, rank }
    }

    #[test]
    fn a_lead_at_the_hold_score_holds_the_uplift_of_tier_a_only() {
        let policy = Policy::defaults().unwrap();
        assert_eq!(policy.tiers.cutoffs.uplift_hold_risk_score, 0.3);
        let held = decide_action(Tier::A, false, holds(Some(&lead(0.3, Some(3))), None, None, &policy), &policy);
        assert_eq!((held.action, held.subsidy_uplift_pct), (Action::UpliftHeld, 0.0));
        assert_eq!(held.holds[0].render(Lang::En), "uplift held pending review: lead #3 with risk score 0.300 ≥ 0.3");
        let paid = decide_action(Tier::A, false, holds(Some(&lead(0.299999, Some(3))), None, None, &policy), &policy);
        assert_eq!((paid.action, paid.subsidy_uplift_pct, paid.holds.len()), (Action::Uplift, 10.0, 0));
        // Not a lead (a risk score from the learned model alone): nothing to review.
        assert_eq!(decide_action(Tier::A, false, holds(Some(&lead(0.7, None)), None, None, &policy), &policy).action, Action::Uplift);
        assert_eq!(decide_action(Tier::A, false, holds(None, None, None, &policy), &policy).action, Action::Uplift);
        // A `cleared` decision in Q−3 … Q releases it: the uplift is paid.
        let released = decide_action(Tier::A, false, holds(Some(&lead(0.8, Some(1))), None, "2026-08-01".parse().ok(), &policy), &policy);
        assert_eq!((released.action, released.subsidy_uplift_pct), (Action::Uplift, 10.0));
        // Other tiers carry no uplift to hold.
        let b = decide_action(Tier::B, false, holds(Some(&lead(0.7, Some(1))), None, None, &policy), &policy);
        assert_eq!((b.action, b.subsidy_uplift_pct, b.holds.len()), (Action::Standard, 0.0, 0));
    }

    #[test]
    fn an_open_case_holds_the_uplift_whatever_the_lead_until_a_decision_clears_it() {
        let policy = Policy::defaults().unwrap();
        let case = OpenCase { case_id: "I1/sign_ins".into(), opened_in: "2026Q2".into() };
        let held = decide_action(Tier::A, false, holds(None, Some(&case), None, &policy), &policy);
        assert_eq!((held.action, held.subsidy_uplift_pct), (Action::UpliftHeld, 0.0));
        assert_eq!(held.holds[0].render(Lang::En), "uplift held pending review: case I1/sign_ins opened in 2026Q2 is not closed");
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
        assert_eq!(decide_action(Tier::N, true, Vec::new(), &policy).action, Action::Watch);
        assert_eq!(decide_action(Tier::N, false, Vec::new(), &policy).action, Action::None);
        assert_eq!(decide_action(Tier::C, true, Vec::new(), &policy).action, Action::Watch);
        assert_eq!(decide_action(Tier::D, true, Vec::new(), &policy).action, Action::Ban);
        assert_eq!(decide_action(Tier::X, true, Vec::new(), &policy).action, Action::Disqualify);
    }

    fn rule(inputs: &TierInputs) -> (Tier, &'static str, Vec<String>, String, String) {
        let decision = decide_tier(inputs, &Policy::defaults().unwrap(), "2026Q3".parse().unwrap());
        let rule = decision.because;
        (decision.tier, rule.code(), rule.stored(), rule.render(Lang::Zh), rule.render(Lang::En))
    }

    /// Every rule of the tier table keeps its code and numbers, and renders them in both
    /// languages from those alone.
    #[test]
    fn each_tier_rule_keeps_its_code_and_numbers_in_both_languages() {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut shared = inputs(95.0);
        shared.breach_share_percent = 7.456;
        assert_eq!(
            rule(&shared),
            (
                Tier::D,
                "tier.d.breach_share",
                strings(&["7.46", "5", "2026Q4", "2027Q3"]),
                "违规金额占比 7.46% 超过 5%：禁入 2026Q4–2027Q3".into(),
                "breach share 7.46% > 5%: ban 2026Q4–2027Q3".into()
            )
        );
        shared.ban_in_force = Some(None);
        assert_eq!(rule(&shared).1, "tier.d.breach_share_open");
        assert_eq!(rule(&shared).3, "违规金额占比 7.46% 超过 5%：禁入，无期限");
        let low = inputs(59.99);
        assert_eq!(rule(&low).3, "得分 59.99 低于 60.00：禁入 2026Q4–2027Q3");
        let mut previous = inputs(90.0);
        previous.previous_tier = Some(Tier::C);
        assert_eq!(
            rule(&previous),
            (
                Tier::B,
                "tier.b.previous_tier",
                strings(&["90.00", "85.00", "C"]),
                "得分 90.00 ≥ 85.00，但上季度等级为 C：不能直接升为 A".into(),
                "score 90.00 ≥ 85.00 but previous tier C: no jump to A".into()
            )
        );
        let mut breach = inputs(90.0);
        breach.breach_line_in_quarter = true;
        assert_eq!(rule(&breach).3, "得分 90.00 ≥ 85.00，但 2026Q3 有违规明细：不得评 A");
        let mut small = inputs(90.0);
        small.completed_enrollments = 12;
        assert_eq!(
            rule(&small),
            (
                Tier::N,
                "tier.n.few_completed",
                strings(&["12", "20", "2025Q4", "2026Q3"]),
                "2025Q4–2026Q3 结束的培训班结业人数 12 人，少于 20 人：不评级".into(),
                "12 completed enrollments < 20 in classes ending in 2025Q4–2026Q3".into()
            )
        );
        let mut no_data = inputs(90.0);
        no_data.score = None;
        assert_eq!(rule(&no_data).1, "tier.n.no_data");
        let mut x = inputs(90.0);
        x.disqualified = Some(Disqualification::Decision { decided_on: "2026-08-15".parse().unwrap() });
        assert_eq!(
            rule(&x),
            (
                Tier::X,
                "tier.x.decision",
                strings(&["2026-08-15"]),
                "2026-08-15 调查处理决定认定骗取补贴资金：取消培训资格".into(),
                "disqualified: fraud_confirmed decision of 2026-08-15".into()
            )
        );
        x.disqualified = Some(Disqualification::Sanction { from: "2026Q1".parse().unwrap(), until: None });
        assert_eq!(rule(&x).3, "取消资格处罚（2026Q1 起，无期限）在本季度有效");
        let mut lead = inputs(90.0);
        lead.high_priority_lead = true;
        assert_eq!(rule(&lead), (Tier::C, "tier.c.lead", Vec::new(), "高优先级调查线索：重点监管，最高评 C".into(), "a high-priority investigation lead: watch, tier C at best".into()));
        assert_eq!(rule(&inputs(75.0)).3, "得分 75.00，在 70.00–84.99 之间");
        assert_eq!(rule(&inputs(65.0)).1, "tier.c.score");
        assert_eq!(rule(&inputs(85.0)).4, "score 85.00 ≥ 85.00, no breach line, previous tier allows A");
        let held = Hold::Lead { rank: 3, risk_score: 0.5, threshold: 0.5 };
        assert_eq!(held.render(Lang::Zh), "调查线索 #3，风险分 0.500（0–1）≥ 0.5：暂缓上浮补贴，待核查结论后发放");
    }
}
