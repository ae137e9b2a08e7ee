//! Reading one contract table from an export folder: find its file or folder of files (hive
//! partitions included), check every contract column's physical type against what the contract
//! tolerates, and coerce it to the engine's one canonical type (strings trimmed, integers Int64,
//! dates Date, timestamps local microseconds, money integer fen in `NAME_fen`).
//!
//! Each file is read on its own, so files of one table written by different tools (int32 in one,
//! int64 in another) still agree, and every error names the exact file. Nothing is skipped
//! without a word: a table given twice is refused, files not read are listed for warnings, and
//! when a read fails the columns are read one at a time to name the one that cannot be read and
//! its row group. Values that are no amount (NaN, ±infinity, beyond decimal(14,2)) are marked for
//! validation to reject. Validation of values (rejects) happens after this, in `validate`.

use super::contract::{ColumnSpec, Logical, Table};
use crate::columns as c;
use crate::error::{Error, ErrorKind, PolarsContext, Result};
use crate::money;
use crate::vocab::messages::{ingest as im, nested::Sentence};
use polars::prelude::*;
use std::path::{Path, PathBuf};

/// The local time zone of every export (data contract: timestamps are Asia/Shanghai).
pub const LOCAL_TIME_ZONE: &str = "Asia/Shanghai";

/// One Parquet file of a table, with the hive partition values found in its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFile {
    pub path: PathBuf,
    pub partitions: Vec<(String, String)>,
}

/// A table as read: canonical columns, the files it came from and what was coerced.
#[derive(Debug, Clone)]
pub struct RawTable {
    pub table: Table,
    pub files: Vec<TableFile>,
    pub frame: DataFrame,
    /// Notes on tolerated differences, e.g. "amount: double rounded half-up to the fen", as
    /// messages (rendered in the run's language where they are shown).
    pub coercions: Vec<Sentence>,
}

/// Where a table's rows are: its Parquet files, and what its folder held besides them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub files: Vec<TableFile>,
    /// Files of the table's folder that are not Parquet (not hidden, not `_`-prefixed writer
    /// metadata): not read, and said so, since they may hold rows someone meant to deliver.
    pub ignored: Vec<PathBuf>,
}

/// Finds the file(s) of `table` in `dir`: `NAME.parquet`, or every `*.parquet` below a folder
/// `NAME/` (or `NAME.parquet/`, as Spark writes it), sorted by path, so reading order never
/// depends on the file system. `None` when absent; an error when it is given more than once (one
/// would be ignored) or its folder holds no Parquet file.
pub fn locate(dir: &Path, table: Table) -> Result<Option<Located>> {
    let single = dir.join(format!("{}.parquet", table.name()));
    let folders: Vec<PathBuf> = [dir.join(table.name()), single.clone()].into_iter().filter(|path| path.is_dir()).collect();
    let given: Vec<String> = (single.is_file().then(|| format!("the file {}", single.display())).into_iter())
        .chain(folders.iter().map(|folder| format!("the folder {}", folder.display())))
        .collect();
    if given.len() > 1 {
        return Err(ErrorKind::AmbiguousTable { table: table.name().into(), given }.into());
    }
    if single.is_file() {
        return Ok(Some(Located { files: vec![TableFile { path: single, partitions: Vec::new() }], ignored: Vec::new() }));
    }
    let Some(folder) = folders.into_iter().next() else { return Ok(None) };
    let mut files = Vec::new();
    let mut ignored = Vec::new();
    let mut visited = Vec::new();
    collect_parquet_files(&folder, &folder, &mut files, &mut ignored, &mut visited)?;
    ignored.sort();
    if files.is_empty() {
        let found = ignored.iter().map(|path| path.strip_prefix(&folder).unwrap_or(path).display().to_string()).collect();
        return Err(ErrorKind::EmptyTableFolder { table: table.name().into(), dir: folder, found }.into());
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Some(Located { files, ignored }))
}

