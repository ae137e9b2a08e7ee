//! Messages of the signals area (see the catalogue's module documentation): the evidence of
//! every risk signal (`flags.parquet` rows of kind `signal`, `signal_values.parquet`) and of the
//! leads (`leads.parquet`). The English texts are the sentences the signals wrote before the
//! catalogue, word for word; the Chinese says the same for an evaluator. Values carry their unit
//! in the argument (a share as `62.5%`, a robust z as `z 3.1`, Benford's `MAD`), ids as they are.

use super::Message;

// A signal's name as a sentence reads it (English keeps the id, which the tables use).
pub const NAME_BENFORD: Message = Message::new("signal.name.benford", "金额首位数字分布（本福特检验）", "benford");
pub const NAME_SYNCHRONIZED_SIGN_INS: Message = Message::new("signal.name.synchronized_sign_ins", "同秒集中签到", "synchronized_sign_ins");
pub const NAME_MANUAL_SIGN_INS: Message = Message::new("signal.name.manual_sign_ins", "手工录入签到", "manual_sign_ins");
pub const NAME_BULK_SIGN_INS: Message = Message::new("signal.name.bulk_sign_ins", "同一分钟集中录入签到", "bulk_sign_ins");
pub const NAME_SCORE_HEAPING: Message = Message::new("signal.name.score_heaping", "鉴定分数堆积在合格线", "score_heaping");
pub const NAME_ASSESSOR_PASS_RATE: Message = Message::new("signal.name.assessor_pass_rate", "考评员通过率偏高", "assessor_pass_rate");
pub const NAME_SHORT_EMPLOYMENT: Message = Message::new("signal.name.short_employment", "结业后短期就业", "short_employment");
pub const NAME_EMPLOYER_CONCENTRATION: Message = Message::new("signal.name.employer_concentration", "就业单位集中", "employer_concentration");
pub const NAME_SHARED_CONTACTS: Message = Message::new("signal.name.shared_contacts", "学员共用联系方式", "shared_contacts");
pub const NAME_RECYCLED_TRAINEES: Message = Message::new("signal.name.recycled_trainees", "学员在机构间循环培训", "recycled_trainees");
pub const NAME_EMPLOYMENT_CLUSTERS: Message = Message::new("signal.name.employment_clusters", "短期就业单位聚集", "employment_clusters");
pub const NAME_SUCCESSOR: Message = Message::new("signal.name.successor", "受处罚机构的承继机构", "successor");
pub const NAME_OUTLIER: Message = Message::new("signal.name.outlier", "整体指标画像异常", "outlier");

// How a value compares with its peers.
pub const EVIDENCE: Message = Message::new("signal.evidence", "{facts}（{peers}）", "{facts} ({peers})");
pub const EVIDENCE_MORE: Message = Message::new("signal.evidence_more", "{evidence}；{more}", "{evidence}; {more}");
pub const SUMMARY: Message = Message::new("signal.summary", "{signal} {value}（{peers}）", "{signal} {value} ({peers})");
pub const ENTITY: Message = Message::new("signal.entity", "{entity}；机构 {institution}：{summary}", "{entity}; institution {institution}: {summary}");
pub const NO_PEERS: Message = Message::new("signal.peer.none", "无可比较的同类机构", "no peers to compare with");
pub const PEER_REFERENCE: Message = Message::new("signal.peer.reference", "参照值 {reference}（{label}），稳健 z {z}", "reference {reference} ({label}), robust z {z}");
pub const PEER_MEDIAN: Message = Message::new("signal.peer.median", "同类中位数 {median}（{label}），稳健 z {z}", "peer median {median} over {label}, robust z {z}");
pub const PEERS_OF_KIND: Message = Message::new("signal.peers.kind", "同为 {kind} 类型的其他 {n} 家机构", "{n} {kind} institutions");
pub const PEERS_ALL: Message = Message::new("signal.peers.all", "其他 {n} 家机构", "{n} institutions");
pub const MORE: Message = Message::new("signal.more", "……另有 {n} 个", "… {n} more");
pub const AND: Message = Message::new("list.and", "和", " and ");

