//! The performance indicators of the credit score, one function each, per institution
//! (`../shared/spec/policy.md`, "Performance indicators"). They are features: rating scores
//! them, and the risk signals compare them across peers. Each returns `institution_id`,
//! `numerator`, `denominator`; the indicator is numerator ÷ denominator where the denominator is
//! above 0 and has no data otherwise. Windows are quarters of class end dates relative to Q.

use crate::columns as c;
use crate::error::PolarsContext;
use crate::features::completeness::{Completeness, IndicatorGap};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::policy::Indicator;
use crate::quarter::Quarter;
use crate::query::CollectStreaming;
use polars::prelude::*;

/// Column of the rules' lines in scope: the line has a non-overturned breach.
pub const BREACH: &str = "breach";

pub const NUMERATOR: &str = "numerator";
pub const DENOMINATOR: &str = "denominator";
const MONTH_INDEX: &str = "__month_index";
const END_MONTH_INDEX: &str = "__end_month_index";

/// Quarter window of an indicator as a date range of class end dates.
fn ends_within(indicator: &Indicator, quarter: Quarter) -> Expr {
    let [from, to] = indicator.window.unwrap_or([0, 0]);
    let end = col(c::END_DATE);
    end.clone().gt_eq(lit(quarter.offset(from).first_day())).and(end.lt_eq(lit(quarter.offset(to).last_day())))
}

/// Enrollments with their class's institution, occupation, level, category and dates. Every
/// indicator starts from it, so [`IndicatorTable::compute`] joins it once and hands each
/// indicator the same frame.
pub fn enrollments_with_classes(export: &Export) -> LazyFrame {
    let classes = export.frame(Table::Classes).clone().lazy().select([
        col(c::CLASS_ID),
        col(c::INSTITUTION_ID),
        col(c::OCCUPATION_CODE),
        col(c::LEVEL),
        col(c::CATEGORY),
        col(c::START_DATE),
        col(c::END_DATE),
    ]);
    export
        .frame(Table::Enrollments)
        .clone()
        .lazy()
        .select([col(c::ENROLLMENT_ID), col(c::CLASS_ID), col(c::PERSON_ID), col(c::COMPLETED)])
        .inner_join(classes, col(c::CLASS_ID), col(c::CLASS_ID))
}

/// A row counts once: the denominator of a plain proportion.
fn each_row() -> Expr {
    col(c::INSTITUTION_ID).is_not_null()
}

/// Sums per-row numerator and denominator expressions per institution (each must be evaluated
/// per row, not a literal).
fn ratio(frame: LazyFrame, numerator: Expr, denominator: Expr) -> LazyFrame {
    frame.group_by([col(c::INSTITUTION_ID)]).agg([
        numerator.cast(DataType::Int64).sum().alias(NUMERATOR),
        denominator.cast(DataType::Int64).sum().alias(DENOMINATOR),
    ])
}

/// completion_rate: completed enrollments ÷ enrollments, classes ending in the window.
pub fn completion_rate(enrolled: &LazyFrame, indicator: &Indicator, quarter: Quarter) -> LazyFrame {
    let enrollments = enrolled.clone().filter(ends_within(indicator, quarter));
    ratio(enrollments, col(c::COMPLETED), each_row())
}

/// Completed enrollments in classes ending in Q−3 … Q: the cohort that decides tier N.
pub fn completed_enrollments(enrolled: &LazyFrame, quarter: Quarter) -> LazyFrame {
    let window = col(c::END_DATE).gt_eq(lit(quarter.offset(-3).first_day())).and(col(c::END_DATE).lt_eq(lit(quarter.last_day())));
    enrolled
        .clone()
        .filter(window.and(col(c::COMPLETED)))
        .group_by([col(c::INSTITUTION_ID)])
        .agg([len().cast(DataType::Int64).alias("completed_enrollments")])
}

