//! `TW_ARC`: Taiwanese resident certificate number (居留證, new format).
//!
//! **What it detects.** Since 2 January 2021: a letter, `8` or `9` (sex)
//! and eight digits, with the national ID's check digit.
//!
//! **Why it matters.** Foreign residents' identifier in Taiwan.
//!
//! **Validation.** Same letter table and checksum as the national ID.
//! Old-format ARCs (two letters) are not covered.
//!
//! **Example.** `A800000014`.
//!
//! **False positives.** As for the national ID.
//!
//! **References.** shared/DOMAIN.md §2.4 (AmCham Taiwan, 2021).

use steward_model::checks::is_valid_tw_id;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "TW_ARC",
        "Taiwanese resident certificate number",
        "user.government_id.national_identification_number.tw_arc",
        validate,
    )
    .jurisdiction("TW")
    .pattern(r"(?-u:\b)[A-Z][89]\d{8}(?-u:\b)")
    .context(&[
        "居留證",
        "居留",
        "arc",
        "resident certificate",
        "resident permit",
    ])
    .columns(&["arc", "居留證", "residentcertificate", "idnumber", "idno"])
    .describe("Taiwanese resident certificate (2021 format) with the national ID checksum.")
}

fn validate(s: &str) -> Option<Verdict> {
    is_valid_tw_id(s).then_some(Verdict::new(0.8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_model::checks::tw_id_check_digit;

    #[test]
    fn checksum() {
        let first8 = [8, 0, 0, 0, 0, 0, 0, 1];
        let c = tw_id_check_digit('A', &first8).unwrap_or(0);
        assert!(validate(&format!("A80000001{c}")).is_some());
        let wrong = (c + 1) % 10;
        assert_eq!(validate(&format!("A80000001{wrong}")), None);
    }
}
