//! The risk score (0–1) and who is a lead.
//!
//! **Fixed weights (the default).** Each fired signal *s* has a strength σₛ = 1 / (1 + e^−(z − z_mid)/z_scale)
//! from its robust z-score against its peers (the successor link has strength 1 for a new entity,
//! `existing_strength` otherwise), and a weight wₛ from `signals.toml`: the most risk that signal
//! alone can give. Rule breaches in Q add a strength b = min(1, breach share ÷
//! `breach_share_full`) (0 below `min_breach_lines` breach lines) with weight w_b. The pieces are
//! combined as independent evidence (a noisy-OR):
//!
//! ```text
//! risk_score = 1 − (1 − w_b · b) · Π over fired signals (1 − wₛ · σₛ)
//! ```
//!
//! so each fired signal raises the score, two moderate signals outweigh one, and the score never
//! passes 1. Signals that did not fire contribute nothing.
//!
//! **Learned weights.** Where the standing decisions (by Q's end) hold at least `min_confirmed`
//! institutions whose latest decision is `fraud_confirmed` and `min_cleared` whose latest is
//! `cleared`, a logistic regression (linfa-logistic, L2 penalty `l2_penalty`) of that decision
//! on every institution's signal strengths (fired or not) and breach strength is fitted, its
//! stratified k-fold cross-validated AUC is reported, and risk_score is its predicted probability
//! of `fraud_confirmed`. Otherwise the fixed weights are used and `model` says why.
//!
//! A lead is an institution with at least one fired signal or a breach contribution; leads are
//! ranked by risk_score (rounded to 6 decimals) descending, ties by institution id. A lead is
//! high priority when risk_score ≥ `tiers.toml`'s `cutoffs.high_priority_risk_score`.

