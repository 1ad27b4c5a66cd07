//! The loader against fixtures, the examples, the synthetic platform's
//! manifest and the JSON Schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use steward_manifest::{ManifestError, Severity, load, parse};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(name: &str) -> (String, String) {
    let origin = format!("fixtures/invalid/{name}.yaml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(&origin),
    )
    .unwrap();
    (origin, text)
}

/// (fixture, line, column, field) of the first error.
const INVALID: &[(&str, usize, usize, &str)] = &[
    ("syntax", 10, 4, ""),
    ("unknown_field", 9, 5, "systems[0].regoin"),
    ("wrong_type", 10, 25, "systems[0].log_retention_days"),
    ("missing_field", 11, 9, "systems[0].datasets[0]"),
    ("unknown_country", 4, 19, "organization.established_in"),
    ("unknown_region", 9, 13, "systems[0].region"),
    (
        "unknown_category",
        17,
        26,
        "systems[0].datasets[0].fields[0].categories[0]",
    ),
    ("dangling_flow", 18, 9, "flows[0].to"),
    ("duplicate_id", 15, 13, "systems[0].datasets[1].id"),
    ("several", 6, 5, "systems[0].id"),
];

#[test]
fn invalid_manifests_name_file_line_column_and_field() {
    for (name, line, column, field) in INVALID {
        let (origin, text) = fixture(name);
        let err = parse(&text, &origin).expect_err(name);
        let problems = err.diagnostics();
        assert!(!problems.is_empty(), "{name}");
        let first = &problems[0];
        assert_eq!(
            (first.line, first.column, first.field.as_str()),
            (*line, *column, *field),
            "{name}: {err}"
        );
        let lines = text.lines().count();
        for p in problems {
            assert_eq!(p.file, origin);
            assert!(p.line >= 1 && p.line <= lines, "{name}: {p}");
            assert!(p.column >= 1, "{name}: {p}");
            // The position is the field's own: its line holds the field's
            // last key (or, for list items, the item).
            let shown = text.lines().nth(p.line - 1).unwrap();
            let key = p
                .field
                .rsplit('.')
                .next()
                .unwrap()
                .split('[')
                .next()
                .unwrap();
            assert!(
                p.field.is_empty() || shown.contains(key) || p.field.ends_with(']'),
                "{name}: line {} `{shown}` does not hold `{}`",
                p.line,
                p.field
            );
        }
        insta::assert_snapshot!(*name, err.to_string());
    }
}

#[test]
fn several_problems_are_reported_together() {
    let (origin, text) = fixture("several");
    let err = parse(&text, &origin).unwrap_err();
    let fields: Vec<&str> = err.diagnostics().iter().map(|d| d.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "systems[0].id",
            "systems[1].country",
            "vendors[0].id",
            "flows[0].from",
            "flows[0].kind",
            "flows[0].categories",
            "signing_keys[0].used_by",
            "signing_keys[0].rotated",
        ]
    );
    assert!(err.to_string().ends_with("8 errors in the manifest"));
}

#[test]
fn unreadable_file_is_a_read_error() {
    let err = load(Path::new("/nonexistent/manifest.yaml")).unwrap_err();
    assert!(matches!(err, ManifestError::Read { .. }));
    assert!(
        err.to_string()
            .starts_with("cannot read `/nonexistent/manifest.yaml`")
    );
}

#[test]
fn examples_load_and_resolve_every_country() {
    let minimal = load(&repo().join("examples/manifests/minimal.yaml")).unwrap();
    assert!(minimal.warnings.is_empty(), "{:?}", minimal.warnings);
    assert_eq!(minimal.country("members-db.members").unwrap().code(), "KR");

    let full = load(&repo().join("examples/manifests/full.yaml")).unwrap();
    assert!(full.warnings.is_empty(), "{:?}", full.warnings);
    for (id, country) in [
        ("customer-db", "KR"),
        ("customer-db.members", "KR"),
        ("support.tickets", "KR"),
        ("analytics-us.members", "US"),
        ("edge.sessions", "HK"),
        ("river-logistics", "KR"),
        ("shenzhen-fulfilment", "CN"),
    ] {
        assert_eq!(
            full.country(id).map(|c| c.code().to_owned()),
            Some(country.to_owned()),
            "{id}"
        );
    }
    assert!(matches!(
        full.placements["edge"].by,
        steward_manifest::PlacedBy::RegionOverride
    ));
    assert!(matches!(
        full.placements["support"].by,
        steward_manifest::PlacedBy::Declared
    ));
    assert_eq!(
        full.dataset("customer-db.orders").unwrap().0.id,
        "customer-db"
    );
    assert_eq!(
        full.vendor("shenzhen-fulfilment").unwrap().name,
        "Shenzhen Fulfilment"
    );
    assert!(full.system("customer-db.orders").is_none());
    assert_eq!(
        full.flow("flow-fulfilment-cn").unwrap().to,
        "shenzhen-fulfilment"
    );
    // A manifest without problems is loaded without reading positions (the
    // second reading is half the time of a large check); asking reads them.
    assert!(!full.locations.positions_read());
    assert_eq!(full.signing_key("member-2021").unwrap().custodians.len(), 2);
    let text = std::fs::read_to_string(repo().join("examples/manifests/full.yaml")).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("to: shenzhen-fulfilment"))
        .unwrap()
        + 1;
    assert_eq!(full.locations.value("flows[2].to").line, line);
    assert!(full.locations.positions_read());
}

