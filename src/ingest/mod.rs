//! Ingest: turns a bureau's export folder into trusted, typed, pseudonymised tables.
//!
//! `read` finds and coerces each table, `pseudonymise` derives person facts, hashes every
//! personal identifier and numbers the persons ([`PersonIndex`]), `validate` splits each table
//! into kept rows and rejects; `credit_code` checks institutions' and employers' unified social
//! credit codes (data quality, never a reject). Every later stage starts from the [`Export`] this module returns
//! and never opens a file itself: the sign-ins, when too many to hold ([`IngestOptions`]), are
//! read again through plans this module built ([`Export::scan`]), with the same rows kept.

pub mod contract;
pub mod credit_code;
pub mod coverage;
pub mod pseudonymise;
pub mod read;
pub mod validate;

use crate::error::{ErrorKind, PolarsContext, Result};
use crate::person::Pseudonymiser;
use crate::vocab::messages::{ingest as ingest_messages, nested::Sentence};
use contract::{Table, ALL_TABLES};
use polars::prelude::*;
pub use pseudonymise::PersonIndex;
use read::TableFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One table after ingest.
#[derive(Clone)]
pub struct IngestedTable {
    pub table: Table,
    /// Files read, in order (empty for an absent optional table).
    pub files: Vec<TableFile>,
    pub rows_read: usize,
    rows_used: usize,
    /// Kept rows, canonical columns (no rows when the table is streamed).
    pub frame: DataFrame,
    /// For a table too large to hold: its kept rows as plans that read them from disk again,
    /// file by file (see [`Export::scan`]).
    pub streamed: Option<Vec<validate::KeptPart>>,
    /// `table`, `row_key`, `reason` of every rejected row.
    pub rejects: DataFrame,
    /// Tolerated differences from the contract's exact types.
    pub coercions: Vec<Sentence>,
}

impl std::fmt::Debug for IngestedTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IngestedTable")
            .field("table", &self.table)
            .field("files", &self.files)
            .field("rows_read", &self.rows_read)
            .field("rows_used", &self.rows_used)
            .field("frame", &self.frame)
            .field("streamed", &self.streamed.is_some())
            .field("rejects", &self.rejects)
            .field("coercions", &self.coercions)
            .finish()
    }
}

impl IngestedTable {
    pub fn rows_used(&self) -> usize {
        self.rows_used
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
    /// Every phone and payout account of the enrollments, by the number their columns hold.
    pub contacts: PersonIndex,
    /// Non-fatal observations for the person running the tool (e.g. an empty table), as
    /// messages: rendered in the run's language where they are logged and written.
    pub warnings: Vec<Sentence>,
}

impl Export {
    pub fn table(&self, table: Table) -> &IngestedTable {
        &self.tables[&table]
    }

    /// Kept rows of a table held in memory (empty, with the canonical columns, when the table
    /// was absent). A streamed table has none: stages read it through [`Export::scan`], and
    /// asking for its frame is a bug in the stage, not in the data.
    pub fn frame(&self, table: Table) -> &DataFrame {
        let ingested = self.table(table);
        assert!(ingested.streamed.is_none(), "table {} is streamed from disk: read it with Export::scan", table.name());
        &ingested.frame
    }

    /// Kept rows of a table, held or streamed, as a lazy frame: stages that filter a large table
    /// before using it (the sign-ins) read it this way, so that it need not be held.
    pub fn scan(&self, table: Table) -> LazyFrame {
        self.scan_parts(table, |_| true)
    }

    /// As [`Export::scan`], but a streamed table's files whose time column (see
    /// [`Table::time_column`]) lies wholly outside the days `first` … `last` are not read: a
    /// superset of the rows dated in those days, which the caller still filters.
    pub fn scan_between(&self, table: Table, first: chrono::NaiveDate, last: chrono::NaiveDate) -> LazyFrame {
        let micros = |day: chrono::NaiveDate| day.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp_micros();
        let (low, high) = (micros(first), micros(last) + 86_400_000_000);
        self.scan_parts(table, |range| range.is_none_or(|(earliest, latest)| latest >= low && earliest < high))
    }

    fn scan_parts(&self, table: Table, wanted: impl Fn(Option<(i64, i64)>) -> bool) -> LazyFrame {
        let ingested = self.table(table);
        let Some(parts) = &ingested.streamed else { return ingested.frame.clone().lazy() };
        let chosen: Vec<LazyFrame> = parts.iter().filter(|part| wanted(part.time_range)).map(|part| part.rows.clone()).collect();
        if chosen.is_empty() {
            return ingested.frame.clone().lazy();
        }
        // polars refuses only an empty list here; schemas are checked when the plan runs.
        concat(chosen, UnionArgs { parallel: false, rechunk: false, ..Default::default() }).expect("a non-empty list of plans")
    }

