//! The scan config file (YAML): minimum confidence, detectors to disable,
//! user-defined detectors (pattern + validator + category) and allow-lists
//! of values, fingerprints and paths.
//!
//! ```yaml
//! min_confidence: 0.7
//! disable: [KR_PASSPORT]
//! allow:
//!   values: ["010-0000-0000"]
//!   fingerprints: ["fp:0123456789abcdef0123456789abcdef"]
//!   paths: ["**/fixtures/**"]
//! detectors:
//!   - id: EMPLOYEE_ID
//!     name: Employee number
//!     category: user.unique_id
//!     pattern: '(?-u:\b)E\d{4}(?-u:\b)'
//!     validator: none        # or luhn, mod97, or a built-in id such as kr_rrn
//!     confidence: 0.7
//!     context: [employee, 사번]
//!     columns: [employee_id]
//! ```

use std::collections::HashSet;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use steward_model::category::DataCategory;

use crate::detector::Detector;
use crate::detectors::{builtin, validator_by_name};
use crate::error::ScanError;

/// The config file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanConfig {
    /// Matches below this confidence are dropped (default 0.6).
    pub min_confidence: Option<f32>,
    /// Built-in detector ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Values, fingerprints and paths never reported.
    #[serde(default)]
    pub allow: Allow,
    /// User-defined detectors.
    #[serde(default)]
    pub detectors: Vec<CustomDetector>,
}

/// Allow-lists.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Allow {
    /// Raw values (exact).
    #[serde(default)]
    pub values: Vec<String>,
    /// Fingerprints (`fp:…`), so a value can be allowed without writing it
    /// down.
    #[serde(default)]
    pub fingerprints: Vec<String>,
    /// Path globs.
    #[serde(default)]
    pub paths: Vec<String>,
}

/// A user-defined detector.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDetector {
    /// Stable id (upper-case letters, digits, `_`).
    pub id: String,
    /// Human name.
    pub name: Option<String>,
    /// fideslang category key.
    pub category: String,
    /// Regular expression; a group named `v` marks the value.
    pub pattern: String,
    /// `none`, `luhn`, `mod97`, or a built-in detector id.
    pub validator: Option<String>,
    /// Confidence of an accepted value (default: the validator's).
    pub confidence: Option<f32>,
    /// Context words.
    #[serde(default)]
    pub context: Vec<String>,
    /// Column-name hints.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Require a context word or column hint.
    #[serde(default)]
    pub needs_context: bool,
    /// ISO 3166-1 alpha-2 code of whose data this is.
    pub jurisdiction: Option<String>,
}

impl ScanConfig {
    /// Reads and checks a config file.
    ///
    /// # Errors
    /// Unreadable file, YAML errors (with line and column), unknown fields,
    /// categories, validators or ids.
    pub fn load(path: &Path) -> Result<Self, ScanError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ScanError::Config {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        Self::parse(&text, &shown)
    }

