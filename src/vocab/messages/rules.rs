//! Messages of the rules area (see the catalogue's module documentation): the evidence of every
//! rule breach R01–R12 and procedural finding P01–P04, the notes a flag gets when it was
//! overturned on appeal or its claim rejected, the evidence of a case decision's flag, and the
//! reasons of the sanctions ledger. Amounts are yuan with two decimals (元 in Chinese), dates
//! ISO, quarters `2026Q3`; each Chinese text carries the same numbers as its English one.

use super::Message;

// Rule breaches (evidence of a claim line's flag).

pub const R01: Message = Message::new(
    "rules.r01.duplicate",
    "人员 {person} 已有同一职业 {occupation}、{level} 级的培训申领明细 {first_line}（此前共 {earlier} 条）",
    "person {person} already has training line {first_line} for occupation {occupation} level {level} ({earlier} earlier line(s) in all)",
);
pub const R02: Message = Message::new(
    "rules.r02.annual_cap",
    "人员 {person} 在 {year} 年已有 {earlier} 条培训申领明细（每年上限 {cap} 条）",
    "person {person} already has {earlier} training lines in {year} (cap {cap} a year)",
);
pub const R03_BAD_CHECK: Message = Message::new(
    "rules.r03.bad_check",
    "身份证号码的校验码错误（GB 11643 校验规则）",
    "raw ID number with a wrong check character (ISO 7064 MOD 11-2)",
);
pub const R03_BAD_BIRTH_DATE: Message = Message::new(
    "rules.r03.bad_birth_date",
    "身份证号码中的出生日期（第 7–14 位）不是有效日期",
    "raw ID number whose birth date (characters 7–14) is not a real date",
);
pub const R03_MALFORMED: Message = Message::new(
    "rules.r03.malformed",
    "人员标识既不是 18 位身份证号码，也不是 64 位十六进制哈希值",
    "person id is neither an 18-character ID number nor a 64-hex hash",
);
pub const R04: Message = Message::new(
    "rules.r04.age",
    "报名日 {enrolled_on} 时年龄 {age} 岁（允许 {min}–{max} 岁）",
    "age {age} on enrolled_on {enrolled_on} (allowed {min}–{max})",
);
pub const R05: Message = Message::new(
    "rules.r05.not_completed",
    "报名 {enrollment} 未完成培训（结业标记为否）",
    "enrollment {enrollment} did not complete its class (completed = false)",
);
pub const R06: Message = Message::new(
    "rules.r06.attendance",
    "{start} 至 {end} 期间出勤 {attended} 小时，计划 {planned} 小时（出勤率 {share}%，低于 {percent}%）",
    "attended {attended} h of {planned} h planned ({share}% < {percent}%) between {start} and {end}",
);
pub const R07_MISSING: Message = Message::new(
    "rules.r07.missing",
    "报名 {enrollment} 不在导出数据中，或读取时已被拒收",
    "enrollment {enrollment} is missing from the export or was rejected on reading",
);
pub const R07_OTHER_CLASS: Message = Message::new(
    "rules.r07.other_class",
    "报名属于班级 {enrollment_class}，申领却针对班级 {claim_class}",
    "enrollment belongs to class {enrollment_class}, the claim is for class {claim_class}",
);
pub const R07_OTHER_INSTITUTION: Message = Message::new(
    "rules.r07.other_institution",
    "报名所在班级 {enrollment_class} 由 {class_institution} 开办，并非申领机构 {institution}",
    "enrollment's class {enrollment_class} is run by {class_institution}, not by the claimant {institution}",
);
pub const R08_NOT_ENTITLED: Message = Message::new(
    "rules.r08.not_entitled",
    "人员类别 {group} 不享受生活费补贴（可享受的类别：{entitled}）",
    "group {group} is not entitled to a living allowance (entitled: {entitled})",
);
pub const R08_OVER_CAP: Message = Message::new(
    "rules.r08.over_cap",
    "申领金额 {amount} 元超过上限 {cap} 元（= {percent}% × 最低工资 {wage} 元 ÷ {days_per_month} × 核定 {allowed} 天；申领 {days} 天，此前已付 {earlier_days} 天）",
    "amount {amount} above the cap {cap} = {percent}% × minimum wage {wage} ÷ {days_per_month} × {allowed} allowed day(s) ({days} claimed, {earlier_days} paid before)",
);
pub const R09_NO_PASS: Message = Message::new(
    "rules.r09.no_pass",
    "申领日及之前没有职业 {occupation}、{level} 级可用的鉴定合格记录（共有 {passes} 条合格记录，均晚于申领或已被使用）",
    "no qualifying pass in {occupation} level {level} on or before the claim ({passes} pass(es) on record, all later or already used)",
);
pub const R09_NO_PASS_ON_RECORD: Message = Message::new(
    "rules.r09.no_pass_on_record",
    "该人员没有职业 {occupation}、{level} 级的鉴定合格记录",
    "no pass in {occupation} level {level} on record for the person",
);
pub const R09_OVER_CAP: Message = Message::new(
    "rules.r09.over_cap",
    "申领金额 {amount} 元超过上限 {cap} 元（= 鉴定 {assessment} 的费用 {fee} 元 × {percent}%）",
    "amount {amount} above the cap {cap} = {percent}% of the fee {fee} of pass {assessment}",
);
pub const R10_BAN: Message = Message::new(
    "rules.r10.ban",
    "申领提交于 {submitted}（{quarter}），其时 {institution} 处于禁止承接政府补贴培训期（{from}–{until}）",
    "claim submitted {submitted} ({quarter}) while {institution} is under a ban {from}–{until}",
);
pub const R10_BAN_OPEN: Message = Message::new(
    "rules.r10.ban_open",
    "申领提交于 {submitted}（{quarter}），其时 {institution} 处于禁止承接政府补贴培训期（自 {from} 起，未定截止季度）",
    "claim submitted {submitted} ({quarter}) while {institution} is under a ban from {from} with no end",
);
pub const R10_DISQUALIFIED: Message = Message::new(
    "rules.r10.disqualified",
    "申领提交于 {submitted}（{quarter}），其时 {institution} 已被取消培训资格（{from}–{until}）",
    "claim submitted {submitted} ({quarter}) while {institution} is disqualified {from}–{until}",
);
pub const R10_DISQUALIFIED_OPEN: Message = Message::new(
    "rules.r10.disqualified_open",
    "申领提交于 {submitted}（{quarter}），其时 {institution} 已被取消培训资格（自 {from} 起，未定截止季度）",
    "claim submitted {submitted} ({quarter}) while {institution} is disqualified from {from} with no end",
);
pub const R10_DECISION: Message = Message::new(
    "rules.r10.decision",
    "申领提交于 {submitted}，在 {decided_on} 认定 {institution} 骗取补贴之日或之后",
    "claim submitted {submitted}, on or after the fraud_confirmed decision of {decided_on} against {institution}",
);
pub const R11: Message = Message::new(
    "rules.r11.over_standard",
    "申领金额 {amount} 元超过班级补贴标准 {standard} 元",
    "line {amount} above the class's standard {standard}",
);
pub const R11_UPLIFT: Message = Message::new(
    "rules.r11.over_uplifted_standard",
    "申领金额 {amount} 元超过班级补贴标准 {standard} 元上浮后的上限 {cap} 元",
    "line {amount} above the class's standard {standard} with uplift: cap {cap}",
);
pub const R12: Message = Message::new(
    "rules.r12.before_licence",
    "班级 {class} 于 {start} 开班，早于 {institution} 取得办学许可的日期 {licensed_on}",
    "class {class} started {start}, before {institution} was licensed on {licensed_on}",
);

