//! Policy decisions (`steward check`) in every output format.
//!
//! - Terminal: one row per decision (rule, resource, message) and a count.
//! - JSON: `{ "tool", "version", "manifest", "as_of", "rules", "decisions" }`
//!   where each decision is a [`Decision`] (rule id, pack, severity,
//!   resource and its kind, message, facts, citation, source, fix, manifest
//!   line) and `rules` lists every rule evaluated.
//! - SARIF 2.1.0: one reporting descriptor per rule (stable id, citation,
//!   fix as help, source as `helpUri`), one result per decision located at
//!   the resource's line in the manifest with the resource as a logical
//!   location, and `partialFingerprints["steward/v1"]` a SHA-256 of rule id,
//!   kind and resource, so code scanning tracks a violation across runs.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use steward_policy::{Decision, RuleInfo};

use crate::sarif::{uri, write_log};

/// What was checked: shown in every format.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRun<'a> {
    /// The manifest's path as given.
    pub manifest: &'a str,
    /// The evaluation date.
    pub as_of: String,
    /// Every rule evaluated.
    pub rules: &'a [RuleInfo],
    /// The violations.
    pub decisions: &'a [Decision],
}

/// Writes the terminal table.
///
/// # Errors
/// I/O errors.
pub fn write_terminal(w: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let rule_w = run
        .decisions
        .iter()
        .map(|d| d.rule_id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let res_w = run
        .decisions
        .iter()
        .map(|d| d.resource.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 40);
    if !run.decisions.is_empty() {
        writeln!(w, "{:<rule_w$}  {:<res_w$}  message", "rule", "resource")?;
        for d in run.decisions {
            writeln!(
                w,
                "{:<rule_w$}  {:<res_w$}  {}",
                d.rule_id, d.resource, d.message
            )?;
        }
        writeln!(w)?;
    }
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for d in run.decisions {
        *by_rule.entry(&d.rule_id).or_default() += 1;
    }
    writeln!(
        w,
        "{} violation{} of {} rule{} ({} rules checked, {} as of {})",
        run.decisions.len(),
        if run.decisions.len() == 1 { "" } else { "s" },
        by_rule.len(),
        if by_rule.len() == 1 { "" } else { "s" },
        run.rules.len(),
        run.manifest,
        run.as_of
    )?;
    if !run.decisions.is_empty() {
        writeln!(
            w,
            "details, citations and fixes: steward check --format json (or sarif)"
        )?;
    }
    Ok(())
}

/// Writes the JSON document.
///
/// # Errors
/// I/O or serialisation errors.
pub fn write_json(w: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        tool: &'static str,
        version: &'static str,
        #[serde(flatten)]
        run: &'a CheckRun<'a>,
    }
    serde_json::to_writer_pretty(
        &mut *w,
        &Doc {
            tool: "steward",
            version: env!("CARGO_PKG_VERSION"),
            run,
        },
    )?;
    w.write_all(b"\n")
}

/// The stable fingerprint of a decision.
#[must_use]
pub fn fingerprint(d: &Decision) -> String {
    let mut h = Sha256::new();
    for part in [&d.rule_id, &d.kind, &d.resource] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the SARIF log.
///
/// # Errors
/// I/O or serialisation errors.
pub fn write_sarif(w: &mut dyn Write, run: &CheckRun<'_>) -> std::io::Result<()> {
    let index: BTreeMap<&str, usize> = run
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let rules: Vec<Value> = run
        .rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.id,
                "shortDescription": { "text": r.title },
                "fullDescription": { "text": format!("{} ({})", r.title, r.citation) },
                "help": { "text": r.fix },
                "helpUri": r.source,
                "defaultConfiguration": { "level": r.severity.as_str() },
                "properties": { "pack": r.pack, "citation": r.citation, "tags": ["privacy", "policy", r.pack] },
            })
        })
        .collect();
    let results: Vec<Value> = run
        .decisions
        .iter()
        .map(|d| {
            let mut physical = json!({ "artifactLocation": { "uri": uri(run.manifest) } });
            if let (Some(line), Some(obj)) = (d.line, physical.as_object_mut()) {
                obj.insert("region".into(), json!({ "startLine": line }));
            }
            let mut r = json!({
                "ruleId": d.rule_id,
                "level": d.severity.as_str(),
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{ "fullyQualifiedName": d.resource, "kind": d.kind }],
                }],
                "partialFingerprints": { "steward/v1": fingerprint(d) },
                "properties": {
                    "pack": d.pack,
                    "citation": d.citation,
                    "fix": d.fix,
                    "facts": d.facts,
                },
            });
            if let (Some(i), Some(obj)) = (index.get(d.rule_id.as_str()), r.as_object_mut()) {
                obj.insert("ruleIndex".into(), json!(i));
            }
            r
        })
        .collect();
    write_log(w, rules, results)
}
