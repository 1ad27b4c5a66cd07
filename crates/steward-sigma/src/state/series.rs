//! Counts and sums in a sliding event-time window (`event_count`,
//! `value_sum`, `value_avg`), and the values for `value_percentile`.
//!
//! [`Runs`] keeps one entry per event until a group holds more than a cap of
//! entries in its window; then entries that fall in the same sixteenth of
//! the timespan are merged into one run with a count and a sum. A merged run
//! leaves the window when its newest event does, so past the cap the window's
//! old edge is rounded out by at most a sixteenth of the timespan (counts and
//! sums can only be over-stated, by events of that slice).
//!
//! [`Values`] keeps the values themselves (with a sorted multiset for the
//! percentile) and, past its cap, drops the oldest: the percentile is then
//! that of the most recent `cap` values in the window.

use std::collections::{BTreeMap, VecDeque};

use serde::{Deserialize, Serialize};

use super::distinct::SLICES;
use super::ring::Ring;

/// Events merged by time slice.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Run {
    /// Oldest event time.
    first: i64,
    /// Newest event time.
    last: i64,
    /// Events.
    count: u64,
    /// Sum of their values.
    sum: f64,
}

/// A sliding window of counts and sums.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Runs {
    /// Runs, oldest first; two inline (most groups), then on the heap.
    runs: Ring<Run, 2>,
    count: u64,
    sum: f64,
    /// Whether runs were ever merged (the window edge is then rounded).
    merged: bool,
}

impl Runs {
    /// Adds an event with `value` at `time`, expires what is older than
    /// `cutoff`, and merges runs when more than `cap` are held.
    pub(crate) fn insert(&mut self, time: i64, value: f64, cutoff: i64, span: i64, cap: usize) {
        // Expired first, so a group whose old runs leave stays inline.
        self.expire(cutoff);
        self.runs.push_back(Run {
            first: time,
            last: time,
            count: 1,
            sum: value,
        });
        self.count += 1;
        self.sum += value;
        if self.runs.len() > cap.max(SLICES as usize + 2) {
            self.merge(span);
        }
    }

    fn merge(&mut self, span: i64) {
        let width = (span / SLICES).max(1);
        let mut merged: Ring<Run, 2> = Ring::default();
        for run in self.runs.take_all() {
            match merged.back_mut() {
                Some(prev) if prev.first.div_euclid(width) == run.first.div_euclid(width) => {
                    prev.last = prev.last.max(run.last);
                    prev.count += run.count;
                    prev.sum += run.sum;
                }
                _ => merged.push_back(run),
            }
        }
        self.runs = merged;
        // Recompute the sum so floating-point drift from expiry is reset.
        self.sum = self.runs.iter().map(|r| r.sum).sum();
        self.merged = true;
    }

    /// Drops runs whose newest event is older than `cutoff`.
    pub(crate) fn expire(&mut self, cutoff: i64) {
        while let Some(run) = self.runs.front() {
            if run.last >= cutoff {
                break;
            }
            self.count -= run.count.min(self.count);
            self.sum -= run.sum;
            self.runs.pop_front();
        }
        if self.runs.is_empty() {
            self.sum = 0.0;
            self.count = 0;
        }
    }

    /// Events in the window.
    #[must_use]
    pub(crate) const fn count(&self) -> u64 {
        self.count
    }

    /// Sum of values in the window.
    #[must_use]
    pub(crate) const fn sum(&self) -> f64 {
        self.sum
    }

    /// Whether the window edge has been rounded.
    #[must_use]
    pub(crate) const fn is_approximate(&self) -> bool {
        self.merged
    }

    /// Whether nothing is left.
    #[must_use]
    pub(crate) fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// Checks invariants after deserialising untrusted state.
    #[must_use]
    pub(crate) fn is_consistent(&self) -> bool {
        self.count == self.runs.iter().map(|r| r.count).sum::<u64>()
            && self.runs.iter().all(|r| r.first <= r.last && r.count > 0)
    }
}

/// Orders `f64` by total order as an integer key.
const fn order_key(v: f64) -> i64 {
    let bits = v.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

const fn from_order_key(k: i64) -> f64 {
    let bits = k ^ ((((k >> 63) as u64) >> 1) as i64);
    f64::from_bits(bits as u64)
}

/// The values of a window, for percentiles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Values {
    /// `(time, order key)`, oldest first.
    entries: VecDeque<(i64, i64)>,
    /// Order key → occurrences.
    sorted: BTreeMap<i64, u64>,
    /// Whether values were dropped at the cap.
    truncated: bool,
}

