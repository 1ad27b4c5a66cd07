//! Reading rule files: multi-document YAML split by hand so every document
//! knows its first line, checked as YAML (for the parser's line and column),
//! then parsed by rsigma-parser one document at a time, so one bad rule is
//! reported where it is and the others load.

use std::path::{Path, PathBuf};

use rsigma_parser::{CorrelationRule, FilterRule, SigmaRule, parse_sigma_yaml};

use crate::error::{Location, RuleError, RuleErrorKind, tidy};

/// A parsed Sigma document.
#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// Detection rule.
    Rule(Box<SigmaRule>),
    /// Correlation rule.
    Correlation(Box<CorrelationRule>),
    /// Filter rule.
    Filter(Box<FilterRule>),
}

/// One document of a rule file.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    /// File it came from.
    pub file: PathBuf,
    /// Line of its first line in the file, 1-based.
    pub line: usize,
    /// Its text.
    pub text: String,
    /// The YAML, for questions the parsed form cannot answer.
    pub yaml: yaml_serde::Value,
    /// The parsed rule.
    pub item: Item,
}

impl Doc {
    /// `` `title` (id) `` for messages.
    pub(crate) fn label(&self) -> Option<String> {
        label(&self.yaml)
    }

    /// An error located in this document by what its message names.
    pub(crate) fn error(&self, kind: RuleErrorKind) -> RuleError {
        let (line, column) = locate(&self.text, &kind.to_string());
        RuleError {
            location: Location {
                file: self.file.clone(),
                line: Some(self.line + line - 1),
                column,
            },
            rule: self.label(),
            kind,
        }
    }

    /// An error at the first line holding `needle` (the document's first
    /// line when none does).
    pub(crate) fn error_at(&self, needle: &str, kind: RuleErrorKind) -> RuleError {
        let (line, column) = find(&self.text, needle).unwrap_or((first_line(&self.text), None));
        RuleError {
            location: Location {
                file: self.file.clone(),
                line: Some(self.line + line - 1),
                column,
            },
            rule: self.label(),
            kind,
        }
    }
}

fn label(yaml: &yaml_serde::Value) -> Option<String> {
    let title = yaml.get("title").and_then(yaml_serde::Value::as_str)?;
    Some(match yaml.get("id").and_then(yaml_serde::Value::as_str) {
        Some(id) => format!("`{title}` ({id})"),
        None => format!("`{title}`"),
    })
}

/// What reading some files produced.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    pub docs: Vec<Doc>,
    pub errors: Vec<RuleError>,
    pub warnings: Vec<RuleError>,
}

