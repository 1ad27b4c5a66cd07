//! Loading rule packs and evaluating them with regorus.
//!
//! Each rule is one Rego file with a package under `steward.rules`, a
//! `meta` object (id, title, severity, citation, source, fix) and a
//! `violations` set of `{resource, kind, message, facts}` objects. Shared
//! helpers live in packages under `steward.lib`. Extra data (lists such as
//! India's restricted destinations) is read from `data.lists`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use crate::decision::{Decision, RuleInfo, Severity};
use crate::error::{PolicyError, Result, located};
use crate::facts::Facts;
use crate::packs;

/// Package prefix of rules.
const RULES: &str = "data.steward.rules.";
/// Package prefix of shared helpers.
const LIB: &str = "data.steward.lib";

/// A set of loaded rules, ready to check inputs.
#[derive(Clone)]
pub struct PolicySet {
    engine: regorus::Engine,
    /// Rule package (`data.steward.rules.x`) → (file, pack).
    packages: BTreeMap<String, (String, String)>,
    /// Validated rule metadata by package, filled on first use.
    rules: Option<BTreeMap<String, RuleInfo>>,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("packages", &self.packages)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct RawMeta {
    id: Option<String>,
    title: Option<String>,
    severity: Option<Severity>,
    citation: Option<String>,
    source: Option<String>,
    fix: Option<String>,
    pack: Option<String>,
}

#[derive(Deserialize)]
struct RawViolation {
    resource: Option<String>,
    kind: Option<String>,
    message: Option<String>,
    #[serde(default)]
    facts: serde_json::Value,
}

fn rego_error(file: &str, err: &dyn std::fmt::Display) -> PolicyError {
    let text = err.to_string();
    match located(&text) {
        Some((f, line, column, message)) => PolicyError::Rego {
            file: f,
            line,
            column,
            message,
        },
        None => PolicyError::Rule {
            file: file.to_owned(),
            message: text.trim().to_owned(),
        },
    }
}

impl Default for PolicySet {
    fn default() -> Self {
        Self::empty()
    }
}

impl PolicySet {
    /// A set with no rules.
    #[must_use]
    pub fn empty() -> Self {
        let mut engine = regorus::Engine::new();
        engine.set_strict_builtin_errors(true);
        Self {
            engine,
            packages: BTreeMap::new(),
            rules: None,
        }
    }

    /// The packs built into steward (`policies/`).
    ///
    /// # Errors
    /// Never for the shipped packs (tests load them); the same errors as
    /// [`Self::add_source`] otherwise.
    pub fn builtin() -> Result<Self> {
        let mut set = Self::empty();
        for (file, text) in packs::FILES {
            set.add_source(file, text)?;
        }
        Ok(set)
    }

    /// Adds one Rego file's text; `file` names it in errors and decides its
    /// pack (the folder it sits in).
    ///
    /// # Errors
    /// [`PolicyError::Rego`] with file, line and column for a syntax error;
    /// [`PolicyError::Rule`] for a package outside `steward.rules` and
    /// `steward.lib`, or one already loaded from another file.
    pub fn add_source(&mut self, file: &str, text: &str) -> Result<()> {
        let package = self
            .engine
            .add_policy(file.to_owned(), text.to_owned())
            .map_err(|e| rego_error(file, &e))?;
        self.rules = None;
        if package == LIB || package.starts_with(&format!("{LIB}.")) {
            return Ok(());
        }
        if !package.starts_with(RULES) {
            return Err(PolicyError::Rule {
                file: file.to_owned(),
                message: format!(
                    "package `{}` is not under `steward.rules` (a rule) or `steward.lib` (helpers)",
                    package.trim_start_matches("data.")
                ),
            });
        }
        let pack = Path::new(file)
            .parent()
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or("user")
            .to_owned();
        if let Some((other, _)) = self.packages.get(&package) {
            return Err(PolicyError::Rule {
                file: file.to_owned(),
                message: format!(
                    "package `{}` is already defined in `{other}`; one rule per package",
                    package.trim_start_matches("data.")
                ),
            });
        }
        self.packages.insert(package, (file.to_owned(), pack));
        Ok(())
    }

