//! Field mappings: YAML files that say, for each field of the normalised
//! [`AccessEvent`](steward_model::event::AccessEvent), where a log keeps it
//! and how to convert it. A mapping is compiled once ([`Mapping::from_yaml`])
//! and then applied to every record without looking at the YAML again.
//!
//! The format is described in `docs/logs.md`; the shipped mappings live in
//! `mappings/` at the repository root and are built in
//! ([`Mapping::builtin`]).

mod convert;
mod memo;
#[cfg(test)]
mod memo_tests;
pub(crate) mod path;
pub(crate) mod plan;
mod spec;
pub(crate) mod time;

use std::path::Path;
use std::sync::Arc;

pub use path::{FieldPath, Segment};
pub use time::TimeFormat;

use crate::error::MappingError;
use plan::Plan;

/// The mappings shipped in `mappings/`, by name.
const BUILTIN: &[(&str, &str)] = &[
    (
        "steward-gateway",
        include_str!("../../../../mappings/steward-gateway.yaml"),
    ),
    (
        "steward-gateway-parquet",
        include_str!("../../../../mappings/steward-gateway-parquet.yaml"),
    ),
    (
        "steward-auth",
        include_str!("../../../../mappings/steward-auth.yaml"),
    ),
    (
        "ocsf-api-activity",
        include_str!("../../../../mappings/ocsf-api-activity.yaml"),
    ),
    (
        "ocsf-datastore-activity",
        include_str!("../../../../mappings/ocsf-datastore-activity.yaml"),
    ),
    (
        "aws-cloudtrail",
        include_str!("../../../../mappings/aws-cloudtrail.yaml"),
    ),
    (
        "nginx-json",
        include_str!("../../../../mappings/nginx-json.yaml"),
    ),
    (
        "envoy-json",
        include_str!("../../../../mappings/envoy-json.yaml"),
    ),
    ("pgaudit", include_str!("../../../../mappings/pgaudit.yaml")),
];

/// A compiled field mapping. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Mapping {
    name: String,
    description: String,
    pub(crate) plan: Arc<Plan>,
}

impl Mapping {
    /// Parses and compiles mapping YAML; `file` names it in errors.
    ///
    /// # Errors
    /// YAML syntax, unknown keys or target fields, bad paths, regexes or
    /// time formats, options a field does not take: each with the file,
    /// line and column.
    ///
    /// # Example
    /// ```
    /// let m = steward_logs::Mapping::from_yaml(
    ///     "inline.yaml",
    ///     "name: tiny\nfields:\n  time_ms: {path: ts, time: epoch_ms}\n  endpoint: path\n",
    /// )
    /// .unwrap();
    /// assert_eq!(m.name(), "tiny");
    /// let bad = steward_logs::Mapping::from_yaml("bad.yaml", "name: x\nfields:\n  tme: ts\n")
    ///     .unwrap_err();
    /// assert_eq!((bad.line, bad.column), (Some(3), Some(3)));
    /// ```
    pub fn from_yaml(file: &str, text: &str) -> Result<Self, MappingError> {
        let spec: spec::MappingSpec =
            serde_norway::from_str(text).map_err(|e| crate::error::yaml_error(file, &e))?;
        let name = spec.name.clone();
        let description = spec.description.clone();
        let plan = Plan::compile(spec, file)?;
        Ok(Self {
            name,
            description,
            plan: Arc::new(plan),
        })
    }

    /// Reads and compiles a mapping file.
    ///
    /// # Errors
    /// The file cannot be read, or as [`Mapping::from_yaml`].
    pub fn from_file(path: &Path) -> Result<Self, MappingError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| MappingError::new(&shown, format!("cannot read: {e}")))?;
        Self::from_yaml(&shown, &text)
    }

    /// A shipped mapping by name (see [`Mapping::builtin_names`]).
    ///
    /// # Errors
    /// No built-in mapping has that name.
    pub fn builtin(name: &str) -> Result<Self, MappingError> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            MappingError::new(
                name,
                format!(
                    "no built-in mapping `{name}` (built in: {})",
                    Self::builtin_names().join(", ")
                ),
            )
        })?;
        Self::from_yaml(&format!("mappings/{name}.yaml"), text)
    }

    /// Names of the shipped mappings.
    #[must_use]
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// The YAML text of a shipped mapping.
    #[must_use]
    pub fn builtin_text(name: &str) -> Option<&'static str> {
        BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// The mapping's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The mapping's one-line description.
    #[must_use]
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The source paths the mapping reads, in the order they were numbered.
    #[must_use]
    pub fn source_paths(&self) -> Vec<&str> {
        self.plan.paths.iter().map(|p| p.text.as_str()).collect()
    }
}
