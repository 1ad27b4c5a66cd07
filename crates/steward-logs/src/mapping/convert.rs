//! Conversions of read values to the access event's field types: text,
//! integers, counts, HTTP statuses, IP addresses, principal kinds and
//! outcomes. Fast paths for the common shapes, std or jiff for the rest.

use std::borrow::Cow;
use std::net::IpAddr;

use steward_model::event::{Outcome, PrincipalKind};

use crate::value::{Value, ValueError};

/// Text of a scalar value (numbers formatted, which allocates).
pub(super) fn text<'a>(v: &'a Value<'_>) -> Cow<'a, str> {
    match v {
        Value::Str(s) => Cow::Borrowed(s.as_ref()),
        Value::Int(i) | Value::TimeMs(i) => Cow::Owned(i.to_string()),
        Value::Float(f) => Cow::Owned(f.to_string()),
        Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Value::Null => Cow::Borrowed(""),
    }
}

pub(super) fn into_text(v: Value<'_>) -> Cow<'_, str> {
    match v {
        Value::Str(s) => s,
        other => Cow::Owned(text(&other).into_owned()),
    }
}

/// A piece of a text, borrowed when the text is.
pub(super) fn piece<'a>(t: &Cow<'a, str>, range: std::ops::Range<usize>) -> Option<Cow<'a, str>> {
    match t {
        Cow::Borrowed(s) => s.get(range).map(Cow::Borrowed),
        Cow::Owned(s) => s.get(range).map(|p| Cow::Owned(p.to_owned())),
    }
}

pub(super) fn set_text(dst: &mut String, v: &Value<'_>) {
    dst.clear();
    match v {
        Value::Str(s) => dst.push_str(s),
        Value::Int(i) | Value::TimeMs(i) => push_int(dst, *i),
        other => dst.push_str(&text(other)),
    }
}

/// Writes an integer in decimal (ids are often numbers; `write!` is slow,
/// itoa writes two digits a step from a table).
pub(super) fn push_int(dst: &mut String, i: i64) {
    dst.push_str(itoa::Buffer::new().format(i));
}

/// Dotted-quad IPv4 read directly (the common case), anything else by std.
pub(super) fn parse_ip(s: &str) -> Option<IpAddr> {
    if let Some(octets) = ipv4(s.as_bytes()) {
        return Some(IpAddr::from(octets));
    }
    s.parse::<IpAddr>().ok()
}

/// Four octets of one to three digits (no leading zero, at most 255) with
/// dots between and nothing else: what std reads as IPv4, read straight.
/// `None` for anything else, which std then reads (or refuses).
#[inline]
fn ipv4(b: &[u8]) -> Option<[u8; 4]> {
    let digit = |at: usize| b.get(at).map(|c| c.wrapping_sub(b'0')).filter(|d| *d <= 9);
    let mut octets = [0u8; 4];
    let mut i = 0usize;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let first = digit(i)?;
        let mut n = u16::from(first);
        i += 1;
        if let Some(d) = digit(i) {
            if first == 0 {
                return None;
            }
            n = n * 10 + u16::from(d);
            i += 1;
            if let Some(d) = digit(i) {
                n = n * 10 + u16::from(d);
                i += 1;
            }
        }
        *octet = u8::try_from(n).ok()?;
    }
    (i == b.len()).then_some(octets)
}

/// An empty text, which `first` passes over.
pub(super) fn blank_text(v: &Value<'_>) -> bool {
    matches!(v, Value::Str(s) if s.is_empty())
}

/// Text that stands for "no value" in non-text fields (nginx writes `-`).
pub(super) fn blank(v: &Value<'_>) -> bool {
    matches!(v, Value::Str(s) if s.is_empty() || s.as_ref() == "-")
}

pub(super) fn number(v: &Value<'_>) -> Result<Value<'static>, ValueError> {
    match v {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::Float(f) => Ok(Value::Float(*f)),
        Value::Str(s) => crate::value::parse_number(s.trim()),
        _ => Err("not a number"),
    }
}

pub(super) fn count(v: &Value<'_>) -> Result<u64, ValueError> {
    match number(v)? {
        Value::Int(i) => u64::try_from(i).map_err(|_| "negative count"),
        Value::Float(f) if (0.0..1.8e19).contains(&f) =>
        {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "checked to be within u64"
            )]
            Ok(f as u64)
        }
        _ => Err("not a count"),
    }
}

pub(super) fn kind(s: &str) -> PrincipalKind {
    match s {
        "customer" => PrincipalKind::Customer,
        "staff" => PrincipalKind::Staff,
        "service" => PrincipalKind::Service,
        "api_key" => PrincipalKind::ApiKey,
        "anonymous" => PrincipalKind::Anonymous,
        _ => PrincipalKind::Unknown,
    }
}

pub(super) fn outcome(v: &Value<'_>) -> Outcome {
    if let Ok(Value::Int(i)) = number(v) {
        return u16::try_from(i).map_or(Outcome::Unknown, Outcome::from_http_status);
    }
    match v {
        Value::Str(s) => match s.as_ref() {
            "success" => Outcome::Success,
            "denied" => Outcome::Denied,
            "not_found" => Outcome::NotFound,
            "error" => Outcome::Error,
            _ => Outcome::Unknown,
        },
        Value::Bool(true) => Outcome::Success,
        _ => Outcome::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_as_text() {
        for i in [0, 7, -7, 10, 952, i64::MAX, i64::MIN, -1_000_000] {
            let mut s = String::from("old");
            set_text(&mut s, &Value::Int(i));
            assert_eq!(s, i.to_string());
        }
    }

    #[test]
    fn ip_fast_path_agrees_with_std() {
        for s in [
            "203.0.113.7",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1..3.4",
            "::1",
            "2001:db8::1",
            "a.b.c.d",
            "",
            "1.2.3.4 ",
            "1.2.3.4444",
            "1.2.3.04",
            "1.2.3.400",
            "1.2.3.",
            ".1.2.3",
            "1.2.3.4.",
            "9.99.199.255",
            "10.0.0.1:443",
        ] {
            assert_eq!(parse_ip(s), s.parse::<IpAddr>().ok(), "{s}");
        }
        // Every octet form std might take or refuse, in each position.
        let mut octets: Vec<String> = (0..=300).map(|n| n.to_string()).collect();
        octets.extend(["00", "01", "007", "0255", "1000", "", "x", "-1", "+1"].map(String::from));
        for o in &octets {
            for at in 0..4 {
                let mut parts = ["192", "0", "2", "1"].map(String::from);
                parts[at].clone_from(o);
                let s = parts.join(".");
                assert_eq!(parse_ip(&s), s.parse::<IpAddr>().ok(), "{s}");
                assert!(
                    ipv4(s.as_bytes()).is_none() || s.parse::<std::net::Ipv4Addr>().is_ok(),
                    "{s}"
                );
            }
        }
    }
}