// benford
pub const BENFORD: Message = Message::new(
    "signal.benford.facts",
    "{window} 提交的申领明细 {lines} 条，不同金额 {total} 个，首位数字 MAD {mad}{skipped}：按尼格里尼标准为{conformity}（高于 {bound} 即不符合）{heavy}",
    "first-digit MAD {mad} over {total} distinct amounts on {lines} lines of claims submitted {window}{skipped}: Nigrini {conformity} (above {bound} is nonconformity){heavy}",
);
pub const BENFORD_SKIPPED: Message = Message::new("signal.benford.skipped", "（另有 {skipped} 个不足 1 元的金额未计入）", "; {skipped} distinct amount(s) below 1 yuan skipped");
pub const BENFORD_HEAVY: Message = Message::new(
    "signal.benford.heavy",
    "；首位数字为 {digits} 的金额 {observed} 个，占 {total} 个不同金额的 {share}（本福特定律预期 {expected}）；例如明细 {examples}",
    "; first digits {digits} on {observed} of {total} distinct amounts ({share}, Benford expects {expected}); e.g. lines {examples}",
);
pub const BENFORD_EXAMPLE: Message = Message::new("signal.benford.example", "{line}（{amount} 元）", "{line} {amount}");
pub const BENFORD_CLOSE: Message = Message::new("signal.benford.close", "高度符合", "close conformity");
pub const BENFORD_ACCEPTABLE: Message = Message::new("signal.benford.acceptable", "基本符合", "acceptable conformity");
pub const BENFORD_MARGINAL: Message = Message::new("signal.benford.marginal", "勉强符合", "marginally acceptable conformity");
pub const BENFORD_NONCONFORMITY: Message = Message::new("signal.benford.nonconformity", "不符合", "nonconformity");
pub const BENFORD_REFERENCE: Message = Message::new(
    "signal.benford.reference",
    "尼格里尼界值 {bound} 加上 {distinct} 个符合分布的金额按随机波动预期的 {chance}；有 {min_count} 个以上不同金额的同类机构不足 {min_peers} 家",
    "Nigrini's bound {bound} + {chance} expected by chance for {distinct} conforming amounts; fewer than {min_peers} peers have {min_count} distinct amounts",
);

// synchronized_sign_ins and manual_sign_ins
pub const SYNCHRONIZED: Message = Message::new(
    "signal.synchronized_sign_ins.facts",
    "{window} 的机器签到 {total} 次中，{in_bursts} 次（{share}）落在 {bursts} 次集中签到里：同一班级 {min_burst} 名及以上学员在同一秒内签到{largest}",
    "{in_bursts} of {total} machine sign-ins dated {window} ({share}) fell in {bursts} bursts of {min_burst} or more trainees of one class checking in within the same second{largest}",
);
pub const SYNCHRONIZED_LARGEST: Message = Message::new(
    "signal.synchronized_sign_ins.largest",
    "；规模最大的一次：班级 {class} 的 {size} 名学员中有 {trainees} 名于 {at} {device}签到",
    "; largest: {trainees} of {size} trainees of class {class} checked in at {at} {device}",
);
pub const SYNCHRONIZED_CLASS: Message = Message::new(
    "signal.synchronized_sign_ins.class",
    "班级 {class}：{sessions} 次课有 {min_burst} 名及以上学员在同一秒内签到；最多一次为 {size} 名学员中的 {trainees} 名于 {at} {device}签到",
    "class {class}: {sessions} sessions with {min_burst} or more trainees checking in within the same second; largest {trainees} of {size} trainees at {at} {device}",
);
pub const ON_DEVICE: Message = Message::new("signal.device.one", "在设备 {device} 上", "on device {device}");
pub const ON_DEVICES: Message = Message::new("signal.device.many", "在 {devices} 台设备（{device} 等）上", "on {devices} devices ({device} …)");
pub const MANUAL: Message = Message::new(
    "signal.manual_sign_ins.facts",
    "{window} 的现场签到 {total} 次中，{manual} 次（{share}）为手工录入{top}",
    "{manual} of {total} in-person sign-ins dated {window} ({share}) entered by hand{top}",
);
pub const BULK: Message = Message::new(
    "signal.bulk_sign_ins.facts",
    "{window} 的现场签到 {total} 次中，{in_bulk} 次（{share}）落在 {groups} 个“同班 {min_bulk} 人及以上同一分钟签到”的时段内（其中手工录入 {manual} 次）{largest}",
    "{in_bulk} of {total} in-person sign-ins dated {window} ({share}) fall in {groups} minutes in which {min_bulk} or more trainees of one class signed in ({manual} of them entered by hand){largest}",
);
pub const BULK_LARGEST: Message =
    Message::new("signal.bulk_sign_ins.largest", "；最多一次为班级 {class} 在 {at} 同一分钟 {trainees} 人", "; the largest: {trainees} trainees of class {class} at {at}");
