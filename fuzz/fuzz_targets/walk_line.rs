//! The JSON Lines structural walker, line by line with one path book (so
//! lines shaped like the last one take the template fast path), with its
//! output invariants: leaves lie inside the line, string leaves sit
//! between quotes, error offsets are within the line, and every line gives
//! the same answer as a walk with a fresh book (no template).
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward_scan::readers::json::{PathBook, walk_line};

fuzz_target!(|data: &[u8]| {
    let mut book = PathBook::default();
    for line in data.split(|b| *b == b'\n') {
        let mut out = Vec::new();
        let got = walk_line(line, &mut book, &mut out);
        let mut fresh = PathBook::default();
        let mut expected = Vec::new();
        let want = walk_line(line, &mut fresh, &mut expected);
        assert_eq!(got, want, "template and walk disagree on {line:?}");
        assert_eq!(out, expected, "template and walk disagree on {line:?}");
        match got {
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
    }
});
