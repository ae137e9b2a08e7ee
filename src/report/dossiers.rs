//! Lead dossiers: one page per lead, `dossiers/<institution_id>.html`, what an investigator
//! takes to a case meeting. Everything on it comes from the run folder's tables (no export, no
//! policy), so it can be redrawn from a finished run and every figure checked against them:
//!
//! - the lead: rank, risk score, list, signals and each signal's contribution to the risk;
//! - the money behind it: paid and pending in the quarter (`cases.parquet`), to recover and to
//!   hold (`recoveries`, `holds`), at stake in the findings;
//! - every signal's value against its peers (`signal_values.parquet`), fired or not;
//! - the rows behind its signals (`lead_evidence.parquet`, the first [`EVIDENCE_ROWS`] of each
//!   signal) and the money paid and pending in each signal's window (`lead_money.parquet`);
//! - the findings, grouped by rule with count and money, then row by row (the first
//!   [`FINDING_ROWS`], the number left out said; all of them are in `flags.parquet`);
//! - a timeline: tiers and scores by quarter, sanctions, cases and their resolutions;
//! - a network picture (SVG, drawn here, no script): the institution, the enrollments of its
//!   rings and sign-in bursts, linked institutions; at most [`NETWORK_NODES`] nodes, the rest
//!   counted.
//!
//! Texts of findings are rendered from their codes in the page's language when the run keeps
//! them (`evidence_code`, `evidence_args`), else shown as the run wrote them.
//!
//! Layer 3 (sections, each table a kit [`Table`] or [`Facts`]), with the assembly of its sections
//! into one page per lead; `render` (the pages) calls [`write_all`].

use crate::error::{Error, PolarsContext, Result};
use crate::report::data::{read_table, Cells};
use crate::report::kit::{page, section, Cell, Column, Facts, Table};
use crate::report::links::{dossier_file, scorecard_file, DOSSIERS_DIR};
use crate::report::text::{self, escape, Lang};
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};


/// Findings listed row by row on one dossier; the rest are counted (they are in flags.parquet).
pub const FINDING_ROWS: usize = 200;

/// Rows behind each signal listed on a dossier; the rest are counted (they are in
/// lead_evidence.parquet, itself capped per lead and signal, see `signals::behind`).
pub const EVIDENCE_ROWS: usize = 30;

/// Nodes of the network picture besides the institution; the rest are counted.
pub const NETWORK_NODES: usize = 16;

/// A table of the run, its rows grouped by `institution_id`.
struct ByInstitution {
    frame: DataFrame,
    rows: HashMap<String, Vec<usize>>,
}

impl ByInstitution {
    /// Reads `name` (absent: no rows) and renders `evidence` from its codes in `lang` when kept.
    fn read(run: &Path, name: &str, lang: Lang) -> Result<ByInstitution> {
        let path = run.join(name);
        let mut frame = if path.is_file() { read_table(&path)? } else { DataFrame::empty() };
        // The text columns in the page's language, from the codes a run keeps beside them.
        for text in ["evidence", "reason"] {
            if frame.get_column_index(&format!("{text}_code")).is_some() && frame.get_column_index(&format!("{text}_args")).is_some() {
                frame = super::texts::render(frame, text, lang)?;
            }
        }
        let mut rows: HashMap<String, Vec<usize>> = HashMap::new();
        if frame.height() > 0 {
            for (i, id) in Cells::new(&frame, name).texts("institution_id")?.into_iter().enumerate() {
                if let Some(id) = id {
                    rows.entry(id).or_default().push(i);
                }
            }
        }
        Ok(ByInstitution { frame, rows })
    }

    /// The institution's rows as a frame (in table order).
    fn of(&self, institution: &str) -> Result<DataFrame> {
        let rows: Vec<IdxSize> = self.rows.get(institution).map(|rows| rows.iter().map(|&i| i as IdxSize).collect()).unwrap_or_default();
        self.frame.take(&IdxCa::from_vec("rows".into(), rows)).context("selecting an institution's rows")
    }
}

/// The run's tables a dossier reads.
struct Run {
    leads: ByInstitution,
    scores: ByInstitution,
    signal_values: ByInstitution,
    flags: ByInstitution,
    recoveries: ByInstitution,
    holds: ByInstitution,
    cases: ByInstitution,
    sanctions: ByInstitution,
    history: ByInstitution,
    lead_money: ByInstitution,
    lead_evidence: ByInstitution,
}

