//! Free-text stores: customer-service tickets with personal data inside
//! Korean, English, Chinese and Japanese prose, application logs that leak
//! it, and the secrets that made the breach possible. Every planted value is
//! recorded with its exact place in the ground truth.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use steward_model::category::keys;
use steward_model::time::rfc3339_millis;

use crate::error::Result;
use crate::output::{Out, OutFile};
use crate::people;
use crate::rng::{Domain, Rng};
use crate::truth::TextTruth;

mod id_tickets;

/// Paths of the text stores.
pub mod paths {
    #![allow(missing_docs)]
    pub const TICKETS: &str = "stores/cs_tickets.jsonl";
    pub const APP_LOG: &str = "logs/app/order-svc.log";
    pub const AUTH_ENV: &str = "stores/config/auth-service.env";
    pub const MAPS_ENV: &str = "stores/config/maps.env";
    pub const MEMBER_KEY_PEM: &str = "stores/config/member-2021.pem";
}

/// A piece of text being assembled, with the values planted in it.
struct Text {
    s: String,
    planted: Vec<(usize, &'static str, &'static str, String)>,
}

impl Text {
    fn new() -> Self {
        Self {
            s: String::new(),
            planted: Vec::new(),
        }
    }
    fn lit(&mut self, t: &str) -> &mut Self {
        self.s.push_str(t);
        self
    }
    fn pii(&mut self, value: &str, detector: &'static str, category: &'static str) -> &mut Self {
        self.planted
            .push((self.s.len(), detector, category, value.to_owned()));
        self.s.push_str(value);
        self
    }
}

/// A ticket's JSON fields other than its body.
struct TicketHead<'a> {
    line: u64,
    member: u64,
    created_at: String,
    channel: &'static str,
    lang: &'static str,
    subject: &'a str,
}

/// Writes one ticket and records what its body holds.
fn write_ticket(
    f: &mut OutFile,
    head: &TicketHead<'_>,
    body: Text,
    truth: &mut Vec<TextTruth>,
) -> Result<()> {
    let line = serde_json::json!({
        "ticket_id": format!("T{:08}", head.line), "member_id": head.member,
        "created_at": head.created_at,
        "channel": head.channel, "lang": head.lang,
        "subject": head.subject, "body": body.s,
    });
    for (offset, detector, category, value) in body.planted {
        truth.push(TextTruth {
            path: paths::TICKETS.into(),
            line: head.line,
            offset: offset as u64,
            field: Some("$.body"),
            detector,
            category,
            value,
        });
    }
    f.write(format!("{line}\n").as_bytes())
}

fn created_and_channel(rng: &mut Rng, start_ms: i64) -> (String, &'static str) {
    let created_at = rfc3339_millis(start_ms - (rng.below(90 * 86_400) as i64) * 1000);
    let channel = if rng.chance(0.6) { "app" } else { "email" };
    (created_at, channel)
}

