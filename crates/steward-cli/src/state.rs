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

/// The per-installation fingerprint key, kept beside the state database
/// (`fingerprint.key`, 64 hex digits, readable by the owner only). Created
/// on first use.
pub fn fingerprint_key(state_path: &Path) -> anyhow::Result<steward_model::masked::FingerprintKey> {
    let dir = state_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let path = dir.join("fingerprint.key");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let hex = text.trim();
        let mut bytes = [0u8; 32];
        anyhow::ensure!(
            hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
            "`{}` is not a fingerprint key (64 hex digits)",
            path.display()
        );
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2).unwrap_or("00"), 16)?;
        }
        return Ok(steward_model::masked::FingerprintKey::from_bytes(bytes));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&path, &hex).with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(steward_model::masked::FingerprintKey::from_bytes(bytes))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, format!("{text}\n"))
}
