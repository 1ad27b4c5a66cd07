//! Conversions remembered from record to record. Logs repeat a handful of
//! values in many fields (the route, the principal's kind, the country, the
//! record kind), so a program that translates its value keeps what it wrote
//! for up to eight recent distinct source values. A record whose source
//! value equals a remembered one (compared by kind, length and first eight
//! bytes, then the rest) gets the remembered result copied in, without the
//! steps or the conversion. Which programs remember is decided when the
//! mapping is compiled (`plan::program`): those with steps, and the
//! principal kind, outcome and country; lists only after steps that cost
//! more than comparing their values one by one.
//!
//! The result of a program is a pure function of its source value (the
//! value read before any step, or the sequence of values for a list), so
//! remembering changes no result. Only successful conversions (and lenient
//! failures, which leave the field empty) are remembered; a failure is
//! computed again each time, so its report names the path it was read from.

use std::borrow::Cow;
use std::net::IpAddr;

use steward_model::event::{AccessEvent, Outcome, PrincipalKind};
use steward_model::jurisdiction::Country;

use super::plan::Target;
use crate::value::Value;

/// How many distinct source values a program remembers: enough for the
/// routes, kinds and methods of an API, small enough to scan.
const SLOTS: usize = 8;

/// Most strings kept for reuse.
const SPARE: usize = 32;

/// Strings of emptied fields and list entries, kept for reuse so that a
/// field that comes and goes from record to record does not allocate.
#[derive(Debug, Default)]
pub(crate) struct Spare(Vec<String>);

impl Spare {
    /// An empty string, with capacity when one was kept.
    pub(crate) fn take(&mut self) -> String {
        self.0.pop().unwrap_or_default()
    }

    /// Keeps a string for reuse.
    pub(crate) fn give(&mut self, mut s: String) {
        if self.0.len() < SPARE && s.capacity() > 0 {
            s.clear();
            self.0.push(s);
        }
    }

    /// Keeps the string of an owned text value.
    pub(crate) fn recycle(&mut self, v: Value<'_>) {
        if let Value::Str(Cow::Owned(s)) = v {
            self.give(s);
        }
    }

    /// Sets an optional text, reusing kept strings.
    pub(crate) fn set_opt(&mut self, dst: &mut Option<String>, v: Option<&str>) {
        match (v, dst.as_mut()) {
            (Some(v), Some(d)) => {
                d.clear();
                d.push_str(v);
            }
            (Some(v), None) => {
                let mut d = self.take();
                d.push_str(v);
                *dst = Some(d);
            }
            (None, _) => {
                if let Some(s) = dst.take() {
                    self.give(s);
                }
            }
        }
    }

    /// Makes `dst` a copy of `src`, reusing its strings and kept ones.
    pub(crate) fn copy_list(&mut self, dst: &mut Vec<String>, src: &[String]) {
        self.truncate(dst, src.len());
        for (k, s) in src.iter().enumerate() {
            match dst.get_mut(k) {
                Some(d) => {
                    d.clear();
                    d.push_str(s);
                }
                None => {
                    let mut d = self.take();
                    d.push_str(s);
                    dst.push(d);
                }
            }
        }
    }

    /// Shortens a list, keeping the strings it drops.
    pub(crate) fn truncate(&mut self, list: &mut Vec<String>, len: usize) {
        while list.len() > len {
            if let Some(s) = list.pop() {
                self.give(s);
            }
        }
    }
}

/// A source value, owned, as a [`Probe`] compares it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Key {
    tag: u64,
    head: u64,
    text: String,
}

impl Key {
    /// Makes this key the probed value, reusing its string.
    fn set(&mut self, p: &Probe<'_>) {
        self.tag = p.tag;
        self.head = p.head;
        self.text.clear();
        self.text.push_str(p.text);
    }
}

/// A source value summarised for comparison: its kind and length, and its
/// bits or first eight bytes, which settle most comparisons without
/// looking at the text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Probe<'v> {
    /// The kind of value, and a text's length above it.
    tag: u64,
    /// A number's bits, a text's first eight bytes (zero-padded).
    head: u64,
    text: &'v str,
}

