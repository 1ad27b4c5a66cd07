//! Detections evaluated on the event's values directly.
//!
//! rsigma-eval evaluates a detection by looking each field up by name,
//! renders the event time as RFC 3339 text for `time|hour` and parses it
//! back, and for a case-insensitive `fieldref` (such as
//! `subjects|fieldref: principal.id`, open for almost half of an access
//! log's events) lower-cases both values into new strings. A [`Native`]
//! holds a detection's items with their fields resolved when the rule set
//! is built: a `fieldref` compares borrowed values, lower-casing only text
//! that is not ASCII; a time part is computed from the event's epoch
//! milliseconds; every other item runs rsigma-eval's own matcher on the
//! value. Its verdict is rsigma-eval's (tests compare the two on every kind
//! of value and time part).

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use rsigma_eval::compiler::{CompiledDetection, CompiledDetectionItem};
use rsigma_eval::event::EventValue;
use rsigma_eval::matcher::{CompiledMatcher, TimePart};
use rsigma_ir::IrStrOp;

use crate::event::AccessEventView;
use crate::fields::{Field, Value};

/// A detection that is one list of items on known fields.
#[derive(Debug, Clone)]
pub(crate) struct Native {
    items: Vec<Item>,
}

#[derive(Debug, Clone)]
enum Item {
    /// `field|fieldref: other`, for equality.
    FieldRef {
        field: Field,
        other: Field,
        case_insensitive: bool,
    },
    /// `time|<part>: …` (one value or a list): each part of the event time
    /// computed from its milliseconds, then the inner matcher on it as a
    /// number.
    Time(CompiledDetectionItem),
    /// `time|<part>: …` listing whole numbers from 0 to 63 of one part (such
    /// as the hours of a shift): that part of the event time tested against
    /// the set, one bit per number.
    TimeSet(TimePart, u64, CompiledDetectionItem),
    /// Anything else on a known field: rsigma-eval's matcher on its value.
    Value {
        field: Field,
        item: CompiledDetectionItem,
    },
}

impl Native {
    /// The detection's items; `None` unless it is one list of items, each
    /// on a field the event model has.
    pub(crate) fn of(d: &CompiledDetection) -> Option<Self> {
        let CompiledDetection::AllOf(items) = d else {
            return None;
        };
        let items = items.iter().map(item).collect::<Option<Vec<_>>>()?;
        (!items.is_empty()).then_some(Self { items })
    }

    /// Whether the event matches the detection.
    pub(crate) fn matches(&self, view: &AccessEventView<'_>) -> bool {
        self.items.iter().all(|item| match item {
            Item::FieldRef {
                field,
                other,
                case_insensitive,
            } => match (view.value(*field), view.value(*other)) {
                (Some(a), Some(b)) => equal(&a, &b, *case_insensitive),
                // A missing field matches only a `null` matcher; a missing
                // reference matches nothing.
                _ => false,
            },
            Item::Time(item) => utc(view.event().time_ms)
                .and_then(|t| time_matches(&item.matcher, &t, view))
                // Beyond the years RFC 3339 writes: as rsigma-eval does.
                .unwrap_or_else(|| generic(Field::Time, item, view)),
            Item::TimeSet(part, set, item) => match utc(view.event().time_ms) {
                Some(t) => u32::try_from(part_of(&t, *part))
                    .ok()
                    .and_then(|v| 1u64.checked_shl(v))
                    .is_some_and(|bit| set & bit != 0),
                // Beyond the years RFC 3339 writes: as rsigma-eval does.
                None => generic(Field::Time, item, view),
            },
            Item::Value { field, item } => generic(*field, item, view),
        })
    }
}

fn item(item: &CompiledDetectionItem) -> Option<Item> {
    let field = Field::parse(item.field.as_deref()?)?;
    if item.exists.is_some() {
        return Some(Item::Value {
            field,
            item: item.clone(),
        });
    }
    Some(match &item.matcher {
        CompiledMatcher::FieldRef {
            field: other,
            op: IrStrOp::Exact,
            case_insensitive,
        } => Item::FieldRef {
            field,
            other: Field::parse(other)?,
            case_insensitive: *case_insensitive,
        },
        m if field == Field::Time && time_tree(m) => match time_set(m) {
            Some((part, set)) => Item::TimeSet(part, set, item.clone()),
            None => Item::Time(item.clone()),
        },
        _ => Item::Value {
            field,
            item: item.clone(),
        },
    })
}

