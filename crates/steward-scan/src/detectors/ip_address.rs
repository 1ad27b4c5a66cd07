//! `IP_ADDRESS`: public IPv4 and IPv6 addresses.
//!
//! **What it detects.** Dotted-quad IPv4 and IPv6 (full, compressed `::`,
//! IPv4-embedded).
//!
//! **Why it matters.** A client IP is personal data under GDPR and PIPA: it
//! locates and links a person's sessions. Access logs are full of them.
//!
//! **Validation.** A strict parse after the pattern; private, loopback,
//! link-local, documentation, unspecified, multicast and broadcast ranges
//! are dropped (they identify machines, not people).
//!
//! **Example.** `175.223.18.240`, `2001:4860:4860::8888`.
//!
//! **False positives.** Version numbers with four parts under 256
//! (`1.2.3.4`) — a context word raises true ones.
//!
//! **References.** shared/DOMAIN.md §2.5; RFC 1918, RFC 5737, RFC 3849.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use steward_model::category::keys;

use crate::detector::{Detector, Region, Verdict};

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("IP_ADDRESS", "IP address", keys::IP_ADDRESS, validate)
        .pattern(concat!(
            r"(?-u:\b)(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?-u:\b)",
            r"|(?-u:\b)(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?-u:\b)",
            r"|(?-u:\b)(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?-u:\b)",
        ))
        .context(&["ip", "client", "remote", "addr", "address", "접속", "from"])
        .candidates(candidates)
        .columns(&["ip", "ipaddress", "clientip", "remoteaddr", "sourceip", "srcip", "ipaddr"])
        .describe("Public IPv4 and IPv6 addresses; private, loopback and documentation ranges dropped.")
}

/// An IPv4 address is a run of digits and dots holding exactly four
/// numbers (in a longer run such as `1.2.3.4.5`, a version or an OID, every
/// quad is glued to the rest); an IPv6 address is a run of hex
/// digits and colons with `::` or at least seven colons. Each such run is a
/// region; everything else (timestamps' `12:00:08`, JSON's `"a":1`,
/// versions' `7.3.1`) is skipped without running the pattern.
fn candidates(hay: &[u8], from: usize) -> Option<Region> {
    let v4 = |b: &u8| b.is_ascii_digit() || *b == b'.';
    let v6 = |b: &u8| b.is_ascii_hexdigit() || *b == b':';
    let mut p = from;
    let mut marks = memchr::memchr2_iter(b'.', b':', hay.get(from..)?).map(|i| from + i);
    loop {
        let at = marks.next()?;
        if at < p {
            continue;
        }
        let prev = at.checked_sub(1).and_then(|i| hay.get(i));
        let next = hay.get(at + 1);
        let (class, dotted): (&dyn Fn(&u8) -> bool, bool) = if hay.get(at) == Some(&b'.') {
            (&v4, true)
        } else {
            (&v6, false)
        };
        let inside = if dotted {
            prev.is_some_and(u8::is_ascii_digit) && next.is_some_and(u8::is_ascii_digit)
        } else {
            prev.is_some_and(class) && next.is_some_and(class)
        };
        if !inside {
            p = at + 1;
            continue;
        }
        let head = hay.get(..at).unwrap_or_default();
        let start = head.iter().rposition(|b| !class(b)).map_or(0, |i| i + 1);
        let tail = hay.get(at..).unwrap_or_default();
        let end = at + tail.iter().position(|b| !class(b)).unwrap_or(tail.len());
        let run = hay.get(start..end).unwrap_or_default();
        let wanted = if dotted {
            quad_in(run)
        } else {
            memchr::memmem::find(run, b"::").is_some()
                || memchr::memchr_iter(b':', run).count() >= 7
        };
        if wanted {
            return Some(Region {
                start: start.max(from),
                end,
                limit: end,
            });
        }
        p = end.max(at + 1);
    }
}

/// Whether a run of digits and dots holds exactly four dot-separated
/// numbers between empty pieces or the run's ends (`1.2.3.4`, `.1.2.3.4.`,
/// `1.2.3.4..5`, not `1.2.3.4.5`).
fn quad_in(run: &[u8]) -> bool {
    let mut numbers = 0;
    for piece in run.split(|b| *b == b'.') {
        if piece.is_empty() {
            if numbers == 4 {
                return true;
            }
            numbers = 0;
        } else {
            numbers += 1;
        }
    }
    numbers == 4
}

fn validate(s: &str) -> Option<Verdict> {
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => public_v4(v4).then_some(Verdict::new(0.7)),
        IpAddr::V6(v6) => public_v6(v6).then_some(Verdict::new(0.75)),
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let documentation = (a == 192 && b == 0 && c == 2)
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113);
    let shared = a == 100 && (64..128).contains(&b);
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_broadcast()
        || documentation
        || shared
        || a == 0
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let seg = ip.segments();
    let first = seg.first().copied().unwrap_or(0);
    let documentation = first == 0x2001 && seg.get(1) == Some(&0x0db8);
    let unique_local = first & 0xfe00 == 0xfc00;
    let link_local = first & 0xffc0 == 0xfe80;
    if let Some(v4) = ip.to_ipv4_mapped() {
        return public_v4(v4);
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || documentation
        || unique_local
        || link_local)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_only() {
        assert!(validate("175.223.18.240").is_some());
        assert!(validate("2001:4860:4860::8888").is_some());
        assert_eq!(validate("10.226.137.18"), None);
        assert_eq!(validate("192.0.2.1"), None);
        assert_eq!(validate("127.0.0.1"), None);
        assert_eq!(validate("::1"), None);
        assert_eq!(validate("2001:db8::1"), None);
        assert_eq!(validate("300.1.1.1"), None);
    }
}
