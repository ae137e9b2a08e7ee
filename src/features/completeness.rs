//! Whether the export can answer for quarter Q: which indicators have no data (and why), and
//! when a run must refuse rather than score an incomplete picture.
//!
//! Missing is not zero (`../shared/spec/policy.md`): an indicator whose source table has no rows,
//! or whose window reaches past the last day the export observes in that table, has no value; it
//! is left out and the weights of the rest renormalised. What "reaches past" means, per indicator
//! (the month each needs observed, from `indicators.toml`):
//!
//! - employment_rate, retention_rate read `employment`: the last month of their window, i.e. the
//!   end month of the window's last quarter plus `months_after_end` (with the defaults, Q's last
//!   month for both). The export's last employment month must reach it.
//! - pass_rate reads `assessments`, satisfaction reads `surveys`: the last month of the window's
//!   last quarter (Q's last month). Not beyond: an export taken at the quarter's end cannot hold
//!   the assessments of the 90 days after a class that ended in Q's last month, and the indicator
//!   counts what is there, as it always has.
//! - completion_rate (enrollments) and compliance (the claim lines in scope) have no window past
//!   Q; a quarter without claims is refused as a whole.
//!
//! Without `--allow-incomplete`, a quarter without claims or a window that runs past the last
//! observed month is refused (exit 3) with the coverage in the message: nothing in the run would
//! say the data stops early. A table delivered empty (or an optional one left out) is already said
//! (a warning, `summary.json`, the report's first screen): its indicators are null and the run
//! goes on.

use crate::columns as c;
use crate::error::{ErrorKind, PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::ingest::coverage::Coverage;
use crate::ingest::Export;
use crate::policy::{Indicator, Policy};
use crate::quarter::Quarter;
use crate::query::CollectStreaming;
use chrono::{Datelike, NaiveDate};
use polars::prelude::*;
use serde::Serialize;

/// An indicator without data for the quarter, and why (shown in `summary.json` and the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorGap {
    pub indicator: &'static str,
    pub reason: String,
}

/// What the export lacks for a quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completeness {
    /// Indicators whose window the export does not cover, in the policy's order.
    pub gaps: Vec<IndicatorGap>,
    /// The subset of `gaps` that stops a run without `--allow-incomplete`: a table whose rows
    /// end before the window does.
    refusing: Vec<IndicatorGap>,
    /// Kept claims submitted in the quarter.
    pub claims_in_quarter: usize,
}

/// Months since year 0: consecutive calendar months differ by one.
fn month_number(day: NaiveDate) -> i64 {
    day.year() as i64 * 12 + day.month0() as i64
}

/// `2026-09` of a month number.
fn month_text(month: i64) -> String {
    format!("{}-{:02}", month.div_euclid(12), month.rem_euclid(12) + 1)
}

/// The last month of the classes an indicator looks at (its window's last quarter).
fn window_end_month(indicator: &Indicator, quarter: Quarter) -> i64 {
    let [_, to] = indicator.window.unwrap_or([0, 0]);
    month_number(quarter.offset(to).last_day())
}

impl Completeness {
    /// What `export` (with `coverage`) lacks for `quarter` under `policy`.
    pub fn assess(export: &Export, coverage: &Coverage, policy: &Policy, quarter: Quarter) -> Result<Completeness> {
        let indicators = &policy.indicators;
        let after = |indicator: &Indicator| indicator.months_after_end.unwrap_or(0) as i64;
        let needs = [
            ("pass_rate", Table::Assessments, window_end_month(&indicators.pass_rate, quarter)),
            ("employment_rate", Table::Employment, window_end_month(&indicators.employment_rate, quarter) + after(&indicators.employment_rate)),
            ("retention_rate", Table::Employment, window_end_month(&indicators.retention_rate, quarter) + after(&indicators.retention_rate)),
            ("satisfaction", Table::Surveys, window_end_month(&indicators.satisfaction, quarter)),
        ];
        let (mut gaps, mut refusing) = (Vec::new(), Vec::new());
        for (indicator, table, needed) in needs {
            let Some(covered) = coverage.table(table) else { continue };
            let (reason, refuses) = match covered.last {
                _ if !covered.present => (format!("table {} is absent", table.name()), false),
                None => match export.table(table).rows_read {
                    0 => (format!("table {} has no rows", table.name()), false),
                    read => (format!("table {} has no usable rows (all {read} rejected)", table.name()), false),
                },
                Some(last) if month_number(last) < needed => (
                    format!("its window needs {} through {}; the export's {} ends {last}", table.name(), month_text(needed), table.name()),
                    true,
                ),
                Some(_) => continue,
            };
            let gap = IndicatorGap { indicator, reason };
            if refuses {
                refusing.push(gap.clone());
            }
            gaps.push(gap);
        }
        let claims = export
            .frame(Table::Claims)
            .clone()
            .lazy()
            .filter(col(c::SUBMITTED_ON).gt_eq(lit(quarter.first_day())).and(col(c::SUBMITTED_ON).lt_eq(lit(quarter.last_day()))))
            .select([len().alias("claims")])
            .collect_streaming()
            .context("counting the quarter's claims")?;
        let claims_in_quarter = claims.column("claims").context("claims")?.cast(&DataType::UInt64).context("claims")?.u64().context("claims")?.get(0).unwrap_or(0) as usize;
        Ok(Completeness { gaps, refusing, claims_in_quarter })
    }

    /// The refusal of a run for `quarter` when the quarter has no claims or an indicator's
    /// window runs past the data: every problem and the export's coverage in one message.
    pub fn require_complete(&self, quarter: Quarter, coverage: &Coverage) -> Result<()> {
        let mut problems = Vec::new();
        if self.claims_in_quarter == 0 {
            problems.push(format!("{quarter} has no claims submitted in it"));
        }
        problems.extend(self.refusing.iter().map(|gap| format!("{}: {}", gap.indicator, gap.reason)));
        if problems.is_empty() {
            return Ok(());
        }
        Err(ErrorKind::IncompleteExport { quarter: quarter.to_string(), problems, coverage: coverage.lines() }.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_across_years() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(month_number(day(2027, 1, 1)) - month_number(day(2026, 12, 31)), 1);
        assert_eq!(month_text(month_number(day(2026, 9, 30)) + 6), "2027-03");
        assert_eq!(month_text(month_number(day(2026, 12, 1))), "2026-12");
    }

    #[test]
    fn windows_end_where_the_policy_says() {
        let policy = Policy::defaults().unwrap();
        let quarter: Quarter = "2026Q3".parse().unwrap();
        let indicators = &policy.indicators;
        // Classes ending in Q−2 (2026Q1) plus 6 months, Q−4 (2025Q3) plus 12: both September 2026.
        let employment = window_end_month(&indicators.employment_rate, quarter) + 6;
        let retention = window_end_month(&indicators.retention_rate, quarter) + 12;
        assert_eq!((month_text(employment), month_text(retention)), ("2026-09".to_string(), "2026-09".to_string()));
        assert_eq!(month_text(window_end_month(&indicators.pass_rate, quarter)), "2026-09");
    }
}
