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
fn contain_third_party_panics() {
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
