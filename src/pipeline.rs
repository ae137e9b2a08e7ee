//! One evaluation run, end to end: ingest → rules → rating → report, written into a run folder
//! that appears only when everything succeeded. The `evaluate` and `demo` commands both call
//! [`evaluate`]; neither calls the other.

use crate::columns as c;
use crate::error::{PolarsContext, Result};
use crate::ingest::contract::Table;
use crate::money;
use crate::report::tables;
use crate::progress::Stage;
use crate::features::completeness::Completeness;
use crate::features::indicators::IndicatorTable;
use crate::rating;
use crate::signals::{self, SignalsInput};
use crate::rules::sanctions::Standing;
use crate::rules::{self, Findings};
use crate::query::CollectStreaming;
use polars::prelude::*;
use std::collections::HashMap;
use crate::ingest;
use crate::person::Pseudonymiser;
use crate::policy::Policy;
use crate::publication::{self, PublicationInput};
use crate::quarter::Quarter;
use crate::output::{self, OutputFolder};
use crate::report::{self, summary::Summary};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What a run needs.
pub struct EvaluateOptions<'a> {
    pub data: &'a Path,
    pub quarter: Quarter,
    pub out: &'a Path,
    pub policy: &'a Policy,
    pub key: &'a Pseudonymiser,
    /// Whether `key` is the public demo key (recorded in the summary).
    pub demo_key: bool,
    /// A previous run folder, for previous tiers and the ledger.
    pub previous: Option<&'a Path>,
    /// Which tables are held in memory.
    pub ingest: ingest::IngestOptions,
    /// Evaluate a quarter the export does not cover (no claims, or an indicator's window past
    /// the data), with the uncovered indicators null, instead of refusing.
    pub allow_incomplete: bool,
    /// The language of the tables' text columns and of `report.html` (Chinese by default).
    pub lang: crate::vocab::Lang,
}

/// What a run produced.
#[derive(Debug)]
pub struct RunOutcome {
    pub folder: PathBuf,
    pub summary: Summary,
    pub ratings: Vec<rating::Rating>,
}

