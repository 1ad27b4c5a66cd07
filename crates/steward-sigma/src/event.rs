//! rsigma-eval's [`Event`] trait over a borrowed [`AccessEvent`], so rules
//! are matched without building a JSON tree per event.
//!
//! Field lookups resolve the rule's field name to a [`Field`] and borrow the
//! value from the event; the client IP and the RFC 3339 time are rendered at
//! most once per event, on first use. [`Event::to_json`] (used only for
//! explanations, never on the matching path) builds the nested object the
//! dotted names describe.

use std::borrow::Cow;
use std::cell::OnceCell;

use rsigma_eval::event::{Event, EventValue};
use serde_json::{Map, Value as Json};
use steward_model::event::AccessEvent;

use crate::fields::{Field, Value, value};

/// A borrowed access event as rsigma-eval sees it.
///
/// ```
/// use rsigma_eval::event::{Event, EventValue};
/// use steward_model::event::AccessEvent;
/// use steward_sigma::AccessEventView;
///
/// let mut e = AccessEvent::default();
/// e.principal.id = "agent-7".into();
/// e.subjects = vec!["41".into(), "42".into()];
/// // Lists are arrays; a one-element list is its element.
/// let view = AccessEventView::new(&e);
/// assert_eq!(view.get_field("principal.id").unwrap().as_str().unwrap(), "agent-7");
/// assert!(matches!(view.get_field("subjects"), Some(EventValue::Array(v)) if v.len() == 2));
/// assert!(view.get_field("source.ip").is_none());
/// ```
#[derive(Debug)]
pub struct AccessEventView<'a> {
    event: &'a AccessEvent,
    ip: OnceCell<steward_model::net::IpText>,
    time: OnceCell<String>,
}

impl<'a> AccessEventView<'a> {
    /// Wraps `event`.
    #[must_use]
    pub const fn new(event: &'a AccessEvent) -> Self {
        Self {
            event,
            ip: OnceCell::new(),
            time: OnceCell::new(),
        }
    }

    /// The event.
    #[must_use]
    pub const fn event(&self) -> &'a AccessEvent {
        self.event
    }

    fn event_value(&self, v: Value<'a>) -> EventValue<'_> {
        match v {
            Value::Str(s) => EventValue::Str(Cow::Borrowed(s)),
            Value::Int(n) => EventValue::Int(n),
            Value::Ip(ip) => EventValue::Str(Cow::Borrowed(
                self.ip
                    .get_or_init(|| steward_model::net::IpText::new(ip))
                    .as_str(),
            )),
            Value::Time(ms) => EventValue::Str(Cow::Borrowed(
                self.time
                    .get_or_init(|| steward_model::time::rfc3339_millis(ms))
                    .as_str(),
            )),
            // A one-element list is presented as its element: matching is the
            // same (a list matches when any element does), and `fieldref`,
            // which rsigma-eval compares as whole values, works against it.
            Value::List([one]) => EventValue::Str(Cow::Borrowed(one.as_str())),
            Value::List(items) => EventValue::Array(
                items
                    .iter()
                    .map(|s| EventValue::Str(Cow::Borrowed(s.as_str())))
                    .collect(),
            ),
        }
    }

    /// The value of `field` as rsigma-eval sees it.
    pub(crate) fn get(&self, field: Field) -> Option<EventValue<'_>> {
        value(self.event, field).map(|v| self.event_value(v))
    }

    /// The value of `field`, with the IP and time rendered once per event.
    pub(crate) fn value(&self, field: Field) -> Option<Value<'_>> {
        Some(match value(self.event, field)? {
            Value::Ip(ip) => Value::Str(
                self.ip
                    .get_or_init(|| steward_model::net::IpText::new(ip))
                    .as_str(),
            ),
            Value::Time(ms) => Value::Str(
                self.time
                    .get_or_init(|| steward_model::time::rfc3339_millis(ms))
                    .as_str(),
            ),
            other => other,
        })
    }

    fn visit_strings(&self, visit: &mut dyn FnMut(&str) -> bool) -> bool {
        for field in Field::ALL {
            let Some(v) = value(self.event, field) else {
                continue;
            };
            let stop = match v {
                Value::Int(_) => false,
                Value::List(items) => items.iter().any(|s| visit(s)),
                other => match self.event_value(other) {
                    EventValue::Str(s) => visit(&s),
                    _ => false,
                },
            };
            if stop {
                return true;
            }
        }
        false
    }
}

