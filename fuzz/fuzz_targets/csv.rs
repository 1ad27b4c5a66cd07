//! CSV and TSV readers (`x.csv`, `x.tsv`): header row, flexible rows,
//! invalid UTF-8 cells, column classification, masking. Each input is
//! scanned with both delimiters.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = steward_fuzz::scan_checking_masks("x.csv", data);
    let _ = steward_fuzz::scan_checking_masks("x.tsv", data);
});
