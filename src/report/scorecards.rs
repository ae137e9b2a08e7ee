//! `scorecards/ID.html`: one page per institution for evaluators: its indicators against its
//! peers' medians (institutions of the same kind) and the floors, targets and tier cut-offs; its
//! score over the quarters of history; each deduction with the findings and evidence behind it;
//! its risk signals and the money to recover or hold. Same rules as the report: one file,
//! inline CSS and SVG, no script, no fetch, everything escaped, every figure from the tables.
//!
//! Layer 3 (sections, built from the figures with the kit's tables), with the assembly of its
//! sections into one page per institution; `render` (the pages) calls [`write_all`].

use crate::error::{Error, Result};
use crate::rating::INDICATORS;
use crate::report::charts;
use crate::report::data::{Flag, HistoryRow, Institution, Lead, MoneyRow, RunData, SignalValue};
use crate::report::figures::{peer_medians, reason};
use crate::report::kit::{figure, inline_svg, page, section, tier_badge, Cell, Column, Row, Table};
use crate::report::links::{dossier_file, scorecard_file, DOSSIERS_DIR, SCORECARDS_DIR};
use crate::report::text::{self, escape, Lang};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

/// Rows of the run's tables grouped by institution, built once for all scorecards.
struct ByInstitution<'a> {
    flags: BTreeMap<&'a str, Vec<&'a Flag>>,
    recoveries: BTreeMap<&'a str, Vec<&'a MoneyRow>>,
    holds: BTreeMap<&'a str, Vec<&'a MoneyRow>>,
    history: BTreeMap<&'a str, Vec<&'a HistoryRow>>,
    /// The first lead of each institution.
    leads: BTreeMap<&'a str, &'a Lead>,
    signal_values: BTreeMap<&'a str, Vec<&'a SignalValue>>,
}