// Procedural findings.

pub const P01: Message = Message::new(
    "rules.p01.claim_before_end",
    "报销制培训申领于 {submitted} 提交，早于班级 {class} 的结业日期 {end}",
    "reimburse training claim submitted {submitted}, before class {class} ended on {end}",
);
pub const P02: Message = Message::new(
    "rules.p02.over_capacity",
    "班级报名 {enrollments} 人，超过额定的 {capacity} 人",
    "class has {enrollments} enrollments for {capacity} seats",
);
pub const P03: Message = Message::new(
    "rules.p03.double_presence",
    "人员 {person} 于 {first_at} 在 {first_institution} 签到（报名 {first_enrollment}），又于 {second_at} 在 {second_institution} 签到（报名 {second_enrollment}），相隔 {seconds} 秒",
    "person {person} checked in at {first_at} ({first_enrollment} of {first_institution}) and at {second_at} ({second_enrollment} of {second_institution}), {seconds} s apart",
);
pub const P04_AMOUNT: Message = Message::new(
    "rules.p04.amount",
    "申领金额 {amount} 元，但明细合计 {lines_sum} 元",
    "amount {amount} but its lines sum to {lines_sum}",
);
pub const P04_HEADCOUNT: Message = Message::new(
    "rules.p04.headcount",
    "申领人数 {headcount} 人，但明细为 {lines} 条",
    "headcount {headcount} but {lines} line(s)",
);
pub const P04_BOTH: Message = Message::new(
    "rules.p04.amount_and_headcount",
    "申领金额 {amount} 元，但明细合计 {lines_sum} 元；申领人数 {headcount} 人，但明细为 {lines} 条",
    "amount {amount} but its lines sum to {lines_sum}; headcount {headcount} but {lines} line(s)",
);

