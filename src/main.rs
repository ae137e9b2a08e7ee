//! The `traincredit` binary: parses the command line, runs one command, and turns errors into
//! exit codes. Everything else lives in the library.

use clap::Parser;
use std::process::ExitCode;

mod cli;

/// polars allocates and frees many large buffers from several threads; glibc's allocator keeps
/// freed arenas mapped, jemalloc hands them back (measured in benches/RESULTS.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main`. By default freed pages are handed back lazily
/// (`MADV_FREE`, "muzzy"), and only while the same arena keeps allocating: the pages still count
/// as the process's memory, and a nation-sized run that frees a table's raw text stays gigabytes
/// above what it holds. A background thread purges on its own clock, straight to the system.
/// `_RJEM_MALLOC_CONF` in the environment still overrides these.
#[used]
#[export_name = "_rjem_malloc_conf"]
static JEMALLOC_OPTIONS: &[u8; 40] = b"background_thread:true,muzzy_decay_ms:0\0";

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    if let Some(threads) = arguments.threads {
        // Read once, when polars starts its thread pool: before any query runs.
        std::env::set_var("POLARS_MAX_THREADS", threads.max(1).to_string());
    }
    cli::init_logging(arguments.verbose);
    match cli::run(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(cli::exit_code(&error))
        }
    }
}
