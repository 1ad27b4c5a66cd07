//! Values of many records searched at once. Structured readers (JSON
//! Lines, CSV, Parquet, spreadsheets, databases) queue each cell's text
//! here; one engine search then covers a quarter of a megabyte of values
//! instead of one call per cell or row.
//!
//! Field names, punctuation, values too short to match anything and long
//! values already found clean are left out. Values are separated by a NUL
//! byte, which no built-in pattern crosses and where the context window
//! stops, so a match never runs from one cell into the next.

use crate::engine::{CONTEXT_BOOST, Cache, CleanValues, Engine, Hit};
use crate::report::ColumnTally;

/// Bytes of values searched at once.
const BATCH: usize = 256 * 1024;
/// Values at least this long are remembered once found clean, so a value
/// repeated through a file (a user agent, a route, a status word) is
/// searched once.
const REMEMBER_FROM: usize = 16;
/// Clean values remembered per thread (then forgotten and relearnt).
const REMEMBER_MAX: usize = 1 << 16;

/// One queued value.
#[derive(Debug, Clone, Copy)]
pub struct Seg {
    /// Record (line or row) number, from 1.
    pub record: u64,
    /// Index of the column's tally.
    pub column: usize,
    start: usize,
    end: usize,
    /// Hash of column and value, when the value is long enough to remember.
    key: Option<u64>,
}

/// The queue.
#[derive(Debug, Default)]
pub struct CellBatch {
    text: Vec<u8>,
    segs: Vec<Seg>,
    hits: Vec<Hit>,
    whole: Vec<Hit>,
    partial: Vec<Hit>,
    /// Per column: values looked up among the clean ones, and how many
    /// were there. Columns whose values repeat less than half the time
    /// (timestamps, request ids, paths with ids in them) stop being
    /// remembered: behind the gate a search costs less than a lookup that
    /// misses and the insert after it.
    memo: Vec<(u32, u32)>,
}

/// Lookups before a column's repeat rate is judged.
const MEMO_TRIAL: u32 = 256;

/// A value with its matches, handed to the reader after a search.
#[derive(Debug)]
pub struct Matched<'b> {
    /// Where the value came from.
    pub seg: Seg,
    /// The value.
    pub value: &'b str,
    /// Matches covering the whole value, or in a column hinting at their
    /// detector (confidence boosted).
    pub whole: &'b [Hit],
    /// Matches inside longer text, offsets relative to `value`.
    pub partial: &'b [Hit],
}

impl CellBatch {
    /// Values queued.
    #[must_use]
    pub fn queued(&self) -> usize {
        self.segs.len()
    }

    /// Whether enough is queued to search.
    #[must_use]
    pub fn full(&self) -> bool {
        self.text.len() >= BATCH
    }

    /// Queues `value` of `column` (whose name hash is `column_hash`) in
    /// `record`, unless it is too short to match or known clean (a hinted
    /// column's values are always queued: their shape is checked too).
    pub fn push(
        &mut self,
        engine: &Engine,
        clean: &CleanValues,
        record: u64,
        (column, column_hash): (usize, u64),
        value: &[u8],
        hinted: bool,
    ) {
        let key = if value.len() >= REMEMBER_FROM && !hinted {
            if self.memo.len() <= column {
                self.memo.resize(column + 1, (0, 0));
            }
            match self.memo.get_mut(column) {
                Some((looked, found)) if *looked < MEMO_TRIAL || *found * 2 >= *looked => {
                    let k = value_key(column_hash, value);
                    *looked += 1;
                    if clean.contains(&k) {
                        *found += 1;
                        return;
                    }
                    Some(k)
                }
                _ => None,
            }
        } else {
            None
        };
        let wanted = hinted || value.len() >= engine.min_len();
        if !wanted {
            return;
        }
        if self.text.capacity() == 0 {
            // One allocation for the batch rather than a dozen as it grows.
            self.text.reserve(BATCH + BATCH / 4);
        }
        let start = self.text.len();
        self.text.extend_from_slice(value);
        self.segs.push(Seg {
            record,
            column,
            start,
            end: self.text.len(),
            key,
        });
        self.text.push(0);
    }

