//! Sentences made of sentences. A signal's evidence is its facts, then how they compare with its
//! peers, then (for a flag on a class or an enrollment) the institution's summary; a list of
//! examples has as many items as the data gives. Each part is a message of its own, so a stored
//! argument may hold other messages, encoded (never rendered: a table keeps one language-free
//! list of arguments, which renders in Chinese or in English).
//!
//! An embedded message is `STX code (US argument)* ETX`; its arguments may embed messages in turn.
//! [`expand`] renders every embedded message of an argument in a language; plain text passes as
//! it is (an export's ids and numbers hold no control characters).

use super::{render_code, Lang, Message};

const START: char = '\u{2}';
const UNIT: char = '\u{1f}';
const END: char = '\u{3}';

/// A sentence kept as its message and its arguments (in [`Message::params`] order), so it can be
/// stored in a table, embedded in another sentence, or rendered in either language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub message: &'static Message,
    pub args: Vec<String>,
}

impl Sentence {
    /// `message` with named arguments (an argument may be [`Sentence::embed`]ded text).
    pub fn new(message: &'static Message, args: &[(&str, &str)]) -> Sentence {
        Sentence { message, args: message.store(args) }
    }

    /// The sentence in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let refs: Vec<&str> = self.args.iter().map(String::as_str).collect();
        render_code(lang, self.message.code, &refs)
    }

    /// The sentence as an argument of another one.
    pub fn embed(&self) -> String {
        let mut out = String::new();
        out.push(START);
        out.push_str(self.message.code);
        for arg in &self.args {
            out.push(UNIT);
            out.push_str(arg);
        }
        out.push(END);
        out
    }
}

/// Sentences as one argument: `items` separated by `separator` (a message without arguments,
/// such as [`LIST`] or [`SEMICOLON`], so that the punctuation follows the language).
pub(crate) fn join(items: &[Sentence], separator: &'static Message) -> String {
    let separator = Sentence::new(separator, &[]).embed();
    items.iter().map(Sentence::embed).collect::<Vec<_>>().join(&separator)
}

/// Plain values (ids, amounts) as one argument, separated as [`join`] does.
pub(crate) fn join_values<S: AsRef<str>>(values: &[S], separator: &'static Message) -> String {
    let separator = Sentence::new(separator, &[]).embed();
    values.iter().map(|v| v.as_ref().to_string()).collect::<Vec<_>>().join(&separator)
}

/// `text` with every embedded message rendered in `lang`.
pub(crate) fn expand(lang: Lang, text: &str) -> String {
    if !text.contains(START) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c != START {
            out.push(c);
            continue;
        }
        // The matching END, at any depth; its parts split at this depth's UNITs.
        let mut depth = 1;
        let mut parts: Vec<&str> = Vec::new();
        let mut from = at + c.len_utf8();
        let mut closed = false;
        for (i, c) in chars.by_ref() {
            match c {
                START => depth += 1,
                END => {
                    depth -= 1;
                    if depth == 0 {
                        parts.push(&text[from..i]);
                        closed = true;
                        break;
                    }
                }
                UNIT if depth == 1 => {
                    parts.push(&text[from..i]);
                    from = i + c.len_utf8();
                }
                _ => {}
            }
        }
        if !closed {
            // A stray START: the rest is text as written.
            out.push_str(&text[at + c.len_utf8()..]);
            break;
        }
        let (code, args) = parts.split_first().expect("a closed embedding has a code");
        out.push_str(&render_code(lang, code, args));
    }
    out
}

pub const LIST: Message = Message::new("list.comma", "、", ", ");
pub const SEMICOLON: Message = Message::new("list.semicolon", "；", "; ");

/// Every message of this file, for the catalogue's index and its test.
pub const ALL: &[&Message] = &[&LIST, &SEMICOLON];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::messages::signals::{EXAMPLES, RECYCLED_OTHER, RECYCLED_OTHERS};

    #[test]
    fn embedded_sentences_render_in_the_outer_ones_language() {
        let items = [Sentence::new(&RECYCLED_OTHER, &[("partner", "K1"), ("n", "12")]), Sentence::new(&RECYCLED_OTHER, &[("partner", "K2"), ("n", "3")])];
        let others = Sentence::new(&RECYCLED_OTHERS, &[("list", &join(&items, &LIST))]);
        let outer = Sentence::new(&EXAMPLES, &[("examples", &others.embed())]);
        assert!(!outer.args[0].contains('人') && outer.args[0].contains("K2"), "stored arguments hold no language");
        assert_eq!(expand(Lang::Zh, &join(&items, &LIST)), "K1（12 人）、K2（3 人）");
        assert_eq!(outer.render(Lang::Zh), "；例如 ，其次是 K1（12 人）、K2（3 人）");
        assert_eq!(outer.render(Lang::En), "; e.g. , then K1 12, K2 3");
        let stored: Vec<&str> = outer.args.iter().map(String::as_str).collect();
        assert_eq!(render_code(Lang::En, "signal.examples", &stored), "; e.g. , then K1 12, K2 3");
        assert_eq!(expand(Lang::En, &join_values(&["A", "B"], &SEMICOLON)), "A; B");
        assert_eq!(expand(Lang::En, "plain \u{2}list.comma"), "plain list.comma", "a stray start is text");
        assert_eq!(expand(Lang::Zh, "\u{2}no.such\u{1f}x\u{3} y"), "no.such y", "an unknown code renders as itself");
    }
}