/// Evaluates one quarter and writes its run folder.
pub fn evaluate(options: &EvaluateOptions) -> Result<RunOutcome> {
    let started = Instant::now();
    // Everything that can refuse the run is checked before the work: a half-hour evaluation must
    // not end on a typo in --previous or an --out that cannot be written.
    if let Some(previous) = options.previous {
        report::previous::check(previous, options.quarter, options.key)?;
    }
    let mut inputs = vec![output::Input { label: "export folder", path: options.data }];
    if let Some(previous) = options.previous {
        inputs.push(output::Input { label: "previous run", path: previous });
    }
    // The investigators' edits of the previous case ledger are checked before the work too.
    let previous_cases = options.previous.map(crate::cases::read_previous).transpose()?.unwrap_or_default();
    let case_standing = crate::cases::CaseStanding::of(&previous_cases);
    let folder = OutputFolder::prepare(options.out, output::Kind::Run, &inputs)?;
    tracing::debug!(data = %options.data.display(), quarter = %options.quarter, "evaluating");
    let stage = Stage::start("reading and validating the export");
    let export = ingest::ingest_with(options.data, options.key, options.ingest)?;
    stage.done(export.tables.values().map(|t| t.rows_read).sum());
    for warning in &export.warnings {
        tracing::warn!("{}", warning.render(options.lang));
    }
    let coverage = crate::progress::timed("coverage", || ingest::coverage::Coverage::of(&export))?;

    let Judgement { findings, indicators, leads, ratings } =
        judge(&export, options.policy, options.quarter, options.previous, &coverage, options.allow_incomplete, &case_standing)?;
    // The case ledger after this quarter's leads (the previous one's open cases and resolutions
    // were read before `judge`: they hold uplifts and label the risk model).
    let lead_list = crate::cases::leads_of(&leads.leads)?;
    let cases = crate::cases::carry(previous_cases, &lead_list, &crate::cases::money_of(&export, options.quarter)?, options.quarter, options.lang);
    let stage = Stage::start("writing the run folder");

    let mut rejects = report::texts::render(export.rejects()?, crate::columns::REASON, options.lang)?;
    report::write_parquet(&mut rejects, &folder.file("rejects.parquet"))?;
    let flags = tables::flags(&findings, &leads.signal_flags, options.policy, options.quarter)?;
    let mut flags = report::texts::render(flags, crate::rules::EVIDENCE, options.lang)?;
    report::write_parquet(&mut flags, &folder.file("flags.parquet"))?;
    let mut recoveries = tables::money_table(&findings.recoveries)?;
    report::write_parquet(&mut recoveries, &folder.file("recoveries.parquet"))?;
    let mut holds = tables::money_table(&findings.holds)?;
    report::write_parquet(&mut holds, &folder.file("holds.parquet"))?;
    // The leads' and signal values' texts in the run's language, from the codes beside them.
    let signal_values = report::texts::render(leads.signal_values.clone(), "peers", options.lang)?;
    let lead_table = crate::signals::render_leads(leads.leads.clone(), options.lang)?;
    for (mut table, name) in [
        (lead_table.clone(), "leads.parquet"),
        (report::texts::render(signal_values, "evidence", options.lang)?, "signal_values.parquet"),
        (leads.benford_digits.clone(), "benford_digits.parquet"),
        (leads.lead_evidence.rows.clone(), crate::signals::behind::LEAD_EVIDENCE_PARQUET),
        (leads.lead_evidence.money.clone(), crate::signals::behind::LEAD_MONEY_PARQUET),
    ] {
        report::write_parquet(&mut table, &folder.file(name))?;
    }
    crate::cases::write(&cases, folder.path())?;
    let recovered: Vec<crate::cases::Recovered> = findings
        .standing
        .decisions
        .iter()
        .flat_map(|(institution, decisions)| {
            decisions.iter().filter(|d| d.finding == "fraud_confirmed").filter_map(move |d| {
                Some(crate::cases::Recovered { institution_id: institution.clone(), decided_on: d.decided_on, amount_fen: d.amount_fen? })
            })
        })
        .collect();
    let yields = crate::cases::yields(&cases, &lead_list, &recovered, options.quarter);
    let mut yields = crate::cases::yield_frame(&yields, options.quarter)?;
    report::write_parquet(&mut yields, &folder.file(crate::cases::YIELD_PARQUET))?;
    let mut scores = rating::scores_table(&ratings, options.quarter, options.lang)?;
    report::write_parquet(&mut scores, &folder.file("institution_scores.parquet"))?;
    let mut drift = report::drift::drift_table(&scores, options.previous, options.quarter)?;
    report::write_parquet(&mut drift, &folder.file(report::drift::DRIFT_PARQUET))?;
    let budget = rating::budget::rows(&export, options.policy.budget.base_quarters, options.quarter, &scores, &findings)?;
    let mut budget = rating::budget::budget_frame(&rating::budget::budget_rows("current", &rating::budget::grouped(&budget)))?;
    report::write_parquet(&mut budget, &folder.file("budget.parquet"))?;
    let mut history = rating::history_table(&scores, options.previous, options.quarter)?;
    report::write_parquet(&mut history, &folder.file("history.parquet"))?;
    // The tables people act on, for spreadsheets (csv/, traincredit.xlsx): the tier table first.
    let spreadsheets = [("institution_scores", &scores), ("recoveries", &recoveries), ("holds", &holds), ("flags", &flags), ("leads", &lead_table)];
    report::export::write(folder.path(), options.quarter, &spreadsheets)?;
    let ledger = rating::updated_ledger(&findings.standing.ledger(), &ratings, options.quarter)?;
    let ledger = report::texts::render(ledger, crate::columns::REASON, options.lang)?;
    let publication = PublicationInput {
        export: &export,
        policy: options.policy,
        quarter: options.quarter,
        ratings: &ratings,
        findings: &findings,
        flags: &flags,
        previous: options.previous,
    };
    let (mut ledger, published) = publication::publish(&publication, ledger, folder.path())?;
    report::write_parquet(&mut ledger, &folder.file("sanctions.parquet"))?;
    let mut institutions_per_tier = BTreeMap::new();
    for rating in &ratings {
        *institutions_per_tier.entry(rating.tier.to_string()).or_insert(0usize) += 1;
    }

    let inputs = report::summary::input_tables(&export, options.lang)?;
    let rejects_per_table = inputs.iter().map(|t| (t.table.clone(), t.rows_rejected)).collect();
    let summary = Summary {
        quarter: options.quarter.to_string(),
        engine_version: env!("CARGO_PKG_VERSION").to_string(),
        run_format: report::summary::RUN_FORMAT,
        pseudonymisation_key: if options.demo_key { "demo".into() } else { "supplied".into() },
        key_fingerprint: options.key.fingerprint(),
        policy: options.policy.file_hashes.clone(),
        policy_hash: options.policy.hash.clone(),
        inputs,
        rejects_per_table,
        warnings: export.warnings.iter().map(|w| w.render(options.lang)).collect(),
        warning_codes: export.warnings.iter().map(|w| w.message.code.to_string()).collect(),
        coverage,
        indicators_without_data: indicators.without_data.clone(),
        institutions_per_tier,
        flags_per_rule: flags_per_rule(&flags)?,
        totals: totals(&export, &findings, options.quarter)?,
        notes: BTreeMap::from([
            ("policy_settings".to_string(), report::data::policy_settings(options.policy)),
            ("risk_model".to_string(), leads.model.clone()),
            ("credit_codes".to_string(), serde_json::json!(ingest::credit_code::quality(&export)?)),
            ("publication".to_string(), serde_json::json!(published)),
        ]),
        time_taken_seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
    };
    summary.write(&folder.file("summary.json"))?;
    stage.done(flags.height());
    let stage = Stage::start("drawing the report, charts and scorecards");
    // report.html is the Chinese report in every run (outputs.md); another language is written
    // beside it (report.en.html), never instead of it.
    let mut rendered = report::render(folder.path(), crate::vocab::Lang::Zh)?;
    if options.lang != crate::vocab::Lang::Zh {
        rendered = report::render(folder.path(), options.lang)?;
    }
    for warning in &rendered.warnings {
        tracing::warn!("{warning}");
    }
    stage.done(rendered.scorecards.len());
    let folder = folder.commit()?;
    Ok(RunOutcome { folder, summary, ratings })
}

