//! `traincredit report --run DIR [--institution ID] [--lang en]`: renders a run folder's
//! `report.html`, `charts/` and `scorecards/` again from its tables alone. Another language is
//! written beside the Chinese files (`report.en.html`, `charts/*.en.svg`, `scorecards/*.en.html`),
//! never over them; the run folder is locked meanwhile, so no evaluate replaces it half-way.

use clap::Args;
use std::path::PathBuf;
use traincredit::report::{self, Lang};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run folder written by `evaluate`.
    #[arg(long, value_name = "DIR")]
    pub run: PathBuf,
    /// Render only this institution's scorecard (scorecards/ID.html).
    #[arg(long, value_name = "ID")]
    pub institution: Option<String>,
    /// The report's language: zh (Chinese, the default) or en.
    #[arg(long, default_value = "zh", value_parser = parse_lang)]
    pub lang: Lang,
}

fn parse_lang(text: &str) -> Result<Lang, String> {
    text.parse()
}

pub fn run(args: ReportArgs) -> anyhow::Result<()> {
    let open = traincredit::output::OpenRun::open(&args.run)?;
    let summary = match &args.institution {
        Some(institution) => report::render_scorecard(&args.run, args.lang, institution)?,
        None => report::render(&args.run, args.lang)?,
    };
    open.record_entries()?;
    if let Some(page) = &summary.report {
        println!("report written to {}", page.display());
        println!("  {} chart files in {}", summary.charts.len(), args.run.join("charts").display());
    }
    match summary.scorecards.as_slice() {
        [one] => println!("scorecard written to {}", one.display()),
        many => println!("  {} scorecards in {}", many.len(), args.run.join("scorecards").display()),
    }
    for warning in &summary.warnings {
        eprintln!("warning: {warning}");
    }
    Ok(())
}
