//! Policy decisions rendered in every format (snapshots; `cargo insta
//! review` after a change).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use steward_policy::{CheckInput, PolicySet};
use steward_report::check::{CheckRun, write_json, write_sarif, write_terminal};

const MANIFEST: &str = "version: 1
organization: { name: Shop, established_in: KR, markets: [KR] }
systems:
  - id: crm
    name: CRM
    provider: aws
    region: ap-northeast-2
    log_retention_days: 30
    datasets:
      - { id: crm.members, location: members.csv, format: csv, personal_data: true, subjects_from: [KR] }
  - id: bi
    name: BI
    provider: aws
    region: us-east-1
    log_retention_days: 730
    datasets:
      - { id: bi.members, location: bi.csv, format: csv, personal_data: true, subjects_from: [KR] }
flows:
  - { id: flow-us, from: crm.members, to: bi.members, purpose: analytics, categories: [user.contact.email], kind: replication }
";

fn render(f: fn(&mut dyn std::io::Write, &CheckRun<'_>) -> std::io::Result<()>) -> String {
    let m = steward_policy::load::parse_manifest("manifest.yaml", MANIFEST).unwrap();
    let mut rules = PolicySet::builtin().unwrap();
    let input = CheckInput {
        manifest: &m.manifest,
        root: std::path::Path::new("."),
        found: &[],
        roster: None,
        as_of: jiff::civil::date(2025, 5, 1),
    };
    let decisions = steward_policy::check(&mut rules, &input, &m.lines).unwrap();
    let all = rules.rules().unwrap();
    let kr: Vec<_> = all
        .into_iter()
        .filter(|r| decisions.iter().any(|d| d.rule_id == r.id))
        .collect();
    let run = CheckRun {
        manifest: "manifest.yaml",
        as_of: "2025-05-01".into(),
        rules: &kr,
        decisions: &decisions,
    };
    let mut out = Vec::new();
    f(&mut out, &run).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn terminal() {
    insta::assert_snapshot!(render(write_terminal));
}

#[test]
fn json() {
    insta::assert_snapshot!(render(write_json));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(render(write_sarif));
}
