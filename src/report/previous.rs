//! `--previous`: the run folder a quarter is chained to. Its tiers, uplifts and sanctions ledger
//! decide this quarter's tiers and bans, so a folder that is missing, is no run, was written under
//! another key, by a newer engine, or for this or a later quarter stops the run before any work:
//! carrying nothing, or the wrong thing, would silently drop bans.

use crate::error::{ErrorKind, Result};
use crate::person::Pseudonymiser;
use crate::quarter::Quarter;
use crate::report::summary::RUN_FORMAT;
use std::path::Path;

/// The tables a chained run reads from its previous run.
const NEEDED: [&str; 3] = ["institution_scores.parquet", "sanctions.parquet", "history.parquet"];

/// Checks that `previous` is a run folder of an earlier quarter, pseudonymised under `key`.
pub fn check(previous: &Path, quarter: Quarter, key: &Pseudonymiser) -> Result<Quarter> {
    let refuse = |reason: String| -> crate::Error { ErrorKind::PreviousRun { path: previous.to_path_buf(), reason }.into() };
    match std::fs::metadata(previous) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => return Err(refuse("is a file, not a run folder".into())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refuse("does not exist; without it neither previous tiers nor standing bans would be carried".into()))
        }
        Err(e) => return Err(refuse(format!("cannot be read ({e})"))),
    }
    let path = previous.join("summary.json");
    let text = std::fs::read_to_string(&path).map_err(|e| refuse(format!("holds no readable summary.json ({e}): it is not a traincredit run folder")))?;
    let summary: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| refuse(format!("summary.json is not valid JSON ({e}): the folder is damaged")))?;
    let engine = summary["engine_version"].as_str().unwrap_or("unknown").to_string();
    let format = summary["run_format"].as_u64().unwrap_or(1);
    if format > RUN_FORMAT {
        return Err(refuse(format!(
            "was written by a newer engine (traincredit {engine}, run format {format}; this engine reads run format {RUN_FORMAT} and older): use that engine or a newer one"
        )));
    }
    let Some(fingerprint) = summary["key_fingerprint"].as_str() else {
        return Err(refuse(format!(
            "records no key fingerprint (written by traincredit {engine}), so nobody can tell that its pseudonyms match this run's: evaluate that quarter again with this engine"
        )));
    };
    if fingerprint != key.fingerprint() {
        return Err(refuse(format!(
            "was written under another pseudonymisation key (fingerprint {fingerprint}, this run's is {}): its pseudonyms would match nothing here; use the key it was written with",
            key.fingerprint()
        )));
    }
    let recorded = summary["quarter"].as_str().unwrap_or("");
    let previous_quarter: Quarter = recorded.parse().map_err(|_| refuse(format!("summary.json names no valid quarter ('{recorded}')")))?;
    if previous_quarter >= quarter {
        return Err(refuse(format!("is for {previous_quarter}, not a quarter before {quarter}")));
    }
    for name in NEEDED {
        if !previous.join(name).is_file() {
            return Err(refuse(format!("holds no {name}: the folder is damaged")));
        }
    }
    Ok(previous_quarter)
}
