//! Procedural findings P01–P04: they cost credit points and carry no money. Each yields rows of
//! `rule`, `institution_id`, `entity_kind`, `entity_id`, `evidence_code`, `evidence_args`.
//!
//! Scope in the evaluated quarter Q: P01 and P04 judge claims submitted in Q; P02 judges classes
//! whose start_date lies in Q; P03 judges pairs whose later check-in lies in Q.

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::features::yuan;
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::query::CollectStreaming;
use crate::vocab::messages::rules as m;
use crate::vocab::RuleId;
use super::evidence::{self, Said, Stored, EVIDENCE_ARGS, EVIDENCE_CODE};
use polars::prelude::*;
use std::collections::BTreeMap;

pub const ENTITY_KIND: &str = "entity_kind";

fn in_quarter(date: Expr, quarter: Quarter) -> Expr {
    date.clone().gt_eq(lit(quarter.first_day())).and(date.lt_eq(lit(quarter.last_day())))
}

fn finding_columns(rule: RuleId, entity_kind: &str, entity: Expr, evidence: Said) -> Vec<Expr> {
    vec![
        lit(rule.as_str()).alias(c::RULE),
        col(c::INSTITUTION_ID),
        lit(entity_kind).alias(ENTITY_KIND),
        entity.alias(c::ENTITY_ID),
        evidence.code.alias(EVIDENCE_CODE),
        evidence.args.alias(EVIDENCE_ARGS),
    ]
}

/// P01 claim_before_end: a `reimburse` training claim submitted before its class's end_date.
pub fn p01_claim_before_end(export: &Export, quarter: Quarter) -> LazyFrame {
    let classes = export.frame(Table::Classes).clone().lazy().select([col(c::CLASS_ID), col(c::END_DATE)]);
    export
        .frame(Table::Claims)
        .clone()
        .lazy()
        .filter(
            in_quarter(col(c::SUBMITTED_ON), quarter)
                .and(col(c::CLAIM_TYPE).eq(lit("training")))
                .and(col(c::PAYMENT_MODE).eq(lit("reimburse"))),
        )
        .inner_join(classes, col(c::CLASS_ID), col(c::CLASS_ID))
        .filter(col(c::SUBMITTED_ON).lt(col(c::END_DATE)))
        .select(finding_columns(
            RuleId::P01,
            "claim",
            col(c::CLAIM_ID),
            Said::of(&m::P01, &[("submitted", col(c::SUBMITTED_ON)), ("class", col(c::CLASS_ID)), ("end", col(c::END_DATE))]),
        ))
}

/// P02 over_capacity: a class with more enrollments than its capacity (one finding per class).
pub fn p02_over_capacity(export: &Export, quarter: Quarter) -> LazyFrame {
    let counts = export.frame(Table::Enrollments).clone().lazy().group_by([col(c::CLASS_ID)]).agg([len().alias("enrollments")]);
    export
        .frame(Table::Classes)
        .clone()
        .lazy()
        .filter(in_quarter(col(c::START_DATE), quarter))
        .inner_join(counts, col(c::CLASS_ID), col(c::CLASS_ID))
        .filter(col("enrollments").cast(DataType::Int64).gt(col(c::CAPACITY)))
        .select(finding_columns(
            RuleId::P02,
            "class",
            col(c::CLASS_ID),
            Said::of(&m::P02, &[("enrollments", col("enrollments")), ("capacity", col(c::CAPACITY))]),
        ))
}

