//! Features: facts derived from several tables that the rules and indicators share, so each is
//! computed once and the same way everywhere. The main one is the claim-line fact table: every
//! claim line (all quarters: older lines are history for R01, R02, R08, R09) with its claim,
//! enrollment, class, institution, person facts and attended seconds.

pub mod attendance;
pub mod indicators;
pub mod lines;

pub use attendance::attended_seconds;
pub use lines::line_facts;

use polars::prelude::*;

/// Yuan text (`1234.56`) of a non-negative integer fen expression.
pub fn yuan(fen: Expr) -> Expr {
    let whole = fen.clone().floor_div(lit(100));
    let cents = fen % lit(100);
    let cents = when(cents.clone().lt(lit(10)))
        .then(concat_str([lit("0"), cents.clone().cast(DataType::String)], "", false))
        .otherwise(cents.cast(DataType::String));
    concat_str([whole.cast(DataType::String), lit("."), cents], "", false)
}

/// A pseudonymised person id shortened for evidence (12 hex characters are enough to search).
pub fn short_person(person: Expr) -> Expr {
    person.str().head(lit(12))
}

/// `n` tenths as text: 788 → "78.8".
pub fn tenths(value: Expr) -> Expr {
    concat_str(
        [value.clone().floor_div(lit(10)).cast(DataType::String), lit("."), (value % lit(10)).cast(DataType::String)],
        "",
        false,
    )
}

/// Days since 1970-01-01 of a date column, as Int32.
pub fn day_number(date: Expr) -> Expr {
    date.cast(DataType::Int32)
}
