//! `steward notify` as a user runs it: every output written, overdue duties
//! give exit code 1, no raw personal data in any output unless asked, the
//! HTML report renders in a real headless browser with its charts, and bad
//! regime files are pointed at by file and line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};
use std::process::Command as Std;

use assert_cmd::Command;
use steward_store::StateStore;

/// Raw values planted in the people file; none may appear in any output.
const RAW: &[&str] = &[
    "minsu.kim@example.com",
    "010-1234-5678",
    "jane.doe@example.org",
    "taro.yamada@example.jp",
    "+886-912-345-678",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../steward-notify/tests/fixtures")
}

fn steward(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("steward").unwrap();
    c.current_dir(dir).arg("--quiet");
    c
}

fn notify(dir: &Path, extra: &[&str]) -> std::process::Output {
    let f = fixtures();
    steward(dir)
        .arg("notify")
        .arg("--impact")
        .arg(f.join("coupang-impact.json"))
        .arg("--facts")
        .arg(f.join("coupang-facts.yaml"))
        .arg("--people")
        .arg(f.join("coupang-people.jsonl"))
        .args(extra)
        .output()
        .unwrap()
}

/// The JSON on standard output of a run that must exit 0.
fn json_ok(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn writes_every_output_and_exits_1_when_a_deadline_was_missed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = notify(tmp.path(), &["--out", "out"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let first = stdout.lines().nth(1).unwrap();
    assert!(
        first.starts_with("late") && first.contains("kr-network-act"),
        "{stdout}"
    );
    assert!(stdout.contains("MISSED"), "{stdout}");
    let o = tmp.path().join("out");
    for f in [
        "report.html",
        "report.md",
        "duties.json",
        "notify/kr-pipa.csv",
        "notify/tw-pdpa.csv",
        "drafts/kr-pipa.ko.md",
        "drafts/kr-pipa.en.md",
    ] {
        assert!(o.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(o.join("notify/kr-pipa.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(o.join("duties.json")).unwrap()).unwrap();
    assert_eq!(json["duties"].as_array().unwrap().len(), 8);
}

#[test]
fn nothing_overdue_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    // Aware at 16:00 in Seoul, judged an hour later, nothing reported yet.
    std::fs::write(
        tmp.path().join("facts.yaml"),
        "awareness_at: 2025-11-17T16:00:00+09:00\ncause: unauthorised_external_access\n",
    )
    .unwrap();
    let out = steward(tmp.path())
        .arg("notify")
        .arg("--impact")
        .arg(fixtures().join("coupang-impact.json"))
        .args([
            "--facts",
            "facts.yaml",
            "--now",
            "2025-11-17T08:00:00Z",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    let v = json_ok(&out);
    assert_eq!(v["now"], "2025-11-17T08:00:00Z");
}

#[test]
fn no_raw_personal_data_in_any_output_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let out = notify(tmp.path(), &["--out", "masked", "-f", "markdown"]);
    let mut texts = vec![String::from_utf8(out.stdout).unwrap()];
    texts.extend(
        all_files(&tmp.path().join("masked"))
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap()),
    );
    for t in &texts {
        for raw in RAW {
            assert!(!t.contains(raw), "{raw} leaked");
        }
    }
    notify(tmp.path(), &["--out", "raw", "--show-raw"]);
    let csv = std::fs::read_to_string(tmp.path().join("raw/notify/kr-pipa.csv")).unwrap();
    assert!(csv.contains("010-1234-5678"), "{csv}");
    let html = std::fs::read_to_string(tmp.path().join("raw/report.html")).unwrap();
    assert!(RAW.iter().all(|r| !html.contains(r)));
}

fn chromium() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("STEWARD_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

#[test]
fn the_html_report_renders_in_headless_chromium() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set and chromium is missing: install it (apt-get install -y chromium)"
        );
        eprintln!("skipped: no chromium at /usr/bin/chromium (set STEWARD_CHROMIUM or install it)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    notify(
        tmp.path(),
        &["--out", "out", "--title", "Forged-token access"],
    );
    let page = tmp.path().join("out/report.html");
    let url = format!("file://{}", page.display());
    let profile = tmp.path().join("profile");
    let base = |extra: &[&str]| {
        let mut c = Std::new(&browser);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        // Nothing may be fetched: any host lookup fails.
        .arg("--host-resolver-rules=MAP * ~NOTFOUND")
        .args(extra)
        .arg(&url);
        c.output().unwrap()
    };
    let dom = base(&["--dump-dom"]);
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8(dom.stdout).unwrap();
    assert!(
        dom.contains("<h1>Forged-token access</h1>"),
        "{}",
        &dom[..dom.len().min(500)]
    );
    for id in [
        "chart-jurisdictions",
        "chart-categories",
        "chart-access",
        "chart-deadlines",
    ] {
        assert_eq!(
            dom.matches(&format!("<svg id=\"{id}\"")).count(),
            1,
            "{id} not in the DOM"
        );
    }
    assert_eq!(dom.matches("class=\"bar access\"").count(), 8);
    assert_eq!(dom.matches("class=\"deadline missed\"").count(), 4);
    assert!(dom.matches("<rect").count() > 50);
    for raw in RAW {
        assert!(!dom.contains(raw), "{raw} in the DOM");
    }
    let shot = tmp.path().join("shot.png");
    let s = base(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1000,2000",
        "--hide-scrollbars",
    ]);
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert!(
        png.len() > 20_000,
        "a near-empty screenshot: {} bytes",
        png.len()
    );
}

#[test]
fn a_bad_regime_file_is_named_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let regimes = tmp.path().join("regimes");
    std::fs::create_dir(&regimes).unwrap();
    let text = include_str!("../../../regimes/kr-pipa.yaml").replace(
        "    who: regulator\n",
        "    who: regulator\n    treshold: 1000\n",
    );
    let line = text.lines().position(|l| l.contains("treshold")).unwrap() + 1;
    std::fs::write(regimes.join("kr-pipa.yaml"), text).unwrap();
    let out = notify(tmp.path(), &["--regimes", "regimes"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(&format!("regimes/kr-pipa.yaml:{line}:5: ")),
        "{err}"
    );
    assert!(err.contains("unknown field `treshold`"), "{err}");
}

#[test]
fn reads_the_impact_from_the_state_database() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("state.db");
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("coupang-impact.json")).unwrap(),
    )
    .unwrap();
    let mut store = steward_store::SqliteStore::open(&db).unwrap();
    store
        .put_impact(&steward_store::ImpactRecord {
            id: "imp-1".into(),
            incident_id: Some("inc-7".into()),
            selector: "key k-2019-07".into(),
            computed_at: "2025-12-01T00:00:00Z".into(),
            summary,
        })
        .unwrap();
    drop(store);
    let out = steward(tmp.path())
        .args([
            "--state",
            "state.db",
            "notify",
            "--impact-id",
            "imp-1",
            "-f",
            "json",
        ])
        .args([
            "--aware-at",
            "2025-11-17T16:00:00+09:00",
            "--now",
            "2025-11-18T00:00:00+09:00",
        ])
        .output()
        .unwrap();
    let v = json_ok(&out);
    assert_eq!(v["incident"], "inc-7");
    let pipa = v["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["regime"] == "kr-pipa" && d["recipient"] == "regulator")
        .unwrap();
    assert_eq!(pipa["deadline"], "2025-11-20T16:00:00+09:00[Asia/Seoul]");
    assert_eq!(pipa["status"], "due");
    let missing = steward(tmp.path())
        .args(["--state", "state.db", "notify", "--impact-id", "nope"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no impact result `nope`"));
}
