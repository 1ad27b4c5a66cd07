//! Memory of the affected-people sets at the scale of the 2025 breach: 30
//! million affected member ids (out of 33.7 million) in roaring sets per
//! route and per category, and 4.3 million third parties keyed by E.164
//! phone number, as `compute` holds them. Prints the sets' serialised size
//! and the process's resident memory.
//!
//! `cargo bench -p steward-impact --bench idsets` (run under
//! `/usr/bin/time -v` for the peak).
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::indexing_slicing)]

use std::time::Instant;

use roaring::RoaringTreemap;

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// A fixed pseudo-random permutation step (splitmix64).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn main() {
    let base = rss_mb();
    let started = Instant::now();
    let members: u64 = 33_700_000;
    // 30 million of them read, in a random order, spread over three routes.
    let mut routes = [
        RoaringTreemap::new(),
        RoaringTreemap::new(),
        RoaringTreemap::new(),
    ];
    let mut n = 0u64;
    for id in 1..=members {
        if mix(id) % 1000 < 891 {
            routes[(mix(id ^ 7) % 3) as usize].insert(id);
            n += 1;
        }
    }
    let mut all = RoaringTreemap::new();
    for r in &routes {
        all |= r;
    }
    // 4.3 million third parties: Korean mobiles, +82 10 XXXX XXXX.
    let third: RoaringTreemap = (0..4_300_000u64)
        .map(|i| 821_000_000_000 + mix(i) % 100_000_000)
        .collect();
    // Eight category sets per kind, as the summary intersects them.
    let cats: Vec<RoaringTreemap> = (0..8)
        .map(|i| &routes[i % 3] | &routes[(i + 1) % 3])
        .collect();
    let third_cats: Vec<RoaringTreemap> = (0..8).map(|_| third.clone()).collect();
    let secs = started.elapsed().as_secs_f64();
    let bytes = |s: &RoaringTreemap| s.serialized_size() as f64 / 1e6;
    let total: f64 = routes.iter().map(bytes).sum::<f64>()
        + bytes(&all)
        + bytes(&third)
        + cats.iter().map(bytes).sum::<f64>()
        + third_cats.iter().map(bytes).sum::<f64>();
    let t = Instant::now();
    let by_cat: u64 = cats.iter().map(|c| c.intersection_len(&all)).sum();
    let inter = t.elapsed().as_secs_f64();
    println!(
        "affected members: {} ({:.1} MB serialised), third parties: {} ({:.1} MB)",
        all.len(),
        bytes(&all),
        third.len(),
        bytes(&third)
    );
    println!(
        "all {} sets: {total:.1} MB serialised; process RSS {:.0} MB (+{:.0} MB); built in {secs:.1} s",
        3 + 2 + 16,
        rss_mb(),
        rss_mb() - base
    );
    println!("8 category intersections over {n} ids: {inter:.3} s (sum {by_cat})");
}
