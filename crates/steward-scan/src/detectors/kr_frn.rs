//! `KR_FRN`: Korean foreigner registration number (외국인등록번호).
//!
//! **What it detects.** `YYMMDD-GNNNNNC` with a real birth date and a
//! foreigner gender digit G of 5–8.
//!
//! **Why it matters.** Foreign residents' equivalent of the RRN, with the
//! same PIPA restrictions.
//!
//! **Validation.** The check digit is contested: Presidio and Korean web
//! validators use `(13 − S mod 11) mod 10`, python-stdnum the RRN formula.
//! Either raises confidence; neither is required.
//!
//! **Example.** `911124-5678906`, `050912-6000012`.
//!
//! **False positives.** Corporate registration numbers of the same shape.
//!
//! **References.** shared/DOMAIN.md §2.1; Presidio `kr_frn_recognizer.py`.

use steward_model::category::keys;
use steward_model::checks::check_rrn;

use super::common::{all_same_digit, resident_confidence};
use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("KR_FRN", "Korean foreigner registration number", keys::KR_FRN, validate)
        .jurisdiction("KR")
        .pattern(r"(?-u:\b)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[- ]?[5-8]\d{6}(?-u:\b)")
        .context(&["외국인등록번호", "외국인등록", "외국인", "frn", "arn", "alien registration", "foreigner registration"])
        .columns(&["frn", "arn", "외국인", "foreignerno", "alienregistration", "idnumber", "nationalid", "idno"])
        .describe("Korean foreigner registration number with a real birth date; either published check digit raises confidence.")
}

fn validate(s: &str) -> Option<Verdict> {
    let c = check_rrn(s);
    if !c.shape || !c.date || c.citizen || all_same_digit(s) {
        return None;
    }
    let confidence = resident_confidence(c.frn_checksum || c.rrn_checksum, s);
    Some(Verdict::new(confidence))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_presidio_vectors() {
        assert!(validate("911124-5678906").is_some_and(|v| v.confidence > 0.85));
        assert!(validate("050912-6000012").is_some_and(|v| v.confidence > 0.85));
    }

    #[test]
    fn rejects_citizens_and_bad_dates() {
        assert_eq!(validate("960121-1021413"), None);
        assert_eq!(validate("911324-5678906"), None);
    }
}
