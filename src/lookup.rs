//! Turning a pseudonym back into the export rows that hold it, for an investigator with the
//! bureau's key (`traincredit lookup`).
//!
//! Every output names people only by pseudonym: HMAC-SHA256, under the bureau's key, of the
//! normalised value ([`crate::person::Pseudonymiser`]). A hash cannot be reversed, so the only way
//! back is forward: hash every personal value of the export again, with the same normalisation as
//! ingest ([`crate::ingest::pseudonymise`]), and keep the rows whose hash is the one asked for.
//! Without the key nobody can do this, which is what keeps the outputs shareable.
//!
//! The files are read as they are (not coerced, not validated): an investigator wants the row
//! the bureau exported, rejected or not, numbered as it sits in its file. Raw personal values
//! are masked unless the caller asks to reveal them.

use crate::error::{PolarsContext, Result};
use crate::ingest::contract::{Table, ALL_TABLES};
use crate::ingest::pseudonymise::normalise_personal;
use crate::ingest::read::{self, TableFile};
use crate::person::{self, Pseudonymiser};
use crate::query::CollectStreaming;
use polars::prelude::*;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The column holding each row's number in its file while searching.
const ROW: &str = "__row";

/// A pseudonym as given on the command line: 64 hex characters, held in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pseudonym(String);

impl Pseudonym {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Pseudonym {
    type Err = String;

    fn from_str(text: &str) -> std::result::Result<Pseudonym, String> {
        let lower = text.trim().to_ascii_lowercase();
        if person::is_hex_hash(&lower) {
            Ok(Pseudonym(lower))
        } else {
            Err(format!(
                "a pseudonym is 64 hexadecimal characters (0-9, a-f), as in the run's tables; got {} character(s)",
                text.trim().chars().count()
            ))
        }
    }
}

/// One export row that holds the pseudonym.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub table: Table,
    /// The file, relative to the export folder.
    pub file: PathBuf,
    /// The row's number in its file, from 1.
    pub row: usize,
    /// The personal columns whose value has the pseudonym.
    pub matched: Vec<&'static str>,
    /// Every column of the file in its order: name, value as text (`None` when missing), and
    /// whether it is a personal column.
    pub values: Vec<(String, Option<String>, bool)>,
}

/// What a search found, and where it looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub matches: Vec<Match>,
    /// Files searched (those of tables with personal columns).
    pub files_searched: usize,
}

/// Every row of the export in `dir` in which a personal column (person id, phone, payout
/// account, legal representative, bank account) has the pseudonym `wanted` under `key`, in table,
/// file and row order. An export that is already pseudonymised matches the hex text itself.
pub fn find(dir: &Path, wanted: &Pseudonym, key: &Pseudonymiser) -> Result<Found> {
    let mut found = Found { matches: Vec::new(), files_searched: 0 };
    for table in ALL_TABLES {
        if !table.columns().iter().any(|spec| spec.personal) {
            continue;
        }
        // An absent table holds nobody; `check` is the command that complains about it.
        let Some(located) = read::locate(dir, table)? else { continue };
        for file in &located.files {
            found.files_searched += 1;
            found.matches.extend(find_in_file(dir, table, file, wanted, key)?);
        }
    }
    Ok(found)
}

