//! The rows of the published files, field by field (the fields of `policy::publication::PUBLISHED_FILES`).
//! Which fields a platform gets, under which header and in which order is `publication.toml`'s
//! business; this module only says what each field holds. Nothing here reads a trainee: the
//! files name institutions, their pseudonymised legal representatives, tiers, sanctions and money.

use super::calendar::{self, Entry};
use super::Institutions;
use crate::money;
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::rating::score::{round_score, Tier};
use crate::rating::Rating;
use crate::rules::sanctions::Standing;
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One row: field → text (a field left out is written empty).
pub(crate) type Row = BTreeMap<&'static str, String>;

fn day(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn tier_name(tier: Tier) -> String {
    let named = crate::report::text::tier_name(crate::report::Lang::Zh, &tier.to_string());
    named.split_once(' ').map(|(_, name)| name.to_string()).unwrap_or(named)
}

/// `credit_evaluation.csv`: every rated institution (tier N is not a result), by institution.
pub(crate) fn credit_evaluation(
    ratings: &[Rating],
    institutions: &Institutions,
    overturned: &HashMap<String, usize>,
    policy: &Policy,
    quarter: Quarter,
) -> Vec<Row> {
    let config = &policy.publication;
    let evaluated = calendar::evaluation_date(quarter, config);
    let valid_until = quarter.offset(config.valid_quarters as i32).last_day();
    let appeal_until = evaluated.checked_add_days(Days::new(policy.rules.appeals.window_days.into())).unwrap_or(NaiveDate::MAX);
    let mut rows: Vec<Row> = ratings
        .iter()
        .filter(|rating| rating.tier != Tier::N)
        .map(|rating| {
            let id = rating.institution_id.as_str();
            let appeal_status = match overturned.get(id) {
                Some(count) => format!("经申诉改判 {count} 项"),
                None => format!("申诉期至 {}", day(appeal_until)),
            };
            Row::from([
                ("institution_id", id.to_string()),
                ("name", institutions.name(id)),
                ("credit_code", institutions.credit_code(id)),
                ("tier", rating.tier.to_string()),
                ("tier_name", tier_name(rating.tier)),
                ("score", rating.score.map(|s| format!("{:.2}", round_score(s))).unwrap_or_default()),
                ("quarter", quarter.to_string()),
                ("evaluation_date", day(evaluated)),
                ("valid_until", day(valid_until)),
                ("authority", config.authority.clone()),
                ("policy_version", policy.hash.clone()),
                ("appeal_status", appeal_status),
            ])
        })
        .collect();
    rows.sort_by(|a, b| a["institution_id"].cmp(&b["institution_id"]));
    rows
}

/// What one institution's findings say, for a penalty record's facts and legal basis.
#[derive(Debug, Clone, Default)]
pub(crate) struct FindingsOf {
    /// Rule ids of its non-overturned breaches, procedural findings and decisions, sorted.
    pub rules: BTreeSet<String>,
    /// Money to recover this quarter, fen.
    pub to_recover_fen: i64,
}

/// `administrative_penalties.csv`: every sanction this quarter decided (in the ledger's order).
pub(crate) fn administrative_penalties(
    decided: &[&Entry],
    ratings: &HashMap<&str, &Rating>,
    findings: &HashMap<String, FindingsOf>,
    standing: &Standing,
    institutions: &Institutions,
    config: &crate::policy::publication::PublicationConfig,
    quarter: Quarter,
) -> Vec<Row> {
    decided
        .iter()
        .filter_map(|entry| {
            let text = config.sanctions.get(&entry.kind)?;
            let id = entry.institution_id.as_str();
            let found = findings.get(id).cloned().unwrap_or_default();
            let rules: Vec<&str> = found.rules.iter().map(String::as_str).collect();
            let legal_basis =
                if rules.is_empty() { text.legal_basis.clone() } else { format!("{}；规则 {}", text.legal_basis, rules.join("、")) };
            let penalty_period = match &entry.until_quarter {
                Some(until) => format!("{}至{until}", entry.from_quarter),
                None => format!("{}起，无期限", entry.from_quarter),
            };
            Some(Row::from([
                ("institution_id", id.to_string()),
                ("party_name", institutions.name(id)),
                ("credit_code", institutions.credit_code(id)),
                ("legal_rep", institutions.legal_rep(id)),
                ("decision_number", String::new()),
                ("violation_type", text.violation_type.clone()),
                ("facts", facts(entry, ratings.get(id).copied(), &rules, standing, quarter)),
                ("legal_basis", legal_basis),
                ("penalty_category", text.penalty_category.clone()),
                ("content", text.content.clone()),
                ("amount_wan", money::wan(found.to_recover_fen)),
                ("decision_date", day(entry.decided_on)),
                ("penalty_period", penalty_period),
                ("publication_end", entry.period.end.map(day).unwrap_or_else(|| "不公示".into())),
                ("authority", config.authority.clone()),
                ("data_source", config.data_source.clone()),
                ("kind", entry.kind.clone()),
                ("class", entry.class.clone()),
            ]))
        })
        .collect()
}

/// The facts of a penalty record in Chinese, from the rating and the findings that caused it.
fn facts(entry: &Entry, rating: Option<&Rating>, rules: &[&str], standing: &Standing, quarter: Quarter) -> String {
    let mut parts = Vec::new();
    if entry.kind == "disqualified" {
        if let Some(decision) = standing.disqualifying_decision(&entry.institution_id, quarter.last_day()) {
            let amount = decision.amount_fen.map(|fen| format!("认定金额 {} 元", money::yuan(fen))).unwrap_or_else(|| "认定金额未载明".into());
            parts.push(format!("经调查认定骗取职业技能培训补贴（{} 决定，{amount}）", day(decision.decided_on)));
        }
    }
    if let Some(rating) = rating {
        parts.push(format!("{quarter} 信用评价为 {} 级（{}）", rating.tier, tier_name(rating.tier)));
        if let Some(score) = rating.score.filter(|_| rating.tier != Tier::X) {
            parts.push(format!("评价得分 {:.2}", round_score(score)));
        }
        if rating.breach_lines > 0 {
            parts.push(format!("违规明细行 {} 条，违规金额占比 {:.2}%", rating.breach_lines, rating.breach_share_percent));
        }
    }
    if !rules.is_empty() {
        parts.push(format!("涉及规则 {}", rules.join("、")));
    }
    parts.join("；")
}

/// `dishonesty_list_candidates.csv`: institutions whose standing decision at the quarter's end is
/// `fraud_confirmed` with at least the threshold defrauded, by institution.
pub(crate) fn dishonesty_list_candidates(
    standing: &Standing,
    institutions: &Institutions,
    config: &crate::policy::publication::PublicationConfig,
    quarter: Quarter,
) -> Vec<Row> {
    let mut ids: Vec<&String> = standing.decisions.keys().collect();
    ids.sort();
    ids.into_iter()
        .filter_map(|id| {
            let decision = standing.disqualifying_decision(id, quarter.last_day())?;
            let amount = decision.amount_fen.filter(|fen| *fen >= config.min_amount_defrauded_fen)?;
            Some(Row::from([
                ("institution_id", id.clone()),
                ("name", institutions.name(id)),
                ("credit_code", institutions.credit_code(id)),
                ("legal_rep", institutions.legal_rep(id)),
                ("decided_on", day(decision.decided_on)),
                ("amount_yuan", money::yuan(amount)),
                ("amount_wan", money::wan(amount)),
                (
                    "basis",
                    format!(
                        "fraud_confirmed 决定认定骗取金额 {} 元 ≥ {} 元；仅为候选，须经人工审核决定",
                        money::yuan(amount),
                        money::yuan(config.min_amount_defrauded_fen)
                    ),
                ),
            ]))
        })
        .collect()
}

/// `calendar.csv`: every sanction of the ledger with its calendar, in the ledger's order.
pub(crate) fn calendar(entries: &[Entry], institutions: &Institutions) -> Vec<Row> {
    let optional_day = |date: Option<NaiveDate>| date.map(day).unwrap_or_default();
    entries
        .iter()
        .map(|entry| {
            let id = entry.institution_id.as_str();
            Row::from([
                ("institution_id", id.to_string()),
                ("name", institutions.name(id)),
                ("credit_code", institutions.credit_code(id)),
                ("kind", entry.kind.clone()),
                ("from_quarter", entry.from_quarter.clone()),
                ("until_quarter", entry.until_quarter.clone().unwrap_or_default()),
                ("class", entry.class.clone()),
                ("decided_on", day(entry.decided_on)),
                ("publication_start", optional_day(entry.period.start)),
                ("publication_end", optional_day(entry.period.end)),
                ("earliest_repair", day(entry.period.earliest_repair)),
                ("repaired_on", optional_day(entry.repaired_on)),
                ("publication_status", entry.period.status.name().to_string()),
                ("published_this_quarter", entry.period.status.published_this_quarter().to_string()),
            ])
        })
        .collect()
}
