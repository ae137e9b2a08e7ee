//! The input contract as data: every table, its columns with their logical types, which values
//! may be missing, the primary key, the allowed enum values, the impossible values and the
//! foreign keys. Reading (`read`) and validation (`validate`) are driven by this one description,
//! so a change in `../shared/spec/data-contract.md` is a change here.

use crate::columns as c;

/// The logical type of a contract column; each accepts the physical types the contract tolerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logical {
    /// string, large_string, dictionary of strings (and binary holding UTF-8).
    Text,
    /// Any integer width, signed or not; held as Int64.
    Integer,
    Boolean,
    /// date32, or a timestamp at midnight (a time of day is cut off and counted as a coercion).
    Date,
    /// A timestamp without zone in local time; a zoned one is converted to Asia/Shanghai.
    Timestamp,
    /// decimal(p, s) or double, held as Int64 fen in the column `NAME_fen`.
    Money,
    /// double or float (or an integer or decimal), held as Float64.
    Real,
}

impl Logical {
    /// What the contract accepts, as written in error messages.
    pub fn expected(self) -> &'static str {
        match self {
            Logical::Text => "string (string, large_string or dictionary)",
            Logical::Integer => "integer (int8 … int64)",
            Logical::Boolean => "boolean",
            Logical::Date => "date (date32 or a timestamp at midnight)",
            Logical::Timestamp => "timestamp (local time, or zoned and converted)",
            Logical::Money => "money (decimal(p,2) or double)",
            Logical::Real => "double",
        }
    }
}

/// One column of a contract table.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub logical: Logical,
    /// Whether a missing value rejects the row.
    pub required: bool,
    /// Allowed values (compared after trimming and lower-casing); empty = any.
    pub allowed: &'static [&'static str],
    /// Whether the value is a personal identifier to pseudonymise (after deriving person facts).
    pub personal: bool,
    /// Whether a file may lack the column altogether (read as all missing): columns added to
    /// the contract after exports already existed.
    pub may_be_absent: bool,
}

const fn column(name: &'static str, logical: Logical) -> ColumnSpec {
    ColumnSpec { name, logical, required: true, allowed: &[], personal: false, may_be_absent: false }
}

const fn nullable(name: &'static str, logical: Logical) -> ColumnSpec {
    ColumnSpec { name, logical, required: false, allowed: &[], personal: false, may_be_absent: false }
}

const fn choice(name: &'static str, allowed: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec { name, logical: Logical::Text, required: true, allowed, personal: false, may_be_absent: false }
}

const fn personal(name: &'static str, required: bool) -> ColumnSpec {
    ColumnSpec { name, logical: Logical::Text, required, allowed: &[], personal: true, may_be_absent: false }
}

/// A column a file may lack: missing values, and no column means every value missing.
const fn optional(name: &'static str, logical: Logical) -> ColumnSpec {
    ColumnSpec { name, logical, required: false, allowed: &[], personal: false, may_be_absent: true }
}

/// A foreign key: `column` must name a kept row of `parent` (its primary key).
#[derive(Debug, Clone, Copy)]
pub struct ForeignKey {
    pub column: &'static str,
    pub parent: Table,
}

/// The tables of an export, in the order they are validated (parents before children).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    Institutions,
    Classes,
    Enrollments,
    Attendance,
    Assessments,
    Employment,
    Claims,
    ClaimLines,
    Surveys,
    CaseDecisions,
    Sanctions,
    Appeals,
}

pub const ALL_TABLES: [Table; 12] = [
    Table::Institutions,
    Table::Classes,
    Table::Enrollments,
    Table::Attendance,
    Table::Assessments,
    Table::Employment,
    Table::Claims,
    Table::ClaimLines,
    Table::Surveys,
    Table::CaseDecisions,
    Table::Sanctions,
    Table::Appeals,
];

pub const INSTITUTION_KINDS: &[&str] =
    &["vocational_college", "technical_school", "private_training", "enterprise_center", "public_base"];
