//! The export's coverage: the first and last day each dated table observes (claims submitted,
//! sign-ins, employment months, assessments, surveys answered), over the kept rows.
//!
//! An indicator whose window runs past the last observed day would count what has not been
//! delivered yet as what did not happen: 0% employed, 0% passed. Coverage is computed once,
//! printed by `check` and `evaluate`, recorded in `summary.json`, and decides which indicators
//! have no data for a quarter (`features::completeness`).

use super::contract::Table;
use super::Export;
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use chrono::NaiveDate;
use polars::prelude::*;
use serde::Serialize;

/// The dated tables and the column that dates their rows, in the order they are shown.
pub const DATED: [(Table, &str); 5] = [
    (Table::Claims, c::SUBMITTED_ON),
    (Table::Attendance, c::CHECK_IN),
    (Table::Employment, c::MONTH),
    (Table::Assessments, c::EXAM_DATE),
    (Table::Surveys, c::ANSWERED_ON),
];

/// What one dated table covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCoverage {
    pub table: &'static str,
    pub column: &'static str,
    /// Whether the export holds the table at all (optional tables may be absent).
    pub present: bool,
    /// First and last day of `column` over the kept rows; `None` when no kept row is dated.
    #[serde(serialize_with = "day_text")]
    pub first: Option<NaiveDate>,
    #[serde(serialize_with = "day_text")]
    pub last: Option<NaiveDate>,
}

fn day_text<S: serde::Serializer>(day: &Option<NaiveDate>, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    match day {
        Some(day) => serializer.serialize_str(&day.format("%Y-%m-%d").to_string()),
        None => serializer.serialize_none(),
    }
}

/// The export's coverage, table by table in [`DATED`] order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Coverage {
    pub tables: Vec<TableCoverage>,
}

impl Coverage {
    /// The coverage of an ingested export. A streamed sign-in table is not read again: the
    /// ranges of its files, found while validating, are used (they include rejected rows).
    pub fn of(export: &Export) -> Result<Coverage> {
        let mut tables = Vec::with_capacity(DATED.len());
        for (table, column) in DATED {
            let ingested = export.table(table);
            let (first, last) = match &ingested.streamed {
                Some(parts) => {
                    let low = parts.iter().filter_map(|part| part.time_range.map(|(low, _)| low)).min();
                    let high = parts.iter().filter_map(|part| part.time_range.map(|(_, high)| high)).max();
                    (low.and_then(day_of_micros), high.and_then(day_of_micros))
                }
                None => span(&ingested.frame, column)?,
            };
            tables.push(TableCoverage { table: table.name(), column, present: ingested.present(), first, last });
        }
        Ok(Coverage { tables })
    }

    /// The coverage of `table` (one of [`DATED`]).
    pub fn table(&self, table: Table) -> Option<&TableCoverage> {
        self.tables.iter().find(|coverage| coverage.table == table.name())
    }

    /// One line per table: `claims (submitted_on): 2025-01-02 … 2026-09-30`.
    pub fn lines(&self) -> Vec<String> {
        self.tables.iter().map(TableCoverage::describe).collect()
    }
}

impl TableCoverage {
    /// `claims (submitted_on): 2025-01-02 … 2026-09-30`, or why there is no range.
    pub fn describe(&self) -> String {
        let range = match (self.present, self.first, self.last) {
            (false, ..) => "absent".to_string(),
            (true, Some(first), Some(last)) => format!("{first} … {last}"),
            (true, ..) => "no rows".to_string(),
        };
        format!("{} ({}): {range}", self.table, self.column)
    }
}

/// Days since 1970-01-01 to a date.
fn day_of_epoch(days: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(days))
}

/// The day of a local timestamp in microseconds.
fn day_of_micros(micros: i64) -> Option<NaiveDate> {
    day_of_epoch(micros.div_euclid(86_400_000_000))
}

/// First and last day of a date or timestamp column.
fn span(frame: &DataFrame, column: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let what = format!("the coverage of {column}");
    let values = frame.column(column).context(&what)?;
    let is_timestamp = matches!(values.dtype(), DataType::Datetime(..));
    let physical = values.to_physical_repr().cast(&DataType::Int64).context(&what)?;
    let numbers = physical.i64().context(&what)?;
    let day = |value: i64| if is_timestamp { day_of_micros(value) } else { day_of_epoch(value) };
    Ok((numbers.min().and_then(day), numbers.max().and_then(day)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_described_by_its_range_or_why_it_has_none() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        let mut coverage =
            TableCoverage { table: "claims", column: "submitted_on", present: true, first: day("2025-01-02"), last: day("2026-09-30") };
        assert_eq!(coverage.describe(), "claims (submitted_on): 2025-01-02 … 2026-09-30");
        coverage.first = None;
        coverage.last = None;
        assert_eq!(coverage.describe(), "claims (submitted_on): no rows");
        coverage.present = false;
        assert_eq!(coverage.describe(), "claims (submitted_on): absent");
    }

    #[test]
    fn timestamps_fall_on_their_local_day() {
        assert_eq!(day_of_micros(0), NaiveDate::from_ymd_opt(1970, 1, 1));
        assert_eq!(day_of_micros(86_400_000_000 - 1), NaiveDate::from_ymd_opt(1970, 1, 1));
        assert_eq!(day_of_micros(-1), NaiveDate::from_ymd_opt(1969, 12, 31));
    }
}
