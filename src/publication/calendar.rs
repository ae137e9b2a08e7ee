//! The publication calendar: for every sanction of the ledger, its NDRC class, the days it is
//! published, the first day a repair of credit may be granted, and what the bureau must do about
//! it this quarter. Periods count whole calendar months from the decision (信用修复管理办法:
//! 一般 at least 3 months and at most 1 year, 严重 at least 1 and at most 3 years, 轻微 as a rule
//! not published; the months are in `publication.toml`).
//!
//! The ledger (`sanctions.parquet`) carries the two facts the calendar cannot recompute from one
//! quarter to the next: the decision day (`decided_on`) and a repair (`repaired_on`, recorded by
//! the bureau in the input `sanctions` table). Everything else is derived again each quarter, and
//! written beside them in the ledger so that the report reads it from the run folder alone.

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::policy::publication::{ClassPeriods, PublicationConfig};
use crate::quarter::Quarter;
use chrono::{Days, Months, NaiveDate};
use polars::prelude::*;
use std::collections::HashMap;

/// The ledger's columns this module adds.
pub(crate) const CLASS: &str = "class";
pub(crate) const PUBLICATION_START: &str = "publication_start";
pub(crate) const PUBLICATION_END: &str = "publication_end";
pub(crate) const EARLIEST_REPAIR: &str = "earliest_repair";
pub(crate) const PUBLICATION_STATUS: &str = "publication_status";
pub(crate) const PUBLISHED_THIS_QUARTER: &str = "published_this_quarter";

/// What a sanction's publication is in the evaluated quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Its class is not published (轻微).
    NotPublished,
    /// Decided after the quarter: nothing yet.
    Scheduled,
    /// Decided in the quarter: to be published now.
    ToPublish,
    /// Published before the quarter and through it.
    Published,
    /// Its period ends in the quarter: withdrawn on the day after its last day.
    Withdraw,
    /// A repair recorded in the quarter ends its publication: to be withdrawn now.
    Repaired,
    /// Its period ended, or it was repaired, before the quarter.
    Ended,
}

impl Status {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Status::NotPublished => "not_published",
            Status::Scheduled => "scheduled",
            Status::ToPublish => "to_publish",
            Status::Published => "published",
            Status::Withdraw => "withdraw",
            Status::Repaired => "repaired",
            Status::Ended => "ended",
        }
    }

    /// Whether the record is on the platforms on some day of the quarter (until its last day).
    pub(crate) fn published_this_quarter(self) -> bool {
        matches!(self, Status::ToPublish | Status::Published | Status::Withdraw)
    }
}

/// One sanction's publication dates and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Period {
    /// First and last day published (`None` for a class that is not published).
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub earliest_repair: NaiveDate,
    pub status: Status,
}

