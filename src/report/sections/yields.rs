//! The report's section on what the leads have been worth and how the population moved:
//! `yield.parquet` (leads, cases, resolutions, precision, money identified and recovered per
//! signal) and `drift.parquet` (each indicator's population stability index against the
//! previous quarter). Both tables are read from the run folder, so every figure shown is a cell
//! of them; a run written before they existed says so instead of showing zeros.
//!
//! Layer 3 (a section of report.html, `#yield`, its tables the kit's); `render` places it.

use crate::report::data::{read_table, Cells};
use crate::report::kit::{self, Cell, Column, Row, Table};
use crate::report::text::{self, escape, Lang};
use std::fmt::Write;
use std::path::Path;

/// Writes the section `#yield` into `out`.
pub(crate) fn section(out: &mut String, dir: &Path, lang: Lang) {
    out.push_str(&kit::section(Some("yield"), lang.t("线索成效与指标漂移", "What the leads have yielded, and drift")));
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        escape(lang.t(
            "按信号统计：本季度线索数、立案、结案及结论、精确率（确认违规 ÷ 已有结论的案件）、线索背后的资金与已追回资金（欺诈认定决定所载金额）。一个案件计入引发它的每个信号；“全部”每个案件只计一次，“前 10 / 前 20”只计排名靠前的线索的案件。",
            "Per signal: this quarter's leads, cases opened and closed with their resolutions, precision (confirmed ÷ resolved), the money behind the leads and the money recovered (amounts of fraud-confirmed decisions). A case counts for each signal that raised it; \"all\" counts each case once, \"top 10 / top 20\" only the cases of the highest-ranked leads.",
        ))
    );
    match read_table(&dir.join("yield.parquet")) {
        Ok(frame) => yield_table(out, &frame, lang),
        Err(_) => {
            let _ = write!(out, "<p class=\"note\">{}</p>", lang.t("本运行没有 yield.parquet（由较早版本生成）。", "This run has no yield.parquet (written by an earlier engine)."));
        }
    }
    match read_table(&dir.join("drift.parquet")) {
        Ok(frame) => drift_table(out, &frame, lang),
        Err(_) => {
            let _ = write!(out, "<p class=\"note\">{}</p>", lang.t("本运行没有 drift.parquet（由较早版本生成）。", "This run has no drift.parquet (written by an earlier engine)."));
        }
    }
    out.push_str("</section>\n");
}

fn source_name(lang: Lang, source: &str) -> String {
    match source {
        "all" => lang.t("全部", "all").to_string(),
        "top_10" => lang.t("前 10 条线索", "top 10 leads").to_string(),
        "top_20" => lang.t("前 20 条线索", "top 20 leads").to_string(),
        "breaches" => lang.t("仅规则违规", "rule breaches only").to_string(),
        signal => text::signal_name(lang, signal),
    }
}

fn yield_table(out: &mut String, frame: &polars::prelude::DataFrame, lang: Lang) {
    let cells = Cells::new(frame, "yield.parquet");
    let read = || -> crate::error::Result<_> {
        Ok((
            cells.text_or_empty("source")?,
            [
                cells.integers("leads")?,
                cells.integers("cases_opened")?,
                cells.integers("cases_open")?,
                cells.integers("cases_closed")?,
                cells.integers("confirmed")?,
                cells.integers("cleared")?,
                cells.integers("false_positive")?,
            ],
            cells.numbers("precision")?,
            cells.fen("identified")?,
            cells.fen("recovered")?,
        ))
    };
    let Ok((sources, counts, precision, identified, recovered)) = read() else {
        let _ = write!(out, "<p class=\"warn\">{}</p>", lang.t("yield.parquet 无法读取。", "yield.parquet cannot be read."));
        return;
    };
    let mut table = Table::new(
        lang,
        Some("yield-table"),
        vec![
            Column::text(lang.t("来源", "Source")),
            Column::number(lang.t("线索", "Leads")),
            Column::number(lang.t("本季立案", "Opened")),
            Column::number(lang.t("在办", "Open")),
            Column::number(lang.t("已结案", "Closed")),
            Column::number(lang.t("确认违规", "Confirmed")),
            Column::number(lang.t("查无问题", "Cleared")),
            Column::number(lang.t("误报", "False positive")),
            Column::number(lang.t("精确率", "Precision")),
            Column::money(lang.t("线索背后资金", "Identified")),
            Column::money(lang.t("已追回", "Recovered")),
        ],
    );
    for i in 0..cells.height() {
        let counts = counts.iter().map(|column| Cell::number(column[i].map_or("—".to_string(), |v| v.to_string())));
        table.row_with(
            Row::new().data("source", &sources[i]),
            std::iter::once(Cell::text(source_name(lang, &sources[i])))
                .chain(counts)
                .chain([Cell::number(text::percent(precision[i])), Cell::money(identified[i]), Cell::money(recovered[i])]),
        );
    }
    out.push_str(&table.finish());
}

