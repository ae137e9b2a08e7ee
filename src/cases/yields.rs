//! Yield: what the leads have been worth, per signal (or `breaches` for leads raised by rule
//! breaches alone), as the bureau's fraud-prevention audit asks it: leads, cases opened and
//! closed, how they were resolved, the precision of the leads against those resolutions, and the
//! money recovered (actual) against the money identified (behind the leads).
//!
//! Each case is attributed to every signal that raised it (its `signals`), so a confirmed case
//! raised by two signals counts for both; the `all` row counts each case once and each
//! institution's money once. `top_10` and `top_20` are the same figures over the cases whose lead
//! ranked that high when last seen: what working the list from the top has yielded.

use super::{Case, Lead, Resolution, Status, BREACHES};
use crate::error::{PolarsContext, Result};
use crate::quarter::Quarter;
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The run folder's yield table.
pub const YIELD_PARQUET: &str = "yield.parquet";

/// The slices of the list the `top_k` rows measure (display cut-offs of the table, not policy:
/// nothing is decided on them).
const TOP_K: [u32; 2] = [10, 20];

/// Money a `fraud_confirmed` decision recovered: the institution, the date, the amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    pub institution_id: String,
    pub decided_on: NaiveDate,
    pub amount_fen: i64,
}

/// One row of `yield.parquet`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct YieldRow {
    /// A signal id, `breaches`, `all`, `top_10` or `top_20`.
    pub source: String,
    /// This quarter's leads on which the signal fired (`all`: every lead).
    pub leads: u32,
    /// Cases opened by this quarter's run.
    pub cases_opened: u32,
    /// Cases not closed (new or open).
    pub cases_open: u32,
    pub cases_closed: u32,
    pub confirmed: u32,
    pub cleared: u32,
    pub false_positive: u32,
    /// Confirmed ÷ closed with a resolution; `None` while nothing is resolved.
    pub precision: Option<f64>,
    /// Paid and pending money behind the cases' leads when last seen.
    pub identified_fen: i64,
    /// What `fraud_confirmed` decisions recovered from the confirmed cases' institutions, dated
    /// from the quarter the case opened up to the end of this quarter.
    pub recovered_fen: i64,
}

/// The signals a case is attributed to: its own, or `breaches` when no signal raised it.
fn sources(case: &Case) -> Vec<String> {
    let signals: Vec<String> = case.signals.split(", ").filter(|s| !s.is_empty()).map(str::to_string).collect();
    if signals.is_empty() {
        vec![BREACHES.to_string()]
    } else {
        signals
    }
}

/// What the decisions recovered from `case`'s institution, from its opening to `quarter`'s end.
fn recovered_for(case: &Case, recovered: &[Recovered], quarter: Quarter) -> i64 {
    let Ok(opened) = case.opened_in.parse::<Quarter>() else { return 0 };
    recovered
        .iter()
        .filter(|r| r.institution_id == case.institution_id && r.decided_on >= opened.first_day() && r.decided_on <= quarter.last_day())
        .map(|r| r.amount_fen)
        .sum()
}

/// The figures over `cases` (counted once each) and `leads`. Money counts each institution once:
/// its largest identified amount, and its recoveries from its earliest confirmed case's opening.
fn measure(source: &str, cases: &[&Case], leads: u32, recovered: &[Recovered], quarter: Quarter) -> YieldRow {
    let q = quarter.to_string();
    let mut row = YieldRow { source: source.to_string(), leads, ..YieldRow::default() };
    let mut identified: BTreeMap<&str, i64> = BTreeMap::new();
    let mut earliest_confirmed: BTreeMap<&str, &Case> = BTreeMap::new();
    for case in cases {
        row.cases_opened += u32::from(case.opened_in == q);
        match case.status {
            Status::Closed => row.cases_closed += 1,
            Status::New | Status::Open => row.cases_open += 1,
        }
        match case.resolution.filter(|_| case.status == Status::Closed) {
            Some(Resolution::Confirmed) => {
                row.confirmed += 1;
                let earliest = earliest_confirmed.entry(case.institution_id.as_str()).or_insert(case);
                if case.opened_in < earliest.opened_in {
                    *earliest = case;
                }
            }
            Some(Resolution::Cleared) => row.cleared += 1,
            Some(Resolution::FalsePositive) => row.false_positive += 1,
            None => {}
        }
        let money = identified.entry(case.institution_id.as_str()).or_insert(0);
        *money = (*money).max(case.paid_fen + case.pending_fen);
    }
    let resolved = row.confirmed + row.cleared + row.false_positive;
    row.precision = (resolved > 0).then(|| f64::from(row.confirmed) / f64::from(resolved));
    row.identified_fen = identified.values().sum();
    row.recovered_fen = earliest_confirmed.values().map(|case| recovered_for(case, recovered, quarter)).sum();
    row
}

