//! `notify/<regime>.csv`: the people a regime's individual notice goes to,
//! one row each, contacts masked unless the caller asks for raw values.

use std::io::Write;

use steward_model::impact::{AffectedPerson, PersonKind};

use crate::error::NotifyError;
use crate::people::covered;
use crate::regime::Regime;

/// Writes the header and one row per covered person; returns the rows
/// written. `everyone` is the duty's flag (the regime covers everyone
/// affected); `show_raw` writes contacts unmasked.
///
/// Columns: `id, kind, jurisdiction, basis, channel, contact, categories`
/// (categories joined with `;`).
///
/// # Errors
/// The writer fails.
pub fn write<'p, W: Write>(
    out: W,
    regime: &Regime,
    everyone: bool,
    people: impl IntoIterator<Item = &'p AffectedPerson>,
    show_raw: bool,
) -> Result<u64, NotifyError> {
    let err = |e: &dyn std::fmt::Display| NotifyError::Write {
        what: format!("the notice list of `{}`", regime.id),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "id",
        "kind",
        "jurisdiction",
        "basis",
        "channel",
        "contact",
        "categories",
    ])
    .map_err(|e| err(&e))?;
    let mut n = 0;
    for p in people {
        if !covered(regime, p, everyone) {
            continue;
        }
        let jurisdiction = p
            .subdivision
            .as_deref()
            .or(p.country.as_deref())
            .unwrap_or("");
        let kind = match p.kind {
            PersonKind::Customer => "customer",
            PersonKind::ThirdParty => "third_party",
        };
        let basis = serde_json::to_value(p.basis)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let contact = if show_raw {
            p.contact.expose_raw().to_owned()
        } else {
            p.contact.masked()
        };
        w.write_record([
            p.id.as_str(),
            kind,
            jurisdiction,
            basis.as_str(),
            p.channel.as_str(),
            contact.as_str(),
            p.categories.join(";").as_str(),
        ])
        .map_err(|e| err(&e))?;
        n += 1;
    }
    w.flush().map_err(|e| err(&e))?;
    Ok(n)
}