impl<'a> ByInstitution<'a> {
    fn new(data: &'a RunData) -> ByInstitution<'a> {
        let mut by = ByInstitution {
            flags: BTreeMap::new(),
            recoveries: BTreeMap::new(),
            holds: BTreeMap::new(),
            history: BTreeMap::new(),
            leads: BTreeMap::new(),
            signal_values: BTreeMap::new(),
        };
        for flag in &data.flags {
            by.flags.entry(flag.institution_id.as_str()).or_default().push(flag);
        }
        for row in &data.recoveries {
            by.recoveries.entry(row.institution_id.as_str()).or_default().push(row);
        }
        for row in &data.holds {
            by.holds.entry(row.institution_id.as_str()).or_default().push(row);
        }
        for row in data.history.iter().flatten() {
            by.history.entry(row.institution_id.as_str()).or_default().push(row);
        }
        for lead in data.leads.iter().flatten() {
            by.leads.entry(lead.institution_id.as_str()).or_insert(lead);
        }
        for value in data.signal_values.iter().flatten() {
            by.signal_values.entry(value.institution_id.as_str()).or_default().push(value);
        }
        by
    }
}

/// Writes the scorecards (all, or only `only`) into `scorecards/`; returns their paths.
pub(crate) fn write_all(data: &RunData, lang: Lang, only: Option<&str>) -> Result<Vec<PathBuf>> {
    let dir = data.dir.join(SCORECARDS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating the scorecards folder", &dir, e))?;
    let by = ByInstitution::new(data);
    let mut medians: BTreeMap<&str, [Option<f64>; 6]> = BTreeMap::new();
    let mut written = Vec::new();
    for institution in data.institutions.iter().filter(|i| only.is_none_or(|id| i.id == id)) {
        let peers = *medians.entry(institution.kind.as_str()).or_insert_with(|| peer_medians(data, &institution.kind));
        let page = scorecard(data, lang, institution, &peers, &by)?;
        let path = dir.join(scorecard_file(&institution.id, lang));
        std::fs::write(&path, page).map_err(|e| Error::io("writing a scorecard", &path, e))?;
        written.push(path);
    }
    Ok(written)
}

fn scorecard(data: &RunData, lang: Lang, institution: &Institution, peers: &[Option<f64>; 6], by: &ByInstitution) -> Result<String> {
    let id = institution.id.as_str();
    let settings = &data.settings;
    let title = match lang {
        Lang::Zh => format!("评分卡 {} {} {}", id, institution.name, data.quarter),
        Lang::En => format!("Scorecard {} {} {}", id, institution.name, data.quarter),
    };
    let mut out = String::new();
    let _ = write!(
        out,
        "<header class=\"top\"><h1 id=\"title\">{}</h1><p>{} · {} · {} {} · <a style=\"color:#fff\" href=\"../report{}.html\">{}</a></p></header><main>",
        escape(&format!("{id} {}", institution.name)),
        escape(&text::kind_name(lang, &institution.kind)),
        escape(&institution.district),
        lang.t("评价季度", "quarter"),
        escape(&data.quarter),
        lang.file_suffix(),
        lang.t("返回报告", "back to the report")
    );

    // The verdict.
    let _ = write!(out, "<section id=\"verdict\"><h2>{}</h2><div class=\"cards\">", lang.t("评价结果", "Verdict"));
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{} → {}</div></div>",
        lang.t("上季度 → 本季度", "before → now"),
        institution.previous_tier.map(|t| tier_badge(lang, t.as_str())).unwrap_or_else(|| "—".into()),
        tier_badge(lang, institution.tier.as_str())
    );
    let score_value = institution.score.map(|s| format!("{s:.2}")).unwrap_or_default();
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}</div></div>",
        lang.t("得分", "score"),
        figure("score", &score_value, &text::score(institution.score))
    );
    let mut action = text::action_name(lang, institution.action.as_str());
    if let Some(until) = &institution.banned_until {
        let _ = write!(action, "（{} {until}）", lang.t("至", "until"));
    }
    if let Some(pct) = institution.subsidy_uplift_pct.filter(|p| *p > 0.0) {
        let _ = write!(action, " +{pct:.0}%");
    }
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\" style=\"font-size:17px\">{}</div></div>",
        lang.t("处理", "action"),
        escape(&action)
    );
    if let Some(risk) = institution.risk_score {
        let _ = write!(
            out,
            "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{risk:.3}</div></div>",
            lang.t("风险分（0–1）", "risk score (0–1)")
        );
    }
    let dossier = if institution.lead_rank.is_some() {
        format!(
            " <a style=\"font-size:14px\" href=\"../{}/{}\">{}</a>",
            DOSSIERS_DIR,
            escape(&dossier_file(id, lang)),
            lang.t("线索档案", "dossier")
        )
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "<div class=\"card\"><div class=\"label\">{}</div><div class=\"value\">{}{dossier}</div></div>",
        lang.t("线索排名", "lead rank"),
        institution.lead_rank.map(|r| format!("#{r}")).unwrap_or_else(|| "—".into())
    );
    out.push_str("</div>");
    let _ = write!(out, "<p><strong>{}</strong> {}</p>", lang.t("原因：", "Why:"), escape(&reason(lang, institution, &data.settings)));
    out.push_str("</section>");

    // Indicators.
    let peer_count = data.peers(&institution.kind).count();
    let _ = write!(
        out,
        "<section id=\"indicators\"><h2>{}</h2><p class=\"muted\">{}</p>",
        lang.t("绩效指标与同类机构比较", "Indicators against peers"),
        escape(&match lang {
            Lang::Zh => format!("同类机构：{} 家{}（含本机构）。每项指标在下限与目标之间线性得分 0–100。", peer_count, text::kind_name(lang, &institution.kind)),
            Lang::En => format!("Peers: {peer_count} institutions of kind {} (this one included). Each indicator earns 0–100 points linearly between its floor and target.", text::kind_name(lang, &institution.kind)),
        })
    );
    let rows: Vec<charts::IndicatorRow> = INDICATORS
        .iter()
        .enumerate()
        .map(|(i, id)| {
            (text::indicator_name(lang, id), institution.values[i], peers[i], settings.indicators[i].1, settings.indicators[i].2)
        })
        .collect();
    let profile_title = lang.t(
        "指标（深色条）、同类中位数（黑线）、下限至目标（浅蓝区间）",
        "Indicator (bar), peer median (black line), floor to target (light band)",
    );
    let profile = charts::IndicatorProfile { lang, title: profile_title.to_string(), rows };
    let _ = write!(out, "<figure>{}</figure>", inline_svg(&charts::svg(&profile, "an indicator profile")?));
    let mut table = Table::new(
        lang,
        Some("indicator-table"),
        vec![
            Column::text(lang.t("指标", "Indicator")),
            Column::number(lang.t("本机构", "value")),
            Column::number(lang.t("同类中位数", "peer median")),
            Column::number(lang.t("下限", "floor")),
            Column::number(lang.t("目标", "target")),
            Column::number(lang.t("权重", "weight")),
            Column::number(lang.t("得分", "points")),
        ],
    );
    for (i, id) in INDICATORS.iter().enumerate() {
        let (weight, floor, target) = settings.indicators[i];
        let points = institution.points[i]
            .map(|p| format!("{p:.2}"))
            .unwrap_or_else(|| lang.t("无数据，权重重新分配", "no data, left out").to_string());
        table.row_with(
            Row::new().data("indicator", id),
            [
                Cell::text(text::indicator_name(lang, id)),
                Cell::number(text::percent(institution.values[i])),
                Cell::number(text::percent(peers[i])),
                Cell::number(format!("{:.0}%", floor * 100.0)),
                Cell::number(format!("{:.0}%", target * 100.0)),
                Cell::number(format!("{weight:.0}")),
                Cell::number(points),
            ],
        );
    }
    out.push_str(&table.finish());
    let _ = write!(
        out,
        "<p>{} <strong>{}</strong> − {} <strong>{}</strong> = {} <strong>{}</strong>. {}</p></section>",
        lang.t("加权得分", "Weighted points"),
        text::score(institution.weighted_points),
        lang.t("扣分", "deductions"),
        figure(
            "deductions",
            &institution.deductions.map(|d| format!("{d}")).unwrap_or_default(),
            &institution.deductions.map(|d| format!("{d:.0}")).unwrap_or_else(|| "0".into())
        ),
        lang.t("得分", "score"),
        text::score(institution.score),
        escape(&match lang {
            Lang::Zh => format!(
                "等级分数线：A ≥ {:.0}，B ≥ {:.0}，C ≥ {:.0}；违规金额占比超过 {}% 为 D。",
                settings.cutoff_a, settings.cutoff_b, settings.cutoff_c, settings.max_breach_share_percent
            ),
            Lang::En => format!(
                "Cut-offs: A ≥ {:.0}, B ≥ {:.0}, C ≥ {:.0}; a breach share above {}% is D.",
                settings.cutoff_a, settings.cutoff_b, settings.cutoff_c, settings.max_breach_share_percent
            ),
        })
    );

    deductions(&mut out, data, lang, institution, by.flags.get(institution.id.as_str()).map(Vec::as_slice).unwrap_or(&[]));
    trend(&mut out, data, lang, institution, by.history.get(institution.id.as_str()).map(Vec::as_slice).unwrap_or(&[]))?;
    signals(&mut out, data, lang, institution, by);
    money(&mut out, lang, by.recoveries.get(id).map(Vec::as_slice).unwrap_or(&[]), by.holds.get(id).map(Vec::as_slice).unwrap_or(&[]));
    let _ = write!(
        out,
        "</main><footer>{}</footer>",
        lang.t(
            "数据来源：同一运行文件夹中的 institution_scores、flags、recoveries、holds、leads、signal_values、history 表。",
            "Source: the institution_scores, flags, recoveries, holds, leads, signal_values and history tables of the same run folder."
        )
    );
    Ok(page(lang, &title, &out))
}