/// Extensions of files that hold rows: outside a table's name, such a file in the export folder
/// is reported. Notes (`README.md`, a sample's `truth.json`) are not.
const TABULAR_EXTENSIONS: [&str; 5] = ["parquet", "csv", "tsv", "xlsx", "xls"];

/// Entries of the export folder that look like data but are no table of the contract (a
/// misspelt `survey.parquet`, a folder `attendence/`, a CSV copy), as warnings: nothing there
/// is read, and a person should know.
pub(crate) fn stray_entries(dir: &Path) -> Result<Vec<Sentence>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("listing the export folder", dir, e))?;
    let mut strays = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io("listing the export folder", dir, e))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else {
            strays.push(path.display().to_string());
            continue;
        };
        let tabular = path.is_dir()
            || path.extension().and_then(|e| e.to_str()).is_some_and(|e| TABULAR_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        let stem = name.strip_suffix(".parquet").or(path.is_dir().then_some(name.as_str()));
        if !tabular || name.starts_with(['.', '_']) || stem.and_then(Table::from_name).is_some() {
            continue;
        }
        strays.push(name);
    }
    strays.sort();
    Ok(strays
        .into_iter()
        .map(|name| Sentence::new(&im::STRAY_ENTRY, &[("name", &name)]))
        .collect())
}

/// Whether a file name ends in `.parquet`, in any case (`PART-0.PARQUET`).
fn is_parquet_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// Every Parquet file below `dir`; `visited` holds the folders already listed (by their real
/// path), so a symbolic link to one of them or to a folder holding them (back up the tree) is
/// not followed: nothing is listed twice, or forever.
fn collect_parquet_files(
    root: &Path,
    dir: &Path,
    files: &mut Vec<TableFile>,
    ignored: &mut Vec<PathBuf>,
    visited: &mut Vec<PathBuf>,
) -> Result<()> {
    let real = std::fs::canonicalize(dir).map_err(|e| Error::io("listing a table folder", dir, e))?;
    if visited.iter().any(|listed| listed.starts_with(&real)) {
        // A link to a folder listed already or to one holding it (`..`): a loop, nothing new.
        return Ok(());
    }
    visited.push(real);
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("listing a table folder", dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::io("listing a table folder", dir, e))?.path();
        let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(['.', '_']));
        if hidden {
            // Writers leave `_SUCCESS`, `_metadata` and `.crc` files beside their data.
            continue;
        }
        if path.is_dir() {
            collect_parquet_files(root, &path, files, ignored, visited)?;
        } else if is_parquet_name(&path) {
            let partitions = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .parent()
                .into_iter()
                .flat_map(|parent| parent.components())
                .filter_map(|component| {
                    let text = component.as_os_str().to_str()?;
                    let (key, value) = text.split_once('=')?;
                    Some((key.to_string(), value.to_string()))
                })
                .collect();
            files.push(TableFile { path, partitions });
        } else {
            ignored.push(path);
        }
    }
    Ok(())
}

/// Reads every file of a table and stacks them in file order.
pub fn read_table(table: Table, files: Vec<TableFile>) -> Result<RawTable> {
    read_table_with(table, files, usize::MAX, Ok)
}

