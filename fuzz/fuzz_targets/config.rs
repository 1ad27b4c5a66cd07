//! The scan config parser (YAML): serde_norway, validation of ids,
//! categories, validators, fingerprints, custom patterns and path globs.
//! When a config with user-defined detectors is accepted, the engine is
//! compiled from its detectors, as `steward scan --config` does.
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward_scan::config::ScanConfig;
use steward_scan::engine::{Engine, EngineOptions};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(config) = ScanConfig::parse(&text, "fuzz.yaml") else {
        return;
    };
    let _ = config.ignore_set("fuzz.yaml");
    let Ok(detectors) = config.detectors("fuzz.yaml") else {
        return;
    };
    if !config.detectors.is_empty() {
        let options = EngineOptions {
            min_confidence: config.min_confidence.unwrap_or(0.6),
            allow_values: config.allow.values.iter().cloned().collect(),
        };
        // Compiling may fail (reported separately); it must not panic.
        let _ = Engine::new(detectors, options);
    }
});
