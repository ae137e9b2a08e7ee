//! Sources and checks (`#sources`): the tables behind every figure, `summary.json` checked against
//! them, and the policy settings shown.

use crate::rating::INDICATORS;
use crate::report::data::{RunData, SettingsSource};
use crate::report::figures::Check;
use crate::report::kit::{section, Cell, Column, Row, Table};
use crate::report::text::{self, escape, Lang};
use std::fmt::Write;

pub(crate) fn sources(out: &mut String, data: &RunData, lang: Lang, checks: &[Check]) {
    out.push_str(&section(Some("sources"), lang.t("数据来源与核对", "Sources and checks")));
    let _ = write!(
        out,
        "<p>{}</p><ul>",
        lang.t("本报告的每个数字都来自与它同一文件夹中的数据表：", "Every figure of this report comes from the tables in its folder:")
    );
    let files: [(&str, &str, &str); 12] = [
        ("institution_scores.parquet", "各机构指标、得分、等级、处理与原因", "indicators, scores, tiers, actions and reasons"),
        (
            "flags.parquet",
            "违规、程序问题与处理决定，含涉险金额与证据",
            "breaches, procedural findings and decisions, with money and evidence",
        ),
        ("recoveries.parquet", "应追回明细", "lines to recover"),
        ("holds.parquet", "应暂缓拨付明细", "lines to hold"),
        ("rejects.parquet", "被拒收的输入行", "rejected input rows"),
        ("sanctions.parquet", "处罚台账", "the sanctions ledger"),
        ("summary.json", "运行摘要：输入文件哈希、行数、申领总额", "the run's facts: input hashes, row counts, amount claimed"),
        ("leads.parquet", "调查线索", "investigation leads"),
        ("signal_values.parquet", "各风险信号的值、同类值与阈值", "each signal's value, peer value and threshold"),
        ("benford_digits.parquet", "申领金额首位数字分布", "first digits of claim amounts"),
        ("history.parquet", "本季度及此前各季度的等级与得分", "tiers and scores of this and earlier quarters"),
        ("publication/calendar.csv", "信用公示文件（publication/，CSV）及公示日历", "the credit platforms' files (publication/, CSV) and the calendar"),
    ];
    for (file, zh, en) in files {
        let present = data.dir.join(file).is_file();
        let _ = write!(
            out,
            "<li><code>{}</code> — {}{}</li>",
            escape(file),
            escape(lang.t(zh, en)),
            if present {
                String::new()
            } else {
                format!(" <span class=\"muted\">({})</span>", lang.t("本次运行未生成", "not in this run"))
            }
        );
    }
    out.push_str("</ul>");
    if !checks.is_empty() {
        let _ = write!(out, "<h3>{}</h3>", lang.t("摘要与数据表核对", "summary.json against the tables"));
        let mut table = Table::new(
            lang,
            Some("checks-table"),
            vec![
                Column::text(lang.t("核对项", "Check")),
                Column::number("summary.json"),
                Column::number(lang.t("数据表", "tables")),
                Column::text(lang.t("结果", "result")),
            ],
        );
        for check in checks {
            let result = if check.ok {
                format!("<span class=\"ok\">✓ {}</span>", lang.t("一致", "agree"))
            } else {
                format!("<span class=\"bad\">✗ {}</span>", lang.t("不一致", "differ"))
            };
            table.row_with(
                Row::new().data("check", check.key).data("ok", check.ok),
                [
                    Cell::text(&check.label),
                    Cell::number(check.summary.as_deref().unwrap_or("—")),
                    Cell::number(&check.tables),
                    Cell::pre_escaped(result),
                ],
            );
        }
        out.push_str(&table.finish());
        if checks.iter().any(|c| !c.ok) {
            let _ = write!(
                out,
                "<p class=\"warn\">{}</p>",
                lang.t(
                    "摘要中的数字与数据表不一致：以数据表为准，并请检查运行。",
                    "summary.json disagrees with the tables: the tables stand; check the run."
                )
            );
        }
    }
    let settings = match data.settings.source {
        SettingsSource::Recorded => lang.t(
            "分数线与指标下限/目标取自 summary.json 中记录的本次政策。",
            "Cut-offs, floors and targets are the run's, as recorded in summary.json.",
        ),
        SettingsSource::DefaultsByHash => lang.t(
            "本次运行使用内置默认政策（政策哈希一致），分数线与指标下限/目标为默认值。",
            "The run used the built-in default policy (same policy hash): cut-offs, floors and targets are the defaults.",
        ),
        SettingsSource::DefaultsAssumed => lang.t(
            "本次运行未记录分数线，图中分数线与指标下限/目标为内置默认值，仅供参考。",
            "The run recorded no cut-offs: those drawn are the built-in defaults, for orientation only.",
        ),
    };
    let _ = write!(out, "<p class=\"muted\">{}</p>", escape(settings));
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        escape(
            &INDICATORS
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    let (weight, floor, target) = data.settings.indicators[i];
                    format!(
                        "{} {} {weight:.0} · {} {:.0}% · {} {:.0}%",
                        text::indicator_name(lang, id),
                        lang.t("权重", "weight"),
                        lang.t("下限", "floor"),
                        floor * 100.0,
                        lang.t("目标", "target"),
                        target * 100.0
                    )
                })
                .collect::<Vec<_>>()
                .join("；")
        )
    );
    out.push_str("</section>\n");
}
