//! The ledger's files: writing `cases.parquet` and `cases.csv`, and reading a previous run's
//! ledger back, the engine's copy (`cases.parquet`) overlaid with the investigators' edits of
//! `cases.csv`. Only status, assignee, due_on, resolution, resolution_reason and note are taken
//! from the CSV; a bad edit is an error naming the file, the row (as the spreadsheet numbers it)
//! and the column. Also the two inputs the ledger takes from a run: the leads (their contract
//! columns only) and each institution's money in the quarter.

use super::{csv, ledger_error, Case, Lead, Resolution, Status, CASES_CSV, CASES_PARQUET};
use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::money;
use crate::quarter::Quarter;
use crate::query::CollectStreaming;
use crate::report::tables::decimal_from_fen;
use chrono::NaiveDate;
use polars::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// The ledger's columns, in the order of both files.
const COLUMNS: [&str; 17] = [
    "case_id",
    "institution_id",
    "scheme",
    "opened_in",
    "last_seen_in",
    "status",
    "priority",
    "assignee",
    "due_on",
    "resolution",
    "resolution_reason",
    "note",
    "signals",
    "risk_score",
    "rank",
    "paid",
    "pending",
];

/// The columns investigators may edit in `cases.csv`.
pub const EDITABLE: [&str; 6] = ["status", "assignee", "due_on", "resolution", "resolution_reason", "note"];

/// Writes `cases.parquet` and `cases.csv` into `folder`.
pub fn write(cases: &[Case], folder: &Path) -> Result<()> {
    let text = |get: fn(&Case) -> Option<String>| -> Vec<Option<String>> { cases.iter().map(get).collect() };
    let fen = |get: fn(&Case) -> i64| -> Column { Column::new("fen".into(), cases.iter().map(get).collect::<Vec<i64>>()) };
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    let due: Vec<Option<i32>> = cases.iter().map(|case| case.due_on.map(|date| (date - epoch).num_days() as i32)).collect();
    let columns = vec![
        Column::new(COLUMNS[0].into(), text(|case| Some(case.case_id.clone()))),
        Column::new(COLUMNS[1].into(), text(|case| Some(case.institution_id.clone()))),
        Column::new(COLUMNS[2].into(), text(|case| Some(case.scheme.clone()))),
        Column::new(COLUMNS[3].into(), text(|case| Some(case.opened_in.clone()))),
        Column::new(COLUMNS[4].into(), text(|case| Some(case.last_seen_in.clone()))),
        Column::new(COLUMNS[5].into(), text(|case| Some(case.status.name().to_string()))),
        Column::new(COLUMNS[6].into(), text(|case| Some(case.priority.clone()))),
        Column::new(COLUMNS[7].into(), text(|case| case.assignee.clone())),
        Column::new(COLUMNS[8].into(), due).cast(&DataType::Date).context("case due dates")?,
        Column::new(COLUMNS[9].into(), text(|case| case.resolution.map(|resolution| resolution.name().to_string()))),
        Column::new(COLUMNS[10].into(), text(|case| case.resolution_reason.clone())),
        Column::new(COLUMNS[11].into(), text(|case| case.note.clone())),
        Column::new(COLUMNS[12].into(), text(|case| Some(case.signals.clone()))),
        Column::new(COLUMNS[13].into(), cases.iter().map(|case| case.risk_score).collect::<Vec<f64>>()),
        Column::new(COLUMNS[14].into(), cases.iter().map(|case| case.rank).collect::<Vec<u32>>()),
        decimal_from_fen(COLUMNS[15], &fen(|case| case.paid_fen))?,
        decimal_from_fen(COLUMNS[16], &fen(|case| case.pending_fen))?,
    ];
    let mut frame = DataFrame::new(cases.len(), columns).context("building the case ledger")?;
    crate::report::write_parquet(&mut frame, &folder.join(CASES_PARQUET))?;

    let mut records = vec![COLUMNS.iter().map(|name| name.to_string()).collect::<Vec<_>>()];
    for case in cases {
        records.push(vec![
            case.case_id.clone(),
            case.institution_id.clone(),
            case.scheme.clone(),
            case.opened_in.clone(),
            case.last_seen_in.clone(),
            case.status.name().to_string(),
            case.priority.clone(),
            case.assignee.clone().unwrap_or_default(),
            case.due_on.map(|date| date.to_string()).unwrap_or_default(),
            case.resolution.map(|resolution| resolution.name().to_string()).unwrap_or_default(),
            case.resolution_reason.clone().unwrap_or_default(),
            case.note.clone().unwrap_or_default(),
            case.signals.clone(),
            format!("{:.4}", case.risk_score),
            case.rank.to_string(),
            money::yuan(case.paid_fen),
            money::yuan(case.pending_fen),
        ]);
    }
    let path = folder.join(CASES_CSV);
    std::fs::write(&path, csv::write(&records)).map_err(|e| crate::Error::io("writing the case ledger", &path, e))
}