/// Writes the tickets: the ordinary ones, then those quoting identity, tax
/// and bank identifiers and labelled delivery details; returns how many.
///
/// # Errors
/// A failed write, naming the file.
pub fn write_tickets(
    out: &Out,
    seed: u64,
    n: u64,
    start_ms: i64,
    clean: bool,
    truth: &mut Vec<TextTruth>,
) -> Result<u64> {
    let mut f = out.file(paths::TICKETS)?;
    let count = (n / 50).max(20);
    for t in 0..count {
        let mut rng = Rng::stream(seed, Domain::Tickets, t);
        let member = rng.range(1, n);
        let c = people::customer(seed, member);
        let p = &c.person;
        let korean = p.residence.country == "KR" && rng.chance(0.85);
        let mut body = Text::new();
        let subject;
        match (korean, rng.below(4)) {
            (true, 0) => {
                subject = "배송지 변경 요청";
                body.lit("안녕하세요. 주문한 상품 배송지를 ")
                    .pii(&p.residence.address, "ADDRESS", keys::STREET)
                    .lit("(으)로 바꿔주세요. 연락처는 ")
                    .pii(&p.phone, "PHONE", keys::PHONE)
                    .lit(" 입니다.");
            }
            (true, 1) => {
                subject = "해외직구 통관 문의";
                let pccc = c
                    .pccc
                    .clone()
                    .unwrap_or_else(|| crate::idgen::kr_pccc(&mut rng));
                body.lit("개인통관고유부호 ")
                    .pii(&pccc, "KR_PCCC", keys::KR_PCCC)
                    .lit(" 로 등록했는데 통관이 보류됐어요. 메일 ")
                    .pii(&c.email, "EMAIL", keys::EMAIL)
                    .lit(" 로 답장 부탁드립니다.");
            }
            (true, 2) if clean => {
                // The clean variant's agents never ask for the number.
                subject = "본인인증 오류";
                body.lit("본인인증이 계속 실패합니다. 전화: ")
                    .pii(&p.phone, "PHONE", keys::PHONE);
            }
            (true, 2) => {
                subject = "본인인증 오류";
                let rrn = crate::idgen::kr_rrn(&mut rng, 1990, 5, 17, p.male, false);
                body.lit("본인인증이 계속 실패합니다. 주민번호 ")
                    .pii(&rrn, "KR_RRN", keys::KR_RRN)
                    .lit(" 확인해 주세요. 전화: ")
                    .pii(&p.phone, "PHONE", keys::PHONE);
            }
            (false, 0) => {
                subject = "Refund to card";
                let card = c
                    .card
                    .clone()
                    .unwrap_or_else(|| crate::idgen::card(&mut rng));
                body.lit("Please refund order to my card ")
                    .pii(&card, "PAYMENT_CARD", keys::CREDIT_CARD)
                    .lit(". You can reach me at ")
                    .pii(&c.email, "EMAIL", keys::EMAIL)
                    .lit(".");
            }
            _ => {
                subject = "Delivery problem";
                body.lit("My parcel never arrived at ")
                    .pii(&p.residence.address, "ADDRESS", keys::STREET)
                    .lit(". Call ")
                    .pii(&p.phone, "PHONE", keys::PHONE)
                    .lit(" before delivery, thanks.");
            }
        }
        let (created_at, channel) = created_and_channel(&mut rng, start_ms);
        let head = TicketHead {
            line: t + 1,
            member,
            created_at,
            channel,
            lang: if korean { "ko" } else { "en" },
            subject,
        };
        write_ticket(&mut f, &head, body, truth)?;
    }
    let extra = id_tickets::count(n);
    for k in 0..extra {
        let mut t = id_tickets::ticket(seed, n, k);
        let (created_at, channel) = created_and_channel(&mut t.rng, start_ms);
        let head = TicketHead {
            line: count + k + 1,
            member: t.member,
            created_at,
            channel,
            lang: t.lang,
            subject: t.subject,
        };
        write_ticket(&mut f, &head, t.body, truth)?;
    }
    f.finish()?;
    Ok(count + extra)
}

fn log_line(f: &mut OutFile, line_no: u64, text: &Text, truth: &mut Vec<TextTruth>) -> Result<()> {
    let base = f.position();
    for (offset, detector, category, value) in &text.planted {
        truth.push(TextTruth {
            path: paths::APP_LOG.into(),
            line: line_no,
            offset: base + *offset as u64,
            field: None,
            detector,
            category,
            value: value.clone(),
        });
    }
    f.write(text.s.as_bytes())?;
    f.write(b"\n")
}

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(
                A.get(((n >> (18 - 6 * i)) & 63) as usize)
                    .copied()
                    .unwrap_or(b'A'),
            ));
        }
    }
    out
}

