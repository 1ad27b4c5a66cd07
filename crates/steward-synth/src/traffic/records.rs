//! What the gateway and the auth service log, and how it is written.

use serde::Serialize;
use steward_model::time::rfc3339_millis;

use crate::rng::mix64;

/// The four switchable attacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attack {
    /// A departed engineer's retained key forges tokens and walks member ids.
    Replay,
    /// Credential stuffing against the login endpoint.
    Stuffing,
    /// A support agent reading far beyond their baseline.
    Insider,
    /// A leaked partner API key scraping through many IPs.
    Scraper,
}

impl Attack {
    /// Every attack.
    pub const ALL: [Self; 4] = [Self::Replay, Self::Stuffing, Self::Insider, Self::Scraper];

    /// Stable name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Replay => "replay",
            Self::Stuffing => "stuffing",
            Self::Insider => "insider",
            Self::Scraper => "scraper",
        }
    }
}

/// Who a token was issued to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A member by id.
    Member(u64),
    /// An employee by roster index.
    Staff(u32),
    /// A service account.
    Service(&'static str),
}

/// A bearer token's claims as the gateway logs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Subject.
    pub sub: Subject,
    /// `jti`, 128 bits.
    pub jti: (u64, u64),
    /// Session id.
    pub sid: u64,
    /// Signing key id.
    pub kid: &'static str,
    /// Issued-at, epoch milliseconds.
    pub iat_ms: i64,
}

/// How a request authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// No credential (login, public pages).
    None,
    /// A bearer token.
    Token(Token),
    /// A partner API key.
    ApiKey {
        /// Key id.
        key: &'static str,
        /// Partner name.
        partner: &'static str,
    },
}

/// One gateway request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Method.
    pub method: &'static str,
    /// Route template.
    pub route: &'static str,
    /// Member the route targets, if any.
    pub member: Option<u64>,
    /// Product id for product routes.
    pub product: Option<u32>,
    /// HTTP status.
    pub status: u16,
    /// Client IPv4 address.
    pub ip: u32,
    /// Country of the IP as the CDN reports it.
    pub geo: &'static str,
    /// User agent.
    pub ua: &'static str,
    /// Credential.
    pub auth: Auth,
    /// Records returned.
    pub records: u32,
    /// Bytes returned.
    pub bytes: u32,
}

/// One record of either log, with its time and, for ground truth, the attack
/// that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Event time, epoch milliseconds.
    pub ts: i64,
    /// Unique sequence within the run (slice and index), the tie-breaker.
    pub seq: u64,
    /// Attack that produced it, if any.
    pub attack: Option<Attack>,
    /// Payload.
    pub kind: RecordKind,
}

/// The payload of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKind {
    /// A gateway request.
    Gateway(Request),
    /// The auth service issued a token.
    Issued {
        /// The token.
        token: Token,
        /// Client IP.
        ip: u32,
        /// Country of the IP.
        geo: &'static str,
        /// `password`, `sso` or `client_credentials`.
        method: &'static str,
    },
    /// A failed login.
    LoginFailed {
        /// Member id when the account exists.
        account: Option<u64>,
        /// `bad_password` or `unknown_account`.
        reason: &'static str,
        /// Client IP.
        ip: u32,
        /// Country of the IP.
        geo: &'static str,
    },
}

/// The request id of a record: a bijection of its sequence, so ids are unique.
#[must_use]
pub fn request_id(seq: u64) -> String {
    format!("{:016x}", mix64(seq ^ 0x5eed_0000_0000_0000))
}

/// Formats a 128-bit token id as a UUID-shaped string.
#[must_use]
pub fn uuid_text(hi: u64, lo: u64) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0x0fff,
        ((lo >> 48) & 0x3fff) | 0x8000,
        lo & 0xffff_ffff_ffff
    )
}

/// Formats an IPv4 address.
#[must_use]
pub fn ip_text(ip: u32) -> String {
    std::net::Ipv4Addr::from(ip).to_string()
}

/// The `sub` and `sub_type` the gateway logs for a token subject.
pub(crate) fn sub_fields(sub: Subject, staff_ids: &[String]) -> (String, &'static str) {
    match sub {
        Subject::Member(id) => (id.to_string(), "member"),
        Subject::Staff(i) => (
            staff_ids.get(i as usize).cloned().unwrap_or_default(),
            "staff",
        ),
        Subject::Service(name) => (format!("svc:{name}"), "service"),
    }
}

#[derive(Serialize)]
struct GwLine<'a> {
    ts: String,
    request_id: String,
    http: GwHttp<'a>,
    client: GwClient<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth: Option<GwAuth<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<GwTarget>,
    resp: GwResp,
}

#[derive(Serialize)]
struct GwHttp<'a> {
    method: &'a str,
    path: String,
    route: &'a str,
    status: u16,
}

#[derive(Serialize)]
struct GwClient<'a> {
    ip: String,
    geo: &'a str,
    ua: &'a str,
}

#[derive(Serialize)]
struct GwAuth<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    sub: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    jti: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    iat: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partner: Option<&'a str>,
}

#[derive(Serialize)]
struct GwTarget {
    member_id: u64,
}

