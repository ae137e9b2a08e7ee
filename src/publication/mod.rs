//! Publication: the run's results in the form China's public credit platforms (信用中国 and the
//! provincial platform) take them, so that nobody retypes the tier table and the ledger. Every
//! run writes `publication/` beside its tables: the evaluation results, the 双公示 penalty
//! records of the sanctions decided this quarter, the candidates for the 严重失信主体名单, and the
//! calendar that says, for every sanction of the ledger, how long it is published and whether a
//! repair of credit has ended it. Each file is CSV in UTF-8 with a byte-order mark (what the
//! platforms' import templates and a spreadsheet expect), its columns named and ordered by
//! `publication.toml`. No trainee appears in any of them; legal representatives stay pseudonyms.

pub(crate) mod calendar;
pub(crate) mod records;

use crate::columns as c;
use crate::error::{Error, Result};
use crate::ingest::contract::Table;
use crate::ingest::Export;
use crate::policy::publication::PublishedColumn;
use crate::policy::Policy;
use crate::quarter::Quarter;
use crate::rating::Rating;
use crate::rules::Findings;
use polars::prelude::DataFrame;
use records::{FindingsOf, Row};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// The folder of a run that holds the published files.
pub(crate) const FOLDER: &str = "publication";

/// What publication reads from a finished evaluation.
pub(crate) struct PublicationInput<'a> {
    pub export: &'a Export,
    pub policy: &'a Policy,
    pub quarter: Quarter,
    pub ratings: &'a [Rating],
    pub findings: &'a Findings,
    /// `flags.parquet` as written (rule ids, kinds, overturned).
    pub flags: &'a DataFrame,
    /// The previous run folder, whose ledger carries decision and repair days.
    pub previous: Option<&'a Path>,
}

/// The institutions' public particulars, by institution id.
pub(crate) struct Institutions {
    by_id: HashMap<String, (Option<String>, Option<String>, Option<String>)>,
}

impl Institutions {
    fn read(export: &Export) -> Result<Institutions> {
        let frame = export.frame(Table::Institutions);
        let ids = crate::frame::text(frame, c::INSTITUTION_ID)?;
        let names = crate::frame::text(frame, c::NAME)?;
        let codes = crate::frame::text(frame, c::CREDIT_CODE)?;
        // Already the keyed hash: ingest replaced every raw legal representative.
        let legal_reps = crate::frame::text(frame, c::LEGAL_REP)?;
        let by_id = (0..frame.height())
            .filter_map(|i| {
                let owned = |value: Option<&str>| value.map(str::to_string);
                Some((ids[i]?.to_string(), (owned(names[i]), owned(codes[i]), owned(legal_reps[i]))))
            })
            .collect();
        Ok(Institutions { by_id })
    }

    pub(crate) fn name(&self, id: &str) -> String {
        self.by_id.get(id).and_then(|(name, _, _)| name.clone()).unwrap_or_default()
    }

    pub(crate) fn credit_code(&self, id: &str) -> String {
        self.by_id.get(id).and_then(|(_, code, _)| code.clone()).unwrap_or_default()
    }

    pub(crate) fn legal_rep(&self, id: &str) -> String {
        self.by_id.get(id).and_then(|(_, _, rep)| rep.clone()).unwrap_or_default()
    }
}

/// What a run published (`summary.json` → `notes.publication`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Published {
    /// Rows of each file (without its header line), by file name.
    pub rows: std::collections::BTreeMap<String, usize>,
    /// Sanctions of the ledger per publication status this quarter.
    pub statuses: std::collections::BTreeMap<String, usize>,
}

