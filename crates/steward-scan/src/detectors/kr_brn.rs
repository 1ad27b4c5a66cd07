//! `KR_BRN`: Korean business registration number (사업자등록번호).
//!
//! **What it detects.** `NNN-NN-NNNNN` whose check digit holds.
//!
//! **Why it matters.** For a sole proprietor the BRN identifies a person,
//! and it often sits next to the owner's name and address.
//!
//! **Validation.** Weights 1,3,7,1,3,7,1,3 over d1–d8, plus 5·d9 and its
//! tens digit; `C = (10 − S mod 10) mod 10`. Without a hyphen a ten-digit
//! number is too common to report without a context word.
//!
//! **Example.** `104-86-56659`.
//!
//! **False positives.** Any hyphenated 3-2-5 number with a lucky check digit
//! (one in ten): confidence stays moderate unless a context word is near.
//!
//! **References.** shared/DOMAIN.md §2.1; Presidio `kr_brn_recognizer.py`.

use steward_model::checks::is_valid_brn;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("KR_BRN", "Korean business registration number", "user.government_id.kr_brn", validate)
        .jurisdiction("KR")
        .pattern(r"(?-u:\b)\d{3}-\d{2}-\d{5}(?-u:\b)")
        .context(&["사업자등록번호", "사업자번호", "사업자", "business registration", "brn", "tax id"])
        .columns(&["brn", "사업자", "bizno", "businessno", "businessregistration"])
        .describe("Korean business registration number (personal data for sole proprietors), check digit required.")
}

fn validate(s: &str) -> Option<Verdict> {
    is_valid_brn(s).then_some(Verdict::new(0.55))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_the_check_digit() {
        assert!(validate("104-86-56659").is_some());
        assert!(validate("116-82-00276").is_some());
        assert_eq!(validate("104-86-56658"), None);
        assert_eq!(validate("123-45-67890"), None);
    }
}
