//! The rule breaches that are judged from the claim-line fact table alone: R01–R08, R11, R12,
//! one function each. Every function adds two columns to the table, `Rnn` (the line breaks the
//! rule) and `Rnn_part` (the part at stake in fen; 0 when not in breach), and hands its
//! evidence (a message code and the values that triggered it, `Rnn_evidence_code` and
//! `Rnn_evidence_args`, see [`super::evidence`]) to [`Evidence`], applied once the lines are
//! narrowed to those in scope. R01, R02 and R08 read
//! what earlier lines hold from the columns [`super::earlier`] added to the table.

use crate::columns as c;
use crate::features::{short_person, tenths, yuan};
use crate::policy::Policy;
use crate::vocab::messages::rules as m;
use crate::vocab::RuleId;
use super::evidence::Said;
use polars::prelude::*;

/// Name of the column holding rule `id`'s breach flag.
pub fn breach_column(id: RuleId) -> String {
    id.as_str().to_string()
}

/// Name of the column holding rule `id`'s part at stake, in fen.
pub fn part_column(id: RuleId) -> String {
    format!("{id}_part")
}

/// Names of the columns holding rule `id`'s evidence: its message code and its arguments.
pub fn evidence_columns(id: RuleId) -> [String; 2] {
    [format!("{id}_evidence_code"), format!("{id}_evidence_args")]
}

/// What a rule says about a line, as expressions over the fact table.
pub struct RuleExprs {
    pub breach: Expr,
    pub part: Expr,
    pub evidence: Said,
}

/// The evidence columns of the rules, kept aside until the lines are narrowed to those in
/// scope: arguments are built only for the lines judged, not for all of history.
#[derive(Default)]
pub struct Evidence {
    pub columns: Vec<Expr>,
}

/// Adds rule `id`'s breach and part columns, and its evidence expression to `evidence`. A null
/// condition is no breach.
pub fn apply(lines: LazyFrame, id: RuleId, rule: RuleExprs, evidence: &mut Evidence) -> LazyFrame {
    let breach = rule.breach.fill_null(lit(false));
    let [code, args] = evidence_columns(id);
    evidence.columns.push(when(col(&breach_column(id))).then(rule.evidence.code).otherwise(lit(NULL).cast(DataType::String)).alias(code));
    evidence.columns.push(rule.evidence.args.alias(args));
    lines.with_columns([
        breach.clone().alias(breach_column(id)),
        when(breach).then(rule.part.cast(DataType::Int64)).otherwise(lit(0i64)).alias(part_column(id)),
    ])
}

fn is_training() -> Expr {
    col(c::CLAIM_TYPE).eq(lit("training"))
}

fn whole_line() -> Expr {
    col(c::LINE_AMOUNT_FEN)
}

/// `value` × `numerator` ÷ `denominator`, rounded half-up (non-negative values).
fn scale_half_up(value: Expr, numerator: Expr, denominator: i64) -> Expr {
    (value * numerator * lit(2i64) + lit(denominator)).floor_div(lit(2 * denominator))
}

use super::earlier::{R01_EARLIER, R01_FIRST, R02_EARLIER, R08_EARLIER_DAYS};

/// R01 duplicate_subsidy: a training line of a person who has an earlier training line with the
/// same occupation_code and level (any institution, any time; lines of rejected claims never
/// count as earlier).
pub fn r01_duplicate_subsidy(lines: LazyFrame, evidence: &mut Evidence) -> LazyFrame {
    let identified = col(c::PERSON_ID).is_not_null().and(col(c::OCCUPATION_CODE).is_not_null()).and(col(c::LEVEL).is_not_null());
    let rule = RuleExprs {
        breach: is_training().and(identified).and(col(R01_EARLIER).gt(lit(0i64))),
        part: whole_line(),
        evidence: Said::of(
            &m::R01,
            &[
                ("person", short_person()),
                ("first_line", col(R01_FIRST)),
                ("occupation", col(c::OCCUPATION_CODE)),
                ("level", col(c::LEVEL)),
                ("earlier", col(R01_EARLIER)),
            ],
        ),
    };
    apply(lines, RuleId::R01, rule, evidence)
}

