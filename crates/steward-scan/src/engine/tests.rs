use super::*;
use crate::detectors::builtin;

fn engine() -> Engine {
    Engine::new(builtin(), EngineOptions::default()).unwrap()
}

fn ids(e: &Engine, text: &str) -> Vec<(String, String)> {
    let mut cache = e.cache();
    let mut out = Vec::new();
    e.find(&mut cache, text.as_bytes(), &[], &mut out);
    out.iter()
        .map(|h| {
            (
                e.detectors()[h.detector].id.clone(),
                text[h.start..h.end].to_owned(),
            )
        })
        .collect()
}

#[test]
fn finds_each_kind_in_a_korean_ticket() {
    let e = engine();
    let found = ids(
        &e,
        "본인인증이 계속 실패합니다. 주민번호 900517-1137615 확인해 주세요. 전화: 010-0132-8261",
    );
    assert_eq!(
        found,
        vec![
            ("KR_RRN".to_owned(), "900517-1137615".to_owned()),
            ("PHONE".to_owned(), "010-0132-8261".to_owned())
        ]
    );
}

#[test]
fn hangul_glued_to_digits_still_matches() {
    let e = engine();
    let found = ids(&e, "주민번호960121-1021413입니다");
    assert_eq!(
        found,
        vec![("KR_RRN".to_owned(), "960121-1021413".to_owned())]
    );
}

