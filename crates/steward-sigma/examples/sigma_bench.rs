//! steward-sigma from the command line, for side-by-side runs with the
//! rsigma CLI (`bench/sigma-peers.sh`).
//!
//! ```sh
//! # events: the synthetic platform's gateway traffic as access events (JSON
//! # Lines, one `AccessEvent` per line, plus an RFC 3339 `time`; one-element
//! # lists written as their element, which rsigma needs for `value_count`
//! # and `fieldref` and steward reads either way)
//! sigma_bench generate CUSTOMERS DAYS OUT.jsonl
//! # evaluate: matches as JSON Lines on stdout, a summary on stderr
//! sigma_bench run RULES_DIR EVENTS.jsonl
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

use std::io::{BufRead, BufReader, BufWriter, Write};
use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use steward_model::event::{AccessEvent, Credential, Outcome, Principal, Source};
use steward_sigma::{EngineConfig, RuleSet, SigmaEngine};

fn generate(customers: u64, days: u32, out: &str) {
    let mut w = BufWriter::new(std::fs::File::create(out).unwrap());
    let mut n = 0u64;
    synth::Platform {
        customers,
        days,
        seed: 2025,
        events: None,
    }
    .for_each(|e, _| {
        let mut v = serde_json::to_value(e).unwrap();
        v["time"] = steward_model::time::rfc3339_millis(e.time_ms).into();
        for list in ["subjects", "record_types"] {
            if let Some(serde_json::Value::Array(items)) = v.get(list)
                && items.len() == 1
            {
                v[list] = items[0].clone();
            }
        }
        serde_json::to_writer(&mut w, &v).unwrap();
        w.write_all(b"\n").unwrap();
        n += 1;
    });
    w.flush().unwrap();
    eprintln!("wrote {n} events to {out}");
}

/// A list written as a list or as its only element.
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
    #[default]
    None,
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            Self::One(s) => vec![s],
            Self::Many(v) => v,
            Self::None => Vec::new(),
        }
    }
}

/// `AccessEvent` as the bench file writes it.
#[derive(Deserialize)]
struct Line {
    time_ms: i64,
    event_id: String,
    principal: Principal,
    credential: Credential,
    source: Source,
    method: Option<String>,
    endpoint: String,
    #[serde(default)]
    subjects: OneOrMany,
    #[serde(default)]
    record_types: OneOrMany,
    outcome: Outcome,
    status: Option<u16>,
    records: Option<u64>,
    bytes: Option<u64>,
}

impl From<Line> for AccessEvent {
    fn from(l: Line) -> Self {
        Self {
            time_ms: l.time_ms,
            event_id: l.event_id,
            principal: l.principal,
            credential: l.credential,
            source: l.source,
            method: l.method,
            endpoint: l.endpoint,
            subjects: l.subjects.into_vec(),
            record_types: l.record_types.into_vec(),
            outcome: l.outcome,
            status: l.status,
            records: l.records,
            bytes: l.bytes,
        }
    }
}

fn run(rules: &str, events: &str) {
    let started = Instant::now();
    let loaded = RuleSet::load([rules]);
    for e in &loaded.errors {
        eprintln!("error: {e}");
    }
    // The generator places a few records up to a minute before the hour
    // they are written in.
    let config = EngineConfig {
        allowed_lateness_ms: 60_000,
        ..EngineConfig::default()
    };
    let mut engine = SigmaEngine::new(Arc::new(loaded.rules), config);
    let reader = BufReader::with_capacity(1 << 20, std::fs::File::open(events).unwrap());
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut matches = Vec::new();
    let (mut lines, mut bad, mut reported) = (0u64, 0u64, 0u64);
    for line in reader.lines() {
        let line = line.unwrap();
        lines += 1;
        match serde_json::from_str::<Line>(&line) {
            Ok(l) => engine.process(&AccessEvent::from(l), &mut matches),
            Err(_) => bad += 1,
        }
        for m in matches.drain(..) {
            serde_json::to_writer(&mut out, &m).unwrap();
            out.write_all(b"\n").unwrap();
            reported += 1;
        }
    }
    engine.finish(&mut matches);
    for m in matches.drain(..) {
        serde_json::to_writer(&mut out, &m).unwrap();
        out.write_all(b"\n").unwrap();
        reported += 1;
    }
    out.flush().unwrap();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{lines} events ({bad} unreadable), {reported} matches, {secs:.2} s, {:.0} events/s",
        lines as f64 / secs
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") => generate(args[2].parse().unwrap(), args[3].parse().unwrap(), &args[4]),
        Some("run") => run(&args[2], &args[3]),
        _ => eprintln!("usage: sigma_bench generate CUSTOMERS DAYS OUT | run RULES EVENTS"),
    }
}
