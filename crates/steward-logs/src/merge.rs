//! Many sources merged into one stream in event-time order: a k-way merge
//! that also repairs bounded disorder inside each source.
//!
//! Each source is assumed to be in time order up to `slack`: an event may
//! come after events up to `slack` later than itself. An event is released
//! once every unfinished source has read past its time plus `slack`, so the
//! output is in exact time order whenever the inputs keep that promise.
//! Ties go to the source listed first, then to input order, so the order is
//! the same on every run. Memory is bounded by the events within `slack` of
//! each source's read position, and by `max_buffered` in any case.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use steward_model::event::AccessEvent;

use crate::error::RecordError;
use crate::source::{LogSource, RecordReport};

/// How to merge.
#[derive(Debug, Clone, Copy)]
pub struct MergeOptions {
    /// Disorder tolerated inside one source, in milliseconds.
    pub slack_ms: i64,
    /// Most events held at once; beyond it the earliest is released even
    /// if a later read could still precede it (then counted as late).
    pub max_buffered: usize,
}

impl Default for MergeOptions {
    fn default() -> Self {
        Self {
            slack_ms: 60_000,
            max_buffered: 1 << 20,
        }
    }
}

struct Held {
    time: i64,
    source: usize,
    seq: u64,
    event: AccessEvent,
}

impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Held {}

impl PartialOrd for Held {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Held {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

impl Held {
    const fn key(&self) -> (i64, usize, u64) {
        (self.time, self.source, self.seq)
    }
}

struct Input {
    source: LogSource,
    /// Latest event time read from it.
    high: i64,
    finished: bool,
    seq: u64,
}

/// Sources merged in time order; iterate for events and record errors.
/// Record errors are passed on as they are met.
pub struct Merged {
    inputs: Vec<Input>,
    heap: BinaryHeap<Reverse<Held>>,
    options: MergeOptions,
    spare: Vec<AccessEvent>,
    last_out: i64,
    late: u64,
}

impl std::fmt::Debug for Merged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merged")
            .field("sources", &self.inputs.len())
            .field("held", &self.heap.len())
            .field("late", &self.late)
            .finish_non_exhaustive()
    }
}

/// Merges sources in event-time order.
#[must_use]
pub fn merge_sources(sources: Vec<LogSource>, options: MergeOptions) -> Merged {
    Merged {
        inputs: sources
            .into_iter()
            .map(|source| Input {
                source,
                high: i64::MIN,
                finished: false,
                seq: 0,
            })
            .collect(),
        heap: BinaryHeap::new(),
        options,
        spare: Vec::new(),
        last_out: i64::MIN,
        late: 0,
    }
}

impl Merged {
    /// Events released out of time order (a source broke its `slack`
    /// promise, or `max_buffered` was reached).
    #[must_use]
    pub const fn late(&self) -> u64 {
        self.late
    }

    /// Events held now.
    #[must_use]
    pub fn held(&self) -> usize {
        self.heap.len()
    }

    /// The record-error report of each source, in the order given.
    #[must_use]
    pub fn reports(&self) -> Vec<RecordReport> {
        self.inputs.iter().map(|i| i.source.report()).collect()
    }

    /// The unfinished source whose read position is earliest, and the time
    /// up to which its future events can be trusted to lie after.
    fn laggard(&self) -> Option<(usize, i64)> {
        self.inputs
            .iter()
            .enumerate()
            .filter(|(_, i)| !i.finished)
            .map(|(k, i)| (k, i.high.saturating_sub(self.options.slack_ms)))
            .min_by_key(|&(k, bound)| (bound, k))
    }

    /// Reads one record from source `k`; an error is returned to pass on.
    fn pull(&mut self, k: usize) -> Option<RecordError> {
        let mut ev = self.spare.pop().unwrap_or_default();
        let input = self.inputs.get_mut(k)?;
        match input.source.read_into(&mut ev) {
            None => {
                input.finished = true;
                self.spare.push(ev);
                None
            }
            Some(Err(e)) => {
                self.spare.push(ev);
                Some(e)
            }
            Some(Ok(())) => {
                input.high = input.high.max(ev.time_ms);
                input.seq += 1;
                self.heap.push(Reverse(Held {
                    time: ev.time_ms,
                    source: k,
                    seq: input.seq,
                    event: ev,
                }));
                None
            }
        }
    }

    /// The next event or record error, in order (see the module docs), with
    /// the event's buffers taken from `ev`'s place: the fast path.
    pub fn read_into(&mut self, ev: &mut AccessEvent) -> Option<Result<(), RecordError>> {
        loop {
            let ready = match (self.heap.peek(), self.laggard()) {
                (None, None) => return None,
                (Some(_), None) => true,
                (Some(Reverse(top)), Some((_, bound))) => {
                    top.time < bound || self.heap.len() >= self.options.max_buffered
                }
                (None, Some(_)) => false,
            };
            if ready {
                let Reverse(held) = self.heap.pop()?;
                if held.time < self.last_out {
                    self.late += 1;
                }
                self.last_out = self.last_out.max(held.time);
                let old = std::mem::replace(ev, held.event);
                self.spare.push(old);
                return Some(Ok(()));
            }
            if let Some((k, _)) = self.laggard()
                && let Some(e) = self.pull(k)
            {
                return Some(Err(e));
            }
        }
    }
}

impl Iterator for Merged {
    type Item = Result<AccessEvent, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut ev = AccessEvent::default();
        let r = self.read_into(&mut ev)?;
        Some(r.map(|()| ev))
    }
}