/// R02 annual_cap: a training line of a person who already has `max_lines_per_year` earlier
/// training lines in the calendar year of submitted_on. Lines in breach of R01 neither count
/// toward the cap nor get R02. Needs R01's columns.
pub fn r02_annual_cap(lines: LazyFrame, policy: &Policy, evidence: &mut Evidence) -> LazyFrame {
    let cap = policy.rules.training.max_lines_per_year as i64;
    let year = col(c::SUBMITTED_ON).dt().year();
    let rule = RuleExprs {
        breach: is_training().and(col(c::PERSON_ID).is_not_null()).and(col(&breach_column(RuleId::R01)).not()).and(col(R02_EARLIER).gt_eq(lit(cap))),
        part: whole_line(),
        evidence: Said::of(&m::R02, &[("person", short_person()), ("earlier", col(R02_EARLIER)), ("year", year), ("cap", lit(cap))]),
    };
    apply(lines, RuleId::R02, rule, evidence)
}

/// R03 invalid_person: the enrollment's person_id is neither a raw ID number nor a 64-hex
/// hash, or it is raw with a wrong check character or an impossible birth date.
pub fn r03_invalid_person(lines: LazyFrame, evidence: &mut Evidence) -> LazyFrame {
    let form = col(c::PERSON_ID_FORM);
    let rule = RuleExprs {
        breach: col(c::ENROLLMENT_FOUND).and(form.clone().is_in(lit(Series::new("valid".into(), ["raw_valid", "hashed"])).implode(false), false).not()),
        part: whole_line(),
        evidence: Said::when(
            form.clone().eq(lit("raw_bad_check")),
            Said::of(&m::R03_BAD_CHECK, &[]),
            Said::when(form.eq(lit("raw_bad_birth_date")), Said::of(&m::R03_BAD_BIRTH_DATE, &[]), Said::of(&m::R03_MALFORMED, &[])),
        ),
    };
    apply(lines, RuleId::R03, rule, evidence)
}

/// Age in completed years of a birth date on a date.
pub fn age_expr(birth: Expr, on: Expr) -> Expr {
    let years = on.clone().dt().year() - birth.clone().dt().year();
    let month_day = |date: Expr| date.clone().dt().month().cast(DataType::Int32) * lit(100) + date.dt().day().cast(DataType::Int32);
    let before_birthday = month_day(on).lt(month_day(birth));
    (years.cast(DataType::Int32) - before_birthday.cast(DataType::Int32)).cast(DataType::Int32)
}

/// R04 age_out_of_range: a raw, valid person_id whose age in completed years on enrolled_on is
/// outside the policy's bounds for the person's sex (default 16–60 for both).
pub fn r04_age_out_of_range(lines: LazyFrame, policy: &Policy, evidence: &mut Evidence) -> LazyFrame {
    let ages = policy.rules.ages;
    let minimum = when(col(c::MALE)).then(lit(ages.male_min)).otherwise(lit(ages.female_min));
    let maximum = when(col(c::MALE)).then(lit(ages.male_max)).otherwise(lit(ages.female_max));
    let age = age_expr(col(c::BIRTH_DATE), col(c::ENROLLED_ON));
    let rule = RuleExprs {
        breach: col(c::PERSON_ID_FORM)
            .eq(lit("raw_valid"))
            .and(age.clone().lt(minimum.clone()).or(age.clone().gt(maximum.clone()))),
        part: whole_line(),
        evidence: Said::of(&m::R04, &[("age", age), ("enrolled_on", col(c::ENROLLED_ON)), ("min", minimum), ("max", maximum)]),
    };
    apply(lines, RuleId::R04, rule, evidence)
}

/// R05 not_completed: a training line whose enrollment has completed = false.
pub fn r05_not_completed(lines: LazyFrame, evidence: &mut Evidence) -> LazyFrame {
    let rule = RuleExprs {
        breach: is_training().and(col(c::COMPLETED).not()),
        part: whole_line(),
        evidence: Said::of(&m::R05, &[("enrollment", col(c::ENROLLMENT_ID))]),
    };
    apply(lines, RuleId::R05, rule, evidence)
}