impl<'v> Probe<'v> {
    /// Summarises a value; absent and null alike (they convert alike).
    #[inline]
    pub(crate) fn of(v: Option<&'v Value<'_>>) -> Self {
        let (kind, head, text) = match v {
            None | Some(Value::Null) => (0, 0, ""),
            Some(Value::Bool(b)) => (1, u64::from(*b), ""),
            Some(Value::Int(i)) => (2, i.cast_unsigned(), ""),
            // Equal bits convert alike.
            Some(Value::Float(f)) => (3, f.to_bits(), ""),
            Some(Value::TimeMs(t)) => (4, t.cast_unsigned(), ""),
            Some(Value::Str(s)) => (5, head(s.as_bytes()), s.as_ref()),
        };
        Self {
            tag: kind | ((text.len() as u64) << 3),
            head,
            text,
        }
    }

    /// Whether `k` is this value.
    #[inline]
    fn is(&self, k: &Key) -> bool {
        k.tag == self.tag
            && k.head == self.head
            && (self.text.len() <= 8 || k.text.as_bytes().get(8..) == self.text.as_bytes().get(8..))
    }
}

/// The first eight bytes of a text as a number, zero-padded.
#[inline]
fn head(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = b.len().min(8);
    if let (Some(d), Some(s)) = (w.get_mut(..n), b.get(..n)) {
        d.copy_from_slice(s);
    }
    u64::from_le_bytes(w)
}

/// Notes the `n`th value of a list's source values in `keys`.
pub(crate) fn note(keys: &mut Vec<Key>, n: usize, v: &Value<'_>) {
    let p = Probe::of(Some(v));
    match keys.get_mut(n) {
        Some(k) => k.set(&p),
        None => {
            let mut k = Key::default();
            k.set(&p);
            keys.push(k);
        }
    }
}

/// What a program wrote into its field of the event.
#[derive(Debug, Default)]
enum Out {
    #[default]
    Nothing,
    Text(Option<String>),
    Kind(PrincipalKind),
    Outcome(Outcome),
    Ip(Option<IpAddr>),
    Country(Option<Country>),
    Time(Option<i64>),
    Status(Option<u16>),
    Count(Option<u64>),
    List(Vec<String>),
}

/// The text fields of the event, by target.
fn text_of(ev: &AccessEvent, target: Target) -> Option<&str> {
    match target {
        Target::EventId => Some(&ev.event_id),
        Target::PrincipalId => Some(&ev.principal.id),
        Target::Endpoint => Some(&ev.endpoint),
        Target::TokenId => ev.credential.token_id.as_deref(),
        Target::SessionId => ev.credential.session_id.as_deref(),
        Target::KeyId => ev.credential.key_id.as_deref(),
        Target::ApiKeyId => ev.credential.api_key_id.as_deref(),
        Target::Method => ev.method.as_deref(),
        _ => None,
    }
}

fn set_string(dst: &mut String, v: Option<&str>) {
    dst.clear();
    dst.push_str(v.unwrap_or_default());
}

impl Out {
    /// Copies what `target` holds in `ev`, reusing this value's strings.
    fn save(&mut self, target: Target, ev: &AccessEvent) {
        *self = match target {
            Target::Time => Self::Time(Some(ev.time_ms)),
            Target::IssuedAt => Self::Time(ev.credential.issued_at_ms),
            Target::PrincipalKind => Self::Kind(ev.principal.kind),
            Target::Outcome => Self::Outcome(ev.outcome),
            Target::Ip => Self::Ip(ev.source.ip),
            Target::Country => Self::Country(ev.source.country),
            Target::Status => Self::Status(ev.status),
            Target::Records => Self::Count(ev.records),
            Target::Bytes => Self::Count(ev.bytes),
            Target::Keep => Self::Nothing,
            Target::Subjects | Target::RecordTypes => {
                let src = if target == Target::Subjects {
                    &ev.subjects
                } else {
                    &ev.record_types
                };
                let mut list = match std::mem::take(self) {
                    Self::List(l) => l,
                    _ => Vec::new(),
                };
                list.truncate(src.len());
                for (k, s) in src.iter().enumerate() {
                    match list.get_mut(k) {
                        Some(d) => {
                            d.clear();
                            d.push_str(s);
                        }
                        None => list.push(s.clone()),
                    }
                }
                Self::List(list)
            }
            text => {
                let v = text_of(ev, text);
                match std::mem::take(self) {
                    Self::Text(Some(mut s)) if v.is_some() => {
                        set_string(&mut s, v);
                        Self::Text(Some(s))
                    }
                    _ => Self::Text(v.map(str::to_owned)),
                }
            }
        };
    }

