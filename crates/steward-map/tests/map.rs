//! The data map of the synthetic platform and of the full example, every
//! writer's output (snapshots), the SVG rendered with resvg, and the XLSX
//! read back with calamine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::Path;

use steward_map::{DataMap, Evidence, Observation, build, ropa};

fn synthetic() -> steward_manifest::LoadedManifest {
    let manifest = steward_synth::manifest_gen::build("hr/roster.csv", "E0001", 14).unwrap();
    let yaml = serde_norway::to_string(&manifest).unwrap();
    steward_manifest::parse(&yaml, "manifest.yaml").unwrap()
}

fn full() -> steward_manifest::LoadedManifest {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/manifests/full.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    steward_manifest::parse(&text, "examples/manifests/full.yaml").unwrap()
}

fn codes(map: &DataMap) -> Vec<&str> {
    map.countries.iter().map(|c| c.code.as_str()).collect()
}

fn obs(
    dataset: &str,
    location: &str,
    category: &str,
    jurisdiction: &str,
    values: u64,
) -> Observation {
    Observation {
        dataset: dataset.into(),
        location: location.into(),
        category: category.into(),
        jurisdiction: jurisdiction.into(),
        values,
    }
}

#[test]
fn synthetic_platform_spans_kr_us_and_cn_with_two_unbased_transfers() {
    let map = build(&synthetic(), None);
    assert_eq!(codes(&map), ["KR", "CN", "US"]);
    let cn = &map.countries[1];
    assert!(cn.systems.is_empty());
    assert_eq!(cn.vendors[0].id, "shenzhen-crossborder");
    let cross: Vec<(&str, &str, &str, bool)> = map
        .cross_border()
        .map(|f| {
            (
                f.id.as_str(),
                f.from_country.as_str(),
                f.to_country.as_str(),
                f.basis.is_some(),
            )
        })
        .collect();
    assert_eq!(
        cross,
        [
            ("flow-analytics-us", "KR", "US", false),
            ("flow-crossborder-cn", "KR", "CN", false),
        ]
    );
    let domestic = map.flows.iter().find(|f| f.id == "flow-vendor-kr").unwrap();
    assert!(!domestic.cross_border);
    assert_eq!(domestic.basis.as_ref().unwrap().kind, "contract_necessity");
    // Without an inventory every category is the declaration.
    assert!(!map.inventory);
    assert!(
        map.countries
            .iter()
            .flat_map(|c| &c.holdings)
            .all(|h| h.evidence == Evidence::Declared)
    );
}

#[test]
fn inventory_rows_are_attributed_to_datasets_by_id_or_location() {
    let loaded = synthetic();
    let inventory = [
        obs(
            "analytics-us.members",
            "phone",
            "user.contact.phone_number",
            "KR",
            200,
        ),
        obs(
            "analytics-us.members",
            "email",
            "user.contact.email",
            "",
            200,
        ),
        obs(
            "/srv/pa/stores/customers.sqlite",
            "members.email",
            "user.contact.email",
            "",
            150,
        ),
        obs(
            "/srv/pa/stores/customers.sqlite",
            "identity_verifications.id_number",
            "user.government_id.national_identification_number.kr_rrn",
            "KR",
            41,
        ),
        obs(
            "/srv/pa/stores/config/auth-service.env",
            "",
            "system.authentication.signing_secret",
            "",
            1,
        ),
        obs("/srv/pa/hr/roster.csv", "name", "user.name", "", 40),
    ];
    let map = build(&loaded, Some(&inventory));
    assert!(map.inventory);
    let (country, _, members) = map.dataset("customer-db.members").unwrap();
    assert_eq!(country.code, "KR");
    let email = members
        .holdings
        .iter()
        .find(|h| h.category == "user.contact.email")
        .unwrap();
    assert_eq!(email.evidence, Evidence::Both);
    assert_eq!(email.subjects["??"], 150);
    let phone = members
        .holdings
        .iter()
        .find(|h| h.category == "user.contact.phone_number")
        .unwrap();
    assert_eq!(phone.evidence, Evidence::Declared);
    let (_, _, idv) = map.dataset("customer-db.identity_verifications").unwrap();
    // Declared as the national-id parent, found as the RRN leaf.
    assert_eq!(idv.holdings.len(), 1);
    assert_eq!(idv.holdings[0].evidence, Evidence::Both);
    assert_eq!(idv.holdings[0].subjects["KR"], 41);
    let (_, _, config) = map.dataset("auth.config").unwrap();
    assert_eq!(
        config.holdings[0].category,
        "system.authentication.signing_secret"
    );
    let (us, _, _) = map.dataset("analytics-us.members").unwrap();
    assert_eq!(
        us.holdings
            .iter()
            .find(|h| h.category == "user.contact.phone_number")
            .unwrap()
            .subjects["KR"],
        200
    );
    // The US replica's people are Korean: the flow says so.
    // The US replica holds Korean numbers: the flow says whose data moves.
    let flow = map
        .flows
        .iter()
        .find(|f| f.id == "flow-analytics-us")
        .unwrap();
    assert_eq!(flow.subjects, ["KR"]);
    assert_eq!(map.unplaced.len(), 1);
    assert_eq!(map.unplaced[0].input, "/srv/pa/hr/roster.csv");
}

