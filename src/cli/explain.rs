//! `traincredit explain --run DIR --institution ID [--lang zh|en]`: why an institution got its
//! tier, in Chinese (the default) or English.

use clap::Args;
use std::path::PathBuf;
use traincredit::vocab::Lang;

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A run folder written by `evaluate`.
    #[arg(long, value_name = "DIR")]
    pub run: PathBuf,
    /// The institution to explain.
    #[arg(long, value_name = "ID")]
    pub institution: String,
    /// The language of the explanation: zh (Chinese, the default) or en.
    #[arg(long, value_name = "zh|en", default_value = "zh")]
    pub lang: Lang,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<()> {
    print!("{}", traincredit::report::explain::render(&args.run, &args.institution, args.lang)?);
    Ok(())
}