/// pass_rate: completed enrollments of level 1–5 classes ending in the window whose person has a
/// `passed` assessment in the class's occupation and level, dated from the class's start_date to
/// `days_after_end` days after its end_date ÷ those completed enrollments.
pub fn pass_rate(export: &Export, enrolled: &LazyFrame, indicator: &Indicator, quarter: Quarter) -> LazyFrame {
    let days_after_end = indicator.days_after_end.unwrap_or(90);
    let cohort = enrolled
        .clone()
        .filter(ends_within(indicator, quarter).and(col(c::COMPLETED)).and(col(c::LEVEL).gt_eq(lit(1i64))).and(col(c::LEVEL).lt_eq(lit(5i64))));
    let passes = export
        .frame(Table::Assessments)
        .clone()
        .lazy()
        .filter(col(c::PASSED))
        .select([col(c::PERSON_ID), col(c::OCCUPATION_CODE), col(c::LEVEL), col(c::EXAM_DATE)]);
    let exam_day = crate::features::day_number(col(c::EXAM_DATE));
    let passing = cohort
        .clone()
        .inner_join_on(passes)
        .filter(
            exam_day.clone().gt_eq(crate::features::day_number(col(c::START_DATE)))
                .and(exam_day.lt_eq(crate::features::day_number(col(c::END_DATE)) + lit(days_after_end as i32))),
        )
        .select([col(c::ENROLLMENT_ID), lit(true).alias("passed_in_time")])
        .unique_stable(None, UniqueKeepStrategy::First);
    let cohort = cohort.left_join(passing, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID));
    ratio(cohort, col("passed_in_time").fill_null(lit(false)), each_row())
}

trait JoinOnQualification {
    fn inner_join_on(self, passes: LazyFrame) -> LazyFrame;
}

impl JoinOnQualification for LazyFrame {
    fn inner_join_on(self, passes: LazyFrame) -> LazyFrame {
        let keys = [col(c::PERSON_ID), col(c::OCCUPATION_CODE), col(c::LEVEL)];
        self.join(passes, keys.clone(), keys, JoinArgs::new(JoinType::Inner))
    }
}

/// Months since year 0 of a date: consecutive calendar months differ by one.
fn month_index(date: Expr) -> Expr {
    date.clone().dt().year().cast(DataType::Int64) * lit(12i64) + date.dt().month().cast(DataType::Int64)
}

/// Enrollments that employment_rate and retention_rate look at: completed, in an employment,
/// reemployment or reserve class.
fn employment_cohort(enrolled: &LazyFrame) -> LazyFrame {
    let categories = Series::new("categories".into(), ["employment", "reemployment", "reserve"]);
    enrolled.clone().filter(col(c::COMPLETED).and(col(c::CATEGORY).is_in(lit(categories).implode(false), false)))
}

const WORKED_FOR_EMPLOYMENT: &str = "__months_worked_for_employment";
const WORKED_FOR_RETENTION: &str = "__months_worked_for_retention";
const IN_EMPLOYMENT_WINDOW: &str = "__in_employment_window";
const IN_RETENTION_WINDOW: &str = "__in_retention_window";

/// The employment cohorts of both indicators (classes ending in either window), each enrollment
/// with its distinct contribution months (contribution null or above 0) in the first
/// `employment_months` and the first `retention_months` calendar months after its class's end
/// month. Employment rows are read once, only for the cohorts' persons: they are the largest
/// table after the sign-ins, and both indicators need the same months.
fn months_worked(export: &Export, enrolled: &LazyFrame, employment: &Indicator, retention: &Indicator, quarter: Quarter) -> LazyFrame {
    let employment_months = employment.months_after_end.unwrap_or(6) as i64;
    let retention_months = retention.months_after_end.unwrap_or(12) as i64;
    let cohort = employment_cohort(enrolled)
        .with_columns([ends_within(employment, quarter).alias(IN_EMPLOYMENT_WINDOW), ends_within(retention, quarter).alias(IN_RETENTION_WINDOW)])
        .filter(col(IN_EMPLOYMENT_WINDOW).or(col(IN_RETENTION_WINDOW)))
        .with_column(month_index(col(c::END_DATE)).alias(END_MONTH_INDEX));
    let persons = cohort.clone().select([col(c::PERSON_ID)]).unique(None, UniqueKeepStrategy::Any);
    let contribution = col(&c::fen(c::CONTRIBUTION));
    let months = export
        .frame(Table::Employment)
        .clone()
        .lazy()
        .filter(contribution.clone().is_null().or(contribution.gt(lit(0i64))))
        .select([col(c::PERSON_ID), month_index(col(c::MONTH)).alias(MONTH_INDEX)])
        .join(persons, [col(c::PERSON_ID)], [col(c::PERSON_ID)], JoinArgs::new(JoinType::Semi))
        .unique(None, UniqueKeepStrategy::Any);
    let after = col(MONTH_INDEX) - col(END_MONTH_INDEX);
    let within = |months: i64| after.clone().gt(lit(0i64)).and(after.clone().lt_eq(lit(months))).cast(DataType::Int64).sum();
    // (person, month) pairs are distinct, so counting the joined rows counts distinct months.
    let worked = cohort
        .clone()
        .select([col(c::ENROLLMENT_ID), col(c::PERSON_ID), col(END_MONTH_INDEX)])
        .inner_join(months, col(c::PERSON_ID), col(c::PERSON_ID))
        .group_by([col(c::ENROLLMENT_ID)])
        .agg([within(employment_months).alias(WORKED_FOR_EMPLOYMENT), within(retention_months).alias(WORKED_FOR_RETENTION)]);
    cohort.left_join(worked, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID)).with_columns([
        col(WORKED_FOR_EMPLOYMENT).fill_null(lit(0i64)),
        col(WORKED_FOR_RETENTION).fill_null(lit(0i64)),
    ])
}

