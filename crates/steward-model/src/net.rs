//! Addresses as text, fast: the per-event paths (Sigma group keys and
//! string matches on `source.ip`) write an address for most events, and
//! `Display` for `Ipv4Addr` goes through the formatting machinery with
//! padding support, about thirty times the work of writing four numbers.

use std::fmt::Write as _;
use std::net::IpAddr;

/// Appends `ip` as `Display` would write it (dotted quad for IPv4, RFC 5952
/// for IPv6).
pub fn push_ip(out: &mut String, ip: IpAddr) {
    out.push_str(IpText::new(ip).as_str());
}

/// `ip` as a new string ([`push_ip`]).
#[must_use]
pub fn ip_text(ip: IpAddr) -> String {
    let mut out = String::with_capacity(15);
    push_ip(&mut out, ip);
    out
}

/// An address as text, held inline (no allocation): what [`push_ip`]
/// writes.
#[derive(Clone, Copy)]
pub struct IpText(arrayvec::ArrayString<45>);

impl IpText {
    /// The text of `ip` (at most 45 bytes: an IPv6 address with an
    /// embedded IPv4 one, `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`).
    #[must_use]
    pub fn new(ip: IpAddr) -> Self {
        let mut out = arrayvec::ArrayString::new();
        match ip {
            IpAddr::V4(v4) => {
                for (i, octet) in v4.octets().into_iter().enumerate() {
                    if i > 0 {
                        out.push('.');
                    }
                    let digit = |d: u8| char::from(b'0' + d);
                    if octet >= 100 {
                        out.push(digit(octet / 100));
                    }
                    if octet >= 10 {
                        out.push(digit(octet / 10 % 10));
                    }
                    out.push(digit(octet % 10));
                }
            }
            IpAddr::V6(_) => {
                let _ = write!(out, "{ip}");
            }
        }
        Self(out)
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl std::fmt::Debug for IpText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    #[test]
    fn writes_what_display_writes() {
        for a in [0u8, 1, 9, 10, 99, 100, 199, 200, 255] {
            for b in [0u8, 7, 42, 250] {
                let ip = IpAddr::V4(Ipv4Addr::new(a, b, 255 - a, b / 2));
                assert_eq!(ip_text(ip), ip.to_string());
                assert_eq!(IpText::new(ip).as_str(), ip.to_string());
            }
        }
        for ip in [
            Ipv6Addr::LOCALHOST,
            Ipv6Addr::UNSPECIFIED,
            Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
            Ipv4Addr::new(192, 0, 2, 1).to_ipv6_mapped(),
        ] {
            assert_eq!(ip_text(IpAddr::V6(ip)), ip.to_string());
            assert_eq!(IpText::new(IpAddr::V6(ip)).as_str(), ip.to_string());
        }
        // The longest text fits.
        let longest = Ipv6Addr::new(
            0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xfffe, 0xfffe,
        );
        let ip = IpAddr::V6(longest);
        assert_eq!(IpText::new(ip).as_str(), ip.to_string());
        assert_eq!(format!("{:?}", IpText::new(ip)), ip.to_string());
        let mut s = String::from("ip:");
        push_ip(&mut s, IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7)));
        assert_eq!(s, "ip:10.0.0.7");
    }
}
