//! The message catalogue: every sentence a person reads in a table, a report, `explain` or a
//! warning is a [`Message`], a code with its Chinese and English text, rendered from arguments.
//!
//! Stages never write prose. A finding keeps its message's code and arguments (columns
//! `*_code` and `*_args`, the arguments as text in the order of [`Message::params`]); the table
//! writer renders the text in the run's language, and the report re-renders it in its own from
//! the same code and arguments. So no one parses a sentence back, rewording a message changes
//! no decision, and the test below holds every code to both languages with the same
//! placeholders.
//!
//! One file per area keeps its own messages (`rules`, `signals`, `ingest`, `rating`, `cases`,
//! `cli`); [`all`] lists them all and [`find`] looks a code up.

pub mod cases;
pub mod cli;
pub mod ingest;
pub mod nested;
pub mod rating;
pub mod rules;
pub mod signals;

use super::Lang;
use polars::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A message: its code (stable, kept in tables) and its text in both languages. Placeholders are
/// `{name}`; both texts use the same names.
#[derive(Debug, PartialEq, Eq)]
pub struct Message {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

impl Message {
    pub const fn new(code: &'static str, zh: &'static str, en: &'static str) -> Message {
        Message { code, zh, en }
    }

    /// The template in `lang`.
    pub fn template(&self, lang: Lang) -> &'static str {
        lang.t(self.zh, self.en)
    }

    /// The placeholder names in order of first appearance in the English text: the order of a
    /// stored argument list.
    pub fn params(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        for piece in pieces(self.en) {
            if let Piece::Param(name) = piece {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// The text in `lang` with named arguments. A placeholder without an argument stays as
    /// `{name}`, so a missing argument shows instead of vanishing.
    pub fn render(&self, lang: Lang, args: &[(&str, &str)]) -> String {
        let mut out = String::with_capacity(self.template(lang).len() + 16);
        for piece in pieces(self.template(lang)) {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Param(name) => match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
    }

    /// The text in `lang` from stored arguments (in [`Message::params`] order).
    pub fn render_stored(&self, lang: Lang, stored: &[&str]) -> String {
        let params = self.params();
        // An argument may embed other messages (`nested`): rendered in the same language.
        let stored: Vec<String> = stored.iter().map(|arg| nested::expand(lang, arg)).collect();
        let named: Vec<(&str, &str)> = params.iter().copied().zip(stored.iter().map(String::as_str)).collect();
        self.render(lang, &named)
    }

    /// Named arguments as stored: their values in [`Message::params`] order ("" for a missing one).
    pub fn store(&self, args: &[(&str, &str)]) -> Vec<String> {
        self.params()
            .into_iter()
            .map(|name| args.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()).unwrap_or_default())
            .collect()
    }

    /// A polars expression of the text in `lang`, each argument an expression (cast to text). A
    /// null argument makes the text null, as `concat_str` does; fill it first where it may be.
    pub fn expr(&self, lang: Lang, args: &[(&str, Expr)]) -> Expr {
        let mut parts: Vec<Expr> = Vec::new();
        for piece in pieces(self.template(lang)) {
            match piece {
                Piece::Text(text) => parts.push(lit(text)),
                Piece::Param(name) => match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => parts.push(value.clone().cast(DataType::String)),
                    None => parts.push(lit(format!("{{{name}}}"))),
                },
            }
        }
        if parts.is_empty() {
            return lit("");
        }
        concat_str(parts, "", false)
    }

    /// A polars expression of the stored arguments: a `list[str]` in [`Message::params`] order.
    pub fn args_expr(&self, args: &[(&str, Expr)]) -> Expr {
        let values: Vec<Expr> = self
            .params()
            .into_iter()
            .map(|name| match args.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => value.clone().cast(DataType::String).fill_null(lit("")),
                None => lit(""),
            })
            .collect();
        if values.is_empty() {
            return lit(Series::new_empty("".into(), &DataType::String)).implode(false);
        }
        concat_list(values).unwrap_or_else(|_| lit(NULL))
    }

    /// The code as a literal column value.
    pub fn code_expr(&self) -> Expr {
        lit(self.code)
    }
}

/// A text kept as written, not made by the engine: an investigator's note, a decision's note
/// from the export. Rendered the same in both languages.
pub const TEXT: Message = Message::new("text", "{text}", "{text}");

/// Every message of every area.
pub fn all() -> impl Iterator<Item = &'static Message> {
    [&[&TEXT] as &[&Message], nested::ALL, rules::ALL, signals::ALL, ingest::ALL, rating::ALL, cases::ALL, cli::ALL].into_iter().flatten().copied()
}

