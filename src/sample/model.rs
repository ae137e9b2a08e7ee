//! The generator's in-memory world: every row of every table before it is written, plus the
//! bookkeeping of what was planted where.
//!
//! Rows refer to each other by index (ids are formatted only when written), so planting a case is
//! a matter of pushing or editing rows, and the truth file can be assembled from the marks left
//! on them without running any rule logic over the finished tables.

use super::catalogue::{self, Category, Group, Kind, Mode};
use super::people::IdIssuer;
use super::SampleOptions;
use crate::Quarter;
use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// Rule bits of a claim line (R01 … R12), in policy order.
pub const R01: u16 = 1 << 0;
pub const R02: u16 = 1 << 1;
pub const R03: u16 = 1 << 2;
pub const R04: u16 = 1 << 3;
pub const R05: u16 = 1 << 4;
pub const R06: u16 = 1 << 5;
pub const R07: u16 = 1 << 6;
pub const R08: u16 = 1 << 7;
pub const R09: u16 = 1 << 8;
pub const R10: u16 = 1 << 9;
pub const R11: u16 = 1 << 10;
pub const R12: u16 = 1 << 11;

/// Rule ids of a set of rule bits, sorted.
pub fn rule_ids(bits: u16) -> Vec<String> {
    (0..12).filter(|i| bits & (1 << i) != 0).map(|i| format!("R{:02}", i + 1)).collect()
}

/// Rules whose part at stake is capped (not the whole line).
pub const PARTIAL_RULES: u16 = R08 | R09 | R11;

/// How an institution performs when nobody cheats: drives completion, pass, employment,
/// retention and satisfaction so that the credit tiers spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Excellent,
    Good,
    Mediocre,
    Poor,
    Tiny,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Excellent => "excellent",
            Profile::Good => "good",
            Profile::Mediocre => "mediocre",
            Profile::Poor => "poor",
            Profile::Tiny => "tiny",
        }
    }

    pub fn completion_rate(self) -> f64 {
        match self {
            Profile::Excellent => 0.97,
            Profile::Good | Profile::Tiny => 0.91,
            Profile::Mediocre => 0.86,
            Profile::Poor => 0.72,
        }
    }

    /// Mean and spread of exam scores. First-sitting pass rates run from about 58% (poor) to
    /// 93% (excellent): far enough apart to spread the tiers, close enough that no honest
    /// institution's pass rate with an assessor stands 25 points above that assessor's others.
    pub fn score_mean_sd(self) -> (f64, f64) {
        match self {
            Profile::Excellent => (74.0, 10.0),
            Profile::Good | Profile::Tiny => (70.0, 11.0),
            Profile::Mediocre => (66.5, 12.0),
            Profile::Poor => (62.0, 13.0),
        }
    }

    pub fn employment_rate(self) -> f64 {
        match self {
            Profile::Excellent => 0.85,
            Profile::Good | Profile::Tiny => 0.64,
            Profile::Mediocre => 0.5,
            Profile::Poor => 0.33,
        }
    }

    pub fn retention_rate(self) -> f64 {
        match self {
            Profile::Excellent => 0.85,
            Profile::Good | Profile::Tiny => 0.66,
            Profile::Mediocre => 0.55,
            Profile::Poor => 0.38,
        }
    }

    /// Weights of survey answers 1…5.
    pub fn survey_weights(self) -> [u32; 5] {
        match self {
            Profile::Excellent => [0, 0, 4, 26, 70],
            Profile::Good | Profile::Tiny => [0, 3, 12, 47, 38],
            Profile::Mediocre => [2, 6, 20, 42, 30],
            Profile::Poor => [8, 12, 25, 35, 20],
        }
    }
}

/// Statistical schemes planted in whole institutions (truth file `schemes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scheme {
    Benford,
    SynchronizedSignIns,
    ManualSignIns,
    ScoreHeaping,
    AssessorCollusion,
    ShortEmployment,
    EmployerConcentration,
    Ring,
    Successor,
    /// Trainees put through training again at two other institutions (planted only at a set
    /// intensity, so never in the catalogue sample: not in [`Scheme::ALL`]).
    RecycledTrainees,
    /// Camouflaged variants (`camouflage`), likewise only at a set intensity: sign-ins of absent
    /// trainees typed in by hand at one minute per session…
    TypedInSignIns,
    /// …fake short jobs spread over several employers so that no one employer stands out…
    SpreadJobs,
    /// …and trainees on paper only, with distinct phones but shared allowance accounts.
    GhostTrainees,
}

