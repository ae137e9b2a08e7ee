//! The risk score (0–1) and who is a lead.
//!
//! **Graded evidence (the default).** Every signal of an institution adds evidence by how far its
//! value sits from its peers, whether or not it cleared its bar (the bar only decides what is
//! shown to a person as a fired signal): a value z robust units above its peers adds
//! `cₛ = wₛ · max(0, z − z_floor) ÷ z_unit` (`risk.z_floor`, `risk.z_unit`; wₛ the signal's
//! weight in `signals.toml`). Values with too few peers add nothing. A fired fact without peers
//! (successor) adds `−ln(1 − wₛ · strength)`, and rule breaches in Q add `−ln(1 − w_b · b)` with
//! b = min(1, breach share ÷ `breach_share_full`) (0 below `min_breach_lines` breach lines):
//!
//! ```text
//! risk_evidence = Σ cₛ + c_successor + c_breaches
//! risk_score    = 1 − exp(−risk_evidence)
//! ```
//!
//! Pieces of evidence add up, so two moderate anomalies outrank one weak one, and nothing
//! saturates: a z of 50 adds more than a z of 9. (A fact or breaches alone give exactly the
//! noisy-OR of their weights: successor at full strength gives 0.95.)
//!
//! **Learned weights, shrunk toward the fixed ones.** Where the standing decisions (by Q's end)
//! hold at least `min_confirmed` institutions whose latest decision is `fraud_confirmed` and
//! `min_cleared` whose latest is `cleared`, a logistic regression (linfa-logistic, L2 penalty
//! `l2_penalty`) of that decision on every institution's graded evidence per signal (weight 1)
//! and breach strength is fitted, and its stratified k-fold cross-validated AUC reported. The
//! risk score becomes `(1 − λ) · fixed + λ · model` with `λ = n ÷ (n + prior_decisions)`, n the
//! decided institutions: a handful of decisions nudges the ranking, many decide it. Otherwise
//! the fixed weights are used and `model` says why.
//!
//! A lead is an institution with a fired signal, a breach contribution, or a risk score of at
//! least `risk.lead_min_risk_score`. Leads are ranked by risk_score (rounded to 6 decimals)
//! descending, then by risk_evidence (which keeps growing where the score rounds to 1), then by
//! institution id. A lead is high priority when risk_score ≥ `tiers.toml`'s
//! `cutoffs.high_priority_risk_score`. Each lead lists every signal's contribution.

use super::{data, percent, signal_order, Context, SignalValue, SIGNALS};
use crate::vocab::messages::nested::{self, Sentence};
use crate::vocab::messages::signals as m;
use crate::vocab::SignalId;
use crate::columns as c;
use crate::error::Result;
use crate::rules;
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};
use serde_json::json;
use std::collections::BTreeMap;

/// An institution's rule breaches in Q.
#[derive(Debug, Clone, PartialEq)]
pub struct Breaches {
    pub lines_in_scope: i64,
    pub breach_lines: i64,
    /// Parts at stake ÷ line amounts over non-rejected claims in scope (0–1).
    pub share: f64,
    /// Breach lines per rule id.
    pub rules: BTreeMap<String, i64>,
    /// b in the formula (0–1).
    pub strength: f64,
}

impl Breaches {
    pub fn evidence(&self) -> Sentence {
        let rules: Vec<Sentence> = self.rules.iter().map(|(rule, n)| Sentence::new(&m::LEAD_RULE_COUNT, &[("rule", rule), ("n", &n.to_string())])).collect();
        Sentence::new(
            &m::LEAD_BREACHES,
            &[
                ("breach_lines", &self.breach_lines.to_string()),
                ("lines", &self.lines_in_scope.to_string()),
                ("rules", &nested::join(&rules, &nested::LIST)),
                ("share", &percent(self.share)),
            ],
        )
    }
}

