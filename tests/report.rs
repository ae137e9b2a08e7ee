//! The evaluation report as people get it: `report.html`, `charts/` and `scorecards/` of a run
//! folder. The report's numbers equal the tables'; every chart is valid SVG and a non-blank PNG
//! whose Chinese labels are drawn with real glyphs; the page opens in a real browser (headless
//! Chromium, driven over `--remote-debugging-pipe`) with no console error and no request beyond
//! the page itself; text is escaped; the signal tables and history are optional.

use crate::util::*;
use polars::prelude::*;
use pretty_assertions::assert_eq;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use traincredit::ingest::contract::Table;
use traincredit::report::render::CHART_STEMS;

/// An institution of the test export: id, name, district, kind, enrollments of this quarter's
/// class (completed, not completed), passes, employed of the earlier class, claim status.
struct Plan {
    id: &'static str,
    name: &'static str,
    district: &'static str,
    kind: &'static str,
    completed: usize,
    not_completed: usize,
    passed: usize,
    earlier: usize,
    employed: usize,
    status: &'static str,
}

/// Six institutions that land in different tiers: full marks, middling, a breach share above
/// 5% (D), a pending claim with breaches (holds), too few completions (N); one name holds markup.
const PLANS: [Plan; 6] = [
    Plan {
        id: "I1",
        name: "济南历下优秀职业培训学校",
        district: "历下区",
        kind: "private_training",
        completed: 22,
        not_completed: 0,
        passed: 21,
        earlier: 10,
        employed: 9,
        status: "paid",
    },
    Plan {
        id: "I2",
        name: "济南<b>\"技工\"</b>&'培训'学校",
        district: "历下区",
        kind: "private_training",
        completed: 22,
        not_completed: 0,
        passed: 14,
        earlier: 10,
        employed: 5,
        status: "paid",
    },
    Plan {
        id: "I3",
        name: "市中区家政服务培训中心",
        district: "市中区",
        kind: "private_training",
        completed: 20,
        not_completed: 4,
        passed: 10,
        earlier: 10,
        employed: 3,
        status: "paid",
    },
    Plan {
        id: "I4",
        name: "槐荫区电工技能培训学校",
        district: "槐荫区",
        kind: "technical_school",
        completed: 22,
        not_completed: 1,
        passed: 18,
        earlier: 10,
        employed: 7,
        status: "paid",
    },
    Plan {
        id: "I5",
        name: "槐荫区育婴员培训学校",
        district: "槐荫区",
        kind: "technical_school",
        completed: 21,
        not_completed: 2,
        passed: 16,
        earlier: 10,
        employed: 6,
        status: "pending",
    },
    Plan {
        id: "I6",
        name: "天桥区新办培训学校",
        district: "天桥区",
        kind: "private_training",
        completed: 3,
        not_completed: 0,
        passed: 2,
        earlier: 0,
        employed: 0,
        status: "paid",
    },
];

/// The export of [`PLANS`] for 2026Q3.
fn export() -> Fixture {
    let mut fixture = Fixture::new();
    let mut sequence = 0u32;
    for plan in &PLANS {
        fixture.add(
            Table::Institutions,
            &[("institution_id", plan.id), ("name", plan.name), ("district", plan.district), ("kind", plan.kind)],
        );
        let class = format!("{}-K1", plan.id);
        let earlier_class = format!("{}-K0", plan.id);
        fixture.add(Table::Classes, &[("class_id", class.as_str()), ("institution_id", plan.id)]);
        if plan.earlier > 0 {
            fixture.add(
                Table::Classes,
                &[
                    ("class_id", earlier_class.as_str()),
                    ("institution_id", plan.id),
                    ("start_date", "2026-01-05"),
                    ("end_date", "2026-01-15"),
                ],
            );
        }
        let claim = format!("{}-C1", plan.id);
        let enrollments = plan.completed + plan.not_completed;
        let paid = if plan.status == "paid" { format!("{}.00", enrollments * 1000) } else { "null".into() };
        let amount = format!("{}.00", enrollments * 1000);
        let headcount = enrollments.to_string();
        fixture.add(
            Table::Claims,
            &[
                ("claim_id", claim.as_str()),
                ("institution_id", plan.id),
                ("class_id", class.as_str()),
                ("headcount", headcount.as_str()),
                ("amount", amount.as_str()),
                ("paid_amount", paid.as_str()),
                ("status", plan.status),
            ],
        );
        for n in 0..enrollments {
            sequence += 1;
            let person = id_number(&format!("19{:02}-0{}-1{}", 70 + sequence % 25, 1 + sequence % 9, sequence % 10), sequence);
            let enrollment = format!("{}-E{n:02}", plan.id);
            let completed = if n < plan.completed { "true" } else { "false" };
            fixture.add(
                Table::Enrollments,
                &[
                    ("enrollment_id", enrollment.as_str()),
                    ("class_id", class.as_str()),
                    ("person_id", person.as_str()),
                    ("completed", completed),
                ],
            );
            fixture.add(Table::ClaimLines, &[("claim_id", claim.as_str()), ("enrollment_id", enrollment.as_str())]);
            for day in 1..=5 {
                let check_in = format!("2026-07-{day:02} 08:00:00");
                let check_out = format!("2026-07-{day:02} 16:00:00");
                fixture.add(
                    Table::Attendance,
                    &[("enrollment_id", enrollment.as_str()), ("check_in", check_in.as_str()), ("check_out", check_out.as_str())],
                );
            }
            if n < plan.passed {
                let assessment = format!("{}-A{n:02}", plan.id);
                let certificate = format!("CERT-{}-{n:02}", plan.id);
                fixture.add(
                    Table::Assessments,
                    &[("assessment_id", assessment.as_str()), ("person_id", person.as_str()), ("certificate_no", certificate.as_str())],
                );
            }
        }
        for n in 0..plan.earlier {
            sequence += 1;
            let person = id_number(&format!("19{:02}-0{}-2{}", 70 + sequence % 25, 1 + sequence % 9, sequence % 9), sequence);
            let enrollment = format!("{}-F{n:02}", plan.id);
            fixture.add(
                Table::Enrollments,
                &[
                    ("enrollment_id", enrollment.as_str()),
                    ("class_id", earlier_class.as_str()),
                    ("person_id", person.as_str()),
                    ("enrolled_on", "2025-12-20"),
                ],
            );
            if n < plan.employed {
                fixture.add(Table::Employment, &[("person_id", person.as_str()), ("month", "2026-03-01")]);
            }
        }
    }
    fixture.observed_through("2026-09-30");
    fixture
}

