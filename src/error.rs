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
    #[error("table {table}: required table is missing: expected {table}.parquet or a folder {table}/ of Parquet files in {}", dir.display())]
    MissingTable { table: String, dir: PathBuf },

    #[error("table {table}: folder {} holds no .parquet file", dir.display())]
    EmptyTableFolder { table: String, dir: PathBuf },

    #[error("table {table}, column {column}: required column is missing in {} (expected {expected})", file.display())]
    MissingColumn { table: String, column: String, file: PathBuf, expected: String },

    #[error("table {table}, column {column}: wrong type in {}: expected {expected}, found {found}", file.display())]
    WrongType { table: String, column: String, file: PathBuf, expected: String, found: String },

    #[error("table {table}: cannot read {} as Parquet (truncated, corrupt or not Parquet): {detail}", file.display())]
    Unreadable { table: String, file: PathBuf, detail: String },

    #[error("table {table}: has no rows in {}; there is nothing to evaluate", file.display())]
    EmptyRequiredTable { table: String, file: PathBuf },

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
