//! Next quarter's budget by district (`#budget`), from `budget.parquet`.

use crate::report::data::RunData;
use crate::report::kit::{section, Cell, Column, Row, Table};
use crate::report::text::{self, Lang};
use std::fmt::Write;

/// What next quarter's uplifts will cost and what the bans take out of the program, by district
/// (`budget.parquet`; the basis is `pipelines/budget.toml`).
pub(crate) fn budget(out: &mut String, data: &RunData, lang: Lang) {
    out.push_str(&section(Some("budget"), lang.t("下季度预算（按区县）", "Next quarter's budget, by district")));
    let Some(lines) = &data.budget else {
        let _ = write!(out, "<p class=\"muted\">{}</p></section>", lang.t("budget.parquet 不存在（较早的引擎所写）。", "budget.parquet is absent (written by an earlier engine)."));
        return;
    };
    let _ = write!(out, "<p class=\"muted\">{}</p>", text::budget_basis(lang));
    let mut table = Table::new(
        lang,
        Some("budget-table"),
        vec![
            Column::text(lang.t("区县", "district")),
            Column::number(lang.t("机构数", "institutions")),
            Column::money(lang.t("补贴基数", "subsidy base")),
            Column::money(lang.t("上浮成本", "uplift cost")),
            Column::money(lang.t("禁入机构资金", "banned volume")),
            Column::money(lang.t("下季度补贴", "next quarter's subsidy")),
        ],
    );
    let districts = lines.iter().filter(|line| line.scope == "district");
    for line in districts.chain(lines.iter().filter(|line| line.scope == "total")) {
        let label = if line.scope == "total" { lang.t("全市", "whole city").to_string() } else { line.group.clone() };
        table.row_with(
            Row::new().data("budget", &line.group),
            [
                Cell::text(label),
                Cell::number(line.institutions),
                Cell::money(line.subsidy_base_fen),
                Cell::money(line.uplift_cost_fen),
                Cell::money(line.banned_volume_fen),
                Cell::money(line.next_quarter_fen),
            ],
        );
    }
    out.push_str(&table.finish());
    out.push_str("</section>");
}