    /// Adds every `.rego` file under `dir` (recursively, in name order).
    ///
    /// # Errors
    /// [`PolicyError::PolicyDir`], [`PolicyError::Read`], or the errors of
    /// [`Self::add_source`].
    pub fn add_dir(&mut self, dir: &Path) -> Result<()> {
        let mut files = Vec::new();
        collect_rego(dir, &mut files)?;
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).map_err(|source| PolicyError::Read {
                path: path.clone(),
                source,
            })?;
            self.add_source(&path.display().to_string(), &text)?;
        }
        Ok(())
    }

    /// Adds a JSON object to the data document (`data.lists.…` and the
    /// like); `file` names it in errors.
    ///
    /// # Errors
    /// [`PolicyError::Data`] when it is not a JSON object or clashes with
    /// data already added.
    pub fn add_data(&mut self, file: &str, json: &str) -> Result<()> {
        let bad = |message: String| PolicyError::Data {
            file: file.to_owned(),
            message,
        };
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| bad(e.to_string()))?;
        if !value.is_object() {
            return Err(bad("must hold a JSON object".to_owned()));
        }
        self.engine
            .add_data(regorus::Value::from(value))
            .map_err(|e| bad(e.to_string()))?;
        self.rules = None;
        Ok(())
    }

    /// The rules loaded, validated: every rule has an id, title, severity,
    /// citation, source and fix, and ids are unique.
    ///
    /// # Errors
    /// [`PolicyError::Rule`] naming the file with a missing field or a
    /// duplicate id; [`PolicyError::Rego`] for an error found while
    /// compiling.
    pub fn rules(&mut self) -> Result<Vec<RuleInfo>> {
        Ok(self.prepare()?.values().cloned().collect())
    }

    fn prepare(&mut self) -> Result<&BTreeMap<String, RuleInfo>> {
        if self.rules.is_none() {
            self.engine.set_input(regorus::Value::new_object());
            let mut rules = BTreeMap::new();
            let mut ids: HashMap<String, String> = HashMap::new();
            for (package, (file, pack)) in &self.packages {
                for name in ["meta", "violations"] {
                    let declared = self
                        .engine
                        .has_declared_rule_rooted_at(file, name)
                        .map_err(|e| rego_error(file, &e))?;
                    if !declared {
                        return Err(PolicyError::Rule {
                            file: file.clone(),
                            message: format!(
                                "no `{name}` rule (a rule declares `meta` with id, title, severity, citation, source and fix, and a `violations` set)"
                            ),
                        });
                    }
                }
                let value = self
                    .engine
                    .eval_rule(format!("{package}.meta"))
                    .map_err(|e| rego_error(file, &e))?;
                let info = validate_meta(file, pack, &value)?;
                if let Some(other) = ids.insert(info.id.clone(), file.clone()) {
                    return Err(PolicyError::Rule {
                        file: file.clone(),
                        message: format!("rule id `{}` is already used by `{other}`", info.id),
                    });
                }
                rules.insert(package.clone(), info);
            }
            self.rules = Some(rules);
        }
        Ok(self.rules.get_or_insert_with(BTreeMap::new))
    }

    /// Evaluates every rule over an input document (built by
    /// [`crate::facts::build`]) and returns the violations, sorted by rule id
    /// and resource.
    ///
    /// # Errors
    /// [`PolicyError::Rule`]/[`PolicyError::Rego`] for invalid rules,
    /// [`PolicyError::Eval`] for a runtime error inside a rule, and
    /// [`PolicyError::Violation`] for a violation missing its resource or
    /// message.
    pub fn check(&mut self, facts: &Facts<'_>) -> Result<Vec<Decision>> {
        let rules = self.prepare()?.clone();
        let lines = facts.lines;
        self.engine.set_input(facts.doc.clone());
        let mut out = Vec::new();
        for (package, rule) in &rules {
            let value = self
                .engine
                .eval_rule(format!("{package}.violations"))
                .map_err(|e| {
                    let text = e.to_string();
                    PolicyError::Eval {
                        message: located(&text).map_or_else(
                            || format!("{}: {}", rule.file, text.trim()),
                            |(f, l, c, m)| format!("{f}:{l}:{c}: {m}"),
                        ),
                    }
                })?;
            if value == regorus::Value::Undefined {
                continue;
            }
            let json = serde_json::to_value(&value).map_err(|e| PolicyError::Violation {
                rule: rule.id.clone(),
                message: e.to_string(),
            })?;
            let items = match json {
                serde_json::Value::Array(a) => a,
                other => {
                    return Err(PolicyError::Violation {
                        rule: rule.id.clone(),
                        message: format!("`violations` must be a set, not {other}"),
                    });
                }
            };
            for item in items {
                out.push(decision(rule, item, lines)?);
            }
        }
        out.sort_by(|a, b| {
            (a.rule_id.as_str(), a.resource.as_str())
                .cmp(&(b.rule_id.as_str(), b.resource.as_str()))
        });
        Ok(out)
    }
}

