//! The HTML kit (layer 2 of the report, between the figures and the sections): the pieces every
//! page is made of, so that escaping and alignment are decided once, here, instead of at each of
//! the report's, the scorecards', the dossiers' and the what-if page's cells.
//!
//! - [`Table`]: each column is declared once (its heading, its alignment, an optional class for
//!   its cells); rows are pushed as typed [`Cell`]s, and text is escaped as it is pushed. Markup
//!   gets in only through [`Cell::pre_escaped`], a name a reviewer sees.
//! - [`Facts`]: a two-column table of labelled values without a heading row (a dossier's lead and
//!   money).
//! - The page shell ([`page`], its Content-Security-Policy), a section's opening, key figures
//!   ([`figure`], [`card`]), a tier badge and an inline SVG.
//!
//! Headings and section titles are labels (from the message catalogue or `text.rs`), escaped for
//! element content (`&`, `<`, `>`); quotes need no escaping there, and the labels keep their
//! apostrophes as written ("next quarter's subsidy"). Everything else is data and escaped whole.

use crate::report::style::css;
use crate::report::text::{self, escape, Lang};
use std::fmt::{Display, Write};

/// The page's Content-Security-Policy: nothing may be fetched (no image, font, script, frame or
/// connection) and no script may run; only the inline style sheet applies.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// A whole HTML document around `body` (already markup).
pub(crate) fn page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}\n</body>\n</html>\n",
        lang.html(),
        escape(CSP),
        escape(title),
        css(),
        body
    )
}

/// A label (a heading, a section's title) for element content: `&`, `<` and `>` escaped.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// The opening of a section with its anchor (`id`, the table of contents' target) and its
/// heading; the caller closes it with `</section>`.
pub(crate) fn section(id: Option<&str>, heading: &str) -> String {
    match id {
        Some(id) => format!("<section id=\"{}\"><h2>{}</h2>", escape(id), label(heading)),
        None => format!("<section><h2>{}</h2>", label(heading)),
    }
}

/// A key figure with its machine-readable value (`data-figure`, `data-value`), so a test or an
/// auditor can compare it with the tables.
pub(crate) fn figure(key: &str, value: &str, shown: &str) -> String {
    format!("<span class=\"figure\" data-figure=\"{}\" data-value=\"{}\">{}</span>", escape(key), escape(value), escape(shown))
}

/// A card of the overview: a label over a key figure; `class` styles it (`money`, or empty).
pub(crate) fn card(label: &str, key: &str, value: &str, shown: &str, class: &str) -> String {
    format!(
        "<div class=\"card {class}\"><div class=\"label\">{}</div><div class=\"value\">{}</div></div>",
        escape(label),
        figure(key, value, shown)
    )
}

/// A link to `href` showing `text`, followed by a muted `note` (an institution's name beside its
/// id); all three escaped.
pub(crate) fn link(href: &str, text: &str, note: Option<&str>) -> String {
    let mut out = format!("<a href=\"{}\">{}</a>", escape(href), escape(text));
    if let Some(note) = note {
        let _ = write!(out, " <span class=\"muted\">{}</span>", escape(note));
    }
    out
}

/// A tier badge (coloured by the style sheet, named in its title); "—" for no tier.
pub(crate) fn tier_badge(lang: Lang, tier: &str) -> String {
    if tier.is_empty() {
        return "—".into();
    }
    format!("<span class=\"tier tier-{0}\" title=\"{1}\">{0}</span>", escape(tier), escape(&text::tier_name(lang, tier)))
}

/// An SVG document as an inline element (no XML prolog).
pub(crate) fn inline_svg(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(start) => &svg[start..],
        None => svg,
    }
}

/// How a column's heading and cells are aligned. Numbers and money are right-aligned (the
/// style sheet's `num`), so digits line up; money differs from a number in how its cells are
/// formatted ([`Cell::money`]), not in its alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Text,
    Number,
    Money,
}

impl Align {
    fn class(self) -> Option<&'static str> {
        match self {
            Align::Text => None,
            Align::Number | Align::Money => Some("num"),
        }
    }
}

