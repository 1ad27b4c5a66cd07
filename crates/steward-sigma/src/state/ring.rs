//! A first-in, first-out queue that holds its first `N` items inside its
//! owner and moves to the heap only when it grows past them.
//!
//! Most correlation groups see a handful of hits per window, so their
//! window entries fit inline and an update reads and writes the group's own
//! memory instead of following a pointer to a separate buffer (a cache miss
//! per update when groups are many). A group that grows past `N` switches
//! to a [`VecDeque`], whose pops from the front stay O(1) however large its
//! window gets. Serialised as a plain sequence, the same as a `VecDeque`.

use std::collections::VecDeque;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

/// See the module documentation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Ring<T, const N: usize> {
    /// Up to `N` items, oldest first, inside the owner.
    Inline(SmallVec<[T; N]>),
    /// Past `N` items.
    Spilled(VecDeque<T>),
}

impl<T, const N: usize> Default for Ring<T, N> {
    fn default() -> Self {
        Self::Inline(SmallVec::new())
    }
}

impl<T, const N: usize> Ring<T, N> {
    /// Items held.
    pub(crate) fn len(&self) -> usize {
        match self {
            Self::Inline(v) => v.len(),
            Self::Spilled(d) => d.len(),
        }
    }

    /// Whether nothing is held.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The oldest item.
    pub(crate) fn front(&self) -> Option<&T> {
        match self {
            Self::Inline(v) => v.first(),
            Self::Spilled(d) => d.front(),
        }
    }

    /// The newest item.
    pub(crate) fn back_mut(&mut self) -> Option<&mut T> {
        match self {
            Self::Inline(v) => v.last_mut(),
            Self::Spilled(d) => d.back_mut(),
        }
    }

    /// Adds an item at the back, moving to the heap past `N` items.
    pub(crate) fn push_back(&mut self, item: T) {
        match self {
            Self::Inline(v) if v.len() < N => v.push(item),
            Self::Inline(v) => {
                let mut d = VecDeque::with_capacity(2 * N.max(1));
                d.extend(v.drain(..));
                d.push_back(item);
                *self = Self::Spilled(d);
            }
            Self::Spilled(d) => d.push_back(item),
        }
    }

    /// Takes the oldest item.
    pub(crate) fn pop_front(&mut self) -> Option<T> {
        match self {
            Self::Inline(v) if v.is_empty() => None,
            Self::Inline(v) => Some(v.remove(0)),
            Self::Spilled(d) => d.pop_front(),
        }
    }

    /// Takes the item at `at` (0 is the oldest).
    pub(crate) fn remove(&mut self, at: usize) -> Option<T> {
        match self {
            Self::Inline(v) if at < v.len() => Some(v.remove(at)),
            Self::Inline(_) => None,
            Self::Spilled(d) => d.remove(at),
        }
    }

    /// Empties the queue, keeping a heap buffer if it has one.
    pub(crate) fn clear(&mut self) {
        match self {
            Self::Inline(v) => v.clear(),
            Self::Spilled(d) => d.clear(),
        }
    }

    /// The items, oldest first.
    pub(crate) fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        let (a, b): (&[T], &[T]) = match self {
            Self::Inline(v) => (v.as_slice(), &[]),
            Self::Spilled(d) => d.as_slices(),
        };
        a.iter().chain(b)
    }

    /// Takes every item, oldest first, leaving the queue empty.
    pub(crate) fn take_all(&mut self) -> Vec<T> {
        match std::mem::take(self) {
            Self::Inline(v) => v.into_vec(),
            Self::Spilled(d) => d.into(),
        }
    }
}

impl<T, const N: usize> Extend<T> for Ring<T, N> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.push_back(item);
        }
    }
}

impl<T, const N: usize> FromIterator<T> for Ring<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut ring = Self::default();
        ring.extend(items);
        ring
    }
}

impl<T: Serialize, const N: usize> Serialize for Ring<T, N> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: Deserialize<'de>, const N: usize> Deserialize<'de> for Ring<T, N> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(deserializer)?;
        Ok(items.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_deque_across_the_spill() {
        let mut ring: Ring<u32, 2> = Ring::default();
        let mut model = VecDeque::new();
        for i in 0..40u32 {
            // Pushes, pops and removals in a fixed pattern, checked
            // against a VecDeque after each step.
            match i % 5 {
                0..=2 => {
                    ring.push_back(i);
                    model.push_back(i);
                }
                3 => assert_eq!(ring.pop_front(), model.pop_front()),
                _ => assert_eq!(ring.remove(1), model.remove(1)),
            }
            assert_eq!(ring.len(), model.len());
            assert_eq!(ring.front(), model.front());
            assert!(ring.iter().eq(model.iter()));
        }
        assert!(matches!(ring, Ring::Spilled(_)));
        assert_eq!(ring.take_all(), Vec::from(model));
        assert!(ring.is_empty() && ring.pop_front().is_none());
    }

    #[test]
    fn serialises_as_a_plain_sequence() {
        let small: Ring<(i64, u64), 4> = [(1, 2), (3, 4)].into_iter().collect();
        let big: Ring<(i64, u64), 4> = (0..9).map(|i| (i, 0)).collect();
        let deque: VecDeque<(i64, u64)> = [(1, 2), (3, 4)].into_iter().collect();
        let json = serde_json::to_string(&small).unwrap();
        assert_eq!(json, serde_json::to_string(&deque).unwrap());
        let back: Ring<(i64, u64), 4> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, small);
        assert!(matches!(back, Ring::Inline(_)));
        let back: Ring<(i64, u64), 4> =
            serde_json::from_str(&serde_json::to_string(&big).unwrap()).unwrap();
        assert!(matches!(back, Ring::Spilled(_)));
        assert!(back.iter().map(|(t, _)| *t).eq(0..9));
    }
}
