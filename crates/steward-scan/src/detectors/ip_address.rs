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

use crate::detector::{Detector, Region, Span, Verdict};

/// A dotted-quad IPv4 address.
const V4: &str = r"(?-u:\b)(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?-u:\b)";
/// An IPv6 address, full or compressed.
const V6: &str = concat!(
    r"(?-u:\b)(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?-u:\b)",
    r"|(?-u:\b)(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?-u:\b)",
);

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("IP_ADDRESS", "IP address", keys::IP_ADDRESS, validate)
        .pattern(&format!("{V4}|{V6}"))
        .context(&["ip", "client", "remote", "addr", "address", "접속", "from"])
        .spans(vec![
            Span {
                pattern: Some(V4.to_owned()),
                finder: quads,
                anchored: true,
            },
            Span {
                pattern: Some(V6.to_owned()),
                finder: colon_runs,
                anchored: false,
            },
        ])
        .columns(&[
            "ip",
            "ipaddress",
            "clientip",
            "remoteaddr",
            "sourceip",
            "srcip",
            "ipaddr",
        ])
        .describe(
            "Public IPv4 and IPv6 addresses; private, loopback and documentation ranges dropped.",
        )
}

/// An IPv4 address is four numbers in a run of digits and dots, where the
/// run holds exactly those four between empty pieces or its ends (in a
/// longer run such as `1.2.3.4.5`, a version or an OID, every quad is glued
/// to the rest). Each such group of four is a region that starts exactly
/// where its first number does, so the pattern runs anchored there, and
/// may run on to the end of the haystack (the anchored search stops at the
/// first byte that cannot continue an address). Timestamps' `08.972`,
/// versions' `7.3.1` are skipped without running the pattern.
fn quads(hay: &[u8], from: usize) -> Option<Region> {
    let mut p = from;
    loop {
        let (start, end) = next_run(hay, p, b'.', (u8::is_ascii_digit, digit_or_dot))?;
        let run = hay.get(start..end).unwrap_or_default();
        if let Some((s, e)) = quad_group(run, from.saturating_sub(start)) {
            return Some(Region {
                start: start + s,
                end: start + e,
                limit: hay.len(),
            });
        }
        p = end;
    }
}

/// Which bytes belong to a run.
type ByteClass = fn(&u8) -> bool;

/// The next run of `inner` bytes around a `mark` byte at or after `p`
/// that has a `side` byte on both sides: its start and end.
fn next_run(
    hay: &[u8],
    mut p: usize,
    mark: u8,
    (side, inner): (ByteClass, ByteClass),
) -> Option<(usize, usize)> {
    let is = |i: usize, class: ByteClass| hay.get(i).is_some_and(class);
    loop {
        let at = p + memchr::memchr(mark, hay.get(p..)?)?;
        if at == 0 || !is(at - 1, side) || !is(at + 1, side) {
            p = at + 1;
            continue;
        }
        let mut start = at - 1;
        while start > 0 && is(start - 1, inner) {
            start -= 1;
        }
        let mut end = at + 2;
        while is(end, inner) {
            end += 1;
        }
        return Some((start, end));
    }
}

/// Bytes of a dotted quad.
fn digit_or_dot(b: &u8) -> bool {
    b.is_ascii_digit() || *b == b'.'
}

/// Bytes of an IPv6 address.
fn hex_or_colon(b: &u8) -> bool {
    b.is_ascii_hexdigit() || *b == b':'
}

/// The first group of exactly four dot-separated numbers in a run of
/// digits and dots, between empty pieces or the run's ends (`1.2.3.4`,
/// `.1.2.3.4.`, `1.2.3.4..5`, not `1.2.3.4.5`), that starts at or after
/// `min`: its start and end in the run.
fn quad_group(run: &[u8], min: usize) -> Option<(usize, usize)> {
    let mut numbers = 0u8;
    let mut group = 0usize;
    // Whether the byte before is a dot (or the run's start): a dot there
    // ends a piece, so this one is empty.
    let mut after_dot = true;
    for (i, b) in run.iter().enumerate() {
        if *b == b'.' {
            if after_dot {
                // An empty piece closes the group before it.
                if numbers == 4 && group >= min {
                    return Some((group, i.saturating_sub(1)));
                }
                numbers = 0;
            }
            after_dot = true;
        } else if after_dot {
            if numbers == 0 {
                group = i;
            }
            numbers += 1;
            after_dot = false;
        }
    }
    // A run that ends with a dot ends with an empty piece: the group ends
    // before that dot.
    let end = run.len() - usize::from(after_dot && !run.is_empty());
    (numbers == 4 && group >= min).then_some((group, end))
}

