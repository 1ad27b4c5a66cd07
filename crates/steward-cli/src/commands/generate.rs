//! `steward generate`: write the synthetic platform.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::ValueEnum;
use steward_store::StateStore;
use steward_synth::{Attack, Config, GatewayFormat};

use crate::progress::Bars;
use crate::state;

/// An attack to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AttackArg {
    /// Forged tokens from a departed engineer's retained key, walking member ids.
    Replay,
    /// Credential stuffing.
    Stuffing,
    /// A support agent reading far beyond baseline.
    Insider,
    /// A leaked partner API key scraping through many IPs.
    Scraper,
    /// No attack at all.
    None,
}

/// How the gateway access log is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GatewayFormatArg {
    /// `logs/gateway/access.jsonl`.
    Jsonl,
    /// `logs/gateway/access.parquet` (flat columns, sorted by time).
    Parquet,
    /// Both files.
    Both,
}

/// Options of `steward generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder.
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Members (customers), 100 to 40,000,000.
    #[arg(long, default_value_t = 100_000)]
    pub customers: u64,
    /// Days of access traffic, 3 to 400.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Target gateway events (default: about 20 per member per month).
    #[arg(long)]
    pub events: Option<u64>,
    /// Seed; the same seed gives the same platform byte for byte.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// First simulated day (KST), YYYY-MM-DD.
    #[arg(long, default_value = "2025-04-10")]
    pub start: jiff::civil::Date,
    /// Attacks to replay (comma-separated); `none` for clean traffic.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "replay,stuffing,insider,scraper"
    )]
    pub attacks: Vec<AttackArg>,
    /// `planted`: with the policy violations `steward check` must find
    /// (listed in `truth/violations.json`); `clean`: the same platform
    /// without them.
    #[arg(long, value_enum, default_value_t = VariantArg::Planted)]
    pub variant: VariantArg,
    /// Gateway access log format.
    #[arg(long, value_enum, default_value_t = GatewayFormatArg::Jsonl)]
    pub gateway_format: GatewayFormatArg,
}

/// Which platform to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VariantArg {
    /// With the planted policy violations.
    Planted,
    /// Without them.
    Clean,
}

impl Args {
    /// The generator configuration.
    #[must_use]
    pub fn config(&self) -> Config {
        let attacks = self
            .attacks
            .iter()
            .filter_map(|a| match a {
                AttackArg::Replay => Some(Attack::Replay),
                AttackArg::Stuffing => Some(Attack::Stuffing),
                AttackArg::Insider => Some(Attack::Insider),
                AttackArg::Scraper => Some(Attack::Scraper),
                AttackArg::None => None,
            })
            .collect();
        Config {
            customers: self.customers,
            days: self.days,
            events: self.events,
            seed: self.seed,
            start: self.start,
            attacks,
            variant: match self.variant {
                VariantArg::Planted => steward_synth::Variant::Planted,
                VariantArg::Clean => steward_synth::Variant::Clean,
            },
            gateway_format: match self.gateway_format {
                GatewayFormatArg::Jsonl => GatewayFormat::Jsonl,
                GatewayFormatArg::Parquet => GatewayFormat::Parquet,
                GatewayFormatArg::Both => GatewayFormat::Both,
            },
            ..Config::default()
        }
    }
}

/// Generates the platform and records the run; returns the summary.
pub fn generate_recorded(
    cfg: &Config,
    out: &Path,
    state_path: &Path,
    quiet: bool,
    command: &str,
) -> anyhow::Result<(steward_synth::Summary, f64)> {
    let mut store = state::open(state_path)?;
    let run = store.begin_run(command, &state::now())?;
    let started = Instant::now();
    let result = steward_synth::generate(cfg, out, &Bars::new(quiet)).with_context(|| {
        format!(
            "cannot generate the synthetic platform in `{}`",
            out.display()
        )
    });
    let secs = started.elapsed().as_secs_f64();
    match result {
        Ok(summary) => {
            let text = std::fs::read_to_string(out.join(steward_synth::paths::MANIFEST))?;
            let manifest = parse_manifest(&text)?;
            state::register_platform(&mut store, out, &manifest)?;
            let json = serde_json::json!({"out": out.display().to_string(), "seconds": secs, "customers": summary.customers, "gateway_events": summary.gateway_events});
            store.finish_run(run, "ok", &state::now(), Some(&json))?;
            Ok((summary, secs))
        }
        Err(e) => {
            store.finish_run(run, "failed", &state::now(), None)?;
            Err(e)
        }
    }
}

/// Reads the generated manifest back through the loader, so that every
/// generated platform passes the manifest checks.
fn parse_manifest(text: &str) -> anyhow::Result<steward_model::manifest::Manifest> {
    steward_manifest::parse(text, steward_synth::paths::MANIFEST)
        .map(|loaded| loaded.manifest)
        .context("cannot read back the generated manifest")
}

/// Runs `steward generate`.
pub fn run(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<u8> {
    let cfg = args.config();
    let (s, secs) = generate_recorded(&cfg, &args.out, state_path, quiet, "generate")?;
    println!(
        "generated {} members, {} non-members, {} orders, {} gateway and {} auth events into {} in {:.1} s",
        s.customers,
        s.third_parties,
        s.orders,
        s.gateway_events,
        s.auth_events,
        args.out.display(),
        secs
    );
    Ok(0)
}
