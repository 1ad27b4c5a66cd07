//! The data map: for each country, which categories of which
//! jurisdictions' people are stored there, and every flow between places,
//! with the cross-border ones and their transfer basis.
//!
//! [`build`] joins a [`steward_manifest::LoadedManifest`] with the scan
//! inventory ([`Observation`]s, counts per category and jurisdiction) into
//! a [`DataMap`]; where no scan counted a dataset, its declared categories
//! stand in, marked [`Evidence::Declared`]. The writers turn the map into:
//!
//! - [`write_summary`]: the terminal summary;
//! - [`write_mermaid`] and [`write_dot`]: graphs for Mermaid and Graphviz;
//! - [`write_svg`]: an SVG drawn by steward's own layout (no external tool);
//! - [`write_json`]: the [`DataMap`] as JSON;
//! - [`write_ropa_csv`] and [`ropa_xlsx`]: the record of processing
//!   activities ([`ropa::COLUMNS`]).
//!
//! Nothing here prints, reads the environment or opens the state database;
//! the map holds categories and counts, never a value.
//!
//! ```
//! let manifest = steward_manifest::parse(
//!     "version: 1
//! organization: {name: Example, established_in: KR}
//! systems:
//!   - {id: db, name: DB, provider: aws, region: ap-northeast-2, datasets: [
//!       {id: db.m, location: m.csv, format: csv, personal_data: true,
//!        fields: [{name: email, categories: [user.contact.email]}]}]}
//!   - {id: us, name: US copy, provider: aws, region: us-east-1, datasets: [
//!       {id: us.m, location: u.csv, format: csv, personal_data: true}]}
//! flows:
//!   - {id: f1, from: db.m, to: us.m, purpose: analytics, kind: replication,
//!      categories: [user.contact.email]}
//! ",
//!     "inline.yaml",
//! )
//! .unwrap();
//! let map = steward_map::build(&manifest, None);
//! assert_eq!(map.countries[0].code, "KR");
//! let cross: Vec<_> = map.cross_border().map(|f| f.id.as_str()).collect();
//! assert_eq!(cross, ["f1"]);
//! let svg = steward_map::svg::render(&map);
//! assert!(svg.contains(r#"id="country-US""#));
//! ```

mod build;
mod dot;
mod graph;
mod mermaid;
pub mod model;
pub mod ropa;
mod summary;
pub mod svg;
mod xlsx;

use std::io::Write;

pub use build::{Observation, build};
pub use dot::write_dot;
pub use mermaid::write_mermaid;
pub use model::{DataMap, Evidence};
pub use ropa::write_ropa_csv;
pub use summary::write_summary;
pub use svg::write_svg;
pub use xlsx::ropa_xlsx;

/// Writes the map as pretty JSON with a final newline.
///
/// # Errors
/// Writing fails.
pub fn write_json(w: &mut dyn Write, map: &DataMap) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(&mut *w, map)?;
    writeln!(w).map_err(serde_json::Error::io)
}
