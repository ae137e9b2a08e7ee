//! The `traincredit` binary: parses the command line, runs one command, and turns errors into
//! exit codes. Everything else lives in the library.

use clap::Parser;
use std::process::ExitCode;

mod cli;

/// polars allocates and frees many large buffers from several threads; glibc's allocator keeps
/// freed arenas mapped, jemalloc hands them back (measured in benches/RESULTS.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

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
