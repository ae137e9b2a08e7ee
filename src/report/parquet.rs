//! Writing a table as Parquet the same way everywhere (zstd), so the same frame always gives the
//! same bytes and reruns are byte-identical.

use crate::error::{Error, PolarsContext, Result};
use polars::prelude::*;
use std::path::Path;

/// Writes `frame` as a zstd Parquet file. Same frame → same bytes.
pub fn write_parquet(frame: &mut DataFrame, path: &Path) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io("creating a Parquet file", path, e))?;
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(frame)
        .context(&format!("writing {}", path.display()))?;
    Ok(())
}
