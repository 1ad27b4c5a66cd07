//! `TW_NATIONAL_ID`: Taiwanese national identification number
//! (國民身分證統一編號).
//!
//! **What it detects.** A letter, `1` or `2` (sex) and eight digits whose
//! check digit holds.
//!
//! **Why it matters.** Taiwan's PDPA treats it as a direct identifier; it
//! appears on every identity verification.
//!
//! **Validation.** The letter maps to two digits (A=10 … Z=33, with I, O, W
//! and Z out of order); `x1 + 9·x2 + 8d1 + … + d8 + d9 ≡ 0 (mod 10)`.
//!
//! **Example.** `A123456789`, `F131104093`.
//!
//! **False positives.** One in ten random letter+digit codes of the same
//! shape; confidence is high only with the sex digit and checksum together.
//!
//! **References.** shared/DOMAIN.md §2.4.

use steward_model::category::keys;
use steward_model::checks::is_valid_tw_id;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "TW_NATIONAL_ID",
        "Taiwanese national ID",
        keys::TW_ID,
        validate,
    )
    .jurisdiction("TW")
    .pattern(r"(?-u:\b)[A-Z][12]\d{8}(?-u:\b)")
    .context(&[
        "身分證",
        "身份證",
        "統一編號",
        "national id",
        "id number",
        "id no",
    ])
    .columns(&["twid", "身分證", "身份證", "idnumber", "nationalid", "idno"])
    .describe("Taiwanese national ID: letter, sex digit and check digit.")
}

fn validate(s: &str) -> Option<Verdict> {
    is_valid_tw_id(s).then_some(Verdict::new(0.85))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit() {
        assert!(validate("A123456789").is_some());
        assert!(validate("F131104093").is_some());
        assert_eq!(validate("A123456788"), None);
        assert_eq!(validate("W200468699"), None);
    }
}
