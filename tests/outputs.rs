//! Output locations and chained runs: whatever `--out` names, nothing the user had is lost and the
//! refusal comes before any work (exit 2); a killed run leaves the previous complete run or the
//! new complete one, and the next run succeeds; `--previous` is checked, never skipped.

use crate::util::*;
use pretty_assertions::assert_eq;
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A folder with the clean fixture export in `export/`.
fn with_export() -> tempfile::TempDir {
    let dir = temp_dir();
    Fixture::clean().write(&dir.path().join("export"));
    dir
}

fn evaluate(dir: &Path, out: &str, extra: &[&str]) -> Output {
    let mut args = vec!["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", out, "--demo-key"];
    args.extend_from_slice(extra);
    run(dir, &args)
}

/// Every file under `folder` with its bytes.
fn snapshot(folder: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![folder.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.strip_prefix(folder).unwrap().to_path_buf(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// The error line of a failed command (a warning about the demo key may come before it).
fn error_line(output: &Output) -> &str {
    output.stderr.lines().rev().find(|line| line.starts_with("error: ")).unwrap_or(&output.stderr)
}

/// The hidden entries of `dir` (staging folders, trash, locks).
fn hidden(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn out_equal_to_inside_or_around_the_export_is_refused_and_the_export_kept() {
    let dir = with_export();
    let before = snapshot(&dir.path().join("export"));
    let output = evaluate(dir.path(), "export", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: output folder export: is the export folder export: a run never writes into what it reads; choose another folder; nothing was written"
    );
    let output = evaluate(dir.path(), "export/runs/2026Q3", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: output folder export/runs/2026Q3: lies inside the export folder export: a run never writes into what it reads; choose another folder; nothing was written"
    );
    // The same folder named through a symbolic link is still the export.
    std::os::unix::fs::symlink(dir.path().join("export"), dir.path().join("alias")).unwrap();
    let output = evaluate(dir.path(), "alias/run", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(output.stderr.contains("lies inside the export folder export"), "{}", output.stderr);
    assert_eq!(snapshot(&dir.path().join("export")), before);

    // An --out around the export.
    let outer = temp_dir();
    Fixture::clean().write(&outer.path().join("reports/export"));
    let output = run(outer.path(), &["evaluate", "--data", "reports/export", "--quarter", "2026Q3", "--out", "reports", "--demo-key"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: output folder reports: contains the export folder reports/export: a run never writes into what it reads; choose another folder; nothing was written"
    );
    assert_eq!(hidden(outer.path()), Vec::<String>::new());
}

#[test]
fn out_holding_the_users_files_is_refused_and_left_untouched() {
    let dir = with_export();
    std::fs::create_dir(dir.path().join("mine")).unwrap();
    std::fs::write(dir.path().join("mine/notes.txt"), "my notes").unwrap();
    let output = evaluate(dir.path(), "mine", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: output folder mine: holds notes.txt, which a traincredit run did not write; it was left untouched and nothing was written: choose a new or empty folder, or one an earlier run wrote"
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("mine/notes.txt")).unwrap(), "my notes");
    assert_eq!(std::fs::read_dir(dir.path().join("mine")).unwrap().count(), 1);
    // An empty folder is used.
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    assert_eq!(evaluate(dir.path(), "empty", &[]).code, 0);
    assert!(dir.path().join("empty/summary.json").is_file());
}

#[test]
fn out_naming_a_file_or_a_link_is_refused_and_left_untouched() {
    let dir = with_export();
    std::fs::write(dir.path().join("report.txt"), "keep me").unwrap();
    let output = evaluate(dir.path(), "report.txt", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: output folder report.txt: is a file, not a folder; it was left untouched and nothing was written"
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("report.txt")).unwrap(), "keep me");
    assert_eq!(hidden(dir.path()), Vec::<String>::new());

    std::fs::create_dir(dir.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real", dir.path().join("link")).unwrap();
    let output = evaluate(dir.path(), "link", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(error_line(&output), "error: output folder link: is a symbolic link (to real); give the folder itself; nothing was written");
    assert!(std::fs::symlink_metadata(dir.path().join("link")).unwrap().file_type().is_symlink());
}

#[test]
fn an_unwritable_out_is_refused_before_the_export_is_read() {
    let dir = temp_dir();
    std::fs::write(dir.path().join("afile"), "x").unwrap();
    // No export at all: the output is checked first, so its error is the one reported.
    let output = run(dir.path(), &["evaluate", "--data", "no-export", "--quarter", "2026Q3", "--out", "afile/run", "--demo-key"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: output folder afile/run: its parent folder afile cannot be created (File exists (os error 17)); nothing was written"
    );
}

#[test]
fn a_run_replaces_an_earlier_run_but_not_one_with_the_users_files_added() {
    let dir = with_export();
    assert_eq!(evaluate(dir.path(), "run", &[]).code, 0);
    let marker: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("run/.traincredit-run")).unwrap()).unwrap();
    let entries: Vec<&str> = marker["entries"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
    assert!(entries.contains(&"summary.json") && entries.contains(&"report.html") && entries.contains(&"scorecards"), "{entries:?}");
    // The English report is recorded too, so the run stays replaceable.
    assert_eq!(run(dir.path(), &["report", "--run", "run", "--lang", "en"]).code, 0);
    let output = evaluate(dir.path(), "run", &[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_eq!(hidden(dir.path()), vec![".run.lock"]);
    std::fs::write(dir.path().join("run/notes.txt"), "my notes").unwrap();
    let output = evaluate(dir.path(), "run", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(output.stderr.contains("holds notes.txt, which a traincredit run did not write"), "{}", output.stderr);
    assert_eq!(std::fs::read_to_string(dir.path().join("run/notes.txt")).unwrap(), "my notes");
}

#[test]
fn a_second_process_on_the_same_out_is_refused() {
    let dir = with_export();
    let lock = std::fs::File::create(dir.path().join(".run.lock")).unwrap();
    lock.lock().unwrap();
    let output = evaluate(dir.path(), "run", &[]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: output folder run: is being written by another traincredit process (it holds ./.run.lock); wait for it to finish; nothing was written"
    );
    assert!(!dir.path().join("run").exists());
    drop(lock);
    assert_eq!(evaluate(dir.path(), "run", &[]).code, 0);
}

#[test]
fn the_english_report_is_written_beside_the_chinese_one() {
    let dir = with_export();
    assert_eq!(evaluate(dir.path(), "run", &[]).code, 0);
    let chinese = snapshot(&dir.path().join("run"));
    let output = run(dir.path(), &["report", "--run", "run", "--lang", "en"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    let after = snapshot(&dir.path().join("run"));
    for (path, bytes) in &chinese {
        if path != Path::new(".traincredit-run") {
            assert!(after.get(path) == Some(bytes), "{} changed", path.display());
        }
    }
    let added: Vec<String> = after.keys().filter(|p| !chinese.contains_key(*p)).map(|p| p.display().to_string()).collect();
    assert!(added.contains(&"report.en.html".to_string()), "{added:?}");
    assert!(added.contains(&"scorecards/I1.en.html".to_string()), "{added:?}");
    assert!(added.contains(&"charts/money_by_rule.en.svg".to_string()), "{added:?}");
    let english = String::from_utf8(after[Path::new("report.en.html")].clone()).unwrap();
    assert!(english.contains("href=\"scorecards/I1.en.html\""), "the English report links the English scorecards");
    assert!(english.contains("href=\"charts/money_by_rule.en.png\""));
    let scorecard = String::from_utf8(after[Path::new("scorecards/I1.en.html")].clone()).unwrap();
    assert!(scorecard.contains("href=\"../report.en.html\""));
    // `report` refuses a folder that is no run.
    std::fs::create_dir(dir.path().join("notes")).unwrap();
    let output = run(dir.path(), &["report", "--run", "notes"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(error_line(&output), "error: output folder notes: is not a run folder written by traincredit evaluate (no summary.json)");
}

/// A run folder that is complete: its marker names every entry, summary.json reads.
fn assert_complete(run: &Path, moment: &str) {
    let marker = std::fs::read_to_string(run.join(".traincredit-run")).unwrap_or_else(|e| panic!("{moment}: no marker in {}: {e}", run.display()));
    let marker: serde_json::Value = serde_json::from_str(&marker).unwrap();
    for entry in marker["entries"].as_array().unwrap() {
        assert!(run.join(entry.as_str().unwrap()).exists(), "{moment}: {entry} missing");
    }
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(run.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["quarter"], "2026Q3", "{moment}");
    assert_eq!(std::fs::read_dir(run.join("scorecards")).unwrap().count(), 1, "{moment}");
}

fn summary_inode(run: &Path) -> u64 {
    std::fs::metadata(run.join("summary.json")).unwrap().ino()
}

fn spawn_evaluate(dir: &Path, abort_at: Option<&str>) -> std::process::Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_traincredit"));
    command
        .args(["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--demo-key"])
        .current_dir(dir)
        .env_remove("TRAINCREDIT_KEY")
        .env("TRAINCREDIT_LOG", "off")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(point) = abort_at {
        command.env("TRAINCREDIT_TEST_ABORT_AT", point);
    }
    command.spawn().unwrap()
}

#[test]
fn killed_runs_leave_the_previous_or_the_new_run_and_the_next_run_succeeds() {
    let dir = with_export();
    let run_dir = dir.path().join("run");
    let started = Instant::now();
    assert_eq!(evaluate(dir.path(), "run", &[]).code, 0);
    let full = started.elapsed();

    // Inside the swap, at the instants a timed kill rarely hits.
    for (point, new_run_in_place) in [("staged", false), ("exchanged", true), ("trashing", true)] {
        let before = summary_inode(&run_dir);
        let status = spawn_evaluate(dir.path(), Some(point)).wait().unwrap();
        assert!(!status.success(), "{point}: the process should have died");
        assert_complete(&run_dir, point);
        assert_eq!(summary_inode(&run_dir) != before, new_run_in_place, "{point}");
        assert_ne!(hidden(dir.path()), vec![".run.lock"], "{point}: a dead process leaves its staging or trash folder");
        let output = evaluate(dir.path(), "run", &[]);
        assert_eq!(output.code, 0, "{point}: the next run fails: {}", output.stderr);
        assert_complete(&run_dir, point);
        assert_eq!(hidden(dir.path()), vec![".run.lock"], "{point}: the next run cleans up");
    }

    // Killed at moments spread over a whole run, from start-up to the swap.
    const KILLS: u32 = 24;
    for kill in 0..KILLS {
        let mut child = spawn_evaluate(dir.path(), None);
        std::thread::sleep(full.mul_f64(f64::from(kill) / f64::from(KILLS)) + Duration::from_millis(u64::from(kill % 3) * 7));
        let _ = child.kill();
        child.wait().unwrap();
        let moment = format!("kill {kill} at {}/{KILLS} of a run", kill);
        assert_complete(&run_dir, &moment);
        if kill % 4 == 3 {
            let output = evaluate(dir.path(), "run", &[]);
            assert_eq!(output.code, 0, "{moment}: the next run fails: {}", output.stderr);
            assert_eq!(hidden(dir.path()), vec![".run.lock"], "{moment}");
        }
    }
    let output = evaluate(dir.path(), "run", &[]);
    assert_eq!(output.code, 0, "{}", output.stderr);
    assert_complete(&run_dir, "after the kills");
    assert_eq!(hidden(dir.path()), vec![".run.lock"]);
}

#[test]
fn two_runs_at_once_on_one_out_never_corrupt_it() {
    let dir = with_export();
    let children: Vec<_> = (0..3).map(|_| spawn_evaluate(dir.path(), None)).collect();
    let codes: Vec<i32> = children.into_iter().map(|mut child| child.wait().unwrap().code().unwrap_or(-1)).collect();
    assert!(codes.iter().all(|code| *code == 0 || *code == 2), "{codes:?}");
    assert!(codes.contains(&0), "{codes:?}");
    assert_complete(&dir.path().join("run"), "after concurrent runs");
    assert_eq!(hidden(dir.path()), vec![".run.lock"]);
}

/// A finished Q3 run in `q3`, with its summary edited as `edit` says.
fn previous_run(dir: &Path, name: &str, edit: impl Fn(&mut serde_json::Value)) {
    assert_eq!(evaluate(dir, name, &[]).code, 0);
    let path = dir.join(name).join("summary.json");
    let mut summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut summary);
    std::fs::write(&path, serde_json::to_string_pretty(&summary).unwrap()).unwrap();
}

#[test]
fn a_previous_run_that_cannot_be_chained_stops_the_run() {
    let dir = with_export();
    let output = evaluate(dir.path(), "run", &["--previous", "reports/2026Q2"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: previous run reports/2026Q2: does not exist; without it neither previous tiers nor standing bans would be carried"
    );
    std::fs::create_dir(dir.path().join("notes")).unwrap();
    let output = evaluate(dir.path(), "run", &["--previous", "notes"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: previous run notes: holds no readable summary.json (No such file or directory (os error 2)): it is not a traincredit run folder"
    );

    previous_run(dir.path(), "same", |_| {});
    let output = evaluate(dir.path(), "run", &["--previous", "same"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(error_line(&output), "error: previous run same: is for 2026Q3, not a quarter before 2026Q3");

    previous_run(dir.path(), "newer", |s| s["run_format"] = 99.into());
    let output = evaluate(dir.path(), "run", &["--previous", "newer"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: previous run newer: was written by a newer engine (traincredit 0.1.0, run format 99; this engine reads run format 2 and older): use that engine or a newer one"
    );

    previous_run(dir.path(), "old", |s| {
        s.as_object_mut().unwrap().remove("key_fingerprint");
    });
    let output = evaluate(dir.path(), "run", &["--previous", "old"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert_eq!(
        error_line(&output),
        "error: previous run old: records no key fingerprint (written by traincredit 0.1.0), so nobody can tell that its pseudonyms match this run's: evaluate that quarter again with this engine"
    );

    // Written under the demo key; this run uses another.
    previous_run(dir.path(), "q2", |s| s["quarter"] = "2026Q2".into());
    std::fs::write(dir.path().join("key.txt"), "another key, long enough to be used").unwrap();
    let output = run(dir.path(), &["evaluate", "--data", "export", "--quarter", "2026Q3", "--out", "run", "--key-file", "key.txt", "--previous", "q2"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(output.stderr.starts_with("error: previous run q2: was written under another pseudonymisation key (fingerprint "), "{}", output.stderr);
    assert!(output.stderr.contains("its pseudonyms would match nothing here; use the key it was written with"), "{}", output.stderr);
    assert!(!dir.path().join("run").exists());

    // The same key and an earlier quarter: chained.
    let output = evaluate(dir.path(), "run", &["--previous", "q2"]);
    assert_eq!(output.code, 0, "{}", output.stderr);
}

#[test]
fn sample_refuses_a_folder_it_did_not_write() {
    let dir = temp_dir();
    Fixture::clean().write(&dir.path().join("real-export"));
    let before = snapshot(&dir.path().join("real-export"));
    let output = run(dir.path(), &["sample", "--out", "real-export"]);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(
        error_line(&output).starts_with("error: output folder real-export: holds assessments.parquet, attendance.parquet, claim_lines.parquet, claims.parquet, classes.parquet and 3 more, which a traincredit sample did not write"),
        "{}",
        output.stderr
    );
    assert_eq!(snapshot(&dir.path().join("real-export")), before);
}

/// A small tmpfs mounted for a test and unmounted however the test ends.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Bytes a folder takes on a tmpfs: whole 4 KiB pages per file and folder.
fn pages(folder: &Path) -> u64 {
    let mut total = 4096;
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        total += if path.is_dir() { pages(&path) } else { std::fs::metadata(&path).unwrap().len().div_ceil(4096) * 4096 };
    }
    total
}

#[test]
fn a_disk_that_fills_up_while_writing_leaves_the_previous_run_whole() {
    let dir = with_export();
    assert_eq!(evaluate(dir.path(), "probe", &[]).code, 0);
    // Room for one run and a half: the second run's staging folder cannot fit beside the first.
    let size = pages(&dir.path().join("probe")) * 3 / 2;
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}")]).arg("tmpfs").arg(&disk).output();
    if !mounted.as_ref().is_ok_and(|output| output.status.success()) {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root): {mounted:?}");
        return;
    }
    let _unmount = Mounted(disk.clone());
    let output = evaluate(dir.path(), "disk/run", &[]);
    assert_eq!(output.code, 0, "the first run fits: {}", output.stderr);
    let before = snapshot(&disk.join("run"));
    let output = evaluate(dir.path(), "disk/run", &[]);
    assert_eq!(output.code, 1, "{}", output.stderr);
    assert!(output.stderr.contains("No space left on device"), "{}", output.stderr);
    assert_eq!(snapshot(&disk.join("run")), before, "the previous run is untouched");
    assert_eq!(hidden(&disk), vec![".run.lock"], "the failed run's staging folder is gone");
}