/// Evaluates [`export`] for 2026Q3 into `DIR/run`; returns the run folder.
fn evaluated(dir: &Path) -> PathBuf {
    export().write(&dir.join("export"));
    let output = run(dir, &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    dir.join("run")
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// Writes the optional tables the signal stage and chained runs add (leads, signal_values,
/// benford_digits, history), so every section and chart of the report has data.
fn add_signal_tables_and_history(run_dir: &Path) {
    let leads_ids = ["I3", "I5", "I2"];
    let mut leads = DataFrame::new(
        3,
        vec![
            Column::new("rank".into(), vec![1i64, 2, 3]),
            Column::new("institution_id".into(), strings(&leads_ids)),
            Column::new("risk_score".into(), vec![0.95f64, 0.71, 0.42]),
            Column::new("high_priority".into(), vec![true, false, false]),
            Column::new(
                "signals".into(),
                vec![
                    Series::new("".into(), strings(&["benford", "manual_signins"])),
                    Series::new("".into(), strings(&["benford"])),
                    Series::new("".into(), strings(&["score_heaping"])),
                ],
            ),
            Column::new(
                "evidence".into(),
                strings(&[
                    "benford MAD 0.031 vs peers 0.008 (24 claim lines); manual sign-ins 64% vs 5%",
                    "benford MAD 0.020 vs 0.008",
                    "22% of scores at 60–62 vs 4%",
                ]),
            ),
        ],
    )
    .unwrap();
    write_parquet(&mut leads, &run_dir.join("leads.parquet"));

    let mut signals = DataFrame::new(
        4,
        vec![
            Column::new("institution_id".into(), strings(&["I3", "I3", "I5", "I2"])),
            Column::new("signal".into(), strings(&["benford", "manual_signins", "benford", "score_heaping"])),
            Column::new("value".into(), vec![0.031f64, 0.64, 0.020, 0.22]),
            Column::new("peer_value".into(), vec![0.008f64, 0.05, 0.008, 0.04]),
            Column::new("threshold".into(), vec![0.015f64, 0.30, 0.015, 0.15]),
            Column::new("fired".into(), vec![true, true, true, true]),
            Column::new("rows".into(), vec![24i64, 120, 23, 22]),
            Column::new(
                "evidence".into(),
                strings(&["24 claim lines", "77 of 120 sign-ins manual", "23 claim lines", "5 of 22 scores 60–62"]),
            ),
        ],
    )
    .unwrap();
    write_parquet(&mut signals, &run_dir.join("signal_values.parquet"));

    let mut institutions = Vec::new();
    let mut digits = Vec::new();
    let mut observed = Vec::new();
    let mut expected = Vec::new();
    for (id, skew) in [("I3", 3i64), ("I5", 1)] {
        for digit in 1..=9i64 {
            institutions.push(id.to_string());
            digits.push(digit);
            let share = (1.0 + 1.0 / digit as f64).log10();
            observed.push(if digit == 9 { 2 + skew * 3 } else { (share * 40.0).round() as i64 });
            expected.push(share);
        }
    }
    let height = institutions.len();
    let mut benford = DataFrame::new(
        height,
        vec![
            Column::new("institution_id".into(), institutions),
            Column::new("digit".into(), digits),
            Column::new("observed".into(), observed),
            Column::new("expected_share".into(), expected),
        ],
    )
    .unwrap();
    write_parquet(&mut benford, &run_dir.join("benford_digits.parquet"));

    // History: a made-up 2026Q2 and this run's own rows for 2026Q3.
    let scores = read_parquet(&run_dir.join("institution_scores.parquet"));
    let ids = texts(&scores, "institution_id");
    let tiers = texts(&scores, "tier");
    let actions = texts(&scores, "action");
    let now: Vec<Option<f64>> = scores.column("score").unwrap().f64().unwrap().iter().collect();
    let before_tiers = ["B", "B", "C", "A", "B", "N"];
    let before_scores = [Some(80.0), Some(74.5), Some(63.0), Some(88.0), Some(71.0), None];
    let mut quarter = Vec::new();
    let mut institution = Vec::new();
    let mut score = Vec::new();
    let mut tier = Vec::new();
    let mut action = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        quarter.push("2026Q2".to_string());
        institution.push(id.clone());
        score.push(before_scores[i]);
        tier.push(before_tiers[i].to_string());
        action.push("standard".to_string());
        quarter.push("2026Q3".to_string());
        institution.push(id.clone());
        score.push(now[i]);
        tier.push(tiers[i].clone());
        action.push(actions[i].clone());
    }
    let height = quarter.len();
    let mut columns = vec![
        Column::new("quarter".into(), quarter),
        Column::new("institution_id".into(), institution),
        Column::new("score".into(), score),
        Column::new("tier".into(), tier),
        Column::new("action".into(), action),
    ];
    for indicator in traincredit::rating::INDICATORS {
        columns.push(Column::new(indicator.into(), vec![Some(0.8f64); height]));
    }
    let mut history = DataFrame::new(height, columns).unwrap();
    write_parquet(&mut history, &run_dir.join("history.parquet"));
}

/// `data-figure="KEY" data-value="VALUE"` pairs of a page.
fn figures(html: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let mut rest = html;
    while let Some(start) = rest.find("data-figure=\"") {
        rest = &rest[start + "data-figure=\"".len()..];
        let key = &rest[..rest.find('"').unwrap()];
        let tag = &rest[..rest.find('>').unwrap()];
        let value = tag.split("data-value=\"").nth(1).map(|v| v[..v.find('"').unwrap()].to_string()).unwrap_or_default();
        assert!(found.insert(key.to_string(), value).is_none(), "figure {key} appears twice");
    }
    found
}

/// The value of attribute `name` in each tag that has `marker`.
fn attribute_rows(html: &str, marker: &str, names: &[&str]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(marker) {
        let tag_start = rest[..start].rfind('<').unwrap();
        let tag = &rest[tag_start..start + rest[start..].find('>').unwrap()];
        rows.push(
            names
                .iter()
                .map(|name| tag.split(&format!("{name}=\"")).nth(1).map(|v| v[..v.find('"').unwrap()].to_string()).unwrap_or_default())
                .collect(),
        );
        rest = &rest[start + marker.len()..];
    }
    rows
}

/// "1234.50" → 123450 (the tables' decimal text).
fn fen(text: &str) -> i64 {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let fraction = format!("{fraction:0<2}");
    whole.parse::<i64>().unwrap() * 100 + fraction[..2].parse::<i64>().unwrap() * if whole.starts_with('-') { -1 } else { 1 }
}

fn sum_fen(frame: &DataFrame, column: &str) -> i64 {
    texts(frame, column).iter().filter(|t| *t != "null").map(|t| fen(t)).sum()
}

fn yuan(fen: i64) -> String {
    traincredit::money::yuan(fen)
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

#[test]
fn the_reports_numbers_equal_the_tables() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    let html = read_text(&run_dir.join("report.html"));
    let figures = figures(&html);
    let scores = read_parquet(&run_dir.join("institution_scores.parquet"));
    let recoveries = read_parquet(&run_dir.join("recoveries.parquet"));
    let holds = read_parquet(&run_dir.join("holds.parquet"));
    let rejects = read_parquet(&run_dir.join("rejects.parquet"));
    let summary: serde_json::Value = serde_json::from_str(&read_text(&run_dir.join("summary.json"))).unwrap();

    // Institutions and counts per tier.
    assert_eq!(figures["institutions"], scores.height().to_string());
    let tiers = texts(&scores, "tier");
    for tier in ["A", "B", "C", "D", "X", "N"] {
        let count = tiers.iter().filter(|t| *t == tier).count();
        assert_eq!(figures[&format!("tier-{tier}")], count.to_string(), "tier {tier}");
        assert_eq!(summary["institutions_per_tier"][tier].as_u64().unwrap_or(0) as usize, count, "summary tier {tier}");
    }
    // The fixture spreads over several tiers, so the comparison means something.
    assert!(tiers.iter().collect::<std::collections::BTreeSet<_>>().len() >= 3, "{tiers:?}");

    // Money: the tables' sums and summary.json's totals.
    let to_recover = sum_fen(&recoveries, "amount");
    let to_hold = sum_fen(&holds, "amount");
    assert!(to_recover > 0 && to_hold > 0, "the fixture has money to recover and to hold");
    assert_eq!(figures["to-recover"], yuan(to_recover));
    assert_eq!(figures["to-hold"], yuan(to_hold));
    assert_eq!(figures["recoveries-by-rules-total"], yuan(to_recover));
    assert_eq!(figures["recoveries-by-institution-total"], yuan(to_recover));
    assert_eq!(figures["holds-by-rules-total"], yuan(to_hold));
    assert_eq!(figures["holds-by-institution-total"], yuan(to_hold));
    assert_eq!(figures["to-recover"], summary["totals"]["to_recover"].as_str().unwrap());
    assert_eq!(figures["to-hold"], summary["totals"]["to_hold"].as_str().unwrap());
    assert_eq!(figures["claimed"], summary["totals"]["claimed"].as_str().unwrap());
    assert_eq!(figures["at-risk"], summary["totals"]["at_risk"].as_str().unwrap());
    // At stake per line is the largest part among its flags.
    let flags = read_parquet(&run_dir.join("flags.parquet"));
    let mut per_line: BTreeMap<String, i64> = BTreeMap::new();
    for row in rows(&flags, &["kind", "entity_id", "amount_at_risk", "overturned"]) {
        let parts: Vec<&str> = row.split(" | ").collect();
        if parts[0] == "breach" && parts[3] == "false" {
            let entry = per_line.entry(parts[1].to_string()).or_default();
            *entry = (*entry).max(fen(parts[2]));
        }
    }
    assert_eq!(figures["at-risk"], yuan(per_line.values().sum()));

    // Data quality: rows read and rejected.
    let read: u64 = summary["inputs"].as_array().unwrap().iter().map(|t| t["rows_read"].as_u64().unwrap()).sum();
    assert_eq!(figures["rows-read"], read.to_string());
    assert_eq!(figures["rows-rejected"], rejects.height().to_string());

    // Movements: nothing before this run.
    assert_eq!(figures["no-previous"].parse::<usize>().unwrap() + figures["not-rated"].parse::<usize>().unwrap(), scores.height());

    // Each institution's row: its tier and score as in the table.
    let mut shown = attribute_rows(&html, "data-institution=\"", &["data-institution", "data-tier", "data-score"]);
    shown.sort();
    let scores_column: Vec<Option<f64>> = scores.column("score").unwrap().f64().unwrap().iter().collect();
    let mut expected: Vec<Vec<String>> = texts(&scores, "institution_id")
        .into_iter()
        .zip(tiers.iter())
        .zip(scores_column)
        .map(|((id, tier), score)| vec![id, tier.clone(), score.map(|s| format!("{s:.2}")).unwrap_or_default()])
        .collect();
    expected.sort();
    assert_eq!(shown, expected);

    // Every check of summary.json against the tables agrees.
    let checks = attribute_rows(&html, "data-check=\"", &["data-check", "data-ok"]);
    assert_eq!(checks.len(), 5, "{checks:?}");
    assert!(checks.iter().all(|c| c[1] == "true"), "{checks:?}");
}

#[test]
fn charts_are_valid_svg_and_non_blank_png() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    add_signal_tables_and_history(&run_dir);
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    for stem in CHART_STEMS {
        let svg = read_text(&run_dir.join(format!("charts/{stem}.svg")));
        assert_valid_svg(&svg, stem);
        let png = image::open(run_dir.join(format!("charts/{stem}.png"))).unwrap_or_else(|e| panic!("{stem}.png: {e}")).to_rgb8();
        let (width, height) = png.dimensions();
        assert!(width >= 600 && height >= 300, "{stem}.png is {width}×{height}");
        assert_not_blank(png.as_raw(), stem);
    }
    // The SVGs keep Chinese text as text, in the chart font family.
    let svg = read_text(&run_dir.join("charts/tiers_by_district.svg"));
    assert!(svg.contains("各区县机构信用等级分布"), "title missing from the SVG");
    assert!(svg.contains("历下区") && svg.contains("槐荫区"), "district labels missing from the SVG");
    assert!(svg.contains("font-family=\"WenQuanYi Micro Hei"), "the SVG does not name the bundled font");
    // The report embeds every chart inline.
    let html = read_text(&run_dir.join("report.html"));
    for stem in CHART_STEMS {
        assert!(html.contains(&format!("data-chart=\"{stem}\"")), "{stem} is not in the report");
    }
}

