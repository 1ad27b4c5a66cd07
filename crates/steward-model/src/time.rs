//! Timestamps as steward writes them: RFC 3339, UTC, millisecond precision.

use jiff::Timestamp;

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`; values outside
/// the representable range are clamped.
#[must_use]
pub fn rfc3339_millis(ms: i64) -> String {
    let ts = Timestamp::from_millisecond(ms).unwrap_or(if ms < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    });
    ts.strftime("%Y-%m-%dT%H:%M:%S.%3fZ").to_string()
}

/// Parses an RFC 3339 timestamp into epoch milliseconds.
///
/// # Errors
/// The parser's message when `text` is not a timestamp.
pub fn parse_rfc3339_millis(text: &str) -> Result<i64, String> {
    text.parse::<Timestamp>()
        .map(|t| t.as_millisecond())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let ms = 1_744_600_000_123;
        let text = rfc3339_millis(ms);
        assert_eq!(text, "2025-04-14T03:06:40.123Z");
        assert_eq!(parse_rfc3339_millis(&text), Ok(ms));
        assert_eq!(
            rfc3339_millis(1_744_600_000_000),
            "2025-04-14T03:06:40.000Z"
        );
        assert!(parse_rfc3339_millis("yesterday").is_err());
    }
}
