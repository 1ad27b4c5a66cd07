//! Shared set-up for steward's fuzz targets: one scanner per process, and
//! the invariants checked on every report.

use std::sync::OnceLock;

use steward_model::masked::FingerprintKey;
use steward_scan::detectors::builtin;
use steward_scan::engine::{Engine, EngineOptions};
use steward_scan::{ScanOptions, Scanner, SourceReport};

/// Panics inside a format library (parquet, calamine, …) on hostile input
/// are contained by `Scanner::scan_bytes`, which fails that input only;
/// this hook lets them unwind to it. A panic in steward's own code still
/// aborts, so libFuzzer reports it as a crash.
pub fn contain_third_party_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let ours = info
                .location()
                .is_some_and(|l| l.file().contains("steward-") || l.file().contains("fuzz_targets") || l.file().starts_with("src/"));
            if ours {
                previous(info);
                std::process::abort();
            }
        }));
    });
}

fn build(show_raw: bool) -> Scanner {
    contain_third_party_panics();
    let engine = Engine::new(builtin(), EngineOptions::default()).expect("built-in detectors compile");
    Scanner::new(
        engine,
        FingerprintKey::from_bytes([7; 32]),
        ScanOptions {
            show_raw,
            ..ScanOptions::default()
        },
    )
}

/// The scanner with default options (raw values never in findings).
pub fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| build(false))
}

/// A scanner that also puts raw values in findings, so that the masked
/// excerpt can be compared with the value it masks.
pub fn raw_scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| build(true))
}

/// Scans with the default scanner and checks that no raw value leaked.
pub fn scan(name: &str, data: &[u8]) -> SourceReport {
    let report = scanner().scan_bytes(name, data.to_vec());
    for f in &report.findings {
        assert!(f.raw.is_none(), "raw value in a finding without show_raw: {f:?}");
    }
    report
}

/// Scans with the raw-value scanner and checks that every excerpt is masked:
/// an excerpt may equal the raw value only when the value already looks
/// masked (contains `*`) or is the `[redacted]` marker.
pub fn scan_checking_masks(name: &str, data: &[u8]) -> SourceReport {
    let report = raw_scanner().scan_bytes(name, data.to_vec());
    for f in &report.findings {
        let Some(raw) = &f.raw else {
            panic!("show_raw scanner produced a finding without its raw value: {f:?}");
        };
        if f.excerpt == *raw {
            assert!(
                f.excerpt.contains('*') || f.excerpt == "[redacted]",
                "excerpt is the unmasked raw value: detector {} excerpt {:?} in {name}",
                f.detector,
                f.excerpt
            );
        }
    }
    report
}

/// Lines in an input as a log reader counts them (`\n` ends a line, and so
/// does `\r` when `cr_ends_lines`); `u64::MAX` for compressed input, whose
/// lines are not known before decompression.
pub fn log_lines(body: &[u8], cr_ends_lines: bool) -> u64 {
    match steward_logs::Compression::sniff(body) {
        steward_logs::Compression::None => {
            body.iter()
                .filter(|b| **b == b'\n' || (cr_ends_lines && **b == b'\r'))
                .count() as u64
                + 1
        }
        _ => u64::MAX,
    }
}

/// Reads a log source to its end and checks the invariants every reader
/// keeps: each record error names a line within the input (`lines`), and
/// the source's counters equal what it yielded. Returns the events read.
pub fn drain_log(source: &mut steward_logs::LogSource, lines: u64) -> u64 {
    let (mut events, mut errors) = (0u64, 0u64);
    for r in &mut *source {
        match r {
            Ok(_) => events += 1,
            Err(e) => {
                errors += 1;
                assert!(
                    e.line <= lines || e.kind.name() == "read",
                    "line {} of {lines}: {e}",
                    e.line
                );
            }
        }
    }
    let c = *source.counters();
    assert_eq!((c.events, c.errors()), (events, errors));
    events
}
