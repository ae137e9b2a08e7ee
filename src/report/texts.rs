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

pub use messages::TEXT as STORED_TEXT;

/// `frame` with the text column `name` (re)rendered in `lang` from `name_code` and `name_args`.
pub fn render(mut frame: DataFrame, name: &str, lang: Lang) -> Result<DataFrame> {
    let code = format!("{name}{CODE_SUFFIX}");
    let args = format!("{name}{ARGS_SUFFIX}");
    let text = messages::render_column(&frame, &code, &args, lang, name).context(&format!("rendering {name}"))?;
    match frame.get_column_index(name) {
        Some(position) => frame.replace_column(position, text).map(|_| ()),
        None => frame.with_column(text).map(|_| ()),
    }
    .context(&format!("adding {name}"))?;
    Ok(frame)
}

/// For a frame that still carries only its sentence in `name`: the code and arguments that keep
/// it as it is ([`STORED_TEXT`]).
pub fn stored(frame: LazyFrame, name: &str) -> LazyFrame {
    frame.with_columns([
        STORED_TEXT.code_expr().alias(format!("{name}{CODE_SUFFIX}")),
        STORED_TEXT.args_expr(&[("text", col(name))]).alias(format!("{name}{ARGS_SUFFIX}")),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_text_column_from_its_code_and_arguments() {
        let frame = polars::df!("id" => [1, 2, 3], "evidence" => [Some("a b"), None, Some("c")]).unwrap();
        let kept = stored(frame.lazy(), "evidence").collect().unwrap();
        let rendered = render(kept, "evidence", Lang::Zh).unwrap();
        let text: Vec<Option<&str>> = rendered.column("evidence").unwrap().str().unwrap().iter().collect();
        assert_eq!(text, vec![Some("a b"), Some(""), Some("c")]);
        assert_eq!(rendered.get_column_names(), ["id", "evidence", "evidence_code", "evidence_args"]);
    }
}