fn deductions(out: &mut String, data: &RunData, lang: Lang, institution: &Institution, flags: &[&Flag]) {
    let s = &data.settings;
    out.push_str(&section(Some("deductions"), lang.t("扣分及其证据", "Deductions and their evidence")));
    let breach_lines = institution.breach_lines.unwrap_or(0) as f64;
    let procedural = institution.procedural_findings.unwrap_or(0) as f64;
    let violations = institution.violations.unwrap_or(0) as f64;
    let parts = [
        (lang.t("违规明细", "breach lines"), breach_lines, s.per_breach_line, Some(s.breach_lines_max)),
        (lang.t("程序问题", "procedural findings"), procedural, s.per_procedural_finding, Some(s.procedural_max)),
        (lang.t("违规处理决定", "violation decisions"), violations, s.per_violation, None),
    ];
    let mut table = Table::new(
        lang,
        Some("deduction-table"),
        vec![
            Column::text(lang.t("扣分项", "Item")),
            Column::number(lang.t("数量", "count")),
            Column::number(lang.t("每项扣分", "each")),
            Column::number(lang.t("上限", "cap")),
            Column::number(lang.t("扣分", "points")),
        ],
    );
    for (label, count, each, cap) in parts {
        let points = cap.map_or(count * each, |cap| (count * each).min(cap));
        table.row([
            Cell::text(label),
            Cell::number(format!("{count:.0}")),
            Cell::number(format!("{each:.0}")),
            Cell::number(cap.map(|c| format!("{c:.0}")).unwrap_or_else(|| "—".into())),
            Cell::number(if points > 0.0 { format!("−{points:.0}") } else { "0".into() }),
        ]);
    }
    table.row_with(
        Row::new().class("total"),
        [
            Cell::text(lang.t("合计（institution_scores.deductions）", "total (institution_scores.deductions)")),
            Cell::empty(),
            Cell::empty(),
            Cell::empty(),
            Cell::number(institution.deductions.filter(|d| *d > 0.0).map(|d| format!("−{d:.0}")).unwrap_or_else(|| "0".into())),
        ],
    );
    out.push_str(&table.finish());
    if flags.is_empty() {
        let _ = write!(out, "<p>{}</p></section>", lang.t("本季度没有任何问题记录。", "No finding this quarter."));
        return;
    }
    let mut table = Table::new(
        lang,
        Some("finding-table"),
        vec![
            Column::text(lang.t("类别", "Kind")),
            Column::text(lang.t("规则", "Rule")),
            Column::text(lang.t("对象", "Entity")),
            Column::text(lang.t("严重程度", "Severity")),
            Column::money(lang.t("涉险金额", "At stake")),
            Column::text(lang.t("证据", "Evidence")).class("evidence"),
        ],
    );
    let mut sorted: Vec<&&Flag> = flags.iter().collect();
    let kind_order = |kind: &str| ["decision", "breach", "procedural", "signal"].iter().position(|k| *k == kind).unwrap_or(4);
    sorted.sort_by(|a, b| kind_order(&a.kind).cmp(&kind_order(&b.kind)).then_with(|| a.flag_id.cmp(&b.flag_id)));
    for flag in sorted {
        let overturned = if flag.overturned {
            format!(" <span class=\"muted\">({})</span>", lang.t("申诉撤销：不扣分、不计金额", "overturned on appeal: no points, no money"))
        } else {
            String::new()
        };
        table.row_with(
            Row::new().data("flag", &flag.flag_id),
            [
                Cell::pre_escaped(format!("{}{overturned}", escape(&text::flag_kind_name(lang, &flag.kind)))),
                Cell::text(text::rule_label(lang, &flag.rule)),
                Cell::text(&flag.entity_id),
                Cell::text(text::severity_name(lang, &flag.severity)),
                Cell::money(flag.amount_fen),
                Cell::text(flag.evidence.show(lang)),
            ],
        );
    }
    out.push_str(&table.finish());
    out.push_str("</section>");
}

