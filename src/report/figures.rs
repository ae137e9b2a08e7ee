//! The report's figures (layer 1, above the reader `data.rs`): numbers and short texts derived
//! from a run's tables, computed once here and shown by the sections, the scorecards, the charts
//! and `explain` alike (a figure shown in two places is the same figure). Nothing here writes
//! markup.

use crate::report::data::{median, tier_index, tier_rank, Institution, RunData, Settings};
use crate::report::text::{self, Lang};
use crate::vocab::{Action, Message, Tier};
use std::collections::{BTreeMap, BTreeSet};

/// The figure checks shown in the report: a `summary.json` figure against the same figure
/// computed from the tables.
#[derive(Debug, Clone)]
pub(crate) struct Check {
    pub(crate) key: &'static str,
    pub(crate) label: String,
    pub(crate) summary: Option<String>,
    pub(crate) tables: String,
    pub(crate) ok: bool,
}

/// Money at stake per claim line from the breach flags: each line's largest part (a line's part
/// at stake is the largest of its rules' parts), summed. `summary.json`'s `at_risk` is this sum.
pub(crate) fn at_stake_from_flags(data: &RunData) -> i64 {
    let mut per_line: BTreeMap<&str, i64> = BTreeMap::new();
    for flag in data.flags.iter().filter(|f| f.kind == "breach" && !f.overturned) {
        let entry = per_line.entry(flag.entity_id.as_str()).or_insert(0);
        *entry = (*entry).max(flag.amount_fen);
    }
    per_line.values().sum()
}

/// The checks of `summary.json` against the tables.
pub(crate) fn checks(data: &RunData, lang: Lang) -> Vec<Check> {
    let mut checks = Vec::new();
    if data.summary.is_null() {
        return checks;
    }
    let money_check = |key: &'static str, label: String, total: &str, tables: i64| {
        let summary = data.summary_total_fen(total);
        Check { key, label, summary: summary.map(text::yuan), tables: text::yuan(tables), ok: summary.is_none_or(|s| s == tables) }
    };
    checks.push(money_check(
        "to_recover",
        lang.t("应追回金额 = recoveries.parquet 合计", "to recover = sum of recoveries.parquet").into(),
        "to_recover",
        data.recoveries_fen(),
    ));
    checks.push(money_check(
        "to_hold",
        lang.t("应暂缓拨付金额 = holds.parquet 合计", "to hold = sum of holds.parquet").into(),
        "to_hold",
        data.holds_fen(),
    ));
    checks.push(money_check(
        "at_risk",
        lang.t("涉险金额 = flags.parquet 各明细最大涉险部分之和", "at stake = sum over claim lines of the largest part in flags.parquet")
            .into(),
        "at_risk",
        at_stake_from_flags(data),
    ));
    let counts = data.tier_counts();
    let recorded = &data.summary["institutions_per_tier"];
    let mut same = true;
    let mut summary_text = Vec::new();
    let mut table_text = Vec::new();
    for tier in Tier::ALL {
        let in_summary = recorded[tier.as_str()].as_u64().unwrap_or(0) as usize;
        let in_table = counts.get(tier.as_str()).copied().unwrap_or(0);
        same &= in_summary == in_table;
        summary_text.push(format!("{tier} {in_summary}"));
        table_text.push(format!("{tier} {in_table}"));
    }
    checks.push(Check {
        key: "tiers",
        label: lang
            .t("各等级机构数 = institution_scores.parquet 计数", "institutions per tier = counts in institution_scores.parquet")
            .into(),
        summary: Some(summary_text.join(", ")),
        tables: table_text.join(", "),
        ok: same,
    });
    if let Some(inputs) = data.summary["inputs"].as_array() {
        let rejected: u64 = inputs.iter().map(|t| t["rows_rejected"].as_u64().unwrap_or(0)).sum();
        checks.push(Check {
            key: "rejects",
            label: lang.t("拒收行数 = rejects.parquet 行数", "rows rejected = rows of rejects.parquet").into(),
            summary: Some(rejected.to_string()),
            tables: data.rejects.len().to_string(),
            ok: rejected as usize == data.rejects.len(),
        });
    }
    checks
}