/// Breaches per institution from the rules' lines in scope.
pub fn breaches(ctx: &Context) -> Result<BTreeMap<String, Breaches>> {
    let lines = &ctx.findings.lines_in_scope;
    let institutions = data::text(lines, c::INSTITUTION_ID)?;
    let statuses = data::text(lines, c::CLAIM_STATUS)?;
    let amounts = data::int(lines, c::LINE_AMOUNT_FEN)?;
    let parts = data::int(lines, rules::PART_FEN)?;
    let rule_lists = data::text(lines, rules::RULES)?;
    let breach = data::boolean(lines, rules::BREACH)?;
    /// Lines in scope, breach lines, parts and amounts of non-rejected claims, lines per rule.
    type Totals = (i64, i64, i64, i64, BTreeMap<String, i64>);
    let mut totals: BTreeMap<String, Totals> = BTreeMap::new();
    for i in 0..lines.height() {
        let Some(institution) = institutions[i] else { continue };
        let entry = totals.entry(institution.to_string()).or_default();
        entry.0 += 1;
        if breach[i] == Some(true) {
            entry.1 += 1;
            for rule in rule_lists[i].unwrap_or("").split(',').filter(|r| !r.is_empty()) {
                *entry.4.entry(rule.to_string()).or_default() += 1;
            }
        }
        if statuses[i] != Some("rejected") {
            entry.2 += parts[i].unwrap_or(0);
            entry.3 += amounts[i].unwrap_or(0);
        }
    }
    let risk = ctx.config.risk;
    Ok(totals
        .into_iter()
        .map(|(id, (lines_in_scope, breach_lines, parts, amounts, rules))| {
            let share = if amounts > 0 { parts as f64 / amounts as f64 } else { 0.0 };
            let strength = breach_strength(breach_lines, share, risk.min_breach_lines, risk.breach_share_full);
            (id, Breaches { lines_in_scope, breach_lines, share, rules, strength })
        })
        .collect())
}

/// b = min(1, share ÷ full), 0 below `min_lines` breach lines.
pub fn breach_strength(breach_lines: i64, share: f64, min_lines: u32, full: f64) -> f64 {
    if breach_lines < min_lines.max(1) as i64 {
        0.0
    } else {
        (share / full).clamp(0.0, 1.0)
    }
}

/// A signal value's graded evidence at weight `weight`: `weight · max(0, z − z_floor) ÷ z_unit`
/// for a value with enough peers, `−ln(1 − weight · strength)` for a fired fact, else 0.
pub fn contribution(value: &SignalValue, weight: f64, risk: super::config::Risk) -> f64 {
    if value.comparable {
        if value.z.is_finite() {
            weight * (value.z - risk.z_floor).max(0.0) / risk.z_unit
        } else {
            0.0
        }
    } else if value.fired {
        hazard(weight * value.strength)
    } else {
        0.0
    }
}

/// `−ln(1 − p)`: the evidence of a piece that alone gives risk `p` (capped below 1, so that a
/// weight of 1 stays finite).
pub fn hazard(p: f64) -> f64 {
    -(1.0 - p.clamp(0.0, 0.999_999)).ln()
}

/// `1 − exp(−evidence)`: the risk score of an amount of evidence.
pub fn risk_of(evidence: f64) -> f64 {
    (1.0 - (-evidence.max(0.0)).exp()).clamp(0.0, 1.0)
}

/// One signal's part in an institution's risk.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub signal: SignalId,
    /// Evidence added (risk_evidence units).
    pub evidence: f64,
    pub z: f64,
    /// Whether z was graded (enough peers); false for facts and values without peers.
    pub comparable: bool,
    pub fired: bool,
    /// The signal's evidence (values, peers, rows).
    pub facts: Sentence,
}

