//! Row validation: every row of a table is either used or rejected with a reason, never dropped
//! silently. A row is rejected (data contract, "Rules of reading") when a required value is
//! missing, an enum value is unknown, a value is impossible, its primary key is duplicated
//! (every copy), or a foreign key points at no kept row of its parent. The first reason in that
//! order is the one recorded.
//!
//! Two dangling references are findings, not rejects, and so are not checked here: a claim line
//! whose enrollment is missing or rejected (rule R07) and a malformed person id (rule R03).

use super::contract::{Logical, Table};
use super::PersonIndex;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::quarter::Quarter;
use crate::query::CollectStreaming;
use crate::vocab::messages::{self, ingest as m};
use crate::vocab::{Lang, Message};
use polars::prelude::*;
use std::collections::BTreeMap;

/// Internal column: how many rows share a duplicated primary key.
const COPIES_COLUMN: &str = "__copies";
/// Internal column: the row fails at least one check.
const FAILED_COLUMN: &str = "__failed";

/// The outcome of validating one table.
#[derive(Debug, Clone)]
pub struct Validated {
    /// The rows kept, with the canonical columns.
    pub kept: DataFrame,
    /// `table`, `row_key`, `reason`, `reason_code`, `reason_args` for every rejected row.
    pub rejects: DataFrame,
}

/// A named check: where `failed` holds, the row is rejected with `message` and its arguments
/// (expressions: a value of the row may be one).
struct Check {
    failed: Expr,
    message: &'static Message,
    args: Vec<(&'static str, Expr)>,
}

fn check(failed: Expr, message: &'static Message, args: &[(&'static str, &str)]) -> Check {
    Check { failed, message, args: args.iter().map(|(name, value)| (*name, lit(value.to_string()))).collect() }
}

/// The checks of every row on its own, in the order their reasons are preferred: required
/// values, enum values, impossible values.
fn value_checks(table: Table) -> Vec<Check> {
    let mut checks = Vec::new();
    for spec in table.columns() {
        let name = super::read::canonical_name(spec);
        if spec.required {
            checks.push(check(col(&name).is_null(), &m::MISSING_REQUIRED, &[("column", spec.name)]));
        }
    }
    // Marked by the reader (`read::money_to_fen`); before "negative", which the marks also are.
    for spec in table.columns().iter().filter(|spec| spec.logical == Logical::Money) {
        let fen = col(super::read::canonical_name(spec));
        checks.push(check(fen.clone().eq(lit(super::read::NOT_FINITE_FEN)), &m::NOT_FINITE, &[("column", spec.name)]));
        checks.push(check(
            fen.eq(lit(super::read::OUT_OF_RANGE_FEN)),
            &m::OUT_OF_RANGE,
            &[("column", spec.name), ("max", &crate::money::yuan(crate::money::MAX_FEN))],
        ));
    }
    for spec in table.columns().iter().filter(|spec| !spec.allowed.is_empty()) {
        let allowed = Series::new("allowed".into(), spec.allowed);
        let unknown = col(spec.name).is_not_null().and(col(spec.name).is_in(lit(allowed).implode(false), false).not());
        let args = vec![("value", col(spec.name)), ("column", lit(spec.name)), ("allowed", lit(spec.allowed.join(", ")))];
        checks.push(Check { failed: unknown, message: &m::UNKNOWN_VALUE, args });
    }
    checks.extend(impossible_values(table));
    checks
}

/// A duplicated primary key: the rows carry [`COPIES_COLUMN`] from a join with the duplicated keys.
fn duplicate_check(table: Table) -> Check {
    Check {
        failed: col(COPIES_COLUMN).is_not_null(),
        message: &m::DUPLICATE_KEY,
        args: vec![("key", lit(table.primary_key().join(", "))), ("copies", col(COPIES_COLUMN))],
    }
}

