//! `steward scan`: find personal data and secrets in files and databases,
//! print a summary or a machine-readable report, and update the data
//! inventory in the state database.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;
use indicatif::ProgressBar;
use steward_report::scan::{self as out, Summary};
use steward_scan::config::ScanConfig;
use steward_scan::engine::{Engine, EngineOptions};
use steward_scan::{Input, ScanOptions, Scanner, Sink, SourceReport, SourceStatus};
use steward_store::{InventoryRecord, ScannedFile, SqliteStore, StateStore};

use crate::state;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terminal summary.
    Text,
    /// One JSON document.
    Json,
    /// One finding per line.
    Jsonl,
    /// SARIF 2.1.0.
    Sarif,
    /// One finding per CSV row.
    Csv,
}

/// Options of `steward scan`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Files, directories or `postgres://` URLs to scan.
    #[arg(value_name = "PATH|URL", default_value = ".")]
    pub targets: Vec<String>,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to a file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Scan config (YAML): custom detectors, allow-lists, disabled detectors.
    #[arg(long, short, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Drop matches below this confidence (0–1; default 0.6 or the config's).
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f32>,
    /// Read at most this many rows per table or structured file.
    #[arg(long, value_name = "ROWS")]
    pub sample: Option<u64>,
    /// Findings listed per input (all matches are counted).
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub max_findings: usize,
    /// Put raw values in the report. They are personal data: handle the
    /// report accordingly.
    #[arg(long)]
    pub show_raw: bool,
    /// Skip paths matching this glob (repeatable), like `allow.paths` in the
    /// config.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Rescan files even when unchanged since the last scan.
    #[arg(long)]
    pub force: bool,
    /// Do not read or update the state database.
    #[arg(long)]
    pub no_state: bool,
    /// List the detectors and exit.
    #[arg(long)]
    pub list_detectors: bool,
    /// Print the union of the text patterns (for running a peer tool such
    /// as ripgrep on the same patterns) and exit.
    #[arg(long)]
    pub print_patterns: bool,
}

/// Collects reports; draws progress; answers "unchanged?" from the
/// inventory loaded before the scan.
struct Collect {
    reports: Mutex<Vec<SourceReport>>,
    bar: ProgressBar,
    previous: HashMap<String, (u64, i64)>,
}

impl Sink for Collect {
    fn unchanged(&self, path: &str, size: u64, mtime_ns: i64) -> bool {
        self.previous.get(path) == Some(&(size, mtime_ns))
    }
    fn progress(&self, bytes: u64) {
        self.bar.inc(bytes);
    }
    fn report(&self, report: SourceReport) {
        if let Ok(mut v) = self.reports.lock() {
            v.push(report);
        }
    }
}

/// Builds the scanner from the options and config.
pub fn scanner(
    args: &Args,
    key: steward_model::masked::FingerprintKey,
) -> anyhow::Result<(Scanner, ScanConfig)> {
    let config = match &args.config {
        Some(p) => ScanConfig::load(p)?,
        None => ScanConfig::default(),
    };
    let shown = args
        .config
        .as_ref()
        .map_or_else(|| "(defaults)".to_owned(), |p| p.display().to_string());
    let min_confidence = args.min_confidence.or(config.min_confidence).unwrap_or(0.6);
    anyhow::ensure!(
        (0.0..=1.0).contains(&min_confidence),
        "--min-confidence must be between 0 and 1, not {min_confidence}"
    );
    let engine = Engine::new(
        config.detectors(&shown)?,
        EngineOptions {
            min_confidence,
            allow_values: config.allow.values.iter().cloned().collect(),
        },
    )?;
    let mut config = config;
    config.allow.paths.extend(args.exclude.iter().cloned());
    let options = ScanOptions {
        cap: args.max_findings,
        sample: args.sample,
        show_raw: args.show_raw,
        ignore: config.ignore_set(&shown)?,
    };
    Ok((Scanner::new(engine, key, options), config))
}

