//! Messages of the rating area (see the catalogue's module documentation): why an institution has
//! its tier ([`crate::rating::score::TierRule`]), the parts of `institution_scores.reasons`
//! (indicators, deductions, holds), and the words of `explain`.

use super::Message;

// Why a tier was given: one message per rule of the tier table (policy.md, "Tiers and what
// follows"), each with the numbers that decided it. A ban's span has its own message when it
// has no end, so that no argument holds words.
pub const X_BY_DECISION: Message =
    Message::new("tier.x.decision", "{decided_on} 调查处理决定认定骗取补贴资金：取消培训资格", "disqualified: fraud_confirmed decision of {decided_on}");
pub const X_BY_SANCTION: Message =
    Message::new("tier.x.sanction", "取消资格处罚（{from}–{until}）在本季度有效", "disqualified: a disqualified sanction {from}–{until} is in force");
pub const X_BY_SANCTION_OPEN: Message =
    Message::new("tier.x.sanction_open", "取消资格处罚（{from} 起，无期限）在本季度有效", "disqualified: a disqualified sanction from {from} with no end is in force");
pub const D_SCORE: Message =
    Message::new("tier.d.score", "得分 {score} 低于 {cutoff}：禁入 {from}–{until}", "score {score} < {cutoff}: ban {from}–{until}");
pub const D_SCORE_OPEN: Message =
    Message::new("tier.d.score_open", "得分 {score} 低于 {cutoff}：禁入，无期限", "score {score} < {cutoff}: ban with no end");
pub const D_BREACH_SHARE: Message = Message::new(
    "tier.d.breach_share",
    "违规金额占比 {share}% 超过 {max}%：禁入 {from}–{until}",
    "breach share {share}% > {max}%: ban {from}–{until}",
);
pub const D_BREACH_SHARE_OPEN: Message =
    Message::new("tier.d.breach_share_open", "违规金额占比 {share}% 超过 {max}%：禁入，无期限", "breach share {share}% > {max}%: ban with no end");
pub const D_BAN_IN_FORCE: Message =
    Message::new("tier.d.ban_in_force", "{quarter} 处于禁入期内（至 {until}）", "a ban is in force in {quarter} (until {until})");
pub const D_BAN_IN_FORCE_OPEN: Message =
    Message::new("tier.d.ban_in_force_open", "{quarter} 处于禁入期内（无期限）", "a ban is in force in {quarter} (with no end)");
pub const N_FEW_COMPLETED: Message = Message::new(
    "tier.n.few_completed",
    "{from}–{to} 结束的培训班结业人数 {completed} 人，少于 {min} 人：不评级",
    "{completed} completed enrollments < {min} in classes ending in {from}–{to}",
);
pub const N_NO_DATA: Message =
    Message::new("tier.n.no_data", "结业 {completed} 人，但没有任何指标有数据：不评级", "{completed} completed enrollments but no indicator has data");
pub const C_LEAD: Message =
    Message::new("tier.c.lead", "高优先级调查线索：重点监管，最高评 C", "a high-priority investigation lead: watch, tier C at best");
pub const C_SCORE: Message = Message::new("tier.c.score", "得分 {score}，在 {low}–{high} 之间", "score {score} in {low}–{high}");
pub const B_SCORE: Message = Message::new("tier.b.score", "得分 {score}，在 {low}–{high} 之间", "score {score} in {low}–{high}");
pub const B_BREACH_LINE: Message = Message::new(
    "tier.b.breach_line",
    "得分 {score} ≥ {cutoff}，但 {quarter} 有违规明细：不得评 A",
    "score {score} ≥ {cutoff} but a breach line in {quarter}: not allowed A",
);
pub const B_PREVIOUS_TIER: Message = Message::new(
    "tier.b.previous_tier",
    "得分 {score} ≥ {cutoff}，但上季度等级为 {previous}：不能直接升为 A",
    "score {score} ≥ {cutoff} but previous tier {previous}: no jump to A",
);
pub const A_SCORE: Message = Message::new(
    "tier.a.score",
    "得分 {score} ≥ {cutoff}，无违规明细，上季度等级允许评 A",
    "score {score} ≥ {cutoff}, no breach line, previous tier allows A",
);

