//! Phone numbers normalised to E.164, held as a `u64` of their digits so
//! they fit compressed id sets, and the country their calling code (or,
//! for numbers written in national format, their numbering plan) implies.
//!
//! National formats recognised: Korean mobiles `01X-XXXX-XXXX`, Japanese
//! mobiles `0X0-XXXX-XXXX` (X in 7, 8, 9), Taiwanese mobiles `09XX-XXX-XXX`
//! and North American `(NXX) NXX-XXXX`. Anything else needs a `+` and a
//! calling code.

/// A phone number in E.164, as the number its digits spell (`+82 10-1234-5678`
/// is `821012345678`).
pub type E164 = u64;

/// Normalises a phone number to E.164 digits; `None` when the text is not a
/// number steward can place (no calling code and no recognised national
/// format).
#[must_use]
pub fn normalise(text: &str) -> Option<E164> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let international = text.trim_start().starts_with('+');
    let e164 = if international {
        digits
    } else {
        national(&digits)?
    };
    if !(8..=15).contains(&e164.len()) || e164.starts_with('0') {
        return None;
    }
    e164.parse().ok()
}

/// A nationally written number with its calling code put in front.
fn national(d: &str) -> Option<String> {
    let b = d.as_bytes();
    match (b.len(), b) {
        // Korean mobile: 010, 011, 016-019.
        (11, [b'0', b'1', b'0' | b'1' | b'6'..=b'9', ..]) => d.get(1..).map(|r| format!("82{r}")),
        // Japanese mobile: 070, 080, 090.
        (11, [b'0', b'7'..=b'9', b'0', ..]) => d.get(1..).map(|r| format!("81{r}")),
        // Taiwanese mobile: 09XX-XXX-XXX.
        (10, [b'0', b'9', ..]) => d.get(1..).map(|r| format!("886{r}")),
        // North American: NXX NXX XXXX, N in 2-9.
        (10, [b'2'..=b'9', _, _, b'2'..=b'9', ..]) => Some(format!("1{d}")),
        _ => None,
    }
}

/// The country a number's calling code is assigned to.
#[must_use]
pub fn country(e164: E164) -> Option<&'static str> {
    steward_model::calling_codes::country_of(&e164.to_string())
}

/// The number written as `+` and its digits.
#[must_use]
pub fn display(e164: E164) -> String {
    format!("+{e164}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_and_international_forms_normalise_alike() {
        assert_eq!(normalise("010-1234-5678"), Some(821_012_345_678));
        assert_eq!(normalise("+82 10 1234 5678"), Some(821_012_345_678));
        assert_eq!(normalise("090-1234-5678"), Some(819_012_345_678));
        assert_eq!(normalise("0912-345-678"), Some(886_912_345_678));
        assert_eq!(normalise("(206) 555-0100"), Some(12_065_550_100));
        assert_eq!(normalise("+49 151 12345678"), Some(4_915_112_345_678));
        assert_eq!(normalise("+353 87 123 45678"), Some(3_538_712_345_678));
        assert_eq!(normalise("02-123-4567"), None);
        assert_eq!(normalise("hello"), None);
    }

    #[test]
    fn calling_codes_name_countries_longest_first() {
        assert_eq!(country(821_012_345_678), Some("KR"));
        assert_eq!(country(886_912_345_678), Some("TW"));
        assert_eq!(country(3_538_712_345_678), Some("IE"));
        assert_eq!(country(3_312_345_678), Some("FR"));
        assert_eq!(country(12_065_550_100), Some("US"));
        assert_eq!(country(99_912_345_678), None);
        assert_eq!(display(821_012_345_678), "+821012345678");
    }
}
