//! `traincredit check --data DIR [--quarter Q]`: reads and validates an export without evaluating
//! it, and prints per table the files, rows read, rows rejected by reason and coercions applied,
//! the credit codes that could not be published as they are (data quality, not rejects) and the
//! export's coverage; with `--quarter`, whether it covers that quarter as `evaluate` needs. A
//! fatal problem (missing table or column, wrong type, unreadable file) ends with its message
//! and a non-zero exit.

use clap::Args;
use std::path::PathBuf;
use traincredit::features::completeness::Completeness;
use traincredit::ingest;
use traincredit::Quarter;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The export folder.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Also check that the export covers this quarter as `evaluate` would (the indicators
    /// without data, and a refusal with exit 3 where `evaluate` would refuse), before a long run.
    #[arg(long)]
    pub quarter: Option<Quarter>,
    /// The policy whose indicator windows `--quarter` is checked against.
    #[command(flatten)]
    pub policy: super::PolicyArgs,
    #[command(flatten)]
    pub ingest: super::IngestArgs,
}

pub fn run(args: CheckArgs) -> anyhow::Result<()> {
    let policy = match args.quarter {
        Some(_) => Some(args.policy.load_for(&args.data)?),
        None => None,
    };
    // Nothing hashed is printed, so any key serves; the demo key avoids asking for one.
    let key = super::demo_key();
    let export = ingest::ingest_with(&args.data, &key.pseudonymiser, args.ingest.options())?;
    print!("{}", render(&export)?);
    if let (Some(quarter), Some(policy)) = (args.quarter, policy) {
        let coverage = ingest::coverage::Coverage::of(&export)?;
        let completeness = Completeness::assess(&export, &coverage, &policy, quarter)?;
        println!("
{quarter}: {} claims submitted", completeness.claims_in_quarter);
        for gap in &completeness.gaps {
            println!("  {}", super::no_data_line(gap));
        }
        completeness.require_complete(quarter, &coverage)?;
        println!("  evaluate --quarter {quarter} would run");
    }
    Ok(())
}

/// The report `check` prints.
pub fn render(export: &ingest::Export) -> anyhow::Result<String> {
    use std::fmt::Write;
    let mut out = String::new();
    writeln!(out, "export {}", export.dir.display())?;
    let (mut read, mut used, mut rejected) = (0, 0, 0);
    for table in export.tables.values() {
        if !table.present() {
            writeln!(out, "\n{} (optional): absent", table.table.name())?;
            continue;
        }
        let files = &table.files;
        let shown: Vec<String> = files
            .iter()
            .take(3)
            .map(|f| f.path.strip_prefix(&export.dir).unwrap_or(&f.path).display().to_string())
            .collect();
        let more = if files.len() > 3 { format!(" and {} more", files.len() - 3) } else { String::new() };
        writeln!(out, "\n{}: {} file(s): {}{more}", table.table.name(), files.len(), shown.join(", "))?;
        writeln!(
            out,
            "  rows read {}, used {}, rejected {}",
            table.rows_read,
            table.rows_used(),
            table.rows_rejected()
        )?;
        for (reason, count) in traincredit::report::summary::reasons(&table.rejects, traincredit::vocab::Lang::default())? {
            writeln!(out, "    {count} × {reason}")?;
        }
        for coercion in &table.coercions {
            writeln!(out, "  coerced: {}", coercion.render(traincredit::vocab::Lang::default()))?;
        }
        read += table.rows_read;
        used += table.rows_used();
        rejected += table.rows_rejected();
    }
    let codes = ingest::credit_code::quality(export)?;
    let column = if codes.column_present { "" } else { " (institutions has no credit_code column)" };
    writeln!(out, "\ncredit codes: {} of {} institutions valid{column}", codes.institutions_valid, codes.institutions)?;
    // A nation's export without the column would list every institution: the first few show the kind.
    const SHOWN: usize = 10;
    for finding in codes.institution_findings.iter().take(SHOWN) {
        writeln!(out, "  {}: {}", finding.institution_id, finding.message)?;
    }
    if codes.institution_findings.len() > SHOWN {
        writeln!(out, "  and {} more (summary.json of a run lists them all)", codes.institution_findings.len() - SHOWN)?;
    }
    let employers = codes.employers;
    writeln!(
        out,
        "  employer ids: {} distinct, {} in a credit code's shape, {} of them with a wrong check character",
        employers.distinct, employers.in_code_shape, employers.invalid_check_character
    )?;
    writeln!(out, "\ncoverage:")?;
    for line in ingest::coverage::Coverage::of(export)?.lines() {
        writeln!(out, "  {line}")?;
    }
    for warning in &export.warnings {
        writeln!(out, "\nwarning: {}", warning.render(traincredit::vocab::Lang::default()))?;
    }
    writeln!(out, "\ntotal: rows read {read} = used {used} + rejected {rejected}")?;
    Ok(out)
}