impl Values {
    /// Adds `value` at `time`; expires what is older than `cutoff`; past
    /// `cap` values drops the oldest.
    pub(crate) fn insert(&mut self, time: i64, value: f64, cutoff: i64, cap: usize) {
        if !value.is_finite() {
            return;
        }
        let key = order_key(value);
        self.entries.push_back((time, key));
        *self.sorted.entry(key).or_insert(0) += 1;
        self.expire(cutoff);
        while self.entries.len() > cap.max(1) {
            self.pop_oldest();
            self.truncated = true;
        }
    }

    fn pop_oldest(&mut self) {
        if let Some((_, key)) = self.entries.pop_front()
            && let Some(n) = self.sorted.get_mut(&key)
        {
            *n -= 1;
            if *n == 0 {
                self.sorted.remove(&key);
            }
        }
    }

    /// Drops values older than `cutoff`.
    pub(crate) fn expire(&mut self, cutoff: i64) {
        while self.entries.front().is_some_and(|(t, _)| *t < cutoff) {
            self.pop_oldest();
        }
    }

    /// The `p`-th percentile (0–100) by linear interpolation between closest
    /// ranks, as pySigma and rsigma compute it; `None` for an empty window.
    #[must_use]
    pub(crate) fn percentile(&self, p: f64) -> Option<f64> {
        let n = self.entries.len();
        if n == 0 {
            return None;
        }
        let rank = p.clamp(0.0, 100.0) / 100.0 * (n - 1) as f64;
        let lo = rank.floor() as u64;
        let hi = rank.ceil() as u64;
        let mut seen = 0u64;
        let (mut lo_v, mut hi_v) = (None, None);
        for (key, count) in &self.sorted {
            let next = seen + count;
            if lo_v.is_none() && lo < next {
                lo_v = Some(from_order_key(*key));
            }
            if hi < next {
                hi_v = Some(from_order_key(*key));
                break;
            }
            seen = next;
        }
        let (lo_v, hi_v) = (lo_v?, hi_v?);
        Some(lo_v + (hi_v - lo_v) * (rank - lo as f64))
    }

    /// Whether values were dropped at the cap.
    #[must_use]
    pub(crate) const fn is_approximate(&self) -> bool {
        self.truncated
    }

    /// Whether nothing is left.
    #[must_use]
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Checks invariants after deserialising untrusted state.
    #[must_use]
    pub(crate) fn is_consistent(&self) -> bool {
        self.sorted.values().sum::<u64>() == self.entries.len() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_slide_exactly_below_the_cap() {
        let mut r = Runs::default();
        for t in [0, 10, 20, 30] {
            r.insert(t, 2.0, t - 100, 100, 1000);
        }
        assert_eq!(r.count(), 4);
        assert!((r.sum() - 8.0).abs() < 1e-9);
        // Window [5, 105]: the event at 0 leaves.
        r.insert(105, 1.0, 5, 100, 1000);
        assert_eq!(r.count(), 4);
        assert!((r.sum() - 7.0).abs() < 1e-9);
        assert!(!r.is_approximate());
    }

    #[test]
    fn runs_merge_past_the_cap_and_stay_bounded() {
        let span = 16_000;
        let mut r = Runs::default();
        for t in 0..100_000i64 {
            r.insert(t, 1.0, t - span, span, 64);
            assert!(r.runs.len() <= 64 + 1);
        }
        // Exact would be span + 1 events; rounding adds at most a slice.
        let c = r.count() as i64;
        assert!((span + 1..=span + 1 + span / SLICES).contains(&c), "{c}");
        assert!(r.is_approximate());
        assert!(r.is_consistent());
    }

    #[test]
    fn percentile_interpolates() {
        let mut v = Values::default();
        for (t, x) in [(0, 10.0), (1, 20.0), (2, 30.0), (3, 40.0)] {
            v.insert(t, x, -100, 100);
        }
        assert_eq!(v.percentile(50.0), Some(25.0));
        assert_eq!(v.percentile(0.0), Some(10.0));
        assert_eq!(v.percentile(100.0), Some(40.0));
        assert_eq!(v.percentile(90.0), Some(37.0));
        v.expire(2);
        assert_eq!(v.percentile(50.0), Some(35.0));
        v.insert(4, -5.0, 2, 100);
        assert_eq!(v.percentile(0.0), Some(-5.0));
        assert!(v.is_consistent());
        assert_eq!(Values::default().percentile(50.0), None);
    }

    #[test]
    fn order_key_is_monotone() {
        let xs = [-1e9, -2.5, -0.0, 0.0, 1e-9, 3.0, 7e12];
        for w in xs.windows(2) {
            assert!(order_key(w[0]) <= order_key(w[1]));
            assert_eq!(from_order_key(order_key(w[0])).to_bits(), w[0].to_bits());
        }
    }
}