pub(crate) fn cutoffs(data: &RunData) -> (f64, f64, f64) {
    (data.settings.cutoff_c, data.settings.cutoff_b, data.settings.cutoff_a)
}

/// Tier counts per quarter and median score per quarter, over history plus this run.
pub(crate) struct QuarterSeries {
    pub(crate) quarters: Vec<String>,
    pub(crate) counts: Vec<[usize; 6]>,
    pub(crate) medians: Vec<Option<f64>>,
}

/// History's quarters with this run's quarter (from `institution_scores` when history lacks it).
pub(crate) fn quarter_series(data: &RunData) -> QuarterSeries {
    let mut by_quarter: BTreeMap<String, Vec<(String, Option<f64>)>> = BTreeMap::new();
    for row in data.history.iter().flatten() {
        by_quarter.entry(row.quarter.clone()).or_default().push((row.tier.clone(), row.score));
    }
    if !by_quarter.contains_key(&data.quarter) && !data.quarter.is_empty() {
        by_quarter.insert(data.quarter.clone(), data.institutions.iter().map(|i| (i.tier.to_string(), i.score)).collect());
    }
    let mut series = QuarterSeries { quarters: Vec::new(), counts: Vec::new(), medians: Vec::new() };
    for (quarter, rows) in by_quarter {
        let mut counts = [0usize; 6];
        for (tier, _) in &rows {
            if let Some(index) = tier_index(tier) {
                counts[index] += 1;
            }
        }
        series.medians.push(median(rows.iter().filter_map(|r| r.1).collect()));
        series.quarters.push(quarter);
        series.counts.push(counts);
    }
    series
}

/// The tier migration from the latest earlier quarter of history to this run: (from quarter,
/// matrix[from][to], institutions in only one of the two).
pub(crate) fn migration(data: &RunData) -> Option<(String, [[usize; 6]; 6], usize)> {
    let history = data.history.as_ref()?;
    let from = data.history_quarters().into_iter().filter(|q| q.as_str() < data.quarter.as_str()).max()?;
    let before: BTreeMap<&str, &str> =
        history.iter().filter(|h| h.quarter == from).map(|h| (h.institution_id.as_str(), h.tier.as_str())).collect();
    let mut matrix = [[0usize; 6]; 6];
    let mut unmatched = 0;
    let mut seen = BTreeSet::new();
    for institution in &data.institutions {
        seen.insert(institution.id.as_str());
        let to = tier_index(institution.tier.as_str());
        let from_tier = before.get(institution.id.as_str()).and_then(|tier| tier_index(tier));
        match (from_tier, to) {
            (Some(f), Some(t)) => matrix[f][t] += 1,
            _ => unmatched += 1,
        }
    }
    unmatched += before.keys().filter(|id| !seen.contains(*id)).count();
    Some((from, matrix, unmatched))
}

/// Districts in name order with their counts per tier.
pub(crate) fn tiers_by_district(data: &RunData) -> (Vec<String>, Vec<[usize; 6]>) {
    let mut by_district: BTreeMap<String, [usize; 6]> = BTreeMap::new();
    for institution in &data.institutions {
        let counts = by_district.entry(institution.district.clone()).or_default();
        if let Some(index) = tier_index(institution.tier.as_str()) {
            counts[index] += 1;
        }
    }
    by_district.into_iter().unzip()
}

