//! The mapping file as written (YAML). Everything that can be checked is
//! checked while deserialising, so that serde_norway attaches the line and
//! column of the offending value to the error: unknown keys, bad paths, bad
//! regexes, unknown time formats, options a target field does not take.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, de::value::MapAccessDeserializer};

use super::path::FieldPath;
use super::time::TimeFormat;

/// A whole mapping file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MappingSpec {
    /// Name, used to find built-ins and in reports.
    pub name: String,
    /// One line on what logs it reads.
    #[serde(default)]
    pub description: String,
    /// For JSON documents: the array holding the records (`Records`).
    #[serde(default)]
    pub records: Option<PathSpec>,
    /// CSV layout; its presence also makes non-JSON input CSV.
    #[serde(default)]
    pub csv: Option<CsvSpec>,
    /// Conditions every record must meet; others are skipped, not errors.
    #[serde(default)]
    pub keep: Vec<Condition>,
    /// Target field → how to fill it.
    pub fields: FieldsSpec,
}

/// CSV layout.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CsvSpec {
    /// One-byte delimiter (`,` by default, `\t` for TSV).
    #[serde(default = "comma", deserialize_with = "delimiter")]
    pub delimiter: u8,
    /// Whether the first row names the columns (default true).
    #[serde(default = "yes")]
    pub header: bool,
    /// Column names when there is no header row.
    #[serde(default)]
    pub columns: Vec<String>,
}

const fn comma() -> u8 {
    b','
}

const fn yes() -> bool {
    true
}

fn delimiter<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    parse_str(d, "one character", |s| match s.as_bytes() {
        [b] if b.is_ascii() => Ok(*b),
        _ => Err("`delimiter` must be one ASCII character".to_owned()),
    })
}

/// Reads a string and parses it inside the visitor, so that an error gets
/// the string's own line and column.
fn parse_str<'de, D, T>(
    d: D,
    what: &'static str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct V<T> {
        what: &'static str,
        parse: fn(&str) -> Result<T, String>,
    }
    impl<T> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.what)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.parse)(v).map_err(E::custom)
        }
    }
    d.deserialize_str(V { what, parse })
}

/// A source path, parsed (and checked) as it is read.
#[derive(Debug, Clone)]
pub(crate) struct PathSpec(pub FieldPath);

impl<'de> Deserialize<'de> for PathSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, "a source path", |t| FieldPath::parse(t).map(PathSpec))
    }
}

/// A regular expression, compiled as it is read.
#[derive(Debug, Clone)]
pub(crate) struct Pattern(pub regex::Regex);

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, "a regular expression", |t| {
            regex::RegexBuilder::new(t)
                .size_limit(1 << 20)
                .build()
                .map(Pattern)
                .map_err(|e| format!("bad regex: {e}"))
        })
    }
}

/// Any YAML scalar taken as text (`200`, `true`, `GET`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Text(pub String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_owned()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A condition of `keep:`.
#[derive(Debug)]
pub(crate) struct Condition {
    pub path: PathSpec,
    pub test: Test,
}

/// What a condition checks.
#[derive(Debug)]
pub(crate) enum Test {
    /// The value is one of these.
    In(Vec<String>),
    /// The value is none of these (an absent value passes).
    NotIn(Vec<String>),
    /// The value matches the regex.
    Matches(regex::Regex),
    /// The path is present and not null (or, with `false`, absent or null).
    Exists(bool),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    path: PathSpec,
    #[serde(default, rename = "in")]
    is_in: Option<Vec<Text>>,
    #[serde(default)]
    not_in: Option<Vec<Text>>,
    #[serde(default)]
    matches: Option<Pattern>,
    #[serde(default)]
    exists: Option<bool>,
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Condition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map with `path` and one of `in`, `not_in`, `matches`, `exists`")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Condition, A::Error> {
                let raw = RawCondition::deserialize(MapAccessDeserializer::new(map))?;
                Condition::from_raw(raw).map_err(de::Error::custom)
            }
        }
        d.deserialize_map(V)
    }
}

impl Condition {
    fn from_raw(raw: RawCondition) -> Result<Self, &'static str> {
        let texts = |v: Vec<Text>| v.into_iter().map(|t| t.0).collect();
        let mut tests = Vec::new();
        if let Some(v) = raw.is_in {
            tests.push(Test::In(texts(v)));
        }
        if let Some(v) = raw.not_in {
            tests.push(Test::NotIn(texts(v)));
        }
        if let Some(p) = raw.matches {
            tests.push(Test::Matches(p.0));
        }
        if let Some(e) = raw.exists {
            tests.push(Test::Exists(e));
        }
        let mut tests = tests.into_iter();
        match (tests.next(), tests.next()) {
            (Some(test), None) => Ok(Self {
                path: raw.path,
                test,
            }),
            _ => Err("a `keep` condition needs exactly one of `in`, `not_in`, `matches`, `exists`"),
        }
    }
}

