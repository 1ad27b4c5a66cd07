//! The regimes and holiday calendars in use: the built-in set from
//! `regimes/` (embedded at build time), optionally overlaid with a folder
//! of the user's own files.

use std::collections::BTreeMap;
use std::path::Path;

use crate::calendar::{Calendar, locate};
use crate::error::{DataError, NotifyError};
use crate::regime::Regime;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../../regimes/", $name)))),*]
    };
}

/// The built-in regime files: `(path under regimes/, text)`.
pub const BUILTIN_REGIMES: &[(&str, &str)] = embed![
    "kr-pipa.yaml",
    "kr-network-act.yaml",
    "eu-gdpr.yaml",
    "uk-gdpr.yaml",
    "us-sec-8k.yaml",
    "us-ca.yaml",
    "us-ny.yaml",
    "us-tx.yaml",
    "us-fl.yaml",
    "us-wa.yaml",
    "us-ma.yaml",
    "jp-appi.yaml",
    "tw-pdpa.yaml",
    "sg-pdpa.yaml",
    "cn-pipl.yaml",
    "in-dpdp.yaml",
    "au-ndb.yaml",
];

/// The built-in calendar files.
pub const BUILTIN_CALENDARS: &[(&str, &str)] = embed![
    "calendars/us-federal.yaml",
    "calendars/kr.yaml",
    "calendars/jp.yaml",
    "calendars/tw.yaml",
    "calendars/sg.yaml",
    "calendars/cn.yaml",
    "calendars/in.yaml",
    "calendars/au.yaml",
    "calendars/uk.yaml",
];

/// Regimes and the calendars their business-day rules count in.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Regimes, in id order.
    pub regimes: Vec<Regime>,
    /// Calendars by code.
    pub calendars: BTreeMap<String, Calendar>,
}

impl Library {
    /// The built-in regimes and calendars.
    ///
    /// # Errors
    /// Never for the shipped files (a test checks they load); the error is
    /// kept so a broken edit is reported, not hidden.
    pub fn builtin() -> Result<Self, DataError> {
        let regimes: Vec<(String, String)> = BUILTIN_REGIMES
            .iter()
            .map(|(f, t)| (format!("regimes/{f}"), (*t).to_owned()))
            .collect();
        let calendars: Vec<(String, String)> = BUILTIN_CALENDARS
            .iter()
            .map(|(f, t)| (format!("regimes/{f}"), (*t).to_owned()))
            .collect();
        Self::from_texts(&regimes, &calendars)
    }

    /// A library from `(file name, text)` pairs.
    ///
    /// # Errors
    /// The first file that does not parse, or a regime naming a calendar
    /// that is not there.
    pub fn from_texts(
        regimes: &[(String, String)],
        calendars: &[(String, String)],
    ) -> Result<Self, DataError> {
        let mut lib = Self::default();
        for (file, text) in calendars {
            let cal = Calendar::parse(file, text)?;
            lib.calendars.insert(cal.code.clone(), cal);
        }
        lib.add_regimes(regimes)?;
        Ok(lib)
    }

    fn add_regimes(&mut self, regimes: &[(String, String)]) -> Result<(), DataError> {
        for (file, text) in regimes {
            let regime = Regime::parse(file, text)?;
            for r in &regime.recipients {
                if let Some(code) = &r.deadline.calendar
                    && !self.calendars.contains_key(code)
                {
                    return Err(locate(file, text, &format!("calendar: {code}"), || {
                        format!("unknown calendar `{code}`")
                    }));
                }
            }
            self.regimes.retain(|r| r.id != regime.id);
            self.regimes.push(regime);
        }
        self.regimes.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(())
    }

    /// Adds (or replaces, by id or code) the regimes in `dir/*.yaml` and the
    /// calendars in `dir/calendars/*.yaml`.
    ///
    /// # Errors
    /// A folder that cannot be read, or a file that does not parse.
    pub fn overlay_dir(&mut self, dir: &Path) -> Result<(), NotifyError> {
        let read = |dir: &Path| -> Result<Vec<(String, String)>, NotifyError> {
            let mut files = Vec::new();
            if !dir.is_dir() {
                return Ok(files);
            }
            let entries = std::fs::read_dir(dir).map_err(|e| NotifyError::io(dir, e))?;
            let mut paths: Vec<_> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            paths.sort();
            for p in paths {
                let text = std::fs::read_to_string(&p).map_err(|e| NotifyError::io(&p, e))?;
                files.push((p.display().to_string(), text));
            }
            Ok(files)
        };
        if !dir.is_dir() {
            return Err(NotifyError::io(
                dir,
                std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
            ));
        }
        for (file, text) in read(&dir.join("calendars"))? {
            let cal = Calendar::parse(&file, &text)?;
            self.calendars.insert(cal.code.clone(), cal);
        }
        self.add_regimes(&read(dir)?)?;
        Ok(())
    }

    /// A regime by id.
    #[must_use]
    pub fn regime(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|r| r.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_files_load() {
        let lib = match Library::builtin() {
            Ok(l) => l,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(lib.regimes.len(), BUILTIN_REGIMES.len());
        assert_eq!(lib.calendars.len(), BUILTIN_CALENDARS.len());
        for r in &lib.regimes {
            assert!(!r.sources.is_empty(), "{} has no source", r.id);
            assert!(
                r.sources.iter().all(|s| s.starts_with("https://")),
                "{}",
                r.id
            );
        }
        for c in lib.calendars.values() {
            assert!(!c.sources.is_empty(), "{} has no source", c.code);
            for y in 2024..=2027 {
                assert!(c.years.contains_key(&y), "{} lacks {y}", c.code);
            }
        }
    }
}