    /// Writes the saved value into `target` of `ev`.
    fn load(&self, target: Target, ev: &mut AccessEvent, spare: &mut Spare) {
        match (target, self) {
            (Target::Time, Self::Time(t)) => ev.time_ms = t.unwrap_or_default(),
            (Target::IssuedAt, Self::Time(t)) => ev.credential.issued_at_ms = *t,
            (Target::PrincipalKind, Self::Kind(k)) => ev.principal.kind = *k,
            (Target::Outcome, Self::Outcome(o)) => ev.outcome = *o,
            (Target::Ip, Self::Ip(ip)) => ev.source.ip = *ip,
            (Target::Country, Self::Country(c)) => ev.source.country = *c,
            (Target::Status, Self::Status(s)) => ev.status = *s,
            (Target::Records, Self::Count(n)) => ev.records = *n,
            (Target::Bytes, Self::Count(n)) => ev.bytes = *n,
            (Target::Subjects, Self::List(l)) => spare.copy_list(&mut ev.subjects, l),
            (Target::RecordTypes, Self::List(l)) => spare.copy_list(&mut ev.record_types, l),
            (Target::EventId, Self::Text(t)) => set_string(&mut ev.event_id, t.as_deref()),
            (Target::PrincipalId, Self::Text(t)) => {
                set_string(&mut ev.principal.id, t.as_deref());
            }
            (Target::Endpoint, Self::Text(t)) => set_string(&mut ev.endpoint, t.as_deref()),
            (Target::TokenId, Self::Text(t)) => {
                spare.set_opt(&mut ev.credential.token_id, t.as_deref());
            }
            (Target::SessionId, Self::Text(t)) => {
                spare.set_opt(&mut ev.credential.session_id, t.as_deref());
            }
            (Target::KeyId, Self::Text(t)) => {
                spare.set_opt(&mut ev.credential.key_id, t.as_deref());
            }
            (Target::ApiKeyId, Self::Text(t)) => {
                spare.set_opt(&mut ev.credential.api_key_id, t.as_deref());
            }
            (Target::Method, Self::Text(t)) => spare.set_opt(&mut ev.method, t.as_deref()),
            // `save` and `load` are called with the same target, so the
            // value always has the target's shape.
            _ => {}
        }
    }
}

#[derive(Debug, Default)]
struct Entry {
    /// The source value (scalar fields).
    key: Key,
    /// The source values (list fields).
    keys: Vec<Key>,
    /// Whether `out` is the result of `key` (or `keys`).
    valid: bool,
    out: Out,
}

/// One program's remembered conversions.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    entries: Vec<Entry>,
    /// The entry the next new value replaces, once all are in use.
    next: usize,
}

impl Memo {
    /// Writes the remembered result for the source value `v`, if there is
    /// one; `false` when `v` is new.
    #[inline]
    pub(crate) fn recall(
        &self,
        v: &Probe<'_>,
        target: Target,
        ev: &mut AccessEvent,
        spare: &mut Spare,
    ) -> bool {
        match self.entries.iter().find(|e| e.valid && v.is(&e.key)) {
            Some(e) => {
                e.out.load(target, ev, spare);
                true
            }
            None => false,
        }
    }

    /// Writes the remembered result for a list whose source values
    /// `matched` says which entries match (see [`Memo::matching`]).
    pub(crate) fn recall_list(
        &self,
        matched: u32,
        count: usize,
        target: Target,
        ev: &mut AccessEvent,
        spare: &mut Spare,
    ) -> bool {
        let at = self
            .entries
            .iter()
            .enumerate()
            .position(|(k, e)| matched & (1 << k) != 0 && e.valid && e.keys.len() == count);
        let Some(at) = at else { return false };
        if let Some(e) = self.entries.get(at) {
            e.out.load(target, ev, spare);
        }
        true
    }

