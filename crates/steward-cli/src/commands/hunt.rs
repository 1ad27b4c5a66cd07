//! `steward hunt`: replay access logs through the Sigma rule pack and the
//! native detectors; print incidents and alerts, write them as JSON Lines or
//! OCSF, and keep them in the state database for `impact`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use steward_detect::EventRole;
use steward_hunt::output::{self, Format as OutFormat};
use steward_hunt::run::{Reading, RunReport};
use steward_hunt::{Alert, AlertChange, Change, HuntError, Incident, InputSpec, Setup};
use steward_logs::MergeOptions;
use steward_store::StateStore;

use crate::state;

/// Output formats of `hunt` and `watch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terminal: a summary of incidents and alerts (`hunt`), a line per
    /// alert change (`watch`).
    Table,
    /// One JSON object per alert change (opened, closed).
    Jsonl,
    /// One OCSF 1.3 Detection Finding (class 2004) per alert change.
    Ocsf,
}

impl Format {
    /// The machine-readable format, `None` for the terminal.
    pub const fn machine(self) -> Option<OutFormat> {
        match self {
            Self::Table => None,
            Self::Jsonl => Some(OutFormat::Jsonl),
            Self::Ocsf => Some(OutFormat::Ocsf),
        }
    }
}

/// What to read and with which rules; shared by `hunt` and `watch`.
#[derive(Debug, Clone, clap::Args)]
pub struct Inputs {
    /// An access log as MAPPING=PATH (a built-in mapping name or a mapping
    /// file); repeatable.
    #[arg(long = "log", value_name = "MAPPING=PATH")]
    pub logs: Vec<String>,
    /// A token-issuance log as MAPPING=PATH, joined with the access logs to
    /// find forged tokens; repeatable.
    #[arg(long = "issuance", value_name = "MAPPING=PATH")]
    pub issuance: Vec<String>,
    /// A platform made by `steward generate`: its manifest, gateway log and
    /// issuance log.
    #[arg(long, value_name = "DIR")]
    pub platform: Option<PathBuf>,
    /// Platform manifest: signing keys and the HR roster.
    #[arg(long, value_name = "FILE")]
    pub manifest: Option<PathBuf>,
    /// Sigma rule files or folders, added to the built-in pack.
    #[arg(long, value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Leave the built-in rule pack out.
    #[arg(long)]
    pub no_builtin_rules: bool,
    /// Disorder tolerated within one log, in seconds.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub slack: u32,
}

impl Inputs {
    /// The setup these arguments describe.
    pub fn setup(&self) -> anyhow::Result<Setup> {
        let mut setup = match &self.platform {
            Some(dir) => Setup::platform(dir),
            None => Setup::default(),
        };
        for l in &self.logs {
            setup.inputs.push(InputSpec::parse(l, EventRole::Access)?);
        }
        for l in &self.issuance {
            setup.inputs.push(InputSpec::parse(l, EventRole::Issuance)?);
        }
        if setup.inputs.is_empty() {
            anyhow::bail!(
                "nothing to read: give --log MAPPING=PATH, --issuance MAPPING=PATH or --platform DIR"
            );
        }
        if let Some(m) = &self.manifest {
            setup.manifest = Some(m.clone());
        }
        setup.rules.clone_from(&self.rules);
        setup.no_builtin_rules = self.no_builtin_rules;
        Ok(setup)
    }

    /// Merge settings.
    pub fn merge(&self) -> MergeOptions {
        MergeOptions {
            slack_ms: i64::from(self.slack) * 1000,
            ..MergeOptions::default()
        }
    }
}

/// Options of `steward hunt`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// What to read.
    #[command(flatten)]
    pub inputs: Inputs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write alert changes to a file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show IP addresses unmasked. They are personal data.
    #[arg(long)]
    pub show_raw: bool,
    /// Do not record alerts in the state database.
    #[arg(long)]
    pub no_state: bool,
    /// A generated platform's folder: compare the alerts with its ground
    /// truth (when each attack was first detected; alerts tied to no attack
    /// per rule and per million benign events).
    #[arg(long, value_name = "DIR")]
    pub truth: Option<PathBuf>,
    /// Threads: 1 reads, parses and maps the logs on the thread that
    /// detects; 2 gives reading a thread of its own (the same alerts).
    /// Default: 2 when this process may run on two cores or more.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=2))]
    pub threads: Option<u8>,
}

impl Args {
    /// How to read, from `--threads` or the machine.
    #[must_use]
    pub fn reading(&self) -> Reading {
        match self.threads {
            Some(1) => Reading::Inline,
            Some(_) => Reading::Ahead,
            None => Reading::for_this_machine(),
        }
    }
}

