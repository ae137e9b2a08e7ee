//! The trend (`#trend`): tiers and median score by quarter, the tier migration.

use crate::report::chart_set::ChartSet;
use crate::report::data::RunData;
use crate::report::figures;
use crate::report::kit::{section, tier_badge, Align, Cell, Column, Table};
use crate::report::text::{self, escape, Lang};
use crate::vocab::Tier;
use std::fmt::Write;
use super::chart;

pub(crate) fn trend(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    out.push_str(&section(Some("trend"), lang.t("逐季度趋势与等级迁移", "Trend and tier migration")));
    if data.history.is_none() {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p></section>",
            lang.t(
                "本次运行没有历史表（history.parquet 不存在），无法显示趋势。",
                "This run has no history table (history.parquet is absent): no trend to show."
            )
        );
        return;
    }
    if !data.has_earlier_quarters() {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p></section>",
            lang.t("历史表中没有更早的季度，无法显示趋势。", "The history table holds no earlier quarter: no trend to show.")
        );
        return;
    }
    chart(out, charts, "trend", lang);
    let series = figures::quarter_series(data);
    let mut columns = vec![Column::text(lang.t("季度", "Quarter"))];
    columns.extend(Tier::ALL.iter().map(|tier| Column::pre_escaped_heading(tier_badge(lang, tier.as_str()), Align::Number)));
    columns.push(Column::number(lang.t("得分中位数", "median score")));
    let mut table = Table::new(lang, Some("trend-table"), columns);
    for (index, quarter) in series.quarters.iter().enumerate() {
        let counts = series.counts[index].into_iter().map(Cell::number);
        table.row(std::iter::once(Cell::text(quarter)).chain(counts).chain([Cell::number(text::score(series.medians[index]))]));
    }
    out.push_str(&table.finish());
    chart(out, charts, "tier_migration", lang);
    if let Some((from, _, unmatched)) = figures::migration(data) {
        if unmatched > 0 {
            let _ = write!(
                out,
                "<p class=\"muted\">{}</p>",
                escape(&match lang {
                    Lang::Zh => format!("{unmatched} 家机构只出现在 {from} 或本季度之一，未计入迁移矩阵。"),
                    Lang::En =>
                        format!("{unmatched} institutions appear in only one of {from} and this quarter and are left out of the matrix."),
                })
            );
        }
    }
    out.push_str("</section>\n");
}
