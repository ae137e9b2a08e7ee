//! The sections of `report.html` (layer 3: built from the figures with the kit; `render`
//! assembles them into the page): the quarter at a glance, the tiers, the leads, the money, the
//! budget, the trend, publication, data quality and the sources with their checks.
//!
//! Each section is a function writing its markup from the run's rows and figures; every table is
//! a [`Table`] of the kit, so escaping and alignment are the kit's. Key figures carry
//! machine-readable attributes (`data-figure="to-recover" data-value="1234.50"`), so a test or an
//! auditor can compare them with the tables.

use crate::rating::INDICATORS;
use crate::report::chart_set::ChartSet;
use crate::report::data::{Institution, Lead, MoneyRow, RunData, Said, SettingsSource};
use crate::report::figures::{self, lead_standing, movement, reason, Check, Movement};
use crate::report::kit::{card, figure, inline_svg, link, section, tier_badge, Align, Cell, Column, Row, Table};
use crate::report::links::{dossier_file, scorecard_file, DOSSIERS_DIR, SCORECARDS_DIR};
use crate::report::text::{self, escape, Lang};
use crate::vocab::{Action, Tier};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The indicators without data this quarter (`summary.json` → `indicators_without_data`), said
/// first: every score of the page was computed without them.
fn without_data(out: &mut String, data: &RunData, lang: Lang) {
    let Some(gaps) = data.summary["indicators_without_data"].as_array().filter(|gaps| !gaps.is_empty()) else { return };
    let listed: Vec<String> = gaps
        .iter()
        .map(|gap| {
            let name = text::indicator_name(lang, gap["indicator"].as_str().unwrap_or_default());
            // Rendered from its code when summary.json keeps one (`reason_code`, `reason_args`).
            let reason = escape(&Said::from_json(gap, "reason").show(lang));
            match lang {
                Lang::Zh => format!("{}（{reason}）", escape(&name)),
                Lang::En => format!("{} ({reason})", escape(&name)),
            }
        })
        .collect();
    let _ = match lang {
        Lang::Zh => write!(
            out,
            "<p class=\"warn\" id=\"no-data\">本季度以下指标无数据，未计入任何机构的得分（其余指标按权重重新归一），不按 0 计：{}。</p>",
            listed.join("；")
        ),
        Lang::En => write!(
            out,
            "<p class=\"warn\" id=\"no-data\">No data this quarter for: {}. These indicators are left out of every score (the other weights renormalised), never counted as 0.</p>",
            listed.join("; ")
        ),
    };
}

/// A link to an institution's scorecard from the run folder, showing its id and name; an id
/// the run does not rate is shown as it is.
fn institution_cell(data: &RunData, id: &str, lang: Lang) -> Cell {
    match data.institution(id) {
        Some(institution) => Cell::link(&format!("{SCORECARDS_DIR}/{}", scorecard_file(id, lang)), id, Some(&institution.name)),
        None => Cell::text(id),
    }
}

/// [`institution_cell`] as markup, for a cell that shows more beside it.
fn institution_link(data: &RunData, id: &str, lang: Lang) -> String {
    match data.institution(id) {
        Some(institution) => link(&format!("{SCORECARDS_DIR}/{}", scorecard_file(id, lang)), id, Some(&institution.name)),
        None => escape(id),
    }
}

fn chart(out: &mut String, charts: &ChartSet, stem: &str, lang: Lang) {
    if let Some(chart) = charts.get(stem) {
        let _ = write!(
            out,
            "<figure id=\"chart-{stem}\" data-chart=\"{stem}\">{}<figcaption>{} · {}: {} · <a href=\"charts/{stem}{suffix}.png\">PNG</a> · <a href=\"charts/{stem}{suffix}.svg\">SVG</a></figcaption></figure>",
            inline_svg(&chart.svg),
            escape(&chart.title),
            lang.t("数据来源", "source"),
            escape(&chart.source),
            suffix = lang.file_suffix()
        );
    }
}

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

