//! The library's one error type. Every message names what a person needs to fix the input: the
//! table, the column, the file, what was expected and what was found. The binary maps kinds to
//! exit codes; nothing in the library exits or panics on bad input.

use std::path::{Path, PathBuf};

/// A library error: what went wrong, with the names needed to find it.
#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    pub kind: ErrorKind,
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ErrorKind {
    #[error("export folder {} does not exist or is not a folder", dir.display())]
    NoExport { dir: PathBuf },

    /// Every required table the export lacks, in contract order (never only the first).
    #[error("{}", missing_tables(tables, dir))]
    MissingTable { tables: Vec<String>, dir: PathBuf },

    #[error("table {table}: folder {} holds no .parquet file{}", dir.display(), found_instead(found))]
    EmptyTableFolder { table: String, dir: PathBuf, found: Vec<String> },

    /// A table given more than once (`NAME.parquet`, a folder `NAME/`, a folder `NAME.parquet/`):
    /// reading one would silently ignore the others' rows. `given` describes each.
    #[error("table {table}: given {} times, as {}; keep one of them (reading one would ignore the others' rows)", given.len(), given.join(" and as "))]
    AmbiguousTable { table: String, given: Vec<String> },

    #[error("table {table}, column {column}: hive partition value '{value}' in the path of {} is not {expected}", file.display())]
    BadPartitionValue { table: String, column: String, file: PathBuf, value: String, expected: String },

    /// A column whose values cannot be read as the contract's type (a file that reads as Parquet).
    #[error("table {table}, column {column}: cannot read its values in {}, {place}: {detail}", file.display())]
    UnreadableColumn { table: String, column: String, file: PathBuf, place: String, detail: String },

    #[error("table {table}, column {column}: invalid UTF-8 text in {}, {place}; text columns must be UTF-8 (convert a GBK or GB18030 export first)", file.display())]
    InvalidText { table: String, column: String, file: PathBuf, place: String },

    /// `differing_in_case`: a column of the file whose name differs from `column` only in case.
    #[error("table {table}, column {column}: required column is missing in {} (expected {expected}){}", file.display(), differing_in_case.as_ref().map(|found| format!("; found {found}, which differs only in case: rename it")).unwrap_or_default())]
    MissingColumn { table: String, column: String, file: PathBuf, expected: String, differing_in_case: Option<String> },

    #[error("table {table}, column {column}: wrong type in {}: expected {expected}, found {found}", file.display())]
    WrongType { table: String, column: String, file: PathBuf, expected: String, found: String },

    #[error("table {table}: cannot read {} as Parquet (truncated, corrupt or not Parquet): {detail}", file.display())]
    Unreadable { table: String, file: PathBuf, detail: String },

    #[error("table {table}: has no rows in {}; there is nothing to evaluate", file.display())]
    EmptyRequiredTable { table: String, file: PathBuf },

    /// The export cannot answer for the quarter: no claims in it, or an indicator's window runs
    /// past the data (`features::completeness`).
    #[error("the export does not cover {quarter}: {}. Coverage: {}. To evaluate anyway, with the uncovered indicators null (left out of the score, never 0%), pass --allow-incomplete", problems.join("; "), coverage.join("; "))]
    IncompleteExport { quarter: String, problems: Vec<String>, coverage: Vec<String> },

    #[error("person ids mix raw ID numbers and 64-hex hashes ({raw} raw, {hashed} hashed, first raw in table {raw_table}, first hashed in table {hashed_table}); one export must use one form, or joins across tables would silently find nothing")]
    MixedPersonIdForms { raw: usize, hashed: usize, raw_table: String, hashed_table: String },

    #[error("policy in {}: {}", dir.display(), problems.join("; "))]
    Policy { dir: PathBuf, problems: Vec<String> },

    /// The output location was refused before any work: exit 2.
    #[error("output folder {}: {reason}", path.display())]
    OutputRefused { path: PathBuf, reason: String },

    /// A `--previous` run folder that cannot be trusted: exit 2.
    #[error("previous run {}: {reason}", path.display())]
    PreviousRun { path: PathBuf, reason: String },

    /// A case ledger (`cases.csv` as edited by investigators) that cannot be carried: exit 2.
    #[error("case ledger {}: {detail}", file.display())]
    CaseLedger { file: PathBuf, detail: String },

    #[error("{what}: {}: {source}", path.display())]
    Io { what: String, path: PathBuf, source: std::io::Error },

    #[error("{context}: {source}")]
    Polars { context: String, source: polars::error::PolarsError },

    #[error("{0}")]
    Invalid(String),
}

/// The message of [`ErrorKind::MissingTable`]: one table, or all of them at once.
fn missing_tables(tables: &[String], dir: &Path) -> String {
    match tables {
        [table] => format!(
            "table {table}: required table is missing: expected {table}.parquet or a folder {table}/ of Parquet files in {}",
            dir.display()
        ),
        _ => format!(
            "tables {}: required tables are missing: expected NAME.parquet or a folder NAME/ of Parquet files for each in {}",
            tables.join(", "),
            dir.display()
        ),
    }
}

/// What a table folder holds instead of Parquet files, for [`ErrorKind::EmptyTableFolder`].
fn found_instead(found: &[String]) -> String {
    if found.is_empty() {
        " (it is empty)".into()
    } else {
        format!(" (found: {})", found.join(", "))
    }
}

impl Error {
    pub fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    /// An I/O failure on `path` while doing `what`.
    pub fn io(what: impl Into<String>, path: &Path, source: std::io::Error) -> Error {
        Error::new(ErrorKind::Io { what: what.into(), path: path.to_path_buf(), source })
    }

    /// A failure inside polars while doing `context`.
    pub fn polars(context: impl Into<String>, source: polars::error::PolarsError) -> Error {
        Error::new(ErrorKind::Polars { context: context.into(), source })
    }

    /// Anything else, already phrased for a person.
    pub fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Invalid(message.into()))
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error::new(kind)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds a context to polars results: `frame.collect_streaming().context("scoring institutions")?`.
pub trait PolarsContext<T> {
    fn context(self, context: &str) -> Result<T>;
}

impl<T> PolarsContext<T> for polars::error::PolarsResult<T> {
    fn context(self, context: &str) -> Result<T> {
        self.map_err(|source| Error::polars(context, source))
    }
}
