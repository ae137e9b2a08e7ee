//! How a finding keeps its evidence: the code of a message of the catalogue
//! (`vocab::messages::rules`) and its arguments, never a sentence. The rules build these two
//! columns, as expressions over the claim-line facts ([`Said`]) or row by row in Rust
//! ([`Stored`], [`columns`]); the table writer renders the text in the run's language.

use crate::vocab::Message;
use polars::prelude::*;

/// Column: the evidence's message code.
pub const EVIDENCE_CODE: &str = "evidence_code";
/// Column: the evidence's arguments, `list[str]` in the message's parameter order.
pub const EVIDENCE_ARGS: &str = "evidence_args";

/// The type of an arguments column.
pub fn args_type() -> DataType {
    DataType::List(Box::new(DataType::String))
}

/// A message and its arguments as two expressions (code, arguments).
#[derive(Clone)]
pub struct Said {
    pub code: Expr,
    pub args: Expr,
}

impl Said {
    /// `message` with named arguments.
    pub fn of(message: &Message, args: &[(&str, Expr)]) -> Said {
        Said { code: message.code_expr(), args: message.args_expr(args) }
    }

    /// `then` where `condition` holds, else `otherwise` (a null condition: `otherwise`).
    pub fn when(condition: Expr, then: Said, otherwise: Said) -> Said {
        let condition = condition.fill_null(lit(false));
        Said {
            code: when(condition.clone()).then(then.code).otherwise(otherwise.code),
            args: when(condition).then(then.args.cast(args_type())).otherwise(otherwise.args.cast(args_type())),
        }
    }

    /// Nothing said (a rule that is switched off).
    pub fn nothing() -> Said {
        Said { code: lit(NULL).cast(DataType::String), args: lit(NULL).cast(args_type()) }
    }
}

/// A message and its arguments, for findings made row by row in Rust.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub code: &'static str,
    pub args: Vec<String>,
}

impl Stored {
    pub fn new(message: &Message, args: &[(&str, &str)]) -> Stored {
        Stored { code: message.code, args: message.store(args) }
    }

    /// The text in `lang` (for tests and for messages shown outside a table).
    pub fn render(&self, lang: crate::vocab::Lang) -> String {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        crate::vocab::messages::render_code(lang, self.code, &args)
    }
}

/// The code and arguments columns of `rows`, named `code_name` and `args_name`.
pub fn columns(code_name: &str, args_name: &str, rows: &[Stored]) -> PolarsResult<[Column; 2]> {
    let codes = Column::new(code_name.into(), rows.iter().map(|row| row.code).collect::<Vec<_>>());
    Ok([codes, args_column(args_name, rows.iter().map(|row| Some(row.args.as_slice())))?])
}

/// An arguments column (`list[str]`) named `name`, one list per row (`None`: null).
pub fn args_column<'a>(name: &str, rows: impl Iterator<Item = Option<&'a [String]>>) -> PolarsResult<Column> {
    let lists: ListChunked = rows.map(|args| args.map(|args| Series::new("".into(), args))).collect();
    Ok(lists.into_series().with_name(name.into()).cast(&args_type())?.into_column())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::messages::rules as m;
    use crate::vocab::Lang;

    #[test]
    fn stored_rows_make_a_code_and_an_arguments_column() {
        let rows = [Stored::new(&m::P02, &[("enrollments", "3"), ("capacity", "2")]), Stored::new(&m::R03_MALFORMED, &[])];
        assert_eq!(rows[0].render(Lang::Zh), "班级报名 3 人，超过额定的 2 人");
        assert_eq!(rows[0].render(Lang::En), "class has 3 enrollments for 2 seats");
        let [codes, args] = columns(EVIDENCE_CODE, EVIDENCE_ARGS, &rows).unwrap();
        let frame = DataFrame::new(2, vec![codes, args]).unwrap();
        let text = crate::vocab::messages::render_column(&frame, EVIDENCE_CODE, EVIDENCE_ARGS, Lang::Zh, "evidence").unwrap();
        let text: Vec<Option<&str>> = text.str().unwrap().iter().collect();
        assert_eq!(text, [Some("班级报名 3 人，超过额定的 2 人"), Some("人员标识既不是 18 位身份证号码，也不是 64 位十六进制哈希值")]);
        let [_, empty] = columns(EVIDENCE_CODE, EVIDENCE_ARGS, &[]).unwrap();
        assert_eq!(empty.dtype(), &args_type());
    }
}