/// Runs a scan and returns its reports, without printing (used by `demo`).
pub fn scan_reports(
    args: &Args,
    state_path: &Path,
    quiet: bool,
) -> anyhow::Result<(Scanner, Vec<SourceReport>, f64)> {
    let key = state::fingerprint_key(state_path)?;
    let (scanner, config) = scanner(args, key)?;
    let inputs = scanner.inputs(&args.targets)?;
    let mut store = if args.no_state {
        None
    } else {
        Some(state::open(state_path)?)
    };
    let mut previous = HashMap::new();
    if let (Some(store), false) = (&store, args.force) {
        for i in &inputs {
            if let Input::File { display, .. } = i
                && let Some(f) = store.scanned_file(display)?
            {
                previous.insert(display.clone(), (f.size, f.mtime_ns));
            }
        }
    }
    let total: u64 = inputs.iter().map(Input::size).sum();
    let bar = crate::progress::bytes_bar(total, quiet, "scanning");
    let sink = Collect {
        reports: Mutex::new(Vec::new()),
        bar,
        previous,
    };
    let started = Instant::now();
    let run_id = match store.as_mut() {
        Some(s) => Some(s.begin_run("scan", &state::now())?),
        None => None,
    };
    scanner.scan(&inputs, &sink);
    let seconds = started.elapsed().as_secs_f64();
    sink.bar.finish_and_clear();
    let mut reports = sink
        .reports
        .into_inner()
        .map_err(|_| anyhow::anyhow!("a scan thread panicked"))?;
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    drop_allowed_fingerprints(&mut reports, &config);
    if let Some(store) = store.as_mut() {
        counts_from_inventory(store, &mut reports)?;
        update_inventory(store, &reports)?;
        if let Some(id) = run_id {
            let summary = Summary::of(&reports, seconds);
            store.finish_run(
                id,
                "ok",
                &state::now(),
                Some(&serde_json::to_value(&summary)?),
            )?;
        }
    }
    Ok((scanner, reports, seconds))
}

impl Args {
    /// Options for scanning `targets` with every default.
    #[must_use]
    pub fn defaults(targets: Vec<String>) -> Self {
        Self {
            targets,
            format: Format::Text,
            output: None,
            config: None,
            min_confidence: None,
            sample: None,
            max_findings: 10_000,
            show_raw: false,
            exclude: Vec::new(),
            force: false,
            no_state: false,
            list_detectors: false,
            print_patterns: false,
        }
    }
}

/// Runs `steward scan`.
pub fn run(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<u8> {
    if args.list_detectors || args.print_patterns {
        let key = steward_model::masked::FingerprintKey::from_bytes([0; 32]);
        let (scanner, _) = scanner(args, key)?;
        let mut w = std::io::stdout().lock();
        for d in scanner.engine().detectors() {
            if args.print_patterns {
                if let Some(p) = &d.pattern {
                    writeln!(w, "{p}")?;
                }
            } else {
                writeln!(w, "{:<20} {:<58} {}", d.id, d.category, d.name)?;
            }
        }
        return Ok(0);
    }
    let (scanner, reports, seconds) = scan_reports(args, state_path, quiet)?;
    let summary = Summary::of(&reports, seconds);
    let mut sink: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write `{}`", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        Format::Text => out::write_terminal(&mut sink, &summary, &reports)?,
        Format::Json => out::write_json(&mut sink, &summary, &reports)?,
        Format::Jsonl => out::write_jsonl(&mut sink, &reports)?,
        Format::Csv => out::write_csv(&mut sink, &reports)?,
        Format::Sarif => out::write_sarif(&mut sink, scanner.engine().detectors(), &reports)?,
    }
    sink.flush()?;
    if args.format != Format::Text && !quiet {
        out::write_terminal(&mut std::io::stderr().lock(), &summary, &reports)?;
    }
    let found = reports.iter().any(|r| {
        !r.findings.is_empty() || r.status == SourceStatus::Unchanged && !r.counts.is_empty()
    });
    let failed = reports.iter().any(|r| r.status == SourceStatus::Failed);
    Ok(if failed && !found { 2 } else { u8::from(found) })
}

