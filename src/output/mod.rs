//! Output folders (a run folder, a sample export), written so that nothing the user had is lost.
//!
//! A bureau's analyst types `--out` by hand, and a nation-sized run takes half an hour: every
//! check on the destination happens in [`OutputFolder::prepare`], before any work, and refuses
//! (exit 2) rather than guesses. What is refused: a destination that is, contains or lies inside
//! one of the run's inputs; a file; a symbolic link; a folder holding anything traincredit did not
//! write (a finished run lists what it wrote in its marker file, [`Kind::marker`]); a destination
//! another traincredit process is writing (an advisory lock beside it); a parent folder that cannot
//! be written.
//!
//! The work is written into a hidden staging folder beside the destination, with a name no other
//! process uses (`.NAME.partial-PID-NONCE`), and swapped into place by one atomic exchange of the
//! two names (Linux `renameat2(RENAME_EXCHANGE)`): whenever the process dies, the destination holds
//! either the previous complete folder or the new complete one. Leftovers of a killed process
//! (staging folders, an old folder half deleted) carry names only this module makes; the next
//! process that takes the lock removes them, or puts back a previous folder that an interrupted
//! fallback swap had moved aside.

mod checks;
mod swap;

pub use checks::Kind;
use crate::error::{Error, ErrorKind, Result};
use std::path::{Path, PathBuf};

/// One of the run's inputs, which the output must neither be, contain nor lie inside.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// What it is, for the message: "export folder", "previous run".
    pub label: &'static str,
    pub path: &'a Path,
}

/// A destination being written. Nothing changes at the destination until [`OutputFolder::commit`].
#[derive(Debug)]
pub struct OutputFolder {
    destination: PathBuf,
    staging: PathBuf,
    kind: Kind,
    /// Held until the folder is committed or dropped: no second process writes the destination.
    _lock: std::fs::File,
    committed: bool,
}

impl OutputFolder {
    /// Checks `destination` and starts a staging folder for it, before any work is done.
    pub fn prepare(destination: &Path, kind: Kind, inputs: &[Input]) -> Result<OutputFolder> {
        let name = checks::folder_name(destination)?;
        checks::existing_destination(destination)?;
        checks::apart_from_inputs(destination, inputs)?;
        let parent = checks::parent(destination);
        std::fs::create_dir_all(&parent)
            .map_err(|e| refused(destination, format!("its parent folder {} cannot be created ({e}); nothing was written", parent.display())))?;
        let lock = swap::lock(destination, &parent, &name)?;
        swap::recover(destination, &parent, &name, kind);
        checks::contents(destination, kind)?;
        let staging = swap::staging(destination, &parent, &name)?;
        Ok(OutputFolder { destination: destination.to_path_buf(), staging, kind, _lock: lock, committed: false })
    }

    /// Where files are written until the commit.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// A path inside the staging folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// Records what was written (the marker) and swaps the staging folder into place.
    pub fn commit(mut self) -> Result<PathBuf> {
        checks::write_marker(&self.staging, self.kind)?;
        swap::install(&self.staging, &self.destination)?;
        self.committed = true;
        Ok(self.destination.clone())
    }
}

impl Drop for OutputFolder {
    fn drop(&mut self) {
        if !self.committed {
            // A failed run leaves nothing behind; a failure to clean up is not worth a panic (the
            // next process to take the lock removes the leftover).
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// A finished run folder opened to add files in place (`traincredit report`): it must be a run
/// folder, and no other process may be writing it meanwhile.
#[derive(Debug)]
pub struct OpenRun {
    folder: PathBuf,
    _lock: std::fs::File,
}

impl OpenRun {
    pub fn open(folder: &Path) -> Result<OpenRun> {
        let name = checks::folder_name(folder)?;
        match std::fs::symlink_metadata(folder) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(refused(folder, "is not a run folder (not a folder)".into())),
            Err(e) => return Err(refused(folder, format!("cannot be opened ({e})"))),
        }
        if !checks::is_finished(folder, Kind::Run) {
            return Err(refused(folder, "is not a run folder written by traincredit evaluate (no summary.json)".into()));
        }
        let lock = swap::lock(folder, &checks::parent(folder), &name)?;
        Ok(OpenRun { folder: folder.to_path_buf(), _lock: lock })
    }

    /// Adds what was written since the folder was finished to its marker, so a later run may
    /// replace the folder with everything in it.
    pub fn record_entries(&self) -> Result<()> {
        checks::write_marker(&self.folder, Kind::Run)
    }
}

fn refused(path: &Path, reason: String) -> Error {
    ErrorKind::OutputRefused { path: path.to_path_buf(), reason }.into()
}

/// Test support: a test names a point of the commit (`staged`, `exchanged`, `trashing`) in
/// `TRAINCREDIT_TEST_ABORT_AT`, and the process dies there as a kill would (no clean-up, no
/// destructors), so the kill test can hit the instants that a timed kill almost never does.
fn abort_point(point: &str) {
    if std::env::var_os("TRAINCREDIT_TEST_ABORT_AT").is_some_and(|wanted| wanted == point) {
        std::process::abort();
    }
}