// The parts of `institution_scores.reasons`, joined in the run's language.
pub const TIER_IS: Message = Message::new("rating.tier_is", "等级 {tier}：{rule}", "tier {tier}: {rule}");
pub const WITH_SCORE: Message = Message::new("rating.with_score", "（得分 {score}）", " (score {score})");
pub const COMPLETION_RATE: Message = Message::new(
    "rating.indicator.completion_rate",
    "结业率 {value}（下限 {floor}，目标 {target}）→ {points} 分",
    "completion rate {value} (floor {floor}, target {target}) → {points} points",
);
pub const PASS_RATE: Message = Message::new(
    "rating.indicator.pass_rate",
    "取证率 {value}（下限 {floor}，目标 {target}）→ {points} 分",
    "pass rate {value} (floor {floor}, target {target}) → {points} points",
);
pub const EMPLOYMENT_RATE: Message = Message::new(
    "rating.indicator.employment_rate",
    "就业率 {value}（下限 {floor}，目标 {target}）→ {points} 分",
    "employment rate {value} (floor {floor}, target {target}) → {points} points",
);
pub const RETENTION_RATE: Message = Message::new(
    "rating.indicator.retention_rate",
    "稳定就业率 {value}（下限 {floor}，目标 {target}）→ {points} 分",
    "retention rate {value} (floor {floor}, target {target}) → {points} points",
);
pub const SATISFACTION: Message = Message::new(
    "rating.indicator.satisfaction",
    "满意度 {value}（下限 {floor}，目标 {target}）→ {points} 分",
    "satisfaction {value} (floor {floor}, target {target}) → {points} points",
);
pub const COMPLIANCE: Message = Message::new(
    "rating.indicator.compliance",
    "合规率 {value}（下限 {floor}，目标 {target}）→ {points} 分",
    "compliance {value} (floor {floor}, target {target}) → {points} points",
);
pub const BREACH_LINES: Message = Message::new("rating.deduction.breach_lines", "违规明细 {count} 条，扣 {points} 分", "{count} breach line(s) −{points}");
pub const PROCEDURAL: Message =
    Message::new("rating.deduction.procedural", "程序问题 {count} 项，扣 {points} 分", "{count} procedural finding(s) −{points}");
pub const VIOLATIONS: Message =
    Message::new("rating.deduction.violations", "违规处理决定 {count} 项，扣 {points} 分", "{count} violation decision(s) −{points}");
pub const BREACH_SHARE: Message = Message::new("rating.breach_share", "违规金额占比 {share}%", "breach share {share}%");
pub const HOLD_LEAD: Message = Message::new(
    "rating.hold.lead",
    "调查线索 #{rank}，风险分 {risk}（0–1）≥ {threshold}：暂缓上浮补贴，待核查结论后发放",
    "uplift held pending review: lead #{rank} with risk score {risk} ≥ {threshold}",
);
pub const HOLD_OPEN_CASE: Message = Message::new(
    "rating.hold.open_case",
    "案件 {case} 于 {opened_in} 立案，尚未结案：暂缓上浮补贴，结案后发放",
    "uplift held pending review: case {case} opened in {opened_in} is not closed",
);
pub const LEAD_CLEARED: Message = Message::new(
    "rating.hold.cleared",
    "照常上浮补贴：该调查线索（风险分 {risk}）已由 {decided_on} 的处理决定澄清",
    "uplift paid: the lead (risk score {risk}) was cleared by the decision of {decided_on}",
);
pub const WATCH_LEAD: Message = Message::new("rating.watch.lead", "高优先级调查线索：重点监管", "a high-priority investigation lead: watch");

// The report's short account of a tier (`report::figures::reason`), from the table's columns.
pub const DEDUCTED: Message = Message::new("report.deducted", "扣 {points} 分（{parts}）", "−{points} points ({parts})");
pub const COUNT_BREACH_LINES: Message = Message::new("report.count.breach_lines", "违规明细 {count} 条", "{count} breach line(s)");
pub const COUNT_PROCEDURAL: Message = Message::new("report.count.procedural", "程序问题 {count} 项", "{count} procedural finding(s)");
pub const COUNT_VIOLATIONS: Message = Message::new("report.count.violations", "违规处理决定 {count} 项", "{count} violation decision(s)");
pub const HOLD_CASE: Message =
    Message::new("report.hold.open_case", "案件 {case} 尚未结案：暂缓上浮补贴，结案后发放", "case {case} is not closed: uplift held until it is");
/// How the items of one part are joined.
pub const LIST_SEPARATOR: Message = Message::new("rating.list_separator", "，", ", ");

// `explain`: one institution taken apart, line by line.
pub const EXPLAIN_HEADER: Message =
    Message::new("explain.header", "{id} {name}（{kind}，{district}）{quarter}", "{id} {name} ({kind}, {district}) in {quarter}");
pub const EXPLAIN_TIER: Message =
    Message::new("explain.tier", "等级 {tier}（上季度 {previous}），处理：{action}", "tier {tier} (previous {previous}), action: {action}");
pub const EXPLAIN_BANNED: Message = Message::new("explain.banned", "禁入至 {until}", "banned until {until}");
pub const EXPLAIN_REASON: Message = Message::new("explain.reason", "原因：{reason}", "why: {reason}");
pub const EXPLAIN_INDICATORS: Message =
    Message::new("explain.indicators", "指标（同类机构 {peers} 家，类型：{kind}）：", "indicators (peers: {peers} institutions of kind {kind}):");
