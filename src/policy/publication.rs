//! `publication.toml`: what a run publishes on the credit platforms and in which layout. Field
//! standards differ between provinces, so the columns of every published file (their names and
//! order) are data here, not code; the NDRC classes (轻微/一般/严重) and their periods, the
//! sanction kinds' penalty texts and the dishonesty-list threshold are settings like any other.

use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;

pub const DEFAULT_TOML: &str = include_str!("../../pipelines/publication.toml");

/// The published files and the fields the engine can fill in each, in the default order.
pub const PUBLISHED_FILES: [(&str, &[&str]); 4] = [
    (
        "credit_evaluation",
        &[
            "institution_id", "name", "credit_code", "tier", "tier_name", "score", "quarter", "evaluation_date", "valid_until",
            "authority", "policy_version", "appeal_status",
        ],
    ),
    (
        "administrative_penalties",
        &[
            "institution_id", "party_name", "credit_code", "legal_rep", "decision_number", "violation_type", "facts", "legal_basis",
            "penalty_category", "content", "amount_wan", "decision_date", "penalty_period", "publication_end", "authority",
            "data_source", "kind", "class",
        ],
    ),
    (
        "dishonesty_list_candidates",
        &["institution_id", "name", "credit_code", "legal_rep", "decided_on", "amount_yuan", "amount_wan", "basis"],
    ),
    (
        "calendar",
        &[
            "institution_id", "name", "credit_code", "kind", "from_quarter", "until_quarter", "class", "decided_on",
            "publication_start", "publication_end", "earliest_repair", "repaired_on", "publication_status",
            "published_this_quarter",
        ],
    ),
];

/// The NDRC's classes of dishonesty information, mildest first.
pub const CLASSES: [&str; 3] = ["轻微", "一般", "严重"];

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationConfig {
    pub authority: String,
    pub data_source: String,
    pub decision_days_after_quarter: u32,
    pub valid_quarters: u32,
    pub dishonesty_list: DishonestyList,
    /// Per class (`轻微`, `一般`, `严重`).
    pub classes: BTreeMap<String, ClassPeriods>,
    /// Per sanction kind of the ledger (`ban`, `disqualified`).
    pub sanctions: BTreeMap<String, SanctionText>,
    /// Per published file: its columns in order.
    pub files: BTreeMap<String, FileLayout>,
    /// `dishonesty_list.min_amount_defrauded` in fen, filled by [`PublicationConfig::validate`].
    #[serde(skip)]
    pub min_amount_defrauded_fen: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DishonestyList {
    /// Yuan text, e.g. "10000.00".
    pub min_amount_defrauded: String,
}

/// How long one class of dishonesty information is published.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassPeriods {
    pub published: bool,
    /// A repair may be granted from this many months after the decision.
    pub min_months: u32,
    /// Published for at most this many months from the decision.
    pub max_months: u32,
}

/// What a sanction kind's penalty record says.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanctionText {
    pub class: String,
    pub violation_type: String,
    pub penalty_category: String,
    pub content: String,
    pub legal_basis: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileLayout {
    pub columns: Vec<PublishedColumn>,
}

/// One column of a published file: the engine's field and the platform's header.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedColumn {
    pub field: String,
    pub header: String,
}

