//! Customers, third parties and address books, each a pure function of the
//! seed and an id, so every store regenerates the same people without
//! holding them in memory.

use crate::idgen;
use crate::locale::lists;
use crate::rng::{Domain, Rng};

/// Offset of third-party person indexes, so their phones never collide with
/// customers'.
pub const THIRD_PARTY_INDEX_BASE: u64 = 50_000_000;

/// Where a person lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Residence {
    /// ISO 3166-1 alpha-2.
    pub country: &'static str,
    /// ISO 3166-2 subdivision (Korean province, US state), if any.
    pub subdivision: Option<String>,
    /// Postal code.
    pub postal_code: String,
    /// Address line (city, street, number).
    pub address: String,
    /// Detail (apartment, floor), may be empty.
    pub detail: String,
}

/// A person's contact identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Display name in the local script.
    pub name: String,
    /// Unique phone number in the local format.
    pub phone: String,
    /// Residence.
    pub residence: Residence,
    /// Building entrance code, for some Korean apartments.
    pub entrance_code: Option<String>,
    /// Handle used for the e-mail local part.
    handle: String,
    /// Whether the person is male (drives national-id gender digits).
    pub male: bool,
}

/// A national identifier a customer record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NationalIdKind {
    /// Korean RRN with a valid check digit.
    KrRrn,
    /// Korean RRN issued after October 2020 (no check digit).
    KrRrnPost2020,
    /// Korean FRN.
    KrFrn,
    /// Japanese My Number.
    JpMyNumber,
    /// Taiwanese national ID.
    TwId,
    /// US SSN.
    UsSsn,
}

impl NationalIdKind {
    /// The data-category key.
    #[must_use]
    pub const fn category(self) -> &'static str {
        use steward_model::category::keys;
        match self {
            Self::KrRrn | Self::KrRrnPost2020 => keys::KR_RRN,
            Self::KrFrn => keys::KR_FRN,
            Self::JpMyNumber => keys::JP_MY_NUMBER,
            Self::TwId => keys::TW_ID,
            Self::UsSsn => keys::US_SSN,
        }
    }

    /// The detector id expected to find it.
    #[must_use]
    pub const fn detector(self) -> &'static str {
        match self {
            Self::KrRrn | Self::KrRrnPost2020 => "KR_RRN",
            Self::KrFrn => "KR_FRN",
            Self::JpMyNumber => "JP_MY_NUMBER",
            Self::TwId => "TW_NATIONAL_ID",
            Self::UsSsn => "US_SSN",
        }
    }

    /// Stable name in the ground truth.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::KrRrn => "kr_rrn",
            Self::KrRrnPost2020 => "kr_rrn_post2020",
            Self::KrFrn => "kr_frn",
            Self::JpMyNumber => "jp_my_number",
            Self::TwId => "tw_id",
            Self::UsSsn => "us_ssn",
        }
    }
}

/// A customer (member) of the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Member id, `1..=customers`.
    pub id: u64,
    /// Contact identity.
    pub person: Person,
    /// Unique e-mail address.
    pub email: String,
    /// Birth date `YYYY-MM-DD`.
    pub birth_date: String,
    /// National identifier held for identity verification, if any.
    pub national_id: Option<(NationalIdKind, String)>,
    /// Personal customs clearance code (Korean cross-border shoppers).
    pub pccc: Option<String>,
    /// Payment card on file.
    pub card: Option<String>,
    /// IBAN on file for refunds (EU customers).
    pub iban: Option<String>,
    /// Sign-up date `YYYY-MM-DD`.
    pub joined: String,
}

/// One address-book entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookEntry {
    /// Entry id, unique across the platform.
    pub entry_id: u64,
    /// Who the entry is: the owner (`self`), another customer, or a third party.
    pub who: PersonRef,
    /// Relation label.
    pub relation: &'static str,
}

/// A reference to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonRef {
    /// A customer by member id.
    Customer(u64),
    /// A third party (not a customer) by id.
    ThirdParty(u64),
}

impl PersonRef {
    /// The ground-truth key: `m:ID` or `t:ID`.
    #[must_use]
    pub fn key(self) -> String {
        match self {
            Self::Customer(id) => format!("m:{id}"),
            Self::ThirdParty(id) => format!("t:{id}"),
        }
    }
}