/// What one policy makes of an export: every stage after reading that depends on the policy.
/// `evaluate` runs it once; `whatif` once per policy on the same export.
pub struct Judgement {
    pub findings: Findings,
    pub indicators: IndicatorTable,
    pub leads: signals::Leads,
    pub ratings: Vec<rating::Rating>,
}

/// Judges the quarter's claim lines, computes indicators and signals, and rates every
/// institution under `policy`, chained to `previous` (already checked) when given. A quarter the
/// export does not cover for this policy's indicator windows is refused unless
/// `allow_incomplete`; then the uncovered indicators are null, never zero.
pub fn judge(
    export: &ingest::Export,
    policy: &Policy,
    quarter: Quarter,
    previous: Option<&Path>,
    coverage: &ingest::coverage::Coverage,
    allow_incomplete: bool,
    cases: &crate::cases::CaseStanding,
) -> Result<Judgement> {
    let completeness = Completeness::assess(export, coverage, policy, quarter)?;
    if !allow_incomplete {
        completeness.require_complete(quarter, coverage)?;
    }
    let uplifts = match previous {
        Some(previous) => previous_uplifts(previous, quarter)?,
        None => HashMap::new(),
    };
    let mut standing = Standing::from_export(export)?;
    let mut previous_ratings = HashMap::new();
    if let Some(previous) = previous {
        standing.add_ledger(&previous.join("sanctions.parquet"))?;
        previous_ratings = rating::previous_ratings(previous)?;
    }
    let stage = Stage::start("judging claim lines (R01–R12) and procedures (P01–P04)");
    let findings = rules::evaluate_with_standing(export, policy, quarter, &uplifts, standing)?;
    stage.done(findings.lines_in_scope.height());
    let stage = Stage::start("computing indicators and risk signals");
    let indicators =
        crate::progress::timed("indicators", || IndicatorTable::compute_with_gaps(export, policy, quarter, &findings.lines_in_scope, &completeness.gaps))?;
    for gap in &indicators.without_data {
        tracing::warn!("{}: no data, left out of the score ({})", gap.indicator, gap.reason);
    }
    let leads = signals::detect(&SignalsInput {
        export,
        findings: &findings,
        indicators: &indicators,
        policy: policy,
        config: &policy.signals,
        quarter: quarter,
        case_labels: &cases.labels,
    })?;
    stage.done(leads.leads.height());
    let stage = Stage::start("rating institutions");
    let ratings = rating::rate(export, policy, quarter, &findings, &indicators, &findings.standing, &previous_ratings, &leads.risk, &cases.open)?;
    stage.done(ratings.len());
    Ok(Judgement { findings, indicators, leads, ratings })
}

