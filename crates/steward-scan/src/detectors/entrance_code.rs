//! `ENTRANCE_CODE`: building entrance codes (공동현관 비밀번호).
//!
//! **What it detects.** Door codes such as `#1234*`, `*1234#` or `1234#`
//! after a label (공동현관, 현관 비밀번호, door code, entrance code) or in a
//! column named entrance code, door code, 공동현관.
//!
//! **Why it matters.** Korean delivery platforms store the code that opens
//! a customer's building; with the address it is a key to their home.
//!
//! **Validation.** Three to eight digits with optional `#`/`*`; a label or
//! column is required.
//!
//! **Example.** `공동현관 비밀번호 #4791*`.
//!
//! **False positives.** Other short numbers after the label.
//!
//! **References.** shared/DOMAIN.md §3.3 (steward extension category).

use steward_model::category::keys;
use steward_model::masked::MaskStyle;

use crate::detector::{Detector, Verdict};

const CODE: &str = r"[#*]?\d{3,8}[#*]?";

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("ENTRANCE_CODE", "Building entrance code", keys::ENTRANCE_CODE, validate)
        .jurisdiction("KR")
        .pattern(&format!(r"(?:공동현관(?: 비밀번호| 비번)?|현관 ?비밀번호|현관 ?비번|[Dd]oor ?[Cc]ode|[Ee]ntrance [Cc]ode|[Gg]ate [Cc]ode)[\s:=：]{{0,3}}(?P<v>{CODE})"))
        .cell_pattern(CODE)
        .context(&["공동현관", "현관", "door code", "entrance code", "gate code"])
        .columns(&["entrance", "doorcode", "gatecode", "공동현관", "현관"])
        .needs_context()
        .mask(MaskStyle::Full)
        .describe("Building entrance codes after a label or in an entrance-code column.")
}

fn validate(s: &str) -> Option<Verdict> {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (3..=8).contains(&digits).then_some(Verdict::new(0.5))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(validate("#4791*").is_some());
        assert!(validate("1234#").is_some());
        assert_eq!(validate("#12*"), None);
    }
}
