//! Support tickets in which customers type the identifiers the ordinary
//! tickets never carry: sole proprietors' business registration numbers,
//! passports, driver's licences, US taxpayer numbers, Taiwanese and Japanese
//! national numbers, foreigner registration numbers and IBANs, and delivery
//! details after a label (birth date, recipient, postal code, entrance code).
//!
//! They follow the ordinary tickets in the same file, the kinds taking turns,
//! so every kind appears [`per_kind`] times however small the platform.

use steward_model::category::keys;

use super::Text;
use crate::idgen;
use crate::locale::lists;
use crate::people::{self, Customer, NationalIdKind};
use crate::rng::{Domain, Rng};

/// Category key of Korean business registration numbers.
const KR_BRN: &str = "user.government_id.kr_brn";
/// Category key of driver's licence numbers.
const DRIVERS_LICENSE: &str = "user.government_id.drivers_license_number";
/// Category key of US individual taxpayer identification numbers.
const US_ITIN: &str = "user.government_id.national_identification_number.us_itin";
/// Category key of Taiwanese resident certificates.
const TW_ARC: &str = "user.government_id.national_identification_number.tw_arc";

/// What a ticket quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Brn,
    Passport,
    DriversLicense,
    Itin,
    Ssn,
    TwId,
    TwArc,
    MyNumber,
    Frn,
    Iban,
    BirthDate,
    Recipient,
    PostalCode,
    EntranceCode,
}

/// The kinds, in the order they take turns.
const KINDS: [Kind; 14] = [
    Kind::Brn,
    Kind::Passport,
    Kind::DriversLicense,
    Kind::Itin,
    Kind::Ssn,
    Kind::TwId,
    Kind::TwArc,
    Kind::MyNumber,
    Kind::Frn,
    Kind::Iban,
    Kind::BirthDate,
    Kind::Recipient,
    Kind::PostalCode,
    Kind::EntranceCode,
];

/// Tickets of each kind for a platform of `customers` members.
#[must_use]
pub(super) const fn per_kind(customers: u64) -> u64 {
    let n = customers / 1000;
    if n < 12 {
        12
    } else if n > 5_000 {
        5_000
    } else {
        n
    }
}

/// Identifier tickets for a platform of `customers` members.
#[must_use]
pub(super) const fn count(customers: u64) -> u64 {
    per_kind(customers) * KINDS.len() as u64
}

/// One identifier ticket, with the stream its remaining fields are drawn from.
pub(super) struct Ticket {
    pub member: u64,
    pub lang: &'static str,
    pub subject: &'static str,
    pub body: Text,
    pub rng: Rng,
}

fn is_eu(country: &str) -> bool {
    !matches!(country, "KR" | "JP" | "TW" | "US")
}

/// A member living in a country `want` accepts (any member if none is found
/// after a few hundred draws, as on tiny platforms).
fn member_where(seed: u64, n: u64, rng: &mut Rng, want: impl Fn(&str) -> bool) -> u64 {
    let mut m = rng.range(1, n);
    for _ in 0..400 {
        if want(people::country_of(seed, m)) {
            break;
        }
        m = rng.range(1, n);
    }
    m
}

/// A member living in a country `want` accepts whose record `fits` (the
/// last one drawn if none fits after a few hundred draws).
fn customer_where(
    seed: u64,
    n: u64,
    rng: &mut Rng,
    want: impl Fn(&str) -> bool,
    fits: impl Fn(&Customer) -> bool,
) -> u64 {
    let mut m = member_where(seed, n, rng, &want);
    for _ in 0..200 {
        if fits(&people::customer(seed, m)) {
            break;
        }
        m = member_where(seed, n, rng, &want);
    }
    m
}

/// The birth date of a customer as numbers.
fn birth(c: &Customer) -> (u32, u32, u32) {
    let mut parts = c.birth_date.split('-').map(|p| p.parse().unwrap_or(1));
    (
        parts.next().unwrap_or(1990),
        parts.next().unwrap_or(1),
        parts.next().unwrap_or(1),
    )
}