pub(crate) fn glance(out: &mut String, data: &RunData, lang: Lang) {
    out.push_str(&section(Some("glance"), lang.t("本季概览", "The quarter at a glance")));
    without_data(out, data, lang);
    let counts = data.tier_counts();
    out.push_str("<div class=\"cards\">");
    let total = data.institutions.len();
    out.push_str(&card(lang.t("参评机构", "Institutions"), "institutions", &total.to_string(), &text::count(total), ""));
    for tier in Tier::ALL {
        let n = counts.get(tier.as_str()).copied().unwrap_or(0);
        out.push_str(&card(&text::tier_name(lang, tier.as_str()), &format!("tier-{tier}"), &n.to_string(), &text::count(n), ""));
    }
    out.push_str("</div>");

    // Money.
    out.push_str("<div class=\"cards\">");
    let claimed = data.summary_total_fen("claimed");
    let at_risk = data.summary_total_fen("at_risk").unwrap_or_else(|| figures::at_stake_from_flags(data));
    let to_recover = data.summary_total_fen("to_recover").unwrap_or_else(|| data.recoveries_fen());
    let to_hold = data.summary_total_fen("to_hold").unwrap_or_else(|| data.holds_fen());
    match claimed {
        Some(fen) => out.push_str(&card(
            lang.t("本季度申领金额", "Claimed this quarter"),
            "claimed",
            &text::yuan(fen),
            &text::money(lang, fen),
            "money",
        )),
        None => {
            out.push_str(&card(lang.t("本季度申领金额", "Claimed this quarter"), "claimed", "", lang.t("未记录", "not recorded"), "money"))
        }
    }
    out.push_str(&card(lang.t("涉险金额", "At stake"), "at-risk", &text::yuan(at_risk), &text::money(lang, at_risk), "money"));
    out.push_str(&card(
        lang.t("应追回（已拨付）", "To recover (paid)"),
        "to-recover",
        &text::yuan(to_recover),
        &text::money(lang, to_recover),
        "money",
    ));
    out.push_str(&card(
        lang.t("应暂缓拨付（待拨付）", "To hold (pending)"),
        "to-hold",
        &text::yuan(to_hold),
        &text::money(lang, to_hold),
        "money",
    ));
    out.push_str("</div>");
    // What orders the recoveries: the rules (lines at stake, as "at stake" counts them) or a
    // fraud_confirmed decision's stated amount (rules `DECISION`), which "at stake" does not hold.
    let (by_rule, by_decision) = data.recoveries_split_fen();
    out.push_str("<div class=\"cards\">");
    for (label, key, fen) in [
        (lang.t("应追回：按规则认定", "To recover: by rule"), "to-recover-by-rule", by_rule),
        (lang.t("应追回：按处理决定", "To recover: by decision"), "to-recover-by-decision", by_decision),
    ] {
        out.push_str(&card(label, key, &text::yuan(fen), &text::money(lang, fen), "money"));
    }
    out.push_str("</div>");

    // Movements.
    let mut moves: BTreeMap<&str, usize> = BTreeMap::new();
    for institution in &data.institutions {
        let key = match movement(institution) {
            Movement::Up => "moved-up",
            Movement::Down => "moved-down",
            Movement::Same => "unchanged",
            Movement::New => "no-previous",
            Movement::NotRated => "not-rated",
        };
        *moves.entry(key).or_default() += 1;
    }
    let _ = write!(out, "<h3>{}</h3><div class=\"cards\">", lang.t("与上季度相比", "Since the previous quarter"));
    for (key, label) in [
        ("moved-up", lang.t("等级上升", "moved up")),
        ("moved-down", lang.t("等级下降", "moved down")),
        ("unchanged", lang.t("等级不变", "unchanged")),
        ("no-previous", lang.t("无上季度等级", "no previous tier")),
        ("not-rated", lang.t("本季度未评级", "not rated now")),
    ] {
        let n = moves.get(key).copied().unwrap_or(0);
        out.push_str(&card(label, key, &n.to_string(), &text::count(n), ""));
    }
    out.push_str("</div>");
    if data.institutions.iter().all(|i| i.previous_tier.is_none()) {
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p>",
            lang.t(
                "本次运行未提供上季度结果（--previous），无法比较等级变化。",
                "This run was given no previous run (--previous): no movements to show."
            )
        );
    }

    // What to do.
    let _ = write!(out, "<h3>{}</h3><ul class=\"todo\">", lang.t("本季度需要做什么", "What to do this quarter"));
    let with = |tier: Tier| data.institutions.iter().filter(|i| i.tier == tier).count();
    let acting = |action: Action| data.institutions.iter().filter(|i| i.action == action).count();
    let uplift =
        data.institutions.iter().find_map(|i| i.subsidy_uplift_pct.filter(|p| *p > 0.0)).unwrap_or(data.settings.subsidy_uplift_pct);
    let items: Vec<String> = match lang {
        Lang::Zh => vec![
            format!("取消培训资格并追回补贴：<strong>{}</strong> 家（X）", with(Tier::X)),
            format!("禁止承接政府培训项目：<strong>{}</strong> 家（D），禁入期见等级表", with(Tier::D)),
            format!("重点监管、加密检查：<strong>{}</strong> 家（C）", with(Tier::C)),
            format!("下季度补贴标准上浮 {uplift:.0}%：<strong>{}</strong> 家（A）", acting(Action::Uplift)),
            format!("暂缓上浮、待核查（A 且为调查线索）：<strong>{}</strong> 家", acting(Action::UpliftHeld)),
            format!(
                "追回已拨付补贴 <strong>{}</strong>（{} 条）；暂缓拨付 <strong>{}</strong>（{} 条）",
                escape(&text::money(lang, data.recoveries_fen())),
                data.recoveries.len(),
                escape(&text::money(lang, data.holds_fen())),
                data.holds.len()
            ),
        ],
        Lang::En => vec![
            format!("Disqualify and recover: <strong>{}</strong> (X)", with(Tier::X)),
            format!("Ban from government training projects: <strong>{}</strong> (D); ban periods in the tier table", with(Tier::D)),
            format!("Watch with more inspections: <strong>{}</strong> (C)", with(Tier::C)),
            format!("Raise the subsidy standard by {uplift:.0}% next quarter: <strong>{}</strong> (A)", acting(Action::Uplift)),
            format!("Uplift held pending review (A and a lead): <strong>{}</strong>", acting(Action::UpliftHeld)),
            format!(
                "Recover <strong>{}</strong> ({} lines) already paid; hold <strong>{}</strong> ({} lines) pending",
                escape(&text::money(lang, data.recoveries_fen())),
                data.recoveries.len(),
                escape(&text::money(lang, data.holds_fen())),
                data.holds.len()
            ),
        ],
    };
    for item in items {
        let _ = write!(out, "<li>{item}</li>");
    }
    if let Some(leads) = &data.leads {
        let high = leads.iter().filter(|l| l.high_priority).count();
        let _ = write!(
            out,
            "<li>{}</li>",
            match lang {
                Lang::Zh => format!(
                    "优先核查高优先级线索 <strong>{}</strong> 条（共 {} 条线索）",
                    figure("high-priority-leads", &high.to_string(), &high.to_string()),
                    leads.len()
                ),
                Lang::En => format!(
                    "Investigate <strong>{}</strong> high-priority leads first ({} leads in all)",
                    figure("high-priority-leads", &high.to_string(), &high.to_string()),
                    leads.len()
                ),
            }
        );
    }
    out.push_str("</ul>");
    if data.settings.source == SettingsSource::DefaultsAssumed {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p>",
            lang.t(
                "本次运行未记录所用分数线，且政策文件与内置默认不同：图中分数线为默认值（85/70/60），仅供参考；等级以表中结果为准。",
                "This run did not record its cut-offs and its policy differs from the built-in defaults: the cut-offs drawn are the defaults (85/70/60), for orientation only; the tiers in the table stand."
            )
        );
    }
    out.push_str("</section>\n");
}