fn trend(out: &mut String, data: &RunData, lang: Lang, institution: &Institution, history: &[&HistoryRow]) -> Result<()> {
    out.push_str(&section(Some("trend"), lang.t("历次评价", "Over the quarters")));
    if data.history.is_none() {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p></section>",
            lang.t(
                "本次运行没有历史表（history.parquet），只有本季度结果。",
                "This run has no history table (history.parquet): this quarter only."
            )
        );
        return Ok(());
    }
    let mut rows: Vec<(String, Option<f64>, String, String)> =
        history.iter().map(|h| (h.quarter.clone(), h.score, h.tier.clone(), h.action.clone())).collect();
    if !rows.iter().any(|r| r.0 == data.quarter) {
        rows.push((data.quarter.clone(), institution.score, institution.tier.to_string(), institution.action.to_string()));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let s = &data.settings;
    let plot = charts::ScoreTrend {
        lang,
        title: lang.t("得分走势与等级分数线", "Score and tier cut-offs").to_string(),
        quarters: rows.iter().map(|r| r.0.clone()).collect(),
        scores: rows.iter().map(|r| r.1).collect(),
        tiers: rows.iter().map(|r| r.2.clone()).collect(),
        cutoffs: (s.cutoff_c, s.cutoff_b, s.cutoff_a),
    };
    let _ = write!(out, "<figure>{}</figure>", inline_svg(&charts::svg(&plot, "a score trend")?));
    let mut table = Table::new(
        lang,
        Some("history-table"),
        vec![
            Column::text(lang.t("季度", "Quarter")),
            Column::number(lang.t("得分", "Score")),
            Column::text(lang.t("等级", "Tier")),
            Column::text(lang.t("处理", "Action")),
        ],
    );
    for (quarter, score, tier, action) in &rows {
        table.row([
            Cell::text(quarter),
            Cell::number(text::score(*score)),
            Cell::pre_escaped(tier_badge(lang, tier)),
            Cell::text(text::action_name(lang, action)),
        ]);
    }
    out.push_str(&table.finish());
    out.push_str("</section>");
    Ok(())
}

