//! `KR_PASSPORT`: Korean passport number (여권번호).
//!
//! **What it detects.** Old books `[MSROD]` + 8 digits; books since 2021 a
//! letter, three digits, a letter and four digits (`M123A4567`).
//!
//! **Why it matters.** A passport number with a name is enough to book
//! travel or open accounts abroad.
//!
//! **Validation.** None is public, so a context word (여권, passport) or a
//! column name is required.
//!
//! **Example.** `여권번호: M123A4567`.
//!
//! **False positives.** The new shape collides with part and order codes,
//! which is why context is required.
//!
//! **References.** shared/DOMAIN.md §2.1; Presidio `kr_passport_recognizer.py`.

use steward_model::category::keys;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "KR_PASSPORT",
        "Korean passport number",
        keys::PASSPORT,
        validate,
    )
    .jurisdiction("KR")
    .pattern(r"(?-u:\b)(?:[MSROD]\d{8}|[MSROD]\d{3}[A-Z]\d{4})(?-u:\b)")
    .context(&[
        "여권번호",
        "여권",
        "passport",
        "passport no",
        "passport number",
    ])
    .columns(&["passport", "여권"])
    .needs_context()
    .describe("Korean passport number (old and 2021 formats); needs a context word or column name.")
}

fn validate(s: &str) -> Option<Verdict> {
    (s.len() == 9).then_some(Verdict::new(0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(validate("M12345678").is_some());
        assert!(validate("M123A4567").is_some());
        assert_eq!(validate("M1234567"), None);
    }
}