fn plus_months(day: NaiveDate, months: u32) -> NaiveDate {
    // Beyond chrono's range only for absurd settings; the last representable day stands in.
    day.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The publication of a sanction of class `periods` decided on `decided_on`, seen from `quarter`.
pub(crate) fn period(periods: ClassPeriods, decided_on: NaiveDate, repaired_on: Option<NaiveDate>, quarter: Quarter) -> Period {
    let earliest_repair = plus_months(decided_on, periods.min_months);
    if !periods.published {
        return Period { start: None, end: None, earliest_repair, status: Status::NotPublished };
    }
    let end = plus_months(decided_on, periods.max_months).checked_sub_days(Days::new(1)).unwrap_or(decided_on);
    let (first, last) = (quarter.first_day(), quarter.last_day());
    let status = match repaired_on {
        _ if decided_on > last => Status::Scheduled,
        _ if end < first => Status::Ended,
        Some(repaired) if repaired < first => Status::Ended,
        Some(repaired) if repaired <= last => Status::Repaired,
        _ if end <= last => Status::Withdraw,
        _ if decided_on >= first => Status::ToPublish,
        _ => Status::Published,
    };
    Period { start: Some(decided_on), end: Some(end), earliest_repair, status }
}

/// The day a quarter's evaluation (and the sanctions it decides) is dated.
pub(crate) fn evaluation_date(quarter: Quarter, config: &PublicationConfig) -> NaiveDate {
    quarter.last_day().checked_add_days(Days::new(config.decision_days_after_quarter.into())).unwrap_or(NaiveDate::MAX)
}

/// The decision day of a sanction the ledger does not date: a ban from Q+1 was decided by Q's
/// evaluation, a disqualification from Q by Q's.
pub(crate) fn derived_decision(kind: &str, from: Quarter, config: &PublicationConfig) -> NaiveDate {
    let deciding = if kind == "ban" { from.offset(-1) } else { from };
    evaluation_date(deciding, config)
}

/// Decision and repair days recorded for sanctions, by (institution, kind, from_quarter).
#[derive(Debug, Clone, Default)]
pub(crate) struct Recorded {
    dates: HashMap<(String, String, String), (Option<NaiveDate>, Option<NaiveDate>)>,
}

impl Recorded {
    /// Adds the dates of a frame in the input `sanctions` shape as read (`decided_on` and
    /// `repaired_on` dates, missing when the file lacked them). A decision day already held
    /// stands (add the bureau's own table first); the earliest repair stands.
    pub(crate) fn add(&mut self, sanctions: &DataFrame) -> Result<()> {
        use crate::frame::{date, text};
        let (ids, kinds, froms) = (text(sanctions, c::INSTITUTION_ID)?, text(sanctions, c::KIND)?, text(sanctions, c::FROM_QUARTER)?);
        let (decided, repaired) = (date(sanctions, c::DECIDED_ON)?, date(sanctions, c::REPAIRED_ON)?);
        for i in 0..sanctions.height() {
            let (Some(id), Some(kind), Some(from)) = (ids[i], kinds[i], froms[i]) else { continue };
            // The ledger writes quarters as `Quarter` shows them; a bureau's text may differ.
            let from = from.parse::<Quarter>().map(|q| q.to_string()).unwrap_or_else(|_| from.to_string());
            let entry = self.dates.entry((id.to_string(), kind.to_string(), from)).or_default();
            entry.0 = entry.0.or(decided[i]);
            entry.1 = match (entry.1, repaired[i]) {
                (Some(held), Some(new)) => Some(held.min(new)),
                (held, new) => held.or(new),
            };
        }
        Ok(())
    }

    fn get(&self, id: &str, kind: &str, from: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
        self.dates.get(&(id.to_string(), kind.to_string(), from.to_string())).copied().unwrap_or_default()
    }
}

/// One sanction of the ledger with its calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub institution_id: String,
    pub kind: String,
    pub from_quarter: String,
    pub until_quarter: Option<String>,
    pub class: String,
    pub decided_on: NaiveDate,
    pub repaired_on: Option<NaiveDate>,
    pub period: Period,
}

/// The calendar of every sanction of `ledger` (the contract's sanctions shape), in its order.
pub(crate) fn entries(ledger: &DataFrame, recorded: &Recorded, config: &PublicationConfig, quarter: Quarter) -> Result<Vec<Entry>> {
    use crate::frame::text;
    let (ids, kinds, froms, untils) = (text(ledger, c::INSTITUTION_ID)?, text(ledger, c::KIND)?, text(ledger, c::FROM_QUARTER)?, text(ledger, c::UNTIL_QUARTER)?);
    let mut entries = Vec::with_capacity(ledger.height());
    for i in 0..ledger.height() {
        let (Some(id), Some(kind), Some(from)) = (ids[i], kinds[i], froms[i]) else { continue };
        let Ok(from_quarter) = from.parse::<Quarter>() else { continue };
        // Validation of the policy guarantees every contract kind has a class.
        let Some((class, periods)) = config.class_of(kind) else { continue };
        let (decided, repaired_on) = recorded.get(id, kind, from);
        let decided_on = decided.unwrap_or_else(|| derived_decision(kind, from_quarter, config));
        entries.push(Entry {
            institution_id: id.to_string(),
            kind: kind.to_string(),
            from_quarter: from.to_string(),
            until_quarter: untils[i].map(str::to_string),
            class: class.to_string(),
            decided_on,
            repaired_on,
            period: period(periods, decided_on, repaired_on, quarter),
        });
    }
    Ok(entries)
}