/// Where a tier's rows stand in the tier table: by action, the heaviest first (X, D, C, B, A,
/// then N).
fn tier_order(tier: Tier) -> usize {
    match tier {
        Tier::X => 0,
        Tier::D => 1,
        Tier::C => 2,
        Tier::B => 3,
        Tier::A => 4,
        Tier::N => 5,
    }
}

pub(crate) fn tiers(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    out.push_str(&section(Some("tiers"), lang.t("信用等级", "Credit tiers")));
    chart(out, charts, "tiers_by_district", lang);
    chart(out, charts, "score_distribution", lang);
    chart(out, charts, "pass_vs_employment", lang);
    let _ = write!(
        out,
        "<h3>{}</h3><p class=\"muted\">{}</p>",
        lang.t("等级表", "Tier table"),
        lang.t(
            "按处理轻重排序：取消资格、禁入、重点监管在前。点击机构编号查看评分卡。",
            "Ordered by action: disqualified, banned and watched first. Click an id for its scorecard."
        )
    );
    let mut table = Table::new(
        lang,
        Some("tier-table"),
        vec![
            Column::text(lang.t("机构", "Institution")),
            Column::text(lang.t("类型", "Kind")),
            Column::text(lang.t("区县", "District")),
            Column::number(lang.t("得分", "Score")),
            Column::text(lang.t("上季度 → 本季度", "Before → now")),
            Column::text(lang.t("线索排名 · 风险分（0–1）", "Lead rank · risk (0–1)")),
            Column::text(lang.t("处理", "Action")),
            Column::text(lang.t("原因", "Reason")).class("evidence"),
        ],
    );
    let mut rows: Vec<&Institution> = data.institutions.iter().collect();
    rows.sort_by(|a, b| {
        tier_order(a.tier)
            .cmp(&tier_order(b.tier))
            .then_with(|| a.score.unwrap_or(-1.0).total_cmp(&b.score.unwrap_or(-1.0)))
            .then_with(|| a.id.cmp(&b.id))
    });
    for institution in rows {
        let arrow = match movement(institution) {
            Movement::Up => " <span class=\"up\">▲</span>",
            Movement::Down => " <span class=\"down\">▼</span>",
            _ => "",
        };
        let previous = institution.previous_tier.map(|t| tier_badge(lang, t.as_str())).unwrap_or_else(|| "—".into());
        let mut action = escape(&text::action_name(lang, institution.action.as_str()));
        if let Some(until) = &institution.banned_until {
            let _ = write!(action, "<br><span class=\"muted\">{} {}</span>", lang.t("禁入至", "banned until"), escape(until));
        }
        if let Some(pct) = institution.subsidy_uplift_pct.filter(|p| *p > 0.0) {
            let _ = write!(action, " <span class=\"muted\">+{pct:.0}%</span>");
        }
        table.row_with(
            Row::new()
                .data("institution", &institution.id)
                .data("tier", institution.tier.as_str())
                .data("score", institution.score.map(|s| format!("{s:.2}")).unwrap_or_default()),
            [
                institution_cell(data, &institution.id, lang),
                Cell::text(text::kind_name(lang, &institution.kind)),
                Cell::text(&institution.district),
                Cell::number(text::score(institution.score)),
                Cell::pre_escaped(format!("{previous} → {}{arrow}", tier_badge(lang, institution.tier.as_str()))),
                Cell::text(lead_standing(institution)),
                Cell::pre_escaped(action),
                Cell::text(reason(lang, institution, &data.settings)),
            ],
        );
    }
    out.push_str(&table.finish());
    out.push_str("</section>\n");
}

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