/// employment_rate: completed enrollments of employment-oriented classes ending in the window
/// whose person has a contribution month in the `months_after_end` months after the end month ÷
/// those enrollments. `worked` is [`months_worked`].
pub fn employment_rate(worked: &LazyFrame) -> LazyFrame {
    ratio(worked.clone().filter(col(IN_EMPLOYMENT_WINDOW)), col(WORKED_FOR_EMPLOYMENT).gt(lit(0i64)), each_row())
}

/// retention_rate: of the same kind of enrollments (classes ending in the retention window),
/// employed as for employment_rate (within employment_rate's `months_after_end`): those with
/// `min_months` or more contribution months in the `months_after_end` months after the end
/// month ÷ those employed. `worked` is [`months_worked`].
pub fn retention_rate(worked: &LazyFrame, retention: &Indicator) -> LazyFrame {
    let minimum = retention.min_months.unwrap_or(6) as i64;
    let employed = worked.clone().filter(col(IN_RETENTION_WINDOW).and(col(WORKED_FOR_EMPLOYMENT).gt(lit(0i64))));
    ratio(employed, col(WORKED_FOR_RETENTION).gt_eq(lit(minimum)), each_row())
}

/// satisfaction: (mean survey score − 1) ÷ 4 over surveys of enrollments of classes ending in the
/// window; returned as numerator = Σ(score − 1), denominator = 4 × surveys.
pub fn satisfaction(export: &Export, enrolled: &LazyFrame, indicator: &Indicator, quarter: Quarter) -> LazyFrame {
    let enrollments = enrolled.clone().filter(ends_within(indicator, quarter)).select([col(c::ENROLLMENT_ID), col(c::INSTITUTION_ID)]);
    let surveys = export
        .frame(Table::Surveys)
        .clone()
        .lazy()
        .select([col(c::ENROLLMENT_ID), col(c::SCORE)])
        .inner_join(enrollments, col(c::ENROLLMENT_ID), col(c::ENROLLMENT_ID));
    ratio(surveys, col(c::SCORE) - lit(1i64), each_row().cast(DataType::Int64) * lit(4i64))
}

/// compliance: 1 − breach lines ÷ lines in scope (any status; overturned findings excluded),
/// returned as numerator = lines without a breach, denominator = lines in scope.
pub fn compliance(lines_in_scope: &DataFrame) -> LazyFrame {
    ratio(lines_in_scope.clone().lazy(), col(BREACH).not(), each_row())
}

/// Indicator ids in the policy's order.
pub const INDICATORS: [&str; 6] = ["completion_rate", "pass_rate", "employment_rate", "retention_rate", "satisfaction", "compliance"];

/// Every institution's indicator ratios: numerator and denominator per indicator (in
/// [`INDICATORS`] order), and the completed enrollments that decide tier N.
#[derive(Debug, Clone, Default)]
pub struct IndicatorTable {
    pub ratios: [std::collections::HashMap<String, (i64, i64)>; 6],
    pub completed: std::collections::HashMap<String, i64>,
    /// Indicators without data for any institution this quarter, and why (in [`INDICATORS`]
    /// order): their ratios are empty, so every value is null, never 0.
    pub without_data: Vec<IndicatorGap>,
}

impl IndicatorTable {
    /// Computes every indicator for `quarter`; compliance from the rules' lines in scope. An
    /// indicator whose window the export does not cover has no data (see [`Completeness`]).
    pub fn compute(export: &Export, policy: &crate::policy::Policy, quarter: Quarter, lines_in_scope: &DataFrame) -> crate::Result<IndicatorTable> {
        let coverage = crate::ingest::coverage::Coverage::of(export)?;
        let completeness = Completeness::assess(export, &coverage, policy, quarter)?;
        IndicatorTable::compute_with_gaps(export, policy, quarter, lines_in_scope, &completeness.gaps)
    }

