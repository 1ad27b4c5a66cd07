//! `steward map`: join the manifest with the scan inventory into the data
//! map (per country, which categories of which jurisdictions' people are
//! stored there; every cross-border flow) and write it as a terminal
//! summary, Mermaid, Graphviz DOT, SVG, JSON or a ROPA (CSV, XLSX).

use std::io::{IsTerminal as _, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use steward_map::{DataMap, Observation};
use steward_store::StateStore;

use crate::state;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terminal summary: categories and people per country, cross-border
    /// flows.
    Text,
    /// Mermaid flowchart.
    Mermaid,
    /// Graphviz DOT.
    Dot,
    /// SVG drawn by steward (no external tool).
    Svg,
    /// The data map as JSON.
    Json,
    /// Record of processing activities as CSV.
    RopaCsv,
    /// Record of processing activities as an Excel workbook.
    RopaXlsx,
}

/// Options of `steward map`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Platform manifest (YAML).
    #[arg(long, short, value_name = "FILE", default_value = "manifest.yaml")]
    pub manifest: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write to a file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use the declared categories only; do not read the scan inventory.
    #[arg(long)]
    pub no_state: bool,
}

/// The scan inventory, or `None` when there is no state database yet.
fn inventory(state_path: &Path) -> anyhow::Result<Option<Vec<Observation>>> {
    if !state_path.exists() {
        return Ok(None);
    }
    let store = state::open(state_path)?;
    let rows = store
        .inventory()
        .context("cannot read the inventory from the state database")?;
    Ok(Some(
        rows.into_iter()
            .map(|r| Observation {
                dataset: r.dataset_id,
                location: r.location,
                category: r.category,
                jurisdiction: r.jurisdiction,
                values: r.value_count,
            })
            .collect(),
    ))
}

/// Loads the manifest and builds the map; warnings go to standard error
/// unless `quiet`.
pub fn data_map(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<DataMap> {
    let loaded = steward_manifest::load(&args.manifest)?;
    if !quiet {
        let mut err = std::io::stderr().lock();
        for w in &loaded.warnings {
            writeln!(err, "{w}")?;
        }
    }
    let observations = if args.no_state {
        None
    } else {
        let found = inventory(state_path)?;
        if found.is_none() && !quiet {
            eprintln!(
                "no state database at `{}`: declared categories only (run `steward scan` for counts)",
                state_path.display()
            );
        }
        found
    };
    Ok(steward_map::build(&loaded, observations.as_deref()))
}

/// Runs `steward map`.
pub fn run(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<u8> {
    let map = data_map(args, state_path, quiet)?;
    if args.format == Format::RopaXlsx {
        let bytes = steward_map::ropa_xlsx(&map).context("cannot build the workbook")?;
        match &args.output {
            Some(p) => std::fs::write(p, bytes)
                .with_context(|| format!("cannot write `{}`", p.display()))?,
            None if std::io::stdout().is_terminal() => {
                anyhow::bail!("an XLSX workbook is binary: write it to a file with `-o FILE`")
            }
            None => std::io::stdout().lock().write_all(&bytes)?,
        }
        return Ok(0);
    }
    let mut sink: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write `{}`", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        Format::Text => steward_map::write_summary(&mut sink, &map)?,
        Format::Mermaid => steward_map::write_mermaid(&mut sink, &map)?,
        Format::Dot => steward_map::write_dot(&mut sink, &map)?,
        Format::Svg => steward_map::write_svg(&mut sink, &map)?,
        Format::Json => steward_map::write_json(&mut sink, &map)?,
        Format::RopaCsv => steward_map::write_ropa_csv(&mut sink, &map)?,
        Format::RopaXlsx => {}
    }
    sink.flush()?;
    Ok(0)
}