/// The message of a code, if the catalogue has it.
pub fn find(code: &str) -> Option<&'static Message> {
    static INDEX: OnceLock<HashMap<&'static str, &'static Message>> = OnceLock::new();
    INDEX.get_or_init(|| all().map(|m| (m.code, m)).collect()).get(code).copied()
}

/// Renders a stored (code, arguments) pair in `lang`; an unknown code renders as itself, so a
/// run written by a newer engine still shows something a person can look up. Several messages
/// joined ([`JOINED`]) render one after another.
pub fn render_code(lang: Lang, code: &str, stored: &[&str]) -> String {
    match (find(code), split_joined(code, stored)) {
        (Some(message), _) => message.render_stored(lang, stored),
        (None, Some(parts)) => parts.iter().map(|(message, args)| message.render_stored(lang, args)).collect::<Vec<_>>().join(lang.t("；", "; ")),
        (None, None) => code.to_string(),
    }
}

/// Several messages kept in one code and one argument list (a ledger row that merged sanctions
/// keeps each one's reason): their codes joined by `+`, their arguments one message after
/// another, each message taking as many as it has parameters.
pub const JOINED: char = '+';

/// The messages and arguments of a joined code (see [`JOINED`]); `None` unless every part is a
/// known code and the arguments are exactly theirs.
pub fn split_joined<'a, T>(code: &str, stored: &'a [T]) -> Option<Vec<(&'static Message, &'a [T])>> {
    if !code.contains(JOINED) {
        return None;
    }
    let mut parts = Vec::new();
    let mut rest = stored;
    for part in code.split(JOINED) {
        let message = find(part)?;
        let count = message.params().len();
        if rest.len() < count {
            return None;
        }
        let (args, after) = rest.split_at(count);
        parts.push((message, args));
        rest = after;
    }
    rest.is_empty().then_some(parts)
}

/// Renders a text column from a `code` column (str) and an `args` column (list[str]), row by
/// row, in `lang`. A null code gives a null text.
pub fn render_column(frame: &DataFrame, code: &str, args: &str, lang: Lang, name: &str) -> PolarsResult<Column> {
    let codes = frame.column(code)?.str()?;
    let lists = frame.column(args)?.list()?;
    let mut out: Vec<Option<String>> = Vec::with_capacity(frame.height());
    for (code, list) in codes.iter().zip(lists.amortized_iter()) {
        out.push(code.map(|code| {
            match list {
                Some(series) => {
                    let strings = series.as_ref().str().map(|s| s.iter().map(|v| v.unwrap_or("").to_string()).collect::<Vec<_>>()).unwrap_or_default();
                    let refs: Vec<&str> = strings.iter().map(String::as_str).collect();
                    render_code(lang, code, &refs)
                }
                None => render_code(lang, code, &[]),
            }
        }));
    }
    Ok(Column::new(name.into(), out))
}

enum Piece<'a> {
    Text(&'a str),
    Param(&'a str),
}

/// Splits a template into text and `{name}` placeholders. `{` not followed by a name and `}`
/// is text.
fn pieces(template: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_name(&after[..close]) => {
                if open > 0 {
                    out.push(Piece::Text(&rest[..open]));
                }
                out.push(Piece::Param(&after[..close]));
                rest = &after[close + 1..];
            }
            _ => {
                out.push(Piece::Text(&rest[..open + 1]));
                rest = after;
            }
        }
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    out
}