/// One piece of a template.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    /// Literal text.
    Lit(String),
    /// The value at a path.
    Path(PathSpec),
}

/// `"{eventSource}/{eventName}"`: literal text and `{path}` placeholders;
/// `{{` and `}}` are literal braces.
#[derive(Debug, Clone)]
pub(crate) struct Template(pub Vec<Part>);

impl Template {
    fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            lit.push_str(rest.get(..i).unwrap_or_default());
            let tail = rest.get(i..).unwrap_or_default();
            if let Some(r) = tail.strip_prefix("{{") {
                lit.push('{');
                rest = r;
            } else if let Some(r) = tail.strip_prefix("}}") {
                lit.push('}');
                rest = r;
            } else if let Some(r) = tail.strip_prefix('{') {
                let close = r
                    .find('}')
                    .ok_or_else(|| format!("template `{text}`: `{{` is not closed"))?;
                if !lit.is_empty() {
                    parts.push(Part::Lit(std::mem::take(&mut lit)));
                }
                let path = FieldPath::parse(r.get(..close).unwrap_or_default())
                    .map_err(|e| format!("template `{text}`: {e}"))?;
                parts.push(Part::Path(PathSpec(path)));
                rest = r.get(close + 1..).unwrap_or_default();
            } else {
                return Err(format!("template `{text}`: lone `}}` (write `}}}}`)"));
            }
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            parts.push(Part::Lit(lit));
        }
        if !parts.iter().any(|p| matches!(p, Part::Path(_))) {
            return Err(format!(
                "template `{text}` has no `{{path}}`; use `const` for fixed text"
            ));
        }
        Ok(Self(parts))
    }
}

impl<'de> Deserialize<'de> for Template {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_str(d, "a template", Self::parse)
    }
}

/// `split: {on: "/", index: 4}`: the piece at `index` (negative counts from
/// the end).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SplitSpec {
    pub on: String,
    pub index: i64,
}

/// `replace: [{pattern: '/\d+', with: '/{id}'}]`: every match replaced
/// (`$1`, `${name}` refer to groups).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReplaceSpec {
    pub pattern: Pattern,
    pub with: String,
}

/// How one target field is filled.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldSpec {
    /// One source path.
    #[serde(default)]
    pub path: Option<PathSpec>,
    /// Several paths: the first present, not null and not empty.
    #[serde(default)]
    pub first: Option<Vec<PathSpec>>,
    /// Several paths, every value of each (list fields only).
    #[serde(default)]
    pub all: Option<Vec<PathSpec>>,
    /// A constant.
    #[serde(default, rename = "const")]
    pub constant: Option<Text>,
    /// Text with `{path}` placeholders (`{eventSource}/{eventName}`).
    #[serde(default)]
    pub template: Option<Template>,
    /// Keep the group named `value`, else the first group that took part in
    /// the match, else the whole match; no match drops the value.
    #[serde(default)]
    pub regex: Option<Pattern>,
    /// Keep one piece.
    #[serde(default)]
    pub split: Option<SplitSpec>,
    /// Rewrite.
    #[serde(default)]
    pub replace: Vec<ReplaceSpec>,
    /// Lower-case the text.
    #[serde(default)]
    pub lowercase: bool,
    /// Translate values; values not listed pass through unchanged, or
    /// become `otherwise` when it is given.
    #[serde(default)]
    pub map: Option<BTreeMap<Text, Text>>,
    /// What `map` gives for values it does not list (`null` drops them).
    #[serde(default, deserialize_with = "otherwise")]
    pub otherwise: Otherwise,
    /// Used when the value is absent, null or dropped by `regex`/`split`.
    #[serde(default)]
    pub default: Option<Text>,
    /// Time format (time fields only; `auto` when not given).
    #[serde(default, deserialize_with = "time_format")]
    pub time: Option<TimeFormat>,
    /// A value that does not convert leaves the field empty instead of
    /// rejecting the record.
    #[serde(default)]
    pub lenient: bool,
}

/// `otherwise:` of a value map.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Otherwise {
    /// Not given: unlisted values pass through.
    #[default]
    Keep,
    /// `null`: unlisted values are dropped.
    Drop,
    /// Unlisted values become this.
    Value(String),
}

fn otherwise<'de, D: Deserializer<'de>>(d: D) -> Result<Otherwise, D::Error> {
    Ok(match Option::<Text>::deserialize(d)? {
        None => Otherwise::Drop,
        Some(t) => Otherwise::Value(t.0),
    })
}

fn time_format<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TimeFormat>, D::Error> {
    parse_str(d, "a time format", TimeFormat::parse).map(Some)
}

