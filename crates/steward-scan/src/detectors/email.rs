//! `EMAIL`: e-mail addresses.
//!
//! **What it detects.** `local@domain.tld` with a local part of at most 64
//! characters.
//!
//! **Why it matters.** The breach's attacker used leaked e-mail addresses
//! to write to customers; e-mail is the usual account identifier.
//!
//! **Validation.** Syntax; the reserved test domains (`example.com`,
//! `.example`, `.invalid`, `.test`, `.localhost`, `.local`) are dropped.
//!
//! **Example.** `seongheonyoon4anyey@kakao.com`.
//!
//! **False positives.** Role addresses (`support@`) of organisations are
//! reported too: they are not always personal, but they are contact data.
//!
//! **References.** shared/DOMAIN.md §2.5; RFC 2606 and RFC 6761 reserved
//! names.

use steward_model::category::keys;
use steward_model::masked::MaskStyle;

use crate::detector::{Detector, Region, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("EMAIL", "E-mail address", keys::EMAIL, validate)
        .pattern(r"(?-u:\b)[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?-u:\b)")
        .context(&["email", "e-mail", "mail", "메일", "이메일", "メール", "郵件"])
        .columns(&["email", "mail", "메일", "이메일"])
        .mask(MaskStyle::Email)
        .candidates(candidates)
        .describe("E-mail addresses; reserved test domains dropped.")
}

/// Every address has an `@` with a local-part character before it and a
/// domain character after it: the pattern runs from 64 bytes before such
/// an `@` to the end of the domain-character run after it.
fn candidates(hay: &[u8], from: usize) -> Option<Region> {
    let local = |b: &u8| b.is_ascii_alphanumeric() || b"._%+-".contains(b);
    let domain = |b: &u8| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-';
    let mut p = from;
    loop {
        let at = p + memchr::memchr(b'@', hay.get(p..)?)?;
        let before = at.checked_sub(1).and_then(|i| hay.get(i));
        if before.is_some_and(local) && hay.get(at + 1).is_some_and(domain) {
            let run = hay.get(at + 1..).unwrap_or_default();
            let len = run.iter().position(|b| !domain(b)).unwrap_or(run.len());
            return Some(Region {
                start: at.saturating_sub(64).max(from),
                end: at,
                limit: at + 1 + len,
            });
        }
        p = at + 1;
    }
}

const RESERVED_TLDS: &[&str] = &[
    "example",
    "invalid",
    "test",
    "localhost",
    "local",
    "internal",
];
const RESERVED_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];

fn validate(s: &str) -> Option<Verdict> {
    let (local, domain) = s.rsplit_once('@')?;
    if local.is_empty()
        || local.len() > 64
        || domain.len() > 255
        || local.as_bytes().windows(2).any(|w| w == b"..")
    {
        return None;
    }
    let tld = domain.rsplit('.').next()?;
    if RESERVED_TLDS.iter().any(|t| t.eq_ignore_ascii_case(tld))
        || RESERVED_DOMAINS.iter().any(|d| is_or_under(domain, d))
    {
        return None;
    }
    Some(Verdict::new(0.9))
}

/// Whether `domain` is `parent` or a subdomain of it, ignoring ASCII case.
fn is_or_under(domain: &str, parent: &str) -> bool {
    let Some(cut) = domain.len().checked_sub(parent.len()) else {
        return false;
    };
    let (head, tail) = domain.as_bytes().split_at(cut);
    tail.eq_ignore_ascii_case(parent.as_bytes()) && (head.is_empty() || head.last() == Some(&b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_domains_are_dropped() {
        assert!(validate("minsu.kim@naver.com").is_some());
        assert!(validate("a@mail.co.kr").is_some());
        assert_eq!(validate("support+0@example.com"), None);
        assert_eq!(validate("x@shop.example"), None);
        assert_eq!(validate("a@b.invalid"), None);
        assert_eq!(validate("a..b@naver.com"), None);
        assert_eq!(validate("a@Mail.EXAMPLE.com"), None);
        assert_eq!(validate("a@b.TEST"), None);
        assert!(validate("a@notexample.com").is_some());
    }
}