/// Parses the whole document as XML: every tag closed and nested, attributes quoted, entities
/// known; the root element is `svg`.
fn assert_valid_svg(svg: &str, what: &str) {
    let mut reader = quick_xml::Reader::from_str(svg);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut root = None;
    let mut elements = 0usize;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(start)) => {
                if root.is_none() {
                    root = Some(String::from_utf8_lossy(start.name().as_ref()).into_owned());
                }
                for attribute in start.attributes() {
                    let attribute = attribute.unwrap_or_else(|e| panic!("{what}: bad attribute: {e}"));
                    attribute.unescape_value().unwrap_or_else(|e| panic!("{what}: bad attribute value: {e}"));
                }
                depth += 1;
                elements += 1;
            }
            Ok(quick_xml::events::Event::Empty(element)) => {
                for attribute in element.attributes() {
                    attribute.unwrap_or_else(|e| panic!("{what}: bad attribute: {e}"));
                }
                elements += 1;
            }
            Ok(quick_xml::events::Event::End(_)) => depth = depth.checked_sub(1).unwrap_or_else(|| panic!("{what}: unbalanced end tag")),
            Ok(quick_xml::events::Event::Text(text)) => {
                text.decode().unwrap_or_else(|e| panic!("{what}: bad text: {e}"));
            }
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("{what}: not well-formed XML at {}: {error}", reader.error_position()),
        }
    }
    assert_eq!(depth, 0, "{what}: unclosed elements");
    assert_eq!(root.as_deref(), Some("svg"), "{what}: the root element is not <svg>");
    assert!(elements > 10, "{what}: only {elements} elements");
}

/// A picture is not blank: several colours, and enough pixels away from the background.
fn assert_not_blank(rgb: &[u8], what: &str) {
    let pixels: Vec<[u8; 3]> = rgb.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect();
    let background = pixels[0];
    let different = pixels.iter().filter(|p| **p != background).count();
    let colours: std::collections::BTreeSet<[u8; 3]> = pixels.iter().copied().collect();
    let luminance: Vec<f64> = pixels.iter().map(|p| 0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64).collect();
    let mean = luminance.iter().sum::<f64>() / luminance.len() as f64;
    let variance = luminance.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / luminance.len() as f64;
    assert!(different * 100 > pixels.len(), "{what}: fewer than 1% of pixels differ from the background");
    assert!(colours.len() >= 8, "{what}: only {} colours", colours.len());
    assert!(variance > 50.0, "{what}: luminance variance {variance:.1}");
}

#[test]
fn chinese_labels_are_drawn_with_real_glyphs_not_tofu() {
    use traincredit::report::charts;
    let label = "济南市历下区信用等级优秀不达标";
    // Each character has a glyph of its own in the bundled font: drawn alone it differs from
    // the font's missing glyph (what a tofu box or nothing would look like)...
    let missing = charts::label_pixels("\u{E000}", 48, 48).unwrap();
    let mut glyphs = Vec::new();
    for ch in label.chars() {
        let pixels = charts::label_pixels(&ch.to_string(), 48, 48).unwrap();
        assert!(pixels != missing, "{ch} draws as the missing glyph");
        assert!(!charts::draws_as_missing(ch).unwrap(), "{ch}");
        assert!(pixels.iter().filter(|v| **v < 128).count() > 20, "{ch} draws (almost) nothing");
        glyphs.push(pixels);
    }
    // ...and different characters draw differently (tofu boxes would all be the same).
    for i in 0..glyphs.len() {
        for j in i + 1..glyphs.len() {
            let (a, b) = (label.chars().nth(i).unwrap(), label.chars().nth(j).unwrap());
            if a != b {
                assert!(glyphs[i] != glyphs[j], "{a} and {b} draw the same picture");
            }
        }
    }
    // The whole label drawn with the bundled font against the same label as missing glyphs,
    // the way a font without CJK would draw it.
    let drawn = charts::label_pixels(label, 640, 48).unwrap();
    let placeholder: String = label.chars().map(|_| '\u{E000}').collect();
    let tofu = charts::label_pixels(&placeholder, 640, 48).unwrap();
    let differing = drawn.chunks_exact(3).zip(tofu.chunks_exact(3)).filter(|(a, b)| a != b).count();
    assert!(differing > 500, "the label and its tofu version differ in only {differing} pixels");
    // A Latin placeholder of the same length draws differently again.
    let latin = charts::label_pixels(&"X".repeat(label.chars().count()), 640, 48).unwrap();
    assert!(latin != drawn);

    // In a chart: the PNG with the Chinese title differs from the same chart titled with
    // missing glyphs, inside the title band.
    let chart = |title: &str| charts::TiersByDistrict {
        lang: traincredit::report::Lang::Zh,
        title: title.to_string(),
        districts: vec!["历下区".into(), "槐荫区".into()],
        counts: vec![[1, 2, 0, 0, 0, 1], [0, 1, 1, 1, 0, 0]],
    };
    let title = "各区县机构信用等级分布 2026Q3";
    let with_font = charts::rgb(&chart(title), "test chart").unwrap();
    let placeholder: String = title.chars().map(|c| if c.is_ascii() { c } else { '\u{E000}' }).collect();
    let with_tofu = charts::rgb(&chart(&placeholder), "test chart").unwrap();
    let band = 960 * 3 * 50; // the top 50 rows
    let differing = with_font[..band].chunks_exact(3).zip(with_tofu[..band].chunks_exact(3)).filter(|(a, b)| a != b).count();
    assert!(differing > 300, "the chart title draws the same as missing glyphs ({differing} pixels differ)");
    assert!(with_font[band..] == with_tofu[band..], "only the title should differ");
}

