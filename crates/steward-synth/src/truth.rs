//! Ground truth written beside the platform: every planted personal-data
//! value and where it is, every attack event, and the exact people each
//! attack affected, by jurisdiction and data category.

use std::collections::BTreeMap;

use roaring::RoaringTreemap;
use serde::Serialize;
use steward_model::category::keys;

use crate::people::{self, PersonRef};
use crate::traffic::Record;
use crate::traffic::records::{Attack, RecordKind, Request, request_id};
use crate::traffic::slice_routes as routes;

/// A structured column holding personal data.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnTruth {
    /// Dataset id (as in the manifest).
    pub dataset: String,
    /// File path relative to the output folder.
    pub path: String,
    /// `table.column`, JSON path or CSV header.
    pub location: String,
    /// Data category.
    pub category: &'static str,
    /// Detector expected to classify it.
    pub detector: &'static str,
    /// Non-empty values written.
    pub values: u64,
    /// Rows written.
    pub rows: u64,
}

/// `(dataset, path, location, category, detector)`.
type ColumnKey = (String, String, String, &'static str, &'static str);

/// Counts of the values written per column.
#[derive(Debug, Default)]
pub struct Columns {
    map: BTreeMap<ColumnKey, (u64, u64)>,
}

impl Columns {
    /// Counts `values` values over `rows` rows in a column.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        dataset: &str,
        path: &str,
        location: &str,
        category: &'static str,
        detector: &'static str,
        values: u64,
        rows: u64,
    ) {
        let e = self
            .map
            .entry((
                dataset.to_owned(),
                path.to_owned(),
                location.to_owned(),
                category,
                detector,
            ))
            .or_default();
        e.0 += values;
        e.1 += rows;
    }

    /// The rows of the truth file.
    #[must_use]
    pub fn rows(&self) -> Vec<ColumnTruth> {
        self.map
            .iter()
            .filter(|(_, (v, _))| *v > 0)
            .map(
                |((dataset, path, location, category, detector), (values, rows))| ColumnTruth {
                    dataset: dataset.clone(),
                    path: path.clone(),
                    location: location.clone(),
                    category,
                    detector,
                    values: *values,
                    rows: *rows,
                },
            )
            .collect()
    }
}

/// One value planted in free text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TextTruth {
    /// File path relative to the output folder.
    pub path: String,
    /// 1-based line.
    pub line: u64,
    /// Byte offset of the value from the start of the file (text files) or
    /// of the field's decoded string (JSON Lines).
    pub offset: u64,
    /// JSON path of the field, for JSON Lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// Detector expected to find it.
    pub detector: &'static str,
    /// Data category.
    pub category: &'static str,
    /// The value (synthetic, so the truth keeps it raw).
    pub value: String,
}

/// Categories an API route returns about its subject, and about the people
/// listed in the subject's address book (as declared in the manifest).
#[must_use]
pub fn route_categories(route: &str) -> (&'static [&'static str], &'static [&'static str]) {
    use keys::*;
    match route {
        routes::PROFILE => (&[NAME, EMAIL, PHONE], &[]),
        routes::ADDRESSES => (
            &[NAME, PHONE, STREET, POSTAL_CODE, ENTRANCE_CODE],
            &[NAME, PHONE, STREET, POSTAL_CODE, ENTRANCE_CODE],
        ),
        routes::ORDERS => (&[PURCHASE_HISTORY, NAME, PHONE, STREET], &[]),
        routes::CS_MEMBER => (
            &[
                NAME,
                EMAIL,
                PHONE,
                STREET,
                POSTAL_CODE,
                DATE_OF_BIRTH,
                PURCHASE_HISTORY,
            ],
            &[],
        ),
        routes::PARTNER_SHIPPING => (&[NAME, PHONE, STREET, POSTAL_CODE, ENTRANCE_CODE], &[]),
        routes::BATCH_PROFILE => (&[NAME, EMAIL, PHONE, DATE_OF_BIRTH], &[]),
        _ => (&[], &[]),
    }
}

/// Categories in a fixed order, for bit masks.
const CATEGORIES: [&str; 8] = [
    keys::NAME,
    keys::EMAIL,
    keys::PHONE,
    keys::STREET,
    keys::POSTAL_CODE,
    keys::ENTRANCE_CODE,
    keys::PURCHASE_HISTORY,
    keys::DATE_OF_BIRTH,
];

fn mask_of(cats: &[&str]) -> u16 {
    cats.iter()
        .filter_map(|c| CATEGORIES.iter().position(|k| k == c))
        .fold(0, |m, i| m | (1 << i))
}

fn categories_of(mask: u16) -> Vec<&'static str> {
    CATEGORIES
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0)
        .map(|(_, c)| *c)
        .collect()
}

const ROUTES: [&str; 6] = [
    routes::PROFILE,
    routes::ADDRESSES,
    routes::ORDERS,
    routes::CS_MEMBER,
    routes::PARTNER_SHIPPING,
    routes::BATCH_PROFILE,
];

/// Summary of one attack.
#[derive(Debug, Clone, Serialize, Default)]
pub struct AttackTruth {
    /// Gateway and auth records the attack produced.
    pub events: u64,
    /// First event, RFC 3339.
    pub first_event: Option<String>,
    /// Last event, RFC 3339.
    pub last_event: Option<String>,
    /// Forged tokens presented (replay only).
    pub forged_tokens: u64,
    /// Members whose records were returned to the attacker.
    pub affected_customers: u64,
    /// Third parties (non-members) whose details were returned.
    pub affected_third_parties: u64,
    /// Affected people by jurisdiction and category.
    pub by_jurisdiction: BTreeMap<String, BTreeMap<&'static str, u64>>,
    /// Affected people by jurisdiction.
    pub people_by_jurisdiction: BTreeMap<String, u64>,
}