impl Event for AccessEventView<'_> {
    fn get_field(&self, path: &str) -> Option<EventValue<'_>> {
        self.get(Field::parse(path)?)
    }

    fn any_string_value(&self, pred: &dyn Fn(&str) -> bool) -> bool {
        self.visit_strings(&mut |s| pred(s))
    }

    fn all_string_values(&self) -> Vec<Cow<'_, str>> {
        let mut out = Vec::new();
        self.visit_strings(&mut |s| {
            out.push(Cow::Owned(s.to_owned()));
            false
        });
        out
    }

    fn visit_string_values(&self, visit: &mut dyn FnMut(&str)) {
        self.visit_strings(&mut |s| {
            visit(s);
            false
        });
    }

    fn to_json(&self) -> Json {
        let mut root = Map::new();
        for field in Field::ALL {
            let Some(v) = value(self.event, field) else {
                continue;
            };
            let json = match v {
                Value::List(items) => {
                    Json::Array(items.iter().map(|s| Json::from(s.as_str())).collect())
                }
                other => self.event_value(other).to_json(),
            };
            let mut parts = field.name().split('.');
            let (Some(first), second) = (parts.next(), parts.next()) else {
                continue;
            };
            match second {
                None => {
                    root.insert(first.to_owned(), json);
                }
                Some(leaf) => {
                    let entry = root
                        .entry(first.to_owned())
                        .or_insert_with(|| Json::Object(Map::new()));
                    if let Json::Object(inner) = entry {
                        inner.insert(leaf.to_owned(), json);
                    }
                }
            }
        }
        Json::Object(root)
    }

    fn field_keys(&self) -> Vec<Cow<'_, str>> {
        Field::ALL
            .iter()
            .filter(|f| value(self.event, **f).is_some())
            .map(|f| Cow::Borrowed(f.name()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use steward_model::event::{Outcome, Principal, PrincipalKind};

    fn sample() -> AccessEvent {
        AccessEvent {
            time_ms: 1_744_600_000_123,
            event_id: "r-1".into(),
            principal: Principal {
                id: "1042".into(),
                kind: PrincipalKind::Customer,
            },
            source: steward_model::event::Source {
                ip: "203.0.113.7".parse().ok(),
                country: steward_model::jurisdiction::Country::parse("CN").ok(),
            },
            endpoint: "/api/v1/members/{id}/addresses".into(),
            subjects: vec!["1042".into()],
            outcome: Outcome::Success,
            status: Some(200),
            ..AccessEvent::default()
        }
    }

    #[test]
    fn fields_and_json() {
        let e = sample();
        let v = AccessEventView::new(&e);
        assert_eq!(
            v.get_field("source.ip")
                .and_then(|x| x.as_str().map(|s| s.into_owned())),
            Some("203.0.113.7".to_owned())
        );
        assert_eq!(
            v.get_field("time")
                .and_then(|x| x.as_str().map(|s| s.into_owned())),
            Some("2025-04-14T03:06:40.123Z".to_owned())
        );
        assert_eq!(v.get_field("status"), Some(EventValue::Int(200)));
        let json = v.to_json();
        assert_eq!(json["principal"]["id"], "1042");
        assert_eq!(json["source"]["country"], "CN");
        assert_eq!(json["subjects"][0], "1042");
        assert!(json.get("bytes").is_none());
        assert!(v.any_string_value(&|s| s == "CN"));
        assert!(!v.any_string_value(&|s| s == "200"));
        assert!(v.all_string_values().iter().any(|s| s == "203.0.113.7"));
        assert!(v.field_keys().iter().any(|k| k == "principal.kind"));
    }
}
