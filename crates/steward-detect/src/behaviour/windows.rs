//! Tumbling event-time windows per principal, for the windowed detectors.
//!
//! Windows are aligned to the epoch (`[n · width, (n + 1) · width)`), so
//! their bounds, and the alert ids derived from them, depend only on the
//! events. A window closes once the watermark reaches its end; an event
//! older than the last watermark is late and left out.

use std::collections::BTreeMap;

use crate::HashMap;
use std::net::IpAddr;

use compact_str::CompactString;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use steward_model::event::{AccessEvent, Outcome, PrincipalKind};

use crate::detector::EventRole;
use crate::evidence::Evidence;

/// Source addresses kept per slot for a detection's actors.
pub const ADDRESSES: usize = 3;

/// One principal in one window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Slot<A> {
    /// Principal kind (of its first event in the window).
    pub kind: PrincipalKind,
    /// Peer group.
    pub group: CompactString,
    /// What the detector accumulates.
    pub acc: A,
    /// Reads counted.
    pub evidence: Evidence,
    /// The first few distinct source addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ips: Vec<IpAddr>,
    /// The first API key id seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
}

impl<A> Slot<A> {
    /// Notes an event's evidence and actor attributes.
    pub fn note(&mut self, event: &AccessEvent) {
        self.evidence.add(event.time_ms, &event.event_id);
        if self.ips.len() < ADDRESSES
            && let Some(ip) = event.source.ip
            && !self.ips.contains(&ip)
        {
            self.ips.push(ip);
        }
        if self.api_key.is_none() {
            self.api_key.clone_from(&event.credential.api_key_id);
        }
    }

    /// `principal:<id>`, `api_key:<id>`, then up to three `ip:<addr>`.
    #[must_use]
    pub fn actors(&self, principal: &str) -> Vec<String> {
        let mut out = vec![format!("principal:{principal}")];
        if let Some(key) = &self.api_key {
            out.push(format!("api_key:{key}"));
        }
        let mut ips = self.ips.clone();
        ips.sort();
        out.extend(ips.into_iter().map(|ip| format!("ip:{ip}")));
        out
    }
}

/// Start of the epoch-aligned window of width `width_ms` that holds
/// `time_ms`.
#[must_use]
pub const fn window_start(time_ms: i64, width_ms: i64) -> i64 {
    time_ms.div_euclid(width_ms).saturating_mul(width_ms)
}

/// A read as the windowed detectors see it.
pub struct Read<'a> {
    /// The event.
    pub event: &'a AccessEvent,
    /// Whether only the principal's own record was read (a customer on its
    /// own account).
    pub own_only: bool,
}

impl Read<'_> {
    /// Subjects other than a customer's own id.
    pub fn others(&self) -> impl Iterator<Item = &str> {
        let own = (self.event.principal.kind == PrincipalKind::Customer)
            .then_some(self.event.principal.id.as_str());
        self.event
            .subjects
            .iter()
            .map(String::as_str)
            .filter(move |s| Some(*s) != own)
    }
}

/// Whether `event` is a read that counts: an access that succeeded, by a
/// named principal, with at least one subject.
#[must_use]
pub fn read(event: &AccessEvent, role: EventRole) -> Option<Read<'_>> {
    if role != EventRole::Access
        || event.outcome != Outcome::Success
        || event.subjects.is_empty()
        || event.principal.id.is_empty()
    {
        return None;
    }
    let own_only = event.principal.kind == PrincipalKind::Customer
        && event.subjects.iter().all(|s| *s == event.principal.id);
    Some(Read { event, own_only })
}

/// Open windows by start, each with its principals' slots.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "A: Serialize",
    deserialize = "A: DeserializeOwned + Default"
))]
pub struct Windows<A> {
    /// The last watermark, epoch ms.
    pub watermark_ms: Option<i64>,
    open: BTreeMap<i64, Window<A>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound(
    serialize = "A: Serialize",
    deserialize = "A: DeserializeOwned + Default"
))]
struct Window<A> {
    #[serde(serialize_with = "super::baseline::sorted")]
    slots: HashMap<CompactString, Slot<A>>,
}

impl<A> Default for Windows<A> {
    fn default() -> Self {
        Self {
            watermark_ms: None,
            open: BTreeMap::new(),
        }
    }
}

