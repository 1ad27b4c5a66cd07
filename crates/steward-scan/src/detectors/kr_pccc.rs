//! `KR_PCCC`: Korean personal customs clearance code (개인통관고유부호).
//!
//! **What it detects.** `P` followed by twelve digits.
//!
//! **Why it matters.** Korea Customs Service issues it in place of the RRN
//! for import declarations, so every cross-border order to Korea carries
//! one. No commercial catalogue reviewed detects it.
//!
//! **Validation.** No public checksum; the shape is distinctive, and 통관,
//! 개인통관고유부호 or PCCC nearby raise confidence.
//!
//! **Example.** `개인통관고유부호 P834352566009`.
//!
//! **False positives.** Product codes of the same shape (rare).
//!
//! **References.** shared/DOMAIN.md §2.1 (librewiki 개인통관고유부호).

use steward_model::category::keys;

use super::common::all_same_digit;
use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "KR_PCCC",
        "Korean personal customs clearance code",
        keys::KR_PCCC,
        validate,
    )
    .jurisdiction("KR")
    .pattern(r"(?-u:\b)[Pp]\d{12}(?-u:\b)")
    .context(&[
        "개인통관고유부호",
        "통관고유부호",
        "통관부호",
        "통관",
        "pccc",
        "customs clearance",
        "customs code",
    ])
    .columns(&[
        "pccc",
        "통관",
        "customscode",
        "customsclearance",
        "customsid",
    ])
    .describe("Korean personal customs clearance code: P and twelve digits.")
}

fn validate(s: &str) -> Option<Verdict> {
    let rest = s.get(1..)?;
    (rest.len() == 12 && rest.bytes().all(|b| b.is_ascii_digit()) && !all_same_digit(rest))
        .then_some(Verdict::new(0.75))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        assert!(validate("P834352566009").is_some());
        assert_eq!(validate("P000000000000"), None);
        assert_eq!(validate("P83435256600"), None);
    }
}
