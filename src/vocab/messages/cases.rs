//! Messages the case ledger writes into a case (`cases.csv`): why a closed case reopened.

use super::Message;

/// Appended to a reopened case's note: the quarter, why (the escalations joined), and how it had
/// been closed (`closed_as` is a rendered resolution, `closing_reason` the investigator's own
/// words in brackets, or empty).
pub const REOPENED: Message = Message::new(
    "case.reopened",
    "{quarter} 重新打开：{reasons}；此前结案为{closed_as}{closing_reason}",
    "{quarter} reopened: {reasons}; previously closed as {closed_as}{closing_reason}",
);
/// An escalation: the lead's risk score rose.
pub const RISK_ROSE: Message = Message::new("case.risk_rose", "风险分 {from} → {to}", "risk score {from} → {to}");
/// An escalation: the lead has signals of the scheme the case did not have.
pub const NEW_SIGNALS: Message = Message::new("case.new_signals", "新信号 {signals}", "new signals {signals}");
/// The separator between escalations.
pub const AND: Message = Message::new("case.and", "，", ", ");
/// The investigator's closing reason, in brackets.
pub const CLOSING_REASON: Message = Message::new("case.closing_reason", "（{reason}）", " ({reason})");
pub const CONFIRMED: Message = Message::new("case.resolution.confirmed", "“确认违规”", "confirmed");
pub const CLEARED: Message = Message::new("case.resolution.cleared", "“查无问题”", "cleared");
pub const FALSE_POSITIVE: Message = Message::new("case.resolution.false_positive", "“误报”", "false positive");

/// Every message of this area, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[&REOPENED, &RISK_ROSE, &NEW_SIGNALS, &AND, &CLOSING_REASON, &CONFIRMED, &CLEARED, &FALSE_POSITIVE];
