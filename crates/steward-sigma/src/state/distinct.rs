//! Distinct values in a sliding event-time window (`value_count`).
//!
//! Exact up to a cap of distinct values per group: a map from value hash to
//! the time it was last seen, and a time-ordered queue to expire values
//! whose last sighting left the window. The count is the map's size, so an
//! event costs O(1) amortised whatever the number of distinct values, which
//! is what rsigma-eval 0.23 lacks (it rebuilds a set of the whole window on
//! every event).
//!
//! Beyond the cap the group switches to HyperLogLog sketches, one per
//! sixteenth of the timespan, plus a running union of the sketches still in
//! the window: the count is then an estimate (standard error ≈ 1.6 %), and
//! the window's old edge is rounded out to a sixteenth of the timespan.
//! Memory per group is bounded by the cap (exact) or by 18 sketches of 4 KiB
//! (approximate).

use std::collections::{HashSet, VecDeque};

use serde::{Deserialize, Serialize};

use super::fast::FastMap;
use super::hll::Hll;
use super::ring::Ring;

/// Sub-windows of the timespan in approximate mode.
pub(crate) const SLICES: i64 = 16;

/// Distinct values a group holds without a map.
const SMALL: usize = 16;

/// A sliding-window distinct counter.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Distinct {
    /// Exact: value hash → last time seen, and sightings in time order.
    ///
    /// A group with few values (most: one source IP, one principal) keeps
    /// no map: while `last_seen` is empty the queue holds each value once,
    /// at its last sighting, and is searched directly.
    Exact {
        /// Last sighting of each value in the window; empty in the small
        /// form.
        last_seen: FastMap<u64, i64>,
        /// Sightings, oldest first; stale ones (value seen again later) are
        /// skipped on expiry and dropped by compaction.
        queue: Ring<(i64, u64), 4>,
    },
    /// Approximate, past the cap.
    Approx(Box<Sliced>),
}

/// HyperLogLog sketches per slice of the timespan.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Sliced {
    /// Width of a slice, milliseconds.
    width: i64,
    /// Slice index and its sketch, oldest first.
    slices: VecDeque<(i64, Hll)>,
    /// Union of the slices still held.
    union: Hll,
}

impl Default for Distinct {
    fn default() -> Self {
        Self::Exact {
            last_seen: FastMap::default(),
            queue: Ring::default(),
        }
    }
}

impl Distinct {
    /// Records `hash` seen at `time`; values last seen before `cutoff` leave
    /// the window. Past `cap` distinct values the counter turns approximate.
    pub(crate) fn insert(&mut self, time: i64, hash: u64, cutoff: i64, span: i64, cap: usize) {
        match self {
            Self::Exact { last_seen, queue } if last_seen.is_empty() => {
                let seen = queue.iter().position(|&(_, h)| h == hash);
                if let Some(at) = seen {
                    queue.remove(at);
                } else if queue.len() >= SMALL.min(cap) {
                    // Too many for the small form: index them.
                    last_seen.extend(queue.iter().map(|&(t, h)| (h, t)));
                    return self.insert(time, hash, cutoff, span, cap);
                }
                queue.push_back((time, hash));
            }
            Self::Exact { last_seen, queue } => {
                last_seen.insert(hash, time);
                queue.push_back((time, hash));
                if last_seen.len() > cap {
                    let sliced = Sliced::from_exact(last_seen, span);
                    *self = Self::Approx(Box::new(sliced));
                    self.expire(cutoff);
                    return;
                }
                if queue.len() > 2 * last_seen.len() + 64 {
                    compact(last_seen, queue);
                }
            }
            Self::Approx(sliced) => sliced.insert(time, hash),
        }
        self.expire(cutoff);
    }

    /// Drops what left the window.
    pub(crate) fn expire(&mut self, cutoff: i64) {
        match self {
            Self::Exact { last_seen, queue } => {
                let small = last_seen.is_empty();
                while let Some(&(t, h)) = queue.front() {
                    if t >= cutoff {
                        break;
                    }
                    queue.pop_front();
                    if !small && last_seen.get(&h) == Some(&t) {
                        last_seen.remove(&h);
                    }
                }
            }
            Self::Approx(sliced) => sliced.expire(cutoff),
        }
    }

    /// Distinct values in the window (an estimate when approximate).
    #[must_use]
    pub(crate) fn count(&self) -> f64 {
        match self {
            Self::Exact { last_seen, queue } if last_seen.is_empty() => queue.len() as f64,
            Self::Exact { last_seen, .. } => last_seen.len() as f64,
            Self::Approx(sliced) => sliced.union.estimate(),
        }
    }

    /// Whether the count is an estimate.
    #[must_use]
    pub(crate) const fn is_approximate(&self) -> bool {
        matches!(self, Self::Approx(_))
    }

    /// Whether nothing is left in the window.
    #[must_use]
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Self::Exact { last_seen, queue } => last_seen.is_empty() && queue.is_empty(),
            Self::Approx(sliced) => sliced.slices.is_empty(),
        }
    }

    /// Checks invariants after deserialising untrusted state.
    #[must_use]
    pub(crate) fn is_consistent(&self) -> bool {
        match self {
            Self::Exact { last_seen, queue } if last_seen.is_empty() => {
                let values: HashSet<u64> = queue.iter().map(|&(_, h)| h).collect();
                values.len() == queue.len()
                    && queue.len() <= SMALL
                    && queue
                        .iter()
                        .zip(queue.iter().skip(1))
                        .all(|(a, b)| a.0 <= b.0)
            }
            Self::Exact { last_seen, queue } => {
                let sightings: HashSet<(i64, u64)> = queue.iter().copied().collect();
                queue
                    .iter()
                    .zip(queue.iter().skip(1))
                    .all(|(a, b)| a.0 <= b.0)
                    && last_seen.iter().all(|(h, t)| sightings.contains(&(*t, *h)))
            }
            Self::Approx(sliced) => {
                sliced.width > 0
                    && sliced.union.is_consistent()
                    && sliced.slices.iter().all(|(_, s)| s.is_consistent())
            }
        }
    }
}

