//! steward-logs' CSV reader: the pgaudit mapping (no header, columns named
//! by the mapping, `keep` on a regex, templates, regex fields) and a
//! header-row mapping (columns bound by name, TSV when the first byte is
//! odd). Checked: nothing panics, counts add up, errors have lines within
//! the input.
#![no_main]
use std::io::Cursor;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use steward_logs::{InputFormat, LogSource, Mapping, OpenOptions};

fn header_mapping(tab: bool) -> &'static Mapping {
    static M: OnceLock<[Mapping; 2]> = OnceLock::new();
    let yaml = |d: &str| {
        format!(
            "name: h\ncsv: {{delimiter: \"{d}\"}}\nfields:\n  time_ms: {{path: time, time: auto}}\n  \
             principal.id: {{first: [user, User]}}\n  source.ip: {{path: ip, lenient: true}}\n  \
             status: code\n  subjects: {{path: member, split: {{on: ';', index: -1}}}}\n  \
             endpoint: {{path: path, regex: '^[^?]*', replace: [{{pattern: '/[0-9]+', with: '/{{id}}'}}]}}\n"
        )
    };
    let m = M.get_or_init(|| {
        [
            Mapping::from_yaml("h.yaml", &yaml(",")).expect("header mapping"),
            Mapping::from_yaml("t.yaml", &yaml("\\t")).expect("tab mapping"),
        ]
    });
    &m[usize::from(tab)]
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let pgaudit;
    let mapping = if sel % 3 == 0 {
        pgaudit = Mapping::builtin("pgaudit").expect("built-in mapping");
        &pgaudit
    } else {
        header_mapping(sel % 3 == 2)
    };
    let options = OpenOptions {
        format: Some(InputFormat::Csv),
        max_record: 4096,
        max_examples: 4,
    };
    let lines = steward_fuzz::log_lines(body, true);
    // A stream that cannot even start (a corrupt compressed header) is an
    // error, not a source.
    let Ok(mut source) =
        LogSource::from_reader("fuzz.csv", Cursor::new(body.to_vec()), mapping, options)
    else {
        return;
    };
    steward_fuzz::drain_log(&mut source, lines);
    let c = *source.counters();
    assert!(c.records >= c.events + c.skipped + c.field_errors);
});
