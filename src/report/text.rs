//! The report's words in Chinese (the default) and English, and the formatting of numbers and
//! money. Every label has both languages at the place it is used (`lang.t("等级", "Tier")`), so
//! no key can be missing in one of them.

pub use crate::vocab::Lang;
use crate::vocab::{Action, SignalId, Tier};

/// A tier's name: `A 优秀` / `A excellent`; an unknown id as it is.
pub fn tier_name(lang: Lang, tier: &str) -> String {
    match Tier::parse(tier) {
        Some(known) => format!("{tier} {}", known.name(lang)),
        None => tier.to_string(),
    }
}

/// A sanction's publication status this quarter (`publication::calendar::Status`).
pub fn publication_status_name(lang: Lang, status: &str) -> String {
    match status {
        "to_publish" => lang.t("本季新公示", "to publish"),
        "published" => lang.t("公示中", "published"),
        "withdraw" => lang.t("公示期满撤下", "period ends: withdraw"),
        "repaired" => lang.t("信用修复撤下", "repaired: withdraw"),
        "ended" => lang.t("已结束", "ended"),
        "scheduled" => lang.t("尚未开始", "not yet started"),
        "not_published" => lang.t("不予公示", "not published"),
        other => other,
    }
    .to_string()
}

/// A sanction kind of the ledger.
pub fn sanction_kind_name(lang: Lang, kind: &str) -> String {
    match kind {
        "ban" => lang.t("暂停承训", "ban"),
        "disqualified" => lang.t("取消资格", "disqualified"),
        other => other,
    }
    .to_string()
}

/// A sanction's class of dishonesty as the publication policy names it (`轻微`, `一般`, `严重`,
/// the national scheme's terms); in English its translation, anything else as it is.
pub fn credit_class_name(lang: Lang, class: &str) -> String {
    match (lang, class) {
        (Lang::En, "轻微") => "minor".into(),
        (Lang::En, "一般") => "ordinary".into(),
        (Lang::En, "严重") => "serious".into(),
        _ => class.to_string(),
    }
}

/// What an action means for the institution; an unknown id as it is.
pub fn action_name(lang: Lang, action: &str) -> String {
    let Some(known) = Action::parse(action) else { return action.to_string() };
    match known {
        Action::Uplift => lang.t("上浮补贴标准", "subsidy uplift"),
        Action::UpliftHeld => lang.t("暂缓上浮（待核查）", "uplift held pending review"),
        Action::Standard => lang.t("按标准补贴", "standard"),
        Action::Watch => lang.t("重点监管", "watch"),
        Action::Ban => lang.t("禁止承接政府培训项目", "ban"),
        Action::Disqualify => lang.t("取消培训资格", "disqualify"),
        Action::None => lang.t("不评级", "none"),
    }
    .to_string()
}

/// The unit of a risk signal's value, peer value and threshold: a share (shown as %), a robust
/// distance in z, a mean absolute deviation (MAD), or a 0–1 score. `signal_values.unit` says it
/// when the run has the column; otherwise the unit the signal stage gives the signal's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Share,
    Z,
    Mad,
    Score,
}

/// The unit of `signal`'s numbers (`recorded`: the `unit` column, when the run has one; a run
/// without it takes the unit the signal stage gives the signal's id, `signals::unit`).
pub fn signal_unit(signal: &str, recorded: Option<&str>) -> Option<Unit> {
    recorded.and_then(unit_named).or_else(|| unit_named(crate::signals::unit(SignalId::parse(signal)?)))
}

/// A unit as `signal_values.unit` names it (and the spellings of runs before it).
fn unit_named(name: &str) -> Option<Unit> {
    match name.trim() {
        "%" | "share" | "percent" => Some(Unit::Share),
        "z" | "distance" => Some(Unit::Z),
        "MAD" | "mad" => Some(Unit::Mad),
        "0–1" | "0-1" | "score" | "risk" | "link" => Some(Unit::Score),
        _ => None,
    }
}

/// A signal's number with its unit: `12.5%`, `z 2.50`, `MAD 0.0169`, `0.750（0–1）`; "—" when
/// missing; four decimals and no unit when the signal is unknown.
pub fn signal_number(lang: Lang, value: Option<f64>, unit: Option<Unit>) -> String {
    let Some(value) = value else { return "—".into() };
    match unit {
        Some(Unit::Share) => format!("{:.1}%", value * 100.0),
        Some(Unit::Z) => format!("z {value:.2}"),
        Some(Unit::Mad) => format!("MAD {value:.4}"),
        Some(Unit::Score) => format!("{value:.3}{}", lang.t("（0–1）", " (0–1)")),
        None => format!("{value:.4}"),
    }
}

