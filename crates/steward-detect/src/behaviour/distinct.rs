//! Distinct data subjects in one tumbling window: exact up to a cap, then a
//! bottom-k (KMV, "k minimum values") sketch.
//!
//! Each subject id is reduced to a stable 64-bit hash ([`subject_hash`]).
//! Up to `cap` distinct hashes the counter keeps them all in a hash set and
//! the count is exact (up to 64-bit hash collisions, about n²/2⁶⁵). Past the
//! cap it keeps only the `cap` smallest hashes, sorted: a new hash at or
//! above the largest kept one (the bar) is dismissed with one comparison; a
//! smaller one is appended to a candidate buffer, which is merged in (sort,
//! deduplicate, keep the `cap` smallest, lower the bar) whenever it holds
//! `cap` candidates. Among n distinct hashes only about `cap · ln(n / cap)`
//! ever pass the bar, which is why a window with 100,000 distinct subjects
//! costs about as much per event as one with 100.
//! The estimate is `(k − 1) · 2⁶⁴ / h₍ₖ₎` where `h₍ₖ₎` is the k-th smallest
//! hash (Bar-Yossef et al. 2002; Beyer et al. 2007): unbiased, with a
//! relative standard error of `1 / √(k − 2)` (1.0 % at k = 10,000).
//!
//! A closed window is counted once and dropped, so unlike a sliding-window
//! counter nothing ever expires from it. Memory is bounded by `cap` hashes
//! in the set (8 bytes each plus the table's overhead), or `2 · cap` in the
//! sketch.

use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// The stable 64-bit hash of a subject id, as checkpoints hold it (never
/// change it without a new state version).
///
/// Canonical decimal ids (`"0"`, `"42"`, no sign, no leading zero, fewer
/// than 20 digits) are hashed as numbers, everything else as bytes; both
/// pass through the MurmurHash3 64-bit finaliser, which spreads the bits
/// evenly as the sketch needs.
#[must_use]
pub fn subject_hash(id: &str) -> u64 {
    match numeric_id(id) {
        Some(n) => fmix64(n ^ 0x6e75_6d65_7269_6321),
        None => {
            // FNV-1a over the bytes.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in id.bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            fmix64(h)
        }
    }
}

/// The stable 64-bit hash of a source address (IPv4 and IPv6 addresses,
/// even an IPv4-mapped one, are hashed apart), for distinct counts of
/// addresses; like [`subject_hash`], never change it without a new state
/// version.
#[must_use]
pub fn address_hash(ip: std::net::IpAddr) -> u64 {
    match ip {
        std::net::IpAddr::V4(v4) => fmix64(u64::from(u32::from(v4)) ^ 0x7634_0000_0000_0000),
        std::net::IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            fmix64(fmix64((bits >> 64) as u64 ^ 0x7636) ^ bits as u64)
        }
    }
}

/// The number a canonical decimal id stands for.
#[must_use]
pub fn numeric_id(id: &str) -> Option<u64> {
    let bytes = id.as_bytes();
    if bytes.is_empty() || bytes.len() > 19 || (bytes.len() > 1 && id.starts_with('0')) {
        return None;
    }
    let mut n: u64 = 0;
    for b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    Some(n)
}

const fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// Hashes already-mixed `u64`s for the in-memory set: a folded multiply
/// keyed per process, so ids chosen to collide under the public
/// [`subject_hash`] do not collide in the table. Serialised state never
/// depends on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spread(u64);

impl Default for Spread {
    fn default() -> Self {
        static KEY: OnceLock<u64> = OnceLock::new();
        Self(*KEY.get_or_init(|| {
            std::collections::hash_map::RandomState::new().hash_one(0x00be_4a71_u32) | 1
        }))
    }
}

impl BuildHasher for Spread {
    type Hasher = SpreadHasher;
    fn build_hasher(&self) -> SpreadHasher {
        SpreadHasher {
            key: self.0,
            state: 0,
        }
    }
}

