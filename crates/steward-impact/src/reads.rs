//! What the query returned, folded into compressed id sets: the members read
//! per route, the members read per hour (for the time line), and the event
//! counts per hour.

use std::collections::BTreeMap;

use roaring::RoaringTreemap;

use crate::categories::{Categories, Mask};
use crate::query::{HOUR_MS, ReadGroup};

/// The selected events, folded.
#[derive(Debug, Default)]
pub struct Reads {
    /// Matching access events.
    pub events: u64,
    /// Of which successful reads of a member's records.
    pub reads: u64,
    /// First matching event, epoch ms.
    pub first_ms: Option<i64>,
    /// Last matching event, epoch ms.
    pub last_ms: Option<i64>,
    /// Members read, per route.
    pub by_route: BTreeMap<String, RoaringTreemap>,
    /// Events per hour.
    pub hour_events: BTreeMap<i64, u64>,
    /// Members read per hour.
    pub hour_members: BTreeMap<i64, RoaringTreemap>,
    /// Members read through a route that returns related people, per hour.
    pub hour_owners: BTreeMap<i64, RoaringTreemap>,
}

impl Reads {
    /// Adds one group; `categories` says which routes return related people.
    pub fn add(&mut self, g: &ReadGroup, categories: &Categories) {
        self.events += g.events;
        self.first_ms = Some(self.first_ms.map_or(g.first_ms, |f| f.min(g.first_ms)));
        self.last_ms = Some(self.last_ms.map_or(g.last_ms, |l| l.max(g.last_ms)));
        *self.hour_events.entry(g.hour).or_default() += g.events;
        let (true, Some(m)) = (g.read, g.member) else {
            return;
        };
        self.reads += g.events;
        match self.by_route.get_mut(&g.route) {
            Some(set) => {
                set.insert(m);
            }
            None => {
                self.by_route
                    .insert(g.route.clone(), std::iter::once(m).collect());
            }
        }
        self.hour_members.entry(g.hour).or_default().insert(m);
        if categories.route(&g.route).1 != 0 {
            self.hour_owners.entry(g.hour).or_default().insert(m);
        }
    }

    /// Every member read.
    #[must_use]
    pub fn members(&self) -> RoaringTreemap {
        let mut all = RoaringTreemap::new();
        for s in self.by_route.values() {
            all |= s;
        }
        all
    }

    /// Owners whose related people were returned, grouped by the related
    /// categories returned (the union over the routes each was read through).
    #[must_use]
    pub fn owners_by_mask(&self, categories: &Categories) -> BTreeMap<Mask, RoaringTreemap> {
        let mut by_route_mask: BTreeMap<Mask, RoaringTreemap> = BTreeMap::new();
        for (route, set) in &self.by_route {
            let related = categories.route(route).1;
            if related != 0 {
                *by_route_mask.entry(related).or_default() |= set;
            }
        }
        // An owner read through two routes with different related
        // categories gets both: split the sets into disjoint parts.
        let mut out: BTreeMap<Mask, RoaringTreemap> = BTreeMap::new();
        for (mask, set) in by_route_mask {
            let mut rest = set;
            let keys: Vec<Mask> = out.keys().copied().collect();
            for k in keys {
                let Some(existing) = out.get(&k) else {
                    continue;
                };
                let both = existing & &rest;
                if both.is_empty() {
                    continue;
                }
                rest -= &both;
                if let Some(e) = out.get_mut(&k) {
                    *e -= &both;
                }
                *out.entry(k | mask).or_default() |= both;
            }
            if !rest.is_empty() {
                *out.entry(mask).or_default() |= rest;
            }
        }
        out.retain(|_, s| !s.is_empty());
        out
    }
}

/// Time line buckets: hours for a selection of up to three days, days
/// beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buckets {
    /// Bucket width in hours.
    pub hours: i64,
}

impl Buckets {
    /// Buckets for events between `first_ms` and `last_ms`.
    #[must_use]
    pub const fn for_span(first_ms: i64, last_ms: i64) -> Self {
        if last_ms - first_ms <= 3 * 24 * HOUR_MS {
            Self { hours: 1 }
        } else {
            Self { hours: 24 }
        }
    }