/// The ledger of the run in `previous` with its investigators' edits, ready to carry into the next
/// quarter. A run written before the ledger existed has none: an empty ledger.
pub fn read_previous(previous: &Path) -> Result<Vec<Case>> {
    let parquet = previous.join(CASES_PARQUET);
    let edited = previous.join(CASES_CSV);
    if !parquet.is_file() {
        if edited.is_file() {
            return Err(ledger_error(&parquet, "is missing beside cases.csv: the run's own copy is needed to check the edits"));
        }
        return Ok(Vec::new());
    }
    let mut cases = read_parquet(&parquet)?;
    if !edited.is_file() {
        return Err(ledger_error(&edited, "is missing: edit the ledger, never delete it (the run wrote it beside cases.parquet)"));
    }
    let text = std::fs::read(&edited).map_err(|e| crate::Error::io("reading the case ledger", &edited, e))?;
    let text = String::from_utf8(text)
        .map_err(|_| ledger_error(&edited, "is not UTF-8 text: save it from Excel or WPS as \"CSV UTF-8\""))?;
    apply_edits(&mut cases, &text, &edited)?;
    Ok(cases)
}

fn read_parquet(path: &Path) -> Result<Vec<Case>> {
    let mut selection: Vec<Expr> = COLUMNS.iter().map(|name| col(*name).cast(DataType::String)).collect();
    selection[13] = col(COLUMNS[13]).cast(DataType::Float64);
    selection[14] = col(COLUMNS[14]).cast(DataType::UInt32);
    let frame = LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default())
        .and_then(|scan| scan.select(selection).collect())
        .map_err(|e| ledger_error(path, format!("cannot be read as the ledger a run writes ({e})")))?;
    let texts: Vec<&StringChunked> = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16]
        .iter()
        .map(|&index| frame.column(COLUMNS[index]).and_then(|column| column.str()))
        .collect::<PolarsResult<_>>()
        .context("reading the case ledger")?;
    let risk = frame.column(COLUMNS[13]).context("risk scores")?.f64().context("risk scores")?;
    let rank = frame.column(COLUMNS[14]).context("ranks")?.u32().context("ranks")?;
    let corrupt = |row: usize, column: &str| ledger_error(path, format!("row {}, column {column}: not a value a run writes", row + 1));
    let mut cases = Vec::with_capacity(frame.height());
    for row in 0..frame.height() {
        let value = |position: usize| texts[position].get(row).map(str::to_string);
        let required = |position: usize, column: usize| value(position).ok_or_else(|| corrupt(row, COLUMNS[column]));
        let fen = |position: usize, column: usize| -> Result<i64> {
            value(position)
                .and_then(|text| text.parse::<rust_decimal::Decimal>().ok())
                .and_then(money::fen_from_decimal)
                .ok_or_else(|| corrupt(row, COLUMNS[column]))
        };
        cases.push(Case {
            case_id: required(0, 0)?,
            institution_id: required(1, 1)?,
            scheme: required(2, 2)?,
            opened_in: required(3, 3)?,
            last_seen_in: required(4, 4)?,
            status: value(5).as_deref().and_then(Status::parse).ok_or_else(|| corrupt(row, COLUMNS[5]))?,
            priority: required(6, 6)?,
            assignee: value(7),
            due_on: value(8).map(|text| NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| corrupt(row, COLUMNS[8]))).transpose()?,
            resolution: value(9).map(|text| Resolution::parse(&text).ok_or_else(|| corrupt(row, COLUMNS[9]))).transpose()?,
            resolution_reason: value(10),
            note: value(11),
            signals: value(12).unwrap_or_default(),
            risk_score: risk.get(row).ok_or_else(|| corrupt(row, COLUMNS[13]))?,
            rank: rank.get(row).ok_or_else(|| corrupt(row, COLUMNS[14]))?,
            paid_fen: fen(13, 15)?,
            pending_fen: fen(14, 16)?,
        });
    }
    Ok(cases)
}

