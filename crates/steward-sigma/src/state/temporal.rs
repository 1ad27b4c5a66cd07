//! `temporal` and `temporal_ordered` state: per group, bounded by the number
//! of referenced rules whatever the event rate.
//!
//! Unordered: the latest hit of each referenced rule; the rules that fired
//! in the window are those whose latest hit is in it. Ordered: for each
//! stage, the chain `r1 < r2 < … < ri` (strictly increasing event times)
//! that started latest, which is the one most likely to fit the window; only
//! the newest chain ending before the current millisecond and those ending
//! in it are kept, so state stays at two entries per stage.

use serde::{Deserialize, Serialize};

/// Latest hit per referenced rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Temporal {
    last: Vec<Option<i64>>,
}

impl Temporal {
    pub(crate) fn new(rules: usize) -> Self {
        Self {
            last: vec![None; rules],
        }
    }

    /// Records a hit of rule `index` at `time`.
    pub(crate) fn record(&mut self, index: usize, time: i64) {
        if let Some(slot) = self.last.get_mut(index) {
            *slot = Some(slot.map_or(time, |t| t.max(time)));
        }
    }

    /// Whether rule `index` fired at or after `cutoff`.
    #[must_use]
    pub(crate) fn fired(&self, index: usize, cutoff: i64) -> bool {
        self.last
            .get(index)
            .copied()
            .flatten()
            .is_some_and(|t| t >= cutoff)
    }

    /// Referenced rules that fired at or after `cutoff`.
    #[must_use]
    pub(crate) fn count(&self, cutoff: i64) -> usize {
        (0..self.last.len())
            .filter(|i| self.fired(*i, cutoff))
            .count()
    }

    /// Newest hit of any rule.
    #[must_use]
    pub(crate) fn newest(&self) -> Option<i64> {
        self.last.iter().flatten().copied().max()
    }

    pub(crate) fn is_consistent(&self, rules: usize) -> bool {
        self.last.len() == rules
    }
}

/// A partial chain: it reached its stage at `end` and began at `start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Chain {
    end: i64,
    start: i64,
}

/// Ordered chains per stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Ordered {
    stages: Vec<Vec<Chain>>,
}

impl Ordered {
    pub(crate) fn new(rules: usize) -> Self {
        Self {
            stages: vec![Vec::new(); rules],
        }
    }

    /// Records a hit of stage `index` at `time` (events arrive in time
    /// order); chains that began before `cutoff` are dropped.
    pub(crate) fn record(&mut self, index: usize, time: i64, cutoff: i64) {
        let start = if index == 0 {
            Some(time)
        } else {
            self.stages.get(index - 1).and_then(|prev| {
                prev.iter()
                    .rev()
                    .find(|c| c.end < time)
                    .map(|c| c.start)
                    .filter(|s| *s >= cutoff)
            })
        };
        if let (Some(start), Some(stage)) = (start, self.stages.get_mut(index)) {
            stage.push(Chain { end: time, start });
        }
        for stage in &mut self.stages {
            prune(stage, time, cutoff);
        }
    }

    /// Whether a complete chain lies within `[cutoff, now]`.
    #[must_use]
    pub(crate) fn complete(&self, cutoff: i64) -> bool {
        self.stages
            .last()
            .is_some_and(|stage| stage.iter().any(|c| c.start >= cutoff))
    }

    /// Newest chain end of any stage.
    #[must_use]
    pub(crate) fn newest(&self) -> Option<i64> {
        self.stages.iter().flatten().map(|c| c.end).max()
    }

    pub(crate) fn is_consistent(&self, rules: usize) -> bool {
        self.stages.len() == rules && self.stages.iter().all(|s| s.len() <= 64)
    }
}

/// Keeps, of chains ending before `now`, the one that started latest, plus
/// the best chain ending exactly at `now`; drops chains that began before
/// `cutoff`.
fn prune(stage: &mut Vec<Chain>, now: i64, cutoff: i64) {
    stage.retain(|c| c.start >= cutoff);
    let best_before = stage
        .iter()
        .filter(|c| c.end < now)
        .max_by_key(|c| (c.start, c.end))
        .copied();
    let best_now = stage
        .iter()
        .filter(|c| c.end >= now)
        .max_by_key(|c| (c.start, c.end))
        .copied();
    stage.clear();
    stage.extend(best_before);
    stage.extend(best_now);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unordered_counts_rules_in_window() {
        let mut t = Temporal::new(3);
        t.record(0, 10);
        t.record(2, 50);
        assert_eq!(t.count(0), 2);
        assert_eq!(t.count(11), 1);
        t.record(1, 60);
        assert_eq!(t.count(10), 3);
        assert_eq!(t.newest(), Some(60));
    }

    #[test]
    fn ordered_needs_strictly_increasing_times() {
        let span = 100;
        let mut o = Ordered::new(2);
        // B before A does not chain.
        o.record(1, 5, 5 - span);
        o.record(0, 10, 10 - span);
        assert!(!o.complete(10 - span));
        // B at the same millisecond as A does not chain either.
        o.record(1, 10, 10 - span);
        assert!(!o.complete(10 - span));
        o.record(1, 11, 11 - span);
        assert!(o.complete(11 - span));
        // Later the chain has left the window.
        assert!(!o.complete(11));
    }

    #[test]
    fn ordered_prefers_the_latest_start() {
        let span = 100;
        let mut o = Ordered::new(3);
        o.record(0, 0, -span);
        o.record(1, 10, 10 - span);
        o.record(0, 80, 80 - span);
        o.record(1, 90, 90 - span);
        // Stage 3 at 150: the chain 0→10 is too old, 80→90 fits.
        o.record(2, 150, 150 - span);
        assert!(o.complete(150 - span));
        assert!(o.stages.iter().all(|s| s.len() <= 2));
    }
}