fn foreign_key_checks(table: Table, parent_keys: &BTreeMap<Table, Series>) -> Vec<Check> {
    let mut checks = Vec::new();
    for foreign in table.foreign_keys() {
        let Some(parents) = parent_keys.get(&foreign.parent) else { continue };
        let dangling =
            col(foreign.column).is_not_null().and(col(foreign.column).is_in(lit(parents.clone()).implode(false), false).not());
        let args = vec![("column", lit(foreign.column)), ("value", col(foreign.column)), ("parent", lit(foreign.parent.name()))];
        checks.push(Check { failed: dangling, message: &m::UNKNOWN_PARENT, args });
    }
    checks
}

/// Every check of `table`, in order; `duplicated` when some primary key is held by several rows
/// (the rows then carry [`COPIES_COLUMN`]).
fn all_checks(table: Table, duplicated: bool, parent_keys: &BTreeMap<Table, Series>) -> Vec<Check> {
    let mut checks = value_checks(table);
    if duplicated {
        checks.push(duplicate_check(table));
    }
    checks.extend(foreign_key_checks(table, parent_keys));
    checks
}

/// The reason of each check, as its code and its arguments (null where the check holds).
struct Reasons {
    codes: Vec<Expr>,
    args: Vec<Expr>,
}

/// Whether a row fails any check (reasons are built only for the rows that fail), and the
/// reason of each check.
fn failed_and_reasons(checks: Vec<Check>) -> (Expr, Reasons) {
    let any_failed = checks
        .iter()
        .map(|check| check.failed.clone().fill_null(lit(false)))
        .reduce(|a, b| a.or(b))
        .unwrap_or_else(|| lit(false));
    let mut reasons = Reasons { codes: Vec::new(), args: Vec::new() };
    for check in checks {
        let failed = check.failed.fill_null(lit(false));
        reasons.codes.push(when(failed.clone()).then(check.message.code_expr()).otherwise(lit(NULL).cast(DataType::String)));
        reasons.args.push(when(failed).then(check.message.args_expr(&check.args)).otherwise(lit(NULL).cast(DataType::List(Box::new(DataType::String)))));
    }
    (any_failed, reasons)
}

/// Rows with [`COPIES_COLUMN`] joined on where their key is duplicated.
fn mark_duplicated(rows: LazyFrame, table: Table, duplicated: &DataFrame) -> LazyFrame {
    if duplicated.height() == 0 {
        return rows;
    }
    let key_columns: Vec<Expr> = table.primary_key().iter().map(|k| col(*k)).collect();
    let mut args = JoinArgs::new(JoinType::Left);
    args.maintain_order = MaintainOrderJoin::Left;
    args.nulls_equal = false;
    rows.join(duplicated.clone().lazy(), key_columns.clone(), key_columns, args)
}

/// `table`, `row_key`, `reason` (in Chinese, the default: a run renders it again in its
/// language), `reason_code` and `reason_args` of the rows that failed (all columns,
/// [`FAILED_COLUMN`] true). The first failed check of a row is its reason.
fn rejects_of(table: Table, mut rejected: DataFrame, reasons: &Reasons, persons: &PersonIndex) -> Result<DataFrame> {
    if table.primary_key().contains(&c::PERSON_ID) {
        // A rejected row's key names its person by pseudonym, not by the engine's number.
        let pseudonyms = persons.pseudonyms(rejected.column(c::PERSON_ID).context("rejected rows")?, c::PERSON_ID)?;
        rejected.with_column(pseudonyms).context("rejected rows")?;
    }
    let code = format!("{}_code", c::REASON);
    let args = format!("{}_args", c::REASON);
    let mut rejects = rejected
        .lazy()
        .select([
            lit(table.name()).alias(c::TABLE),
            row_key(table).alias(c::ROW_KEY),
            coalesce(&reasons.codes).alias(&code),
            coalesce(&reasons.args).alias(&args),
        ])
        .collect_streaming()
        .context("collecting rejected rows")?;
    let text = messages::render_column(&rejects, &code, &args, Lang::Zh, c::REASON).context("rendering reject reasons")?;
    rejects.insert_column(2, text).context("rendering reject reasons")?;
    Ok(rejects)
}

