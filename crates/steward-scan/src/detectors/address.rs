//! `ADDRESS`: street addresses in Korean, Japanese, Taiwanese and Western
//! formats.
//!
//! **What it detects.**
//! - Korea: road-name (`시/도 시/군/구 …로|길 번호`) and lot-number
//!   (`… 동|읍|면|리 번지`) addresses, starting at a province or
//!   metropolitan city.
//! - Japan: prefecture, municipality and `丁目/番/号` or `1-2-3` block
//!   numbers.
//! - Taiwan: city or county, district, road (`路/街/大道`, `段/巷/弄`) and
//!   `號`.
//! - Europe and the US: a street type word (Via, Calle, Rue, ul., …; or a
//!   suffix such as -straße, -straat, Road, Street) with a house number and a
//!   postcode and town, and US `number street-type, city, ST`.
//!
//! **Why it matters.** Delivery addresses were the core of the breach: with
//! a name and phone they locate a person's home.
//!
//! **Validation.** The structure itself; in a column named as an address,
//! any value with letters and a number counts.
//!
//! **Example.** `서울특별시 마포구 노원로 344`, `北海道函館市6丁目1番2号`,
//! `新北市中和區長安東路5段49號`, `Bergstraße 24, 70027 Stuttgart`.
//!
//! **False positives.** Organisation addresses (a shop's own address) are
//! addresses too; whether they are personal depends on the record.
//!
//! **References.** shared/DOMAIN.md §2.1 (Korean address structure); Japan
//! Post and Chunghwa Post address formats.

use steward_model::category::keys;
use steward_model::masked::MaskStyle;

use crate::detector::{Detector, Region, Span, Verdict};

const KR_PROVINCE: &str = "(?:서울특별시|부산광역시|대구광역시|인천광역시|광주광역시|대전광역시|울산광역시|세종특별자치시|경기도|강원특별자치도|강원도|충청북도|충청남도|전라북도|전북특별자치도|전라남도|경상북도|경상남도|제주특별자치도|서울시?|부산시?|대구시?|인천시?|광주시?|대전시?|울산시?|세종시?|경기|강원|충북|충남|전북|전남|경북|경남|제주)";
const KR_REST: &str = r"\s(?:[가-힣]{1,6}(?:시|군|구)\s){0,2}(?:[가-힣0-9]{1,6}(?:동|읍|면)\s)?(?:[가-힣0-9]{1,12}(?:로|길)\s?\d{1,4}(?:-\d{1,4})?|[가-힣0-9]{1,8}(?:동|읍|면|리|가)\s(?:산\s?)?\d{1,5}(?:-\d{1,5})?(?:번지)?)";
const JP: &str = r"(?:北海道|東京都|京都府|大阪府|\p{Han}{2,3}県)[\p{Han}\p{Hiragana}\p{Katakana}]{1,6}?[市区町村郡](?:\p{Han}{1,6}?[区町村])?[\p{Han}\p{Hiragana}\p{Katakana}ー]{0,10}?(?:\d{1,3}丁目\d{1,4}番地?(?:\d{1,4}号)?|\d{1,3}-\d{1,4}(?:-\d{1,4})?)";
const TW: &str = r"(?:臺北市|台北市|新北市|桃園市|臺中市|台中市|臺南市|台南市|高雄市|基隆市|新竹市|嘉義市|\p{Han}{2}縣)\p{Han}{1,4}?[區鄉鎮市]\p{Han}{1,8}?(?:路|街|大道)(?:\d{1,2}段)?(?:\d{1,4}巷)?(?:\d{1,4}弄)?\d{1,5}號";
const POSTCODE: &str = r"(?:\d{5}|\d{4} ?[A-Z]{2}|\d{2}-\d{3}|\d{4}|[A-Z]\d{2} ?[A-Z0-9]{4}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})";
const TOWN: &str =
    r"\p{Lu}\p{L}+(?:[ -](?:(?:am|an|im|der|de|del|la|le|sur|on)[ -])?\p{Lu}\p{L}+){0,2}";
/// European `street words number, postcode town`: any capitalised street
/// name of up to four words (Via Nazionale, Bergstraße, Gran Vía, Passeig de
/// Gràcia, O'Connell Street, ul. Długa) and a house number; the postcode and
/// town after the comma make the shape distinctive.
const EU_STREET: &str =
    r"(?:\p{Lu}[\p{L}'’.-]*|ul\.|al\.)(?:\s[\p{L}'’.-]+){0,3}\s\d{1,4}[a-zA-Z]?";