fn find_in_file(dir: &Path, table: Table, file: &TableFile, wanted: &Pseudonym, key: &Pseudonymiser) -> Result<Vec<Match>> {
    let mut scan = read::open_scan(table, file)?;
    let schema = scan.collect_schema().context(&format!("table {}: reading the schema of {}", table.name(), file.path.display()))?;
    let personal: Vec<&'static str> =
        table.columns().iter().filter(|spec| spec.personal && schema.contains(spec.name)).map(|spec| spec.name).collect();
    let mut condition: Option<Expr> = None;
    let mut matching_texts: Vec<(&'static str, Vec<String>)> = Vec::new();
    for &name in &personal {
        let texts = matching_values(&scan, name, wanted, key)
            .context(&format!("table {}, column {name}: reading {}", table.name(), file.path.display()))?;
        if texts.is_empty() {
            continue;
        }
        let holds = as_text(name).is_in(lit(Series::new(name.into(), texts.clone())).implode(false), false);
        condition = Some(match condition {
            None => holds,
            Some(other) => other.or(holds),
        });
        matching_texts.push((name, texts));
    }
    let Some(condition) = condition else { return Ok(Vec::new()) };
    let names: Vec<String> = schema.iter_names().map(|name| name.to_string()).collect();
    let mut shown: Vec<Expr> = vec![col(ROW)];
    shown.extend(names.iter().map(|name| as_text(name)));
    let rows = scan
        .with_row_index(ROW, Some(1))
        .filter(condition)
        .select(shown)
        .collect_streaming()
        .context(&format!("table {}: reading the matching rows of {}", table.name(), file.path.display()))?;
    let numbers = rows.column(ROW).context("row numbers")?.cast(&DataType::UInt64).context("row numbers")?;
    let numbers = numbers.u64().context("row numbers")?;
    let columns: Vec<&StringChunked> =
        names.iter().map(|name| rows.column(name).and_then(|column| column.str())).collect::<PolarsResult<_>>().context("row values")?;
    let relative = file.path.strip_prefix(dir).unwrap_or(&file.path).to_path_buf();
    let mut matches = Vec::new();
    for index in 0..rows.height() {
        let values: Vec<(String, Option<String>, bool)> = names
            .iter()
            .zip(&columns)
            .map(|(name, column)| (name.clone(), column.get(index).map(str::to_string), personal.contains(&name.as_str())))
            .collect();
        let matched = matching_texts
            .iter()
            .filter(|(name, texts)| {
                values.iter().any(|(column, value, _)| column == name && value.as_ref().is_some_and(|value| texts.contains(value)))
            })
            .map(|(name, _)| *name)
            .collect();
        matches.push(Match { table, file: relative.clone(), row: numbers.get(index).unwrap_or(0) as usize, matched, values });
    }
    Ok(matches)
}

/// A column as text, whatever its physical type.
fn as_text(name: &str) -> Expr {
    col(name).cast(DataType::String)
}

/// The distinct texts of `column` whose normalised value hashes to `wanted`. Each distinct text is
/// hashed once, in parallel (an employment table repeats each person every month).
fn matching_values(scan: &LazyFrame, column: &'static str, wanted: &Pseudonym, key: &Pseudonymiser) -> PolarsResult<Vec<String>> {
    let distinct = scan.clone().select([as_text(column)]).unique(None, UniqueKeepStrategy::Any).collect_streaming()?;
    let texts: Vec<&str> = distinct.column(column)?.str()?.iter().flatten().collect();
    Ok(texts
        .par_iter()
        .filter(|text| {
            let normalised = normalise_personal(column, text);
            // A blank is a missing value to ingest: it has no pseudonym.
            !normalised.is_empty() && key.pseudonymise(&normalised) == wanted.as_str()
        })
        .map(|text| text.to_string())
        .collect())
}

/// A raw personal value with most characters hidden: an ID number or a bank account (15
/// characters or more) keeps its first and last four (`3701**********001X`), a phone or other
/// value of 8 to 14 characters its first three and last four (`138****0000`), anything shorter
/// (a name) its first character (`张*`). A value that is already a pseudonym is shown as it is.
pub fn mask(text: &str) -> String {
    let text = text.trim();
    if person::is_hex_hash(&text.to_ascii_lowercase()) {
        return text.to_string();
    }
    let characters: Vec<char> = text.chars().collect();
    let count = characters.len();
    let (head, tail) = match count {
        15.. => (4, 4),
        8..=14 => (3, 4),
        _ => (1.min(count), 0),
    };
    let hidden = count - head - tail;
    characters[..head].iter().chain(std::iter::repeat_n(&'*', hidden)).chain(&characters[count - tail..]).collect()
}

/// What `lookup` prints: each row with its table, file, row number and columns (personal values
/// masked unless `reveal`), then a count; or a sentence saying that no row holds the pseudonym.
pub fn render(found: &Found, wanted: &Pseudonym, reveal: bool) -> String {
    if found.matches.is_empty() {
        return format!(
            "no row holds this pseudonym ({}) in the {} file(s) of tables with personal columns\n",
            wanted.as_str(),
            found.files_searched
        );
    }
    let mut text = String::new();
    for found in &found.matches {
        text.push_str(&format!(
            "table {}, file {}, row {} (pseudonym in {})\n",
            found.table.name(),
            found.file.display(),
            found.row,
            found.matched.join(", ")
        ));
        for (name, value, personal) in &found.values {
            let shown = match value {
                None => "(missing)".to_string(),
                Some(value) if *personal && !reveal => mask(value),
                Some(value) => value.clone(),
            };
            text.push_str(&format!("  {name}: {shown}\n"));
        }
    }
    let masked = if reveal { "personal values revealed" } else { "personal values masked; --reveal shows them" };
    text.push_str(&format!("{} row(s) hold this pseudonym ({masked})\n", found.matches.len()));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_only_what_tells_values_apart() {
        assert_eq!(mask("37010219900101001X"), "3701**********001X");
        assert_eq!(mask("13800000000"), "138****0000");
        assert_eq!(mask("6222000011112222"), "6222********2222");
        assert_eq!(mask("张三丰"), "张**");
        assert_eq!(mask(" 13800000000 "), "138****0000");
        assert_eq!(mask(""), "");
        assert_eq!(mask(&"ab".repeat(32)), "ab".repeat(32));
    }

    #[test]
    fn a_pseudonym_is_64_hex_characters() {
        assert_eq!("AB".repeat(32).parse::<Pseudonym>(), Ok(Pseudonym("ab".repeat(32))));
        assert_eq!(
            "abc".parse::<Pseudonym>(),
            Err("a pseudonym is 64 hexadecimal characters (0-9, a-f), as in the run's tables; got 3 character(s)".to_string())
        );
        assert!("g".repeat(64).parse::<Pseudonym>().is_err());
    }
}
