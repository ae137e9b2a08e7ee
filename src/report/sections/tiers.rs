//! The tiers (`#tiers`): the charts of tiers by district, scores and pass against employment
//! rates, and the tier table, heaviest action first.

use crate::report::chart_set::ChartSet;
use crate::report::data::{Institution, RunData};
use crate::report::figures::{lead_standing, movement, reason, Movement};
use crate::report::kit::{section, tier_badge, Cell, Column, Row, Table};
use crate::report::text::{self, escape, Lang};
use crate::vocab::Tier;
use std::fmt::Write;
use super::{chart, institution_cell};

/// Where a tier's rows stand in the tier table: by action, the heaviest first (X, D, C, B, A,
/// then N).
fn tier_order(tier: Tier) -> usize {
    match tier {
        Tier::X => 0,
        Tier::D => 1,
        Tier::C => 2,
        Tier::B => 3,
        Tier::A => 4,
        Tier::N => 5,
    }
}

pub(crate) fn tiers(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    out.push_str(&section(Some("tiers"), lang.t("信用等级", "Credit tiers")));
    chart(out, charts, "tiers_by_district", lang);
    chart(out, charts, "score_distribution", lang);
    chart(out, charts, "pass_vs_employment", lang);
    let _ = write!(
        out,
        "<h3>{}</h3><p class=\"muted\">{}</p>",
        lang.t("等级表", "Tier table"),
        lang.t(
            "按处理轻重排序：取消资格、禁入、重点监管在前。点击机构编号查看评分卡。",
            "Ordered by action: disqualified, banned and watched first. Click an id for its scorecard."
        )
    );
    let mut table = Table::new(
        lang,
        Some("tier-table"),
        vec![
            Column::text(lang.t("机构", "Institution")),
            Column::text(lang.t("类型", "Kind")),
            Column::text(lang.t("区县", "District")),
            Column::number(lang.t("得分", "Score")),
            Column::text(lang.t("上季度 → 本季度", "Before → now")),
            Column::text(lang.t("线索排名 · 风险分（0–1）", "Lead rank · risk (0–1)")),
            Column::text(lang.t("处理", "Action")),
            Column::text(lang.t("原因", "Reason")).class("evidence"),
        ],
    );
    let mut rows: Vec<&Institution> = data.institutions.iter().collect();
    rows.sort_by(|a, b| {
        tier_order(a.tier)
            .cmp(&tier_order(b.tier))
            .then_with(|| a.score.unwrap_or(-1.0).total_cmp(&b.score.unwrap_or(-1.0)))
            .then_with(|| a.id.cmp(&b.id))
    });
    for institution in rows {
        let arrow = match movement(institution) {
            Movement::Up => " <span class=\"up\">▲</span>",
            Movement::Down => " <span class=\"down\">▼</span>",
            _ => "",
        };
        let previous = institution.previous_tier.map(|t| tier_badge(lang, t.as_str())).unwrap_or_else(|| "—".into());
        let mut action = escape(&text::action_name(lang, institution.action.as_str()));
        if let Some(until) = &institution.banned_until {
            let _ = write!(action, "<br><span class=\"muted\">{} {}</span>", lang.t("禁入至", "banned until"), escape(until));
        }
        if let Some(pct) = institution.subsidy_uplift_pct.filter(|p| *p > 0.0) {
            let _ = write!(action, " <span class=\"muted\">+{pct:.0}%</span>");
        }
        table.row_with(
            Row::new()
                .data("institution", &institution.id)
                .data("tier", institution.tier.as_str())
                .data("score", institution.score.map(|s| format!("{s:.2}")).unwrap_or_default()),
            [
                institution_cell(data, &institution.id, lang),
                Cell::text(text::kind_name(lang, &institution.kind)),
                Cell::text(&institution.district),
                Cell::number(text::score(institution.score)),
                Cell::pre_escaped(format!("{previous} → {}{arrow}", tier_badge(lang, institution.tier.as_str()))),
                Cell::text(lead_standing(institution)),
                Cell::pre_escaped(action),
                Cell::text(reason(lang, institution, &data.settings)),
            ],
        );
    }
    out.push_str(&table.finish());
    out.push_str("</section>\n");
}