/// One institution's risk.
#[derive(Debug, Clone, PartialEq)]
pub struct InstitutionRisk {
    pub institution_id: String,
    pub risk_score: f64,
    pub high_priority: bool,
    /// The total evidence behind risk_score (fixed weights), for ranking where the score
    /// rounds to 1.
    pub risk_evidence: f64,
    /// Every computed signal's contribution, largest first (fired or not, zero included).
    pub contributions: Vec<Contribution>,
    /// Fired signals: (name, contribution, evidence), largest first.
    pub fired: Vec<(SignalId, f64, Sentence)>,
    /// (key, signal) of what ties it to other institutions in its fired signals' evidence
    /// (see [`SignalValue::related`]), sorted.
    pub related: Vec<(String, SignalId)>,
    pub breaches: Option<Breaches>,
    /// Whether it is a lead (a fired signal or a breach contribution).
    pub lead: bool,
    /// The day and the note of the latest `cleared` decision in Q−3 … Q.
    pub cleared: Option<Cleared>,
}

/// A `cleared` decision on a lead: its day and the investigator's note (free text, as written).
#[derive(Debug, Clone, PartialEq)]
pub struct Cleared {
    pub on: chrono::NaiveDate,
    pub note: Option<String>,
}

impl Cleared {
    /// "note: cleared on 2026-05-02: …", for the lead's evidence.
    pub fn evidence(&self) -> Sentence {
        let on = self.on.to_string();
        match &self.note {
            Some(note) => Sentence::new(&m::LEAD_CLEARED_NOTE, &[("date", &on), ("note", note)]),
            None => Sentence::new(&m::LEAD_CLEARED, &[("date", &on)]),
        }
    }
}

/// Every institution's risk, and the model used.
#[derive(Debug, Clone)]
pub struct Scored {
    /// In institution id order.
    pub institutions: Vec<InstitutionRisk>,
    pub model: serde_json::Value,
}

/// Rounds to 6 decimals: the precision risk scores are written, ranked and compared at.
pub fn round6(value: f64) -> f64 {
    // `+ 0.0` turns −0.0 into 0.0, so that a tiny negative weight does not print as "-0.0".
    (value * 1e6).round() / 1e6 + 0.0
}

/// Ranks leads: risk_score descending, then risk_evidence descending, then institution id.
/// Returns indices into `risks`.
pub fn rank(risks: &[InstitutionRisk]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..risks.len()).filter(|&i| risks[i].lead).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&risks[a], &risks[b]);
        b.risk_score.total_cmp(&a.risk_score).then(b.risk_evidence.total_cmp(&a.risk_evidence)).then(a.institution_id.cmp(&b.institution_id))
    });
    order
}