/// Collects attack events as the traffic streams past.
#[derive(Debug, Default)]
pub struct AttackCollector {
    touched: BTreeMap<Attack, [RoaringTreemap; 6]>,
    stats: BTreeMap<Attack, (u64, i64, i64, u64)>,
}

impl AttackCollector {
    /// Looks at one record; returns the attack-event truth line for it.
    pub fn observe(&mut self, rec: &Record) -> Option<(Attack, String)> {
        let attack = rec.attack?;
        let s = self
            .stats
            .entry(attack)
            .or_insert((0, i64::MAX, i64::MIN, 0));
        s.0 += 1;
        s.1 = s.1.min(rec.ts);
        s.2 = s.2.max(rec.ts);
        let mut log = "auth";
        if let RecordKind::Gateway(Request {
            route,
            member: Some(m),
            status: 200,
            ..
        }) = &rec.kind
        {
            log = "gateway";
            if let Some(i) = ROUTES.iter().position(|r| r == route) {
                let sets = self.touched.entry(attack).or_default();
                if let Some(set) = sets.get_mut(i) {
                    set.insert(*m);
                }
            }
        } else if matches!(rec.kind, RecordKind::Gateway(_)) {
            log = "gateway";
        }
        if attack == Attack::Replay
            && matches!(
                rec.kind,
                RecordKind::Gateway(Request {
                    route: routes::PROFILE,
                    ..
                })
            )
        {
            s.3 += 1;
        }
        Some((
            attack,
            format!(
                "{{\"event_id\":\"{}\",\"log\":\"{log}\",\"attack\":\"{}\"}}\n",
                request_id(rec.seq),
                attack.name()
            ),
        ))
    }

    /// Resolves the affected people of every attack. `emit` receives one JSON
    /// line per affected person.
    pub fn finish(
        &self,
        seed: u64,
        customers: u64,
        mut emit: impl FnMut(&str),
    ) -> BTreeMap<&'static str, AttackTruth> {
        let mut out = BTreeMap::new();
        for attack in Attack::ALL {
            let Some(&(events, first, last, forged)) = self.stats.get(&attack) else {
                continue;
            };
            let mut truth = AttackTruth {
                events,
                first_event: Some(steward_model::time::rfc3339_millis(first)),
                last_event: Some(steward_model::time::rfc3339_millis(last)),
                forged_tokens: if attack == Attack::Replay { forged } else { 0 },
                ..AttackTruth::default()
            };
            let empty: [RoaringTreemap; 6] = Default::default();
            let sets = self.touched.get(&attack).unwrap_or(&empty);
            let mut direct = RoaringTreemap::new();
            for set in sets {
                direct |= set;
            }
            let mut related_members = RoaringTreemap::new();
            let mut related_third = RoaringTreemap::new();
            let mut related_mask = 0u16;
            for (route, set) in ROUTES.iter().zip(sets.iter()) {
                let rel = mask_of(route_categories(route).1);
                if rel == 0 {
                    continue;
                }
                related_mask |= rel;
                for m in set {
                    for e in people::address_book(seed, m, customers) {
                        match e.who {
                            PersonRef::Customer(c) => related_members.insert(c),
                            PersonRef::ThirdParty(t) => related_third.insert(t),
                        };
                    }
                }
            }
            let mut record = |who: PersonRef, mask: u16| {
                let residence = people::resolve(seed, who).residence;
                let jurisdiction = match (residence.country, &residence.subdivision) {
                    ("US", Some(s)) => s.clone(),
                    (c, _) => c.to_owned(),
                };
                let kind = match who {
                    PersonRef::Customer(_) => {
                        truth.affected_customers += 1;
                        "customer"
                    }
                    PersonRef::ThirdParty(_) => {
                        truth.affected_third_parties += 1;
                        "third_party"
                    }
                };
                *truth
                    .people_by_jurisdiction
                    .entry(jurisdiction.clone())
                    .or_default() += 1;
                let cats = categories_of(mask);
                let per = truth
                    .by_jurisdiction
                    .entry(jurisdiction.clone())
                    .or_default();
                for c in &cats {
                    *per.entry(c).or_default() += 1;
                }
                let line = serde_json::json!({
                    "attack": attack.name(), "person": who.key(), "kind": kind,
                    "jurisdiction": jurisdiction, "categories": cats,
                });
                emit(&format!("{line}\n"));
            };
            for m in &(&direct | &related_members) {
                let mut mask = 0u16;
                for (route, set) in ROUTES.iter().zip(sets.iter()) {
                    if set.contains(m) {
                        mask |= mask_of(route_categories(route).0);
                    }
                }
                if related_members.contains(m) {
                    mask |= related_mask;
                }
                record(PersonRef::Customer(m), mask);
            }
            for t in &related_third {
                record(PersonRef::ThirdParty(t), related_mask);
            }
            out.insert(attack.name(), truth);
        }
        out
    }
}

/// True for an IPv4 address a detector should report as a person's: not
/// private, loopback, link-local, shared, documentation, multicast or
/// reserved (the same policy as steward's `IP_ADDRESS` detector).
#[must_use]
pub fn is_public_v4(ip: u32) -> bool {
    let a = std::net::Ipv4Addr::from(ip);
    let [o1, o2, o3, _] = a.octets();
    !(a.is_private()
        || a.is_loopback()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_multicast()
        || a.is_broadcast()
        || (o1 == 100 && (64..128).contains(&o2))
        || (o1 == 192 && o2 == 0 && o3 == 2)
        || (o1 == 198 && o2 == 51 && o3 == 100)
        || (o1 == 203 && o2 == 0 && o3 == 113)
        || o1 == 0
        || o1 >= 240)
}