/// The ledger with the calendar's columns added (same rows, same order): a ledger read back as
/// the next quarter's input keeps `decided_on` and `repaired_on`, and ignores the rest.
pub(crate) fn annotated_ledger(ledger: DataFrame, entries: &[Entry]) -> Result<DataFrame> {
    let what = "adding the publication calendar to the ledger";
    if entries.len() != ledger.height() {
        return Err(crate::error::Error::invalid(format!(
            "{what}: {} sanctions in the ledger but {} in the calendar (a sanction without a kind or quarter)",
            ledger.height(),
            entries.len()
        )));
    }
    let dates = |name: &str, f: &dyn Fn(&Entry) -> Option<NaiveDate>| -> Result<Column> {
        let days: Vec<Option<i32>> = entries.iter().map(|e| f(e).map(crate::frame::days_from_date)).collect();
        Column::new(name.into(), days).cast(&DataType::Date).context(what)
    };
    let mut ledger = ledger;
    for column in [
        dates(c::DECIDED_ON, &|e| Some(e.decided_on))?,
        dates(c::REPAIRED_ON, &|e| e.repaired_on)?,
        Column::new(CLASS.into(), entries.iter().map(|e| e.class.clone()).collect::<Vec<_>>()),
        dates(PUBLICATION_START, &|e| e.period.start)?,
        dates(PUBLICATION_END, &|e| e.period.end)?,
        dates(EARLIEST_REPAIR, &|e| Some(e.period.earliest_repair))?,
        Column::new(PUBLICATION_STATUS.into(), entries.iter().map(|e| e.period.status.name()).collect::<Vec<_>>()),
        Column::new(PUBLISHED_THIS_QUARTER.into(), entries.iter().map(|e| e.period.status.published_this_quarter()).collect::<Vec<_>>()),
    ] {
        ledger.with_column(column).context(what)?;
    }
    Ok(ledger)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn q(text: &str) -> Quarter {
        text.parse().unwrap()
    }

    const GENERAL: ClassPeriods = ClassPeriods { published: true, min_months: 3, max_months: 12 };
    const SERIOUS: ClassPeriods = ClassPeriods { published: true, min_months: 12, max_months: 36 };

    #[test]
    fn a_general_record_is_published_one_year_and_repairable_after_three_months() {
        let p = period(GENERAL, day("2026-09-30"), None, q("2026Q3"));
        assert_eq!((p.start, p.end, p.earliest_repair), (Some(day("2026-09-30")), Some(day("2027-09-29")), day("2026-12-30")));
        assert_eq!(p.status, Status::ToPublish);
        assert_eq!(period(GENERAL, day("2026-09-30"), None, q("2026Q4")).status, Status::Published);
        assert_eq!(period(GENERAL, day("2026-09-30"), None, q("2027Q2")).status, Status::Published);
        // Its last day, 2027-09-29, falls in 2027Q3: withdrawn then, gone in 2027Q4.
        assert_eq!(period(GENERAL, day("2026-09-30"), None, q("2027Q3")).status, Status::Withdraw);
        assert_eq!(period(GENERAL, day("2026-09-30"), None, q("2027Q4")).status, Status::Ended);
    }

    #[test]
    fn a_period_ending_on_a_quarters_last_or_first_day() {
        // Decided 2026-10-01: last day 2027-09-30, the last day of 2027Q3.
        assert_eq!(period(GENERAL, day("2026-10-01"), None, q("2027Q3")).status, Status::Withdraw);
        assert_eq!(period(GENERAL, day("2026-10-01"), None, q("2027Q4")).status, Status::Ended);
        // Decided 2026-10-02: last day 2027-10-01, the first day of 2027Q4.
        let p = period(GENERAL, day("2026-10-02"), None, q("2027Q3"));
        assert_eq!((p.end, p.status), (Some(day("2027-10-01")), Status::Published));
        assert_eq!(period(GENERAL, day("2026-10-02"), None, q("2027Q4")).status, Status::Withdraw);
        // Month ends clamp: 2026-08-31 + 3 months is 2026-11-30.
        assert_eq!(period(GENERAL, day("2026-08-31"), None, q("2026Q3")).earliest_repair, day("2026-11-30"));
    }

    #[test]
    fn a_serious_record_is_published_three_years_and_repairable_after_one() {
        let p = period(SERIOUS, day("2026-08-15"), None, q("2026Q3"));
        assert_eq!((p.end, p.earliest_repair), (Some(day("2029-08-14")), day("2027-08-15")));
        assert_eq!(period(SERIOUS, day("2026-08-15"), None, q("2029Q2")).status, Status::Published);
        assert_eq!(period(SERIOUS, day("2026-08-15"), None, q("2029Q3")).status, Status::Withdraw);
    }

    #[test]
    fn a_repair_ends_publication_in_its_quarter() {
        let repaired = Some(day("2027-01-01"));
        assert_eq!(period(GENERAL, day("2026-09-30"), repaired, q("2026Q4")).status, Status::Published);
        assert_eq!(period(GENERAL, day("2026-09-30"), repaired, q("2027Q1")).status, Status::Repaired);
        assert!(!Status::Repaired.published_this_quarter());
        assert_eq!(period(GENERAL, day("2026-09-30"), repaired, q("2027Q2")).status, Status::Ended);
    }

    #[test]
    fn a_minor_record_is_not_published_and_a_later_one_is_scheduled() {
        let minor = ClassPeriods { published: false, min_months: 0, max_months: 0 };
        let p = period(minor, day("2026-09-30"), None, q("2026Q3"));
        assert_eq!((p.start, p.end, p.status), (None, None, Status::NotPublished));
        assert_eq!(period(GENERAL, day("2026-10-01"), None, q("2026Q3")).status, Status::Scheduled);
    }
}