/// Validates `frame` (canonical columns of `table`) against the contract; `parent_keys` holds
/// the kept primary keys of every parent table validated before.
pub fn validate(table: Table, frame: DataFrame, parent_keys: &BTreeMap<Table, Series>, persons: &PersonIndex) -> Result<Validated> {
    let frame = with_eager_checks(table, frame)?;
    // Duplicated keys are rare: find them once, and join the few duplicated keys back, rather
    // than a window over every row.
    let duplicated = duplicated_keys(&frame, table.primary_key(), key_present(table))?;
    let (any_failed, reasons) = failed_and_reasons(all_checks(table, duplicated.height() > 0, parent_keys));
    let marked = mark_duplicated(frame.lazy(), table, &duplicated)
        .with_column(any_failed.alias(FAILED_COLUMN))
        .collect_streaming()
        .context(&format!("validating table {}", table.name()))?;
    let kept = marked
        .clone()
        .lazy()
        .filter(col(FAILED_COLUMN).not())
        .select(canonical_columns(table))
        .collect_streaming()
        .context("keeping valid rows")?;
    let rejected = marked.lazy().filter(col(FAILED_COLUMN)).collect_streaming().context("collecting rejected rows")?;
    let rejects = rejects_of(table, rejected, &reasons, persons)?;
    Ok(Validated { kept, rejects })
}

/// One file of a table left on disk: its rows (canonical columns, lazily read) and the same rows
/// in consecutive slices.
pub struct StreamedFile {
    pub rows: LazyFrame,
    pub batches: Vec<LazyFrame>,
}

/// The kept rows of one file of a streamed table, and the range of its time column (physical
/// value, e.g. microseconds of `check_in`) when the table has one and the file a value in it: a
/// stage that wants a few days reads only the files whose range meets them.
#[derive(Clone)]
pub struct KeptPart {
    pub rows: LazyFrame,
    pub time_range: Option<(i64, i64)>,
}

/// A table validated without being held: its kept rows are plans that read them again.
#[derive(Clone)]
pub struct StreamedValidated {
    /// The kept rows with the canonical columns, file by file: the rows with every check applied.
    pub kept: Vec<KeptPart>,
    pub rows_read: usize,
    /// `table`, `row_key`, `reason` for every rejected row.
    pub rejects: DataFrame,
}

