//! `pipelines/signals.toml`: every number the risk signals use. A bureau edits it like the other
//! pipeline files; unknown keys are refused and [`SignalsConfig::validate`] lists every problem
//! at once. The high-priority cut-off is not here: it is `tiers.toml`'s
//! `cutoffs.high_priority_risk_score`, because rating acts on it.

use crate::vocab::{IndicatorId, SignalId};
use serde::Deserialize;

/// The settings shipped with this build (`pipelines/signals.toml`).
pub const DEFAULT_TOML: &str = include_str!("../../pipelines/signals.toml");

/// Every signal, in the order leads list them when equally strong (not [`SignalId::ALL`]'s
/// order: the most telling facts first).
pub const SIGNALS: [SignalId; 13] = [
    SignalId::Successor,
    SignalId::SharedContacts,
    SignalId::RecycledTrainees,
    SignalId::SynchronizedSignIns,
    SignalId::ScoreHeaping,
    SignalId::AssessorPassRate,
    SignalId::ShortEmployment,
    SignalId::Benford,
    SignalId::ManualSignIns,
    SignalId::BulkSignIns,
    SignalId::EmployerConcentration,
    SignalId::EmploymentClusters,
    SignalId::Outlier,
];

/// Signals `outlier.features` may hold besides the six indicators: signals whose value is a share.
pub const FEATURE_SIGNALS: [SignalId; 6] = [
    SignalId::SynchronizedSignIns,
    SignalId::ManualSignIns,
    SignalId::ScoreHeaping,
    SignalId::ShortEmployment,
    SignalId::EmployerConcentration,
    SignalId::SharedContacts,
];

/// A feature of the outlier's profile: one of the six indicators, or a signal whose value is a
/// share ([`FEATURE_SIGNALS`]), as `outlier.features` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Indicator(IndicatorId),
    Signal(SignalId),
}

impl Feature {
    /// The name in `signals.toml` and in evidence.
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Indicator(id) => id.as_str(),
            Feature::Signal(id) => id.as_str(),
        }
    }

    /// The feature named `text`, if it is one.
    pub fn parse(text: &str) -> Option<Feature> {
        IndicatorId::parse(text)
            .map(Feature::Indicator)
            .or_else(|| SignalId::parse(text).filter(|s| FEATURE_SIGNALS.contains(s)).map(Feature::Signal))
    }
}

impl<'de> Deserialize<'de> for Feature {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Feature, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Feature::parse(&text).ok_or_else(|| {
            let known: Vec<&str> = IndicatorId::ALL.iter().map(|i| i.as_str()).chain(FEATURE_SIGNALS.iter().map(|s| s.as_str())).collect();
            serde::de::Error::custom(format!("unknown feature '{text}' (expected one of {})", known.join(", ")))
        })
    }
}

/// All signal settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalsConfig {
    /// Quarter offsets from the evaluated quarter Q of the data most signals look at: `[-3, 0]`
    /// means claims submitted, sign-ins dated, exams sat and classes ending in Q−3 … Q.
    pub window: [i32; 2],
    /// Institutions of one `kind` form a peer group when at least this many of them have a value
    /// for a signal; otherwise the institution is compared with all institutions (policy: 15).
    pub min_peers: usize,
    /// Fewest other institutions with a value that a comparison needs; with fewer a signal is
    /// computed and shown but cannot fire (nothing to be unusual against).
    pub min_comparable: usize,
    pub strength: Strength,
    pub risk: Risk,
    pub learning: Learning,
    pub benford: Benford,
    pub synchronized_sign_ins: SynchronizedSignIns,
    pub manual_sign_ins: ManualSignIns,
    pub bulk_sign_ins: BulkSignIns,
    pub score_heaping: ScoreHeaping,
    pub assessor_pass_rate: AssessorPassRate,
    pub short_employment: ShortEmployment,
    pub employer_concentration: EmployerConcentration,
    pub shared_contacts: SharedContacts,
    pub recycled_trainees: RecycledTrainees,
    pub employment_clusters: EmploymentClusters,
    pub successor: Successor,
    pub outlier: Outlier,
}

