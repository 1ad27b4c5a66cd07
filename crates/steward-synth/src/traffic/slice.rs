//! One simulated hour of traffic.

use super::plan::{DIURNAL, HOUR_MS, Plan};
use super::records::{Attack, Auth, Record, RecordKind, Request, Subject, Token};
use crate::people;
use crate::rng::{Domain, Rng, mix64};

/// Signing key of member tokens (custodians include the departed engineer).
pub const MEMBER_KEY: &str = "member-2021";
/// Signing key of staff tokens.
pub const STAFF_KEY: &str = "staff-2024";
/// Signing key of service tokens.
pub const SERVICE_KEY: &str = "svc-2024";
/// The delivery partner's API key.
pub const PARTNER_KEY: &str = "ak_hanriver_prod";
/// The delivery partner.
pub const PARTNER: &str = "hanriver-logistics";

/// How the delivery partner authenticates (its key is the one that leaks).
const PARTNER_AUTH: Auth = Auth::ApiKey {
    key: PARTNER_KEY,
    partner: PARTNER,
};

/// Routes of the platform's API.
pub mod routes {
    #![allow(missing_docs)]
    pub const LOGIN: &str = "/api/v1/auth/login";
    pub const PRODUCT: &str = "/api/v1/products/{id}";
    pub const PROFILE: &str = "/api/v1/members/{id}/profile";
    pub const ADDRESSES: &str = "/api/v1/members/{id}/addresses";
    pub const ORDERS: &str = "/api/v1/members/{id}/orders";
    pub const CS_MEMBER: &str = "/internal/cs/members/{id}";
    pub const BATCH_PROFILE: &str = "/internal/batch/members/{id}/profile";
    pub const PARTNER_SHIPPING: &str = "/partner/v1/members/{id}/shipping-address";
}

const APP_UAS: [&str; 4] = [
    "ShopApp/7.3.1 (iPhone; iOS 17.5)",
    "ShopApp/7.3.0 (Android 14; SM-S921N)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
];

/// IPv4 /16 prefixes by country, for realistic client addresses.
fn prefixes(country: &str) -> &'static [[u8; 2]] {
    match country {
        "KR" => &[
            [211, 36],
            [175, 223],
            [121, 134],
            [39, 7],
            [118, 235],
            [223, 38],
            [112, 169],
            [58, 140],
        ],
        "JP" => &[[126, 0], [153, 240], [220, 96]],
        "TW" => &[[1, 160], [114, 34], [36, 224]],
        "US" => &[[73, 15], [98, 207], [24, 18]],
        "DE" => &[[91, 64]],
        "FR" => &[[90, 12]],
        "ES" => &[[88, 6]],
        "IT" => &[[79, 20]],
        "NL" => &[[84, 104]],
        "PL" => &[[83, 24]],
        "IE" => &[[86, 40]],
        "CN" => &[[116, 62], [47, 95], [123, 58]],
        "HK" => &[[43, 198]],
        "SG" => &[[128, 199]],
        "BR" => &[[177, 32]],
        "VN" => &[[113, 160]],
        "RU" => &[[95, 24]],
        "IN" => &[[49, 36]],
        "ID" => &[[36, 72]],
        _ => &[[185, 220]],
    }
}

fn ip_in(country: &str, x: u64) -> u32 {
    let ps = prefixes(country);
    let p = ps
        .get((x % ps.len() as u64) as usize)
        .copied()
        .unwrap_or([185, 220]);
    let lo = ((x >> 8) % 254 + 1) as u32;
    let mid = ((x >> 16) % 256) as u32;
    (u32::from(p[0]) << 24) | (u32::from(p[1]) << 16) | (mid << 8) | lo
}

/// Attack infrastructure: the replay operator's servers abroad.
const REPLAY_SOURCES: [&str; 6] = ["CN", "CN", "HK", "CN", "SG", "HK"];
/// Residential-proxy countries used by stuffing and scraping.
const PROXY_COUNTRIES: [&str; 10] = ["BR", "VN", "IN", "US", "RU", "ID", "DE", "CN", "XX", "JP"];

/// Where a request comes from.
#[derive(Clone, Copy)]
struct Client {
    ip: u32,
    geo: &'static str,
    ua: &'static str,
}

