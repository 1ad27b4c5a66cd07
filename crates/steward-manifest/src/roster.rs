//! The HR roster the manifest links to, read only for its employee ids: a
//! signing-key custodian who is not on the roster is a warning. Names and
//! dates stay in the file.

use std::collections::HashSet;
use std::path::Path;

/// Reads the `employee_id` column of a roster CSV.
///
/// # Errors
/// A message naming the problem (unreadable file, no `employee_id` column,
/// bad CSV row with its line).
pub fn employee_ids(path: &Path) -> Result<HashSet<String>, String> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("cannot read: {e}"))?;
    let column = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .position(|h| h.trim() == "employee_id")
        .ok_or_else(|| "no `employee_id` column".to_owned())?;
    let mut ids = HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            format!("bad row at line {line}")
        })?;
        if let Some(id) = record.get(column).map(str::trim).filter(|s| !s.is_empty()) {
            ids.insert(id.to_owned());
        }
    }
    Ok(ids)
}
