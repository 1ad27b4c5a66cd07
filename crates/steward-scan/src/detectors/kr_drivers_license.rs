//! `KR_DRIVERS_LICENSE`: Korean driver's licence number (운전면허번호).
//!
//! **What it detects.** Twelve digits `RR-YY-NNNNNN-CC` where RR is a
//! licensing region code (11–26 or 28).
//!
//! **Why it matters.** Accepted as photo ID for identity verification.
//!
//! **Validation.** Region code only; the check pair's algorithm is not
//! public, so a context word or column name is required.
//!
//! **Example.** `운전면허 11-17-174133-01`.
//!
//! **False positives.** Any 2-2-6-2 grouped number.
//!
//! **References.** shared/DOMAIN.md §2.1; Presidio
//! `kr_driver_license_recognizer.py`.

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "KR_DRIVERS_LICENSE",
        "Korean driver's licence number",
        "user.government_id.drivers_license_number",
        validate,
    )
    .jurisdiction("KR")
    .pattern(r"(?-u:\b)(?:1[1-9]|2[0-68])-\d{2}-\d{6}-\d{2}(?-u:\b)")
    .context(&["운전면허번호", "운전면허", "면허번호", "driver's license", "drivers license", "driver licence", "driving licence", "license no", "licence no"])
    .columns(&["driverslicense", "driverlicense", "drivinglicence", "licenseno", "licenceno", "운전면허", "면허번호"])
    .needs_context()
    .describe("Korean driver's licence number (2-2-6-2 with a region code); needs a context word or column name.")
}

fn validate(s: &str) -> Option<Verdict> {
    let region: u8 = s.get(..2)?.parse().ok()?;
    (matches!(region, 11..=26 | 28)).then_some(Verdict::new(0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes() {
        assert!(validate("11-17-174133-01").is_some());
        assert_eq!(validate("27-17-174133-01"), None);
        assert_eq!(validate("10-17-174133-01"), None);
    }
}