impl Scheme {
    pub const ALL: [Scheme; 9] = [
        Scheme::Benford,
        Scheme::SynchronizedSignIns,
        Scheme::ManualSignIns,
        Scheme::ScoreHeaping,
        Scheme::AssessorCollusion,
        Scheme::ShortEmployment,
        Scheme::EmployerConcentration,
        Scheme::Ring,
        Scheme::Successor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scheme::Benford => "benford",
            Scheme::SynchronizedSignIns => "synchronized_sign_ins",
            Scheme::ManualSignIns => "manual_sign_ins",
            Scheme::ScoreHeaping => "score_heaping",
            Scheme::AssessorCollusion => "assessor_collusion",
            Scheme::ShortEmployment => "short_employment",
            Scheme::EmployerConcentration => "employer_concentration",
            Scheme::Ring => "ring",
            Scheme::Successor => "successor",
            Scheme::RecycledTrainees => "recycled_trainees",
            Scheme::TypedInSignIns => "typed_in_sign_ins",
            Scheme::SpreadJobs => "spread_jobs",
            Scheme::GhostTrainees => "ghost_trainees",
        }
    }
}

/// Roles that tie an institution to sanctions, decisions and the licence rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    None,
    /// Under a `ban` sanction carried in the input ledger.
    Banned,
    /// Under an indefinite `disqualified` sanction.
    Disqualified,
    /// `fraud_confirmed` in Q−1 with an amount.
    FraudStated,
    /// `fraud_confirmed` in Q without an amount.
    FraudUnstated,
    /// `fraud_confirmed` then `cleared` (claims in between are R10, later ones are not).
    FraudCleared,
    /// Licensed recently; its first class started before the licence (R12).
    LicensedLate,
    /// A `violation` decision in Q.
    Violation,
}

/// How a trainee signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Face,
    Fingerprint,
    Card,
    Manual,
    Online,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Face => "face",
            Method::Fingerprint => "fingerprint",
            Method::Card => "card",
            Method::Manual => "manual",
            Method::Online => "online",
        }
    }

    /// Letter of the terminal kind in device ids.
    pub fn device_letter(self) -> char {
        match self {
            Method::Face => 'F',
            Method::Fingerprint => 'P',
            Method::Card => 'C',
            Method::Manual => 'M',
            Method::Online => 'W',
        }
    }
}

pub struct Institution {
    pub number: u32,
    pub name: String,
    pub kind: Kind,
    pub district: usize,
    pub licensed_on: NaiveDate,
    pub status: &'static str,
    pub capacity: u32,
    pub legal_rep: String,
    pub bank_account: String,
    pub profile: Profile,
    pub scheme: Option<Scheme>,
    pub special: Special,
    /// Occupations (catalogue indices) the institution teaches.
    pub specialties: Vec<usize>,
    pub primary_method: Method,
    pub devices: u32,
    /// Pays living allowances at a flat 40.00 a day (below every district's cap).
    pub flat_allowance: bool,
    /// Claims 80% of the standard for employees in upgrading classes (their employer pays the rest).
    pub reduced_for_employees: bool,
}

impl Institution {
    pub fn id(&self) -> String {
        format!("JN-ORG-{:06}", self.number)
    }

    /// Whether planted rule breaches may be put into this institution's claims: ordinary,
    /// not excellent (so that tier A stays reachable), not part of a scheme or special role.
    pub fn hosts_plants(&self) -> bool {
        self.scheme.is_none()
            && matches!(self.special, Special::None | Special::Violation)
            && matches!(self.profile, Profile::Good | Profile::Mediocre | Profile::Poor)
    }
}

