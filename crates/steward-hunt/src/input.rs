//! Inputs named on the command line: `MAPPING=PATH`, each with its role.

use std::path::{Path, PathBuf};

use steward_detect::EventRole;
use steward_logs::{FollowOptions, LogSource, Mapping, OpenOptions, StartAt};

use crate::error::HuntError;

/// One log to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    /// A built-in mapping name or a mapping file.
    pub mapping: String,
    /// The log file (`-` for standard input).
    pub path: PathBuf,
    /// What its events are.
    pub role: EventRole,
}

impl InputSpec {
    /// Parses `MAPPING=PATH`.
    ///
    /// # Errors
    /// No `=`, or an empty side.
    pub fn parse(arg: &str, role: EventRole) -> Result<Self, HuntError> {
        match arg.split_once('=') {
            Some((m, p)) if !m.is_empty() && !p.is_empty() => Ok(Self {
                mapping: m.to_owned(),
                path: PathBuf::from(p),
                role,
            }),
            _ => Err(HuntError::Input(format!(
                "`{arg}`: expected MAPPING=PATH, e.g. steward-gateway=logs/gateway/access.jsonl (built-in mappings: {})",
                Mapping::builtin_names().join(", ")
            ))),
        }
    }

    /// Loads the mapping: a file when the name looks like a path, else a
    /// built-in one.
    ///
    /// # Errors
    /// Unknown name, unreadable or invalid file.
    pub fn load_mapping(&self) -> Result<Mapping, HuntError> {
        let m = &self.mapping;
        if m.ends_with(".yaml") || m.ends_with(".yml") || m.contains('/') {
            Ok(Mapping::from_file(Path::new(m))?)
        } else {
            Ok(Mapping::builtin(m)?)
        }
    }

    /// Opens the log for a batch read.
    ///
    /// # Errors
    /// The mapping or the file cannot be opened.
    pub fn open(&self) -> Result<LogSource, HuntError> {
        let mapping = self.load_mapping()?;
        if self.path.as_os_str() == "-" {
            return Ok(LogSource::stdin(&mapping)?);
        }
        Ok(LogSource::open_with(
            &self.path,
            &mapping,
            OpenOptions::default(),
        )?)
    }

    /// Opens the log to follow from byte `offset`. Standard input (`-`) is
    /// read as a live stream: it cannot be rewound, so `offset` is ignored
    /// and a restarted watch goes on with what arrives next.
    ///
    /// # Errors
    /// The mapping or the file cannot be opened, or it cannot be followed
    /// (compressed, Parquet).
    pub fn follow(&self, offset: u64, follow: FollowOptions) -> Result<LogSource, HuntError> {
        let mapping = self.load_mapping()?;
        if self.path.as_os_str() == "-" {
            return Ok(LogSource::stdin(&mapping)?);
        }
        Ok(LogSource::follow(
            &self.path,
            &mapping,
            FollowOptions {
                start: StartAt::Offset(offset),
                ..follow
            },
            OpenOptions::default(),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_name_the_problem() {
        let s = InputSpec::parse("steward-gateway=a/b.jsonl", EventRole::Access).unwrap();
        assert_eq!(s.mapping, "steward-gateway");
        assert_eq!(s.path, PathBuf::from("a/b.jsonl"));
        let e = InputSpec::parse("a/b.jsonl", EventRole::Access)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("MAPPING=PATH") && e.contains("steward-auth"),
            "{e}"
        );
        let e = InputSpec::parse("nope=x", EventRole::Access)
            .unwrap()
            .load_mapping()
            .unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
    }
}
