//! Building regorus values straight from Rust data, without a JSON
//! document in between (the input of a 50,000-flow manifest is built once,
//! not built, copied and converted).

use std::collections::{BTreeMap, BTreeSet};

use regorus::Value;

/// Anything that becomes a Rego value.
pub trait ToValue {
    /// The value.
    fn to_value(&self) -> Value;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::from(self)
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::from(self.as_str())
    }
}
impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}
impl ToValue for u64 {
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}
impl ToValue for u32 {
    fn to_value(&self) -> Value {
        Value::from(u64::from(*self))
    }
}
impl ToValue for i64 {
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}
impl ToValue for usize {
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}
impl<T: ToValue> ToValue for [T] {
    fn to_value(&self) -> Value {
        Value::from(self.iter().map(ToValue::to_value).collect::<Vec<_>>())
    }
}
impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        self.as_slice().to_value()
    }
}
impl<T: ToValue> ToValue for BTreeSet<T> {
    fn to_value(&self) -> Value {
        Value::from(self.iter().map(ToValue::to_value).collect::<Vec<_>>())
    }
}
impl<K: AsRef<str>, T: ToValue> ToValue for BTreeMap<K, T> {
    fn to_value(&self) -> Value {
        Value::from(
            self.iter()
                .map(|(k, v)| (Value::from(k.as_ref()), v.to_value()))
                .collect::<BTreeMap<_, _>>(),
        )
    }
}

/// FNV-1a: keys and interned strings are short; SipHash costs more than
/// the lookup saves.
#[derive(Default)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

thread_local! {
    /// Object keys are a few dozen literals: made once, shared after.
    static KEYS: std::cell::RefCell<FastMap<&'static str, Value>> =
        std::cell::RefCell::default();
}

/// The shared value of an object key.
fn key(k: &'static str) -> Value {
    KEYS.with(|keys| {
        keys.borrow_mut()
            .entry(k)
            .or_insert_with(|| Value::from(k))
            .clone()
    })
}

/// An object from `(key, value)` pairs.
#[must_use]
pub fn object(pairs: Vec<(&'static str, Value)>) -> Value {
    Value::from(
        pairs
            .into_iter()
            .map(|(k, v)| (key(k), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

/// Shares equal strings (country codes, flow kinds) between values.
#[derive(Default)]
pub struct Interner(FastMap<String, Value>);

impl Interner {
    /// The shared value of `s`.
    pub fn get(&mut self, s: &str) -> Value {
        if let Some(v) = self.0.get(s) {
            return v.clone();
        }
        let v = Value::from(s);
        self.0.insert(s.to_owned(), v.clone());
        v
    }
}

/// `obj! { "key": expr, ... }` builds an object value; each `expr` is
/// anything [`ToValue`].
macro_rules! obj {
    ($($k:literal : $v:expr),* $(,)?) => {
        $crate::value::object(vec![$(($k, $crate::value::ToValue::to_value(&$v))),*])
    };
}
pub(crate) use obj;