/// As [`validate`], for a table too large to hold: its files are scanned for rejects, and their
/// slices for the primary-key hashes and the range of the time column. The same rows are kept
/// and rejected, with the same reasons, as [`validate`] would.
pub fn validate_streamed(
    table: Table,
    files: Vec<StreamedFile>,
    parent_keys: &BTreeMap<Table, Series>,
    persons: &PersonIndex,
) -> Result<StreamedValidated> {
    let key = table.primary_key();
    let key_columns: Vec<Expr> = key.iter().map(|k| col(*k)).collect();
    let mut read_columns = key_columns.clone();
    if let Some(time) = table.time_column().filter(|time| !key.contains(time)) {
        read_columns.push(col(time));
    }
    let mut hashes = Vec::new();
    let mut time_ranges = Vec::with_capacity(files.len());
    for file in &files {
        let mut range: Option<(i64, i64)> = None;
        for batch in &file.batches {
            let slice = batch
                .clone()
                .select(read_columns.clone())
                .collect_streaming()
                .context(&format!("hashing the primary keys of table {}", table.name()))?;
            hashes.extend(key_hashes(&slice, key)?);
            if let Some(time) = table.time_column() {
                let what = format!("the range of {time} in table {}", table.name());
                let physical = slice.column(time).context(&what)?.to_physical_repr().cast(&DataType::Int64).context(&what)?;
                let values = physical.i64().context(&what)?;
                if let (Some(low), Some(high)) = (values.min(), values.max()) {
                    range = Some(range.map_or((low, high), |(a, b)| (a.min(low), b.max(high))));
                }
            }
        }
        time_ranges.push(range);
    }
    let rows_read = hashes.len();
    hashes.sort_unstable();
    let repeated: foldhash::HashSet<u64> = hashes.windows(2).filter(|pair| pair[0] == pair[1]).map(|pair| pair[0]).collect();
    drop(hashes);
    let duplicated = if repeated.is_empty() {
        DataFrame::empty_with_schema(&Schema::default())
    } else {
        // Only the rows whose hash repeats are counted by their exact keys.
        let mut candidates = Vec::new();
        for batch in files.iter().flat_map(|file| &file.batches) {
            let keys = batch.clone().select(key_columns.clone()).collect_streaming().context("reading repeated primary keys")?;
            let hashes = key_hashes(&keys, key)?;
            let mask: BooleanChunked = hashes.iter().map(|hash| repeated.contains(hash)).collect();
            candidates.push(keys.filter(&mask).context("reading repeated primary keys")?.lazy());
        }
        let candidates = concat(candidates, UnionArgs::default()).context("reading repeated primary keys")?;
        candidates
            .filter(key_present(table))
            .group_by(key_columns.clone())
            .agg([len().alias(COPIES_COLUMN)])
            .filter(col(COPIES_COLUMN).gt(lit(1)))
            .collect_streaming()
            .context("counting key copies")?
    };
    let (any_failed, reasons) = failed_and_reasons(all_checks(table, duplicated.height() > 0, parent_keys));
    let (rejects, rejected_keys) = if files.is_empty() {
        (DataFrame::empty_with_schema(&reject_schema()), DataFrame::empty_with_schema(&Schema::default()))
    } else {
        // The checks run once over all files stacked, not per file: a foreign-key check builds
        // a set of every parent key (millions of enrollments), once.
        let rows = concat(files.iter().map(|file| file.rows.clone()).collect::<Vec<_>>(), UnionArgs { parallel: false, ..Default::default() })
            .context(&format!("table {}: stacking its files", table.name()))?;
        let rejected = mark_duplicated(rows, table, &duplicated)
            .with_column(any_failed.alias(FAILED_COLUMN))
            .filter(col(FAILED_COLUMN))
            .collect_streaming()
            .context(&format!("validating table {}", table.name()))?;
        let keys = rejected
            .clone()
            .lazy()
            .filter(key_present(table))
            .select(key_columns.clone())
            .unique(None, UniqueKeepStrategy::Any)
            .collect()
            .context("keys of rejected rows")?;
        (rejects_of(table, rejected, &reasons, persons)?, keys)
    };
    // A row is rejected exactly when a part of its key is missing or its key is a rejected row's:
    // a key held by two rows is duplicated, and every copy is rejected. So the stages that read
    // the kept rows again test only that, not every check.
    let kept = files
        .into_iter()
        .zip(time_ranges)
        .map(|(file, time_range)| {
            let mut rows = file.rows.filter(key_present(table));
            if rejected_keys.height() > 0 {
                rows = rows.join(
                    rejected_keys.clone().lazy(),
                    key_columns.clone(),
                    key_columns.clone(),
                    JoinArgs::new(JoinType::Anti),
                );
            }
            KeptPart { rows: rows.select(canonical_columns(table)), time_range }
        })
        .collect();
    Ok(StreamedValidated { kept, rows_read, rejects })
}

/// The columns of a table's rejects.
fn reject_schema() -> Schema {
    [c::TABLE, c::ROW_KEY, c::REASON].into_iter().map(|name| (name.into(), DataType::String)).collect()
}

