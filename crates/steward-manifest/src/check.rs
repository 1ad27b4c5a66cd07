//! The checks that need the whole manifest or the vocabulary: version,
//! places, unique ids, references between entries, category keys, flow
//! kinds, signing-key dates. Each problem is pointed at its field through
//! the [`Locations`] read from the text.

use std::collections::HashMap;

use steward_model::category::DataCategory;
use steward_model::manifest::Manifest;

use crate::error::{Diagnostic, Severity};
use crate::locate::{Locations, Position};
use crate::{Entity, place};

/// Flow kinds (see the manifest reference).
pub const FLOW_KINDS: &[&str] = &[
    "replication",
    "export",
    "remote_access",
    "entrustment",
    "provision",
];

/// Transfer-basis kinds steward's policies know; others are accepted with a
/// warning.
pub const BASIS_KINDS: &[&str] = &[
    "consent",
    "contract_necessity",
    "statute",
    "certification",
    "adequacy",
    "scc",
    "bcr",
    "derogation",
    "cac_security_assessment",
    "cac_standard_contract",
    "cac_certification",
    "cac_exemption",
    "ctia",
];

/// Dataset formats steward reads; others are accepted with a warning.
pub const FORMATS: &[&str] = &[
    "sqlite", "postgres", "parquet", "jsonl", "json", "csv", "tsv", "text", "xlsx",
];

/// JWT signature algorithms (RFC 7518 and RFC 8037).
const ALGORITHMS: &[&str] = &[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
    "ES384", "ES512", "EdDSA",
];

/// Collects diagnostics for one file.
pub(crate) struct Checker<'a> {
    file: &'a str,
    locations: &'a Locations,
    pub(crate) problems: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(file: &'a str, locations: &'a Locations) -> Self {
        Self {
            file,
            locations,
            problems: Vec::new(),
        }
    }

    fn push(&mut self, severity: Severity, field: &str, at: Position, message: String) {
        self.problems.push(Diagnostic {
            severity,
            file: self.file.to_owned(),
            line: at.line,
            column: at.column,
            field: field.to_owned(),
            message,
        });
    }

    /// An error at a field's value.
    pub(crate) fn error(&mut self, field: &str, message: String) {
        let at = self.locations.value(field);
        self.push(Severity::Error, field, at, message);
    }

    /// An error at a field's key (for problems with the entry it opens).
    pub(crate) fn error_at_key(&mut self, field: &str, message: String) {
        let at = self.locations.key(field);
        self.push(Severity::Error, field, at, message);
    }

    /// A warning at a field's value.
    pub(crate) fn warn(&mut self, field: &str, message: String) {
        let at = self.locations.value(field);
        self.push(Severity::Warning, field, at, message);
    }

    /// The line of a field's value, for "first at line N".
    pub(crate) fn line_of(&self, field: &str) -> usize {
        self.locations.value(field).line
    }
}

/// Runs every check; returns the index of systems, datasets and vendors and
/// the placement of each system (`None` where it could not be placed).
pub(crate) fn check(
    m: &Manifest,
    c: &mut Checker,
) -> (HashMap<String, Entity>, Vec<Option<place::Placement>>) {
    if m.version != 1 {
        c.error(
            "version",
            format!(
                "unsupported manifest version `{}` (this steward reads version 1)",
                m.version
            ),
        );
    }
    let index = ids(m, c);
    let placements = m
        .systems
        .iter()
        .enumerate()
        .map(|(i, s)| place::place(m, i, s, c))
        .collect();
    place::check_overrides(m, c);
    datasets(m, c);
    flows(m, &index, c);
    endpoints(m, &index, c);
    signing_keys(m, &index, c);
    (index, placements)
}

fn empty_id(id: &str, field: &str, c: &mut Checker) -> bool {
    if id.trim().is_empty() {
        c.error(field, "id is empty".to_owned());
        return true;
    }
    false
}

/// Systems, datasets and vendors share one namespace (a flow's `to` may be
/// a dataset or a vendor); flows and signing keys have their own.
fn ids(m: &Manifest, c: &mut Checker) -> HashMap<String, Entity> {
    let mut index: HashMap<String, Entity> = HashMap::new();
    let mut first: HashMap<String, String> = HashMap::new();
    let mut add = |id: &str, field: String, entity: Entity, c: &mut Checker| {
        if empty_id(id, &field, c) {
            return;
        }
        if let Some(previous) = first.get(id) {
            c.error(
                &field,
                format!(
                    "duplicate id `{id}` (first at line {})",
                    c.line_of(previous)
                ),
            );
            return;
        }
        first.insert(id.to_owned(), field);
        index.insert(id.to_owned(), entity);
    };
    for (i, s) in m.systems.iter().enumerate() {
        add(&s.id, format!("systems[{i}].id"), Entity::System(i), c);
        for (j, d) in s.datasets.iter().enumerate() {
            let entity = Entity::Dataset {
                system: i,
                dataset: j,
            };
            add(&d.id, format!("systems[{i}].datasets[{j}].id"), entity, c);
        }
    }
    for (i, v) in m.vendors.iter().enumerate() {
        add(&v.id, format!("vendors[{i}].id"), Entity::Vendor(i), c);
    }
    unique(m.flows.iter().map(|f| f.id.as_str()), "flows", c);
    unique(
        m.signing_keys.iter().map(|k| k.id.as_str()),
        "signing_keys",
        c,
    );
    index
}