#[test]
fn the_report_opens_offline_in_a_real_browser() {
    let Some(chromium) = chromium() else { return };
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    add_signal_tables_and_history(&run_dir);
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let page = run_dir.join("report.html").canonicalize().unwrap();
    let visit = Browser::visit(&chromium, &page, dir.path());
    assert_eq!(visit.title, format!("济南市职业技能培训机构信用评价报告 2026Q3"));
    assert!(visit.problems.is_empty(), "console errors or policy violations: {:#?}", visit.problems);
    let url = format!("file://{}", page.display());
    let others: Vec<&String> = visit.requests.iter().filter(|r| **r != url).collect();
    assert!(others.is_empty(), "the page requested more than itself: {others:#?}");
    assert!(visit.requests.contains(&url), "the page itself was not requested: {:?}", visit.requests);
    assert!(visit.svgs >= CHART_STEMS.len(), "{} inline charts rendered", visit.svgs);
    assert_eq!(visit.figure_to_recover, figures(&read_text(&page))["to-recover"], "the browser's DOM and the file disagree");
    // The Chinese heading is drawn with a font that has its glyphs.
    assert!(
        visit.heading_fonts.iter().any(|f| ["WenQuanYi", "Noto Sans CJK", "Noto Serif CJK", "Droid Sans Fallback", "AR PL", "Source Han"]
            .iter()
            .any(|cjk| f.contains(cjk))),
        "the heading is not drawn with a CJK font (install fonts-wqy-microhei): {:?}",
        visit.heading_fonts
    );
    let screenshot = image::load_from_memory(&visit.screenshot).unwrap().to_rgb8();
    assert!(screenshot.width() >= 1000 && screenshot.height() >= 1000, "{}×{}", screenshot.width(), screenshot.height());
    assert_not_blank(screenshot.as_raw(), "the screenshot");
    // The header's colour is on the screen: the page's style applied.
    assert!(screenshot.pixels().filter(|p| p.0 == [0x00, 0x48, 0x5a]).count() > 10_000, "the header is not drawn");
    // The harness does see a fetch: the same page with an image from the network shows the
    // blocked request as a policy violation.
    let html = read_text(&page).replacen("<main>", "<main><img src=\"http://127.0.0.1:9/x.png\" alt=\"\">", 1);
    let tampered = run_dir.join("tampered.html");
    std::fs::write(&tampered, html).unwrap();
    let blocked = Browser::visit(&chromium, &tampered.canonicalize().unwrap(), dir.path());
    assert!(
        blocked.problems.iter().any(|p| p.contains("Content Security Policy") || p.contains("127.0.0.1:9")),
        "a blocked fetch went unnoticed: {:#?} {:#?}",
        blocked.problems,
        blocked.requests
    );
    println!("a blocked fetch is reported as: {}", blocked.problems.first().map(String::as_str).unwrap_or_default());
    if let Ok(keep) = std::env::var("TRAINCREDIT_KEEP_SCREENSHOT") {
        std::fs::write(&keep, &visit.screenshot).unwrap();
        println!("screenshot kept at {keep}");
    }
}

/// The Chromium binary (`$CHROMIUM`, else `chromium` or `chromium-browser` on the PATH), or
/// `None` (after saying so) when it is not installed and this is not CI; under CI (the `CI`
/// variable set) a missing browser fails the test.
pub(crate) fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").map(PathBuf::from).filter(|p| p.is_file()) {
        return Some(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let ci = std::env::var("CI").map(|v| !v.is_empty() && v != "false" && v != "0").unwrap_or(false);
    if ci {
        panic!("chromium is not installed, and CI is set: the browser test must run (apt-get install -y chromium fonts-wqy-microhei)");
    }
    println!("SKIPPED the_report_opens_offline_in_a_real_browser: chromium is not installed (apt-get install -y chromium fonts-wqy-microhei); under CI this fails");
    None
}

/// What the browser saw of a page.
struct Visit {
    title: String,
    /// URLs of every request the page made.
    requests: Vec<String>,
    /// Console errors, exceptions, and log entries of level error or about the security policy.
    problems: Vec<String>,
    svgs: usize,
    figure_to_recover: String,
    /// Fonts the browser used for the `<h1>`.
    heading_fonts: Vec<String>,
    screenshot: Vec<u8>,
}

/// Headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe` (fd 3 in,
/// fd 4 out, NUL-separated JSON), so requests, console messages and policy violations are
/// observed as events rather than guessed from logs.
struct Browser {
    child: std::process::Child,
    input: std::process::ChildStdin,
    events: std::sync::mpsc::Receiver<serde_json::Value>,
    next_id: u64,
    seen: Vec<serde_json::Value>,
}

