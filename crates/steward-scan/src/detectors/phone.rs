//! `PHONE`: telephone numbers of the platform's countries and E.164.
//!
//! **What it detects.**
//! - Korea: mobile `010-XXXX-XXXX` (legacy 011, 016–019), Seoul `02`,
//!   regional `031`–`064`, VoIP `070`, safe numbers `050X`.
//! - Japan: mobile `070/080/090-XXXX-XXXX`, IP phone `050`, landlines with
//!   ten digits.
//! - Taiwan: mobile `09XX-XXX-XXX`.
//! - US/NANP: `(NPA) NXX-XXXX` and `NPA-NXX-XXXX`, N = 2–9.
//! - Everywhere: `+` country code and national number (E.164, 8–15 digits).
//!
//! **Why it matters.** A phone number reaches a person directly and links
//! accounts across services; the breach exposed tens of millions.
//!
//! **Validation.** Numbering-plan prefixes and digit counts per country,
//! one separator style throughout; the country is reported when the
//! prefix tells it (`070` is both Korean VoIP and Japanese mobile, so it
//! tells nothing).
//!
//! **Example.** `010-0132-8261`, `+33 6 13 53 86 41`, `(727) 805-1222`.
//!
//! **False positives.** Dates and version numbers do not fit the plans;
//! NANP `555-01XX` fictional numbers and Korean `15XX` business numbers are
//! dropped.
//!
//! **References.** shared/DOMAIN.md §2.1–2.5; libphonenumber metadata
//! (python-phonenumbers `region_KR.py`, `region_US.py`).

use steward_model::category::keys;

use super::common::{consistent_separators, digits};
use crate::detector::{Detector, Verdict};

const PATTERN: &str = concat!(
    r"(?-u:\b)01[016789][- .]?\d{3,4}[- .]?\d{4}(?-u:\b)",
    r"|(?-u:\b)0(?:2|3[1-3]|4[1-4]|5[1-5]|6[1-4]|70|50[2-8])[- .]\d{3,4}[- .]\d{4}(?-u:\b)",
    r"|(?-u:\b)0[5-9]0-\d{4}-\d{4}(?-u:\b)",
    r"|(?-u:\b)0\d{1,3}-\d{2,4}-\d{4}(?-u:\b)",
    r"|(?-u:\b)09\d{2}-?\d{3}-?\d{3}(?-u:\b)",
    r"|\([2-9]\d{2}\) ?[2-9]\d{2}-\d{4}(?-u:\b)",
    r"|(?-u:\b)[2-9]\d{2}[-.][2-9]\d{2}[-.]\d{4}(?-u:\b)",
    r"|\+\d{1,3}(?:[ -]\(?\d{1,8}\)?){1,5}(?-u:\b)",
    r"|\+\d{8,15}(?-u:\b)",
);

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("PHONE", "Telephone number", keys::PHONE, validate)
        .pattern(PATTERN)
        .context(&["phone", "tel", "mobile", "call", "contact", "전화", "전화번호", "연락처", "휴대폰", "핸드폰", "電話", "携帯", "手機", "電話號碼"])
        .columns(&["phone", "tel", "mobile", "cellphone", "msisdn", "전화", "연락처", "휴대폰", "電話", "手機"])
        .not_columns(&["phonetype", "phoneverified"])
        .describe("Telephone numbers: Korean, Japanese, Taiwanese and NANP numbering plans, and E.164 with a country code.")
}

fn validate(s: &str) -> Option<Verdict> {
    if let Some(intl) = s.strip_prefix('+') {
        return international(intl);
    }
    if s.starts_with('(') {
        return nanp(s);
    }
    if !consistent_separators(s) {
        return None;
    }
    let mut buf = [0u8; 16];
    let text = ascii_digits(s, &mut buf)?;
    let n = text.len();
    let v = Verdict::new(0.7);
    match text {
        [b'0', b'1', b'0', ..] if n == 11 => Some(Verdict::new(0.8).of("KR")),
        [b'0', b'1', b'1' | b'6'..=b'9', ..] if n == 10 || n == 11 => Some(v.of("KR")),
        [b'0', b'2', ..] if (9..=10).contains(&n) => Some(v.of("KR")),
        [b'0', b'9', ..] if n == 10 => Some(v.of("TW")),
        [b'0', b'8' | b'9', b'0', ..] if n == 11 => Some(v.of("JP")),
        [b'0', b'7', b'0', ..] if n == 11 => Some(v),
        [b'0', b'5', b'0', ..] if n == 11 || n == 12 => Some(v),
        [b'0', b'3' | b'4' | b'5' | b'6', ..] if kr_area(text) && (10..=11).contains(&n) => {
            Some(v.of("KR"))
        }
        [b'0', ..] if n == 10 => Some(Verdict::new(0.55).of("JP")),
        [b'2'..=b'9', ..] if n == 10 => nanp(s),
        _ => None,
    }
}

