//! Rules: every claim line in the evaluated quarter that breaks a subsidy rule (R01–R12), with
//! the exact money at stake, and the procedural findings (P01–P04). Appeals that overturned a
//! finding remove it from money and points here, once, for every later stage.
//!
//! Money follows the claim: a paid claim's parts go to recoveries at the paid share (rounded
//! half-up per line), a pending claim's parts to holds, a rejected claim's lines are flagged
//! only. A `fraud_confirmed` decision dated in the quarter adds its own recovery rows.

pub mod appraisal;
pub mod earlier;
pub mod evidence;
pub mod line_rules;
pub mod procedural;
pub mod sanctions;

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::features;
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::money;
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::vocab::RuleId;
use evidence::{Said, EVIDENCE_ARGS, EVIDENCE_CODE};
use line_rules::{breach_column, evidence_columns, part_column, RuleExprs, UPLIFT_BASIS_POINTS};
use crate::query::CollectStreaming;
use polars::prelude::*;
use sanctions::Standing;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Column: a line's effective part at stake (largest non-overturned part, at most the line), fen.
pub const PART_FEN: &str = "part_fen";
/// Column: a line's effective rules, sorted ids joined by commas (empty when none).
pub const RULES: &str = "rules";
/// Column: whether the line has at least one non-overturned breach.
pub const BREACH: &str = crate::features::indicators::BREACH;
/// Column: whether a finding was overturned on appeal.
pub const OVERTURNED: &str = "overturned";
/// Column of the flags: the evidence's text, rendered from [`EVIDENCE_CODE`] and [`EVIDENCE_ARGS`].
pub const EVIDENCE: &str = "evidence";
/// Column of recoveries and holds: the amount in fen.
pub const AMOUNT_FEN: &str = "amount_fen";

/// Everything the rules found in one quarter.
#[derive(Debug, Clone)]
pub struct Findings {
    /// One row per (rule, line in scope) breach: `rule`, `institution_id`, `line_id`, `claim_id`,
    /// `enrollment_id`, `claim_status`, `part_fen` (the rule's own part), `evidence_code`,
    /// `evidence_args`, `overturned`.
    pub line_flags: DataFrame,
    /// `rule`, `institution_id`, `entity_kind`, `entity_id`, `evidence_code`, `evidence_args`,
    /// `overturned`.
    pub procedural: DataFrame,
    /// One row per line in scope: ids, `institution_id`, `claim_status`, `line_amount_fen`,
    /// `part_fen`, `rules`, `breach`.
    pub lines_in_scope: DataFrame,
    /// `claim_id`, `enrollment_id`, `institution_id`, `rules`, `amount_fen`.
    pub recoveries: DataFrame,
    pub holds: DataFrame,
    /// Input sanctions and decisions per institution.
    pub standing: Standing,
    /// What each `fraud_confirmed` decision dated in the quarter without a stated amount
    /// reclaims, by (institution, decided_on): its paid lines wholesale (see [`Reclaimed`]).
    pub reclaimed: Reclaims,
}

/// The paid claim lines a `fraud_confirmed` decision without a stated amount reclaims in full:
/// those of claims submitted from `from` to `to` (the quarter and the three before it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reclaimed {
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub lines: usize,
    /// The sum of those lines at their paid share, fen.
    pub amount_fen: i64,
}

/// Overturned findings: (rule, entity_id) of appeals decided by the quarter's end.
pub fn overturned_findings(export: &Export, quarter: Quarter) -> Result<BTreeSet<(String, String)>> {
    let appeals = export
        .frame(Table::Appeals)
        .clone()
        .lazy()
        .filter(col(c::OUTCOME).eq(lit("overturned")).and(col(c::DECIDED_ON).lt_eq(lit(quarter.last_day()))))
        .select([col(c::RULE), col(c::ENTITY_ID)])
        .collect_streaming()
        .context("reading appeals")?;
    let rules = appeals.column(c::RULE).context("appeals")?.str().context("appeals")?;
    let entities = appeals.column(c::ENTITY_ID).context("appeals")?.str().context("appeals")?;
    Ok(rules
        .iter()
        .zip(entities.iter())
        .filter_map(|(rule, entity)| Some((rule?.trim().to_uppercase(), entity?.trim().to_string())))
        .collect())
}

fn disabled(lines: LazyFrame, id: RuleId, evidence: &mut line_rules::Evidence) -> LazyFrame {
    line_rules::apply(lines, id, RuleExprs { breach: lit(false), part: lit(0i64), evidence: Said::nothing() }, evidence)
}