/// Countries customers and third parties come from, with weights.
const COUNTRY_MIX: &[(&str, u64)] = &[
    ("KR", 850),
    ("TW", 50),
    ("JP", 40),
    ("US", 40),
    ("DE", 5),
    ("FR", 4),
    ("ES", 3),
    ("IT", 3),
    ("NL", 2),
    ("PL", 2),
    ("IE", 1),
];

fn draw_country(rng: &mut Rng) -> &'static str {
    let total: u64 = COUNTRY_MIX.iter().map(|(_, w)| w).sum();
    let mut x = rng.below(total);
    for (c, w) in COUNTRY_MIX {
        if x < *w {
            return c;
        }
        x -= w;
    }
    "KR"
}

fn pick<'a>(rng: &mut Rng, items: &'a [&'a str]) -> &'a str {
    rng.pick(items).copied().unwrap_or_default()
}

const RR_INITIAL: [&str; 19] = [
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p",
    "h",
];
const RR_MEDIAL: [&str; 21] = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we",
    "wi", "yu", "eu", "ui", "i",
];
const RR_FINAL: [&str; 28] = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p",
    "t", "t", "ng", "t", "t", "k", "t", "p", "t",
];

/// Revised Romanization of Hangul syllables, letter by letter (no sound
/// change rules), for e-mail handles.
#[must_use]
pub fn romanize(hangul: &str) -> String {
    let mut out = String::new();
    for c in hangul.chars() {
        let code = c as u32;
        if (0xAC00..=0xD7A3).contains(&code) {
            let s = (code - 0xAC00) as usize;
            out.push_str(RR_INITIAL.get(s / 588).copied().unwrap_or_default());
            out.push_str(RR_MEDIAL.get((s % 588) / 28).copied().unwrap_or_default());
            out.push_str(RR_FINAL.get(s % 28).copied().unwrap_or_default());
        } else if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn kr_surname_roman(surname: &str) -> String {
    match surname {
        "김" => "kim".into(),
        "이" => "lee".into(),
        "박" => "park".into(),
        "최" => "choi".into(),
        "정" => "jung".into(),
        "강" => "kang".into(),
        "조" => "cho".into(),
        "윤" => "yoon".into(),
        "장" => "jang".into(),
        "임" => "lim".into(),
        "한" => "han".into(),
        "오" => "oh".into(),
        "신" => "shin".into(),
        "서" => "seo".into(),
        "권" => "kwon".into(),
        "황" => "hwang".into(),
        "안" => "ahn".into(),
        "송" => "song".into(),
        "유" => "yoo".into(),
        "홍" => "hong".into(),
        other => romanize(other),
    }
}

fn ascii_handle(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            'ä' | 'à' | 'á' | 'â' | 'ą' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' | 'ę' => Some('e'),
            'ö' | 'ó' | 'ò' | 'ô' => Some('o'),
            'ü' | 'ú' | 'ù' => Some('u'),
            'í' | 'ì' | 'î' => Some('i'),
            'ç' | 'ć' => Some('c'),
            'ñ' | 'ń' => Some('n'),
            'ł' => Some('l'),
            'ś' | 'ß' => Some('s'),
            'ż' | 'ź' => Some('z'),
            _ => None,
        })
        .collect()
}

const LATIN_SYLLABLES: [&str; 24] = [
    "ka", "ki", "ta", "to", "mi", "na", "ri", "yu", "sa", "ko", "ha", "ru", "chen", "lin", "wei",
    "ting", "hui", "yu", "ming", "jie", "hsu", "wang", "liu", "tsai",
];

fn latin_handle(rng: &mut Rng) -> String {
    (0..rng.range(2, 3))
        .map(|_| pick(rng, &LATIN_SYLLABLES))
        .collect()
}

fn fill_pattern(rng: &mut Rng, pattern: &str) -> String {
    pattern
        .chars()
        .map(|c| match c {
            '#' => char::from(b'0' + rng.digit()),
            '@' => char::from(b'A' + rng.below(26) as u8),
            other => other,
        })
        .collect()
}

