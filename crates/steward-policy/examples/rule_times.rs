//! Where the time of a large check goes: parsing, building the facts, all
//! rules, then each rule alone (with the shared helpers). Uses the bench's
//! manifest of 10,000 datasets and 50,000 flows; `BAD=n` makes every nth
//! flow lack a transfer basis (default 50; `BAD=1` for the worst case).
//!
//! `WRITE=path` also writes the manifest there (for timing `steward check`).
//!
//! `cargo run --release -p steward-policy --example rule_times`
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::indexing_slicing)]
#[path = "../benches/check.rs"]
#[allow(dead_code)]
mod b;
fn main() {
    let bad: usize = std::env::var("BAD")
        .ok()
        .and_then(|b| b.parse().ok())
        .unwrap_or(50);
    let text = b::manifest(10_000, 50_000, bad);
    if let Ok(out) = std::env::var("WRITE") {
        std::fs::write(&out, &text).unwrap();
        println!("wrote {out} ({} bytes)", text.len());
    }
    let t = std::time::Instant::now();
    let typed: steward_model::manifest::Manifest = serde_norway::from_str(&text).unwrap();
    println!(
        "serde_norway alone {:?} ({} flows)",
        t.elapsed(),
        typed.flows.len()
    );
    drop(typed);
    let t = std::time::Instant::now();
    let loaded = steward_policy::load::parse_manifest("big.yaml", &text).unwrap();
    println!("parse {:?}", t.elapsed());
    let input = steward_policy::CheckInput {
        manifest: &loaded.manifest,
        root: std::path::Path::new("."),
        found: &[],
        roster: None,
        as_of: jiff::civil::date(2025, 5, 1),
    };
    let t = std::time::Instant::now();
    let doc = steward_policy::facts::build(&input, &loaded.lines);
    println!("facts {:?}", t.elapsed());
    if std::env::args().nth(1).as_deref() == Some("facts") {
        return;
    }
    let mut rules = steward_policy::PolicySet::builtin().unwrap();
    rules.rules().unwrap();
    let t = std::time::Instant::now();
    let d = rules.check(&doc).unwrap();
    println!("check {:?} {}", t.elapsed(), d.len());
    for (file, text) in steward_policy::packs::FILES.iter().skip(1) {
        let mut one = steward_policy::PolicySet::empty();
        one.add_source(
            steward_policy::packs::FILES[0].0,
            steward_policy::packs::FILES[0].1,
        )
        .unwrap();
        one.add_source(file, text).unwrap();
        one.rules().unwrap();
        let t = std::time::Instant::now();
        let n = one.check(&doc).unwrap().len();
        println!("  {file:45} {:?} {n}", t.elapsed());
    }
}