    /// All rejects of all tables, in table order.
    pub fn rejects(&self) -> Result<DataFrame> {
        let frames: Vec<LazyFrame> = self.tables.values().map(|t| t.rejects.clone().lazy()).collect();
        let mut all = concat(frames, UnionArgs::default()).and_then(|all| all.collect()).context("gathering rejects")?;
        // Sorted by table, key, then the reason as it reads in English: the same order whatever
        // the run's language.
        let order = "__reason_order";
        let code = format!("{}_code", crate::columns::REASON);
        let args = format!("{}_args", crate::columns::REASON);
        let key = crate::vocab::messages::render_column(&all, &code, &args, crate::vocab::Lang::En, order).context("ordering rejects")?;
        all.with_column(key).context("ordering rejects")?;
        all.lazy()
            .sort_by_exprs(
                [col(crate::columns::TABLE), col(crate::columns::ROW_KEY), col(order)],
                SortMultipleOptions::default().with_maintain_order(true),
            )
            .drop(cols([order]))
            .collect()
            .context("gathering rejects")
    }
}

/// How ingest holds the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IngestOptions {
    /// A streamable table (attendance: see [`Table::streamable`]) with more rows than this is not
    /// held in memory: it is validated in slices and every stage that needs it reads it again
    /// from disk. A province's 15 million sign-ins are held (each stage then reads memory, not
    /// files); a nation's hundreds of millions cannot be.
    pub stream_rows_above: usize,
    /// Rows per slice when a streamed table's primary keys are hashed: one slice's key columns
    /// are held at a time.
    pub batch_rows: usize,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions { stream_rows_above: 40_000_000, batch_rows: 8_000_000 }
    }
}

/// A streamable table left on disk, file by file.
struct StreamedRaw {
    files: Vec<validate::StreamedFile>,
    rows_read: usize,
    coercions: Vec<Sentence>,
}

/// The districts of the export's institutions (as read: trimmed; each once, sorted), read
/// before any other table so that the policy is checked against them first
/// ([`crate::policy::Policy::resolve_for`]). Empty when the export has no institutions table:
/// ingest then says so.
pub fn districts(dir: &Path) -> Result<Vec<String>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let Some(located) = read::locate(dir, Table::Institutions)? else { return Ok(Vec::new()) };
    let mut districts = read::distinct_texts(Table::Institutions, &located.files, crate::columns::DISTRICT)?;
    districts.sort();
    districts.dedup();
    Ok(districts)
}

/// Reads, pseudonymises and validates every table of the export in `dir`.
pub fn ingest(dir: &Path, key: &Pseudonymiser) -> Result<Export> {
    ingest_with(dir, key, IngestOptions::default())
}