pub struct Class {
    pub institution: u32,
    pub occupation: usize,
    pub level: u8,
    pub category: Category,
    pub mode: Mode,
    pub start: NaiveDate,
    pub length_days: u32,
    pub sessions: u32,
    pub session_hours: u32,
    /// Seconds after midnight an in-person session starts.
    pub start_seconds: u32,
    pub planned_hours: u32,
    pub subsidy_fen: i64,
    pub key_industry: bool,
    pub assessor: usize,
    pub exam_date: Option<NaiveDate>,
    /// Percent of in-person sign-ins done by hand.
    pub manual_percent: u32,
    /// Every trainee of a session signs in at the same second (proxy sign-in).
    pub synchronized: bool,
    pub enrollments: Vec<u32>,
    pub training_claims: Vec<u32>,
    pub appraisal_claim: Option<u32>,
    pub allowance_claim: Option<u32>,
    /// Seats above the final enrollment count (negative: over capacity, P02).
    pub capacity_margin: i32,
    pub capacity: u32,
    /// Started before its institution's licence (R12).
    pub before_licence: bool,
    /// Training claims are filed one trainee at a time (benford scheme).
    pub split_claims: bool,
    /// Already used for a planted case (one case per class keeps cases independent).
    pub used: bool,
    /// Trainees the class takes in (honest intake, before planted enrollments).
    pub planned_size: u32,
}

impl Class {
    pub fn end(&self) -> NaiveDate {
        self.start + chrono::Duration::days(self.length_days as i64 - 1)
    }

    /// Date of session `index` (0-based): sessions spread evenly from the first to the last day.
    pub fn session_date(&self, index: u32) -> NaiveDate {
        let offset = if self.sessions <= 1 {
            0
        } else {
            (index as u64 * (self.length_days as u64 - 1) + (self.sessions as u64 - 1) / 2) / (self.sessions as u64 - 1)
        };
        self.start + chrono::Duration::days(offset as i64)
    }

    /// Whether session `index` is an online study session.
    pub fn session_online(&self, index: u32) -> bool {
        match self.mode {
            Mode::Online => true,
            Mode::Blended => index % 3 == 2,
            Mode::Offline => false,
        }
    }

    pub fn occupation(&self) -> &'static catalogue::Occupation {
        catalogue::occupation(self.occupation)
    }
}

pub struct Person {
    /// The normalised ID number (as assessments and employment carry it).
    pub id: String,
    /// Written with a lower-case final `x` in enrollments (normalisation must join it).
    pub lower_x: bool,
    pub birth: NaiveDate,
    pub group: Group,
    pub phone: u64,
    pub account: Option<u64>,
    /// Last day of the person's latest class: honest people never train in two places at once.
    pub busy_until: NaiveDate,
    pub enrollments: u32,
}

/// How an enrollment's sign-ins are generated (see `attendance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttendancePlan {
    /// No sign-ins at all.
    None,
    /// Every session (up to the export date) but a few skipped, always ≥ 90% of planned hours.
    Full,
    /// Every session, none skipped (the first enrollment of a double-presence pair).
    Perfect,
    /// The first `sessions` sessions, then gone (well below 80%).
    Dropout { sessions: u32 },
    /// Sessions summing to exactly this many seconds within the class dates.
    Exact { seconds: i64 },
    /// Exactly `seconds`, plus one more session whose check_out is missing.
    ExactMissingCheckout { seconds: i64 },
    /// Exactly `seconds` within the class dates, plus four sessions before the start date.
    ExactOutsideDates { seconds: i64 },
    /// Exactly `seconds`, plus one 20-hour session that only counts 12 hours.
    ExactOverlong { seconds: i64 },
    /// Every session; on days the `partner` enrollment signs in elsewhere, `offset` seconds after it.
    Shadow { partner: u32, offset: i64 },
}

/// What a planted enrollment's exam looks like.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ExamPlan {
    /// As the institution's profile and scheme say.
    Auto,
    /// No sitting.
    None,
    /// One sitting with this score, `days_after_end` after the class end.
    Fixed { score: f64, passed: bool, certificate: bool, days_after_end: i64 },
}

