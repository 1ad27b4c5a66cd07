//! Probe: raw multi-pattern regex throughput on a file.
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::expect_used)]
use regex_automata::meta::Regex;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let hay = std::fs::read(&args[1]).unwrap();
    let ds = steward_scan::detectors::builtin();
    let drop: Vec<String> = args
        .get(2)
        .map(|s| s.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let nob = std::env::var("NOB").is_ok();
    let pats: Vec<String> = ds
        .iter()
        .filter(|d| !drop.contains(&d.id))
        .filter_map(|d| d.pattern.clone())
        .map(|p| if nob { p.replace("(?-u:\\b)", "") } else { p })
        .collect();
    for cap in [32usize] {
        let re = Regex::builder()
            .configure(Regex::config().hybrid_cache_capacity(cap * 1024 * 1024))
            .build_many(&pats)
            .unwrap();
        let t = std::time::Instant::now();
        let n = re.find_iter(&hay).count();
        let s = t.elapsed().as_secs_f64();
        println!(
            "cache {cap} MB: {n} matches, {:.2} s, {:.0} MB/s",
            s,
            hay.len() as f64 / s / 1e6
        );
    }
    if std::env::var("EACH").is_err() {
        return;
    }
    // Each pattern alone.
    for (d, p) in ds.iter().filter_map(|d| d.pattern.as_ref().map(|p| (d, p))) {
        let re = Regex::new(p).unwrap();
        let t = std::time::Instant::now();
        let n = re.find_iter(&hay).count();
        println!("{:<20} {n:>8} {:.3} s", d.id, t.elapsed().as_secs_f64());
    }
}
