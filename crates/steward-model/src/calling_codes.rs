//! Country calling codes (ITU-T E.164 assignments) of the countries
//! steward meets, and the country a number in E.164 digits belongs to.
//! Codes are prefix-free, so at most one matches a number.

/// Calling codes and the country each is assigned to. `1` (the North
/// American Numbering Plan) is shared with Canada and the Caribbean; it is
/// assigned to the US here, and callers say so where it matters.
pub const CALLING_CODES: &[(&str, &str)] = &[
    ("1", "US"),
    ("7", "RU"),
    ("20", "EG"),
    ("27", "ZA"),
    ("30", "GR"),
    ("31", "NL"),
    ("32", "BE"),
    ("33", "FR"),
    ("34", "ES"),
    ("36", "HU"),
    ("39", "IT"),
    ("40", "RO"),
    ("41", "CH"),
    ("43", "AT"),
    ("44", "GB"),
    ("45", "DK"),
    ("46", "SE"),
    ("47", "NO"),
    ("48", "PL"),
    ("49", "DE"),
    ("51", "PE"),
    ("52", "MX"),
    ("54", "AR"),
    ("55", "BR"),
    ("56", "CL"),
    ("57", "CO"),
    ("60", "MY"),
    ("61", "AU"),
    ("62", "ID"),
    ("63", "PH"),
    ("64", "NZ"),
    ("65", "SG"),
    ("66", "TH"),
    ("81", "JP"),
    ("82", "KR"),
    ("84", "VN"),
    ("86", "CN"),
    ("90", "TR"),
    ("91", "IN"),
    ("92", "PK"),
    ("351", "PT"),
    ("352", "LU"),
    ("353", "IE"),
    ("354", "IS"),
    ("356", "MT"),
    ("357", "CY"),
    ("358", "FI"),
    ("359", "BG"),
    ("370", "LT"),
    ("371", "LV"),
    ("372", "EE"),
    ("385", "HR"),
    ("386", "SI"),
    ("420", "CZ"),
    ("421", "SK"),
    ("852", "HK"),
    ("853", "MO"),
    ("855", "KH"),
    ("880", "BD"),
    ("886", "TW"),
    ("966", "SA"),
    ("971", "AE"),
    ("972", "IL"),
];

/// The country whose calling code starts `digits` (an E.164 number without
/// the `+`).
#[must_use]
pub fn country_of(digits: &str) -> Option<&'static str> {
    CALLING_CODES
        .iter()
        .find(|(code, _)| digits.starts_with(code))
        .map(|(_, country)| *country)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_prefix_free_and_name_known_countries() {
        for (a, _) in CALLING_CODES {
            for (b, _) in CALLING_CODES {
                assert!(a == b || !b.starts_with(a), "{a} is a prefix of {b}");
            }
        }
        for (_, c) in CALLING_CODES {
            assert!(crate::jurisdiction::Country::parse(c).is_ok(), "{c}");
        }
        assert_eq!(country_of("821012345678"), Some("KR"));
        assert_eq!(country_of("886912345678"), Some("TW"));
        assert_eq!(country_of("12065550100"), Some("US"));
        assert_eq!(country_of("99912345678"), None);
    }
}