/// R06 attendance_shortfall: a training line whose attended seconds S within the class dates
/// satisfy 100 × S < attendance_percent × 3600 × planned_hours.
pub fn r06_attendance_shortfall(lines: LazyFrame, policy: &Policy, evidence: &mut Evidence) -> LazyFrame {
    let percent = policy.rules.training.attendance_percent as i64;
    let seconds = col(c::ATTENDED_SECONDS);
    let planned_seconds = col(c::PLANNED_HOURS) * lit(3600i64);
    // Shown rounded down, so a shortfall never reads as "80.0% < 80%".
    let attended_tenths_of_hours = seconds.clone().floor_div(lit(360i64));
    let per_mille = (seconds.clone() * lit(1000i64)).floor_div(planned_seconds.clone());
    let rule = RuleExprs {
        breach: is_training()
            .and(col(c::ENROLLMENT_FOUND))
            .and((seconds.clone() * lit(100i64)).lt(lit(percent) * planned_seconds)),
        part: whole_line(),
        evidence: Said::of(
            &m::R06,
            &[
                ("attended", tenths(attended_tenths_of_hours)),
                ("planned", col(c::PLANNED_HOURS)),
                ("share", tenths(per_mille)),
                ("percent", lit(percent)),
                ("start", col(c::START_DATE)),
                ("end", col(c::END_DATE)),
            ],
        ),
    };
    apply(lines, RuleId::R06, rule, evidence)
}

/// R07 line_mismatch: the line's enrollment is missing (or was rejected on reading), belongs to
/// another class than the claim's class_id (when not null), or its class is run by another
/// institution than the claimant.
pub fn r07_line_mismatch(lines: LazyFrame, evidence: &mut Evidence) -> LazyFrame {
    let missing = col(c::ENROLLMENT_FOUND).not();
    let other_class = col(c::CLAIM_CLASS_ID).is_not_null().and(col(c::ENROLLMENT_CLASS_ID).neq(col(c::CLAIM_CLASS_ID)));
    let other_institution = col(c::CLASS_INSTITUTION_ID).neq(col(c::INSTITUTION_ID));
    let rule = RuleExprs {
        breach: missing.clone().or(other_class.clone().fill_null(lit(false))).or(other_institution.fill_null(lit(false))),
        part: whole_line(),
        evidence: Said::when(
            missing,
            Said::of(&m::R07_MISSING, &[("enrollment", col(c::ENROLLMENT_ID))]),
            Said::when(
                other_class,
                Said::of(&m::R07_OTHER_CLASS, &[("enrollment_class", col(c::ENROLLMENT_CLASS_ID)), ("claim_class", col(c::CLAIM_CLASS_ID))]),
                Said::of(
                    &m::R07_OTHER_INSTITUTION,
                    &[
                        ("enrollment_class", col(c::ENROLLMENT_CLASS_ID)),
                        ("class_institution", col(c::CLASS_INSTITUTION_ID)),
                        ("institution", col(c::INSTITUTION_ID)),
                    ],
                ),
            ),
        ),
    };
    apply(lines, RuleId::R07, rule, evidence)
}

