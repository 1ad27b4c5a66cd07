//! Jurisdictions: ISO 3166-1 countries, plus the ISO 3166-2 subdivisions whose
//! laws differ (US states and territories, Canadian provinces, Australian
//! states, Korean provinces). Tables in `data/iso3166_*.csv`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::LazyLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::ModelError;

const COUNTRIES_CSV: &str = include_str!("../data/iso3166_countries.csv");
const SUBDIVISIONS_CSV: &str = include_str!("../data/iso3166_subdivisions.csv");

/// One ISO 3166-1 country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryInfo {
    /// Alpha-2 code.
    pub alpha2: String,
    /// Alpha-3 code.
    pub alpha3: String,
    /// Numeric code, zero-padded.
    pub numeric: String,
    /// English short name.
    pub name: String,
}

/// One ISO 3166-2 subdivision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubdivisionInfo {
    /// Code such as `US-CA`.
    pub code: String,
    /// Alpha-2 code of its country.
    pub country: String,
    /// Name.
    pub name: String,
    /// ISO category in lower case (`state`, `province`, …).
    pub kind: String,
}

struct Tables {
    countries: HashMap<String, CountryInfo>,
    alpha3: HashMap<String, String>,
    subdivisions: HashMap<String, SubdivisionInfo>,
}

fn rows(text: &str) -> impl Iterator<Item = csv::StringRecord> + '_ {
    csv::Reader::from_reader(text.as_bytes())
        .into_records()
        .flatten()
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut countries = HashMap::new();
    let mut alpha3 = HashMap::new();
    for r in rows(COUNTRIES_CSV) {
        let f = |i: usize| r.get(i).unwrap_or_default().to_owned();
        alpha3.insert(f(1), f(0));
        countries.insert(
            f(0),
            CountryInfo {
                alpha2: f(0),
                alpha3: f(1),
                numeric: f(2),
                name: f(3),
            },
        );
    }
    let subdivisions = rows(SUBDIVISIONS_CSV)
        .map(|r| {
            let f = |i: usize| r.get(i).unwrap_or_default().to_owned();
            (
                f(0),
                SubdivisionInfo {
                    code: f(0),
                    country: f(1),
                    name: f(2),
                    kind: f(3),
                },
            )
        })
        .collect();
    Tables {
        countries,
        alpha3,
        subdivisions,
    }
});

/// An ISO 3166-1 alpha-2 country code known to the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

impl Country {
    /// Parses an alpha-2 or alpha-3 code, in any case.
    ///
    /// # Errors
    /// [`ModelError::UnknownCountry`] when the code is not assigned.
    pub fn parse(code: &str) -> Result<Self, ModelError> {
        let upper = code.trim().to_ascii_uppercase();
        let alpha2 = match upper.len() {
            2 => upper,
            3 => TABLES.alpha3.get(&upper).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        match (TABLES.countries.contains_key(&alpha2), alpha2.as_bytes()) {
            (true, [a, b]) => Ok(Self([*a, *b])),
            _ => Err(ModelError::UnknownCountry {
                code: code.to_owned(),
            }),
        }
    }

    /// The alpha-2 code.
    #[must_use]
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    /// The table entry.
    #[must_use]
    pub fn info(&self) -> Option<&'static CountryInfo> {
        TABLES.countries.get(self.code())
    }

    /// The English short name, or the code when unknown.
    #[must_use]
    pub fn name(&self) -> &str {
        self.info().map_or_else(|| self.code(), |i| i.name.as_str())
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Country {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Where a person's data-protection law comes from: a country, and where it
/// matters a subdivision (`US-CA`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Jurisdiction {
    /// The country.
    pub country: Country,
    /// The ISO 3166-2 subdivision code, if known and relevant.
    pub subdivision: Option<String>,
}

impl Jurisdiction {
    /// A country-level jurisdiction.
    #[must_use]
    pub const fn country(country: Country) -> Self {
        Self {
            country,
            subdivision: None,
        }
    }

    /// Parses `KR`, `KOR` or `US-CA`.
    ///
    /// # Errors
    /// [`ModelError::UnknownCountry`] or [`ModelError::UnknownSubdivision`].
    pub fn parse(code: &str) -> Result<Self, ModelError> {
        let code = code.trim();
        match code.split_once('-') {
            None => Ok(Self::country(Country::parse(code)?)),
            Some((c, _)) => {
                let upper = code.to_ascii_uppercase();
                if !TABLES.subdivisions.contains_key(&upper) {
                    return Err(ModelError::UnknownSubdivision {
                        code: code.to_owned(),
                    });
                }
                Ok(Self {
                    country: Country::parse(c)?,
                    subdivision: Some(upper),
                })
            }
        }
    }

    /// The subdivision's table entry.
    #[must_use]
    pub fn subdivision_info(&self) -> Option<&'static SubdivisionInfo> {
        self.subdivision
            .as_ref()
            .and_then(|s| TABLES.subdivisions.get(s))
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.subdivision {
            Some(s) => f.write_str(s),
            None => f.write_str(self.country.code()),
        }
    }
}

impl FromStr for Jurisdiction {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

macro_rules! serde_via_str {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // Parsed inside the visitor, so that a YAML deserialiser
                // puts the string's own line and column on the error.
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $t;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", stringify!($t), " code"))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$t, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}
serde_via_str!(Country);
serde_via_str!(Jurisdiction);

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Country {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Country".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Za-z]{2,3}$",
            "description": "An ISO 3166-1 alpha-2 or alpha-3 country code, in any case (`KR`, `kor`).",
        })
    }
}

/// Every country in the table, sorted by code.
#[must_use]
pub fn countries() -> Vec<&'static CountryInfo> {
    let mut all: Vec<_> = TABLES.countries.values().collect();
    all.sort_by(|a, b| a.alpha2.cmp(&b.alpha2));
    all
}

/// Every subdivision in the table, sorted by code.
#[must_use]
pub fn subdivisions() -> Vec<&'static SubdivisionInfo> {
    let mut all: Vec<_> = TABLES.subdivisions.values().collect();
    all.sort_by(|a, b| a.code.cmp(&b.code));
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_complete() {
        assert_eq!(countries().len(), 249);
        let us_states = subdivisions()
            .iter()
            .filter(|s| s.country == "US" && (s.kind == "state" || s.kind == "district"))
            .count();
        assert_eq!(us_states, 51);
        assert_eq!(
            subdivisions().iter().filter(|s| s.country == "KR").count(),
            17
        );
    }

    #[test]
    fn parses_codes() {
        assert_eq!(Country::parse("kor").unwrap().code(), "KR");
        assert_eq!(
            Country::parse("TW").unwrap().name(),
            "Taiwan, Province of China"
        );
        let ca = Jurisdiction::parse("us-ca").unwrap();
        assert_eq!(ca.to_string(), "US-CA");
        assert_eq!(ca.country.code(), "US");
        assert_eq!(ca.subdivision_info().unwrap().name, "California");
        let json = serde_json::to_string(&ca).unwrap();
        assert_eq!(json, "\"US-CA\"");
        assert_eq!(serde_json::from_str::<Jurisdiction>(&json).unwrap(), ca);
    }

    #[test]
    fn rejects_unknown_codes() {
        assert_eq!(
            Country::parse("XX").unwrap_err().to_string(),
            "unknown country code `XX` (expected an ISO 3166-1 alpha-2 or alpha-3 code)"
        );
        assert!(Jurisdiction::parse("US-ZZ").is_err());
        assert!(Country::parse("").is_err());
    }
}
