//! Access traffic: the auth service's token-issuance log and the gateway's
//! access log, generated one simulated hour (a slice) at a time.
//!
//! Each slice is a pure function of the seed and its index, so slices are
//! generated in parallel; events that spill past a slice's end are merged
//! into the next one, and the output is strictly ordered by time. Memory
//! depends on the events in one slice, not on the length of the log.

pub mod parquet;
mod plan;
pub mod records;
mod slice;

pub use plan::{HOUR_MS, Plan, ReplayPlan, Sizing};

/// Traffic sizes for a target event count and replay share.
#[must_use]
pub const fn plan_sizing(events: u64, replay_fraction: f64) -> Sizing {
    Sizing {
        events,
        replay_fraction,
    }
}
pub use records::{Attack, Record, RecordKind};
pub use slice::generate_slice;
pub use slice::routes as slice_routes;
pub use slice::{MEMBER_KEY, PARTNER, PARTNER_KEY, SERVICE_KEY, STAFF_KEY};

/// Merges slices in time order: `emit` receives each slice's records whose
/// time falls before the slice's end, in `(ts, seq)` order.
pub struct Merger {
    carry: Vec<Record>,
}

impl Default for Merger {
    fn default() -> Self {
        Self::new()
    }
}

impl Merger {
    /// An empty merger.
    #[must_use]
    pub const fn new() -> Self {
        Self { carry: Vec::new() }
    }

    /// Adds the sorted records of the next slice, ending at `end_ms`; returns
    /// those that are due.
    pub fn push(&mut self, mut slice: Vec<Record>, end_ms: i64) -> Vec<Record> {
        slice.append(&mut self.carry);
        slice.sort_unstable_by_key(|r| (r.ts, r.seq));
        let split = slice.partition_point(|r| r.ts < end_ms);
        self.carry = slice.split_off(split);
        slice
    }

    /// The records still held after the last slice.
    pub fn finish(&mut self) -> Vec<Record> {
        std::mem::take(&mut self.carry)
    }
}
