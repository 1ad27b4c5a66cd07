//! Engine and reader throughput on the synthetic platform's text sources:
//! the raw multi-pattern search, and whole readers (text, JSON Lines).
//! Figures and the peer comparison (ripgrep, Presidio) are in
//! docs/PERFORMANCE.md; `bench/scan-peers.sh` runs the peers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use steward_model::masked::FingerprintKey;
use steward_scan::detectors::builtin;
use steward_scan::engine::{Engine, EngineOptions};
use steward_scan::{ScanOptions, Scanner};

fn corpus() -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = steward_synth::Config {
        customers: 20_000,
        days: 3,
        seed: 11,
        ..steward_synth::Config::default()
    };
    steward_synth::generate(&cfg, dir.path(), &steward_synth::NoProgress).unwrap();
    let mut gateway = std::fs::read(dir.path().join("logs/gateway/access.jsonl")).unwrap();
    gateway.truncate(16 << 20);
    let cut = gateway
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    gateway.truncate(cut);
    let mut text = std::fs::read(dir.path().join("logs/app/order-svc.log")).unwrap();
    text.extend(std::fs::read(dir.path().join("stores/cs_tickets.jsonl")).unwrap());
    (gateway, text)
}

fn bench(c: &mut Criterion) {
    let (gateway, text) = corpus();
    let engine = Engine::new(builtin(), EngineOptions::default()).unwrap();
    let mut g = c.benchmark_group("scan");
    g.sample_size(10);
    for (name, hay) in [
        ("engine find, gateway JSONL", &gateway),
        ("engine find, app log + tickets", &text),
    ] {
        g.throughput(Throughput::Bytes(hay.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut hits = Vec::new();
                engine.with_cache(|cache| engine.find(cache, hay, &[], &mut hits));
                hits.len()
            });
        });
    }
    // The gateway's string values as one NUL-separated batch, as the
    // structured readers hand values to the engine: the union searching
    // every byte, against the union behind its four-lane gate.
    let values: Vec<u8> = gateway
        .split(|b| *b == b'"')
        .skip(1)
        .step_by(2)
        .filter(|v| v.len() >= 6)
        .flat_map(|v| v.iter().copied().chain([0]))
        .collect();
    g.throughput(Throughput::Bytes(values.len() as u64));
    g.bench_function("engine find, gateway values (union alone)", |b| {
        b.iter(|| {
            let mut hits = Vec::new();
            engine.with_cache(|cache| engine.find(cache, &values, &[], &mut hits));
            hits.len()
        });
    });
    g.bench_function("engine find_values, gateway values (gated)", |b| {
        b.iter(|| {
            let mut hits = Vec::new();
            engine.with_cache(|cache| engine.find_values(cache, &values, &mut hits));
            hits.len()
        });
    });
    let scanner = Scanner::new(
        Engine::new(builtin(), EngineOptions::default()).unwrap(),
        FingerprintKey::from_bytes([1; 32]),
        ScanOptions::default(),
    );
    g.throughput(Throughput::Bytes(gateway.len() as u64));
    g.bench_function("jsonl reader, gateway", |b| {
        b.iter(|| {
            scanner
                .scan_bytes("access.jsonl", gateway.clone())
                .findings
                .len()
        })
    });
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("text reader, app log + tickets", |b| {
        b.iter(|| scanner.scan_bytes("app.log", text.clone()).findings.len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
