//! The checks on a destination before any work: what the path names, where it lies against the
//! run's inputs, and whether what is there now is a folder traincredit wrote (its marker lists
//! every entry it wrote), so that replacing it loses nothing of the user's.

use super::{refused, Input};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// What kind of folder is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A run folder (`evaluate`, `demo`).
    Run,
    /// A synthetic export (`sample`, `demo` when it generates one).
    Sample,
    /// A policy what-if (`whatif`).
    Whatif,
}

impl Kind {
    /// The hidden file that says traincredit wrote the folder, and what it wrote.
    pub fn marker(self) -> &'static str {
        match self {
            Kind::Run => ".traincredit-run",
            Kind::Sample => ".traincredit-sample",
            Kind::Whatif => ".traincredit-whatif",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Run => "a traincredit run",
            Kind::Sample => "a traincredit sample",
            Kind::Whatif => "a traincredit what-if",
        }
    }

    /// What engines before the marker wrote, recognised by its names alone.
    fn legacy_entries(self) -> Vec<String> {
        match self {
            Kind::Run => [
                "benford_digits.parquet",
                "flags.parquet",
                "history.parquet",
                "holds.parquet",
                "institution_scores.parquet",
                "leads.parquet",
                "recoveries.parquet",
                "rejects.parquet",
                "sanctions.parquet",
                "signal_values.parquet",
                "summary.json",
                "report.html",
                "report.en.html",
                "charts",
                "scorecards",
            ]
            .iter()
            .map(|name| name.to_string())
            .collect(),
            Kind::Sample => crate::ingest::contract::ALL_TABLES
                .iter()
                .flat_map(|table| [format!("{}.parquet", table.name()), table.name().to_string()])
                .chain(["truth.json".to_string()])
                .collect(),
            Kind::Whatif => Vec::new(),
        }
    }

    /// The file whose presence marks a folder of an engine before the marker (what-ifs came
    /// with the marker: they have none).
    fn legacy_sign(self) -> Option<&'static str> {
        match self {
            Kind::Run => Some("summary.json"),
            Kind::Sample => Some("truth.json"),
            Kind::Whatif => None,
        }
    }
}

/// The marker's content.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Marker {
    written_by: String,
    entries: Vec<String>,
}

/// The destination's last component: `.`, `..` and `/` name no folder of their own.
pub(super) fn folder_name(destination: &Path) -> Result<String> {
    match destination.components().next_back() {
        Some(Component::Normal(name)) => Ok(name.to_string_lossy().into_owned()),
        _ => Err(refused(destination, "names no folder of its own (give a new folder, e.g. reports/2026Q3); nothing was written".into())),
    }
}

/// The folder the destination lies in.
pub(super) fn parent(destination: &Path) -> PathBuf {
    match destination.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file or a symbolic link at the destination is never replaced.
pub(super) fn existing_destination(destination: &Path) -> Result<()> {
    match std::fs::symlink_metadata(destination) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(destination).map(|t| t.display().to_string()).unwrap_or_else(|_| "?".into());
            Err(refused(destination, format!("is a symbolic link (to {target}); give the folder itself; nothing was written")))
        }
        Ok(meta) if !meta.is_dir() => Err(refused(destination, "is a file, not a folder; it was left untouched and nothing was written".into())),
        Ok(_) => Ok(()),
        // A parent that is a file is reported when the parent is created.
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => Ok(()),
        Err(e) => Err(refused(destination, format!("cannot be examined ({e}); nothing was written"))),
    }
}

/// The destination is not an input, inside one, or around one.
pub(super) fn apart_from_inputs(destination: &Path, inputs: &[Input]) -> Result<()> {
    let out = resolve(destination).map_err(|e| refused(destination, format!("cannot be resolved ({e})")))?;
    for input in inputs {
        let Ok(input_path) = input.path.canonicalize() else { continue };
        let relation = if out == input_path {
            "is"
        } else if out.starts_with(&input_path) {
            "lies inside"
        } else if input_path.starts_with(&out) {
            "contains"
        } else {
            continue;
        };
        return Err(refused(
            destination,
            format!(
                "{relation} the {} {}: a run never writes into what it reads; choose another folder; nothing was written",
                input.label,
                input.path.display()
            ),
        ));
    }
    Ok(())
}

/// The absolute path with every symbolic link of its existing part resolved; the part that does
/// not exist yet is appended as written. Component by component, so a `..` after a link climbs
/// out of the link's target, as the system would.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}

