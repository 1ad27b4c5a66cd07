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

/// A held event's place in the order; the event itself waits in a slot of
/// [`Merged::slots`], so the heap moves 32 bytes, not whole events.
struct Held {
    time: i64,
    source: usize,
    seq: u64,
    slot: usize,
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
    /// Events held (by the heap's slot numbers) and, in free slots, buffers
    /// kept for reuse.
    slots: Vec<AccessEvent>,
    free: Vec<usize>,
    last_out: i64,
    late: u64,
    last_source: usize,
    /// The slot of the event [`Merged::next_event`] lent out last; it is
    /// freed at the next read.
    lent: Option<usize>,
}

/// The merge's own state between two reads: the events it holds and how far
/// each source has been read. With each source's
/// [`Position`](crate::Position), it is what a checkpoint needs to resume
/// the merge exactly where it stopped ([`resume_sources`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MergeState {
    /// Held events: source index, sequence number within the source, event.
    pub held: Vec<(usize, u64, AccessEvent)>,
    /// Per source: latest event time read, whether it ended, events read.
    pub inputs: Vec<(i64, bool, u64)>,
    /// Latest event time released.
    pub last_out: i64,
    /// Events released out of order so far.
    pub late: u64,
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
        slots: Vec::new(),
        free: Vec::new(),
        last_out: i64::MIN,
        late: 0,
        last_source: 0,
        lent: None,
    }
}

/// Merges sources that continue a merge saved with [`Merged::state`]: each
/// source must be reopened at the position it had then, in the same order.
/// Every source is read again (one that had ended may have grown since). A
/// state for a different number of sources starts afresh.
#[must_use]
pub fn resume_sources(sources: Vec<LogSource>, options: MergeOptions, state: MergeState) -> Merged {
    let mut merged = merge_sources(sources, options);
    if state.inputs.len() != merged.inputs.len() {
        return merged;
    }
    for (input, (high, _finished, seq)) in merged.inputs.iter_mut().zip(state.inputs) {
        input.high = high;
        input.seq = seq;
    }
    for (source, seq, event) in state.held {
        if source < merged.inputs.len() {
            let time = event.time_ms;
            let slot = merged.slots.len();
            merged.slots.push(event);
            merged.heap.push(Reverse(Held {
                time,
                source,
                seq,
                slot,
            }));
        }
    }
    merged.last_out = state.last_out;
    merged.late = state.late;
    merged
}

impl Merged {
    /// Events released out of time order (a source broke its `slack`
    /// promise, or `max_buffered` was reached).
    #[must_use]
    pub const fn late(&self) -> u64 {
        self.late
    }

    /// Index (in the order given) of the source of the event read last.
    #[must_use]
    pub const fn last_source(&self) -> usize {
        self.last_source
    }

    /// The sources, in the order given (for their positions).
    pub fn sources(&self) -> impl Iterator<Item = &LogSource> {
        self.inputs.iter().map(|i| &i.source)
    }

    /// The merge's state now, for a checkpoint (see [`MergeState`]).
    #[must_use]
    pub fn state(&self) -> MergeState {
        let mut held: Vec<_> = self
            .heap
            .iter()
            .filter_map(|Reverse(h)| Some((h.source, h.seq, self.slots.get(h.slot)?.clone())))
            .collect();
        held.sort_by_key(|(source, seq, e)| (e.time_ms, *source, *seq));
        MergeState {
            held,
            inputs: self
                .inputs
                .iter()
                .map(|i| (i.high, i.finished, i.seq))
                .collect(),
            last_out: self.last_out,
            late: self.late,
        }
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
        let slot = self.free.pop().unwrap_or_else(|| {
            self.slots.push(AccessEvent::default());
            self.slots.len() - 1
        });
        let (Some(input), Some(ev)) = (self.inputs.get_mut(k), self.slots.get_mut(slot)) else {
            self.free.push(slot);
            return None;
        };
        match input.source.read_into(ev) {
            None => {
                input.finished = true;
                self.free.push(slot);
                None
            }
            Some(Err(e)) => {
                self.free.push(slot);
                Some(e)
            }
            Some(Ok(())) => {
                input.high = input.high.max(ev.time_ms);
                input.seq += 1;
                self.heap.push(Reverse(Held {
                    time: ev.time_ms,
                    source: k,
                    seq: input.seq,
                    slot,
                }));
                None
            }
        }
    }

    /// The next event or record error, in order (see the module docs), with
    /// the event's buffers taken from `ev`'s place: the fast path.
    pub fn read_into(&mut self, ev: &mut AccessEvent) -> Option<Result<(), RecordError>> {
        let slot = match self.next_slot()? {
            Ok(slot) => slot,
            Err(e) => return Some(Err(e)),
        };
        // The caller's old buffers stay in the slot for reuse.
        if let Some(held) = self.slots.get_mut(slot) {
            std::mem::swap(ev, held);
        }
        self.free.push(slot);
        Some(Ok(()))
    }

    /// The next event, where the merge holds it, with the index of its
    /// source; or a record error. The event is lent: it stays in its slot
    /// until the next call, so a caller that only reads it costs no move of
    /// the event (several hundred bytes) out of the merge.
    pub fn next_event(&mut self) -> Option<Result<(&AccessEvent, usize), RecordError>> {
        let slot = match self.next_slot()? {
            Ok(slot) => slot,
            Err(e) => return Some(Err(e)),
        };
        self.lent = Some(slot);
        let source = self.last_source;
        self.slots.get(slot).map(|ev| Ok((ev, source)))
    }

    /// The slot of the next event in order, taken off the heap (the caller
    /// frees it), or a record error.
    fn next_slot(&mut self) -> Option<Result<usize, RecordError>> {
        if let Some(slot) = self.lent.take() {
            self.free.push(slot);
        }
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
                self.last_source = held.source;
                return Some(Ok(held.slot));
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