pub const BULK_CLASS: Message = Message::new(
    "signal.bulk_sign_ins.class",
    "班级 {class} 有 {minutes} 个时段同一分钟签到 {min_bulk} 人及以上，最多 {trainees} 人（{at}）",
    "class {class}: {minutes} minutes with {min_bulk} or more trainees signing in, at most {trainees} ({at})",
);
pub const MANUAL_TOP: Message = Message::new("signal.manual_sign_ins.top", "；主要集中在{classes}", "; most in {classes}");
pub const MANUAL_CLASS: Message = Message::new("signal.manual_sign_ins.class", "班级 {class}（{total} 次中 {manual} 次，{share}）", "class {class} {manual} of {total} ({share})");

// score_heaping and assessor_pass_rate
pub const HEAPING: Message = Message::new(
    "signal.score_heaping.facts",
    "{window} 鉴定的 {scored} 份有分数的考试中，{heap} 份（{share}）得分 {above}，刚过合格线 {pass_mark} 分；{below} 份得分 {below_range}，刚低于合格线；通过率 {pass_rate}，分数中位数 {median}，离散度 {spread} 分",
    "{heap} of {scored} scored exams sat {window} ({share}) scored {above} just above the pass mark {pass_mark}, {below} scored {below_range} just below; pass rate {pass_rate}, median score {median}, spread {spread} points",
);
pub const SCORE_RANGE: Message = Message::new("signal.score_range", "{from} 至 {to}", "{from} up to {to}");
pub const HEAPING_FLAT: Message = Message::new(
    "signal.score_heaping.flat",
    "通过率 {pass_rate}，而分数离散度仅 {spread} 分（同类离散度中位数 {peer_spread} 分，稳健 z {z}）",
    "{pass_rate} pass with a spread of only {spread} points (peer median spread {peer_spread}, robust z {z})",
);
pub const ASSESSOR: Message = Message::new(
    "signal.assessor_pass_rate.facts",
    "考评员 {assessor} 在本机构 {window} 鉴定的 {exams} 场考试中判定通过 {passed} 场（{share}），在其他 {institutions} 家机构的 {exams_elsewhere} 场中通过 {passed_elsewhere} 场（{share_elsewhere}）；相差 {gap} 个百分点，两比例检验 z {z}{compared}",
    "assessor {assessor} passed {passed} of {exams} exams here ({share}) against {passed_elsewhere} of {exams_elsewhere} ({share_elsewhere}) at {institutions} other institutions, exams sat {window}; gap {gap} points, two-proportion z {z}{compared}",
);
pub const ASSESSOR_COMPARED: Message = Message::new("signal.assessor_pass_rate.compared", "（共比较 {n} 名考评员）", " ({n} assessors compared)");
pub const ASSESSOR_PEERS: Message = Message::new("signal.assessor_pass_rate.peers", "考评员 {assessor} 在其他 {n} 家机构", "assessor {assessor} at {n} other institutions");
pub const ASSESSOR_SUMMARY: Message = Message::new("signal.assessor_pass_rate.summary", "{signal} {share}，其他机构为 {elsewhere}", "{signal} {share} against {elsewhere} elsewhere");

// short_employment, employer_concentration, employment_clusters
pub const SHORT: Message = Message::new(
    "signal.short_employment.facts",
    "{window} 结业班级的就业学员 {total} 人中，{short} 人（{share}）的社保缴费在结业后一个月内开始、两个月内停止{examples}",
    "{short} of {total} trainees employed after classes ending {window} had contributions starting within a month of the class end and stopping within two months ({share}){examples}",
);
pub const EXAMPLES: Message = Message::new("signal.examples", "；例如 {examples}", "; e.g. {examples}");
pub const SHORT_EXAMPLE: Message = Message::new(
    "signal.short_employment.example",
    "人员 {person} 于 {months} 在单位 {employer} 缴费（班级 {class} 于 {ended} 结业）",
    "person {person} {months} at employer {employer} after class {class} ended {ended}",
);
pub const MONTHS: Message = Message::new("signal.months", "{from} 至 {to}", "{from} to {to}");
pub const CONCENTRATION: Message = Message::new(
    "signal.employer_concentration.facts",
    "{window} 结业班级的就业学员 {total} 人中，{top} 人（{share}）入职同一单位 {employer}；共涉及 {employers} 家单位",
    "{top} of {total} trainees employed after classes ending {window} started at employer {employer} ({share}); {employers} employers in all",
);
pub const CLUSTERS: Message = Message::new(
    "signal.employment_clusters.facts",
    "{window} 结业班级的就业学员 {total} 人中，{clustered} 人（{share}）去了 {employers} 家单位，每家接收 {min_trainees} 人及以上且多为短期就业{named}",
    "{clustered} of {total} trainees employed after classes ending {window} ({share}) went to {employers} employers that each took {min_trainees} or more of them, mostly for short jobs{named}",
);
pub const CLUSTERS_NAMED: Message = Message::new("signal.employment_clusters.named", "：{list}", ": {list}");
pub const CLUSTERS_EMPLOYER: Message = Message::new("signal.employment_clusters.employer", "单位 {employer} {trainees} 人，其中短期 {short} 人", "employer {employer} {trainees} trainees, {short} short");