/// A column of a [`Table`], declared once: its heading, alignment and an optional class of its
/// cells (`evidence` for long texts that may wrap).
#[derive(Debug, Clone)]
pub(crate) struct Column {
    heading: String,
    align: Align,
    class: Option<&'static str>,
}

impl Column {
    fn new(heading: &str, align: Align) -> Column {
        Column { heading: label(heading), align, class: None }
    }

    /// A column of text, left-aligned.
    pub(crate) fn text(heading: &str) -> Column {
        Column::new(heading, Align::Text)
    }

    /// A column of numbers (counts, scores, shares), right-aligned.
    pub(crate) fn number(heading: &str) -> Column {
        Column::new(heading, Align::Number)
    }

    /// A column of money, right-aligned.
    pub(crate) fn money(heading: &str) -> Column {
        Column::new(heading, Align::Money)
    }

    /// A column whose heading is markup (a tier badge): written as it is.
    pub(crate) fn pre_escaped_heading(markup: String, align: Align) -> Column {
        Column { heading: markup, align, class: None }
    }

    /// The class of this column's cells (not of its heading), besides the alignment's.
    pub(crate) fn class(mut self, class: &'static str) -> Column {
        self.class = Some(class);
        self
    }
}

/// What a cell holds; how it becomes markup is decided in one place ([`Cell::write`]).
#[derive(Debug, Clone)]
enum Content {
    /// Escaped when the cell is pushed.
    Text(String),
    /// Money in fen, formatted in the table's language.
    Money(i64),
    /// A link: its address, text and note, escaped ([`link`]).
    Link { href: String, text: String, note: Option<String> },
    /// Markup built by the caller from escaped parts.
    Markup(String),
    /// Nothing, and no class: an empty cell has no alignment (a total row's blank columns).
    Empty,
}

/// One cell of a [`Table`] row.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    content: Content,
    /// A class of this cell alone, after its column's (`changed` on a matrix's moved counts).
    class: Option<&'static str>,
}

impl Cell {
    fn of(content: Content) -> Cell {
        Cell { content, class: None }
    }

    /// Text, escaped as it is pushed.
    pub(crate) fn text(text: impl AsRef<str>) -> Cell {
        Cell::of(Content::Text(text.as_ref().to_string()))
    }

    /// A number, or any value already formatted as one ("12.5%", "—"), escaped like text.
    pub(crate) fn number(value: impl Display) -> Cell {
        Cell::of(Content::Text(value.to_string()))
    }

    /// Money in fen: `1,234.50 元` / `¥1,234.50` in the table's language.
    pub(crate) fn money(fen: i64) -> Cell {
        Cell::of(Content::Money(fen))
    }

    /// A link to `href` showing `text`, with a muted `note` after it.
    pub(crate) fn link(href: &str, text: &str, note: Option<&str>) -> Cell {
        Cell::of(Content::Link { href: href.into(), text: text.into(), note: note.map(str::to_string) })
    }

    /// Markup the caller built from escaped parts (a badge, a figure, a link with a note),
    /// written as it is.
    pub(crate) fn pre_escaped(markup: impl Into<String>) -> Cell {
        Cell::of(Content::Markup(markup.into()))
    }

    /// An empty cell.
    pub(crate) fn empty() -> Cell {
        Cell::of(Content::Empty)
    }

    /// This cell's own class, after its column's.
    pub(crate) fn class(mut self, class: &'static str) -> Cell {
        self.class = Some(class);
        self
    }