fn decision(
    rule: &RuleInfo,
    item: serde_json::Value,
    lines: &HashMap<String, usize>,
) -> Result<Decision> {
    let bad = |message: &str| PolicyError::Violation {
        rule: rule.id.clone(),
        message: message.to_owned(),
    };
    let raw: RawViolation = serde_json::from_value(item).map_err(|e| bad(&e.to_string()))?;
    let resource = raw.resource.ok_or_else(|| bad("no `resource`"))?;
    let message = raw.message.ok_or_else(|| bad("no `message`"))?;
    let kind = raw.kind.unwrap_or_else(|| "resource".to_owned());
    let line = match kind.as_str() {
        "flow" | "dataset" | "system" | "key" | "vendor" => lines.get(&resource).copied(),
        _ => None,
    };
    Ok(Decision {
        rule_id: rule.id.clone(),
        pack: rule.pack.clone(),
        severity: rule.severity,
        title: rule.title.clone(),
        resource,
        kind,
        message,
        facts: if raw.facts.is_null() {
            serde_json::json!({})
        } else {
            raw.facts
        },
        citation: rule.citation.clone(),
        source: rule.source.clone(),
        fix: rule.fix.clone(),
        line,
    })
}

fn validate_meta(file: &str, pack: &str, value: &regorus::Value) -> Result<RuleInfo> {
    let bad = |message: String| PolicyError::Rule {
        file: file.to_owned(),
        message,
    };
    if *value == regorus::Value::Undefined {
        return Err(bad(
            "no `meta` object (id, title, severity, citation, source, fix)".to_owned(),
        ));
    }
    let json = serde_json::to_value(value).map_err(|e| bad(e.to_string()))?;
    let raw: RawMeta = serde_json::from_value(json).map_err(|e| bad(format!("`meta`: {e}")))?;
    let need = |v: Option<String>, name: &str| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or_else(|| bad(format!("`meta.{name}` is missing or empty")))
    };
    Ok(RuleInfo {
        id: need(raw.id, "id")?,
        pack: raw.pack.unwrap_or_else(|| pack.to_owned()),
        title: need(raw.title, "title")?,
        severity: raw
            .severity
            .ok_or_else(|| bad("`meta.severity` is missing (error, warning or note)".to_owned()))?,
        citation: need(raw.citation, "citation")?,
        source: need(raw.source, "source")?,
        fix: need(raw.fix, "fix")?,
        file: file.to_owned(),
    })
}

fn collect_rego(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<()> {
    let err = |source| PolicyError::PolicyDir {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(err)? {
        let path = entry.map_err(err)?.path();
        if path.is_dir() {
            collect_rego(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rego") {
            out.push(path);
        }
    }
    Ok(())
}
