//! gzip/zstd detection and decoding around the stream readers.
//!
//! The first byte selects what happens to the rest of the input:
//! - `sel % 3 == 0`: gzip-compress it, scan as `x.<fmt>.gz`;
//! - `sel % 3 == 1`: zstd-compress it, scan as `x.<fmt>.zst`;
//! - `sel % 3 == 2`: scan it as is under a compressed name, so corrupt or
//!   truncated gzip/zstd streams (magic bytes `1f 8b` / `28 b5 2f fd`) reach
//!   the decoders;
//!
//! and `<fmt>` is `(sel / 3) % 5` of jsonl, csv, txt, json, tsv.
#![no_main]
use std::io::Write;

use libfuzzer_sys::fuzz_target;

const FORMATS: [&str; 5] = ["jsonl", "csv", "txt", "json", "tsv"];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let fmt = FORMATS[usize::from(sel / 3) % FORMATS.len()];
    match sel % 3 {
        0 => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(body).expect("gzip into memory");
            let gz = enc.finish().expect("gzip into memory");
            let _ = steward_fuzz::scan(&format!("x.{fmt}.gz"), &gz);
        }
        1 => {
            let zst = zstd::bulk::compress(body, 1).expect("zstd into memory");
            let _ = steward_fuzz::scan(&format!("x.{fmt}.zst"), &zst);
        }
        _ => {
            let suffix = if sel & 0x80 == 0 { "gz" } else { "zst" };
            let _ = steward_fuzz::scan(&format!("x.{fmt}.{suffix}"), body);
        }
    }
});
