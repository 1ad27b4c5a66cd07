//! Deterministic randomness. Every stream is derived from the seed and a
//! domain tag, so any record can be regenerated on its own, in any order, on
//! any thread, with the same result.

use rand_xoshiro::Xoshiro256PlusPlus;
use rand_xoshiro::rand_core::{Rng as _, SeedableRng};

/// The SplitMix64 finaliser: a bijection on `u64`, so distinct inputs give
/// distinct outputs (used for ids that must never collide).
#[must_use]
pub const fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Domains of independent random streams.
#[derive(Debug, Clone, Copy)]
#[repr(u64)]
pub enum Domain {
    /// A customer's attributes.
    Customer = 1,
    /// A third party's attributes.
    ThirdParty = 2,
    /// A customer's address book.
    AddressBook = 3,
    /// A customer's orders.
    Orders = 4,
    /// One hour of normal traffic.
    Traffic = 5,
    /// One hour of attack traffic.
    Attack = 6,
    /// Support tickets.
    Tickets = 7,
    /// Application log lines.
    AppLogs = 8,
    /// Staff roster.
    Staff = 9,
    /// Look-alike clean store.
    Clean = 10,
    /// Secrets and configuration.
    Secrets = 11,
    /// Support tickets quoting identity, tax and bank identifiers.
    IdTickets = 12,
}

/// A fast seeded generator with the helpers the generator needs.
#[derive(Debug, Clone)]
pub struct Rng(Xoshiro256PlusPlus);

impl Rng {
    /// The stream for `(seed, domain, index)`.
    #[must_use]
    pub fn stream(seed: u64, domain: Domain, index: u64) -> Self {
        let s = mix64(mix64(seed ^ mix64(domain as u64)) ^ index);
        Self(Xoshiro256PlusPlus::seed_from_u64(s))
    }

    /// A uniformly random `u64`.
    pub fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A uniform integer in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        ((u128::from(self.u64()) * u128::from(n)) >> 64) as u64
    }

    /// A uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// A uniform float in `[0, 1)`.
    pub fn f64(&mut self) -> f64 {
        (self.u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    /// A decimal digit.
    pub fn digit(&mut self) -> u8 {
        self.below(10) as u8
    }

    /// `n` decimal digits as text.
    pub fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.digit())).collect()
    }

    /// A uniformly chosen element; `None` for an empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// A count drawn around `mean` (Poisson for small means, normal
    /// approximation for large ones).
    pub fn poisson(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean < 30.0 {
            let limit = (-mean).exp();
            let mut k = 0u64;
            let mut p = 1.0;
            loop {
                p *= self.f64();
                if p <= limit {
                    return k;
                }
                k += 1;
            }
        }
        let (u1, u2) = (self.f64().max(f64::MIN_POSITIVE), self.f64());
        let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
        (mean + z * mean.sqrt()).round().max(0.0) as u64
    }
}

/// A table to draw from by weight.
#[derive(Debug, Clone)]
pub struct Weighted<T> {
    items: Vec<T>,
    cumulative: Vec<u64>,
}

impl<T> Weighted<T> {
    /// A table from `(item, weight)` pairs; zero weights are dropped.
    #[must_use]
    pub fn new(pairs: impl IntoIterator<Item = (T, u64)>) -> Self {
        let mut items = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        for (item, w) in pairs {
            if w > 0 {
                total += w;
                items.push(item);
                cumulative.push(total);
            }
        }
        Self { items, cumulative }
    }

    /// An item drawn by weight; `None` for an empty table.
    pub fn draw(&self, rng: &mut Rng) -> Option<&T> {
        let total = *self.cumulative.last()?;
        let x = rng.below(total);
        let i = self.cumulative.partition_point(|c| *c <= x);
        self.items.get(i)
    }

    /// The items.
    #[must_use]
    pub fn items(&self) -> &[T] {
        &self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_deterministic_and_independent() {
        let a: Vec<u64> = (0..4)
            .map(|_| Rng::stream(7, Domain::Customer, 1).u64())
            .collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::stream(7, Domain::Customer, 1).u64(),
            Rng::stream(7, Domain::Customer, 2).u64()
        );
        assert_ne!(
            Rng::stream(7, Domain::Customer, 1).u64(),
            Rng::stream(7, Domain::ThirdParty, 1).u64()
        );
        assert_ne!(
            Rng::stream(7, Domain::Customer, 1).u64(),
            Rng::stream(8, Domain::Customer, 1).u64()
        );
    }

    #[test]
    fn weighted_draws_follow_weights() {
        let t = Weighted::new([("a", 1), ("b", 0), ("c", 3)]);
        let mut rng = Rng::stream(1, Domain::Traffic, 0);
        let mut counts = [0u32; 2];
        for _ in 0..4000 {
            match t.draw(&mut rng) {
                Some(&"a") => counts[0] += 1,
                Some(&"c") => counts[1] += 1,
                other => panic!("{other:?}"),
            }
        }
        assert!((800..1200).contains(&counts[0]), "{counts:?}");
    }

    #[test]
    fn poisson_mean_is_close() {
        let mut rng = Rng::stream(3, Domain::Traffic, 0);
        for mean in [0.5, 4.0, 200.0] {
            let n = 2000;
            let total: u64 = (0..n).map(|_| rng.poisson(mean)).sum();
            let got = total as f64 / f64::from(n);
            assert!((got - mean).abs() < mean * 0.1 + 0.1, "{mean}: {got}");
        }
    }
}
