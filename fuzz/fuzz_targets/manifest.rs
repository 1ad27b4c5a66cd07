//! The manifest loader (YAML via serde_norway, positions via saphyr-parser,
//! the checks) and, for a manifest that loads, the data map and every
//! writer. Checked: nothing panics; every diagnostic names the file and a
//! line and column within the text; every system, dataset and vendor of a
//! loaded manifest has a country, and the SVG has a node for every country.
#![no_main]
use libfuzzer_sys::fuzz_target;
use steward_map::Observation;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // YAML breaks lines at `\n`, `\r` and `\r\n`: this bounds them.
    let lines = text.bytes().filter(|b| matches!(b, b'\n' | b'\r')).count() + 2;
    let within = |d: &steward_manifest::Diagnostic| {
        assert_eq!(d.file, "fuzz.yaml");
        assert!(d.line >= 1 && d.line <= lines, "line {} of {lines}: {d}", d.line);
        assert!(d.column >= 1 && d.column <= text.len() + 2, "column {}: {d}", d.column);
        assert!(!d.message.is_empty());
    };
    let loaded = match steward_manifest::parse(&text, "fuzz.yaml") {
        Err(e) => {
            assert!(!e.diagnostics().is_empty(), "{e}");
            e.diagnostics().iter().for_each(within);
            let _ = e.to_string();
            return;
        }
        Ok(loaded) => loaded,
    };
    loaded.warnings.iter().for_each(within);
    let m = &loaded.manifest;
    for s in &m.systems {
        assert!(loaded.country(&s.id).is_some(), "system {}", s.id);
        for d in &s.datasets {
            assert!(loaded.dataset(&d.id).is_some(), "dataset {}", d.id);
            assert!(loaded.country(&d.id).is_some(), "dataset {}", d.id);
        }
    }
    for v in &m.vendors {
        assert!(loaded.vendor(&v.id).is_some(), "vendor {}", v.id);
    }
    // An inventory that names each dataset by id and by location, plus one
    // input outside the manifest.
    let mut inventory = Vec::new();
    for d in m.systems.iter().flat_map(|s| &s.datasets) {
        for (dataset, location) in [(d.id.as_str(), ""), (d.location.as_str(), d.location.as_str())] {
            inventory.push(Observation {
                dataset: dataset.to_owned(),
                location: location.to_owned(),
                category: "user.contact.email".to_owned(),
                jurisdiction: "KR".to_owned(),
                values: u64::MAX / 2,
            });
        }
    }
    inventory.push(Observation {
        dataset: "/elsewhere/x.csv".to_owned(),
        location: String::new(),
        category: "user.name".to_owned(),
        jurisdiction: String::new(),
        values: 1,
    });
    let map = steward_map::build(&loaded, Some(&inventory));
    let mut out = Vec::new();
    steward_map::write_summary(&mut out, &map).unwrap();
    steward_map::write_mermaid(&mut out, &map).unwrap();
    steward_map::write_dot(&mut out, &map).unwrap();
    steward_map::write_json(&mut out, &map).unwrap();
    steward_map::write_ropa_csv(&mut out, &map).unwrap();
    let svg = steward_map::svg::render(&map);
    for c in &map.countries {
        assert!(svg.contains(&format!("id=\"country-{}\"", c.code)), "{}", c.code);
    }
    let _ = steward_map::ropa_xlsx(&map);
});
