//! `JP_MY_NUMBER`: Japanese individual number (個人番号, My Number).
//!
//! **What it detects.** Twelve digits, usually printed 4-4-4, whose check
//! digit holds.
//!
//! **Why it matters.** Japan restricts its use to tax, social security and
//! disaster response; leaking it is reportable.
//!
//! **Validation.** `S = Σ d1..d11 × (6,5,4,3,2,7,6,5,4,3,2)`, `r = S mod 11`,
//! `C = 0` if `r ≤ 1` else `11 − r`. Twelve bare digits pass one time in
//! eleven by chance, so they need a context word.
//!
//! **Example.** `6214 9832 0257`.
//!
//! **False positives.** Japanese driver's licence numbers are also twelve
//! digits; the check digit separates most of them.
//!
//! **References.** shared/DOMAIN.md §2.3; python-stdnum `jp/in_.py`.

use steward_model::category::keys;
use steward_model::checks::is_valid_my_number;

use super::common::{all_same_digit, consistent_separators, has_separator};
use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "JP_MY_NUMBER",
        "Japanese individual number (My Number)",
        keys::JP_MY_NUMBER,
        validate,
    )
    .jurisdiction("JP")
    .pattern(r"(?-u:\b)\d{4}[- ]?\d{4}[- ]?\d{4}(?-u:\b)")
    .context(&[
        "マイナンバー",
        "個人番号",
        "my number",
        "mynumber",
        "individual number",
    ])
    .columns(&[
        "mynumber",
        "マイナンバー",
        "個人番号",
        "individualnumber",
        "idnumber",
        "nationalid",
    ])
    .describe("Japanese My Number with its mod-11 check digit.")
}

fn validate(s: &str) -> Option<Verdict> {
    if !consistent_separators(s) || !is_valid_my_number(s) || all_same_digit(s) {
        return None;
    }
    Some(Verdict::new(if has_separator(s) { 0.7 } else { 0.35 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit() {
        assert!(validate("6214 9832 0257").is_some_and(|v| v.confidence >= 0.7));
        assert!(validate("621498320257").is_some_and(|v| v.confidence < 0.5));
        assert_eq!(validate("6214 9832 0258"), None);
        assert_eq!(validate("6214-9832 0257"), None);
    }
}