/// R08 living_allowance: an allowance line for a group that is not entitled: all of it.
/// Otherwise allowed days = min(its days (missing = max_days), max_days minus the days of the
/// enrollment's earlier allowance lines, the class's length in days), and the cap is
/// percent × the claimant's district minimum wage ÷ days_per_month × allowed days, rounded
/// half-up to the fen; the part is the amount above the cap.
pub fn r08_living_allowance(lines: LazyFrame, policy: &Policy, evidence: &mut Evidence) -> PolarsResult<LazyFrame> {
    let allowance = &policy.rules.living_allowance;
    let max_days = allowance.max_days as i64;
    let is_allowance = col(c::CLAIM_TYPE).eq(lit("living_allowance"));
    let days = when(col(c::DAYS).is_null()).then(lit(max_days)).otherwise(col(c::DAYS)).cast(DataType::Int64);
    let class_days = (crate::features::day_number(col(c::END_DATE)) - crate::features::day_number(col(c::START_DATE)) + lit(1)).cast(DataType::Int64);
    let remaining = lit(max_days) - col(R08_EARLIER_DAYS);
    let smallest = polars::lazy::dsl::min_horizontal([days.clone(), remaining, class_days])?;
    let allowed = when(smallest.clone().lt(lit(0i64))).then(lit(0i64)).otherwise(smallest);
    let cap = scale_half_up(
        col(c::MINIMUM_WAGE_FEN),
        allowed.clone() * lit(allowance.percent_of_minimum_wage as i64),
        100 * allowance.days_per_month as i64,
    );
    let groups = Series::new("eligible".into(), allowance.eligible_groups.clone());
    let eligible = col(c::GROUP).is_in(lit(groups).implode(false), false);
    let over_cap = col(c::LINE_AMOUNT_FEN) - cap.clone();
    let part = when(eligible.clone().not())
        .then(col(c::LINE_AMOUNT_FEN))
        .when(over_cap.clone().gt(lit(0i64)))
        .then(over_cap)
        .otherwise(lit(0i64));
    let rule = RuleExprs {
        breach: is_allowance.and(col(c::ENROLLMENT_FOUND)).and(part.clone().gt(lit(0i64))),
        part,
        evidence: Said::when(
            eligible.not(),
            Said::of(&m::R08_NOT_ENTITLED, &[("group", col(c::GROUP)), ("entitled", lit(allowance.eligible_groups.join(", ")))]),
            Said::of(
                &m::R08_OVER_CAP,
                &[
                    ("amount", yuan(col(c::LINE_AMOUNT_FEN))),
                    ("cap", yuan(cap)),
                    ("percent", lit(allowance.percent_of_minimum_wage as i64)),
                    ("wage", yuan(col(c::MINIMUM_WAGE_FEN))),
                    ("days_per_month", lit(allowance.days_per_month as i64)),
                    ("allowed", allowed),
                    ("days", days),
                    ("earlier_days", col(R08_EARLIER_DAYS)),
                ],
            ),
        ),
    };
    Ok(apply(lines, RuleId::R08, rule, evidence))
}

/// R11 over_standard: a training line above its class's subsidy_per_head, raised by the
/// uplift percentage when the institution carries an uplift for this quarter (column
/// `uplift_basis_points`, 1000 = 10%).
pub fn r11_over_standard(lines: LazyFrame, evidence: &mut Evidence) -> LazyFrame {
    let cap = scale_half_up(col(c::SUBSIDY_PER_HEAD_FEN), lit(10_000i64) + col(UPLIFT_BASIS_POINTS), 10_000);
    let over = col(c::LINE_AMOUNT_FEN) - cap.clone();
    let rule = RuleExprs {
        breach: is_training().and(col(c::ENROLLMENT_FOUND)).and(over.clone().gt(lit(0i64))),
        part: over,
        evidence: Said::when(
            col(UPLIFT_BASIS_POINTS).gt(lit(0i64)),
            Said::of(&m::R11_UPLIFT, &[("amount", yuan(col(c::LINE_AMOUNT_FEN))), ("standard", yuan(col(c::SUBSIDY_PER_HEAD_FEN))), ("cap", yuan(cap))]),
            Said::of(&m::R11, &[("amount", yuan(col(c::LINE_AMOUNT_FEN))), ("standard", yuan(col(c::SUBSIDY_PER_HEAD_FEN)))]),
        ),
    };
    apply(lines, RuleId::R11, rule, evidence)
}

/// Column: the uplift an institution carries into this quarter, in basis points of the
/// subsidy standard (0 when none).
pub const UPLIFT_BASIS_POINTS: &str = "uplift_basis_points";

/// R12 before_licence: a line of a class whose start_date is before its institution's
/// licensed_on.
pub fn r12_before_licence(lines: LazyFrame, evidence: &mut Evidence) -> LazyFrame {
    let rule = RuleExprs {
        breach: col(c::ENROLLMENT_FOUND).and(col(c::START_DATE).lt(col(c::CLASS_LICENSED_ON))),
        part: whole_line(),
        evidence: Said::of(
            &m::R12,
            &[
                ("class", col(c::ENROLLMENT_CLASS_ID)),
                ("start", col(c::START_DATE)),
                ("institution", col(c::CLASS_INSTITUTION_ID)),
                ("licensed_on", col(c::CLASS_LICENSED_ON)),
            ],
        ),
    };
    apply(lines, RuleId::R12, rule, evidence)
}