/// Removes findings whose fingerprint is allow-listed.
fn drop_allowed_fingerprints(reports: &mut [SourceReport], config: &ScanConfig) {
    if config.allow.fingerprints.is_empty() {
        return;
    }
    for r in reports {
        let before: Vec<String> = r.findings.iter().map(|f| f.detector.clone()).collect();
        r.findings.retain(|f| {
            !config
                .allow
                .fingerprints
                .contains(&f.fingerprint.to_string())
        });
        let after: Vec<&String> = r.findings.iter().map(|f| &f.detector).collect();
        for d in before {
            if !after.contains(&&d)
                && let Some(c) = r.counts.get_mut(&d)
            {
                *c = c.saturating_sub(1);
            }
        }
        r.counts.retain(|_, c| *c > 0);
    }
}

/// Unchanged inputs were not read: their match counts come from the
/// inventory of the last scan.
fn counts_from_inventory(store: &SqliteStore, reports: &mut [SourceReport]) -> anyhow::Result<()> {
    if !reports.iter().any(|r| r.status == SourceStatus::Unchanged) {
        return Ok(());
    }
    let datasets: HashMap<String, String> = store
        .datasets()?
        .into_iter()
        .map(|d| (d.location, d.id))
        .collect();
    let inventory = store.inventory()?;
    for r in reports
        .iter_mut()
        .filter(|r| r.status == SourceStatus::Unchanged)
    {
        let id = datasets.get(&r.path).unwrap_or(&r.path);
        for row in inventory.iter().filter(|row| &row.dataset_id == id) {
            *r.counts.entry(row.detector.clone()).or_default() += row.value_count;
        }
    }
    Ok(())
}

fn update_inventory(store: &mut SqliteStore, reports: &[SourceReport]) -> anyhow::Result<()> {
    let at = state::now();
    let datasets: HashMap<String, String> = store
        .datasets()?
        .into_iter()
        .map(|d| (d.location, d.id))
        .collect();
    let mut files = Vec::new();
    for r in reports.iter().filter(|r| r.status == SourceStatus::Scanned) {
        let dataset_id = datasets
            .get(&r.path)
            .cloned()
            .unwrap_or_else(|| r.path.clone());
        let mut rows: BTreeMap<(String, String, String, String), InventoryRecord> = BTreeMap::new();
        for f in &r.findings {
            let jurisdiction = f
                .jurisdiction
                .map(|j| j.code().to_owned())
                .unwrap_or_default();
            let location = f.location.within_source();
            let key = (
                location.clone(),
                f.category.as_str().to_owned(),
                f.detector.clone(),
                jurisdiction.clone(),
            );
            let row = rows.entry(key).or_insert_with(|| InventoryRecord {
                dataset_id: dataset_id.clone(),
                location,
                category: f.category.as_str().to_owned(),
                detector: f.detector.clone(),
                jurisdiction,
                value_count: 0,
                row_count: None,
                match_ratio: None,
                scanned_at: at.clone(),
            });
            match &f.column {
                Some(c) => {
                    row.value_count += c.values;
                    row.row_count = Some(c.rows);
                    row.match_ratio = Some(c.match_ratio);
                }
                None => row.value_count += 1,
            }
        }
        store.replace_inventory(&dataset_id, &rows.into_values().collect::<Vec<_>>())?;
        if let Some((size, mtime_ns)) = r.file_meta {
            files.push(ScannedFile {
                path: r.path.clone(),
                size,
                mtime_ns,
                content_hash: String::new(),
                scanned_at: at.clone(),
            });
        }
    }
    store.put_scanned_files(&files)?;
    Ok(())
}