/// Enrollment flags that keep planted cases independent of the honest machinery.
pub const NO_TRAINING_LINE: u16 = 1 << 0;
pub const FORCE_TRAINING_LINE: u16 = 1 << 1;
pub const NO_APPRAISAL_LINE: u16 = 1 << 2;
pub const NO_ALLOWANCE_LINE: u16 = 1 << 3;
pub const NO_EMPLOYMENT: u16 = 1 << 4;
pub const NO_SURVEY: u16 = 1 << 5;
/// Planted to be rejected on read (unknown group): the engine never sees it.
pub const REJECTED_ON_READ: u16 = 1 << 6;
/// A ghost trainee (`camouflage`): on paper only, every in-person sign-in written by hand.
pub const GHOST: u16 = 1 << 7;

pub struct Enrollment {
    pub class: u32,
    pub person: u32,
    pub group: Group,
    pub enrolled_on: NaiveDate,
    pub completed: bool,
    pub phone: u64,
    pub payout_account: Option<u64>,
    pub plan: AttendancePlan,
    pub exam: ExamPlan,
    pub flags: u16,
    /// Rules every line of this enrollment breaches by construction (R03, R04), plus R06 for
    /// its training lines.
    pub marks: u16,
    /// The passing assessment (if any) an appraisal line can use.
    pub pass: Option<u32>,
}

impl Enrollment {
    pub fn id_of(index: u32) -> String {
        format!("JN-ENR-{:07}", index + 1)
    }
}

pub struct Assessment {
    pub person: u32,
    /// The enrollment that led to the sitting.
    pub enrollment: Option<u32>,
    /// Whether the export knows that enrollment (it often does not, then `enrollment_id` is null).
    pub link_enrollment: bool,
    pub occupation: usize,
    pub level: u8,
    pub exam_date: NaiveDate,
    pub assessor: usize,
    pub score: Option<f64>,
    pub passed: bool,
    pub certificate: Option<String>,
    pub fee_fen: i64,
}

pub struct EmploymentMonth {
    pub person: u32,
    pub employer: u32,
    pub month: NaiveDate,
    pub contribution_fen: Option<i64>,
}

