//! `traincredit lookup --data DIR --pseudonym HEX [--reveal]`: the export rows behind a pseudonym,
//! for an investigator holding the bureau's key. The search is in `traincredit::lookup`.

use super::KeyArgs;
use clap::Args;
use std::path::PathBuf;
use traincredit::lookup::{self, Pseudonym};

#[derive(Debug, Args)]
pub struct LookupArgs {
    /// The export folder.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The pseudonym to resolve: 64 hex characters, as the run's tables show it.
    #[arg(long, value_name = "HEX")]
    pub pseudonym: Pseudonym,
    /// Print the raw personal values instead of masking them.
    #[arg(long)]
    pub reveal: bool,
    #[command(flatten)]
    pub key: KeyArgs,
}

pub fn run(args: LookupArgs) -> anyhow::Result<()> {
    let key = args.key.resolve()?;
    let found = lookup::find(&args.data, &args.pseudonym, &key.pseudonymiser)?;
    print!("{}", lookup::render(&found, &args.pseudonym, args.reveal));
    Ok(())
}