/// rsigma-eval's evaluation of one item on a field.
fn generic(field: Field, item: &CompiledDetectionItem, view: &AccessEventView<'_>) -> bool {
    let value = view.get(field);
    if let Some(expect) = item.exists {
        return value.is_some_and(|v| !v.is_null()) == expect;
    }
    match value {
        Some(v) => item.matcher.matches(&v, view),
        None => matches!(item.matcher, CompiledMatcher::Null),
    }
}

/// Whether `m` tests time parts only: parts, or lists, conjunctions and
/// negations of them.
fn time_tree(m: &CompiledMatcher) -> bool {
    match m {
        CompiledMatcher::TimestampPart { .. } => true,
        CompiledMatcher::AnyOf(list) | CompiledMatcher::AllOf(list) => {
            !list.is_empty() && list.iter().all(time_tree)
        }
        CompiledMatcher::Not(inner) => time_tree(inner),
        _ => false,
    }
}

/// A matcher that holds when one time part equals any of a list of whole
/// numbers from 0 to 63, as that part and the set of numbers.
fn time_set(m: &CompiledMatcher) -> Option<(TimePart, u64)> {
    let one = |m: &CompiledMatcher| -> Option<(TimePart, u64)> {
        let CompiledMatcher::TimestampPart { part, inner } = m else {
            return None;
        };
        let CompiledMatcher::NumericEq(n) = **inner else {
            return None;
        };
        // A whole number the part can equal exactly (rsigma-eval compares
        // within f64::EPSILON, which for whole numbers is equality).
        let whole = n.fract() == 0.0 && (0.0..64.0).contains(&n);
        whole.then(|| (*part, 1u64 << (n as u32)))
    };
    match m {
        CompiledMatcher::AnyOf(list) => {
            let mut parts = list.iter().map(one);
            let (part, mut set) = parts.next()??;
            for p in parts {
                let (other, bit) = p?;
                if std::mem::discriminant(&other) != std::mem::discriminant(&part) {
                    return None;
                }
                set |= bit;
            }
            Some((part, set))
        }
        other => one(other),
    }
}

/// rsigma-eval's verdict of a [`time_tree`] matcher on the RFC 3339 text of
/// the time `t` (converted once for all the parts the matcher lists).
fn time_matches(m: &CompiledMatcher, t: &DateTime, view: &AccessEventView<'_>) -> Option<bool> {
    Some(match m {
        CompiledMatcher::TimestampPart { part, inner } => {
            inner.matches(&EventValue::Int(part_of(t, *part)), view)
        }
        CompiledMatcher::AnyOf(list) => {
            let mut any = false;
            for m in list {
                any |= time_matches(m, t, view)?;
            }
            any
        }
        CompiledMatcher::AllOf(list) => {
            let mut all = true;
            for m in list {
                all &= time_matches(m, t, view)?;
            }
            all
        }
        CompiledMatcher::Not(inner) => !time_matches(inner, t, view)?,
        _ => return None,
    })
}

/// The UTC time `ms`, for years 0 to 9999 (those RFC 3339 writes, which
/// rsigma-eval parses back).
fn utc(ms: i64) -> Option<DateTime> {
    let t = TimeZone::UTC.to_datetime(Timestamp::from_millisecond(ms).ok()?);
    (0..=9999).contains(&t.year()).then_some(t)
}

/// Part `part` of `t`.
fn part_of(t: &DateTime, part: TimePart) -> i64 {
    match part {
        TimePart::Minute => i64::from(t.minute()),
        TimePart::Hour => i64::from(t.hour()),
        TimePart::Day => i64::from(t.day()),
        TimePart::Week => i64::from(t.date().iso_week_date().week()),
        TimePart::Month => i64::from(t.month()),
        TimePart::Year => i64::from(t.year()),
    }
}

