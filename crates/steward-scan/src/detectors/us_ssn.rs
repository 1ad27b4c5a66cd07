//! `US_SSN`: United States social security number.
//!
//! **What it detects.** `AAA-GG-SSSS` (hyphens or spaces) in an issued range.
//!
//! **Why it matters.** The key to US credit and tax identity.
//!
//! **Validation.** Area 000, 666 and 900–999, group 00 and serial 0000 are
//! never issued; the published examples (078-05-1120, 457-55-5462,
//! 219-09-9999), 123-45-6789 and repeated digits are dropped. No checksum
//! exists, so a context word raises confidence.
//!
//! **Example.** `SSN 770-51-4781`.
//!
//! **False positives.** Other 3-2-4 numbers (part numbers, phone fragments).
//!
//! **References.** shared/DOMAIN.md §2.2; python-stdnum `us/ssn.py`.

use steward_model::category::keys;
use steward_model::checks::is_valid_ssn;

use super::common::consistent_separators;
use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "US_SSN",
        "US social security number",
        keys::US_SSN,
        validate,
    )
    .jurisdiction("US")
    .pattern(r"(?-u:\b)\d{3}[- ]\d{2}[- ]\d{4}(?-u:\b)")
    .context(&[
        "ssn",
        "ssn#",
        "social security",
        "social security number",
        "social sec",
    ])
    .columns(&["ssn", "socialsecurity", "idnumber", "nationalid", "taxid"])
    .describe("US social security number in an issued range; known examples dropped.")
}

fn validate(s: &str) -> Option<Verdict> {
    (consistent_separators(s) && is_valid_ssn(s)).then_some(Verdict::new(0.6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_examples() {
        assert!(validate("770-51-4781").is_some());
        assert_eq!(validate("000-75-7086"), None);
        assert_eq!(validate("666-29-9021"), None);
        assert_eq!(validate("912-34-5678"), None);
        assert_eq!(validate("078-05-1120"), None);
        assert_eq!(validate("770-51 4781"), None);
    }
}