/// A login attempt; 401 answers are short, 200 answers carry the token.
const fn login_request(status: u16, c: Client) -> Request {
    let bytes = if status == 200 { 620 } else { 90 };
    Request {
        method: "POST",
        route: routes::LOGIN,
        member: None,
        product: None,
        status,
        ip: c.ip,
        geo: c.geo,
        ua: c.ua,
        auth: Auth::None,
        records: 0,
        bytes,
    }
}

/// A read of a member or product route with its answer `(status, records, bytes)`.
const fn get(
    route: &'static str,
    member: Option<u64>,
    product: Option<u32>,
    answer: (u16, u32, u32),
    c: Client,
    auth: Auth,
) -> Request {
    let (status, records, bytes) = answer;
    Request {
        method: "GET",
        route,
        member,
        product,
        status,
        ip: c.ip,
        geo: c.geo,
        ua: c.ua,
        auth,
        records,
        bytes,
    }
}

struct Emitter {
    hour: u64,
    next: u64,
    out: Vec<Record>,
}

impl Emitter {
    fn seq(&mut self) -> u64 {
        let s = (self.hour << 32) | self.next;
        self.next += 1;
        s
    }

    fn push(&mut self, ts: i64, attack: Option<Attack>, kind: RecordKind) -> u64 {
        let seq = self.seq();
        self.out.push(Record {
            ts,
            seq,
            attack,
            kind,
        });
        seq
    }

    fn request(&mut self, ts: i64, attack: Option<Attack>, r: Request) {
        self.push(ts, attack, RecordKind::Gateway(r));
    }
}

/// Token ids: legitimate ones are a bijection of the issuance sequence;
/// forged ones use inputs with bit 62 set, so the two sets never meet.
fn legit_jti(seq: u64) -> (u64, u64) {
    (mix64(seq), mix64(seq ^ 0x00aa_0000_0000_0000))
}

fn forged_jti(seq: u64) -> (u64, u64) {
    (mix64(seq | (1 << 62)), mix64(seq ^ 0x0055_0000_0000_0000))
}

fn ms(rng: &mut Rng, lo_s: f64, hi_s: f64) -> i64 {
    ((lo_s + rng.f64() * (hi_s - lo_s)) * 1000.0) as i64
}

fn member_read(route: &'static str, member: u64, n: u64, seed: u64) -> (u16, u32, u32) {
    if member == 0 || member > n {
        return (404, 0, 64);
    }
    match route {
        super::slice::routes::ADDRESSES => {
            let entries = people::address_book(seed, member, n).len() as u32 + 1;
            (200, entries, 180 + entries * 290)
        }
        super::slice::routes::ORDERS => (200, 3, 1800),
        super::slice::routes::CS_MEMBER => (200, 1, 1500),
        _ => (200, 1, 460),
    }
}

/// The records of hour `hour`, sorted by time.
#[must_use]
pub fn generate_slice(plan: &Plan, hour: u32) -> Vec<Record> {
    let mut rng = Rng::stream(plan.seed, Domain::Traffic, u64::from(hour));
    let mut em = Emitter {
        hour: u64::from(hour),
        next: 0,
        out: Vec::new(),
    };
    let t0 = plan.start_ms + i64::from(hour) * HOUR_MS;
    let kst = hour % 24;
    let day = hour / 24;
    let weekend = (plan.start_weekday + day) % 7 >= 5;

    customer_sessions(plan, &mut rng, &mut em, t0, kst, weekend);
    support_agents(plan, &mut rng, &mut em, t0, kst, day, weekend);
    batch_job(plan, &mut em, t0, kst, day);
    partner(plan, &mut rng, &mut em, t0, kst);

    let mut arng = Rng::stream(plan.seed, Domain::Attack, u64::from(hour));
    replay(plan, &mut arng, &mut em, t0, hour);
    stuffing(plan, &mut arng, &mut em, t0, hour);
    scraper(plan, &mut arng, &mut em, t0, hour);

    em.out.sort_unstable_by_key(|r| (r.ts, r.seq));
    em.out
}