    /// Writes `<td …>…</td>` into `out`, with the classes of `column` and of the cell.
    fn write(&self, out: &mut String, lang: Lang, column: &Column) {
        if matches!(self.content, Content::Empty) {
            out.push_str("<td></td>");
            return;
        }
        let classes: Vec<&str> = [column.align.class(), column.class, self.class].into_iter().flatten().collect();
        if classes.is_empty() {
            out.push_str("<td>");
        } else {
            let _ = write!(out, "<td class=\"{}\">", classes.join(" "));
        }
        match &self.content {
            Content::Text(text) => out.push_str(&escape(text)),
            Content::Money(fen) => out.push_str(&escape(&text::money(lang, *fen))),
            Content::Link { href, text, note } => out.push_str(&link(href, text, note.as_deref())),
            Content::Markup(markup) => out.push_str(markup),
            Content::Empty => {}
        }
        out.push_str("</td>");
    }
}

/// A row's own attributes: `data-*` for the tests and auditors, a class (`total`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    attributes: String,
}

impl Row {
    pub(crate) fn new() -> Row {
        Row::default()
    }

    /// `data-NAME="value"`, the value escaped.
    pub(crate) fn data(mut self, name: &str, value: impl Display) -> Row {
        let _ = write!(self.attributes, " data-{name}=\"{}\"", escape(&value.to_string()));
        self
    }

    /// The row's class.
    pub(crate) fn class(mut self, class: &'static str) -> Row {
        let _ = write!(self.attributes, " class=\"{class}\"");
        self
    }
}

/// A table built row by row: the heading row from the columns, each cell's escaping and
/// alignment from its type and its column. [`Table::finish`] gives the markup.
#[derive(Debug)]
pub(crate) struct Table {
    lang: Lang,
    columns: Vec<Column>,
    out: String,
}

impl Table {
    /// A table with the anchor `id` (the tests' and the page's links) and `columns`.
    pub(crate) fn new(lang: Lang, id: Option<&str>, columns: Vec<Column>) -> Table {
        let mut out = match id {
            Some(id) => format!("<table id=\"{}\"><thead><tr>", escape(id)),
            None => "<table><thead><tr>".to_string(),
        };
        for column in &columns {
            match column.align.class() {
                Some(class) => {
                    let _ = write!(out, "<th class=\"{class}\">{}</th>", column.heading);
                }
                None => {
                    let _ = write!(out, "<th>{}</th>", column.heading);
                }
            }
        }
        out.push_str("</tr></thead><tbody>");
        Table { lang, columns, out }
    }

    /// A row of `cells`, one per column, in the columns' order.
    pub(crate) fn row(&mut self, cells: impl IntoIterator<Item = Cell>) {
        self.row_with(Row::new(), cells);
    }

    /// A row with its own attributes.
    pub(crate) fn row_with(&mut self, row: Row, cells: impl IntoIterator<Item = Cell>) {
        let _ = write!(self.out, "<tr{}>", row.attributes);
        let mut count = 0;
        for (cell, column) in cells.into_iter().zip(&self.columns) {
            cell.write(&mut self.out, self.lang, column);
            count += 1;
        }
        debug_assert_eq!(count, self.columns.len(), "a row has one cell per column");
        self.out.push_str("</tr>");
    }

    /// The table's markup.
    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</tbody></table>");
        self.out
    }
}

/// A two-column table of labelled values (no heading row): each row a label and its value.
#[derive(Debug)]
pub(crate) struct Facts {
    lang: Lang,
    out: String,
}

impl Facts {
    pub(crate) fn new(lang: Lang) -> Facts {
        Facts { lang, out: "<table><tbody>".to_string() }
    }

    /// A row whose value is text.
    pub(crate) fn text(&mut self, label: &str, value: &str) {
        let _ = write!(self.out, "<tr><th>{}</th><td>{}</td></tr>", escape(label), escape(value));
    }

    /// A row whose value is money (right-aligned).
    pub(crate) fn money(&mut self, label: &str, fen: i64) {
        let _ = write!(self.out, "<tr><th>{}</th><td class=\"num\">{}</td></tr>", escape(label), escape(&text::money(self.lang, fen)));
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</tbody></table>");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns() -> Vec<Column> {
        vec![Column::text("机构"), Column::number("rows"), Column::money("amount"), Column::text("Evidence").class("evidence")]
    }

