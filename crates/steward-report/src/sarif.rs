//! The SARIF 2.1.0 (OASIS) envelope every steward writer shares: one run
//! of the `steward` driver with its rules and results.

use std::io::Write;

use serde_json::{Value, json};

/// Writes a SARIF log of one run with `rules` (reporting descriptors) and
/// `results`.
///
/// # Errors
/// I/O or serialisation errors.
pub fn write_log(w: &mut dyn Write, rules: Vec<Value>, results: Vec<Value>) -> std::io::Result<()> {
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "steward",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/steward-privacy/steward",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *w, &log)?;
    w.write_all(b"\n")
}

/// A path as a URI reference (percent-encoding what SARIF consumers choke
/// on).
#[must_use]
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '%' => out.push_str("%25"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            _ => out.push(c),
        }
    }
    out
}