// shared_contacts
pub const RINGS: Message = Message::new(
    "signal.shared_contacts.facts",
    "{window} 在训班级的 {trainees} 名学员中，{members} 人属于 {rings} 个共用电话或收款账户的人员团伙{details}",
    "{members} of {trainees} trainees of classes running {window} belong to {rings} ring(s) of persons sharing phones or payout accounts{details}",
);
pub const RING: Message = Message::new(
    "signal.shared_contacts.ring",
    "团伙共 {persons} 人（{members}），共用{shares}{elsewhere}；在本机构的班级 {classes}",
    "ring of {persons} persons ({members}) sharing {shares}{elsewhere}; here in class(es) {classes}",
);
pub const RING_PHONES: Message = Message::new("signal.shared_contacts.phones", "电话 {list}", "phone(s) {list}");
pub const RING_ACCOUNTS: Message = Message::new("signal.shared_contacts.accounts", "收款账户 {list}", "payout account(s) {list}");
pub const RING_ELSEWHERE: Message = Message::new("signal.shared_contacts.elsewhere", "，其中 {n} 人在其他机构培训", ", {n} of them trained elsewhere");
pub const CAPPED_PHONE: Message =
    Message::new("signal.shared_contacts.capped_phone", "电话 {contact} 关联 {users} 人，超过上限 {max_degree}，未计入", "phone {contact} of {users} persons ignored (above {max_degree})");
pub const CAPPED_ACCOUNT: Message =
    Message::new("signal.shared_contacts.capped_account", "收款账户 {contact} 关联 {users} 人，超过上限 {max_degree}，未计入", "account {contact} of {users} persons ignored (above {max_degree})");

// recycled_trainees
pub const RECYCLED: Message = Message::new(
    "signal.recycled_trainees.facts",
    "{trainees} 名学员中，{recycled} 人（{share}）在 {days} 天内先后在本机构和其他机构参加培训，两个班级中至少一个在 {window} 结业{partner}",
    "{recycled} of {trainees} trainees ({share}) were trained both here and at another institution within {days} days, one of the two classes ending {window}{partner}",
);
pub const RECYCLED_PARTNER: Message = Message::new(
    "signal.recycled_trainees.partner",
    "；其中 {n} 人（{share}）去了 {partner}{others}（例如人员 {examples}）",
    "; {n} of them ({share}) at {partner}{others} (e.g. persons {examples})",
);
pub const RECYCLED_OTHERS: Message = Message::new("signal.recycled_trainees.others", "，其次是 {list}", ", then {list}");
pub const RECYCLED_OTHER: Message = Message::new("signal.recycled_trainees.other", "{partner}（{n} 人）", "{partner} {n}");

