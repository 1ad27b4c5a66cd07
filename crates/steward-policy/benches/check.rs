//! `steward check` at scale: a manifest of 10,000 datasets and 50,000
//! flows (plus 200 vendors, 100 keys and an inventory row per dataset),
//! every pack. Target: under 2 s on one core.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::fmt::Write as _;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use steward_policy::{CheckInput, Found, PolicySet};

const REGIONS: [&str; 6] = [
    "ap-northeast-2",
    "us-east-1",
    "eu-central-1",
    "ap-southeast-1",
    "cn-north-1",
    "ap-northeast-1",
];

/// A deterministic manifest of `datasets` datasets (10 per system) and
/// `flows` flows (a third to vendors, half of the rest across borders);
/// every `bad_every`th flow has no transfer basis, every other one has a
/// basis the rules accept.
pub fn manifest(datasets: usize, flows: usize, bad_every: usize) -> String {
    let mut y = String::from(
        "version: 1\norganization: { name: Big, established_in: KR, markets: [KR, JP, DE, FR, US] }\nsystems:\n",
    );
    for s in 0..datasets / 10 {
        let _ = write!(
            y,
            "  - id: sys-{s}\n    name: System {s}\n    provider: aws\n    region: {}\n    log_retention_days: {}\n    datasets:\n",
            REGIONS[s % REGIONS.len()],
            if s % 50 == 0 { 30 } else { 730 }
        );
        for d in 0..10 {
            let _ = writeln!(
                y,
                "      - {{ id: ds-{s}-{d}, location: data/{s}/{d}.csv, format: csv, personal_data: {}, fields: [{{ name: email, categories: [user.contact.email] }}]{} }}",
                d % 4 != 0,
                if REGIONS[s % REGIONS.len()] == "cn-north-1" {
                    ", subjects_from: [CN]"
                } else {
                    ""
                }
            );
        }
    }
    y.push_str("vendors:\n");
    for v in 0..200 {
        let _ = writeln!(
            y,
            "  - {{ id: v-{v}, name: Vendor {v}, country: {} }}",
            ["KR", "US", "CN", "IN", "DE"][v % 5]
        );
    }
    y.push_str("flows:\n");
    let systems = datasets / 10;
    for f in 0..flows {
        let from = format!("ds-{}-{}", (f * 7) % systems, f % 10);
        let to = if f % 3 == 0 {
            format!("v-{}", f % 200)
        } else {
            format!("ds-{}-{}", (f * 13 + 5) % systems, (f + 3) % 10)
        };
        let from_china = REGIONS[((f * 7) % systems) % REGIONS.len()] == "cn-north-1";
        let basis = if f % bad_every == 1 % bad_every {
            ""
        } else if from_china {
            ", transfer_basis: { kind: cac_standard_contract, reference: CAC-1 }, contract: DPA-1"
        } else {
            ", transfer_basis: { kind: consent, reference: C-1, disclosed: true }, contract: DPA-1"
        };
        let _ = writeln!(
            y,
            "  - {{ id: f-{f}, from: {from}, to: {to}, purpose: p, categories: [user.contact.email], kind: replication{basis} }}"
        );
    }
    y.push_str("signing_keys:\n");
    for k in 0..100 {
        let _ = writeln!(
            y,
            "  - {{ id: k-{k}, algorithm: RS256, used_by: sys-0, created: {}, rotation_days: 365, custodians: [E{}], storage: {} }}",
            if k % 10 == 0 {
                "2023-01-01"
            } else {
                "2025-01-01"
            },
            k % 50 + 1,
            if k % 20 == 0 {
                "plaintext-config"
            } else {
                "kms"
            }
        );
    }
    y
}

fn bench(c: &mut Criterion) {
    let text = manifest(10_000, 50_000, 50);
    let loaded = steward_policy::load::parse_manifest("big.yaml", &text).unwrap();
    let roster: Vec<steward_model::manifest::StaffMember> = (0..50)
        .map(|i| steward_model::manifest::StaffMember {
            employee_id: format!("E{i}"),
            name: "x".into(),
            role: "engineer".into(),
            team: "t".into(),
            start_date: jiff::civil::date(2020, 1, 1),
            end_date: (i == 7).then(|| jiff::civil::date(2024, 6, 1)),
        })
        .collect();
    let found: Vec<Found> = (0..10_000)
        .map(|i| Found {
            dataset: format!("data/{}/{}.csv", i / 10, i % 10),
            location: "email".into(),
            category: if i % 997 == 0 {
                "user.government_id.national_identification_number.kr_rrn".into()
            } else {
                "user.contact.email".into()
            },
            detector: if i % 997 == 0 {
                "KR_RRN".into()
            } else {
                "EMAIL".into()
            },
            jurisdiction: String::new(),
            count: 10,
        })
        .collect();
    let input = CheckInput {
        manifest: &loaded.manifest,
        root: Path::new("."),
        found: &found,
        roster: Some(&roster),
        as_of: jiff::civil::date(2025, 5, 1),
    };
    let mut rules = PolicySet::builtin().unwrap();
    rules.rules().unwrap();
    let facts = steward_policy::facts::build(&input, &loaded.lines);
    let n = rules.clone().check(&facts).unwrap().len();
    assert!(n > 100 && n < 5_000, "{n} decisions");
    let mut g = c.benchmark_group("check_10k_datasets_50k_flows");
    g.sample_size(10);
    g.bench_function("facts", |b| {
        b.iter(|| steward_policy::facts::build(&input, &loaded.lines));
    });
    g.bench_function("rules", |b| {
        b.iter(|| rules.clone().check(&facts).unwrap().len());
    });
    g.bench_function("check", |b| {
        b.iter(|| {
            let mut r = rules.clone();
            steward_policy::check(&mut r, &input, &loaded.lines)
                .unwrap()
                .len()
        });
    });
    // What `steward check` does with a manifest file: parse and check it,
    // validate references, build the facts, evaluate every rule.
    g.bench_function("load_and_check", |b| {
        b.iter(|| {
            let loaded = steward_policy::load::parse_manifest("big.yaml", &text).unwrap();
            steward_policy::validate(&loaded.manifest, &loaded.path, &loaded.lines).unwrap();
            let input = CheckInput {
                manifest: &loaded.manifest,
                ..input
            };
            let mut r = rules.clone();
            steward_policy::check(&mut r, &input, &loaded.lines)
                .unwrap()
                .len()
        });
    });
    g.bench_function("parse_manifest", |b| {
        b.iter(|| {
            steward_policy::load::parse_manifest("big.yaml", &text)
                .unwrap()
                .manifest
                .flows
                .len()
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
