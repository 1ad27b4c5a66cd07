//! The `steward` command. Parses arguments, calls the library, prints the
//! error chain, and maps the result to an exit code: 0 success (or clean),
//! 1 findings, 2 error. A closed pipe counts as success.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = steward_cli::Cli::parse();
    match steward_cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            #[allow(clippy::print_stderr)]
            {
                eprintln!("error: {err}");
                for cause in err.chain().skip(1) {
                    eprintln!("  caused by: {cause}");
                }
            }
            ExitCode::from(2)
        }
    }
}
