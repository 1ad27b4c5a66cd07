//! `steward notify`: the notification duties an incident triggers, with
//! deadlines in each regulator's time zone; writes the HTML, Markdown and
//! JSON reports, the lists of people to notify and notice drafts.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use jiff::Timestamp;
use steward_model::impact::{AffectedPerson, ImpactSummary};
use steward_notify::write::{self, Report, when};
use steward_notify::{Evaluation, IncidentFacts, Library, Who, evaluate};
use steward_store::StateStore;

use crate::state;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terminal table of duties, overdue first.
    Table,
    /// The JSON document (`duties.json`).
    Json,
    /// The Markdown report (`report.md`).
    Markdown,
}

/// Options of `steward notify`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Impact summary as written by `steward impact --format json`.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "impact_id",
        required_unless_present = "impact_id"
    )]
    pub impact: Option<PathBuf>,
    /// An impact result kept in the state database.
    #[arg(long, value_name = "ID")]
    pub impact_id: Option<String>,
    /// Affected people, one JSON object per line (id, kind, country,
    /// subdivision, basis, categories, channel, contact).
    #[arg(long, value_name = "FILE")]
    pub people: Option<PathBuf>,
    /// Incident facts (YAML or JSON): clock times, cause, harm, SEC
    /// registrant, establishment, notices already given, notice text.
    #[arg(long, value_name = "FILE")]
    pub facts: Option<PathBuf>,
    /// When the company became aware (RFC 3339); overrides the facts file.
    #[arg(long, value_name = "TS")]
    pub aware_at: Option<Timestamp>,
    /// When the incident was determined material (RFC 3339).
    #[arg(long, value_name = "TS")]
    pub materiality_at: Option<Timestamp>,
    /// Judge deadlines at this time instead of the current time.
    #[arg(long, value_name = "TS")]
    pub now: Option<Timestamp>,
    /// A folder of regime files (and `calendars/`) added to the built-in
    /// set; a file with a built-in id replaces it.
    #[arg(long, value_name = "DIR")]
    pub regimes: Option<PathBuf>,
    /// Report title.
    #[arg(long)]
    pub title: Option<String>,
    /// Output format on standard output.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write report.html, report.md, duties.json, `notify/<regime>.csv` and
    /// `drafts/<regime>.{ko,en}.md` here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write contacts unmasked in the notice lists. They are personal data.
    #[arg(long)]
    pub show_raw: bool,
}

/// Runs `steward notify`; exit code 1 when a deadline was missed or a
/// notice was late.
pub fn run(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<u8> {
    let ev = evaluate_to(args, state_path, quiet, &mut std::io::stdout().lock())?;
    Ok(u8::from(ev.any_overdue()))
}

/// Runs `notify`, writing its terminal output to `stdout`; returns the
/// evaluation (for `demo`).
///
/// # Errors
/// Unreadable inputs, unknown regimes or facts, unwritable outputs.
pub fn evaluate_to(
    args: &Args,
    state_path: &Path,
    quiet: bool,
    stdout: &mut impl Write,
) -> anyhow::Result<Evaluation> {
    let (summary, incident) = load_summary(args, state_path)?;
    let facts = load_facts(args)?;
    let mut library = Library::builtin().context("the built-in regimes do not load")?;
    if let Some(dir) = &args.regimes {
        library.overlay_dir(dir)?;
    }
    let people = match &args.people {
        Some(p) => {
            let f =
                std::fs::File::open(p).with_context(|| format!("cannot open `{}`", p.display()))?;
            steward_notify::people::read_jsonl(
                &p.display().to_string(),
                std::io::BufReader::new(f),
            )?
        }
        None => Vec::new(),
    };
    let ev = evaluate(&library, &summary, &facts);
    let report = Report {
        incident: incident.as_deref(),
        title: args.title.as_deref(),
        summary: &summary,
        evaluation: &ev,
    };
    match args.format {
        Format::Table => table(stdout, &ev)?,
        Format::Json => writeln!(stdout, "{}", write::json::render(&report))?,
        Format::Markdown => write!(stdout, "{}", write::markdown::render(&report))?,
    }
    if let Some(dir) = &args.out {
        let written = write_out(dir, &library, &report, &facts, &people, args)?;
        if !quiet {
            eprintln!("wrote {written} files to {}", dir.display());
        }
    }
    Ok(ev)
}

fn load_summary(args: &Args, state_path: &Path) -> anyhow::Result<(ImpactSummary, Option<String>)> {
    if let Some(path) = &args.impact {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let summary = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}:{}: not an impact summary: {}",
                path.display(),
                e.line(),
                e.column(),
                e
            )
        })?;
        return Ok((summary, None));
    }
    let id = args.impact_id.as_deref().unwrap_or_default();
    let store = state::open(state_path)?;
    let record = store
        .impact(id)?
        .with_context(|| format!("no impact result `{id}` in `{}`", state_path.display()))?;
    let summary = serde_json::from_value(record.summary)
        .with_context(|| format!("impact result `{id}` does not hold a summary"))?;
    Ok((summary, record.incident_id.or(Some(record.id))))
}

