//! Recoveries and holds (`#money`): money at stake by rule, then what to recover and to hold by
//! rules and by institution.

use crate::report::chart_set::ChartSet;
use crate::report::data::{MoneyRow, RunData};
use crate::report::figures;
use crate::report::kit::{figure, section, Cell, Column, Row, Table};
use crate::report::text::{self, escape, Lang};
use std::collections::BTreeMap;
use std::fmt::Write;
use super::{chart, institution_link};

fn money_table_by<F: Fn(&MoneyRow) -> String>(
    out: &mut String,
    lang: Lang,
    rows: &[MoneyRow],
    key_label: &str,
    key: F,
    shown: &dyn Fn(&str) -> String,
    total_key: &str,
) {
    let mut groups: BTreeMap<String, (usize, i64)> = BTreeMap::new();
    for row in rows {
        let entry = groups.entry(key(row)).or_default();
        entry.0 += 1;
        entry.1 += row.amount_fen;
    }
    let mut groups: Vec<(String, (usize, i64))> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then_with(|| a.0.cmp(&b.0)));
    let mut table = Table::new(lang, None, vec![Column::text(key_label), Column::number(lang.t("行数", "rows")), Column::money(lang.t("金额", "amount"))]);
    for (group, (count, fen)) in &groups {
        table.row([Cell::pre_escaped(shown(group)), Cell::number(count), Cell::money(*fen)]);
    }
    let total: i64 = rows.iter().map(|r| r.amount_fen).sum();
    table.row_with(
        Row::new().class("total"),
        [
            Cell::text(lang.t("合计", "total")),
            Cell::number(rows.len()),
            Cell::pre_escaped(figure(total_key, &text::yuan(total), &text::money(lang, total))),
        ],
    );
    out.push_str(&table.finish());
}

fn rules_shown(lang: Lang, rules: &str) -> String {
    rules
        .split(',')
        .map(|rule| format!("<span title=\"{}\">{}</span>", escape(&text::rule_label(lang, rule.trim())), escape(rule.trim())))
        .collect::<Vec<_>>()
        .join(", ")
        + &format!(
            " <span class=\"muted\">{}</span>",
            escape(&rules.split(',').map(|r| text::rule_name(lang, r.trim())).collect::<Vec<_>>().join("、"))
        )
}

pub(crate) fn money(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    out.push_str(&section(Some("money"), lang.t("追回与暂缓拨付", "Recoveries and holds")));
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        lang.t(
            "已拨付申领中违规部分须追回；待拨付申领中违规部分应暂缓拨付；已驳回申领只标记不计金额。申诉撤销的问题不计。",
            "Parts at stake of paid claims are recovered; of pending claims, held; rejected claims are flagged only. Findings overturned on appeal count for nothing."
        )
    );
    chart(out, charts, "money_by_rule", lang);
    let by_rule = figures::money_by_rule(data);
    if !by_rule.is_empty() {
        let mut table = Table::new(
            lang,
            Some("at-stake-by-rule"),
            vec![
                Column::text(lang.t("规则", "Rule")),
                Column::number(lang.t("问题数", "findings")),
                Column::money(lang.t("涉险金额", "at stake")),
            ],
        );
        for (rule, fen, n) in &by_rule {
            table.row_with(Row::new().data("rule", rule).data("fen", fen), [Cell::text(text::rule_label(lang, rule)), Cell::number(n), Cell::money(*fen)]);
        }
        out.push_str(&table.finish());
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p>",
            lang.t(
                "一条明细可能同时违反多条规则，按规则分列的金额之和可能大于涉险总额。",
                "A line may break several rules, so the amounts per rule may add up to more than the total at stake."
            )
        );
    }
    for (rows, title, prefix) in
        [(&data.recoveries, lang.t("应追回", "To recover"), "recoveries"), (&data.holds, lang.t("应暂缓拨付", "To hold"), "holds")]
    {
        let _ = write!(out, "<h3>{} · {}</h3>", escape(title), lang.t("按规则组合", "by rules"));
        if rows.is_empty() {
            let _ = write!(out, "<p>{}</p>", lang.t("无。", "None."));
            let _ = write!(out, "<p hidden>{}</p>", figure(&format!("{prefix}-by-rules-total"), "0.00", "0"));
            continue;
        }
        money_table_by(
            out,
            lang,
            rows,
            lang.t("规则", "Rules"),
            |r| r.rules.clone(),
            &|rules: &str| rules_shown(lang, rules),
            &format!("{prefix}-by-rules-total"),
        );
        let _ = write!(out, "<h3>{} · {}</h3>", escape(title), lang.t("按机构", "by institution"));
        money_table_by(
            out,
            lang,
            rows,
            lang.t("机构", "Institution"),
            |r| r.institution_id.clone(),
            &|id: &str| institution_link(data, id, lang),
            &format!("{prefix}-by-institution-total"),
        );
    }
    out.push_str("</section>\n");
}
