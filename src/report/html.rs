//! `report.html`: the quarter's evaluation report for people (a finance bureau, evaluators,
//! investigators), in Chinese by default.
//!
//! The page is one self-contained file: inline CSS, charts inline as SVG (their PNG twins sit in
//! `charts/`), no script, and a Content-Security-Policy that forbids every fetch, so opening it
//! offline or from a mail attachment makes no network request. All text is escaped.
//!
//! Key figures carry machine-readable attributes (`data-figure="to-recover"
//! data-value="1234.50"`), so a test or an auditor can compare them with the tables.

use crate::rating::INDICATORS;
use crate::report::data::{tier_rank, Institution, Lead, MoneyRow, RunData, Said, Settings, SettingsSource};
use crate::report::render::{self, ChartSet, Check};
use crate::report::style::css;
use crate::report::text::{self, escape, Lang};
use crate::vocab::{Action, Message, Tier};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The page's Content-Security-Policy: nothing may be fetched (no image, font, script, frame or
/// connection) and no script may run; only the inline style sheet applies.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// A whole HTML document.
pub fn page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}\n</body>\n</html>\n",
        lang.html(),
        escape(CSP),
        escape(title),
        css(),
        body
    )
}

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

/// A tier badge.
pub fn tier_badge(lang: Lang, tier: &str) -> String {
    if tier.is_empty() {
        return "—".into();
    }
    format!("<span class=\"tier tier-{0}\" title=\"{1}\">{0}</span>", escape(tier), escape(&text::tier_name(lang, tier)))
}

/// A column heading of [`table_start`]: text, or a number column (right-aligned).
pub enum Heading<'a> {
    Text(&'a str),
    Number(&'a str),
}

/// Opens a table, `id` for the tests and the page's links, through its heading row; the caller
/// writes the body rows and `</tbody></table>`. Headings are the report's own labels, not data,
/// so they are written as they are.
pub fn table_start(out: &mut String, id: Option<&str>, headings: &[Heading]) {
    match id {
        Some(id) => {
            let _ = write!(out, "<table id=\"{id}\"><thead><tr>");
        }
        None => out.push_str("<table><thead><tr>"),
    }
    for heading in headings {
        let _ = match heading {
            Heading::Text(label) => write!(out, "<th>{label}</th>"),
            Heading::Number(label) => write!(out, "<th class=\"num\">{label}</th>"),
        };
    }
    out.push_str("</tr></thead><tbody>");
}

/// A key figure with its machine-readable value.
pub fn figure(key: &str, value: &str, shown: &str) -> String {
    format!("<span class=\"figure\" data-figure=\"{}\" data-value=\"{}\">{}</span>", escape(key), escape(value), escape(shown))
}

fn card(label: &str, key: &str, value: &str, shown: &str, class: &str) -> String {
    format!(
        "<div class=\"card {class}\"><div class=\"label\">{}</div><div class=\"value\">{}</div></div>",
        escape(label),
        figure(key, value, shown)
    )
}

/// An SVG document as an inline element (no XML prolog).
pub fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(start) => &svg[start..],
        None => svg,
    }
}

/// The file name of an institution's scorecard: the id with anything but letters, digits, `-`,
/// `_` and `.` replaced, so any id makes a safe file name.
pub fn scorecard_file(id: &str, lang: Lang) -> String {
    let safe: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '_' }).collect();
    let safe = if safe.is_empty() || safe.starts_with('.') { format!("_{safe}") } else { safe };
    format!("{safe}{}.html", lang.file_suffix())
}

/// A link to an institution's scorecard from the run folder, showing its id and name.
fn institution_link(data: &RunData, id: &str, lang: Lang) -> String {
    let name = data.institution(id).map(|i| i.name.as_str()).unwrap_or("");
    if data.institution(id).is_none() {
        return escape(id);
    }
    format!(
        "<a href=\"scorecards/{}\">{}</a> <span class=\"muted\">{}</span>",
        escape(&scorecard_file(id, lang)),
        escape(id),
        escape(name)
    )
}