#[test]
fn writers_match_their_snapshots() {
    let map = build(&full(), None);
    let run = |f: fn(&mut dyn std::io::Write, &DataMap) -> std::io::Result<()>| {
        let mut out = Vec::new();
        f(&mut out, &map).unwrap();
        String::from_utf8(out).unwrap()
    };
    insta::assert_snapshot!("full_mermaid", run(steward_map::write_mermaid));
    insta::assert_snapshot!("full_dot", run(steward_map::write_dot));
    insta::assert_snapshot!("full_summary", run(steward_map::write_summary));
    let mut csv = Vec::new();
    steward_map::write_ropa_csv(&mut csv, &map).unwrap();
    insta::assert_snapshot!("full_ropa_csv", String::from_utf8(csv).unwrap());
    let mut json = Vec::new();
    steward_map::write_json(&mut json, &map).unwrap();
    insta::assert_snapshot!("full_json", String::from_utf8(json).unwrap());
}

#[test]
fn ropa_records_transfers_and_their_safeguards() {
    let rows = ropa::rows(&build(&full(), None));
    let orders = rows
        .iter()
        .find(|r| r.dataset == "customer-db.orders")
        .unwrap();
    assert_eq!(orders.third_country_transfers, "CN");
    assert_eq!(
        orders.transfer_safeguards,
        "flow-fulfilment-cn: none recorded"
    );
    assert!(
        orders
            .recipients
            .contains("river-logistics (vendor, KR, delivery)")
    );
    let members = rows
        .iter()
        .find(|r| r.dataset == "customer-db.members")
        .unwrap();
    assert_eq!(
        members.transfer_safeguards,
        "flow-analytics-us: consent (CONSENT-ANALYTICS-2024)"
    );
    assert_eq!(members.subject_jurisdictions, "JP; KR; TW; US");
    assert_eq!(members.dpo, "privacy-office@example.com");
    assert_eq!(members.retention, "1825 days");
    assert_eq!(rows[0].cells().len(), ropa::COLUMNS.len());
}

#[test]
fn xlsx_reads_back_with_the_ropa_rows() {
    use calamine::{Reader, Xlsx};
    let map = build(&full(), None);
    let bytes = steward_map::ropa_xlsx(&map).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["ROPA", "Transfers", "Countries"]);
    let sheet = book.worksheet_range("ROPA").unwrap();
    let table: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(table[0], ropa::COLUMNS);
    let expected: Vec<Vec<String>> = ropa::rows(&map)
        .iter()
        .map(|r| r.cells().iter().map(|c| (*c).to_owned()).collect())
        .collect();
    assert_eq!(&table[1..], expected.as_slice());
    let transfers = book.worksheet_range("Transfers").unwrap();
    assert_eq!(transfers.rows().count(), 1 + map.cross_border().count());
}

/// Renders the SVG with resvg and checks that something was drawn and
/// that every country, system, dataset, vendor and flow has its node.
fn check_svg(map: &DataMap) {
    use resvg::{tiny_skia, usvg};
    let svg = steward_map::svg::render(map);
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default()).unwrap();
    let size = tree.size().to_int_size();
    assert!(size.width() > 400 && size.height() > 200, "{size:?}");
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let pixels = pixmap.pixels();
    let drawn = pixels
        .iter()
        .filter(|p| p.alpha() > 0 && (p.red(), p.green(), p.blue()) != (255, 255, 255))
        .count();
    // Country boxes alone cover far more than a tenth of the picture.
    assert!(
        drawn * 10 > pixels.len(),
        "{drawn} of {} pixels drawn",
        pixels.len()
    );
    // Above the legend (which shows every style), the red of a
    // cross-border flow without a basis is drawn only if the map has one.
    let above_legend = (size.width() * (size.height() - 100)) as usize;
    let red = pixels[..above_legend]
        .iter()
        .filter(|p| p.alpha() == 255 && p.red() > 200 && p.green() < 60 && p.blue() < 60)
        .count();
    if std::env::var_os("STEWARD_SVG_DUMP").is_some() {
        let name = format!("/tmp/map-{}.png", map.countries.len());
        pixmap.save_png(&name).unwrap();
        std::fs::write(format!("/tmp/map-{}.svg", map.countries.len()), &svg).unwrap();
    }
    assert_eq!(red > 0, map.cross_border().any(|f| f.basis.is_none()));
    let mut ids: BTreeSet<String> = BTreeSet::new();
    for c in &map.countries {
        ids.insert(format!("country-{}", c.code));
        for s in &c.systems {
            ids.insert(format!("system-{}", s.id));
            ids.extend(s.datasets.iter().map(|d| format!("dataset-{}", d.id)));
        }
        ids.extend(c.vendors.iter().map(|v| format!("vendor-{}", v.id)));
    }
    ids.extend(map.flows.iter().map(|f| format!("flow-{}", f.id)));
    for id in &ids {
        assert!(
            tree.node_by_id(id).is_some(),
            "no node `{id}` in the rendered tree"
        );
    }
    for c in &map.countries {
        assert!(
            svg.contains(&format!(">{} {}</text>", c.code, c.name)),
            "no label for {}",
            c.code
        );
    }
}

#[test]
fn svg_renders_every_node_of_the_synthetic_platform() {
    check_svg(&build(&synthetic(), None));
}

#[test]
fn svg_renders_every_node_of_the_full_example() {
    check_svg(&build(&full(), None));
}

#[test]
fn svg_of_a_single_country_has_no_cross_border_red() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/manifests/minimal.yaml"),
    )
    .unwrap();
    check_svg(&build(
        &steward_manifest::parse(&text, "minimal.yaml").unwrap(),
        None,
    ));
}
