//! Reforms as overlays on the policy files. A reform folder holds any of the policy files, each
//! with only the keys it changes (a whole file, or a whole folder, is a reform too); its values
//! replace the ones before it, table by table. Stacked reforms are applied in order, and every
//! step lists each parameter it changed with the value before and after, and the article of the
//! Jinan implementation opinions the parameter implements, where one is known.

use crate::error::{ErrorKind, Result};
use crate::policy::FILES;
use std::collections::BTreeMap;
use std::path::Path;

/// One changed parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub file: String,
    /// Dotted key, e.g. `actions.subsidy_uplift_pct`.
    pub key: String,
    /// The value before the step, as TOML text; empty when the key was absent.
    pub before: String,
    pub after: String,
    pub article: Option<&'static str>,
}

/// Which article a parameter implements: (file, key prefix, article), the longest prefix wins.
/// From the seed document (济政发〔2019〕14号): art. 12 one subsidy for the same occupation and
/// level; art. 14 appraisal subsidy at 80% (90%) of the fee; art. 15 living allowance at 60% of the
/// district minimum wage for at most 30 days; art. 21 performance evaluation and credit classes.
const ARTICLES: [(&str, &str, &str); 12] = [
    ("policy.toml", "training", "art. 12 (同类工种、同一等级、同等补贴)"),
    ("policy.toml", "appraisal", "art. 14 (鉴定补贴：收费标准的80%，重点产业90%)"),
    ("policy.toml", "living_allowance", "art. 15 (生活费补贴：最低工资标准的60%，最长30天)"),
    ("policy.toml", "minimum_wage", "art. 15 (生活费补贴：最低工资标准的60%，最长30天)"),
    ("rules.toml", "R01", "art. 12 (同类工种、同一等级、同等补贴)"),
    ("rules.toml", "R08", "art. 15 (生活费补贴)"),
    ("rules.toml", "R09", "art. 14 (鉴定补贴)"),
    ("rules.toml", "R10", "art. 21 (取消培训资格，追回补贴资金)"),
    ("indicators.toml", "", "art. 21 (培训绩效评估指标体系)"),
    ("tiers.toml", "", "art. 21 (信用分类管理：优质优价、禁入、取消资格)"),
    ("signals.toml", "", "art. 21 (绩效评估监管)"),
    ("budget.toml", "", "art. 21 (优质优价，补贴标准可适当上浮)"),
];

fn article(file: &str, key: &str) -> Option<&'static str> {
    ARTICLES
        .iter()
        .filter(|(f, prefix, _)| *f == file && (prefix.is_empty() || key == *prefix || key.starts_with(&format!("{prefix}."))))
        .max_by_key(|(_, prefix, _)| prefix.len())
        .map(|(_, _, article)| *article)
}

/// Applies the reform folder `dir` to `texts` (every policy file); returns the new texts and what
/// changed. A folder without any policy file, or a file that is not TOML, is a policy error.
pub fn apply(texts: &[(String, String)], dir: &Path) -> Result<(Vec<(String, String)>, Vec<Change>)> {
    let refuse = |problems: Vec<String>| -> crate::Error { ErrorKind::Policy { dir: dir.to_path_buf(), problems }.into() };
    if !dir.is_dir() {
        return Err(refuse(vec!["the reform folder does not exist".into()]));
    }
    let mut problems = Vec::new();
    let mut result = Vec::new();
    let mut changes = Vec::new();
    let mut found = 0;
    for (name, text) in texts {
        let path = dir.join(name);
        let Ok(reform_text) = std::fs::read_to_string(&path) else {
            result.push((name.clone(), text.clone()));
            continue;
        };
        found += 1;
        let base: toml::Table = match text.parse() {
            Ok(table) => table,
            Err(e) => {
                problems.push(format!("{name}: {}", e.message().trim()));
                continue;
            }
        };
        let reform: toml::Table = match reform_text.parse() {
            Ok(table) => table,
            Err(e) => {
                problems.push(format!("{name}: {}", e.message().trim()));
                continue;
            }
        };
        let mut merged = base.clone();
        merge(&mut merged, reform);
        changes.extend(diff(name, &base, &merged));
        match toml::to_string(&merged) {
            Ok(merged_text) => result.push((name.clone(), merged_text)),
            Err(e) => problems.push(format!("{name}: cannot be written back as TOML: {e}")),
        }
    }
    if found == 0 {
        problems.push(format!("holds none of the policy files ({})", FILES.join(", ")));
    }
    if !problems.is_empty() {
        return Err(refuse(problems));
    }
    Ok((result, changes))
}

/// `reform`'s values replace `base`'s; tables are merged key by key, anything else replaced.
fn merge(base: &mut toml::Table, reform: toml::Table) {
    for (key, value) in reform {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(inner)), toml::Value::Table(reform_inner)) => merge(inner, reform_inner),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Every leaf value by dotted key.
fn flatten(table: &toml::Table, prefix: &str, out: &mut BTreeMap<String, String>) {
    for (key, value) in table {
        let dotted = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::Table(inner) => flatten(inner, &dotted, out),
            other => {
                out.insert(dotted, other.to_string());
            }
        }
    }
}

fn diff(file: &str, before: &toml::Table, after: &toml::Table) -> Vec<Change> {
    let (mut old, mut new) = (BTreeMap::new(), BTreeMap::new());
    flatten(before, "", &mut old);
    flatten(after, "", &mut new);
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter(|key| old.get(*key) != new.get(*key))
        .map(|key| Change {
            file: file.to_string(),
            key: key.clone(),
            before: old.get(key).cloned().unwrap_or_default(),
            after: new.get(key).cloned().unwrap_or_default(),
            article: article(file, key),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_file_changes_only_its_keys_and_names_the_article() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tiers.toml"), "[actions]\nsubsidy_uplift_pct = 15.0\n").unwrap();
        let texts = vec![
            ("tiers.toml".to_string(), "[actions]\nsubsidy_uplift_pct = 10.0\nban_quarters = 4\n".to_string()),
            ("budget.toml".to_string(), "base_quarters = 1\n".to_string()),
        ];
        let (merged, changes) = apply(&texts, dir.path()).unwrap();
        assert_eq!(
            changes,
            vec![Change {
                file: "tiers.toml".into(),
                key: "actions.subsidy_uplift_pct".into(),
                before: "10.0".into(),
                after: "15.0".into(),
                article: Some("art. 21 (信用分类管理：优质优价、禁入、取消资格)"),
            }]
        );
        let tiers: toml::Table = merged[0].1.parse().unwrap();
        assert_eq!(tiers["actions"]["ban_quarters"].as_integer(), Some(4));
        assert_eq!(merged[1].1, "base_quarters = 1\n");
    }

    #[test]
    fn the_longest_prefix_names_the_article() {
        assert_eq!(article("policy.toml", "living_allowance.percent_of_minimum_wage"), Some("art. 15 (生活费补贴：最低工资标准的60%，最长30天)"));
        assert_eq!(article("rules.toml", "R09.enabled"), Some("art. 14 (鉴定补贴)"));
        assert_eq!(article("rules.toml", "R05.enabled"), None);
        assert_eq!(article("policy.toml", "training_extra"), None);
    }

    #[test]
    fn an_empty_reform_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let error = apply(&[("tiers.toml".into(), String::new())], dir.path()).unwrap_err().to_string();
        assert_eq!(error, format!("policy in {}: holds none of the policy files ({})", dir.path().display(), FILES.join(", ")));
    }
}