// successor
pub const SUCCESSOR: Message = Message::new("signal.successor.facts", "{links}", "{links}");
pub const SUCCESSOR_LINK: Message = Message::new("signal.successor.link", "与 {source} 共用{shared}（{why}）；{licence}", "shares its {shared} with {source} ({why}); {licence}");
pub const SUCCESSOR_REP: Message = Message::new("signal.successor.legal_rep", "法定代表人 {rep}", "legal representative {rep}");
pub const SUCCESSOR_ACCOUNT: Message = Message::new("signal.successor.bank_account", "银行账户 {account}", "bank account {account}");
pub const SUCCESSOR_SANCTION: Message = Message::new("signal.successor.sanction", "{kind}处罚 {from}–{until}", "{kind} sanction {from}–{until}");
pub const SUCCESSOR_SANCTION_OPEN: Message = Message::new("signal.successor.sanction_open", "{kind}处罚 {from} 起，无截止期", "{kind} sanction {from} with no end");
pub const SANCTION_BAN: Message = Message::new("signal.sanction.ban", "禁止申领", "ban");
pub const SANCTION_DISQUALIFIED: Message = Message::new("signal.sanction.disqualified", "取消资格", "disqualified");
pub const SUCCESSOR_DECISION: Message = Message::new("signal.successor.decision", "{date} 的欺诈确认决定", "fraud_confirmed decision of {date}");
pub const SUCCESSOR_NEW: Message = Message::new("signal.successor.licensed_after", "{day} 取得办学许可，晚于 {source} 受处罚", "licensed {day}, after {source} was sanctioned");
pub const SUCCESSOR_OLD: Message = Message::new("signal.successor.licensed_before", "{day} 取得办学许可，早于其受处罚", "licensed {day}, before");
pub const SUCCESSOR_UNKNOWN: Message = Message::new("signal.successor.licence_unknown", "办学许可日期不详", "licence date unknown");
pub const SUCCESSOR_NONE: Message = Message::new(
    "signal.successor.none",
    "与被禁止或取消资格的机构没有共同的法定代表人或银行账户",
    "shares no legal representative or bank account with a banned or disqualified institution",
);
pub const SUCCESSOR_LINKED: Message = Message::new("signal.successor.linked", "{signal}：有关联", "{signal} linked");
pub const SUCCESSOR_NOT_LINKED: Message = Message::new("signal.successor.not_linked", "{signal}：无关联", "{signal} not linked");

// outlier
pub const OUTLIER: Message = Message::new(
    "signal.outlier.facts",
    "指标画像与同类机构的稳健距离为 {distance}（{count} 项特征中有 {present} 项：{features}）；高出同类最多的是：{unusual}",
    "robust distance {distance} of its profile ({present} of {count} features: {features}) from its peer group's; most above the peers: {unusual}",
);
pub const OUTLIER_FEATURE: Message = Message::new("signal.outlier.feature", "{feature} {value}（同类中位数 {median}，z {z}）", "{feature} {value} (peer median {median}, z {z})");

// leads
pub const CONTRIBUTIONS: Message = Message::new("signal.contributions", "{parts}", "{parts}");
pub const CONTRIBUTION_GRADED: Message = Message::new("signal.contribution.graded", "{signal} {evidence}（z {z}）", "{signal} {evidence} (z {z})");
pub const CONTRIBUTION_GRADED_FIRED: Message =
    Message::new("signal.contribution.graded_fired", "{signal} {evidence}（z {z}，已触发）", "{signal} {evidence} (z {z}, fired)");
pub const CONTRIBUTION_FACT: Message = Message::new("signal.contribution.fact", "{signal} {evidence}（事实，已触发）", "{signal} {evidence} (a fact, fired)");
pub const CONTRIBUTION_NOT_GRADED: Message = Message::new("signal.contribution.not_graded", "{signal} {evidence}（未评分）", "{signal} {evidence} (not graded)");
pub const CONTRIBUTION_BREACHES: Message = Message::new("signal.contribution.breaches", "违规 {evidence}", "breaches {evidence}");
pub const RELATED_LEADS: Message = Message::new("signal.related_leads", "{leads}", "{leads}");
pub const RELATED: Message = Message::new("signal.related", "{lead}（{why}）", "{lead} ({why})");
pub const RELATED_SHARED: Message = Message::new("signal.related.shared", "{signal}：{shared}", "{signal}: {shared}");
pub const RELATED_ASSESSOR: Message = Message::new("signal.related.assessor", "考评员 {assessor}", "assessor {assessor}");
pub const LEAD: Message = Message::new("signal.lead", "{parts}", "{parts}");
pub const LEAD_SEPARATOR: Message = Message::new("list.bar", " | ", " | ");
pub const LEAD_FIRED: Message = Message::new("signal.lead.fired", "{signal}：{evidence}", "{signal}: {evidence}");
pub const LEAD_BELOW_BAR: Message = Message::new("signal.lead.below_bar", "{signal}（未达触发线）：{evidence}", "{signal} (below its bar): {evidence}");
pub const LEAD_BREACHES: Message = Message::new(
    "signal.lead.breaches",
    "违规情况：在范围内的 {lines} 条申领明细中有 {breach_lines} 条违规（{rules}）；违规金额占未驳回申领金额的 {share}",
    "rule breaches: {breach_lines} of {lines} claim lines in scope ({rules}); breach share {share} of the amount of non-rejected claims",
);
pub const LEAD_RULE_COUNT: Message = Message::new("signal.lead.rule_count", "{rule} ×{n}", "{rule} ×{n}");
pub const LEAD_CLEARED: Message = Message::new("signal.lead.cleared", "备注：{date} 已排除嫌疑", "note: cleared on {date}");
pub const LEAD_CLEARED_NOTE: Message = Message::new("signal.lead.cleared_note", "备注：{date} 已排除嫌疑：{note}", "note: cleared on {date}: {note}");