/// The yield rows of the ledger after `quarter`, sorted by source.
pub fn yields(cases: &[Case], leads: &[Lead], recovered: &[Recovered], quarter: Quarter) -> Vec<YieldRow> {
    let mut by_source: BTreeMap<String, Vec<&Case>> = BTreeMap::new();
    for case in cases {
        for source in sources(case) {
            by_source.entry(source).or_default().push(case);
        }
    }
    let mut lead_counts: BTreeMap<String, u32> = BTreeMap::new();
    for lead in leads {
        let fired: BTreeSet<&str> = lead.signals.iter().map(String::as_str).collect();
        if fired.is_empty() {
            *lead_counts.entry(BREACHES.to_string()).or_default() += 1;
        }
        for signal in fired {
            *lead_counts.entry(signal.to_string()).or_default() += 1;
        }
    }
    let mut names: BTreeSet<String> = by_source.keys().cloned().collect();
    names.extend(lead_counts.keys().cloned());
    let mut rows: Vec<YieldRow> = names
        .iter()
        .map(|name| {
            let cases = by_source.get(name).map(Vec::as_slice).unwrap_or_default();
            measure(name, cases, lead_counts.get(name).copied().unwrap_or(0), recovered, quarter)
        })
        .collect();
    let all: Vec<&Case> = cases.iter().collect();
    rows.push(measure("all", &all, u32::try_from(leads.len()).unwrap_or(u32::MAX), recovered, quarter));
    for k in TOP_K {
        let top: Vec<&Case> = cases.iter().filter(|case| case.rank <= k).collect();
        let top_leads = leads.iter().filter(|lead| lead.rank <= k).count();
        rows.push(measure(&format!("top_{k}"), &top, u32::try_from(top_leads).unwrap_or(u32::MAX), recovered, quarter));
    }
    rows.sort_by(|a, b| a.source.cmp(&b.source));
    rows
}