fn customer_sessions(
    plan: &Plan,
    rng: &mut Rng,
    em: &mut Emitter,
    t0: i64,
    kst: u32,
    weekend: bool,
) {
    use routes::*;
    let weight =
        DIURNAL.get(kst as usize).copied().unwrap_or(1.0) * if weekend { 1.1 } else { 1.0 };
    let n = plan.customers;
    for _ in 0..rng.poisson(plan.sessions_mean * weight) {
        let member = rng.range(1, n);
        let country = people::country_of(plan.seed, member);
        let mobile = rng.chance(0.4);
        let ip = ip_in(country, if mobile { rng.u64() } else { mix64(member) });
        let ua = APP_UAS
            .get(if mobile { rng.below(2) } else { rng.below(4) } as usize)
            .copied()
            .unwrap_or_default();
        let login = t0 + ms(rng, 0.0, 3600.0);
        if rng.chance(0.03) {
            let t = login - ms(rng, 5.0, 40.0);
            em.push(
                t,
                None,
                RecordKind::LoginFailed {
                    account: Some(member),
                    reason: "bad_password",
                    ip,
                    geo: country,
                },
            );
            em.request(
                t,
                None,
                login_request(
                    401,
                    Client {
                        ip,
                        geo: country,
                        ua,
                    },
                ),
            );
        }
        em.request(
            login - 120,
            None,
            login_request(
                200,
                Client {
                    ip,
                    geo: country,
                    ua,
                },
            ),
        );
        let seq = em.seq();
        let token = Token {
            sub: Subject::Member(member),
            jti: legit_jti(seq),
            sid: mix64(seq ^ (1 << 61)),
            kid: MEMBER_KEY,
            iat_ms: login,
        };
        em.out.push(Record {
            ts: login,
            seq,
            attack: None,
            kind: RecordKind::Issued {
                token,
                ip,
                geo: country,
                method: "password",
            },
        });
        let mut t = login;
        for _ in 0..1 + rng.poisson(2.5) {
            t += ms(rng, 3.0, 90.0);
            let roll = rng.below(100);
            let (route, member_target, product) = match roll {
                0..=54 => (PRODUCT, None, Some(rng.range(1000, 99_999) as u32)),
                55..=66 => (PROFILE, Some(member), None),
                67..=78 => (ADDRESSES, Some(member), None),
                _ => (ORDERS, Some(member), None),
            };
            let (status, records, bytes) = match member_target {
                Some(m) => member_read(route, m, n, plan.seed),
                None => (200, 1, 2100),
            };
            em.request(
                t,
                None,
                get(
                    route,
                    member_target,
                    product,
                    (status, records, bytes),
                    Client {
                        ip,
                        geo: country,
                        ua,
                    },
                    Auth::Token(token),
                ),
            );
        }
    }
}

fn staff_token(plan: &Plan, agent: u32, day: u32, weekend: bool) -> Token {
    let start_hour = if weekend { 10 } else { 9 };
    let iat_ms = plan.start_ms
        + i64::from(day) * 24 * HOUR_MS
        + start_hour * HOUR_MS
        + i64::from(agent % 20) * 60_000;
    let input = (1u64 << 59) | (u64::from(day) << 20) | u64::from(agent);
    Token {
        sub: Subject::Staff(agent),
        jti: legit_jti(input),
        sid: mix64(input ^ (1 << 58)),
        kid: STAFF_KEY,
        iat_ms,
    }
}

const OFFICE_IP: u32 = (211 << 24) | (111 << 16) | (200 << 8);

#[allow(clippy::too_many_arguments)]
fn support_agents(
    plan: &Plan,
    rng: &mut Rng,
    em: &mut Emitter,
    t0: i64,
    kst: u32,
    day: u32,
    weekend: bool,
) {
    let insider = plan.insider.filter(|(_, d, _)| *d == day);
    for agent in plan.roster.support_agents() {
        let on_shift = if weekend {
            agent % 3 == 0 && (10..16).contains(&kst)
        } else {
            (9..18).contains(&kst)
        };
        let is_insider = insider.is_some_and(|(a, _, _)| a == agent);
        let insider_hours = is_insider && (9..23).contains(&kst);
        if !on_shift && !insider_hours {
            continue;
        }
        let token = staff_token(plan, agent, day, weekend && !is_insider);
        let ip = OFFICE_IP | (agent % 250 + 2);
        if token.iat_ms >= t0 && token.iat_ms < t0 + HOUR_MS {
            em.push(
                token.iat_ms,
                None,
                RecordKind::Issued {
                    token,
                    ip,
                    geo: "KR",
                    method: "sso",
                },
            );
        }
        let from = (token.iat_ms + 60_000).max(t0);
        let until = t0 + HOUR_MS;
        if from >= until {
            continue;
        }
        let span = (until - from) as f64 / 1000.0;
        let (reads, attack) = match insider {
            Some((a, _, total)) if a == agent => {
                ((total as f64 / 14.0).round() as u64, Some(Attack::Insider))
            }
            _ => {
                let personal = 0.5 + f64::from(agent % 7) / 6.0;
                (
                    rng.poisson(plan.agent_rate * personal * span / 3600.0),
                    None,
                )
            }
        };
        for _ in 0..reads {
            let member = rng.range(1, plan.customers);
            let (status, records, bytes) =
                member_read(routes::CS_MEMBER, member, plan.customers, plan.seed);
            let ts = from + ms(rng, 0.0, span);
            em.request(
                ts,
                attack,
                get(
                    routes::CS_MEMBER,
                    Some(member),
                    None,
                    (status, records, bytes),
                    Client {
                        ip,
                        geo: "KR",
                        ua: APP_UAS[2],
                    },
                    Auth::Token(token),
                ),
            );
        }
    }
}