fn signals(out: &mut String, data: &RunData, lang: Lang, institution: &Institution, by: &ByInstitution) {
    out.push_str(&section(Some("signals"), lang.t("风险信号", "Risk signals")));
    // Looked up in maps built once: a nation's 66,000 scorecards each scanning every lead and
    // signal value took minutes.
    let lead = by.leads.get(institution.id.as_str()).copied();
    match (&data.leads, lead) {
        (None, _) => {
            let _ = write!(
                out,
                "<p class=\"note\">{}</p>",
                lang.t("本次运行没有线索表（leads.parquet）。", "This run has no leads table (leads.parquet).")
            );
        }
        (Some(_), None) => {
            let _ = write!(out, "<p>{}</p>", lang.t("本机构不在调查线索中。", "This institution is not among the leads."));
        }
        (Some(_), Some(lead)) => {
            let _ = write!(
                out,
                "<p>{} <strong>#{}</strong> · {} <strong>{}</strong>{} </p><p class=\"evidence\">{}</p>",
                lang.t("线索排名", "Lead rank"),
                lead.rank,
                lang.t("风险分（0–1）", "risk score (0–1)"),
                lead.risk_score.map(|r| format!("{r:.3}")).unwrap_or_else(|| "—".into()),
                if lead.high_priority {
                    format!(" <span class=\"hp\">{}</span>", lang.t("高优先级", "high priority"))
                } else {
                    String::new()
                },
                escape(&lead.evidence.show(lang))
            );
        }
    }
    if data.signal_values.is_some() {
        let mine: Vec<&SignalValue> = by.signal_values.get(institution.id.as_str()).cloned().unwrap_or_default();
        if !mine.is_empty() {
            let mut table = Table::new(
                lang,
                Some("signal-table"),
                vec![
                    Column::text(lang.t("信号", "Signal")),
                    Column::number(lang.t("本机构值", "value")),
                    Column::number(lang.t("同类值", "peer value")),
                    Column::number(lang.t("阈值", "threshold")),
                    Column::text(lang.t("触发", "fired")),
                    Column::text(lang.t("证据", "evidence")).class("evidence"),
                ],
            );
            let unit = |value: &SignalValue| text::signal_unit(&value.signal, value.unit.as_deref());
            let number = |value: &SignalValue, v: Option<f64>| Cell::number(text::signal_number(lang, v, unit(value)));
            for value in mine {
                let fired = if value.fired {
                    Cell::pre_escaped(format!("<span class=\"bad\">{}</span>", escape(lang.t("是", "yes"))))
                } else {
                    Cell::text(lang.t("否", "no"))
                };
                table.row([
                    Cell::text(text::signal_name(lang, &value.signal)),
                    number(value, value.value),
                    number(value, value.peer_value),
                    number(value, value.threshold),
                    fired,
                    Cell::text(value.evidence.show(lang)),
                ]);
            }
            out.push_str(&table.finish());
        }
    }
    out.push_str("</section>");
}

fn money(out: &mut String, lang: Lang, recoveries: &[&MoneyRow], holds: &[&MoneyRow]) {
    out.push_str(&section(Some("money"), lang.t("追回与暂缓拨付", "Recoveries and holds")));
    for (rows, title, key) in
        [(recoveries, lang.t("应追回", "To recover"), "recoveries"), (holds, lang.t("应暂缓拨付", "To hold"), "holds")]
    {
        let total: i64 = rows.iter().map(|r| r.amount_fen).sum();
        let _ = write!(out, "<h3>{} · {}</h3>", escape(title), figure(key, &text::yuan(total), &text::money(lang, total)));
        if rows.is_empty() {
            continue;
        }
        let mut table = Table::new(
            lang,
            None,
            vec![
                Column::text(lang.t("申领", "Claim")),
                Column::text(lang.t("报名", "Enrollment")),
                Column::text(lang.t("规则", "Rules")),
                Column::money(lang.t("金额", "Amount")),
            ],
        );
        for row in rows.iter() {
            table.row([
                Cell::text(row.claim_id.as_deref().unwrap_or("—")),
                Cell::text(row.enrollment_id.as_deref().unwrap_or("—")),
                Cell::text(row.rules.split(',').map(|r| text::rule_label(lang, r.trim())).collect::<Vec<_>>().join("、")),
                Cell::money(row.amount_fen),
            ]);
        }
        out.push_str(&table.finish());
    }
    out.push_str("</section>");
}
