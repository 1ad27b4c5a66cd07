//! `GCP_API_KEY`: Google Cloud API keys.
//!
//! **What it detects.** `AIza` followed by 35 base64url characters.
//!
//! **Why it matters.** An unrestricted key bills and reads the project's
//! enabled APIs.
//!
//! **Validation.** Prefix and exact length.
//!
//! **Example.** `AIzaSyA-1234567890abcdefghijklmnopqrstu`.
//!
//! **False positives.** Practically none.
//!
//! **References.** Google Cloud "Manage API keys".

use steward_model::category::keys;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new(
        "GCP_API_KEY",
        "Google Cloud API key",
        keys::CLOUD_ACCESS_KEY,
        validate,
    )
    .pattern(r"(?-u:\b)AIza[0-9A-Za-z_-]{35}(?-u:\b)")
    .context(&["google", "gcp", "api key", "apikey"])
    .columns(&["apikey", "googlekey", "gcpkey"])
    .describe("Google Cloud API keys.")
}

fn validate(s: &str) -> Option<Verdict> {
    (s.len() == 39).then_some(Verdict::new(0.9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length() {
        assert!(validate("AIzaSyA-1234567890abcdefghijklmnopqrstu").is_some());
        assert_eq!(validate("AIzaShort"), None);
    }
}