/// How a robust z-score becomes a signal's strength (0–1):
/// `strength = 1 / (1 + exp(−(z − z_mid) / z_scale))`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strength {
    /// The z-score that gives strength 0.5.
    pub z_mid: f64,
    /// How many z units move the strength from 0.5 to 0.73.
    pub z_scale: f64,
    /// A signal flag's severity is `high` from this strength on…
    pub severity_high: f64,
    /// …`medium` from this one, `low` below.
    pub severity_medium: f64,
}

/// How the institution's rule breaches (from the rules' findings) enter the risk score.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    /// Weight of the breach contribution (0–1): the most risk breaches alone can give.
    pub breach_weight: f64,
    /// Breach share (parts at stake ÷ line amounts of non-rejected claims in Q, 0–1) at which the
    /// breach strength reaches 1; it grows linearly from 0 up to there.
    pub breach_share_full: f64,
    /// Fewest breach lines in Q for breaches to count at all.
    pub min_breach_lines: u32,
    /// Graded evidence: a signal whose value sits z robust units from its peers adds
    /// `weight × max(0, z − z_floor) ÷ z_unit` to the risk evidence, fired or not. Below
    /// `z_floor` a value is peer noise and adds nothing.
    pub z_floor: f64,
    /// z units per unit of evidence (at weight 1).
    pub z_unit: f64,
    /// An institution with no fired signal and no breach contribution is still a lead when its
    /// risk score reaches this (graded evidence below every bar, adding up).
    pub lead_min_risk_score: f64,
}

/// Learning the weights from case decisions.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Learning {
    /// Whether to fit a model when enough institutions are decided (false: always fixed weights).
    pub enabled: bool,
    /// Fewest institutions whose standing decision is `fraud_confirmed`…
    pub min_confirmed: usize,
    /// …and fewest whose standing decision is `cleared`, to fit a logistic model.
    pub min_cleared: usize,
    /// Folds of the cross-validated AUC (stratified, assigned in institution order).
    pub folds: usize,
    /// L2 penalty of the logistic regression (linfa's `alpha`).
    pub l2_penalty: f64,
    /// Iterations of the solver at most.
    pub max_iterations: u64,
    /// Shrinkage toward the fixed weights: with n decided institutions the risk score is
    /// `(1 − λ) × fixed + λ × model`, `λ = n ÷ (n + prior_decisions)`; few decisions move it
    /// little, many move it most of the way.
    pub prior_decisions: f64,
}

/// Benford first-digit test of claim-line amounts (Nigrini's mean absolute deviation).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Benford {
    pub enabled: bool,
    /// Weight in the risk score (0–1): the most risk this signal alone can give.
    pub weight: f64,
    /// Fewest amounts of 1 yuan or more (lines of claims submitted in the window) for a test.
    pub min_count: usize,
    /// Nigrini's first-digit MAD bands: close conformity up to the first, acceptable up to the
    /// second, marginally acceptable up to the third, nonconformity above it.
    pub conformity_bands: [f64; 3],
    /// Robust z-score against peers' MADs needed to fire (besides nonconformity).
    pub z_threshold: f64,
    /// Smallest scale (1.4826 × MAD of peers' values) a z-score divides by.
    pub min_scale: f64,
}

/// Persons trained again at another institution soon after (or before) training here: one
/// person's subsidy claimed twice under different occupations, or trainees passed between
/// institutions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecycledTrainees {
    pub enabled: bool,
    pub weight: f64,
    /// A trainee of a class ending in the window is recycled when the same person has an
    /// enrollment at another institution whose class starts within this many days of this
    /// class's start, before or after.
    pub within_days: i64,
    /// Fewest trainees (distinct persons in the institution's classes ending in the window).
    pub min_rows: usize,
    /// Share of trainees recycled at the one other institution sharing most, needed to fire…
    pub min_share: f64,
    /// …with at least this many shared with it (a pair, not scattered retraining).
    pub min_pair_trainees: usize,
    pub z_threshold: f64,
    pub min_scale: f64,
}