/// Scores every institution.
pub fn score(ctx: &Context, values: &[SignalValue], breaches: &BTreeMap<String, Breaches>) -> Result<Scored> {
    let config = ctx.config;
    let cutoff = ctx.policy.tiers.cutoffs.high_priority_risk_score;
    let enabled: Vec<SignalId> = SIGNALS.iter().copied().filter(|s| config.switch(*s).0).collect();
    let mut by_institution: BTreeMap<&str, Vec<&SignalValue>> = BTreeMap::new();
    for value in values {
        by_institution.entry(value.institution_id.as_str()).or_default().push(value);
    }

    // Every signal's graded evidence at weight 1: the learned model's features, and (× weight)
    // the fixed combination's pieces.
    let graded = |value: &SignalValue| contribution(value, 1.0, config.risk);
    let features = |id: &str| -> Vec<f64> {
        let own = by_institution.get(id);
        let mut row: Vec<f64> = enabled
            .iter()
            .map(|signal| own.and_then(|list| list.iter().find(|v| v.signal == *signal)).map(|v| graded(v)).unwrap_or(0.0))
            .collect();
        row.push(breaches.get(id).map(|b| b.strength).unwrap_or(0.0));
        row
    };
    let labels = decided(ctx);
    let confirmed = labels.values().filter(|l| **l).count();
    let cleared = labels.len() - confirmed;
    let mut feature_names: Vec<String> = enabled.iter().map(|s| s.to_string()).collect();
    feature_names.push("breaches".into());

    let learned = if config.learning.enabled && confirmed >= config.learning.min_confirmed && cleared >= config.learning.min_cleared {
        let rows: Vec<(Vec<f64>, bool)> = labels.iter().map(|(id, label)| (features(id), *label)).collect();
        Some(learn(&rows, &feature_names, config.learning))
    } else {
        None
    };
    let shrink = labels.len() as f64 / (labels.len() as f64 + config.learning.prior_decisions);

    let mut institutions = Vec::new();
    for id in ctx.kinds.keys() {
        let own = by_institution.get(id.as_str()).cloned().unwrap_or_default();
        let mut contributions: Vec<Contribution> = own
            .iter()
            .map(|v| Contribution {
                signal: v.signal,
                evidence: contribution(v, config.switch(v.signal).1, config.risk),
                z: v.z,
                comparable: v.comparable,
                fired: v.fired,
                facts: v.evidence.clone(),
            })
            .collect();
        contributions.sort_by(|a, b| b.evidence.total_cmp(&a.evidence).then(signal_order(a.signal).cmp(&signal_order(b.signal))));
        let fired: Vec<(SignalId, f64, Sentence)> =
            contributions.iter().filter(|c| c.fired).map(|c| (c.signal, c.evidence, c.facts.clone())).collect();
        let mut related: Vec<(String, SignalId)> =
            own.iter().filter(|v| v.fired).flat_map(|v| v.related.iter().map(|key| (key.clone(), v.signal))).collect();
        // By key, then signal name (as the ids read).
        related.sort_by(|a, b| (&a.0, a.1.as_str()).cmp(&(&b.0, b.1.as_str())));
        related.dedup();
        let breach = breaches.get(id).cloned();
        let b = breach.as_ref().map(|b| b.strength).unwrap_or(0.0);
        let risk_evidence = contributions.iter().map(|c| c.evidence).sum::<f64>() + hazard(config.risk.breach_weight * b);
        let fixed = risk_of(risk_evidence);
        let risk = match &learned {
            Some(Ok(model)) => (1.0 - shrink) * fixed + shrink * model.probability(&features(id)),
            _ => fixed,
        };
        let risk = round6(risk);
        let lead = !fired.is_empty() || round6(b * config.risk.breach_weight) > 0.0 || risk >= config.risk.lead_min_risk_score;
        institutions.push(InstitutionRisk {
            institution_id: id.clone(),
            risk_score: risk,
            high_priority: risk >= cutoff,
            risk_evidence: round6(risk_evidence),
            contributions,
            fired,
            related,
            breaches: breach,
            lead,
            cleared: cleared_note(ctx, id),
        });
    }

    let weights: serde_json::Map<String, serde_json::Value> = enabled
        .iter()
        .map(|s| (s.to_string(), json!(config.switch(*s).1)))
        .chain(std::iter::once(("breaches".to_string(), json!(config.risk.breach_weight))))
        .collect();
    let decided_json = json!({ "fraud_confirmed": confirmed, "cleared": cleared });
    let model = match learned {
        Some(Ok(model)) => json!({
            "method": "logistic regression (linfa-logistic) of the standing decision on graded evidence, shrunk toward the fixed weights",
            "shrinkage": round6(shrink),
            "prior_decisions": config.learning.prior_decisions,
            "decided_institutions": decided_json,
            "cv_auc": round6(model.cv_auc),
            "folds": config.learning.folds,
            "l2_penalty": config.learning.l2_penalty,
            "intercept": round6(model.intercept),
            "weights": model.weights.iter().zip(&feature_names).map(|(w, n)| (n.clone(), json!(round6(*w)))).collect::<serde_json::Map<_, _>>(),
        }),
        Some(Err(problem)) => json!({
            "method": "fixed weights",
            "reason": format!("fitting the logistic model failed ({problem}); fixed weights used"),
            "decided_institutions": decided_json,
            "formula": FORMULA,
            "weights": weights,
        }),
        None => json!({
            "method": "fixed weights",
            "reason": if config.learning.enabled {
                format!(
                    "case decisions hold {confirmed} institution(s) with fraud_confirmed and {cleared} with cleared; at least {} and {} are needed to fit a model",
                    config.learning.min_confirmed, config.learning.min_cleared
                )
            } else {
                "learning is switched off in signals.toml".to_string()
            },
            "decided_institutions": decided_json,
            "formula": FORMULA,
            "weights": weights,
        }),
    };
    Ok(Scored { institutions, model })
}

