//! What `evaluate` and `demo` print when a run is done, in the run's language: institutions per
//! tier, movements since the previous quarter, the money, where the report and spreadsheets are,
//! and how to ask why one institution got its tier. One function for both commands, so a bureau
//! sees the same thing whichever it ran; every sentence comes from `vocab::messages::cli`.

use std::collections::BTreeMap;
use std::fmt::Write;
use traincredit::ingest::coverage::Coverage;
use traincredit::pipeline::RunOutcome;
use traincredit::report::summary::Summary;
use traincredit::report::text::{indicator_name, money, table_name};
use traincredit::vocab::messages::cli as m;
use traincredit::vocab::{Lang, Tier};

/// The export's coverage and the indicators without data, as `evaluate` prints them.
pub fn coverage(summary: &Summary, lang: Lang) -> String {
    let mut out = String::new();
    writeln!(out, "{}", coverage_lines(&summary.coverage, lang)).ok();
    for gap in &summary.indicators_without_data {
        let line = match lang {
            // `check` (English only) prints the reason the same way.
            Lang::En => super::no_data_line(gap),
            Lang::Zh => m::NO_DATA.render(lang, &[("indicator", &indicator_name(lang, gap.indicator)), ("file", "summary.json")]),
        };
        writeln!(out, "{line}").ok();
    }
    out
}

/// The coverage heading and one line per dated table.
fn coverage_lines(coverage: &Coverage, lang: Lang) -> String {
    let mut lines = vec![m::COVERAGE_HEADING.render(lang, &[])];
    for table in &coverage.tables {
        // 补贴申领 (claims) / claims: the contract's name stays beside the Chinese one.
        let name = table_name(lang, table.table);
        let args = [("table", name.as_str()), ("column", table.column)];
        lines.push(match (table.present, table.first, table.last) {
            (false, ..) => m::COVERAGE_ABSENT.render(lang, &args),
            (true, Some(first), Some(last)) => {
                let (first, last) = (first.to_string(), last.to_string());
                m::COVERAGE_RANGE.render(lang, &[args[0], args[1], ("first", &first), ("last", &last)])
            }
            (true, ..) => m::COVERAGE_NO_ROWS.render(lang, &args),
        });
    }
    lines.join("\n")
}

/// Institutions per tier, movements since the previous quarter, money, the report's and the
/// spreadsheets' paths, and the `explain` command for the first lead (or any institution).
pub fn run_done(outcome: &RunOutcome, lang: Lang) -> String {
    let mut out = String::new();
    let summary = &outcome.summary;
    writeln!(out, "{}", m::TIERS_HEADING.render(lang, &[("quarter", &summary.quarter)])).ok();
    for tier in Tier::ALL {
        let count = summary.institutions_per_tier.get(tier.as_str()).copied().unwrap_or(0);
        let count = format!("{count:>4}");
        writeln!(out, "{}", m::TIER_ROW.render(lang, &[("tier", tier.as_str()), ("count", &count), ("name", tier.name(lang))])).ok();
    }
    writeln!(out, "{}", m::MOVEMENTS_HEADING.render(lang, &[])).ok();
    let mut movements: BTreeMap<(Option<Tier>, Tier), usize> = BTreeMap::new();
    for rating in &outcome.ratings {
        if rating.previous_tier != Some(rating.tier) {
            *movements.entry((rating.previous_tier, rating.tier)).or_insert(0) += 1;
        }
    }
    if movements.is_empty() {
        writeln!(out, "{}", m::MOVEMENTS_NONE.render(lang, &[])).ok();
    }
    // Tiers in their canonical order (`Tier` orders as `Tier::ALL`); first ratings last.
    let mut movements: Vec<_> = movements.into_iter().collect();
    movements.sort_by_key(|((from, to), _)| (from.is_none(), *from, *to));
    for ((from, to), count) in movements {
        let from = match from {
            Some(tier) => tier.as_str().to_string(),
            None => m::NEWLY_RATED.render(lang, &[]),
        };
        let count = count.to_string();
        writeln!(out, "{}", m::MOVEMENT_ROW.render(lang, &[("from", &from), ("to", to.as_str()), ("count", &count)])).ok();
    }
    let totals = &summary.totals;
    let amount = |text: &str| money(lang, fen(text));
    let (claimed, at_stake, to_recover, to_hold) = (amount(&totals.claimed), amount(&totals.at_risk), amount(&totals.to_recover), amount(&totals.to_hold));
    writeln!(
        out,
        "{}",
        m::MONEY.render(lang, &[("claimed", &claimed), ("at_stake", &at_stake), ("to_recover", &to_recover), ("to_hold", &to_hold)])
    )
    .ok();
    let folder = &outcome.folder;
    let report = folder.join(format!("report{}.html", lang.file_suffix())).display().to_string();
    writeln!(out, "{}", m::REPORT_PATH.render(lang, &[("path", &report)])).ok();
    let workbook = folder.join(traincredit::report::export::WORKBOOK).display().to_string();
    let csv = folder.join(traincredit::report::export::CSV_FOLDER).display().to_string();
    writeln!(out, "{}", m::SPREADSHEETS.render(lang, &[("workbook", &workbook), ("csv", &csv)])).ok();
    let first_lead = outcome.ratings.iter().filter_map(|r| r.lead_rank.map(|rank| (rank, r.institution_id.as_str()))).min();
    let institution = first_lead.map(|(_, id)| id).or_else(|| outcome.ratings.first().map(|r| r.institution_id.as_str())).unwrap_or("ID");
    let command = format!("traincredit explain --run {} --institution {institution}", folder.display());
    writeln!(out, "{}", m::EXPLAIN_HINT.render(lang, &[("command", &command)])).ok();
    out
}

/// Fen of a summary amount ("1234.56"); the summary writes them, so they always parse.
fn fen(text: &str) -> i64 {
    text.parse::<rust_decimal::Decimal>().ok().and_then(traincredit::money::fen_from_decimal).unwrap_or(0)
}
