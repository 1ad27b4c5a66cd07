//! The generator checked against its own ground truth, recomputed from the
//! files it wrote rather than from its internals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;
use steward_model::checks;
use steward_synth::{Config, NoProgress, Summary, generate, paths};

fn cfg() -> Config {
    Config {
        customers: 3_000,
        days: 10,
        seed: 77,
        ..Config::default()
    }
}

fn platform() -> &'static (PathBuf, Summary) {
    static P: OnceLock<(PathBuf, Summary)> = OnceLock::new();
    P.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep().join("p");
        let s = generate(&cfg(), &dir, &NoProgress).unwrap();
        (dir, s)
    })
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn zst_lines(path: &Path) -> Vec<Value> {
    let mut text = String::new();
    zstd::Decoder::new(std::fs::File::open(path).unwrap())
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p)
            } else {
                out.push(p)
            }
        }
    }
    out.sort();
    out
}

#[test]
fn same_seed_gives_identical_files_and_another_seed_does_not() {
    let (dir, _) = platform();
    let again = tempfile::tempdir().unwrap();
    generate(&cfg(), again.path(), &NoProgress).unwrap();
    let a = files(dir);
    let b = files(again.path());
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            x.strip_prefix(dir).unwrap(),
            y.strip_prefix(again.path()).unwrap()
        );
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} differs between runs",
            x.display()
        );
    }
    let other = tempfile::tempdir().unwrap();
    generate(&Config { seed: 78, ..cfg() }, other.path(), &NoProgress).unwrap();
    let g = |d: &Path| std::fs::read(d.join(paths::GATEWAY_LOG)).unwrap();
    assert_ne!(g(dir), g(other.path()));
}