/// A rule's short name.
pub fn rule_name(lang: Lang, rule: &str) -> String {
    let (zh, en) = match rule {
        "R01" => ("重复享受补贴", "duplicate subsidy"),
        "R02" => ("超年度补贴次数", "annual cap"),
        "R03" => ("身份证号无效", "invalid person"),
        "R04" => ("年龄不符", "age out of range"),
        "R05" => ("未结业", "not completed"),
        "R06" => ("出勤不足", "attendance shortfall"),
        "R07" => ("申领明细不符", "line mismatch"),
        "R08" => ("生活费补贴超标", "living allowance"),
        "R09" => ("鉴定补贴超标", "appraisal cap"),
        "R10" => ("受处罚期间申领", "sanctioned claimant"),
        "R11" => ("超补贴标准", "over standard"),
        "R12" => ("取得资质前开班", "before licence"),
        "P01" => ("结业前申领", "claim before end"),
        "P02" => ("超班额", "over capacity"),
        "P03" => ("同时在两机构签到", "double presence"),
        "P04" => ("申领合计不符", "claim totals"),
        "DECISION" => ("调查处理决定", "case decision"),
        other => return signal_name(lang, other),
    };
    lang.t(zh, en).to_string()
}

/// A rule id with its name: `R05 未结业`; a signal's name with its id.
pub fn rule_label(lang: Lang, rule: &str) -> String {
    // A signal's name already carries its id: `学员共用手机或收款账户 (shared_contacts)`.
    if crate::vocab::RuleId::parse(rule).is_none() {
        return signal_name(lang, rule);
    }
    let name = rule_name(lang, rule);
    if name == rule {
        rule.to_string()
    } else {
        format!("{rule} {name}")
    }
}

/// A risk signal's name, recognised by the words in its id; unknown ids are shown as they are.
pub fn signal_name(lang: Lang, signal: &str) -> String {
    let id = signal.to_ascii_lowercase();
    let known: &[(&[&str], &str, &str)] = &[
        (&["successor"], "疑似受处罚机构换壳新设", "successor of a sanctioned institution"),
        (&["recycled"], "学员在他机构重复培训", "recycled trainees"),
        (&["employment_cluster"], "多家单位短期集中吸纳学员", "employment clusters"),
        (&["benford"], "本福特首位数字偏离", "Benford first-digit deviation"),
        (&["sync"], "同步签到", "synchronized sign-ins"),
        (&["bulk"], "同一分钟集中录入签到", "bulk-entered sign-ins"),
        (&["manual"], "手工签到占比高", "manual sign-ins"),
        (&["heap"], "成绩堆积于及格线", "score heaping"),
        (&["near_perfect", "perfect_pass", "pass_rate_spread", "high_pass"], "通过率畸高", "near-perfect pass rates"),
        (&["assessor"], "考评员通过率异常", "assessor pass rate"),
        (&["short_employ", "short_job", "sham_employ"], "短期突击就业", "short employment"),
        (&["employer"], "就业单位集中", "employer concentration"),
        (&["phone", "account", "ring", "shared"], "学员共用手机或收款账户", "shared phones or accounts"),
        (&["sanction", "related", "link", "legal_rep"], "关联受处罚机构", "link to a sanctioned institution"),
        (&["outlier", "mahalanobis", "multivariate"], "指标多维离群", "multivariate outlier"),
        (&["breach"], "违规明细", "rule breaches"),
        (&["cleared"], "曾被调查并澄清", "cleared before"),
    ];
    for (words, zh, en) in known {
        if words.iter().any(|w| id.contains(w)) {
            return format!("{} ({signal})", lang.t(zh, en));
        }
    }
    signal.to_string()
}

/// An indicator's name.
pub fn indicator_name(lang: Lang, id: &str) -> String {
    let (zh, en) = match id {
        "completion_rate" => ("结业率", "completion rate"),
        "pass_rate" => ("取证率", "pass rate"),
        "employment_rate" => ("就业率", "employment rate"),
        "retention_rate" => ("稳定就业率", "retention rate"),
        "satisfaction" => ("满意度", "satisfaction"),
        "compliance" => ("合规率", "compliance"),
        other => return other.replace('_', " "),
    };
    lang.t(zh, en).to_string()
}

/// An institution kind's name.
pub fn kind_name(lang: Lang, kind: &str) -> String {
    let (zh, en) = match kind {
        "vocational_college" => ("职业院校", "vocational college"),
        "technical_school" => ("技工学校", "technical school"),
        "private_training" => ("民办培训机构", "private training"),
        "enterprise_center" => ("企业培训中心", "enterprise centre"),
        "public_base" => ("公共实训基地", "public training base"),
        other => return other.replace('_', " "),
    };
    lang.t(zh, en).to_string()
}

pub fn severity_name(lang: Lang, severity: &str) -> String {
    match severity {
        "high" => lang.t("高", "high").into(),
        "medium" => lang.t("中", "medium").into(),
        "low" => lang.t("低", "low").into(),
        other => other.to_string(),
    }
}

pub fn flag_kind_name(lang: Lang, kind: &str) -> String {
    match kind {
        "breach" => lang.t("违规", "breach").into(),
        "procedural" => lang.t("程序问题", "procedural").into(),
        "signal" => lang.t("风险信号", "signal").into(),
        "decision" => lang.t("处理决定", "decision").into(),
        other => other.to_string(),
    }
}