/// Several employers each taking many of one institution's graduates for a month or two: fake
/// jobs spread so that no one employer stands out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmploymentClusters {
    pub enabled: bool,
    pub weight: f64,
    /// An employer belongs to a cluster when it took at least this many of the institution's
    /// trainees employed after training (as for short_employment)…
    pub min_trainees: usize,
    /// …and at least this share of those jobs were short (short_employment's definition).
    pub min_short_share: f64,
    /// Fewest cluster employers needed to fire (one alone is employer_concentration's).
    pub min_employers: usize,
    /// Fewest trainees employed after training for a value.
    pub min_rows: usize,
    /// Share of those trainees at cluster employers needed to fire.
    pub min_share: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
}

/// Many trainees of one class sharing one check-in second.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynchronizedSignIns {
    pub enabled: bool,
    pub weight: f64,
    /// A burst: at least this many trainees of one class with the same check-in second.
    pub min_burst: usize,
    /// Methods left out: hand-written registers carry minutes, online sessions start together.
    pub exclude_methods: Vec<String>,
    /// Fewest machine sign-ins in the window for a value.
    pub min_rows: usize,
    /// Share of machine sign-ins inside bursts needed to fire.
    pub min_share: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
}

/// Share of in-person sign-ins entered by hand.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualSignIns {
    pub enabled: bool,
    pub weight: f64,
    /// Fewest in-person (not `online`) sign-ins in the window for a value.
    pub min_rows: usize,
    /// Manual share needed to fire.
    pub min_share: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
}

/// Sign-ins typed in at one time: many trainees of one class recorded in the same minute,
/// whatever the method (hand-written entries included; the machine sign-ins of a same-second
/// burst are `synchronized_sign_ins`').
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkSignIns {
    pub enabled: bool,
    pub weight: f64,
    /// A bulk minute: at least this many trainees of one class signing in in person in the same
    /// minute.
    pub min_bulk: usize,
    /// Fewest in-person (not `online`) sign-ins in the window for a value.
    pub min_rows: usize,
    /// Share of in-person sign-ins in bulk minutes needed to fire.
    pub min_share: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
}

/// Exam scores piled just above the pass mark, or near-100% passes with little spread.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreHeaping {
    pub enabled: bool,
    pub weight: f64,
    /// Fewest scored exams (sat in the window by the institution's trainees) for a value.
    pub min_rows: usize,
    /// The heap: scores from the pass mark (policy.toml) up to, not including, pass mark + width.
    pub heap_width: f64,
    /// Share of scores in the heap needed to fire.
    pub min_heap_share: f64,
    /// Pass rate from which "nearly everyone passes"…
    pub near_full_pass: f64,
    /// …with a robust spread (1.4826 × MAD of the scores) at most this many points fires too.
    pub max_spread: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
    /// Smallest scale of the spread's z-score, in points.
    pub min_spread_scale: f64,
}

/// An assessor passing this institution's trainees far more often than elsewhere.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessorPassRate {
    pub enabled: bool,
    pub weight: f64,
    /// Fewest exams of the assessor for this institution's trainees in the window.
    pub min_exams_here: usize,
    /// Fewest exams of the assessor for other institutions' trainees in the window…
    pub min_exams_elsewhere: usize,
    /// …spread over at least this many other institutions.
    pub min_institutions_elsewhere: usize,
    /// Pass rate here minus pass rate elsewhere needed to fire (0–1).
    pub min_gap: f64,
    /// Two-proportion z-test of here against elsewhere needed to fire; the test's z is also the
    /// z the strength is computed from (the assessor's other institutions are the peers).
    pub min_test_z: f64,
}

/// Jobs that start right after the class and stop within two months.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortEmployment {
    pub enabled: bool,
    pub weight: f64,
    /// Quarter offsets of the class end dates looked at: later classes have no visible job end yet.
    pub window: [i32; 2],
    /// Employed after training: a contribution month at a new employer within this many
    /// calendar months after the class's end month.
    pub months_after_end: u32,
    /// An employer is new when the person paid no contribution there in this many months
    /// before the class's start month.
    pub prior_months: u32,
    /// Short: the contributions start at most this many months after the end month…
    pub start_within_months: u32,
    /// …and run at most this many consecutive months, with the month after visible in the data.
    pub max_months: u32,
    /// Fewest trainees employed after training for a value.
    pub min_rows: usize,
    /// Share of short jobs among them needed to fire.
    pub min_share: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
}

