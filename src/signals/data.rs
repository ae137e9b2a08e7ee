//! Columns of a frame as plain Rust vectors (shared with the rules in [`crate::frame`]) and the
//! month arithmetic of the signals.

pub use crate::frame::{boolean, date, int, person, real, text};
use chrono::NaiveDate;

/// Months since year 0 of a date: consecutive calendar months differ by one.
pub fn month_index(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.year() * 12 + date.month0() as i32
}

/// "2026-03" of a month index.
pub fn month_label(index: i32) -> String {
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}