/// A real HS256 JWT over a member's claims, signed with `secret`.
#[must_use]
pub fn jwt(secret: &[u8], sub: u64, iat: i64) -> String {
    let header = b64url(br#"{"alg":"HS256","typ":"JWT","kid":"member-2021"}"#);
    let claims =
        b64url(format!(r#"{{"sub":"{sub}","iat":{iat},"exp":{}}}"#, iat + 3600).as_bytes());
    let signing = format!("{header}.{claims}");
    let sig = Hmac::<Sha256>::new_from_slice(secret).map(|mut m| {
        m.update(signing.as_bytes());
        m.finalize().into_bytes().to_vec()
    });
    format!("{signing}.{}", b64url(&sig.unwrap_or_default()))
}

/// The secret the synthetic auth service signs member tokens with.
#[must_use]
pub fn signing_secret(seed: u64) -> String {
    let mut rng = Rng::stream(seed, Domain::Secrets, 0);
    (0..48)
        .map(|_| {
            char::from(
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                    .get(rng.below(62) as usize)
                    .copied()
                    .unwrap_or(b'x'),
            )
        })
        .collect()
}

/// Order lines of the application log turned into token-leaking warnings.
const FORCED_JWTS: u64 = 6;

/// Writes the application log; returns the lines written.
///
/// # Errors
/// A failed write, naming the file.
pub fn write_app_log(
    out: &Out,
    seed: u64,
    n: u64,
    start_ms: i64,
    days: u32,
    clean: bool,
    truth: &mut Vec<TextTruth>,
) -> Result<u64> {
    let mut f = out.file(paths::APP_LOG)?;
    let lines = (n / 4).clamp(200, 400_000);
    let step = (i64::from(days) * 86_400_000) / lines as i64;
    let secret = signing_secret(seed);
    // Besides the tokens a debug header dump leaks now and then, a few retry
    // warnings quote one, spread over the log, so even a small platform's
    // log holds some: the next order line after each slot becomes one.
    let slot = |k: u64| k * lines / FORCED_JWTS + lines / (2 * FORCED_JWTS);
    let (mut next_slot, mut owed) = (0u64, 0u64);
    for i in 0..lines {
        if next_slot < FORCED_JWTS && i >= slot(next_slot) {
            next_slot += 1;
            owed += 1;
        }
        let mut rng = Rng::stream(seed, Domain::AppLogs, i);
        let ts = rfc3339_millis(start_ms + step * i as i64 + rng.below(step.max(1) as u64) as i64);
        let member = rng.range(1, n);
        let mut t = Text::new();
        // The clean variant logs only what carries no personal data.
        let kind = if clean { u64::MAX } else { rng.below(10) };
        match kind {
            0 => {
                let c = people::customer(seed, member);
                t.lit(&format!(
                    "{ts} INFO  order-svc checkout member={member} phone="
                ))
                .pii(&c.person.phone, "PHONE", keys::PHONE)
                .lit(" email=")
                .pii(&c.email, "EMAIL", keys::EMAIL);
            }
            1 => {
                let c = people::customer(seed, member);
                let card = c
                    .card
                    .clone()
                    .unwrap_or_else(|| crate::idgen::card(&mut rng));
                t.lit(&format!(
                    "{ts} WARN  payment-svc declined member={member} card="
                ))
                .pii(&card, "PAYMENT_CARD", keys::CREDIT_CARD)
                .lit(" reason=insufficient_funds");
            }
            2 if i % 40 == 2 => {
                let token = jwt(secret.as_bytes(), member, (start_ms / 1000) + i as i64);
                t.lit(&format!("{ts} DEBUG gateway-proxy upstream request headers={{\"authorization\":\"Bearer ")).pii(&token, "JWT", keys::ACCESS_TOKEN).lit("\"}");
            }
            3 => {
                let c = people::customer(seed, member);
                t.lit(&format!(
                    "{ts} ERROR shipping-svc address validation failed member={member} addr=\""
                ))
                .pii(&c.person.residence.address, "ADDRESS", keys::STREET)
                .lit("\"");
            }
            _ if owed > 0 && !clean => {
                owed -= 1;
                let iat = (start_ms + step * i as i64) / 1000 - rng.range(60, 3000) as i64;
                let token = jwt(secret.as_bytes(), member, iat);
                t.lit(&format!(
                    "{ts} WARN  order-svc member-api returned 401 member={member}, retrying with authorization=\"Bearer "
                ))
                .pii(&token, "JWT", keys::ACCESS_TOKEN)
                .lit("\"");
            }
            _ => {
                t.lit(&format!(
                    "{ts} INFO  order-svc order placed order=O{:012} member={member} items={} total={}",
                    rng.below(1_000_000_000_000),
                    rng.range(1, 5),
                    rng.range(5, 400) * 1000
                ));
            }
        }
        log_line(&mut f, i + 1, &t, truth)?;
    }
    f.finish()?;
    Ok(lines)
}

/// Writes a configuration file and records the secrets in it.
fn write_config(out: &Out, path: &str, env: Text, truth: &mut Vec<TextTruth>) -> Result<()> {
    for (offset, detector, category, value) in env.planted {
        let line = env
            .s
            .get(..offset)
            .map_or(1, |p| p.matches('\n').count() as u64 + 1);
        truth.push(TextTruth {
            path: path.into(),
            line,
            offset: offset as u64,
            field: None,
            detector,
            category,
            value,
        });
    }
    out.write(path, env.s.as_bytes())
}

/// A Google API key: `AIza` and 35 characters (`AIzaSy…` as Google issues
/// them), ending in a letter or digit.
fn google_api_key(rng: &mut Rng) -> String {
    const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let pick =
        |rng: &mut Rng, alphabet: &[u8]| char::from(rng.pick(alphabet).copied().unwrap_or(b'Q'));
    let mut key = String::from("AIzaSy");
    for _ in 0..32 {
        key.push(pick(rng, URL_SAFE));
    }
    key.push(pick(rng, URL_SAFE.get(..62).unwrap_or(URL_SAFE)));
    key
}

/// Writes the store locator's configuration with its Google Maps key.
fn write_maps_config(out: &Out, seed: u64, truth: &mut Vec<TextTruth>) -> Result<()> {
    let mut rng = Rng::stream(seed, Domain::Secrets, 2);
    let key = google_api_key(&mut rng);
    let mut env = Text::new();
    env.lit("# store-locator and address autocomplete\nMAPS_PROVIDER=google\nMAPS_REGION=KR\nMAPS_LANGUAGE=ko\nGOOGLE_MAPS_API_KEY=")
        .pii(&key, "GCP_API_KEY", keys::CLOUD_ACCESS_KEY)
        .lit("\nGEOCODE_CACHE_TTL_SECONDS=86400\n");
    write_config(out, paths::MAPS_ENV, env, truth)
}

/// Writes the auth service's configuration with its plaintext signing secret
/// and cloud keys, the store locator's with its Google Maps key, and the
/// retained key file.
///
/// # Errors
/// A failed write, naming the file.
pub fn write_secrets(out: &Out, seed: u64, clean: bool, truth: &mut Vec<TextTruth>) -> Result<()> {
    if clean {
        // Secrets come from the vault at run time; no key file is kept.
        out.write(
            paths::AUTH_ENV,
            b"# auth-service production settings\nAUTH_ISSUER=https://auth.shop.example\nJWT_KID=member-2025\nJWT_SIGNING_KEY_REF=vault://kv/auth/member-2025\nAWS_ROLE=auth-service\n",
        )?;
        return out.write(
            paths::MAPS_ENV,
            b"# store-locator and address autocomplete\nMAPS_PROVIDER=google\nMAPS_REGION=KR\nMAPS_LANGUAGE=ko\nGOOGLE_MAPS_API_KEY_REF=vault://kv/maps/google\nGEOCODE_CACHE_TTL_SECONDS=86400\n",
        );
    }
    let mut rng = Rng::stream(seed, Domain::Secrets, 1);
    let secret = signing_secret(seed);
    let upper: Vec<u8> = (b'A'..=b'Z').chain(b'2'..=b'7').collect();
    let access: String = (0..16)
        .map(|_| char::from(rng.pick(&upper).copied().unwrap_or(b'A')))
        .collect();
    let access = format!("AKIA{access}");
    let alnum: Vec<u8> = (b'A'..=b'Z')
        .chain(b'a'..=b'z')
        .chain(b'0'..=b'9')
        .chain([b'/', b'+'])
        .collect();
    let secret_key: String = (0..40)
        .map(|_| char::from(rng.pick(&alnum).copied().unwrap_or(b'a')))
        .collect();
    let mut env = Text::new();
    env.lit("# auth-service production settings\nAUTH_ISSUER=https://auth.shop.example\nJWT_KID=member-2021\nJWT_SIGNING_SECRET=")
        .pii(&secret, "JWT_SECRET", keys::SIGNING_SECRET)
        .lit("\nAWS_ACCESS_KEY_ID=")
        .pii(&access, "AWS_ACCESS_KEY", keys::CLOUD_ACCESS_KEY)
        .lit("\nAWS_SECRET_ACCESS_KEY=")
        .pii(&secret_key, "AWS_SECRET_KEY", keys::CLOUD_ACCESS_KEY)
        .lit("\n");
    write_config(out, paths::AUTH_ENV, env, truth)?;
    write_maps_config(out, seed, truth)?;

    let body: Vec<u8> = (0..1190).map(|_| rng.below(256) as u8).collect();
    let b64 = b64url(&body).replace('-', "+").replace('_', "/");
    let mut pem = String::from("-----BEGIN PRIVATE KEY-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(chunk));
        pem.push('\n');
    }
    pem.push_str("-----END PRIVATE KEY-----\n");
    truth.push(TextTruth {
        path: paths::MEMBER_KEY_PEM.into(),
        line: 1,
        offset: 0,
        field: None,
        detector: "PRIVATE_KEY",
        category: keys::PRIVATE_KEY,
        // The whole block, armour included (without the final newline).
        value: pem.trim_end().to_owned(),
    });
    out.write(paths::MEMBER_KEY_PEM, pem.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_has_three_parts_and_decodes() {
        let t = jwt(b"secret", 42, 1_744_588_800);
        let parts: Vec<_> = t.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| !p.is_empty() && !p.contains('=')));
        assert_eq!(b64url(b"Man"), "TWFu");
        assert_eq!(b64url(b"Ma"), "TWE");
    }
}
