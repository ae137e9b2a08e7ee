//! Columns of a frame as plain Rust vectors, for the logic that is clearer as loops than as
//! expressions (R09's allocation, the risk signals). Every accessor names the column in its
//! error. It sits below every stage so that rules and signals share one set.

use crate::error::{PolarsContext, Result};
use chrono::NaiveDate;
use polars::prelude::*;

/// A text column.
pub fn text<'a>(frame: &'a DataFrame, name: &str) -> Result<Vec<Option<&'a str>>> {
    let what = format!("reading column {name}");
    Ok(frame.column(name).context(&what)?.str().context(&what)?.iter().collect())
}

/// A column of numbers given at ingest: persons (`person_id`), phones and accounts (see `ingest::PersonIndex`).
pub fn person(frame: &DataFrame, name: &str) -> Result<Vec<Option<u32>>> {
    let what = format!("reading column {name}");
    Ok(frame.column(name).context(&what)?.u32().context(&what)?.iter().collect())
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
    Ok(dates.phys.iter().map(|day| day.map(date_from_days)).collect())
}

/// The date `days` after 1970-01-01 (polars' physical value of a date).
pub fn date_from_days(days: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + chrono::Duration::days(days as i64)
}

/// The days from 1970-01-01 to `date` (polars' physical value of a date).
pub fn days_from_date(date: NaiveDate) -> i32 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days() as i32
}
