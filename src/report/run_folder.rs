//! The run folder: written aside, then moved into place in one rename.

use crate::error::{Error, PolarsContext, Result};
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// A run folder being written. Nothing is visible at `destination` until [`RunFolder::commit`].
#[derive(Debug)]
pub struct RunFolder {
    destination: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl RunFolder {
    /// Starts a run folder for `destination`, staging in a hidden sibling folder.
    pub fn create(destination: &Path) -> Result<RunFolder> {
        let parent = match destination.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io("creating the output's parent folder", &parent, e))?;
        let name = destination.file_name().and_then(|n| n.to_str()).unwrap_or("run");
        let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(|e| Error::io("clearing an old staging folder", &staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| Error::io("creating a staging folder", &staging, e))?;
        Ok(RunFolder { destination: destination.to_path_buf(), staging, committed: false })
    }

    /// Where files are written until the commit.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// A path inside the staging folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.staging.join(name)
    }

    /// Moves the staged folder into place, replacing an earlier run at the same destination.
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.destination.exists() {
            let old = self.staging.with_extension("old");
            std::fs::rename(&self.destination, &old).map_err(|e| Error::io("moving the previous run aside", &self.destination, e))?;
            std::fs::rename(&self.staging, &self.destination).map_err(|e| Error::io("moving the run into place", &self.destination, e))?;
            std::fs::remove_dir_all(&old).map_err(|e| Error::io("removing the previous run", &old, e))?;
        } else {
            std::fs::rename(&self.staging, &self.destination).map_err(|e| Error::io("moving the run into place", &self.destination, e))?;
        }
        self.committed = true;
        Ok(self.destination.clone())
    }
}

impl Drop for RunFolder {
    fn drop(&mut self) {
        if !self.committed {
            // A failed run leaves nothing behind; a failure to clean up is not worth a panic.
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Writes `frame` as a zstd Parquet file. Same frame → same bytes.
pub fn write_parquet(frame: &mut DataFrame, path: &Path) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io("creating a Parquet file", path, e))?;
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(frame)
        .context(&format!("writing {}", path.display()))?;
    Ok(())
}
