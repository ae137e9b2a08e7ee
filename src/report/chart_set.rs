//! The report's charts (layer 2, beside the HTML kit): each chart drawn from the figures, written
//! as SVG and PNG under `charts/`, and kept (title, SVG, source) for the sections to place.

use crate::error::Result;
use crate::report::charts::{self, BenfordPanel};
use crate::report::data::RunData;
use crate::report::figures::{cutoffs, migration, money_by_rule, quarter_series, tiers_by_district};
use crate::report::text::{self, Lang};
use std::collections::BTreeMap;
use std::path::Path;

/// The chart files `render` may write (stems under `charts/`).
pub const CHART_STEMS: [&str; 7] =
    ["tiers_by_district", "score_distribution", "pass_vs_employment", "benford_top_leads", "money_by_rule", "trend", "tier_migration"];

/// How many leads the Benford chart shows.
pub(crate) const BENFORD_LEADS: usize = 4;

/// One chart as written (its stem is its key in [`ChartSet`]): its title and SVG text.
#[derive(Debug, Clone)]
pub(crate) struct ChartOut {
    pub(crate) title: String,
    pub(crate) svg: String,
    /// One line under the chart: where its numbers come from.
    pub(crate) source: String,
}

/// The charts of one render, by stem.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChartSet {
    pub(crate) charts: BTreeMap<&'static str, ChartOut>,
}

impl ChartSet {
    pub(crate) fn get(&self, stem: &str) -> Option<&ChartOut> {
        self.charts.get(stem)
    }
}

/// The Benford panels of the top leads that have first-digit data.
pub(crate) fn benford_panels(data: &RunData) -> Vec<BenfordPanel> {
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

pub(crate) fn draw(data: &RunData, lang: Lang, dir: &Path) -> Result<ChartSet> {
    let mut set = ChartSet::default();
    let quarter = &data.quarter;
    // Each language's charts are files of their own (`trend.svg`, `trend.en.svg`).
    let file = |stem: &str| format!("{stem}{}", lang.file_suffix());
    let mut add = |stem: &'static str, title: String, svg: String, source: String| {
        set.charts.insert(stem, ChartOut { title, svg, source });
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