pub const INSTITUTION_STATUSES: &[&str] = &["active", "suspended", "revoked"];
pub const CATEGORIES: &[&str] =
    &["reserve", "employment", "upgrading", "reemployment", "entrepreneurship", "apprenticeship"];
pub const MODES: &[&str] = &["offline", "online", "blended"];
pub const GROUPS: &[&str] = &[
    "unemployed",
    "rural_migrant",
    "veteran",
    "poverty_registered",
    "low_income",
    "school_leaver",
    "graduate",
    "student",
    "employee",
    "disabled",
    "nonlocal_domestic",
    "other",
];
pub const METHODS: &[&str] = &["face", "fingerprint", "card", "manual", "online"];
pub const CLAIM_TYPES: &[&str] = &["training", "appraisal", "living_allowance", "project"];
pub const PAYMENT_MODES: &[&str] = &["reimburse", "credit"];
pub const CLAIM_STATUSES: &[&str] = &["paid", "pending", "rejected"];
pub const FINDINGS: &[&str] = &["fraud_confirmed", "violation", "cleared"];
pub const SANCTION_KINDS: &[&str] = &["ban", "disqualified"];
pub const OUTCOMES: &[&str] = &["overturned", "upheld"];

impl Table {
    pub fn name(self) -> &'static str {
        match self {
            Table::Institutions => "institutions",
            Table::Classes => "classes",
            Table::Enrollments => "enrollments",
            Table::Attendance => "attendance",
            Table::Assessments => "assessments",
            Table::Employment => "employment",
            Table::Claims => "claims",
            Table::ClaimLines => "claim_lines",
            Table::Surveys => "surveys",
            Table::CaseDecisions => "case_decisions",
            Table::Sanctions => "sanctions",
            Table::Appeals => "appeals",
        }
    }

    /// Whether the table may be left on disk and read by each stage that needs it (see
    /// `ingest::IngestOptions`): the sign-ins, by far the largest table, which no table refers
    /// to, with no money to convert and no person to number, and which every stage filters
    /// before using.
    pub fn streamable(self) -> bool {
        self == Table::Attendance
    }

    /// The column that dates a row, for tables read by ranges of time when streamed.
    pub fn time_column(self) -> Option<&'static str> {
        match self {
            Table::Attendance => Some(c::CHECK_IN),
            _ => None,
        }
    }

    pub fn from_name(name: &str) -> Option<Table> {
        ALL_TABLES.into_iter().find(|table| table.name() == name)
    }

    /// Whether an export must hold this table.
    pub fn required(self) -> bool {
        !matches!(self, Table::Surveys | Table::CaseDecisions | Table::Sanctions | Table::Appeals)
    }

    pub fn primary_key(self) -> &'static [&'static str] {
        match self {
            Table::Institutions => &[c::INSTITUTION_ID],
            Table::Classes => &[c::CLASS_ID],
            Table::Enrollments => &[c::ENROLLMENT_ID],
            Table::Attendance => &[c::ENROLLMENT_ID, c::CHECK_IN],
            Table::Assessments => &[c::ASSESSMENT_ID],
            Table::Employment => &[c::PERSON_ID, c::EMPLOYER_ID, c::MONTH],
            Table::Claims => &[c::CLAIM_ID],
            Table::ClaimLines => &[c::CLAIM_ID, c::ENROLLMENT_ID],
            Table::Surveys => &[c::ENROLLMENT_ID],
            Table::CaseDecisions => &[c::INSTITUTION_ID, c::DECIDED_ON],
            Table::Sanctions => &[c::INSTITUTION_ID, c::KIND, c::FROM_QUARTER],
            Table::Appeals => &[c::RULE, c::ENTITY_ID],
        }
    }

    /// Foreign keys that reject a row when they point nowhere. A claim line's enrollment is
    /// deliberately absent: a missing one is finding R07, not a reject.
    pub fn foreign_keys(self) -> &'static [ForeignKey] {
        const TO_INSTITUTION: &[ForeignKey] = &[ForeignKey { column: c::INSTITUTION_ID, parent: Table::Institutions }];
        const TO_ENROLLMENT: &[ForeignKey] = &[ForeignKey { column: c::ENROLLMENT_ID, parent: Table::Enrollments }];
        match self {
            Table::Institutions | Table::Employment => &[],
            Table::Classes | Table::CaseDecisions | Table::Sanctions => TO_INSTITUTION,
            Table::Enrollments => &[ForeignKey { column: c::CLASS_ID, parent: Table::Classes }],
            Table::Attendance | Table::Surveys | Table::Assessments => TO_ENROLLMENT,
            Table::Claims => &[
                ForeignKey { column: c::INSTITUTION_ID, parent: Table::Institutions },
                ForeignKey { column: c::CLASS_ID, parent: Table::Classes },
            ],
            Table::ClaimLines => &[ForeignKey { column: c::CLAIM_ID, parent: Table::Claims }],
            // Appeals name a finding's entity, not an institution: the contract lists
            // appeals among the institution foreign keys, but the table has no such column.
            Table::Appeals => &[],
        }
    }

    /// The contract's columns of this table.
    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            Table::Institutions => INSTITUTIONS_COLUMNS,
            Table::Classes => CLASSES_COLUMNS,
            Table::Enrollments => ENROLLMENTS_COLUMNS,
            Table::Attendance => ATTENDANCE_COLUMNS,
            Table::Assessments => ASSESSMENTS_COLUMNS,
            Table::Employment => EMPLOYMENT_COLUMNS,
            Table::Claims => CLAIMS_COLUMNS,
            Table::ClaimLines => CLAIM_LINES_COLUMNS,
            Table::Surveys => SURVEYS_COLUMNS,
            Table::CaseDecisions => CASE_DECISIONS_COLUMNS,
            Table::Sanctions => SANCTIONS_COLUMNS,
            Table::Appeals => APPEALS_COLUMNS,
        }
    }
}