/// Writes a dossier for every lead of the run folder `run`, in `lang` (the Chinese pages
/// `dossiers/<id>.html`, others beside them with the language's suffix). Returns the files.
pub fn write_all(run: &Path, lang: Lang) -> Result<Vec<PathBuf>> {
    let tables = Run {
        leads: ByInstitution::read(run, "leads.parquet", lang)?,
        scores: ByInstitution::read(run, "institution_scores.parquet", lang)?,
        signal_values: ByInstitution::read(run, "signal_values.parquet", lang)?,
        flags: ByInstitution::read(run, "flags.parquet", lang)?,
        recoveries: ByInstitution::read(run, "recoveries.parquet", lang)?,
        holds: ByInstitution::read(run, "holds.parquet", lang)?,
        cases: ByInstitution::read(run, "cases.parquet", lang)?,
        sanctions: ByInstitution::read(run, "sanctions.parquet", lang)?,
        history: ByInstitution::read(run, "history.parquet", lang)?,
        lead_money: ByInstitution::read(run, "lead_money.parquet", lang)?,
        lead_evidence: ByInstitution::read(run, "lead_evidence.parquet", lang)?,
    };
    let dir = run.join(DOSSIERS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("creating the dossiers folder", &dir, e))?;
    let mut ids: Vec<&String> = tables.leads.rows.keys().collect();
    ids.sort();
    let mut written = Vec::with_capacity(ids.len());
    for id in ids {
        let page = dossier(&tables, id, lang)?;
        let path = dir.join(dossier_file(id, lang));
        std::fs::write(&path, page).map_err(|e| Error::io("writing a dossier", &path, e))?;
        written.push(path);
    }
    Ok(written)
}

fn dossier(run: &Run, id: &str, lang: Lang) -> Result<String> {
    let lead = run.leads.of(id)?;
    let lead = Cells::new(&lead, "leads.parquet");
    let name = lead.text_or_empty("name")?.into_iter().next().unwrap_or_default();
    let mut body = String::new();
    let title = match lang {
        Lang::Zh => format!("线索档案 {id}"),
        Lang::En => format!("Lead dossier {id}"),
    };
    let _ = write!(
        body,
        "<header class=\"top\"><h1>{}</h1><p>{} · <a style=\"color:#fff\" href=\"../scorecards/{}\">{}</a> · <a style=\"color:#fff\" href=\"../report{}.html\">{}</a></p></header>\n<main>\n",
        escape(&title),
        escape(&name),
        escape(&scorecard_file(id, lang)),
        lang.t("评分卡", "scorecard"),
        lang.file_suffix(),
        lang.t("返回报告", "back to the report")
    );
    lead_section(&mut body, &lead, run, id, lang)?;
    money_section(&mut body, run, id, lang)?;
    signals_section(&mut body, run, id, lang)?;
    rows_section(&mut body, run, id, lang)?;
    findings_section(&mut body, run, id, lang)?;
    timeline_section(&mut body, run, id, lang)?;
    network_section(&mut body, run, id, &lead, lang)?;
    body.push_str("</main>\n");
    Ok(page(lang, &title, &body))
}

fn lead_section(out: &mut String, lead: &Cells, run: &Run, id: &str, lang: Lang) -> Result<()> {
    let first = |values: Vec<Option<String>>| values.into_iter().next().flatten().unwrap_or_else(|| "—".into());
    let score = run.scores.of(id)?;
    let score = Cells::new(&score, "institution_scores.parquet");
    let rows = [
        (lang.t("排名", "Rank"), first(lead.texts("rank")?)),
        (lang.t("风险分（0–1）", "Risk score (0–1)"), lead.numbers("risk_score")?.first().copied().flatten().map_or("—".into(), |r| format!("{r:.4}"))),
        (lang.t("高优先级", "High priority"), if lead.booleans("high_priority")?.first().copied().unwrap_or(false) { lang.t("是", "yes").into() } else { lang.t("否", "no").into() }),
        (lang.t("线索清单", "List"), list_name(lang, &first(lead.texts("lead_list")?)).to_string()),
        (lang.t("触发的信号", "Signals fired"), signal_names(lang, &first(lead.texts("signals")?))),
        (lang.t("相关线索", "Related leads"), first(lead.texts("related_leads")?)),
        (lang.t("等级", "Tier"), text::tier_name(lang, &first(score.texts("tier")?))),
        (lang.t("措施", "Action"), text::action_name(lang, &first(score.texts("action")?))),
    ];
    let mut facts = Facts::new(lang);
    for (label, value) in rows {
        facts.text(label, &value);
    }
    let _ = write!(out, "<section><h2>{}</h2>{}</section>\n", lang.t("线索", "The lead"), facts.finish());
    Ok(())
}

