//! Calendar quarters (`2026Q3`), the unit every evaluation, window and sanction is counted in.
//!
//! Policy windows say "classes ending in Q−3 … Q" and sanctions run `from_quarter` … `until_quarter`;
//! both need quarter arithmetic and the date range a quarter covers. Used by ingest (sanctions),
//! rules (scope, R10), rating (windows, bans) and the sample generator.

use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::str::FromStr;

/// A calendar quarter. Ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    year: i32,
    /// 1..=4
    number: u8,
}

impl Quarter {
    /// Builds a quarter; `number` must be 1..=4.
    pub fn new(year: i32, number: u8) -> Option<Quarter> {
        (1..=4).contains(&number).then_some(Quarter { year, number })
    }

    /// The quarter a date falls in.
    pub fn of_date(date: NaiveDate) -> Quarter {
        Quarter { year: date.year(), number: ((date.month() - 1) / 3 + 1) as u8 }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn number(self) -> u8 {
        self.number
    }

    /// The quarter `offset` quarters later (negative: earlier).
    pub fn offset(self, offset: i32) -> Quarter {
        let index = self.year * 4 + (self.number as i32 - 1) + offset;
        Quarter { year: index.div_euclid(4), number: (index.rem_euclid(4) + 1) as u8 }
    }

    /// First day of the quarter.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.number as u32 - 1) * 3 + 1, 1).expect("valid quarter start")
    }

    /// Last day of the quarter.
    pub fn last_day(self) -> NaiveDate {
        self.offset(1).first_day().pred_opt().expect("valid quarter end")
    }

    /// Whether `date` lies in this quarter.
    pub fn contains(self, date: NaiveDate) -> bool {
        Quarter::of_date(date) == self
    }

    /// Quarters from `self` to `last`, both included (empty when `last` is earlier).
    pub fn through(self, last: Quarter) -> Vec<Quarter> {
        let mut quarters = Vec::new();
        let mut current = self;
        while current <= last {
            quarters.push(current);
            current = current.offset(1);
        }
        quarters
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.number)
    }
}

/// Why a text is not a quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterParseError(pub String);

impl fmt::Display for QuarterParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a quarter (expected YYYYQn, e.g. 2026Q3)", self.0)
    }
}

impl std::error::Error for QuarterParseError {}

impl FromStr for Quarter {
    type Err = QuarterParseError;

    fn from_str(text: &str) -> Result<Quarter, QuarterParseError> {
        let trimmed = text.trim();
        let error = || QuarterParseError(text.to_string());
        let (year, number) = trimmed.split_once(['Q', 'q']).ok_or_else(error)?;
        if year.len() != 4 || number.len() != 1 {
            return Err(error());
        }
        let year: i32 = year.parse().map_err(|_| error())?;
        let number: u8 = number.parse().map_err(|_| error())?;
        Quarter::new(year, number).ok_or_else(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(text: &str) -> Quarter {
        text.parse().unwrap()
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(q("2026Q3").to_string(), "2026Q3");
        assert_eq!(q("2026q1").to_string(), "2026Q1");
        assert_eq!("2026Q5".parse::<Quarter>().unwrap_err().to_string(), "`2026Q5` is not a quarter (expected YYYYQn, e.g. 2026Q3)");
        assert!("26Q1".parse::<Quarter>().is_err());
        assert!("2026-Q1".parse::<Quarter>().is_err());
    }

    #[test]
    fn offsets_cross_years() {
        assert_eq!(q("2026Q1").offset(-1), q("2025Q4"));
        assert_eq!(q("2026Q3").offset(-7), q("2024Q4"));
        assert_eq!(q("2026Q4").offset(1), q("2027Q1"));
        assert_eq!(q("2026Q3").offset(4), q("2027Q3"));
    }

    #[test]
    fn day_ranges() {
        assert_eq!(q("2026Q3").first_day(), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        assert_eq!(q("2026Q3").last_day(), NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
        assert_eq!(q("2024Q1").last_day(), NaiveDate::from_ymd_opt(2024, 3, 31).unwrap());
        assert_eq!(Quarter::of_date(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()), q("2026Q4"));
        assert_eq!(q("2025Q4").through(q("2026Q2")).len(), 3);
    }
}