fn drift_table(out: &mut String, frame: &polars::prelude::DataFrame, lang: Lang) {
    let cells = Cells::new(frame, "drift.parquet");
    let read = || -> crate::error::Result<_> {
        Ok((cells.text_or_empty("indicator")?, cells.integers("institutions")?, cells.integers("institutions_before")?, cells.numbers("psi")?, cells.texts("previous_quarter")?))
    };
    let Ok((indicators, now, before, psi, previous)) = read() else {
        let _ = write!(out, "<p class=\"warn\">{}</p>", lang.t("drift.parquet 无法读取。", "drift.parquet cannot be read."));
        return;
    };
    let previous = previous.into_iter().flatten().next();
    let _ = write!(
        out,
        "<h3>{}</h3><p class=\"muted\">{}</p>",
        lang.t("指标分布漂移（群体稳定性指数）", "Indicator drift (population stability index)"),
        escape(&match (&previous, lang) {
            (Some(q), Lang::Zh) => format!("本季度各指标在机构间的分布与 {q} 比较；没有数据的机构两边都不计入；高于 0.25 视为分布明显变化，解读单个机构的升降前应先查明原因。"),
            (Some(q), Lang::En) => format!("Each indicator's distribution over the institutions against {q}; institutions without data are left out on both sides; above 0.25 the population moved: explain it before reading single institutions' movements."),
            (None, Lang::Zh) => "未提供上季度运行（--previous），无从比较。".to_string(),
            (None, Lang::En) => "No previous run (--previous): nothing to compare with.".to_string(),
        })
    );
    let mut table = Table::new(
        lang,
        Some("drift-table"),
        vec![
            Column::text(lang.t("指标", "Indicator")),
            Column::number(lang.t("本季有数据机构", "Institutions with data")),
            Column::number(lang.t("上季有数据机构", "Before")),
            Column::number(lang.t("稳定性指数 PSI", "PSI")),
            Column::text(lang.t("判断", "Reading")),
        ],
    );
    for i in 0..cells.height() {
        let reading = match psi[i] {
            None => lang.t("无法计算（一方无数据）", "not computed (no data on a side)"),
            Some(v) if v > crate::report::drift::SHIFT_ABOVE => lang.t("分布明显变化", "shifted"),
            Some(v) if v > 0.1 => lang.t("轻度变化", "moderate"),
            Some(_) => lang.t("稳定", "stable"),
        };
        table.row_with(
            Row::new().data("indicator", &indicators[i]),
            [
                Cell::text(text::indicator_name(lang, &indicators[i])),
                Cell::number(now[i].map_or("—".to_string(), |v| v.to_string())),
                Cell::number(before[i].map_or("—".to_string(), |v| v.to_string())),
                Cell::number(psi[i].map_or("—".to_string(), |v| format!("{v:.4}"))),
                Cell::text(reading),
            ],
        );
    }
    out.push_str(&table.finish());
}
