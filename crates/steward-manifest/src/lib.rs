//! The platform manifest loader. [`load`] reads a manifest file and
//! [`parse`] its text; both give a [`LoadedManifest`]: the typed
//! [`Manifest`], the country of every system, dataset and vendor, an index
//! by id, and the warnings. Whatever stops a manifest from loading comes
//! back as a [`ManifestError`] whose [`Diagnostic`]s name the file, line,
//! column and field:
//!
//! - YAML syntax, unknown keys, wrong types, missing fields (serde_norway,
//!   which reports the position itself);
//! - unknown regions and data categories, duplicate ids, flows, endpoints
//!   and keys naming nothing, a system with no place, key dates out of
//!   order, unknown flow kinds (checked afterwards and pointed at through
//!   [`Locations`], the position of every node read from the same text).
//!
//! Warnings (unknown transfer-basis kinds or formats, custodians missing
//! from the HR roster) do not stop the load. [`schema`] gives the JSON
//! Schema of the format (`docs/manifest.schema.json`); `docs/manifest.md`
//! is the reference.
//!
//! ```
//! let text = "\
//! version: 1
//! organization: {name: Example, established_in: KR}
//! systems:
//!   - id: db
//!     name: Members
//!     provider: aws
//!     region: ap-northeast-2
//!     datasets:
//!       - {id: db.members, location: members.csv, format: csv, personal_data: true}
//! ";
//! let loaded = steward_manifest::parse(text, "inline.yaml").unwrap();
//! assert_eq!(loaded.country("db.members").unwrap().code(), "KR");
//!
//! let bad = text.replace("ap-northeast-2", "ap-northeast-9");
//! let err = steward_manifest::parse(&bad, "inline.yaml").unwrap_err();
//! let d = &err.diagnostics()[0];
//! assert_eq!((d.line, d.column, d.field.as_str()), (7, 13, "systems[0].region"));
//! ```

mod check;
mod error;
mod locate;
mod place;
pub mod roster;
mod schema;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use steward_model::jurisdiction::Country;
use steward_model::manifest::{Dataset, Flow, Manifest, SigningKey, System, Vendor};

pub use check::{BASIS_KINDS, FLOW_KINDS, FORMATS};
pub use error::{Diagnostic, ManifestError, Severity};
pub use locate::{Locations, Position};
pub use place::{PlacedBy, Placement};
pub use schema::{schema, schema_json};

/// What an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// `systems[i]`.
    System(usize),
    /// `systems[system].datasets[dataset]`.
    Dataset {
        /// Index of the system.
        system: usize,
        /// Index of the dataset within it.
        dataset: usize,
    },
    /// `vendors[i]`.
    Vendor(usize),
}

impl Entity {
    /// `system`, `dataset` or `vendor`.
    #[must_use]
    pub const fn kind(self) -> &'static str {
        match self {
            Self::System(_) => "system",
            Self::Dataset { .. } => "dataset",
            Self::Vendor(_) => "vendor",
        }
    }
}

/// A manifest that passed every check.
#[derive(Debug, Clone)]
pub struct LoadedManifest {
    /// The manifest as written.
    pub manifest: Manifest,
    /// The file as named in diagnostics.
    pub origin: String,
    /// The directory relative paths (`hr_roster`, dataset locations) start
    /// from; `None` for text given to [`parse`].
    pub base_dir: Option<PathBuf>,
    /// Where each system is, by system id.
    pub placements: BTreeMap<String, Placement>,
    /// The country of every system, dataset (its system's) and vendor, by id.
    pub countries: BTreeMap<String, Country>,
    /// Systems, datasets and vendors by id.
    pub index: HashMap<String, Entity>,
    /// Problems that did not stop the load.
    pub warnings: Vec<Diagnostic>,
    /// Where each field is in the text, for pointing later findings (a
    /// policy violation) at their line.
    pub locations: Locations,
}

impl LoadedManifest {
    /// The country of a system, dataset or vendor.
    #[must_use]
    pub fn country(&self, id: &str) -> Option<Country> {
        self.countries.get(id).copied()
    }

    /// A system by id.
    #[must_use]
    pub fn system(&self, id: &str) -> Option<&System> {
        match self.index.get(id)? {
            Entity::System(i) => self.manifest.systems.get(*i),
            _ => None,
        }
    }

    /// A dataset and the system holding it, by dataset id.
    #[must_use]
    pub fn dataset(&self, id: &str) -> Option<(&System, &Dataset)> {
        match self.index.get(id)? {
            Entity::Dataset { system, dataset } => {
                let s = self.manifest.systems.get(*system)?;
                Some((s, s.datasets.get(*dataset)?))
            }
            _ => None,
        }
    }

    /// A vendor by id.
    #[must_use]
    pub fn vendor(&self, id: &str) -> Option<&Vendor> {
        match self.index.get(id)? {
            Entity::Vendor(i) => self.manifest.vendors.get(*i),
            _ => None,
        }
    }

