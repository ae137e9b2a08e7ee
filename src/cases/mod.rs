//! The case ledger: what investigators did with the leads, carried from quarter to quarter.
//!
//! Leads are statistics; a case is the bureau's work on one of them. Every run writes
//! `cases.parquet` (the engine's copy) and `cases.csv` (the same rows for Excel and WPS). The
//! investigators edit the CSV (status, assignee, due date, resolution and its reason, a note) and
//! the next quarter's run, given the run with `--previous`, reads it back ([`store`]) and carries
//! every case forward ([`carry`]): a lead seen again updates its case instead of opening a second
//! one, a closed case reopens only when its lead escalates, and a case whose lead is gone stays as
//! the investigators left it.
//!
//! A case is one institution and one *scheme*: the family of the signals that raised it
//! ([`scheme_of`]). An institution whose ring of shared phones is being investigated and whose
//! exam scores then start heaping has two cases, each closed on its own evidence; the same scheme
//! seen again next quarter is the same case. Its id is `institution_id/scheme`, stable by
//! construction.

mod carry;
pub(crate) mod csv;
mod store;
mod yields;

pub use carry::carry;
pub use store::{leads_of, money_of, paid_and_pending, read_previous, write};
pub use yields::{yield_frame, yields, Recovered, YieldRow, YIELD_PARQUET};

use crate::error::{Error, ErrorKind};
use chrono::NaiveDate;
use std::path::Path;

/// The run folder's ledger files.
pub const CASES_PARQUET: &str = "cases.parquet";
pub const CASES_CSV: &str = "cases.csv";

/// The families of signals that make a scheme. A signal not listed (one added later) is a scheme
/// of its own; a lead raised by breaches alone is the scheme [`BREACHES`].
const SCHEMES: [(&str, &[&str]); 6] = [
    ("network", &["successor", "shared_contacts"]),
    ("sign_ins", &["synchronized_sign_ins", "manual_sign_ins", "bulk_sign_ins"]),
    ("assessments", &["score_heaping", "assessor_pass_rate"]),
    ("employment", &["short_employment", "employer_concentration"]),
    ("claims", &["benford"]),
    ("profile", &["outlier"]),
];

/// The scheme of a lead that no signal raised (its breach share did).
pub const BREACHES: &str = "breaches";

/// The scheme a signal belongs to.
pub fn scheme_of(signal: &str) -> &str {
    SCHEMES.iter().find(|(_, signals)| signals.contains(&signal)).map_or(signal, |(scheme, _)| scheme)
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Opened by this quarter's run.
    New,
    /// Opened earlier and not closed.
    Open,
    /// Closed by an investigator, with a resolution.
    Closed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    fn parse(text: &str) -> Option<Status> {
        [Status::New, Status::Open, Status::Closed].into_iter().find(|status| status.name() == text)
    }
}

/// How a closed case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// The fraud or breach was confirmed.
    Confirmed,
    /// Investigated and found in order.
    Cleared,
    /// The lead was a statistical accident (not worth a visit).
    FalsePositive,
}

impl Resolution {
    pub fn name(self) -> &'static str {
        match self {
            Resolution::Confirmed => "confirmed",
            Resolution::Cleared => "cleared",
            Resolution::FalsePositive => "false_positive",
        }
    }

    /// The resolution for a person, in `lang`.
    pub fn label(self, lang: crate::vocab::Lang) -> &'static str {
        use crate::vocab::messages::cases;
        match self {
            Resolution::Confirmed => cases::CONFIRMED.template(lang),
            Resolution::Cleared => cases::CLEARED.template(lang),
            Resolution::FalsePositive => cases::FALSE_POSITIVE.template(lang),
        }
    }

    fn parse(text: &str) -> Option<Resolution> {
        [Resolution::Confirmed, Resolution::Cleared, Resolution::FalsePositive].into_iter().find(|resolution| resolution.name() == text)
    }
}

