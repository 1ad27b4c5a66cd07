//! A gate in front of the union for batches of values: the union's own
//! lazy DFA, stepped over four stretches of a batch at once, tells which
//! values hold a match; only those are searched by the union regex.
//!
//! A DFA step is one load that depends on the previous one, so a single
//! search waits on memory latency (about five cycles a byte here). Four
//! independent cursors, each over its own quarter of the batch, keep four
//! loads in flight: the same automaton, the same answer, about three times
//! the bytes per second. Values in a batch are separated by NUL, which no
//! built-in pattern crosses, so a quarter starts after a NUL and a match
//! lies within the value where the DFA reports it. The regex then searches
//! that value alone, with the whole batch as context, and so finds what a
//! search of the whole batch finds there.

use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::{Input, MatchKind};

/// Cursors stepped together.
const LANES: usize = 4;
/// Batches shorter than this are searched directly.
const MIN_GATED: usize = 4 * 1024;

/// The union's patterns as one lazy DFA that reports any match.
#[derive(Debug)]
pub struct Gate {
    dfa: DFA,
}

/// One cursor: where its stretch of the batch ends, the next byte it
/// steps, and its state.
#[derive(Clone, Copy)]
struct Lane {
    end: usize,
    at: usize,
    sid: LazyStateID,
}

impl Gate {
    /// Builds the gate, or `None` when the lazy DFA cannot be built for
    /// these patterns (the union is then used alone).
    pub fn new(patterns: &[String]) -> Option<Self> {
        Self::with_capacity(patterns, 32 * 1024 * 1024)
    }