/// A survey answer; `enrollment` may point nowhere (planted reject).
pub struct Survey {
    pub enrollment: EnrollmentRef,
    pub answered_on: NaiveDate,
    pub score: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnrollmentRef {
    Known(u32),
    /// An enrollment number no row has (R07 / rejected survey).
    Missing(u32),
}

impl EnrollmentRef {
    pub fn id(self) -> String {
        match self {
            EnrollmentRef::Known(index) | EnrollmentRef::Missing(index) => Enrollment::id_of(index),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    Training,
    Appraisal,
    LivingAllowance,
}

impl ClaimKind {
    pub fn name(self) -> &'static str {
        match self {
            ClaimKind::Training => "training",
            ClaimKind::Appraisal => "appraisal",
            ClaimKind::LivingAllowance => "living_allowance",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Paid,
    Pending,
    Rejected,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Paid => "paid",
            Status::Pending => "pending",
            Status::Rejected => "rejected",
        }
    }
}

pub struct Claim {
    pub institution: u32,
    pub class: Option<u32>,
    pub kind: ClaimKind,
    pub submitted_on: NaiveDate,
    pub status: Status,
    pub credit_mode: bool,
    /// Share paid of a paid claim, in per mille (1000 = in full).
    pub paid_per_mille: i64,
    /// Planted P04 differences between the stated and the true totals.
    pub amount_adjust_fen: i64,
    pub headcount_adjust: i64,
    pub lines: Vec<u32>,
    /// Claimed while sanctioned or disqualified (R10).
    pub sanctioned: bool,
    /// Creation order, the tie-break of equal submission dates (ids are assigned in that order).
    pub sequence: u32,
    /// Final id number, assigned in (submitted_on, sequence) order.
    pub number: u32,
    pub amount_fen: i64,
    pub paid_fen: Option<i64>,
    /// Ended up with no lines: not written.
    pub dropped: bool,
}

impl Claim {
    pub fn id(&self) -> String {
        format!("JN-CLM-{:06}", self.number)
    }
}

pub struct Line {
    pub claim: u32,
    pub enrollment: EnrollmentRef,
    pub amount_fen: i64,
    pub days: Option<i64>,
    /// Rules planted on this line itself (R01, R02, R07, R08, R09, R11).
    pub rules: u16,
    /// Part at stake of its capped rule (R08, R09 or R11), when it has one.
    pub partial_fen: i64,
}

pub struct Decision {
    pub institution: u32,
    pub decided_on: NaiveDate,
    pub finding: &'static str,
    pub amount_fen: Option<i64>,
    pub note: Option<String>,
}

pub struct Sanction {
    pub institution: u32,
    pub kind: &'static str,
    pub from: Quarter,
    pub until: Option<Quarter>,
    pub reason: String,
}

pub struct Appeal {
    pub rule: &'static str,
    pub line: u32,
    pub decided_on: NaiveDate,
    pub outcome: &'static str,
    pub note: String,
}

/// A sign-in row added on purpose outside the generated sessions (rejects).
pub struct ExtraSignIn {
    pub enrollment: u32,
    pub check_in: chrono::NaiveDateTime,
    pub check_out: Option<chrono::NaiveDateTime>,
    pub method: Method,
    pub device: String,
}

/// The entity of a procedural finding.
#[derive(Debug, Clone, Copy)]
pub enum ProceduralEntity {
    Claim(u32),
    Class(u32),
    Pair(u32, u32),
}

pub struct ProceduralPlant {
    pub quarter: Quarter,
    pub rule: &'static str,
    pub entity: ProceduralEntity,
    pub institution: u32,
    pub note: String,
}

pub struct SchemePlant {
    pub scheme: Scheme,
    pub institution: u32,
    pub note: String,
}

pub struct RejectPlant {
    pub table: &'static str,
    pub count: usize,
    pub reason: &'static str,
}

/// An employer of the social-insurance table.
pub struct Employer {
    pub code: String,
}

/// Days after a class's end within which planted cases file their claims (a training claim up to
/// 30 days after the end, a supplementary or allowance claim up to 40 days after that), with room.
const HOST_MARGIN_DAYS: i64 = 120;

pub struct World {
    pub options: SampleOptions,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub rng: ChaCha8Rng,
    pub ids: IdIssuer,
    pub institutions: Vec<Institution>,
    pub classes: Vec<Class>,
    pub persons: Vec<Person>,
    pub enrollments: Vec<Enrollment>,
    pub assessments: Vec<Assessment>,
    pub employment: Vec<EmploymentMonth>,
    pub surveys: Vec<Survey>,
    pub claims: Vec<Claim>,
    pub lines: Vec<Line>,
    pub decisions: Vec<Decision>,
    pub sanctions: Vec<Sanction>,
    pub appeals: Vec<Appeal>,
    pub extra_sign_ins: Vec<ExtraSignIn>,
    pub employers: Vec<Employer>,
    /// Certificates issued so far (their serial numbers).
    pub certificates: u32,
    /// Why a planted line, enrollment, class or claim breaches (truth notes).
    pub line_notes: BTreeMap<u32, String>,
    pub enrollment_notes: BTreeMap<u32, String>,
    pub class_notes: BTreeMap<u32, String>,
    pub claim_notes: BTreeMap<u32, String>,
    pub procedural: Vec<ProceduralPlant>,
    pub schemes: Vec<SchemePlant>,
    pub rejects: Vec<RejectPlant>,
    /// Rules planted on every training line of an enrollment, applied once the lines exist.
    pub enrollment_line_rules: Vec<(u32, u16)>,
    /// Classes drawn so far per scheme institution (a set intensity involves its share of them).
    pub scheme_classes: BTreeMap<u32, u32>,
    /// Institutions the engine bans in the demo's chain, with the first quarter of the ban: from
    /// its first day they start no class and file no claim (`settle`); empty unless settling.
    pub stops: BTreeMap<u32, Quarter>,
    /// Institutions kept free of planted cases from this quarter on (with a margin): every one
    /// the engine banned in any round so far (`settle`), so that a case is never planted where
    /// its claims would be withdrawn. Kept apart from `stops` because moving a case reshuffles
    /// the hosts chosen after it: it only grows, and once it holds every banned institution the
    /// rounds change nothing but the withdrawals.
    pub spared: BTreeMap<u32, Quarter>,
    /// Hosts and bookkeeping of the camouflaged schemes (empty without a set intensity).
    pub camouflage: super::camouflage::Plan,
}

impl World {
    pub fn new(options: SampleOptions, rng: ChaCha8Rng) -> World {
        World {
            first_day: options.from.first_day(),
            last_day: options.to.last_day(),
            options,
            rng,
            ids: IdIssuer::default(),
            institutions: Vec::new(),
            classes: Vec::new(),
            persons: Vec::new(),
            enrollments: Vec::new(),
            assessments: Vec::new(),
            employment: Vec::new(),
            surveys: Vec::new(),
            claims: Vec::new(),
            lines: Vec::new(),
            decisions: Vec::new(),
            sanctions: Vec::new(),
            appeals: Vec::new(),
            extra_sign_ins: Vec::new(),
            employers: Vec::new(),
            certificates: 0,
            line_notes: BTreeMap::new(),
            enrollment_notes: BTreeMap::new(),
            class_notes: BTreeMap::new(),
            claim_notes: BTreeMap::new(),
            procedural: Vec::new(),
            scheme_classes: BTreeMap::new(),
            schemes: Vec::new(),
            rejects: Vec::new(),
            enrollment_line_rules: Vec::new(),
            stops: BTreeMap::new(),
            spared: BTreeMap::new(),
            camouflage: super::camouflage::Plan::default(),
        }
    }