/// Trainees employed after training going mostly to one employer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployerConcentration {
    pub enabled: bool,
    pub weight: f64,
    /// Fewest trainees employed after training (as for short_employment) for a value.
    pub min_rows: usize,
    /// Share at the top employer needed to fire.
    pub min_share: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
}

/// Rings of trainees linked by shared phones or payout accounts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedContacts {
    pub enabled: bool,
    pub weight: f64,
    /// A phone or account shared by more persons than this links nobody (a switchboard, an
    /// office number): it would merge unrelated trainees into one component.
    pub max_degree: usize,
    /// A ring: a connected component of at least this many persons.
    pub min_ring_size: usize,
    /// Fewest of the institution's trainees in rings needed to fire.
    pub min_members: usize,
    pub z_threshold: f64,
    pub min_scale: f64,
}

/// An institution sharing a legal representative or bank account with a sanctioned one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Successor {
    pub enabled: bool,
    pub weight: f64,
    /// The institution counts as new (strength 1) when licensed no earlier than this many days
    /// before the sanctioned institution's sanction or decision began.
    pub new_within_days: i64,
    /// Strength of a link from an institution licensed before that.
    pub existing_strength: f64,
}

/// Multivariate outlier: robust Mahalanobis distance of the indicator and signal vector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outlier {
    pub enabled: bool,
    pub weight: f64,
    /// The features of the profile: indicator names (`completion_rate`, `pass_rate`,
    /// `employment_rate`, `retention_rate`, `satisfaction`, `compliance`) and share-valued signal
    /// names (`synchronized_sign_ins`, `manual_sign_ins`, `score_heaping`, `short_employment`,
    /// `employer_concentration`, `shared_contacts`).
    pub features: Vec<Feature>,
    /// Whether only deviations above the peers count (fraud inflates outcomes; poor outcomes are
    /// the credit score's business).
    pub upper_only: bool,
    /// An indicator counts only when its denominator (enrollments, exams, surveys…) has at least
    /// this many rows.
    pub min_denominator: u32,
    /// Fewest indicators with data for a vector.
    pub min_indicators: usize,
    /// Standardised values are clipped to ±this before the distance.
    pub clip: f64,
    /// Added to the diagonal of the robust correlation matrix before inverting it.
    pub ridge: f64,
    /// Smallest scale of a feature's standardisation.
    pub feature_min_scale: f64,
    /// Distance (root mean square of the decorrelated standardised values) needed to fire.
    pub min_distance: f64,
    pub z_threshold: f64,
    pub min_scale: f64,
}

impl SignalsConfig {
    /// The shipped defaults.
    pub fn defaults() -> SignalsConfig {
        SignalsConfig::from_toml(DEFAULT_TOML).expect("the shipped signals.toml is valid")
    }

