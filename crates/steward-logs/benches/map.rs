//! Parse + map throughput on the synthetic platform's gateway log (JSON
//! Lines): the whole read path of `steward-logs` from bytes in memory to
//! access events, with the built-in `steward-gateway` mapping. Figures are
//! in docs/PERFORMANCE.md ("Log input").
//!
//! Two reference points run on the same bytes: the same reader with a
//! mapping of the time field only (the cost of reading and walking each
//! line), and serde_json deserialising each line into a borrowed struct of
//! the gateway shape (parsing only: no conversions, no event).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Cursor;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group};
use serde::Deserialize;
use steward_logs::{LogSource, Mapping, OpenOptions};
use steward_model::event::AccessEvent;

/// A gateway log of the synthetic platform (50,000 customers, 3 days:
/// about 97,000 events, 43 MB); with `MAP_BENCH_INPUT=file`, read from that
/// file, which is written first when missing.
fn gateway() -> Bytes {
    if let Ok(file) = std::env::var("MAP_BENCH_INPUT") {
        if let Ok(b) = std::fs::read(&file) {
            return Bytes::from(b);
        }
        let b = generate();
        std::fs::write(&file, &b).unwrap();
        return b;
    }
    generate()
}

fn generate() -> Bytes {
    let dir = tempfile::tempdir().unwrap();
    let cfg = steward_synth::Config {
        customers: 50_000,
        days: 3,
        seed: 11,
        ..steward_synth::Config::default()
    };
    steward_synth::generate(&cfg, dir.path(), &steward_synth::NoProgress).unwrap();
    Bytes::from(std::fs::read(dir.path().join("logs/gateway/access.jsonl")).unwrap())
}

/// Reads every event with one reused event; returns how many.
fn count(bytes: &Bytes, mapping: &Mapping) -> u64 {
    let mut source = LogSource::from_reader(
        "access.jsonl",
        Cursor::new(bytes.clone()),
        mapping,
        OpenOptions::default(),
    )
    .unwrap();
    let mut ev = AccessEvent::default();
    let mut n = 0u64;
    while let Some(r) = source.read_into(&mut ev) {
        r.unwrap();
        n += 1;
    }
    n
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Line<'a> {
    ts: &'a str,
    request_id: &'a str,
    #[serde(borrow)]
    http: Http<'a>,
    #[serde(borrow)]
    client: Client<'a>,
    #[serde(borrow)]
    auth: Option<Auth<'a>>,
    target: Option<Target>,
    resp: Resp,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Http<'a> {
    method: &'a str,
    path: &'a str,
    route: &'a str,
    status: u16,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Client<'a> {
    ip: &'a str,
    geo: &'a str,
    ua: &'a str,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Auth<'a> {
    sub: Option<&'a str>,
    sub_type: Option<&'a str>,
    jti: Option<&'a str>,
    sid: Option<&'a str>,
    kid: Option<&'a str>,
    iat: Option<i64>,
    api_key: Option<&'a str>,
    partner: Option<&'a str>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Target {
    member_id: u64,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Resp {
    records: u32,
    bytes: u32,
}

fn bench(c: &mut Criterion) {
    let plain = gateway();
    let zstd = Bytes::from(zstd::encode_all(&plain[..], 3).unwrap());
    let mapping = Mapping::builtin("steward-gateway").unwrap();
    let events = count(&plain, &mapping);
    assert_eq!(events, count(&zstd, &mapping));
    let time_only = Mapping::from_yaml(
        "time-only.yaml",
        "name: time-only\nfields:\n  time_ms: {path: ts, time: rfc3339}\n",
    )
    .unwrap();

    let mut g = c.benchmark_group("logs");
    g.sample_size(20);
    g.throughput(Throughput::Elements(events));
    g.bench_function("gateway jsonl, parse+map, read_into", |b| {
        b.iter(|| count(&plain, &mapping));
    });
    g.bench_function("gateway jsonl.zst, parse+map, read_into", |b| {
        b.iter(|| count(&zstd, &mapping));
    });
    g.bench_function("gateway jsonl, parse+map, owned events", |b| {
        b.iter(|| {
            LogSource::from_reader(
                "access.jsonl",
                Cursor::new(plain.clone()),
                &mapping,
                OpenOptions::default(),
            )
            .unwrap()
            .filter(Result::is_ok)
            .count()
        });
    });
    g.bench_function("reference: gateway jsonl, time field only", |b| {
        b.iter(|| count(&plain, &time_only));
    });
    g.bench_function("reference: serde_json borrowed struct, parse only", |b| {
        b.iter(|| {
            plain
                .split(|c| *c == b'\n')
                .filter(|l| !l.is_empty())
                .filter(|l| serde_json::from_slice::<Line<'_>>(l).is_ok())
                .count()
        });
    });
    g.finish();
}

criterion_group!(benches, bench);

/// Criterion, or with `MAP_BENCH_REPEAT=n` the parse + map row `n` times
/// without timing (for instruction counts under `valgrind --tool=cachegrind`,
/// which do not depend on the other load on the machine).
fn main() {
    if let Some(n) = std::env::var("MAP_BENCH_REPEAT")
        .ok()
        .and_then(|n| n.parse::<u32>().ok())
    {
        let plain = gateway();
        let mapping = Mapping::builtin("steward-gateway").unwrap();
        for _ in 0..n {
            std::hint::black_box(count(&plain, &mapping));
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