/// The digits of `s` as ASCII in `buf` (full-width digits too; `-`, space
/// and `.` skipped), as [`digits`] reads them; `None` for any other
/// character, or for more digits than any phone number has.
fn ascii_digits<'b>(s: &str, buf: &'b mut [u8; 16]) -> Option<&'b [u8]> {
    let mut n = 0;
    for c in s.chars() {
        if let Some(d) = steward_model::checks::digit_or_separator(c)? {
            *buf.get_mut(n)? = b'0' + d;
            n += 1;
        }
    }
    buf.get(..n)
}

fn kr_area(text: &[u8]) -> bool {
    matches!(
        text.get(..3),
        Some(
            b"031"
                | b"032"
                | b"033"
                | b"041"
                | b"042"
                | b"043"
                | b"044"
                | b"051"
                | b"052"
                | b"053"
                | b"054"
                | b"055"
                | b"061"
                | b"062"
                | b"063"
                | b"064"
        )
    )
}

fn nanp(s: &str) -> Option<Verdict> {
    let d = digits(&s.replace(['(', ')'], ""))?;
    let [a, _, _, e, f, g, ..] = d.as_slice() else {
        return None;
    };
    let npa_n11 = d.get(1) == Some(&1) && d.get(2) == Some(&1);
    let fictional = [*e, *f, *g] == [5, 5, 5] && d.get(6) == Some(&0) && d.get(7) == Some(&1);
    (d.len() == 10 && *a >= 2 && *e >= 2 && !npa_n11 && !fictional)
        .then_some(Verdict::new(0.65).of("US"))
}

fn international(intl: &str) -> Option<Verdict> {
    let d = digits(&intl.replace(['(', ')'], ""))?;
    if !(8..=15).contains(&d.len()) {
        return None;
    }
    let text: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    let country = steward_model::calling_codes::country_of(&text)?;
    Some(Verdict::new(0.8).of(country))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_digits_read_as_digits_does() {
        for s in [
            "010-1234-5678",
            "０１０ １２３４ ５６７８",
            "02.123.4567",
            "",
            "1a2",
            "+82",
            "1234567890123456",
            "12345678901234567",
        ] {
            let mut buf = [0u8; 16];
            let old: Option<Vec<u8>> = digits(s)
                .filter(|d| d.len() <= 16)
                .map(|d| d.iter().map(|x| b'0' + x).collect());
            assert_eq!(ascii_digits(s, &mut buf).map(<[u8]>::to_vec), old, "{s:?}");
        }
    }

    fn country(s: &str) -> Option<Option<&'static str>> {
        validate(s).map(|v| v.jurisdiction)
    }

    #[test]
    fn national_plans() {
        assert_eq!(country("010-0132-8261"), Some(Some("KR")));
        assert_eq!(country("01001328261"), Some(Some("KR")));
        assert_eq!(country("02-123-4567"), Some(Some("KR")));
        assert_eq!(country("031-1234-5678"), Some(Some("KR")));
        assert_eq!(country("090-9492-2752"), Some(Some("JP")));
        assert_eq!(country("070-3052-6252"), Some(None));
        assert_eq!(country("0953-701-714"), Some(Some("TW")));
        assert_eq!(country("(727) 805-1222"), Some(Some("US")));
        assert_eq!(country("617-635-3438"), Some(Some("US")));
    }

    #[test]
    fn international_numbers() {
        assert_eq!(country("+33 6 13 53 86 41"), Some(Some("FR")));
        assert_eq!(country("+353 87 143 18298"), Some(Some("IE")));
        assert_eq!(country("+49 151 57159300"), Some(Some("DE")));
        assert_eq!(country("+82 10-1234-5678"), Some(Some("KR")));
    }

    #[test]
    fn rejects_fictional_mixed_and_short() {
        assert_eq!(country("212-555-0143"), None);
        assert_eq!(country("010-1234 5678"), None);
        assert_eq!(country("123-456-7890"), None);
        assert_eq!(country("+12 34"), None);
        assert_eq!(country("(211) 555-1234"), None);
    }
}
