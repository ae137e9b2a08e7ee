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
    /// Number of institutions (default 60, or as --scale sets it).
    #[arg(long, conflicts_with = "scale")]
    pub institutions: Option<usize>,
    /// A preset size: small (60 institutions), medium (600: ~180k enrollments, ~2.7M sign-ins) or
    /// province (3,300: ~1M enrollments, ~15M sign-ins, ~1.5M claim lines).
    #[arg(long, value_enum)]
    pub scale: Option<Scale>,
    /// Random seed: the same seed writes the same bytes.
    #[arg(long, default_value_t = SampleOptions::default().seed)]
    pub seed: u64,
    /// First quarter of data.
    #[arg(long, default_value_t = SampleOptions::default().from)]
    pub from: Quarter,
    /// Last quarter of data.
    #[arg(long, default_value_t = SampleOptions::default().to)]
    pub to: Quarter,
    /// Plant every statistical scheme at this intensity: the percent of a scheme institution's
    /// trainees, sign-ins, claims or exams involved (default: the strong catalogue schemes).
    #[arg(long, value_name = "PERCENT")]
    pub intensity: Option<u8>,
    /// Institutions the engine bans stop claiming: the generator evaluates the two quarters
    /// before the last (as `demo` chains them) and generates again with the banned institutions
    /// starting no class and filing no claim from their ban on, until the bans settle. The planted
    /// sanctions keep claiming (R10). Costs two evaluations per round; the committed sample uses it.
    #[arg(long)]
    pub stop_banned: bool,
}

/// Preset export sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    Small,
    Medium,
    Province,
}

impl Scale {
    fn institutions(self) -> usize {
        match self {
            Scale::Small => 60,
            Scale::Medium => 600,
            Scale::Province => 3_300,
        }
    }
}

pub fn run(args: SampleArgs) -> anyhow::Result<()> {
    let institutions = args.institutions.or(args.scale.map(Scale::institutions)).unwrap_or(SampleOptions::default().institutions);
    let options = SampleOptions { institutions, seed: args.seed, from: args.from, to: args.to, intensity_percent: args.intensity, stop_banned: args.stop_banned };
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
