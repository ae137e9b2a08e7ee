//! `traincredit whatif --data DIR --quarter Q --policy REFORM [--policy REFORM2] [--baseline DIR]
//! [--previous RUN] --out DIR`: what a change of the policy would do, before it is adopted.

use super::KeyArgs;
use clap::Args;
use std::path::PathBuf;
use traincredit::report::Lang;
use traincredit::whatif::{self, WhatifOptions};
use traincredit::Quarter;

#[derive(Debug, Args)]
pub struct WhatifArgs {
    /// The export folder.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The quarter to evaluate, e.g. 2026Q3.
    #[arg(long)]
    pub quarter: Quarter,
    /// A reform: a folder holding any of the policy files, each with only the keys it changes.
    /// Give it again to stack reforms; they apply in order.
    #[arg(long = "policy", value_name = "DIR", required = true)]
    pub reforms: Vec<PathBuf>,
    /// The baseline policy folder (default: the policy evaluate would use).
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,
    /// The previous quarter's run folder, as for evaluate.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    /// The folder to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The page's language: zh (Chinese, the default) or en.
    #[arg(long, default_value = "zh", value_parser = |text: &str| text.parse::<Lang>())]
    pub lang: Lang,
    /// Evaluate a quarter the export does not fully cover (uncovered indicators are null), as
    /// `evaluate --allow-incomplete`.
    #[arg(long)]
    pub allow_incomplete: bool,
    #[command(flatten)]
    pub key: KeyArgs,
    #[command(flatten)]
    pub ingest: super::IngestArgs,
}

pub fn run(args: WhatifArgs) -> anyhow::Result<()> {
    let key = args.key.resolve()?;
    let outcome = whatif::run(&WhatifOptions {
        data: &args.data,
        quarter: args.quarter,
        baseline: args.baseline.as_deref(),
        reforms: &args.reforms,
        previous: args.previous.as_deref(),
        out: &args.out,
        key: &key.pseudonymiser,
        ingest: args.ingest.options(),
        lang: args.lang,
        allow_incomplete: args.allow_incomplete,
    })?;
    let baseline = &outcome.scenarios[0];
    let reform = outcome.scenarios.last().expect("a baseline");
    let changed = baseline.rows.values().filter(|row| reform.rows.get(&row.institution_id).is_some_and(|r| r.tier != row.tier)).count();
    let (before, after): (i64, i64) = baseline
        .rows
        .values()
        .filter_map(|row| Some((row.money.next_quarter(), reform.rows.get(&row.institution_id)?.money.next_quarter())))
        .fold((0, 0), |(b, a), (x, y)| (b + x, a + y));
    println!("what-if written to {}", outcome.folder.display());
    println!("  {} reform step(s); {changed} of {} institutions change tier", outcome.scenarios.len() - 1, baseline.rows.len());
    println!(
        "  next quarter's subsidy: baseline {} yuan, reform {} yuan, change {} yuan",
        traincredit::money::yuan(before),
        traincredit::money::yuan(after),
        traincredit::money::yuan(after - before)
    );
    Ok(())
}
