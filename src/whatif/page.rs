//! `whatif.html`: the what-if for people, in the report's look and its strict offline page (no
//! script, no fetch): the changed parameters with their articles, the program's money under each
//! step with each step's contribution, the tier transitions, and institutions in five bands of
//! money change; two charts (SVG and PNG under `charts/`).

use crate::rating::budget::Money;
use super::tables::budget_rows;
use super::{Band, Scenario};
use crate::error::{Error, Result};
use crate::quarter::Quarter;
use crate::report::charts::{self, MoneyByRule};
use crate::report::html::{page, table_start, Heading};
use crate::report::text::{escape, money, Lang};
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
    let _ = write!(body, "<section id=\"parameters\"><h2>{}</h2>", lang.t("变化的参数", "Changed parameters"));
    table_start(
        &mut body,
        Some("parameters-table"),
        &[
            Heading::Text(lang.t("步骤", "step")),
            Heading::Text(lang.t("文件", "file")),
            Heading::Text(lang.t("参数", "parameter")),
            Heading::Text(lang.t("原值", "before")),
            Heading::Text(lang.t("新值", "after")),
            Heading::Text(lang.t("政策条款", "article")),
        ],
    );
    for (index, scenario) in scenarios.iter().enumerate().skip(1) {
        for change in &scenario.changes {
            let _ = write!(
                body,
                "<tr><td>{} <span class=\"muted\">{}</span></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&step_name(index)),
                escape(&scenario.label),
                escape(&change.file),
                escape(&change.key),
                escape(&change.before),
                escape(&change.after),
                escape(change.article.unwrap_or("—"))
            );
        }
    }
    body.push_str("</tbody></table></section>");

    // The program's money.
    let budget = budget_rows(scenarios);
    let total = |scenario: &str| budget.iter().find(|r| r.scope == "total" && r.scenario == scenario).map(|r| r.money).unwrap_or_default();
    let _ = write!(
        body,
        "<section id=\"budget\"><h2>{}</h2><p class=\"muted\">{}</p>",
        lang.t("下季度资金（全市）", "Next quarter's money (whole city)"),
        crate::report::text::budget_basis(lang)
    );
    table_start(
        &mut body,
        Some("budget-table"),
        &[
            Heading::Text(lang.t("情景", "scenario")),
            Heading::Number(lang.t("补贴基数", "subsidy base")),
            Heading::Number(lang.t("上浮成本", "uplift cost")),
            Heading::Number(lang.t("禁入机构资金", "banned volume")),
            Heading::Number(lang.t("下季度补贴", "next quarter's subsidy")),
            Heading::Number(lang.t("追回", "recoveries")),
            Heading::Number(lang.t("暂缓拨付", "holds")),
        ],
    );
    let money_row = |body: &mut String, label: &str, m: &Money| {
        let _ = write!(
            body,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(label),
            money(lang, m.base),
            money(lang, m.uplift),
            money(lang, m.banned),
            money(lang, m.next_quarter()),
            money(lang, m.recoveries),
            money(lang, m.holds)
        );
    };
    money_row(&mut body, &step_name(0), &total("baseline"));
    for index in 1..scenarios.len() {
        money_row(&mut body, &format!("{} ({})", step_name(index), scenarios[index].label), &total(&format!("reform_{index}")));
        money_row(&mut body, &format!("{} {}", lang.t("其中本步变化", "change of step"), index), &total(&format!("change_{index}")));
    }
    money_row(&mut body, lang.t("合计变化（改革 − 基准）", "total change (reform − baseline)"), &total("difference"));
    body.push_str("</tbody></table>");
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
    let _ = write!(body, "<section id=\"transitions\"><h2>{}</h2>", lang.t("等级迁移（行：基准，列：改革）", "Tier transitions (rows: baseline, columns: reform)"));
    let headings: Vec<String> = tiers.iter().map(|t| t.to_string()).collect();
    let mut heading_cells = vec![Heading::Text(lang.t("基准 \\ 改革", "baseline \\ reform"))];
    heading_cells.extend(headings.iter().map(|t| Heading::Number(t.as_str())));
    table_start(&mut body, Some("transitions-table"), &heading_cells);
    for &from in &tiers {
        let _ = write!(body, "<tr><td>{from}</td>");
        for &to in &tiers {
            let count = matrix.get(&(from, to)).copied().unwrap_or(0);
            let class = if from != to && count > 0 { "num changed" } else { "num" };
            let _ = write!(body, "<td class=\"{class}\">{count}</td>");
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></section>");

    // Bands of money change.
    let mut bands: BTreeMap<Band, (u32, i64)> = BTreeMap::new();
    for row in baseline.rows.values() {
        if let Some(after) = reform.rows.get(&row.institution_id) {
            let entry = bands.entry(Band::of(row.money.next_quarter(), after.money.next_quarter())).or_default();
            entry.0 += 1;
            entry.1 += after.money.next_quarter() - row.money.next_quarter();
        }
    }
    let _ = write!(body, "<section id=\"bands\"><h2>{}</h2>", lang.t("机构下季度补贴变化分档", "Institutions by change of next quarter's subsidy"));
    table_start(
        &mut body,
        Some("bands-table"),
        &[Heading::Text(lang.t("分档", "band")), Heading::Number(lang.t("机构数", "institutions")), Heading::Number(lang.t("资金变化", "change"))],
    );
    for band in Band::ALL {
        let (count, change) = bands.get(&band).copied().unwrap_or_default();
        let _ = write!(
            body,
            "<tr data-band=\"{}\"><td>{}</td><td class=\"num\">{count}</td><td class=\"num\">{}</td></tr>",
            band.code(),
            band.label(lang),
            money(lang, change)
        );
    }
    body.push_str("</tbody></table>");
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
        crate::report::html::inline_svg(&svg)
    );
    Ok(())
}
