//! `steward watch`: follow access logs as they grow and detect as events
//! arrive, checkpointing to the state database so a restart loses no alert
//! and repeats none.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use anyhow::Context;
use steward_hunt::output;
use steward_hunt::watch::{WatchOptions, watch};
use steward_hunt::{AlertChange, Change};

use crate::commands::hunt::{Format, Inputs};
use crate::state;

/// Options of `steward watch`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// What to follow.
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Append alert changes to this file, exactly once across restarts
    /// (jsonl or ocsf).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Name of this watch's checkpoint in the state database.
    #[arg(long, default_value = "watch")]
    pub name: String,
    /// Checkpoint after this many events.
    #[arg(long, default_value_t = 100_000, value_name = "N")]
    pub checkpoint_events: u64,
    /// Checkpoint at least this often, in milliseconds.
    #[arg(long, default_value_t = 2_000, value_name = "MS")]
    pub checkpoint_ms: u64,
    /// A log with no new data for this long counts as caught up, in
    /// milliseconds.
    #[arg(long, default_value_t = 1_000, value_name = "MS")]
    pub idle_ms: u64,
    /// Exit once every log is caught up and nothing new arrived: settle
    /// every pending decision and close every alert.
    #[arg(long)]
    pub exit_when_idle: bool,
    /// Show IP addresses unmasked. They are personal data.
    #[arg(long)]
    pub show_raw: bool,
}

pub fn run(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<u8> {
    let setup = args.inputs.setup()?;
    let format = args.format.machine();
    if args.output.is_some() && format.is_none() {
        anyhow::bail!("--output needs --format jsonl or --format ocsf");
    }
    let mut store = state::open(state_path)?;
    let stop = Arc::new(AtomicBool::new(false));
    let options = WatchOptions {
        name: args.name.clone(),
        checkpoint_events: args.checkpoint_events.max(1),
        checkpoint_every: Duration::from_millis(args.checkpoint_ms),
        idle: Duration::from_millis(args.idle_ms.max(10)),
        poll: Duration::from_millis(args.idle_ms.clamp(10, 250)),
        exit_when_idle: args.exit_when_idle,
        merge: args.inputs.merge(),
        output: args.output.clone().zip(format),
        raw: args.show_raw,
        stop: Some(stop),
    };
    let to_stdout = args.output.is_none();
    let raw = args.show_raw;
    let mut alerts = 0u64;
    let mut each = |c: &AlertChange| {
        if c.change == Change::Opened {
            alerts += 1;
        }
        if !to_stdout {
            return;
        }
        let mut out = std::io::stdout().lock();
        let text = match format {
            Some(f) => output::line(c, f, raw),
            None => format!(
                "{:<7} {:<9} {}  {}  {}",
                match c.change {
                    Change::Opened => "opened",
                    Change::Closed => "closed",
                },
                c.alert.severity.as_str(),
                steward_model::time::rfc3339_millis(c.alert.detected_at_ms),
                c.alert.title,
                output::mask_actor(&c.alert.key, raw)
            ),
        };
        let _ = writeln!(out, "{text}");
        let _ = out.flush();
    };
    let report =
        watch(&setup, &mut store, &options, &mut each, &state::now).context("watch stopped")?;
    if !quiet {
        eprintln!(
            "{} event(s) this run ({} since the watch began{}), {} checkpoint(s), {} record(s) skipped, {} alert(s) opened",
            report.events,
            report.total_events,
            if report.resumed { ", resumed" } else { "" },
            report.checkpoints,
            report.record_errors,
            alerts
        );
    }
    Ok(0)
}