/// `yield.parquet`: the rows with the quarter, money as `decimal(14,2)`.
pub fn yield_frame(rows: &[YieldRow], quarter: Quarter) -> Result<DataFrame> {
    let count = |f: fn(&YieldRow) -> u32| rows.iter().map(f).collect::<Vec<u32>>();
    let fen = |name: &str, f: fn(&YieldRow) -> i64| -> Result<Column> {
        crate::report::tables::decimal_from_fen(name, &Column::new(name.into(), rows.iter().map(f).collect::<Vec<i64>>()))
    };
    let columns = vec![
        Column::new("quarter".into(), vec![quarter.to_string(); rows.len()]),
        Column::new("source".into(), rows.iter().map(|r| r.source.clone()).collect::<Vec<_>>()),
        Column::new("leads".into(), count(|r| r.leads)),
        Column::new("cases_opened".into(), count(|r| r.cases_opened)),
        Column::new("cases_open".into(), count(|r| r.cases_open)),
        Column::new("cases_closed".into(), count(|r| r.cases_closed)),
        Column::new("confirmed".into(), count(|r| r.confirmed)),
        Column::new("cleared".into(), count(|r| r.cleared)),
        Column::new("false_positive".into(), count(|r| r.false_positive)),
        Column::new("precision".into(), rows.iter().map(|r| r.precision).collect::<Vec<Option<f64>>>()),
        fen("identified", |r| r.identified_fen)?,
        fen("recovered", |r| r.recovered_fen)?,
    ];
    DataFrame::new(rows.len(), columns).context("building the yield table")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: &str, institution: &str, opened_in: &str, status: Status, resolution: Option<Resolution>, signals: &str, rank: u32, money: (i64, i64)) -> Case {
        Case {
            case_id: id.into(),
            institution_id: institution.into(),
            scheme: "x".into(),
            opened_in: opened_in.into(),
            last_seen_in: "2026Q3".into(),
            status,
            priority: "normal".into(),
            assignee: None,
            due_on: None,
            resolution,
            resolution_reason: None,
            note: None,
            signals: signals.into(),
            risk_score: 0.5,
            rank,
            paid_fen: money.0,
            pending_fen: money.1,
        }
    }

    fn lead(institution: &str, rank: u32, signals: &[&str]) -> Lead {
        Lead { institution_id: institution.into(), rank, risk_score: 0.5, high_priority: false, signals: signals.iter().map(|s| s.to_string()).collect() }
    }

    #[test]
    fn counts_resolutions_per_signal_and_money_once_per_institution() {
        let q3: Quarter = "2026Q3".parse().unwrap();
        let cases = vec![
            case("I1/network", "I1", "2026Q2", Status::Closed, Some(Resolution::Confirmed), "successor, shared_contacts", 1, (100_00, 50_00)),
            case("I1/claims", "I1", "2026Q3", Status::New, None, "benford", 1, (100_00, 50_00)),
            case("I2/network", "I2", "2026Q2", Status::Closed, Some(Resolution::FalsePositive), "shared_contacts", 12, (300_00, 0)),
            case("I3/breaches", "I3", "2026Q3", Status::New, None, "", 25, (7_00, 1)),
        ];
        let leads = vec![lead("I1", 1, &["successor", "shared_contacts", "benford"]), lead("I3", 25, &[])];
        let recovered = vec![
            Recovered { institution_id: "I1".into(), decided_on: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(), amount_fen: 90_00 },
            // Before the case opened (2026Q2 starts 1 April): not the case's yield.
            Recovered { institution_id: "I1".into(), decided_on: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(), amount_fen: 1 },
            // After this quarter: not yet.
            Recovered { institution_id: "I1".into(), decided_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), amount_fen: 2 },
        ];
        let rows = yields(&cases, &leads, &recovered, q3);
        let names: Vec<&str> = rows.iter().map(|r| r.source.as_str()).collect();
        assert_eq!(names, ["all", "benford", "breaches", "shared_contacts", "successor", "top_10", "top_20"]);
        let get = |name: &str| rows.iter().find(|r| r.source == name).unwrap().clone();
        let shared = get("shared_contacts");
        assert_eq!((shared.leads, shared.cases_closed, shared.confirmed, shared.false_positive, shared.precision), (1, 2, 1, 1, Some(0.5)));
        assert_eq!((shared.identified_fen, shared.recovered_fen), (150_00 + 300_00, 90_00));
        let all = get("all");
        assert_eq!((all.leads, all.cases_opened, all.cases_open, all.cases_closed, all.precision), (2, 2, 2, 2, Some(0.5)));
        // I1's two cases share its money: counted once.
        assert_eq!((all.identified_fen, all.recovered_fen), (150_00 + 300_00 + 7_01, 90_00));
        let breaches = get("breaches");
        assert_eq!((breaches.leads, breaches.cases_opened, breaches.precision, breaches.identified_fen), (1, 1, None, 7_01));
        let top10 = get("top_10");
        assert_eq!((top10.leads, top10.cases_closed, top10.confirmed, top10.precision), (1, 1, 1, Some(1.0)));
        assert_eq!(get("top_20").false_positive, 1);

        let frame = yield_frame(&rows, q3).unwrap();
        assert_eq!(frame.height(), 7);
        assert_eq!(frame.column("recovered").unwrap().dtype(), &DataType::Decimal(14, 2));
    }
}
