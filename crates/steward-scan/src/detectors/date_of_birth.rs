//! `DATE_OF_BIRTH`: dates of birth, where a label or column says so.
//!
//! **What it detects.** A date (`1990-06-03`, `1990.06.03`, `06/03/1990`,
//! `1990년 6월 3일`) after a label such as 생년월일, date of birth, DOB or
//! born, or in a column named birth date, DOB, 생년월일.
//!
//! **Why it matters.** With a name, a birth date singles a person out and
//! answers many identity checks.
//!
//! **Validation.** A real calendar date with a year from 1900 to 2030. A
//! date without a label is a timestamp, not a birth date, so it is never
//! reported.
//!
//! **Example.** `생년월일: 1990-06-03`.
//!
//! **False positives.** Other dates placed right after the label.
//!
//! **References.** shared/DOMAIN.md §2.8 (Google `DATE_OF_BIRTH`).

use steward_model::category::keys;
use steward_model::checks::is_real_date;

use crate::detector::{Detector, Verdict};

const DATE: &str =
    r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}/\d{1,2}/\d{4}|\d{4}년 ?\d{1,2}월 ?\d{1,2}일";

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("DATE_OF_BIRTH", "Date of birth", keys::DATE_OF_BIRTH, validate)
        .pattern(&format!(
            r"(?:생년월일|생일|출생일|[Dd]ate of [Bb]irth|[Bb]irth ?[Dd]ate|[Bb]irthday|DOB|[Dd]ob|[Bb]orn(?: on)?|生年月日|出生日期)[\s:=：]{{0,3}}(?P<v>{DATE})(?-u:\b)"
        ))
        .cell_pattern(DATE)
        .context(&["생년월일", "birth", "dob", "born", "生年月日", "出生"])
        .columns(&["birth", "dob", "생년월일", "생일", "출생", "生年月日", "出生"])
        .needs_context()
        .describe("Dates of birth after a label or in a birth-date column.")
}

fn validate(s: &str) -> Option<Verdict> {
    let nums: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .filter_map(|p| p.parse().ok())
        .collect();
    let (y, m, d) = match nums.as_slice() {
        [y, m, d] if *y >= 1000 => (*y, *m, *d),
        [m, d, y] => (*y, *m, *d),
        _ => return None,
    };
    ((1900..=2030).contains(&y) && is_real_date(y, m, d)).then_some(Verdict::new(0.6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_only() {
        assert!(validate("1990-06-03").is_some());
        assert!(validate("06/03/1990").is_some());
        assert!(validate("1990년 6월 3일").is_some());
        assert_eq!(validate("1990-13-03"), None);
        assert_eq!(validate("1850-01-01"), None);
    }
}