/// As [`read_table`], but each file is read in slices of at most `slice_rows` rows, and every
/// slice goes through `each` (pseudonymisation) before it is stacked: only one slice is ever held
/// as read. A nation's employment table, raw, is several times its pseudonymised size. A table
/// without files is an empty frame of the canonical columns, through `each` too.
pub fn read_table_with(
    table: Table,
    files: Vec<TableFile>,
    slice_rows: usize,
    mut each: impl FnMut(DataFrame) -> Result<DataFrame>,
) -> Result<RawTable> {
    let mut frame: Option<DataFrame> = None;
    let mut coercions = Vec::new();
    for file in &files {
        let plan = plan_file(table, file)?;
        merge_notes(&mut coercions, &plan.notes);
        let rows = if slice_rows == usize::MAX { 0 } else { file_rows(table, file)? };
        let slices: Vec<Option<(i64, IdxSize)>> = if rows > slice_rows {
            (0..rows).step_by(slice_rows).map(|offset| Some((offset as i64, slice_rows.min(rows - offset) as IdxSize))).collect()
        } else {
            vec![None]
        };
        for slice in slices {
            let part = each(compact(table, read_part(table, file, &plan, slice)?)?)?;
            match frame.as_mut() {
                None => frame = Some(part),
                Some(stacked) => {
                    stacked.vstack_mut_owned(part).context(&format!("table {}: stacking its files", table.name()))?;
                }
            }
        }
    }
    let mut frame = match frame {
        Some(frame) => frame,
        None => each(compact(table, DataFrame::empty_with_schema(&canonical_schema(table)))?)?,
    };
    frame.rechunk_mut_par();
    Ok(RawTable { table, files, frame, coercions })
}

/// Employers are held as categories (a number per row, each distinct text once): an employer
/// repeats in every contribution month of every employee, and a nation's employment table has
/// over a hundred million rows. Equal texts get equal numbers, so keys, joins and hashes on the
/// column behave as on the text.
fn compact(table: Table, mut frame: DataFrame) -> Result<DataFrame> {
    if table != Table::Employment {
        return Ok(frame);
    }
    let what = "holding employer ids as categories";
    let employers = frame.column(c::EMPLOYER_ID).context(what)?.cast(&DataType::from_categories(Categories::global())).context(what)?;
    frame.with_column(employers).context(what)?;
    Ok(frame)
}

/// Adds the notes not yet in `all`, keeping the order they were first met in.
fn merge_notes(all: &mut Vec<Sentence>, notes: &[Sentence]) {
    for note in notes {
        if !all.contains(note) {
            all.push(note.clone());
        }
    }
}

/// The distinct values of text column `name` in the files of `table` (as read: trimmed, blanks
/// missing), without holding the other columns.
pub fn distinct_texts(table: Table, files: &[TableFile], name: &str) -> Result<Vec<String>> {
    let mut distinct = Vec::new();
    for file in files {
        let plan = plan_file(table, file)?;
        let values = plan
            .scan
            .select([col(name)])
            .unique(None, UniqueKeepStrategy::Any)
            .collect_with_engine(Engine::Streaming)
            .map_err(|error| read_failure(table, file, error))?
            .unwrap_single();
        let values = values.column(name).context(name)?.str().context(name)?;
        distinct.extend(values.iter().flatten().map(str::to_string));
    }
    Ok(distinct)
}

/// The schema of a table after reading.
pub fn canonical_schema(table: Table) -> Schema {
    table.columns().iter().map(|spec| (canonical_name(spec).into(), canonical_dtype(spec.logical))).collect()
}

/// The column name after reading: money columns gain the `_fen` suffix.
pub fn canonical_name(spec: &ColumnSpec) -> String {
    match spec.logical {
        Logical::Money => c::fen(spec.name),
        _ => spec.name.to_string(),
    }
}

fn canonical_dtype(logical: Logical) -> DataType {
    match logical {
        Logical::Text => DataType::String,
        Logical::Integer | Logical::Money => DataType::Int64,
        Logical::Boolean => DataType::Boolean,
        Logical::Date => DataType::Date,
        Logical::Timestamp => DataType::Datetime(TimeUnit::Microseconds, None),
        Logical::Real => DataType::Float64,
    }
}

fn local_zone() -> TimeZone {
    TimeZone::opt_try_new(Some(LOCAL_TIME_ZONE)).ok().flatten().expect("Asia/Shanghai is a known zone")
}

/// A zoned timestamp expressed as local wall-clock time without zone.
fn to_local_naive(expr: Expr, zone: &Option<TimeZone>) -> Expr {
    match zone {
        None => expr,
        Some(_) => expr
            .dt()
            .convert_time_zone(local_zone())
            .dt()
            .replace_time_zone(None, lit("raise"), NonExistent::Raise),
    }
}

