//! The quarter at a glance (`#glance`): the indicators without data, tiers, money (with what
//! orders the recoveries), movements since the previous quarter and what to do.

use crate::report::data::{RunData, Said, SettingsSource};
use crate::report::figures::{self, movement, Movement};
use crate::report::kit::{card, figure, section};
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