/// Every part of the row's primary key is present: only such keys can be duplicated.
fn key_present(table: Table) -> Expr {
    table.primary_key().iter().map(|k| col(*k).is_not_null()).reduce(|a, b| a.and(b)).expect("keys are not empty")
}

/// Internal column: a 64-bit hash of the row's primary key.
const KEY_HASH_COLUMN: &str = "__key_hash";

/// The primary keys (with a key present) that more than one row of `frame` holds, with their
/// number of copies in [`COPIES_COLUMN`].
///
/// Grouping 15 million sign-ins by (enrollment_id, check_in) builds a hash table of 15 million
/// text keys to find, usually, none repeated. Hashing each key to 64 bits first and grouping
/// the integers finds the few candidates (a repeated hash: a repeated key or, rarely, a
/// collision) at a fraction of the cost; the exact keys are then counted for those rows only,
/// so a collision never rejects a row.
fn duplicated_keys(frame: &DataFrame, key: &[&str], key_present: Expr) -> Result<DataFrame> {
    let key_columns: Vec<Expr> = key.iter().map(|k| col(*k)).collect();
    let hashes = key_hashes(frame, key)?;
    let mut hashed = frame.select(key.iter().copied()).context("hashing primary keys")?;
    hashed.with_column(Column::new(KEY_HASH_COLUMN.into(), hashes)).context("hashing primary keys")?;
    let hashed = hashed.lazy().filter(key_present);
    let repeated = hashed
        .clone()
        .group_by([col(KEY_HASH_COLUMN)])
        .agg([len().alias(COPIES_COLUMN)])
        .filter(col(COPIES_COLUMN).gt(lit(1)))
        .select([col(KEY_HASH_COLUMN)]);
    hashed
        .join(repeated, [col(KEY_HASH_COLUMN)], [col(KEY_HASH_COLUMN)], JoinArgs::new(JoinType::Semi))
        .group_by(key_columns)
        .agg([len().alias(COPIES_COLUMN)])
        .filter(col(COPIES_COLUMN).gt(lit(1)))
        .collect_streaming()
        .context("counting key copies")
}

/// A 64-bit hash of every row's primary key (text by its bytes, anything else by its physical
/// integer; a missing value hashes apart from every present one).
fn key_hashes(frame: &DataFrame, key: &[&str]) -> Result<Vec<u64>> {
    use std::hash::BuildHasher;
    let state = foldhash::fast::FixedState::with_seed(0x7472_6169_6e63_7265);
    let mix = |hash: u64, value: u64| state.hash_one((hash, value));
    let mut hashes = vec![0u64; frame.height()];
    for name in key {
        let what = format!("hashing key column {name}");
        let column = frame.column(name).context(&what)?;
        if column.dtype() == &DataType::String {
            for (hash, value) in hashes.iter_mut().zip(column.str().context(&what)?.iter()) {
                *hash = mix(*hash, value.map_or(u64::MAX, |text| state.hash_one(text)));
            }
        } else {
            let physical = column.to_physical_repr().cast(&DataType::Int64).context(&what)?;
            for (hash, value) in hashes.iter_mut().zip(physical.i64().context(&what)?.iter()) {
                *hash = mix(*hash, value.map_or(u64::MAX, |number| state.hash_one(number)));
            }
        }
    }
    Ok(hashes)
}

fn canonical_columns(table: Table) -> Vec<Expr> {
    let mut columns: Vec<Expr> = table.columns().iter().map(|spec| col(super::read::canonical_name(spec))).collect();
    // The person facts derived from the raw id are kept where the rules read them (R03, R04):
    // on enrollments. Elsewhere the form was needed only to count raw and hashed ids, and
    // employment repeats it for every contribution month.
    if table == Table::Enrollments {
        columns.extend([col(c::PERSON_ID_FORM), col(c::BIRTH_DATE), col(c::MALE)]);
    }
    columns
}