    /// The bucket of an hour (its start, in hours since the epoch).
    #[must_use]
    pub const fn of(self, hour: i64) -> i64 {
        hour.div_euclid(self.hours) * self.hours
    }

    /// Sets per hour merged into sets per bucket.
    #[must_use]
    pub fn coarsen(self, by_hour: &BTreeMap<i64, RoaringTreemap>) -> BTreeMap<i64, RoaringTreemap> {
        let mut out: BTreeMap<i64, RoaringTreemap> = BTreeMap::new();
        for (h, set) in by_hour {
            *out.entry(self.of(*h)).or_default() |= set;
        }
        out
    }
}

/// For each id, the first bucket whose set holds it, as disjoint sets.
#[must_use]
pub fn first_seen(by_bucket: &BTreeMap<i64, RoaringTreemap>) -> BTreeMap<i64, RoaringTreemap> {
    let mut seen = RoaringTreemap::new();
    let mut out = BTreeMap::new();
    for (b, set) in by_bucket {
        let new = set - &seen;
        seen |= &new;
        if !new.is_empty() {
            out.insert(*b, new);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_model::manifest::{Endpoint, Manifest};

    fn categories() -> Categories {
        let text = "version: 1\norganization: {name: x, established_in: KR}\nsystems: []\n";
        let mut m: Manifest = serde_norway::from_str(text).unwrap();
        let e = |route: &str, own: &str, rel: &[&str]| Endpoint {
            method: "GET".into(),
            route: route.into(),
            returns: vec![own.into()],
            returns_related: rel.iter().map(|s| (*s).to_owned()).collect(),
            related_dataset: None,
        };
        m.endpoints = vec![
            e("/a", "user.name", &["user.name"]),
            e("/b", "user.name", &["user.contact.phone_number"]),
            e("/p", "user.name", &[]),
        ];
        Categories::new(Some(&m), &[])
    }

    fn group(member: u64, route: &str, read: bool, hour: i64) -> ReadGroup {
        ReadGroup {
            member: Some(member),
            route: route.into(),
            read,
            hour,
            events: 2,
            first_ms: hour * HOUR_MS,
            last_ms: hour * HOUR_MS + 5,
        }
    }

    #[test]
    fn groups_fold_into_sets_and_counts() {
        let c = categories();
        let mut r = Reads::default();
        r.add(&group(1, "/a", true, 10), &c);
        r.add(&group(2, "/p", true, 11), &c);
        r.add(&group(3, "/p", false, 11), &c);
        assert_eq!((r.events, r.reads), (6, 4));
        assert_eq!(r.members().iter().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(r.hour_owners.len(), 1);
        assert_eq!(r.first_ms, Some(10 * HOUR_MS));
        assert_eq!(r.last_ms, Some(11 * HOUR_MS + 5));
    }

    #[test]
    fn owners_read_through_two_related_routes_get_both_masks() {
        let c = categories();
        let mut r = Reads::default();
        r.add(&group(1, "/a", true, 1), &c);
        r.add(&group(2, "/a", true, 1), &c);
        r.add(&group(2, "/b", true, 1), &c);
        r.add(&group(3, "/b", true, 1), &c);
        let (a, b) = (c.route("/a").1, c.route("/b").1);
        let by = r.owners_by_mask(&c);
        let ids = |m: Mask| by.get(&m).map(|s| s.iter().collect::<Vec<_>>());
        assert_eq!(ids(a), Some(vec![1]));
        assert_eq!(ids(b), Some(vec![3]));
        assert_eq!(ids(a | b), Some(vec![2]));
    }

    #[test]
    fn first_seen_sets_are_disjoint_and_ordered() {
        let mut by = BTreeMap::new();
        by.insert(2, [1_u64, 2].into_iter().collect::<RoaringTreemap>());
        by.insert(1, [2_u64, 3].into_iter().collect());
        let first = first_seen(&by);
        assert_eq!(first[&1].iter().collect::<Vec<_>>(), [2, 3]);
        assert_eq!(first[&2].iter().collect::<Vec<_>>(), [1]);
        let b = Buckets::for_span(0, 10 * 24 * HOUR_MS);
        assert_eq!((b.hours, b.of(49)), (24, 48));
    }
}