/// P04 claim_totals: a claim whose amount differs from the sum of its lines, or whose headcount
/// differs from its number of lines.
pub fn p04_claim_totals(export: &Export, quarter: Quarter) -> LazyFrame {
    let amount = c::fen(c::AMOUNT);
    let lines = export
        .frame(Table::ClaimLines)
        .clone()
        .lazy()
        .group_by([col(c::CLAIM_ID)])
        .agg([col(&amount).sum().alias("lines_fen"), len().cast(DataType::Int64).alias("lines")]);
    let amount_differs = col(&amount).neq(col("lines_fen"));
    let headcount_differs = col(c::HEADCOUNT).neq(col("lines"));
    let (amount_text, lines_text) = (yuan(col(&amount)), yuan(col("lines_fen")));
    export
        .frame(Table::Claims)
        .clone()
        .lazy()
        .filter(in_quarter(col(c::SUBMITTED_ON), quarter))
        .left_join(lines, col(c::CLAIM_ID), col(c::CLAIM_ID))
        .with_columns([col("lines_fen").fill_null(lit(0i64)), col("lines").fill_null(lit(0i64))])
        .filter(amount_differs.clone().or(headcount_differs.clone()))
        .select(finding_columns(
            RuleId::P04,
            "claim",
            col(c::CLAIM_ID),
            Said::when(
                amount_differs.clone().and(headcount_differs.clone()),
                Said::of(&m::P04_BOTH, &[("amount", amount_text.clone()), ("lines_sum", lines_text.clone()), ("headcount", col(c::HEADCOUNT)), ("lines", col("lines"))]),
                Said::when(
                    amount_differs,
                    Said::of(&m::P04_AMOUNT, &[("amount", amount_text), ("lines_sum", lines_text)]),
                    Said::of(&m::P04_HEADCOUNT, &[("headcount", col(c::HEADCOUNT)), ("lines", col("lines"))]),
                ),
            ),
        ))
}

/// One check-in of a person, for P03.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    /// The person's number (see `ingest::PersonIndex`).
    pub person: u32,
    /// Microseconds since 1970-01-01, local time.
    pub at: i64,
    pub enrollment_id: String,
    pub institution_id: String,
}

/// A P03 pair: two enrollments at different institutions, with their closest check-ins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub first: CheckIn,
    pub second: CheckIn,
}

/// Finds every pair of enrollments of one person at two institutions with check-ins less than
/// `window_seconds` apart, the later check-in within [`from`, `to`] (microseconds). `check_ins`
/// must be sorted by person, then time. One pair per enrollment pair: the first found.
pub fn double_presence(check_ins: &[CheckIn], window_seconds: i64, from: i64, to: i64) -> Vec<Presence> {
    let window = window_seconds * 1_000_000;
    let mut pairs: BTreeMap<(String, String), Presence> = BTreeMap::new();
    for (index, later) in check_ins.iter().enumerate() {
        if later.at < from || later.at > to {
            continue;
        }
        for earlier in check_ins[..index].iter().rev() {
            if earlier.person != later.person || later.at - earlier.at >= window {
                break;
            }
            if earlier.institution_id == later.institution_id {
                continue;
            }
            let key = if earlier.enrollment_id < later.enrollment_id {
                (earlier.enrollment_id.clone(), later.enrollment_id.clone())
            } else {
                (later.enrollment_id.clone(), earlier.enrollment_id.clone())
            };
            pairs.entry(key).or_insert_with(|| Presence { first: earlier.clone(), second: later.clone() });
        }
    }
    pairs.into_values().collect()
}

/// The entity of a P03 finding as charged to `institution`: the pair of enrollments in id order,
/// then the institution, so that the finding charged to each side has its own `flag_id` and an
/// appeal can name one side (`E1+E7@I2`) or the whole pair (`E1+E7`).
pub fn pair_entity(first: &str, second: &str, institution: &str) -> String {
    let (a, b) = if first <= second { (first, second) } else { (second, first) };
    format!("{a}+{b}@{institution}")
}

/// The pair an entity of [`pair_entity`] names (the entity itself for any other finding).
pub fn pair_of(entity: &str) -> &str {
    entity.split_once('@').map_or(entity, |(pair, _)| pair)
}