    /// A flow by id.
    #[must_use]
    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.manifest.flows.iter().find(|f| f.id == id)
    }

    /// A signing key by id.
    #[must_use]
    pub fn signing_key(&self, id: &str) -> Option<&SigningKey> {
        self.manifest.signing_keys.iter().find(|k| k.id == id)
    }

    /// The path of the HR roster, resolved against [`Self::base_dir`].
    #[must_use]
    pub fn roster_path(&self) -> Option<PathBuf> {
        let rel = self.manifest.hr_roster.as_ref()?;
        Some(match &self.base_dir {
            Some(dir) => dir.join(rel),
            None => PathBuf::from(rel),
        })
    }

    /// Warns about signing-key custodians that are not among `employee_ids`
    /// (the roster's). [`load`] calls it with the linked roster.
    pub fn check_custodians(&mut self, employee_ids: &std::collections::HashSet<String>) {
        let mut c = check::Checker::new(&self.origin, &self.locations);
        for (i, k) in self.manifest.signing_keys.iter().enumerate() {
            for (j, who) in k.custodians.iter().enumerate() {
                if !employee_ids.contains(who) {
                    c.warn(
                        &format!("signing_keys[{i}].custodians[{j}]"),
                        format!(
                            "custodian `{who}` of key `{}` is not on the HR roster",
                            k.id
                        ),
                    );
                }
            }
        }
        let found = c.problems;
        self.warnings.extend(found);
    }
}

/// Turns serde_norway's error into a diagnostic. Its message reads
/// `path: message at line L column C`; the path becomes the field (with the
/// key for an unknown field) and the position is taken once.
fn yaml_error(origin: &str, e: &serde_norway::Error, locations: &Locations) -> Diagnostic {
    let mut message = e.to_string();
    let (mut line, mut column) = (1, 1);
    if let Some(at) = e.location() {
        (line, column) = (at.line(), at.column());
        steward_model::located::strip_location_suffix(&mut message, line, column);
    }
    let mut field = String::new();
    if let Some((path, rest)) = message.split_once(": ")
        && !path.contains(char::is_whitespace)
        && locations.contains(path)
    {
        field = path.to_owned();
        message = rest.to_owned();
    }
    if let Some(key) = message
        .strip_prefix("unknown field `")
        .and_then(|r| r.split_once('`'))
        .map(|(k, _)| k.to_owned())
    {
        field = if field.is_empty() {
            key
        } else {
            format!("{field}.{key}")
        };
    }
    Diagnostic {
        severity: Severity::Error,
        file: origin.to_owned(),
        line,
        column,
        field,
        message,
    }
}

/// Parses and checks manifest text; `origin` names it in diagnostics. The
/// HR roster is not read (see [`load`]).
///
/// # Errors
/// [`ManifestError::Invalid`] with every problem found.
pub fn parse(text: &str, origin: &str) -> Result<LoadedManifest, ManifestError> {
    let locations = Locations::read(text);
    let manifest: Manifest = serde_norway::from_str(text).map_err(|e| ManifestError::Invalid {
        problems: vec![yaml_error(origin, &e, &locations)],
    })?;
    let mut c = check::Checker::new(origin, &locations);
    let (index, placements) = check::check(&manifest, &mut c);
    let mut problems = c.problems;
    problems.sort_by_key(|p| (p.severity, p.line, p.column));
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(ManifestError::Invalid { problems });
    }
    let mut placed = BTreeMap::new();
    let mut countries = BTreeMap::new();
    for (system, placement) in manifest.systems.iter().zip(placements) {
        let Some(placement) = placement else { continue };
        countries.insert(system.id.clone(), placement.country);
        for d in &system.datasets {
            countries.insert(d.id.clone(), placement.country);
        }
        placed.insert(system.id.clone(), placement);
    }
    for v in &manifest.vendors {
        countries.insert(v.id.clone(), v.country);
    }
    Ok(LoadedManifest {
        manifest,
        origin: origin.to_owned(),
        base_dir: None,
        placements: placed,
        countries,
        index,
        warnings: problems,
        locations,
    })
}

/// Reads, parses and checks a manifest file, and warns about signing-key
/// custodians missing from the HR roster it links to.
///
/// # Errors
/// [`ManifestError::Read`] when the file cannot be read, otherwise as
/// [`parse`].
pub fn load(path: &Path) -> Result<LoadedManifest, ManifestError> {
    let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut loaded = parse(&text, &path.display().to_string())?;
    loaded.base_dir = Some(
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
    );
    if let Some(roster) = loaded.roster_path() {
        match roster::employee_ids(&roster) {
            Ok(ids) => loaded.check_custodians(&ids),
            Err(why) => {
                let mut c = check::Checker::new(&loaded.origin, &loaded.locations);
                c.warn(
                    "hr_roster",
                    format!(
                        "HR roster `{}`: {why}; custodians not checked",
                        roster.display()
                    ),
                );
                let found = c.problems;
                loaded.warnings.extend(found);
            }
        }
    }
    Ok(loaded)
}
