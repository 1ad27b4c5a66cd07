//! `POSTAL_CODE`: postal codes, where a label or column says so.
//!
//! **What it detects.** Korean five-digit codes (first two digits 01–63),
//! Japanese `NNN-NNNN`, US ZIP and ZIP+4, Taiwanese three or five digits,
//! and European shapes (five digits, Dutch `NNNN AA`, Polish `NN-NNN`, Irish
//! Eircodes, UK postcodes), after a label (우편번호, postal code, ZIP, 〒)
//! or in a postal-code column.
//!
//! **Why it matters.** With a birth date and sex a postcode narrows a
//! person down to a handful of people; it is part of every delivery address.
//!
//! **Validation.** Shape only, so a label or column is required.
//!
//! **Example.** `우편번호 02389`, `〒091-5915`.
//!
//! **False positives.** Any short number after the label.
//!
//! **References.** shared/DOMAIN.md §2.1 and §2.3.

use steward_model::category::keys;

use crate::detector::{Detector, Verdict};

const CODE: &str = r"\d{3}-\d{4}|\d{5}(?:-\d{4})?|\d{3}|\d{4} ?[A-Z]{2}|\d{2}-\d{3}|[A-Z]\d{2} ?[A-Z0-9]{4}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{4}";

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("POSTAL_CODE", "Postal code", keys::POSTAL_CODE, validate)
        .pattern(&format!(
            r"(?:우편번호|[Pp]ostal [Cc]ode|[Pp]ostcode|ZIP|[Zz]ip(?: [Cc]ode)?|〒|郵遞區號)[\s:=：]{{0,3}}(?P<v>{CODE})(?-u:\b)"
        ))
        .cell_pattern(CODE)
        .context(&["우편번호", "postal", "postcode", "zip", "〒", "郵遞區號"])
        .columns(&["postal", "postcode", "zip", "우편번호", "郵便番号", "郵遞區號"])
        .needs_context()
        .describe("Postal codes of Korea, Japan, the US, Taiwan and Europe after a label or in a postal-code column.")
}

fn validate(s: &str) -> Option<Verdict> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == 5 && s.len() == 5 && digits.get(..2).is_some_and(|p| p > "63") {
        // Still a valid US ZIP or European code: keep, with less confidence.
        return Some(Verdict::new(0.45));
    }
    Some(Verdict::new(0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_shape_is_weak_alone() {
        assert!(validate("02389").is_some_and(|v| v.confidence <= 0.5));
        assert!(validate("091-5915").is_some());
    }
}
