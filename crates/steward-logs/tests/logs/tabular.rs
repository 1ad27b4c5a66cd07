//! CSV with a header row: columns bound by name (then case-insensitively),
//! empty cells absent, TSV, a byte-order mark.

use steward_logs::{InputFormat, LogSource, Mapping, OpenOptions};

use crate::harness::drain;

fn mapping(delimiter: &str) -> Mapping {
    Mapping::from_yaml(
        "csv.yaml",
        &format!(
            "name: c\ncsv: {{delimiter: \"{delimiter}\"}}\nfields:\n  time_ms: {{path: When, time: '%Y-%m-%d %H:%M:%S'}}\n  principal.id: user\n  source.ip: ip\n  status: code\n  subjects: member\n  records: rows\n"
        ),
    )
    .unwrap()
}

fn read(name: &str, text: &str, m: &Mapping) -> crate::harness::Run {
    drain(
        LogSource::from_reader(
            name,
            std::io::Cursor::new(text.as_bytes().to_vec()),
            m,
            OpenOptions::default(),
        )
        .unwrap(),
    )
}

#[test]
fn header_columns_are_bound_by_name() {
    let text = "\u{feff}when,User,ip,code,member,rows\n\
                2025-04-14 03:06:40,E0042,203.0.113.7,200,42,3\n\
                2025-04-14 03:06:41,E0042,,404,,\n\
                2025-04-14 03:06:42,E0042,203.0.113.7,abc,42,1\n";
    let run = read("a.csv", text, &mapping(","));
    assert_eq!(run.report.format, InputFormat::Csv);
    assert_eq!(run.events.len(), 2);
    assert_eq!(run.events[0]["time_ms"], 1_744_600_000_000_i64);
    assert_eq!(run.events[0]["principal"]["id"], "E0042");
    assert_eq!(run.events[0]["subjects"], serde_json::json!(["42"]));
    assert_eq!(run.events[0]["records"], 3);
    assert!(run.events[1]["source"].get("ip").is_none(), "empty cell");
    assert_eq!(run.events[1]["outcome"], "not_found");
    assert_eq!(
        run.errors,
        ["a.csv:4: field `status` from `code`: not an HTTP status"]
    );
}

#[test]
fn tab_separated() {
    let text = "when\tuser\tip\tcode\tmember\trows\n2025-04-14 03:06:40\tE1\t10.0.0.1\t200\t7\t1\n";
    let run = read("a.tsv", text, &mapping("\\t"));
    assert_eq!(run.events.len(), 1);
    assert_eq!(run.events[0]["source"]["ip"], "10.0.0.1");
}

#[test]
fn json_input_to_a_csv_mapping_is_still_json() {
    // The first byte decides: a CSV mapping given JSON lines reads them as
    // JSON (and here finds no `When`).
    let run = read(
        "x.log",
        "{\"When\":\"2025-04-14 03:06:40\"}\n",
        &mapping(","),
    );
    assert_eq!(run.report.format, InputFormat::JsonLines);
    assert_eq!(run.events.len(), 1);
}