/// Money at stake per rule, largest first: (rule, fen, flags).
pub(crate) fn money_by_rule(data: &RunData) -> Vec<(String, i64, usize)> {
    let mut rows: Vec<(String, i64, usize)> =
        data.at_stake_by_rule().into_iter().filter(|(_, (fen, _))| *fen > 0).map(|(rule, (fen, n))| (rule, fen, n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// Peer medians of each indicator among institutions of `kind`.
pub(crate) fn peer_medians(data: &RunData, kind: &str) -> [Option<f64>; 6] {
    std::array::from_fn(|index| median(data.peers(kind).filter_map(|i| i.values[index]).collect()))
}

/// Why an institution has its tier, in the report's language: its rule rendered from the code
/// and arguments of `institution_scores` (`tier_rule`, `tier_rule_args`), its deductions, and why
/// its uplift is held or it is watched, all from the row's columns. Nothing is parsed back from a
/// sentence: rewording a message changes no reason. A run from before the codes has no
/// arguments: its reasons are shown as it wrote them.
pub(crate) fn reason(lang: Lang, institution: &Institution, settings: &Settings) -> String {
    use crate::vocab::messages::{self, rating as m};
    let say = |message: &Message, args: &[(&str, String)]| {
        let named: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        message.render(lang, &named)
    };
    let (Some(args), Some(_)) = (&institution.tier_rule_args, messages::find(&institution.tier_rule)) else {
        return institution.reasons.clone();
    };
    let stored: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut parts = vec![messages::render_code(lang, &institution.tier_rule, &stored)];
    let counts: Vec<String> = [
        (&m::COUNT_BREACH_LINES, institution.breach_lines),
        (&m::COUNT_PROCEDURAL, institution.procedural_findings),
        (&m::COUNT_VIOLATIONS, institution.violations),
    ]
    .into_iter()
    .filter_map(|(message, count)| count.filter(|n| *n > 0).map(|n| say(message, &[("count", n.to_string())])))
    .collect();
    if let Some(deductions) = institution.deductions.filter(|d| *d > 0.0) {
        let joined = counts.join(m::LIST_SEPARATOR.template(lang));
        parts.push(say(&m::DEDUCTED, &[("points", format!("{deductions:.0}")), ("parts", joined)]));
    }
    if institution.action == Action::UpliftHeld {
        // Runs before the open-case hold name no cause: theirs was the lead.
        let causes: Vec<&str> = institution.uplift_hold.as_deref().unwrap_or("lead").split(',').collect();
        if causes.contains(&"lead") {
            let rank = institution.lead_rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into());
            let risk = institution.risk_score.map(|r| format!("{r:.3}")).unwrap_or_else(|| "—".into());
            parts.push(say(&m::HOLD_LEAD, &[("rank", rank), ("risk", risk), ("threshold", settings.uplift_hold_risk_score.to_string())]));
        }
        if let Some(case) = institution.hold_case.as_deref().filter(|_| causes.contains(&"open_case")) {
            parts.push(say(&m::HOLD_CASE, &[("case", case.to_string())]));
        }
    }
    if institution.tier == Tier::N && institution.action == Action::Watch {
        parts.push(say(&m::WATCH_LEAD, &[]));
    }
    parts.join(m::SEPARATOR.template(lang))
}

/// How an institution moved since the previous quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Movement {
    Up,
    Down,
    Same,
    /// No previous tier is known.
    New,
    /// Not rated (N) this quarter.
    NotRated,
}

pub(crate) fn movement(institution: &Institution) -> Movement {
    if institution.tier == Tier::N {
        return Movement::NotRated;
    }
    let Some(previous) = institution.previous_tier else { return Movement::New };
    match (tier_rank(previous.as_str()), tier_rank(institution.tier.as_str())) {
        (Some(before), Some(now)) if now > before => Movement::Up,
        (Some(before), Some(now)) if now < before => Movement::Down,
        (Some(_), Some(_)) => Movement::Same,
        _ => Movement::New,
    }
}

/// "#3 · 0.712" for a lead, "—" otherwise: shown beside the tier, so that a reader sees a tier A
/// that is also a lead (its uplift held) without opening the leads table.
pub(crate) fn lead_standing(institution: &Institution) -> String {
    match (institution.lead_rank, institution.risk_score) {
        (Some(rank), Some(risk)) => format!("#{rank} · {risk:.3}"),
        _ => "—".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An institution's row as `institution_scores.parquet` holds it: tier, action, rule code and
    /// arguments; its `reasons` text deliberately says something else, so a test sees that the
    /// reason comes from the code and never from a sentence.
    fn row(tier: Tier, action: Action, rule: &str, args: &[&str]) -> Institution {
        Institution {
            id: "I1".into(),
            tier,
            action,
            tier_rule: rule.into(),
            tier_rule_args: Some(args.iter().map(|a| a.to_string()).collect()),
            reasons: "the reasons as the run wrote them".into(),
            ..Institution::default()
        }
    }

    fn both(institution: &Institution) -> (String, String) {
        let settings = Settings::defaults().unwrap();
        (reason(Lang::Zh, institution, &settings), reason(Lang::En, institution, &settings))
    }

    #[test]
    fn a_tiers_reason_is_rendered_from_its_code_and_numbers_in_either_language() {
        let mut d = row(Tier::D, Action::Ban, "tier.d.breach_share", &["7.46", "5", "2026Q4", "2027Q3"]);
        d.breach_lines = Some(3);
        d.deductions = Some(6.0);
        assert_eq!(
            both(&d),
            (
                "违规金额占比 7.46% 超过 5%：禁入 2026Q4–2027Q3；扣 6 分（违规明细 3 条）".into(),
                "breach share 7.46% > 5%: ban 2026Q4–2027Q3; −6 points (3 breach line(s))".into()
            )
        );
        let b = row(Tier::B, Action::Standard, "tier.b.previous_tier", &["90.00", "85.00", "C"]);
        assert_eq!(
            both(&b),
            (
                "得分 90.00 ≥ 85.00，但上季度等级为 C：不能直接升为 A".into(),
                "score 90.00 ≥ 85.00 but previous tier C: no jump to A".into()
            )
        );
        let x = row(Tier::X, Action::Disqualify, "tier.x.decision", &["2026-05-12"]);
        assert_eq!(
            both(&x),
            ("2026-05-12 调查处理决定认定骗取补贴资金：取消培训资格".into(), "disqualified: fraud_confirmed decision of 2026-05-12".into())
        );
        let mut n = row(Tier::N, Action::Watch, "tier.n.few_completed", &["13", "20", "2025Q4", "2026Q3"]);
        n.procedural_findings = Some(2);
        n.violations = Some(1);
        n.deductions = Some(12.0);
        assert_eq!(
            both(&n),
            (
                "2025Q4–2026Q3 结束的培训班结业人数 13 人，少于 20 人：不评级；扣 12 分（程序问题 2 项，违规处理决定 1 项）；高优先级调查线索：重点监管".into(),
                "13 completed enrollments < 20 in classes ending in 2025Q4–2026Q3; −12 points (2 procedural finding(s), 1 violation decision(s)); a high-priority investigation lead: watch".into()
            )
        );
        let mut a = row(Tier::A, Action::UpliftHeld, "tier.a.score", &["91.20", "85.00"]);
        a.lead_rank = Some(4);
        a.risk_score = Some(0.6123);
        a.uplift_hold = Some("lead,open_case".into());
        a.hold_case = Some("I1/sign_ins".into());
        assert_eq!(
            both(&a),
            (
                "得分 91.20 ≥ 85.00，无违规明细，上季度等级允许评 A；调查线索 #4，风险分 0.612（0–1）≥ 0.3：暂缓上浮补贴，待核查结论后发放；案件 I1/sign_ins 尚未结案：暂缓上浮补贴，结案后发放".into(),
                "score 91.20 ≥ 85.00, no breach line, previous tier allows A; uplift held pending review: lead #4 with risk score 0.612 ≥ 0.3; case I1/sign_ins is not closed: uplift held until it is".into()
            )
        );
    }

    #[test]
    fn a_run_from_before_the_codes_shows_its_reasons_as_written() {
        let mut old = row(Tier::B, Action::Standard, "score 75.00 in 70.00–84.99", &[]);
        old.tier_rule_args = None;
        old.reasons = "tier B: score 75.00 in 70.00–84.99".into();
        assert_eq!(both(&old).0, "tier B: score 75.00 in 70.00–84.99");
        // An unknown code (a newer engine): the text as written, not the bare code.
        let newer = row(Tier::B, Action::Standard, "tier.b.someday", &["1"]);
        assert_eq!(both(&newer).1, "the reasons as the run wrote them");
    }
}