impl Browser {
    fn start(chromium: &Path, profile: &Path) -> Browser {
        let command = String::from(
            "exec \"$0\" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run \
             --no-default-browser-check --disable-sync --disable-extensions --mute-audio --hide-scrollbars \
             --user-data-dir=\"$1\" --remote-debugging-pipe --window-size=1280,1600 about:blank 3<&0 4>&1 1>&2 0</dev/null",
        );
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(command)
            .arg(chromium)
            .arg(profile)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting chromium");
        let input = child.stdin.take().unwrap();
        let output = child.stdout.take().unwrap();
        let (sender, events) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(output);
            loop {
                let mut message = Vec::new();
                match reader.read_until(0, &mut message) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if message.last() == Some(&0) {
                            message.pop();
                        }
                        if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&message) {
                            if sender.send(value).is_err() {
                                break;
                            }
                        }
                    }
                }
            }
        });
        Browser { child, input, events, next_id: 0, seen: Vec::new() }
    }

    /// Sends a command and waits for its answer, keeping every event seen meanwhile.
    fn call(&mut self, session: Option<&str>, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = serde_json::json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = serde_json::Value::String(session.to_string());
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        self.input.write_all(&bytes).unwrap();
        self.input.flush().unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let value = self.events.recv_timeout(left).unwrap_or_else(|_| panic!("chromium did not answer {method} within 60 s"));
            if value["id"].as_u64() == Some(id) {
                assert!(value.get("error").is_none(), "{method} failed: {}", value["error"]);
                return value["result"].clone();
            }
            self.seen.push(value);
        }
    }

    /// Waits until an event named `method` has been seen.
    fn wait_for(&mut self, method: &str) {
        if self.seen.iter().any(|e| e["method"] == method) {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let value = self.events.recv_timeout(left).unwrap_or_else(|_| panic!("chromium sent no {method} within 60 s"));
            let done = value["method"] == method;
            self.seen.push(value);
            if done {
                return;
            }
        }
    }

    /// Opens `page` in a fresh tab and reports what happened.
    fn visit(chromium: &Path, page: &Path, scratch: &Path) -> Visit {
        let profile = scratch.join("chromium-profile");
        std::fs::create_dir_all(&profile).unwrap();
        let mut browser = Browser::start(chromium, &profile);
        let target = browser.call(None, "Target.createTarget", serde_json::json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = browser.call(None, "Target.attachToTarget", serde_json::json!({"targetId": target_id, "flatten": true}));
        let session = attached["sessionId"].as_str().unwrap().to_string();
        let s = Some(session.as_str());
        for domain in ["Page.enable", "Network.enable", "Runtime.enable", "Log.enable", "DOM.enable", "CSS.enable"] {
            browser.call(s, domain, serde_json::json!({}));
        }
        browser.call(
            s,
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": 1280, "height": 1600, "deviceScaleFactor": 1, "mobile": false}),
        );
        browser.call(s, "Page.navigate", serde_json::json!({"url": format!("file://{}", page.display())}));
        browser.wait_for("Page.loadEventFired");
        let evaluate = |browser: &mut Browser, expression: &str| {
            browser.call(s, "Runtime.evaluate", serde_json::json!({"expression": expression, "returnByValue": true}))["result"]["value"]
                .clone()
        };
        let title = evaluate(&mut browser, "document.title").as_str().unwrap_or_default().to_string();
        let svgs = evaluate(&mut browser, "document.querySelectorAll('figure svg').length").as_u64().unwrap_or(0) as usize;
        let figure_to_recover = evaluate(&mut browser, "document.querySelector('[data-figure=\"to-recover\"]').dataset.value")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let document = browser.call(s, "DOM.getDocument", serde_json::json!({}));
        let root = document["root"]["nodeId"].as_i64().unwrap();
        let heading = browser.call(s, "DOM.querySelector", serde_json::json!({"nodeId": root, "selector": "h1"}));
        let fonts = browser.call(s, "CSS.getPlatformFontsForNode", serde_json::json!({"nodeId": heading["nodeId"]}));
        let heading_fonts =
            fonts["fonts"].as_array().into_iter().flatten().map(|f| f["familyName"].as_str().unwrap_or_default().to_string()).collect();
        let shot = browser.call(s, "Page.captureScreenshot", serde_json::json!({"format": "png", "captureBeyondViewport": true}));
        let screenshot = base64(shot["data"].as_str().unwrap());
        // Late events (a blocked fetch is reported asynchronously) get a moment to arrive.
        std::thread::sleep(Duration::from_millis(300));
        while let Ok(value) = browser.events.try_recv() {
            browser.seen.push(value);
        }
        let _ = browser.call(None, "Browser.close", serde_json::json!({}));
        let _ = browser.child.wait();

        let mut requests = Vec::new();
        let mut problems = Vec::new();
        for event in &browser.seen {
            let params = &event["params"];
            match event["method"].as_str().unwrap_or_default() {
                "Network.requestWillBeSent" => requests.push(params["request"]["url"].as_str().unwrap_or_default().to_string()),
                "Network.loadingFailed" => problems.push(format!("request failed: {params}")),
                "Runtime.exceptionThrown" => problems.push(format!("exception: {params}")),
                "Runtime.consoleAPICalled" if matches!(params["type"].as_str(), Some("error" | "assert" | "warning")) => {
                    problems.push(format!("console {}: {}", params["type"], params["args"]))
                }
                "Log.entryAdded" => {
                    let entry = &params["entry"];
                    let text = entry["text"].as_str().unwrap_or_default();
                    if entry["level"] == "error"
                        || entry["source"] == "security"
                        || entry["source"] == "violation"
                        || text.contains("Content Security Policy")
                    {
                        problems.push(format!("log {} {}: {text}", entry["source"], entry["level"]));
                    }
                }
                _ => {}
            }
        }
        Visit { title, requests, problems, svgs, figure_to_recover, heading_fonts, screenshot }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Standard base64 → bytes.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let clean: Vec<u8> = text.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=').collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut buffer = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            buffer |= (value(*c) as u32) << (18 - 6 * i);
        }
        let bytes = buffer.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

#[test]
fn text_is_escaped_and_nothing_can_be_fetched() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    add_signal_tables_and_history(&run_dir);
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let mut pages = vec![run_dir.join("report.html")];
    pages.extend(std::fs::read_dir(run_dir.join("scorecards")).unwrap().map(|e| e.unwrap().path()));
    assert_eq!(pages.len(), 1 + PLANS.len());
    for page in &pages {
        let html = read_text(page);
        assert!(
            html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;\">"),
            "{}: no strict CSP",
            page.display()
        );
        let lower = html.to_lowercase();
        for forbidden in ["<script", "<link", "<iframe", "<object", "<embed", "<img", "@import", "url(", "src=", "javascript:"] {
            assert!(!lower.contains(forbidden), "{} contains {forbidden}", page.display());
        }
        // The only absolute URL is the SVG namespace, which is a name, not a fetch.
        let urls = lower.matches("http://").count() + lower.matches("https://").count();
        let namespaces = lower.matches("xmlns=\"http://www.w3.org/2000/svg\"").count();
        assert_eq!(urls, namespaces, "{}: an absolute URL other than the SVG namespace", page.display());
        // The name with markup in it is shown as text, never as markup.
        assert!(!html.contains("<b>\"技工\"</b>"), "{}: unescaped name", page.display());
    }
    let report = read_text(&pages[0]);
    assert!(report.contains("济南&lt;b&gt;&quot;技工&quot;&lt;/b&gt;&amp;&#39;培训&#39;学校"));
}

#[test]
fn absent_signal_tables_and_history_are_said_so() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    // A run folder from a tool without the signal stage: its tables are absent.
    for table in ["leads.parquet", "signal_values.parquet", "benford_digits.parquet"] {
        std::fs::remove_file(run_dir.join(table)).unwrap();
    }
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let html = read_text(&run_dir.join("report.html"));
    assert!(html.contains("leads.parquet 不存在"), "the leads section does not say the table is absent");
    // The run's own history holds this quarter only: no trend yet.
    assert!(html.contains("历史表中没有更早的季度"), "the trend section does not say history has no earlier quarter");
    for stem in ["benford_top_leads", "trend", "tier_migration"] {
        assert!(!run_dir.join(format!("charts/{stem}.svg")).exists(), "{stem} drawn without its table");
        assert!(!html.contains(&format!("data-chart=\"{stem}\"")));
    }
    for stem in ["tiers_by_district", "score_distribution", "pass_vs_employment", "money_by_rule"] {
        assert!(run_dir.join(format!("charts/{stem}.png")).is_file(), "{stem}.png missing");
    }
    // Without a history table at all, the section says so.
    std::fs::remove_file(run_dir.join("history.parquet")).unwrap();
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert!(read_text(&run_dir.join("report.html")).contains("history.parquet 不存在"));
    // With the tables, the same sections show them.
    add_signal_tables_and_history(&run_dir);
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let html = read_text(&run_dir.join("report.html"));
    assert_eq!(figures(&html)["leads"], "3");
    assert_eq!(figures(&html)["high-priority-leads"], "1");
    assert!(html.contains("data-lead=\"I3\""));
    assert!(html.contains("2026Q2 → 2026Q3"), "no migration title");
    assert!(!html.contains("leads.parquet 不存在"));
}

