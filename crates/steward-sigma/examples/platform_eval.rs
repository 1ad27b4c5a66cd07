//! The rule pack over the synthetic platform's gateway traffic, generated in
//! process: per attack, whether and when it was caught and by which rules;
//! per rule, matches on benign events only (false alerts).
//!
//! ```sh
//! cargo run --release -p steward-sigma --example platform_eval -- [CUSTOMERS] [DAYS] [EVENTS]
//! ```
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::indexing_slicing,
    dead_code
)]

#[path = "../tests/it/gateway.rs"]
mod gateway;
#[path = "../tests/it/synth.rs"]
mod synth;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Instant;

use steward_model::time::rfc3339_millis;
use steward_sigma::{EngineConfig, RuleSet, SigmaEngine};
use steward_synth::traffic::Attack;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, d: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(d);
    let platform = synth::Platform {
        customers: arg(1, 20_000),
        days: u32::try_from(arg(2, 14)).unwrap(),
        seed: 2025,
        events: args.get(3).and_then(|a| a.parse().ok()),
    };
    let rules_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let loaded = RuleSet::load([rules_dir]);
    assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
    // The generator places a few records up to a minute before the hour
    // they are written in; a minute of lateness absorbs them.
    let config = EngineConfig {
        allowed_lateness_ms: 60_000,
        ..EngineConfig::default()
    };
    let mut engine = SigmaEngine::new(Arc::new(loaded.rules), config);

    // Generate first (not timed), then evaluate.
    let mut events = Vec::new();
    platform.for_each(|e, a| events.push((e.clone(), a)));
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    let mut first_attack: BTreeMap<&str, i64> = BTreeMap::new();
    let mut attack_of: HashMap<&str, Attack> = HashMap::new();
    for (e, a) in &events {
        let name = a.map_or("benign", Attack::name);
        *counts.entry(name).or_default() += 1;
        if let Some(a) = a {
            first_attack.entry(a.name()).or_insert(e.time_ms);
            attack_of.insert(e.event_id.as_str(), *a);
        }
    }
    let mut matches = Vec::new();
    let started = Instant::now();
    for (e, _) in &events {
        engine.process(e, &mut matches);
    }
    engine.finish(&mut matches);
    let secs = started.elapsed().as_secs_f64();

    let mut first_match: BTreeMap<&str, i64> = BTreeMap::new();
    let mut caught_by: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
    let mut per_rule: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for m in &matches {
        let attacks: Vec<Attack> = m
            .event_ids
            .iter()
            .filter_map(|id| attack_of.get(id.as_str()).copied())
            .collect();
        let entry = per_rule.entry(m.title.to_string()).or_default();
        entry.0 += 1;
        if attacks.is_empty() {
            entry.1 += 1;
            eprintln!(
                "false alert: {} at {} group {:?} events {:?}",
                m.title,
                rfc3339_millis(m.time_ms),
                m.group,
                m.event_ids
            );
        }
        let mut seen = Vec::new();
        for a in attacks {
            if seen.contains(&a) {
                continue;
            }
            seen.push(a);
            let t = first_match.entry(a.name()).or_insert(m.time_ms);
            *t = (*t).min(m.time_ms);
            *caught_by
                .entry(a.name())
                .or_default()
                .entry(m.title.to_string())
                .or_default() += 1;
        }
    }
    println!(
        "platform: {} customers, {} days, {} gateway events ({:.0} events/s evaluated, {:.2} s)",
        platform.customers,
        platform.days,
        events.len(),
        events.len() as f64 / secs,
        secs
    );
    println!("events: {counts:?}");
    for a in Attack::ALL {
        let name = a.name();
        match (first_attack.get(name), first_match.get(name)) {
            (Some(start), Some(hit)) => println!(
                "{name:9} first event {} first match {} (+{:.1} min) by {:?}",
                rfc3339_millis(*start),
                rfc3339_millis(*hit),
                (hit - start) as f64 / 60_000.0,
                caught_by.get(name).unwrap()
            ),
            (Some(start), None) => {
                println!(
                    "{name:9} first event {} NOT DETECTED",
                    rfc3339_millis(*start)
                );
            }
            _ => println!("{name:9} not planted"),
        }
    }
    let benign = counts.get("benign").copied().unwrap_or(0).max(1);
    println!("rule matches (all / on benign events only):");
    for (title, (all, fp)) in &per_rule {
        println!(
            "  {all:6} / {fp:4}  {title}  ({:.2} false per million benign events)",
            *fp as f64 * 1e6 / benign as f64
        );
    }
    let c = engine.counters();
    println!(
        "counters: late {} missing group key {} missing value {} groups evicted {}; state groups {}",
        c.late_events,
        c.missing_group_key,
        c.missing_value,
        c.groups_evicted,
        engine.state().groups()
    );
}