use Logical::*;

const INSTITUTIONS_COLUMNS: &[ColumnSpec] = &[
            column(c::INSTITUTION_ID, Text),
            nullable(c::NAME, Text),
            choice(c::KIND, INSTITUTION_KINDS),
            column(c::DISTRICT, Text),
            column(c::LICENSED_ON, Date),
            choice(c::STATUS, INSTITUTION_STATUSES),
            nullable(c::CAPACITY, Integer),
            personal(c::LEGAL_REP, false),
            personal(c::BANK_ACCOUNT, false),
            optional(c::CREDIT_CODE, Text),
];

const CLASSES_COLUMNS: &[ColumnSpec] = &[
            column(c::CLASS_ID, Text),
            column(c::INSTITUTION_ID, Text),
            column(c::OCCUPATION_CODE, Text),
            nullable(c::OCCUPATION_NAME, Text),
            column(c::LEVEL, Integer),
            choice(c::CATEGORY, CATEGORIES),
            choice(c::MODE, MODES),
            column(c::START_DATE, Date),
            column(c::END_DATE, Date),
            column(c::PLANNED_HOURS, Integer),
            column(c::CAPACITY, Integer),
            column(c::SUBSIDY_PER_HEAD, Money),
            column(c::KEY_INDUSTRY, Boolean),
];

const ENROLLMENTS_COLUMNS: &[ColumnSpec] = &[
            column(c::ENROLLMENT_ID, Text),
            column(c::CLASS_ID, Text),
            personal(c::PERSON_ID, true),
            choice(c::GROUP, GROUPS),
            column(c::ENROLLED_ON, Date),
            column(c::COMPLETED, Boolean),
            personal(c::PHONE, false),
            personal(c::PAYOUT_ACCOUNT, false),
];

