//! Data quality (`#quality`): rows read and rejected per input table, the export's coverage,
//! rejects by reason, warnings and the unified social credit codes.

use crate::report::data::{RunData, Said};
use crate::report::kit::{figure, section, Cell, Column, Row, Table};
use crate::report::text::{self, escape, Lang};
use std::collections::BTreeMap;
use std::fmt::Write;
use super::institution_cell;

pub(crate) fn quality(out: &mut String, data: &RunData, lang: Lang) {
    out.push_str(&section(Some("quality"), lang.t("数据质量", "Data quality")));
    let inputs = data.summary["inputs"].as_array().cloned().unwrap_or_default();
    let read: u64 = inputs.iter().map(|t| t["rows_read"].as_u64().unwrap_or(0)).sum();
    let rejected: u64 = inputs.iter().map(|t| t["rows_rejected"].as_u64().unwrap_or(0)).sum();
    if inputs.is_empty() {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p>",
            lang.t(
                "summary.json 未记录输入表；以下仅列出 rejects.parquet。",
                "summary.json records no inputs; only rejects.parquet is listed below."
            )
        );
    } else {
        let _ = write!(
            out,
            "<p>{}</p>",
            match lang {
                Lang::Zh => format!(
                    "共读取 {} 行，拒收 {} 行（拒收的行不参与评价，原因见下表及 rejects.parquet）。",
                    figure("rows-read", &read.to_string(), &text::count(read as usize)),
                    figure("rows-rejected", &rejected.to_string(), &text::count(rejected as usize))
                ),
                Lang::En => format!(
                    "{} rows read, {} rejected (rejected rows take no part in the evaluation; reasons below and in rejects.parquet).",
                    figure("rows-read", &read.to_string(), &text::count(read as usize)),
                    figure("rows-rejected", &rejected.to_string(), &text::count(rejected as usize))
                ),
            }
        );
        let mut inputs_table = Table::new(
            lang,
            Some("inputs-table"),
            vec![
                Column::text(lang.t("输入表", "Input table")),
                Column::number(lang.t("读取", "read")),
                Column::number(lang.t("使用", "used")),
                Column::number(lang.t("拒收", "rejected")),
                Column::text(lang.t("说明", "notes")).class("evidence"),
            ],
        );
        for table in &inputs {
            let name = table["table"].as_str().unwrap_or("");
            let present = table["present"].as_bool().unwrap_or(true);
            let coercions: Vec<String> =
                table["coercions"].as_array().into_iter().flatten().filter_map(|c| c.as_str().map(str::to_string)).collect();
            let note =
                if present { coercions.join("; ") } else { lang.t("未提供（可选表）", "not supplied (optional)").to_string() };
            let rows = |key: &str| Cell::number(text::count(table[key].as_u64().unwrap_or(0) as usize));
            inputs_table.row_with(
                Row::new().data("table", name),
                [Cell::text(text::table_name(lang, name)), rows("rows_read"), rows("rows_used"), rows("rows_rejected"), Cell::text(note)],
            );
        }
        out.push_str(&inputs_table.finish());
    }
    coverage_table(out, data, lang);
    // Rejected rows by reason: rejects.parquet's, rendered in the report's language from their
    // codes; a run from before the codes: summary.json's counts, else rejects.parquet's text.
    let mut by_reason: BTreeMap<(String, String), u64> = BTreeMap::new();
    if inputs.is_empty() || data.rejects.iter().any(|r| r.reason.code.is_some()) {
        for reject in &data.rejects {
            *by_reason.entry((reject.table.clone(), reject.reason.show(lang))).or_default() += 1;
        }
    } else {
        for table in &inputs {
            let name = table["table"].as_str().unwrap_or("").to_string();
            for (reason, count) in table["rejected_by_reason"].as_object().into_iter().flatten() {
                by_reason.insert((name.clone(), reason.clone()), count.as_u64().unwrap_or(0));
            }
        }
    }
    if by_reason.is_empty() {
        let _ = write!(out, "<p>{}</p>", lang.t("没有被拒收的行。", "No row was rejected."));
    } else {
        let _ = write!(out, "<h3>{}</h3>", lang.t("拒收原因", "Rejected by reason"));
        let mut table = Table::new(
            lang,
            Some("rejects-table"),
            vec![
                Column::text(lang.t("输入表", "Table")),
                Column::text(lang.t("原因", "Reason")).class("evidence"),
                Column::number(lang.t("行数", "rows")),
            ],
        );
        for ((name, reason), count) in &by_reason {
            table.row([Cell::text(text::table_name(lang, name)), Cell::text(reason), Cell::number(count)]);
        }
        out.push_str(&table.finish());
    }
    if let Some(warnings) = data.summary["warnings"].as_array().filter(|w| !w.is_empty()) {
        let _ = write!(out, "<h3>{}</h3><ul>", lang.t("读取时的警告", "Warnings while reading"));
        for warning in warnings {
            // A warning with a code (`{"text", "text_code", "text_args"}`) in the report's language.
            let _ = write!(out, "<li class=\"evidence\">{}</li>", escape(&Said::from_json(warning, "text").show(lang)));
        }
        out.push_str("</ul>");
    }
    credit_codes(out, data, lang);
    out.push_str("</section>\n");
}

