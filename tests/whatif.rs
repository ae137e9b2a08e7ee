//! `whatif`: a reform's side is exactly what `evaluate --policy` of the reform writes; stacked
//! partial reforms each show their step; money, transitions and trainees affected are exact.

use crate::rating::cohort;
use crate::util::*;
use pretty_assertions::assert_eq;
use std::path::Path;
use traincredit::ingest::contract::Table;

/// `cohort(20, 15)` with two more paid lines of uncompleted enrollments: breach share
/// 2,000 ÷ 22,000 = 9.09% > 5%, so tier D and a ban.
fn breaching() -> Fixture {
    let mut fixture = cohort(20, 15);
    for n in [21, 22] {
        let (enrollment, claim, person) = (format!("E{n}"), format!("C{n}"), id_number("1980-01-01", 2 * n + 1));
        fixture
            .add(Table::Enrollments, &[("enrollment_id", enrollment.as_str()), ("person_id", person.as_str()), ("completed", "false")])
            .add(Table::Claims, &[("claim_id", claim.as_str())])
            .add(Table::ClaimLines, &[("claim_id", claim.as_str()), ("enrollment_id", enrollment.as_str())]);
    }
    fixture
}

/// A reform folder holding `file` with `text`.
fn reform(dir: &Path, name: &str, file: &str, text: &str) {
    std::fs::create_dir_all(dir.join(name)).unwrap();
    std::fs::write(dir.join(name).join(file), text).unwrap();
}

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_reform_side_equals_an_evaluate_of_the_reform_policy() {
    let dir = temp_dir();
    cohort(20, 15).write(&dir.path().join("export"));
    // A whole policy folder as the reform: the defaults with A's cut-off raised to 90.
    traincredit::policy::write_defaults(&dir.path().join("reform")).unwrap();
    let tiers = dir.path().join("reform/tiers.toml");
    std::fs::write(&tiers, std::fs::read_to_string(&tiers).unwrap().replace("a = 85.0", "a = 90.0")).unwrap();

    let output = run(dir.path(), &["whatif", "--data", "export", "--quarter", "2026Q3", "--policy", "reform", "--out", "wi", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(
        output.stdout,
        "what-if written to wi\n  1 reform step(s); 1 of 1 institutions change tier\n  next quarter's subsidy: baseline 22000.00 yuan, reform 20000.00 yuan, change -2000.00 yuan\n"
    );
    for (out, policy) in [("base", None), ("ev", Some("reform"))] {
        let mut args = vec!["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", out, "--demo-key"];
        args.extend(policy.iter().flat_map(|p| ["--policy", *p]));
        assert_eq!(run(dir.path(), &args).code, 0);
    }
    for table in ["institution_scores.parquet", "recoveries.parquet", "holds.parquet"] {
        assert!(bytes(&dir.path().join("wi/scenario-0-baseline").join(table)) == bytes(&dir.path().join("base").join(table)), "baseline {table}");
        assert!(bytes(&dir.path().join("wi/scenario-1-reform").join(table)) == bytes(&dir.path().join("ev").join(table)), "reform {table}");
    }

    // The regular report's budget section shows the same money as the what-if's baseline.
    let report = std::fs::read_to_string(dir.path().join("base/report.html")).unwrap();
    assert!(
        report.contains("<tr data-budget=\"all\"><td>全市</td><td class=\"num\">1</td><td class=\"num\">20,000.00 元</td><td class=\"num\">2,000.00 元</td><td class=\"num\">0.00 元</td><td class=\"num\">22,000.00 元</td></tr>"),
        "the report's budget section"
    );
    // Score 86.36: A under the baseline (+10% on the 20,000.00 claimed), B under the reform.
    let changes = read_parquet(&dir.path().join("wi/tier_changes.parquet"));
    assert_eq!(
        rows(&changes, &["institution_id", "baseline_tier", "reform_tier", "baseline_action", "reform_action", "baseline_uplift_pct", "reform_uplift_pct", "subsidy_base", "baseline_next_quarter", "reform_next_quarter", "band"]),
        vec!["I1 | A | B | uplift | standard | 10.0 | 0.0 | 20000.00 | 22000.00 | 20000.00 | loss_over_5pct"]
    );
    let transitions = read_parquet(&dir.path().join("wi/transitions.parquet"));
    let moved: Vec<String> = rows(&transitions, &["baseline_tier", "reform_tier", "institutions"]).into_iter().filter(|r| !r.ends_with("| 0")).collect();
    assert_eq!(moved, vec!["A | B | 1"]);
    let budget = read_parquet(&dir.path().join("wi/budget.parquet"));
    let totals: Vec<String> = rows(&budget, &["scope", "scenario", "subsidy_base", "uplift_cost", "banned_volume", "next_quarter_subsidy"])
        .into_iter()
        .filter(|r| r.starts_with("total"))
        .collect();
    assert_eq!(
        totals,
        vec![
            "total | baseline | 20000.00 | 2000.00 | 0.00 | 22000.00",
            "total | reform_1 | 20000.00 | 0.00 | 0.00 | 20000.00",
            "total | change_1 | 0.00 | -2000.00 | 0.00 | -2000.00",
            "total | difference | 0.00 | -2000.00 | 0.00 | -2000.00",
        ]
    );
    let parameters = read_parquet(&dir.path().join("wi/parameters.parquet"));
    assert_eq!(
        rows(&parameters, &["step", "file", "key", "baseline_value", "reform_value", "article"]),
        vec!["1 | tiers.toml | cutoffs.a | 85.0 | 90.0 | art. 21 (信用分类管理：优质优价、禁入、取消资格)"]
    );
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("wi/budget.json")).unwrap()).unwrap();
    assert_eq!(json["totals"]["difference"]["next_quarter_subsidy"], "-2000.00");
    let page = std::fs::read_to_string(dir.path().join("wi/whatif.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(page.contains("<td>cutoffs.a</td><td>85.0</td><td>90.0</td>"), "the page lists the change");
    assert!(page.contains("<tr data-band=\"loss_over_5pct\"><td>减少超过5%</td><td class=\"num\">1</td>"), "the page shows the band");
}

#[test]
fn stacked_partial_reforms_each_show_their_step_and_lift_a_ban() {
    let dir = temp_dir();
    breaching().write(&dir.path().join("export"));
    // Score 54.38 (completion 90.9%, pass 75%, compliance 90.9%, −4 for two breach lines).
    reform(dir.path(), "lenient", "tiers.toml", "[cutoffs]\nmax_breach_share_percent = 10.0\nc = 50.0\n");
    reform(dir.path(), "generous", "tiers.toml", "[actions]\nsubsidy_uplift_pct = 15.0\n");
    let output = run(
        dir.path(),
        &["whatif", "--data", "export", "--quarter", "2026Q3", "--policy", "lenient", "--policy", "generous", "--out", "wi", "--demo-key", "--lang", "en"],
    );
    assert_eq!(output.code, 0, "{}", output.stderr);
    let parameters = read_parquet(&dir.path().join("wi/parameters.parquet"));
    assert_eq!(
        rows(&parameters, &["step", "reform", "key", "baseline_value", "reform_value"]),
        vec![
            "1 | lenient | cutoffs.c | 60.0 | 50.0",
            "1 | lenient | cutoffs.max_breach_share_percent | 5.0 | 10.0",
            "2 | generous | actions.subsidy_uplift_pct | 10.0 | 15.0"
        ]
    );
    let changes = read_parquet(&dir.path().join("wi/tier_changes.parquet"));
    assert_eq!(rows(&changes, &["baseline_tier", "reform_score", "baseline_action", "reform_action", "subsidy_base", "baseline_next_quarter"]), vec!["D | 54.38 | ban | watch | 22000.00 | 0.00"]);
    let trainees = read_parquet(&dir.path().join("wi/trainees_affected.parquet"));
    assert_eq!(
        rows(&trainees, &["change", "district", "occupation_code", "occupation_name", "institutions", "enrollments"]),
        vec!["no_longer_banned | 历下区 | 4-10-01-06 | 育婴员 | 1 | 22"]
    );
    let budget = read_parquet(&dir.path().join("wi/budget.parquet"));
    let totals: Vec<String> =
        rows(&budget, &["scope", "scenario", "banned_volume", "next_quarter_subsidy"]).into_iter().filter(|r| r.starts_with("total")).collect();
    assert_eq!(
        totals,
        vec![
            "total | baseline | 22000.00 | 0.00",
            "total | reform_1 | 0.00 | 22000.00",
            "total | change_1 | -22000.00 | 22000.00",
            "total | reform_2 | 0.00 | 22000.00",
            "total | change_2 | 0.00 | 0.00",
            "total | difference | -22000.00 | 22000.00",
        ]
    );
    assert!(dir.path().join("wi/whatif.en.html").is_file());
    assert!(dir.path().join("wi/charts/next_quarter_subsidy.en.svg").is_file());
}

#[test]
fn a_reform_folder_without_policy_files_stops_before_the_export_is_read() {
    let dir = temp_dir();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let output = run(dir.path(), &["whatif", "--data", "no-export", "--quarter", "2026Q3", "--policy", "empty", "--out", "wi", "--demo-key"]);
    assert_eq!(output.code, 4, "{}", output.stderr);
    assert_eq!(
        output.stderr.lines().last(),
        Some("error: policy in empty: holds none of the policy files (policy.toml, rules.toml, indicators.toml, tiers.toml, signals.toml, publication.toml, budget.toml)")
    );
    assert!(!dir.path().join("wi").exists());
}

#[test]
fn a_district_without_a_minimum_wage_stops_the_what_if_as_it_stops_evaluate() {
    let dir = temp_dir();
    let mut fixture = cohort(20, 15);
    fixture.add(Table::Institutions, &[("institution_id", "I2"), ("district", "高新区")]);
    fixture.write(&dir.path().join("export"));
    reform(dir.path(), "generous", "tiers.toml", "[actions]\nsubsidy_uplift_pct = 15.0\n");
    let output = run(dir.path(), &["whatif", "--data", "export", "--quarter", "2026Q3", "--policy", "generous", "--out", "wi", "--demo-key"]);
    assert_eq!(output.code, 4, "{}", output.stderr);
    let error = output.stderr.lines().last().unwrap();
    assert!(error.contains("policy.toml: district(s) '高新区' of the export's institutions have no minimum wage in [minimum_wage]"), "{error}");
    assert!(!dir.path().join("wi").exists());
}
