//! Attended seconds per enrollment (rule R06, for the enrollments of the lines in scope):
//! over the enrollment's sign-ins whose check-in date lies between its class's start_date and
//! end_date, the sum of (check_out − check_in) in whole seconds, clipped to 0 … the policy's
//! maximum session length; a missing check_out counts 0.

use crate::columns as c;
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::policy::Policy;
use polars::prelude::*;

/// `enrollment_id`, `attended_seconds` for every enrollment of `enrollments` with at least one
/// sign-in. Rule R06 judges only the lines in scope, so the rules pass their enrollments: a
/// quarter's few hundred thousand instead of every sign-in of history.
pub fn attended_seconds(export: &Export, policy: &Policy, enrollments_wanted: Series) -> LazyFrame {
    let max_seconds = policy.rules.training.max_session_hours as i64 * 3600;
    let classes = export.frame(Table::Classes).clone().lazy().select([col(c::CLASS_ID), col(c::START_DATE), col(c::END_DATE)]);
    let enrollments = export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .select([col(c::ENROLLMENT_ID), col(c::CLASS_ID)])
        .inner_join(classes, col(c::CLASS_ID), col(c::CLASS_ID));
    let microseconds = col(c::CHECK_OUT).cast(DataType::Int64) - col(c::CHECK_IN).cast(DataType::Int64);
    let seconds = microseconds.floor_div(lit(1_000_000i64));
    let clipped = when(seconds.clone().lt(lit(0i64)))
        .then(lit(0i64))
        .when(seconds.clone().gt(lit(max_seconds)))
        .then(lit(max_seconds))
        .otherwise(seconds)
        .fill_null(lit(0i64));
    let check_in_date = col(c::CHECK_IN).dt().date();
    export
        .scan(Table::Attendance)
        .select([col(c::ENROLLMENT_ID), col(c::CHECK_IN), col(c::CHECK_OUT)])
        .filter(col(c::ENROLLMENT_ID).is_in(lit(enrollments_wanted).implode(false), false))
        .inner_join(enrollments, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID))
        .filter(check_in_date.clone().gt_eq(col(c::START_DATE)).and(check_in_date.lt_eq(col(c::END_DATE))))
        .group_by([col(c::ENROLLMENT_ID)])
        .agg([clipped.sum().alias(c::ATTENDED_SECONDS)])
}