impl Reader {
    /// Reads a file, or every `*.yml`/`*.yaml` under a directory (sorted,
    /// hidden entries skipped).
    pub(crate) fn add_path(&mut self, path: &Path) {
        if path.is_dir() {
            match sorted_entries(path) {
                Ok(entries) => {
                    for entry in entries {
                        let hidden = entry
                            .file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with('.'));
                        let yaml = matches!(
                            entry.extension().and_then(|e| e.to_str()),
                            Some("yml" | "yaml")
                        );
                        if hidden {
                            continue;
                        }
                        if entry.is_dir() || yaml {
                            self.add_path(&entry);
                        }
                    }
                }
                Err(e) => self.io_error(path, &e),
            }
            return;
        }
        match std::fs::read(path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => self.add_text(path, &text),
                Err(e) => self.errors.push(RuleError {
                    location: Location {
                        file: path.to_owned(),
                        line: None,
                        column: None,
                    },
                    rule: None,
                    kind: RuleErrorKind::Io(format!("not UTF-8 ({e})")),
                }),
            },
            Err(e) => self.io_error(path, &e),
        }
    }

    fn io_error(&mut self, path: &Path, e: &std::io::Error) {
        self.errors.push(RuleError {
            location: Location {
                file: path.to_owned(),
                line: None,
                column: None,
            },
            rule: None,
            kind: RuleErrorKind::Io(e.to_string()),
        });
    }

    /// Reads the documents of `text`, named `file` in messages.
    pub(crate) fn add_text(&mut self, file: &Path, text: &str) {
        let docs = split_documents(text);
        // `action: global/reset/repeat` spans documents: such a file is
        // parsed whole, and its messages point at the file's first line.
        let collection_actions = docs
            .iter()
            .any(|(_, d)| d.lines().any(|l| l.starts_with("action:")));
        if collection_actions {
            self.add_document(file, 1, text, true);
        } else {
            for (line, doc) in docs {
                self.add_document(file, line, &doc, false);
            }
        }
    }

    fn add_document(&mut self, file: &Path, line: usize, text: &str, whole_file: bool) {
        let at = |l: usize, column: Option<usize>| Location {
            file: file.to_owned(),
            line: Some(line + l - 1),
            column,
        };
        let yaml = if whole_file {
            yaml_serde::Value::Null
        } else {
            match yaml_serde::from_str::<yaml_serde::Value>(text) {
                Ok(v) => v,
                Err(e) => {
                    let (l, c) = e.location().map_or((first_line(text), None), |loc| {
                        (loc.line().max(1), Some(loc.column()))
                    });
                    self.errors.push(RuleError {
                        location: at(l, c),
                        rule: None,
                        kind: RuleErrorKind::Yaml(strip_position(&e.to_string())),
                    });
                    return;
                }
            }
        };
        if !whole_file && !yaml.is_mapping() {
            self.errors.push(RuleError {
                location: at(first_line(text), None),
                rule: None,
                kind: RuleErrorKind::Parse("a rule document must be a mapping".to_owned()),
            });
            return;
        }
        let collection = match guarded(|| parse_sigma_yaml(text)) {
            Ok(c) => c,
            Err(message) => {
                self.errors.push(RuleError {
                    location: at(first_line(text), None),
                    rule: label(&yaml),
                    kind: RuleErrorKind::Parse(message),
                });
                return;
            }
        };
        let items: Vec<Item> = collection
            .rules
            .into_iter()
            .map(|r| Item::Rule(Box::new(r)))
            .chain(
                collection
                    .correlations
                    .into_iter()
                    .map(|c| Item::Correlation(Box::new(c))),
            )
            .chain(
                collection
                    .filters
                    .into_iter()
                    .map(|f| Item::Filter(Box::new(f))),
            )
            .collect();
        let loaded = !items.is_empty();
        for message in &collection.errors {
            let message = tidy(message);
            let (l, c) = locate(text, &message);
            let kind = if loaded {
                RuleErrorKind::ParseWarning(message)
            } else {
                RuleErrorKind::Parse(message)
            };
            let error = RuleError {
                location: at(l, c),
                rule: label(&yaml),
                kind,
            };
            if loaded {
                self.warnings.push(error);
            } else {
                self.errors.push(error);
            }
        }
        if !loaded && collection.errors.is_empty() {
            self.errors.push(RuleError {
                location: at(first_line(text), None),
                rule: label(&yaml),
                kind: RuleErrorKind::Parse("the document holds no rule".to_owned()),
            });
        }
        for item in items {
            self.docs.push(Doc {
                file: file.to_owned(),
                line,
                text: text.to_owned(),
                yaml: yaml.clone(),
                item,
            });
        }
    }
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    entries.sort();
    Ok(entries)
}

/// Runs third-party parsing so that a panic in it becomes an error.
pub(crate) fn guarded<T, E: std::fmt::Display>(
    f: impl FnOnce() -> Result<T, E>,
) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(tidy(&e.to_string())),
        Err(_) => Err("the Sigma parser failed on this document".to_owned()),
    }
}

