//! The terminal summary of an impact: totals, the time span, a table of
//! jurisdictions by data category (US states under the US), how
//! jurisdictions were established, and the notes. Counts only; no personal
//! data.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use steward_model::impact::{ImpactSummary, JurisdictionBasis, JurisdictionImpact};

/// A category key's last segment (`user.contact.email` → `email`).
fn short(category: &str) -> &str {
    category.rsplit('.').next().unwrap_or(category)
}

fn basis_name(b: JurisdictionBasis) -> &'static str {
    match b {
        JurisdictionBasis::Declared => "declared",
        JurisdictionBasis::InferredFromPhone => "phone",
        JurisdictionBasis::InferredFromAddress => "address",
        JurisdictionBasis::Unknown => "unknown",
    }
}

/// Renders the summary and notes as text.
#[must_use]
pub fn table(s: &ImpactSummary, notes: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "impact of {}", s.selector);
    let at = |t: Option<jiff::Timestamp>| t.map_or_else(|| "-".to_owned(), |t| t.to_string());
    let _ = writeln!(
        out,
        "{} event(s), {} read(s) of member records, {} → {}",
        s.events,
        s.reads,
        at(s.first_access),
        at(s.last_access)
    );
    let _ = writeln!(
        out,
        "{} people affected: {} customer(s), {} third part{} (people listed in customers' records)\n",
        s.people,
        s.customers,
        s.third_parties,
        if s.third_parties == 1 { "y" } else { "ies" }
    );
    let cats: BTreeSet<&str> = s
        .by_country
        .values()
        .flat_map(|j| j.by_category.keys().map(String::as_str))
        .collect();
    let mut header = vec![
        "jurisdiction".to_owned(),
        "people".to_owned(),
        "customers".to_owned(),
        "third".to_owned(),
    ];
    header.extend(cats.iter().map(|c| short(c).to_owned()));
    header.push("inferred".to_owned());
    let mut rows = vec![header];
    let row = |name: String, j: &JurisdictionImpact| {
        let mut r = vec![
            name,
            j.people.to_string(),
            j.customers.to_string(),
            j.third_parties.to_string(),
        ];
        r.extend(cats.iter().map(|c| {
            j.by_category
                .get(*c)
                .copied()
                .unwrap_or_default()
                .to_string()
        }));
        r.push(
            j.inferred
                .iter()
                .map(|(b, n)| format!("{n} by {}", basis_name(*b)))
                .collect::<Vec<_>>()
                .join(", "),
        );
        r
    };
    let mut countries: Vec<(&String, &JurisdictionImpact)> = s.by_country.iter().collect();
    countries.sort_by(|a, b| b.1.people.cmp(&a.1.people).then(a.0.cmp(b.0)));
    for (country, j) in countries {
        rows.push(row(country.clone(), j));
        let prefix = format!("{country}-");
        if country == "US" {
            for (sub, j) in s
                .by_subdivision
                .iter()
                .filter(|(k, _)| k.starts_with(&prefix))
            {
                rows.push(row(format!("  {sub}"), j));
            }
        }
    }
    let widths: Vec<usize> = (0..rows.first().map_or(0, Vec::len))
        .map(|i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.chars().count()))
                .max()
                .unwrap_or_default()
        })
        .collect();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(i, (c, w))| {
                if i == 0 || i + 1 == r.len() {
                    format!("{c:<w$}")
                } else {
                    format!("{c:>w$}")
                }
            })
            .collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    if let Some(peak) = s.timeline.iter().max_by_key(|b| b.new_people) {
        let _ = writeln!(
            out,
            "\ntime line: {} bucket(s); most people first exposed in the one starting {} ({})",
            s.timeline.len(),
            peak.start,
            peak.new_people
        );
    }
    for n in notes {
        let _ = writeln!(out, "note: {n}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_table_lists_countries_states_and_categories() {
        let j = |people, third| JurisdictionImpact {
            people,
            customers: people - third,
            third_parties: third,
            by_category: BTreeMap::from([("user.name".to_owned(), people)]),
            inferred: if third > 0 {
                BTreeMap::from([(JurisdictionBasis::InferredFromPhone, third)])
            } else {
                BTreeMap::new()
            },
        };
        let s = ImpactSummary {
            selector: "key=member-2021 forged-only".into(),
            first_access: None,
            last_access: None,
            events: 10,
            reads: 8,
            people: 5,
            customers: 4,
            third_parties: 1,
            by_country: BTreeMap::from([("KR".to_owned(), j(4, 1)), ("US".to_owned(), j(1, 0))]),
            by_subdivision: BTreeMap::from([("US-CA".to_owned(), j(1, 0))]),
            timeline: Vec::new(),
        };
        let text = table(&s, &["a note".to_owned()]);
        insta::assert_snapshot!(text);
    }
}
