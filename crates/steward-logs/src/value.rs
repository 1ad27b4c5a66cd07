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

/// What the mapping asks of a record.
pub(crate) trait Fields {
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
    let b = text.as_bytes();
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    if !digits.is_empty() && digits.len() <= 18 && digits.iter().all(u8::is_ascii_digit) {
        let mut n: i64 = 0;
        for d in digits {
            n = n * 10 + i64::from(d - b'0');
        }
        return Ok(Value::Int(if digits.len() == b.len() { n } else { -n }));
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(Value::Int(n));
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(Value::Float(f)),
        _ => Err("not a number"),
    }
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
}