/// Uplifts the previous run's tiers carried into `quarter`: institution → basis points.
pub fn previous_uplifts(previous: &Path, quarter: Quarter) -> Result<HashMap<String, i64>> {
    // report::previous::check has made sure the table is there.
    let path = previous.join("institution_scores.parquet");
    let frame = LazyFrame::scan_parquet(PlRefPath::from(path.to_string_lossy().as_ref()), Default::default())
        .and_then(|scan| {
            scan.filter(col("action").eq(lit("uplift")).and(col("quarter").eq(lit(quarter.offset(-1).to_string()))))
                .select([col(c::INSTITUTION_ID), col("subsidy_uplift_pct")])
                .collect()
        })
        .context(&format!("reading uplifts from {}", path.display()))?;
    let ids = frame.column(c::INSTITUTION_ID).context("uplifts")?.str().context("uplifts")?;
    let percents = frame.column("subsidy_uplift_pct").context("uplifts")?.f64().context("uplifts")?;
    Ok(ids
        .iter()
        .zip(percents.iter())
        .filter_map(|(id, percent)| Some((id?.to_string(), (percent? * 100.0).round() as i64)))
        .collect())
}

/// Non-overturned flags per rule.
fn flags_per_rule(flags: &DataFrame) -> Result<BTreeMap<String, usize>> {
    let counted = flags
        .clone()
        .lazy()
        .filter(col(rules::OVERTURNED).not())
        .group_by([col(c::RULE)])
        .agg([len().alias("count")])
        .collect_streaming()
        .context("counting flags per rule")?;
    let rules = counted.column(c::RULE).context("rules")?.str().context("rules")?;
    let counts = counted.column("count").context("counts")?.cast(&DataType::UInt64).context("counts")?;
    let counts = counts.u64().context("counts")?;
    Ok(rules.iter().zip(counts.iter()).filter_map(|(rule, count)| Some((rule?.to_string(), count? as usize))).collect())
}

/// Claimed (claims submitted in the quarter, any status), at risk (parts of lines of
/// non-rejected claims), to recover and to hold.
fn totals(export: &ingest::Export, findings: &Findings, quarter: Quarter) -> Result<report::summary::Totals> {
    let sum = |frame: LazyFrame, column: &str| -> Result<i64> {
        let total = frame.select([col(column).sum()]).collect_streaming().context("summing money")?;
        Ok(total.column(column).context("sum")?.i64().context("sum")?.get(0).unwrap_or(0))
    };
    let amount = c::fen(c::AMOUNT);
    let claimed = sum(
        export
            .frame(Table::Claims)
            .clone()
            .lazy()
            .filter(col(c::SUBMITTED_ON).gt_eq(lit(quarter.first_day())).and(col(c::SUBMITTED_ON).lt_eq(lit(quarter.last_day())))),
        &amount,
    )?;
    let at_risk = sum(findings.lines_in_scope.clone().lazy().filter(col(c::CLAIM_STATUS).neq(lit("rejected"))), rules::PART_FEN)?;
    Ok(report::summary::Totals {
        claimed: money::yuan(claimed),
        at_risk: money::yuan(at_risk),
        to_recover: money::yuan(sum(findings.recoveries.clone().lazy(), rules::AMOUNT_FEN)?),
        to_hold: money::yuan(sum(findings.holds.clone().lazy(), rules::AMOUNT_FEN)?),
    })
}