/// Every message of this area, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[
    &NAME_BENFORD,
    &NAME_SYNCHRONIZED_SIGN_INS,
    &NAME_MANUAL_SIGN_INS,
    &NAME_BULK_SIGN_INS,
    &NAME_SCORE_HEAPING,
    &NAME_ASSESSOR_PASS_RATE,
    &NAME_SHORT_EMPLOYMENT,
    &NAME_EMPLOYER_CONCENTRATION,
    &NAME_SHARED_CONTACTS,
    &NAME_RECYCLED_TRAINEES,
    &NAME_EMPLOYMENT_CLUSTERS,
    &NAME_SUCCESSOR,
    &NAME_OUTLIER,
    &EVIDENCE,
    &EVIDENCE_MORE,
    &SUMMARY,
    &ENTITY,
    &NO_PEERS,
    &PEER_REFERENCE,
    &PEER_MEDIAN,
    &PEERS_OF_KIND,
    &PEERS_ALL,
    &MORE,
    &AND,
    &BENFORD,
    &BENFORD_SKIPPED,
    &BENFORD_HEAVY,
    &BENFORD_EXAMPLE,
    &BENFORD_CLOSE,
    &BENFORD_ACCEPTABLE,
    &BENFORD_MARGINAL,
    &BENFORD_NONCONFORMITY,
    &BENFORD_REFERENCE,
    &SYNCHRONIZED,
    &SYNCHRONIZED_LARGEST,
    &SYNCHRONIZED_CLASS,
    &ON_DEVICE,
    &ON_DEVICES,
    &MANUAL,
    &BULK,
    &BULK_LARGEST,
    &BULK_CLASS,
    &MANUAL_TOP,
    &MANUAL_CLASS,
    &HEAPING,
    &SCORE_RANGE,
    &HEAPING_FLAT,
    &ASSESSOR,
    &ASSESSOR_COMPARED,
    &ASSESSOR_PEERS,
    &ASSESSOR_SUMMARY,
    &SHORT,
    &EXAMPLES,
    &SHORT_EXAMPLE,
    &MONTHS,
    &CONCENTRATION,
    &CLUSTERS,
    &CLUSTERS_NAMED,
    &CLUSTERS_EMPLOYER,
    &RINGS,
    &RING,
    &RING_PHONES,
    &RING_ACCOUNTS,
    &RING_ELSEWHERE,
    &CAPPED_PHONE,
    &CAPPED_ACCOUNT,
    &RECYCLED,
    &RECYCLED_PARTNER,
    &RECYCLED_OTHERS,
    &RECYCLED_OTHER,
    &SUCCESSOR,
    &SUCCESSOR_LINK,
    &SUCCESSOR_REP,
    &SUCCESSOR_ACCOUNT,
    &SUCCESSOR_SANCTION,
    &SUCCESSOR_SANCTION_OPEN,
    &SANCTION_BAN,
    &SANCTION_DISQUALIFIED,
    &SUCCESSOR_DECISION,
    &SUCCESSOR_NEW,
    &SUCCESSOR_OLD,
    &SUCCESSOR_UNKNOWN,
    &SUCCESSOR_NONE,
    &SUCCESSOR_LINKED,
    &SUCCESSOR_NOT_LINKED,
    &OUTLIER,
    &OUTLIER_FEATURE,
    &CONTRIBUTIONS,
    &CONTRIBUTION_GRADED,
    &CONTRIBUTION_GRADED_FIRED,
    &CONTRIBUTION_FACT,
    &CONTRIBUTION_NOT_GRADED,
    &CONTRIBUTION_BREACHES,
    &RELATED_LEADS,
    &RELATED,
    &RELATED_SHARED,
    &RELATED_ASSESSOR,
    &LEAD,
    &LEAD_SEPARATOR,
    &LEAD_FIRED,
    &LEAD_BELOW_BAR,
    &LEAD_BREACHES,
    &LEAD_RULE_COUNT,
    &LEAD_CLEARED,
    &LEAD_CLEARED_NOTE,
];