/// P03 double_presence over the export: one finding per pair, charged to both institutions.
pub fn p03_double_presence(export: &Export, policy: &Policy, quarter: Quarter) -> Result<DataFrame> {
    let window = policy.rules.procedural.double_presence_seconds;
    let micros = |date: chrono::NaiveDate, end: bool| {
        let time = if end { date.and_hms_micro_opt(23, 59, 59, 999_999) } else { date.and_hms_opt(0, 0, 0) };
        time.expect("valid time").and_utc().timestamp_micros()
    };
    let classes = export.frame(Table::Classes).clone().lazy().select([col(c::CLASS_ID), col(c::INSTITUTION_ID)]);
    let enrollments = export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .select([col(c::ENROLLMENT_ID), col(c::PERSON_ID), col(c::CLASS_ID)])
        .inner_join(classes, col(c::CLASS_ID), col(c::CLASS_ID));
    let at = col(c::CHECK_IN).cast(DataType::Int64);
    let close = |shift: i64| {
        let other_at = at.clone().shift(lit(shift)).over([col(c::PERSON_ID)]);
        let other_institution = col(c::INSTITUTION_ID).shift(lit(shift)).over([col(c::PERSON_ID)]);
        Ok::<_, PolarsError>(
            (at.clone() - other_at?).abs().lt(lit(window * 1_000_000)).and(other_institution?.neq(col(c::INSTITUTION_ID))).fill_null(lit(false)),
        )
    };
    // Only a person enrolled at two institutions can be in two places; most are not, so the
    // sign-ins of everyone else are dropped before anything is sorted.
    let enrollments = enrollments
        .clone()
        .join(
            enrollments
                .group_by([col(c::PERSON_ID)])
                .agg([col(c::INSTITUTION_ID).n_unique().alias("institutions")])
                .filter(col("institutions").gt(lit(1)))
                .select([col(c::PERSON_ID)]),
            [col(c::PERSON_ID)],
            [col(c::PERSON_ID)],
            JoinArgs::new(JoinType::Semi),
        )
        .collect_streaming()
        .context("P03: enrollments of persons at two or more institutions")?;
    // A few enrollments against every sign-in: a membership test over the sign-ins costs far
    // less than a join that hashes all of them.
    let suspect_enrollments = enrollments.column(c::ENROLLMENT_ID).context("P03")?.as_materialized_series().clone();
    let enrollments = enrollments.lazy();
    // Any close pair at two institutions implies an adjacent one (the institution changes at some
    // step between them), so only persons with an adjacent close pair need the full sweep.
    let earliest_day = quarter.first_day() - chrono::Duration::days(window.max(0) / 86_400 + 1);
    let sorted = export
        .scan_between(Table::Attendance, earliest_day, quarter.last_day())
        .select([col(c::ENROLLMENT_ID), col(c::CHECK_IN)])
        // A pair's later check-in lies in the quarter and its earlier one less than the window
        // before it, so sign-ins outside [quarter start − window, quarter end] pair with nothing.
        .filter(
            col(c::CHECK_IN)
                .cast(DataType::Int64)
                .gt(lit(micros(quarter.first_day(), false) - window * 1_000_000))
                .and(col(c::CHECK_IN).cast(DataType::Int64).lt_eq(lit(micros(quarter.last_day(), true)))),
        )
        .filter(col(c::ENROLLMENT_ID).is_in(lit(suspect_enrollments).implode(false), false))
        .inner_join(enrollments, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
        .sort_by_exprs([col(c::PERSON_ID), col(c::CHECK_IN), col(c::ENROLLMENT_ID)], SortMultipleOptions::default());
    let suspects = sorted
        .clone()
        .filter(close(1).context("P03 neighbours")?)
        .select([col(c::PERSON_ID)])
        .unique_stable(None, UniqueKeepStrategy::First);
    let rows = sorted
        .join(suspects, [col(c::PERSON_ID)], [col(c::PERSON_ID)], JoinArgs::new(JoinType::Semi))
        .sort_by_exprs([col(c::PERSON_ID), col(c::CHECK_IN), col(c::ENROLLMENT_ID)], SortMultipleOptions::default())
        .select([col(c::PERSON_ID), at.alias("at"), col(c::ENROLLMENT_ID), col(c::INSTITUTION_ID)])
        .collect_streaming()
        .context("P03: collecting check-ins of suspect persons")?;
    let persons = rows.column(c::PERSON_ID).context("P03")?.u32().context("P03")?;
    let ats = rows.column("at").context("P03")?.i64().context("P03")?;
    let enrollments = rows.column(c::ENROLLMENT_ID).context("P03")?.str().context("P03")?;
    let institutions = rows.column(c::INSTITUTION_ID).context("P03")?.str().context("P03")?;
    let check_ins: Vec<CheckIn> = (0..rows.height())
        .filter_map(|i| {
            Some(CheckIn {
                person: persons.get(i)?,
                at: ats.get(i)?,
                enrollment_id: enrollments.get(i)?.to_string(),
                institution_id: institutions.get(i)?.to_string(),
            })
        })
        .collect();
    let pairs = double_presence(&check_ins, window, micros(quarter.first_day(), false), micros(quarter.last_day(), true));
    let mut institution_ids = Vec::new();
    let mut entities = Vec::new();
    let mut evidence = Vec::new();
    let format_time = |at: i64| {
        chrono::DateTime::from_timestamp_micros(at).map(|t| t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
    };
    for pair in pairs {
        let (a, b) = (&pair.first, &pair.second);
        let person = export.persons.pseudonym(a.person).unwrap_or_default();
        let said = Stored::new(
            &m::P03,
            &[
                ("person", &person[..person.len().min(12)]),
                ("first_at", &format_time(a.at)),
                ("first_enrollment", &a.enrollment_id),
                ("first_institution", &a.institution_id),
                ("second_at", &format_time(b.at)),
                ("second_enrollment", &b.enrollment_id),
                ("second_institution", &b.institution_id),
                ("seconds", &((b.at - a.at) / 1_000_000).to_string()),
            ],
        );
        for institution in [&a.institution_id, &b.institution_id] {
            institution_ids.push(institution.clone());
            entities.push(pair_entity(&a.enrollment_id, &b.enrollment_id, institution));
            evidence.push(said.clone());
        }
    }
    let height = entities.len();
    let [code, args] = evidence::columns(EVIDENCE_CODE, EVIDENCE_ARGS, &evidence).context("building P03's evidence")?;
    DataFrame::new(
        height,
        vec![
            Column::new(c::RULE.into(), vec![RuleId::P03.as_str(); height]),
            Column::new(c::INSTITUTION_ID.into(), institution_ids),
            Column::new(ENTITY_KIND.into(), vec!["enrollment"; height]),
            Column::new(c::ENTITY_ID.into(), entities),
            code,
            args,
        ],
    )
    .context("building P03's findings")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_in(person: u32, seconds: i64, enrollment: &str, institution: &str) -> CheckIn {
        CheckIn { person, at: seconds * 1_000_000, enrollment_id: enrollment.into(), institution_id: institution.into() }
    }

    #[test]
    fn pairs_closer_than_the_window_at_two_institutions() {
        let check_ins = vec![
            check_in(1, 0, "e1", "A"),
            check_in(1, 3599, "e2", "B"),
            check_in(1, 10_000, "e1", "A"),
            check_in(1, 13_600, "e2", "B"), // exactly 3600 s: not less than the window
            check_in(2, 0, "e3", "A"),
            check_in(2, 10, "e4", "A"), // same institution
        ];
        let pairs = double_presence(&check_ins, 3600, 0, i64::MAX);
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].first.enrollment_id, "e1");
        assert_eq!(pairs[0].second.at, 3_599_000_000);
    }

    #[test]
    fn a_third_institution_in_between_still_pairs_the_outer_two() {
        let check_ins = vec![check_in(1, 0, "e1", "A"), check_in(1, 10, "e2", "B"), check_in(1, 20, "e3", "C")];
        let pairs = double_presence(&check_ins, 3600, 0, i64::MAX);
        let keys: Vec<(String, String)> =
            pairs.iter().map(|p| (p.first.enrollment_id.clone(), p.second.enrollment_id.clone())).collect();
        assert_eq!(keys, vec![("e1".into(), "e2".into()), ("e1".into(), "e3".into()), ("e2".into(), "e3".into())]);
    }

    #[test]
    fn only_pairs_whose_later_check_in_is_in_scope() {
        let check_ins = vec![check_in(1, 0, "e1", "A"), check_in(1, 10, "e2", "B")];
        assert!(double_presence(&check_ins, 3600, 10_000_001, i64::MAX).is_empty());
        assert_eq!(double_presence(&check_ins, 3600, 10_000_000, 10_000_000).len(), 1);
    }
}