pub const EXPLAIN_INDICATOR: Message = Message::new(
    "explain.indicator",
    "  {name}：{value}，同类中位数 {median}，权重 {weight}，{points}",
    "  {name}: {value}, peer median {median}, weight {weight}, {points}",
);
pub const EXPLAIN_POINTS: Message = Message::new("explain.points", "得 {points} 分", "{points} points");
pub const EXPLAIN_LEFT_OUT: Message = Message::new("explain.left_out", "不计入（其余权重重新归一）", "left out (the other weights renormalised)");
pub const EXPLAIN_NO_DATA: Message = Message::new("explain.no_data", "无数据", "no data");
pub const EXPLAIN_SCORE: Message = Message::new(
    "explain.score",
    "加权得分 {weighted}，扣 {deductions} 分，得分 {score}",
    "weighted points {weighted}, deductions −{deductions}, score {score}",
);
pub const EXPLAIN_NOT_RATED: Message = Message::new("explain.not_rated", "不评级", "not rated");
pub const EXPLAIN_FINDINGS: Message = Message::new("explain.findings", "发现（按规则）：", "findings by rule:");
pub const EXPLAIN_FINDING: Message = Message::new(
    "explain.finding",
    "  {rule}：{count} 条，涉险金额 {amount}，如 {example}",
    "  {rule}: {count}, at stake {amount}, e.g. {example}",
);
pub const EXPLAIN_OVERTURNED: Message =
    Message::new("explain.overturned", "  {rule}：另有 {count} 条经申诉撤销，不计", "  {rule}: {count} more overturned on appeal, not counted");
pub const EXPLAIN_NONE: Message = Message::new("explain.none", "  无", "  none");
pub const EXPLAIN_MONEY: Message = Message::new(
    "explain.money",
    "资金：应追回 {recover}（{recover_lines} 条），应暂缓拨付 {hold}（{hold_lines} 条）",
    "money: to recover {recover} ({recover_lines} lines), to hold {hold} ({hold_lines} lines)",
);
/// Where the lead's dossier is (`dossiers/`), when the run has one for it.
pub const EXPLAIN_DOSSIER: Message = Message::new("rating.explain.dossier", "线索档案：{path}", "lead dossier: {path}");
pub const EXPLAIN_LEAD: Message = Message::new(
    "explain.lead",
    "调查线索：第 {rank} 名（共 {leads} 条），风险分 {risk}（0–1）{priority}；信号：{signals}",
    "lead: rank {rank} of {leads}, risk score {risk} (0–1){priority}; signals: {signals}",
);
pub const EXPLAIN_HIGH_PRIORITY: Message = Message::new("explain.high_priority", "，高优先级", ", high priority");
pub const EXPLAIN_NOT_A_LEAD: Message = Message::new("explain.not_a_lead", "调查线索：无", "lead: none");
pub const EXPLAIN_NO_LEADS: Message = Message::new("explain.no_leads", "调查线索：本次运行没有线索表", "lead: this run has no leads table");

/// How a list of reasons is joined in each language.
pub const SEPARATOR: Message = Message::new("rating.separator", "；", "; ");

/// Every message of this area, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[
    &X_BY_DECISION,
    &X_BY_SANCTION,
    &X_BY_SANCTION_OPEN,
    &D_SCORE,
    &D_SCORE_OPEN,
    &D_BREACH_SHARE,
    &D_BREACH_SHARE_OPEN,
    &D_BAN_IN_FORCE,
    &D_BAN_IN_FORCE_OPEN,
    &N_FEW_COMPLETED,
    &N_NO_DATA,
    &C_LEAD,
    &C_SCORE,
    &B_SCORE,
    &B_BREACH_LINE,
    &B_PREVIOUS_TIER,
    &A_SCORE,
    &TIER_IS,
    &WITH_SCORE,
    &COMPLETION_RATE,
    &PASS_RATE,
    &EMPLOYMENT_RATE,
    &RETENTION_RATE,
    &SATISFACTION,
    &COMPLIANCE,
    &BREACH_LINES,
    &PROCEDURAL,
    &VIOLATIONS,
    &BREACH_SHARE,
    &HOLD_LEAD,
    &HOLD_OPEN_CASE,
    &LEAD_CLEARED,
    &WATCH_LEAD,
    &SEPARATOR,
    &DEDUCTED,
    &COUNT_BREACH_LINES,
    &COUNT_PROCEDURAL,
    &COUNT_VIOLATIONS,
    &HOLD_CASE,
    &LIST_SEPARATOR,
    &EXPLAIN_HEADER,
    &EXPLAIN_TIER,
    &EXPLAIN_BANNED,
    &EXPLAIN_REASON,
    &EXPLAIN_INDICATORS,
    &EXPLAIN_INDICATOR,
    &EXPLAIN_POINTS,
    &EXPLAIN_LEFT_OUT,
    &EXPLAIN_NO_DATA,
    &EXPLAIN_SCORE,
    &EXPLAIN_NOT_RATED,
    &EXPLAIN_FINDINGS,
    &EXPLAIN_FINDING,
    &EXPLAIN_OVERTURNED,
    &EXPLAIN_NONE,
    &EXPLAIN_MONEY,
    &EXPLAIN_LEAD,
    &EXPLAIN_DOSSIER,
    &EXPLAIN_HIGH_PRIORITY,
    &EXPLAIN_NOT_A_LEAD,
    &EXPLAIN_NO_LEADS,
];
