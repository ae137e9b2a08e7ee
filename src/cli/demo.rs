//! `traincredit demo`: the whole job on synthetic data. Reuses the committed sample (or
//! generates it), evaluates three consecutive quarters with the public demo key, chaining each
//! run to the previous one, and prints where the runs are.

use clap::Args;
use std::path::PathBuf;
use traincredit::pipeline::{self, EvaluateOptions};
use traincredit::sample::{self, SampleOptions};
use traincredit::Quarter;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The export to evaluate; generated there first when it holds no export.
    #[arg(long, value_name = "DIR", default_value = "data-samples/jinan")]
    pub data: PathBuf,
    /// Where the run folders go.
    #[arg(long, value_name = "DIR", default_value = "reports/demo")]
    pub out: PathBuf,
    /// The last quarter evaluated; the two before it are evaluated first.
    #[arg(long, default_value = "2026Q3")]
    pub quarter: Quarter,
    #[command(flatten)]
    pub policy: super::PolicyArgs,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    let policy = args.policy.load()?;
    if !args.data.join("institutions.parquet").exists() {
        println!("no export in {}: generating the sample there", args.data.display());
        sample::generate(&SampleOptions::default(), &args.data)?;
    }
    println!("demo: evaluating {} with the public demo key (synthetic data only)", args.data.display());
    let key = super::demo_key();
    let mut previous: Option<PathBuf> = None;
    for offset in [-2, -1, 0] {
        let quarter = args.quarter.offset(offset);
        let out = args.out.join(quarter.to_string());
        let outcome = pipeline::evaluate(&EvaluateOptions {
            data: &args.data,
            quarter,
            out: &out,
            policy: &policy,
            key: &key.pseudonymiser,
            demo_key: true,
            previous: previous.as_deref(),
        })?;
        let rejected: usize = outcome.summary.rejects_per_table.values().sum();
        println!("{quarter}: run written to {} ({rejected} input rows rejected)", outcome.folder.display());
        previous = Some(outcome.folder);
    }
    Ok(())
}