/// The list a lead is on (`leads.parquet` `lead_list`).
fn list_name(lang: Lang, list: &str) -> &str {
    match list {
        "statistical" => lang.t("统计线索", "statistical leads"),
        "breaches_only" => lang.t("仅有规则违规", "rule breaches only"),
        other => other,
    }
}

/// A finding's kind (`flags.parquet` `kind`) in words.
fn finding_kind<'a>(lang: Lang, kind: &'a str) -> &'a str {
    match kind {
        "breach" => lang.t("违规", "breach"),
        "procedural" => lang.t("程序问题", "procedural"),
        "signal" => lang.t("风险信号", "risk signal"),
        "decision" => lang.t("处理决定", "decision"),
        other => other,
    }
}

/// A case's status or resolution (`cases.parquet`) in words; empty stays empty.
fn case_word<'a>(lang: Lang, word: &'a str) -> &'a str {
    match word {
        "new" => lang.t("新立案", "new"),
        "open" => lang.t("在办", "open"),
        "closed" => lang.t("已结案", "closed"),
        "confirmed" => lang.t("确认违规", "confirmed"),
        "cleared" => lang.t("查无问题", "cleared"),
        "false_positive" => lang.t("误报", "false positive"),
        "null" => "",
        other => other,
    }
}

/// Signal ids joined by ", " as their names.
fn signal_names(lang: Lang, signals: &str) -> String {
    signals.split(", ").filter(|s| !s.is_empty()).map(|s| text::signal_name(lang, s)).collect::<Vec<_>>().join("；")
}

fn sum_fen(frame: &DataFrame, table: &str, column: &str) -> Result<i64> {
    Ok(Cells::new(frame, table).fen(column)?.into_iter().sum())
}

fn money_section(out: &mut String, run: &Run, id: &str, lang: Lang) -> Result<()> {
    let cases = run.cases.of(id)?;
    let cells = Cells::new(&cases, "cases.parquet");
    // Every case of an institution carries the same money of the quarter it was last seen.
    let paid = cells.fen("paid")?.into_iter().max().unwrap_or(0);
    let pending = cells.fen("pending")?.into_iter().max().unwrap_or(0);
    let flags = run.flags.of(id)?;
    let rows = [
        (lang.t("本季度已支付（申领于本季度）", "Paid in the quarter (claims submitted in it)"), paid),
        (lang.t("本季度待支付", "Pending in the quarter"), pending),
        (lang.t("应追回", "To recover"), sum_fen(&run.recoveries.of(id)?, "recoveries.parquet", "amount")?),
        (lang.t("应暂扣", "To hold"), sum_fen(&run.holds.of(id)?, "holds.parquet", "amount")?),
        (lang.t("各项发现涉及金额", "At stake in the findings"), sum_fen(&flags, "flags.parquet", "amount_at_risk")?),
    ];
    let mut facts = Facts::new(lang);
    for (label, fen) in rows {
        facts.money(label, fen);
    }
    let _ = write!(out, "<section><h2>{}</h2>{}</section>\n", lang.t("线索背后的资金", "Money behind the lead"), facts.finish());
    Ok(())
}

