//! The rows behind every lead: `lead_evidence.parquet` and `lead_money.parquet`.
//!
//! A lead's evidence sentence names at most a few examples per signal; an investigator needs the
//! rows themselves (which sign-ins formed each burst, which enrollments a ring holds, which exams
//! were heaped, which claim lines carry an over-represented first digit, which short jobs) and
//! what the institution was paid and has pending while the signal looked. Each signal module
//! selects its own rows ([`Row`]) with the same predicates its measurement uses, from what it
//! gathered during detection ([`Gathered`]), for the leads only and only for the signals that
//! count for each lead (fired, or adding evidence to its risk).
//!
//! Rows are capped at [`ROWS_PER_SIGNAL`] per lead and signal, the first by part, then source
//! table (claim lines after the rows they follow from), then row key;
//! `lead_money.parquet` says for each lead and signal how many rows there were and how many were
//! left out, so a cap never hides that rows exist.

use super::{benford, employment, exams, outlier, recycling, rings, sign_ins, successor, Context, SignalValue};
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::vocab::SignalId;
use polars::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// Rows written per lead and signal; the rest are counted in `lead_money.rows_left_out`.
pub const ROWS_PER_SIGNAL: usize = 500;

/// `lead_evidence.parquet`.
pub const LEAD_EVIDENCE_PARQUET: &str = "lead_evidence.parquet";
/// `lead_money.parquet`.
pub const LEAD_MONEY_PARQUET: &str = "lead_money.parquet";

/// One source row behind a signal of a lead. `table` and `row_key` name the row in the export
/// (`claim_id/enrollment_id` for a claim line, `enrollment_id@check_in` for a sign-in,
/// `person|employer|month` for a job, the table's id otherwise); `part` groups the rows within
/// the signal with a code (`burst:CLASS@TIME`, `class:ID`, `digit:7`, `heap`, `assessor:ID`,
/// `employer:ID`, `ring:N`, `partner:ID`, `source:ID`, `profile`). The other fields are the
/// row's facts; persons, phones and accounts are pseudonyms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub table: &'static str,
    pub row_key: String,
    pub part: String,
    pub enrollment_id: Option<String>,
    pub person_id: Option<String>,
    pub at: Option<String>,
    pub device_id: Option<String>,
    pub method: Option<String>,
    pub assessor_id: Option<String>,
    pub score: Option<f64>,
    pub passed: Option<bool>,
    pub employer_id: Option<String>,
    pub months: Option<i32>,
    pub claim_id: Option<String>,
    pub amount_fen: Option<i64>,
    pub other_institution_id: Option<String>,
    pub contact: Option<String>,
    pub value: Option<f64>,
}

/// What the signal modules gathered during detection, kept until the leads are known.
#[derive(Default)]
pub struct Gathered {
    pub amounts: Option<BTreeMap<String, Vec<benford::Amount>>>,
    pub sign_ins: Option<sign_ins::SignInCounts>,
    pub exams: Option<Vec<exams::Exam>>,
    pub outcomes: Option<Vec<employment::Outcome>>,
    pub rings: Option<(Vec<rings::Link>, Vec<rings::Ring>)>,
    pub recycling: Option<BTreeMap<String, recycling::Recycling>>,
    pub successors: Option<BTreeMap<String, successor::Link>>,
}

/// One signal that counts for one lead.
#[derive(Debug, Clone)]
pub struct Wanted {
    pub institution_id: String,
    pub rank: u32,
    pub signal: SignalId,
    pub fired: bool,
    /// The signal's evidence added to the lead's risk.
    pub contribution: f64,
}

/// The two tables.
#[derive(Debug, Clone)]
pub struct LeadEvidence {
    pub rows: DataFrame,
    pub money: DataFrame,
}

/// The quarters a signal looked at (offsets from Q): the employment signals follow classes that
/// ended earlier (`short_employment.window`), every other signal the common window.
pub fn window_of(ctx: &Context, signal: SignalId) -> [i32; 2] {
    match signal {
        SignalId::ShortEmployment | SignalId::EmployerConcentration | SignalId::EmploymentClusters => ctx.config.short_employment.window,
        _ => ctx.config.window,
    }
}

