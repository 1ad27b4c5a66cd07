//! `steward demo`: build a small synthetic platform with the breach replay and
//! run every stage that exists on it, then print a summary a person can read
//! in ten seconds.

use std::path::{Path, PathBuf};

use steward_report::scan::thousands;
use steward_store::StateStore;
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
fn hunt_summary(out: &Path, state_path: &Path, quiet: bool) -> anyhow::Result<Option<i64>> {
    let setup = steward_hunt::Setup::platform(out);
    let outcome = super::hunt::hunt(
        &setup,
        steward_logs::MergeOptions::default(),
        steward_hunt::run::Reading::for_this_machine(),
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
    Ok(eval.attacks.get("replay").and_then(|a| a.detected_ms))
}

/// Parses one subcommand's options as a user would type them.
fn command(args: &[&str]) -> anyhow::Result<crate::Command> {
    use clap::Parser;
    let cli = crate::Cli::try_parse_from(std::iter::once("steward").chain(args.iter().copied()))?;
    Ok(cli.command)
}

/// Maps the platform and checks its policies; prints the data map's
/// cross-border flows and the violations against the planted ones.
fn map_and_check(out: &Path, state_path: &Path, quiet: bool) -> anyhow::Result<()> {
    let manifest = out.join("manifest.yaml");
    let reports = out.join("reports");
    std::fs::create_dir_all(&reports)?;
    let svg = reports.join("data-map.svg");
    let m = manifest.display().to_string();
    let crate::Command::Map(map_args) = command(&[
        "map",
        "-m",
        &m,
        "-f",
        "svg",
        "-o",
        &svg.display().to_string(),
    ])?
    else {
        anyhow::bail!("demo: `map` options did not parse as `map`");
    };
    super::map::run(&map_args, state_path, true)?;
    let data_map = super::map::data_map(&map_args, state_path, quiet)?;
    let cross: Vec<_> = data_map.cross_border().collect();
    let unbased = cross.iter().filter(|f| f.basis.is_none()).count();
    println!(
        "  map       {} countries, {} cross-border flows ({unbased} without a transfer basis): {}",
        data_map.countries.len(),
        cross.len(),
        svg.display()
    );
    let planted: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("truth/violations.json"))?)?;
    let mut args = super::check::Args::defaults(manifest);
    args.as_of = planted
        .pointer("/as_of")
        .and_then(serde_json::Value::as_str)
        .and_then(|d| d.parse().ok());
    let outcome = super::check::evaluate(&args, state_path)?;
    let got: std::collections::BTreeSet<(String, String)> = outcome
        .decisions
        .iter()
        .map(|d| (d.rule_id.clone(), d.resource.clone()))
        .collect();
    let want: std::collections::BTreeSet<(String, String)> = planted
        .pointer("/violations")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .map(|v| {
            (
                v.pointer("/rule")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                v.pointer("/resource")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    println!(
        "  check     {} rules: {} violations as of {}, {} of {} planted found, {} not planted",
        outcome.rules.len(),
        got.len(),
        outcome.as_of,
        got.intersection(&want).count(),
        want.len(),
        got.difference(&want).count()
    );
    let mut by_rule: std::collections::BTreeMap<&str, Vec<&str>> =
        std::collections::BTreeMap::new();
    for (rule, resource) in &got {
        by_rule.entry(rule).or_default().push(resource);
    }
    for (rule, resources) in by_rule {
        println!("    {rule:<27} {}", resources.join(", "));
    }
    Ok(())
}

/// Computes the forged-token incident's impact, compares it with the ground
/// truth, and lists the notification duties it triggers.
fn impact_and_notify(
    out: &Path,
    state_path: &Path,
    detected_ms: Option<i64>,
) -> anyhow::Result<()> {
    let store = crate::state::open(state_path)?;
    let Some(incident) = store
        .alerts()?
        .into_iter()
        .find(|a| a.rule_id == "steward.forged-token")
        .and_then(|a| a.incident_id)
    else {
        println!("  impact    no forged-token incident to assess");
        return Ok(());
    };
    drop(store);
    let reports = out.join("reports");
    let impact_json = reports.join("impact.json");
    let people = reports.join("people.jsonl");
    let platform = out.display().to_string();
    let crate::Command::Impact(impact_args) = command(&[
        "impact",
        "--platform",
        &platform,
        "--incident",
        &incident,
        "--format",
        "json",
        "-o",
        &impact_json.display().to_string(),
        "--people",
        &people.display().to_string(),
    ])?
    else {
        anyhow::bail!("demo: `impact` options did not parse as `impact`");
    };
    super::impact::run(&impact_args, state_path, true)?;
    let summary: steward_model::impact::ImpactSummary =
        serde_json::from_str(&std::fs::read_to_string(&impact_json)?)?;
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("truth/summary.json"))?)?;
    let count = |k: &str| {
        truth
            .pointer(&format!("/attacks/replay/{k}"))
            .and_then(serde_json::Value::as_u64)
    };
    let exact = count("affected_customers") == Some(summary.customers)
        && count("affected_third_parties") == Some(summary.third_parties);
    println!(
        "  impact    incident {}: {} people ({} members, {} non-members) in {} countries; ground truth {}",
        incident.get(..12).unwrap_or(&incident),
        thousands(summary.people),
        thousands(summary.customers),
        thousands(summary.third_parties),
        summary.by_country.len(),
        if exact {
            "matched exactly"
        } else {
            "NOT matched"
        }
    );
    let aware = detected_ms
        .and_then(|ms| jiff::Timestamp::from_millisecond(ms).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    let aware_s = aware.to_string();
    let notify_dir = reports.join("notify");
    let crate::Command::Notify(notify_args) = command(&[
        "notify",
        "--impact",
        &impact_json.display().to_string(),
        "--people",
        &people.display().to_string(),
        "--aware-at",
        &aware_s,
        "--now",
        &aware_s,
        "--format",
        "json",
        "--out",
        &notify_dir.display().to_string(),
    ])?
    else {
        anyhow::bail!("demo: `notify` options did not parse as `notify`");
    };
    let ev = super::notify::evaluate_to(&notify_args, state_path, true, &mut std::io::sink())?;
    println!(
        "  notify    aware at {} (steward's first replay alert): {} duties in {} regimes considered",
        kst(&aware_s),
        ev.duties.len(),
        ev.regimes_considered
    );
    let mut dated: Vec<_> = ev.duties.iter().filter(|d| d.deadline.is_some()).collect();
    dated.sort_by_key(|d| d.deadline.as_ref().map(jiff::ZonedDateTime::timestamp));
    for d in dated.iter().take(6) {
        if let Some(due) = &d.deadline {
            println!(
                "    {:<16} {:<28} due {}",
                d.regime,
                d.recipient_name.chars().take(28).collect::<String>(),
                due.strftime("%Y-%m-%d %H:%M %Z")
            );
        }
    }
    if dated.len() > 6 {
        println!(
            "    … {} more, and {} without a fixed deadline",
            dated.len() - 6,
            ev.duties.len() - dated.len()
        );
    }
    println!("  report    {}", notify_dir.join("report.html").display());
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
    map_and_check(&args.out, state_path, quiet)?;
    let detected = hunt_summary(&args.out, state_path, quiet)?;
    impact_and_notify(&args.out, state_path, detected)?;
    println!("  state     {}", state_path.display());
    println!("  done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(0)
}