fn signals_section(out: &mut String, run: &Run, id: &str, lang: Lang) -> Result<()> {
    let values = run.signal_values.of(id)?;
    let cells = Cells::new(&values, "signal_values.parquet");
    out.push_str(&section(None, lang.t("信号与同类机构比较", "Signals against peers")));
    let mut table = Table::new(
        lang,
        None,
        vec![
            Column::text(lang.t("信号", "Signal")),
            Column::number(lang.t("本机构", "Value")),
            Column::number(lang.t("同类中位数", "Peer median")),
            Column::number(lang.t("稳健 z", "Robust z")),
            Column::number(lang.t("依据行数", "Rows")),
            Column::text(lang.t("是否触发", "Fired")),
            Column::text(lang.t("依据", "Evidence")).class("evidence"),
        ],
    );
    let units = cells.texts("unit")?;
    let (signals, value, peer, z, rows, fired, evidence) = (
        cells.text_or_empty("signal")?,
        cells.numbers("value")?,
        cells.numbers("peer_value")?,
        cells.numbers("robust_z")?,
        cells.texts("rows")?,
        cells.booleans("fired")?,
        cells.text_or_empty("evidence")?,
    );
    for i in 0..cells.height() {
        // Each value with its unit (%, MAD, z, 0–1), as the report prints it.
        let unit = text::signal_unit(&signals[i], units[i].as_deref());
        table.row([
            Cell::text(text::signal_name(lang, &signals[i])),
            Cell::number(text::signal_number(lang, value[i], unit)),
            Cell::number(text::signal_number(lang, peer[i], unit)),
            Cell::number(z[i].map_or("—".to_string(), |z| crate::signals::z_text(z))),
            Cell::text(rows[i].as_deref().unwrap_or("—")),
            Cell::text(if fired[i] { lang.t("是", "yes") } else { lang.t("否", "no") }),
            Cell::text(&evidence[i]),
        ]);
    }
    out.push_str(&table.finish());
    out.push_str("</section>\n");
    Ok(())
}

/// The rows behind the lead's signals (`lead_evidence.parquet`): per signal, the window, the
/// money paid and pending in it, how many rows there are (and how many the run left out), then
/// the first [`EVIDENCE_ROWS`] rows of each signal.
fn rows_section(out: &mut String, run: &Run, id: &str, lang: Lang) -> Result<()> {
    let money = run.lead_money.of(id)?;
    if money.height() == 0 {
        return Ok(());
    }
    let m = Cells::new(&money, "lead_money.parquet");
    out.push_str(&section(None, lang.t("信号背后的数据行", "The rows behind the signals")));
    let mut table = Table::new(
        lang,
        None,
        vec![
            Column::text(lang.t("信号", "Signal")),
            Column::text(lang.t("是否触发", "Fired")),
            Column::text(lang.t("数据期间", "Window")),
            Column::money(lang.t("期间已支付", "Paid in the window")),
            Column::money(lang.t("期间待支付", "Pending in the window")),
            Column::number(lang.t("数据行", "Rows")),
            Column::number(lang.t("未写入（超出上限）", "Left out (cap)")),
        ],
    );
    let (signals, fired, windows, paid, pending, rows, left) =
        (m.text_or_empty("signal")?, m.booleans("fired")?, m.text_or_empty("window")?, m.fen("paid")?, m.fen("pending")?, m.texts("rows")?, m.texts("rows_left_out")?);
    for i in 0..m.height() {
        table.row([
            Cell::text(text::signal_name(lang, &signals[i])),
            Cell::text(if fired[i] { lang.t("是", "yes") } else { lang.t("否（低于阈值，计入风险）", "no (below its bar, counted in the risk)") }),
            Cell::text(&windows[i]),
            Cell::money(paid[i]),
            Cell::money(pending[i]),
            Cell::number(rows[i].as_deref().unwrap_or("0")),
            Cell::number(left[i].as_deref().unwrap_or("0")),
        ]);
    }
    out.push_str(&table.finish());
    let evidence = run.lead_evidence.of(id)?;
    let e = Cells::new(&evidence, "lead_evidence.parquet");
    let texts = |name: &str| e.texts(name);
    let (signal, part, source, key, at, person) = (texts("signal")?, texts("part")?, texts("table")?, texts("row_key")?, texts("at")?, texts("person_id")?);
    // The facts a row may carry, each with its label; a row shows those it has.
    let labelled: Vec<(&str, Vec<Option<String>>)> = vec![
        (lang.t("方式", "method"), texts("method")?),
        (lang.t("设备", "device"), texts("device_id")?),
        (lang.t("考评机构", "assessor"), texts("assessor_id")?),
        (lang.t("分数", "score"), texts("score")?),
        (lang.t("单位", "employer"), texts("employer_id")?),
        (lang.t("连续月数", "months"), texts("months")?),
        (lang.t("申领", "claim"), texts("claim_id")?),
        (lang.t("金额", "amount"), texts("amount")?),
        (lang.t("共用联系方式", "shared contact"), texts("contact")?.into_iter().map(|c| c.map(|c| crate::signals::short(&c))).collect()),
        (lang.t("关联机构", "other institution"), texts("other_institution_id")?),
        (lang.t("数值", "value"), texts("value")?),
    ];
    let mut table = Table::new(
        lang,
        None,
        vec![
            Column::text(lang.t("信号", "Signal")),
            Column::text(lang.t("分组", "Part")),
            Column::text(lang.t("来源表与行", "Source row")),
            Column::text(lang.t("时间", "When")),
            Column::text(lang.t("人员（假名）", "Person (pseudonym)")),
            Column::text(lang.t("其他", "Facts")).class("evidence"),
        ],
    );
    let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
    let mut left_out = 0;
    for i in 0..e.height() {
        let name = signal[i].as_deref().unwrap_or("");
        let count = shown.entry(name).or_default();
        if *count >= EVIDENCE_ROWS {
            left_out += 1;
            continue;
        }
        *count += 1;
        let facts: Vec<String> = labelled.iter().filter_map(|(label, values)| values[i].as_ref().map(|v| format!("{label} {v}"))).collect();
        table.row([
            Cell::text(text::signal_name(lang, name)),
            Cell::text(part[i].as_deref().unwrap_or("")),
            Cell::text(format!("{} {}", source[i].as_deref().unwrap_or(""), key[i].as_deref().unwrap_or(""))),
            Cell::text(at[i].as_deref().unwrap_or("")),
            Cell::text(person[i].as_deref().map(crate::signals::short).unwrap_or_default()),
            Cell::text(facts.join(lang.t("；", "; "))),
        ]);
    }
    out.push_str(&table.finish());
    if left_out > 0 {
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p>",
            escape(&match lang {
                Lang::Zh => format!("每个信号列出前 {EVIDENCE_ROWS} 行，另有 {left_out} 行未列出，全部见 lead_evidence.parquet（institution_id = {id}）。"),
                Lang::En => format!("The first {EVIDENCE_ROWS} rows of each signal are listed; {left_out} more are in lead_evidence.parquet (institution_id = {id})."),
            })
        );
    }
    out.push_str("</section>\n");
    Ok(())
}

