//! The investigation leads (`#leads`): statistical leads and breach-only leads, the signals
//! fired for the top ten, the Benford chart.

use crate::report::chart_set::ChartSet;
use crate::report::data::{Lead, RunData};
use crate::report::kit::{figure, section, tier_badge, Cell, Column, Row, Table};
use crate::report::links::{dossier_file, DOSSIERS_DIR};
use crate::report::text::{self, escape, Lang};
use std::fmt::Write;
use super::{chart, institution_cell, institution_link};

/// One table of leads (rank among all leads, institution, tier, risk, signals, evidence).
fn lead_table(out: &mut String, data: &RunData, lang: Lang, id: &str, leads: &[&Lead]) {
    if leads.is_empty() {
        return;
    }
    let mut table = Table::new(
        lang,
        Some(id),
        vec![
            Column::number(lang.t("排名", "Rank")),
            Column::text(lang.t("机构", "Institution")),
            Column::text(lang.t("等级", "Tier")),
            Column::number(lang.t("风险分（0–1）", "Risk score (0–1)")),
            Column::text(lang.t("信号", "Signals")),
            Column::text(lang.t("证据", "Evidence")).class("evidence"),
        ],
    );
    for lead in leads {
        let tier = data.institution(&lead.institution_id).map(|i| i.tier.as_str()).unwrap_or_default();
        let signals: Vec<String> =
            lead.signals.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| text::signal_name(lang, s)).collect();
        let mut hp = if lead.high_priority {
            format!(" <span class=\"hp\">{}</span>", lang.t("高优先级", "high priority"))
        } else {
            String::new()
        };
        let _ = write!(
            hp,
            " <a class=\"dossier\" href=\"{}/{}\">{}</a>",
            DOSSIERS_DIR,
            escape(&dossier_file(&lead.institution_id, lang)),
            lang.t("线索档案", "dossier")
        );
        // The evidence one signal a line; related leads after them.
        let evidence = lead
            .evidence
            .show(lang)
            .split(" | ")
            .map(escape)
            .chain((!lead.related_leads.is_empty()).then(|| format!("<strong>{}</strong> {}", lang.t("关联线索：", "Related leads:"), escape(&lead.related_leads))))
            .collect::<Vec<_>>()
            .join("<br>");
        table.row_with(
            Row::new().data("lead", &lead.institution_id),
            [
                Cell::number(lead.rank),
                Cell::pre_escaped(format!("{}{hp}", institution_link(data, &lead.institution_id, lang))),
                Cell::pre_escaped(tier_badge(lang, tier)),
                Cell::number(lead.risk_score.map(|r| format!("{r:.3}")).unwrap_or_else(|| "—".into())),
                Cell::text(signals.join("；")),
                Cell::pre_escaped(evidence),
            ],
        );
    }
    out.push_str(&table.finish());
}

pub(crate) fn leads(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    out.push_str(&section(Some("leads"), lang.t("调查线索", "Investigation leads")));
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        lang.t(
            "风险信号是与同类机构相比的统计异常，用于排定核查顺序；信号本身不导致禁入或追回，须经调查人员决定。",
            "Risk signals are statistical anomalies against peers that rank the visits; they never ban or recover money by themselves: an investigator decides."
        )
    );
    let Some(leads) = &data.leads else {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p></section>",
            lang.t(
                "本次运行没有线索表（leads.parquet 不存在），因此没有可显示的调查线索。",
                "This run has no leads table (leads.parquet is absent): no leads to show."
            )
        );
        return;
    };
    let _ = write!(
        out,
        "<p>{}</p>",
        match lang {
            Lang::Zh => format!("共 {} 条线索。", figure("leads", &leads.len().to_string(), &leads.len().to_string())),
            Lang::En => format!("{} leads.", figure("leads", &leads.len().to_string(), &leads.len().to_string())),
        }
    );
    // Statistical leads first; institutions whose only evidence is their own rule breaches in
    // a list of their own (an inspector's visit, not an analyst's).
    let statistical: Vec<&Lead> = leads.iter().filter(|l| l.lead_list != "breaches_only").collect();
    let breaches_only: Vec<&Lead> = leads.iter().filter(|l| l.lead_list == "breaches_only").collect();
    lead_table(out, data, lang, "lead-table", &statistical);
    if !breaches_only.is_empty() {
        let _ = write!(
            out,
            "<h3>{}</h3><p class=\"muted\">{}</p>",
            lang.t("仅有自身违规明细的机构", "Institutions whose only evidence is their own rule breaches"),
            lang.t(
                "这些机构没有统计异常，只因本季度违规明细进入线索；排名为全部线索中的名次。",
                "No statistical anomaly: these are leads for their rule breaches in the quarter alone; the rank is among all leads."
            )
        );
        lead_table(out, data, lang, "breach-lead-table", &breaches_only);
    }
    match &data.signal_values {
        Some(values) => {
            let top: Vec<&str> = leads.iter().take(10).map(|l| l.institution_id.as_str()).collect();
            let fired: Vec<_> = values.iter().filter(|v| v.fired && top.contains(&v.institution_id.as_str())).collect();
            if !fired.is_empty() {
                let _ = write!(out, "<h3>{}</h3>", lang.t("前十条线索触发的信号", "Signals fired for the top ten leads"));
                let mut table = Table::new(
                    lang,
                    Some("signal-table"),
                    vec![
                        Column::text(lang.t("机构", "Institution")),
                        Column::text(lang.t("信号", "Signal")),
                        Column::number(lang.t("本机构值", "Value")),
                        Column::number(lang.t("同类值", "Peer value")),
                        Column::number(lang.t("阈值", "Threshold")),
                        Column::text(lang.t("涉及记录", "Rows")).class("evidence"),
                        Column::text(lang.t("证据", "Evidence")).class("evidence"),
                    ],
                );
                let unit = |value: &crate::report::data::SignalValue| text::signal_unit(&value.signal, value.unit.as_deref());
                let number = |value: &crate::report::data::SignalValue, v: Option<f64>| text::signal_number(lang, v, unit(value));
                for value in fired {
                    table.row([
                        institution_cell(data, &value.institution_id, lang),
                        Cell::text(text::signal_name(lang, &value.signal)),
                        Cell::number(number(value, value.value)),
                        Cell::number(number(value, value.peer_value)),
                        Cell::number(number(value, value.threshold)),
                        Cell::text(value.rows.as_deref().unwrap_or("")),
                        Cell::text(value.evidence.show(lang)),
                    ]);
                }
                out.push_str(&table.finish());
            }
        }
        None => {
            let _ = write!(
                out,
                "<p class=\"note\">{}</p>",
                lang.t("信号明细表（signal_values.parquet）不存在。", "The signal values table (signal_values.parquet) is absent.")
            );
        }
    }
    if data.benford.is_some() {
        chart(out, charts, "benford_top_leads", lang);
    } else {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p>",
            lang.t(
                "首位数字表（benford_digits.parquet）不存在，无本福特图。",
                "The first-digit table (benford_digits.parquet) is absent: no Benford chart."
            )
        );
    }
    out.push_str("</section>\n");
}
