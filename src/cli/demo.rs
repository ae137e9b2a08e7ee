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
    /// As `evaluate --allow-incomplete`, for every quarter of the demo.
    #[arg(long)]
    pub allow_incomplete: bool,
}

pub fn run(args: DemoArgs) -> anyhow::Result<()> {
    if !args.data.join("institutions.parquet").exists() {
        args.policy.load()?;
        println!("no export in {}: generating the sample there", args.data.display());
        sample::generate(&SampleOptions::default(), &args.data)?;
    }
    let policy = args.policy.load_for(&args.data)?;
    println!("demo: evaluating {} with the public demo key (synthetic data only)", args.data.display());
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
            lang: Default::default(),
        })?;
        let rejected: usize = outcome.summary.rejects_per_table.values().sum();
        println!("{quarter}: run written to {} ({rejected} input rows rejected)", outcome.folder.display());
        previous = Some(outcome.folder.clone());
        last = Some(outcome);
    }
    if let Some(outcome) = last {
        print!("{}", tier_table(&outcome));
    }
    Ok(())
}

/// Institutions per tier and the movements since the previous quarter.
fn tier_table(outcome: &pipeline::RunOutcome) -> String {
    use std::collections::BTreeMap;
    use std::fmt::Write;
    let mut out = String::new();
    let summary = &outcome.summary;
    writeln!(out, "\n{}: institutions per tier", summary.quarter).ok();
    for tier in ["A", "B", "C", "D", "X", "N"] {
        let count = summary.institutions_per_tier.get(tier).copied().unwrap_or(0);
        writeln!(out, "  {tier}  {count:>4}").ok();
    }
    let mut movements: BTreeMap<(String, String), usize> = BTreeMap::new();
    for rating in &outcome.ratings {
        let from = rating.previous_tier.map(|t| t.to_string()).unwrap_or_else(|| "new".into());
        let to = rating.tier.to_string();
        if from != to {
            *movements.entry((from, to)).or_insert(0) += 1;
        }
    }
    writeln!(out, "movements since the previous quarter:").ok();
    if movements.is_empty() {
        writeln!(out, "  none").ok();
    }
    for ((from, to), count) in movements {
        writeln!(out, "  {from} → {to}  {count:>4}").ok();
    }
    let totals = &summary.totals;
    writeln!(
        out,
        "claimed {} yuan; at stake {}; to recover {}; to hold {}",
        totals.claimed, totals.at_risk, totals.to_recover, totals.to_hold
    )
    .ok();
    writeln!(out, "report: {}", outcome.folder.join("report.html").display()).ok();
    writeln!(out, "explain one institution: traincredit explain --run {} --institution ID", outcome.folder.display()).ok();
    out
}
