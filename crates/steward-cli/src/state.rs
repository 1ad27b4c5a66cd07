//! Opening the state store and recording runs.

use std::path::Path;

use anyhow::Context;
use steward_store::{SqliteStore, StateStore};

pub fn now() -> String {
    steward_model::time::rfc3339_millis(jiff::Timestamp::now().as_millisecond())
}

pub fn open(path: &Path) -> anyhow::Result<SqliteStore> {
    SqliteStore::open(path)
        .with_context(|| format!("cannot use the state database `{}`", path.display()))
}

/// Registers the datasets of a generated platform's manifest.
pub fn register_platform(
    store: &mut SqliteStore,
    root: &Path,
    manifest: &steward_model::manifest::Manifest,
) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for system in &manifest.systems {
        let country = match (system.provider, &system.region) {
            (Some(p), Some(r)) => steward_model::region::lookup(p, r)
                .ok()
                .map(|i| i.country.code().to_owned()),
            _ => system.country.map(|c| c.code().to_owned()),
        };
        for d in &system.datasets {
            rows.push(steward_store::DatasetRecord {
                id: d.id.clone(),
                system: Some(system.id.clone()),
                location: root.join(&d.location).display().to_string(),
                format: d.format.clone(),
                country: country.clone(),
                region: system.region.clone(),
            });
        }
    }
    store.register_datasets(&rows, &now())?;
    Ok(())
}