    /// Whether an institution may host planted cases whenever they are filed: an ordinary one
    /// (`hosts_plants`) that is not spared, since a stopped institution's later claims and
    /// classes are withdrawn and a case planted there would vanish with them.
    pub fn may_host(&self, institution: u32) -> bool {
        self.institutions[institution as usize].hosts_plants() && !self.spared.contains_key(&institution)
    }

    /// Whether a class may host a planted case: its institution is ordinary and, when it is
    /// spared, the class ended long enough before (`HOST_MARGIN_DAYS`) that every claim a case
    /// files about it comes before the stop. Spared institutions keep their earlier cases, so a
    /// stop moves as few planted cases (and the breach shares they carry) as it can.
    pub fn may_host_class(&self, class: u32) -> bool {
        let class = &self.classes[class as usize];
        self.institutions[class.institution as usize].hosts_plants()
            && self.spared.get(&class.institution).is_none_or(|from| {
                class.end() + chrono::Duration::days(HOST_MARGIN_DAYS) < from.first_day()
            })
    }

    /// Whether the institution is stopped on `date` (it neither opens classes nor files claims).
    pub fn stopped_on(&self, institution: u32, date: NaiveDate) -> bool {
        self.stops.get(&institution).is_some_and(|from| date >= from.first_day())
    }

    /// Whether a class was withdrawn: it would start after its institution was stopped.
    pub fn withdrawn_class(&self, class: u32) -> bool {
        let class = &self.classes[class as usize];
        self.stopped_on(class.institution, class.start)
    }

    /// Whether an enrollment was withdrawn with its class.
    pub fn withdrawn_enrollment(&self, enrollment: u32) -> bool {
        self.withdrawn_class(self.enrollments[enrollment as usize].class)
    }

    /// Dates of the planted decisions against an institution of this role: the decision (a
    /// `fraud_confirmed`) and, for `FraudCleared`, the later `cleared`. The institution starts no
    /// class between them (or after the decision, when it is never cleared).
    pub fn decision_dates(&self, special: Special) -> Option<(NaiveDate, Option<NaiveDate>)> {
        let to = self.options.to;
        match special {
            Special::FraudStated => Some((to.offset(-1).first_day() + chrono::Duration::days(41), None)),
            Special::FraudUnstated => Some((to.first_day() + chrono::Duration::days(19), None)),
            Special::FraudCleared => {
                let fraud = to.offset(-3).first_day() + chrono::Duration::days(40);
                Some((fraud, Some(fraud + chrono::Duration::days(30))))
            }
            _ => None,
        }
    }

