//! Ingest: turns a bureau's export folder into trusted, typed, pseudonymised tables.
//!
//! `read` finds and coerces each table, `pseudonymise` derives person facts, hashes every
//! personal identifier and numbers the persons ([`PersonIndex`]), `validate` splits each table
//! into kept rows and rejects. Every later
//! stage starts from the [`Export`] this module returns and never touches the files again.

pub mod contract;
pub mod pseudonymise;
pub mod read;
pub mod validate;

use crate::error::{Error, ErrorKind, PolarsContext, Result};
use crate::person::Pseudonymiser;
use contract::{Table, ALL_TABLES};
use polars::prelude::*;
pub use pseudonymise::PersonIndex;
use read::TableFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One table after ingest.
#[derive(Debug, Clone)]
pub struct IngestedTable {
    pub table: Table,
    /// Files read, in order (empty for an absent optional table).
    pub files: Vec<TableFile>,
    pub rows_read: usize,
    /// Kept rows, canonical columns.
    pub frame: DataFrame,
    /// `table`, `row_key`, `reason` of every rejected row.
    pub rejects: DataFrame,
    /// Tolerated differences from the contract's exact types.
    pub coercions: Vec<String>,
}

impl IngestedTable {
    pub fn rows_used(&self) -> usize {
        self.frame.height()
    }

    pub fn rows_rejected(&self) -> usize {
        self.rejects.height()
    }

    /// Whether the export held this table at all.
    pub fn present(&self) -> bool {
        !self.files.is_empty()
    }
}

/// A whole export after ingest.
#[derive(Debug, Clone)]
pub struct Export {
    pub dir: PathBuf,
    pub tables: BTreeMap<Table, IngestedTable>,
    /// Every person, by the number that `person_id` columns hold.
    pub persons: PersonIndex,
    /// Non-fatal observations for the person running the tool (e.g. an empty table).
    pub warnings: Vec<String>,
}

impl Export {
    pub fn table(&self, table: Table) -> &IngestedTable {
        &self.tables[&table]
    }

    /// Kept rows of a table (empty, with the canonical columns, when the table was absent).
    pub fn frame(&self, table: Table) -> &DataFrame {
        &self.table(table).frame
    }

    /// All rejects of all tables, in table order.
    pub fn rejects(&self) -> Result<DataFrame> {
        let frames: Vec<LazyFrame> = self.tables.values().map(|t| t.rejects.clone().lazy()).collect();
        concat(frames, UnionArgs::default())
            .and_then(|all| {
                all.sort_by_exprs(
                    [col(crate::columns::TABLE), col(crate::columns::ROW_KEY), col(crate::columns::REASON)],
                    SortMultipleOptions::default().with_maintain_order(true),
                )
                .collect()
            })
            .context("gathering rejects")
    }
}

/// Reads, pseudonymises and validates every table of the export in `dir`.
pub fn ingest(dir: &Path, key: &Pseudonymiser) -> Result<Export> {
    if !dir.is_dir() {
        return Err(Error::invalid(format!("export folder {} does not exist or is not a folder", dir.display())));
    }
    let mut raw = BTreeMap::new();
    for table in ALL_TABLES {
        match read::locate(dir, table)? {
            Some(files) => {
                let started = std::time::Instant::now();
                let read = read::read_table(table, files)?;
                tracing::debug!(table = table.name(), rows = read.frame.height(), seconds = started.elapsed().as_secs_f64(), "read");
                raw.insert(table, read);
            }
            None if table.required() => {
                return Err(ErrorKind::MissingTable { table: table.name().into(), dir: dir.to_path_buf() }.into())
            }
            None => {
                raw.insert(
                    table,
                    read::RawTable {
                        table,
                        files: Vec::new(),
                        frame: DataFrame::empty_with_schema(&read::canonical_schema(table)),
                        coercions: Vec::new(),
                    },
                );
            }
        }
    }

    let started = std::time::Instant::now();
    let persons = pseudonymise::PersonLookup::build(raw.values().map(|read| &read.frame), key)?;
    tracing::debug!(persons = persons.index.len(), seconds = started.elapsed().as_secs_f64(), "numbered the persons");
    let mut warnings = Vec::new();
    let mut pseudonymised = BTreeMap::new();
    let mut first_raw: Option<(Table, usize)> = None;
    let mut first_hashed: Option<(Table, usize)> = None;
    let (mut raw_total, mut hashed_total) = (0, 0);
    for (table, read) in raw {
        if read.frame.height() == 0 && !read.files.is_empty() {
            if table == Table::Institutions {
                return Err(ErrorKind::EmptyRequiredTable { table: table.name().into(), file: read.files[0].path.clone() }
                    .into());
            }
            warnings.push(format!("table {} has no rows", table.name()));
        }
        let started = std::time::Instant::now();
        let (frame, counts) = pseudonymise::pseudonymise(table, read.frame, key, &persons)?;
        tracing::debug!(table = table.name(), seconds = started.elapsed().as_secs_f64(), "pseudonymised");
        if counts.raw > 0 && first_raw.is_none() {
            first_raw = Some((table, counts.raw));
        }
        if counts.hashed > 0 && first_hashed.is_none() {
            first_hashed = Some((table, counts.hashed));
        }
        raw_total += counts.raw;
        hashed_total += counts.hashed;
        pseudonymised.insert(table, (read.files, frame, read.coercions));
    }
    if let (Some((raw_table, _)), Some((hashed_table, _))) = (first_raw, first_hashed) {
        return Err(ErrorKind::MixedPersonIdForms {
            raw: raw_total,
            hashed: hashed_total,
            raw_table: raw_table.name().into(),
            hashed_table: hashed_table.name().into(),
        }
        .into());
    }

    let mut tables = BTreeMap::new();
    let mut parent_keys: BTreeMap<Table, Series> = BTreeMap::new();
    for (table, (files, frame, coercions)) in pseudonymised {
        let rows_read = frame.height();
        let started = std::time::Instant::now();
        let validated = validate::validate(table, frame, &parent_keys, &persons.index)?;
        tracing::debug!(
            table = table.name(),
            seconds = started.elapsed().as_secs_f64(),
            megabytes = validated.kept.estimated_size() / 1_000_000,
            "validated"
        );
        if let [single_key] = table.primary_key() {
            let keys = validated.kept.column(single_key).context("collecting kept keys")?.as_materialized_series().clone();
            parent_keys.insert(table, keys);
        }
        debug_assert_eq!(rows_read, validated.kept.height() + validated.rejects.height());
        tables.insert(
            table,
            IngestedTable { table, files, rows_read, frame: validated.kept, rejects: validated.rejects, coercions },
        );
    }
    Ok(Export { dir: dir.to_path_buf(), tables, persons: persons.index, warnings })
}
