//! User rules next to the packs, and the errors bad rules give.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use steward_policy::{PolicyError, PolicySet};

const MANIFEST: &str = r"
version: 1
organization: { name: Shop, established_in: KR, markets: [KR] }
systems:
  - id: crm
    name: CRM
    country: KR
    log_retention_days: 730
    datasets:
      - { id: crm.people, location: people.csv, format: csv, personal_data: true, purpose: marketing }
";

fn check(rules: &mut PolicySet) -> Result<Vec<steward_policy::Decision>, PolicyError> {
    let m = steward_policy::load::parse_manifest("m.yaml", MANIFEST).unwrap();
    let input = steward_policy::CheckInput {
        manifest: &m.manifest,
        root: std::path::Path::new("."),
        found: &[],
        roster: None,
        as_of: jiff::civil::date(2025, 5, 1),
    };
    steward_policy::check(rules, &input, &m.lines)
}

const USER_RULE: &str = r#"package steward.rules.acme_purpose

meta := {
	"id": "ACME-PURPOSE",
	"title": "Marketing datasets need a DPO review",
	"severity": "warning",
	"citation": "ACME privacy standard §4.2",
	"source": "https://intranet.example/privacy#4.2",
	"fix": "Ask the DPO to review the dataset.",
}

violations contains v if {
	some id, d in input.datasets
	d.location == "people.csv"
	v := {"resource": id, "kind": "dataset", "message": sprintf("dataset `%s` is used for marketing", [id]), "facts": {"location": d.location}}
}
"#;

#[test]
fn a_user_rule_in_a_folder_joins_the_packs() {
    let dir = tempfile::tempdir().unwrap();
    let acme = dir.path().join("acme");
    std::fs::create_dir(&acme).unwrap();
    std::fs::write(acme.join("purpose.rego"), USER_RULE).unwrap();
    let mut rules = PolicySet::builtin().unwrap();
    rules.add_dir(dir.path()).unwrap();
    let d = check(&mut rules).unwrap();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].rule_id, "ACME-PURPOSE");
    assert_eq!(d[0].pack, "acme");
    assert_eq!(d[0].resource, "crm.people");
    assert_eq!(d[0].line, Some(10));
    assert_eq!(d[0].facts["location"], "people.csv");
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    let mut rules = PolicySet::builtin().unwrap();
    let bad = "package steward.rules.broken\n\nmeta := {\"id\": \"X\"}\n\nviolations contains v if {\n\tsome f in input.flows\n\tv := f.id ==\n}\n";
    let err = rules.add_source("mine/broken.rego", bad).unwrap_err();
    match &err {
        PolicyError::Rego { file, line, .. } => {
            assert_eq!(file, "mine/broken.rego");
            assert_eq!(*line, 8, "{err}");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().starts_with("mine/broken.rego:8:"), "{err}");
}

#[test]
fn a_file_from_disk_is_named_by_its_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.rego"),
        "package steward.rules.bad\n\nmeta := {\n",
    )
    .unwrap();
    let mut rules = PolicySet::empty();
    let err = rules.add_dir(dir.path()).unwrap_err().to_string();
    let want = format!("{}:", dir.path().join("bad.rego").display());
    assert!(err.starts_with(&want), "{err}");
}

#[test]
fn rules_without_metadata_or_with_duplicate_ids_are_refused() {
    let mut rules = PolicySet::builtin().unwrap();
    rules
        .add_source(
            "mine/nometa.rego",
            "package steward.rules.nometa\n\nviolations := set()\n",
        )
        .unwrap();
    let err = check(&mut rules).unwrap_err().to_string();
    assert!(
        err.contains("mine/nometa.rego") && err.contains("no `meta` rule"),
        "{err}"
    );

    let mut rules = PolicySet::builtin().unwrap();
    let dup = USER_RULE
        .replace("acme_purpose", "dup")
        .replace("ACME-PURPOSE", "POL-KR-28-8");
    rules.add_source("mine/dup.rego", &dup).unwrap();
    let err = check(&mut rules).unwrap_err().to_string();
    assert!(
        err.contains("POL-KR-28-8") && err.contains("already used"),
        "{err}"
    );

    let mut rules = PolicySet::builtin().unwrap();
    let err = rules
        .add_source("mine/other.rego", "package acme.other\n\nx := 1\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not under `steward.rules`"), "{err}");

    let mut rules = PolicySet::builtin().unwrap();
    let nocite = USER_RULE.replace("\"citation\": \"ACME privacy standard §4.2\",", "");
    rules.add_source("mine/nocite.rego", &nocite).unwrap();
    let err = check(&mut rules).unwrap_err().to_string();
    assert!(err.contains("meta.citation"), "{err}");
}

#[test]
fn a_runtime_error_is_an_error_not_a_panic() {
    let mut rules = PolicySet::empty();
    let text = USER_RULE.replace(
        "d.location == \"people.csv\"",
        "x := to_number(d.location)\n\tx > 0",
    );
    rules.add_source("mine/runtime.rego", &text).unwrap();
    let err = check(&mut rules).unwrap_err();
    assert!(matches!(err, PolicyError::Eval { .. }), "{err:?}");
    assert!(err.to_string().contains("mine/runtime.rego"), "{err}");
}

#[test]
fn malformed_violations_are_reported() {
    let mut rules = PolicySet::empty();
    let text = USER_RULE.replace("\"resource\": id, ", "");
    rules.add_source("mine/nores.rego", &text).unwrap();
    let err = check(&mut rules).unwrap_err().to_string();
    assert!(
        err.contains("ACME-PURPOSE") && err.contains("resource"),
        "{err}"
    );
}