    #[test]
    fn a_table_states_each_columns_alignment_once_and_escapes_its_text() {
        let mut table = Table::new(Lang::Zh, Some("t"), columns());
        table.row([Cell::text("<a&b \"c\" 'd'>"), Cell::number(12), Cell::money(123_456), Cell::text("x & y")]);
        assert_eq!(
            table.finish(),
            "<table id=\"t\"><thead><tr><th>机构</th><th class=\"num\">rows</th><th class=\"num\">amount</th><th>Evidence</th></tr></thead><tbody>\
             <tr><td>&lt;a&amp;b &quot;c&quot; &#39;d&#39;&gt;</td><td class=\"num\">12</td><td class=\"num\">1,234.56 元</td><td class=\"evidence\">x &amp; y</td></tr>\
             </tbody></table>"
        );
    }

    #[test]
    fn money_is_formatted_once_in_the_tables_language() {
        let mut table = Table::new(Lang::En, None, vec![Column::money("amount")]);
        table.row([Cell::money(-5)]);
        table.row([Cell::money(100_000_000)]);
        assert_eq!(
            table.finish(),
            "<table><thead><tr><th class=\"num\">amount</th></tr></thead><tbody><tr><td class=\"num\">¥-0.05</td></tr><tr><td class=\"num\">¥1,000,000.00</td></tr></tbody></table>"
        );
    }

    #[test]
    fn rows_carry_escaped_data_links_markup_only_by_name_and_blank_cells() {
        let mut table = Table::new(Lang::Zh, None, vec![Column::text("a"), Column::number("b")]);
        table.row_with(
            Row::new().data("institution", "I\"1").class("total"),
            [Cell::link("scorecards/I 1.html?a=1&b=2", "<I1>", Some("A & B")), Cell::pre_escaped("<strong>3</strong>").class("changed")],
        );
        table.row([Cell::empty(), Cell::empty()]);
        assert_eq!(
            table.finish(),
            "<table><thead><tr><th>a</th><th class=\"num\">b</th></tr></thead><tbody>\
             <tr data-institution=\"I&quot;1\" class=\"total\"><td><a href=\"scorecards/I 1.html?a=1&amp;b=2\">&lt;I1&gt;</a> <span class=\"muted\">A &amp; B</span></td><td class=\"num changed\"><strong>3</strong></td></tr>\
             <tr><td></td><td></td></tr></tbody></table>"
        );
    }

    #[test]
    fn headings_and_titles_are_labels_escaped_for_content() {
        let table = Table::new(Lang::En, None, vec![Column::text("next quarter's <b> & c"), Column::pre_escaped_heading("<span>A</span>".into(), Align::Number)]);
        assert_eq!(
            table.finish(),
            "<table><thead><tr><th>next quarter's &lt;b&gt; &amp; c</th><th class=\"num\"><span>A</span></th></tr></thead><tbody></tbody></table>"
        );
        assert_eq!(section(Some("money"), "Recoveries & holds"), "<section id=\"money\"><h2>Recoveries &amp; holds</h2>");
        assert_eq!(section(None, "x"), "<section><h2>x</h2>");
    }

    #[test]
    fn facts_pair_labels_with_values() {
        let mut facts = Facts::new(Lang::En);
        facts.text("Rank", "<1>");
        facts.money("To recover", 150);
        assert_eq!(
            facts.finish(),
            "<table><tbody><tr><th>Rank</th><td>&lt;1&gt;</td></tr><tr><th>To recover</th><td class=\"num\">¥1.50</td></tr></tbody></table>"
        );
    }

    #[test]
    fn figures_badges_and_cards_escape_what_they_show() {
        assert_eq!(figure("k", "1\"2", "<3>"), "<span class=\"figure\" data-figure=\"k\" data-value=\"1&quot;2\">&lt;3&gt;</span>");
        assert_eq!(tier_badge(Lang::En, "A"), "<span class=\"tier tier-A\" title=\"A excellent\">A</span>");
        assert_eq!(tier_badge(Lang::Zh, ""), "—");
        assert_eq!(inline_svg("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
    }
}
