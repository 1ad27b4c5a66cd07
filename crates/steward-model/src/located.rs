//! An error in a data file (a log mapping, a regime, a calendar), placed at
//! its line and column when the parser knows them. The crates that read
//! such files name it after what they read (`MappingError`, `DataError`).

use thiserror::Error;

/// A problem in a file, with the 1-based line and column where known.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}{}: {message}", at(*line, *column))]
pub struct LocatedError {
    /// The file (or a built-in file's name, `regimes/kr-pipa.yaml`).
    pub file: String,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// 1-based column of the problem, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

impl LocatedError {
    /// A problem with a whole file.
    #[must_use]
    pub fn new(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// A problem at a line of a file.
    #[must_use]
    pub fn at_line(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            ..Self::new(file, message)
        }
    }

    /// A parser's error (serde_norway, serde_json): the location it appends
    /// to its message (` at line L column C`) is taken out and shown once,
    /// in front. Line or column 0 means unknown.
    #[must_use]
    pub fn from_parser(file: &str, message: &str, location: Option<(usize, usize)>) -> Self {
        let mut message = message.to_owned();
        let (mut line, mut column) = (None, None);
        if let Some((l, c)) = location {
            strip_location_suffix(&mut message, l, c);
            line = (l > 0).then_some(l);
            column = (c > 0).then_some(c);
        }
        Self {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    }
}

/// Removes ` at line L column C` from a parser's message.
pub fn strip_location_suffix(message: &mut String, line: usize, column: usize) {
    let suffix = format!(" at line {line} column {column}");
    if let Some(i) = message.rfind(&suffix) {
        message.replace_range(i..i + suffix.len(), "");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_location_is_shown_once_in_front() {
        let e = LocatedError::from_parser(
            "m.yaml",
            "fields: unknown field `x` at line 4 column 3",
            Some((4, 3)),
        );
        assert_eq!((e.line, e.column), (Some(4), Some(3)));
        assert_eq!(e.to_string(), "m.yaml:4:3: fields: unknown field `x`");
        assert_eq!(
            LocatedError::at_line("c.yaml", 9, "bad date").to_string(),
            "c.yaml:9: bad date"
        );
        assert_eq!(LocatedError::new("f", "empty").to_string(), "f: empty");
        let e = LocatedError::from_parser("j.json", "EOF while parsing", Some((0, 0)));
        assert_eq!((e.line, e.column), (None, None));
    }
}
