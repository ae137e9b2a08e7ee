//! The claim-line fact tables. [`history`] holds every kept claim line of any quarter, narrow:
//! only what the counts of earlier lines (R01, R02, R08) and R09's allocation of passes read.
//! [`line_facts`] holds the lines in scope, wide: joined with everything the rules judge them by.
//! Lines whose enrollment is missing or was rejected keep their row with
//! `enrollment_found = false` (rule R07), never dropped. Earlier quarters are a nation's largest
//! frame by far (seven quarters of lines for one judged), so they never get the wide facts.

use super::attended_seconds;
use crate::columns as c;
use crate::error::{Error, PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::policy::Policy;
use crate::quarter::Quarter;
use polars::prelude::*;

/// Whether a claim's `submitted_on` lies in `quarter`.
fn submitted_in(quarter: Quarter) -> Expr {
    col(c::SUBMITTED_ON).gt_eq(lit(quarter.first_day())).and(col(c::SUBMITTED_ON).lt_eq(lit(quarter.last_day())))
}

/// Every kept claim line of any quarter with `claim_id`, `enrollment_id`, `line_amount_fen`,
/// `days`, `claim_type`, `submitted_on`, `counts_as_earlier`, `in_scope`, `person_id`,
/// `occupation_code`, `level` and `key_industry`: the facts that make a line "earlier" for
/// another. Not sorted (see [`sort_in_line_order`]).
pub fn history(export: &Export, quarter: Quarter) -> LazyFrame {
    let claims = export.frame(Table::Claims).clone().lazy().select([
        col(c::CLAIM_ID),
        col(c::CLAIM_TYPE),
        col(c::SUBMITTED_ON),
        col(c::STATUS).neq(lit("rejected")).alias(c::COUNTS_AS_EARLIER),
        submitted_in(quarter).alias(c::IN_SCOPE),
    ]);
    let enrollments = export.frame(Table::Enrollments).clone().lazy().select([
        col(c::ENROLLMENT_ID),
        col(c::CLASS_ID).alias(c::ENROLLMENT_CLASS_ID),
        col(c::PERSON_ID),
    ]);
    let classes = export.frame(Table::Classes).clone().lazy().select([
        col(c::CLASS_ID).alias(c::ENROLLMENT_CLASS_ID),
        col(c::OCCUPATION_CODE),
        col(c::LEVEL),
        col(c::KEY_INDUSTRY),
    ]);
    export
        .frame(Table::ClaimLines)
        .clone()
        .lazy()
        .select([col(c::CLAIM_ID), col(c::ENROLLMENT_ID), col(&c::fen(c::AMOUNT)).alias(c::LINE_AMOUNT_FEN), col(c::DAYS)])
        // Only the claims in scope: the inner join keeps their lines alone.
        .inner_join(claims, col(c::CLAIM_ID), col(c::CLAIM_ID))
        .left_join(enrollments, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
        .left_join(classes, col(c::ENROLLMENT_CLASS_ID), col(c::ENROLLMENT_CLASS_ID))
        .drop(Selector::ByName { names: Arc::new([c::ENROLLMENT_CLASS_ID.into()]), strict: true })
}

/// Line facts of the claim lines in scope (submitted in `quarter`). Not sorted: a caller joins
/// more onto them, and joins do not keep order, so it sorts once with [`sort_in_line_order`].
pub fn line_facts(export: &Export, policy: &Policy, quarter: Quarter) -> Result<LazyFrame> {
    let in_scope = submitted_in(quarter);
    let wages = minimum_wages(export, policy)?;
    let institutions = export.frame(Table::Institutions).clone().lazy();
    let claims = export
        .frame(Table::Claims)
        .clone()
        .lazy()
        .select([
            col(c::CLAIM_ID),
            col(c::INSTITUTION_ID),
            col(c::CLASS_ID).alias(c::CLAIM_CLASS_ID),
            col(c::CLAIM_TYPE),
            col(c::SUBMITTED_ON),
            col(c::STATUS).alias(c::CLAIM_STATUS),
            col(c::PAYMENT_MODE),
            col(&c::fen(c::AMOUNT)).alias(c::CLAIM_AMOUNT_FEN),
            col(&c::fen(c::PAID_AMOUNT)).alias(c::PAID_AMOUNT_FEN),
        ])
        .filter(in_scope.clone())
        .left_join(wages, col(c::INSTITUTION_ID), col(c::INSTITUTION_ID));
    let enrollments = export.frame(Table::Enrollments).clone().lazy().select([
        col(c::ENROLLMENT_ID),
        col(c::CLASS_ID).alias(c::ENROLLMENT_CLASS_ID),
        col(c::PERSON_ID),
        col(c::PERSON_ID_FORM),
        col(c::GROUP),
        col(c::ENROLLED_ON),
        col(c::COMPLETED),
        col(c::BIRTH_DATE),
        col(c::MALE),
        lit(true).alias(c::ENROLLMENT_FOUND),
    ]);
    let licences = institutions.select([col(c::INSTITUTION_ID).alias(c::CLASS_INSTITUTION_ID), col(c::LICENSED_ON).alias(c::CLASS_LICENSED_ON)]);
    let classes = export
        .frame(Table::Classes)
        .clone()
        .lazy()
        .select([
            col(c::CLASS_ID).alias(c::ENROLLMENT_CLASS_ID),
            col(c::INSTITUTION_ID).alias(c::CLASS_INSTITUTION_ID),
            col(c::OCCUPATION_CODE),
            col(c::LEVEL),
            col(c::START_DATE),
            col(c::END_DATE),
            col(c::PLANNED_HOURS),
            col(&c::fen(c::SUBSIDY_PER_HEAD)).alias(c::SUBSIDY_PER_HEAD_FEN),
            col(c::KEY_INDUSTRY),
        ])
        .left_join(licences, col(c::CLASS_INSTITUTION_ID), col(c::CLASS_INSTITUTION_ID));

    let claims_in_scope = export.frame(Table::Claims).clone().lazy().filter(in_scope.clone()).select([col(c::CLAIM_ID)]);
    let lines_in_scope = export
        .frame(Table::ClaimLines)
        .clone()
        .lazy()
        .select([col(c::CLAIM_ID), col(c::ENROLLMENT_ID), col(&c::fen(c::AMOUNT)).alias(c::LINE_AMOUNT_FEN), col(c::DAYS)])
        .join(claims_in_scope, [col(c::CLAIM_ID)], [col(c::CLAIM_ID)], JoinArgs::new(JoinType::Semi))
        .collect()
        .context("claim lines in scope")?;
    let enrollments_in_scope = lines_in_scope
        .column(c::ENROLLMENT_ID)
        .context("enrollments in scope")?
        .as_materialized_series()
        .unique()
        .context("enrollments in scope")?;
    let facts = lines_in_scope
        .lazy()
        // Every join copies the columns gathered so far, so the narrow joins come first and the
        // long texts join last.
        .left_join(attended_seconds(export, policy, enrollments_in_scope)?, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
        // Validation rejected lines of unknown claims, so every line finds its claim.
        .inner_join(claims, col(c::CLAIM_ID), col(c::CLAIM_ID))
        .left_join(enrollments, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
        .left_join(classes, col(c::ENROLLMENT_CLASS_ID), col(c::ENROLLMENT_CLASS_ID))
        .with_columns([
            concat_str([col(c::CLAIM_ID), lit("/"), col(c::ENROLLMENT_ID)], "", false).alias(c::LINE_ID),
            col(c::ENROLLMENT_FOUND).fill_null(lit(false)),
            col(c::ATTENDED_SECONDS).fill_null(lit(0i64)),
            in_scope.alias(c::IN_SCOPE),
            col(c::CLAIM_STATUS).neq(lit("rejected")).alias(c::COUNTS_AS_EARLIER),
        ]);
    Ok(facts)
}

/// Sorts claim lines in line order: `submitted_on`, then `claim_id`, then `enrollment_id` (the
/// policy's order wherever "earlier" matters). Joins do not keep order, so sort after them.
/// (claim_id, enrollment_id) is the lines' primary key, so the order is total and the sort
/// need not be stable.
pub fn in_line_order(lines: LazyFrame) -> LazyFrame {
    lines.sort_by_exprs([col(c::SUBMITTED_ON), col(c::CLAIM_ID), col(c::ENROLLMENT_ID)], SortMultipleOptions::default())
}

/// As [`in_line_order`], for lines already gathered: the order is found from the three key
/// columns, then the columns are put in that order one at a time. A sort of the whole frame holds
/// it twice at its peak, and the [`history`] of every line is the largest frame of a run.
pub fn sort_in_line_order(mut lines: DataFrame) -> Result<DataFrame> {
    const POSITION: &str = "__position";
    let order = in_line_order(lines.select([c::SUBMITTED_ON, c::CLAIM_ID, c::ENROLLMENT_ID]).context("line order")?.with_row_index(POSITION.into(), None).context("line order")?.lazy())
        .select([col(POSITION)])
        .collect()
        .context("line order")?;
    let positions = order.column(POSITION).context("line order")?.idx().context("line order")?.clone();
    let names: Vec<PlSmallStr> = lines.get_column_names().into_iter().cloned().collect();
    for name in names {
        let sorted = lines.column(&name).context("line order")?.take(&positions).context("line order")?;
        lines.with_column(sorted).context("line order")?;
    }
    Ok(lines)
}

/// `institution_id`, `minimum_wage_fen` of every institution; an institution in a district the
/// policy lacks is an error naming the district (never a silent default).
fn minimum_wages(export: &Export, policy: &Policy) -> Result<LazyFrame> {
    let institutions = export.frame(Table::Institutions);
    let ids = institutions.column(c::INSTITUTION_ID).context("institution ids")?.str().context("institution ids")?;
    let districts = institutions.column(c::DISTRICT).context("districts")?.str().context("districts")?;
    let mut wage_ids = Vec::with_capacity(ids.len());
    let mut wages = Vec::with_capacity(ids.len());
    let mut unknown: Vec<String> = Vec::new();
    for (id, district) in ids.iter().zip(districts.iter()) {
        let (Some(id), Some(district)) = (id, district) else { continue };
        match policy.minimum_wage_fen.get(district) {
            Some(wage) => {
                wage_ids.push(id.to_string());
                wages.push(*wage);
            }
            None => {
                if !unknown.iter().any(|d| d == district) {
                    unknown.push(district.to_string());
                }
            }
        }
    }
    // Found before the export was read when the policy came through `Policy::resolve_for`.
    let known: Vec<String> = policy.minimum_wage_fen.keys().cloned().collect();
    if let Some(problem) = crate::policy::unknown_districts(&unknown, &known) {
        return Err(Error::invalid(problem));
    }
    let frame = DataFrame::new(
        wage_ids.len(),
        vec![Column::new(c::INSTITUTION_ID.into(), wage_ids), Column::new(c::MINIMUM_WAGE_FEN.into(), wages)],
    )
    .context("building the minimum-wage table")?;
    Ok(frame.lazy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_gathered_out_of_order_are_sorted_by_date_then_claim_then_enrollment() {
        let days = Column::new(c::SUBMITTED_ON.into(), [20_300i32, 20_299, 20_300, 20_300]).cast(&DataType::Date).unwrap();
        let lines = DataFrame::new(
            4,
            vec![
                days,
                Column::new(c::CLAIM_ID.into(), ["C2", "C9", "C1", "C1"]),
                Column::new(c::ENROLLMENT_ID.into(), ["E1", "E1", "E2", "E10"]),
                Column::new("amount".into(), [1i64, 2, 3, 4]),
            ],
        )
        .unwrap();
        let sorted = sort_in_line_order(lines).unwrap();
        let claims: Vec<&str> = sorted.column(c::CLAIM_ID).unwrap().str().unwrap().iter().flatten().collect();
        let enrollments: Vec<&str> = sorted.column(c::ENROLLMENT_ID).unwrap().str().unwrap().iter().flatten().collect();
        let amounts: Vec<i64> = sorted.column("amount").unwrap().i64().unwrap().iter().flatten().collect();
        // The earlier day first; on one day by claim, then by enrollment as text ("E10" < "E2").
        assert_eq!(claims, ["C9", "C1", "C1", "C2"]);
        assert_eq!(enrollments, ["E1", "E10", "E2", "E1"]);
        assert_eq!(amounts, [2, 4, 3, 1]);
        assert_eq!(sorted.get_column_names(), [c::SUBMITTED_ON, c::CLAIM_ID, c::ENROLLMENT_ID, "amount"]);
    }
}