/// Joins a rule computed outside the fact table (`key`, `Rnn`, optionally `Rnn_part`, and its
/// evidence columns) onto it; lines it does not name are not in breach.
fn join_rule(lines: LazyFrame, verdicts: DataFrame, key: &str, id: RuleId) -> LazyFrame {
    let has_part = verdicts.column(&part_column(id)).is_ok();
    let joined = lines.left_join(verdicts.lazy(), col(key), col(key));
    let part = if has_part { col(&part_column(id)).fill_null(lit(0i64)) } else { when(col(&breach_column(id))).then(col(c::LINE_AMOUNT_FEN)).otherwise(lit(0i64)) };
    joined.with_columns([col(&breach_column(id)).fill_null(lit(false)), part.alias(part_column(id))])
}

/// Runs every enabled rule over the export for `quarter`. `uplifts` maps an institution to the
/// uplift (basis points of its subsidy standard) its previous tier carried into this quarter.
pub fn evaluate(export: &Export, policy: &Policy, quarter: Quarter, uplifts: &HashMap<String, i64>) -> Result<Findings> {
    evaluate_with_standing(export, policy, quarter, uplifts, Standing::from_export(export)?)
}

/// As [`evaluate`], with the sanctions and decisions given (e.g. the export's ledger merged
/// with the previous run's).
pub fn evaluate_with_standing(
    export: &Export,
    policy: &Policy,
    quarter: Quarter,
    uplifts: &HashMap<String, i64>,
    standing: Standing,
) -> Result<Findings> {
    let overturned = overturned_findings(export, quarter)?;
    let uplift_frame = {
        let (ids, points): (Vec<String>, Vec<i64>) = uplifts.iter().map(|(k, v)| (k.clone(), *v)).unzip();
        DataFrame::new(ids.len(), vec![Column::new(c::INSTITUTION_ID.into(), ids), Column::new(UPLIFT_BASIS_POINTS.into(), points)])
            .context("building uplifts")?
    };
    let started = std::time::Instant::now();
    let history = features::lines::history(export, quarter).collect_streaming().context("gathering the history of every claim line")?;
    let history = features::lines::sort_in_line_order(history)?;
    tracing::debug!(rows = history.height(), megabytes = history.estimated_size() / 1_000_000, seconds = started.elapsed().as_secs_f64(), "claim-line history gathered");
    // R09's allocation and the counts of earlier lines are both single-threaded passes over the
    // history, independent of each other: they run side by side.
    let (earlier_lines, r09_verdicts) = std::thread::scope(|scope| {
        let r09 = policy.enabled(RuleId::R09).then(|| {
            scope.spawn(|| crate::progress::timed("R09 (appraisal)", || appraisal::r09_appraisal_cap(export, &history, policy)))
        });
        let counted = earlier::earlier_lines_in_scope(&history, policy);
        let r09 = r09.map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (counted, r09)
    });
    drop(history);
    let earlier_lines = earlier_lines?;
    let mut r09_verdicts = r09_verdicts.transpose()?;
    let facts = features::line_facts(export, policy, quarter)?
        .left_join(uplift_frame.lazy(), col(c::INSTITUTION_ID), col(c::INSTITUTION_ID))
        .with_column(col(UPLIFT_BASIS_POINTS).fill_null(lit(0i64)))
        .join(
            earlier_lines.lazy(),
            [col(c::CLAIM_ID), col(c::ENROLLMENT_ID)],
            [col(c::CLAIM_ID), col(c::ENROLLMENT_ID)],
            JoinArgs::new(JoinType::Left),
        );
    let facts = features::lines::sort_in_line_order(facts.collect_streaming().context("building the claim-line facts")?)?;
    tracing::debug!(rows = facts.height(), seconds = started.elapsed().as_secs_f64(), "claim-line facts of the lines in scope, earlier lines counted, R09 allocated");
    let started = std::time::Instant::now();
    let mut lines = facts.clone().lazy();
    let mut evidence = line_rules::Evidence::default();
    let evidence = &mut evidence;
    for id in RuleId::LINE {
        if !policy.enabled(id) {
            lines = disabled(lines, id, evidence);
            continue;
        }
        lines = match id {
            RuleId::R01 => line_rules::r01_duplicate_subsidy(lines, evidence),
            RuleId::R02 => line_rules::r02_annual_cap(lines, policy, evidence),
            RuleId::R03 => line_rules::r03_invalid_person(lines, evidence),
            RuleId::R04 => line_rules::r04_age_out_of_range(lines, policy, evidence),
            RuleId::R05 => line_rules::r05_not_completed(lines, evidence),
            RuleId::R06 => line_rules::r06_attendance_shortfall(lines, policy, evidence),
            RuleId::R07 => line_rules::r07_line_mismatch(lines, evidence),
            RuleId::R08 => line_rules::r08_living_allowance(lines, policy, evidence).context("R08")?,
            RuleId::R09 => join_rule(lines, r09_verdicts.take().expect("R09 is enabled, so its verdicts were computed"), c::LINE_ID, id),
            RuleId::R10 => join_rule(lines, crate::progress::timed("R10 (sanctions)", || sanctions::r10_sanctioned_claimant(export, &standing, quarter))?, c::CLAIM_ID, id),
            RuleId::R11 => line_rules::r11_over_standard(lines, evidence),
            RuleId::R12 => line_rules::r12_before_licence(lines, evidence),
            RuleId::P01 | RuleId::P02 | RuleId::P03 | RuleId::P04 | RuleId::Decision => unreachable!("RuleId::LINE holds line rules only"),
        };
    }

    // Overturned findings stop costing money and points; they stay visible in the flags.
    let mut effective_parts = Vec::new();
    let mut rule_names = Vec::new();
    let mut overturned_columns = Vec::new();
    for id in RuleId::LINE {
        let entities: Vec<&str> = overturned.iter().filter(|(rule, _)| rule == id.as_str()).map(|(_, entity)| entity.as_str()).collect();
        let is_overturned = if entities.is_empty() {
            lit(false)
        } else {
            col(c::LINE_ID).is_in(lit(Series::new("overturned".into(), entities)).implode(false), false)
        };
        overturned_columns.push(is_overturned.alias(format!("{id}_overturned")));
        let effective = col(&breach_column(id)).and(col(&format!("{id}_overturned")).not());
        effective_parts.push(when(effective.clone()).then(col(&part_column(id))).otherwise(lit(0i64)));
        rule_names.push(when(effective).then(lit(id.as_str())).otherwise(lit(NULL).cast(DataType::String)));
    }
    let largest = polars::lazy::dsl::max_horizontal(effective_parts).context("largest part")?;
    let judged = lines
        .filter(col(c::IN_SCOPE))
        .with_columns(overturned_columns)
        .with_columns([
            when(largest.clone().gt(col(c::LINE_AMOUNT_FEN))).then(col(c::LINE_AMOUNT_FEN)).otherwise(largest).alias(PART_FEN),
            concat_str(rule_names, ",", true).alias(RULES),
        ])
        .with_column(col(RULES).neq(lit("")).alias(BREACH))
        .collect_streaming()
        .context("judging the lines in scope")?;

    tracing::debug!(seconds = started.elapsed().as_secs_f64(), "line rules R01–R12");
    // Evidence arguments are text, costly to build: only for the lines that break a rule (overturned or not).
    let breaks_a_rule = RuleId::LINE.iter().map(|id| col(&breach_column(*id))).reduce(|a, b| a.or(b)).expect("rules are listed");
    let mut flagged = judged.clone().lazy().filter(breaks_a_rule).collect_streaming().context("selecting the lines in breach")?;
    let pseudonyms = export.persons.pseudonyms(flagged.column(c::PERSON_ID).context("lines in breach")?, c::PERSON_PSEUDONYM)?;
    flagged.with_column(pseudonyms).context("lines in breach")?;
    let flagged = flagged
        .lazy()
        .with_columns(std::mem::take(&mut evidence.columns))
        .collect_streaming()
        .context("writing the evidence of the lines in breach")?;
    let line_flags = line_flags(&flagged)?;
    let lines_in_scope = judged
        .clone()
        .lazy()
        .select([
            col(c::LINE_ID),
            col(c::CLAIM_ID),
            col(c::ENROLLMENT_ID),
            col(c::INSTITUTION_ID),
            col(c::CLAIM_TYPE),
            col(c::CLAIM_STATUS),
            col(c::LINE_AMOUNT_FEN),
            col(c::CLAIM_AMOUNT_FEN),
            col(c::PAID_AMOUNT_FEN),
            col(PART_FEN),
            col(RULES),
            col(BREACH),
        ])
        .collect_streaming()
        .context("lines in scope")?;
    let started = std::time::Instant::now();
    let procedural = procedural_findings(export, policy, quarter, &overturned)?;
    tracing::debug!(seconds = started.elapsed().as_secs_f64(), "procedural findings P01–P04");
    let (recoveries, holds, reclaimed) = money_at_stake(export, &lines_in_scope, &standing, quarter)?;
    Ok(Findings { line_flags, procedural, lines_in_scope, recoveries, holds, standing, reclaimed })
}