fn load_facts(args: &Args) -> anyhow::Result<IncidentFacts> {
    let mut facts = match &args.facts {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read `{}`", p.display()))?;
            IncidentFacts::parse(&p.display().to_string(), &text)?
        }
        None => IncidentFacts::default(),
    };
    if args.aware_at.is_some() {
        facts.awareness_at = args.aware_at;
    }
    if args.materiality_at.is_some() {
        facts.materiality_determined_at = args.materiality_at;
    }
    facts.now = args.now.or(facts.now).or_else(|| Some(Timestamp::now()));
    Ok(facts)
}

fn table(out: &mut impl Write, ev: &Evaluation) -> anyhow::Result<()> {
    if ev.duties.is_empty() {
        writeln!(
            out,
            "No notification duty from {} regimes.",
            ev.regimes_considered
        )?;
    }
    let rows: Vec<[String; 5]> = ev
        .duties
        .iter()
        .map(|d| {
            [
                d.status.label().to_owned(),
                d.deadline.as_ref().map_or_else(|| d.rule.clone(), when),
                d.regime.clone(),
                if d.recipient == d.who.label() {
                    d.recipient.clone()
                } else {
                    format!("{} ({})", d.recipient, d.who.label())
                },
                d.people.to_string(),
            ]
        })
        .collect();
    let head = ["STATUS", "DEADLINE", "REGIME", "RECIPIENT", "PEOPLE"];
    let mut widths = head.map(str::len);
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(c.chars().count()).min(60);
        }
    }
    let line = |cells: [&str; 5]| {
        let mut s = String::new();
        for (i, (c, w)) in cells.iter().zip(widths.iter()).enumerate() {
            let c: String = c.chars().take(*w).collect();
            if i + 1 == cells.len() {
                s.push_str(&c);
            } else {
                s.push_str(&format!("{c:<w$}  "));
            }
        }
        s
    };
    if !rows.is_empty() {
        writeln!(out, "{}", line(head))?;
        for r in &rows {
            writeln!(out, "{}", line([&r[0], &r[1], &r[2], &r[3], &r[4]]))?;
        }
    }
    let overdue = ev.duties.iter().filter(|d| d.status.is_overdue()).count();
    writeln!(
        out,
        "\n{} duties, {overdue} overdue; {} notices considered and not triggered (see --format markdown).",
        ev.duties.len(),
        ev.not_triggered.len()
    )?;
    Ok(())
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))
}

fn write_out(
    dir: &Path,
    library: &Library,
    report: &Report<'_>,
    facts: &IncidentFacts,
    people: &[AffectedPerson],
    args: &Args,
) -> anyhow::Result<usize> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    write_file(
        &dir.join("report.html"),
        &steward_report::impact::render(report),
    )?;
    write_file(&dir.join("report.md"), &write::markdown::render(report))?;
    write_file(&dir.join("duties.json"), &write::json::render(report))?;
    let mut n = 3;
    let mut done = BTreeSet::new();
    for d in &report.evaluation.duties {
        if d.who != Who::Individuals || !done.insert(d.regime.clone()) {
            continue;
        }
        let Some(regime) = library.regime(&d.regime) else {
            continue;
        };
        let drafts_dir = dir.join("drafts");
        std::fs::create_dir_all(&drafts_dir)?;
        let drafts = write::drafts::render(regime, d, report.summary, facts);
        write_file(&drafts_dir.join(format!("{}.ko.md", d.regime)), &drafts.ko)?;
        write_file(&drafts_dir.join(format!("{}.en.md", d.regime)), &drafts.en)?;
        n += 2;
        if args.people.is_some() {
            let notify_dir = dir.join("notify");
            std::fs::create_dir_all(&notify_dir)?;
            let path = notify_dir.join(format!("{}.csv", d.regime));
            let f = std::fs::File::create(&path)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            write::csv::write(
                std::io::BufWriter::new(f),
                regime,
                d.everyone,
                people,
                args.show_raw,
            )?;
            n += 1;
        }
    }
    Ok(n)
}