/// The rows of every wanted (lead, signal), by signal, from what was gathered.
pub fn rows_of(ctx: &Context, gathered: &Gathered, values: &[SignalValue], wanted: &[Wanted]) -> Result<BTreeMap<(String, SignalId), Vec<Row>>> {
    let mut per_signal: BTreeMap<SignalId, BTreeSet<String>> = BTreeMap::new();
    for w in wanted {
        per_signal.entry(w.signal).or_default().insert(w.institution_id.clone());
    }
    let empty = BTreeSet::new();
    let of = |signal: SignalId| per_signal.get(&signal).unwrap_or(&empty);
    let mut found: Vec<(String, SignalId, Row)> = Vec::new();
    let mut add = |signal: SignalId, rows: Vec<(String, Row)>| found.extend(rows.into_iter().map(|(id, row)| (id, signal, row)));
    if let Some(amounts) = &gathered.amounts {
        for id in of(SignalId::Benford) {
            let rows = amounts.get(id).map(|a| benford::behind(a)).unwrap_or_default();
            add(SignalId::Benford, rows.into_iter().map(|r| (id.clone(), r)).collect());
        }
    }
    if let Some(counts) = &gathered.sign_ins {
        let wanted = [of(SignalId::SynchronizedSignIns), of(SignalId::ManualSignIns), of(SignalId::BulkSignIns)];
        if wanted.iter().any(|set| !set.is_empty()) {
            let [bursts, by_hand, in_bulk] = sign_ins::behind(ctx, counts, wanted)?;
            add(SignalId::SynchronizedSignIns, bursts);
            add(SignalId::ManualSignIns, by_hand);
            add(SignalId::BulkSignIns, in_bulk);
        }
    }
    if let Some(exams) = &gathered.exams {
        let (h, a) = (&ctx.config.score_heaping, &ctx.config.assessor_pass_rate);
        add(SignalId::ScoreHeaping, exams::heaping_behind(exams, of(SignalId::ScoreHeaping), ctx.policy.rules.pass_mark, h.heap_width));
        let minimums = [a.min_exams_here, a.min_exams_elsewhere, a.min_institutions_elsewhere];
        add(SignalId::AssessorPassRate, exams::assessor_behind(exams, of(SignalId::AssessorPassRate), minimums));
    }
    if let Some(outcomes) = &gathered.outcomes {
        for signal in [SignalId::ShortEmployment, SignalId::EmployerConcentration, SignalId::EmploymentClusters] {
            add(signal, employment::behind(outcomes, signal, of(signal), employment::ClusterRules::of(ctx)));
        }
    }
    if let Some((links, found_rings)) = &gathered.rings {
        let members = rings::behind(links, found_rings, of(SignalId::SharedContacts));
        // What the ring was claimed for: the claim lines of its enrollments in the window, from
        // the window's claim lines benford gathered (read here when benford is off).
        let enrollments: BTreeSet<&str> = members.iter().filter_map(|(_, r)| r.enrollment_id.as_deref()).collect();
        let lines = if enrollments.is_empty() {
            BTreeMap::new()
        } else {
            match &gathered.amounts {
                Some(amounts) => lines_of(amounts, &enrollments),
                None => lines_of(&benford::amounts_in_window(ctx)?, &enrollments),
            }
        };
        let mut claimed = Vec::new();
        for (id, member) in &members {
            for (claim, amount) in lines.get(member.enrollment_id.as_deref().unwrap_or("")).into_iter().flatten() {
                let enrollment = member.enrollment_id.clone().unwrap_or_default();
                claimed.push((
                    id.clone(),
                    Row {
                        enrollment_id: member.enrollment_id.clone(),
                        person_id: member.person_id.clone(),
                        contact: member.contact.clone(),
                        claim_id: Some(claim.clone()),
                        amount_fen: Some(*amount),
                        ..row("claim_lines", format!("{claim}/{enrollment}"), member.part.clone())
                    },
                ));
            }
        }
        add(SignalId::SharedContacts, members);
        add(SignalId::SharedContacts, claimed);
    }
    if let Some(found_recycling) = &gathered.recycling {
        add(SignalId::RecycledTrainees, recycling::behind(ctx, found_recycling, of(SignalId::RecycledTrainees))?);
    }
    if let Some(links) = &gathered.successors {
        add(SignalId::Successor, successor::behind(links, of(SignalId::Successor)));
    }
    add(SignalId::Outlier, outlier::behind(ctx, values, of(SignalId::Outlier)));
    let mut grouped: BTreeMap<(String, SignalId), Vec<Row>> = BTreeMap::new();
    for (id, signal, row) in found {
        grouped.entry((id, signal)).or_default().push(row);
    }
    for rows in grouped.values_mut() {
        rows.sort_by(|a, b| (&a.part, table_rank(a.table), &a.row_key).cmp(&(&b.part, table_rank(b.table), &b.row_key)));
        rows.dedup_by(|a, b| a.part == b.part && a.row_key == b.row_key && a.table == b.table);
    }
    Ok(grouped)
}

