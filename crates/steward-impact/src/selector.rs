//! What to compute the impact of: access events picked by principal, token,
//! signing key, source IP, route and time window. Values of one kind are
//! alternatives (any principal listed); kinds narrow each other (this
//! principal *and* this window).

use std::fmt::Write as _;

use datafusion::prelude::{Expr, col, lit};
use datafusion::scalar::ScalarValue;
use steward_model::masked::mask_ip;
use steward_model::time::rfc3339_millis;

use crate::error::{ImpactError, Result};

/// A selection of access events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selector {
    /// Principals: token subjects (`auth_sub`: member id, employee id,
    /// `svc:name`) or partner API keys (`auth_api_key`).
    pub principals: Vec<String>,
    /// Token ids (`jti`).
    pub tokens: Vec<String>,
    /// Signing key ids (`kid`).
    pub signing_keys: Vec<String>,
    /// Only tokens with no issuance record (forged), judged where the
    /// issuance log covers the token's issue time.
    pub forged_only: bool,
    /// Source IP addresses.
    pub ips: Vec<String>,
    /// Source countries as the CDN reports them (`client_geo`).
    pub countries: Vec<String>,
    /// Source countries to leave out (`KR` keeps only access from abroad).
    pub exclude_countries: Vec<String>,
    /// Client user agents, exactly.
    pub user_agents: Vec<String>,
    /// Route templates (`/api/v1/members/{id}/addresses`).
    pub routes: Vec<String>,
    /// Window start, epoch ms, inclusive.
    pub since_ms: Option<i64>,
    /// Window end, epoch ms, exclusive.
    pub until_ms: Option<i64>,
}

impl Selector {
    /// Whether nothing at all is selected.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.principals.is_empty()
            && self.tokens.is_empty()
            && self.signing_keys.is_empty()
            && !self.forged_only
            && self.ips.is_empty()
            && self.countries.is_empty()
            && self.exclude_countries.is_empty()
            && self.user_agents.is_empty()
            && self.routes.is_empty()
            && self.since_ms.is_none()
            && self.until_ms.is_none()
    }

    /// Checks that the selector selects something and is well formed.
    ///
    /// # Errors
    /// [`ImpactError::EmptySelector`], or [`ImpactError::Selector`] for a
    /// window that ends before it starts or an IP that is not one.
    pub fn validate(&self) -> Result<()> {
        if self.is_empty() {
            return Err(ImpactError::EmptySelector);
        }
        if let (Some(a), Some(b)) = (self.since_ms, self.until_ms)
            && b <= a
        {
            return Err(ImpactError::Selector(format!(
                "the window ends (`{}`) before it starts (`{}`)",
                rfc3339_millis(b),
                rfc3339_millis(a)
            )));
        }
        if let Some(bad) = self
            .ips
            .iter()
            .find(|ip| ip.parse::<std::net::IpAddr>().is_err())
        {
            return Err(ImpactError::Selector(format!(
                "`{}` is not an IP address",
                mask_ip(bad)
            )));
        }
        Ok(())
    }

    /// A description without personal data: IP addresses are masked
    /// (`ip=203.0.*.*`).
    #[must_use]
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut list = |name: &str, values: &[String], mask: bool| {
            if !values.is_empty() {
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| if mask { mask_ip(v) } else { v.clone() })
                    .collect();
                parts.push(format!("{name}={}", shown.join(",")));
            }
        };
        list("principal", &self.principals, false);
        list("token", &self.tokens, false);
        list("key", &self.signing_keys, false);
        list("ip", &self.ips, true);
        list("country", &self.countries, false);
        list("not-country", &self.exclude_countries, false);
        list("user-agent", &self.user_agents, false);
        list("route", &self.routes, false);
        if self.forged_only {
            parts.push("forged-only".to_owned());
        }
        if self.since_ms.is_some() || self.until_ms.is_some() {
            let mut w = String::from("window=");
            let _ = write!(
                w,
                "{}..{}",
                self.since_ms.map(rfc3339_millis).unwrap_or_default(),
                self.until_ms.map(rfc3339_millis).unwrap_or_default()
            );
            parts.push(w);
        }
        parts.join(" ")
    }

    /// The filter over the flat `access` columns, `None` when only
    /// `forged_only` is set (the anti-join does the selecting).
    #[must_use]
    pub fn filter(&self) -> Option<Expr> {
        let any = |column: &str, values: &[String]| -> Option<Expr> {
            (!values.is_empty()).then(|| {
                let list = values.iter().map(|v| lit(v.clone())).collect();
                col(column).in_list(list, false)
            })
        };
        let principal = (!self.principals.is_empty()).then(|| {
            let list: Vec<Expr> = self.principals.iter().map(|v| lit(v.clone())).collect();
            col("auth_sub")
                .in_list(list.clone(), false)
                .or(col("auth_api_key").in_list(list, false))
        });
        let at = |ms: i64| {
            lit(ScalarValue::TimestampMillisecond(
                Some(ms),
                Some("UTC".into()),
            ))
        };
        let parts = [
            principal,
            any("auth_jti", &self.tokens),
            any("auth_kid", &self.signing_keys),
            any("client_ip", &self.ips),
            any("client_geo", &self.countries),
            (!self.exclude_countries.is_empty()).then(|| {
                let list = self
                    .exclude_countries
                    .iter()
                    .map(|v| lit(v.clone()))
                    .collect();
                col("client_geo")
                    .in_list(list, true)
                    .or(col("client_geo").is_null())
            }),
            any("client_ua", &self.user_agents),
            any("http_route", &self.routes),
            self.since_ms.map(|ms| col("ts").gt_eq(at(ms))),
            self.until_ms.map(|ms| col("ts").lt(at(ms))),
        ];
        parts.into_iter().flatten().reduce(Expr::and)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_selector_is_refused() {
        assert!(matches!(
            Selector::default().validate(),
            Err(ImpactError::EmptySelector)
        ));
        assert!(Selector::default().filter().is_none());
    }

    #[test]
    fn descriptions_mask_ips_and_name_every_kind() {
        let s = Selector {
            principals: vec!["E0113".into()],
            signing_keys: vec!["member-2021".into()],
            forged_only: true,
            ips: vec!["203.0.113.7".into()],
            since_ms: Some(1_744_588_800_000),
            ..Selector::default()
        };
        assert_eq!(
            s.describe(),
            "principal=E0113 key=member-2021 ip=203.0.*.* forged-only window=2025-04-14T00:00:00.000Z.."
        );
        assert!(s.validate().is_ok());
        let f = s.filter().map(|e| e.to_string()).unwrap_or_default();
        assert!(f.contains("auth_sub") && f.contains("auth_api_key"), "{f}");
        assert!(f.contains("auth_kid") && f.contains("ts >="), "{f}");
    }

    #[test]
    fn bad_windows_and_ips_are_refused_without_echoing_the_ip() {
        let s = Selector {
            since_ms: Some(10),
            until_ms: Some(5),
            ..Selector::default()
        };
        assert!(matches!(s.validate(), Err(ImpactError::Selector(_))));
        let s = Selector {
            ips: vec!["10.1.2.300".into()],
            ..Selector::default()
        };
        let e = s.validate().map_err(|e| e.to_string()).err();
        assert_eq!(
            e.as_deref(),
            Some("invalid selector: `*` is not an IP address")
        );
    }
}