/// Whether `folder` is a finished folder of `kind`: its marker, or an older engine's sign.
pub(super) fn is_finished(folder: &Path, kind: Kind) -> bool {
    folder.join(kind.marker()).is_file() || kind.legacy_sign().is_some_and(|sign| folder.join(sign).is_file())
}

/// The entries a finished folder of `kind` may hold: what its marker lists, or for a folder of
/// an engine before the marker, what that engine wrote. None: not a folder of that kind.
fn allowed_entries(folder: &Path, kind: Kind) -> Option<BTreeSet<String>> {
    if let Ok(text) = std::fs::read_to_string(folder.join(kind.marker())) {
        let marker: Marker = serde_json::from_str(&text).ok()?;
        return Some(marker.entries.into_iter().chain([kind.marker().to_string()]).collect());
    }
    is_finished(folder, kind).then(|| kind.legacy_entries().into_iter().collect())
}

/// What the destination holds now may be replaced: nothing, or only what traincredit wrote.
pub(super) fn contents(destination: &Path, kind: Kind) -> Result<()> {
    let Ok(listing) = std::fs::read_dir(destination) else { return Ok(()) };
    let mut entries: Vec<String> = listing.filter_map(|entry| entry.ok()).map(|entry| entry.file_name().to_string_lossy().into_owned()).collect();
    if entries.is_empty() {
        return Ok(());
    }
    entries.sort();
    let foreign: Vec<String> = match allowed_entries(destination, kind) {
        Some(allowed) => entries.into_iter().filter(|entry| !allowed.contains(entry)).collect(),
        None => entries,
    };
    if foreign.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 5;
    let mut listed = foreign.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(", ");
    if foreign.len() > SHOWN {
        listed.push_str(&format!(" and {} more", foreign.len() - SHOWN));
    }
    Err(refused(
        destination,
        format!(
            "holds {listed}, which {} did not write; it was left untouched and nothing was written: choose a new or empty folder, or one an earlier run wrote",
            kind.noun()
        ),
    ))
}

/// Writes the marker listing every entry of `folder` (the marker aside).
pub(super) fn write_marker(folder: &Path, kind: Kind) -> Result<()> {
    let listing = std::fs::read_dir(folder).map_err(|e| Error::io("listing the written folder", folder, e))?;
    let mut entries: Vec<String> = listing
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name != kind.marker())
        .collect();
    entries.sort();
    let marker = Marker { written_by: format!("traincredit {}", env!("CARGO_PKG_VERSION")), entries };
    let text = serde_json::to_string_pretty(&marker).map_err(|e| Error::invalid(format!("cannot encode the folder marker: {e}")))?;
    let path = folder.join(kind.marker());
    std::fs::write(&path, format!("{text}\n")).map_err(|e| Error::io("writing the folder marker", &path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_of_its_own_is_needed() {
        assert_eq!(folder_name(Path::new("reports/2026Q3")).unwrap(), "2026Q3");
        assert_eq!(folder_name(Path::new("run/")).unwrap(), "run");
        for path in [".", "..", "/", "reports/.."] {
            let error = folder_name(Path::new(path)).unwrap_err().to_string();
            assert_eq!(
                error,
                format!("output folder {path}: names no folder of its own (give a new folder, e.g. reports/2026Q3); nothing was written")
            );
        }
    }

    #[test]
    fn resolve_keeps_the_missing_part_and_follows_links_of_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("export")).unwrap();
        std::os::unix::fs::symlink(real.join("export"), real.join("link")).unwrap();
        assert_eq!(resolve(&real.join("link/new/run")).unwrap(), real.join("export/new/run"));
        assert_eq!(resolve(&real.join("new/../export")).unwrap(), real.join("export"));
    }

    #[test]
    fn a_folder_is_replaceable_only_with_what_its_marker_lists() {
        let dir = tempfile::tempdir().unwrap();
        let run = dir.path().join("run");
        std::fs::create_dir(&run).unwrap();
        contents(&run, Kind::Run).unwrap();
        std::fs::write(run.join("flags.parquet"), b"x").unwrap();
        write_marker(&run, Kind::Run).unwrap();
        contents(&run, Kind::Run).unwrap();
        std::fs::write(run.join("notes.txt"), b"mine").unwrap();
        let error = contents(&run, Kind::Run).unwrap_err().to_string();
        assert_eq!(
            error,
            format!(
                "output folder {}: holds notes.txt, which a traincredit run did not write; it was left untouched and nothing was written: choose a new or empty folder, or one an earlier run wrote",
                run.display()
            )
        );
        // A sample is not a run.
        assert!(contents(&run, Kind::Sample).is_err());
    }
}
