//! The `traincredit` binary: parses the command line, runs one command, and turns errors into
//! exit codes. Everything else lives in the library.

use clap::Parser;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let arguments = cli::Arguments::parse();
    cli::init_logging(arguments.verbose);
    match cli::run(arguments) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(cli::exit_code(&error))
        }
    }
}
