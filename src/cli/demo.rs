//! `traincredit demo`: the whole job on synthetic data. Reuses the committed sample (or
//! generates it), evaluates three consecutive quarters with the public demo key, chaining each
//! run to the previous one, and prints where the runs are and what the last one found (as
//! `evaluate` does, `cli::printout`).

use clap::Args;
use std::path::PathBuf;
use traincredit::pipeline::{self, EvaluateOptions};
use traincredit::sample::{self, SampleOptions};
use traincredit::vocab::messages::cli as m;
use traincredit::vocab::Lang;
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
    /// As `evaluate --allow-incomplete`, for every quarter of the demo.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// The language of the runs' texts, reports and of what is printed: zh or en.
    #[arg(long, default_value = "zh")]
    pub lang: Lang,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    if !args.data.join("institutions.parquet").exists() {
        args.policy.load()?;
        println!("{}", m::DEMO_GENERATING.render(args.lang, &[("path", &args.data.display().to_string())]));
        sample::generate(&SampleOptions::demo(), &args.data)?;
    }
    let policy = args.policy.load_for(&args.data)?;
    println!("{}", m::DEMO_START.render(args.lang, &[("path", &args.data.display().to_string())]));
    let key = super::demo_key();
    let mut previous: Option<PathBuf> = None;
    let mut last = None;
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
            ingest: Default::default(),
            allow_incomplete: args.allow_incomplete,
            lang: args.lang,
        })?;
        let rejected: usize = outcome.summary.rejects_per_table.values().sum();
        let (quarter, folder, rejected) = (quarter.to_string(), outcome.folder.display().to_string(), rejected.to_string());
        println!("{}", m::DEMO_QUARTER.render(args.lang, &[("quarter", &quarter), ("path", &folder), ("rejected", &rejected)]));
        previous = Some(outcome.folder.clone());
        last = Some(outcome);
    }
    if let Some(outcome) = last {
        println!();
        print!("{}", super::printout::run_done(&outcome, args.lang));
    }
    Ok(())
}