fn findings_section(out: &mut String, run: &Run, id: &str, lang: Lang) -> Result<()> {
    let flags = run.flags.of(id)?;
    let cells = Cells::new(&flags, "flags.parquet");
    let (rules, kinds, flag_ids, amounts, evidence) =
        (cells.text_or_empty("rule")?, cells.text_or_empty("kind")?, cells.text_or_empty("flag_id")?, cells.fen("amount_at_risk")?, cells.text_or_empty("evidence")?);
    let mut by_rule: BTreeMap<&str, (usize, i64)> = BTreeMap::new();
    for (rule, amount) in rules.iter().zip(&amounts) {
        let entry = by_rule.entry(rule.as_str()).or_default();
        entry.0 += 1;
        entry.1 += amount;
    }
    out.push_str(&section(None, lang.t("发现（按规则）", "Findings by rule")));
    let mut table = Table::new(
        lang,
        None,
        vec![Column::text(lang.t("规则或信号", "Rule or signal")), Column::number(lang.t("条数", "Findings")), Column::money(lang.t("涉及金额", "At stake"))],
    );
    for (rule, (count, fen)) in &by_rule {
        table.row([Cell::text(format!("{rule} {}", text::rule_name(lang, rule))), Cell::number(count), Cell::money(*fen)]);
    }
    out.push_str(&table.finish());
    let _ = write!(out, "<h3>{}</h3>", lang.t("逐条发现", "Finding by finding"));
    let mut table = Table::new(
        lang,
        None,
        vec![
            Column::text(lang.t("编号", "Flag")),
            Column::text(lang.t("类别", "Kind")),
            Column::money(lang.t("涉及金额", "At stake")),
            Column::text(lang.t("依据", "Evidence")).class("evidence"),
        ],
    );
    for i in 0..cells.height().min(FINDING_ROWS) {
        table.row([Cell::text(&flag_ids[i]), Cell::text(finding_kind(lang, &kinds[i])), Cell::money(amounts[i]), Cell::text(&evidence[i])]);
    }
    out.push_str(&table.finish());
    if cells.height() > FINDING_ROWS {
        let left = cells.height() - FINDING_ROWS;
        let _ = write!(
            out,
            "<p class=\"muted\">{}</p>",
            escape(&match lang {
                Lang::Zh => format!("另有 {left} 条未列出，全部见 flags.parquet（institution_id = {id}）。"),
                Lang::En => format!("{left} more not listed; all are in flags.parquet (institution_id = {id})."),
            })
        );
    }
    out.push_str("</section>\n");
    Ok(())
}