/// Rebuilds the queue from the map: one entry per value, in time order.
fn compact(last_seen: &FastMap<u64, i64>, queue: &mut Ring<(i64, u64), 4>) {
    let mut entries: Vec<(i64, u64)> = last_seen.iter().map(|(h, t)| (*t, *h)).collect();
    entries.sort_unstable();
    queue.clear();
    queue.extend(entries);
}

impl Sliced {
    fn from_exact(last_seen: &FastMap<u64, i64>, span: i64) -> Self {
        let mut sliced = Self {
            width: (span / SLICES).max(1),
            slices: VecDeque::new(),
            union: Hll::new(),
        };
        let mut entries: Vec<(i64, u64)> = last_seen.iter().map(|(h, t)| (*t, *h)).collect();
        entries.sort_unstable();
        for (t, h) in entries {
            sliced.insert(t, h);
        }
        sliced
    }

    fn insert(&mut self, time: i64, hash: u64) {
        let index = time.div_euclid(self.width);
        match self.slices.back_mut() {
            Some((last, sketch)) if *last == index => sketch.insert(hash),
            Some((last, _)) if *last > index => {
                // Older than the newest slice (only after a restore with a
                // different order): fold into the slice it belongs to.
                if let Some((_, sketch)) = self.slices.iter_mut().find(|(i, _)| *i == index) {
                    sketch.insert(hash);
                } else if let Some((_, sketch)) = self.slices.front_mut() {
                    sketch.insert(hash);
                }
            }
            _ => {
                let mut sketch = Hll::new();
                sketch.insert(hash);
                self.slices.push_back((index, sketch));
            }
        }
        self.union.insert(hash);
    }

    fn expire(&mut self, cutoff: i64) {
        let mut dropped = false;
        while let Some((index, _)) = self.slices.front() {
            // The slice's newest possible time is (index + 1) * width - 1.
            if (index + 1).saturating_mul(self.width) > cutoff {
                break;
            }
            self.slices.pop_front();
            dropped = true;
        }
        if dropped {
            let mut union = Hll::new();
            for (_, sketch) in &self.slices {
                union.merge(sketch);
            }
            self.union = union;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::hash::hash64;
    use super::*;

    fn h(i: u64) -> u64 {
        hash64(i.to_string().as_bytes())
    }

    #[test]
    fn exact_sliding_window() {
        let span = 100;
        let mut d = Distinct::default();
        for (t, v) in [(0, 1), (10, 2), (20, 1), (30, 3)] {
            d.insert(t, h(v), t - span, span, 1000);
        }
        assert!((d.count() - 3.0).abs() < 1e-9);
        // At t=115 the window is [15, 115]: value 2 (seen at 10) left.
        d.insert(115, h(4), 15, span, 1000);
        assert!((d.count() - 3.0).abs() < 1e-9);
        // At t=121: value 1 was last seen at 20 → gone; 3 and 4 stay.
        d.expire(21);
        assert!((d.count() - 2.0).abs() < 1e-9);
        assert!(d.is_consistent());
    }

    /// The small form, its move to the map and back (the map empties as
    /// values leave), against a plain model of the window.
    #[test]
    fn small_and_indexed_forms_count_like_a_plain_window() {
        let span = 50;
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for values in [3u64, 12, 17, 40] {
            let mut d = Distinct::default();
            let mut model: std::collections::BTreeMap<u64, i64> = Default::default();
            let mut t = 0i64;
            for _ in 0..3_000 {
                t += next(4) as i64 * if next(50) == 0 { 40 } else { 1 };
                let v = next(values);
                let cutoff = t - span;
                d.insert(t, h(v), cutoff, span, 1_000);
                model.insert(v, t);
                model.retain(|_, seen| *seen >= cutoff);
                assert!((d.count() - model.len() as f64).abs() < 1e-9, "t={t}");
                assert_eq!(d.is_empty(), model.is_empty());
                assert!(d.is_consistent());
            }
            d.expire(t + 1);
            assert!(d.is_empty() && d.count() < 1.0);
        }
        // A cap below the small form's size still turns approximate.
        let mut d = Distinct::default();
        for i in 0..10u64 {
            d.insert(i as i64, h(i), -1, 1_000, 4);
        }
        assert!(d.is_approximate());
    }

    #[test]
    fn compaction_keeps_the_count() {
        let span = 1_000_000;
        let mut d = Distinct::default();
        for t in 0..10_000i64 {
            d.insert(t, h((t % 7) as u64), t - span, span, 1000);
        }
        assert!((d.count() - 7.0).abs() < 1e-9);
        if let Distinct::Exact { queue, .. } = &d {
            assert!(queue.len() <= 2 * 7 + 64 + 1);
        }
        assert!(d.is_consistent());
    }

    #[test]
    fn turns_approximate_past_the_cap() {
        let span = 3_600_000;
        let mut d = Distinct::default();
        for i in 0..50_000u64 {
            let t = i as i64 * 10;
            d.insert(t, h(i), t - span, span, 1_000);
        }
        assert!(d.is_approximate());
        let est = d.count();
        assert!((est - 50_000.0).abs() / 50_000.0 < 0.05, "{est}");
        // Slide an hour past the last event: everything expires.
        d.expire(500_000 + span + span / SLICES);
        assert!(d.is_empty());
        assert!(d.count() < 1.0);
    }
}