pub(crate) fn trend(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    out.push_str(&section(Some("trend"), lang.t("逐季度趋势与等级迁移", "Trend and tier migration")));
    if data.history.is_none() {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p></section>",
            lang.t(
                "本次运行没有历史表（history.parquet 不存在），无法显示趋势。",
                "This run has no history table (history.parquet is absent): no trend to show."
            )
        );
        return;
    }
    if !data.has_earlier_quarters() {
        let _ = write!(
            out,
            "<p class=\"note\">{}</p></section>",
            lang.t("历史表中没有更早的季度，无法显示趋势。", "The history table holds no earlier quarter: no trend to show.")
        );
        return;
    }
    chart(out, charts, "trend", lang);
    let series = figures::quarter_series(data);
    let mut columns = vec![Column::text(lang.t("季度", "Quarter"))];
    columns.extend(Tier::ALL.iter().map(|tier| Column::pre_escaped_heading(tier_badge(lang, tier.as_str()), Align::Number)));
    columns.push(Column::number(lang.t("得分中位数", "median score")));
    let mut table = Table::new(lang, Some("trend-table"), columns);
    for (index, quarter) in series.quarters.iter().enumerate() {
        let counts = series.counts[index].into_iter().map(Cell::number);
        table.row(std::iter::once(Cell::text(quarter)).chain(counts).chain([Cell::number(text::score(series.medians[index]))]));
    }
    out.push_str(&table.finish());
    chart(out, charts, "tier_migration", lang);
    if let Some((from, _, unmatched)) = figures::migration(data) {
        if unmatched > 0 {
            let _ = write!(
                out,
                "<p class=\"muted\">{}</p>",
                escape(&match lang {
                    Lang::Zh => format!("{unmatched} 家机构只出现在 {from} 或本季度之一，未计入迁移矩阵。"),
                    Lang::En =>
                        format!("{unmatched} institutions appear in only one of {from} and this quarter and are left out of the matrix."),
                })
            );
        }
    }
    out.push_str("</section>\n");
}

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
