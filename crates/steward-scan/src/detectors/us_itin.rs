//! `US_ITIN`: US individual taxpayer identification number.
//!
//! **What it detects.** `9XX-GG-XXXX` with a group of 50–65, 70–88, 90–92
//! or 94–99.
//!
//! **Why it matters.** The tax identity of people who cannot get an SSN.
//!
//! **Validation.** The group ranges the IRS assigns (group 93 is an ATIN).
//!
//! **Example.** `912-70-1234`.
//!
//! **False positives.** Other 3-2-4 numbers starting with 9.
//!
//! **References.** shared/DOMAIN.md §2.2; Presidio `us_itin_recognizer.py`.

use super::common::consistent_separators;
use crate::detector::{Detector, Verdict};
use steward_model::checks::is_valid_itin;

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "US_ITIN",
        "US individual taxpayer identification number",
        "user.government_id.national_identification_number.us_itin",
        validate,
    )
    .jurisdiction("US")
    .pattern(r"(?-u:\b)9\d{2}[- ](?:5\d|6[0-5]|7\d|8[0-8]|9[0-2]|9[4-9])[- ]\d{4}(?-u:\b)")
    .context(&["itin", "taxpayer identification", "tax id", "tin"])
    .columns(&["itin", "taxid", "tin"])
    .describe("US individual taxpayer identification number, group ranges checked.")
}

fn validate(s: &str) -> Option<Verdict> {
    (consistent_separators(s) && is_valid_itin(s)).then_some(Verdict::new(0.6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups() {
        assert!(validate("912-70-1234").is_some());
        assert!(validate("912-50-1234").is_some());
        assert_eq!(validate("912-93-1234"), None);
        assert_eq!(validate("812-70-1234"), None);
    }
}
