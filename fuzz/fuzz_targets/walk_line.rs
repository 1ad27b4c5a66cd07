//! The JSON Lines structural walker on one line, with its output
//! invariants: leaves lie inside the line, string leaves sit between
//! quotes, and error offsets are within the line.
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward_scan::readers::json::{PathBook, walk_line};

fuzz_target!(|line: &[u8]| {
    let mut book = PathBook::default();
    let mut out = Vec::new();
    match walk_line(line, &mut book, &mut out) {
        Ok(()) => {
            for leaf in &out {
                assert!(leaf.start <= leaf.end && leaf.end <= line.len(), "leaf out of range: {leaf:?}");
                if leaf.string {
                    assert_eq!(line.get(leaf.start.wrapping_sub(1)), Some(&b'"'), "{leaf:?}");
                    assert_eq!(line.get(leaf.end), Some(&b'"'), "{leaf:?}");
                }
                let _ = book.name(leaf.path);
            }
        }
        Err((at, why)) => {
            assert!(at <= line.len(), "error offset {at} beyond line of {} bytes: {why}", line.len());
        }
    }
});
