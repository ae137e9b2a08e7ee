//! The commands, one module each with the same shape (`run(args) -> anyhow::Result<()>`), and
//! the options they share (export folder, policy folder, pseudonymisation key). Commands never
//! call each other; what two need is in the library.

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use traincredit::person::Pseudonymiser;
use traincredit::ErrorKind;

mod check;
mod demo;
mod evaluate;
mod explain;
mod lookup;
mod printout;
mod report;
mod sample;
mod whatif;

/// Rates subsidised vocational-training institutions and hunts subsidy fraud.
#[derive(Debug, Parser)]
#[command(name = "traincredit", version, about)]
pub struct Arguments {
    /// Log output on stderr (default: warnings; -v: stage times and debug, -vv: trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Worker threads for the query engine (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate an export without evaluating it: files, rows read, rejects by reason, coercions.
    Check(check::CheckArgs),
    /// Evaluate one quarter of an export and write a run folder.
    Evaluate(evaluate::EvaluateArgs),
    /// Explain one institution's indicators, deductions and tier from a run folder.
    Explain(explain::ExplainArgs),
    /// Generate a synthetic export with planted cases and a truth file.
    Sample(sample::SampleArgs),
    /// Generate (or reuse) the sample and evaluate three consecutive quarters.
    Demo(demo::DemoArgs),
    /// Render a run folder's report.html, charts and scorecards again from its tables.
    Report(report::ReportArgs),
    /// What a change of the policy would do to tiers, bans, money and trainees (stackable).
    Whatif(whatif::WhatifArgs),
    /// Print the export rows in which a pseudonym occurs (needs the bureau's key).
    Lookup(lookup::LookupArgs),
}

pub fn run(arguments: Arguments) -> anyhow::Result<()> {
    match arguments.command {
        Command::Check(args) => check::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Demo(args) => demo::run(args),
        Command::Report(args) => report::run(args),
        Command::Whatif(args) => whatif::run(args),
        Command::Lookup(args) => lookup::run(args),
    }
}

/// Logs go to stderr, so stdout stays for results. Without `-v` only warnings and errors: what a
/// run did is printed on stdout in the run's language; the stages' rows and seconds are for
/// whoever asks (`-v`), and progress bars show on a terminal whatever the level.
pub fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRAINCREDIT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("traincredit={default}")));
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .init();
}

/// Exit codes: 1 anything else, 2 a refused command line (bad arguments, an output location that
/// would lose the user's files, a previous run that cannot be chained, a bad edit in its case
/// ledger), 3 a bad export, 4 a bad
/// policy.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    match error.downcast_ref::<traincredit::Error>().map(|error| &error.kind) {
        Some(
            ErrorKind::NoExport { .. }
            | ErrorKind::MissingTable { .. }
            | ErrorKind::EmptyTableFolder { .. }
            | ErrorKind::AmbiguousTable { .. }
            | ErrorKind::BadPartitionValue { .. }
            | ErrorKind::InvalidText { .. }
            | ErrorKind::UnreadableColumn { .. }
            | ErrorKind::IncompleteExport { .. }
            | ErrorKind::MissingColumn { .. }
            | ErrorKind::WrongType { .. }
            | ErrorKind::Unreadable { .. }
            | ErrorKind::EmptyRequiredTable { .. }
            | ErrorKind::MixedPersonIdForms { .. },
        ) => 3,
        Some(ErrorKind::Policy { .. }) => 4,
        Some(ErrorKind::OutputRefused { .. } | ErrorKind::PreviousRun { .. } | ErrorKind::CaseLedger { .. }) => 2,
        _ => 1,
    }
}

/// Where the pseudonymisation key comes from.
#[derive(Debug, Clone, Args)]
pub struct KeyArgs {
    /// File holding the pseudonymisation key (else the TRAINCREDIT_KEY environment variable).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Use the public demo key: for synthetic data only, never for a real export.
    #[arg(long)]
    pub demo_key: bool,
}

/// The key and whether it is the public demo key.
pub struct Key {
    pub pseudonymiser: Pseudonymiser,
    pub is_demo: bool,
}

impl KeyArgs {
    pub fn resolve(&self) -> anyhow::Result<Key> {
        if self.demo_key {
            tracing::warn!("using the public demo key: pseudonyms are not secret (synthetic data only)");
            return Ok(demo_key());
        }
        if let Some(path) = &self.key_file {
            let text = std::fs::read(path).with_context(|| format!("reading the key file {}", path.display()))?;
            let key = trim_ascii(&text);
            if key.len() < 16 {
                bail!("the key in {} is shorter than 16 bytes; use a long random key", path.display());
            }
            return Ok(Key { pseudonymiser: Pseudonymiser::new(key), is_demo: false });
        }
        match std::env::var("TRAINCREDIT_KEY") {
            Ok(key) if key.trim().len() >= 16 => Ok(Key { pseudonymiser: Pseudonymiser::new(key.trim().as_bytes()), is_demo: false }),
            Ok(_) => bail!("TRAINCREDIT_KEY is shorter than 16 characters; use a long random key"),
            Err(_) => bail!(
                "no pseudonymisation key: set TRAINCREDIT_KEY or pass --key-file FILE (or --demo-key for synthetic data only)"
            ),
        }
    }
}

pub fn demo_key() -> Key {
    Key { pseudonymiser: Pseudonymiser::new(Pseudonymiser::DEMO_KEY.as_bytes()), is_demo: true }
}

fn trim_ascii(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |i| i + 1);
    &bytes[start..end]
}

/// How the export is held, shared by the commands that read one.
#[derive(Debug, Clone, Args)]
pub struct IngestArgs {
    /// Sign-in tables with more rows than this are not held in memory: every stage that needs
    /// the sign-ins reads them again from disk (slower, but a nation's export fits).
    #[arg(long, value_name = "ROWS", default_value_t = traincredit::ingest::IngestOptions::default().stream_rows_above)]
    pub stream_above: usize,
}

impl IngestArgs {
    pub fn options(&self) -> traincredit::ingest::IngestOptions {
        traincredit::ingest::IngestOptions { stream_rows_above: self.stream_above, ..Default::default() }
    }
}

/// The policy folder option shared by the commands that evaluate.
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// Folder of policy files (policy.toml, rules.toml, indicators.toml, tiers.toml); default
    /// ./pipelines when present, else the defaults built into this binary.
    #[arg(long, value_name = "DIR")]
    pub policy: Option<PathBuf>,
}

impl PolicyArgs {
    pub fn load(&self) -> anyhow::Result<traincredit::policy::Policy> {
        Ok(traincredit::policy::Policy::resolve(self.policy.as_deref())?)
    }

    /// The policy, checked against the districts of the export in `data` as well (every
    /// problem listed at once, before the export is read).
    pub fn load_for(&self, data: &Path) -> anyhow::Result<traincredit::policy::Policy> {
        match traincredit::ingest::districts(data) {
            Ok(districts) => Ok(traincredit::policy::Policy::resolve_for(self.policy.as_deref(), &districts)?),
            // The export's own problem is said by ingest; a bad policy is said first.
            Err(error) => {
                self.load()?;
                Err(error.into())
            }
        }
    }
}

/// How `evaluate` and `check` say that an indicator has no data.
pub fn no_data_line(gap: &traincredit::features::completeness::IndicatorGap) -> String {
    format!("no data: {} ({}): null, left out of the score", gap.indicator, gap.reason)
}

/// The folder a run goes to when `--out` is not given.
pub fn default_run_folder(quarter: &traincredit::Quarter) -> PathBuf {
    Path::new("reports").join(quarter.to_string())
}
