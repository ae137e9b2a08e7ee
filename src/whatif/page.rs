//! `whatif.html`: the what-if for people, in the report's look and its strict offline page (no
//! script, no fetch): the changed parameters with their articles, the program's money under each
//! step with each step's contribution, the tier transitions, and institutions in five bands of
//! money change; two charts (SVG and PNG under `charts/`). Its tables are the report's HTML kit's.

use crate::rating::budget::Money;
use super::tables::budget_rows;
use super::{Band, Scenario};
use crate::error::{Error, Result};
use crate::quarter::Quarter;
use crate::report::charts::{self, MoneyByRule};
use crate::report::kit::{inline_svg, page, section, Cell, Column, Row, Table};
use crate::report::text::{escape, Lang};
use crate::vocab::Tier;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

/// Writes `whatif.html` (or `whatif.en.html`) and its charts into `dir`.
pub fn write(scenarios: &[Scenario], quarter: Quarter, lang: Lang, dir: &Path) -> Result<()> {
    let charts_dir = dir.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(|e| Error::io("creating the charts folder", &charts_dir, e))?;
    let (baseline, reform) = (&scenarios[0], scenarios.last().expect("a baseline"));
    let step_name = |index: usize| match index {
        0 => lang.t("基准政策", "baseline").to_string(),
        i => format!("{} {i}", lang.t("改革", "reform")),
    };
    let mut body = String::new();
    let title = format!("{} {quarter}", lang.t("政策模拟：规则变化对等级、禁入、资金和学员的影响", "Policy what-if: what a change of the rules does to tiers, bans, money and trainees,"));
    let _ = write!(body, "<header class=\"top\"><h1 id=\"title\">{}</h1></header><main>", escape(&title));

    // What changed.
    body.push_str(&section(Some("parameters"), lang.t("变化的参数", "Changed parameters")));
    let mut table = Table::new(
        lang,
        Some("parameters-table"),
        vec![
            Column::text(lang.t("步骤", "step")),
            Column::text(lang.t("文件", "file")),
            Column::text(lang.t("参数", "parameter")),
            Column::text(lang.t("原值", "before")),
            Column::text(lang.t("新值", "after")),
            Column::text(lang.t("政策条款", "article")),
        ],
    );
    for (index, scenario) in scenarios.iter().enumerate().skip(1) {
        for change in &scenario.changes {
            table.row([
                Cell::pre_escaped(format!("{} <span class=\"muted\">{}</span>", escape(&step_name(index)), escape(&scenario.label))),
                Cell::text(&change.file),
                Cell::text(&change.key),
                Cell::text(&change.before),
                Cell::text(&change.after),
                Cell::text(change.article.unwrap_or("—")),
            ]);
        }
    }
    body.push_str(&table.finish());
    body.push_str("</section>");

    // The program's money.
    let budget = budget_rows(scenarios);
    let total = |scenario: &str| budget.iter().find(|r| r.scope == "total" && r.scenario == scenario).map(|r| r.money).unwrap_or_default();
    let _ = write!(
        body,
        "<section id=\"budget\"><h2>{}</h2><p class=\"muted\">{}</p>",
        lang.t("下季度资金（全市）", "Next quarter's money (whole city)"),
        crate::report::text::budget_basis(lang)
    );
    let mut table = Table::new(
        lang,
        Some("budget-table"),
        vec![
            Column::text(lang.t("情景", "scenario")),
            Column::money(lang.t("补贴基数", "subsidy base")),
            Column::money(lang.t("上浮成本", "uplift cost")),
            Column::money(lang.t("禁入机构资金", "banned volume")),
            Column::money(lang.t("下季度补贴", "next quarter's subsidy")),
            Column::money(lang.t("追回", "recoveries")),
            Column::money(lang.t("暂缓拨付", "holds")),
        ],
    );
    let money_row = |table: &mut Table, label: &str, m: &Money| {
        table.row([
            Cell::text(label),
            Cell::money(m.base),
            Cell::money(m.uplift),
            Cell::money(m.banned),
            Cell::money(m.next_quarter()),
            Cell::money(m.recoveries),
            Cell::money(m.holds),
        ]);
    };
    money_row(&mut table, &step_name(0), &total("baseline"));
    for index in 1..scenarios.len() {
        money_row(&mut table, &format!("{} ({})", step_name(index), scenarios[index].label), &total(&format!("reform_{index}")));
        money_row(&mut table, &format!("{} {}", lang.t("其中本步变化", "change of step"), index), &total(&format!("change_{index}")));
    }
    money_row(&mut table, lang.t("合计变化（改革 − 基准）", "total change (reform − baseline)"), &total("difference"));
    body.push_str(&table.finish());
    let rows: Vec<(String, i64)> = (0..scenarios.len())
        .map(|index| (step_name(index), total(&if index == 0 { "baseline".to_string() } else { format!("reform_{index}") }).next_quarter()))
        .collect();
    chart(&mut body, &charts_dir, "next_quarter_subsidy", lang, lang.t("各情景下季度补贴总额", "Next quarter's subsidy under each scenario"), rows)?;
    let rows: Vec<(String, i64)> = (0..scenarios.len())
        .map(|index| (step_name(index), total(&if index == 0 { "baseline".to_string() } else { format!("reform_{index}") }).uplift))
        .collect();
    chart(&mut body, &charts_dir, "uplift_cost", lang, lang.t("各情景优质优价上浮成本", "Cost of the uplift under each scenario"), rows)?;
    body.push_str("</section>");

    // Tier transitions.
    let tiers: Vec<&str> = Tier::ALL.iter().map(|t| t.as_str()).collect();
    let mut matrix: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for row in baseline.rows.values() {
        if let Some(after) = reform.rows.get(&row.institution_id) {
            *matrix.entry((tier_key(&row.tier), tier_key(&after.tier))).or_insert(0) += 1;
        }
    }
    body.push_str(&section(Some("transitions"), lang.t("等级迁移（行：基准，列：改革）", "Tier transitions (rows: baseline, columns: reform)")));
    let mut columns = vec![Column::text(lang.t("基准 \\ 改革", "baseline \\ reform"))];
    columns.extend(tiers.iter().map(|tier| Column::number(tier)));
    let mut table = Table::new(lang, Some("transitions-table"), columns);
    for &from in &tiers {
        let counts = tiers.iter().map(|&to| {
            let count = matrix.get(&(from, to)).copied().unwrap_or(0);
            // A count off the diagonal is institutions whose tier the reform changes.
            if from != to && count > 0 { Cell::number(count).class("changed") } else { Cell::number(count) }
        });
        table.row(std::iter::once(Cell::text(from)).chain(counts));
    }
    body.push_str(&table.finish());
    body.push_str("</section>");

    // Bands of money change.
    let mut bands: BTreeMap<Band, (u32, i64)> = BTreeMap::new();
    for row in baseline.rows.values() {
        if let Some(after) = reform.rows.get(&row.institution_id) {
            let entry = bands.entry(Band::of(row.money.next_quarter(), after.money.next_quarter())).or_default();
            entry.0 += 1;
            entry.1 += after.money.next_quarter() - row.money.next_quarter();
        }
    }
    body.push_str(&section(Some("bands"), lang.t("机构下季度补贴变化分档", "Institutions by change of next quarter's subsidy")));
    let mut table = Table::new(
        lang,
        Some("bands-table"),
        vec![Column::text(lang.t("分档", "band")), Column::number(lang.t("机构数", "institutions")), Column::money(lang.t("资金变化", "change"))],
    );
    for band in Band::ALL {
        let (count, change) = bands.get(&band).copied().unwrap_or_default();
        table.row_with(Row::new().data("band", band.code()), [Cell::text(band.label(lang)), Cell::number(count), Cell::money(change)]);
    }
    body.push_str(&table.finish());
    body.push_str("</section></main>");

    let path = dir.join(format!("whatif{}.html", lang.file_suffix()));
    std::fs::write(&path, page(lang, &title, &body)).map_err(|e| Error::io("writing the what-if page", &path, e))
}

/// A tier's id as the matrix keys it; an unknown one counts as N (not rated).
fn tier_key(tier: &str) -> &'static str {
    Tier::parse(tier).unwrap_or(Tier::N).as_str()
}

/// A horizontal bar chart of amounts (written as SVG and PNG) placed in the page.
fn chart(body: &mut String, dir: &Path, stem: &str, lang: Lang, title: &str, rows: Vec<(String, i64)>) -> Result<()> {
    let file = format!("{stem}{}", lang.file_suffix());
    let plot = MoneyByRule { lang, title: title.to_string(), rows };
    let svg = charts::write(&plot, dir, &file)?;
    let _ = write!(
        body,
        "<figure data-chart=\"{stem}\">{}<figcaption><a href=\"charts/{file}.png\">PNG</a> · <a href=\"charts/{file}.svg\">SVG</a></figcaption></figure>",
        inline_svg(&svg)
    );
    Ok(())
}