// Notes after a flag's evidence.

pub const OVERTURNED: Message = Message::new(
    "rules.note.overturned",
    "；申诉后已撤销该认定：不扣分，不追缴",
    "; overturned on appeal: no points, no money",
);
pub const OVERTURNED_PROCEDURAL: Message = Message::new(
    "rules.note.overturned_procedural",
    "；申诉后已撤销该认定：不扣分",
    "; overturned on appeal: no points",
);
pub const CLAIM_REJECTED: Message = Message::new(
    "rules.note.claim_rejected",
    "；该申领已被驳回：不涉及资金",
    "; claim rejected: no money at stake",
);
pub const DECISION_NOTE: Message = Message::new("rules.note.decision", "；调查说明：{note}", "; investigator's note: {note}");

// Case decisions dated in the quarter.

pub const DECISION_FRAUD: Message = Message::new(
    "rules.decision.fraud_confirmed",
    "{decided_on} 认定骗取补贴资金，未认定具体金额：{from} 至 {to} 提交的 {lines} 条已付申领明细全额追缴",
    "fraud_confirmed decided on {decided_on}, no amount stated: {lines} paid claim line(s) submitted {from}–{to} reclaimed in full",
);
pub const DECISION_FRAUD_AMOUNT: Message = Message::new(
    "rules.decision.fraud_confirmed_amount",
    "{decided_on} 认定骗取补贴资金，认定骗取金额 {amount} 元",
    "fraud_confirmed decided on {decided_on}, amount defrauded {amount}",
);
pub const DECISION_VIOLATION: Message = Message::new(
    "rules.decision.violation",
    "{decided_on} 认定存在违规行为",
    "violation decided on {decided_on}",
);
pub const DECISION_CLEARED: Message = Message::new(
    "rules.decision.cleared",
    "{decided_on} 调查结论：未发现违规，予以澄清",
    "cleared decided on {decided_on}",
);

// Reasons of the sanctions ledger.

pub const LEDGER_TIER_D: Message = Message::new(
    "rules.ledger.tier_d",
    "{quarter} 信用评级为 D 级（不达标）：{from}–{until} 禁止承接政府补贴培训项目",
    "tier D in {quarter}: banned from government training projects {from}–{until}",
);
pub const LEDGER_TIER_D_OPEN: Message = Message::new(
    "rules.ledger.tier_d_open",
    "{quarter} 信用评级为 D 级（不达标）：自 {from} 起禁止承接政府补贴培训项目，未定截止季度",
    "tier D in {quarter}: banned from government training projects from {from} with no end",
);
pub const LEDGER_TIER_X: Message = Message::new(
    "rules.ledger.tier_x",
    "{quarter} 信用评级为 X 级：自 {from} 起取消培训资格",
    "tier X in {quarter}: qualification cancelled from {from}",
);

/// Every message of this area, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[
    &R01, &R02, &R03_BAD_CHECK, &R03_BAD_BIRTH_DATE, &R03_MALFORMED, &R04, &R05, &R06, &R07_MISSING, &R07_OTHER_CLASS,
    &R07_OTHER_INSTITUTION, &R08_NOT_ENTITLED, &R08_OVER_CAP, &R09_NO_PASS, &R09_NO_PASS_ON_RECORD, &R09_OVER_CAP, &R10_BAN, &R10_BAN_OPEN,
    &R10_DISQUALIFIED, &R10_DISQUALIFIED_OPEN, &R10_DECISION, &R11, &R11_UPLIFT, &R12, &P01, &P02, &P03, &P04_AMOUNT,
    &P04_HEADCOUNT, &P04_BOTH, &OVERTURNED, &OVERTURNED_PROCEDURAL, &CLAIM_REJECTED, &DECISION_NOTE, &DECISION_FRAUD,
    &DECISION_FRAUD_AMOUNT, &DECISION_VIOLATION, &DECISION_CLEARED, &LEDGER_TIER_D, &LEDGER_TIER_D_OPEN, &LEDGER_TIER_X,
];