/// How a file's column becomes the canonical column, or why it cannot.
enum Plan {
    /// A lazy expression producing the canonical column.
    Expr(Expr),
    /// Money: the raw column is collected, then converted to fen exactly (see `money`).
    Money,
}

fn plan_column(spec: &ColumnSpec, found: &DataType, notes: &mut Vec<Sentence>) -> Option<Plan> {
    let name = spec.name;
    let source = col(name);
    let plan = match (spec.logical, found) {
        (_, DataType::Null) => {
            if spec.logical == Logical::Money {
                Plan::Money
            } else {
                Plan::Expr(source.cast(canonical_dtype(spec.logical)))
            }
        }
        (Logical::Text, DataType::String) => Plan::Expr(source),
        (Logical::Text, DataType::Categorical(..) | DataType::Enum(..) | DataType::Binary) => {
            Plan::Expr(source.cast(DataType::String))
        }
        // Strict: a uint64 beyond int64 stops the read (named by `read_failure`), never null.
        (Logical::Integer, dtype) if dtype.is_integer() => Plan::Expr(source.strict_cast(DataType::Int64)),
        (Logical::Boolean, DataType::Boolean) => Plan::Expr(source),
        (Logical::Date, DataType::Date) => Plan::Expr(source),
        (Logical::Date, DataType::Datetime(_, zone)) => {
            notes.push(Sentence::new(&im::COERCED_DATE, &[("column", name)]));
            Plan::Expr(to_local_naive(source, zone).dt().date())
        }
        (Logical::Timestamp, DataType::Datetime(_, zone)) => {
            if let Some(zone) = zone {
                notes.push(Sentence::new(&im::COERCED_ZONE, &[("column", name), ("zone", zone.as_str()), ("local", LOCAL_TIME_ZONE)]));
            }
            Plan::Expr(to_local_naive(source, zone).cast(DataType::Datetime(TimeUnit::Microseconds, None)))
        }
        (Logical::Money, DataType::Decimal(..)) => Plan::Money,
        (Logical::Money, DataType::Float32 | DataType::Float64) => {
            notes.push(Sentence::new(&im::COERCED_ROUNDED, &[("column", name)]));
            Plan::Money
        }
        (Logical::Real, dtype) if dtype.is_primitive_numeric() || matches!(dtype, DataType::Decimal(..)) => {
            Plan::Expr(source.cast(DataType::Float64))
        }
        _ => return None,
    };
    Some(plan)
}

/// A hive partition value standing in for a column the file lacks.
fn partition_literal(spec: &ColumnSpec, value: &str) -> Option<Expr> {
    if value == HIVE_NULL && matches!(spec.logical, Logical::Text | Logical::Integer | Logical::Boolean | Logical::Date) {
        return Some(lit(NULL).cast(canonical_dtype(spec.logical)));
    }
    let text = lit(value.to_string());
    let expr = match spec.logical {
        Logical::Text => text,
        Logical::Integer => lit(value.parse::<i64>().ok()?),
        Logical::Boolean => lit(value.parse::<bool>().ok()?),
        Logical::Date => {
            let date = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?;
            lit(date).cast(DataType::Date)
        }
        Logical::Timestamp | Logical::Money | Logical::Real => return None,
    };
    Some(expr)
}

/// The folder name Hive and Spark give a partition whose value is missing: read as a missing
/// value (its rows then go through validation like any other), never as this text.
const HIVE_NULL: &str = "__HIVE_DEFAULT_PARTITION__";

/// What a hive partition value must be to stand in for a column of `logical` type.
fn partition_expected(logical: Logical) -> String {
    match logical {
        Logical::Integer => "an integer".into(),
        Logical::Boolean => "true or false".into(),
        Logical::Date => "a date (YYYY-MM-DD)".into(),
        other => format!("usable: a partition cannot stand in for a column of {}", other.expected()),
    }
}

