//! Source paths: `http.status`, `auth.sub`, `resources[*].uid`,
//! `Records[0]`, `headers["x-request-id"]`, optionally starting with `$.`.
//! For CSV a path names a column; for Parquet it walks struct fields and
//! lists.

use std::fmt;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// An object field or column.
    Key(String),
    /// One array element.
    Index(usize),
    /// Every array element.
    Any,
}

/// A parsed source path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath {
    /// The steps.
    pub segments: Vec<Segment>,
    /// The text as written, for messages.
    pub text: String,
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl FieldPath {
    /// Parses path text.
    ///
    /// # Errors
    /// A message saying what is wrong with the path.
    pub fn parse(text: &str) -> Result<Self, String> {
        let body = text
            .strip_prefix("$.")
            .or_else(|| text.strip_prefix('$'))
            .unwrap_or(text);
        let b = body.as_bytes();
        let mut segments = Vec::new();
        let mut i = 0;
        let mut expect_key = true;
        while i < b.len() {
            match b.get(i) {
                Some(b'[') => {
                    let close = find_close(body, i)
                        .ok_or_else(|| format!("path `{text}`: `[` is not closed"))?;
                    let inner = body.get(i + 1..close).unwrap_or_default();
                    segments.push(bracket(inner).map_err(|e| format!("path `{text}`: {e}"))?);
                    i = close + 1;
                    expect_key = false;
                }
                Some(b'.') => {
                    if expect_key {
                        return Err(format!("path `{text}`: empty field name"));
                    }
                    i += 1;
                    expect_key = true;
                    if i == b.len() {
                        return Err(format!("path `{text}`: ends with `.`"));
                    }
                }
                Some(_) => {
                    if !expect_key {
                        return Err(format!("path `{text}`: expected `.` or `[` at byte {i}"));
                    }
                    let end = body
                        .get(i..)
                        .and_then(|rest| rest.find(['.', '[']))
                        .map_or(b.len(), |k| i + k);
                    let key = body.get(i..end).unwrap_or_default();
                    if key.contains(']') {
                        return Err(format!("path `{text}`: stray `]`"));
                    }
                    segments.push(Segment::Key(key.to_owned()));
                    i = end;
                    expect_key = false;
                }
                None => break,
            }
        }
        if segments.is_empty() {
            return Err("empty path".to_owned());
        }
        Ok(Self {
            segments,
            text: text.to_owned(),
        })
    }

    /// The column name this path stands for in a flat table: its single key,
    /// or the keys joined with `.` (a column written `http.status`).
    #[must_use]
    pub fn column_name(&self) -> Option<String> {
        let mut name = String::new();
        for s in &self.segments {
            let Segment::Key(k) = s else { return None };
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(k);
        }
        Some(name)
    }
}

/// The `]` closing the bracket at `open`, skipping a quoted key.
fn find_close(body: &str, open: usize) -> Option<usize> {
    let rest = body.get(open + 1..)?;
    if let Some(quoted) = rest.strip_prefix('"') {
        let mut escaped = false;
        for (k, c) in quoted.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    let after = open + 2 + k + 1;
                    return (body.as_bytes().get(after) == Some(&b']')).then_some(after);
                }
                _ => escaped = false,
            }
        }
        None
    } else {
        rest.find(']').map(|k| open + 1 + k)
    }
}

fn bracket(inner: &str) -> Result<Segment, String> {
    if inner == "*" {
        return Ok(Segment::Any);
    }
    if inner.starts_with('"') {
        return serde_json::from_str::<String>(inner)
            .map(Segment::Key)
            .map_err(|_| "bad quoted field name".to_owned());
    }
    inner
        .parse::<usize>()
        .map(Segment::Index)
        .map_err(|_| format!("`[{inner}]` is not `[*]`, an index or a quoted name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(t: &str) -> Vec<Segment> {
        FieldPath::parse(t).unwrap().segments
    }

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_owned())
    }

    #[test]
    fn parses_paths() {
        assert_eq!(segs("http.status"), vec![key("http"), key("status")]);
        assert_eq!(segs("$.a"), vec![key("a")]);
        assert_eq!(
            segs("resources[*].uid"),
            vec![key("resources"), Segment::Any, key("uid")]
        );
        assert_eq!(segs("Records[2]"), vec![key("Records"), Segment::Index(2)]);
        assert_eq!(
            segs(r#"headers["x.y]"].v"#),
            vec![key("headers"), key("x.y]"), key("v")]
        );
        assert_eq!(segs(r#"["a b"]"#), vec![key("a b")]);
        assert_eq!(
            FieldPath::parse("a.b").unwrap().column_name().as_deref(),
            Some("a.b")
        );
        assert_eq!(FieldPath::parse("a[*]").unwrap().column_name(), None);
    }

    #[test]
    fn rejects_bad_paths() {
        for bad in ["", "a.", ".a", "a..b", "a[", "a[x]", "a]b", "a[*]b", "$"] {
            assert!(FieldPath::parse(bad).is_err(), "{bad}");
        }
    }
}