/// A closed window: its bounds and its slots, listed by principal.
pub struct Closed<A> {
    /// Start, epoch ms.
    pub start_ms: i64,
    /// End, epoch ms.
    pub end_ms: i64,
    /// Principal and slot, as the window's table held them.
    slots: Vec<(CompactString, Slot<A>)>,
    /// Positions in `slots` in byte order of the principal ids. A slot is
    /// several hundred bytes: the slots stay where they were moved once,
    /// and only this list is sorted.
    order: Vec<u32>,
}

impl<A> Closed<A> {
    /// Principal and slot, in byte order of the principal ids.
    pub fn slots(&self) -> impl Iterator<Item = &(CompactString, Slot<A>)> + Clone {
        self.order
            .iter()
            .filter_map(|&i| self.slots.get(i as usize))
    }

    /// Principals in the window.
    #[must_use]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the window had no principal.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

impl<A: Default> Windows<A> {
    /// Whether an event at `time_ms` is late.
    #[must_use]
    pub fn is_late(&self, time_ms: i64) -> bool {
        self.watermark_ms.is_some_and(|w| time_ms < w)
    }

    /// The slot of `event`'s principal in its window (the caller checked
    /// lateness); `group` names its peer group when the slot is new.
    pub fn slot(
        &mut self,
        event: &AccessEvent,
        width_ms: i64,
        group: impl FnOnce() -> CompactString,
    ) -> Option<&mut Slot<A>> {
        let start = window_start(event.time_ms, width_ms);
        // A new window starts with room for as many principals as the
        // newest open one holds, so it does not rehash its way up to them.
        let room = self.open.last_key_value().map_or(0, |(_, w)| w.slots.len());
        let slots = &mut self
            .open
            .entry(start)
            .or_insert_with(|| Window {
                slots: HashMap::with_capacity_and_hasher(room, Default::default()),
            })
            .slots;
        crate::entry_of(slots, &event.principal.id, || Slot {
            kind: event.principal.kind,
            group: group(),
            acc: A::default(),
            evidence: Evidence::default(),
            ips: Vec::new(),
            api_key: None,
        })
    }

    /// Moves the watermark and returns the windows that ended at or before
    /// it, oldest first.
    pub fn advance(&mut self, watermark_ms: i64, width_ms: i64) -> Vec<Closed<A>> {
        let watermark = self
            .watermark_ms
            .map_or(watermark_ms, |w| w.max(watermark_ms));
        self.watermark_ms = Some(watermark);
        let mut out = Vec::new();
        while let Some(entry) = self.open.first_entry() {
            let start = *entry.key();
            let end = start.saturating_add(width_ms);
            if end > watermark {
                break;
            }
            out.push(close(start, end, entry.remove()));
        }
        out
    }

    /// Closes every window.
    pub fn finish(&mut self, width_ms: i64) -> Vec<Closed<A>> {
        let open = std::mem::take(&mut self.open);
        open.into_iter()
            .map(|(start, w)| close(start, start.saturating_add(width_ms), w))
            .collect()
    }
}

fn close<A>(start_ms: i64, end_ms: i64, window: Window<A>) -> Closed<A> {
    let slots: Vec<(CompactString, Slot<A>)> = window.slots.into_iter().collect();
    let key = |i: u32| -> &[u8] {
        slots
            .get(i as usize)
            .map_or(&b""[..], |(k, _)| k.as_bytes())
    };
    // Sorted as whole numbers: the first eight bytes of the id (big-endian,
    // so numbers order as the bytes do) above the position. Ids that share
    // their first eight bytes then sit together, and each such run is put
    // in byte order of the whole id.
    let mut sorted: Vec<u128> = slots
        .iter()
        .enumerate()
        .map(|(i, (k, _))| u128::from(head(k.as_bytes())) << 32 | i as u128)
        .collect();
    sorted.sort_unstable();
    let mut order: Vec<u32> = sorted.iter().map(|&x| x as u32).collect();
    let mut from = 0;
    while let Some(&first) = sorted.get(from) {
        let run = sorted
            .get(from..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&x| x >> 32 == first >> 32)
            .count()
            .max(1);
        if run > 1
            && let Some(tied) = order.get_mut(from..from + run)
        {
            tied.sort_unstable_by(|&a, &b| key(a).cmp(key(b)));
        }
        from += run;
    }
    Closed {
        start_ms,
        end_ms,
        slots,
        order,
    }
}

/// The first eight bytes of `key` as a big-endian number (zero-padded), so
/// that numbers order as the bytes do.
fn head(key: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    for (d, s) in w.iter_mut().zip(key) {
        *d = *s;
    }
    u64::from_be_bytes(w)
}