/// An IPv6 address is a run of hex digits and colons with `::` or at least
/// seven colons; each such run is a region. Timestamps' `12:00:08` and
/// JSON's `"a":1` are skipped without running the pattern.
fn colon_runs(hay: &[u8], from: usize) -> Option<Region> {
    let mut p = from;
    loop {
        let (start, end) = next_run(hay, p, b':', (hex_or_colon, hex_or_colon))?;
        let run = hay.get(start..end).unwrap_or_default();
        let (mut colons, mut double, mut last) = (0, false, 0u8);
        for &b in run {
            if b == b':' {
                colons += 1;
                double |= last == b':';
            }
            last = b;
        }
        if colons >= 7 || double {
            return Some(Region {
                start: start.max(from),
                end,
                limit: end,
            });
        }
        p = end;
    }
}

fn validate(s: &str) -> Option<Verdict> {
    if let Some(v4) = dotted_quad(s.as_bytes()) {
        return public_v4(v4).then_some(Verdict::new(0.7));
    }
    match s.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) => public_v4(v4).then_some(Verdict::new(0.7)),
        IpAddr::V6(v6) => public_v6(v6).then_some(Verdict::new(0.75)),
    }
}

/// A dotted quad as `std` parses it (four decimal numbers up to 255, no
/// leading zeros), without its general parser: every IPv4 candidate is
/// one.
fn dotted_quad(s: &[u8]) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = s.split(|b| *b == b'.');
    for octet in &mut octets {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 3 || (part.len() > 1 && part.first() == Some(&b'0')) {
            return None;
        }
        let mut n = 0u16;
        for &b in part {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n * 10 + u16::from(b - b'0');
        }
        *octet = u8::try_from(n).ok()?;
    }
    parts.next().is_none().then(|| Ipv4Addr::from(octets))
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
    fn quad_groups_are_found_where_they_start() {
        assert_eq!(quad_group(b"1.2.3.4", 0), Some((0, 7)));
        assert_eq!(quad_group(b".1.2.3.4.", 0), Some((1, 8)));
        assert_eq!(quad_group(b"1.2.3.4..5", 0), Some((0, 7)));
        assert_eq!(quad_group(b"1.2.3.4..5.6.7.8", 1), Some((9, 16)));
        assert_eq!(quad_group(b"1.2.3.4.5", 0), None);
        assert_eq!(quad_group(b"1.2.3", 0), None);
        let hay = b"ip 10.0.0.1 and 175.223.18.240, v7.3.1";
        let r = quads(hay, 0).unwrap();
        assert_eq!((r.start, r.end), (3, 11));
        let r = quads(hay, r.end).unwrap();
        assert_eq!(&hay[r.start..r.end], b"175.223.18.240");
        assert_eq!(quads(hay, r.end), None);
        let hay = b"12:00:08 2001:db8::1";
        let r = colon_runs(hay, 0).unwrap();
        assert_eq!(&hay[r.start..r.end], b"2001:db8::1");
    }

    #[test]
    fn dotted_quads_parse_as_std_parses_them() {
        let pieces = [
            "0", "00", "01", "1", "9", "10", "99", "100", "255", "256", "999", "1000", "", "a",
            "+1", "-1", " 1",
        ];
        let mut checked = 0;
        for a in pieces {
            for b in ["0", "255", "01", ""] {
                for c in ["7", "256", "1"] {
                    for d in pieces {
                        for text in [
                            format!("{a}.{b}.{c}.{d}"),
                            format!("{a}.{b}.{c}"),
                            format!("{a}.{b}.{c}.{d}.1"),
                        ] {
                            assert_eq!(
                                dotted_quad(text.as_bytes()),
                                text.parse::<Ipv4Addr>().ok(),
                                "{text:?}"
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 3000);
    }

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