fn unique<'m>(ids: impl Iterator<Item = &'m str>, list: &str, c: &mut Checker) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        let field = format!("{list}[{i}].id");
        if empty_id(id, &field, c) {
            continue;
        }
        if let Some(j) = seen.get(id) {
            let line = c.line_of(&format!("{list}[{j}].id"));
            c.error(
                &field,
                format!("duplicate id `{id}` (first at line {line})"),
            );
        } else {
            seen.insert(id, i);
        }
    }
}

/// Checks a list of category keys against the taxonomy.
fn categories(keys: &[String], field: &str, c: &mut Checker) {
    for (k, key) in keys.iter().enumerate() {
        if let Err(e) = DataCategory::new(key) {
            c.error(&format!("{field}[{k}]"), e.to_string());
        }
    }
}

fn datasets(m: &Manifest, c: &mut Checker) {
    for (i, s) in m.systems.iter().enumerate() {
        for (j, d) in s.datasets.iter().enumerate() {
            let at = format!("systems[{i}].datasets[{j}]");
            if !FORMATS.contains(&d.format.as_str()) {
                c.warn(
                    &format!("{at}.format"),
                    format!(
                        "format `{}` is not one steward reads ({})",
                        d.format,
                        FORMATS.join(", ")
                    ),
                );
            }
            for (k, f) in d.fields.iter().enumerate() {
                categories(&f.categories, &format!("{at}.fields[{k}].categories"), c);
            }
        }
    }
}

fn flows(m: &Manifest, index: &HashMap<String, Entity>, c: &mut Checker) {
    for (i, f) in m.flows.iter().enumerate() {
        let at = format!("flows[{i}]");
        match index.get(&f.from) {
            Some(Entity::Dataset { .. }) => {}
            Some(other) => c.error(
                &format!("{at}.from"),
                format!(
                    "flow source `{}` is a {}; a flow starts at a dataset",
                    f.from,
                    other.kind()
                ),
            ),
            None => c.error(
                &format!("{at}.from"),
                format!("flow source `{}` names no dataset", f.from),
            ),
        }
        match index.get(&f.to) {
            Some(Entity::Dataset { .. } | Entity::Vendor(_)) => {}
            Some(other) => c.error(
                &format!("{at}.to"),
                format!(
                    "flow destination `{}` is a {}; a flow ends at a dataset or a vendor",
                    f.to,
                    other.kind()
                ),
            ),
            None => c.error(
                &format!("{at}.to"),
                format!("flow destination `{}` names no dataset or vendor", f.to),
            ),
        }
        if f.from == f.to {
            c.error(
                &format!("{at}.to"),
                format!(
                    "flow `{}` goes nowhere: `from` and `to` are both `{}`",
                    f.id, f.to
                ),
            );
        }
        if !FLOW_KINDS.contains(&f.kind.as_str()) {
            c.error(
                &format!("{at}.kind"),
                format!(
                    "unknown flow kind `{}` (expected one of {})",
                    f.kind,
                    FLOW_KINDS.join(", ")
                ),
            );
        }
        if f.categories.is_empty() {
            c.error(
                &format!("{at}.categories"),
                "a flow moves at least one category".to_owned(),
            );
        }
        categories(&f.categories, &format!("{at}.categories"), c);
        if let Some(b) = &f.transfer_basis
            && !BASIS_KINDS.contains(&b.kind.as_str())
        {
            c.warn(
                &format!("{at}.transfer_basis.kind"),
                format!(
                    "transfer basis `{}` is not one steward's policies know ({})",
                    b.kind,
                    BASIS_KINDS.join(", ")
                ),
            );
        }
    }
}

fn endpoints(m: &Manifest, index: &HashMap<String, Entity>, c: &mut Checker) {
    for (i, e) in m.endpoints.iter().enumerate() {
        let at = format!("endpoints[{i}]");
        categories(&e.returns, &format!("{at}.returns"), c);
        categories(&e.returns_related, &format!("{at}.returns_related"), c);
        if let Some(d) = &e.related_dataset
            && !matches!(index.get(d), Some(Entity::Dataset { .. }))
        {
            c.error(
                &format!("{at}.related_dataset"),
                format!("`{d}` names no dataset"),
            );
        }
    }
}

fn signing_keys(m: &Manifest, index: &HashMap<String, Entity>, c: &mut Checker) {
    for (i, k) in m.signing_keys.iter().enumerate() {
        let at = format!("signing_keys[{i}]");
        if !matches!(index.get(&k.used_by), Some(Entity::System(_))) {
            c.error(
                &format!("{at}.used_by"),
                format!("`{}` names no system", k.used_by),
            );
        }
        if !ALGORITHMS.contains(&k.algorithm.as_str()) {
            c.warn(
                &format!("{at}.algorithm"),
                format!(
                    "`{}` is not a JWT signature algorithm ({})",
                    k.algorithm,
                    ALGORITHMS.join(", ")
                ),
            );
        }
        if let Some(rotated) = k.rotated
            && rotated < k.created
        {
            c.error(
                &format!("{at}.rotated"),
                format!(
                    "rotated on {rotated}, before it was created ({})",
                    k.created
                ),
            );
        }
        if let Some(retired) = k.retired {
            if retired < k.created {
                c.error(
                    &format!("{at}.retired"),
                    format!(
                        "retired on {retired}, before it was created ({})",
                        k.created
                    ),
                );
            } else if let Some(rotated) = k.rotated
                && retired < rotated
            {
                c.error(
                    &format!("{at}.retired"),
                    format!("retired on {retired}, before it was rotated ({rotated})"),
                );
            }
        }
        if k.custodians.is_empty() {
            c.warn(
                &format!("{at}.custodians"),
                "no custodians: nobody is recorded as able to read the key".to_owned(),
            );
        }
    }
}