/// Lays the edits of `text` (the CSV) over `cases` (the run's copy), checking every row.
fn apply_edits(cases: &mut [Case], text: &str, file: &Path) -> Result<()> {
    let records = csv::read(text).map_err(|detail| ledger_error(file, detail))?;
    let Some(((_, header), rows)) = records.split_first() else {
        return Err(ledger_error(file, "is empty: it has lost its header row and every case"));
    };
    let position = |name: &str| -> Result<usize> {
        header
            .iter()
            .position(|column| column.trim() == name)
            .ok_or_else(|| ledger_error(file, format!("row 1: the column {name} is missing from the header")))
    };
    let id_at = position("case_id")?;
    let institution_at = position("institution_id")?;
    let editable: Vec<usize> = EDITABLE.iter().map(|name| position(name)).collect::<Result<_>>()?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, fields) in rows {
        let field = |at: usize| fields.get(at).map(|value| value.trim()).unwrap_or("");
        let bad = |column: &str, detail: String| ledger_error(file, format!("row {row}, column {column}: {detail}"));
        let case_id = field(id_at);
        let Some(case) = cases.iter_mut().find(|case| case.case_id == case_id) else {
            return Err(bad("case_id", format!("'{case_id}' is no case of this ledger; case_id is never edited")));
        };
        if let Some(first) = seen.insert(case_id.to_string(), *row) {
            return Err(bad("case_id", format!("case {case_id} appears twice (also row {first})")));
        }
        if field(institution_at) != case.institution_id {
            return Err(bad(
                "institution_id",
                format!("changed from {} to '{}'; institution_id is never edited", case.institution_id, field(institution_at)),
            ));
        }
        let [status_at, assignee_at, due_at, resolution_at, reason_at, note_at] = editable[..] else { unreachable!("six editable columns") };
        let status = Status::parse(field(status_at))
            .ok_or_else(|| bad("status", format!("unknown status '{}' (expected new, open or closed)", field(status_at))))?;
        let resolution = match field(resolution_at) {
            "" => None,
            text => Some(Resolution::parse(text).ok_or_else(|| {
                bad("resolution", format!("unknown resolution '{text}' (expected confirmed, cleared, false_positive or empty)"))
            })?),
        };
        match (status, resolution) {
            (Status::Closed, None) => {
                return Err(bad("resolution", "a closed case needs a resolution (confirmed, cleared or false_positive)".into()))
            }
            (Status::New | Status::Open, Some(resolution)) => {
                return Err(bad(
                    "resolution",
                    format!("{} on a case whose status is {}: set the status to closed, or empty the resolution", resolution.name(), status.name()),
                ))
            }
            _ => {}
        }
        let due_on = match field(due_at) {
            "" => None,
            text => Some(parse_date(text).ok_or_else(|| bad("due_on", format!("'{text}' is not a date (expected YYYY-MM-DD)")))?),
        };
        let optional = |at: usize| Some(field(at).to_string()).filter(|value| !value.is_empty());
        case.status = status;
        case.resolution = resolution;
        case.due_on = due_on;
        case.assignee = optional(assignee_at);
        case.resolution_reason = optional(reason_at);
        // A note keeps its line breaks; only surrounding blanks go.
        case.note = optional(note_at);
    }
    if let Some(missing) = cases.iter().find(|case| !seen.contains_key(&case.case_id)) {
        return Err(ledger_error(
            file,
            format!("case {} is missing: a case is closed with a resolution, never deleted from the ledger", missing.case_id),
        ));
    }
    Ok(())
}