/// Splits multi-document YAML at `---` lines (and `...` ends) into
/// `(first line, text)` pairs; documents of only blanks and comments are
/// dropped.
pub(crate) fn split_documents(text: &str) -> Vec<(usize, String)> {
    let mut docs = Vec::new();
    let mut current = String::new();
    let mut start = 1usize;
    let mut flush = |current: &mut String, start: usize| {
        let meaningful = current.lines().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#') && !t.starts_with('%')
        });
        if meaningful {
            docs.push((start, std::mem::take(current)));
        } else {
            current.clear();
        }
    };
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let marker = line
            .strip_prefix("---")
            .filter(|rest| rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t'));
        if let Some(rest) = marker {
            flush(&mut current, start);
            start = number;
            // Content after the marker (`--- # comment`) stays on the line.
            current.push_str(&" ".repeat(3));
            current.push_str(rest);
            current.push('\n');
            continue;
        }
        if line.trim_end() == "..." {
            flush(&mut current, start);
            start = number + 1;
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    flush(&mut current, start);
    docs
}

/// Line (1-based) of the first line that is not blank or a comment.
pub(crate) fn first_line(text: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
        .map_or(1, |i| i + 1)
}

fn strip_position(message: &str) -> String {
    let base = message.split(" at line ").next().unwrap_or(message);
    tidy(base)
}

/// First line (and column) holding `needle`, outside comments.
pub(crate) fn find(text: &str, needle: &str) -> Option<(usize, Option<usize>)> {
    if needle.is_empty() {
        return None;
    }
    text.lines().enumerate().find_map(|(i, line)| {
        let code = line.split(" #").next().unwrap_or(line);
        if code.trim_start().starts_with('#') {
            return None;
        }
        code.find(needle)
            .map(|col| (i + 1, Some(line[..col].chars().count() + 1)))
    })
}

/// Values a message quotes in backticks.
fn quoted(message: &str) -> Vec<&str> {
    message
        .split('`')
        .enumerate()
        .filter(|(i, part)| i % 2 == 1 && !part.is_empty())
        .map(|(_, part)| part)
        .collect()
}

/// Keys a message may be about, with the text that finds their line.
const KEYS: [(&str, &str); 9] = [
    ("timespan", "timespan:"),
    ("timeframe", "timeframe:"),
    ("group-by", "group-by:"),
    ("condition", "condition:"),
    ("correlation", "correlation:"),
    ("logsource", "logsource:"),
    ("detection", "detection:"),
    ("level", "level:"),
    ("status", "status:"),
];

/// Where in `text` a message points: a quoted value (a modifier as
/// `|name`), else a key it mentions, else the first line.
pub(crate) fn locate(text: &str, message: &str) -> (usize, Option<usize>) {
    let lower = message.to_lowercase();
    for value in quoted(message) {
        if lower.contains("modifier")
            && let Some(hit) = find(text, &format!("|{value}"))
        {
            return hit;
        }
        let candidates = [format!("{value}:"), format!("{value}|"), value.to_owned()];
        if let Some(hit) = candidates.iter().find_map(|c| find(text, c)) {
            return hit;
        }
    }
    // Modifiers named bare (`got |gte, |hour`).
    for word in message.split(|c: char| c.is_whitespace() || c == ',') {
        if word.len() > 1
            && word.starts_with('|')
            && let Some(hit) = find(text, word)
        {
            return hit;
        }
    }
    for (key, needle) in KEYS {
        if lower.contains(key)
            && let Some(hit) = find(text, needle)
        {
            return hit;
        }
    }
    (first_line(text), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_numbers_documents() {
        let text = "# pack\ntitle: a\n---\ntitle: b\nx: 1\n--- # c\n\n...\n---\ntitle: d\n";
        let docs = split_documents(text);
        let starts: Vec<usize> = docs.iter().map(|(l, _)| *l).collect();
        assert_eq!(starts, vec![1, 3, 9]);
        assert_eq!(docs[1].1.lines().nth(1), Some("title: b"));
        assert_eq!(find(&docs[2].1, "title: d").map(|f| f.0 + 9 - 1), Some(10));
    }

    #[test]
    fn locates_quoted_values_and_keys() {
        let text = "title: t\ndetection:\n  sel:\n    endpoint|containz: x\n  condition: sel and\n";
        assert_eq!(locate(text, "unknown modifier `containz`"), (4, Some(13)));
        assert_eq!(locate(text, "condition parse error"), (5, Some(3)));
        assert_eq!(locate(text, "something else"), (1, None));
    }
}
