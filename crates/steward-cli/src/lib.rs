//! The `steward` command line: one module per subcommand, callable in-process
//! by tests.
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod commands;
mod progress;
mod state;

use clap::{Parser, Subcommand};

/// steward keeps a cross-border platform's personal data from leaking
/// quietly, and tells it what it owes when it does.
#[derive(Debug, Parser)]
#[command(name = "steward", version, about, long_about = None)]
pub struct Cli {
    /// State database (SQLite file).
    #[arg(long, global = true, default_value = steward_store::DEFAULT_STATE_PATH, value_name = "FILE")]
    pub state: std::path::PathBuf,
    /// Hide progress bars.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the synthetic platform with its breach replay and ground truth.
    Generate(commands::generate::Args),
    /// Build a small synthetic platform and run every stage on it.
    Demo(commands::demo::Args),
    /// Find personal data and secrets in files and databases; update the
    /// data inventory. Exit code 0: nothing found, 1: findings, 2: error.
    Scan(commands::scan::Args),
    /// Replay access logs through Sigma rules and native detectors; report
    /// alerts grouped into incidents. Exit code 0: no alert, 1: alerts.
    Hunt(commands::hunt::Args),
    /// Follow access logs and detect as events arrive, checkpointing to the
    /// state database (restarts lose no alert and repeat none).
    Watch(commands::watch::Args),
    /// List the notification duties an incident triggers, with deadlines in
    /// each regulator's time zone; write reports, notice lists and drafts.
    /// Exit code 0: nothing overdue, 1: a deadline missed or a notice late.
    Notify(commands::notify::Args),
    /// Join the manifest and the scan inventory into the data map: what is
    /// stored in which country, whose it is, and every cross-border flow;
    /// as a summary, Mermaid, DOT, SVG, JSON or a ROPA (CSV, XLSX).
    Map(commands::map::Args),
    /// Evaluate policy packs (transfer and localisation, key hygiene, data
    /// hygiene, retention) and your Rego rules over the manifest, the scan
    /// inventory and the HR roster. Exit code 0: clean, 1: violations.
    Check(commands::check::Args),
    /// The people, data categories and jurisdictions an incident, alert or
    /// selector exposed, computed over the access logs (or SQL over them).
    Impact(Box<commands::impact::Args>),
}

/// Runs a parsed command line; returns the exit code.
///
/// # Errors
/// Whatever the command failed with.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Generate(args) => commands::generate::run(&args, &cli.state, cli.quiet),
        Command::Demo(args) => commands::demo::run(&args, &cli.state, cli.quiet),
        Command::Scan(args) => commands::scan::run(&args, &cli.state, cli.quiet),
        Command::Hunt(args) => commands::hunt::run(&args, &cli.state, cli.quiet),
        Command::Watch(args) => commands::watch::run(&args, &cli.state, cli.quiet),
        Command::Notify(args) => commands::notify::run(&args, &cli.state, cli.quiet),
        Command::Map(args) => commands::map::run(&args, &cli.state, cli.quiet),
        Command::Check(args) => commands::check::run(&args, &cli.state, cli.quiet),
        Command::Impact(args) => commands::impact::run(&args, &cli.state, cli.quiet),
    }
}