/// US street types; `Broadway` stands alone.
const US_TYPES: &[&str] = &[
    "St",
    "Street",
    "Ave",
    "Avenue",
    "Rd",
    "Road",
    "Blvd",
    "Boulevard",
    "Ln",
    "Lane",
    "Dr",
    "Drive",
    "Ct",
    "Court",
    "Way",
    "Pl",
    "Place",
    "Ter",
    "Pkwy",
    "Hwy",
    "Cir",
];

fn pattern() -> String {
    format!("{}|{}", korean(), foreign())
}

/// The Korean alternatives: every match starts with a province.
fn korean() -> String {
    format!("{KR_PROVINCE}{KR_REST}")
}

/// The Japanese, Taiwanese and Western alternatives.
fn foreign() -> String {
    let types = US_TYPES.join("|");
    let us = format!(
        r"(?-u:\b)\d{{1,6}}\s(?:[NSEW]\.?\s)?(?:\p{{Lu}}\p{{Ll}}*(?:\s\p{{Lu}}\p{{Ll}}*){{0,3}}\s(?:{types})\.?|Broadway),\s\p{{Lu}}[\p{{L}}.]*(?:\s\p{{Lu}}[\p{{L}}.]*){{0,3}},\s[A-Z]{{2}}(?:\s\d{{5}}(?:-\d{{4}})?)?(?-u:\b)"
    );
    format!("{JP}|{TW}|{EU_STREET},\\s{POSTCODE}\\s{TOWN}|{us}")
}

/// The first two syllables of every province alternative of
/// [`KR_PROVINCE`]: a Korean match starts at one of them.
const KR_PROVINCE_STARTS: [&str; 20] = [
    "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충청", "충북",
    "충남", "전라", "전북", "전남", "경상", "경북", "경남", "제주",
];

/// Bytes after a province a Korean match may reach before the engine widens
/// the search (the longest road-name address is about 150).
const KR_REACH: usize = 256;

/// Each place a province name starts: a Korean address can start only
/// there, so the search is anchored at it.
fn korean_starts(hay: &[u8], from: usize) -> Option<Region> {
    static STARTS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(KR_PROVINCE_STARTS)
                .ok()
        });
    let found = STARTS
        .as_ref()?
        .find(aho_corasick::Input::new(hay).range(from.min(hay.len())..))?;
    let start = found.start();
    Some(Region {
        start,
        end: start + 1,
        limit: start + KR_REACH,
    })
}

/// Bytes searched before a comma for the start of a Western address.
const BEFORE_COMMA: usize = 256;
/// Bytes after a region a match may still run on (the engine widens the
/// search when a match reaches it).
const RUN_ON: usize = 1024;
/// Longest stretch of one line searched as one region.
const LINE_REGION: usize = 4096;

/// Japanese and Taiwanese addresses start at a non-ASCII character that is
/// not Hangul; Western ones have a comma after a house number
/// (`Bergstraße 24, …`) or a US street type (`… College Ave, …`). Regions
/// start a little before the first such character (a Western street name
/// may have its first non-ASCII letter late: `Bergstraße`) and run to the
/// end of its line (or of its value in a batch), or end at such a comma; commas elsewhere (`KHTML, like
/// Gecko`) and text of ASCII and Hangul alone without them are skipped.
fn foreign_regions(hay: &[u8], from: usize) -> Option<Region> {
    // Look in growing blocks, so each call reads only up to its region.
    let mut p = from;
    let mut block = 256;
    while p < hay.len() {
        // The rest of a character split by the previous block's end: it
        // was Hangul, or its first byte would have ended the search.
        while hay.get(p).is_some_and(|b| (0x80..0xC0).contains(b)) {
            p += 1;
        }
        let stop = (p + block).min(hay.len());
        let wide = first_foreign(hay, p, stop);
        if let Some(c) = western_comma(hay, p, wide.unwrap_or(stop)) {
            return Some(Region {
                start: c.saturating_sub(BEFORE_COMMA).max(from),
                end: c,
                limit: c + BEFORE_COMMA,
            });
        }
        if let Some(q) = wide {
            let line = hay.get(q..).unwrap_or_default();
            // A NUL ends a value of a batch as a newline ends a line.
            let end = q + memchr::memchr2(b'\n', 0, line)
                .unwrap_or(line.len())
                .clamp(1, LINE_REGION);
            // A Western street name may start before its first non-ASCII
            // letter (`Bergstraße`).
            return Some(Region {
                start: q.saturating_sub(BEFORE_COMMA).max(from),
                end,
                limit: end + RUN_ON,
            });
        }
        p = stop;
        block = (block * 2).min(1 << 16);
    }
    None
}

