//! Columns of a frame as plain Rust vectors, for the signal logic that is clearer as loops than
//! as expressions. Every accessor names the column in its error.

use crate::error::{PolarsContext, Result};
use chrono::NaiveDate;
use polars::prelude::*;

/// A text column.
pub fn text<'a>(frame: &'a DataFrame, name: &str) -> Result<Vec<Option<&'a str>>> {
    let what = format!("reading column {name}");
    Ok(frame.column(name).context(&what)?.str().context(&what)?.iter().collect())
}

/// An integer column (any width), as i64.
pub fn int(frame: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    let what = format!("reading column {name}");
    let column = frame.column(name).context(&what)?.cast(&DataType::Int64).context(&what)?;
    Ok(column.i64().context(&what)?.iter().collect())
}

/// A real column, as f64.
pub fn real(frame: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    let what = format!("reading column {name}");
    let column = frame.column(name).context(&what)?.cast(&DataType::Float64).context(&what)?;
    Ok(column.f64().context(&what)?.iter().collect())
}

/// A boolean column.
pub fn boolean(frame: &DataFrame, name: &str) -> Result<Vec<Option<bool>>> {
    let what = format!("reading column {name}");
    Ok(frame.column(name).context(&what)?.bool().context(&what)?.iter().collect())
}

/// A date column.
pub fn date(frame: &DataFrame, name: &str) -> Result<Vec<Option<NaiveDate>>> {
    let what = format!("reading column {name}");
    let column = frame.column(name).context(&what)?.cast(&DataType::Date).context(&what)?;
    let dates = column.date().context(&what)?;
    Ok(dates.phys.iter().map(|day| day.map(crate::rules::sanctions::date_from_days)).collect())
}

/// Months since year 0 of a date: consecutive calendar months differ by one.
pub fn month_index(date: NaiveDate) -> i32 {
    use chrono::Datelike;
    date.year() * 12 + date.month0() as i32
}

/// "2026-03" of a month index.
pub fn month_label(index: i32) -> String {
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}