/// Builds a person living in `country`; `index` makes the phone unique.
fn person(rng: &mut Rng, country: &'static str, index: u64) -> Person {
    let l = lists();
    let male = rng.chance(0.5);
    match country {
        "KR" => {
            let surname = l.kr_surnames.draw(rng).copied().unwrap_or("김");
            let given: String = (0..2).map(|_| pick(rng, &l.kr_given)).collect();
            let region = l
                .kr_regions
                .draw(rng)
                .and_then(|i| l.kr_region_list.get(*i));
            let (full, district, iso, postal) = region
                .map_or(("서울특별시", "강남구", "KR-11", (1, 8)), |r| {
                    (r.full, pick(rng, &r.districts), r.iso, r.postal)
                });
            let postal_code = format!("{:02}{:03}", rng.range(postal.0, postal.1), rng.below(1000));
            let apartment = rng.chance(0.6);
            let (address, detail) = if rng.chance(0.8) {
                let road = pick(rng, &l.kr_roads);
                let detail = if apartment {
                    format!(
                        "{}아파트 {}동 {}호",
                        pick(rng, &l.kr_buildings),
                        rng.range(101, 120),
                        rng.range(1, 25) * 100 + rng.range(1, 8)
                    )
                } else {
                    format!("{}층", rng.range(1, 5))
                };
                (
                    format!("{full} {district} {road} {}", rng.range(1, 399)),
                    detail,
                )
            } else {
                let dong = pick(rng, &l.kr_dongs);
                (
                    format!(
                        "{full} {district} {dong} {}-{}번지",
                        rng.range(1, 999),
                        rng.range(1, 40)
                    ),
                    String::new(),
                )
            };
            let entrance_code =
                (apartment && rng.chance(0.5)).then(|| format!("#{}*", rng.digits(4)));
            let handle = format!("{}{}", romanize(&given), kr_surname_roman(surname));
            Person {
                name: format!("{surname}{given}"),
                phone: idgen::kr_mobile(index),
                residence: Residence {
                    country,
                    subdivision: Some(iso.to_owned()),
                    postal_code,
                    address,
                    detail,
                },
                entrance_code,
                handle,
                male,
            }
        }
        "JP" => {
            let surname = l.jp_surnames.draw(rng).copied().unwrap_or("佐藤");
            let given = pick(rng, &l.jp_given);
            let pref = l
                .jp_prefectures
                .draw(rng)
                .and_then(|i| l.jp_prefecture_list.get(*i));
            let (pname, city, postal) = pref
                .map_or(("東京都", "千代田区", (100, 208)), |p| {
                    (p.name, pick(rng, &p.cities), p.postal)
                });
            let postal_code = format!(
                "{:03}-{:04}",
                rng.range(postal.0, postal.1),
                rng.below(10_000)
            );
            Person {
                name: format!("{surname} {given}"),
                phone: idgen::jp_mobile(index),
                residence: Residence {
                    country,
                    subdivision: None,
                    postal_code,
                    address: format!(
                        "{pname}{city}{}丁目{}番{}号",
                        rng.range(1, 9),
                        rng.range(1, 30),
                        rng.range(1, 20)
                    ),
                    detail: String::new(),
                },
                entrance_code: None,
                handle: latin_handle(rng),
                male,
            }
        }
        "TW" => {
            let surname = l.tw_surnames.draw(rng).copied().unwrap_or("陳");
            let given: String = (0..2).map(|_| pick(rng, &l.tw_given)).collect();
            let d = rng.pick(&l.tw_districts);
            let (city, district, postal) = d.map_or(("臺北市", "中正區", "100"), |d| {
                (d.city, d.district, d.postal)
            });
            Person {
                name: format!("{surname}{given}"),
                phone: idgen::tw_mobile(index),
                residence: Residence {
                    country,
                    subdivision: None,
                    postal_code: postal.to_owned(),
                    address: format!(
                        "{city}{district}{}{}段{}號",
                        pick(rng, &l.tw_roads),
                        rng.range(1, 5),
                        rng.range(1, 300)
                    ),
                    detail: format!("{}樓", rng.range(2, 20)),
                },
                entrance_code: None,
                handle: latin_handle(rng),
                male,
            }
        }
        "US" => {
            let first = l.us_first.draw(rng).copied().unwrap_or("John");
            let last = l.us_last.draw(rng).copied().unwrap_or("Smith");
            let c = rng.pick(&l.us_cities);
            let (city, state, zip3, area) = c.map_or(("Seattle", "WA", "981", "206"), |c| {
                (c.city, c.state, c.zip3, c.area)
            });
            Person {
                name: format!("{first} {last}"),
                phone: idgen::us_phone(index, area),
                residence: Residence {
                    country,
                    subdivision: Some(format!("US-{state}")),
                    postal_code: format!("{zip3}{:02}", rng.below(100)),
                    address: format!(
                        "{} {}, {city}, {state}",
                        rng.range(10, 9999),
                        pick(rng, &l.us_streets)
                    ),
                    detail: if rng.chance(0.3) {
                        format!("Apt {}", rng.range(1, 40))
                    } else {
                        String::new()
                    },
                },
                entrance_code: None,
                handle: format!("{}.{}", ascii_handle(first), ascii_handle(last)),
                male,
            }
        }
        eu => {
            let people: Vec<_> = l.eu_people.iter().filter(|p| p.0 == eu).collect();
            let firsts: Vec<&str> = people.iter().map(|p| p.1).collect();
            let lasts: Vec<&str> = people.iter().map(|p| p.2).collect();
            let (first, last) = (pick(rng, &firsts), pick(rng, &lasts));
            let cities: Vec<_> = l.eu_cities.iter().filter(|c| c.country == eu).collect();
            let streets: Vec<&str> = l
                .eu_streets
                .iter()
                .filter(|s| s.0 == eu)
                .map(|s| s.1)
                .collect();
            let (city, pattern) = rng
                .pick(&cities)
                .map_or(("Berlin", "10###"), |c| (c.city, c.postal));
            let postal_code = fill_pattern(rng, pattern);
            Person {
                name: format!("{first} {last}"),
                phone: idgen::eu_mobile(index, eu),
                residence: Residence {
                    country: eu,
                    subdivision: None,
                    address: format!(
                        "{} {}, {postal_code} {city}",
                        pick(rng, &streets),
                        rng.range(1, 200)
                    ),
                    postal_code,
                    detail: String::new(),
                },
                entrance_code: None,
                handle: format!("{}.{}", ascii_handle(first), ascii_handle(last)),
                male,
            }
        }
    }
}