/// How one file becomes canonical columns: a lazy scan selecting every canonical column, except
/// money columns, which stay raw until [`read_part`] converts them exactly.
struct FilePlan {
    scan: LazyFrame,
    money_columns: Vec<&'static ColumnSpec>,
    notes: Vec<Sentence>,
    /// The file as opened, and each contract column's selection from it: read one at a time
    /// when the whole read failed, to name the column that cannot be read ([`read_failure`]).
    opened: LazyFrame,
    selections: Vec<(&'static str, Expr)>,
}

fn unreadable(table: Table, file: &TableFile) -> impl Fn(PolarsError) -> Error + '_ {
    move |error: PolarsError| -> Error {
        ErrorKind::Unreadable { table: table.name().into(), file: file.path.clone(), detail: error.to_string() }.into()
    }
}

pub(crate) fn open_scan(table: Table, file: &TableFile) -> Result<LazyFrame> {
    // polars' message for an empty file ("file size is too small") does not say it is empty.
    if std::fs::metadata(&file.path).is_ok_and(|meta| meta.len() == 0) {
        let detail = "the file is empty (0 bytes)".to_string();
        return Err(ErrorKind::Unreadable { table: table.name().into(), file: file.path.clone(), detail }.into());
    }
    let path_text = file.path.to_string_lossy().to_string();
    let args = ScanArgsParquet {
        hive_options: HiveOptions { enabled: Some(false), ..Default::default() },
        ..Default::default()
    };
    LazyFrame::scan_parquet(PlRefPath::from(path_text.as_str()), args).map_err(unreadable(table, file))
}

fn plan_file(table: Table, file: &TableFile) -> Result<FilePlan> {
    let mut scan = open_scan(table, file)?;
    let schema = scan.collect_schema().map_err(unreadable(table, file))?;

    let mut notes = Vec::new();
    let mut selections = Vec::new();
    let mut money_columns = Vec::new();
    for spec in table.columns() {
        let found = schema.get(spec.name);
        let plan = match found {
            Some(dtype) => plan_column(spec, dtype, &mut notes).ok_or_else(|| -> Error {
                ErrorKind::WrongType {
                    table: table.name().into(),
                    column: spec.name.into(),
                    file: file.path.clone(),
                    expected: spec.logical.expected().into(),
                    found: dtype.to_string(),
                }
                .into()
            })?,
            None => {
                let partition = file.partitions.iter().find(|(key, _)| key == spec.name);
                match partition {
                    Some((_, value)) => {
                        let expr = partition_literal(spec, value).ok_or_else(|| -> Error {
                            ErrorKind::BadPartitionValue {
                                table: table.name().into(),
                                column: spec.name.into(),
                                file: file.path.clone(),
                                value: value.clone(),
                                expected: partition_expected(spec.logical),
                            }
                            .into()
                        })?;
                        notes.push(Sentence::new(&im::COERCED_PARTITION, &[("column", spec.name)]));
                        Plan::Expr(expr)
                    }
                    None if spec.may_be_absent => Plan::Expr(lit(NULL).cast(canonical_dtype(spec.logical))),
                    None => {
                        return Err(ErrorKind::MissingColumn {
                            table: table.name().into(),
                            column: spec.name.into(),
                            file: file.path.clone(),
                            expected: spec.logical.expected().into(),
                            differing_in_case: schema
                                .iter_names()
                                .find(|name| name.eq_ignore_ascii_case(spec.name))
                                .map(|name| name.to_string()),
                        }
                        .into())
                    }
                }
            }
        };
        match plan {
            Plan::Expr(expr) => selections.push((spec.name, normalise_text(spec, expr).alias(canonical_name(spec)))),
            Plan::Money => {
                money_columns.push(spec);
                selections.push((spec.name, col(spec.name)));
            }
        }
    }
    let all: Vec<Expr> = selections.iter().map(|(_, expr)| expr.clone()).collect();
    Ok(FilePlan { scan: scan.clone().select(all), money_columns, notes, opened: scan, selections })
}