    /// Searches everything queued and hands each value with matches to
    /// `sink` with its column's tally, in queue order; values without
    /// matches are remembered as clean.
    pub fn flush(
        &mut self,
        engine: &Engine,
        cache: &mut Cache,
        tallies: &mut [ColumnTally],
        mut sink: impl FnMut(Matched<'_>, &mut ColumnTally),
    ) {
        if self.segs.is_empty() {
            self.text.clear();
            return;
        }
        self.hits.clear();
        engine.find_values(cache, &self.text, &mut self.hits);
        let mut h = 0usize;
        for seg in &self.segs {
            while self.hits.get(h).is_some_and(|x| x.start < seg.start) {
                h += 1;
            }
            let first = h;
            while self.hits.get(h).is_some_and(|x| x.start < seg.end) {
                h += 1;
            }
            let seg_hits = self.hits.get(first..h).unwrap_or_default();
            let Some(tally) = tallies.get_mut(seg.column) else {
                continue;
            };
            if seg_hits.is_empty() && tally.hinted.is_empty() {
                if let Some(k) = seg.key {
                    if cache.clean.len() >= REMEMBER_MAX {
                        cache.clean.clear();
                    }
                    cache.clean.insert(k);
                }
                continue;
            }
            let Some(value) = self
                .text
                .get(seg.start..seg.end)
                .and_then(|v| std::str::from_utf8(v).ok())
            else {
                continue;
            };
            self.whole.clear();
            self.partial.clear();
            let (lead, trimmed) = crate::engine::trim(value);
            for hit in seg_hits {
                if hit.end > seg.end {
                    continue;
                }
                let mut local = *hit;
                local.start -= seg.start;
                local.end -= seg.start;
                if tally.hinted.contains(&local.detector) {
                    local.confidence = (local.confidence + CONTEXT_BOOST).min(1.0);
                    self.whole.push(local);
                } else if local.start == lead && local.end == lead + trimmed.len() {
                    self.whole.push(local);
                } else {
                    self.partial.push(local);
                }
            }
            if !tally.hinted.is_empty() {
                engine.hinted_cells(cache, value, &tally.hinted, &mut self.whole, 0);
            }
            if self.whole.is_empty() && self.partial.is_empty() {
                continue;
            }
            sink(
                Matched {
                    seg: *seg,
                    value,
                    whole: &self.whole,
                    partial: &self.partial,
                },
                tally,
            );
        }
        self.text.clear();
        self.segs.clear();
    }
}

/// A hash of a column and a value.
fn value_key(column: u64, value: &[u8]) -> u64 {
    let mut h = column ^ (value.len() as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let mut words = value.chunks_exact(8);
    for w in words.by_ref() {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(a)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    }
    for b in words.remainder() {
        h = (h.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    }
    h ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::builtin;
    use crate::engine::EngineOptions;

    #[test]
    fn matches_stay_in_their_cell_and_clean_values_are_remembered() {
        let engine = Engine::new(builtin(), EngineOptions::default()).unwrap();
        let mut cache = engine.cache();
        let mut tallies = vec![ColumnTally::new(Vec::new()), ColumnTally::new(Vec::new())];
        let mut batch = CellBatch::default();
        let ua = b"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)";
        // A phone split over two cells must not match across them.
        batch.push(&engine, &cache.clean, 1, (0, 7), b"call 010-1234", false);
        batch.push(&engine, &cache.clean, 1, (1, 8), b"-5678 please", false);
        batch.push(
            &engine,
            &cache.clean,
            2,
            (0, 7),
            b"mail jiwoo@naver.com now",
            false,
        );
        batch.push(&engine, &cache.clean, 2, (1, 8), ua, false);
        batch.push(&engine, &cache.clean, 3, (1, 8), b"ok", false);
        let mut seen = Vec::new();
        batch.flush(&engine, &mut cache, &mut tallies, |m, _| {
            seen.push((m.seg.record, m.value.to_owned(), m.partial.len()));
        });
        assert_eq!(seen, vec![(2, "mail jiwoo@naver.com now".to_owned(), 1)]);
        assert!(cache.clean.contains(&value_key(8, ua)));
        // The same user agent is not queued again.
        batch.push(&engine, &cache.clean, 4, (1, 8), ua, false);
        assert!(batch.segs.is_empty());
    }
}
