//! Parquet reader (`x.parquet`): footer/metadata decoding, row groups,
//! Arrow record batches rendered as text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = steward_fuzz::scan("x.parquet", data);
});