    /// Parses config text; `path` names it in errors.
    ///
    /// # Errors
    /// As [`ScanConfig::load`].
    pub fn parse(text: &str, path: &str) -> Result<Self, ScanError> {
        let err = |reason: String| ScanError::Config {
            path: path.to_owned(),
            reason,
        };
        let config: Self = serde_norway::from_str(text).map_err(|e| {
            err(match e.location() {
                Some(at) => format!("line {}, column {}: {e}", at.line(), at.column()),
                None => e.to_string(),
            })
        })?;
        if let Some(m) = config.min_confidence
            && !(0.0..=1.0).contains(&m)
        {
            return Err(err(format!(
                "`min_confidence` must be between 0 and 1, not {m}"
            )));
        }
        let known: HashSet<String> = builtin().into_iter().map(|d| d.id).collect();
        for id in &config.disable {
            if !known.contains(id) {
                return Err(err(format!("`disable`: unknown detector `{id}`")));
            }
        }
        for fp in &config.allow.fingerprints {
            let hex = fp.strip_prefix("fp:").unwrap_or_default();
            if hex.len() != 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(err(format!(
                    "`allow.fingerprints`: `{fp}` is not a fingerprint (fp: and 32 hex digits)"
                )));
            }
        }
        // Compile exactly what a scan will compile, so a config that loads
        // always scans.
        crate::engine::Engine::new(
            config.detectors(path)?,
            crate::engine::EngineOptions::default(),
        )
        .map_err(|e| err(e.to_string()))?;
        config.ignore_set(path)?;
        Ok(config)
    }

    /// Built-in detectors minus the disabled ones, then the user's.
    ///
    /// # Errors
    /// A user detector with an unknown category or validator, a clashing
    /// id, or a pattern that does not compile.
    pub fn detectors(&self, path: &str) -> Result<Vec<Detector>, ScanError> {
        let err = |reason: String| ScanError::Config {
            path: path.to_owned(),
            reason,
        };
        let mut out: Vec<Detector> = builtin()
            .into_iter()
            .filter(|d| !self.disable.contains(&d.id))
            .collect();
        for c in &self.detectors {
            let where_ = format!("detector `{}`", c.id);
            if c.id.is_empty()
                || !c
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(err(format!(
                    "{where_}: ids are upper-case letters, digits and `_`"
                )));
            }
            if out.iter().any(|d| d.id == c.id) {
                return Err(err(format!("{where_}: the id is already taken")));
            }
            DataCategory::new(&c.category).map_err(|e| err(format!("{where_}: {e}")))?;
            let name = c.validator.as_deref().unwrap_or("none");
            let validate = validator_by_name(name).ok_or_else(|| {
                err(format!(
                    "{where_}: unknown validator `{name}` (none, luhn, mod97 or a built-in id)"
                ))
            })?;
            regex_automata::meta::Regex::new(&c.pattern)
                .map_err(|e| err(format!("{where_}: pattern does not compile: {e}")))?;
            if let Some(conf) = c.confidence
                && !(0.0..=1.0).contains(&conf)
            {
                return Err(err(format!(
                    "{where_}: `confidence` must be between 0 and 1"
                )));
            }
            let context: Vec<&str> = c.context.iter().map(String::as_str).collect();
            let columns: Vec<&str> = c.columns.iter().map(String::as_str).collect();
            let mut d = Detector::new(
                &c.id,
                c.name.as_deref().unwrap_or(&c.id),
                &c.category,
                validate,
            )
            .pattern(&c.pattern)
            .context(&context)
            .columns(&columns)
            .describe("User-defined detector.");
            d.needs_context = c.needs_context;
            d.base_confidence = c.confidence;
            d.jurisdiction.clone_from(&c.jurisdiction);
            out.push(d);
        }
        Ok(out)
    }

    /// Path globs never scanned.
    ///
    /// # Errors
    /// An invalid glob.
    pub fn ignore_set(&self, path: &str) -> Result<Option<GlobSet>, ScanError> {
        if self.allow.paths.is_empty() {
            return Ok(None);
        }
        let mut b = GlobSetBuilder::new();
        for p in &self.allow.paths {
            let g = Glob::new(p).map_err(|e| ScanError::Config {
                path: path.to_owned(),
                reason: format!("`allow.paths`: {e}"),
            })?;
            b.add(g);
        }
        b.build().map(Some).map_err(|e| ScanError::Config {
            path: path.to_owned(),
            reason: format!("`allow.paths`: {e}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_detectors_and_allow_lists_load() {
        let c = ScanConfig::parse(
            "min_confidence: 0.7\ndisable: [KR_PASSPORT]\nallow:\n  paths: ['**/fixtures/**']\ndetectors:\n  - id: EMPLOYEE_ID\n    category: user.unique_id\n    pattern: 'E\\d{4}'\n    confidence: 0.8\n",
            "steward.yaml",
        )
        .unwrap();
        let ds = c.detectors("steward.yaml").unwrap();
        assert!(ds.iter().any(|d| d.id == "EMPLOYEE_ID"));
        assert!(!ds.iter().any(|d| d.id == "KR_PASSPORT"));
        assert!(
            c.ignore_set("x")
                .unwrap()
                .unwrap()
                .is_match("a/fixtures/b.txt")
        );
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let e = ScanConfig::parse(
            "detectors:\n  - id: X\n    category: user.nope\n    pattern: x\n",
            "s.yaml",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("s.yaml: detector `X`:"), "{e}");
        let e = ScanConfig::parse("min_confidnce: 1\n", "s.yaml").unwrap_err();
        assert!(e.to_string().contains("line 1"), "{e}");
        let e = ScanConfig::parse(
            "detectors:\n  - id: X\n    category: user.name\n    pattern: '('\n",
            "s.yaml",
        )
        .unwrap_err();
        assert!(e.to_string().contains("does not compile"), "{e}");
        // A trailing verbose-mode comment would swallow the whole-cell anchors.
        let e = ScanConfig::parse("detectors:\n  - id: XX\n    category: user.unique_id\n    pattern: \"(?x)E[0-9]{4} #\"\n", "s.yaml").unwrap_err();
        assert!(e.to_string().contains("`XX`"), "{e}");
        let e = ScanConfig::parse("disable: [NOPE]\n", "s.yaml").unwrap_err();
        assert!(e.to_string().contains("unknown detector `NOPE`"), "{e}");
    }
}