fn line_flags(flagged: &DataFrame) -> Result<DataFrame> {
    let mut frames = Vec::new();
    for id in RuleId::LINE {
        let [code, args] = evidence_columns(id);
        frames.push(
            flagged.clone().lazy().filter(col(&breach_column(id))).select([
                lit(id.as_str()).alias(c::RULE),
                col(c::INSTITUTION_ID),
                col(c::LINE_ID),
                col(c::CLAIM_ID),
                col(c::ENROLLMENT_ID),
                col(c::CLAIM_STATUS),
                col(&part_column(id)).alias(PART_FEN),
                col(&code).alias(EVIDENCE_CODE),
                col(&args).cast(evidence::args_type()).alias(EVIDENCE_ARGS),
                col(&format!("{id}_overturned")).alias(OVERTURNED),
            ]),
        );
    }
    concat(frames, UnionArgs::default())
        .and_then(|all| all.sort([c::RULE, c::LINE_ID], SortMultipleOptions::default().with_maintain_order(true)).collect_streaming())
        .context("gathering line flags")
}

fn procedural_findings(export: &Export, policy: &Policy, quarter: Quarter, overturned: &BTreeSet<(String, String)>) -> Result<DataFrame> {
    let mut frames = Vec::new();
    if policy.enabled(RuleId::P01) {
        frames.push(procedural::p01_claim_before_end(export, quarter));
    }
    if policy.enabled(RuleId::P02) {
        frames.push(procedural::p02_over_capacity(export, quarter));
    }
    if policy.enabled(RuleId::P03) {
        frames.push(procedural::p03_double_presence(export, policy, quarter)?.lazy());
    }
    if policy.enabled(RuleId::P04) {
        frames.push(procedural::p04_claim_totals(export, quarter));
    }
    let empty = DataFrame::new(
        0,
        vec![
            Column::new(c::RULE.into(), Vec::<String>::new()),
            Column::new(c::INSTITUTION_ID.into(), Vec::<String>::new()),
            Column::new(procedural::ENTITY_KIND.into(), Vec::<String>::new()),
            Column::new(c::ENTITY_ID.into(), Vec::<String>::new()),
            Column::new(EVIDENCE_CODE.into(), Vec::<String>::new()),
            Column::new_empty(EVIDENCE_ARGS.into(), &evidence::args_type()),
        ],
    )
    .context("empty findings")?;
    frames.push(empty.lazy());
    let mut findings = concat(frames, UnionArgs::default())
        .and_then(|all| {
            all.with_column(col(EVIDENCE_ARGS).cast(evidence::args_type()))
                .sort([c::RULE, c::ENTITY_ID, c::INSTITUTION_ID], SortMultipleOptions::default().with_maintain_order(true))
                .collect()
        })
        .context("gathering procedural findings")?;
    // An appeal names a finding by rule and entity; a P03 finding charged to one side is also
    // overturned by an appeal against the whole pair. A few rows: read one by one.
    let rules = findings.column(c::RULE).context("procedural findings")?.str().context("procedural findings")?;
    let entities = findings.column(c::ENTITY_ID).context("procedural findings")?.str().context("procedural findings")?;
    let is_overturned: Vec<bool> = rules
        .iter()
        .zip(entities.iter())
        .map(|(rule, entity)| {
            let (rule, entity) = (rule.unwrap_or_default().to_string(), entity.unwrap_or_default());
            overturned.contains(&(rule.clone(), entity.to_string())) || overturned.contains(&(rule, procedural::pair_of(entity).to_string()))
        })
        .collect();
    findings.with_column(Column::new(OVERTURNED.into(), is_overturned)).context("procedural findings")?;
    Ok(findings)
}

