//! `JWT`: JSON Web Tokens (signed, compact serialisation).
//!
//! **What it detects.** `header.payload.signature`, base64url, where the
//! header decodes to JSON with an `alg`.
//!
//! **Why it matters.** A bearer token in a log can be replayed until it
//! expires; the breach's attacker needed only tokens the gateway accepted.
//!
//! **Validation.** The header must decode and name an algorithm.
//!
//! **Example.** `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.sig…`.
//!
//! **False positives.** Practically none.
//!
//! **References.** RFC 7519, RFC 7515.

use steward_model::category::keys;
use steward_model::masked::MaskStyle;

use crate::detector::{Detector, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("JWT", "JSON Web Token", keys::ACCESS_TOKEN, validate)
        .pattern(r"(?-u:\b)eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}")
        .context(&["bearer", "authorization", "token", "jwt"])
        .columns(&[
            "token",
            "jwt",
            "authorization",
            "accesstoken",
            "idtoken",
            "refreshtoken",
        ])
        .mask(MaskStyle::Full)
        .describe("Signed JSON Web Tokens whose header decodes and names an algorithm.")
}

fn validate(s: &str) -> Option<Verdict> {
    let header = s.split('.').next()?;
    let decoded = decode_b64url(header)?;
    let text = String::from_utf8(decoded).ok()?;
    text.contains("\"alg\"").then_some(Verdict::new(0.95))
}

/// Decodes unpadded base64url; `None` on any other character.
fn decode_b64url(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_must_name_an_algorithm() {
        let t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.abcdefghijk";
        assert!(validate(t).is_some());
        assert_eq!(
            validate("eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxIn0.abcdefghijk"),
            None
        );
        assert_eq!(decode_b64url("TWFu").as_deref(), Some(b"Man".as_slice()));
    }
}
