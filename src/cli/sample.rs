//! `traincredit sample --out DIR`: a synthetic export with planted cases and `truth.json`.

use clap::Args;
use std::path::PathBuf;
use traincredit::sample::{self, SampleOptions};
use traincredit::Quarter;

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Folder to write the export into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Number of institutions.
    #[arg(long, default_value_t = SampleOptions::default().institutions)]
    pub institutions: usize,
    /// Random seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = SampleOptions::default().seed)]
    pub seed: u64,
    /// First quarter of data.
    #[arg(long, default_value_t = SampleOptions::default().from)]
    pub from: Quarter,
    /// Last quarter of data.
    #[arg(long, default_value_t = SampleOptions::default().to)]
    pub to: Quarter,
}

pub fn run(args: SampleArgs) -> anyhow::Result<()> {
    let options = SampleOptions { institutions: args.institutions, seed: args.seed, from: args.from, to: args.to };
    let summary = sample::generate(&options, &args.out)?;
    println!("sample export written to {} (synthetic; ID numbers are fake but checksum-valid)", args.out.display());
    for (table, rows) in &summary.tables {
        println!("  {table}: {rows} rows");
    }
    println!(
        "planted: {} breach lines, {} procedural findings, {} statistical schemes (see truth.json)",
        summary.planted_lines, summary.planted_findings, summary.schemes
    );
    Ok(())
}
