//! Decoding a JSON string's escapes (the content between the quotes).

fn hex4(b: &[u8], at: usize) -> Option<u32> {
    let mut n = 0u32;
    for k in 0..4 {
        let d = char::from(*b.get(at + k)?).to_digit(16)?;
        n = n * 16 + d;
    }
    Some(n)
}

/// Decodes `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` and `\uXXXX`
/// (with surrogate pairs) in raw string content.
///
/// # Errors
/// Invalid escapes, lone surrogates, invalid UTF-8.
pub(crate) fn unescape(raw: &[u8]) -> Result<String, &'static str> {
    const BAD: &str = "invalid escape in a string";
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let Some(k) = memchr::memchr(b'\\', raw.get(i..).unwrap_or_default()) else {
            out.extend_from_slice(raw.get(i..).unwrap_or_default());
            break;
        };
        out.extend_from_slice(raw.get(i..i + k).unwrap_or_default());
        i += k + 1;
        let c = *raw.get(i).ok_or(BAD)?;
        i += 1;
        let simple = match c {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'u' => None,
            _ => return Err(BAD),
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let hi = hex4(raw, i).ok_or(BAD)?;
        i += 4;
        let code = if (0xd800..0xdc00).contains(&hi) {
            if raw.get(i..i + 2) != Some(b"\\u") {
                return Err(BAD);
            }
            let lo = hex4(raw, i + 2).ok_or(BAD)?;
            if !(0xdc00..0xe000).contains(&lo) {
                return Err(BAD);
            }
            i += 6;
            0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00)
        } else {
            hi
        };
        let ch = char::from_u32(code).ok_or(BAD)?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
    String::from_utf8(out).map_err(|_| "not valid UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes() {
        assert_eq!(unescape(br#"a\"b\\c\/d\n\t"#).unwrap(), "a\"b\\c/d\n\t");
        assert_eq!(unescape(br"\u00e9\ud83d\ude00").unwrap(), "é😀");
        assert_eq!(unescape(b"plain").unwrap(), "plain");
        for bad in [&br"\x"[..], br"\u12", br"\ud83d", br"\ud83dx\ude00", b"\\"] {
            assert!(unescape(bad).is_err(), "{bad:?}");
        }
        assert!(unescape(b"\xff").is_err());
    }
}