/// One case of the ledger. The lead's figures (`priority`, `signals`, `risk_score`, `rank`,
/// `paid_fen`, `pending_fen`) are those of the last quarter that updated the case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub case_id: String,
    pub institution_id: String,
    pub scheme: String,
    pub opened_in: String,
    pub last_seen_in: String,
    pub status: Status,
    /// `high` for a high-priority lead, else `normal`.
    pub priority: String,
    pub assignee: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub resolution: Option<Resolution>,
    pub resolution_reason: Option<String>,
    pub note: Option<String>,
    /// The lead's fired signals of this scheme, strongest first, joined by ", ".
    pub signals: String,
    pub risk_score: f64,
    pub rank: u32,
    /// What the institution was paid in the quarter (claims submitted in it, status paid).
    pub paid_fen: i64,
    /// What it has pending in the quarter (claims submitted in it, status pending).
    pub pending_fen: i64,
}

/// Each institution's first case (by id) that the ledger does not hold closed: what holds a
/// tier-A uplift pending review (policy.md, "Uplift held pending review").
pub fn open_by_institution(cases: &[Case]) -> std::collections::HashMap<String, crate::rating::score::OpenCase> {
    let mut open = std::collections::HashMap::new();
    let mut sorted: Vec<&Case> = cases.iter().filter(|case| case.status != Status::Closed).collect();
    sorted.sort_by(|a, b| a.case_id.cmp(&b.case_id));
    for case in sorted {
        open.entry(case.institution_id.clone())
            .or_insert_with(|| crate::rating::score::OpenCase { case_id: case.case_id.clone(), opened_in: case.opened_in.clone() });
    }
    open
}

/// What the previous ledger (as the investigators left it) tells this quarter's judgement: the
/// cases that hold an uplift, and the resolved cases as labels for the risk model.
#[derive(Debug, Clone, Default)]
pub struct CaseStanding {
    /// Each institution's first case not closed ([`open_by_institution`]).
    pub open: std::collections::HashMap<String, crate::rating::score::OpenCase>,
    /// Per institution with a closed, resolved case: `true` when one of them is `confirmed`,
    /// `false` when all were `cleared` or `false_positive`. The risk model reads them beside the
    /// export's case decisions (a decision, being the bureau's, wins).
    pub labels: std::collections::BTreeMap<String, bool>,
}

impl CaseStanding {
    pub fn of(cases: &[Case]) -> CaseStanding {
        let mut labels = std::collections::BTreeMap::new();
        for case in cases.iter().filter(|case| case.status == Status::Closed) {
            let Some(resolution) = case.resolution else { continue };
            let confirmed = resolution == Resolution::Confirmed;
            let label = labels.entry(case.institution_id.clone()).or_insert(confirmed);
            *label |= confirmed;
        }
        CaseStanding { open: open_by_institution(cases), labels }
    }
}

/// A lead as the ledger reads it: only the contract columns of `leads.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct Lead {
    pub institution_id: String,
    pub rank: u32,
    pub risk_score: f64,
    pub high_priority: bool,
    /// Fired signals, strongest first.
    pub signals: Vec<String>,
}

/// A case ledger file that cannot be used: exit 2, like any `--previous` that cannot be chained.
fn ledger_error(file: &Path, detail: impl Into<String>) -> Error {
    Error::new(ErrorKind::CaseLedger { file: file.to_path_buf(), detail: detail.into() })
}

#[cfg(test)]
mod standing_tests {
    use super::*;

    fn closed(id: &str, institution: &str, status: Status, resolution: Option<Resolution>) -> Case {
        Case {
            case_id: id.into(),
            institution_id: institution.into(),
            scheme: "x".into(),
            opened_in: "2026Q2".into(),
            last_seen_in: "2026Q2".into(),
            status,
            priority: "normal".into(),
            assignee: None,
            due_on: None,
            resolution,
            resolution_reason: None,
            note: None,
            signals: String::new(),
            risk_score: 0.5,
            rank: 1,
            paid_fen: 0,
            pending_fen: 0,
        }
    }

    #[test]
    fn any_confirmed_case_labels_its_institution_and_open_cases_hold() {
        let cases = vec![
            closed("I1/a", "I1", Status::Closed, Some(Resolution::FalsePositive)),
            closed("I1/b", "I1", Status::Closed, Some(Resolution::Confirmed)),
            closed("I2/a", "I2", Status::Closed, Some(Resolution::Cleared)),
            closed("I3/a", "I3", Status::Open, None),
        ];
        let standing = CaseStanding::of(&cases);
        assert_eq!(standing.labels, std::collections::BTreeMap::from([("I1".to_string(), true), ("I2".to_string(), false)]));
        assert_eq!(standing.open.keys().collect::<Vec<_>>(), vec!["I3"]);
    }
}