    /// Entries (as bits) whose list has `v` as its `n`th value, out of
    /// those in `alive`.
    #[inline]
    pub(crate) fn matching(&self, alive: u32, n: usize, v: &Value<'_>) -> u32 {
        let v = Probe::of(Some(v));
        let mut bits = 0;
        for (k, e) in self.entries.iter().enumerate() {
            if alive & (1 << k) != 0 && e.keys.get(n).is_some_and(|key| v.is(key)) {
                bits |= 1 << k;
            }
        }
        bits
    }

    /// An entry for a new source value, not yet valid: one left invalid
    /// by a failed conversion, a new one, or the oldest.
    fn claim(&mut self) -> usize {
        if let Some(at) = self.entries.iter().position(|e| !e.valid) {
            return at;
        }
        if self.entries.len() < SLOTS {
            self.entries.push(Entry::default());
            return self.entries.len() - 1;
        }
        let at = self.next;
        self.next = (self.next + 1) % SLOTS;
        if let Some(e) = self.entries.get_mut(at) {
            e.valid = false;
        }
        at
    }

    /// Starts remembering the scalar source value `v`; returns the entry
    /// for [`Memo::keep`].
    pub(crate) fn start(&mut self, v: &Probe<'_>) -> usize {
        let at = self.claim();
        if let Some(e) = self.entries.get_mut(at) {
            e.key.set(v);
        }
        at
    }

    /// Starts remembering a list; its source values are noted into the
    /// returned keys (see [`note`]), then [`Memo::keep`].
    pub(crate) fn start_list(&mut self) -> (usize, Option<&mut Vec<Key>>) {
        let at = self.claim();
        (at, self.entries.get_mut(at).map(|e| &mut e.keys))
    }

    /// Remembers what the program wrote into `ev` for the entry `at`.
    pub(crate) fn keep(&mut self, at: usize, target: Target, ev: &AccessEvent) {
        if let Some(e) = self.entries.get_mut(at) {
            e.out.save(target, ev);
            e.valid = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_compare_like_values() {
        let long = "/api/v1/members/{id}/profile";
        let vals = [
            None,
            Some(Value::Null),
            Some(Value::Bool(true)),
            Some(Value::Bool(false)),
            Some(Value::Int(7)),
            Some(Value::Int(0)),
            Some(Value::Float(7.0)),
            Some(Value::Float(0.0)),
            Some(Value::TimeMs(7)),
            Some(Value::Str(Cow::Borrowed("7"))),
            Some(Value::Str(Cow::Borrowed(""))),
            Some(Value::Str(Cow::Borrowed("\0"))),
            Some(Value::Str(Cow::Borrowed("member"))),
            Some(Value::Str(Cow::Borrowed("member\0"))),
            Some(Value::Str(Cow::Borrowed("members"))),
            Some(Value::Str(Cow::Borrowed(long))),
            Some(Value::Str(Cow::Owned(long.replace("profile", "profilE")))),
            Some(Value::Str(Cow::Owned(long.replace("profile", "orders!")))),
        ];
        for a in &vals {
            let mut k = Key::default();
            k.set(&Probe::of(Some(&Value::Str(Cow::Borrowed(
                "old value, long",
            )))));
            k.set(&Probe::of(a.as_ref()));
            for b in &vals {
                let null = |v: &Option<Value<'_>>| v.as_ref().is_none_or(Value::is_null);
                let same = a == b || (null(a) && null(b));
                assert_eq!(Probe::of(b.as_ref()).is(&k), same, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn spare_strings_are_reused() {
        let mut spare = Spare::default();
        let mut list = vec!["a".to_owned(), "b".to_owned()];
        spare.truncate(&mut list, 0);
        assert!(list.is_empty());
        spare.copy_list(&mut list, &["x".to_owned(), "y".to_owned(), "z".to_owned()]);
        assert_eq!(list, ["x", "y", "z"]);
        let mut t = None;
        spare.set_opt(&mut t, Some("k"));
        assert_eq!(t.as_deref(), Some("k"));
        spare.set_opt(&mut t, None);
        assert_eq!(t, None);
    }
}