impl FieldSpec {
    /// A bare string is a path.
    fn from_path(text: &str) -> Result<Self, String> {
        Ok(Self {
            path: Some(PathSpec(FieldPath::parse(text)?)),
            ..Self::default()
        })
    }

    fn sources(&self) -> usize {
        usize::from(self.path.is_some())
            + usize::from(self.first.is_some())
            + usize::from(self.all.is_some())
            + usize::from(self.constant.is_some())
            + usize::from(self.template.is_some())
    }
}

/// What kind of target a field is, for checking which options it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Time,
    Scalar,
    List,
}

/// Reads a field spec (a path string or a map) and checks it for its
/// target, inside the visitor so that errors get the spec's location.
fn field<'de, D: Deserializer<'de>>(d: D, kind: Kind) -> Result<Option<FieldSpec>, D::Error> {
    struct V(Kind);
    impl<'de> Visitor<'de> for V {
        type Value = FieldSpec;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a source path or a map with `path`, `first`, `all`, `const` or `template`")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldSpec, E> {
            FieldSpec::from_path(v).map_err(E::custom)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldSpec, A::Error> {
            let spec = FieldSpec::deserialize(MapAccessDeserializer::new(map))?;
            match check(&spec, self.0) {
                Some(problem) => Err(de::Error::custom(problem)),
                None => Ok(spec),
            }
        }
    }
    d.deserialize_any(V(kind)).map(Some)
}

fn check(spec: &FieldSpec, kind: Kind) -> Option<&'static str> {
    match (spec.sources(), kind) {
        (0, _) => Some("needs one of `path`, `first`, `all`, `const` or `template`"),
        (2.., _) => Some("takes only one of `path`, `first`, `all`, `const` and `template`"),
        _ if spec.otherwise != Otherwise::Keep && spec.map.is_none() => {
            Some("`otherwise` needs `map`")
        }
        _ if spec.all.is_some() && kind != Kind::List => {
            Some("`all` is for list fields (`subjects`, `record_types`)")
        }
        _ if spec.time.is_some() && kind != Kind::Time => {
            Some("`time` is for time fields (`time_ms`, `credential.issued_at_ms`)")
        }
        _ => None,
    }
}

fn time_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FieldSpec>, D::Error> {
    field(d, Kind::Time)
}

fn scalar_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FieldSpec>, D::Error> {
    field(d, Kind::Scalar)
}

fn list_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FieldSpec>, D::Error> {
    field(d, Kind::List)
}

/// The target fields, named as in the access event's JSON form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FieldsSpec {
    #[serde(deserialize_with = "time_field")]
    pub time_ms: Option<FieldSpec>,
    #[serde(default, deserialize_with = "scalar_field")]
    pub event_id: Option<FieldSpec>,
    #[serde(default, rename = "principal.id", deserialize_with = "scalar_field")]
    pub principal_id: Option<FieldSpec>,
    #[serde(default, rename = "principal.kind", deserialize_with = "scalar_field")]
    pub principal_kind: Option<FieldSpec>,
    #[serde(
        default,
        rename = "credential.token_id",
        deserialize_with = "scalar_field"
    )]
    pub token_id: Option<FieldSpec>,
    #[serde(
        default,
        rename = "credential.session_id",
        deserialize_with = "scalar_field"
    )]
    pub session_id: Option<FieldSpec>,
    #[serde(
        default,
        rename = "credential.key_id",
        deserialize_with = "scalar_field"
    )]
    pub key_id: Option<FieldSpec>,
    #[serde(
        default,
        rename = "credential.issued_at_ms",
        deserialize_with = "time_field"
    )]
    pub issued_at_ms: Option<FieldSpec>,
    #[serde(
        default,
        rename = "credential.api_key_id",
        deserialize_with = "scalar_field"
    )]
    pub api_key_id: Option<FieldSpec>,
    #[serde(default, rename = "source.ip", deserialize_with = "scalar_field")]
    pub ip: Option<FieldSpec>,
    #[serde(default, rename = "source.country", deserialize_with = "scalar_field")]
    pub country: Option<FieldSpec>,
    #[serde(default, deserialize_with = "scalar_field")]
    pub method: Option<FieldSpec>,
    #[serde(default, deserialize_with = "scalar_field")]
    pub endpoint: Option<FieldSpec>,
    #[serde(default, deserialize_with = "list_field")]
    pub subjects: Option<FieldSpec>,
    #[serde(default, deserialize_with = "list_field")]
    pub record_types: Option<FieldSpec>,
    #[serde(default, deserialize_with = "scalar_field")]
    pub outcome: Option<FieldSpec>,
    #[serde(default, deserialize_with = "scalar_field")]
    pub status: Option<FieldSpec>,
    #[serde(default, deserialize_with = "scalar_field")]
    pub records: Option<FieldSpec>,
    #[serde(default, deserialize_with = "scalar_field")]
    pub bytes: Option<FieldSpec>,
}