/// What `fraud_confirmed` decisions without a stated amount reclaim, by (institution, decided_on).
pub type Reclaims = BTreeMap<(String, chrono::NaiveDate), Reclaimed>;

/// Recoveries (paid claims, at the paid share) and holds (pending claims), per line with money
/// at stake, plus the recovery rows of `fraud_confirmed` decisions dated in the quarter (and
/// what each of those without a stated amount reclaims).
fn money_at_stake(export: &Export, lines: &DataFrame, standing: &Standing, quarter: Quarter) -> Result<(DataFrame, DataFrame, Reclaims)> {
    let column = |frame: &DataFrame, name: &str| -> Result<Column> { frame.column(name).cloned().context(name) };
    let ids = column(lines, c::CLAIM_ID)?;
    let ids = ids.str().context("claim ids")?;
    let enrollments = column(lines, c::ENROLLMENT_ID)?;
    let enrollments = enrollments.str().context("enrollment ids")?;
    let institutions = column(lines, c::INSTITUTION_ID)?;
    let institutions = institutions.str().context("institutions")?;
    let statuses = column(lines, c::CLAIM_STATUS)?;
    let statuses = statuses.str().context("statuses")?;
    let parts = column(lines, PART_FEN)?;
    let parts = parts.i64().context("parts")?;
    let rules = column(lines, RULES)?;
    let rules = rules.str().context("rules")?;
    let claimed = column(lines, c::CLAIM_AMOUNT_FEN)?;
    let claimed = claimed.i64().context("claimed")?;
    let paid = column(lines, c::PAID_AMOUNT_FEN)?;
    let paid = paid.i64().context("paid")?;

    let mut recoveries: BTreeMap<MoneyKey, (BTreeSet<String>, i64)> = BTreeMap::new();
    let mut holds: BTreeMap<MoneyKey, (BTreeSet<String>, i64)> = BTreeMap::new();
    for i in 0..lines.height() {
        let part = parts.get(i).unwrap_or(0);
        if part <= 0 {
            continue;
        }
        let key = MoneyKey::line(ids.get(i), enrollments.get(i), institutions.get(i).unwrap_or(""));
        let rule_set: BTreeSet<String> = rules.get(i).unwrap_or("").split(',').filter(|r| !r.is_empty()).map(str::to_string).collect();
        match statuses.get(i) {
            Some("paid") => {
                let amount = paid_share(part, claimed.get(i), paid.get(i));
                if amount > 0 {
                    recoveries.insert(key, (rule_set, amount));
                }
            }
            Some("pending") => {
                holds.insert(key, (rule_set, part));
            }
            _ => {}
        }
    }

    // fraud_confirmed decisions dated in the quarter.
    let window_start = quarter.offset(-3).first_day();
    let mut reclaimed = Reclaims::new();
    for (institution, decisions) in &standing.decisions {
        for decision in decisions.iter().filter(|d| d.finding == "fraud_confirmed" && quarter.contains(d.decided_on)) {
            match decision.amount_fen {
                Some(amount) => {
                    let key = MoneyKey { claim_id: None, enrollment_id: None, institution_id: institution.clone(), decided_on: Some(decision.decided_on) };
                    recoveries.insert(key, (BTreeSet::from([RuleId::Decision.as_str().to_string()]), amount));
                }
                None => {
                    let paid = paid_lines(export, institution, window_start, quarter.last_day())?;
                    reclaimed.insert(
                        (institution.clone(), decision.decided_on),
                        Reclaimed { from: window_start, to: quarter.last_day(), lines: paid.len(), amount_fen: paid.iter().map(|(_, amount)| amount).sum() },
                    );
                    for (key, amount) in paid {
                        let entry = recoveries.entry(key).or_insert_with(|| (BTreeSet::new(), 0));
                        entry.0.insert(RuleId::Decision.as_str().to_string());
                        // The decision reclaims the whole paid line, which covers any breach part.
                        entry.1 = entry.1.max(amount);
                    }
                }
            }
        }
    }
    Ok((money_frame(recoveries)?, money_frame(holds)?, reclaimed))
}

