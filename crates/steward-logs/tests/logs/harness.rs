//! Fixture paths, running a mapping over an input, rendering results.

use std::path::PathBuf;

use serde_json::{Value, json};
use steward_logs::{LogSource, Mapping, RecordReport};

/// A fixture file.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The fixture's bytes.
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

/// Everything a source gives: events as JSON and errors as text.
pub struct Run {
    pub events: Vec<Value>,
    pub errors: Vec<String>,
    pub report: RecordReport,
}

/// Reads a whole source.
pub fn drain(mut source: LogSource) -> Run {
    let mut events = Vec::new();
    let mut errors = Vec::new();
    for r in &mut source {
        match r {
            Ok(e) => events.push(serde_json::to_value(e).unwrap()),
            Err(e) => errors.push(e.to_string()),
        }
    }
    Run {
        events,
        errors,
        report: source.report(),
    }
}

/// Opens a file with a built-in mapping and reads it all.
pub fn run_builtin(mapping: &str, path: &std::path::Path) -> Run {
    let m = Mapping::builtin(mapping).unwrap();
    drain(LogSource::open(path, &m).unwrap())
}

/// A run as one JSON value, for snapshots (file names only, so that the
/// snapshot does not depend on where the repository is).
pub fn render(run: &Run) -> Value {
    let c = run.report.counters;
    let dir = format!(
        "{}/",
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .display()
    );
    json!({
        "format": run.report.format.name(),
        "compression": run.report.compression.name(),
        "counters": {
            "records": c.records,
            "events": c.events,
            "skipped": c.skipped,
            "parse_errors": c.parse_errors,
            "field_errors": c.field_errors,
            "too_long": c.too_long,
            "read_errors": c.read_errors,
        },
        "events": run.events,
        "errors": run.errors.iter().map(|e| e.replace(&dir, "")).collect::<Vec<_>>(),
    })
}
