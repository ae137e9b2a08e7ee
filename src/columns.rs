//! Every column name the engine reads or writes, in one place, so that a rename in the data
//! contract or the output contract is one edit. Names follow `../shared/spec/data-contract.md`
//! and `outputs.md` exactly; columns the engine derives while reading carry a suffix that says
//! what they hold (`_fen` for money in integer fen, `_form` for the shape of an identifier).

// Keys and identifiers shared by several tables.
pub const INSTITUTION_ID: &str = "institution_id";
pub const CLASS_ID: &str = "class_id";
pub const ENROLLMENT_ID: &str = "enrollment_id";
pub const PERSON_ID: &str = "person_id";
pub const CLAIM_ID: &str = "claim_id";
pub const ASSESSMENT_ID: &str = "assessment_id";
pub const EMPLOYER_ID: &str = "employer_id";

// institutions
pub const NAME: &str = "name";
pub const KIND: &str = "kind";
pub const DISTRICT: &str = "district";
pub const LICENSED_ON: &str = "licensed_on";
pub const STATUS: &str = "status";
pub const CAPACITY: &str = "capacity";
pub const LEGAL_REP: &str = "legal_rep";
pub const BANK_ACCOUNT: &str = "bank_account";
/// 统一社会信用代码 (optional column: absent is fine, see `ingest::credit_code`).
pub const CREDIT_CODE: &str = "credit_code";

// classes
pub const OCCUPATION_CODE: &str = "occupation_code";
pub const OCCUPATION_NAME: &str = "occupation_name";
pub const LEVEL: &str = "level";
pub const CATEGORY: &str = "category";
pub const MODE: &str = "mode";
pub const START_DATE: &str = "start_date";
pub const END_DATE: &str = "end_date";
pub const PLANNED_HOURS: &str = "planned_hours";
pub const SUBSIDY_PER_HEAD: &str = "subsidy_per_head";
pub const KEY_INDUSTRY: &str = "key_industry";

// enrollments
pub const GROUP: &str = "group";
pub const ENROLLED_ON: &str = "enrolled_on";
pub const COMPLETED: &str = "completed";
pub const PHONE: &str = "phone";
pub const PAYOUT_ACCOUNT: &str = "payout_account";

// attendance
pub const CHECK_IN: &str = "check_in";
pub const CHECK_OUT: &str = "check_out";
pub const METHOD: &str = "method";
pub const DEVICE_ID: &str = "device_id";

// assessments
pub const EXAM_DATE: &str = "exam_date";
pub const ASSESSOR_ID: &str = "assessor_id";
pub const SCORE: &str = "score";
pub const PASSED: &str = "passed";
pub const CERTIFICATE_NO: &str = "certificate_no";
pub const FEE: &str = "fee";

// employment
pub const MONTH: &str = "month";
pub const CONTRIBUTION: &str = "contribution";

// claims and claim_lines
pub const CLAIM_TYPE: &str = "claim_type";
pub const SUBMITTED_ON: &str = "submitted_on";
pub const HEADCOUNT: &str = "headcount";
pub const AMOUNT: &str = "amount";
pub const PAID_AMOUNT: &str = "paid_amount";
pub const PAYMENT_MODE: &str = "payment_mode";
pub const DAYS: &str = "days";

// surveys
pub const ANSWERED_ON: &str = "answered_on";

// case_decisions
pub const DECIDED_ON: &str = "decided_on";
pub const FINDING: &str = "finding";
pub const AMOUNT_DEFRAUDED: &str = "amount_defrauded";
pub const NOTE: &str = "note";

// sanctions
pub const FROM_QUARTER: &str = "from_quarter";
pub const UNTIL_QUARTER: &str = "until_quarter";
pub const REASON: &str = "reason";
/// Optional: the day a repair of credit ended the sanction's publication (see `publication`).
pub const REPAIRED_ON: &str = "repaired_on";

// appeals
pub const RULE: &str = "rule";
pub const ENTITY_ID: &str = "entity_id";
pub const OUTCOME: &str = "outcome";

// Derived while reading.
/// Suffix of a money column held in integer fen (`amount` → `amount_fen`).
pub const FEN_SUFFIX: &str = "_fen";
/// Shape of the person id before hashing: see [`crate::person::IdForm::name`].
pub const PERSON_ID_FORM: &str = "person_id_form";
/// Birth date from a raw ID number (null otherwise).
pub const BIRTH_DATE: &str = "birth_date";
/// Sex from a raw ID number: true = male (odd 17th digit).
pub const MALE: &str = "male";
/// A person's pseudonym (64 hex characters) beside rows that show the person: `person_id`
/// holds the person's number after ingest.
pub const PERSON_PSEUDONYM: &str = "person_pseudonym";

// rejects.parquet
pub const TABLE: &str = "table";
pub const ROW_KEY: &str = "row_key";

/// `amount` → `amount_fen`.
pub fn fen(column: &str) -> String {
    format!("{column}{FEN_SUFFIX}")
}

// Derived by `features` for every claim line (`features::line_facts`).
/// `claim_id/enrollment_id`: a claim line's entity id in flags, appeals and reports.
pub const LINE_ID: &str = "line_id";
pub const CLAIM_CLASS_ID: &str = "claim_class_id";
pub const CLAIM_STATUS: &str = "claim_status";
pub const CLAIM_AMOUNT_FEN: &str = "claim_amount_fen";
pub const PAID_AMOUNT_FEN: &str = "paid_amount_fen";
pub const ENROLLMENT_FOUND: &str = "enrollment_found";
pub const ENROLLMENT_CLASS_ID: &str = "enrollment_class_id";
pub const CLASS_INSTITUTION_ID: &str = "class_institution_id";
pub const CLASS_LICENSED_ON: &str = "class_licensed_on";
pub const MINIMUM_WAGE_FEN: &str = "minimum_wage_fen";
pub const ATTENDED_SECONDS: &str = "attended_seconds";
pub const IN_SCOPE: &str = "in_scope";
/// Lines of rejected claims never count as earlier lines.
pub const COUNTS_AS_EARLIER: &str = "counts_as_earlier";
pub const LINE_AMOUNT_FEN: &str = "line_amount_fen";
pub const SUBSIDY_PER_HEAD_FEN: &str = "subsidy_per_head_fen";
pub const FEE_FEN: &str = "fee_fen";
pub const AGE: &str = "age";