    /// [`Gate::new`] with a lazy DFA cache of `bytes`. No gate for a
    /// pattern that matches the empty string: every value would match.
    pub fn with_capacity(patterns: &[String], bytes: usize) -> Option<Self> {
        let empty = patterns.iter().any(|p| {
            regex_syntax::parse(p).map_or(true, |h| {
                h.properties().minimum_len().is_none_or(|n| n == 0)
            })
        });
        if empty {
            return None;
        }
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .unicode_word_boundary(true)
                    .cache_capacity(bytes),
            )
            .build_many(patterns)
            .ok()?;
        Some(Self { dfa })
    }

    /// A cache for one thread.
    pub fn cache(&self) -> Cache {
        self.dfa.create_cache()
    }

    /// Appends to `regions` the byte ranges of `hay` (NUL-separated values)
    /// that must be searched: each value where a pattern matches, with its
    /// closing NUL, in order. When the DFA gives up (a cache cleared under
    /// the cursors, a quit byte), the rest of a stretch becomes one region.
    pub fn regions(&self, cache: &mut Cache, hay: &[u8], regions: &mut Vec<(usize, usize)>) {
        if hay.len() < MIN_GATED {
            regions.push((0, hay.len()));
            return;
        }
        let mut lanes = [Lane {
            end: 0,
            at: 0,
            sid: LazyStateID::default(),
        }; LANES];
        let mut from = 0;
        for (k, lane) in lanes.iter_mut().enumerate() {
            let nominal = hay.len() * (k + 1) / LANES;
            let end = if k + 1 == LANES {
                hay.len()
            } else {
                hay.get(nominal..)
                    .and_then(|rest| memchr::memchr(0, rest))
                    .map_or(hay.len(), |i| nominal + i + 1)
            };
            let end = end.max(from);
            let Some(sid) = self.start(cache, hay, from) else {
                regions.push((from, hay.len()));
                return;
            };
            *lane = Lane { end, at: from, sid };
            from = end;
        }
        let mut found: [Vec<(usize, usize)>; LANES] = Default::default();
        let clears = cache.clear_count();
        let ok = self.step_together(cache, hay, &mut lanes, &mut found, clears)
            && lanes.iter_mut().zip(found.iter_mut()).all(|(lane, f)| {
                self.step_alone(cache, hay, lane, f, clears)
                    && self.finish(cache, hay, lane, f, clears)
            });
        let base = regions.len();
        let mut add = |(start, end): (usize, usize)| {
            // Lanes may name the same value at their seam: keep regions
            // apart so no byte is searched twice.
            let start = regions
                .get(base..)
                .and_then(<[_]>::last)
                .map_or(start, |r: &(usize, usize)| start.max(r.1));
            if end > start {
                regions.push((start, end));
            }
        };
        if ok {
            for f in &found {
                f.iter().copied().for_each(&mut add);
            }
            return;
        }
        // Fall back: each stretch from its last known boundary.
        let mut start = 0;
        for (lane, f) in lanes.iter().zip(&found) {
            let mut done = start;
            for &r in f {
                add(r);
                done = r.1;
            }
            add((done, lane.end));
            start = lane.end;
        }
    }

    fn start(&self, cache: &mut Cache, hay: &[u8], at: usize) -> Option<LazyStateID> {
        self.dfa
            .start_state_forward(cache, &Input::new(hay).range(at..))
            .ok()
    }

    /// Steps all lanes while each has bytes left. `false` when the DFA
    /// gave up.
    fn step_together(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        lanes: &mut [Lane; LANES],
        found: &mut [Vec<(usize, usize)>; LANES],
        clears: usize,
    ) -> bool {
        loop {
            let n = lanes
                .iter()
                .map(|l| l.end.saturating_sub(l.at))
                .min()
                .unwrap_or(0);
            if n == 0 {
                return true;
            }
            let [a, b, c, d] = lanes;
            let (Some(ha), Some(hb), Some(hc), Some(hd)) = (
                hay.get(a.at..a.at + n),
                hay.get(b.at..b.at + n),
                hay.get(c.at..c.at + n),
                hay.get(d.at..d.at + n),
            ) else {
                return false;
            };
            let mut i = 0;
            let mut stopped = false;
            for (((&xa, &xb), &xc), &xd) in ha.iter().zip(hb).zip(hc).zip(hd) {
                let na = self.dfa.next_state_untagged(cache, a.sid, xa);
                let nb = self.dfa.next_state_untagged(cache, b.sid, xb);
                let nc = self.dfa.next_state_untagged(cache, c.sid, xc);
                let nd = self.dfa.next_state_untagged(cache, d.sid, xd);
                i += 1;
                if !(na.is_tagged() | nb.is_tagged() | nc.is_tagged() | nd.is_tagged()) {
                    a.sid = na;
                    b.sid = nb;
                    c.sid = nc;
                    d.sid = nd;
                    continue;
                }
                // Something to look at: settle each lane one by one.
                a.at += i;
                b.at += i;
                c.at += i;
                d.at += i;
                let [fa, fb, fc, fd] = &mut *found;
                for (lane, next, f) in [
                    (&mut *a, na, fa),
                    (&mut *b, nb, fb),
                    (&mut *c, nc, fc),
                    (&mut *d, nd, fd),
                ] {
                    if !self.settle(cache, hay, lane, next, f, clears) {
                        return false;
                    }
                }
                stopped = true;
                break;
            }
            if !stopped {
                a.at += i;
                b.at += i;
                c.at += i;
                d.at += i;
            }
        }
    }

    /// Steps one lane to its end.
    fn step_alone(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        lane: &mut Lane,
        found: &mut Vec<(usize, usize)>,
        clears: usize,
    ) -> bool {
        while lane.at < lane.end {
            let Some(&x) = hay.get(lane.at) else {
                return false;
            };
            let next = self.dfa.next_state_untagged(cache, lane.sid, x);
            lane.at += 1;
            if next.is_tagged() {
                if !self.settle(cache, hay, lane, next, found, clears) {
                    return false;
                }
            } else {
                lane.sid = next;
            }
        }
        true
    }

    /// Handles a lane whose last step (the byte before `lane.at`) gave a
    /// tagged state: computes an unknown state, and on a match records the
    /// value as a region and restarts the lane after it.
    fn settle(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        lane: &mut Lane,
        next: LazyStateID,
        found: &mut Vec<(usize, usize)>,
        clears: usize,
    ) -> bool {
        let mut next = next;
        if !next.is_tagged() {
            lane.sid = next;
            return true;
        }
        let consumed = lane.at.saturating_sub(1);
        if next.is_unknown() {
            let Some(&x) = hay.get(consumed) else {
                return false;
            };
            let Ok(computed) = self.dfa.next_state(cache, lane.sid, x) else {
                return false;
            };
            if cache.clear_count() != clears {
                // Every lane's state id is now stale.
                return false;
            }
            next = computed;
        }
        if next.is_quit() || next.is_dead() {
            return false;
        }
        if !next.is_match() {
            lane.sid = next;
            return true;
        }
        // Match states come one byte late: a match ends where the byte
        // just consumed starts.
        // Restart where the value ends: one byte back when the match took
        // in the value's NUL and was seen on the next value's first byte.
        // Matches are never empty (see `with_capacity`), so the lane
        // still moves on.
        lane.at = record(hay, consumed, found);
        if lane.at >= lane.end {
            return true;
        }
        match self.start(cache, hay, lane.at) {
            Some(sid) if cache.clear_count() == clears => {
                lane.sid = sid;
                true
            }
            _ => false,
        }
    }

    /// A match that takes in the NUL closing a lane shows only on the
    /// next byte (or the end of the batch): looks one step past the lane.
    fn finish(
        &self,
        cache: &mut Cache,
        hay: &[u8],
        lane: &Lane,
        found: &mut Vec<(usize, usize)>,
        clears: usize,
    ) -> bool {
        if found.last().is_some_and(|r| r.1 >= lane.end) || lane.at < lane.end {
            return true;
        }
        let next = match hay.get(lane.end) {
            Some(&x) => self.dfa.next_state(cache, lane.sid, x),
            None => self.dfa.next_eoi_state(cache, lane.sid),
        };
        let Ok(next) = next else {
            return false;
        };
        if cache.clear_count() != clears || next.is_quit() {
            return false;
        }
        if next.is_match() {
            record(hay, lane.end, found);
        }
        true
    }
}

/// Records the value holding a match that ends at `end` (its last byte at
/// `end - 1`), with its closing NUL, and returns where the region ends.
fn record(hay: &[u8], end: usize, found: &mut Vec<(usize, usize)>) -> usize {
    let last = end.saturating_sub(1);
    let start = hay
        .get(..last)
        .and_then(|h| memchr::memrchr(0, h))
        .map_or(0, |i| i + 1)
        .max(found.last().map_or(0, |r| r.1));
    let stop = if hay.get(last) == Some(&0) {
        last + 1
    } else {
        hay.get(last..)
            .and_then(|h| memchr::memchr(0, h))
            .map_or(hay.len(), |i| last + i + 1)
    };
    if stop > start {
        found.push((start, stop));
    }
    stop
}
