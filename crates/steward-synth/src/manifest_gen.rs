//! The synthetic platform's manifest: systems, datasets, regions, flows (some
//! deliberately without a transfer basis), endpoints and the signing keys
//! with their custodians.

use jiff::civil::date;
use steward_model::ModelError;
use steward_model::category::keys;
use steward_model::jurisdiction::Country;
use steward_model::manifest::{
    Dataset, Endpoint, Field, Flow, Manifest, Organization, SigningKey, System, TransferBasis,
    Vendor,
};
use steward_model::region::CloudProvider;

use crate::staff::DEPARTED_ENGINEER;
use crate::stores::paths as sp;
use crate::text::paths as tp;
use crate::traffic::slice_routes as routes;
use crate::truth::route_categories;

fn c(code: &str) -> Result<Country, ModelError> {
    Country::parse(code)
}

fn fields(list: &[(&str, &[&str])]) -> Vec<Field> {
    list.iter()
        .map(|(n, cats)| Field {
            name: (*n).into(),
            categories: cats.iter().map(|s| (*s).into()).collect(),
        })
        .collect()
}

fn system(
    id: &str,
    name: &str,
    provider: CloudProvider,
    region: &str,
    retention: Option<u32>,
    datasets: Vec<Dataset>,
) -> System {
    System {
        id: id.into(),
        name: name.into(),
        provider: Some(provider),
        region: Some(region.into()),
        country: None,
        owner: Some("platform".into()),
        log_retention_days: retention,
        datasets,
    }
}

fn dataset(id: &str, location: &str, format: &str, personal: bool, f: Vec<Field>) -> Dataset {
    Dataset {
        id: id.into(),
        location: location.into(),
        format: format.into(),
        purpose: None,
        personal_data: personal,
        fields: f,
        subjects_from: Vec::new(),
        subjects: Vec::new(),
        legal_basis: None,
        retention_days: None,
        subject_count: None,
    }
}

fn strings(cats: &[&str]) -> Vec<String> {
    cats.iter().map(|s| (*s).into()).collect()
}

