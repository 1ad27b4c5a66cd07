//! The mapping loader: YAML through serde_norway into a compiled plan
//! (paths, regexes, templates, time formats, value maps, `keep`). A mapping
//! that loads is run over a few records of different shapes. Checked:
//! nothing panics; an error's line and column lie within the text.
#![no_main]
use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use steward_logs::{LogSource, Mapping, OpenOptions};

const RECORDS: &str = concat!(
    r#"{"ts":"2025-04-09T15:21:03.011Z","request_id":"r1","http":{"method":"GET","route":"/api/v1/members/{id}/profile","status":200},"client":{"ip":"175.223.18.240","geo":"KR"},"auth":{"sub":"952","sub_type":"member","iat":1744212045},"target":{"member_id":952},"resources":[{"uid":"42","type":"member"},{"uid":7}],"time":1744600000123,"n":-1.5e3,"b":true,"z":null}"#,
    "\n",
    r#"{"eventTime":"2025-04-14T03:06:40Z","Records":[{"a":1}],"userIdentity":{"type":"IAMUser"},"message":"AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.members,select 1,<not logged>"}"#,
    "\n",
    r#"["x",{"y":"\u00e9\n"}]"#,
    "\n"
);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Mapping::from_yaml("fuzz.yaml", &text) {
        Err(e) => {
            // YAML breaks lines at `\n`, `\r` and `\r\n`: this bounds them.
            let lines = text.bytes().filter(|b| matches!(b, b'\n' | b'\r')).count() + 2;
            if let Some(line) = e.line {
                assert!(line >= 1 && line <= lines, "line {line} of {lines}: {e}");
            }
            if let Some(column) = e.column {
                assert!(
                    column >= 1 && column <= text.len() + 2,
                    "column {column}: {e}"
                );
            }
        }
        Ok(mapping) => {
            let options = OpenOptions {
                max_record: 4096,
                max_examples: 2,
                ..OpenOptions::default()
            };
            if let Ok(source) = LogSource::from_reader(
                "r.jsonl",
                Cursor::new(RECORDS.as_bytes().to_vec()),
                &mapping,
                options,
            ) {
                for r in source {
                    let _ = r;
                }
            }
        }
    }
});
