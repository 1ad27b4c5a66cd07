//! The affected people, read from JSON Lines (one person per line, as
//! `steward impact` lists them) into [`AffectedPerson`] rows whose contact
//! is masked from the moment it is read.
//!
//! A line: `{"id":"m:7","kind":"customer","country":"KR","subdivision":null,
//! "basis":"declared","categories":["user.name"],"channel":"email",
//! "contact":"minsu.kim@example.com"}`. Errors name the file and line, never
//! the line's content.

use std::io::BufRead;

use serde::Deserialize;
use steward_model::impact::{AffectedPerson, JurisdictionBasis, PersonKind};
use steward_model::masked::{MaskStyle, Sensitive};

use crate::error::DataError;
use crate::regime::Regime;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    id: String,
    kind: PersonKind,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    subdivision: Option<String>,
    #[serde(default = "unknown")]
    basis: JurisdictionBasis,
    #[serde(default)]
    categories: Vec<String>,
    channel: String,
    contact: String,
}

const fn unknown() -> JurisdictionBasis {
    JurisdictionBasis::Unknown
}

/// The mask that suits a contact channel.
#[must_use]
pub fn mask_style(channel: &str) -> MaskStyle {
    match channel {
        "email" => MaskStyle::Email,
        "post" => MaskStyle::Address,
        _ => MaskStyle::Generic,
    }
}

/// Reads people from JSON Lines; blank lines are skipped.
///
/// # Errors
/// The first line that cannot be read, with its number; the message never
/// quotes the line.
pub fn read_jsonl(file: &str, input: impl BufRead) -> Result<Vec<AffectedPerson>, DataError> {
    let mut out = Vec::new();
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(|e| DataError::at_line(file, i + 1, e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let row: Row = serde_json::from_str(&line).map_err(|e| {
            // serde_json quotes unknown values in some messages; keep only
            // the category of the problem and the column.
            let what = match e.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    "not valid JSON"
                }
                _ => "not a person record (id, kind, channel and contact are required)",
            };
            DataError {
                file: file.to_owned(),
                line: Some(i + 1),
                column: Some(e.column()),
                message: what.to_owned(),
            }
        })?;
        out.push(AffectedPerson {
            contact: Sensitive::new(row.contact, mask_style(&row.channel)),
            id: row.id,
            kind: row.kind,
            country: row.country,
            subdivision: row.subdivision,
            basis: row.basis,
            categories: row.categories,
            channel: row.channel,
        });
    }
    Ok(out)
}

/// True when the regime covers this person by residence, or `everyone` is
/// set (the regime covers everyone affected in this incident).
#[must_use]
pub fn covered(regime: &Regime, person: &AffectedPerson, everyone: bool) -> bool {
    everyone
        || person
            .country
            .as_ref()
            .is_some_and(|c| regime.covers.countries.contains(c))
        || person
            .subdivision
            .as_ref()
            .is_some_and(|s| regime.covers.subdivisions.contains(s))
}
