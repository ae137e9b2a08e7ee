//! Features: facts derived from several tables that the rules and indicators share, so each is
//! computed once and the same way everywhere. The main ones are the claim-line tables: the
//! narrow history of every claim line of any quarter (what R01, R02, R08 and R09 count of earlier
//! lines), and the facts of the lines in scope with their claim, enrollment, class, institution,
//! person facts and attended seconds.

pub mod attendance;
pub mod completeness;
pub mod indicators;
pub mod lines;

pub use attendance::attended_seconds;
pub use lines::line_facts;

use polars::prelude::*;
use crate::columns as c;

/// Yuan text (`1234.56`) of a non-negative integer fen expression.
pub fn yuan(fen: Expr) -> Expr {
    let whole = fen.clone().floor_div(lit(100));
    let cents = fen % lit(100);
    let cents = when(cents.clone().lt(lit(10)))
        .then(concat_str([lit("0"), cents.clone().cast(DataType::String)], "", false))
        .otherwise(cents.cast(DataType::String));
    concat_str([whole.cast(DataType::String), lit("."), cents], "", false)
}

/// The row's person, shortened for evidence (12 hex characters of the pseudonym are enough to
/// search): reads [`c::PERSON_PSEUDONYM`], which the rules add to the rows they write evidence for.
pub fn short_person() -> Expr {
    col(c::PERSON_PSEUDONYM).str().head(lit(12))
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
