//! SQLite reader (`x.sqlite`): bytes copied to a temporary file, opened
//! read-only, every table read with `SELECT *`, primary-key detection.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = steward_fuzz::scan("x.sqlite", data);
});