use super::{data, percent, signal_order, Context, SignalValue, SIGNALS};
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
    pub fn evidence(&self) -> String {
        let rules: Vec<String> = self.rules.iter().map(|(rule, n)| format!("{rule} ×{n}")).collect();
        format!(
            "rule breaches: {} of {} claim lines in scope ({}); breach share {} of the amount of non-rejected claims",
            self.breach_lines,
            self.lines_in_scope,
            rules.join(", "),
            percent(self.share)
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

/// The fixed-weight combination: `1 − (1 − w_b·b) · Π (1 − wₛ·σₛ)`.
pub fn combine(breach: (f64, f64), fired: &[(f64, f64)]) -> f64 {
    let mut keep = 1.0 - (breach.0 * breach.1).clamp(0.0, 1.0);
    for (weight, strength) in fired {
        keep *= 1.0 - (weight * strength).clamp(0.0, 1.0);
    }
    (1.0 - keep).clamp(0.0, 1.0)
}

/// One institution's risk.
#[derive(Debug, Clone, PartialEq)]
pub struct InstitutionRisk {
    pub institution_id: String,
    pub risk_score: f64,
    pub high_priority: bool,
    /// Fired signals: (name, weight × strength, evidence), strongest first.
    pub fired: Vec<(&'static str, f64, String)>,
    pub breaches: Option<Breaches>,
    /// Whether it is a lead (a fired signal or a breach contribution).
    pub lead: bool,
    /// "cleared on 2026-05-02: …" for a `cleared` decision in Q−3 … Q.
    pub cleared: Option<String>,
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

/// Ranks leads: risk_score descending, then institution id. Returns indices into `risks`.
pub fn rank(risks: &[InstitutionRisk]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..risks.len()).filter(|&i| risks[i].lead).collect();
    order.sort_by(|&a, &b| risks[b].risk_score.total_cmp(&risks[a].risk_score).then(risks[a].institution_id.cmp(&risks[b].institution_id)));
    order
}

/// Scores every institution.
pub fn score(ctx: &Context, values: &[SignalValue], breaches: &BTreeMap<String, Breaches>) -> Result<Scored> {
    let config = ctx.config;
    let cutoff = ctx.policy.tiers.cutoffs.high_priority_risk_score;
    let enabled: Vec<&'static str> = SIGNALS.iter().copied().filter(|s| config.switch(s).0).collect();
    let mut by_institution: BTreeMap<&str, Vec<&SignalValue>> = BTreeMap::new();
    for value in values {
        by_institution.entry(value.institution_id.as_str()).or_default().push(value);
    }

    // Features for the learned model: every enabled signal's strength (0 when not computed),
    // then the breach strength.
    let features = |id: &str| -> Vec<f64> {
        let own = by_institution.get(id);
        let mut row: Vec<f64> = enabled
            .iter()
            .map(|signal| own.and_then(|list| list.iter().find(|v| v.signal == *signal)).map(|v| v.strength).unwrap_or(0.0))
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

    let mut institutions = Vec::new();
    for id in ctx.kinds.keys() {
        let own = by_institution.get(id.as_str()).cloned().unwrap_or_default();
        let mut fired: Vec<(&'static str, f64, String)> = own
            .iter()
            .filter(|v| v.fired)
            .map(|v| (v.signal, config.switch(v.signal).1 * v.strength, v.evidence.clone()))
            .collect();
        fired.sort_by(|a, b| b.1.total_cmp(&a.1).then(signal_order(a.0).cmp(&signal_order(b.0))));
        let breach = breaches.get(id).cloned();
        let b = breach.as_ref().map(|b| b.strength).unwrap_or(0.0);
        let risk = match &learned {
            Some(Ok(model)) => model.probability(&features(id)),
            // Each fired signal's contribution is already its weight × strength.
            _ => combine((config.risk.breach_weight, b), &fired.iter().map(|(_, contribution, _)| (1.0, *contribution)).collect::<Vec<_>>()),
        };
        let risk = round6(risk);
        let lead = !fired.is_empty() || round6(b * config.risk.breach_weight) > 0.0;
        institutions.push(InstitutionRisk {
            institution_id: id.clone(),
            risk_score: risk,
            high_priority: risk >= cutoff,
            fired,
            breaches: breach,
            lead,
            cleared: cleared_note(ctx, id),
        });
    }

    let weights: serde_json::Map<String, serde_json::Value> = enabled
        .iter()
        .map(|s| (s.to_string(), json!(config.switch(s).1)))
        .chain(std::iter::once(("breaches".to_string(), json!(config.risk.breach_weight))))
        .collect();
    let decided_json = json!({ "fraud_confirmed": confirmed, "cleared": cleared });
    let model = match learned {
        Some(Ok(model)) => json!({
            "method": "logistic regression (linfa-logistic) of the standing decision on signal strengths",
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
pub const FORMULA: &str = "risk_score = 1 − (1 − w_breaches·b) · Π over fired signals (1 − w·strength); strength = 1/(1+exp(−(z − z_mid)/z_scale)), b = min(1, breach share ÷ breach_share_full)";

/// Latest `fraud_confirmed` (true) or `cleared` (false) decision by Q's end, per institution.
pub fn decided(ctx: &Context) -> BTreeMap<String, bool> {
    let last = ctx.quarter.last_day();
    let mut labels = BTreeMap::new();
    for id in ctx.kinds.keys() {
        let Some(decisions) = ctx.findings.standing.decisions.get(id) else { continue };
        let latest = decisions
            .iter()
            .filter(|d| d.decided_on <= last && (d.finding == "fraud_confirmed" || d.finding == "cleared"))
            .max_by_key(|d| d.decided_on);
        if let Some(decision) = latest {
            labels.insert(id.clone(), decision.finding == "fraud_confirmed");
        }
    }
    labels
}

/// "cleared on 2026-05-02: note" for the latest `cleared` decision in Q−3 … Q.
fn cleared_note(ctx: &Context, id: &str) -> Option<String> {
    let from = ctx.quarter.offset(-3).first_day();
    let decision = ctx
        .findings
        .standing
        .decisions
        .get(id)?
        .iter()
        .filter(|d| d.finding == "cleared" && d.decided_on >= from && d.decided_on <= ctx.quarter.last_day())
        .max_by_key(|d| d.decided_on)?;
    Some(match &decision.note {
        Some(note) => format!("cleared on {}: {note}", decision.decided_on),
        None => format!("cleared on {}", decision.decided_on),
    })
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
        InstitutionRisk { institution_id: id.into(), risk_score: score, high_priority: false, fired: Vec::new(), breaches: None, lead: true, cleared: None }
    }

    #[test]
    fn the_combination_is_a_noisy_or_of_weighted_strengths() {
        assert_eq!(combine((0.4, 0.0), &[]), 0.0);
        assert!((combine((0.4, 0.0), &[(0.9, 1.0)]) - 0.9).abs() < 1e-12);
        // Two signals at 0.6 and 0.5: 1 − 0.4 × 0.5 = 0.8.
        assert!((combine((0.4, 0.0), &[(0.6, 1.0), (0.5, 1.0)]) - 0.8).abs() < 1e-12);
        // Breaches alone never pass their weight.
        assert!((combine((0.4, 1.0), &[]) - 0.4).abs() < 1e-12);
        assert!(combine((1.0, 1.0), &[(1.0, 1.0), (1.0, 1.0)]) <= 1.0);
    }

    #[test]
    fn a_tie_in_risk_is_ranked_by_institution_id() {
        let mut risks = vec![risk("I3", 0.8), risk("I1", 0.5), risk("I2", 0.8), risk("I4", 0.9)];
        risks[1].lead = false;
        let order: Vec<&str> = rank(&risks).into_iter().map(|i| risks[i].institution_id.as_str()).collect();
        assert_eq!(order, vec!["I4", "I2", "I3"]);
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
        let settings = super::super::config::Learning { enabled: true, min_confirmed: 10, min_cleared: 10, folds: 5, l2_penalty: 0.1, max_iterations: 200 };
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