/// Builds the manifest; `roster` is the HR roster path relative to it.
///
/// # Errors
/// A country code missing from the ISO table (never, for the codes used).
pub fn build(
    roster: &str,
    staff_lead: &str,
    app_log_retention_days: u32,
) -> Result<Manifest, ModelError> {
    use keys::*;
    let aws = CloudProvider::Aws;
    let members = dataset(
        "customer-db.members",
        &format!("{}#members", sp::CUSTOMERS_DB),
        "sqlite",
        true,
        fields(&[
            ("name", &[NAME]),
            ("email", &[EMAIL]),
            ("phone", &[PHONE]),
            ("birth_date", &[DATE_OF_BIRTH]),
            ("address", &[STREET]),
            ("postal_code", &[POSTAL_CODE]),
            ("entrance_code", &[ENTRANCE_CODE]),
        ]),
    );
    let idv = dataset(
        "customer-db.identity_verifications",
        &format!("{}#identity_verifications", sp::CUSTOMERS_DB),
        "sqlite",
        true,
        fields(&[("id_number", &[NATIONAL_ID])]),
    );
    let pay = dataset(
        "customer-db.payment_methods",
        &format!("{}#payment_methods", sp::CUSTOMERS_DB),
        "sqlite",
        true,
        fields(&[("card_number", &[CREDIT_CARD]), ("iban", &[BANK_ACCOUNT])]),
    );
    let customs = dataset(
        "customer-db.customs_profiles",
        &format!("{}#customs_profiles", sp::CUSTOMERS_DB),
        "sqlite",
        true,
        fields(&[("pccc", &[KR_PCCC])]),
    );
    let books = dataset(
        "address-book.entries",
        sp::ADDRESS_BOOKS,
        "jsonl",
        true,
        fields(&[
            ("$.entries[*].name", &[NAME]),
            ("$.entries[*].phone", &[PHONE]),
            ("$.entries[*].address", &[STREET]),
            ("$.entries[*].door_code", &[ENTRANCE_CODE]),
        ]),
    );
    let orders = dataset(
        "order-db.orders",
        sp::ORDERS,
        "parquet",
        true,
        fields(&[
            ("recipient_name", &[NAME]),
            ("recipient_phone", &[PHONE]),
            ("ship_address", &[STREET]),
            ("pccc", &[KR_PCCC]),
        ]),
    );
    let tickets = dataset(
        "cs.tickets",
        tp::TICKETS,
        "jsonl",
        true,
        fields(&[("body", &["user.content"])]),
    );
    // The application logs are declared as holding no personal data: they leak it.
    let app_logs = dataset("app-logs.order-svc", tp::APP_LOG, "text", false, Vec::new());
    let config = dataset("auth.config", "stores/config/", "text", false, Vec::new());
    let gateway_log = dataset(
        "gateway.access-log",
        "logs/gateway/access.jsonl",
        "jsonl",
        true,
        fields(&[("client.ip", &[IP_ADDRESS])]),
    );
    let auth_log = dataset(
        "auth.issuance-log",
        "logs/auth/issuance.jsonl",
        "jsonl",
        true,
        fields(&[("ip", &[IP_ADDRESS])]),
    );
    let analytics = dataset(
        "analytics-us.members",
        sp::ANALYTICS,
        "csv",
        true,
        fields(&[("email", &[EMAIL]), ("phone", &[PHONE])]),
    );
    let vendor_share = dataset(
        "vendor-share.deliveries",
        sp::VENDOR,
        "csv",
        true,
        fields(&[
            ("recipient_name", &[NAME]),
            ("recipient_phone", &[PHONE]),
            ("ship_address", &[STREET]),
            ("door_code", &[ENTRANCE_CODE]),
            ("pccc", &[KR_PCCC]),
        ]),
    );
    let clean = dataset(
        "catalog.clean",
        crate::clean::CATALOG,
        "csv",
        false,
        Vec::new(),
    );

    let endpoints = [
        routes::PROFILE,
        routes::ADDRESSES,
        routes::ORDERS,
        routes::CS_MEMBER,
        routes::PARTNER_SHIPPING,
        routes::BATCH_PROFILE,
    ]
    .iter()
    .map(|route| {
        let (own, rel) = route_categories(route);
        Endpoint {
            method: "GET".into(),
            route: (*route).into(),
            returns: strings(own),
            returns_related: strings(rel),
            related_dataset: (!rel.is_empty()).then(|| "address-book.entries".into()),
        }
    })
    .collect();

    Ok(Manifest {
        version: 1,
        organization: Organization {
            name: "Hanbit Commerce Co., Ltd.".into(),
            established_in: c("KR")?,
            listed_on: vec!["NYSE".into()],
            sec_registrant: true,
            parent: Some("Hanbit Commerce, Inc. (Delaware)".into()),
            markets: [
                "KR", "TW", "JP", "US", "DE", "FR", "ES", "IT", "NL", "PL", "IE",
            ]
            .iter()
            .map(|x| c(x))
            .collect::<Result<_, _>>()?,
            dpo: None,
            representative: None,
            ciio_in: Vec::new(),
            localisation_orders: Vec::new(),
        },
        systems: vec![
            system(
                "customer-db",
                "Member database",
                aws,
                "ap-northeast-2",
                Some(365),
                vec![members, idv, pay, customs],
            ),
            system(
                "order-db",
                "Order store",
                aws,
                "ap-northeast-2",
                Some(365),
                vec![orders],
            ),
            system(
                "address-book",
                "Address book service",
                aws,
                "ap-northeast-2",
                Some(365),
                vec![books],
            ),
            system(
                "cs",
                "Customer service desk",
                CloudProvider::Ncloud,
                "KR",
                Some(365),
                vec![tickets],
            ),
            system(
                "app-logs",
                "Application logs",
                aws,
                "ap-northeast-2",
                Some(app_log_retention_days),
                vec![app_logs],
            ),
            system(
                "auth",
                "Authentication service",
                aws,
                "ap-northeast-2",
                Some(30),
                vec![config, auth_log],
            ),
            system(
                "gateway",
                "API gateway",
                aws,
                "ap-northeast-2",
                Some(30),
                vec![gateway_log],
            ),
            system(
                "analytics-us",
                "Analytics warehouse (US replica)",
                aws,
                "us-east-1",
                Some(90),
                vec![analytics],
            ),
            system(
                "vendor-share",
                "Delivery vendor exchange",
                CloudProvider::Ktcloud,
                "DX-M1",
                Some(90),
                vec![vendor_share],
            ),
            system(
                "catalog",
                "Product catalog",
                aws,
                "ap-northeast-2",
                Some(90),
                vec![clean],
            ),
        ],
        vendors: vec![
            Vendor {
                id: "hanriver-logistics".into(),
                name: "Hanriver Logistics".into(),
                country: c("KR")?,
                certifications: vec!["ISMS-P".into()],
            },
            Vendor {
                id: "shenzhen-crossborder".into(),
                name: "Shenzhen Cross-border Fulfilment".into(),
                country: c("CN")?,
                certifications: Vec::new(),
            },
        ],
        flows: vec![
            Flow {
                id: "flow-analytics-us".into(),
                from: "customer-db.members".into(),
                to: "analytics-us.members".into(),
                purpose: "analytics".into(),
                categories: strings(&[EMAIL, PHONE]),
                kind: "replication".into(),
                transfer_basis: None,
                contract: None,
            },
            Flow {
                id: "flow-vendor-kr".into(),
                from: "order-db.orders".into(),
                to: "hanriver-logistics".into(),
                purpose: "delivery".into(),
                categories: strings(&[NAME, PHONE, STREET, ENTRANCE_CODE]),
                kind: "entrustment".into(),
                transfer_basis: Some(TransferBasis {
                    kind: "contract_necessity".into(),
                    reference: Some("DPA-2023-014".into()),
                    disclosed: true,
                }),
                contract: None,
            },
            Flow {
                id: "flow-crossborder-cn".into(),
                from: "order-db.orders".into(),
                to: "shenzhen-crossborder".into(),
                purpose: "cross-border fulfilment".into(),
                categories: strings(&[NAME, PHONE, STREET, KR_PCCC]),
                kind: "provision".into(),
                transfer_basis: None,
                contract: None,
            },
        ],
        endpoints,
        signing_keys: vec![
            SigningKey {
                id: "member-2017".into(),
                algorithm: "HS256".into(),
                used_by: "auth".into(),
                created: date(2017, 3, 2),
                rotation_days: Some(365),
                rotated: Some(date(2021, 2, 1)),
                retired: Some(date(2021, 8, 1)),
                custodians: vec![staff_lead.into()],
                storage: Some("vault".into()),
            },
            SigningKey {
                id: "member-2021".into(),
                algorithm: "HS256".into(),
                used_by: "auth".into(),
                created: date(2021, 2, 1),
                rotation_days: Some(180),
                rotated: None,
                retired: None,
                custodians: vec![staff_lead.into(), DEPARTED_ENGINEER.into()],
                storage: Some("plaintext-config".into()),
            },
            SigningKey {
                id: "staff-2024".into(),
                algorithm: "RS256".into(),
                used_by: "auth".into(),
                created: date(2024, 6, 3),
                rotation_days: Some(365),
                rotated: None,
                retired: None,
                custodians: vec![staff_lead.into()],
                storage: Some("kms".into()),
            },
            SigningKey {
                id: "svc-2024".into(),
                algorithm: "RS256".into(),
                used_by: "auth".into(),
                created: date(2024, 9, 9),
                rotation_days: Some(365),
                rotated: None,
                retired: None,
                custodians: vec![staff_lead.into()],
                storage: Some("kms".into()),
            },
        ],
        hr_roster: Some(roster.into()),
        region_overrides: Vec::new(),
    })
}

/// Parses a manifest written by [`build`].
///
/// # Errors
/// The YAML parser's message, with its line and column.
pub fn parse(text: &str) -> Result<Manifest, serde_norway::Error> {
    serde_norway::from_str(text)
}
