//! `summary.json`: the run's facts for the next tool and for an auditor. It names every input
//! file with its SHA-256 and row counts, so a reader can tell exactly which export and policy a
//! run used, and shows rows read = rows used + rows rejected per table.

use crate::error::{Error, PolarsContext, Result};
use crate::features::completeness::IndicatorGap;
use crate::ingest::coverage::Coverage;
use crate::ingest::Export;
use polars::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// One input file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InputFile {
    /// Path relative to the export folder, with `/` separators.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// One input table: where it came from and what became of its rows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InputTable {
    pub table: String,
    pub present: bool,
    pub files: Vec<InputFile>,
    pub rows_read: usize,
    pub rows_used: usize,
    pub rows_rejected: usize,
    pub rejected_by_reason: BTreeMap<String, usize>,
    pub coercions: Vec<String>,
}

/// Money totals of the run, in yuan with two decimals.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    pub claimed: String,
    pub at_risk: String,
    pub to_recover: String,
    pub to_hold: String,
}

/// The shape of a run folder this engine writes. A chained run refuses a previous run of a
/// higher format: a newer engine may have written what this one would misread. 2: the key's
/// fingerprint and the folder marker.
pub const RUN_FORMAT: u64 = 2;

/// The whole summary. Field order is the file's order.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub quarter: String,
    pub engine_version: String,
    /// [`RUN_FORMAT`].
    pub run_format: u64,
    /// `demo` when the public demo key was used (synthetic data only), else `supplied`.
    pub pseudonymisation_key: String,
    /// The key's public fingerprint ([`crate::person::Pseudonymiser::fingerprint`]).
    pub key_fingerprint: String,
    pub policy: BTreeMap<String, String>,
    pub policy_hash: String,
    pub inputs: Vec<InputTable>,
    pub rejects_per_table: BTreeMap<String, usize>,
    /// The export's warnings, in the run's language.
    pub warnings: Vec<String>,
    /// The code of each warning, in the order of `warnings` (vocab/messages/ingest.rs).
    pub warning_codes: Vec<String>,
    /// First and last day each dated table of the export observes.
    pub coverage: Coverage,
    /// Indicators without data this quarter (null for every institution, left out of the
    /// score), and why.
    pub indicators_without_data: Vec<IndicatorGap>,
    pub institutions_per_tier: BTreeMap<String, usize>,
    pub flags_per_rule: BTreeMap<String, usize>,
    pub totals: Totals,
    /// Everything else later stages report (e.g. the risk model).
    pub notes: BTreeMap<String, serde_json::Value>,
    pub time_taken_seconds: f64,
}

/// SHA-256 of a file, hex.
pub fn file_sha256(path: &Path) -> Result<(String, u64)> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io("hashing an input file", path, e))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let read = file.read(&mut buffer).map_err(|e| Error::io("hashing an input file", path, e))?;
        if read == 0 {
            break;
        }
        bytes += read as u64;
        hasher.update(&buffer[..read]);
    }
    Ok((hex::encode(hasher.finalize()), bytes))
}

/// The input part of the summary: files, hashes, row counts and rejects per reason.
pub fn input_tables(export: &Export, lang: crate::vocab::Lang) -> Result<Vec<InputTable>> {
    let mut tables = Vec::new();
    for ingested in export.tables.values() {
        let mut files = Vec::new();
        for file in &ingested.files {
            let (sha256, bytes) = file_sha256(&file.path)?;
            let relative = file.path.strip_prefix(&export.dir).unwrap_or(&file.path);
            let path = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            files.push(InputFile { path, sha256, bytes });
        }
        tables.push(InputTable {
            table: ingested.table.name().to_string(),
            present: ingested.present(),
            files,
            rows_read: ingested.rows_read,
            rows_used: ingested.rows_used(),
            rows_rejected: ingested.rows_rejected(),
            rejected_by_reason: reasons(&ingested.rejects, lang)?,
            coercions: ingested.coercions.iter().map(|c| c.render(lang)).collect(),
        });
    }
    Ok(tables)
}

/// Rejects counted per reason, the reason rendered in `lang` from its code and arguments.
pub fn reasons(rejects: &DataFrame, lang: crate::vocab::Lang) -> Result<BTreeMap<String, usize>> {
    let mut counts = BTreeMap::new();
    let rejects = super::texts::render(rejects.clone(), crate::columns::REASON, lang)?;
    let reasons = rejects.column(crate::columns::REASON).context("reading reject reasons")?;
    for reason in reasons.str().context("reading reject reasons")?.iter().flatten() {
        *counts.entry(reason.to_string()).or_insert(0) += 1;
    }
    Ok(counts)
}

impl Summary {
    /// Writes the summary as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::invalid(format!("serialising the summary: {e}")))?;
        std::fs::write(path, text + "\n").map_err(|e| Error::io("writing the summary", path, e))
    }
}