/// As [`ingest`], with the choice of which tables to hold.
pub fn ingest_with(dir: &Path, key: &Pseudonymiser, options: IngestOptions) -> Result<Export> {
    if !dir.is_dir() {
        return Err(ErrorKind::NoExport { dir: dir.to_path_buf() }.into());
    }
    // Where each table is, and which are left on disk.
    let mut warnings = read::stray_entries(dir)?;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for table in ALL_TABLES {
        match read::locate(dir, table)? {
            Some(read::Located { files, ignored }) => {
                for path in ignored {
                    let shown = path.strip_prefix(dir).unwrap_or(&path).display().to_string();
                    warnings.push(Sentence::new(&ingest_messages::NOT_PARQUET, &[("table", table.name()), ("file", &shown)]));
                }
                found.push((table, files));
            }
            None if table.required() => missing.push(table.name().to_string()),
            None => found.push((table, Vec::new())),
        }
    }
    if !missing.is_empty() {
        return Err(ErrorKind::MissingTable { tables: missing, dir: dir.to_path_buf() }.into());
    }
    let mut located: Vec<(Table, Vec<TableFile>)> = Vec::new();
    let mut streamed_raw = BTreeMap::new();
    for (table, files) in found {
        if table.streamable() && !files.is_empty() {
            let rows_per_file: Vec<usize> = files.iter().map(|file| read::file_rows(table, file)).collect::<Result<_>>()?;
            let rows_read: usize = rows_per_file.iter().sum();
            if rows_read > options.stream_rows_above {
                let (scans, coercions) = read::scan_files(table, &files)?;
                let batch_rows = options.batch_rows.max(1);
                let streamed_files = scans
                    .into_iter()
                    .zip(&rows_per_file)
                    .map(|(scan, rows)| {
                        let batches = (0..*rows)
                            .step_by(batch_rows)
                            .map(|offset| scan.clone().slice(offset as i64, batch_rows.min(rows - offset) as IdxSize))
                            .collect();
                        validate::StreamedFile { rows: scan, batches }
                    })
                    .collect();
                tracing::info!(table = table.name(), rows = rows_read, files = files.len(), "streamed from disk, not held");
                streamed_raw.insert(table, StreamedRaw { files: streamed_files, rows_read, coercions });
            }
        }
        located.push((table, files));
    }

    // Persons are numbered from their ids alone, read first: then each table can be pseudonymised
    // slice by slice as it is read, and no table is ever held whole with raw ids.
    let started = std::time::Instant::now();
    let mut person_ids = Vec::new();
    for (table, files) in &located {
        let has_person = table.columns().iter().any(|spec| spec.personal && spec.name == crate::columns::PERSON_ID);
        if has_person && !streamed_raw.contains_key(table) {
            person_ids.extend(read::distinct_texts(*table, files, crate::columns::PERSON_ID)?);
        }
    }
    let persons = pseudonymise::PersonLookup::build_from_texts(person_ids, key)?;
    let mut contact_texts = Vec::new();
    for (table, files) in &located {
        for spec in table.columns().iter().filter(|spec| pseudonymise::ContactLookup::numbers(*table, spec.name)) {
            contact_texts.extend(read::distinct_texts(*table, files, spec.name)?);
        }
    }
    let contacts = pseudonymise::ContactLookup::build(contact_texts, key)?;
    tracing::debug!(
        persons = persons.index.len(),
        seconds = started.elapsed().as_secs_f64(),
        resident_mib = crate::progress::resident_mib(),
        "numbered the persons"
    );

    let mut pseudonymised = BTreeMap::new();
    let mut first_raw: Option<(Table, usize)> = None;
    let mut first_hashed: Option<(Table, usize)> = None;
    let (mut raw_total, mut hashed_total) = (0, 0);
    for (table, files) in located {
        let started = std::time::Instant::now();
        let mut counts = pseudonymise::IdFormCounts::default();
        let mut pseudonymise_part = |part: DataFrame| -> Result<DataFrame> {
            let (frame, part_counts) = pseudonymise::pseudonymise(table, part, key, &persons, &contacts)?;
            counts.raw += part_counts.raw;
            counts.hashed += part_counts.hashed;
            counts.malformed += part_counts.malformed;
            Ok(frame)
        };
        let (frame, rows, coercions) = match streamed_raw.get_mut(&table) {
            Some(streamed) => {
                let frame = pseudonymise_part(DataFrame::empty_with_schema(&read::canonical_schema(table)))?;
                (frame, streamed.rows_read, std::mem::take(&mut streamed.coercions))
            }
            None => {
                let read = read::read_table_with(table, files.clone(), options.batch_rows.max(1), pseudonymise_part)?;
                let rows = read.frame.height();
                (read.frame, rows, read.coercions)
            }
        };
        tracing::debug!(
            table = table.name(),
            rows,
            seconds = started.elapsed().as_secs_f64(),
            megabytes = frame.estimated_size() / 1_000_000,
            resident_mib = crate::progress::resident_mib(),
            "read and pseudonymised"
        );
        if rows == 0 && !files.is_empty() {
            if table == Table::Institutions {
                return Err(ErrorKind::EmptyRequiredTable { table: table.name().into(), file: files[0].path.clone() }.into());
            }
            warnings.push(Sentence::new(&ingest_messages::EMPTY_TABLE, &[("table", table.name())]));
        }
        if counts.raw > 0 && first_raw.is_none() {
            first_raw = Some((table, counts.raw));
        }
        if counts.hashed > 0 && first_hashed.is_none() {
            first_hashed = Some((table, counts.hashed));
        }
        raw_total += counts.raw;
        hashed_total += counts.hashed;
        pseudonymised.insert(table, (files, frame, coercions));
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

    // The lookups from raw text to number (a nation's are gigabytes) are done with: validation
    // and every later stage need only the numbers' pseudonyms.
    let persons = persons.into_index();
    let contacts = contacts.into_index();
    let mut tables = BTreeMap::new();
    let mut parent_keys: BTreeMap<Table, Series> = BTreeMap::new();
    for (table, (files, frame, coercions)) in pseudonymised {
        let started = std::time::Instant::now();
        if let Some(streamed) = streamed_raw.remove(&table) {
            let validated =
                validate::validate_streamed(table, streamed.files, &parent_keys, &persons).map_err(|error| read::diagnose(table, &files, error))?;
            tracing::debug!(table = table.name(), seconds = started.elapsed().as_secs_f64(), "validated, streamed");
            let rows_used = validated.rows_read - validated.rejects.height();
            tables.insert(
                table,
                IngestedTable {
                    table,
                    files,
                    rows_read: validated.rows_read,
                    rows_used,
                    frame,
                    streamed: Some(validated.kept),
                    rejects: validated.rejects,
                    coercions,
                },
            );
            continue;
        }
        let rows_read = frame.height();
        let validated = validate::validate(table, frame, &parent_keys, &persons)?;
        tracing::debug!(
            table = table.name(),
            seconds = started.elapsed().as_secs_f64(),
            megabytes = validated.kept.estimated_size() / 1_000_000,
            resident_mib = crate::progress::resident_mib(),
            "validated"
        );
        if let [single_key] = table.primary_key() {
            let keys = validated.kept.column(single_key).context("collecting kept keys")?.as_materialized_series().clone();
            parent_keys.insert(table, keys);
        }
        debug_assert_eq!(rows_read, validated.kept.height() + validated.rejects.height());
        tables.insert(
            table,
            IngestedTable {
                table,
                files,
                rows_read,
                rows_used: validated.kept.height(),
                frame: validated.kept,
                streamed: None,
                rejects: validated.rejects,
                coercions,
            },
        );
    }
    Ok(Export { dir: dir.to_path_buf(), tables, persons, contacts, warnings })
}
