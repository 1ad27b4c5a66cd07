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
