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

use crate::detector::{Detector, Verdict};

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
        .columns(&["ip", "ipaddress", "clientip", "remoteaddr", "sourceip", "srcip", "ipaddr"])
        .describe("Public IPv4 and IPv6 addresses; private, loopback and documentation ranges dropped.")
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