fn email_domain(rng: &mut Rng, country: &str) -> &'static str {
    let l = lists();
    let options: Vec<_> = l
        .email_domains
        .iter()
        .filter(|d| d.1 == country || d.1 == "*")
        .collect();
    let total: u64 = options.iter().map(|d| d.2).sum();
    let mut x = rng.below(total);
    for d in &options {
        if x < d.2 {
            return d.0;
        }
        x -= d.2;
    }
    "gmail.com"
}

/// The country of member `id` (the first draw of its stream, so this is
/// cheap and agrees with [`customer`]).
#[must_use]
pub fn country_of(seed: u64, id: u64) -> &'static str {
    draw_country(&mut Rng::stream(seed, Domain::Customer, id))
}

/// The customer with member id `id`.
#[must_use]
pub fn customer(seed: u64, id: u64) -> Customer {
    let mut rng = Rng::stream(seed, Domain::Customer, id);
    let country = draw_country(&mut rng);
    let person = person(&mut rng, country, id);
    let year = 2025 - rng.range(18, 78) as u32;
    let month = rng.range(1, 12) as u32;
    let day = rng.range(1, 28) as u32;
    let birth_date = format!("{year}-{month:02}-{day:02}");
    let national_id = match country {
        "KR" if rng.chance(0.02) => Some((
            NationalIdKind::KrFrn,
            idgen::kr_frn(&mut rng, year, month, day, person.male),
        )),
        "KR" if rng.chance(0.25) => {
            let post = rng.chance(0.05);
            let kind = if post {
                NationalIdKind::KrRrnPost2020
            } else {
                NationalIdKind::KrRrn
            };
            Some((
                kind,
                idgen::kr_rrn(&mut rng, year, month, day, person.male, post),
            ))
        }
        "JP" if rng.chance(0.1) => {
            Some((NationalIdKind::JpMyNumber, idgen::jp_my_number(&mut rng)))
        }
        "TW" if rng.chance(0.3) => {
            let letter = lists()
                .tw_districts
                .iter()
                .find(|d| person.residence.address.starts_with(d.city))
                .map_or('A', |d| d.id_letter);
            Some((
                NationalIdKind::TwId,
                idgen::tw_id(&mut rng, letter, person.male),
            ))
        }
        "US" if rng.chance(0.05) => Some((NationalIdKind::UsSsn, idgen::us_ssn(&mut rng))),
        _ => None,
    };
    let pccc = (country == "KR" && rng.chance(0.35)).then(|| idgen::kr_pccc(&mut rng));
    let card = rng.chance(0.7).then(|| idgen::card(&mut rng));
    let iban = (!matches!(country, "KR" | "JP" | "TW" | "US") && rng.chance(0.6))
        .then(|| idgen::iban(&mut rng, country));
    let domain = email_domain(&mut rng, country);
    let email = format!("{}{}@{domain}", person.handle, idgen::unique_suffix(id));
    let joined = format!(
        "{}-{:02}-{:02}",
        rng.range(2014, 2024),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    Customer {
        id,
        person,
        email,
        birth_date,
        national_id,
        pccc,
        card,
        iban,
        joined,
    }
}

/// The third party (a person who is not a customer) with id `id`.
#[must_use]
pub fn third_party(seed: u64, id: u64) -> Person {
    let mut rng = Rng::stream(seed, Domain::ThirdParty, id);
    let country = draw_country(&mut rng);
    person(&mut rng, country, THIRD_PARTY_INDEX_BASE + id)
}

/// How many third-party ids exist for a platform of `customers` (about 13%,
/// the non-member share of the 2025 breach's final count).
#[must_use]
pub const fn third_party_pool(customers: u64) -> u64 {
    customers * 13 / 100 + 1
}

/// The address book of member `id`.
#[must_use]
pub fn address_book(seed: u64, id: u64, customers: u64) -> Vec<BookEntry> {
    let mut rng = Rng::stream(seed, Domain::AddressBook, id);
    if rng.chance(0.35) {
        return Vec::new();
    }
    let n = rng.range(1, 5);
    let pool = third_party_pool(customers);
    (0..n)
        .map(|k| {
            let roll = rng.below(100);
            let (who, relation) = match roll {
                0..=14 => (PersonRef::Customer(id), "self"),
                15..=24 => (PersonRef::Customer(rng.range(1, customers)), "friend"),
                _ => (
                    PersonRef::ThirdParty(rng.range(1, pool)),
                    *rng.pick(&["family", "family", "friend", "work", "gift"])
                        .unwrap_or(&"family"),
                ),
            };
            BookEntry {
                entry_id: id * 8 + k,
                who,
                relation,
            }
        })
        .collect()
}

/// The contact identity behind a person reference.
#[must_use]
pub fn resolve(seed: u64, who: PersonRef) -> Person {
    match who {
        PersonRef::Customer(id) => customer(seed, id).person,
        PersonRef::ThirdParty(id) => third_party(seed, id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_are_deterministic_and_varied() {
        assert_eq!(customer(42, 7), customer(42, 7));
        assert_ne!(customer(42, 7), customer(43, 7));
        let many: Vec<_> = (1..=3000).map(|id| customer(42, id)).collect();
        let kr = many
            .iter()
            .filter(|c| c.person.residence.country == "KR")
            .count();
        assert!((2300..2800).contains(&kr), "{kr}");
        for c in &many {
            assert!(c.email.contains('@') && c.email.is_ascii(), "{}", c.email);
            assert!(!c.person.name.is_empty() && !c.person.residence.address.is_empty());
            if c.person.residence.country == "US" {
                assert!(
                    c.person
                        .residence
                        .subdivision
                        .as_deref()
                        .is_some_and(|s| s.starts_with("US-"))
                );
            }
        }
    }

    #[test]
    fn romanizes_hangul() {
        assert_eq!(romanize("민수"), "minsu");
        assert_eq!(romanize("서연"), "seoyeon");
        assert_eq!(kr_surname_roman("김"), "kim");
    }

    #[test]
    fn address_books_reference_valid_people() {
        let n = 1000;
        for id in 1..=n {
            for e in address_book(5, id, n) {
                match e.who {
                    PersonRef::Customer(c) => assert!((1..=n).contains(&c)),
                    PersonRef::ThirdParty(t) => assert!((1..=third_party_pool(n)).contains(&t)),
                }
            }
        }
    }
}