#[test]
fn cards_win_over_my_number_prefixes_and_pieces_are_not_matched() {
    let e = engine();
    assert_eq!(
        ids(&e, "card=5440-5819-4630-2888 reason=x"),
        vec![("PAYMENT_CARD".to_owned(), "5440-5819-4630-2888".to_owned())]
    );
    assert!(ids(&e, "build 2025-04-09-1234-5678-9012").is_empty());
    assert!(ids(&e, "ts 2025-04-09T15:05:41.609Z total=44000").is_empty());
    assert!(ids(&e, r#""jti":"7fb3128a-6006-4118-8198-263311edbbea""#).is_empty());
    assert!(ids(&e, "sid s-3706111423872494").is_empty());
}

#[test]
fn label_groups_report_only_the_value() {
    let e = engine();
    assert_eq!(
        ids(
            &e,
            "JWT_SIGNING_SECRET=jMmbvjcgWH15DgV8AJDRVth1kIzFHy2nbrj7VfBkdZuJOFVb\n"
        ),
        vec![(
            "JWT_SECRET".to_owned(),
            "jMmbvjcgWH15DgV8AJDRVth1kIzFHy2nbrj7VfBkdZuJOFVb".to_owned()
        )]
    );
    assert_eq!(
        ids(&e, "생년월일: 1990-06-03"),
        vec![("DATE_OF_BIRTH".to_owned(), "1990-06-03".to_owned())]
    );
}

#[test]
fn needs_context_detectors_stay_quiet_without_it() {
    let e = engine();
    assert!(ids(&e, "part M123A4567 shipped").is_empty());
    assert_eq!(
        ids(&e, "여권번호 M123A4567"),
        vec![("KR_PASSPORT".to_owned(), "M123A4567".to_owned())]
    );
}

#[test]
fn context_words_are_whole_words() {
    let e = engine();
    let mut cache = e.cache();
    let rrn = e.detectors().iter().position(|d| d.id == "KR_RRN").unwrap();
    assert!(e.context_near(&mut cache, b"rrn: 721114-2482565", rrn, 5, 19));
    assert!(!e.context_near(&mut cache, b"xrrnx 721114-2482565", rrn, 6, 20));
}

#[test]
fn columns_classify_whole_values_and_hinted_shapes() {
    let e = engine();
    let mut cache = e.cache();
    let (mut whole, mut partial) = (Vec::new(), Vec::new());
    let hinted = e.hinted_by("recipient_name");
    e.classify_cell(&mut cache, "김민수", &hinted, &mut whole, &mut partial);
    assert_eq!(whole.len(), 1);
    assert_eq!(e.detectors()[whole[0].detector].id, "PERSON_NAME");
    whole.clear();
    e.classify_cell(&mut cache, "010-1234-5678", &[], &mut whole, &mut partial);
    assert_eq!(e.detectors()[whole[0].detector].id, "PHONE");
    whole.clear();
    e.classify_cell(
        &mut cache,
        "call me at 010-1234-5678 please",
        &[],
        &mut whole,
        &mut partial,
    );
    assert!(whole.is_empty());
    assert_eq!(partial.len(), 1);
}

#[test]
fn allow_listed_values_are_not_reported() {
    let mut options = EngineOptions::default();
    options.allow_values.insert("010-0132-8261".to_owned());
    let e = Engine::new(builtin(), options).unwrap();
    assert!(ids(&e, "전화 010-0132-8261").is_empty());
}

/// The engine with every candidate finder switched off: each pattern runs
/// over every byte in the one-pass union.
fn union_only() -> Engine {
    let detectors = builtin()
        .into_iter()
        .map(|mut d| {
            d.spans.clear();
            d
        })
        .collect();
    Engine::new(detectors, EngineOptions::default()).unwrap()
}

/// Texts that exercise the candidate finders' edges.
const FINDER_EDGES: &[&str] = &[
    "from 175.223.18.240, then 1.2.3.4.5 and v1.2.3.4 and .8.8.8.8. and 9.9.9.9..1",
    "ts 2025-04-09T15:00:08.972Z 12:00:08 \"a\":1 ::1 2001:4860:4860::8888 fe80::1",
    "2001:4860:4860:0:0:0:0:8888 deadbeef2001:db8::1 00:1a:2b:3c:4d:5e 1.1.1.1:443",
    "mail jiwoo.kim@naver.com, a@b, x@example.com, @naver.com, 01012345678@kakao.com",
    "very-long-local-part-that-goes-on-and-on-and-on-for-more-than-sixty-four-chars@gmail.com",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "ship to Bergstraße 24, 70027 Stuttgart or 6462 College Ave, St. Petersburg, FL 33701.",
    "Via Nazionale 189, 00105 Roma; 12 Broadway, New York, NY; Strand Road 186, V94 I4L8 Limerick",
    "배송지: 서울특별시 마포구 노원로 344, 전화 010-2345-6789, 群馬県高崎市8丁目19番12号",
    "新北市中和區長安東路5段49號 17樓 and 부산광역시 북구 상무대로 154(으)로 부탁",
    "addr=\"울산광역시 울주군 삼성동 604-28번지\" ip=211.45.12.11 card 5440-5819-4630-2888",
    // Values of a batch: NUL ends a value as a newline ends a line.
    "신별원\0경상북도 안동시 와우산로21길 238 1층\x00010-8083-7816\0전남 목포시 평화로 12\0서울에서 서울특별시 중구 세종대로 110",
    "주소 6462 College Ave, St. Petersburg, FL 배송 Bergstraße 24, 70027 Stuttgart 제주특별자치도 제주시 문연로 6",
    "제주 제주 제주특별자치도 서귀포시 중앙로 1, Via Roma 1, 00100 Roma 경기 성남시 분당구 판교역로 235",
    // Provinces glued to other Hangul, overlapping prefixes, Korean and
    // Japanese or Taiwanese values side by side in one batch.
    "주소서울특별시 중구 세종대로 110\0서울산 울산광역시 남구 삼산로 1\0경기경기도 수원시 팔달구 효원로 1",
    "홍길동\0群馬県高崎市8丁目19番12号\0부산광역시 북구 상무대로 154\0新北市中和區長安東路5段49號\0전라남도 목포시 평화로 12",
    "ㄱㄴ 서울특별시 마포구 노원로 344 ・ 東京都港区芝公園4丁目2番8号 ― 대전광역시 유성구 대학로 99",
];

#[test]
fn candidate_finders_find_what_the_union_finds() {
    let fast = engine();
    let slow = union_only();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/detectors");
    let mut texts: Vec<String> = FINDER_EDGES.iter().map(|s| (*s).to_owned()).collect();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        texts.extend(text.lines().map(str::to_owned));
        texts.push(text);
    }
    // A long Hangul line with a province name across the 4 KiB cut.
    for pad in 0..8 {
        texts.push(format!(
            "{}{} 서울특별시 마포구 노원로 344",
            "x".repeat(pad),
            "가".repeat(1364)
        ));
    }
    let mut compared = 0;
    for text in &texts {
        assert_eq!(ids(&fast, text), ids(&slow, text), "in {text:?}");
        compared += 1;
    }
    assert!(compared > 100);
    // And across many lines at once, as chunks are searched.
    let all = texts.join("\n");
    assert_eq!(ids(&fast, &all), ids(&slow, &all));
}

#[test]
fn a_pattern_that_does_not_compile_is_named() {
    let mut detectors = builtin();
    let mut bad = detectors[0].clone();
    bad.id = "BROKEN".to_owned();
    bad.pattern = Some("(unclosed".to_owned());
    bad.cell_pattern = None;
    bad.spans.clear();
    detectors.push(bad);
    let err = Engine::new(detectors, EngineOptions::default()).unwrap_err();
    assert!(err.to_string().contains("`BROKEN`"), "{err}");
}

#[test]
fn hinted_cells_compile_their_regex_on_first_use() {
    let e = engine();
    let phone = e.hinted_by("phone");
    assert!(!phone.is_empty());
    let mut cache = e.cache();
    let mut whole = Vec::new();
    e.hinted_cells(&mut cache, "010-1234-5678", &phone, &mut whole, 0);
    assert!(
        whole
            .iter()
            .any(|h| e.detectors()[h.detector].id == "PHONE")
    );
    // Detectors never hinted at keep their cell regex uncompiled.
    let compiled = e
        .cells
        .iter()
        .filter(|c| c.as_ref().is_some_and(|(_, r)| r.get().is_some()))
        .count();
    assert_eq!(compiled, phone.len());
}

#[test]
fn min_len_lets_the_shortest_identifiers_through() {
    let e = engine();
    // `1.1.1.1`, `a@b.cd` and a labelled three-digit postcode are the
    // shortest values found; JSON values shorter than this are skipped.
    assert!((3..=6).contains(&e.min_len()), "{}", e.min_len());
    assert_eq!(
        ids(&e, "1.1.1.1"),
        vec![("IP_ADDRESS".to_owned(), "1.1.1.1".to_owned())]
    );
}

#[test]
fn trim_agrees_with_str_trim() {
    for v in [
        "",
        " ",
        "a",
        " a",
        "a ",
        "\u{b}a\u{b}",
        "\u{3000}가\u{3000}",
        "가",
        "\u{85}x",
        "x\u{a0}",
        "\t1.2.3.4\r\n",
        "1.2.3.4",
    ] {
        let lead = v.len() - v.trim_start().len();
        assert_eq!(super::trim(v), (lead, v.trim()), "{v:?}");
    }
}

/// A small deterministic generator for batches of values.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Values with and without identifiers, in several scripts.
const PALETTE: &[&str] = &[
    "900517-1137615",
    "010-0132-8261",
    "이름: 홍길동",
    "Full Name: Jiwoo Kim",
    "2025-04-09T15:20:44.977Z",
    "c218135947265b09",
    "175.223.18.240",
    "jiwoo@naver.com",
    "5500 0000 0000 0004",
    "DE89370400440532013000",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop",
    "AKIAIOSFODNN7EXAMPLE",
    "-----BEGIN PRIVATE KEY-----",
    "jwt_secret=abcdefghijklmnop1234",
    "생년월일: 1990-01-01",
    "우편번호 06236",
    "서울특별시 강남구 테헤란로 152",
    "/api/v1/members/952/addresses",
    "member-2021",
    "1744212045",
    "ShopApp/7.3.0 (Android 14; SM-S921N)",
    "123-45-6789",
    "A123456789",
    "call 02-3456-7890 now",
    "910a2dec-8902-4cc1-bf8b-249e43028a5d",
];

/// A NUL-separated batch as `CellBatch` builds it: every value closed by
/// a NUL. Some values are palette entries glued together, some random
/// bytes (never NUL).
fn batch(rng: &mut Rng, bytes: usize) -> Vec<u8> {
    let mut hay = Vec::new();
    while hay.len() < bytes {
        match rng.below(10) {
            0 => {
                let n = 1 + rng.below(40);
                hay.extend((0..n).map(|_| 1 + (rng.next() % 255) as u8));
            }
            1 => {
                hay.extend_from_slice(PALETTE[rng.below(PALETTE.len())].as_bytes());
                hay.extend_from_slice(PALETTE[rng.below(PALETTE.len())].as_bytes());
            }
            _ => hay.extend_from_slice(PALETTE[rng.below(PALETTE.len())].as_bytes()),
        }
        hay.push(0);
    }
    hay
}

fn union_hits(
    e: &Engine,
    cache: &mut Cache,
    hay: &[u8],
    gated: bool,
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    if gated {
        e.find_values(cache, hay, &mut out);
    } else {
        e.find(cache, hay, &[], &mut out);
    }
    out.iter().map(|h| (h.detector, h.start, h.end)).collect()
}

#[test]
fn the_gate_finds_what_the_union_finds_in_batches() {
    let e = engine();
    assert!(e.gate.is_some(), "the built-in union builds a gate");
    let mut cache = e.cache();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut total = 0;
    for round in 0..60 {
        // Sizes around the gate's floor, and batches of many lanes' worth.
        let size = [100, 4_000, 5_000, 20_000, 70_000][round % 5];
        let hay = batch(&mut rng, size);
        let plain = union_hits(&e, &mut cache, &hay, false);
        let gated = union_hits(&e, &mut cache, &hay, true);
        assert_eq!(plain, gated, "round {round}, {} bytes", hay.len());
        total += plain.len();
    }
    assert!(total > 1_000, "the batches hold identifiers: {total}");
}

#[test]
fn the_gate_searches_only_values_with_a_match() {
    let e = engine();
    let mut cache = e.cache();
    // Clean values, with a name at the end of every value run and a
    // national id every fifty values.
    let mut hay = Vec::new();
    let mut n = 0;
    while hay.len() < 64 * 1024 {
        let v = if n % 50 == 49 {
            "900517-1137615"
        } else {
            "2025-04-09T15:20:44.977Z"
        };
        hay.extend_from_slice(v.as_bytes());
        hay.push(0);
        n += 1;
    }
    hay.extend_from_slice("이름: 홍길동".as_bytes());
    hay.push(0);
    let (Some(gate), Some(gc)) = (&e.gate, cache.gate.as_mut()) else {
        panic!("no gate");
    };
    let mut regions = Vec::new();
    gate.regions(gc, &hay, &mut regions);
    let searched: usize = regions.iter().map(|r| r.1 - r.0).sum();
    assert_eq!(
        regions.len(),
        n / 50 + 1,
        "one region per value with a match"
    );
    assert_eq!(searched, (n / 50) * 15 + "이름: 홍길동".len() + 1);
    for &(s, t) in &regions {
        let v = &hay[s..t];
        assert!(
            v == b"900517-1137615\0" || v == "이름: 홍길동\0".as_bytes(),
            "{v:?}"
        );
    }
    // The name ends at the batch's last NUL, which it takes in.
    let hits = union_hits(&e, &mut cache, &hay, true);
    assert_eq!(hits, union_hits(&e, &mut cache, &hay, false));
    assert_eq!(hits.len(), n / 50 + 1);
}

#[test]
fn a_gate_whose_cache_clears_falls_back_to_the_union() {
    let mut e = engine();
    let patterns: Vec<String> = e
        .detectors()
        .iter()
        .filter(|d| d.spans.is_empty())
        .filter_map(|d| d.pattern.clone())
        .collect();
    // The smallest cache the lazy DFA accepts, so it clears often.
    e.gate = [16, 32, 64, 128, 256, 512, 1024]
        .iter()
        .find_map(|kb| gate::Gate::with_capacity(&patterns, kb * 1024));
    assert!(e.gate.is_some());
    let mut cache = e.cache();
    let mut rng = Rng(7);
    for round in 0..20 {
        let hay = batch(&mut rng, 50_000);
        let before = cache.gate.as_ref().map_or(0, |c| c.clear_count());
        let gated = union_hits(&e, &mut cache, &hay, true);
        assert_eq!(
            gated,
            union_hits(&e, &mut cache, &hay, false),
            "round {round}"
        );
        if round == 19 {
            let after = cache.gate.as_ref().map_or(0, |c| c.clear_count());
            assert!(after > before || before > 0, "the small cache was cleared");
        }
    }
}