fn is_name(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Words a Chinese text may hold in Latin letters: ids, units and names of standards.
pub const LATIN_ALLOWED_IN_ZH: &[&str] = &[
    "MAD", "PSI", "ID", "HMAC", "CSV", "BOM", "Excel", "WPS", "Benford", "SHA", "PNG", "SVG", "HTML", "DECISION", "Parquet", "TOML",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const SAMPLE: Message = Message::new("test.sample", "报名 {enrollment} 出勤 {hours} 小时，低于 {need} 小时", "enrollment {enrollment} attended {hours} h, below {need} h");

    #[test]
    fn renders_named_and_stored_arguments_in_both_languages() {
        assert_eq!(SAMPLE.params(), vec!["enrollment", "hours", "need"]);
        let args = [("hours", "12.50"), ("enrollment", "E1"), ("need", "64")];
        assert_eq!(SAMPLE.render(Lang::Zh, &args), "报名 E1 出勤 12.50 小时，低于 64 小时");
        assert_eq!(SAMPLE.render(Lang::En, &args), "enrollment E1 attended 12.50 h, below 64 h");
        let stored = SAMPLE.store(&args);
        assert_eq!(stored, vec!["E1", "12.50", "64"]);
        let refs: Vec<&str> = stored.iter().map(String::as_str).collect();
        assert_eq!(SAMPLE.render_stored(Lang::Zh, &refs), "报名 E1 出勤 12.50 小时，低于 64 小时");
        assert_eq!(SAMPLE.render(Lang::En, &[("hours", "1")]), "enrollment {enrollment} attended 1 h, below {need} h");
        assert_eq!(render_code(Lang::Zh, "no.such.code", &[]), "no.such.code");
        // Two messages kept as one: each renders with its own arguments, in the run's language.
        let joined = format!("{}{JOINED}{}", cli::RUN_WRITTEN.code, TEXT.code);
        assert_eq!(render_code(Lang::Zh, &joined, &["reports/2026Q3", "局里的原话"]), "运行结果已写入 reports/2026Q3；局里的原话");
        assert_eq!(render_code(Lang::En, &joined, &["reports/2026Q3", "as written"]), "run written to reports/2026Q3; as written");
        assert_eq!(render_code(Lang::En, &joined, &["reports/2026Q3"]), joined, "arguments that do not fit show the code");
    }

    #[test]
    fn expressions_render_rows_and_store_arguments() {
        let frame = polars::df!("enrollment" => ["E1", "E2", "E3"], "hours" => [Some(1.5), None, Some(0.0)]).unwrap();
        let out = frame
            .lazy()
            .select([
                SAMPLE.expr(Lang::Zh, &[("enrollment", col("enrollment")), ("hours", col("hours")), ("need", lit(64))]).alias("text"),
                SAMPLE.args_expr(&[("enrollment", col("enrollment")), ("hours", col("hours")), ("need", lit(64))]).alias("args"),
                SAMPLE.code_expr().alias("code"),
            ])
            .collect()
            .unwrap();
        let text: Vec<Option<&str>> = out.column("text").unwrap().str().unwrap().iter().collect();
        assert_eq!(text, vec![Some("报名 E1 出勤 1.5 小时，低于 64 小时"), None, Some("报名 E3 出勤 0.0 小时，低于 64 小时")]);
        let rendered = render_column(&out, "code", "args", Lang::En, "evidence").unwrap();
        let rendered: Vec<Option<&str>> = rendered.str().unwrap().iter().collect();
        assert_eq!(rendered, vec![Some("test.sample"); 3], "a code the catalogue lacks renders as itself");
        let stored = polars::df!("code" => [Some("cli.run_written"), None, Some("cli.run_written")]).unwrap();
        let stored = stored
            .lazy()
            .with_column(cli::RUN_WRITTEN.args_expr(&[("path", lit("reports/2026Q3"))]).alias("args"))
            .collect()
            .unwrap();
        let rendered = render_column(&stored, "code", "args", Lang::Zh, "text").unwrap();
        let rendered: Vec<Option<&str>> = rendered.str().unwrap().iter().collect();
        assert_eq!(rendered, vec![Some("运行结果已写入 reports/2026Q3"), None, Some("运行结果已写入 reports/2026Q3")]);
    }

    /// Every code is unique, has both languages with the same placeholders, and its Chinese
    /// holds no English word (ids, units and the allowed names aside).
    #[test]
    fn every_code_has_both_languages_and_chinese_is_chinese() {
        let mut codes = BTreeSet::new();
        let mut problems = Vec::new();
        for message in all() {
            if !codes.insert(message.code) {
                problems.push(format!("{}: code used twice", message.code));
            }
            if message.zh.trim().is_empty() || message.en.trim().is_empty() {
                problems.push(format!("{}: a language is empty", message.code));
            }
            let names = |text: &'static str| -> BTreeSet<&'static str> {
                pieces(text).into_iter().filter_map(|p| if let Piece::Param(n) = p { Some(n) } else { None }).collect()
            };
            if names(message.zh) != names(message.en) {
                problems.push(format!("{}: placeholders differ between zh and en", message.code));
            }
            for word in latin_words(message.zh) {
                if !LATIN_ALLOWED_IN_ZH.contains(&word) && !looks_like_id(word) {
                    problems.push(format!("{}: English word '{word}' in the Chinese text", message.code));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
        assert!(codes.len() >= 1);
    }

    /// The Latin-letter words of a text, placeholders removed.
    fn latin_words(text: &'static str) -> Vec<&'static str> {
        let mut words = Vec::new();
        for piece in pieces(text) {
            if let Piece::Text(text) = piece {
                words.extend(text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).filter(|w| w.chars().any(|c| c.is_ascii_alphabetic())));
            }
        }
        words
    }
}

/// An id or a unit rather than a word: a rule or signal id, a tier letter, a quarter, `z`, `%`-less
/// units of one or two letters, or a snake_case name of the contract (a column, a signal).
pub fn looks_like_id(word: &str) -> bool {
    word.len() <= 2
        || word.contains('_')
        || crate::vocab::RuleId::parse(word).is_some()
        || word.chars().any(|c| c.is_ascii_digit())
        || crate::vocab::SignalId::parse(word).is_some()
}
