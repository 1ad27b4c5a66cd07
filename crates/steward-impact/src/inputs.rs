//! The files an impact is computed from: access logs (JSON Lines or
//! Parquet), the token-issuance log, the manifest, the customer database
//! and the address books.

use std::path::{Path, PathBuf};

use crate::error::{ImpactError, Result};

/// Paths of a platform written by `steward generate`, relative to its root.
pub mod paths {
    /// Gateway access log, JSON Lines.
    pub const GATEWAY_JSONL: &str = "logs/gateway/access.jsonl";
    /// Gateway access log, Parquet.
    pub const GATEWAY_PARQUET: &str = "logs/gateway/access.parquet";
    /// Token-issuance log.
    pub const ISSUANCE: &str = "logs/auth/issuance.jsonl";
    /// Manifest.
    pub const MANIFEST: &str = "manifest.yaml";
    /// Customer database.
    pub const CUSTOMERS: &str = "stores/customers.sqlite";
    /// Address books.
    pub const ADDRESS_BOOKS: &str = "stores/address_books.jsonl";
}

/// How an access log is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object per line, nested as the gateway writes it.
    JsonLines,
    /// Flat columns (`http_route`, `auth_sub`…).
    Parquet,
}

impl LogFormat {
    /// The format of `path`, from its extension.
    ///
    /// # Errors
    /// [`ImpactError::Format`] for compressed or unknown files.
    pub fn of(path: &Path) -> Result<Self> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let bad = |hint| ImpactError::Format {
            path: path.to_path_buf(),
            hint,
        };
        if name.ends_with(".parquet") {
            Ok(Self::Parquet)
        } else if [".jsonl", ".ndjson", ".json"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            Ok(Self::JsonLines)
        } else if [".zst", ".gz", ".bz2", ".xz"]
            .iter()
            .any(|e| name.ends_with(e))
        {
            Err(bad(
                "; compressed logs are not read by `impact`: decompress them first, or convert them to Parquet",
            ))
        } else {
            Err(bad(""))
        }
    }
}

/// What to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inputs {
    /// Gateway access logs, all of one format.
    pub access: Vec<PathBuf>,
    /// Token-issuance log (JSON Lines), for `--forged-only`.
    pub issuance: Option<PathBuf>,
    /// Platform manifest (endpoints and what they return).
    pub manifest: Option<PathBuf>,
    /// Customer database (SQLite, table `members`).
    pub customers: Option<PathBuf>,
    /// Address books (JSON Lines, one member per line).
    pub address_books: Option<PathBuf>,
}

impl Inputs {
    /// The inputs of a platform written by `steward generate`: its Parquet
    /// gateway log when there is one (faster), else the JSON Lines log.
    #[must_use]
    pub fn platform(root: &Path) -> Self {
        let parquet = root.join(paths::GATEWAY_PARQUET);
        let access = if parquet.exists() {
            parquet
        } else {
            root.join(paths::GATEWAY_JSONL)
        };
        Self {
            access: vec![access],
            issuance: Some(root.join(paths::ISSUANCE)),
            manifest: Some(root.join(paths::MANIFEST)),
            customers: Some(root.join(paths::CUSTOMERS)),
            address_books: Some(root.join(paths::ADDRESS_BOOKS)),
        }
    }

    /// Checks that every named file exists and the access logs share one
    /// format; returns that format.
    ///
    /// # Errors
    /// [`ImpactError::NoLogs`], [`ImpactError::Missing`] naming the file,
    /// [`ImpactError::Format`].
    pub fn check(&self) -> Result<LogFormat> {
        let first = self.access.first().ok_or(ImpactError::NoLogs)?;
        let format = LogFormat::of(first)?;
        for p in &self.access {
            exists("access log", p)?;
            if LogFormat::of(p)? != format {
                return Err(ImpactError::Format {
                    path: p.clone(),
                    hint: "; all access logs of one run must have the same format",
                });
            }
        }
        for (what, p) in [
            ("issuance log", &self.issuance),
            ("manifest", &self.manifest),
            ("customer database", &self.customers),
            ("address book", &self.address_books),
        ] {
            if let Some(p) = p {
                exists(what, p)?;
            }
        }
        Ok(format)
    }
}

fn exists(what: &'static str, path: &Path) -> Result<()> {
    if path.is_file() {
        Ok(())
    } else {
        Err(ImpactError::Missing {
            what,
            path: path.to_path_buf(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(
            LogFormat::of(Path::new("a/access.parquet")).ok(),
            Some(LogFormat::Parquet)
        );
        assert_eq!(
            LogFormat::of(Path::new("access.JSONL")).ok(),
            Some(LogFormat::JsonLines)
        );
        let e = LogFormat::of(Path::new("access.jsonl.zst")).map_err(|e| e.to_string());
        assert!(e.is_err_and(|m| m.contains("decompress")));
        assert!(LogFormat::of(Path::new("access.csv")).is_err());
    }

    #[test]
    fn missing_files_are_named() {
        let i = Inputs {
            access: vec![PathBuf::from("/nonexistent/access.jsonl")],
            ..Inputs::default()
        };
        let e = i.check().map_err(|e| e.to_string()).err();
        assert_eq!(
            e.as_deref(),
            Some("access log `/nonexistent/access.jsonl` does not exist")
        );
        assert!(matches!(
            Inputs::default().check(),
            Err(ImpactError::NoLogs)
        ));
    }
}
