//! `KR_RRN`: Korean resident registration number (주민등록번호).
//!
//! **What it detects.** `YYMMDD-GNNNNNC` with a real birth date and a
//! citizen gender digit G of 1–4.
//!
//! **Why it matters.** The RRN is the master key of Korean identity; PIPA
//! Art. 24-2 forbids processing it without a legal basis and requires
//! encryption when it is kept.
//!
//! **Validation.** The legacy check digit `(11 − Σ d·w mod 11) mod 10`.
//! Numbers assigned since 5 Oct 2020 have random digits after G, so a failed
//! checksum lowers confidence instead of rejecting.
//!
//! **Example.** `960121-1021413` (checksum holds), `주민번호 721114-2482565`
//! (post-2020 shape, context word).
//!
//! **False positives.** Corporate registration numbers (법인등록번호) share
//! the shape; 13-digit barcodes without a hyphen (a real date is required).
//!
//! **References.** shared/DOMAIN.md §2.1; python-stdnum `kr/rrn.py`.

use steward_model::category::keys;
use steward_model::checks::check_rrn;

use super::common::{all_same_digit, resident_confidence};
use crate::detector::{Detector, Verdict};

/// Words that mark a nearby number as an RRN.
pub const CONTEXT: &[&str] = &[
    "주민등록번호",
    "주민번호",
    "주민",
    "rrn",
    "resident registration",
    "resident number",
    "jumin",
];

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("KR_RRN", "Korean resident registration number", keys::KR_RRN, validate)
        .jurisdiction("KR")
        .pattern(r"(?-u:\b)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[- ]?[1-4]\d{6}(?-u:\b)")
        .context(CONTEXT)
        .columns(&["rrn", "jumin", "주민", "residentno", "residentnumber", "residentregistration", "idnumber", "nationalid", "idno"])
        .describe("Korean resident registration number with a real birth date; check digit where it applies (pre-Oct-2020 numbers).")
}

fn validate(s: &str) -> Option<Verdict> {
    let c = check_rrn(s);
    if !c.shape || !c.date || !c.citizen || all_same_digit(s) {
        return None;
    }
    let confidence = resident_confidence(c.rrn_checksum, s);
    Some(Verdict::new(confidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_checksummed_and_post_2020_numbers() {
        assert!(validate("960121-1021413").is_some_and(|v| v.confidence > 0.9));
        assert!(validate("050912-2000019").is_some_and(|v| v.confidence > 0.9));
        assert!(validate("721114-2482565").is_some_and(|v| v.confidence < 0.6));
    }

    #[test]
    fn rejects_bad_dates_foreigners_and_repeats() {
        assert_eq!(validate("961321-1021413"), None);
        assert_eq!(validate("911124-5678906"), None);
        assert_eq!(validate("000000-0000000"), None);
    }
}