fn batch_job(plan: &Plan, em: &mut Emitter, t0: i64, kst: u32, day: u32) {
    if !(kst == 2 || kst == 3) || plan.batch_per_night == 0 {
        return;
    }
    let input = (1u64 << 57) | u64::from(day);
    let iat_ms = plan.start_ms + i64::from(day) * 24 * HOUR_MS + 2 * HOUR_MS + 5_000;
    let token = Token {
        sub: Subject::Service("recsys-batch"),
        jti: legit_jti(input),
        sid: mix64(input ^ (1 << 56)),
        kid: SERVICE_KEY,
        iat_ms,
    };
    let ip = (10 << 24) | (20 << 16) | (3 << 8) | 15;
    if kst == 2 {
        em.push(
            iat_ms,
            None,
            RecordKind::Issued {
                token,
                ip,
                geo: "KR",
                method: "client_credentials",
            },
        );
    }
    let per_hour = plan.batch_per_night / 2;
    let first = (u64::from(day) * plan.batch_per_night) % plan.customers;
    let offset = if kst == 2 { 0 } else { per_hour };
    let from = (iat_ms + 1000).max(t0);
    let step = (t0 + HOUR_MS - from) / per_hour.max(1) as i64;
    for k in 0..per_hour {
        let member = (first + offset + k) % plan.customers + 1;
        let (status, records, bytes) =
            member_read(routes::BATCH_PROFILE, member, plan.customers, plan.seed);
        em.request(
            from + step * k as i64,
            None,
            get(
                routes::BATCH_PROFILE,
                Some(member),
                None,
                (status, records, bytes),
                Client {
                    ip,
                    geo: "KR",
                    ua: "recsys-batch/2.4",
                },
                Auth::Token(token),
            ),
        );
    }
}

fn partner(plan: &Plan, rng: &mut Rng, em: &mut Emitter, t0: i64, kst: u32) {
    if !(8..21).contains(&kst) {
        return;
    }
    for _ in 0..rng.poisson(plan.partner_rate) {
        let member = rng.range(1, plan.customers);
        let ip = (211 << 24) | (45 << 16) | (12 << 8) | (10 + rng.below(2) as u32);
        let (status, records, bytes) =
            member_read(routes::PARTNER_SHIPPING, member, plan.customers, plan.seed);
        em.request(
            t0 + ms(rng, 0.0, 3600.0),
            None,
            get(
                routes::PARTNER_SHIPPING,
                Some(member),
                None,
                (status, records, bytes),
                Client {
                    ip,
                    geo: "KR",
                    ua: "hanriver-tms/5.1",
                },
                PARTNER_AUTH,
            ),
        );
    }
}