/// A date as investigators type it or as Excel saves it: `2026-09-30` or `2026/9/30`.
fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(text, "%Y/%m/%d")).ok()
}

/// The leads of a run, from the contract columns of `leads.parquet` (`rank`, `institution_id`,
/// `risk_score`, `high_priority`, `signals`).
pub fn leads_of(leads: &DataFrame) -> Result<Vec<Lead>> {
    let frame = leads
        .clone()
        .lazy()
        .select([
            col("rank").cast(DataType::UInt32),
            col(c::INSTITUTION_ID),
            col("risk_score").cast(DataType::Float64),
            col("high_priority"),
            col("signals"),
        ])
        .collect()
        .context("reading the leads for the case ledger")?;
    let ranks = frame.column("rank").context("ranks")?.u32().context("ranks")?;
    let ids = frame.column(c::INSTITUTION_ID).context("institutions")?.str().context("institutions")?;
    let risks = frame.column("risk_score").context("risk scores")?.f64().context("risk scores")?;
    let high = frame.column("high_priority").context("priorities")?.bool().context("priorities")?;
    let signals = frame.column("signals").context("signals")?.str().context("signals")?;
    Ok((0..frame.height())
        .filter_map(|row| {
            Some(Lead {
                institution_id: ids.get(row)?.to_string(),
                rank: ranks.get(row)?,
                risk_score: risks.get(row)?,
                high_priority: high.get(row).unwrap_or(false),
                signals: signals.get(row).unwrap_or("").split(", ").filter(|s| !s.is_empty()).map(str::to_string).collect(),
            })
        })
        .collect())
}

/// Each institution's money behind its lead in `quarter`: what it was paid (claims submitted in
/// the quarter with status paid, their paid amount) and what it has pending (status pending,
/// their amount), in fen.
pub fn money_of(export: &Export, quarter: Quarter) -> Result<HashMap<String, (i64, i64)>> {
    paid_and_pending(export, quarter.first_day(), quarter.last_day())
}

/// Per institution, fen paid on its `paid` claims and claimed on its `pending` claims submitted
/// `from` … `to` (both days included).
pub fn paid_and_pending(export: &Export, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<HashMap<String, (i64, i64)>> {
    let in_quarter = col(c::SUBMITTED_ON).gt_eq(lit(from)).and(col(c::SUBMITTED_ON).lt_eq(lit(to)));
    let status = col(c::STATUS);
    let summed = export
        .frame(Table::Claims)
        .clone()
        .lazy()
        .filter(in_quarter)
        .group_by([col(c::INSTITUTION_ID)])
        .agg([
            col(c::PAID_AMOUNT_FEN).filter(status.clone().eq(lit("paid"))).sum().alias("paid"),
            col(c::fen(c::AMOUNT)).filter(status.eq(lit("pending"))).sum().alias("pending"),
        ])
        .collect_streaming()
        .context("summing the money behind the leads")?;
    let ids = summed.column(c::INSTITUTION_ID).context("institutions")?.str().context("institutions")?;
    let paid = summed.column("paid").context("paid")?.i64().context("paid")?;
    let pending = summed.column("pending").context("pending")?.i64().context("pending")?;
    Ok((0..summed.height())
        .filter_map(|row| Some((ids.get(row)?.to_string(), (paid.get(row).unwrap_or(0), pending.get(row).unwrap_or(0)))))
        .collect())
}
