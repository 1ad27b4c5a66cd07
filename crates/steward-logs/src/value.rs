//! A value read from a record, borrowed from the record where it can be, and
//! the interface every record format gives the mapping.

use std::borrow::Cow;

/// Index of a source path in a compiled mapping.
pub(crate) type PathId = u16;

/// One value of a record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'a> {
    /// JSON `null`, an empty CSV cell, a Parquet null.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A number that is not an integer (or does not fit one).
    Float(f64),
    /// Text.
    Str(Cow<'a, str>),
    /// An instant the format already typed (Parquet timestamps), epoch ms.
    TimeMs(i64),
}

/// Why a value could not be read.
pub(crate) type ValueError = &'static str;

/// A record's first value at a path when it needs no decoding, for the
/// mapping's direct programs (`plan::Direct`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plain<'a> {
    /// The path is absent.
    Absent,
    /// Text without escapes, borrowed from the record.
    Str(&'a str),
    /// An integer written as at most 18 digits (and an optional `-`).
    Int(i64),
    /// Anything else (null, escaped text, other numbers, objects): read it
    /// through [`Fields::first`].
    Other,
}

/// What the mapping asks of a record.
pub(crate) trait Fields {
    /// The first value at `path` when it is plain; formats that do not say
    /// answer [`Plain::Other`], and the mapping then reads it through
    /// [`Fields::first`].
    #[inline(always)]
    fn plain(&self, _path: PathId) -> Plain<'_> {
        Plain::Other
    }

    /// As [`Fields::plain`], and only when the record holds no second value
    /// at `path` (a list's one entry); [`Plain::Other`] when it may, or
    /// when the record cannot say.
    #[inline(always)]
    fn only(&self, _path: PathId) -> Plain<'_> {
        Plain::Other
    }

    /// The first value found at `path` (for arrays, the first element);
    /// `None` when the path is absent.
    fn first(&self, path: PathId) -> Result<Option<Value<'_>>, ValueError>;

    /// Calls `f` with every value at `path`, in record order.
    fn each<'s>(
        &'s self,
        path: PathId,
        f: &mut dyn FnMut(Value<'s>) -> Result<(), ValueError>,
    ) -> Result<(), ValueError>;
}

impl Value<'_> {
    /// Whether the value is null (absent values are `None`, not `Null`).
    pub(crate) const fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }
}

/// Parses JSON number text (or numeric text from CSV) into a value.
pub(crate) fn parse_number(text: &str) -> Result<Value<'static>, ValueError> {
    if let Some(n) = integer(text.as_bytes()) {
        return Ok(Value::Int(n));
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(Value::Int(n));
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Value::Float(f)),
        _ => Err("not a number"),
    }
}

/// [`parse_number`] of bytes (a JSON number as the walker found it): the
/// common integers without a UTF-8 check.
pub(crate) fn parse_number_bytes(b: &[u8]) -> Result<Value<'static>, ValueError> {
    if let Some(n) = integer(b) {
        return Ok(Value::Int(n));
    }
    std::str::from_utf8(b)
        .map_err(|_| "not a number")
        .and_then(parse_number)
}

/// An optional `-` and 1 to 18 ASCII digits, which always fit an `i64`.
#[inline]
pub(crate) fn integer(b: &[u8]) -> Option<i64> {
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut n: i64 = 0;
    for d in digits {
        let d = d.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + i64::from(d);
    }
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("200"), Ok(Value::Int(200)));
        assert_eq!(parse_number("-17"), Ok(Value::Int(-17)));
        assert_eq!(
            parse_number("9223372036854775807"),
            Ok(Value::Int(i64::MAX))
        );
        assert_eq!(parse_number("1.5e3"), Ok(Value::Float(1500.0)));
        assert!(parse_number("12ab").is_err());
        assert!(parse_number("-").is_err());
        assert!(parse_number("").is_err());
    }

    #[test]
    fn numbers_from_bytes_agree() {
        for t in [
            "0",
            "-0",
            "200",
            "-17",
            "007",
            "1.5e3",
            "-2.5",
            "1e400",
            "12ab",
            "-",
            "",
            "--1",
            "+1",
            "999999999999999999",
            "9999999999999999999",
            "-9223372036854775808",
            "9223372036854775808",
            "1.",
            ".5",
        ] {
            assert_eq!(parse_number_bytes(t.as_bytes()), parse_number(t), "{t}");
        }
        assert_eq!(parse_number_bytes(b"1\xff"), Err("not a number"));
    }
}
