//! `steward check`: evaluate the policy packs (and the user's Rego rules)
//! over the manifest, the scan inventory in the state database and the HR
//! roster; report violations with their reasons.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use steward_policy::{CheckInput, Found, PolicySet};
use steward_report::check::{self as out, CheckRun};
use steward_store::StateStore;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table: rule, resource, message.
    Table,
    /// One JSON document with every decision's facts, citation and fix.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// Options of `steward check`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The platform manifest.
    #[arg(long, short, default_value = "manifest.yaml", value_name = "PATH")]
    pub manifest: PathBuf,
    /// Do not read the scan inventory from the state database (rules on
    /// scanned data then see nothing).
    #[arg(long)]
    pub no_state: bool,
    /// A folder of your own `.rego` rules, evaluated with the packs
    /// (repeatable).
    #[arg(long, value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// A JSON object merged into the rules' data, such as
    /// `{"lists": {"in_restricted": ["XX"]}}` (repeatable).
    #[arg(long, value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Leave out the built-in packs (only `--policy` rules run).
    #[arg(long)]
    pub no_builtin: bool,
    /// The day to judge dates against (key ages, departures), YYYY-MM-DD;
    /// today by default.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<jiff::civil::Date>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to a file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// List the rules and exit.
    #[arg(long)]
    pub list_rules: bool,
}

impl Args {
    /// Options for checking `manifest` with every default.
    #[must_use]
    pub fn defaults(manifest: PathBuf) -> Self {
        Self {
            manifest,
            no_state: false,
            policy: Vec::new(),
            data: Vec::new(),
            no_builtin: false,
            as_of: None,
            format: Format::Table,
            output: None,
            list_rules: false,
        }
    }
}

/// The rules the options ask for.
fn rules(args: &Args) -> anyhow::Result<PolicySet> {
    let mut set = if args.no_builtin {
        PolicySet::empty()
    } else {
        PolicySet::builtin()?
    };
    for dir in &args.policy {
        set.add_dir(dir)?;
    }
    for file in &args.data {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read `{}`", file.display()))?;
        set.add_data(&file.display().to_string(), &text)?;
    }
    Ok(set)
}

/// The scan inventory, or nothing when there is no state database.
fn inventory(state_path: &Path) -> anyhow::Result<Vec<Found>> {
    if !state_path.exists() {
        return Ok(Vec::new());
    }
    let store = crate::state::open(state_path)?;
    Ok(store
        .inventory()?
        .into_iter()
        .map(|r| Found {
            dataset: r.dataset_id,
            location: r.location,
            category: r.category,
            detector: r.detector,
            jurisdiction: r.jurisdiction,
            count: r.value_count,
        })
        .collect())
}

/// What a check found, for `demo` and tests.
pub struct Outcome {
    /// Rules evaluated.
    pub rules: Vec<steward_policy::RuleInfo>,
    /// Violations.
    pub decisions: Vec<steward_policy::Decision>,
    /// The evaluation date.
    pub as_of: jiff::civil::Date,
}

/// Runs the check without printing.
pub fn evaluate(args: &Args, state_path: &Path) -> anyhow::Result<Outcome> {
    let mut set = rules(args)?;
    let loaded = steward_policy::load::load_manifest(&args.manifest)?;
    steward_policy::validate(&loaded.manifest, &loaded.path, &loaded.lines)?;
    let root = args
        .manifest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let roster = match &loaded.manifest.hr_roster {
        Some(rel) => Some(steward_policy::load::load_roster(&root.join(rel))?),
        None => None,
    };
    let found = if args.no_state {
        Vec::new()
    } else {
        inventory(state_path)?
    };
    let as_of = args.as_of.unwrap_or_else(|| {
        jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .date()
    });
    let input = CheckInput {
        manifest: &loaded.manifest,
        root,
        found: &found,
        roster: roster.as_deref(),
        as_of,
    };
    let decisions = steward_policy::check(&mut set, &input, &loaded.lines)?;
    Ok(Outcome {
        rules: set.rules()?,
        decisions,
        as_of,
    })
}

/// Runs `steward check`; 1 when there are violations.
pub fn run(args: &Args, state_path: &Path, _quiet: bool) -> anyhow::Result<u8> {
    if args.list_rules {
        let mut set = rules(args)?;
        let mut w = std::io::stdout().lock();
        for r in set.rules()? {
            writeln!(w, "{:<28} {:<10} {}", r.id, r.pack, r.title)?;
        }
        return Ok(0);
    }
    let outcome = evaluate(args, state_path)?;
    let manifest = args.manifest.display().to_string();
    let run = CheckRun {
        manifest: &manifest,
        as_of: outcome.as_of.to_string(),
        rules: &outcome.rules,
        decisions: &outcome.decisions,
    };
    let mut sink: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write `{}`", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        Format::Table => out::write_terminal(&mut sink, &run)?,
        Format::Json => out::write_json(&mut sink, &run)?,
        Format::Sarif => out::write_sarif(&mut sink, &run)?,
    }
    sink.flush()?;
    Ok(u8::from(!outcome.decisions.is_empty()))
}