/// The fixed-weight formula, as reported in the model notes.
pub const FORMULA: &str = "risk_score = 1 − exp(−risk_evidence); risk_evidence = Σ over signals with enough peers of w·max(0, z − z_floor)/z_unit + Σ over fired facts of −ln(1 − w·strength) − ln(1 − w_breaches·b), b = min(1, breach share ÷ breach_share_full)";

/// Latest `fraud_confirmed` (true) or `cleared` (false) decision by Q's end, per institution;
/// for an institution without one, the resolution of its closed cases in the previous ledger
/// (confirmed: true; cleared or false positive: false). A decision is the bureau's and wins.
pub fn decided(ctx: &Context) -> BTreeMap<String, bool> {
    let last = ctx.quarter.last_day();
    let mut labels = BTreeMap::new();
    for id in ctx.kinds.keys() {
        let latest = ctx.findings.standing.decisions.get(id).and_then(|decisions| {
            decisions
                .iter()
                .filter(|d| d.decided_on <= last && (d.finding == "fraud_confirmed" || d.finding == "cleared"))
                .max_by_key(|d| d.decided_on)
        });
        match latest {
            Some(decision) => {
                labels.insert(id.clone(), decision.finding == "fraud_confirmed");
            }
            None => {
                if let Some(label) = ctx.case_labels.get(id) {
                    labels.insert(id.clone(), *label);
                }
            }
        }
    }
    labels
}

/// The latest `cleared` decision in Q−3 … Q.
fn cleared_note(ctx: &Context, id: &str) -> Option<Cleared> {
    let from = ctx.quarter.offset(-3).first_day();
    let decision = ctx
        .findings
        .standing
        .decisions
        .get(id)?
        .iter()
        .filter(|d| d.finding == "cleared" && d.decided_on >= from && d.decided_on <= ctx.quarter.last_day())
        .max_by_key(|d| d.decided_on)?;
    Some(Cleared { on: decision.decided_on, note: decision.note.clone() })
}

/// A fitted decision model.
#[derive(Debug, Clone, PartialEq)]
pub struct Learned {
    pub weights: Vec<f64>,
    pub intercept: f64,
    pub cv_auc: f64,
}

impl Learned {
    pub fn probability(&self, features: &[f64]) -> f64 {
        let linear: f64 = self.intercept + self.weights.iter().zip(features).map(|(w, x)| w * x).sum::<f64>();
        super::robust::logistic(linear)
    }
}

/// Fits the logistic model on `(features, fraud_confirmed)` rows (in institution order) and
/// cross-validates it.
pub fn learn(rows: &[(Vec<f64>, bool)], names: &[String], settings: super::config::Learning) -> std::result::Result<Learned, String> {
    let fit = |subset: &[&(Vec<f64>, bool)]| -> std::result::Result<Learned, String> {
        let width = names.len();
        let mut records = Array2::<f64>::zeros((subset.len(), width));
        for (i, (features, _)) in subset.iter().enumerate() {
            for (j, value) in features.iter().enumerate() {
                records[[i, j]] = *value;
            }
        }
        let targets: Array1<bool> = subset.iter().map(|(_, label)| *label).collect();
        let dataset = Dataset::new(records, targets);
        let model = LogisticRegression::default()
            .alpha(settings.l2_penalty)
            .max_iterations(settings.max_iterations)
            .fit(&dataset)
            .map_err(|e| e.to_string())?;
        // linfa's probabilities are of its positive class, which may be either label.
        let sign = if model.labels().pos.class { 1.0 } else { -1.0 };
        Ok(Learned { weights: model.params().iter().map(|w| sign * w).collect(), intercept: sign * model.intercept(), cv_auc: f64::NAN })
    };
    // Stratified folds: each label's rows in institution order, dealt round-robin.
    let folds = settings.folds.max(2);
    let mut fold_of = vec![0; rows.len()];
    for label in [true, false] {
        for (n, index) in (0..rows.len()).filter(|&i| rows[i].1 == label).enumerate() {
            fold_of[index] = n % folds;
        }
    }
    let mut scored: Vec<(f64, bool)> = Vec::new();
    for fold in 0..folds {
        let train: Vec<&(Vec<f64>, bool)> = (0..rows.len()).filter(|&i| fold_of[i] != fold).map(|i| &rows[i]).collect();
        let model = fit(&train)?;
        scored.extend((0..rows.len()).filter(|&i| fold_of[i] == fold).map(|i| (model.probability(&rows[i].0), rows[i].1)));
    }
    let all: Vec<&(Vec<f64>, bool)> = rows.iter().collect();
    let mut model = fit(&all)?;
    model.cv_auc = auc(&scored);
    Ok(model)
}