/// The national-ID area letter of a Taiwanese address.
fn tw_letter(c: &Customer) -> char {
    lists()
        .tw_districts
        .iter()
        .find(|d| c.person.residence.address.starts_with(d.city))
        .map_or('A', |d| d.id_letter)
}

/// True when `name` is a Latin name written the way a `recipient:` label
/// is followed by one: two to four capitalised words (or lowercase particles
/// such as `van`, `de`), letters only.
fn plain_latin_name(name: &str) -> bool {
    const PARTICLES: [&str; 10] = [
        "van", "von", "de", "der", "den", "da", "di", "del", "la", "le",
    ];
    let words: Vec<&str> = name.split(' ').collect();
    let capitalised = |w: &str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && {
            let rest: Vec<char> = cs.collect();
            !rest.is_empty() && rest.iter().all(|c| c.is_lowercase())
        }
    };
    (2..=4).contains(&words.len())
        && words.first().is_some_and(|w| capitalised(w))
        && words
            .iter()
            .skip(1)
            .all(|w| capitalised(w) || PARTICLES.contains(w))
}

/// The name and phone of the person a member sends a parcel to: someone in
/// their address book living in `country`, or the member.
fn recipient(seed: u64, n: u64, c: &Customer, rng: &mut Rng) -> (String, String) {
    let book = people::address_book(seed, c.id, n);
    let country = c.person.residence.country;
    let mut candidates: Vec<_> = book
        .iter()
        .map(|e| people::resolve(seed, e.who))
        .filter(|p| {
            p.residence.country == country && (country == "KR" || plain_latin_name(&p.name))
        })
        .collect();
    candidates.push(c.person.clone());
    let chosen = rng.pick(&candidates).unwrap_or(&c.person);
    (chosen.name.clone(), chosen.phone.clone())
}

/// The IBAN a customer refunds to, compact or in groups of four.
fn iban_text(c: &Customer, rng: &mut Rng) -> String {
    let country = c.person.residence.country;
    let iban = c
        .iban
        .clone()
        .unwrap_or_else(|| idgen::iban(rng, if is_eu(country) { country } else { "DE" }));
    if rng.chance(0.5) {
        iban.as_bytes()
            .chunks(4)
            .map(String::from_utf8_lossy)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        iban
    }
}

