//! steward's policy checks: rules written in Rego (the policy language
//! compliance teams already use), evaluated in-process with regorus over
//! what steward knows about a platform.
//!
//! - [`facts`] joins the manifest, the scan inventory and the HR roster into
//!   the input document the rules read (countries resolved, inventory rows
//!   matched to datasets, custodians matched to the roster, dates as day
//!   numbers), so each rule walks one collection.
//! - [`engine`] loads the packs built from `policies/` plus the user's
//!   `.rego` files and evaluates them into [`Decision`]s: rule id, pack,
//!   severity, resource, message, the facts that triggered it, the citation
//!   and a suggested fix.
//! - [`load`] reads the manifest and the roster.
//! - [`reference`](mod@reference) renders `docs/check.md` from the rules.
//!
//! ```
//! use steward_policy::{CheckInput, PolicySet, check, load};
//!
//! let m = load::parse_manifest("m.yaml", r#"
//! version: 1
//! organization: { name: Shop, established_in: KR, markets: [KR] }
//! systems:
//!   - id: crm
//!     name: CRM
//!     country: KR
//!     log_retention_days: 30
//!     datasets: [{ id: crm.people, location: people.csv, format: csv, personal_data: true }]
//! "#).unwrap();
//! let mut rules = PolicySet::builtin().unwrap();
//! let input = CheckInput {
//!     manifest: &m.manifest,
//!     root: std::path::Path::new("."),
//!     found: &[],
//!     roster: None,
//!     as_of: jiff::civil::date(2025, 5, 1),
//! };
//! let decisions = check(&mut rules, &input, &m.lines).unwrap();
//! assert_eq!(decisions[0].rule_id, "POL-KR-ACCESS-LOG");
//! assert_eq!(decisions[0].resource, "crm");
//! ```

pub mod decision;
pub mod engine;
pub mod error;
pub mod facts;
pub mod load;
pub mod packs;
pub mod reference;
mod value;

use std::collections::HashMap;

pub use decision::{Decision, RuleInfo, Severity};
pub use engine::PolicySet;
pub use error::{PolicyError, Result};
pub use facts::{CheckInput, Found};

/// Checks that flows and keys refer to what the manifest declares: a
/// flow's `from` is a dataset, its `to` a dataset or vendor, a key's
/// `used_by` a system, and ids are not declared twice.
///
/// # Errors
/// [`PolicyError::Reference`] for the first broken reference, with the
/// line of the item holding it.
pub fn validate(
    manifest: &steward_model::manifest::Manifest,
    file: &str,
    lines: &HashMap<String, usize>,
) -> Result<()> {
    let mut datasets = std::collections::HashSet::new();
    let mut systems = std::collections::HashSet::new();
    let err = |id: &str, message: String| PolicyError::Reference {
        file: file.to_owned(),
        line: lines.get(id).copied().unwrap_or(0),
        message,
    };
    for s in &manifest.systems {
        if !systems.insert(s.id.as_str()) {
            return Err(err(
                &s.id,
                format!("system id `{}` is declared twice", s.id),
            ));
        }
        for d in &s.datasets {
            if !datasets.insert(d.id.as_str()) {
                return Err(err(
                    &d.id,
                    format!("dataset id `{}` is declared twice", d.id),
                ));
            }
        }
    }
    let vendors: std::collections::HashSet<&str> =
        manifest.vendors.iter().map(|v| v.id.as_str()).collect();
    for f in &manifest.flows {
        if !datasets.contains(f.from.as_str()) {
            return Err(err(
                &f.id,
                format!(
                    "flow `{}` starts at `{}`, which is no dataset",
                    f.id, f.from
                ),
            ));
        }
        if !datasets.contains(f.to.as_str()) && !vendors.contains(f.to.as_str()) {
            return Err(err(
                &f.id,
                format!(
                    "flow `{}` goes to `{}`, which is no dataset or vendor",
                    f.id, f.to
                ),
            ));
        }
    }
    for k in &manifest.signing_keys {
        if !systems.contains(k.used_by.as_str()) {
            return Err(err(
                &k.id,
                format!(
                    "key `{}` is used by `{}`, which is no system",
                    k.id, k.used_by
                ),
            ));
        }
    }
    Ok(())
}

/// Validates the manifest's references, builds the input document and
/// evaluates every rule over it.
///
/// # Errors
/// [`PolicyError::Reference`] from [`validate`] (named `manifest` when
/// `lines` come without a file), and the errors of [`PolicySet::check`].
pub fn check(
    rules: &mut PolicySet,
    input: &CheckInput<'_>,
    lines: &HashMap<String, usize>,
) -> Result<Vec<Decision>> {
    validate(input.manifest, "manifest", lines)?;
    rules.check(&facts::build(input, lines))
}
