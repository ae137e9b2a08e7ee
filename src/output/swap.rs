//! The destination's lock, the staging folder, the atomic swap, and the recovery of what a killed
//! process left. Every hidden name here is `.NAME.` followed by a word and the writer's process id
//! and a nonce, so two processes never share one, and a leftover never blocks a later run.

use super::{abort_point, checks, refused, Kind};
use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Takes the advisory lock `.NAME.lock` beside the destination (the lock file stays; the lock
/// goes with the process, however it ends).
pub(super) fn lock(destination: &Path, parent: &Path, name: &str) -> Result<File> {
    let path = parent.join(format!(".{name}.lock"));
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| refused(destination, format!("cannot be written: creating {} failed ({e}); nothing was written", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(refused(
            destination,
            format!("is being written by another traincredit process (it holds {}); wait for it to finish; nothing was written", path.display()),
        )),
        Err(TryLockError::Error(e)) => Err(refused(destination, format!("cannot be locked ({e}); nothing was written"))),
    }
}

/// A name no other process uses: the process id and the time in nanoseconds.
fn unique(parent: &Path, name: &str, word: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    parent.join(format!(".{name}.{word}-{}-{nanos:x}", std::process::id()))
}

/// The hidden entries beside the destination that only this module makes: staging folders
/// (`partial`), old folders being deleted (`trash`), and the fixed `.NAME.old` of engines before
/// this one.
fn leftovers(parent: &Path, name: &str) -> Vec<PathBuf> {
    let Ok(listing) = std::fs::read_dir(parent) else { return Vec::new() };
    let partial = format!(".{name}.partial-");
    let trash = format!(".{name}.trash-");
    let old = format!(".{name}.old");
    let mut found: Vec<PathBuf> = listing
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            let file_name = entry.file_name();
            let file_name = file_name.to_string_lossy();
            file_name.starts_with(&partial) || file_name.starts_with(&trash) || file_name == old
        })
        .map(|entry| entry.path())
        .collect();
    found.sort();
    found
}

/// With the lock held no other process is writing this destination, so every leftover is a dead
/// process's. A complete previous folder moved aside by an interrupted fallback swap is put back
/// when the destination is missing; everything else is removed.
pub(super) fn recover(destination: &Path, parent: &Path, name: &str, kind: Kind) {
    for leftover in leftovers(parent, name) {
        // A folder moved aside (ours, or an older engine's fixed `.NAME.old`), not a staging one.
        let is_trash = leftover.file_name().is_some_and(|n| {
            let n = n.to_string_lossy();
            n.contains(".trash-") || n.ends_with(".old")
        });
        if is_trash && !destination.exists() && checks::is_finished(&leftover, kind) && std::fs::rename(&leftover, destination).is_ok() {
            tracing::warn!(folder = %destination.display(), "put back the previous folder that an interrupted run had moved aside");
            continue;
        }
        let removed = if leftover.is_dir() { std::fs::remove_dir_all(&leftover) } else { std::fs::remove_file(&leftover) };
        match removed {
            Ok(()) => tracing::info!(leftover = %leftover.display(), "removed what an interrupted run left"),
            Err(e) => tracing::warn!(leftover = %leftover.display(), error = %e, "could not remove what an interrupted run left"),
        }
    }
}

/// Creates the staging folder; failing here is the early proof that the destination's folder
/// cannot be written.
pub(super) fn staging(destination: &Path, parent: &Path, name: &str) -> Result<PathBuf> {
    let staging = unique(parent, name, "partial");
    std::fs::create_dir(&staging)
        .map_err(|e| refused(destination, format!("cannot be written: creating {} failed ({e}); nothing was written", staging.display())))?;
    Ok(staging)
}

/// Puts the staging folder in place of the destination. With a previous folder there, the two
/// names are exchanged in one step, then the previous folder is moved to a trash name and deleted.
pub(super) fn install(staging: &Path, destination: &Path) -> Result<()> {
    abort_point("staged");
    if std::fs::symlink_metadata(destination).is_err() {
        return std::fs::rename(staging, destination).map_err(|e| Error::io("moving the folder into place", destination, e));
    }
    let parent = checks::parent(destination);
    let name = checks::folder_name(destination)?;
    let trash = unique(&parent, &name, "trash");
    match exchange(staging, destination) {
        Ok(()) => {
            abort_point("exchanged");
            std::fs::rename(staging, &trash).map_err(|e| Error::io("moving the previous folder aside", staging, e))?;
        }
        Err(_) => {
            // No atomic exchange here (another system or file system): move the previous folder
            // aside first. A kill between the two renames leaves it under the trash name, where the
            // next process puts it back.
            std::fs::rename(destination, &trash).map_err(|e| Error::io("moving the previous folder aside", destination, e))?;
            std::fs::rename(staging, destination).map_err(|e| Error::io("moving the folder into place", destination, e))?;
        }
    }
    remove_trash(&trash);
    Ok(())
}

/// Deletes the previous folder. A failure leaves a hidden leftover that the next run removes:
/// worth a warning, not a failed run.
fn remove_trash(trash: &Path) {
    if std::env::var_os("TRAINCREDIT_TEST_ABORT_AT").is_some_and(|point| point == "trashing") {
        // Die with the previous folder half deleted.
        if let Some(Ok(first)) = std::fs::read_dir(trash).ok().and_then(|mut listing| listing.next()) {
            let _ = if first.path().is_dir() { std::fs::remove_dir_all(first.path()) } else { std::fs::remove_file(first.path()) };
        }
        abort_point("trashing");
    }
    if let Err(e) = std::fs::remove_dir_all(trash) {
        tracing::warn!(folder = %trash.display(), error = %e, "could not delete the previous folder; the next run removes it");
    }
}

/// Exchanges two paths atomically (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both pointers are NUL-terminated strings that live across the call; the syscall
    // reads them and touches no other memory.
    let code = unsafe {
        libc::syscall(libc::SYS_renameat2, libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE)
    };
    if code == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("one"), b"1").unwrap();
        std::fs::write(b.join("two"), b"2").unwrap();
        exchange(&a, &b).unwrap();
        assert!(a.join("two").is_file() && b.join("one").is_file());
    }

    #[test]
    fn only_this_modules_names_are_leftovers() {
        let dir = tempfile::tempdir().unwrap();
        for name in [".run.partial-12-ab", ".run.trash-3-f", ".run.old", ".run.lock", ".runs.partial-1-1", "run", ".run.notes"] {
            std::fs::create_dir(dir.path().join(name)).unwrap();
        }
        let found: Vec<String> = leftovers(dir.path(), "run").iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(found, vec![".run.old", ".run.partial-12-ab", ".run.trash-3-f"]);
    }
}