/// What a hunt found.
pub struct Outcome {
    /// Final alerts.
    pub alerts: Vec<Alert>,
    /// Incidents as they ended.
    pub incidents: Vec<Incident>,
    /// What was read.
    pub report: RunReport,
    /// Seconds.
    pub seconds: f64,
}

/// Runs the detection; alert changes also go to `each`.
pub fn hunt(
    setup: &Setup,
    merge: MergeOptions,
    reading: Reading,
    quiet: bool,
    each: &mut dyn FnMut(&AlertChange) -> Result<(), HuntError>,
) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let built = setup.build().context("cannot load the detection setup")?;
    for w in &built.warnings {
        eprintln!("warning: {w}");
    }
    let mut pipeline = built.pipeline;
    let mut sources = Vec::new();
    let mut total = 0u64;
    for spec in &setup.inputs {
        total += std::fs::metadata(&spec.path).map(|m| m.len()).unwrap_or(0);
        sources.push(spec.open()?);
    }
    let bar = crate::progress::bytes_bar(total, quiet, "hunting");
    let mut alerts = Vec::new();
    let mut on_change = |c: &AlertChange| -> Result<(), HuntError> {
        if c.change == Change::Closed {
            alerts.push(c.alert.clone());
        }
        each(c)
    };
    let report = steward_hunt::run::hunt(
        &mut pipeline,
        sources,
        merge,
        reading,
        &mut on_change,
        &mut |b| {
            bar.set_position(b);
        },
    )?;
    bar.finish_and_clear();
    let incidents = pipeline.take_incidents();
    Ok(Outcome {
        alerts,
        incidents,
        report,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Saves alerts and incidents of a run.
pub fn record(store: &mut dyn StateStore, outcome: &Outcome) -> anyhow::Result<usize> {
    let at = state::now();
    let incidents: Vec<_> = outcome.incidents.iter().map(|i| i.record(&at)).collect();
    let alerts: Vec<_> = outcome.alerts.iter().map(|a| a.record(&at)).collect();
    Ok(store.commit_detections(&alerts, &incidents, None)?)
}

/// How one planted attack was detected.
#[derive(Debug, Default)]
pub struct AttackEval {
    /// Its first event, epoch ms.
    pub first_event_ms: Option<i64>,
    /// When the first alert tied to it was raised (event time), epoch ms.
    pub detected_ms: Option<i64>,
    /// That alert's title.
    pub by: String,
    /// Alerts tied to it.
    pub alerts: u64,
}

/// Alerts of one rule against the ground truth.
#[derive(Debug, Default)]
pub struct RuleEval {
    /// Alerts.
    pub alerts: u64,
    /// Alerts whose sample events include none of a planted attack.
    pub false_alerts: u64,
}

/// Alerts compared with a generated platform's ground truth.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// Per attack.
    pub attacks: std::collections::BTreeMap<String, AttackEval>,
    /// Per rule.
    pub rules: std::collections::BTreeMap<String, RuleEval>,
    /// Events that belong to no attack.
    pub benign_events: u64,
}

/// The detector of keys whose custodian left (a standing condition).
const KEY_HYGIENE_RULE: &str = "steward.departed-custodian-key";

/// Compares a hunt's alerts with the ground truth under `platform/truth`.
pub fn evaluate(outcome: &Outcome, platform: &Path) -> anyhow::Result<Evaluation> {
    let path = platform.join("truth/attack_events.jsonl.zst");
    let bytes =
        std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = zstd::decode_all(bytes.as_slice())?;
    let mut truth = std::collections::HashMap::new();
    for line in text.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_slice(line)?;
        if let (Some(id), Some(a)) = (
            v.get("event_id").and_then(|x| x.as_str()),
            v.get("attack").and_then(|x| x.as_str()),
        ) {
            truth.insert(id.to_owned(), a.to_owned());
        }
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(platform.join("truth/summary.json"))?)?;
    let mut eval = Evaluation {
        benign_events: outcome.report.events.saturating_sub(truth.len() as u64),
        ..Evaluation::default()
    };
    if let Some(attacks) = summary.get("attacks").and_then(|a| a.as_object()) {
        for (name, a) in attacks {
            eval.attacks.insert(
                name.clone(),
                AttackEval {
                    first_event_ms: a
                        .get("first_event")
                        .and_then(|t| t.as_str())
                        .and_then(|t| steward_model::time::parse_rfc3339_millis(t).ok()),
                    ..AttackEval::default()
                },
            );
        }
    }
    for a in &outcome.alerts {
        let tied: std::collections::BTreeSet<&str> = a
            .sample_event_ids
            .iter()
            .filter_map(|id| truth.get(id).map(String::as_str))
            .collect();
        let rule = eval.rules.entry(a.rule_id.clone()).or_default();
        rule.alerts += 1;
        // A key still used after its custodian left is the platform's
        // planted key-hygiene failure, true on every use of the key, not an
        // attack's events.
        if tied.is_empty() && a.rule_id != KEY_HYGIENE_RULE {
            rule.false_alerts += 1;
        }
        for name in tied {
            let e = eval.attacks.entry(name.to_owned()).or_default();
            e.alerts += 1;
            if e.detected_ms.is_none_or(|d| a.detected_at_ms < d) {
                e.detected_ms = Some(a.detected_at_ms);
                e.by.clone_from(&a.title);
            }
        }
    }
    Ok(eval)
}

