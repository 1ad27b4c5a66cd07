//! Reading the manifest and the HR roster.
//!
//! [`load_manifest`] parses and checks the manifest with `steward-manifest`
//! (errors carry line and column) and notes the line of every id.

use std::collections::HashMap;
use std::path::Path;

use steward_model::manifest::{Manifest, StaffMember};

use crate::error::{PolicyError, Result};

/// A manifest with the line each id is declared on.
#[derive(Debug, Clone)]
pub struct LoadedManifest {
    /// The manifest.
    pub manifest: Manifest,
    /// Its path as given.
    pub path: String,
    /// Line (1-based) of each `id:` in the file, by id.
    pub lines: HashMap<String, usize>,
}

/// Reads and parses a manifest file.
///
/// # Errors
/// [`PolicyError::Read`] or [`PolicyError::Manifest`] with line and column.
pub fn load_manifest(path: &Path) -> Result<LoadedManifest> {
    let text = std::fs::read_to_string(path).map_err(|source| PolicyError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_manifest(&path.display().to_string(), &text)
}

/// Parses manifest text; `file` names it in errors.
///
/// # Errors
/// [`PolicyError::Manifest`] with line and column.
pub fn parse_manifest(file: &str, text: &str) -> Result<LoadedManifest> {
    let manifest = match steward_manifest::parse(text, file) {
        Ok(loaded) => loaded.manifest,
        Err(steward_manifest::ManifestError::Invalid { problems }) => {
            let first = problems
                .iter()
                .find(|p| p.severity == steward_manifest::Severity::Error)
                .or(problems.first());
            let (line, column) = first.map_or((0, 0), |p| (p.line, p.column));
            let message = problems
                .iter()
                .filter(|p| p.severity == steward_manifest::Severity::Error)
                .map(|p| {
                    if p.field.is_empty() {
                        p.message.clone()
                    } else {
                        format!("`{}`: {}", p.field, p.message)
                    }
                })
                .collect::<Vec<_>>()
                .join("; ");
            return Err(PolicyError::Manifest {
                file: file.to_owned(),
                line,
                column,
                message,
            });
        }
        Err(e) => {
            return Err(PolicyError::Manifest {
                file: file.to_owned(),
                line: 0,
                column: 0,
                message: e.to_string(),
            });
        }
    };
    Ok(LoadedManifest {
        manifest,
        path: file.to_owned(),
        lines: id_lines(text),
    })
}

/// The line of every `id: value` (plain or as a list item) in YAML text.
/// The first declaration of an id wins.
fn id_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let t = line
            .trim_start()
            .trim_start_matches("- ")
            .trim_start()
            .trim_start_matches('{')
            .trim_start();
        if let Some(v) = t.strip_prefix("id:") {
            let v = v.split([',', '}']).next().unwrap_or_default();
            let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
            if !v.is_empty() {
                lines.entry(v.to_owned()).or_insert(i + 1);
            }
        }
    }
    lines
}

/// Reads the HR roster CSV (`employee_id,name,role,team,start_date,end_date`).
///
/// # Errors
/// [`PolicyError::Read`], or [`PolicyError::Roster`] naming the line.
pub fn load_roster(path: &Path) -> Result<Vec<StaffMember>> {
    let file = path.display().to_string();
    let mut reader = csv::Reader::from_path(path).map_err(|e| match e.into_kind() {
        csv::ErrorKind::Io(source) => PolicyError::Read {
            path: path.to_owned(),
            source,
        },
        other => PolicyError::Roster {
            file: file.clone(),
            line: 1,
            message: format!("{other:?}"),
        },
    })?;
    let mut staff = Vec::new();
    for row in reader.deserialize::<StaffMember>() {
        let member = row.map_err(|e| PolicyError::Roster {
            file: file.clone(),
            line: e.position().map_or(0, csv::Position::line),
            message: match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
                _ => e.to_string(),
            },
        })?;
        staff.push(member);
    }
    Ok(staff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_lines() {
        let l = id_lines(
            "systems:\n  - id: a\n    datasets:\n      - id: \"b.c\"\n      - { id: d, x: 1 }\n",
        );
        assert_eq!(l.get("a"), Some(&2));
        assert_eq!(l.get("b.c"), Some(&4));
        assert_eq!(l.get("d"), Some(&5));
    }

    #[test]
    fn manifest_errors_have_a_line() {
        let e = parse_manifest(
            "m.yaml",
            "version: 1\norganization:\n  name: x\n  bogus: 1\n",
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(s.starts_with("m.yaml:"), "{s}");
        assert!(
            matches!(e, PolicyError::Manifest { line, .. } if line > 0),
            "{s}"
        );
    }
}
