//! `render` (layer 4, the pages): a run folder's `report.html`, `charts/`, `scorecards/` and
//! `dossiers/`, from its tables alone. It assembles report.html from its sections and writes
//! every page; nothing below it imports it.
//!
//! The pipeline calls it on the staging folder once the tables are written; `traincredit report`
//! calls it again on a finished folder. Nothing here reads the export or the policy files: every
//! figure comes from the Parquet files and `summary.json` beside the report (see [`RunData`]).
//!
//! report.html is one self-contained file: inline CSS, charts inline as SVG (their PNG twins sit
//! in `charts/`), no script, and a Content-Security-Policy that forbids every fetch, so opening it
//! offline or from a mail attachment makes no network request.

use crate::error::{Error, Result};
use crate::report::chart_set::{self, ChartSet};
use crate::report::data::RunData;
use crate::report::figures::{checks, Check};
use crate::report::kit::page;
use crate::report::sections::{budget, glance, leads, money, publication, quality, sources, tiers, trend, yields};
use crate::report::text::{escape, Lang};
use crate::report::{dossiers, scorecards};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// The chart files `render` may write (stems under `charts/`).
pub use crate::report::chart_set::CHART_STEMS;

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
    let charts = chart_set::draw(&data, lang, &chart_dir)?;
    for stem in charts.charts.keys() {
        summary.charts.push(chart_dir.join(format!("{stem}{}.svg", lang.file_suffix())));
        summary.charts.push(chart_dir.join(format!("{stem}{}.png", lang.file_suffix())));
    }

    let page = report(&data, lang, &charts, &checks);
    let report = run.join(format!("report{}.html", lang.file_suffix()));
    std::fs::write(&report, page).map_err(|e| Error::io("writing the report", &report, e))?;
    summary.report = Some(report);

    summary.scorecards = scorecards::write_all(&data, lang, None)?;
    summary.dossiers = dossiers::write_all(run, lang)?;
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

/// report.html: its header, table of contents, sections and footer.
fn report(data: &RunData, lang: Lang, charts: &ChartSet, checks: &[Check]) -> String {
    let quarter = &data.quarter;
    let title = match lang {
        Lang::Zh => format!("济南市职业技能培训机构信用评价报告 {quarter}"),
        Lang::En => format!("Jinan vocational training institutions: credit evaluation report {quarter}"),
    };
    let mut out = String::new();
    let _ = write!(out, "<header class=\"top\"><h1 id=\"title\">{}</h1>", escape(&title));
    let engine = data.summary["engine_version"].as_str().unwrap_or("?");
    let policy = data.summary["policy_hash"].as_str().unwrap_or("");
    let _ = write!(
        out,
        "<p>{} {} · {} {} · {} <code>{}</code></p>",
        lang.t("评价季度", "Quarter"),
        escape(quarter),
        lang.t("引擎版本", "engine"),
        escape(engine),
        lang.t("政策文件哈希", "policy hash"),
        escape(&policy.chars().take(12).collect::<String>())
    );
    if data.summary["pseudonymisation_key"].as_str() == Some("demo") {
        let _ = write!(
            out,
            "<p><strong>{}</strong></p>",
            lang.t("演示密钥：本报告基于合成数据，仅供演示。", "Demo key: synthetic data, for demonstration only.")
        );
    }
    out.push_str("</header>\n");
    let _ = write!(
        out,
        "<nav class=\"toc\"><a href=\"#glance\">{}</a><a href=\"#tiers\">{}</a><a href=\"#leads\">{}</a><a href=\"#yield\">{}</a><a href=\"#money\">{}</a><a href=\"#budget\">{}</a><a href=\"#trend\">{}</a><a href=\"#publication\">{}</a><a href=\"#quality\">{}</a><a href=\"#sources\">{}</a></nav>\n<main>\n",
        lang.t("本季概览", "At a glance"),
        lang.t("信用等级", "Tiers"),
        lang.t("调查线索", "Leads"),
        lang.t("线索成效", "Yield"),
        lang.t("追回与暂缓", "Recoveries and holds"),
        lang.t("下季度预算", "Next quarter's budget"),
        lang.t("趋势", "Trend"),
        lang.t("信用公示", "Publication"),
        lang.t("数据质量", "Data quality"),
        lang.t("数据来源与核对", "Sources and checks")
    );
    glance(&mut out, data, lang);
    tiers(&mut out, data, lang, charts);
    leads(&mut out, data, lang, charts);
    yields::section(&mut out, &data.dir, lang);
    money(&mut out, data, lang, charts);
    budget(&mut out, data, lang);
    trend(&mut out, data, lang, charts);
    publication(&mut out, data, lang);
    quality(&mut out, data, lang);
    sources(&mut out, data, lang, checks);
    out.push_str("</main>\n");
    let _ = write!(
        out,
        "<footer>{}</footer>",
        escape(&match lang {
            Lang::Zh => format!("本报告由 traincredit {engine} 根据本文件夹中的数据表生成；可用 `traincredit report --run <本文件夹>` 重新生成。"),
            Lang::En => format!("Generated by traincredit {engine} from the tables in this folder; `traincredit report --run <this folder>` renders it again."),
        })
    );
    page(lang, &title, &out)
}
