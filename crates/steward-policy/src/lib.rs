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
//! - [`reference`] renders `docs/check.md` from the rules.
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

use std::collections::HashMap;

pub use decision::{Decision, RuleInfo, Severity};
pub use engine::PolicySet;
pub use error::{PolicyError, Result};
pub use facts::{CheckInput, Found};

/// Builds the input document and evaluates every rule over it.
///
/// # Errors
/// The errors of [`PolicySet::check`].
pub fn check(
    rules: &mut PolicySet,
    input: &CheckInput<'_>,
    lines: &HashMap<String, usize>,
) -> Result<Vec<Decision>> {
    let doc = facts::build(input, lines);
    rules.check(&doc)
}