/// See [`Spread`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpreadHasher {
    key: u64,
    state: u64,
}

impl Hasher for SpreadHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        let product = u128::from(self.state ^ n ^ self.key) * 0x2d35_8dcc_aa6c_78a5_u128;
        self.state = (product as u64) ^ ((product >> 64) as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.state
    }
}

/// How a count was obtained.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Count {
    /// Distinct subjects (rounded estimate when not exact).
    pub value: u64,
    /// Whether `value` is exact.
    pub exact: bool,
    /// Relative standard error of `value` (0 when exact).
    pub relative_error: f64,
}

/// A distinct counter for one window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Saved", into = "Saved")]
pub struct Distinct {
    mode: Mode,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Exact(HashSet<u64, Spread>),
    Smallest(Smallest),
}

/// The k smallest hashes seen: `kept` sorted and distinct, plus the
/// candidates below the bar not yet merged into it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Smallest {
    kept: Vec<u64>,
    pending: Vec<u64>,
    /// Nothing at or above it can be among the k smallest.
    bar: u64,
    k: usize,
}

impl Smallest {
    fn new(values: Vec<u64>, k: usize) -> Self {
        let mut s = Self {
            kept: values,
            pending: Vec::new(),
            bar: u64::MAX,
            k,
        };
        s.merge();
        s
    }

    #[inline]
    fn insert(&mut self, hash: u64) {
        if hash < self.bar {
            self.pending.push(hash);
            if self.pending.len() >= self.k {
                self.merge();
            }
        }
    }

    /// Folds the candidates in: sorted, distinct, the k smallest.
    fn merge(&mut self) {
        self.kept.append(&mut self.pending);
        self.kept.sort_unstable();
        self.kept.dedup();
        self.kept.truncate(self.k);
        if self.kept.len() == self.k {
            self.bar = self.kept.last().copied().unwrap_or(u64::MAX);
        }
    }

    /// The k smallest, merged, without changing the sketch.
    fn smallest(&self) -> Vec<u64> {
        let mut copy = self.clone();
        copy.merge();
        copy.kept
    }
}

impl Default for Mode {
    fn default() -> Self {
        Self::Exact(HashSet::default())
    }
}

impl Distinct {
    /// Adds a subject hash; past `cap` distinct hashes the counter keeps
    /// only the `cap` smallest.
    #[inline]
    pub fn insert(&mut self, hash: u64, cap: usize) {
        match &mut self.mode {
            Mode::Exact(set) => {
                if set.insert(hash) && set.len() > cap.max(3) {
                    let all: Vec<u64> = set.drain().collect();
                    self.mode = Mode::Smallest(Smallest::new(all, cap.max(3)));
                }
            }
            Mode::Smallest(sketch) => sketch.insert(hash),
        }
    }

    /// The exact count while the counter is still exact (cheap), else
    /// none.
    #[must_use]
    pub fn exact_len(&self) -> Option<u64> {
        match &self.mode {
            Mode::Exact(set) => Some(set.len() as u64),
            Mode::Smallest(_) => None,
        }
    }

    /// The number of distinct subjects added.
    #[must_use]
    pub fn count(&self) -> Count {
        match &self.mode {
            Mode::Exact(set) => Count {
                value: set.len() as u64,
                exact: true,
                relative_error: 0.0,
            },
            Mode::Smallest(sketch) => {
                let kept = sketch.smallest();
                let k = kept.len() as f64;
                let bar = kept.last().copied().unwrap_or(u64::MAX);
                // The k-th smallest of n uniform 64-bit values sits near
                // k / n of the range.
                let fraction = (bar as f64 + 1.0) / 18_446_744_073_709_551_616.0;
                Count {
                    value: ((k - 1.0) / fraction).round() as u64,
                    exact: false,
                    relative_error: 1.0 / (k - 2.0).max(1.0).sqrt(),
                }
            }
        }
    }
}