/// Why an institution has its tier, in the report's language: its rule rendered from the code
/// and arguments of `institution_scores` (`tier_rule`, `tier_rule_args`), its deductions, and why
/// its uplift is held or it is watched, all from the row's columns. Nothing is parsed back from a
/// sentence: rewording a message changes no reason. A run from before the codes has no
/// arguments: its reasons are shown as it wrote them.
pub fn reason(lang: Lang, institution: &Institution, settings: &Settings) -> String {
    use crate::vocab::messages::{self, rating as m};
    let say = |message: &Message, args: &[(&str, String)]| {
        let named: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        message.render(lang, &named)
    };
    let (Some(args), Some(_)) = (&institution.tier_rule_args, messages::find(&institution.tier_rule)) else {
        return institution.reasons.clone();
    };
    let stored: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut parts = vec![messages::render_code(lang, &institution.tier_rule, &stored)];
    let counts: Vec<String> = [
        (&m::COUNT_BREACH_LINES, institution.breach_lines),
        (&m::COUNT_PROCEDURAL, institution.procedural_findings),
        (&m::COUNT_VIOLATIONS, institution.violations),
    ]
    .into_iter()
    .filter_map(|(message, count)| count.filter(|n| *n > 0).map(|n| say(message, &[("count", n.to_string())])))
    .collect();
    if let Some(deductions) = institution.deductions.filter(|d| *d > 0.0) {
        let joined = counts.join(m::LIST_SEPARATOR.template(lang));
        parts.push(say(&m::DEDUCTED, &[("points", format!("{deductions:.0}")), ("parts", joined)]));
    }
    if institution.action == Action::UpliftHeld {
        // Runs before the open-case hold name no cause: theirs was the lead.
        let causes: Vec<&str> = institution.uplift_hold.as_deref().unwrap_or("lead").split(',').collect();
        if causes.contains(&"lead") {
            let rank = institution.lead_rank.map(|r| r.to_string()).unwrap_or_else(|| "—".into());
            let risk = institution.risk_score.map(|r| format!("{r:.3}")).unwrap_or_else(|| "—".into());
            parts.push(say(&m::HOLD_LEAD, &[("rank", rank), ("risk", risk), ("threshold", settings.uplift_hold_risk_score.to_string())]));
        }
        if let Some(case) = institution.hold_case.as_deref().filter(|_| causes.contains(&"open_case")) {
            parts.push(say(&m::HOLD_CASE, &[("case", case.to_string())]));
        }
    }
    if institution.tier == Tier::N && institution.action == Action::Watch {
        parts.push(say(&m::WATCH_LEAD, &[]));
    }
    parts.join(m::SEPARATOR.template(lang))
}

/// How an institution moved since the previous quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Up,
    Down,
    Same,
    /// No previous tier is known.
    New,
    /// Not rated (N) this quarter.
    NotRated,
}

