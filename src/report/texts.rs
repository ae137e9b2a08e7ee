//! The text columns of the tables (`evidence`, `reason`), rendered once, when a table is
//! written, from the code and arguments each row keeps beside it (`evidence_code`,
//! `evidence_args`), in the run's language. Stages before this one never write prose, so a table's
//! text column holds one language only and the report can render the same rows in the other.

use crate::error::{PolarsContext, Result};
use crate::vocab::messages;
use crate::vocab::Lang;
use polars::prelude::*;

/// Column suffixes: `evidence` is rendered from `evidence_code` and `evidence_args`.
pub const CODE_SUFFIX: &str = "_code";
pub const ARGS_SUFFIX: &str = "_args";
/// A note rendered after the text, where a table has one (`evidence_note_code`,
/// `evidence_note_args`: overturned on appeal, claim rejected, a decision's note); a null note
/// adds nothing. It is a message of its own so that one text column holds one language.
pub const NOTE_SUFFIX: &str = "_note";

pub use messages::TEXT as STORED_TEXT;

/// `frame` with the text column `name` (re)rendered in `lang` from `name_code` and `name_args`,
/// followed by its note (`name_note_code`, `name_note_args`) where the frame has one.
pub fn render(mut frame: DataFrame, name: &str, lang: Lang) -> Result<DataFrame> {
    let code = format!("{name}{CODE_SUFFIX}");
    let args = format!("{name}{ARGS_SUFFIX}");
    let mut text = messages::render_column(&frame, &code, &args, lang, name).context(&format!("rendering {name}"))?;
    let note = format!("{name}{NOTE_SUFFIX}");
    let (note_code, note_args) = (format!("{note}{CODE_SUFFIX}"), format!("{note}{ARGS_SUFFIX}"));
    if frame.get_column_index(&note_code).is_some() {
        let notes = messages::render_column(&frame, &note_code, &note_args, lang, &note).context(&format!("rendering {note}"))?;
        let (texts, notes) = (text.str().context(name)?, notes.str().context(&note)?);
        let joined: StringChunked = texts
            .iter()
            .zip(notes.iter())
            .map(|(text, note)| match (text, note) {
                (Some(text), Some(note)) => Some(format!("{text}{note}")),
                (text, _) => text.map(str::to_string),
            })
            .collect();
        text = joined.with_name(name.into()).into_column();
    }
    match frame.get_column_index(name) {
        Some(position) => frame.replace_column(position, text).map(|_| ()),
        None => frame.with_column(text).map(|_| ()),
    }
    .context(&format!("adding {name}"))?;
    Ok(frame)
}

#[cfg(test)]
mod tests {
    use super::*;

/// For a frame that still carries only its sentence in `name`: the code and arguments that keep
/// it as it is (`STORED_TEXT`).
fn stored(frame: LazyFrame, name: &str) -> LazyFrame {
    frame.with_columns([
        STORED_TEXT.code_expr().alias(format!("{name}{CODE_SUFFIX}")),
        STORED_TEXT.args_expr(&[("text", col(name))]).alias(format!("{name}{ARGS_SUFFIX}")),
    ])
}

    #[test]
    fn renders_a_text_column_from_its_code_and_arguments() {
        let frame = polars::df!("id" => [1, 2, 3], "evidence" => [Some("a b"), None, Some("c")]).unwrap();
        let kept = stored(frame.lazy(), "evidence").collect().unwrap();
        let rendered = render(kept, "evidence", Lang::Zh).unwrap();
        let text: Vec<Option<&str>> = rendered.column("evidence").unwrap().str().unwrap().iter().collect();
        assert_eq!(text, vec![Some("a b"), Some(""), Some("c")]);
        assert_eq!(rendered.get_column_names(), ["id", "evidence", "evidence_code", "evidence_args"]);
    }

    #[test]
    fn a_note_follows_its_text_in_the_same_language() {
        use crate::rules::evidence::{columns, Stored};
        use crate::vocab::messages::rules as m;
        let said = [Stored::new(&m::R05, &[("enrollment", "E1")]), Stored::new(&m::P02, &[("enrollments", "3"), ("capacity", "2")])];
        let [code, args] = columns("evidence_code", "evidence_args", &said).unwrap();
        let notes = [Stored::new(&m::OVERTURNED, &[])];
        let [note_code, note_args] = columns("evidence_note_code", "evidence_note_args", &notes).unwrap();
        // The second row has no note: a null code.
        let note_code = note_code.extend_constant(AnyValue::Null, 1).unwrap();
        let note_args = note_args.extend_constant(AnyValue::Null, 1).unwrap();
        let frame = DataFrame::new(2, vec![code, args, note_code, note_args]).unwrap();
        let text = |lang| {
            let rendered = render(frame.clone(), "evidence", lang).unwrap();
            rendered.column("evidence").unwrap().str().unwrap().iter().map(|t| t.unwrap().to_string()).collect::<Vec<_>>()
        };
        assert_eq!(text(Lang::Zh), ["报名 E1 未完成培训（结业标记为否）；申诉后已撤销该认定：不扣分，不追缴", "班级报名 3 人，超过额定的 2 人"]);
        assert_eq!(text(Lang::En), ["enrollment E1 did not complete its class (completed = false); overturned on appeal: no points, no money", "class has 3 enrollments for 2 seats"]);
    }
}