/// The error of a failed read of `file`: the column that cannot be read and the row group it
/// fails in, found by reading the columns one at a time (only after a failure, so a good file
/// costs nothing). Invalid UTF-8 in a text column is [`ErrorKind::InvalidText`], any other value
/// that cannot be read [`ErrorKind::UnreadableColumn`]; when no column alone fails, the file is
/// [`ErrorKind::Unreadable`].
fn read_failure(table: Table, file: &TableFile, error: PolarsError) -> Error {
    let whole = unreadable(table, file)(error);
    column_failure(table, file).unwrap_or(whole)
}

/// After a failed read of a table left on disk (its files read together by a later plan): the
/// first file and column that cannot be read, or `error` as it was.
pub(crate) fn diagnose(table: Table, files: &[TableFile], error: Error) -> Error {
    files.iter().find_map(|file| column_failure(table, file)).unwrap_or(error)
}

/// The first column of `file` that cannot be read on its own, as an error naming it and its row
/// group; `None` when every column reads.
fn column_failure(table: Table, file: &TableFile) -> Option<Error> {
    let plan = plan_file(table, file).ok()?;
    let (column, expr, error) = plan.selections.iter().find_map(|(name, expr)| {
        let probe = plan.opened.clone().select([expr.clone()]).collect_with_engine(Engine::Streaming);
        probe.err().map(|error| (*name, expr, error))
    })?;
    let place = failing_row_group(file, &plan.opened, expr).unwrap_or_else(|| "in some row group".into());
    let detail = error.to_string();
    if detail.to_ascii_lowercase().contains("utf8") || detail.to_ascii_lowercase().contains("utf-8") {
        return Some(ErrorKind::InvalidText { table: table.name().into(), column: column.into(), file: file.path.clone(), place }.into());
    }
    Some(ErrorKind::UnreadableColumn { table: table.name().into(), column: column.into(), file: file.path.clone(), place, detail }.into())
}

/// "row group 2 of 3 (rows 1001–2000)": the first row group of `file` in which `expr` cannot be
/// read, from the file's footer and one read per row group.
fn failing_row_group(file: &TableFile, opened: &LazyFrame, expr: &Expr) -> Option<String> {
    let handle = std::fs::File::open(&file.path).ok()?;
    let sizes: Vec<usize> = ParquetReader::new(handle).get_metadata().ok()?.row_groups.iter().map(|group| group.num_rows()).collect();
    let mut offset = 0usize;
    for (index, rows) in sizes.iter().enumerate() {
        let probe = opened.clone().select([expr.clone()]).slice(offset as i64, *rows as IdxSize).collect_with_engine(Engine::Streaming);
        if probe.is_err() {
            return Some(format!("row group {} of {} (rows {}–{})", index + 1, sizes.len(), offset + 1, offset + rows));
        }
        offset += rows;
    }
    None
}

/// Rows of one file as planned (`slice`: offset and length), money converted, in canonical order.
fn read_part(table: Table, file: &TableFile, plan: &FilePlan, slice: Option<(i64, IdxSize)>) -> Result<DataFrame> {
    let scan = match slice {
        Some((offset, length)) => plan.scan.clone().slice(offset, length),
        None => plan.scan.clone(),
    };
    let mut frame = scan.collect_with_engine(Engine::Streaming).map_err(|error| read_failure(table, file, error))?.unwrap_single();
    for spec in &plan.money_columns {
        let fen = money_to_fen(&frame, spec)?;
        frame = frame.drop(spec.name).context("dropping a converted money column")?;
        frame.with_column(fen).context("adding a money column in fen")?;
    }
    // Stacking needs the canonical column order.
    let order: Vec<String> = table.columns().iter().map(canonical_name).collect();
    frame.select(order).context("ordering columns")
}