#[test]
fn stored_identifiers_are_valid() {
    let (dir, _) = platform();
    let db = rusqlite::Connection::open(dir.join("stores/customers.sqlite")).unwrap();
    let mut stmt = db
        .prepare("SELECT id_type, id_number FROM identity_verifications")
        .unwrap();
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut kinds = HashSet::new();
    for (kind, value) in &rows {
        kinds.insert(kind.clone());
        let ok = match kind.as_str() {
            "kr_rrn" => {
                let c = checks::check_rrn(value);
                c.date && c.citizen && c.rrn_checksum
            }
            "kr_rrn_post2020" => {
                let c = checks::check_rrn(value);
                c.date && c.citizen
            }
            "kr_frn" => {
                let c = checks::check_rrn(value);
                c.date && !c.citizen && c.frn_checksum
            }
            "jp_my_number" => checks::is_valid_my_number(value),
            "tw_id" => checks::is_valid_tw_id(value),
            "us_ssn" => checks::is_valid_ssn(value),
            other => panic!("unexpected id type {other}"),
        };
        assert!(ok, "{kind} {value} is not valid");
    }
    for k in ["kr_rrn", "kr_frn", "jp_my_number", "tw_id"] {
        assert!(kinds.contains(k), "no {k} planted");
    }
    let mut stmt = db
        .prepare("SELECT card_number, iban FROM payment_methods")
        .unwrap();
    let pays: Vec<(Option<String>, Option<String>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(pays.iter().filter(|p| p.0.is_some()).count() > 1000);
    for (card, iban) in &pays {
        if let Some(c) = card {
            assert!(checks::is_luhn_valid(c) && !checks::is_test_pan(c), "{c}");
        }
        if let Some(i) = iban {
            assert!(checks::is_valid_iban(i), "{i}");
        }
    }
    let mut stmt = db.prepare("SELECT pccc FROM customs_profiles").unwrap();
    for p in stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
    {
        assert!(
            p.len() == 13 && p.starts_with('P') && p[1..].bytes().all(|b| b.is_ascii_digit()),
            "{p}"
        );
    }
    let phones: i64 = db
        .query_row("SELECT count(DISTINCT phone) FROM members", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(phones, 3_000, "phones identify people");
}

#[test]
fn text_ground_truth_points_at_the_values() {
    let (dir, _) = platform();
    let truth = lines(&dir.join(paths::TRUTH_TEXT));
    assert!(truth.len() > 200, "{}", truth.len());
    let mut files: HashMap<String, Vec<String>> = HashMap::new();
    for t in &truth {
        let path = t["path"].as_str().unwrap();
        let content = files.entry(path.to_owned()).or_insert_with(|| {
            std::fs::read_to_string(dir.join(path))
                .unwrap()
                .lines()
                .map(str::to_owned)
                .collect()
        });
        let value = t["value"].as_str().unwrap();
        let offset = t["offset"].as_u64().unwrap() as usize;
        let line = &content[t["line"].as_u64().unwrap() as usize - 1];
        if t["field"].is_string() {
            let body: Value = serde_json::from_str(line).unwrap();
            assert_eq!(
                &body["body"].as_str().unwrap()[offset..offset + value.len()],
                value
            );
        } else {
            let whole = std::fs::read_to_string(dir.join(path)).unwrap();
            if path.ends_with(".log") {
                assert_eq!(
                    &whole[offset..offset + value.len()],
                    value,
                    "{path}:{}",
                    t["line"]
                );
            } else {
                assert!(whole.contains(value));
            }
        }
        let ok = match t["detector"].as_str().unwrap() {
            "KR_RRN" => checks::check_rrn(value).rrn_checksum,
            "KR_FRN" => {
                let c = checks::check_rrn(value);
                c.date && !c.citizen && c.frn_checksum
            }
            "PAYMENT_CARD" => checks::is_luhn_valid(value),
            "KR_BRN" => checks::is_valid_brn(value),
            "US_ITIN" => checks::is_valid_itin(value),
            "US_SSN" => checks::is_valid_ssn(value),
            "TW_NATIONAL_ID" => checks::is_valid_tw_id(value) && value[1..2] < *"3",
            "TW_ARC" => checks::is_valid_tw_id(value) && value[1..2] > *"7",
            "JP_MY_NUMBER" => checks::is_valid_my_number(value),
            "IBAN" => checks::is_valid_iban(value),
            "DATE_OF_BIRTH" => {
                let p: Vec<u32> = value.split('-').map(|x| x.parse().unwrap()).collect();
                checks::is_real_date(p[0], p[1], p[2])
            }
            "GCP_API_KEY" => value.len() == 39 && value.starts_with("AIza"),
            _ => true,
        };
        assert!(ok, "{}: {value} is not valid", t["detector"]);
    }
}

#[test]
fn every_detector_has_planted_values_in_text() {
    let (dir, _) = platform();
    let mut per: HashMap<String, usize> = HashMap::new();
    for t in lines(&dir.join(paths::TRUTH_TEXT)) {
        *per.entry(t["detector"].as_str().unwrap().to_owned())
            .or_default() += 1;
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
        assert!(per.get(d).copied().unwrap_or(0) >= 10, "{d}: {per:?}");
    }
    assert!(per.get("JWT").copied().unwrap_or(0) >= 5, "{per:?}");
    for d in ["GCP_API_KEY", "AWS_ACCESS_KEY", "JWT_SECRET", "PRIVATE_KEY"] {
        assert!(per.contains_key(d), "{d}: {per:?}");
    }
}

#[test]
fn clean_store_holds_no_valid_identifier() {
    let (dir, _) = platform();
    let mut r = csv::Reader::from_path(dir.join("clean/catalog.csv")).unwrap();
    let mut rows = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        rows += 1;
        let card = &rec[4];
        assert!(
            checks::is_test_pan(card) || !checks::is_luhn_valid(card),
            "{card}"
        );
        assert!(!checks::check_rrn(&rec[5]).date, "{}", &rec[5]);
        assert!(!checks::is_valid_my_number(&rec[6]));
        assert!(!checks::is_valid_tw_id(&rec[7]));
        assert!(!checks::is_valid_iban(&rec[8]));
        assert!(!checks::is_valid_ssn(&rec[9]));
        assert!(rec[10].ends_with("@example.com"));
    }
    assert_eq!(rows, 5_000);
}

struct Logs {
    issued: HashSet<String>,
    gateway: Vec<Value>,
    attack_of: HashMap<String, String>,
}

fn logs() -> &'static Logs {
    static L: OnceLock<Logs> = OnceLock::new();
    L.get_or_init(|| {
        let (dir, _) = platform();
        let issued = lines(&dir.join(paths::AUTH_LOG))
            .into_iter()
            .filter(|v| v["event"] == "token_issued")
            .map(|v| v["jti"].as_str().unwrap().to_owned())
            .collect();
        let attack_of = zst_lines(&dir.join(paths::TRUTH_ATTACK_EVENTS))
            .into_iter()
            .map(|v| {
                (
                    v["event_id"].as_str().unwrap().to_owned(),
                    v["attack"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        Logs {
            issued,
            gateway: lines(&dir.join(paths::GATEWAY_LOG)),
            attack_of,
        }
    })
}

#[test]
fn forged_tokens_match_no_issuance_and_every_other_token_does() {
    let l = logs();
    let (mut forged, mut legit) = (0, 0);
    let mut last_ts = String::new();
    for e in &l.gateway {
        let ts = e["ts"].as_str().unwrap().to_owned();
        assert!(ts >= last_ts, "gateway log out of order at {ts}");
        last_ts = ts;
        let Some(jti) = e["auth"]["jti"].as_str() else {
            continue;
        };
        let attack = l
            .attack_of
            .get(e["request_id"].as_str().unwrap())
            .map(String::as_str);
        if attack == Some("replay") {
            forged += 1;
            assert!(
                !l.issued.contains(jti),
                "forged token {jti} has an issuance record"
            );
            assert_eq!(e["auth"]["kid"], "member-2021");
            assert_ne!(e["client"]["geo"], "KR");
        } else {
            legit += 1;
            assert!(l.issued.contains(jti), "token {jti} was never issued");
        }
    }
    assert!(forged > 1000 && legit > 1000, "{forged} {legit}");
}

#[test]
fn affected_people_equal_what_attack_events_returned() {
    let (dir, summary) = platform();
    let l = logs();
    // Independent recomputation: people are identified by phone number.
    let db = rusqlite::Connection::open(dir.join("stores/customers.sqlite")).unwrap();
    let mut stmt = db
        .prepare("SELECT member_id, phone, country, region FROM members")
        .unwrap();
    let members: HashMap<u64, (String, String)> = stmt
        .query_map([], |r| {
            let country: String = r.get(2)?;
            let region: Option<String> = r.get(3)?;
            let j = if country == "US" {
                region.unwrap()
            } else {
                country
            };
            Ok((r.get::<_, i64>(0)? as u64, (r.get::<_, String>(1)?, j)))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let member_phones: HashSet<&str> = members.values().map(|(p, _)| p.as_str()).collect();
    let books: HashMap<u64, Vec<String>> = lines(&dir.join("stores/address_books.jsonl"))
        .into_iter()
        .map(|b| {
            (
                b["member_id"].as_u64().unwrap(),
                b["entries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["phone"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    let mut exposed: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let mut juris: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for e in &l.gateway {
        let Some(attack) = l.attack_of.get(e["request_id"].as_str().unwrap()) else {
            continue;
        };
        if e["http"]["status"] != 200 {
            continue;
        }
        let Some(m) = e["target"]["member_id"].as_u64() else {
            continue;
        };
        let set = exposed.entry(attack.clone()).or_default();
        set.insert(members[&m].0.clone());
        if e["http"]["route"] == "/api/v1/members/{id}/addresses" {
            set.extend(books.get(&m).cloned().unwrap_or_default());
        }
    }
    for (attack, phones) in &exposed {
        let truth = &summary.attacks[attack.as_str()];
        let customers = phones
            .iter()
            .filter(|p| member_phones.contains(p.as_str()))
            .count() as u64;
        let third = phones.len() as u64 - customers;
        assert_eq!(truth.affected_customers, customers, "{attack}: customers");
        assert_eq!(
            truth.affected_third_parties, third,
            "{attack}: third parties"
        );
        let by_phone: HashMap<&str, &str> = members
            .values()
            .map(|(p, j)| (p.as_str(), j.as_str()))
            .collect();
        for p in phones.iter().filter_map(|p| by_phone.get(p.as_str())) {
            *juris
                .entry(attack.clone())
                .or_default()
                .entry((*p).to_owned())
                .or_default() += 1;
        }
        for (j, n) in &juris[attack] {
            let truth_n = truth.people_by_jurisdiction.get(j).copied().unwrap_or(0);
            assert!(truth_n >= *n, "{attack} {j}: {truth_n} < {n}");
        }
        let persons: u64 = truth.people_by_jurisdiction.values().sum();
        assert_eq!(persons, customers + third, "{attack}: jurisdictions add up");
    }
    assert_eq!(exposed.len(), 4, "every attack exposed someone");
    let affected = zst_lines(&dir.join(paths::TRUTH_AFFECTED));
    let replay = affected.iter().filter(|a| a["attack"] == "replay").count() as u64;
    let t = &summary.attacks["replay"];
    assert_eq!(replay, t.affected_customers + t.affected_third_parties);
    assert!(
        t.affected_third_parties > 0,
        "address-book non-members are counted"
    );
}

#[test]
fn replay_starts_on_the_real_date_and_manifest_reads_back() {
    let (dir, summary) = platform();
    assert_eq!(
        summary.attacks["replay"]
            .first_event
            .as_deref()
            .map(|s| &s[..13]),
        Some("2025-04-13T15")
    );
    let text = std::fs::read_to_string(dir.join(paths::MANIFEST)).unwrap();
    let m = steward_synth::manifest_gen::parse(&text).unwrap();
    let key = m
        .signing_keys
        .iter()
        .find(|k| k.id == "member-2021")
        .unwrap();
    assert!(key.custodians.contains(&"E0113".to_owned()) && key.retired.is_none());
    assert!(m.flows.iter().any(|f| f.transfer_basis.is_none()));
    let roster = std::fs::read_to_string(dir.join(paths::ROSTER)).unwrap();
    assert!(
        roster
            .lines()
            .any(|l| l.starts_with("E0113,") && l.ends_with(",2024-12-20"))
    );
}

#[test]
fn bad_configuration_and_unwritable_folders_are_clear_errors() {
    let err = generate(
        &Config {
            customers: 5,
            ..cfg()
        },
        Path::new("/tmp/never"),
        &NoProgress,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid --customers `5`: must be between 100 and 40,000,000"
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, b"x").unwrap();
    let err = generate(&cfg(), &file.join("out"), &NoProgress).unwrap_err();
    assert!(err.to_string().contains("plain-file"), "{err}");
}
