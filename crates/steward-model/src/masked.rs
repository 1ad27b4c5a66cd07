//! Values that must not leak: a wrapper whose `Display` and `Debug` mask the
//! raw value, and keyed fingerprints that let the same value be matched across
//! stores without storing it.
//!
//! Raw access is one explicit, greppable method: [`Sensitive::expose_raw`].

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How a value is masked for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MaskStyle {
    /// Separators kept, every letter and digit replaced by `*` except the
    /// last two when the value has at least eight of them.
    #[default]
    Generic,
    /// First character of the local part, then `***@` and the domain.
    Email,
    /// First character kept, the rest replaced by `*` (`김**`, `J***`).
    Name,
    /// First word kept (the province or city), the rest replaced by `***`.
    Address,
    /// Everything replaced by a fixed `[redacted]` marker.
    Full,
}

/// Masks `raw` in the given style. The result never contains more than two
/// consecutive original letters or digits of a generic value.
#[must_use]
pub fn mask(raw: &str, style: MaskStyle) -> String {
    match style {
        MaskStyle::Generic => mask_generic(raw),
        MaskStyle::Email => match raw.split_once('@') {
            Some((local, domain)) => {
                let first = local.chars().next().map(String::from).unwrap_or_default();
                format!("{first}***@{domain}")
            }
            None => mask_generic(raw),
        },
        MaskStyle::Name => {
            let mut chars = raw.chars();
            match chars.next() {
                Some(first) => {
                    let rest = chars.filter(|c| !c.is_whitespace()).count().max(1);
                    format!("{first}{}", "*".repeat(rest))
                }
                None => String::new(),
            }
        }
        MaskStyle::Address => match raw.split_whitespace().next() {
            Some(first) if raw.split_whitespace().nth(1).is_some() => format!("{first} ***"),
            _ => "***".to_owned(),
        },
        MaskStyle::Full => "[redacted]".to_owned(),
    }
}

/// Masks an IP address to its network: the first two octets of IPv4
/// (`203.0.*.*`), the first two groups of IPv6; anything else becomes `*`.
#[must_use]
pub fn mask_ip(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => {
            let [a, b, _, _] = v4.octets();
            format!("{a}.{b}.*.*")
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            let [a, b, ..] = v6.segments();
            format!("{a:x}:{b:x}:*")
        }
        Err(_) => "*".to_owned(),
    }
}

fn mask_generic(raw: &str) -> String {
    let alnum = raw.chars().filter(|c| c.is_alphanumeric()).count();
    let reveal_from = if alnum >= 8 { alnum - 2 } else { usize::MAX };
    let mut seen = 0usize;
    raw.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                seen += 1;
                if seen > reveal_from { c } else { '*' }
            } else {
                c
            }
        })
        .collect()
}

/// A value that holds personal data. `Display`, `Debug` and `Serialize` show
/// the masked form; only [`Sensitive::expose_raw`] returns the raw value.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Sensitive {
    raw: String,
    style: MaskStyle,
}

impl Sensitive {
    /// Wraps a raw value with its mask style.
    #[must_use]
    pub fn new(raw: impl Into<String>, style: MaskStyle) -> Self {
        Self {
            raw: raw.into(),
            style,
        }
    }

    /// The masked form, as shown everywhere by default.
    #[must_use]
    pub fn masked(&self) -> String {
        mask(&self.raw, self.style)
    }

    /// The raw value. Call only where a user explicitly asked for raw values.
    #[must_use]
    pub fn expose_raw(&self) -> &str {
        &self.raw
    }

    /// The keyed fingerprint of the raw value.
    #[must_use]
    pub fn fingerprint(&self, key: &FingerprintKey) -> Fingerprint {
        key.fingerprint(&self.raw)
    }
}

impl fmt::Display for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for Sensitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sensitive({:?})", self.masked())
    }
}

impl Serialize for Sensitive {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.masked())
    }
}

/// The per-installation secret behind fingerprints. Its `Debug` never shows
/// the key bytes.
#[derive(Clone)]
pub struct FingerprintKey([u8; 32]);

impl FingerprintKey {
    /// A key from 32 secret bytes.
    #[must_use]
    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The key bytes, for storing the key in the installation's secret file.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// HMAC-SHA256 of the value, truncated to 128 bits.
    #[must_use]
    pub fn fingerprint(&self, value: &str) -> Fingerprint {
        let digest = match Hmac::<Sha256>::new_from_slice(&self.0) {
            Ok(mut mac) => {
                mac.update(value.as_bytes());
                mac.finalize().into_bytes()
            }
            // HMAC accepts keys of any length, so this branch is never taken.
            Err(_) => return Fingerprint([0; 16]),
        };
        let mut out = [0u8; 16];
        for (o, d) in out.iter_mut().zip(digest.iter()) {
            *o = *d;
        }
        Fingerprint(out)
    }
}

impl fmt::Debug for FingerprintKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FingerprintKey([redacted])")
    }
}

/// A keyed fingerprint: the same value under the same key always gives the
/// same fingerprint, and the value cannot be recovered from it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint([u8; 16]);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("fp:")?;
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_mask_keeps_separators_and_last_two() {
        assert_eq!(mask("960121-1021413", MaskStyle::Generic), "******-*****13");
        assert_eq!(mask("010-1234-5678", MaskStyle::Generic), "***-****-**78");
        assert_eq!(mask("1234", MaskStyle::Generic), "****");
    }

    #[test]
    fn email_name_address_masks() {
        assert_eq!(
            mask("minsu.kim@naver.com", MaskStyle::Email),
            "m***@naver.com"
        );
        assert_eq!(mask("김민수", MaskStyle::Name), "김**");
        assert_eq!(
            mask("서울특별시 강남구 테헤란로 123", MaskStyle::Address),
            "서울특별시 ***"
        );
        assert_eq!(mask("anything", MaskStyle::Full), "[redacted]");
    }

    #[test]
    fn display_debug_and_json_never_show_raw() {
        let v = Sensitive::new("960121-1021413", MaskStyle::Generic);
        for shown in [
            format!("{v}"),
            format!("{v:?}"),
            serde_json::to_string(&v).unwrap_or_default(),
        ] {
            assert!(!shown.contains("960121"), "{shown}");
            assert!(!shown.contains("1021413"), "{shown}");
        }
        assert_eq!(v.expose_raw(), "960121-1021413");
    }

    #[test]
    fn fingerprints_are_keyed_and_stable() {
        let k1 = FingerprintKey::from_bytes([1; 32]);
        let k2 = FingerprintKey::from_bytes([2; 32]);
        let a = k1.fingerprint("010-1234-5678");
        assert_eq!(a, k1.fingerprint("010-1234-5678"));
        assert_ne!(a, k2.fingerprint("010-1234-5678"));
        assert_ne!(a, k1.fingerprint("010-1234-5679"));
        let shown = a.to_string();
        assert!(shown.starts_with("fp:") && shown.len() == 3 + 32, "{shown}");
        assert_eq!(format!("{k1:?}"), "FingerprintKey([redacted])");
    }
}
