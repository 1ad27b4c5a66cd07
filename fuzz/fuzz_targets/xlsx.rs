//! Spreadsheet reader (`x.xlsx`) via calamine, which sniffs the container:
//! XLSX/XLSM (zip + XML), XLSB, XLS (CFB) and ODS.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = steward_fuzz::scan("x.xlsx", data);
});
