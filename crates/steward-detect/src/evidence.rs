//! Evidence kept while an episode is open: counts, first and last event,
//! and a bounded sample of event ids.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Event ids kept per episode.
pub const SAMPLES: usize = 5;

/// Evidence of one episode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Events seen.
    pub events: u64,
    /// First event time, epoch ms.
    pub first_ms: i64,
    /// Last event time, epoch ms.
    pub last_ms: i64,
    /// The first [`SAMPLES`] event ids (held inline up to 24 bytes each).
    pub samples: Vec<CompactString>,
}

impl Evidence {
    /// Adds one event.
    pub fn add(&mut self, time_ms: i64, event_id: &str) {
        if self.events == 0 {
            self.first_ms = time_ms;
            self.last_ms = time_ms;
        } else {
            self.first_ms = self.first_ms.min(time_ms);
            self.last_ms = self.last_ms.max(time_ms);
        }
        self.events += 1;
        if self.samples.len() < SAMPLES {
            // Room for the whole sample at the first one: one allocation
            // per evidence, not a second when the fifth id arrives.
            if self.samples.capacity() == 0 {
                self.samples.reserve_exact(SAMPLES);
            }
            self.samples.push(CompactString::from(event_id));
        }
    }

    /// The sample event ids as plain strings, for a detection.
    #[must_use]
    pub fn sample_ids(&self) -> Vec<String> {
        self.samples.iter().map(ToString::to_string).collect()
    }

    /// Whether nothing was added.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.events == 0
    }

    /// Empties it as [`Evidence::default`] is, keeping the sample's buffer.
    pub fn clear(&mut self) {
        self.events = 0;
        self.first_ms = 0;
        self.last_ms = 0;
        self.samples.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_bounds_and_a_bounded_sample() {
        let mut e = Evidence::default();
        assert!(e.is_empty());
        for i in 0..10 {
            e.add(100 - i, &format!("r{i}"));
        }
        assert_eq!((e.events, e.first_ms, e.last_ms), (10, 91, 100));
        assert_eq!(e.samples, ["r0", "r1", "r2", "r3", "r4"]);
        e.clear();
        assert_eq!(e, Evidence::default());
    }
}