/// `name=value, name=value` of the primary key; person ids in it are already pseudonymised.
pub fn row_key(table: Table) -> Expr {
    let parts: Vec<Expr> = table
        .primary_key()
        .iter()
        .enumerate()
        .map(|(index, key)| {
            let logical = table.columns().iter().find(|spec| spec.name == *key).map(|spec| spec.logical);
            let value = match logical {
                Some(Logical::Timestamp) => col(*key).dt().strftime("%Y-%m-%d %H:%M:%S"),
                _ => col(*key).cast(DataType::String),
            };
            let separator = if index == 0 { "" } else { ", " };
            concat_str([lit(format!("{separator}{key}=")), value.fill_null(lit("null"))], "", false)
        })
        .collect();
    concat_str(parts, "", false)
}

fn negative(column: &str) -> Check {
    check(col(column).lt(lit(0)), &m::NEGATIVE, &[("column", column.trim_end_matches(c::FEN_SUFFIX))])
}

fn outside(column: &str, low: i64, high: i64) -> Check {
    check(col(column).lt(lit(low)).or(col(column).gt(lit(high))), &m::OUTSIDE, &[("column", column), ("low", &low.to_string()), ("high", &high.to_string())])
}

/// The impossible values of each table: negative amounts and counts, reversed intervals and
/// values outside their scales.
fn impossible_values(table: Table) -> Vec<Check> {
    let fen = c::fen;
    match table {
        Table::Institutions => vec![negative(c::CAPACITY)],
        Table::Classes => vec![
            outside(c::LEVEL, 0, 5),
            check(col(c::END_DATE).lt(col(c::START_DATE)), &m::BEFORE, &[("later", c::END_DATE), ("earlier", c::START_DATE)]),
            check(col(c::PLANNED_HOURS).lt_eq(lit(0)), &m::NOT_POSITIVE, &[("column", c::PLANNED_HOURS)]),
            negative(c::CAPACITY),
            negative(&fen(c::SUBSIDY_PER_HEAD)),
        ],
        Table::Attendance => {
            vec![check(col(c::CHECK_OUT).lt(col(c::CHECK_IN)), &m::BEFORE, &[("later", c::CHECK_OUT), ("earlier", c::CHECK_IN)])]
        }
        Table::Assessments => vec![
            outside(c::LEVEL, 0, 5),
            check(
                col(c::SCORE).lt(lit(0.0)).or(col(c::SCORE).gt(lit(100.0))).or(col(c::SCORE).is_nan()),
                &m::OUTSIDE,
                &[("column", c::SCORE), ("low", "0"), ("high", "100")],
            ),
            negative(&fen(c::FEE)),
        ],
        Table::Employment => vec![negative(&fen(c::CONTRIBUTION))],
        Table::Claims => vec![negative(c::HEADCOUNT), negative(&fen(c::AMOUNT)), negative(&fen(c::PAID_AMOUNT))],
        Table::ClaimLines => vec![negative(&fen(c::AMOUNT)), negative(c::DAYS)],
        Table::Surveys => vec![outside(c::SCORE, 1, 5)],
        Table::CaseDecisions => vec![negative(&fen(c::AMOUNT_DEFRAUDED))],
        Table::Sanctions => vec![
            check(col(BAD_FROM_QUARTER), &m::NOT_QUARTER, &[("column", c::FROM_QUARTER)]),
            check(col(BAD_UNTIL_QUARTER), &m::NOT_QUARTER, &[("column", c::UNTIL_QUARTER)]),
            check(col(UNTIL_BEFORE_FROM), &m::BEFORE, &[("later", c::UNTIL_QUARTER), ("earlier", c::FROM_QUARTER)]),
        ],
        Table::Enrollments | Table::Appeals => Vec::new(),
    }
}

const BAD_FROM_QUARTER: &str = "__bad_from_quarter";
const BAD_UNTIL_QUARTER: &str = "__bad_until_quarter";
const UNTIL_BEFORE_FROM: &str = "__until_before_from";