impl PublicationConfig {
    /// Parses and validates `publication.toml`; every problem is listed.
    pub fn from_toml(text: &str) -> Result<PublicationConfig, Vec<String>> {
        let mut config: PublicationConfig = toml::from_str(text).map_err(|error| vec![super::toml_problem("publication.toml", text, &error)])?;
        let problems = config.validate();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Lists every problem (and fills the threshold in fen).
    pub fn validate(&mut self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut problem = |message: String| problems.push(format!("publication.toml: {message}"));
        if self.valid_quarters == 0 {
            problem("valid_quarters must be at least 1".into());
        }
        match Decimal::from_str(self.dishonesty_list.min_amount_defrauded.trim()).ok().and_then(crate::money::fen_from_decimal) {
            Some(fen) if fen > 0 => self.min_amount_defrauded_fen = fen,
            _ => problem(format!(
                "dishonesty_list.min_amount_defrauded = '{}' is not a positive amount in yuan",
                self.dishonesty_list.min_amount_defrauded
            )),
        }
        for class in CLASSES {
            match self.classes.get(class) {
                None => problem(format!("classes.{class} is missing")),
                Some(periods) if periods.published && (periods.max_months == 0 || periods.min_months > periods.max_months) => problem(
                    format!("classes.{class}: a published class needs 0 ≤ min_months ≤ max_months and max_months ≥ 1 (found {} and {})", periods.min_months, periods.max_months),
                ),
                Some(_) => {}
            }
        }
        for class in self.classes.keys().filter(|class| !CLASSES.contains(&class.as_str())) {
            problem(format!("classes.{class} is not a class (known: {})", CLASSES.join(", ")));
        }
        for kind in crate::ingest::contract::SANCTION_KINDS {
            match self.sanctions.get(*kind) {
                None => problem(format!("sanctions.{kind} is missing")),
                Some(text) if !CLASSES.contains(&text.class.as_str()) => {
                    problem(format!("sanctions.{kind}.class '{}' is not a class (known: {})", text.class, CLASSES.join(", ")))
                }
                Some(_) => {}
            }
        }
        for kind in self.sanctions.keys().filter(|kind| !crate::ingest::contract::SANCTION_KINDS.contains(&kind.as_str())) {
            problem(format!("sanctions.{kind} is not a sanction kind (known: {})", crate::ingest::contract::SANCTION_KINDS.join(", ")));
        }
        for (file, fields) in PUBLISHED_FILES {
            let Some(layout) = self.files.get(file) else {
                problem(format!("files.{file} is missing"));
                continue;
            };
            if layout.columns.is_empty() {
                problem(format!("files.{file} has no columns"));
            }
            let mut headers = std::collections::BTreeSet::new();
            for column in &layout.columns {
                if !fields.contains(&column.field.as_str()) {
                    problem(format!("files.{file}: unknown field '{}' (known: {})", column.field, fields.join(", ")));
                }
                if column.header.trim().is_empty() {
                    problem(format!("files.{file}: field '{}' has an empty header", column.field));
                } else if !headers.insert(column.header.as_str()) {
                    problem(format!("files.{file}: header '{}' appears twice", column.header));
                }
            }
        }
        for file in self.files.keys().filter(|file| !PUBLISHED_FILES.iter().any(|(name, _)| *name == file.as_str())) {
            problem(format!(
                "files.{file} is not a published file (known: {})",
                PUBLISHED_FILES.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
            ));
        }
        problems
    }

    /// The periods of a sanction kind's class, with the class.
    pub fn class_of(&self, kind: &str) -> Option<(&str, ClassPeriods)> {
        let class = self.sanctions.get(kind)?.class.as_str();
        Some((class, *self.classes.get(class)?))
    }

    /// The columns of a published file, in order.
    pub fn columns(&self, file: &str) -> &[PublishedColumn] {
        self.files.get(file).map(|layout| layout.columns.as_slice()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_load_with_the_ndrc_periods() {
        let config = PublicationConfig::from_toml(DEFAULT_TOML).unwrap();
        assert_eq!(config.min_amount_defrauded_fen, 1_000_000);
        let (class, periods) = config.class_of("ban").unwrap();
        assert_eq!((class, periods.min_months, periods.max_months, periods.published), ("一般", 3, 12, true));
        let (class, periods) = config.class_of("disqualified").unwrap();
        assert_eq!((class, periods.min_months, periods.max_months), ("严重", 12, 36));
        assert!(!config.classes["轻微"].published);
        assert_eq!(config.columns("calendar").len(), 14);
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let text = DEFAULT_TOML
            .replace("min_months = 12\nmax_months = 36", "min_months = 40\nmax_months = 36")
            .replace("class = \"一般\"\nviolation_type", "class = \"普通\"\nviolation_type")
            .replace("{ field = \"score\", header = \"评价得分\" }", "{ field = \"points\", header = \"评价得分\" }")
            .replace("{ field = \"quarter\", header = \"评价期间\" }", "{ field = \"quarter\", header = \"信用等级\" }")
            .replace("min_amount_defrauded = \"10000.00\"", "min_amount_defrauded = \"ten thousand\"");
        let problems = PublicationConfig::from_toml(&text).unwrap_err();
        assert_eq!(
            problems,
            vec![
                "publication.toml: dishonesty_list.min_amount_defrauded = 'ten thousand' is not a positive amount in yuan",
                "publication.toml: classes.严重: a published class needs 0 ≤ min_months ≤ max_months and max_months ≥ 1 (found 40 and 36)",
                "publication.toml: sanctions.ban.class '普通' is not a class (known: 轻微, 一般, 严重)",
                "publication.toml: files.credit_evaluation: unknown field 'points' (known: institution_id, name, credit_code, tier, tier_name, score, quarter, evaluation_date, valid_until, authority, policy_version, appeal_status)",
                "publication.toml: files.credit_evaluation: header '信用等级' appears twice",
            ]
        );
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_line() {
        let text = DEFAULT_TOML.replace("valid_quarters = 1", "valid_quarters = 1\nvalid_years = 1");
        let problems = PublicationConfig::from_toml(&text).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("publication.toml: unknown field `valid_years`"), "{problems:?}");
        assert!(problems[0].contains("(line "), "{problems:?}");
    }
}