    /// Parses and validates `signals.toml`; every problem is listed.
    pub fn from_toml(text: &str) -> Result<SignalsConfig, Vec<String>> {
        let config: SignalsConfig = toml::from_str(text).map_err(|error| vec![super::toml_problem("signals.toml", text, &error)])?;
        let problems = config.validate();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// `(enabled, weight)` of a signal.
    pub fn switch(&self, signal: SignalId) -> (bool, f64) {
        match signal {
            SignalId::Benford => (self.benford.enabled, self.benford.weight),
            SignalId::SynchronizedSignIns => (self.synchronized_sign_ins.enabled, self.synchronized_sign_ins.weight),
            SignalId::ManualSignIns => (self.manual_sign_ins.enabled, self.manual_sign_ins.weight),
            SignalId::BulkSignIns => (self.bulk_sign_ins.enabled, self.bulk_sign_ins.weight),
            SignalId::ScoreHeaping => (self.score_heaping.enabled, self.score_heaping.weight),
            SignalId::AssessorPassRate => (self.assessor_pass_rate.enabled, self.assessor_pass_rate.weight),
            SignalId::ShortEmployment => (self.short_employment.enabled, self.short_employment.weight),
            SignalId::EmployerConcentration => (self.employer_concentration.enabled, self.employer_concentration.weight),
            SignalId::SharedContacts => (self.shared_contacts.enabled, self.shared_contacts.weight),
            SignalId::RecycledTrainees => (self.recycled_trainees.enabled, self.recycled_trainees.weight),
            SignalId::EmploymentClusters => (self.employment_clusters.enabled, self.employment_clusters.weight),
            SignalId::Successor => (self.successor.enabled, self.successor.weight),
            SignalId::Outlier => (self.outlier.enabled, self.outlier.weight),
        }
    }

    /// Every problem of a parsed configuration, at once.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut check = |ok: bool, message: String| {
            if !ok {
                problems.push(format!("signals.toml: {message}"));
            }
        };
        let window = |name: &str, [from, to]: [i32; 2], check: &mut dyn FnMut(bool, String)| {
            check(from <= to && to <= 0, format!("{name} [{from}, {to}] must run from an earlier to a later quarter offset ≤ 0"));
        };
        window("window", self.window, &mut check);
        window("short_employment.window", self.short_employment.window, &mut check);
        check(self.min_peers >= 1, format!("min_peers {} must be at least 1", self.min_peers));
        check(self.min_comparable >= 1, format!("min_comparable {} must be at least 1", self.min_comparable));
        check(self.strength.z_scale > 0.0, format!("strength.z_scale {} must be above 0", self.strength.z_scale));
        check(self.strength.z_mid.is_finite(), "strength.z_mid must be a number".into());
        check(
            (0.0..=1.0).contains(&self.strength.severity_medium)
                && (0.0..=1.0).contains(&self.strength.severity_high)
                && self.strength.severity_medium <= self.strength.severity_high,
            format!(
                "strength.severity_medium {} and severity_high {} must satisfy 0 ≤ medium ≤ high ≤ 1",
                self.strength.severity_medium, self.strength.severity_high
            ),
        );
        let unit = |name: &str, value: f64, check: &mut dyn FnMut(bool, String)| {
            check((0.0..=1.0).contains(&value), format!("{name} {value} must be 0–1"));
        };
        let positive = |name: &str, value: f64, check: &mut dyn FnMut(bool, String)| {
            check(value > 0.0 && value.is_finite(), format!("{name} {value} must be above 0"));
        };
        unit("risk.breach_weight", self.risk.breach_weight, &mut check);
        positive("risk.breach_share_full", self.risk.breach_share_full, &mut check);
        check(self.learning.min_confirmed >= 2, format!("learning.min_confirmed {} must be at least 2", self.learning.min_confirmed));
        check(self.learning.min_cleared >= 2, format!("learning.min_cleared {} must be at least 2", self.learning.min_cleared));
        check(
            self.learning.folds >= 2 && self.learning.folds <= self.learning.min_confirmed.min(self.learning.min_cleared),
            format!(
                "learning.folds {} must be at least 2 and at most min_confirmed and min_cleared (each fold needs both kinds)",
                self.learning.folds
            ),
        );
        check(self.risk.z_floor.is_finite() && self.risk.z_floor >= 0.0, format!("risk.z_floor {} must be 0 or more", self.risk.z_floor));
        positive("risk.z_unit", self.risk.z_unit, &mut check);
        check(
            self.risk.lead_min_risk_score > 0.0 && self.risk.lead_min_risk_score <= 1.0,
            format!("risk.lead_min_risk_score {} must be above 0 and at most 1", self.risk.lead_min_risk_score),
        );
        check(
            self.learning.prior_decisions >= 0.0 && self.learning.prior_decisions.is_finite(),
            format!("learning.prior_decisions {} must be 0 or more", self.learning.prior_decisions),
        );
        check(self.learning.l2_penalty >= 0.0, format!("learning.l2_penalty {} must be 0 or more", self.learning.l2_penalty));
        check(self.learning.max_iterations >= 1, "learning.max_iterations must be at least 1".into());

