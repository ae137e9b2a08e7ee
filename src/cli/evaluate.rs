//! `traincredit evaluate --data DIR --quarter 2026Q3 --out DIR`: one quarter's evaluation run.

use super::{KeyArgs, PolicyArgs};
use clap::Args;
use std::path::PathBuf;
use traincredit::pipeline::{self, EvaluateOptions};
use traincredit::Quarter;

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The export folder.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The quarter to evaluate, e.g. 2026Q3.
    #[arg(long)]
    pub quarter: Quarter,
    /// The run folder to write (default reports/QUARTER).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The previous quarter's run folder: previous tiers and the sanctions ledger.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub policy: PolicyArgs,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub ingest: super::IngestArgs,
    /// Evaluate even when the quarter has no claims or an indicator's window runs past the
    /// export's data: those indicators are then null (left out of the score), never 0%.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// The language of the tables' texts (evidence, reasons), of report.html and of what is
    /// printed: zh or en.
    #[arg(long, default_value = "zh")]
    pub lang: traincredit::vocab::Lang,
}

pub fn run(args: EvaluateArgs) -> anyhow::Result<()> {
    let policy = args.policy.load_for(&args.data)?;
    let key = args.key.resolve()?;
    let out = args.out.unwrap_or_else(|| super::default_run_folder(&args.quarter));
    let outcome = pipeline::evaluate(&EvaluateOptions {
        data: &args.data,
        quarter: args.quarter,
        out: &out,
        policy: &policy,
        key: &key.pseudonymiser,
        demo_key: key.is_demo,
        previous: args.previous.as_deref(),
        ingest: args.ingest.options(),
        allow_incomplete: args.allow_incomplete,
        lang: args.lang,
    })?;
    print!("{}", super::printout::coverage(&outcome.summary, args.lang));
    let folder = outcome.folder.display().to_string();
    println!("{}", traincredit::vocab::messages::cli::RUN_WRITTEN.render(args.lang, &[("path", &folder)]));
    print!("{}", super::printout::run_done(&outcome, args.lang));
    Ok(())
}
