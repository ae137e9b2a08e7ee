//! `traincredit explain --run DIR --institution ID`: why an institution got its tier.

use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A run folder written by `evaluate`.
    #[arg(long, value_name = "DIR")]
    pub run: PathBuf,
    /// The institution to explain.
    #[arg(long, value_name = "ID")]
    pub institution: String,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<()> {
    print!("{}", traincredit::report::explain::render(&args.run, &args.institution)?);
    Ok(())
}