fn timeline_section(out: &mut String, run: &Run, id: &str, lang: Lang) -> Result<()> {
    // (when, what, detail), sorted by when: quarters sort as text (YYYYQn), dates after them.
    let mut events: Vec<(String, String, String)> = Vec::new();
    let history = run.history.of(id)?;
    let cells = Cells::new(&history, "history.parquet");
    for ((quarter, tier), (score, action)) in
        cells.text_or_empty("quarter")?.into_iter().zip(cells.text_or_empty("tier")?).zip(cells.numbers("score")?.into_iter().zip(cells.text_or_empty("action")?))
    {
        let detail = format!("{} · {} {} · {}", text::tier_name(lang, &tier), lang.t("得分", "score"), text::score(score), text::action_name(lang, &action));
        events.push((quarter, lang.t("评级", "Rating").into(), detail));
    }
    let sanctions = run.sanctions.of(id)?;
    let cells = Cells::new(&sanctions, "sanctions.parquet");
    for ((kind, from), (until, reason)) in
        cells.text_or_empty("kind")?.into_iter().zip(cells.text_or_empty("from_quarter")?).zip(cells.texts("until_quarter")?.into_iter().zip(cells.text_or_empty("reason")?))
    {
        let until = until.unwrap_or_else(|| lang.t("无期限", "no end").into());
        events.push((from.clone(), lang.t("处罚", "Sanction").into(), format!("{} {from}–{until} {reason}", text::sanction_kind_name(lang, &kind))));
    }
    let cases = run.cases.of(id)?;
    let cells = Cells::new(&cases, "cases.parquet");
    for ((case_id, opened), (status, resolution)) in
        cells.text_or_empty("case_id")?.into_iter().zip(cells.text_or_empty("opened_in")?).zip(cells.text_or_empty("status")?.into_iter().zip(cells.text_or_empty("resolution")?))
    {
        events.push((opened, lang.t("案件", "Case").into(), format!("{case_id} · {} {}", case_word(lang, &status), case_word(lang, &resolution)).trim_end().to_string()));
    }
    let flags = run.flags.of(id)?;
    let cells = Cells::new(&flags, "flags.parquet");
    for ((kind, flag_id), evidence) in cells.text_or_empty("kind")?.into_iter().zip(cells.text_or_empty("flag_id")?).zip(cells.text_or_empty("evidence")?) {
        if kind == "decision" {
            let when = flag_id.rsplit('@').next().unwrap_or_default().to_string();
            events.push((when, lang.t("处理决定", "Decision").into(), evidence));
        }
    }
    events.sort();
    out.push_str(&section(None, lang.t("时间线", "Timeline")));
    let mut table = Table::new(
        lang,
        None,
        vec![Column::text(lang.t("时间", "When")), Column::text(lang.t("事项", "What")), Column::text(lang.t("内容", "Detail")).class("evidence")],
    );
    for (when, what, detail) in events {
        table.row([Cell::text(when), Cell::text(what), Cell::text(detail)]);
    }
    out.push_str(&table.finish());
    out.push_str("</section>\n");
    Ok(())
}

/// A node of the network picture: its label and its group (how it is linked).
struct Node {
    label: String,
    group: &'static str,
}