/// The `k`-th identifier ticket.
pub(super) fn ticket(seed: u64, n: u64, k: u64) -> Ticket {
    let mut rng = Rng::stream(seed, Domain::IdTickets, k);
    let kind = KINDS
        .get((k % KINDS.len() as u64) as usize)
        .copied()
        .unwrap_or(Kind::Brn);
    let kr = |c: &str| c == "KR";
    let member = match kind {
        Kind::Itin | Kind::Ssn => member_where(seed, n, &mut rng, |c| c == "US"),
        Kind::TwId | Kind::TwArc => member_where(seed, n, &mut rng, |c| c == "TW"),
        Kind::MyNumber => member_where(seed, n, &mut rng, |c| c == "JP"),
        Kind::Iban => member_where(seed, n, &mut rng, is_eu),
        Kind::BirthDate => rng.range(1, n),
        Kind::Recipient if rng.chance(0.35) => customer_where(
            seed,
            n,
            &mut rng,
            |c| c == "US" || is_eu(c),
            |c| plain_latin_name(&c.person.name),
        ),
        Kind::EntranceCode => {
            customer_where(seed, n, &mut rng, kr, |c| c.person.entrance_code.is_some())
        }
        _ => member_where(seed, n, &mut rng, kr),
    };
    let c = people::customer(seed, member);
    let korean = c.person.residence.country == "KR";
    let mut body = Text::new();
    let (lang, subject) = match kind {
        Kind::Brn => {
            let brn = idgen::kr_brn(&mut rng);
            body.lit("개인사업자로 사무용품을 구매했습니다. 사업자등록번호 ")
                .pii(&brn, "KR_BRN", KR_BRN)
                .lit(" 로 세금계산서 발행 부탁드립니다. 계산서는 ")
                .pii(&c.email, "EMAIL", keys::EMAIL)
                .lit(" 로 보내주세요.");
            ("ko", "세금계산서 발행 요청")
        }
        Kind::Passport => {
            let passport = idgen::kr_passport(&mut rng);
            body.lit("해외 호텔 패키지를 예약했는데 여권 정보가 필요하다고 합니다. 여권번호 ")
                .pii(&passport, "KR_PASSPORT", keys::PASSPORT)
                .lit(" 이고 영문 이름은 여권과 같습니다.");
            ("ko", "여권 정보 등록")
        }
        Kind::DriversLicense => {
            let (year, _, _) = birth(&c);
            let issued = (year + rng.range(19, 30) as u32).min(2024);
            let licence = idgen::kr_drivers_license(&mut rng, issued);
            body.lit("렌터카 예약 중에 면허 인증이 계속 실패합니다. 운전면허번호 ")
                .pii(&licence, "KR_DRIVERS_LICENSE", DRIVERS_LICENSE)
                .lit(" 맞는지 확인 부탁드립니다.");
            ("ko", "렌터카 본인확인 오류")
        }
        Kind::Itin => {
            let itin = idgen::us_itin(&mut rng);
            body.lit("I'm opening a seller account but I don't have a social security number. My ITIN is ")
                .pii(&itin, "US_ITIN", US_ITIN)
                .lit(", please use it on my tax forms.");
            ("en", "Tax information for my seller account")
        }
        Kind::Ssn => {
            let ssn = match &c.national_id {
                Some((NationalIdKind::UsSsn, s)) => s.clone(),
                _ => idgen::us_ssn(&mut rng),
            };
            body.lit("Identity verification keeps failing on checkout. My SSN is ")
                .pii(&ssn, "US_SSN", keys::US_SSN)
                .lit(" and my name and address have not changed. Please verify it manually.");
            ("en", "Identity verification failed")
        }
        Kind::TwId => {
            let id = match &c.national_id {
                Some((NationalIdKind::TwId, s)) => s.clone(),
                _ => idgen::tw_id(&mut rng, tw_letter(&c), c.person.male),
            };
            body.lit("您好，實名認證一直失敗。我的身分證字號是 ")
                .pii(&id, "TW_NATIONAL_ID", keys::TW_ID)
                .lit("，麻煩協助確認，謝謝。");
            ("zh", "實名認證失敗")
        }
        Kind::TwArc => {
            let arc = idgen::tw_arc(&mut rng, tw_letter(&c), c.person.male);
            if rng.chance(0.5) {
                body.lit("我是外籍居民，居留證號碼 ")
                    .pii(&arc, "TW_ARC", TW_ARC)
                    .lit("，無法完成實名認證，請協助處理。");
                ("zh", "居留證認證問題")
            } else {
                body.lit("I live in Taiwan as a foreign resident. My ARC number is ")
                    .pii(&arc, "TW_ARC", TW_ARC)
                    .lit(" but the app says it is invalid.");
                ("en", "ARC number rejected")
            }
        }
        Kind::MyNumber => {
            let number = match &c.national_id {
                Some((NationalIdKind::JpMyNumber, s)) => s.clone(),
                _ => idgen::jp_my_number(&mut rng),
            };
            body.lit("マイナンバー ")
                .pii(&number, "JP_MY_NUMBER", keys::JP_MY_NUMBER)
                .lit(" を登録しましたが、本人確認が完了しません。確認をお願いします。");
            ("ja", "本人確認について")
        }
        Kind::Frn => {
            let frn = match &c.national_id {
                Some((NationalIdKind::KrFrn, s)) => s.clone(),
                _ => {
                    let (y, m, d) = birth(&c);
                    idgen::kr_frn(&mut rng, y, m, d, c.person.male)
                }
            };
            body.lit("외국인 회원입니다. 외국인등록번호 ")
                .pii(&frn, "KR_FRN", keys::KR_FRN)
                .lit(" 로 본인인증이 되지 않습니다. 연락처는 ")
                .pii(&c.person.phone, "PHONE", keys::PHONE)
                .lit(" 입니다.");
            ("ko", "외국인 본인인증 오류")
        }
        Kind::Iban => {
            let iban = iban_text(&c, &mut rng);
            body.lit("I sent the parcel back last week. Please refund to IBAN ")
                .pii(&iban, "IBAN", keys::BANK_ACCOUNT)
                .lit(" instead of the card, thanks.");
            ("en", "Refund to my bank account")
        }
        Kind::BirthDate if korean => {
            body.lit("회원정보에 생년월일이 잘못 등록되어 있어요. 생년월일: ")
                .pii(&c.birth_date, "DATE_OF_BIRTH", keys::DATE_OF_BIRTH)
                .lit(" 으로 수정 부탁드립니다.");
            ("ko", "회원정보 수정")
        }
        Kind::BirthDate => {
            body.lit("My profile shows the wrong birthday. The correct date of birth: ")
                .pii(&c.birth_date, "DATE_OF_BIRTH", keys::DATE_OF_BIRTH)
                .lit(" (please update it).");
            ("en", "Update my profile")
        }
        Kind::Recipient => {
            let (name, phone) = recipient(seed, n, &c, &mut rng);
            if korean {
                body.lit("선물로 보내는 주문이라 받는 사람을 바꾸려고 합니다. 수령인: ")
                    .pii(&name, "PERSON_NAME", keys::NAME)
                    .lit(", 연락처 ")
                    .pii(&phone, "PHONE", keys::PHONE)
                    .lit(" 로 변경 부탁드립니다.");
                ("ko", "선물 받는 사람 변경")
            } else {
                body.lit("This order is a gift, please change the recipient: ")
                    .pii(&name, "PERSON_NAME", keys::NAME)
                    .lit(", phone ")
                    .pii(&phone, "PHONE", keys::PHONE)
                    .lit(". Thank you!");
                ("en", "Change of recipient")
            }
        }
        Kind::PostalCode => {
            body.lit("이사 후 배송지를 바꿨는데 예전 번호가 그대로 나옵니다. 우편번호 ")
                .pii(
                    &c.person.residence.postal_code,
                    "POSTAL_CODE",
                    keys::POSTAL_CODE,
                )
                .lit(" 로 수정 부탁드립니다.");
            ("ko", "우편번호 수정")
        }
        Kind::EntranceCode => {
            let code = c
                .person
                .entrance_code
                .clone()
                .unwrap_or_else(|| format!("#{}*", rng.digits(4)));
            body.lit("기사님이 건물에 못 들어가신다고 연락이 왔어요. 공동현관 비밀번호 ")
                .pii(&code, "ENTRANCE_CODE", keys::ENTRANCE_CODE)
                .lit(" 누르시고 문 앞에 놓아주세요.");
            ("ko", "배송 출입 안내")
        }
    };
    Ticket {
        member,
        lang,
        subject,
        body,
        rng,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_names_the_label_takes_whole() {
        assert!(plain_latin_name("Anna Weber"));
        assert!(plain_latin_name("Daan van den Berg"));
        assert!(plain_latin_name("Lucía Sánchez Moreno"));
        assert!(!plain_latin_name("Jean-Baptiste Petit"));
        assert!(!plain_latin_name("Sean McDonald"));
        assert!(!plain_latin_name("Madonna"));
    }

    #[test]
    fn every_kind_takes_its_turn() {
        let n = 3_000;
        assert_eq!(count(n), 12 * 14);
        assert_eq!(per_kind(20_000), 20);
        let mut seen = std::collections::BTreeMap::new();
        for k in 0..count(n) {
            let t = ticket(7, n, k);
            assert!((1..=n).contains(&t.member));
            assert!(!t.body.planted.is_empty());
            for (offset, detector, _, value) in &t.body.planted {
                assert_eq!(&t.body.s[*offset..offset + value.len()], value.as_str());
                *seen.entry(*detector).or_insert(0) += 1;
            }
        }
        for d in [
            "KR_BRN",
            "KR_PASSPORT",
            "KR_DRIVERS_LICENSE",
            "US_ITIN",
            "US_SSN",
            "TW_NATIONAL_ID",
            "TW_ARC",
            "JP_MY_NUMBER",
            "KR_FRN",
            "IBAN",
            "DATE_OF_BIRTH",
            "PERSON_NAME",
            "POSTAL_CODE",
            "ENTRANCE_CODE",
        ] {
            assert_eq!(seen.get(d), Some(&12), "{d}");
        }
    }
}
