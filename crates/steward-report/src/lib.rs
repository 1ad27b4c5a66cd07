//! steward's writers. Nothing here decides anything: writers take results
//! and render them.
//!
//! - [`scan`]: scan results as a terminal summary, JSON, JSON Lines, CSV
//!   and SARIF 2.1.0.
//! - [`impact`]: the self-contained HTML report of an incident's impact
//!   and notification duties.
//! - [`check`]: policy decisions as a terminal table, JSON and SARIF 2.1.0.
//! - [`sarif`]: the SARIF envelope both share.

pub mod check;
pub mod impact;
pub mod sarif;
pub mod scan;