fn print_evaluation(eval: &Evaluation, outcome: &Outcome) {
    let titles: std::collections::BTreeMap<&str, &str> = outcome
        .alerts
        .iter()
        .map(|a| (a.rule_id.as_str(), a.title.as_str()))
        .collect();
    eprintln!("against the ground truth:");
    for (name, a) in &eval.attacks {
        match (a.detected_ms, a.first_event_ms) {
            (Some(at), Some(start)) => eprintln!(
                "  {name:<9} detected {:>7.1} min after its first event, {} alert(s); first: {}",
                (at - start) as f64 / 60_000.0,
                a.alerts,
                a.by
            ),
            _ => eprintln!("  {name:<9} NOT detected"),
        }
    }
    let millions = eval.benign_events as f64 / 1e6;
    eprintln!(
        "  alerts tied to no attack, per rule ({} benign events; {KEY_HYGIENE_RULE} reports the planted departed custodian's key):",
        eval.benign_events
    );
    for (rule, r) in &eval.rules {
        eprintln!(
            "    {:>4} of {:>4}  {:.2} per million  {} ({rule})",
            r.false_alerts,
            r.alerts,
            r.false_alerts as f64 / millions.max(1e-9),
            titles.get(rule.as_str()).copied().unwrap_or_default()
        );
    }
}

/// Prints what each source read and skipped.
pub fn print_sources(report: &RunReport) {
    for s in &report.sources {
        let c = &s.counters;
        if c.errors() > 0 {
            eprintln!(
                "{}: {} event(s), {} record(s) skipped",
                s.source,
                c.events,
                c.errors()
            );
            for e in &s.examples {
                eprintln!("  {e}");
            }
        }
    }
}

pub fn run(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<u8> {
    let setup = args.inputs.setup()?;
    let format = args.format.machine();
    let mut sink: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create `{}`", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let raw = args.show_raw;
    let mut each = |c: &AlertChange| -> Result<(), HuntError> {
        if let Some(f) = format {
            writeln!(sink, "{}", output::line(c, f, raw)).map_err(|source| HuntError::Write {
                what: "alerts".into(),
                source,
            })?;
        }
        Ok(())
    };
    let outcome = hunt(
        &setup,
        args.inputs.merge(),
        args.reading(),
        quiet,
        &mut each,
    )?;
    let text = output::summary(&outcome.incidents, &outcome.alerts, raw);
    if format.is_none() {
        sink.write_all(text.as_bytes())?;
    }
    sink.flush()?;
    drop(sink);
    print_sources(&outcome.report);
    if let Some(dir) = &args.truth {
        print_evaluation(&evaluate(&outcome, dir)?, &outcome);
    }
    if !args.no_state {
        let mut store = state::open(state_path)?;
        let run = store.begin_run("hunt", &state::now())?;
        let new = record(&mut store, &outcome)?;
        store.finish_run(
            run,
            "ok",
            &state::now(),
            Some(&serde_json::json!({
                "events": outcome.report.events,
                "alerts": outcome.alerts.len(),
                "new_alerts": new,
                "incidents": outcome.incidents.len(),
            })),
        )?;
    }
    if !quiet {
        eprintln!(
            "{} event(s) in {:.1} s ({:.0} events/s), {} record(s) skipped, {} alert(s) in {} incident(s)",
            outcome.report.events,
            outcome.seconds,
            outcome.report.events as f64 / outcome.seconds.max(1e-9),
            outcome.report.record_errors,
            outcome.alerts.len(),
            outcome.incidents.len()
        );
    }
    Ok(u8::from(!outcome.alerts.is_empty()))
}
