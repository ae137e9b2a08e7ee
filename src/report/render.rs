//! `render`: a run folder's `report.html`, `charts/` and `scorecards/`, from its tables alone.
//!
//! The pipeline calls it on the staging folder once the tables are written; `traincredit report`
//! calls it again on a finished folder. Nothing here reads the export or the policy files: every
//! figure comes from the Parquet files and `summary.json` beside the report (see [`RunData`]).

use crate::error::{Error, Result};
use crate::report::charts::{self, BenfordPanel};
use crate::report::data::{median, tier_index, RunData};
use crate::vocab::Tier;
use crate::report::text::{self, Lang};
use crate::report::{html, scorecards};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What a render wrote.
#[derive(Debug, Clone, Default)]
pub struct RenderSummary {
    /// `report.html` (none when only one scorecard was asked for).
    pub report: Option<PathBuf>,
    /// The chart files, SVG and PNG.
    pub charts: Vec<PathBuf>,
    pub scorecards: Vec<PathBuf>,
    /// The lead dossiers (`dossiers/`).
    pub dossiers: Vec<PathBuf>,
    /// Figures of `summary.json` that the tables do not reproduce (also shown in the report).
    pub warnings: Vec<String>,
}

/// The chart files `render` may write (stems under `charts/`).
pub const CHART_STEMS: [&str; 7] =
    ["tiers_by_district", "score_distribution", "pass_vs_employment", "benford_top_leads", "money_by_rule", "trend", "tier_migration"];

/// How many leads the Benford chart shows.
pub const BENFORD_LEADS: usize = 4;

/// One chart as written: its stem, title and SVG text.
#[derive(Debug, Clone)]
pub struct ChartOut {
    pub stem: &'static str,
    pub title: String,
    pub svg: String,
    /// One line under the chart: where its numbers come from.
    pub source: String,
}

/// The charts of one render, by stem.
#[derive(Debug, Clone, Default)]
pub struct ChartSet {
    pub charts: BTreeMap<&'static str, ChartOut>,
}

impl ChartSet {
    pub fn get(&self, stem: &str) -> Option<&ChartOut> {
        self.charts.get(stem)
    }
}

/// The figure checks shown in the report: a `summary.json` figure against the same figure
/// computed from the tables.
#[derive(Debug, Clone)]
pub struct Check {
    pub key: &'static str,
    pub label: String,
    pub summary: Option<String>,
    pub tables: String,
    pub ok: bool,
}

/// Renders `report.html`, `charts/*` and every scorecard into the run folder `run`.
pub fn render(run: &Path, lang: Lang) -> Result<RenderSummary> {
    let data = RunData::read(run)?;
    let mut summary = RenderSummary::default();
    let checks = checks(&data, lang);
    summary.warnings = checks
        .iter()
        .filter(|c| !c.ok)
        .map(|c| format!("{}: summary.json {} ≠ tables {}", c.label, c.summary.clone().unwrap_or_default(), c.tables))
        .collect();

    let chart_dir = run.join("charts");
    std::fs::create_dir_all(&chart_dir).map_err(|e| Error::io("creating the charts folder", &chart_dir, e))?;
    for stem in CHART_STEMS {
        for extension in ["svg", "png"] {
            let stale = chart_dir.join(format!("{stem}{}.{extension}", lang.file_suffix()));
            if stale.exists() {
                std::fs::remove_file(&stale).map_err(|e| Error::io("removing an old chart", &stale, e))?;
            }
        }
    }
    let charts = draw_charts(&data, lang, &chart_dir)?;
    for stem in charts.charts.keys() {
        summary.charts.push(chart_dir.join(format!("{stem}{}.svg", lang.file_suffix())));
        summary.charts.push(chart_dir.join(format!("{stem}{}.png", lang.file_suffix())));
    }

    let page = html::report(&data, lang, &charts, &checks);
    let report = run.join(format!("report{}.html", lang.file_suffix()));
    std::fs::write(&report, page).map_err(|e| Error::io("writing the report", &report, e))?;
    summary.report = Some(report);

    summary.scorecards = scorecards::write_all(&data, lang, None)?;
    summary.dossiers = super::dossiers::write_all(run, lang)?;
    Ok(summary)
}