/// The credit-code findings of `summary.json` (`notes.credit_codes`): institutions whose code
/// cannot be published as it is, and employer ids in a code's shape that fail the check.
fn credit_codes(out: &mut String, data: &RunData, lang: Lang) {
    let codes = &data.summary["notes"]["credit_codes"];
    if codes.is_null() {
        return;
    }
    let count = |value: &serde_json::Value| value.as_u64().unwrap_or(0) as usize;
    let _ = write!(out, "<h3>{}</h3>", lang.t("统一社会信用代码", "Unified social credit codes"));
    let institutions = count(&codes["institutions"]);
    let valid = count(&codes["institutions_valid"]);
    let employers = &codes["employers"];
    let (shape, wrong) = (count(&employers["in_code_shape"]), count(&employers["invalid_check_character"]));
    let _ = write!(
        out,
        "<p>{}</p>",
        match lang {
            Lang::Zh => format!(
                "{} 家机构中 {} 家的代码通过 GB 32100-2015 校验{}；用人单位编号中 {} 个为信用代码格式，其中 {} 个校验位错误（仅计数）。",
                text::count(institutions),
                figure("credit-codes-valid", &valid.to_string(), &text::count(valid)),
                if codes["column_present"].as_bool() == Some(true) { "" } else { "（导出的机构表没有 credit_code 列）" },
                text::count(shape),
                figure("employer-codes-invalid", &wrong.to_string(), &text::count(wrong))
            ),
            Lang::En => format!(
                "{} of {} institutions have a code that passes the GB 32100-2015 check{}; {} employer ids are in a code's shape, {} of them with a wrong check character (counted only).",
                figure("credit-codes-valid", &valid.to_string(), &text::count(valid)),
                text::count(institutions),
                if codes["column_present"].as_bool() == Some(true) { "" } else { " (the export's institutions table has no credit_code column)" },
                text::count(shape),
                figure("employer-codes-invalid", &wrong.to_string(), &text::count(wrong))
            ),
        }
    );
    let findings = codes["institution_findings"].as_array().cloned().unwrap_or_default();
    // Without the column every institution lacks a code: the sentence above says so once.
    if findings.is_empty() || codes["column_present"].as_bool() != Some(true) {
        return;
    }
    let mut table =
        Table::new(lang, Some("credit-codes-table"), vec![Column::text(lang.t("机构", "Institution")), Column::text(lang.t("问题", "Problem")).class("evidence")]);
    for finding in &findings {
        let id = finding["institution_id"].as_str().unwrap_or("");
        let problem = match (lang, finding["problem"].as_str().unwrap_or("")) {
            (Lang::Zh, "missing") => "缺少代码".to_string(),
            (Lang::Zh, "length") => format!("长度为 {} 位，应为 18 位", count(&finding["found"])),
            (Lang::Zh, "character") => {
                format!("第 {} 位“{}”不在代码字符集中", count(&finding["position"]), finding["found"].as_str().unwrap_or(""))
            }
            (Lang::Zh, "check_character") => format!(
                "校验位为“{}”，应为“{}”",
                finding["found"].as_str().unwrap_or(""),
                finding["expected"].as_str().unwrap_or("")
            ),
            _ => finding["message"].as_str().unwrap_or("").to_string(),
        };
        table.row([institution_cell(data, id, lang), Cell::text(problem)]);
    }
    out.push_str(&table.finish());
}

/// The export's coverage (`summary.json` → `coverage`): the first and last day of each dated
/// table, against which the indicators' windows were checked. Runs written before it was
/// recorded show nothing.
fn coverage_table(out: &mut String, data: &RunData, lang: Lang) {
    let Some(tables) = data.summary["coverage"].as_array().filter(|tables| !tables.is_empty()) else { return };
    let _ = write!(out, "<h3>{}</h3>", lang.t("数据覆盖期间", "Coverage of the export"));
    let mut coverage = Table::new(
        lang,
        Some("coverage-table"),
        vec![
            Column::text(lang.t("输入表", "Table")),
            Column::text(lang.t("日期列", "Dated by")),
            Column::text(lang.t("最早", "First")),
            Column::text(lang.t("最晚", "Last")),
        ],
    );
    for table in tables {
        let name = table["table"].as_str().unwrap_or_default();
        let day = |key: &str| match (table["present"].as_bool(), table[key].as_str()) {
            (Some(false), _) => lang.t("未提供", "absent").to_string(),
            (_, Some(day)) => day.to_string(),
            (_, None) => lang.t("无数据", "no rows").to_string(),
        };
        coverage.row_with(
            Row::new().data("table", name),
            [
                Cell::text(text::table_name(lang, name)),
                Cell::text(table["column"].as_str().unwrap_or_default()),
                Cell::text(day("first")),
                Cell::text(day("last")),
            ],
        );
    }
    out.push_str(&coverage.finish());
}