/// Writes `publication/` into the run folder `run` and returns `ledger` (the updated sanctions
/// ledger) with the calendar's columns added, and what was published.
pub(crate) fn publish(input: &PublicationInput, ledger: DataFrame, run: &Path) -> Result<(DataFrame, Published)> {
    let config = &input.policy.publication;
    let mut recorded = calendar::Recorded::default();
    // The bureau's own table first: a decision day it records stands over a derived one.
    recorded.add(input.export.frame(Table::Sanctions))?;
    if let Some(path) = input.previous.map(|previous| previous.join("sanctions.parquet")).filter(|path| path.is_file()) {
        let files = vec![crate::ingest::read::TableFile { path, partitions: Vec::new() }];
        recorded.add(&crate::ingest::read::read_table(Table::Sanctions, files)?.frame)?;
    }
    let entries = calendar::entries(&ledger, &recorded, config, input.quarter)?;
    let ledger = calendar::annotated_ledger(ledger, &entries)?;

    let standing = &input.findings.standing;
    let standing_keys: BTreeSet<(String, String, Quarter)> = standing.ledger().into_keys().collect();
    let decided: Vec<&calendar::Entry> = entries
        .iter()
        .filter(|entry| {
            let from = entry.from_quarter.parse().unwrap_or(input.quarter);
            !standing_keys.contains(&(entry.institution_id.clone(), entry.kind.clone(), from))
        })
        .collect();
    let institutions = Institutions::read(input.export)?;
    let (findings, overturned) = findings_per_institution(input.flags, &input.findings.recoveries)?;
    let ratings: HashMap<&str, &Rating> = input.ratings.iter().map(|r| (r.institution_id.as_str(), r)).collect();

    let dir = run.join(FOLDER);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating the publication folder", &dir, e))?;
    let files: [(&str, Vec<Row>); 4] = [
        ("credit_evaluation", records::credit_evaluation(input.ratings, &institutions, &overturned, input.policy, input.quarter)),
        (
            "administrative_penalties",
            records::administrative_penalties(&decided, &ratings, &findings, standing, &institutions, config, input.quarter),
        ),
        ("dishonesty_list_candidates", records::dishonesty_list_candidates(standing, &institutions, config, input.quarter)),
        ("calendar", records::calendar(&entries, &institutions)),
    ];
    let mut published = Published::default();
    for (name, rows) in files {
        let file = format!("{name}.csv");
        write_csv(&dir.join(&file), config.columns(name), &rows)?;
        published.rows.insert(file, rows.len());
    }
    for entry in &entries {
        *published.statuses.entry(entry.period.status.name().to_string()).or_default() += 1;
    }
    Ok((ledger, published))
}

/// Per institution: the rule ids of its standing findings (breaches and procedural findings: not
/// signals, which never sanction, nor decisions, which the facts name; not overturned ones) with the money to recover, and how many findings an appeal overturned.
fn findings_per_institution(flags: &DataFrame, recoveries: &DataFrame) -> Result<(HashMap<String, FindingsOf>, HashMap<String, usize>)> {
    let kinds = crate::frame::text(flags, crate::report::tables::KIND)?;
    let rules = crate::frame::text(flags, c::RULE)?;
    let ids = crate::frame::text(flags, c::INSTITUTION_ID)?;
    let overturned_flags = crate::frame::boolean(flags, crate::rules::OVERTURNED)?;
    let mut found: HashMap<String, FindingsOf> = HashMap::new();
    let mut overturned: HashMap<String, usize> = HashMap::new();
    for i in 0..flags.height() {
        let (Some(id), Some(rule), Some(kind)) = (ids[i], rules[i], kinds[i]) else { continue };
        if overturned_flags[i] == Some(true) {
            *overturned.entry(id.to_string()).or_default() += 1;
        } else if kind != "signal" && kind != "decision" {
            found.entry(id.to_string()).or_default().rules.insert(rule.to_string());
        }
    }
    let ids = crate::frame::text(recoveries, c::INSTITUTION_ID)?;
    let amounts = crate::frame::int(recoveries, crate::rules::AMOUNT_FEN)?;
    for (id, amount) in ids.iter().zip(amounts) {
        if let (Some(id), Some(amount)) = (id, amount) {
            found.entry(id.to_string()).or_default().to_recover_fen += amount;
        }
    }
    Ok((found, overturned))
}

/// One CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Writes `rows` as CSV in UTF-8 with a byte-order mark and CRLF line ends: a header line of the
/// layout's headers, then each row's fields in the layout's order.
fn write_csv(path: &Path, columns: &[PublishedColumn], rows: &[Row]) -> Result<()> {
    let mut text = String::from('\u{feff}');
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    text.push_str(&line(columns.iter().map(|column| field(&column.header)).collect()));
    for row in rows {
        text.push_str(&line(columns.iter().map(|column| field(row.get(column.field.as_str()).map(String::as_str).unwrap_or(""))).collect()));
    }
    std::fs::write(path, text).map_err(|e| Error::io("writing a published file", path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(field("济南示例职业培训学校"), "济南示例职业培训学校");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("说\"明\""), "\"说\"\"明\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn a_file_has_a_bom_its_headers_in_order_and_empty_unknown_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        let columns = vec![
            PublishedColumn { field: "tier".into(), header: "等级".into() },
            PublishedColumn { field: "name".into(), header: "名称".into() },
            PublishedColumn { field: "score".into(), header: "得分".into() },
        ];
        let rows = vec![Row::from([("name", "甲,乙".to_string()), ("tier", "A".to_string())])];
        write_csv(&path, &columns, &rows).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..3], b"\xef\xbb\xbf");
        assert_eq!(String::from_utf8(bytes[3..].to_vec()).unwrap(), "等级,名称,得分\r\nA,\"甲,乙\",\r\n");
    }
}
