//! What the detectors know beyond the logs: the signing keys (from the
//! manifest) and the HR roster.

use crate::HashMap;
use std::path::Path;

use jiff::civil::Date;
use steward_model::manifest::{Manifest, SigningKey, StaffMember};

use crate::error::DetectError;

/// Signing keys and staff, indexed for lookups per event.
#[derive(Debug, Clone, Default)]
pub struct Context {
    keys: HashMap<String, SigningKey>,
    staff: HashMap<String, StaffMember>,
}

/// Milliseconds of the start of `date` (UTC).
#[must_use]
pub fn day_start_ms(date: Date) -> i64 {
    jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .map_or(i64::MIN, |t| t.as_millisecond())
}

impl Context {
    /// A context from keys and staff.
    #[must_use]
    pub fn new(keys: Vec<SigningKey>, staff: Vec<StaffMember>) -> Self {
        Self {
            keys: keys.into_iter().map(|k| (k.id.clone(), k)).collect(),
            staff: staff
                .into_iter()
                .map(|s| (s.employee_id.clone(), s))
                .collect(),
        }
    }

    /// Loads the signing keys of a manifest and the HR roster it links to
    /// (`hr_roster`, relative to the manifest).
    ///
    /// # Errors
    /// A file cannot be read or does not parse; the error names the file
    /// and, for the roster, the line.
    pub fn load(manifest_path: &Path) -> Result<Self, DetectError> {
        let text = std::fs::read_to_string(manifest_path).map_err(|source| DetectError::Io {
            path: manifest_path.to_path_buf(),
            source,
        })?;
        let manifest: Manifest =
            serde_norway::from_str(&text).map_err(|e| DetectError::Manifest {
                path: manifest_path.to_path_buf(),
                message: e.to_string(),
            })?;
        let staff = match &manifest.hr_roster {
            Some(rel) => {
                let base = manifest_path.parent().unwrap_or_else(|| Path::new("."));
                read_roster(&base.join(rel))?
            }
            None => Vec::new(),
        };
        Ok(Self::new(manifest.signing_keys, staff))
    }

    /// A signing key by id.
    #[must_use]
    pub fn key(&self, id: &str) -> Option<&SigningKey> {
        self.keys.get(id)
    }

    /// Every signing key.
    pub fn keys(&self) -> impl Iterator<Item = &SigningKey> {
        self.keys.values()
    }

    /// A staff member by employee id.
    #[must_use]
    pub fn staff(&self, employee_id: &str) -> Option<&StaffMember> {
        self.staff.get(employee_id)
    }

    /// Every staff member.
    pub fn staff_members(&self) -> impl Iterator<Item = &StaffMember> {
        self.staff.values()
    }

    /// Whether there are any keys (detectors that need them stay silent
    /// without).
    #[must_use]
    pub fn has_keys(&self) -> bool {
        !self.keys.is_empty()
    }
}

/// Reads an HR roster CSV (`employee_id,name,role,team,start_date,end_date`).
///
/// # Errors
/// The file cannot be read, or a row is malformed (the error gives the line
/// and field, never the value).
pub fn read_roster(path: &Path) -> Result<Vec<StaffMember>, DetectError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| DetectError::Roster {
        path: path.to_path_buf(),
        line: 0,
        message: e.to_string(),
    })?;
    let mut out = Vec::new();
    for row in reader.deserialize::<StaffMember>() {
        match row {
            Ok(member) => out.push(member),
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                let message = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err.field().map_or_else(
                        || "malformed row".to_owned(),
                        |f| format!("field {} is malformed", f + 1),
                    ),
                    _ => "malformed row".to_owned(),
                };
                return Err(DetectError::Roster {
                    path: path.to_path_buf(),
                    line,
                    message,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roster_rows_and_errors_name_the_line() {
        let dir =
            std::env::temp_dir().join(format!("steward-detect-roster-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.csv");
        std::fs::write(
            &good,
            "employee_id,name,role,team,start_date,end_date\nE1,A,support_agent,cs,2020-01-02,\nE2,B,backend_engineer,auth,2019-05-01,2024-12-20\n",
        )
        .unwrap();
        let rows = read_roster(&good).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].end_date, Some(jiff::civil::date(2024, 12, 20)));
        let ctx = Context::new(Vec::new(), rows);
        assert_eq!(
            ctx.staff("E1").map(|s| s.role.as_str()),
            Some("support_agent")
        );
        let bad = dir.join("bad.csv");
        std::fs::write(
            &bad,
            "employee_id,name,role,team,start_date,end_date\nE1,A,support_agent,cs,2020-01-02,\nE2,B,x,y,20-13-99,\n",
        )
        .unwrap();
        let err = read_roster(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.csv:3"), "{err}");
        assert!(!err.contains("20-13-99"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn day_start_is_utc_midnight() {
        assert_eq!(day_start_ms(jiff::civil::date(1970, 1, 2)), 86_400_000);
    }
}