fn replay(plan: &Plan, rng: &mut Rng, em: &mut Emitter, t0: i64, hour: u32) {
    let Some(rp) = &plan.replay else { return };
    let (Some(&count), Some(&offset)) =
        (rp.counts.get(hour as usize), rp.offsets.get(hour as usize))
    else {
        return;
    };
    let attack = Some(Attack::Replay);
    let n = plan.customers;
    let day = hour / 24;
    for j in 0..u64::from(count) {
        let step = offset + j;
        let ts = t0 + (((j as f64 + rng.f64()) / f64::from(count)) * HOUR_MS as f64) as i64;
        let src = REPLAY_SOURCES
            .get(((u64::from(day) + step / 5000) % 6) as usize)
            .copied()
            .unwrap_or("CN");
        let ip = ip_in(src, mix64(u64::from(day) * 31 + step / 5000) % 3);
        let mut targets = vec![step + 1];
        if step % 97 == 96 {
            targets.push(n + 1 + rng.below(n));
        }
        for member in targets {
            let seq = em.seq();
            let token = Token {
                sub: Subject::Member(member),
                jti: forged_jti(seq),
                sid: mix64(seq ^ (1 << 60)),
                kid: MEMBER_KEY,
                iat_ms: ts - ms(rng, 1.0, 30.0),
            };
            let mut t = ts;
            let read = |em: &mut Emitter, route: &'static str, t: i64| {
                let (status, records, bytes) = member_read(route, member, n, plan.seed);
                em.request(
                    t,
                    attack,
                    get(
                        route,
                        Some(member),
                        None,
                        (status, records, bytes),
                        Client {
                            ip,
                            geo: src,
                            ua: "okhttp/4.12.0",
                        },
                        Auth::Token(token),
                    ),
                );
            };
            read(em, routes::PROFILE, t);
            t += ms(rng, 0.8, 3.0);
            read(em, routes::ADDRESSES, t);
            if rng.chance(0.05) {
                read(em, routes::ORDERS, t + ms(rng, 1.0, 4.0));
            }
        }
    }
}

fn stuffing(plan: &Plan, rng: &mut Rng, em: &mut Emitter, t0: i64, hour: u32) {
    let Some((start, per_hour)) = plan.stuffing else {
        return;
    };
    if !(start..start + 3).contains(&hour) {
        return;
    }
    let attack = Some(Attack::Stuffing);
    let n = plan.customers;
    for _ in 0..per_hour {
        let src = PROXY_COUNTRIES
            .get(rng.below(10) as usize)
            .copied()
            .unwrap_or("XX");
        let ip = ip_in(src, rng.below(300) * 7919);
        let ts = t0 + ms(rng, 0.0, 3600.0);
        let roll = rng.below(1000);
        let ua = "python-requests/2.31.0";
        let fail = |em: &mut Emitter, account: Option<u64>, reason| {
            em.push(
                ts,
                attack,
                RecordKind::LoginFailed {
                    account,
                    reason,
                    ip,
                    geo: src,
                },
            );
            em.request(ts, attack, login_request(401, Client { ip, geo: src, ua }));
        };
        match roll {
            0..=599 => fail(em, None, "unknown_account"),
            600..=994 => fail(em, Some(rng.range(1, n)), "bad_password"),
            _ => {
                let member = rng.range(1, n);
                em.request(
                    ts - 120,
                    attack,
                    login_request(200, Client { ip, geo: src, ua }),
                );
                let seq = em.seq();
                let token = Token {
                    sub: Subject::Member(member),
                    jti: legit_jti(seq),
                    sid: mix64(seq ^ (1 << 61)),
                    kid: MEMBER_KEY,
                    iat_ms: ts,
                };
                em.out.push(Record {
                    ts,
                    seq,
                    attack,
                    kind: RecordKind::Issued {
                        token,
                        ip,
                        geo: src,
                        method: "password",
                    },
                });
                let mut t = ts;
                for route in [routes::PROFILE, routes::ADDRESSES, routes::ORDERS] {
                    t += ms(rng, 2.0, 20.0);
                    let (status, records, bytes) = member_read(route, member, n, plan.seed);
                    em.request(
                        t,
                        attack,
                        get(
                            route,
                            Some(member),
                            None,
                            (status, records, bytes),
                            Client { ip, geo: src, ua },
                            Auth::Token(token),
                        ),
                    );
                }
            }
        }
    }
}

fn scraper(plan: &Plan, rng: &mut Rng, em: &mut Emitter, t0: i64, hour: u32) {
    let Some((start, hours, per_hour)) = plan.scraper else {
        return;
    };
    if !(start..start + hours).contains(&hour) {
        return;
    }
    for _ in 0..per_hour {
        let src = PROXY_COUNTRIES
            .get(rng.below(10) as usize)
            .copied()
            .unwrap_or("XX");
        let ip = ip_in(src, rng.below(150) * 104_729);
        let member = rng.range(1, plan.customers);
        let (status, records, bytes) =
            member_read(routes::PARTNER_SHIPPING, member, plan.customers, plan.seed);
        em.request(
            t0 + ms(rng, 0.0, 3600.0),
            Some(Attack::Scraper),
            get(
                routes::PARTNER_SHIPPING,
                Some(member),
                None,
                (status, records, bytes),
                Client {
                    ip,
                    geo: src,
                    ua: "Go-http-client/2.0",
                },
                PARTNER_AUTH,
            ),
        );
    }
}
