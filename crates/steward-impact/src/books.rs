//! The address-book pass: the people listed in the books of members whose
//! books were returned, identified by their normalised phone number (E.164),
//! with the categories returned about them, the bucket they were first
//! exposed in, a hash of their name (to tell a member from a stranger who
//! shares a phone number) and, for the US, the state of their address.
//!
//! Everything is kept in compressed sets keyed by the phone number, so a
//! person listed in a thousand books is one id.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::io::BufRead;
use std::path::Path;

use roaring::RoaringTreemap;
use serde::Deserialize;

use crate::Progress;
use crate::categories::Mask;
use crate::error::{ImpactError, Result};
use crate::infer;
use crate::phone::{self, E164};

#[derive(Deserialize)]
struct Line<'a> {
    member_id: u64,
    #[serde(borrow)]
    entries: Vec<Entry<'a>>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default)]
    name: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    phone: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default)]
    address: Option<std::borrow::Cow<'a, str>>,
}

/// A stable hash of a name, ignoring surrounding space.
#[must_use]
pub fn name_hash(name: &str) -> u32 {
    let mut h = std::hash::DefaultHasher::new();
    name.trim().hash(&mut h);
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a 32-bit hash is enough to tell two names apart"
    )]
    let short = h.finish() as u32;
    short
}

/// The people listed in the returned address books.
#[derive(Debug, Default)]
pub struct Listed {
    /// Every listed phone number.
    pub all: RoaringTreemap,
    /// Listed numbers by the related categories returned about them.
    pub by_mask: BTreeMap<Mask, RoaringTreemap>,
    /// Listed numbers by the bucket they were first exposed in.
    pub by_bucket: BTreeMap<i64, RoaringTreemap>,
    /// Listed US numbers by the state of their address.
    pub by_state: BTreeMap<String, RoaringTreemap>,
    /// The first name seen for each number.
    pub names: HashMap<E164, u32>,
    /// Entries whose phone number could not be normalised.
    pub unplaced: u64,
    /// Numbers listed under two different names.
    pub shared_numbers: u64,
    /// Books read.
    pub books: u64,
}

/// Where each owner's related people were first exposed, and with what.
pub struct Owners<'a> {
    /// Owners by related mask (disjoint).
    pub by_mask: &'a BTreeMap<Mask, RoaringTreemap>,
    /// `(owner, bucket)` sorted by owner: the bucket each owner's book was
    /// first returned in.
    pub first_bucket: &'a [(u64, i64)],
}

impl Owners<'_> {
    fn mask(&self, owner: u64) -> Option<Mask> {
        self.by_mask
            .iter()
            .find(|(_, s)| s.contains(owner))
            .map(|(m, _)| *m)
    }

    fn bucket(&self, owner: u64) -> Option<i64> {
        self.first_bucket
            .binary_search_by_key(&owner, |(o, _)| *o)
            .ok()
            .and_then(|i| self.first_bucket.get(i))
            .map(|(_, b)| *b)
    }
}

/// Reads the address books at `path`, keeping the books of `owners`.
///
/// # Errors
/// The file cannot be read, or a line is not an address-book record (named
/// by line and column, never by content).
pub fn read(path: &Path, owners: &Owners<'_>, progress: &dyn Progress) -> Result<Listed> {
    let file = std::fs::File::open(path).map_err(|source| ImpactError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or_default();
    progress.stage("address books", total);
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut listed = Listed::default();
    let mut buf = String::new();
    let mut line_no = 0u64;
    let mut pending = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_line(&mut buf)
            .map_err(|source| ImpactError::Read {
                path: path.to_path_buf(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        pending += n as u64;
        if pending >= 1 << 22 {
            progress.advance(pending);
            pending = 0;
        }
        let text = buf.trim_end();
        if text.is_empty() {
            continue;
        }
        let line: Line<'_> = serde_json::from_str(text).map_err(|e| ImpactError::Record {
            path: path.to_path_buf(),
            line: line_no,
            column: e.column() as u64,
            message: format!("not an address-book record ({})", e.classify_name()),
        })?;
        let (Some(mask), Some(bucket)) =
            (owners.mask(line.member_id), owners.bucket(line.member_id))
        else {
            continue;
        };
        listed.books += 1;
        for e in &line.entries {
            let Some(number) = e.phone.as_deref().and_then(phone::normalise) else {
                listed.unplaced += 1;
                continue;
            };
            listed.add(number, mask, bucket, e);
        }
    }
    progress.advance(pending);
    progress.finish_stage();
    Ok(listed)
}

trait Classify {
    fn classify_name(&self) -> &'static str;
}

impl Classify for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "invalid JSON",
            serde_json::error::Category::Data => "unexpected shape",
            serde_json::error::Category::Eof => "truncated",
        }
    }
}

impl Listed {
    fn add(&mut self, number: E164, mask: Mask, bucket: i64, e: &Entry<'_>) {
        let fresh = self.all.insert(number);
        self.by_mask.entry(mask).or_default().insert(number);
        self.by_bucket.entry(bucket).or_default().insert(number);
        let name = name_hash(e.name.as_deref().unwrap_or_default());
        if fresh {
            self.names.insert(number, name);
            if phone::country(number) == Some("US")
                && let Some(state) = e.address.as_deref().and_then(infer::us_state)
            {
                self.by_state.entry(state).or_default().insert(number);
            }
        } else if self.names.get(&number).is_some_and(|n| *n != name) {
            self.shared_numbers += 1;
        }
    }

    /// The related mask of a listed number: the union of the masks whose
    /// set holds it.
    #[must_use]
    pub fn mask_of(&self, number: E164) -> Mask {
        self.by_mask
            .iter()
            .filter(|(_, s)| s.contains(number))
            .fold(0, |m, (k, _)| m | k)
    }

    /// The US state a listed number's address names.
    #[must_use]
    pub fn state_of(&self, number: E164) -> Option<&str> {
        self.by_state
            .iter()
            .find(|(_, s)| s.contains(number))
            .map(|(st, _)| st.as_str())
    }

    /// The first bucket a listed number was exposed in.
    #[must_use]
    pub fn bucket_of(&self, number: E164) -> Option<i64> {
        self.by_bucket
            .iter()
            .find(|(_, s)| s.contains(number))
            .map(|(b, _)| *b)
    }
}