    /// As [`IndicatorTable::compute`], with the indicators the export does not cover already
    /// known (`gaps`, from [`Completeness::assess`]).
    pub fn compute_with_gaps(
        export: &Export,
        policy: &crate::policy::Policy,
        quarter: Quarter,
        lines_in_scope: &DataFrame,
        gaps: &[IndicatorGap],
    ) -> crate::Result<IndicatorTable> {
        let specs = &policy.indicators;
        let ratio_map = |frame: LazyFrame, what: &str| -> crate::Result<std::collections::HashMap<String, (i64, i64)>> {
            let frame = frame.collect_streaming().context(what)?;
            let ids = frame.column(c::INSTITUTION_ID).context(what)?.str().context(what)?;
            let numerators = frame.column(NUMERATOR).context(what)?.i64().context(what)?;
            let denominators = frame.column(DENOMINATOR).context(what)?.i64().context(what)?;
            Ok((0..frame.height())
                .filter_map(|i| Some((ids.get(i)?.to_string(), (numerators.get(i).unwrap_or(0), denominators.get(i).unwrap_or(0)))))
                .collect())
        };
        // Only classes ending in some indicator's window (or the tier-N cohort's Q−3 … Q) are
        // ever looked at: the rest of history need not be copied.
        let (first, last) = specs
            .all()
            .iter()
            .filter_map(|(_, indicator)| indicator.window)
            .chain([[-3, 0]])
            .fold((0, 0), |(first, last), [from, to]| (first.min(from), last.max(to)));
        let end = col(c::END_DATE);
        let enrolled = enrollments_with_classes(export)
            .filter(end.clone().gt_eq(lit(quarter.offset(first).first_day())).and(end.lt_eq(lit(quarter.offset(last).last_day()))))
            .collect_streaming()
            .context("enrollments with their classes")?
            .lazy();
        let worked = months_worked(export, &enrolled, &specs.employment_rate, &specs.retention_rate, quarter)
            .collect_streaming()
            .context("months worked after training")?
            .lazy();
        let mut ratios = [
            ratio_map(completion_rate(&enrolled, &specs.completion_rate, quarter), "completion_rate")?,
            ratio_map(pass_rate(export, &enrolled, &specs.pass_rate, quarter), "pass_rate")?,
            ratio_map(employment_rate(&worked), "employment_rate")?,
            ratio_map(retention_rate(&worked, &specs.retention_rate), "retention_rate")?,
            ratio_map(satisfaction(export, &enrolled, &specs.satisfaction, quarter), "satisfaction")?,
            ratio_map(compliance(lines_in_scope), "compliance")?,
        ];
        let frame = completed_enrollments(&enrolled, quarter).collect_streaming().context("completed enrollments")?;
        let ids = frame.column(c::INSTITUTION_ID).context("completed")?.str().context("completed")?;
        let counts = frame.column("completed_enrollments").context("completed")?.i64().context("completed")?;
        let completed = (0..frame.height()).filter_map(|i| Some((ids.get(i)?.to_string(), counts.get(i)?))).collect();
        let mut without_data = Vec::new();
        for (index, indicator) in INDICATORS.into_iter().enumerate() {
            if let Some(gap) = gaps.iter().find(|gap| gap.indicator == indicator) {
                ratios[index].clear();
                without_data.push(gap.clone());
            } else if ratios[index].values().all(|&(_, denominator)| denominator <= 0) {
                let reason = match indicator {
                    "compliance" => format!("no claim lines in scope in {quarter}"),
                    _ => {
                        let [from, to] = policy.indicators.all()[index].1.window.unwrap_or([0, 0]);
                        format!("no institution has data in its window (classes ending {} … {})", quarter.offset(from), quarter.offset(to))
                    }
                };
                without_data.push(IndicatorGap { indicator, reason });
            }
        }
        Ok(IndicatorTable { ratios, completed, without_data })
    }

    /// An institution's indicator values (0–1), `None` where an indicator has no data.
    pub fn values(&self, institution: &str) -> [Option<f64>; 6] {
        std::array::from_fn(|index| match self.ratios[index].get(institution) {
            Some(&(numerator, denominator)) if denominator > 0 => Some(numerator as f64 / denominator as f64),
            _ => None,
        })
    }
}
