//! `steward demo`: build a small synthetic platform with the breach replay and
//! run every stage that exists on it, then print a summary a person can read
//! in ten seconds.

use std::path::{Path, PathBuf};

use steward_report::scan::thousands;
use steward_synth::Config;

use super::generate::generate_recorded;

/// Options of `steward demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder for the synthetic platform.
    #[arg(long, short, default_value = "steward-demo", value_name = "DIR")]
    pub out: PathBuf,
    /// Members.
    #[arg(long, default_value_t = 20_000)]
    pub customers: u64,
    /// Days of traffic.
    #[arg(long, default_value_t = 14)]
    pub days: u32,
    /// Seed.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
}

fn kst(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .ok()
        .and_then(|t| jiff::Timestamp::from_millisecond(t.as_millisecond() + 9 * 3_600_000).ok())
        .map_or_else(
            || rfc3339.to_owned(),
            |t| t.strftime("%Y-%m-%d %H:%M KST").to_string(),
        )
}

/// Scans the platform (ground truth excluded), fills the inventory and
/// prints what was found where.
fn scan_summary(out: &Path, state_path: &Path, quiet: bool) -> anyhow::Result<()> {
    let mut scan = super::scan::Args::defaults(vec![out.display().to_string()]);
    scan.exclude.push("**/truth/**".to_owned());
    scan.force = true;
    let (_, reports, secs) = super::scan::scan_reports(&scan, state_path, quiet)?;
    let bytes: u64 = reports.iter().map(|r| r.bytes).sum();
    let with: Vec<_> = reports.iter().filter(|r| !r.findings.is_empty()).collect();
    let columns: u64 = with
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.column.is_some())
        .count() as u64;
    let values: u64 = with
        .iter()
        .flat_map(|r| &r.findings)
        .filter_map(|f| f.column.as_ref())
        .map(|c| c.values)
        .sum();
    let in_text: u64 = with
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.column.is_none())
        .count() as u64;
    let mut secret_counts: std::collections::BTreeMap<(String, String), u64> =
        std::collections::BTreeMap::new();
    for r in &with {
        for f in r
            .findings
            .iter()
            .filter(|f| f.category.as_str().starts_with("system.authentication"))
        {
            let file = r.path.rsplit('/').next().unwrap_or_default().to_owned();
            *secret_counts.entry((file, f.detector.clone())).or_default() += 1;
        }
    }
    let secrets: Vec<String> = secret_counts
        .iter()
        .map(|((file, det), n)| {
            if *n > 1 {
                format!("{det} ×{n} in {file}")
            } else {
                format!("{det} in {file}")
            }
        })
        .collect();
    let clean = reports
        .iter()
        .filter(|r| r.path.contains("/clean/"))
        .map(|r| r.findings.len())
        .sum::<usize>();
    println!(
        "  scan      {} inputs, {:.0} MB in {secs:.1} s: {} columns hold {} personal values, {} more values in logs and tickets",
        reports.len(),
        bytes as f64 / 1e6,
        thousands(columns),
        thousands(values),
        thousands(in_text)
    );
    println!(
        "            secrets: {}; look-alike clean store: {clean} findings",
        secrets.join(", ")
    );
    Ok(())
}

/// Hunts over the platform's logs, records alerts, and prints when each
/// planted attack was first detected.
fn hunt_summary(out: &Path, state_path: &Path, quiet: bool) -> anyhow::Result<()> {
    let setup = steward_hunt::Setup::platform(out);
    let outcome = super::hunt::hunt(
        &setup,
        steward_logs::MergeOptions::default(),
        quiet,
        &mut |_| Ok(()),
    )?;
    let mut store = crate::state::open(state_path)?;
    super::hunt::record(&mut store, &outcome)?;
    let eval = super::hunt::evaluate(&outcome, out)?;
    let benign = eval.rules.values().map(|r| r.false_alerts).sum::<u64>();
    println!(
        "  hunt      {} events in {:.1} s: {} incidents, {} alerts ({} not tied to a planted attack)",
        thousands(outcome.report.events),
        outcome.seconds,
        outcome.incidents.len(),
        outcome.alerts.len(),
        benign
    );
    for (name, a) in &eval.attacks {
        match (a.detected_ms, a.first_event_ms) {
            (Some(at), Some(start)) => println!(
                "    {name:<9} detected {:.1} min after it began: {}",
                (at - start) as f64 / 60_000.0,
                a.by
            ),
            _ => println!("    {name:<9} NOT detected"),
        }
    }
    Ok(())
}

/// Runs the demo.
pub fn run(args: &Args, state_path: &Path, quiet: bool) -> anyhow::Result<u8> {
    let cfg = Config {
        customers: args.customers,
        days: args.days,
        seed: args.seed,
        ..Config::default()
    };
    let started = std::time::Instant::now();
    let (s, _) = generate_recorded(&cfg, &args.out, state_path, quiet, "demo")?;
    let countries: Vec<String> = {
        let mut v: Vec<_> = s.customers_by_country.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1));
        v.iter()
            .take(5)
            .map(|(c, n)| format!("{c} {}", thousands(**n)))
            .collect()
    };
    println!("steward demo: a synthetic platform with a replay of the 2025 token-forgery breach\n");
    println!(
        "  platform  {} members ({}), {} non-members in their address books",
        thousands(s.customers),
        countries.join(" · "),
        thousands(s.third_parties)
    );
    println!(
        "            {} orders, {} tickets, {} gateway requests over {} days from {}",
        thousands(s.orders),
        thousands(s.tickets),
        thousands(s.gateway_events),
        args.days,
        kst(&s.start)
    );
    println!(
        "  attacks   (ground truth in {}/truth/)",
        args.out.display()
    );
    for (name, a) in &s.attacks {
        println!(
            "    {name:<9} from {}: {:>7} events, {} members and {} non-members exposed",
            a.first_event.as_deref().map(kst).unwrap_or_default(),
            thousands(a.events),
            thousands(a.affected_customers),
            thousands(a.affected_third_parties)
        );
    }
    println!(
        "  real      exploitation began 2025-04-14 and went unnoticed until the attacker e-mailed customers on 2025-11-16"
    );
    scan_summary(&args.out, state_path, quiet)?;
    hunt_summary(&args.out, state_path, quiet)?;
    println!("  stages    map/check and impact/notify join the demo as they land (issues 5-6)");
    println!("  state     {}", state_path.display());
    println!("  done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(0)
}
