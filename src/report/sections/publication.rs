//! Credit publication (`#publication`): what is published, withdrawn or repaired this quarter.

use crate::report::data::RunData;
use crate::report::kit::{section, Cell, Column, Row, Table};
use crate::report::text::{self, Lang};
use std::fmt::Write;
use super::institution_cell;

/// What the bureau publishes, withdraws or ends by repair on the credit platforms this quarter,
/// from the ledger's calendar (`sanctions.parquet`); the files themselves are in `publication/`.
pub(crate) fn publication(out: &mut String, data: &RunData, lang: Lang) {
    out.push_str(&section(Some("publication"), lang.t("信用公示", "Credit publication")));
    let _ = write!(
        out,
        "<p>{}</p>",
        lang.t(
            "向信用中国及省级平台报送的文件（CSV，UTF-8 带 BOM）见 publication/ 文件夹：信用评价结果、行政处罚（双公示）、严重失信主体名单候选、公示日历。",
            "The files for 信用中国 and the provincial platform (CSV, UTF-8 with BOM) are in publication/: evaluation results, penalty records (双公示), dishonesty-list candidates, the publication calendar."
        )
    );
    let Some(ledger) = &data.ledger else {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p></section>\n",
            lang.t("本次运行的 sanctions.parquet 没有公示日历。", "This run's sanctions.parquet has no publication calendar.")
        );
        return;
    };
    let due: Vec<_> = ledger
        .iter()
        .filter(|row| matches!(row.publication_status.as_str(), "to_publish" | "withdraw" | "repaired"))
        .collect();
    if due.is_empty() {
        let _ = write!(
            out,
            "<p>{}</p></section>\n",
            lang.t("本季度没有需要新公示、撤下或因信用修复而结束公示的记录。", "Nothing to publish, withdraw or end by repair this quarter.")
        );
        return;
    }
    let mut table = Table::new(
        lang,
        Some("publication-table"),
        vec![
            Column::text(lang.t("机构", "Institution")),
            Column::text(lang.t("处罚", "Sanction")),
            Column::text(lang.t("失信等级", "Class")),
            Column::text(lang.t("决定日期", "Decided")),
            Column::text(lang.t("公示截止", "Published until")),
            Column::text(lang.t("最早可修复", "Repairable from")),
            Column::text(lang.t("本季处理", "This quarter")),
            Column::text(lang.t("原因", "Reason")).class("evidence"),
        ],
    );
    for row in due {
        let period = match &row.until_quarter {
            Some(until) => format!("{}–{until}", row.from_quarter),
            None => format!("{}–", row.from_quarter),
        };
        let status = match &row.repaired_on {
            Some(day) if row.publication_status == "repaired" => format!("{} {day}", text::publication_status_name(lang, &row.publication_status)),
            _ => text::publication_status_name(lang, &row.publication_status),
        };
        table.row_with(
            Row::new().data("status", &row.publication_status),
            [
                institution_cell(data, &row.institution_id, lang),
                Cell::text(format!("{} {period}", text::sanction_kind_name(lang, &row.kind))),
                Cell::text(text::credit_class_name(lang, &row.class)),
                Cell::text(&row.decided_on),
                Cell::text(row.publication_end.as_deref().unwrap_or("—")),
                Cell::text(&row.earliest_repair),
                Cell::text(status),
                Cell::text(row.reason.show(lang)),
            ],
        );
    }
    out.push_str(&table.finish());
    out.push_str("</section>\n");
}