/// Rows of one file, from its footer (no data is read).
pub fn file_rows(table: Table, file: &TableFile) -> Result<usize> {
    let counted = open_scan(table, file)?.select([len()]).collect().map_err(unreadable(table, file))?;
    let rows = counted.columns()[0].cast(&DataType::UInt64).context("counting rows")?;
    Ok(rows.u64().context("counting rows")?.get(0).unwrap_or(0) as usize)
}

/// A table left on disk: each file as a lazy scan of the canonical columns, in file order
/// (stacked, the same rows, values and order that [`read_table`] would hold in memory), and the
/// coercion notes. Only tables without money columns can be scanned this way: money is
/// converted to fen outside polars.
pub fn scan_files(table: Table, files: &[TableFile]) -> Result<(Vec<LazyFrame>, Vec<Sentence>)> {
    let order: Vec<Expr> = table.columns().iter().map(|spec| col(canonical_name(spec))).collect();
    let mut scans = Vec::new();
    let mut coercions = Vec::new();
    for file in files {
        let plan = plan_file(table, file)?;
        if let Some(spec) = plan.money_columns.first() {
            return Err(Error::invalid(format!(
                "table {}: cannot be read from disk stage by stage, its money column {} needs converting in memory",
                table.name(),
                spec.name
            )));
        }
        merge_notes(&mut coercions, &plan.notes);
        scans.push(plan.scan.select(order.clone()));
    }
    Ok((scans, coercions))
}

/// Text is trimmed, blanks become missing, and enum values are compared in lower case.
fn normalise_text(spec: &ColumnSpec, expr: Expr) -> Expr {
    if spec.logical != Logical::Text {
        return expr;
    }
    let trimmed = expr.str().strip_chars(lit(NULL));
    let trimmed = if spec.allowed.is_empty() { trimmed } else { trimmed.str().to_lowercase() };
    when(trimmed.clone().eq(lit(""))).then(lit(NULL).cast(DataType::String)).otherwise(trimmed)
}

/// A money value that is NaN or ±infinity, held in its `_fen` column until validation rejects
/// the row ("not a finite amount"): no other amount can be `i64::MIN`, and no kept row holds it.
pub(crate) const NOT_FINITE_FEN: i64 = i64::MIN;
/// A money value beyond [`money::MAX_FEN`] either way, held until validation rejects the row
/// ("amount out of range").
pub(crate) const OUT_OF_RANGE_FEN: i64 = i64::MIN + 1;

/// Converts a money column (decimal of any precision and scale, or double) to integer fen. A
/// value that is no amount (NaN, ±infinity, beyond what the run's `decimal(14,2)` can hold) is
/// marked ([`NOT_FINITE_FEN`], [`OUT_OF_RANGE_FEN`]) so that its row is rejected with what it
/// is, not read as a missing value.
fn money_to_fen(frame: &DataFrame, spec: &ColumnSpec) -> Result<Column> {
    let column = frame.column(spec.name).context("reading a money column")?;
    let name = c::fen(spec.name);
    let in_range = |fen: Option<i64>| match fen {
        Some(fen) if fen.abs() <= money::MAX_FEN => fen,
        _ => OUT_OF_RANGE_FEN,
    };
    let values: Vec<Option<i64>> = match column.dtype() {
        DataType::Decimal(_, scale) => {
            let scale = *scale;
            let decimals = column.decimal().context("reading decimals")?;
            decimals.physical().iter().map(|value| value.map(|unscaled| in_range(money::fen_from_unscaled(unscaled, scale)))).collect()
        }
        DataType::Null => vec![None; column.len()],
        _ => {
            let doubles = column.cast(&DataType::Float64).context("reading doubles")?;
            doubles
                .f64()
                .context("reading doubles")?
                .iter()
                .map(|value| value.map(|value| if value.is_finite() { in_range(money::fen_from_f64(value)) } else { NOT_FINITE_FEN }))
                .collect()
        }
    };
    Ok(Column::new(name.into(), values))
}