/// Renders only the scorecard of `institution` (`traincredit report --institution`).
pub fn render_scorecard(run: &Path, lang: Lang, institution: &str) -> Result<RenderSummary> {
    let data = RunData::read(run)?;
    if data.institution(institution).is_none() {
        return Err(Error::invalid(format!("institution {institution} is not in {}", run.join("institution_scores.parquet").display())));
    }
    let scorecards = scorecards::write_all(&data, lang, Some(institution))?;
    Ok(RenderSummary { scorecards, ..RenderSummary::default() })
}

/// Money at stake per claim line from the breach flags: each line's largest part (a line's part
/// at stake is the largest of its rules' parts), summed. `summary.json`'s `at_risk` is this sum.
pub fn at_stake_from_flags(data: &RunData) -> i64 {
    let mut per_line: BTreeMap<&str, i64> = BTreeMap::new();
    for flag in data.flags.iter().filter(|f| f.kind == "breach" && !f.overturned) {
        let entry = per_line.entry(flag.entity_id.as_str()).or_insert(0);
        *entry = (*entry).max(flag.amount_fen);
    }
    per_line.values().sum()
}

/// The checks of `summary.json` against the tables.
pub fn checks(data: &RunData, lang: Lang) -> Vec<Check> {
    let mut checks = Vec::new();
    if data.summary.is_null() {
        return checks;
    }
    let money_check = |key: &'static str, label: String, total: &str, tables: i64| {
        let summary = data.summary_total_fen(total);
        Check { key, label, summary: summary.map(text::yuan), tables: text::yuan(tables), ok: summary.is_none_or(|s| s == tables) }
    };
    checks.push(money_check(
        "to_recover",
        lang.t("应追回金额 = recoveries.parquet 合计", "to recover = sum of recoveries.parquet").into(),
        "to_recover",
        data.recoveries_fen(),
    ));
    checks.push(money_check(
        "to_hold",
        lang.t("应暂缓拨付金额 = holds.parquet 合计", "to hold = sum of holds.parquet").into(),
        "to_hold",
        data.holds_fen(),
    ));
    checks.push(money_check(
        "at_risk",
        lang.t("涉险金额 = flags.parquet 各明细最大涉险部分之和", "at stake = sum over claim lines of the largest part in flags.parquet")
            .into(),
        "at_risk",
        at_stake_from_flags(data),
    ));
    let counts = data.tier_counts();
    let recorded = &data.summary["institutions_per_tier"];
    let mut same = true;
    let mut summary_text = Vec::new();
    let mut table_text = Vec::new();
    for tier in Tier::ALL {
        let in_summary = recorded[tier.as_str()].as_u64().unwrap_or(0) as usize;
        let in_table = counts.get(tier.as_str()).copied().unwrap_or(0);
        same &= in_summary == in_table;
        summary_text.push(format!("{tier} {in_summary}"));
        table_text.push(format!("{tier} {in_table}"));
    }
    checks.push(Check {
        key: "tiers",
        label: lang
            .t("各等级机构数 = institution_scores.parquet 计数", "institutions per tier = counts in institution_scores.parquet")
            .into(),
        summary: Some(summary_text.join(", ")),
        tables: table_text.join(", "),
        ok: same,
    });
    if let Some(inputs) = data.summary["inputs"].as_array() {
        let rejected: u64 = inputs.iter().map(|t| t["rows_rejected"].as_u64().unwrap_or(0)).sum();
        checks.push(Check {
            key: "rejects",
            label: lang.t("拒收行数 = rejects.parquet 行数", "rows rejected = rows of rejects.parquet").into(),
            summary: Some(rejected.to_string()),
            tables: data.rejects.len().to_string(),
            ok: rejected as usize == data.rejects.len(),
        });
    }
    checks
}

fn cutoffs(data: &RunData) -> (f64, f64, f64) {
    (data.settings.cutoff_c, data.settings.cutoff_b, data.settings.cutoff_a)
}

/// Tier counts per quarter and median score per quarter, over history plus this run.
pub struct QuarterSeries {
    pub quarters: Vec<String>,
    pub counts: Vec<[usize; 6]>,
    pub medians: Vec<Option<f64>>,
}