/// `part` at the share paid of a claim: scaled by paid ÷ claimed (half-up) when less was paid.
pub fn paid_share(part: i64, claimed: Option<i64>, paid: Option<i64>) -> i64 {
    match (claimed, paid) {
        (Some(claimed), Some(paid)) if claimed > 0 && paid < claimed => money::scale_half_up(part, paid.max(0), claimed),
        (Some(claimed), _) if claimed <= 0 => 0,
        _ => part,
    }
}

/// A row of recoveries or holds: a claim line, or a decision's stated amount (no claim line,
/// told apart by its date).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct MoneyKey {
    claim_id: Option<String>,
    enrollment_id: Option<String>,
    institution_id: String,
    decided_on: Option<chrono::NaiveDate>,
}

impl MoneyKey {
    fn line(claim_id: Option<&str>, enrollment_id: Option<&str>, institution_id: &str) -> MoneyKey {
        MoneyKey {
            claim_id: claim_id.map(str::to_string),
            enrollment_id: enrollment_id.map(str::to_string),
            institution_id: institution_id.to_string(),
            decided_on: None,
        }
    }
}

/// A disqualified institution's paid claim lines submitted between `from` and `to` (its whole
/// paid lines, at the paid share), from the export: the lines of earlier quarters have no facts.
fn paid_lines(export: &Export, institution: &str, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<Vec<(MoneyKey, i64)>> {
    let claims = export
        .frame(Table::Claims)
        .clone()
        .lazy()
        .filter(
            col(c::INSTITUTION_ID)
                .eq(lit(institution.to_string()))
                .and(col(c::STATUS).eq(lit("paid")))
                .and(col(c::SUBMITTED_ON).gt_eq(lit(from)))
                .and(col(c::SUBMITTED_ON).lt_eq(lit(to))),
        )
        .select([col(c::CLAIM_ID), col(&c::fen(c::AMOUNT)).alias(c::CLAIM_AMOUNT_FEN), col(&c::fen(c::PAID_AMOUNT)).alias(c::PAID_AMOUNT_FEN)]);
    let frame = export
        .frame(Table::ClaimLines)
        .clone()
        .lazy()
        .select([col(c::CLAIM_ID), col(c::ENROLLMENT_ID), col(&c::fen(c::AMOUNT)).alias(c::LINE_AMOUNT_FEN)])
        .inner_join(claims, col(c::CLAIM_ID), col(c::CLAIM_ID))
        .collect_streaming()
        .context("selecting a disqualified institution's paid lines")?;
    let ids = frame.column(c::CLAIM_ID).context("ids")?.str().context("ids")?;
    let enrollments = frame.column(c::ENROLLMENT_ID).context("ids")?.str().context("ids")?;
    let amounts = frame.column(c::LINE_AMOUNT_FEN).context("amounts")?.i64().context("amounts")?;
    let claimed = frame.column(c::CLAIM_AMOUNT_FEN).context("amounts")?.i64().context("amounts")?;
    let paid = frame.column(c::PAID_AMOUNT_FEN).context("amounts")?.i64().context("amounts")?;
    Ok((0..frame.height())
        .map(|i| {
            let key = MoneyKey::line(ids.get(i), enrollments.get(i), institution);
            (key, paid_share(amounts.get(i).unwrap_or(0), claimed.get(i), paid.get(i)))
        })
        .filter(|(_, amount)| *amount > 0)
        .collect())
}

fn money_frame(rows: BTreeMap<MoneyKey, (BTreeSet<String>, i64)>) -> Result<DataFrame> {
    let mut claim_ids = Vec::new();
    let mut enrollment_ids = Vec::new();
    let mut institutions = Vec::new();
    let mut rules = Vec::new();
    let mut amounts = Vec::new();
    for (key, (rule_set, amount)) in rows {
        claim_ids.push(key.claim_id);
        enrollment_ids.push(key.enrollment_id);
        institutions.push(key.institution_id);
        // A set iterates in id order, and DECISION sorts after every R id.
        rules.push(rule_set.into_iter().collect::<Vec<_>>().join(","));
        amounts.push(amount);
    }
    let height = amounts.len();
    let frame = DataFrame::new(
        height,
        vec![
            Column::new(c::CLAIM_ID.into(), claim_ids),
            Column::new(c::ENROLLMENT_ID.into(), enrollment_ids),
            Column::new(c::INSTITUTION_ID.into(), institutions),
            Column::new(RULES.into(), rules),
            Column::new(AMOUNT_FEN.into(), amounts),
        ],
    )
    .context("building money rows")?;
    frame
        .lazy()
        .sort(
            [c::CLAIM_ID, c::ENROLLMENT_ID, c::INSTITUTION_ID],
            SortMultipleOptions::default().with_nulls_last(true).with_maintain_order(true),
        )
        .collect_streaming()
        .context("sorting money rows")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paid_share_rounds_half_up_and_never_exceeds_the_part() {
        assert_eq!(paid_share(10001, Some(20000), Some(10000)), 5001);
        assert_eq!(paid_share(10000, Some(10000), Some(10000)), 10000);
        assert_eq!(paid_share(10000, Some(10000), None), 10000);
        assert_eq!(paid_share(10000, Some(10000), Some(12000)), 10000);
        assert_eq!(paid_share(10000, Some(0), Some(0)), 0);
    }
}
