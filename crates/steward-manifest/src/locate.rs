//! Where each value sits in the YAML text. serde gives the typed manifest
//! but no positions once deserialising has succeeded, so the text is read a
//! second time as a stream of events (saphyr-parser, which marks each event
//! with its line and column) and every node's path (`flows[2].to`) is
//! noted with the position of its value and, in a mapping, of its key.
//! Checks that need the whole manifest (dangling flows, duplicate ids) then
//! look their field up here.
//!
//! The second reading costs about as much as the first, and a manifest
//! without problems never asks for a position, so it happens on the first
//! question, not when the manifest is loaded.

use std::collections::HashMap;
use std::sync::OnceLock;

use saphyr_parser::{Event, Parser, Span};

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl Position {
    const START: Self = Self { line: 1, column: 1 };

    fn of(span: &Span) -> Self {
        Self {
            line: span.start.line().max(1),
            column: span.start.col().saturating_add(1),
        }
    }
}

/// The position of every node of the first document, by path, read from
/// the text when first asked for.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    text: String,
    index: OnceLock<Index>,
}

/// The positions, once read.
#[derive(Debug, Clone, Default)]
struct Index {
    values: HashMap<String, Position>,
    keys: HashMap<String, Position>,
}

enum Frame {
    Map {
        path: String,
        /// The key just read, waiting for its value.
        key: Option<String>,
    },
    Seq {
        path: String,
        next: usize,
    },
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl Locations {
    /// The positions of `text`, read when first needed. A syntax error ends
    /// the reading; what was read before it is kept (serde reports the error
    /// itself).
    #[must_use]
    pub fn read(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            index: OnceLock::new(),
        }
    }

    /// Whether the positions have been read (a manifest without problems
    /// never needs them).
    #[must_use]
    pub fn positions_read(&self) -> bool {
        self.index.get().is_some()
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::read(&self.text))
    }

    /// The position of a field's value; for a field that is not there, of
    /// its nearest ancestor; line 1, column 1 when nothing is known.
    #[must_use]
    pub fn value(&self, field: &str) -> Position {
        let index = self.index();
        index.nearest(field, &index.values)
    }

    /// The position of a field's key (`id:` rather than its value), falling
    /// back like [`Locations::value`].
    #[must_use]
    pub fn key(&self, field: &str) -> Position {
        match self.index().keys.get(field) {
            Some(p) => *p,
            None => self.value(field),
        }
    }

    /// Whether the document has this field.
    #[must_use]
    pub fn contains(&self, field: &str) -> bool {
        let index = self.index();
        index.values.contains_key(field) || index.keys.contains_key(field)
    }
}

impl Index {
    fn read(text: &str) -> Self {
        let mut out = Self::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut started = false;
        for next in Parser::new_from_str(text) {
            let Ok((event, span)) = next else { break };
            let at = Position::of(&span);
            match event {
                Event::DocumentStart(_) if started => break,
                Event::DocumentStart(_) => started = true,
                Event::DocumentEnd | Event::StreamEnd => {
                    if started {
                        break;
                    }
                }
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map {
                        path,
                        key: key @ None,
                    }) = stack.last_mut()
                    {
                        let full = join(path, &value);
                        out.keys.entry(full).or_insert(at);
                        *key = Some(value.into_owned());
                    } else if let Some(path) = out.enter(&mut stack, at) {
                        out.values.entry(path).or_insert(at);
                    }
                }
                Event::Alias(_) => {
                    if let Some(path) = out.enter(&mut stack, at) {
                        out.values.entry(path).or_insert(at);
                    }
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let path = out.enter(&mut stack, at).unwrap_or_else(|| "?".to_owned());
                    out.values.entry(path.clone()).or_insert(at);
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { path, key: None }
                    } else {
                        Frame::Seq { path, next: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::Nothing | Event::StreamStart => {}
            }
        }
        out
    }

    /// The path of a node about to be read, advancing its parent: the next
    /// index of a sequence, or the pending key of a mapping (cleared). A
    /// complex key (a mapping used as a key) gets the path `?`.
    fn enter(&mut self, stack: &mut [Frame], at: Position) -> Option<String> {
        match stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, next }) => {
                let p = format!("{path}[{next}]");
                *next = next.saturating_add(1);
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    // A collection used as a key: its value follows.
                    self.keys.entry(join(path, "?")).or_insert(at);
                    *key = Some("?".to_owned());
                    Some(join(path, "?"))
                }
            },
        }
    }

    fn nearest(&self, field: &str, table: &HashMap<String, Position>) -> Position {
        let mut path = field;
        loop {
            if let Some(p) = table.get(path) {
                return *p;
            }
            if path.is_empty() {
                return Position::START;
            }
            path = parent(path);
        }
    }
}

/// `a.b[2].c` → `a.b[2]` → `a.b` → `a` → ``.
fn parent(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(i) => path.get(..i).unwrap_or_default(),
        None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
version: 1
systems:
  - id: a
    datasets:
      - {id: a.x, location: x.csv}
      - id: a.y
flows: []
";

    #[test]
    fn values_and_keys_have_their_positions() {
        let l = Locations::read(DOC);
        let p = |line, column| Position { line, column };
        assert_eq!(l.value("version"), p(1, 10));
        assert_eq!(l.key("version"), p(1, 1));
        assert_eq!(l.value("systems[0]"), p(3, 5));
        assert_eq!(l.value("systems[0].id"), p(3, 9));
        assert_eq!(l.value("systems[0].datasets[0].location"), p(5, 29));
        assert_eq!(l.key("systems[0].datasets[1].id"), p(6, 9));
        assert_eq!(l.value("flows"), p(7, 8));
    }

    #[test]
    fn missing_fields_fall_back_to_their_parent() {
        let l = Locations::read(DOC);
        assert_eq!(
            l.value("systems[0].datasets[1].fields[3]"),
            l.value("systems[0].datasets[1]")
        );
        assert_eq!(l.value("nothing.here"), Position::START);
        assert_eq!(parent("a.b[2].c"), "a.b[2]");
        assert_eq!(parent("a.b[2]"), "a.b");
    }

    #[test]
    fn broken_text_keeps_what_came_before() {
        let l = Locations::read("version: 1\nsystems: [\n");
        assert_eq!(l.value("version").line, 1);
        assert!(!l.contains("systems[0]"));
        // Only the first document is read.
        let l = Locations::read("a: 1\n---\nb: 2\n");
        assert!(l.contains("a") && !l.contains("b"));
    }
}