const ATTENDANCE_COLUMNS: &[ColumnSpec] = &[
            column(c::ENROLLMENT_ID, Text),
            column(c::CHECK_IN, Timestamp),
            nullable(c::CHECK_OUT, Timestamp),
            choice(c::METHOD, METHODS),
            nullable(c::DEVICE_ID, Text),
];

const ASSESSMENTS_COLUMNS: &[ColumnSpec] = &[
            column(c::ASSESSMENT_ID, Text),
            personal(c::PERSON_ID, true),
            nullable(c::ENROLLMENT_ID, Text),
            column(c::OCCUPATION_CODE, Text),
            column(c::LEVEL, Integer),
            column(c::EXAM_DATE, Date),
            column(c::ASSESSOR_ID, Text),
            nullable(c::SCORE, Real),
            column(c::PASSED, Boolean),
            nullable(c::CERTIFICATE_NO, Text),
            column(c::FEE, Money),
];

const EMPLOYMENT_COLUMNS: &[ColumnSpec] = &[
            personal(c::PERSON_ID, true),
            column(c::EMPLOYER_ID, Text),
            column(c::MONTH, Date),
            nullable(c::CONTRIBUTION, Money),
];

const CLAIMS_COLUMNS: &[ColumnSpec] = &[
            column(c::CLAIM_ID, Text),
            column(c::INSTITUTION_ID, Text),
            nullable(c::CLASS_ID, Text),
            choice(c::CLAIM_TYPE, CLAIM_TYPES),
            column(c::SUBMITTED_ON, Date),
            column(c::HEADCOUNT, Integer),
            column(c::AMOUNT, Money),
            nullable(c::PAID_AMOUNT, Money),
            choice(c::PAYMENT_MODE, PAYMENT_MODES),
            choice(c::STATUS, CLAIM_STATUSES),
];

const CLAIM_LINES_COLUMNS: &[ColumnSpec] = &[
            column(c::CLAIM_ID, Text),
            column(c::ENROLLMENT_ID, Text),
            column(c::AMOUNT, Money),
            nullable(c::DAYS, Integer),
];

const SURVEYS_COLUMNS: &[ColumnSpec] = &[
            column(c::ENROLLMENT_ID, Text),
            column(c::ANSWERED_ON, Date),
            column(c::SCORE, Integer),
];

const CASE_DECISIONS_COLUMNS: &[ColumnSpec] = &[
            column(c::INSTITUTION_ID, Text),
            column(c::DECIDED_ON, Date),
            choice(c::FINDING, FINDINGS),
            nullable(c::AMOUNT_DEFRAUDED, Money),
            nullable(c::NOTE, Text),
];

const SANCTIONS_COLUMNS: &[ColumnSpec] = &[
            column(c::INSTITUTION_ID, Text),
            choice(c::KIND, SANCTION_KINDS),
            column(c::FROM_QUARTER, Text),
            nullable(c::UNTIL_QUARTER, Text),
            nullable(c::REASON, Text),
            // The publication calendar's carry (see `publication`): when the sanction was
            // decided, and a repair of credit that ended its publication.
            optional(c::DECIDED_ON, Date),
            optional(c::REPAIRED_ON, Date),
];

const APPEALS_COLUMNS: &[ColumnSpec] = &[
            column(c::RULE, Text),
            column(c::ENTITY_ID, Text),
            column(c::DECIDED_ON, Date),
            choice(c::OUTCOME, OUTCOMES),
            nullable(c::NOTE, Text),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_and_foreign_key_is_a_column_of_its_table() {
        for table in ALL_TABLES {
            let names: Vec<&str> = table.columns().iter().map(|column| column.name).collect();
            for key in table.primary_key() {
                assert!(names.contains(key), "{} key {key}", table.name());
            }
            for foreign in table.foreign_keys() {
                assert!(names.contains(&foreign.column), "{} foreign key {}", table.name(), foreign.column);
                assert!(foreign.parent < table, "{} validated before its parent", table.name());
            }
            assert_eq!(Table::from_name(table.name()), Some(table));
        }
    }
}