/// Area under the ROC curve of `(score, positive)` pairs (Mann–Whitney, ties count one half).
pub fn auc(scored: &[(f64, bool)]) -> f64 {
    let positives: Vec<f64> = scored.iter().filter(|(_, p)| *p).map(|(s, _)| *s).collect();
    let negatives: Vec<f64> = scored.iter().filter(|(_, p)| !*p).map(|(s, _)| *s).collect();
    if positives.is_empty() || negatives.is_empty() {
        return f64::NAN;
    }
    let mut wins = 0.0;
    for p in &positives {
        for n in &negatives {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (positives.len() * negatives.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk(id: &str, score: f64) -> InstitutionRisk {
        InstitutionRisk {
            institution_id: id.into(),
            risk_score: score,
            high_priority: false,
            risk_evidence: 0.0,
            contributions: Vec::new(),
            fired: Vec::new(),
            related: Vec::new(),
            breaches: None,
            lead: true,
            cleared: None,
        }
    }

    fn settings() -> super::super::config::Risk {
        super::super::config::SignalsConfig::defaults().risk
    }

    fn value(z: f64, comparable: bool, fired: bool, strength: f64) -> SignalValue {
        SignalValue {
            institution_id: "I1".into(),
            signal: SignalId::ManualSignIns,
            value: 0.0,
            peer_value: 0.0,
            threshold: 0.0,
            fired,
            rows: 100,
            z,
            comparable,
            strength,
            peers: Sentence::new(&m::NO_PEERS, &[]),
            evidence: Sentence::new(&m::NO_PEERS, &[]),
            summary: Sentence::new(&m::NO_PEERS, &[]),
            entities: Vec::new(),
            related: Vec::new(),
        }
    }

    #[test]
    fn evidence_grows_with_z_from_the_floor_fired_or_not() {
        let risk = settings();
        assert_eq!((risk.z_floor, risk.z_unit), (2.0, 2.0));
        // At or below the floor: peer noise, nothing.
        assert_eq!(contribution(&value(2.0, true, false, 0.0), 0.85, risk), 0.0);
        assert_eq!(contribution(&value(-4.0, true, false, 0.0), 0.85, risk), 0.0);
        // Below the bar (not fired) still counts: z 4.5 at weight 0.6 → 0.6 × 2.5 ÷ 2 = 0.75.
        assert!((contribution(&value(4.5, true, false, 0.0), 0.6, risk) - 0.75).abs() < 1e-12);
        // z 50 outranks z 9: nothing saturates.
        let far = contribution(&value(50.0, true, true, 1.0), 0.85, risk);
        let near = contribution(&value(9.0, true, true, 1.0), 0.85, risk);
        assert!((far - 20.4).abs() < 1e-9 && (near - 2.975).abs() < 1e-9, "{far} {near}");
        assert_eq!((round6(risk_of(near)), round6(risk_of(far))), (0.948953, 1.0));
        // Too few peers: nothing, fired or not (it cannot fire then anyway).
        assert_eq!(contribution(&value(9.0, false, false, 1.0), 0.85, risk), 0.0);
        // A fired fact counts by its strength, as a noisy-OR piece: successor 0.95 alone → 0.95.
        assert!((risk_of(contribution(&value(0.0, false, true, 1.0), 0.95, risk)) - 0.95).abs() < 1e-12);
        assert!(contribution(&value(0.0, false, true, 1.0), 1.0, risk).is_finite());
        // A non-finite z adds nothing rather than everything.
        assert_eq!(contribution(&value(f64::NAN, true, true, 1.0), 0.85, risk), 0.0);
    }

    #[test]
    fn two_moderate_anomalies_outrank_one_weak_one_and_breaches_alone_keep_their_weight() {
        let risk = settings();
        let moderate = contribution(&value(4.0, true, false, 0.0), 0.6, risk);
        let two = risk_of(2.0 * moderate);
        let one = risk_of(contribution(&value(5.0, true, false, 0.0), 0.6, risk));
        assert_eq!((round6(two), round6(one)), (0.698806, 0.59343));
        // Breaches alone at full strength give exactly their weight.
        assert!((risk_of(hazard(0.4 * 1.0)) - 0.4).abs() < 1e-12);
        assert_eq!(risk_of(0.0), 0.0);
    }

    #[test]
    fn a_tie_in_risk_is_ranked_by_evidence_then_institution_id() {
        let mut risks = vec![risk("I3", 0.8), risk("I1", 0.5), risk("I2", 0.8), risk("I4", 0.9), risk("I5", 1.0), risk("I6", 1.0)];
        risks[1].lead = false;
        // Both round to risk 1: the one with more evidence ranks first.
        risks[4].risk_evidence = 20.0;
        risks[5].risk_evidence = 40.0;
        let order: Vec<&str> = rank(&risks).into_iter().map(|i| risks[i].institution_id.as_str()).collect();
        assert_eq!(order, vec!["I6", "I5", "I4", "I2", "I3"]);
    }

    #[test]
    fn breach_strength_grows_to_one_at_the_full_share() {
        assert_eq!(breach_strength(0, 0.5, 1, 0.1), 0.0);
        assert!((breach_strength(3, 0.05, 1, 0.1) - 0.5).abs() < 1e-12);
        assert_eq!(breach_strength(3, 0.5, 1, 0.1), 1.0);
    }

    #[test]
    fn auc_counts_ties_as_half() {
        assert_eq!(auc(&[(0.9, true), (0.1, false)]), 1.0);
        assert_eq!(auc(&[(0.5, true), (0.5, false)]), 0.5);
        assert_eq!(auc(&[(0.1, true), (0.9, false)]), 0.0);
    }

    #[test]
    fn a_model_learns_that_a_signal_predicts_fraud() {
        let settings = super::super::config::Learning { enabled: true, min_confirmed: 10, min_cleared: 10, folds: 5, l2_penalty: 0.1, max_iterations: 200, prior_decisions: 30.0 };
        let mut rows = Vec::new();
        for i in 0..12 {
            rows.push((vec![0.8 + 0.01 * i as f64, 0.1], true));
            rows.push((vec![0.05 + 0.01 * i as f64, 0.1], false));
        }
        // One confirmed case the signal missed and one cleared case it flagged.
        rows.push((vec![0.1, 0.1], true));
        rows.push((vec![0.9, 0.1], false));
        let model = learn(&rows, &["benford".into(), "breaches".into()], settings).unwrap();
        assert!(model.weights[0] > 0.0, "{model:?}");
        assert!(model.cv_auc > 0.8 && model.cv_auc <= 1.0, "{model:?}");
        assert!(model.probability(&[0.9, 0.1]) > model.probability(&[0.05, 0.1]));
        // Deterministic.
        assert_eq!(model, learn(&rows, &["benford".into(), "breaches".into()], settings).unwrap());
    }
}
