//! SARIF 2.1.0 (OASIS): one rule per detector under its stable id, one
//! result per finding. Text matches have a physical location (file, line,
//! byte offset); classified columns a logical location
//! (`dataset/table.column`, kind `column`). The keyed fingerprint goes in
//! `partialFingerprints["steward/v1"]`, so code-scanning services track the
//! same value across runs without seeing it.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{Value, json};

use crate::sarif::uri;
use steward_model::finding::{Finding, Location};
use steward_scan::SourceReport;
use steward_scan::detector::Detector;

/// SARIF level for a category: secrets, government ids and financial data
/// are errors; other personal data warnings.
fn level(category: &str) -> &'static str {
    if category.starts_with("system.authentication")
        || category.starts_with("user.government_id")
        || category.starts_with("user.financial")
    {
        "error"
    } else {
        "warning"
    }
}

/// Writes a SARIF log.
///
/// # Errors
/// I/O or serialisation errors.
pub fn write_sarif(
    w: &mut dyn Write,
    detectors: &[Detector],
    sources: &[SourceReport],
) -> std::io::Result<()> {
    let index: BTreeMap<&str, usize> = detectors
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let rules: Vec<Value> = detectors
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "name": d.name,
                "shortDescription": { "text": d.name },
                "fullDescription": { "text": d.description },
                "defaultConfiguration": { "level": level(&d.category) },
                "properties": { "category": d.category, "jurisdiction": d.jurisdiction, "tags": ["privacy", d.category] },
            })
        })
        .collect();
    let mut results = Vec::new();
    for s in sources {
        for f in &s.findings {
            results.push(result(f, index.get(f.detector.as_str()).copied()));
        }
    }
    crate::sarif::write_log(w, rules, results)
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let what = match &f.column {
        Some(c) => format!(
            "{} values of {} ({:.0}%) look like {}; first: {}",
            c.values,
            c.non_empty,
            c.match_ratio * 100.0,
            f.category.as_str(),
            f.excerpt
        ),
        None => format!("{} {}", f.category.as_str(), f.excerpt),
    };
    let location = match &f.location {
        Location::File {
            path,
            line,
            byte_offset,
        } => json!({
            "physicalLocation": {
                "artifactLocation": { "uri": uri(path) },
                "region": { "startLine": line, "byteOffset": byte_offset },
            }
        }),
        Location::Field {
            path,
            record,
            field,
            ..
        } => json!({
            "physicalLocation": {
                "artifactLocation": { "uri": uri(path) },
                "region": { "startLine": record },
            },
            "logicalLocations": [{ "fullyQualifiedName": field, "kind": "member" }],
        }),
        Location::Column {
            dataset,
            table,
            column,
            ..
        } => {
            let name = if table.is_empty() {
                column.clone()
            } else {
                format!("{table}.{column}")
            };
            json!({
                "physicalLocation": { "artifactLocation": { "uri": uri(dataset) } },
                "logicalLocations": [{ "fullyQualifiedName": name, "kind": "column" }],
            })
        }
    };
    let mut r = json!({
        "ruleId": f.detector,
        "level": level(f.category.as_str()),
        "message": { "text": what },
        "locations": [location],
        "partialFingerprints": { "steward/v1": f.fingerprint.to_string() },
        "properties": {
            "confidence": f.confidence,
            "category": f.category.as_str(),
            "jurisdiction": f.jurisdiction.map(|j| j.code().to_owned()),
            "column": f.column,
        },
    });
    if let (Some(i), Some(obj)) = (rule_index, r.as_object_mut()) {
        obj.insert("ruleIndex".to_owned(), json!(i));
    }
    r
}