/// Where a source table's rows come within a part: the rows a signal counted first, the claim
/// lines that follow from them (a ring's enrollments, then what was claimed for them) last, so
/// that the cap keeps the former.
fn table_rank(table: &str) -> usize {
    usize::from(table == "claim_lines")
}

/// The claim lines among `amounts` (the window's, per institution) of `enrollments`:
/// enrollment → (claim, fen).
fn lines_of(amounts: &BTreeMap<String, Vec<benford::Amount>>, enrollments: &BTreeSet<&str>) -> BTreeMap<String, Vec<(String, i64)>> {
    let mut found: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    for amount in amounts.values().flatten() {
        let (claim, enrollment) = amount.line_id.split_once('/').unwrap_or((amount.line_id.as_str(), ""));
        if enrollments.contains(enrollment) {
            found.entry(enrollment.to_string()).or_default().push((claim.to_string(), amount.amount_fen));
        }
    }
    found
}

/// Both tables for the wanted (lead, signal) pairs; `money` gives an institution's paid and
/// pending fen for claims submitted between two days.
pub fn tables(
    ctx: &Context,
    wanted: &[Wanted],
    mut rows: BTreeMap<(String, SignalId), Vec<Row>>,
    money: &dyn Fn(chrono::NaiveDate, chrono::NaiveDate) -> Result<std::collections::HashMap<String, (i64, i64)>>,
) -> Result<LeadEvidence> {
    let mut ordered: Vec<&Wanted> = wanted.iter().collect();
    ordered.sort_by(|a, b| (&a.institution_id, super::signal_order(a.signal)).cmp(&(&b.institution_id, super::signal_order(b.signal))));
    let mut sums: BTreeMap<[i32; 2], std::collections::HashMap<String, (i64, i64)>> = BTreeMap::new();
    let mut evidence = Columns::default();
    let mut m = MoneyColumns::default();
    for w in ordered {
        let window = window_of(ctx, w.signal);
        if !sums.contains_key(&window) {
            sums.insert(window, money(ctx.quarter.offset(window[0]).first_day(), ctx.quarter.offset(window[1]).last_day())?);
        }
        let (paid, pending) = sums[&window].get(&w.institution_id).copied().unwrap_or((0, 0));
        let found = rows.remove(&(w.institution_id.clone(), w.signal)).unwrap_or_default();
        let kept = found.len().min(ROWS_PER_SIGNAL);
        m.institution_id.push(w.institution_id.clone());
        m.rank.push(w.rank);
        m.signal.push(w.signal.as_str().to_string());
        m.fired.push(w.fired);
        m.contribution.push(super::risk::round6(w.contribution));
        m.window.push(super::quarters_label(ctx.quarter, window));
        m.first_day.push(ctx.quarter.offset(window[0]).first_day());
        m.last_day.push(ctx.quarter.offset(window[1]).last_day());
        m.paid.push(paid);
        m.pending.push(pending);
        m.rows.push(found.len() as u32);
        m.rows_written.push(kept as u32);
        m.rows_left_out.push((found.len() - kept) as u32);
        for row in found.into_iter().take(ROWS_PER_SIGNAL) {
            evidence.push(w, row);
        }
    }
    Ok(LeadEvidence { rows: evidence.frame()?, money: m.frame()? })
}

#[derive(Default)]
struct MoneyColumns {
    institution_id: Vec<String>,
    rank: Vec<u32>,
    signal: Vec<String>,
    fired: Vec<bool>,
    contribution: Vec<f64>,
    window: Vec<String>,
    first_day: Vec<chrono::NaiveDate>,
    last_day: Vec<chrono::NaiveDate>,
    paid: Vec<i64>,
    pending: Vec<i64>,
    rows: Vec<u32>,
    rows_written: Vec<u32>,
    rows_left_out: Vec<u32>,
}

impl MoneyColumns {
    fn frame(self) -> Result<DataFrame> {
        let height = self.institution_id.len();
        DataFrame::new(
            height,
            vec![
                Column::new(c::INSTITUTION_ID.into(), self.institution_id),
                Column::new("rank".into(), self.rank),
                Column::new("signal".into(), self.signal),
                Column::new("fired".into(), self.fired),
                Column::new("contribution".into(), self.contribution),
                Column::new("window".into(), self.window),
                Column::new("first_day".into(), self.first_day),
                Column::new("last_day".into(), self.last_day),
                crate::report::tables::decimal_from_fen("paid", &Column::new("paid".into(), self.paid))?,
                crate::report::tables::decimal_from_fen("pending", &Column::new("pending".into(), self.pending))?,
                Column::new("rows".into(), self.rows),
                Column::new("rows_written".into(), self.rows_written),
                Column::new("rows_left_out".into(), self.rows_left_out),
            ],
        )
        .context("building lead_money")
    }
}