/// History's quarters with this run's quarter (from `institution_scores` when history lacks it).
pub fn quarter_series(data: &RunData) -> QuarterSeries {
    let mut by_quarter: BTreeMap<String, Vec<(String, Option<f64>)>> = BTreeMap::new();
    for row in data.history.iter().flatten() {
        by_quarter.entry(row.quarter.clone()).or_default().push((row.tier.clone(), row.score));
    }
    if !by_quarter.contains_key(&data.quarter) && !data.quarter.is_empty() {
        by_quarter.insert(data.quarter.clone(), data.institutions.iter().map(|i| (i.tier.to_string(), i.score)).collect());
    }
    let mut series = QuarterSeries { quarters: Vec::new(), counts: Vec::new(), medians: Vec::new() };
    for (quarter, rows) in by_quarter {
        let mut counts = [0usize; 6];
        for (tier, _) in &rows {
            if let Some(index) = tier_index(tier) {
                counts[index] += 1;
            }
        }
        series.medians.push(median(rows.iter().filter_map(|r| r.1).collect()));
        series.quarters.push(quarter);
        series.counts.push(counts);
    }
    series
}

/// The tier migration from the latest earlier quarter of history to this run: (from quarter,
/// matrix[from][to], institutions in only one of the two).
pub fn migration(data: &RunData) -> Option<(String, [[usize; 6]; 6], usize)> {
    let history = data.history.as_ref()?;
    let from = data.history_quarters().into_iter().filter(|q| q.as_str() < data.quarter.as_str()).max()?;
    let before: BTreeMap<&str, &str> =
        history.iter().filter(|h| h.quarter == from).map(|h| (h.institution_id.as_str(), h.tier.as_str())).collect();
    let mut matrix = [[0usize; 6]; 6];
    let mut unmatched = 0;
    let mut seen = BTreeSet::new();
    for institution in &data.institutions {
        seen.insert(institution.id.as_str());
        let to = tier_index(institution.tier.as_str());
        let from_tier = before.get(institution.id.as_str()).and_then(|tier| tier_index(tier));
        match (from_tier, to) {
            (Some(f), Some(t)) => matrix[f][t] += 1,
            _ => unmatched += 1,
        }
    }
    unmatched += before.keys().filter(|id| !seen.contains(*id)).count();
    Some((from, matrix, unmatched))
}

/// The Benford panels of the top leads that have first-digit data.
pub fn benford_panels(data: &RunData) -> Vec<BenfordPanel> {
    let (Some(leads), Some(digits)) = (&data.leads, &data.benford) else { return Vec::new() };
    let mut panels = Vec::new();
    for lead in leads {
        if panels.len() == BENFORD_LEADS {
            break;
        }
        let mut observed = [0i64; 9];
        let mut expected: [f64; 9] = std::array::from_fn(|d| (1.0 + 1.0 / (d as f64 + 1.0)).log10());
        let mut any = false;
        for row in digits.iter().filter(|d| d.institution_id == lead.institution_id && (1..=9).contains(&d.digit)) {
            observed[(row.digit - 1) as usize] += row.observed;
            expected[(row.digit - 1) as usize] = row.expected_share;
            any = true;
        }
        if !any || observed.iter().sum::<i64>() == 0 {
            continue;
        }
        let name = data.institution(&lead.institution_id).map(|i| i.name.clone()).unwrap_or_default();
        let mut label = format!("#{} {} {}", lead.rank, lead.institution_id, name).trim().to_string();
        if label.chars().count() > 30 {
            label = label.chars().take(29).collect::<String>() + "…";
        }
        panels.push(BenfordPanel { label, observed, expected });
    }
    panels
}

/// Districts in name order with their counts per tier.
pub fn tiers_by_district(data: &RunData) -> (Vec<String>, Vec<[usize; 6]>) {
    let mut by_district: BTreeMap<String, [usize; 6]> = BTreeMap::new();
    for institution in &data.institutions {
        let counts = by_district.entry(institution.district.clone()).or_default();
        if let Some(index) = tier_index(institution.tier.as_str()) {
            counts[index] += 1;
        }
    }
    by_district.into_iter().unzip()
}