/// Checks easier to state in Rust than as expressions, added as boolean helper columns.
fn with_eager_checks(table: Table, mut frame: DataFrame) -> Result<DataFrame> {
    if table != Table::Sanctions {
        return Ok(frame);
    }
    let parse = |name: &str| -> Result<Vec<Option<std::result::Result<Quarter, ()>>>> {
        Ok(frame
            .column(name)
            .context("reading sanction quarters")?
            .str()
            .context("reading sanction quarters")?
            .iter()
            .map(|value| value.map(|text| text.parse::<Quarter>().map_err(|_| ())))
            .collect())
    };
    let from = parse(c::FROM_QUARTER)?;
    let until = parse(c::UNTIL_QUARTER)?;
    let bad_from: Vec<bool> = from.iter().map(|q| matches!(q, Some(Err(())))).collect();
    let bad_until: Vec<bool> = until.iter().map(|q| matches!(q, Some(Err(())))).collect();
    let reversed: Vec<bool> = from
        .iter()
        .zip(&until)
        .map(|(from, until)| matches!((from, until), (Some(Ok(from)), Some(Ok(until))) if until < from))
        .collect();
    frame
        .with_column(Column::new(BAD_FROM_QUARTER.into(), bad_from))
        .and_then(|frame| frame.with_column(Column::new(BAD_UNTIL_QUARTER.into(), bad_until)))
        .and_then(|frame| frame.with_column(Column::new(UNTIL_BEFORE_FROM.into(), reversed)))
        .context("checking sanction quarters")?;
    Ok(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sign-ins as (enrollment_id, check-in microseconds).
    fn sign_ins(rows: &[(Option<&str>, i64)]) -> DataFrame {
        let check_in = Column::new(c::CHECK_IN.into(), rows.iter().map(|r| r.1).collect::<Vec<_>>())
            .cast(&DataType::Datetime(TimeUnit::Microseconds, None))
            .unwrap();
        DataFrame::new(rows.len(), vec![Column::new(c::ENROLLMENT_ID.into(), rows.iter().map(|r| r.0).collect::<Vec<_>>()), check_in]).unwrap()
    }

    fn copies(frame: &DataFrame) -> Vec<(String, i64, u32)> {
        let found = duplicated_keys(frame, &[c::ENROLLMENT_ID, c::CHECK_IN], col(c::ENROLLMENT_ID).is_not_null()).unwrap();
        let found = found.sort([c::ENROLLMENT_ID], Default::default()).unwrap();
        let ids = found.column(c::ENROLLMENT_ID).unwrap().str().unwrap().clone();
        let times = found.column(c::CHECK_IN).unwrap().to_physical_repr().cast(&DataType::Int64).unwrap();
        let counts = found.column(COPIES_COLUMN).unwrap().cast(&DataType::UInt32).unwrap();
        (0..found.height())
            .map(|i| (ids.get(i).unwrap().to_string(), times.i64().unwrap().get(i).unwrap(), counts.u32().unwrap().get(i).unwrap()))
            .collect()
    }

    #[test]
    fn a_key_is_duplicated_only_when_every_part_repeats() {
        let frame = sign_ins(&[
            (Some("E1"), 100),
            (Some("E1"), 100),
            (Some("E1"), 100),
            (Some("E1"), 101), // same enrollment, another second
            (Some("E2"), 100), // same second, another enrollment
            (None, 5),
            (None, 5), // a missing key part is a missing value, not a duplicate
        ]);
        assert_eq!(copies(&frame), vec![("E1".to_string(), 100, 3)]);
    }

    #[test]
    fn distinct_keys_have_no_copies() {
        let frame = sign_ins(&[(Some("E1"), 1), (Some("E10"), 1), (Some("E1"), 10)]);
        assert!(copies(&frame).is_empty());
    }
}