/// The first byte in `from..stop` at or above 0x80 that does not begin a
/// Hangul syllable (U+AC00 to U+D7A3, and the unassigned points to U+D7BF;
/// its last bytes may lie past `stop`).
fn first_foreign(hay: &[u8], from: usize, stop: usize) -> Option<usize> {
    let mut at = from;
    while at < stop {
        let i = at + first_non_ascii(hay.get(at..stop)?)?;
        if !hangul_syllable(hay, i) {
            return Some(i);
        }
        at = i + 3;
    }
    None
}

/// Whether a Hangul syllable's three bytes start at `i`.
fn hangul_syllable(hay: &[u8], i: usize) -> bool {
    let cont = |b: Option<&u8>| b.is_some_and(|b| (0x80..0xC0).contains(b));
    let second = match (hay.get(i), hay.get(i + 1)) {
        (Some(0xEA), Some(b)) => (0xB0..0xC0).contains(b),
        (Some(0xEB | 0xEC), b) => cont(b),
        (Some(0xED), Some(b)) => (0x80..=0x9E).contains(b),
        _ => false,
    };
    second && cont(hay.get(i + 2))
}

/// The first comma in `from..bound` that could close the street part of a
/// Western address: followed by a space and preceded by a house number
/// (`24,`, `12a,`) or a US street type (`Ave,`, `St.,`, `Broadway,`).
fn western_comma(hay: &[u8], from: usize, bound: usize) -> Option<usize> {
    let space = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_whitespace() || *b >= 0x80);
    for c in memchr::memchr_iter(b',', hay.get(from..bound)?).map(|i| from + i) {
        if !space(hay.get(c + 1)) {
            continue;
        }
        let head = hay.get(..c).unwrap_or_default();
        // `\s\d{1,4}[a-zA-Z]?,`
        let numbered = {
            let h = match head.split_last() {
                Some((l, h)) if l.is_ascii_alphabetic() => h,
                _ => head,
            };
            let digits = h.iter().rev().take_while(|b| b.is_ascii_digit()).count();
            (1..=4).contains(&digits)
                && space(h.len().checked_sub(digits + 1).and_then(|i| h.get(i)))
        };
        // `\s(?:St|…)\.?,` or `Broadway,`
        let typed = || {
            let h = head.strip_suffix(b".").unwrap_or(head);
            US_TYPES.iter().chain(&["Broadway"]).any(|t| {
                h.strip_suffix(t.as_bytes())
                    .is_some_and(|before| space(before.last()))
            })
        };
        if numbered || typed() {
            return Some(c);
        }
    }
    None
}

/// Index of the first byte of `bytes` at or above 0x80.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for w in words.by_ref() {
        let mut a = [0u8; 8];
        a.copy_from_slice(w);
        if u64::from_le_bytes(a) & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        at += 8;
    }
    bytes
        .get(at..)
        .and_then(|t| t.iter().position(|b| *b >= 0x80))
        .map(|i| at + i)
}

/// The detector.
#[must_use]
pub fn detector() -> Detector {
    Detector::new("ADDRESS", "Street address", keys::STREET, validate)
        .pattern(&pattern())
        .cell_pattern(r"[^\n]{2,300}")
        .context(&["address", "addr", "주소", "배송지", "住所", "地址"])
        .columns(&["address", "addr", "street", "주소", "배송지", "住所", "地址"])
        .not_columns(&["ipaddress", "ipaddr", "email", "mailaddress", "macaddress", "remoteaddr", "addressid", "addrtype"])
        .mask(MaskStyle::Address)
        .spans(vec![
            Span {
                pattern: Some(korean()),
                finder: korean_starts,
                anchored: true,
            },
            Span {
                pattern: Some(foreign()),
                finder: foreign_regions,
                anchored: false,
            },
        ])
        .describe("Street addresses: Korean road-name and lot-number, Japanese, Taiwanese, European and US formats.")
}