/// An input table's name.
pub fn table_name(lang: Lang, table: &str) -> String {
    let (zh, en) = match table {
        "institutions" => ("培训机构", "institutions"),
        "classes" => ("培训班", "classes"),
        "enrollments" => ("学员报名", "enrollments"),
        "attendance" => ("签到记录", "attendance"),
        "assessments" => ("技能评价", "assessments"),
        "employment" => ("社保缴费", "employment"),
        "claims" => ("补贴申领", "claims"),
        "claim_lines" => ("申领明细", "claim lines"),
        "surveys" => ("满意度调查", "surveys"),
        "case_decisions" => ("调查处理决定", "case decisions"),
        "sanctions" => ("处罚台账", "sanctions"),
        "appeals" => ("申诉", "appeals"),
        other => return other.to_string(),
    };
    match lang {
        Lang::Zh => format!("{zh} ({table})"),
        Lang::En => en.to_string(),
    }
}

/// Thousands separators on the integer part: 1234567.8 → "1,234,567.8".
fn group(text: &str) -> String {
    let (sign, digits) = text.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", text));
    let (whole, fraction) = digits.split_once('.').map(|(w, f)| (w, Some(f))).unwrap_or((digits, None));
    let mut grouped = String::new();
    for (index, ch) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match fraction {
        Some(fraction) => format!("{sign}{grouped}.{fraction}"),
        None => format!("{sign}{grouped}"),
    }
}

/// Money in fen as yuan with separators: `1,234.50 元` / `¥1,234.50`.
/// How next quarter's money is estimated (`pipelines/budget.toml`), said once for the report's
/// budget section and the what-if page.
pub fn budget_basis(lang: Lang) -> &'static str {
    lang.t(
        "补贴基数：近 base_quarters 个季度（pipelines/budget.toml）未驳回申领的平均申领额；上浮成本 = 基数 × 上浮比例（A 级、行动 uplift）；禁入机构资金 = 行动为 ban 或 disqualify 的机构的基数，下季度不得申领；下季度补贴 = 基数 − 禁入机构资金 + 上浮成本。",
        "Subsidy base: the mean claimed amount of non-rejected claims over the last base_quarters quarters (pipelines/budget.toml); uplift cost = base × uplift percentage (tier A, action uplift); banned volume = the base of institutions whose action is ban or disqualify, which may not claim next quarter; next quarter's subsidy = base − banned volume + uplift cost.",
    )
}

pub fn money(lang: Lang, fen: i64) -> String {
    let text = group(&crate::money::yuan(fen));
    match lang {
        Lang::Zh => format!("{text} 元"),
        Lang::En => format!("¥{text}"),
    }
}

/// Money in fen as plain yuan text ("1234.50"), the form of the tables and of `data-value`.
pub fn yuan(fen: i64) -> String {
    crate::money::yuan(fen)
}

/// A count with separators.
pub fn count(value: usize) -> String {
    group(&value.to_string())
}

/// A 0–1 share as a percentage with one decimal; "—" when missing.
pub fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "—".into())
}

/// A score with two decimals; "—" when missing.
pub fn score(value: Option<f64>) -> String {
    value.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline have no place in a report.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_and_keeps_the_sign() {
        assert_eq!(group("1234567.80"), "1,234,567.80");
        assert_eq!(group("-1000.00"), "-1,000.00");
        assert_eq!(group("999"), "999");
        assert_eq!(money(Lang::Zh, 123_456_789), "1,234,567.89 元");
        assert_eq!(money(Lang::En, -5), "¥-0.05");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(escape("<script>\"a\" & 'b'</script>"), "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;");
    }

    #[test]
    fn tiers_actions_and_signal_numbers_carry_their_names_and_units() {
        assert_eq!(tier_name(Lang::Zh, "D"), "D 不达标");
        assert_eq!(tier_name(Lang::En, "A"), "A excellent");
        assert_eq!(tier_name(Lang::En, "Q"), "Q");
        assert_eq!(action_name(Lang::Zh, "uplift_held"), "暂缓上浮（待核查）");
        assert_eq!((credit_class_name(Lang::En, "严重"), credit_class_name(Lang::Zh, "严重")), ("serious".into(), "严重".into()));
        assert_eq!(signal_number(Lang::Zh, Some(0.125), signal_unit("manual_sign_ins", None)), "12.5%");
        assert_eq!(signal_number(Lang::Zh, Some(2.5), signal_unit("outlier", None)), "z 2.50");
        assert_eq!(signal_number(Lang::En, Some(0.01692), signal_unit("benford", None)), "MAD 0.0169");
        assert_eq!(signal_number(Lang::Zh, Some(0.75), signal_unit("successor", None)), "0.750（0–1）");
        assert_eq!(signal_number(Lang::En, Some(0.75), signal_unit("benford", Some("0–1"))), "0.750 (0–1)");
        assert_eq!(signal_number(Lang::En, Some(0.5), signal_unit("manual_signins", None)), "0.5000");
        assert_eq!(signal_number(Lang::En, None, Some(Unit::Z)), "—");
    }

    #[test]
    fn parses_languages() {
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert_eq!("zh".parse::<Lang>(), Ok(Lang::Zh));
        assert!("fr".parse::<Lang>().is_err());
    }
}
