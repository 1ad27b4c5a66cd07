//! `JWT_SECRET`: token signing secrets in configuration.
//!
//! **What it detects.** A value assigned to a key named like a signing
//! secret (`JWT_SECRET`, `JWT_SIGNING_SECRET`, `SIGNING_KEY`,
//! `HMAC_SECRET`, `TOKEN_SECRET`) in env files, YAML, JSON or code.
//!
//! **Why it matters.** Whoever holds the secret mints tokens the gateway
//! trusts, as the departed engineer in the breach did for months.
//!
//! **Validation.** At least 16 characters and 3 bits of entropy per
//! character, so placeholders (`changeme`, `xxxxxxxx…`) are dropped.
//!
//! **Example.** `JWT_SIGNING_SECRET=jMmbvjcgWH15DgV8AJDRVth1kIzF…`.
//!
//! **False positives.** Secrets of test environments are still secrets.
//!
//! **References.** RFC 7518 §3.2 (HMAC key size); OWASP secrets
//! management cheat sheet.

use steward_model::category::keys;
use steward_model::masked::MaskStyle;

use super::common::entropy;
use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("JWT_SECRET", "Token signing secret", keys::SIGNING_SECRET, validate)
        .pattern(r#"(?i:jwt[_-]?(?:signing[_-]?)?(?:secret|key)|signing[_-]?(?:secret|key)|hmac[_-]?(?:secret|key)|token[_-]?secret)["']?\s{0,3}[:=]\s{0,3}["']?(?P<v>[A-Za-z0-9+/=_.-]{16,512})"#)
        .context(&["secret", "jwt", "signing"])
        .columns(&["jwtsecret", "signingsecret", "signingkey", "hmacsecret"])
        .mask(MaskStyle::Full)
        .describe("Values of configuration keys named like token signing secrets, with enough entropy.")
}

fn validate(s: &str) -> Option<Verdict> {
    (s.len() >= 16 && entropy(s) >= 3.0).then_some(Verdict::new(0.9))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_gate() {
        assert!(validate("jMmbvjcgWH15DgV8AJDRVth1kIzFHy2nbrj7VfBkdZuJOFVb").is_some());
        assert_eq!(validate("xxxxxxxxxxxxxxxxxxxx"), None);
        assert_eq!(validate("short"), None);
    }
}
