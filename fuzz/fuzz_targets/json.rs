//! JSON document reader (`x.json`): serde_json parse, leaves with depth
//! limit, fallback to JSON Lines when the document is several lines.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = steward_fuzz::scan("x.json", data);
});