/// rsigma-eval's `fieldref` equality on two of our values (IP addresses and
/// times already text, as [`AccessEventView::value`] gives them): values
/// that read as text (strings and numbers; a one-element list is its
/// element) compare as text, lower-cased when case is ignored; anything
/// else compares as a value, so lists equal lists element by element.
fn equal(a: &Value<'_>, b: &Value<'_>, case_insensitive: bool) -> bool {
    if case_insensitive {
        let (mut ta, mut tb) = ([0u8; 20], [0u8; 20]);
        if let (Some(x), Some(y)) = (text(a, &mut ta), text(b, &mut tb)) {
            return if x.is_ascii() && y.is_ascii() {
                x.eq_ignore_ascii_case(y)
            } else {
                x.to_lowercase() == y.to_lowercase()
            };
        }
    }
    match (single(a), single(b)) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::List(xs), Value::List(ys)) => xs == ys,
        _ => false,
    }
}

/// A one-element list as its element.
fn single<'v>(v: &Value<'v>) -> Value<'v> {
    match *v {
        Value::List([one]) => Value::Str(one.as_str()),
        other => other,
    }
}

/// The value as text, when rsigma-eval reads it as text (a number in
/// decimal, written into `buf`).
fn text<'v>(v: &Value<'v>, buf: &'v mut [u8; 20]) -> Option<&'v str> {
    match single(v) {
        Value::Str(s) => Some(s),
        Value::Int(n) => {
            use std::io::Write as _;
            let mut out = std::io::Cursor::new(&mut buf[..]);
            write!(out, "{n}").ok()?;
            let len = usize::try_from(out.position()).ok()?;
            std::str::from_utf8(buf.get(..len)?).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use rsigma_eval::compiler::eval_condition;
    use rsigma_parser::ConditionExpr;
    use steward_model::event::{AccessEvent, PrincipalKind};

    use super::*;
    use crate::{RuleSet, RuleSetBuilder};

    fn rule(detection: &str) -> RuleSet {
        let yaml = format!(
            "title: t\nid: t\nlogsource: {{product: steward}}\ndetection:\n{detection}\n  condition: d\nlevel: low\n"
        );
        let loaded = RuleSetBuilder::new().yaml("t.yml", &yaml).build();
        assert!(loaded.errors.is_empty(), "{:#?}", loaded.errors);
        loaded.rules
    }

    /// Detection `d` of a one-rule set, compiled natively.
    fn native_of(detection: &str) -> Option<Native> {
        Native::of(&rule(detection).compiled()[0].detections["d"])
    }

    fn event(id: &str, subjects: &[&str], status: Option<u16>, time_ms: i64) -> AccessEvent {
        let mut e = AccessEvent::default();
        e.principal.id = id.into();
        e.principal.kind = PrincipalKind::Customer;
        e.subjects = subjects.iter().map(|s| (*s).into()).collect();
        e.status = status;
        e.time_ms = time_ms;
        e.endpoint = "/api/v1/members/{id}".into();
        e.source.ip = "203.0.113.7".parse().ok();
        e
    }

    fn events() -> Vec<AccessEvent> {
        let t = 1_744_600_000_123;
        vec![
            event("42", &["42"], None, t),
            event("42", &["41"], None, t),
            event("42", &["41", "42"], None, t),
            event("42", &[], None, t),
            event("", &[], None, t),
            event("Agent-7", &["agent-7"], None, t),
            event("agent-7", &["AGENT-8"], None, t),
            event("KELVIN", &["\u{212A}elvin"], None, t),
            event("Σοφία", &["σοφία"], None, t),
            event("200", &["200"], Some(200), t),
            event("0200", &["200"], Some(200), t),
            event("x", &["a", "b"], Some(7), t),
            // Midnight, a leap day, an ISO week of the year before, the
            // epoch, before it, the last millisecond of 9999 and past it.
            event("42", &["42"], None, 1_704_067_199_999),
            event("42", &["42"], None, 1_709_164_800_000),
            event("42", &["42"], None, 1_609_459_200_000),
            event("42", &["42"], None, 0),
            event("42", &["42"], None, -86_400_001),
            event("42", &["42"], None, 253_402_300_799_999),
            event("42", &["42"], None, 253_402_300_800_000),
        ]
    }

    #[test]
    fn verdicts_are_rsigma_evals() {
        let detections = [
            "  d:\n    subjects|fieldref: principal.id",
            "  d:\n    subjects|fieldref|cased: principal.id",
            "  d:\n    principal.id|fieldref: subjects",
            "  d:\n    status|fieldref: principal.id",
            "  d:\n    principal.id|fieldref: status",
            "  d:\n    subjects|fieldref: credential.token_id",
            "  d:\n    subjects|fieldref: principal.id\n    endpoint|fieldref: endpoint",
            "  d:\n    time|hour: [0, 3, 23]",
            "  d:\n    time|hour: 3",
            "  d:\n    time|hour: [3]\n    time|month: [4]",
            "  d:\n    time|minute: 6\n    time|day: [1, 14, 29, 31]",
            "  d:\n    time|week: [1, 2, 52, 53]",
            "  d:\n    time|month: [1, 2, 4, 12]",
            "  d:\n    time|year: [1969, 1970, 2020, 2024, 2025, 9999]",
            "  d:\n    time|hour: [3, 64]",
            "  d:\n    time|hour: [3.5, 23]",
            "  d:\n    time|minute: [0, 59]\n    time|hour: [0, 23]",
            "  d:\n    principal.kind: customer\n    endpoint|startswith: /api/v1/members/\n    time|hour: 3",
            "  d:\n    subjects|exists: false\n    status|gte: 200",
            "  d:\n    source.ip|cidr: 203.0.113.0/24\n    subjects: '42'",
            "  d:\n    principal.id: null",
            "  d:\n    time_ms|hour: 3",
            "  d:\n    subjects|fieldref|contains: principal.id",
        ];
        let events = events();
        let (mut compared, mut matched) = (0, 0);
        for detection in detections {
            let set = rule(detection);
            let compiled = &set.compiled()[0];
            let d = &compiled.detections["d"];
            let native = Native::of(d).expect(detection);
            let name = ConditionExpr::Identifier("d".to_owned());
            for e in &events {
                let view = AccessEventView::new(e);
                let theirs = eval_condition(&name, &compiled.detections, &view, &mut Vec::new());
                assert_eq!(native.matches(&view), theirs, "{detection} on {e:?}");
                compared += 1;
                matched += usize::from(theirs);
            }
        }
        assert_eq!(compared, 23 * 19);
        // Both verdicts come up often.
        assert!(matched > 60 && matched < compared - 60, "{matched}");
    }

    #[test]
    fn time_items_are_computed_from_milliseconds() {
        // Whole numbers 0-63 of one part: a set of bits.
        for (detection, set) in [
            ("  d:\n    time|hour: [9, 10]", 1 << 9 | 1 << 10),
            ("  d:\n    time|hour: 3", 1 << 3),
            (
                "  d:\n    time|week: [16, 17, 53]",
                1 << 16 | 1 << 17 | 1 << 53,
            ),
            ("  d:\n    time|minute: [0, 59]", 1 | 1 << 59),
        ] {
            let native = native_of(detection).unwrap();
            assert!(
                matches!(native.items.as_slice(), [Item::TimeSet(_, s, _)] if *s == set),
                "{detection}"
            );
        }
        // Years, fractions and numbers past 63: the matcher on the part.
        for detection in [
            "  d:\n    time|year: [2024, 2025]",
            "  d:\n    time|hour: [3, 64]",
            "  d:\n    time|hour: 3.5",
        ] {
            let native = native_of(detection).unwrap();
            assert!(
                matches!(native.items.as_slice(), [Item::Time(_)]),
                "{detection}"
            );
        }
    }

    fn time_part(ms: i64, part: TimePart) -> Option<i64> {
        utc(ms).map(|t| part_of(&t, part))
    }

    #[test]
    fn time_parts_are_utc() {
        let ms = 1_744_600_000_123; // 2025-04-14T03:06:40.123Z, a Monday
        assert_eq!(time_part(ms, TimePart::Hour), Some(3));
        assert_eq!(time_part(ms, TimePart::Minute), Some(6));
        assert_eq!(time_part(ms, TimePart::Day), Some(14));
        assert_eq!(time_part(ms, TimePart::Week), Some(16));
        assert_eq!(time_part(ms, TimePart::Month), Some(4));
        assert_eq!(time_part(ms, TimePart::Year), Some(2025));
        assert_eq!(time_part(-62_167_219_200_001, TimePart::Year), None);
    }

    #[test]
    fn other_detections_are_left_to_rsigma_eval() {
        for detection in [
            "  d:\n    - subjects|fieldref: principal.id\n    - outcome: success",
            "  d:\n    - needle",
            "  d:\n    user.name: x",
        ] {
            assert!(native_of(detection).is_none(), "{detection}");
        }
    }
}