fn network_section(out: &mut String, run: &Run, id: &str, lead: &Cells, lang: Lang) -> Result<()> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut left_out = 0usize;
    let mut add = |nodes: &mut Vec<Node>, label: String, group: &'static str| {
        if nodes.iter().any(|n| n.label == label) {
            return;
        }
        if nodes.len() < NETWORK_NODES {
            nodes.push(Node { label, group });
        } else {
            left_out += 1;
        }
    };
    let flags = run.flags.of(id)?;
    let cells = Cells::new(&flags, "flags.parquet");
    for ((kind, rule), (entity_kind, entity)) in
        cells.text_or_empty("kind")?.into_iter().zip(cells.text_or_empty("rule")?).zip(cells.text_or_empty("entity_kind")?.into_iter().zip(cells.text_or_empty("entity_id")?))
    {
        if kind != "signal" || entity == id {
            continue;
        }
        let group = match (rule.as_str(), entity_kind.as_str()) {
            (_, "institution") => "institution",
            ("shared_contacts", _) => "ring",
            _ => "entity",
        };
        add(&mut nodes, entity, group);
    }
    for related in lead.text_or_empty("related_leads")?.into_iter().next().unwrap_or_default().split([';', ',']) {
        let related = related.trim();
        if !related.is_empty() {
            let label = related.split_whitespace().next().unwrap_or(related).to_string();
            if label != id {
                add(&mut nodes, label, "institution");
            }
        }
    }
    out.push_str(&section(None, lang.t("关系图", "Network")));
    if nodes.is_empty() {
        let _ = write!(out, "<p class=\"muted\">{}</p></section>\n", lang.t("本线索没有关联的报名、班级或机构。", "No enrollment, class or institution is linked to this lead."));
        return Ok(());
    }
    out.push_str(&network_svg(id, &nodes, lang));
    let legend = lang.t(
        "中心为本机构；红色：共用电话或收款账户的团伙成员（报名）；橙色：信号涉及的班级等；蓝色：关联机构。",
        "Centre: this institution; red: members of rings sharing phones or payout accounts (enrollments); orange: classes and other rows of the signals; blue: linked institutions.",
    );
    let _ = write!(out, "<p class=\"muted\">{}</p>", escape(legend));
    if left_out > 0 {
        let more = match lang {
            Lang::Zh => format!("另有 {left_out} 个关联对象未画出，见 flags.parquet。"),
            Lang::En => format!("{left_out} more linked rows not drawn; see flags.parquet."),
        };
        let _ = write!(out, "<p class=\"muted\">{}</p>", escape(&more));
    }
    out.push_str("</section>\n");
    Ok(())
}

/// A radial picture: the institution in the centre, its links around it.
fn network_svg(id: &str, nodes: &[Node], lang: Lang) -> String {
    let (width, height, cx, cy, radius) = (760.0, 460.0, 380.0, 230.0, 170.0);
    let mut svg = format!(
        "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        escape(lang.t("关系图", "Network"))
    );
    let count = nodes.len() as f64;
    for (i, node) in nodes.iter().enumerate() {
        let angle = std::f64::consts::TAU * i as f64 / count - std::f64::consts::FRAC_PI_2;
        let (x, y) = (cx + radius * angle.cos(), cy + radius * angle.sin());
        let colour = match node.group {
            "ring" => "#c62828",
            "institution" => "#1565c0",
            _ => "#ef6c00",
        };
        let _ = write!(svg, "<line x1=\"{cx:.1}\" y1=\"{cy:.1}\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#99a7b1\" stroke-width=\"1.2\"/>");
        let _ = write!(svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"{colour}\"/>");
        let anchor = if x < cx - 1.0 { "end" } else if x > cx + 1.0 { "start" } else { "middle" };
        let dx = if anchor == "end" { -13.0 } else if anchor == "start" { 13.0 } else { 0.0 };
        let dy = if anchor == "middle" { if y < cy { -14.0 } else { 22.0 } } else { 4.0 };
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"{anchor}\" font-family=\"{}\">{}</text>",
            x + dx,
            y + dy,
            escape(crate::report::style::CSS_FONTS),
            escape(&node.label)
        );
    }
    let _ = write!(svg, "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"16\" fill=\"#00485a\"/>");
    let _ = write!(
        svg,
        "<text x=\"{cx:.1}\" y=\"{:.1}\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\" font-family=\"{}\">{}</text>",
        cy + 34.0,
        escape(crate::report::style::CSS_FONTS),
        escape(id)
    );
    svg.push_str("</svg></figure>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_network_places_every_node_and_the_institution() {
        let nodes = vec![Node { label: "E1".into(), group: "ring" }, Node { label: "I2".into(), group: "institution" }];
        let svg = network_svg("I1", &nodes, Lang::Zh);
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(">E1</text>") && svg.contains(">I2</text>") && svg.contains(">I1</text>"));
        assert!(svg.contains("#c62828") && svg.contains("#1565c0"));
    }
}