        for signal in SIGNALS {
            unit(&format!("{signal}.weight"), self.switch(signal).1, &mut check);
        }
        let z = |name: &str, threshold: f64, scale: f64, check: &mut dyn FnMut(bool, String)| {
            check(threshold.is_finite() && threshold >= 0.0, format!("{name}.z_threshold {threshold} must be 0 or more"));
            check(scale > 0.0 && scale.is_finite(), format!("{name}.min_scale {scale} must be above 0"));
        };
        let b = &self.benford;
        z("benford", b.z_threshold, b.min_scale, &mut check);
        check(b.min_count >= 1, "benford.min_count must be at least 1".into());
        let [close, acceptable, marginal] = b.conformity_bands;
        check(
            0.0 < close && close <= acceptable && acceptable <= marginal && marginal < 1.0,
            format!("benford.conformity_bands [{close}, {acceptable}, {marginal}] must rise within 0–1"),
        );
        let s = &self.synchronized_sign_ins;
        z("synchronized_sign_ins", s.z_threshold, s.min_scale, &mut check);
        check(s.min_burst >= 2, format!("synchronized_sign_ins.min_burst {} must be at least 2", s.min_burst));
        unit("synchronized_sign_ins.min_share", s.min_share, &mut check);
        for method in &s.exclude_methods {
            check(
                crate::ingest::contract::METHODS.contains(&method.as_str()),
                format!("synchronized_sign_ins.exclude_methods has unknown method '{method}'"),
            );
        }
        let r = &self.recycled_trainees;
        z("recycled_trainees", r.z_threshold, r.min_scale, &mut check);
        check(r.within_days >= 0, format!("recycled_trainees.within_days {} must be 0 or more", r.within_days));
        check(r.min_rows >= 1, "recycled_trainees.min_rows must be at least 1".into());
        unit("recycled_trainees.min_share", r.min_share, &mut check);
        check(r.min_pair_trainees >= 2, format!("recycled_trainees.min_pair_trainees {} must be at least 2", r.min_pair_trainees));
        let k = &self.employment_clusters;
        z("employment_clusters", k.z_threshold, k.min_scale, &mut check);
        check(k.min_trainees >= 2, format!("employment_clusters.min_trainees {} must be at least 2", k.min_trainees));
        unit("employment_clusters.min_short_share", k.min_short_share, &mut check);
        check(k.min_employers >= 2, format!("employment_clusters.min_employers {} must be at least 2", k.min_employers));
        check(k.min_rows >= 1, "employment_clusters.min_rows must be at least 1".into());
        unit("employment_clusters.min_share", k.min_share, &mut check);
        let m = &self.manual_sign_ins;
        z("manual_sign_ins", m.z_threshold, m.min_scale, &mut check);
        unit("manual_sign_ins.min_share", m.min_share, &mut check);
        let b = &self.bulk_sign_ins;
        z("bulk_sign_ins", b.z_threshold, b.min_scale, &mut check);
        check(b.min_bulk >= 2, format!("bulk_sign_ins.min_bulk {} must be at least 2", b.min_bulk));
        check(b.min_rows >= 1, "bulk_sign_ins.min_rows must be at least 1".into());
        unit("bulk_sign_ins.min_share", b.min_share, &mut check);
        let h = &self.score_heaping;
        z("score_heaping", h.z_threshold, h.min_scale, &mut check);
        positive("score_heaping.heap_width", h.heap_width, &mut check);
        unit("score_heaping.min_heap_share", h.min_heap_share, &mut check);
        unit("score_heaping.near_full_pass", h.near_full_pass, &mut check);
        check(h.max_spread >= 0.0, format!("score_heaping.max_spread {} must be 0 or more", h.max_spread));
        positive("score_heaping.min_spread_scale", h.min_spread_scale, &mut check);
        let a = &self.assessor_pass_rate;
        unit("assessor_pass_rate.min_gap", a.min_gap, &mut check);
        check(a.min_test_z >= 0.0, format!("assessor_pass_rate.min_test_z {} must be 0 or more", a.min_test_z));
        check(a.min_exams_here >= 1 && a.min_exams_elsewhere >= 1, "assessor_pass_rate.min_exams_* must be at least 1".into());
        let e = &self.short_employment;
        z("short_employment", e.z_threshold, e.min_scale, &mut check);
        unit("short_employment.min_share", e.min_share, &mut check);
        check(e.months_after_end >= 1, "short_employment.months_after_end must be at least 1".into());
        check(e.max_months >= 1, "short_employment.max_months must be at least 1".into());
        check(e.start_within_months <= e.months_after_end, "short_employment.start_within_months must not exceed months_after_end".into());
        let c = &self.employer_concentration;
        z("employer_concentration", c.z_threshold, c.min_scale, &mut check);
        unit("employer_concentration.min_share", c.min_share, &mut check);
        let r = &self.shared_contacts;
        z("shared_contacts", r.z_threshold, r.min_scale, &mut check);
        check(r.min_ring_size >= 2, format!("shared_contacts.min_ring_size {} must be at least 2", r.min_ring_size));
        check(
            r.max_degree >= 2,
            format!("shared_contacts.max_degree {} must be at least 2 (a contact links its persons only up to it)", r.max_degree),
        );
        check(r.min_members >= 1, "shared_contacts.min_members must be at least 1".into());
        let u = &self.successor;
        unit("successor.existing_strength", u.existing_strength, &mut check);
        check(u.new_within_days >= 0, "successor.new_within_days must be 0 or more".into());
        let o = &self.outlier;
        z("outlier", o.z_threshold, o.min_scale, &mut check);
        positive("outlier.clip", o.clip, &mut check);
        check(o.ridge >= 0.0, format!("outlier.ridge {} must be 0 or more", o.ridge));
        positive("outlier.feature_min_scale", o.feature_min_scale, &mut check);
        check(o.min_distance >= 0.0, format!("outlier.min_distance {} must be 0 or more", o.min_distance));
        check(o.min_indicators <= 6, format!("outlier.min_indicators {} must be 0–6", o.min_indicators));
        check(!o.features.is_empty(), "outlier.features must name at least one feature".into());
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_is_valid() {
        let config = SignalsConfig::defaults();
        assert_eq!(config.min_peers, 15);
        assert_eq!(config.benford.conformity_bands, [0.006, 0.012, 0.015]);
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let text = DEFAULT_TOML.replace("min_peers = 15", "min_peers = 15\nmin_peer = 3");
        let problems = SignalsConfig::from_toml(&text).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("signals.toml: unknown field `min_peer`"), "{problems:?}");
        assert!(problems[0].contains("(line "), "{problems:?}");
    }

    #[test]
    fn an_unknown_outlier_feature_is_refused_with_what_is_expected() {
        let text = DEFAULT_TOML.replacen("\"completion_rate\"", "\"completion\"", 1);
        assert_ne!(text, DEFAULT_TOML, "the shipped outlier features name completion_rate");
        let problems = SignalsConfig::from_toml(&text).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].starts_with(
                "signals.toml: unknown feature 'completion' (expected one of completion_rate, pass_rate, employment_rate, retention_rate, satisfaction, compliance, synchronized_sign_ins, manual_sign_ins, score_heaping, short_employment, employer_concentration, shared_contacts) (line "
            ),
            "{problems:?}"
        );
        // A signal that is no share is no feature.
        let text = DEFAULT_TOML.replacen("\"completion_rate\"", "\"benford\"", 1);
        assert!(SignalsConfig::from_toml(&text).unwrap_err()[0].contains("unknown feature 'benford'"));
        assert_eq!(Feature::parse("pass_rate"), Some(Feature::Indicator(IndicatorId::PassRate)));
        assert_eq!(Feature::parse("manual_sign_ins"), Some(Feature::Signal(SignalId::ManualSignIns)));
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let mut config = SignalsConfig::defaults();
        config.benford.weight = 1.5;
        config.shared_contacts.max_degree = 1;
        config.window = [0, -3];
        config.benford.conformity_bands = [0.012, 0.006, 0.015];
        let problems = config.validate();
        assert_eq!(problems.len(), 4, "{problems:#?}");
        assert!(problems.iter().any(|p| p.contains("benford.weight 1.5 must be 0–1")));
        assert!(problems.iter().any(|p| p.contains("shared_contacts.max_degree 1")));
        assert!(problems.iter().any(|p| p.contains("window [0, -3]")));
        assert!(problems.iter().any(|p| p.contains("benford.conformity_bands")));
    }
}
