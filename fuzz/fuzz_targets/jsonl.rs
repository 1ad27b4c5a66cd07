//! JSON Lines reader (`x.jsonl`): the structural line walker, mapping engine
//! hits to leaves, escape decoding, per-path column tallies, masking.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = steward_fuzz::scan_checking_masks("x.jsonl", data);
});