pub fn movement(institution: &Institution) -> Movement {
    if institution.tier == Tier::N {
        return Movement::NotRated;
    }
    let Some(previous) = institution.previous_tier else { return Movement::New };
    match (tier_rank(previous.as_str()), tier_rank(institution.tier.as_str())) {
        (Some(before), Some(now)) if now > before => Movement::Up,
        (Some(before), Some(now)) if now < before => Movement::Down,
        (Some(_), Some(_)) => Movement::Same,
        _ => Movement::New,
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
    table_start(
        out,
        None,
        &[
            Heading::Text(&escape(key_label)),
            Heading::Number(lang.t("行数", "rows")),
            Heading::Number(lang.t("金额", "amount")),
        ],
    );
    for (group, (count, fen)) in &groups {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            shown(group),
            count,
            escape(&text::money(lang, *fen))
        );
    }
    let total: i64 = rows.iter().map(|r| r.amount_fen).sum();
    let _ = write!(
        out,
        "<tr class=\"total\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr></tbody></table>",
        lang.t("合计", "total"),
        rows.len(),
        figure(total_key, &text::yuan(total), &text::money(lang, total))
    );
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

/// The report page.
pub fn report(data: &RunData, lang: Lang, charts: &ChartSet, checks: &[Check]) -> String {
    let quarter = &data.quarter;
    let title = match lang {
        Lang::Zh => format!("济南市职业技能培训机构信用评价报告 {quarter}"),
        Lang::En => format!("Jinan vocational training institutions: credit evaluation report {quarter}"),
    };
    let mut out = String::new();
    let _ = write!(out, "<header class=\"top\"><h1 id=\"title\">{}</h1>", escape(&title));
    let engine = data.summary["engine_version"].as_str().unwrap_or("?");
    let policy = data.summary["policy_hash"].as_str().unwrap_or("");
    let _ = write!(
        out,
        "<p>{} {} · {} {} · {} <code>{}</code></p>",
        lang.t("评价季度", "Quarter"),
        escape(quarter),
        lang.t("引擎版本", "engine"),
        escape(engine),
        lang.t("政策文件哈希", "policy hash"),
        escape(&policy.chars().take(12).collect::<String>())
    );
    if data.summary["pseudonymisation_key"].as_str() == Some("demo") {
        let _ = write!(
            out,
            "<p><strong>{}</strong></p>",
            lang.t("演示密钥：本报告基于合成数据，仅供演示。", "Demo key: synthetic data, for demonstration only.")
        );
    }
    out.push_str("</header>\n");
    let _ = write!(
        out,
        "<nav class=\"toc\"><a href=\"#glance\">{}</a><a href=\"#tiers\">{}</a><a href=\"#leads\">{}</a><a href=\"#yield\">{}</a><a href=\"#money\">{}</a><a href=\"#budget\">{}</a><a href=\"#trend\">{}</a><a href=\"#publication\">{}</a><a href=\"#quality\">{}</a><a href=\"#sources\">{}</a></nav>\n<main>\n",
        lang.t("本季概览", "At a glance"),
        lang.t("信用等级", "Tiers"),
        lang.t("调查线索", "Leads"),
        lang.t("线索成效", "Yield"),
        lang.t("追回与暂缓", "Recoveries and holds"),
        lang.t("下季度预算", "Next quarter's budget"),
        lang.t("趋势", "Trend"),
        lang.t("信用公示", "Publication"),
        lang.t("数据质量", "Data quality"),
        lang.t("数据来源与核对", "Sources and checks")
    );
    glance(&mut out, data, lang);
    tiers(&mut out, data, lang, charts);
    leads(&mut out, data, lang, charts);
    super::yield_section::section(&mut out, &data.dir, lang);
    money(&mut out, data, lang, charts);
    budget(&mut out, data, lang);
    trend(&mut out, data, lang, charts);
    publication(&mut out, data, lang);
    quality(&mut out, data, lang);
    sources(&mut out, data, lang, checks);
    out.push_str("</main>\n");
    let _ = write!(
        out,
        "<footer>{}</footer>",
        escape(&match lang {
            Lang::Zh => format!("本报告由 traincredit {engine} 根据本文件夹中的数据表生成；可用 `traincredit report --run <本文件夹>` 重新生成。"),
            Lang::En => format!("Generated by traincredit {engine} from the tables in this folder; `traincredit report --run <this folder>` renders it again."),
        })
    );
    page(lang, &title, &out)
}

/// What next quarter's uplifts will cost and what the bans take out of the program, by district
/// (`budget.parquet`; the basis is `pipelines/budget.toml`).
fn budget(out: &mut String, data: &RunData, lang: Lang) {
    let _ = write!(out, "<section id=\"budget\"><h2>{}</h2>", lang.t("下季度预算（按区县）", "Next quarter's budget, by district"));
    let Some(lines) = &data.budget else {
        let _ = write!(out, "<p class=\"muted\">{}</p></section>", lang.t("budget.parquet 不存在（较早的引擎所写）。", "budget.parquet is absent (written by an earlier engine)."));
        return;
    };
    let _ = write!(out, "<p class=\"muted\">{}</p>", text::budget_basis(lang));
    table_start(
        out,
        Some("budget-table"),
        &[
            Heading::Text(lang.t("区县", "district")),
            Heading::Number(lang.t("机构数", "institutions")),
            Heading::Number(lang.t("补贴基数", "subsidy base")),
            Heading::Number(lang.t("上浮成本", "uplift cost")),
            Heading::Number(lang.t("禁入机构资金", "banned volume")),
            Heading::Number(lang.t("下季度补贴", "next quarter's subsidy")),
        ],
    );
    let districts = lines.iter().filter(|line| line.scope == "district");
    for line in districts.chain(lines.iter().filter(|line| line.scope == "total")) {
        let label = if line.scope == "total" { lang.t("全市", "whole city").to_string() } else { line.group.clone() };
        let _ = write!(
            out,
            "<tr data-budget=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&line.group),
            escape(&label),
            line.institutions,
            text::money(lang, line.subsidy_base_fen),
            text::money(lang, line.uplift_cost_fen),
            text::money(lang, line.banned_volume_fen),
            text::money(lang, line.next_quarter_fen)
        );
    }
    out.push_str("</tbody></table></section>");
}

fn glance(out: &mut String, data: &RunData, lang: Lang) {
    let _ = write!(out, "<section id=\"glance\"><h2>{}</h2>", lang.t("本季概览", "The quarter at a glance"));
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
    let at_risk = data.summary_total_fen("at_risk").unwrap_or_else(|| render::at_stake_from_flags(data));
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

/// "#3 · 0.712" for a lead, "—" otherwise: shown beside the tier, so that a reader sees a tier A
/// that is also a lead (its uplift held) without opening the leads table.
pub fn lead_standing(institution: &Institution) -> String {
    match (institution.lead_rank, institution.risk_score) {
        (Some(rank), Some(risk)) => format!("#{rank} · {risk:.3}"),
        _ => "—".into(),
    }
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

fn tiers(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    let _ = write!(out, "<section id=\"tiers\"><h2>{}</h2>", lang.t("信用等级", "Credit tiers"));
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
    table_start(
        out,
        Some("tier-table"),
        &[
            Heading::Text(lang.t("机构", "Institution")),
            Heading::Text(lang.t("类型", "Kind")),
            Heading::Text(lang.t("区县", "District")),
            Heading::Number(lang.t("得分", "Score")),
            Heading::Text(lang.t("上季度 → 本季度", "Before → now")),
            Heading::Text(lang.t("线索排名 · 风险分（0–1）", "Lead rank · risk (0–1)")),
            Heading::Text(lang.t("处理", "Action")),
            Heading::Text(lang.t("原因", "Reason")),
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
        let _ = write!(
            out,
            "<tr data-institution=\"{}\" data-tier=\"{}\" data-score=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{} → {}{}</td><td>{}</td><td>{}</td><td class=\"evidence\">{}</td></tr>",
            escape(&institution.id),
            escape(institution.tier.as_str()),
            institution.score.map(|s| format!("{s:.2}")).unwrap_or_default(),
            institution_link(data, &institution.id, lang),
            escape(&text::kind_name(lang, &institution.kind)),
            escape(&institution.district),
            text::score(institution.score),
            previous,
            tier_badge(lang, institution.tier.as_str()),
            arrow,
            lead_standing(institution),
            action,
            escape(&reason(lang, institution, &data.settings))
        );
    }
    out.push_str("</tbody></table></section>\n");
}

/// One table of leads (rank among all leads, institution, tier, risk, signals, evidence).
fn lead_table(out: &mut String, data: &RunData, lang: Lang, id: &str, leads: &[&Lead]) {
    if leads.is_empty() {
        return;
    }
    table_start(
        out,
        Some(id),
        &[
            Heading::Number(lang.t("排名", "Rank")),
            Heading::Text(lang.t("机构", "Institution")),
            Heading::Text(lang.t("等级", "Tier")),
            Heading::Number(lang.t("风险分（0–1）", "Risk score (0–1)")),
            Heading::Text(lang.t("信号", "Signals")),
            Heading::Text(lang.t("证据", "Evidence")),
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
            super::dossiers::DOSSIERS_DIR,
            escape(&super::dossiers::file_name(&lead.institution_id, lang)),
            lang.t("线索档案", "dossier")
        );
        let _ = write!(
            out,
            "<tr data-lead=\"{}\"><td class=\"num\">{}</td><td>{}{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"evidence\">{}</td></tr>",
            escape(&lead.institution_id),
            lead.rank,
            institution_link(data, &lead.institution_id, lang),
            hp,
            tier_badge(lang, tier),
            lead.risk_score.map(|r| format!("{r:.3}")).unwrap_or_else(|| "—".into()),
            escape(&signals.join("；")),
            lead.evidence
                .show(lang)
                .split(" | ")
                .map(escape)
                .chain((!lead.related_leads.is_empty()).then(|| format!("<strong>{}</strong> {}", lang.t("关联线索：", "Related leads:"), escape(&lead.related_leads))))
                .collect::<Vec<_>>()
                .join("<br>")
        );
    }
    out.push_str("</tbody></table>");
}

fn leads(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    let _ = write!(out, "<section id=\"leads\"><h2>{}</h2>", lang.t("调查线索", "Investigation leads"));
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
                table_start(
                    out,
                    Some("signal-table"),
                    &[
                        Heading::Text(lang.t("机构", "Institution")),
                        Heading::Text(lang.t("信号", "Signal")),
                        Heading::Number(lang.t("本机构值", "Value")),
                        Heading::Number(lang.t("同类值", "Peer value")),
                        Heading::Number(lang.t("阈值", "Threshold")),
                        Heading::Text(lang.t("涉及记录", "Rows")),
                        Heading::Text(lang.t("证据", "Evidence")),
                    ],
                );
                let unit = |value: &crate::report::data::SignalValue| text::signal_unit(&value.signal, value.unit.as_deref());
                let number = |value: &crate::report::data::SignalValue, v: Option<f64>| text::signal_number(lang, v, unit(value));
                for value in fired {
                    let _ = write!(
                        out,
                        "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"evidence\">{}</td><td class=\"evidence\">{}</td></tr>",
                        institution_link(data, &value.institution_id, lang),
                        escape(&text::signal_name(lang, &value.signal)),
                        number(value, value.value),
                        number(value, value.peer_value),
                        number(value, value.threshold),
                        escape(value.rows.as_deref().unwrap_or("")),
                        escape(&value.evidence.show(lang))
                    );
                }
                out.push_str("</tbody></table>");
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

fn money(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    let _ = write!(out, "<section id=\"money\"><h2>{}</h2>", lang.t("追回与暂缓拨付", "Recoveries and holds"));
    let _ = write!(
        out,
        "<p class=\"muted\">{}</p>",
        lang.t(
            "已拨付申领中违规部分须追回；待拨付申领中违规部分应暂缓拨付；已驳回申领只标记不计金额。申诉撤销的问题不计。",
            "Parts at stake of paid claims are recovered; of pending claims, held; rejected claims are flagged only. Findings overturned on appeal count for nothing."
        )
    );
    chart(out, charts, "money_by_rule", lang);
    let by_rule = render::money_by_rule(data);
    if !by_rule.is_empty() {
        table_start(
            out,
            Some("at-stake-by-rule"),
            &[
                Heading::Text(lang.t("规则", "Rule")),
                Heading::Number(lang.t("问题数", "findings")),
                Heading::Number(lang.t("涉险金额", "at stake")),
            ],
        );
        for (rule, fen, n) in &by_rule {
            let _ = write!(
                out,
                "<tr data-rule=\"{}\" data-fen=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(rule),
                fen,
                escape(&text::rule_label(lang, rule)),
                n,
                escape(&text::money(lang, *fen))
            );
        }
        let _ = write!(
            out,
            "</tbody></table><p class=\"muted\">{}</p>",
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

fn trend(out: &mut String, data: &RunData, lang: Lang, charts: &ChartSet) {
    let _ = write!(out, "<section id=\"trend\"><h2>{}</h2>", lang.t("逐季度趋势与等级迁移", "Trend and tier migration"));
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
    let series = render::quarter_series(data);
    let _ = write!(out, "<table id=\"trend-table\"><thead><tr><th>{}</th>", lang.t("季度", "Quarter"));
    for tier in Tier::ALL {
        let _ = write!(out, "<th class=\"num\">{}</th>", tier_badge(lang, tier.as_str()));
    }
    let _ = write!(out, "<th class=\"num\">{}</th></tr></thead><tbody>", lang.t("得分中位数", "median score"));
    for (index, quarter) in series.quarters.iter().enumerate() {
        let _ = write!(out, "<tr><td>{}</td>", escape(quarter));
        for count in series.counts[index] {
            let _ = write!(out, "<td class=\"num\">{count}</td>");
        }
        let _ = write!(out, "<td class=\"num\">{}</td></tr>", text::score(series.medians[index]));
    }
    out.push_str("</tbody></table>");
    chart(out, charts, "tier_migration", lang);
    if let Some((from, _, unmatched)) = render::migration(data) {
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
fn publication(out: &mut String, data: &RunData, lang: Lang) {
    let _ = write!(out, "<section id=\"publication\"><h2>{}</h2>", lang.t("信用公示", "Credit publication"));
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
    table_start(
        out,
        Some("publication-table"),
        &[
            Heading::Text(lang.t("机构", "Institution")),
            Heading::Text(lang.t("处罚", "Sanction")),
            Heading::Text(lang.t("失信等级", "Class")),
            Heading::Text(lang.t("决定日期", "Decided")),
            Heading::Text(lang.t("公示截止", "Published until")),
            Heading::Text(lang.t("最早可修复", "Repairable from")),
            Heading::Text(lang.t("本季处理", "This quarter")),
            Heading::Text(lang.t("原因", "Reason")),
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
        let _ = write!(
            out,
            "<tr data-status=\"{}\"><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"evidence\">{}</td></tr>",
            escape(&row.publication_status),
            institution_link(data, &row.institution_id, lang),
            escape(&text::sanction_kind_name(lang, &row.kind)),
            escape(&period),
            escape(&text::credit_class_name(lang, &row.class)),
            escape(&row.decided_on),
            escape(row.publication_end.as_deref().unwrap_or("—")),
            escape(&row.earliest_repair),
            escape(&status),
            escape(&row.reason.show(lang))
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn quality(out: &mut String, data: &RunData, lang: Lang) {
    let _ = write!(out, "<section id=\"quality\"><h2>{}</h2>", lang.t("数据质量", "Data quality"));
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
        table_start(
            out,
            Some("inputs-table"),
            &[
                Heading::Text(lang.t("输入表", "Input table")),
                Heading::Number(lang.t("读取", "read")),
                Heading::Number(lang.t("使用", "used")),
                Heading::Number(lang.t("拒收", "rejected")),
                Heading::Text(lang.t("说明", "notes")),
            ],
        );
        for table in &inputs {
            let name = table["table"].as_str().unwrap_or("");
            let present = table["present"].as_bool().unwrap_or(true);
            let coercions: Vec<String> =
                table["coercions"].as_array().into_iter().flatten().filter_map(|c| c.as_str().map(str::to_string)).collect();
            let note =
                if present { coercions.join("; ") } else { lang.t("未提供（可选表）", "not supplied (optional)").to_string() };
            let _ = write!(
                out,
                "<tr data-table=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"evidence\">{}</td></tr>",
                escape(name),
                escape(&text::table_name(lang, name)),
                text::count(table["rows_read"].as_u64().unwrap_or(0) as usize),
                text::count(table["rows_used"].as_u64().unwrap_or(0) as usize),
                text::count(table["rows_rejected"].as_u64().unwrap_or(0) as usize),
                escape(&note)
            );
        }
        out.push_str("</tbody></table>");
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
        table_start(
            out,
            Some("rejects-table"),
            &[
                Heading::Text(lang.t("输入表", "Table")),
                Heading::Text(lang.t("原因", "Reason")),
                Heading::Number(lang.t("行数", "rows")),
            ],
        );
        for ((table, reason), count) in &by_reason {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"evidence\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&text::table_name(lang, table)),
                escape(reason),
                count
            );
        }
        out.push_str("</tbody></table>");
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
    table_start(out, Some("credit-codes-table"), &[Heading::Text(lang.t("机构", "Institution")), Heading::Text(lang.t("问题", "Problem"))]);
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
        let _ = write!(out, "<tr><td>{}</td><td class=\"evidence\">{}</td></tr>", institution_link(data, id, lang), escape(&problem));
    }
    out.push_str("</tbody></table>");
}

/// The export's coverage (`summary.json` → `coverage`): the first and last day of each dated
/// table, against which the indicators' windows were checked. Runs written before it was
/// recorded show nothing.
fn coverage_table(out: &mut String, data: &RunData, lang: Lang) {
    let Some(tables) = data.summary["coverage"].as_array().filter(|tables| !tables.is_empty()) else { return };
    let _ = write!(out, "<h3>{}</h3>", lang.t("数据覆盖期间", "Coverage of the export"));
    table_start(
        out,
        Some("coverage-table"),
        &[
            Heading::Text(lang.t("输入表", "Table")),
            Heading::Text(lang.t("日期列", "Dated by")),
            Heading::Text(lang.t("最早", "First")),
            Heading::Text(lang.t("最晚", "Last")),
        ],
    );
    for table in tables {
        let name = table["table"].as_str().unwrap_or_default();
        let day = |key: &str| match (table["present"].as_bool(), table[key].as_str()) {
            (Some(false), _) => lang.t("未提供", "absent").to_string(),
            (_, Some(day)) => day.to_string(),
            (_, None) => lang.t("无数据", "no rows").to_string(),
        };
        let _ = write!(
            out,
            "<tr data-table=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(name),
            escape(&text::table_name(lang, name)),
            escape(table["column"].as_str().unwrap_or_default()),
            escape(&day("first")),
            escape(&day("last"))
        );
    }
    out.push_str("</tbody></table>");
}

fn sources(out: &mut String, data: &RunData, lang: Lang, checks: &[Check]) {
    let _ = write!(out, "<section id=\"sources\"><h2>{}</h2>", lang.t("数据来源与核对", "Sources and checks"));
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
        table_start(
            out,
            Some("checks-table"),
            &[
                Heading::Text(lang.t("核对项", "Check")),
                Heading::Number("summary.json"),
                Heading::Number(lang.t("数据表", "tables")),
                Heading::Text(lang.t("结果", "result")),
            ],
        );
        for check in checks {
            let _ = write!(
                out,
                "<tr data-check=\"{}\" data-ok=\"{}\"><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                check.key,
                check.ok,
                escape(&check.label),
                escape(check.summary.as_deref().unwrap_or("—")),
                escape(&check.tables),
                if check.ok {
                    format!("<span class=\"ok\">✓ {}</span>", lang.t("一致", "agree"))
                } else {
                    format!("<span class=\"bad\">✗ {}</span>", lang.t("不一致", "differ"))
                }
            );
        }
        out.push_str("</tbody></table>");
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An institution's row as `institution_scores.parquet` holds it: tier, action, rule code and
    /// arguments; its `reasons` text deliberately says something else, so a test sees that the
    /// reason comes from the code and never from a sentence.
    fn row(tier: Tier, action: Action, rule: &str, args: &[&str]) -> Institution {
        Institution {
            id: "I1".into(),
            tier,
            action,
            tier_rule: rule.into(),
            tier_rule_args: Some(args.iter().map(|a| a.to_string()).collect()),
            reasons: "the reasons as the run wrote them".into(),
            ..Institution::default()
        }
    }

    fn both(institution: &Institution) -> (String, String) {
        let settings = Settings::defaults().unwrap();
        (reason(Lang::Zh, institution, &settings), reason(Lang::En, institution, &settings))
    }

    #[test]
    fn a_tiers_reason_is_rendered_from_its_code_and_numbers_in_either_language() {
        let mut d = row(Tier::D, Action::Ban, "tier.d.breach_share", &["7.46", "5", "2026Q4", "2027Q3"]);
        d.breach_lines = Some(3);
        d.deductions = Some(6.0);
        assert_eq!(
            both(&d),
            (
                "违规金额占比 7.46% 超过 5%：禁入 2026Q4–2027Q3；扣 6 分（违规明细 3 条）".into(),
                "breach share 7.46% > 5%: ban 2026Q4–2027Q3; −6 points (3 breach line(s))".into()
            )
        );
        let b = row(Tier::B, Action::Standard, "tier.b.previous_tier", &["90.00", "85.00", "C"]);
        assert_eq!(
            both(&b),
            (
                "得分 90.00 ≥ 85.00，但上季度等级为 C：不能直接升为 A".into(),
                "score 90.00 ≥ 85.00 but previous tier C: no jump to A".into()
            )
        );
        let x = row(Tier::X, Action::Disqualify, "tier.x.decision", &["2026-05-12"]);
        assert_eq!(
            both(&x),
            ("2026-05-12 调查处理决定认定骗取补贴资金：取消培训资格".into(), "disqualified: fraud_confirmed decision of 2026-05-12".into())
        );
        let mut n = row(Tier::N, Action::Watch, "tier.n.few_completed", &["13", "20", "2025Q4", "2026Q3"]);
        n.procedural_findings = Some(2);
        n.violations = Some(1);
        n.deductions = Some(12.0);
        assert_eq!(
            both(&n),
            (
                "2025Q4–2026Q3 结束的培训班结业人数 13 人，少于 20 人：不评级；扣 12 分（程序问题 2 项，违规处理决定 1 项）；高优先级调查线索：重点监管".into(),
                "13 completed enrollments < 20 in classes ending in 2025Q4–2026Q3; −12 points (2 procedural finding(s), 1 violation decision(s)); a high-priority investigation lead: watch".into()
            )
        );
        let mut a = row(Tier::A, Action::UpliftHeld, "tier.a.score", &["91.20", "85.00"]);
        a.lead_rank = Some(4);
        a.risk_score = Some(0.6123);
        a.uplift_hold = Some("lead,open_case".into());
        a.hold_case = Some("I1/sign_ins".into());
        assert_eq!(
            both(&a),
            (
                "得分 91.20 ≥ 85.00，无违规明细，上季度等级允许评 A；调查线索 #4，风险分 0.612（0–1）≥ 0.3：暂缓上浮补贴，待核查结论后发放；案件 I1/sign_ins 尚未结案：暂缓上浮补贴，结案后发放".into(),
                "score 91.20 ≥ 85.00, no breach line, previous tier allows A; uplift held pending review: lead #4 with risk score 0.612 ≥ 0.3; case I1/sign_ins is not closed: uplift held until it is".into()
            )
        );
    }

    #[test]
    fn a_run_from_before_the_codes_shows_its_reasons_as_written() {
        let mut old = row(Tier::B, Action::Standard, "score 75.00 in 70.00–84.99", &[]);
        old.tier_rule_args = None;
        old.reasons = "tier B: score 75.00 in 70.00–84.99".into();
        assert_eq!(both(&old).0, "tier B: score 75.00 in 70.00–84.99");
        // An unknown code (a newer engine): the text as written, not the bare code.
        let newer = row(Tier::B, Action::Standard, "tier.b.someday", &["1"]);
        assert_eq!(both(&newer).1, "the reasons as the run wrote them");
    }
}
