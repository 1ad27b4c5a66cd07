//! `AWS_ACCESS_KEY`: AWS access key ids.
//!
//! **What it detects.** `AKIA` (long-term) or `ASIA` (temporary) and the
//! other IAM unique-id prefixes, followed by sixteen upper-case letters or
//! digits.
//!
//! **Why it matters.** With its secret, a key id opens the cloud account
//! that holds the platform's data.
//!
//! **Validation.** Prefix and length; the id alone is not secret, so the
//! confidence says "credential material", not "breach".
//!
//! **Example.** `AKIA5W7L7ZNAAG5B64HH`.
//!
//! **False positives.** AWS's documented example `AKIAIOSFODNN7EXAMPLE` is
//! dropped.
//!
//! **References.** AWS IAM user guide, "Unique identifiers".

use steward_model::category::keys;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "AWS_ACCESS_KEY",
        "AWS access key id",
        keys::CLOUD_ACCESS_KEY,
        validate,
    )
    .pattern(r"(?-u:\b)(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}(?-u:\b)")
    .context(&["aws", "access key", "access_key_id", "accesskeyid"])
    .columns(&["accesskey", "awskey", "keyid"])
    .describe("AWS access key ids (AKIA, ASIA and other IAM prefixes).")
}

fn validate(s: &str) -> Option<Verdict> {
    (s.len() == 20 && !s.ends_with("EXAMPLE")).then_some(Verdict::new(0.9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_key_dropped() {
        assert!(validate("AKIA5W7L7ZNAAG5B64HH").is_some());
        assert_eq!(validate("AKIAIOSFODNN7EXAMPLE"), None);
    }
}