    /// Whether an institution of this role may start a class on `date`: a disqualified or
    /// banned institution (or one found to have defrauded) stops opening classes, although it
    /// keeps filing claims for the ones it ran (R10).
    pub fn may_open_class(&self, special: Special, date: NaiveDate) -> bool {
        let to = self.options.to;
        let quarter = Quarter::of_date(date);
        match special {
            Special::Banned => quarter < to,
            Special::Disqualified => quarter <= to.offset(-2),
            _ => match self.decision_dates(special) {
                Some((decided, None)) => date < decided,
                Some((decided, Some(cleared))) => date < decided || date > cleared,
                None => true,
            },
        }
    }

    /// The evaluated quarter `offset` quarters before the last one (0 = `to`).
    pub fn quarter_back(&self, offset: i32) -> Quarter {
        self.options.to.offset(-offset)
    }

    pub fn class_of(&self, enrollment: u32) -> &Class {
        &self.classes[self.enrollments[enrollment as usize].class as usize]
    }

    pub fn institution_of_class(&self, class: u32) -> &Institution {
        &self.institutions[self.classes[class as usize].institution as usize]
    }

    /// Adds a claim and returns its index.
    #[allow(clippy::too_many_arguments)]
    pub fn add_claim(
        &mut self,
        institution: u32,
        class: Option<u32>,
        kind: ClaimKind,
        submitted_on: NaiveDate,
        status: Status,
        credit_mode: bool,
    ) -> u32 {
        let index = self.claims.len() as u32;
        self.claims.push(Claim {
            institution,
            class,
            kind,
            submitted_on,
            status,
            credit_mode,
            paid_per_mille: 1000,
            amount_adjust_fen: 0,
            headcount_adjust: 0,
            lines: Vec::new(),
            sanctioned: false,
            sequence: index,
            number: 0,
            amount_fen: 0,
            paid_fen: None,
            dropped: false,
        });
        index
    }

    /// Adds a line to a claim and returns its index.
    pub fn add_line(&mut self, claim: u32, enrollment: EnrollmentRef, amount_fen: i64, days: Option<i64>) -> u32 {
        let index = self.lines.len() as u32;
        self.lines.push(Line { claim, enrollment, amount_fen, days, rules: 0, partial_fen: 0 });
        self.claims[claim as usize].lines.push(index);
        index
    }

    /// The status a claim filed on `date` has at the export date: recent ones are mostly still
    /// pending, older ones paid (a few only in part).
    pub fn natural_status(&mut self, date: NaiveDate) -> (Status, i64) {
        if (self.last_day - date).num_days() < 45 && self.rng.gen_bool(0.85) {
            return (Status::Pending, 1000);
        }
        if self.rng.gen_bool(0.06) {
            return (Status::Paid, self.rng.gen_range(70..=95) * 10);
        }
        (Status::Paid, 1000)
    }

    /// Appends a note (truth) to a map entry.
    pub fn note(map: &mut BTreeMap<u32, String>, key: u32, text: &str) {
        let entry = map.entry(key).or_default();
        if !entry.is_empty() {
            entry.push_str("; ");
        }
        entry.push_str(text);
    }
}

/// Draws an index by weights.
pub fn weighted<T: Copy>(rng: &mut ChaCha8Rng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (choice, weight) in choices {
        if pick < *weight {
            return *choice;
        }
        pick -= weight;
    }
    choices[choices.len() - 1].0
}

/// An approximately normal draw (Irwin–Hall: twelve uniforms), free of platform maths libraries
/// so that the same seed gives the same numbers everywhere.
pub fn normal(rng: &mut ChaCha8Rng, mean: f64, sd: f64) -> f64 {
    let sum: f64 = (0..12).map(|_| rng.gen::<f64>()).sum();
    mean + sd * (sum - 6.0)
}

/// First day of the month `months` after the month of `date`.
pub fn month_start_after(date: NaiveDate, months: i32) -> NaiveDate {
    use chrono::Datelike;
    let index = date.year() * 12 + date.month0() as i32 + months;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).expect("valid month")
}
