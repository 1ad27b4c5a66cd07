//! Plain text / log reader (`x.txt`): binary sniffing, UTF-16 transcoding,
//! chunking, line/offset bookkeeping, masking of excerpts.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = steward_fuzz::scan_checking_masks("x.txt", data);
});