fn validate(s: &str) -> Option<Verdict> {
    // A unit line such as `8층` or `Apt 31` in an address column counts.
    let digit = s.bytes().any(|b| b.is_ascii_digit());
    let letter = s.bytes().any(|b| b.is_ascii_alphabetic())
        || s.chars()
            .any(|c| matches!(c, '가'..='힣') || c.is_alphabetic());
    (letter && digit).then_some(Verdict::new(0.75))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;

    fn finds(text: &str) -> Option<String> {
        let re = Regex::new(&pattern()).ok()?;
        re.find(text)
            .and_then(|m| text.get(m.range()))
            .map(str::to_owned)
    }

    #[test]
    fn korean_road_and_lot_numbers() {
        assert_eq!(
            finds("배송지를 부산광역시 북구 상무대로 154(으)로").as_deref(),
            Some("부산광역시 북구 상무대로 154")
        );
        assert_eq!(
            finds("addr=\"울산광역시 울주군 삼성동 604-28번지\"").as_deref(),
            Some("울산광역시 울주군 삼성동 604-28번지")
        );
        assert_eq!(
            finds("충청남도 서산시 양화로6길 258 아이유쉘").as_deref(),
            Some("충청남도 서산시 양화로6길 258")
        );
    }

    #[test]
    fn japanese_taiwanese_and_western() {
        assert_eq!(
            finds("at 群馬県高崎市8丁目19番12号.").as_deref(),
            Some("群馬県高崎市8丁目19番12号")
        );
        assert_eq!(
            finds("新北市中和區長安東路5段49號 17樓").as_deref(),
            Some("新北市中和區長安東路5段49號")
        );
        assert_eq!(
            finds("at Via Nazionale 189, 00105 Roma.").as_deref(),
            Some("Via Nazionale 189, 00105 Roma")
        );
        assert_eq!(
            finds("Bergstraße 24, 70027 Stuttgart").as_deref(),
            Some("Bergstraße 24, 70027 Stuttgart")
        );
        assert_eq!(
            finds("ul. Długa 108, 50-142 Wrocław").as_deref(),
            Some("ul. Długa 108, 50-142 Wrocław")
        );
        assert_eq!(
            finds("Strand Road 186, V94 I4L8 Limerick").as_deref(),
            Some("Strand Road 186, V94 I4L8 Limerick")
        );
        assert_eq!(
            finds("6462 College Ave, St. Petersburg, FL").as_deref(),
            Some("6462 College Ave, St. Petersburg, FL")
        );
    }

    #[test]
    fn plain_prose_is_not_an_address() {
        assert_eq!(finds("Please refund order 12 to my card."), None);
        assert_eq!(finds("서울에서 만나요 10시"), None);
    }

    #[test]
    fn every_province_starts_with_a_listed_prefix() {
        let inner = KR_PROVINCE
            .strip_prefix("(?:")
            .and_then(|p| p.strip_suffix(')'))
            .unwrap();
        let names: Vec<&str> = inner.split('|').collect();
        assert!(names.len() > 30);
        for name in names {
            assert!(
                KR_PROVINCE_STARTS.iter().any(|p| name.starts_with(p)),
                "{name} starts with no listed prefix"
            );
        }
    }

    #[test]
    fn korean_regions_are_each_province_start() {
        let text = "서울산 부산광역시 북구 상무대로 154 경기";
        let mut starts = Vec::new();
        let mut from = 0;
        while let Some(r) = korean_starts(text.as_bytes(), from) {
            assert_eq!((r.end, r.limit), (r.start + 1, r.start + KR_REACH));
            starts.push(
                text.get(r.start..)
                    .unwrap()
                    .chars()
                    .take(2)
                    .collect::<String>(),
            );
            from = r.end;
        }
        // `서울` and the `울산` inside it, then `부산` and `경기`.
        assert_eq!(starts, ["서울", "울산", "부산", "경기"]);
    }

    #[test]
    fn hangul_alone_gives_no_foreign_region() {
        let hangul = "배송지 서울특별시 마포구 노원로 344 홍길동 ".repeat(40);
        assert_eq!(foreign_regions(hangul.as_bytes(), 0), None);
        // Across block ends at any alignment, a Japanese address after it
        // is still found.
        for pad in 0..3 {
            let text = format!("{}{hangul}群馬県高崎市8丁目19番12号", "x".repeat(pad));
            let at = text.find('群').unwrap();
            let r = foreign_regions(text.as_bytes(), 0).unwrap();
            assert!(r.start <= at && at < r.end, "{r:?} misses {at}");
        }
        assert!(hangul_syllable("가".as_bytes(), 0));
        assert!(hangul_syllable("힣".as_bytes(), 0));
        assert!(!hangul_syllable("ㄱ".as_bytes(), 0));
        assert!(!hangul_syllable("市".as_bytes(), 0));
        assert!(!hangul_syllable(&"가".as_bytes()[..2], 0));
    }
}
