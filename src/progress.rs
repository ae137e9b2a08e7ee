//! Progress of a run's stages on stderr: a spinner with the elapsed time while a stage runs
//! (only when stderr is a terminal), and one `tracing` line with rows and seconds when it ends,
//! so a bureau watching a province-sized run sees where the time goes.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

/// One running stage. Call [`Stage::done`] with what it produced.
pub struct Stage {
    name: &'static str,
    started: Instant,
    bar: ProgressBar,
}

impl Stage {
    pub fn start(name: &'static str) -> Stage {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template("{spinner} {msg} [{elapsed_precise}]").unwrap_or_else(|_| ProgressStyle::default_spinner()));
        bar.set_message(name);
        bar.enable_steady_tick(Duration::from_millis(200));
        Stage { name, started: Instant::now(), bar }
    }

    /// Ends the stage, logging how many rows it produced and how long it took.
    pub fn done(self, rows: usize) {
        self.bar.finish_and_clear();
        tracing::info!(stage = self.name, rows, seconds = format!("{:.2}", self.started.elapsed().as_secs_f64()), "done");
    }
}

/// The process's resident memory in MiB (Linux; `None` elsewhere), for debug lines: where a
/// large run's memory goes is read from them, next to the estimated size of what it holds.
pub fn resident_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kibibytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kibibytes / 1024)
}

/// Runs `work` and logs how long it took at debug level (`-v`), so a slow part of a stage
/// can be found without a profiler.
pub fn timed<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = work();
    tracing::debug!(seconds = started.elapsed().as_secs_f64(), resident_mib = resident_mib(), "{what}");
    result
}