#[derive(Serialize)]
struct GwResp {
    records: u32,
    bytes: u32,
}

/// The concrete path of a request.
#[must_use]
pub fn path_of(r: &Request) -> String {
    match (r.member, r.product) {
        (Some(m), _) => r.route.replace("{id}", &m.to_string()),
        (None, Some(p)) => r.route.replace("{id}", &p.to_string()),
        (None, None) => r.route.to_owned(),
    }
}

/// Session id text.
#[must_use]
pub fn sid_text(sid: u64) -> String {
    format!("s-{sid:016x}")
}

/// Appends a gateway record as one JSON line.
pub fn write_gateway_json(out: &mut Vec<u8>, ts: i64, seq: u64, r: &Request, staff_ids: &[String]) {
    let auth = match r.auth {
        Auth::None => None,
        Auth::Token(t) => {
            let (sub, sub_type) = sub_fields(t.sub, staff_ids);
            Some(GwAuth {
                sub: Some(sub),
                sub_type: Some(sub_type),
                jti: Some(uuid_text(t.jti.0, t.jti.1)),
                sid: Some(sid_text(t.sid)),
                kid: Some(t.kid),
                iat: Some(t.iat_ms.div_euclid(1000)),
                api_key: None,
                partner: None,
            })
        }
        Auth::ApiKey { key, partner } => Some(GwAuth {
            sub: None,
            sub_type: Some("partner"),
            jti: None,
            sid: None,
            kid: None,
            iat: None,
            api_key: Some(key),
            partner: Some(partner),
        }),
    };
    let line = GwLine {
        ts: rfc3339_millis(ts),
        request_id: request_id(seq),
        http: GwHttp {
            method: r.method,
            path: path_of(r),
            route: r.route,
            status: r.status,
        },
        client: GwClient {
            ip: ip_text(r.ip),
            geo: r.geo,
            ua: r.ua,
        },
        auth,
        target: r.member.map(|member_id| GwTarget { member_id }),
        resp: GwResp {
            records: r.records,
            bytes: r.bytes,
        },
    };
    if serde_json::to_writer(&mut *out, &line).is_ok() {
        out.push(b'\n');
    }
}

#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum AuthLine<'a> {
    TokenIssued {
        ts: String,
        jti: String,
        sid: String,
        sub: String,
        sub_type: &'a str,
        kid: &'a str,
        iat: i64,
        exp: i64,
        ip: String,
        geo: &'a str,
        method: &'a str,
    },
    LoginFailed {
        ts: String,
        account: Option<u64>,
        reason: &'a str,
        ip: String,
        geo: &'a str,
    },
}

/// Appends an auth-service record as one JSON line; gateway records are skipped.
pub fn write_auth_json(out: &mut Vec<u8>, rec: &Record, staff_ids: &[String]) {
    let line = match &rec.kind {
        RecordKind::Gateway(_) => return,
        RecordKind::Issued {
            token,
            ip,
            geo,
            method,
        } => {
            let (sub, sub_type) = sub_fields(token.sub, staff_ids);
            let iat = token.iat_ms.div_euclid(1000);
            AuthLine::TokenIssued {
                ts: rfc3339_millis(rec.ts),
                jti: uuid_text(token.jti.0, token.jti.1),
                sid: sid_text(token.sid),
                sub,
                sub_type,
                kid: token.kid,
                iat,
                exp: iat
                    + if sub_type == "member" {
                        3600
                    } else {
                        12 * 3600
                    },
                ip: ip_text(*ip),
                geo,
                method,
            }
        }
        RecordKind::LoginFailed {
            account,
            reason,
            ip,
            geo,
        } => AuthLine::LoginFailed {
            ts: rfc3339_millis(rec.ts),
            account: *account,
            reason,
            ip: ip_text(*ip),
            geo,
        },
    };
    if serde_json::to_writer(&mut *out, &line).is_ok() {
        out.push(b'\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_well_formed() {
        assert_eq!(request_id(1).len(), 16);
        assert_ne!(request_id(1), request_id(2));
        let u = uuid_text(u64::MAX, 0);
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert_eq!(ip_text(0x0a14_0001), "10.20.0.1");
    }

    #[test]
    fn gateway_line_shape() {
        let r = Request {
            method: "GET",
            route: "/api/v1/members/{id}/addresses",
            member: Some(42),
            product: None,
            status: 200,
            ip: 0xcb00_7107,
            geo: "CN",
            ua: "okhttp/4.12.0",
            auth: Auth::Token(Token {
                sub: Subject::Member(42),
                jti: (1, 2),
                sid: 3,
                kid: "member-2021",
                iat_ms: 1_744_588_800_000,
            }),
            records: 3,
            bytes: 900,
        };
        let mut out = Vec::new();
        write_gateway_json(&mut out, 1_744_588_801_000, 7, &r, &[]);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["http"]["path"], "/api/v1/members/42/addresses");
        assert_eq!(v["auth"]["kid"], "member-2021");
        assert_eq!(v["auth"]["iat"], 1_744_588_800);
        assert_eq!(v["target"]["member_id"], 42);
        assert_eq!(v["client"]["ip"], "203.0.113.7");
        assert!(out.ends_with(b"\n"));
    }
}