#[test]
fn a_chained_run_shows_the_trend_and_the_tier_migration() {
    let dir = temp_dir();
    export().write(&dir.path().join("export"));
    for (quarter, previous) in [("2026Q2", None), ("2026Q3", Some("q2"))] {
        let out = if quarter == "2026Q2" { "q2" } else { "q3" };
        let mut args = vec!["evaluate", "--data", "export", "--quarter", quarter, "--out", out, "--demo-key"];
        if let Some(previous) = previous {
            args.extend(["--previous", previous]);
        } else {
            // The export's claims are all in 2026Q3: the quarter before is there for its tiers.
            args.push("--allow-incomplete");
        }
        let output = run(dir.path(), &args);
        assert_eq!(output.code, 0, "{}", output.stderr);
    }
    let run_dir = dir.path().join("q3");
    let html = read_text(&run_dir.join("report.html"));
    for stem in ["trend", "tier_migration"] {
        assert!(html.contains(&format!("data-chart=\"{stem}\"")), "{stem} is not in the report");
        assert_valid_svg(&read_text(&run_dir.join(format!("charts/{stem}.svg"))), stem);
    }
    assert!(html.contains("2026Q2 → 2026Q3"));
    // The trend table's counts for each quarter are history.parquet's.
    let history = read_parquet(&run_dir.join("history.parquet"));
    let table = &html[html.find("id=\"trend-table\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    for quarter in ["2026Q2", "2026Q3"] {
        let row = &table[table.find(&format!("<td>{quarter}</td>")).unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        let cells: Vec<String> = row.split("<td class=\"num\">").skip(1).map(|c| c[..c.find("</td>").unwrap()].to_string()).collect();
        let tiers: Vec<String> = rows(&history, &["quarter", "tier"]).into_iter().filter(|r| r.starts_with(quarter)).collect();
        for (index, tier) in ["A", "B", "C", "D", "X", "N"].iter().enumerate() {
            let count = tiers.iter().filter(|r| r.ends_with(&format!("| {tier}"))).count();
            assert_eq!(cells[index], count.to_string(), "{quarter} tier {tier}");
        }
    }
    let checks = attribute_rows(&html, "data-check=\"", &["data-check", "data-ok"]);
    assert!(checks.iter().all(|c| c[1] == "true"), "{checks:?}");
}

#[test]
fn english_report_and_one_scorecard_on_demand() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    let output = run(dir.path(), &["report", "--run", "run", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let html = read_text(&run_dir.join("report.en.html"));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<title>Jinan vocational training institutions: credit evaluation report 2026Q3</title>"));
    let svg = read_text(&run_dir.join("charts/tiers_by_district.en.svg"));
    assert!(svg.contains("Credit tiers per district"));
    // The Chinese report and charts are still there, in Chinese.
    assert!(read_text(&run_dir.join("report.html")).starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(read_text(&run_dir.join("charts/tiers_by_district.svg")).contains("各区县机构信用等级分布"));

    std::fs::remove_dir_all(run_dir.join("scorecards")).unwrap();
    std::fs::remove_file(run_dir.join("report.html")).unwrap();
    let output = run(dir.path(), &["report", "--run", "run", "--institution", "I3"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let written: Vec<_> =
        std::fs::read_dir(run_dir.join("scorecards")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(written, vec!["I3.html"]);
    assert!(!run_dir.join("report.html").exists(), "--institution rendered the whole report");

    let output = run(dir.path(), &["report", "--run", "run", "--institution", "NOPE"]);
    assert_eq!(output.code, 1);
    assert!(output.stderr.contains("institution NOPE is not in"), "{}", output.stderr);
    let output = run(dir.path(), &["report", "--run", "run", "--lang", "fr"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    let output = run(dir.path(), &["report", "--run", "export"]);
    assert_eq!(output.code, 2);
    assert_eq!(output.stderr.lines().last(), Some("error: output folder export: is not a run folder written by traincredit evaluate (no summary.json)"));
}

#[test]
fn a_scorecard_shows_peer_medians_deductions_and_their_evidence() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    add_signal_tables_and_history(&run_dir);
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let scores = read_parquet(&run_dir.join("institution_scores.parquet"));
    let flags = read_parquet(&run_dir.join("flags.parquet"));
    let html = read_text(&run_dir.join("scorecards/I3.html"));
    assert!(html.contains("<title>评分卡 I3 市中区家政服务培训中心 2026Q3</title>"), "scorecard title");
    assert!(html.contains("<a style=\"color:#fff\" href=\"../report.html\">"), "no way back to the report");
    let figures = figures(&html);
    let ids = texts(&scores, "institution_id");
    let row = ids.iter().position(|id| id == "I3").unwrap();
    assert_eq!(figures["score"], texts(&scores, "score")[row].parse::<f64>().map(|s| format!("{s:.2}")).unwrap_or_default());
    assert_eq!(figures["deductions"].parse::<f64>().unwrap(), texts(&scores, "deductions")[row].parse::<f64>().unwrap());
    // Peer median of pass_rate among private_training institutions, from the table.
    let kinds = texts(&scores, "kind");
    let mut peers: Vec<f64> = (0..scores.height())
        .filter(|&i| kinds[i] == "private_training")
        .filter_map(|i| texts(&scores, "pass_rate")[i].parse::<f64>().ok())
        .collect();
    peers.sort_by(f64::total_cmp);
    let middle = peers.len() / 2;
    let median = if peers.len().is_multiple_of(2) { (peers[middle - 1] + peers[middle]) / 2.0 } else { peers[middle] };
    let pass_row = &html[html.find("data-indicator=\"pass_rate\"").unwrap()..];
    let pass_row = &pass_row[..pass_row.find("</tr>").unwrap()];
    assert!(pass_row.contains(&format!("{:.1}%", median * 100.0)), "peer median {median} not in {pass_row}");
    // Every finding of I3 is listed with its evidence.
    let institution = texts(&flags, "institution_id");
    let flag_ids = texts(&flags, "flag_id");
    let evidence = texts(&flags, "evidence");
    let mine: Vec<usize> = (0..flags.height()).filter(|&i| institution[i] == "I3").collect();
    assert!(!mine.is_empty());
    for i in mine {
        assert!(html.contains(&format!("data-flag=\"{}\"", flag_ids[i])), "{} missing", flag_ids[i]);
        assert!(
            html.contains(&evidence[i].replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")),
            "evidence of {} missing",
            flag_ids[i]
        );
    }
    // History and signals.
    assert!(html.contains("id=\"history-table\"") && html.contains("2026Q2"));
    assert!(html.contains("manual_signins"));
    let recovered: i64 = rows(&read_parquet(&run_dir.join("recoveries.parquet")), &["institution_id", "amount"])
        .iter()
        .filter(|r| r.starts_with("I3 |"))
        .map(|r| fen(r.split(" | ").nth(1).unwrap()))
        .sum();
    assert_eq!(figures["recoveries"], yuan(recovered));
}

#[test]
fn rendering_twice_writes_the_same_report() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    add_signal_tables_and_history(&run_dir);
    let mut pages = Vec::new();
    for _ in 0..2 {
        let output = run(dir.path(), &["report", "--run", "run"]);
        assert_eq!(output.code, 0, "{}", output.stderr);
        let mut bytes = Vec::new();
        std::fs::File::open(run_dir.join("report.html")).unwrap().read_to_end(&mut bytes).unwrap();
        pages.push((
            bytes,
            std::fs::read(run_dir.join("charts/trend.svg")).unwrap(),
            std::fs::read(run_dir.join("charts/trend.png")).unwrap(),
        ));
    }
    assert!(pages[0] == pages[1], "two renders of the same tables differ");
}

#[test]
fn charts_of_a_single_category_draw_their_bars() {
    use traincredit::report::charts::{self, tier_color};
    let lang = traincredit::report::Lang::Zh;
    let count = |rgb: &[u8], color: plotters::style::RGBColor| rgb.chunks_exact(3).filter(|p| p == &[color.0, color.1, color.2]).count();
    let districts =
        charts::TiersByDistrict {
            lang, title: "一个区县".into(), districts: vec!["历下区".into()], counts: vec![[2, 1, 0, 0, 0, 0]]
        };
    let rgb = charts::rgb(&districts, "one district").unwrap();
    assert!(count(&rgb, tier_color("A")) > 5_000, "the single district's bar is not drawn");
    let money = charts::MoneyByRule { lang, title: "一条规则".into(), rows: vec![("R05 未结业".into(), 123_400)] };
    let rgb = charts::rgb(&money, "one rule").unwrap();
    assert!(count(&rgb, plotters::style::RGBColor(0x00, 0x69, 0x7c)) > 5_000, "the single rule's bar is not drawn");
    let trend = charts::ScoreTrend {
        lang,
        title: "一个季度".into(),
        quarters: vec!["2026Q3".into()],
        scores: vec![Some(72.5)],
        tiers: vec!["B".into()],
        cutoffs: (60.0, 70.0, 85.0),
    };
    let rgb = charts::rgb(&trend, "one quarter").unwrap();
    assert!(count(&rgb, tier_color("B")) > 50, "the single quarter's point is not drawn");
}

#[test]
fn an_uplift_held_shows_its_label_and_the_leads_rank_beside_the_tier() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    // Make one institution a tier-A lead whose uplift is held, as rating writes it.
    let path = run_dir.join("institution_scores.parquet");
    let mut scores = read_parquet(&path);
    let ids = texts(&scores, "institution_id");
    let row = ids.iter().position(|id| id == "I3").unwrap();
    let set = |values: Vec<String>, i: usize, value: &str| values.into_iter().enumerate().map(|(j, v)| if j == i { value.to_string() } else { v }).collect::<Vec<_>>();
    scores.with_column(Column::new("tier".into(), set(texts(&scores, "tier"), row, "A"))).unwrap();
    scores.with_column(Column::new("action".into(), set(texts(&scores, "action"), row, "uplift_held"))).unwrap();
    let ranks: Vec<Option<i64>> = (0..ids.len()).map(|i| (i == row).then_some(2)).collect();
    scores.with_column(Column::new("lead_rank".into(), ranks)).unwrap();
    let risks: Vec<Option<f64>> = (0..ids.len()).map(|i| (i == row).then_some(0.61)).collect();
    scores.with_column(Column::new("risk_score".into(), risks)).unwrap();
    // Its rule as rating writes it for an A: the code and its numbers.
    scores.with_column(Column::new("tier_rule".into(), set(texts(&scores, "tier_rule"), row, "tier.a.score"))).unwrap();
    let args: Vec<Series> = (0..ids.len())
        .map(|i| Series::new("".into(), if i == row { strings(&["86.00", "85.00"]) } else { Vec::new() }))
        .collect();
    scores.with_column(Column::new("tier_rule_args".into(), args)).unwrap();
    scores.with_column(Column::new("deductions".into(), vec![0.0f64; ids.len()])).unwrap();
    write_parquet(&mut scores, &path);
    for (lang, label, standing, why) in [
        (
            "zh",
            "暂缓上浮（待核查）",
            "#2 · 0.610",
            "<td class=\"evidence\">得分 86.00 ≥ 85.00，无违规明细，上季度等级允许评 A；调查线索 #2，风险分 0.610（0–1）≥ 0.3：暂缓上浮补贴，待核查结论后发放</td>",
        ),
        (
            "en",
            "uplift held pending review",
            "#2 · 0.610",
            "<td class=\"evidence\">score 86.00 ≥ 85.00, no breach line, previous tier allows A; uplift held pending review: lead #2 with risk score 0.610 ≥ 0.3</td>",
        ),
    ] {
        let output = run(dir.path(), &["report", "--run", "run", "--lang", lang]);
        assert_eq!(output.code, 0, "{}", output.stderr);
        let suffix = if lang == "zh" { "" } else { ".en" };
        let html = read_text(&run_dir.join(format!("report{suffix}.html")));
        let start = html.find("<tr data-institution=\"I3\"").expect("I3 in the tier table");
        let tier_row = &html[start..start + html[start..].find("</tr>").unwrap()];
        assert!(tier_row.contains(label) && tier_row.contains(standing) && tier_row.contains(why), "{lang}: {tier_row}");
        let scorecard = read_text(&run_dir.join(format!("scorecards/I3{suffix}.html")));
        assert!(scorecard.contains(label) && scorecard.contains("#2"), "{lang} scorecard");
        assert!(html.contains(if lang == "zh" { "暂缓上浮、待核查（A 且为调查线索）：<strong>1</strong> 家" } else { "Uplift held pending review (A and a lead): <strong>1</strong>" }));
    }
}

#[test]
fn leads_with_nothing_but_their_own_breaches_are_listed_apart() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    let mut leads = DataFrame::new(
        2,
        vec![
            Column::new("rank".into(), vec![1i64, 2]),
            Column::new("institution_id".into(), strings(&["I3", "I5"])),
            Column::new("risk_score".into(), vec![0.72f64, 0.4]),
            Column::new("high_priority".into(), vec![false, false]),
            Column::new("signals".into(), strings(&["manual_sign_ins", ""])),
            Column::new("evidence".into(), strings(&["manual sign-ins 64% vs 5%", "rule breaches: 3 of 20 claim lines in scope (R05 ×3)"])),
            Column::new("lead_list".into(), strings(&["statistical", "breaches_only"])),
            Column::new("list_rank".into(), vec![1u32, 1]),
            Column::new("related_leads".into(), strings(&["I2 (recycled_trainees)", ""])),
        ],
    )
    .unwrap();
    write_parquet(&mut leads, &run_dir.join("leads.parquet"));
    let output = run(dir.path(), &["report", "--run", "run", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let html = read_text(&run_dir.join("report.en.html"));
    let statistical = &html[html.find("id=\"lead-table\"").unwrap()..];
    let statistical = &statistical[..statistical.find("</table>").unwrap()];
    let apart = &html[html.find("id=\"breach-lead-table\"").expect("a second list")..];
    let apart = &apart[..apart.find("</table>").unwrap()];
    assert!(statistical.contains("data-lead=\"I3\"") && !statistical.contains("data-lead=\"I5\""), "{statistical}");
    assert!(apart.contains("data-lead=\"I5\"") && !apart.contains("data-lead=\"I3\""), "{apart}");
    assert!(html.contains("Institutions whose only evidence is their own rule breaches"));
    assert!(statistical.contains("<strong>Related leads:</strong> I2 (recycled_trainees)"), "{statistical}");
    assert!(!apart.contains("Related leads"));
}

/// The visible text of an HTML page: style, script and SVG dropped, tags ended as line breaks,
/// the common entities decoded.
pub fn visible_text(html: &str) -> String {
    let mut rest = html.to_string();
    for (open, close) in [("<style", "</style>"), ("<script", "</script>"), ("<svg", "</svg>")] {
        while let Some(start) = rest.find(open) {
            let end = rest[start..].find(close).map(|e| start + e + close.len()).unwrap_or(rest.len());
            rest.replace_range(start..end, "\n");
        }
    }
    let mut text = String::with_capacity(rest.len());
    let mut in_tag = false;
    for ch in rest.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push('\n');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}

/// The English sentences of an HTML page's visible text: runs of three or more consecutive Latin
/// words. Ids and codes do not count as words (anything with a digit or an underscore, words
/// without a lower-case letter such as `JN`, `MAD`, `DECISION`, file names); any
/// character outside ASCII (Chinese, full-width punctuation) ends a run.
pub fn english_sentences(html: &str) -> Vec<String> {
    let is_word = |token: &str| {
        token.chars().all(|c| c.is_ascii_alphabetic() || c == '\'' || c == '-')
            && token.chars().any(|c| c.is_ascii_lowercase())
    };
    let mut found = Vec::new();
    for segment in visible_text(html).split(|c: char| !c.is_ascii() || c == '\n') {
        let mut run: Vec<&str> = Vec::new();
        // A dot inside a token keeps it whole (a file name such as `flags.parquet` is an id).
        let tokens = segment
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '\'' || c == '-' || c == '.'))
            .map(|t| t.trim_matches('.'))
            .filter(|t| !t.is_empty());
        for token in tokens.chain(std::iter::once("0")) {
            if is_word(token) {
                run.push(token);
            } else {
                if run.len() >= 3 {
                    found.push(run.join(" "));
                }
                run.clear();
            }
        }
    }
    found
}

/// The part of a page from `marker` to the end of its enclosing element `close`.
fn part<'a>(html: &'a str, marker: &str, close: &str) -> &'a str {
    let start = html.find(marker).unwrap_or_else(|| panic!("{marker} not in the page"));
    let end = html[start..].find(close).map(|e| start + e + close.len()).unwrap_or(html.len());
    &html[start..end]
}

#[test]
fn the_english_sentence_checker_finds_sentences_and_leaves_ids_alone() {
    assert_eq!(english_sentences("<p>得分 86.36 ≥ 85.00，无违规明细</p>"), Vec::<String>::new());
    assert_eq!(english_sentences("<td>R05 JN-ORG-000123 synchronized_sign_ins MAD 0.015 z · institution_scores.parquet: district, tier</td>"), Vec::<String>::new());
    assert_eq!(english_sentences("<p>The run ends here. 结束</p>"), vec!["The run ends here"]);
    assert_eq!(english_sentences("<td>禁入：score 86.36 but a breach line in 2026Q3</td>"), vec!["but a breach line in".to_string()]);
    assert_eq!(english_sentences("<style>.a { font-family: Noto Sans CJK }</style><td>enrollment did not complete</td>"), vec!["enrollment did not complete"]);
}

/// The Chinese report's first screen, tier table and scorecards' verdict hold no English
/// sentence; the English report's tier reasons hold no Chinese; both from the same run.
#[test]
fn the_tier_table_and_first_screen_speak_the_reports_language_only() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    let html = read_text(&run_dir.join("report.html"));
    for (marker, close) in [("<section id=\"glance\">", "</section>"), ("<section id=\"tiers\">", "</section>")] {
        let mut checked = part(&html, marker, close).to_string();
        // Why an indicator has no data is the features stage's text (its code comes with it).
        if let Some(start) = checked.find("<p class=\"warn\" id=\"no-data\">") {
            let end = start + checked[start..].find("</p>").unwrap();
            checked.replace_range(start..end, "");
        }
        let found = english_sentences(&checked);
        assert!(found.is_empty(), "{marker}: {found:?}");
    }
    let scores = read_parquet(&run_dir.join("institution_scores.parquet"));
    for id in texts(&scores, "institution_id") {
        let card = read_text(&run_dir.join(format!("scorecards/{id}.html")));
        let found = english_sentences(part(&card, "<section id=\"verdict\">", "</section>"));
        assert!(found.is_empty(), "{id}: {found:?}");
        assert!(!card.contains("引擎记录的完整理由"), "{id}: the block of English reasons is gone");
    }
    // The same run in English: each tier reason cell is English, rendered from its code.
    let output = run(dir.path(), &["report", "--run", "run", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let english = read_text(&run_dir.join("report.en.html"));
    let table = part(&english, "<section id=\"tiers\">", "</section>");
    let cells: Vec<&str> = table.split("<td class=\"evidence\">").skip(1).map(|c| &c[..c.find("</td>").unwrap()]).collect();
    assert_eq!(cells.len(), scores.height());
    for cell in cells {
        assert!(!cell.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || c == '，' || c == '：'), "{cell}");
    }
    let rules = texts(&scores, "tier_rule");
    assert!(rules.iter().all(|r| r.starts_with("tier.")), "{rules:?}");
    // I3's D by its score, in both languages, from the same code and numbers.
    assert_eq!(rules[texts(&scores, "institution_id").iter().position(|id| id == "I3").unwrap()], "tier.d.score");
    for (page, expected) in [
        (&html, "<td class=\"evidence\">得分 7.13 低于 60.00：禁入 2026Q4–2027Q3；扣 8 分（违规明细 4 条）</td>"),
        (&english, "<td class=\"evidence\">score 7.13 &lt; 60.00: ban 2026Q4–2027Q3; −8 points (4 breach line(s))</td>"),
    ] {
        let row = part(page, "<tr data-institution=\"I3\"", "</tr>");
        assert!(row.contains(expected), "{row}");
    }
}

/// "To recover" on the first screen is split into what the rules order and what a
/// fraud_confirmed decision orders (recoveries' rows `DECISION`), each to the fen of
/// `recoveries.parquet`, summing exactly to the total.
#[test]
fn to_recover_is_split_by_rule_and_by_decision_to_the_fen() {
    let dir = temp_dir();
    let mut fixture = export();
    fixture.add(Table::CaseDecisions, &[("institution_id", "I2"), ("decided_on", "2026-08-15"), ("finding", "fraud_confirmed"), ("amount_defrauded", "1234.56")]);
    fixture.write(&dir.path().join("export"));
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let run_dir = dir.path().join("run");
    let recoveries = rows(&read_parquet(&run_dir.join("recoveries.parquet")), &["rules", "amount"]);
    let (mut by_rule, mut by_decision) = (0i64, 0i64);
    for row in &recoveries {
        let (rules, amount) = row.split_once(" | ").unwrap();
        if rules == "DECISION" {
            by_decision += fen(amount);
        } else {
            by_rule += fen(amount);
        }
    }
    assert_eq!(by_decision, 123_456);
    assert!(by_rule > 0, "{recoveries:?}");
    for (page, lang) in [("report.html", "zh"), ("report.en.html", "en")] {
        if lang == "en" {
            assert_eq!(run(dir.path(), &["report", "--run", "run", "--lang", "en"]).code, 0);
        }
        let figures = figures(&read_text(&run_dir.join(page)));
        assert_eq!(figures["to-recover-by-decision"], "1234.56");
        assert_eq!(figures["to-recover-by-rule"], yuan(by_rule));
        assert_eq!(fen(&figures["to-recover-by-rule"]) + fen(&figures["to-recover-by-decision"]), fen(&figures["to-recover"]));
    }
}

/// A tier the vocabulary does not know in a run folder is a clear error naming the row, not a
/// guess.
#[test]
fn an_unknown_tier_in_a_run_folder_is_a_clear_error() {
    let dir = temp_dir();
    let run_dir = evaluated(dir.path());
    let path = run_dir.join("institution_scores.parquet");
    let mut scores = read_parquet(&path);
    let tiers: Vec<String> = texts(&scores, "institution_id").iter().map(|id| if id == "I3" { "E".to_string() } else { "B".to_string() }).collect();
    scores.with_column(Column::new("tier".into(), tiers)).unwrap();
    write_parquet(&mut scores, &path);
    let output = run(dir.path(), &["report", "--run", "run"]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert!(output.stderr.contains("institution_scores.parquet: I3: unknown tier 'E' (expected one of A, B, C, D, X, N)"), "{}", output.stderr);
    let output = run(dir.path(), &["explain", "--run", "run", "--institution", "I1"]);
    assert_eq!(output.code, 1, "{}", output.stderr);
}

/// The whole Chinese report of the committed sample, every scorecard and every dossier: no
/// English sentence. What remains in Latin letters is ids and codes: a reject reason's list of
/// the contract's allowed values, a chart's source columns, the command that renders the report.
#[test]
fn the_chinese_report_scorecards_and_dossiers_hold_no_english_sentence() {
    let dir = temp_dir();
    let sample = root().join("data-samples/jinan");
    let output = run(dir.path(), &["evaluate", "--data", sample.to_str().unwrap(), "--quarter", "2026Q3", "--out", "run", "--demo-key"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let ids_not_sentences = ["graduate student employee disabled", "quarter tier score", "traincredit report --run"];
    let mut pages = vec![dir.path().join("run/report.html")];
    for folder in ["scorecards", "dossiers"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.path().join("run").join(folder)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        assert!(!files.is_empty(), "no {folder}");
        pages.extend(files);
    }
    let mut english = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        for sentence in english_sentences(&html) {
            if !ids_not_sentences.contains(&sentence.as_str()) {
                english.push(format!("{}: {sentence}", page.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    // The tables' text columns are in the run's language too (outputs.md).
    for (table, column) in [
        ("flags", "evidence"),
        ("leads", "evidence"),
        ("leads", "contributions"),
        ("signal_values", "evidence"),
        ("rejects", "reason"),
        ("sanctions", "reason"),
        ("institution_scores", "reasons"),
    ] {
        let frame = read_parquet(&dir.path().join(format!("run/{table}.parquet")));
        for text in texts(&frame, column) {
            for sentence in english_sentences(&escape_html(&text)) {
                if !ids_not_sentences.contains(&sentence.as_str()) {
                    english.push(format!("{table}.{column}: {sentence}"));
                }
            }
        }
    }
    english.dedup();
    assert!(english.is_empty(), "{} English sentences, e.g.:\n{}", english.len(), english.iter().take(20).cloned().collect::<Vec<_>>().join("\n"));
}

/// Plain text as HTML content, for the page checker.
fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