#[test]
fn custodians_missing_from_the_roster_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("examples/manifests/full.yaml")).unwrap();
    let path = dir.path().join("manifest.yaml");
    std::fs::write(&path, &text).unwrap();
    // No roster at all: one warning at `hr_roster`.
    let loaded = load(&path).unwrap();
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert_eq!(loaded.warnings[0].field, "hr_roster");
    assert_eq!(loaded.warnings[0].severity, Severity::Warning);
    // A roster without E1002.
    std::fs::create_dir(dir.path().join("hr")).unwrap();
    std::fs::write(
        dir.path().join("hr/roster.csv"),
        "employee_id,name,role,team,start_date,end_date\nE1001,A,x,y,2019-01-01,\n",
    )
    .unwrap();
    let loaded = load(&path).unwrap();
    let shown: Vec<String> = loaded
        .warnings
        .iter()
        .map(|w| format!("{}:{} {}", w.line, w.column, w.field))
        .collect();
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.contains("custodians: [E1001, E1002]")
                .then(|| (i + 1, l.find("E1002").unwrap() + 1))
        })
        .unwrap();
    assert_eq!(
        shown,
        [format!("{line}:{column} signing_keys[0].custodians[1]")]
    );
    assert!(
        loaded.warnings[0]
            .to_string()
            .contains("warning: `signing_keys[0].custodians[1]`: custodian `E1002`")
    );
}

fn synthetic_yaml() -> String {
    let manifest = steward_synth::manifest_gen::build("hr/roster.csv", "E0001", 14).unwrap();
    serde_norway::to_string(&manifest).unwrap()
}

#[test]
fn the_synthetic_platform_manifest_loads() {
    let loaded = parse(&synthetic_yaml(), "manifest.yaml").unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    for (id, country) in [
        ("customer-db.members", "KR"),
        ("cs.tickets", "KR"),
        ("vendor-share.deliveries", "KR"),
        ("analytics-us.members", "US"),
        ("shenzhen-crossborder", "CN"),
    ] {
        assert_eq!(loaded.country(id).unwrap().code(), country, "{id}");
    }
}

fn schema_path() -> PathBuf {
    repo().join("docs/manifest.schema.json")
}

/// Rewrites the committed schema with `STEWARD_BLESS=1`.
#[test]
fn committed_schema_is_current() {
    let fresh = steward_manifest::schema_json();
    if std::env::var_os("STEWARD_BLESS").is_some() {
        std::fs::write(schema_path(), &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(schema_path()).unwrap_or_default();
    assert!(
        committed == fresh,
        "docs/manifest.schema.json is stale: run `STEWARD_BLESS=1 cargo test -p steward-manifest --test load committed_schema_is_current`"
    );
}

fn as_json(yaml: &str) -> serde_json::Value {
    serde_norway::from_str(yaml).unwrap()
}

#[test]
fn examples_and_synthetic_manifest_match_the_schema() {
    let validator = jsonschema::validator_for(&steward_manifest::schema()).unwrap();
    for name in ["minimal", "full"] {
        let text = std::fs::read_to_string(repo().join(format!("examples/manifests/{name}.yaml")))
            .unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    assert!(validator.is_valid(&as_json(&synthetic_yaml())));
    // The schema rejects what the loader rejects for its shape.
    for name in ["unknown_field", "wrong_type", "missing_field"] {
        let (_, text) = fixture(name);
        assert!(!validator.is_valid(&as_json(&text)), "{name}");
    }
}

#[test]
fn odd_inputs_are_errors_with_a_position_not_panics() {
    let deep = "[".repeat(10_000);
    let inputs = [
        "",
        "null",
        "[]",
        "- 1\n- 2\n",
        "version: 1\n---\nversion: 2\n",
        "a: &x [*x]\n",
        "version: 1\norganization: &o {name: X, established_in: KR}\nsystems: []\nvendors: [{id: v, name: V, country: *o}]\n",
        "\u{feff}version: 1\r\norganization: {name: X, established_in: KR}\r\nsystems: [{id: s, name: S}]\r\n",
        "version: 99999999999999999999\n",
        deep.as_str(),
        "\t\u{0}\u{1}:",
    ];
    for text in inputs {
        let err = parse(text, "odd.yaml").expect_err(text);
        let lines = text.bytes().filter(|b| matches!(b, b'\n' | b'\r')).count() + 2;
        for d in err.diagnostics() {
            assert!(d.line >= 1 && d.line <= lines && d.column >= 1, "{d}");
        }
    }
}
