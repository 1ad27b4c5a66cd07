//! `PRIVATE_KEY`: PEM-encoded private keys.
//!
//! **What it detects.** `-----BEGIN … PRIVATE KEY-----` blocks (PKCS#8,
//! RSA, EC, DSA, OpenSSH, encrypted), with the body when the block is
//! complete.
//!
//! **Why it matters.** The breach began with a signing key that left with
//! an employee. A private key in a config store or repository is a token
//! factory.
//!
//! **Validation.** The armour line itself; the fingerprint covers the whole
//! block so the same key is recognised wherever it is copied.
//!
//! **Example.** `stores/config/member-2021.pem`.
//!
//! **False positives.** Test keys in fixtures are still keys; allow-list
//! their paths.
//!
//! **References.** RFC 7468 (textual encodings of PKIX structures).

use steward_model::category::keys;
use steward_model::masked::MaskStyle;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("PRIVATE_KEY", "Private key (PEM)", keys::PRIVATE_KEY, validate)
        .pattern(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----(?:[A-Za-z0-9+/=\r\n\\ :,-]*?-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----)?")
        .context(&["key", "pem"])
        .columns(&["privatekey", "pem", "signingkey"])
        .mask(MaskStyle::Full)
        .describe("PEM private key blocks (PKCS#8, RSA, EC, DSA, OpenSSH).")
}

fn validate(s: &str) -> Option<Verdict> {
    s.starts_with("-----BEGIN ").then_some(Verdict::new(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn armour() {
        assert!(validate("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----").is_some());
        assert_eq!(validate("BEGIN"), None);
    }
}