/// The serialised form: hashes sorted, so a checkpoint does not depend on
/// the in-memory table's layout or on when candidates were merged.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Saved {
    Exact(Vec<u64>),
    Smallest { k: usize, kept: Vec<u64> },
}

impl From<Distinct> for Saved {
    fn from(d: Distinct) -> Self {
        match d.mode {
            Mode::Exact(set) => {
                let mut v: Vec<u64> = set.into_iter().collect();
                v.sort_unstable();
                Self::Exact(v)
            }
            Mode::Smallest(sketch) => Self::Smallest {
                k: sketch.k,
                kept: sketch.smallest(),
            },
        }
    }
}

impl From<Saved> for Distinct {
    fn from(s: Saved) -> Self {
        let mode = match s {
            Saved::Exact(v) => Mode::Exact(v.into_iter().collect()),
            Saved::Smallest { k, kept } => Mode::Smallest(Smallest::new(kept, k.max(3))),
        };
        Self { mode }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(n: u64, cap: usize) -> Distinct {
        let mut d = Distinct::default();
        for i in 0..n {
            d.insert(subject_hash(&i.to_string()), cap);
            d.insert(subject_hash(&i.to_string()), cap);
        }
        d
    }

    #[test]
    fn numeric_ids_are_canonical_decimals() {
        assert_eq!(numeric_id("0"), Some(0));
        assert_eq!(numeric_id("10959"), Some(10959));
        assert_eq!(numeric_id("007"), None);
        assert_eq!(numeric_id("-1"), None);
        assert_eq!(numeric_id("12a"), None);
        assert_eq!(numeric_id(""), None);
        assert_eq!(numeric_id("99999999999999999999"), None);
        assert_ne!(subject_hash("7"), subject_hash("007"));
        assert_ne!(subject_hash("a"), subject_hash("b"));
    }

    #[test]
    fn addresses_hash_apart_and_count_like_subjects() {
        use std::net::IpAddr;
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_ne!(address_hash(ip("10.0.0.1")), address_hash(ip("10.0.0.2")));
        assert_ne!(
            address_hash(ip("10.0.0.1")),
            address_hash(ip("::ffff:10.0.0.1"))
        );
        assert_ne!(
            address_hash(ip("2001:db8::1")),
            address_hash(ip("2001:db8::2"))
        );
        let mut d = Distinct::default();
        for i in 0..3_000u32 {
            let v4 = IpAddr::from(std::net::Ipv4Addr::from(0x0a00_0000 + i));
            d.insert(address_hash(v4), 1_000);
            d.insert(address_hash(v4), 1_000);
        }
        let c = d.count();
        assert!(
            !c.exact && c.value.abs_diff(3_000) < 3 * 3_000 / 31,
            "{c:?}"
        );
        assert_eq!(d.exact_len(), None);
        assert_eq!(fill(10, 100).exact_len(), Some(10));
    }

    #[test]
    fn exact_below_the_cap() {
        let c = fill(500, 1_000).count();
        assert_eq!((c.value, c.exact), (500, true));
    }

    #[test]
    fn estimate_past_the_cap_within_three_standard_errors() {
        for n in [2_000u64, 20_000, 100_000] {
            let c = fill(n, 1_000).count();
            assert!(!c.exact);
            let err = (c.value as f64 - n as f64).abs() / n as f64;
            assert!(
                err < 3.0 * c.relative_error,
                "n={n} got={} err={err}",
                c.value
            );
        }
    }

    #[test]
    fn serialises_sorted_and_round_trips() {
        for n in [50u64, 5_000] {
            let d = fill(n, 1_000);
            let json = serde_json::to_value(&d).unwrap();
            let back: Distinct = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(back.count(), d.count());
            assert_eq!(serde_json::to_value(&back).unwrap(), json);
        }
    }
}