#[derive(Default)]
struct Columns {
    institution_id: Vec<String>,
    rank: Vec<u32>,
    signal: Vec<String>,
    fired: Vec<bool>,
    table: Vec<String>,
    row_key: Vec<String>,
    part: Vec<String>,
    enrollment_id: Vec<Option<String>>,
    person_id: Vec<Option<String>>,
    at: Vec<Option<String>>,
    device_id: Vec<Option<String>>,
    method: Vec<Option<String>>,
    assessor_id: Vec<Option<String>>,
    score: Vec<Option<f64>>,
    passed: Vec<Option<bool>>,
    employer_id: Vec<Option<String>>,
    months: Vec<Option<i32>>,
    claim_id: Vec<Option<String>>,
    amount: Vec<Option<i64>>,
    other_institution_id: Vec<Option<String>>,
    contact: Vec<Option<String>>,
    value: Vec<Option<f64>>,
}

impl Columns {
    fn push(&mut self, w: &Wanted, row: Row) {
        self.institution_id.push(w.institution_id.clone());
        self.rank.push(w.rank);
        self.signal.push(w.signal.as_str().to_string());
        self.fired.push(w.fired);
        self.table.push(row.table.to_string());
        self.row_key.push(row.row_key);
        self.part.push(row.part);
        self.enrollment_id.push(row.enrollment_id);
        self.person_id.push(row.person_id);
        self.at.push(row.at);
        self.device_id.push(row.device_id);
        self.method.push(row.method);
        self.assessor_id.push(row.assessor_id);
        self.score.push(row.score);
        self.passed.push(row.passed);
        self.employer_id.push(row.employer_id);
        self.months.push(row.months);
        self.claim_id.push(row.claim_id);
        self.amount.push(row.amount_fen);
        self.other_institution_id.push(row.other_institution_id);
        self.contact.push(row.contact);
        self.value.push(row.value);
    }

    fn frame(self) -> Result<DataFrame> {
        let height = self.institution_id.len();
        DataFrame::new(
            height,
            vec![
                Column::new(c::INSTITUTION_ID.into(), self.institution_id),
                Column::new("rank".into(), self.rank),
                Column::new("signal".into(), self.signal),
                Column::new("fired".into(), self.fired),
                Column::new("table".into(), self.table),
                Column::new("row_key".into(), self.row_key),
                Column::new("part".into(), self.part),
                Column::new(c::ENROLLMENT_ID.into(), self.enrollment_id),
                Column::new(c::PERSON_ID.into(), self.person_id),
                Column::new("at".into(), self.at),
                Column::new(c::DEVICE_ID.into(), self.device_id),
                Column::new(c::METHOD.into(), self.method),
                Column::new(c::ASSESSOR_ID.into(), self.assessor_id),
                Column::new(c::SCORE.into(), self.score),
                Column::new(c::PASSED.into(), self.passed),
                Column::new("employer_id".into(), self.employer_id),
                Column::new("months".into(), self.months),
                Column::new(c::CLAIM_ID.into(), self.claim_id),
                crate::report::tables::decimal_from_fen(c::AMOUNT, &Column::new(c::AMOUNT.into(), self.amount))?,
                Column::new("other_institution_id".into(), self.other_institution_id),
                Column::new("contact".into(), self.contact),
                Column::new("value".into(), self.value),
            ],
        )
        .context("building lead_evidence")
    }
}

/// A row with the fields every signal sets.
pub fn row(table: &'static str, row_key: impl Into<String>, part: impl Into<String>) -> Row {
    Row { table, row_key: row_key.into(), part: part.into(), ..Row::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_evidence_table_holds_money_as_decimal_yuan() {
        let wanted = Wanted { institution_id: "I1".into(), rank: 1, signal: SignalId::Benford, fired: true, contribution: 0.5 };
        let mut columns = Columns::default();
        for i in 0..3 {
            columns.push(&wanted, Row { amount_fen: Some(12_345 + i), ..row("claim_lines", format!("C{i}/E{i}"), "digit:1") });
        }
        let frame = columns.frame().unwrap();
        assert_eq!(frame.height(), 3);
        assert_eq!(frame.column("amount").unwrap().dtype(), &DataType::Decimal(14, 2));
        assert_eq!(frame.column("amount").unwrap().get(1).unwrap().to_string(), "123.46");
    }
}
