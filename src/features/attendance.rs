//! Attended seconds per enrollment (rule R06, for the enrollments of the lines in scope):
//! over the enrollment's sign-ins whose check-in date lies between its class's start_date and
//! end_date, the sum of (check_out − check_in) in whole seconds, clipped to 0 … the policy's
//! maximum session length; a missing check_out counts 0.

use crate::columns as c;
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::error::{PolarsContext, Result};
use crate::frame;
use crate::policy::Policy;
use polars::prelude::*;

/// `enrollment_id`, `attended_seconds` for every enrollment of `enrollments` with at least one
/// sign-in. Rule R06 judges only the lines in scope, so the rules pass their enrollments: a
/// quarter's few hundred thousand instead of every sign-in of history.
pub fn attended_seconds(export: &Export, policy: &Policy, enrollments_wanted: Series) -> Result<LazyFrame> {
    let max_seconds = policy.rules.training.max_session_hours as i64 * 3600;
    let classes = export.frame(Table::Classes).clone().lazy().select([col(c::CLASS_ID), col(c::START_DATE), col(c::END_DATE)]);
    let enrollments = export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .select([col(c::ENROLLMENT_ID), col(c::CLASS_ID)])
        .filter(col(c::ENROLLMENT_ID).is_in(lit(enrollments_wanted).implode(false), false))
        .inner_join(classes, col(c::CLASS_ID), col(c::CLASS_ID))
        .collect()
        .context("classes of the enrollments in scope")?;
    // Only sign-ins between the earliest start and the latest end of those classes count, so
    // streamed sign-ins are read only from the files that reach those days.
    let first = frame::date(&enrollments, c::START_DATE)?.into_iter().flatten().min();
    let last = frame::date(&enrollments, c::END_DATE)?.into_iter().flatten().max();
    let sign_ins = match (first, last) {
        (Some(first), Some(last)) if first <= last => export.scan_between(Table::Attendance, first, last),
        _ => export.scan(Table::Attendance).limit(0),
    };
    let wanted = enrollments.column(c::ENROLLMENT_ID).context("enrollments in scope")?.as_materialized_series().clone();
    let microseconds = col(c::CHECK_OUT).cast(DataType::Int64) - col(c::CHECK_IN).cast(DataType::Int64);
    let seconds = microseconds.floor_div(lit(1_000_000i64));
    let clipped = when(seconds.clone().lt(lit(0i64)))
        .then(lit(0i64))
        .when(seconds.clone().gt(lit(max_seconds)))
        .then(lit(max_seconds))
        .otherwise(seconds)
        .fill_null(lit(0i64));
    let check_in_date = col(c::CHECK_IN).dt().date();
    Ok(sign_ins
        .select([col(c::ENROLLMENT_ID), col(c::CHECK_IN), col(c::CHECK_OUT)])
        .filter(col(c::ENROLLMENT_ID).is_in(lit(wanted).implode(false), false))
        .inner_join(enrollments.lazy(), col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
        .filter(check_in_date.clone().gt_eq(col(c::START_DATE)).and(check_in_date.lt_eq(col(c::END_DATE))))
        .group_by([col(c::ENROLLMENT_ID)])
        .agg([clipped.sum().alias(c::ATTENDED_SECONDS)]))
}