/// Money at stake per rule, largest first: (rule, fen, flags).
pub fn money_by_rule(data: &RunData) -> Vec<(String, i64, usize)> {
    let mut rows: Vec<(String, i64, usize)> =
        data.at_stake_by_rule().into_iter().filter(|(_, (fen, _))| *fen > 0).map(|(rule, (fen, n))| (rule, fen, n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

fn draw_charts(data: &RunData, lang: Lang, dir: &Path) -> Result<ChartSet> {
    let mut set = ChartSet::default();
    let quarter = &data.quarter;
    // Each language's charts are files of their own (`trend.svg`, `trend.en.svg`).
    let file = |stem: &str| format!("{stem}{}", lang.file_suffix());
    let mut add = |stem: &'static str, title: String, svg: String, source: String| {
        set.charts.insert(stem, ChartOut { stem, title, svg, source });
    };

    let (districts, counts) = tiers_by_district(data);
    let title = format!("{} {quarter}", lang.t("各区县机构信用等级分布", "Credit tiers per district,"));
    let plot = charts::TiersByDistrict { lang, title: title.clone(), districts, counts };
    add("tiers_by_district", title, charts::write(&plot, dir, &file("tiers_by_district"))?, "institution_scores.parquet: district, tier".into());

    let scores: Vec<f64> = data.institutions.iter().filter_map(|i| i.score).collect();
    let unrated = data.institutions.len() - scores.len();
    let title = match lang {
        Lang::Zh => format!("得分分布与等级分数线（{} 家有得分，{} 家无得分）", scores.len(), unrated),
        Lang::En => format!("Scores and tier cut-offs ({} scored, {} without a score)", scores.len(), unrated),
    };
    let plot = charts::ScoreDistribution { lang, title: title.clone(), scores, cutoffs: cutoffs(data) };
    add("score_distribution", title, charts::write(&plot, dir, &file("score_distribution"))?, "institution_scores.parquet: score".into());

    let points: Vec<(f64, f64, String)> =
        data.institutions.iter().filter_map(|i| Some((i.values[1]?, i.values[2]?, i.tier.to_string()))).collect();
    let title = match lang {
        Lang::Zh => format!("取证率与就业率（每点一家机构，按等级着色；{} 家两项均有数据）", points.len()),
        Lang::En => format!("Pass rate against employment rate ({} institutions with both)", points.len()),
    };
    let floors = (data.settings.indicators[1].1, data.settings.indicators[2].1);
    let plot = charts::PassVsEmployment { lang, title: title.clone(), points, floors };
    add(
        "pass_vs_employment",
        title,
        charts::write(&plot, dir, &file("pass_vs_employment"))?,
        "institution_scores.parquet: pass_rate, employment_rate, tier".into(),
    );

    if data.benford.is_some() && data.leads.is_some() {
        let panels = benford_panels(data);
        let title = lang
            .t(
                "重点线索申领金额首位数字：实际与本福特期望",
                "First digits of claim amounts of the top leads: observed and Benford expected",
            )
            .to_string();
        let plot = charts::Benford { lang, title: title.clone(), panels };
        add("benford_top_leads", title, charts::write(&plot, dir, &file("benford_top_leads"))?, "benford_digits.parquet, leads.parquet".into());
    }

    let rows: Vec<(String, i64)> = money_by_rule(data).into_iter().map(|(rule, fen, _)| (text::rule_label(lang, &rule), fen)).collect();
    let title = format!("{} {quarter}", lang.t("各规则涉险金额", "Money at stake by rule,"));
    let plot = charts::MoneyByRule { lang, title: title.clone(), rows };
    add(
        "money_by_rule",
        title,
        charts::write(&plot, dir, &file("money_by_rule"))?,
        "flags.parquet: rule, amount_at_risk (overturned excluded)".into(),
    );

    if data.has_earlier_quarters() {
        let series = quarter_series(data);
        let title = lang.t("逐季度趋势", "Quarter by quarter").to_string();
        let plot = charts::Trend {
            lang,
            title: title.clone(),
            quarters: series.quarters,
            counts: series.counts,
            median_scores: series.medians,
            cutoffs: cutoffs(data),
        };
        add("trend", title, charts::write(&plot, dir, &file("trend"))?, "history.parquet: quarter, tier, score".into());
        if let Some((from, matrix, _)) = migration(data) {
            let title = format!("{} {from} → {quarter}", lang.t("等级迁移矩阵", "Tier migration"));
            let plot = charts::Migration { lang, title: title.clone(), from_quarter: from, to_quarter: quarter.clone(), matrix };
            add(
                "tier_migration",
                title,
                charts::write(&plot, dir, &file("tier_migration"))?,
                "history.parquet, institution_scores.parquet: tier".into(),
            );
        }
    }
    Ok(set)
}

/// Peer medians of each indicator among institutions of `kind`.
pub fn peer_medians(data: &RunData, kind: &str) -> [Option<f64>; 6] {
    std::array::from_fn(|index| median(data.peers(kind).filter_map(|i| i.values[index]).collect()))
}
