//! The platform's data stores, written in one pass over the customers:
//! the customer database (SQLite), orders (Parquet), address books (JSON
//! Lines), the analytics export replicated to a US region (CSV) and the file
//! shared with the delivery vendor (CSV). Customers are generated in parallel
//! chunks; memory depends on the chunk size, not on the number of customers.

use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use rayon::prelude::*;
use roaring::RoaringTreemap;
use rusqlite::{Connection, params};
use steward_model::category::keys;

use crate::error::{Result, SynthError};
use crate::output::{Out, Progress};
use crate::people::{self, Customer, Person, PersonRef};
use crate::rng::{Domain, Rng};
use crate::truth::Columns;

/// Paths of the stores, relative to the output folder.
pub mod paths {
    #![allow(missing_docs)]
    pub const CUSTOMERS_DB: &str = "stores/customers.sqlite";
    pub const ORDERS: &str = "stores/orders.parquet";
    pub const ADDRESS_BOOKS: &str = "stores/address_books.jsonl";
    pub const ANALYTICS: &str = "exports/analytics_us/members.csv";
    pub const VENDOR: &str = "exports/vendor/hanriver_delivery.csv";
}

const CHUNK: u64 = 20_000;

const PRODUCTS: [&str; 12] = [
    "무선 이어폰",
    "생수 2L x 12",
    "유기농 바나나",
    "Vitamin C 1000mg",
    "Running shoes",
    "Rice cooker",
    "기저귀 대형",
    "Phone case",
    "커피 원두 1kg",
    "Laptop stand",
    "Face mask 50p",
    "Dog food 6kg",
];

struct Order {
    order_id: String,
    member: u64,
    at_ms: i64,
    product: &'static str,
    amount: i64,
    currency: &'static str,
    recipient: Person,
    pccc: Option<String>,
    card_last4: Option<String>,
}

struct Row {
    c: Customer,
    book: Vec<(people::BookEntry, Person)>,
    orders: Vec<Order>,
}

fn currency(country: &str) -> &'static str {
    match country {
        "KR" => "KRW",
        "JP" => "JPY",
        "TW" => "TWD",
        "US" => "USD",
        _ => "EUR",
    }
}

fn build_row(seed: u64, id: u64, n: u64, start_ms: i64, end_ms: i64) -> Row {
    let c = people::customer(seed, id);
    let book: Vec<_> = people::address_book(seed, id, n)
        .into_iter()
        .map(|e| {
            let p = match e.who {
                PersonRef::Customer(x) if x == id => c.person.clone(),
                who => people::resolve(seed, who),
            };
            (e, p)
        })
        .collect();
    let mut rng = Rng::stream(seed, Domain::Orders, id);
    let span = end_ms - (start_ms - 365 * 86_400_000);
    let orders = (0..rng.poisson(1.5))
        .map(|k| {
            let recipient = match rng.chance(0.3).then(|| rng.pick(&book)).flatten() {
                Some((_, p)) => p.clone(),
                None => c.person.clone(),
            };
            let cross_border = rng.chance(0.2);
            Order {
                order_id: format!(
                    "O{:012}",
                    crate::idgen::permute(id * 16 + k, 7_919_999, 31_337, 1_000_000_000_000)
                ),
                member: id,
                at_ms: start_ms - 365 * 86_400_000 + rng.below(span.max(1) as u64) as i64,
                product: rng.pick(&PRODUCTS).copied().unwrap_or_default(),
                amount: rng.range(5, 400) as i64 * 1000,
                currency: currency(c.person.residence.country),
                recipient,
                pccc: if cross_border { c.pccc.clone() } else { None },
                card_last4: c.card.as_ref().map(|card| {
                    card.chars()
                        .rev()
                        .take(4)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect()
                }),
            }
        })
        .collect();
    Row { c, book, orders }
}

fn sqlite_err(path: &std::path::Path) -> impl Fn(rusqlite::Error) -> SynthError + '_ {
    move |source| SynthError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

const SCHEMA: &str = "
CREATE TABLE members (member_id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT NOT NULL,
  birth_date TEXT, country TEXT NOT NULL, region TEXT, postal_code TEXT, address TEXT, address_detail TEXT,
  entrance_code TEXT, joined_at TEXT NOT NULL, status TEXT NOT NULL);
CREATE TABLE identity_verifications (member_id INTEGER NOT NULL, id_type TEXT NOT NULL, id_number TEXT NOT NULL);
CREATE TABLE payment_methods (member_id INTEGER NOT NULL, card_number TEXT, iban TEXT);
CREATE TABLE customs_profiles (member_id INTEGER NOT NULL, pccc TEXT NOT NULL);
";

/// What the customer pass counted.
#[derive(Debug, Default)]
pub struct StoreStats {
    /// Members by country.
    pub customers_by_country: std::collections::BTreeMap<String, u64>,
    /// Orders written.
    pub orders: u64,
    /// Address-book entries written.
    pub book_entries: u64,
    /// Distinct third parties listed in address books.
    pub third_parties: u64,
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// Writes every customer-derived store.
///
/// # Errors
/// The first write that failed, naming its file.
pub fn write_customer_stores(
    out: &Out,
    seed: u64,
    n: u64,
    start_ms: i64,
    end_ms: i64,
    cols: &mut Columns,
    progress: &dyn Progress,
) -> Result<StoreStats> {
    let db_path = out.path(paths::CUSTOMERS_DB)?;
    let _ = std::fs::remove_file(&db_path);
    let e = sqlite_err(&db_path);
    let mut db = Connection::open(&db_path).map_err(&e)?;
    db.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
        .map_err(&e)?;
    db.execute_batch(SCHEMA).map_err(&e)?;

    let orders_path = out.path(paths::ORDERS)?;
    let pq = |source| SynthError::Parquet {
        path: orders_path.clone(),
        source,
    };
    let schema = Arc::new(Schema::new(vec![
        Field::new("order_id", DataType::Utf8, false),
        Field::new("member_id", DataType::Int64, false),
        Field::new(
            "ordered_at",
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        Field::new("product", DataType::Utf8, false),
        Field::new("amount", DataType::Int64, false),
        Field::new("currency", DataType::Utf8, false),
        Field::new("recipient_name", DataType::Utf8, false),
        Field::new("recipient_phone", DataType::Utf8, false),
        Field::new("ship_address", DataType::Utf8, false),
        Field::new("ship_postal_code", DataType::Utf8, false),
        Field::new("pccc", DataType::Utf8, true),
        Field::new("card_last4", DataType::Utf8, true),
    ]));
    let file = std::fs::File::create(&orders_path).map_err(|source| SynthError::Write {
        path: orders_path.clone(),
        source,
    })?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .build();
    let mut orders_w = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(&pq)?;

    let mut books = out.file(paths::ADDRESS_BOOKS)?;
    let mut analytics = out.file(paths::ANALYTICS)?;
    analytics.write(b"member_id,email,phone,country,birth_year,segment,lifetime_value_krw\n")?;
    let mut vendor = out.file(paths::VENDOR)?;
    vendor.write(
        b"order_id,recipient_name,recipient_phone,ship_address,postal_code,door_code,pccc\n",
    )?;
    let vendor_from = end_ms - 3 * 86_400_000;

    let mut stats = StoreStats::default();
    let mut third = RoaringTreemap::new();
    progress.stage("customers and stores", n);
    let mut first = 1u64;
    while first <= n {
        let last = (first + CHUNK - 1).min(n);
        let rows: Vec<Row> = (first..=last)
            .into_par_iter()
            .map(|id| build_row(seed, id, n, start_ms, end_ms))
            .collect();
        let tx = db.transaction().map_err(&e)?;
        {
            let mut m = tx
                .prepare_cached(
                    "INSERT INTO members VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
                )
                .map_err(&e)?;
            let mut iv = tx
                .prepare_cached("INSERT INTO identity_verifications VALUES (?1,?2,?3)")
                .map_err(&e)?;
            let mut pm = tx
                .prepare_cached("INSERT INTO payment_methods VALUES (?1,?2,?3)")
                .map_err(&e)?;
            let mut cp = tx
                .prepare_cached("INSERT INTO customs_profiles VALUES (?1,?2)")
                .map_err(&e)?;
            for r in &rows {
                let c = &r.c;
                let p = &c.person;
                let res = &p.residence;
                m.execute(params![
                    c.id as i64,
                    p.name,
                    c.email,
                    p.phone,
                    c.birth_date,
                    res.country,
                    res.subdivision,
                    res.postal_code,
                    res.address,
                    res.detail,
                    p.entrance_code,
                    c.joined,
                    "active"
                ])
                .map_err(&e)?;
                if let Some((kind, value)) = &c.national_id {
                    iv.execute(params![c.id as i64, kind.name(), value])
                        .map_err(&e)?;
                    cols.add(
                        "customer-db.identity_verifications",
                        paths::CUSTOMERS_DB,
                        "identity_verifications.id_number",
                        kind.category(),
                        kind.detector(),
                        1,
                        1,
                    );
                }
                if c.card.is_some() || c.iban.is_some() {
                    pm.execute(params![c.id as i64, c.card, c.iban])
                        .map_err(&e)?;
                }
                if let Some(pccc) = &c.pccc {
                    cp.execute(params![c.id as i64, pccc]).map_err(&e)?;
                }
                *stats
                    .customers_by_country
                    .entry(res.country.to_owned())
                    .or_default() += 1;
            }
        }
        tx.commit().map_err(&e)?;
        let count = rows.len() as u64;
        let db_cols = "customer-db.members";
        let with = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
        cols.add(
            db_cols,
            paths::CUSTOMERS_DB,
            "members.name",
            keys::NAME,
            "PERSON_NAME",
            count,
            count,
        );
        let details = with(&|r| !r.c.person.residence.detail.is_empty());
        if details > 0 {
            cols.add(
                db_cols,
                paths::CUSTOMERS_DB,
                "members.address_detail",
                keys::STREET,
                "ADDRESS",
                details,
                count,
            );
        }
        cols.add(
            db_cols,
            paths::CUSTOMERS_DB,
            "members.email",
            keys::EMAIL,
            "EMAIL",
            count,
            count,
        );
        cols.add(
            db_cols,
            paths::CUSTOMERS_DB,
            "members.phone",
            keys::PHONE,
            "PHONE",
            count,
            count,
        );
        cols.add(
            db_cols,
            paths::CUSTOMERS_DB,
            "members.birth_date",
            keys::DATE_OF_BIRTH,
            "DATE_OF_BIRTH",
            count,
            count,
        );
        cols.add(
            db_cols,
            paths::CUSTOMERS_DB,
            "members.address",
            keys::STREET,
            "ADDRESS",
            count,
            count,
        );
        cols.add(
            db_cols,
            paths::CUSTOMERS_DB,
            "members.postal_code",
            keys::POSTAL_CODE,
            "POSTAL_CODE",
            count,
            count,
        );
        cols.add(
            db_cols,
            paths::CUSTOMERS_DB,
            "members.entrance_code",
            keys::ENTRANCE_CODE,
            "ENTRANCE_CODE",
            with(&|r| r.c.person.entrance_code.is_some()),
            count,
        );
        let cards = with(&|r| r.c.card.is_some());
        let ibans = with(&|r| r.c.iban.is_some());
        let pm_rows = with(&|r| r.c.card.is_some() || r.c.iban.is_some());
        cols.add(
            "customer-db.payment_methods",
            paths::CUSTOMERS_DB,
            "payment_methods.card_number",
            keys::CREDIT_CARD,
            "PAYMENT_CARD",
            cards,
            pm_rows,
        );
        cols.add(
            "customer-db.payment_methods",
            paths::CUSTOMERS_DB,
            "payment_methods.iban",
            keys::BANK_ACCOUNT,
            "IBAN",
            ibans,
            pm_rows,
        );
        let pcccs = with(&|r| r.c.pccc.is_some());
        cols.add(
            "customer-db.customs_profiles",
            paths::CUSTOMERS_DB,
            "customs_profiles.pccc",
            keys::KR_PCCC,
            "KR_PCCC",
            pcccs,
            pcccs,
        );

        // Orders.
        let orders: Vec<&Order> = rows.iter().flat_map(|r| r.orders.iter()).collect();
        let strs = |f: &dyn Fn(&Order) -> String| -> ArrayRef {
            Arc::new(StringArray::from_iter_values(orders.iter().map(|o| f(o))))
        };
        let opt = |f: &dyn Fn(&Order) -> Option<String>| -> ArrayRef {
            Arc::new(StringArray::from_iter(orders.iter().map(|o| f(o))))
        };
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                strs(&|o| o.order_id.clone()),
                Arc::new(Int64Array::from_iter_values(
                    orders.iter().map(|o| o.member as i64),
                )),
                Arc::new(
                    TimestampMillisecondArray::from_iter_values(orders.iter().map(|o| o.at_ms))
                        .with_timezone("UTC"),
                ),
                strs(&|o| o.product.to_owned()),
                Arc::new(Int64Array::from_iter_values(
                    orders.iter().map(|o| o.amount),
                )),
                strs(&|o| o.currency.to_owned()),
                strs(&|o| o.recipient.name.clone()),
                strs(&|o| o.recipient.phone.clone()),
                strs(&|o| o.recipient.residence.address.clone()),
                strs(&|o| o.recipient.residence.postal_code.clone()),
                opt(&|o| o.pccc.clone()),
                opt(&|o| o.card_last4.clone()),
            ],
        )
        .map_err(|e| SynthError::Parquet {
            path: orders_path.clone(),
            source: e.into(),
        })?;
        orders_w.write(&batch).map_err(&pq)?;
        let on = orders.len() as u64;
        stats.orders += on;
        for (loc, cat, det) in [
            ("recipient_name", keys::NAME, "PERSON_NAME"),
            ("recipient_phone", keys::PHONE, "PHONE"),
            ("ship_address", keys::STREET, "ADDRESS"),
            ("ship_postal_code", keys::POSTAL_CODE, "POSTAL_CODE"),
        ] {
            cols.add("order-db.orders", paths::ORDERS, loc, cat, det, on, on);
        }
        cols.add(
            "order-db.orders",
            paths::ORDERS,
            "pccc",
            keys::KR_PCCC,
            "KR_PCCC",
            orders.iter().filter(|o| o.pccc.is_some()).count() as u64,
            on,
        );

        // Address books, analytics export, vendor file.
        #[allow(clippy::type_complexity)]
        let (
            book_bytes,
            analytics_bytes,
            vendor_bytes,
            entries,
            vendor_rows,
            vendor_doors,
            vendor_pcccs,
        ): (Vec<u8>, Vec<u8>, Vec<u8>, u64, u64, u64, u64) = {
            let mut b = Vec::new();
            let mut a = Vec::new();
            let mut v = Vec::new();
            let mut entries = 0;
            let mut vrows = 0;
            let (mut vdoors, mut vpcccs) = (0u64, 0u64);
            for r in &rows {
                let c = &r.c;
                if !r.book.is_empty() {
                    let list: Vec<_> = r
                        .book
                        .iter()
                        .map(|(e, p)| {
                            serde_json::json!({
                                "entry_id": e.entry_id, "relation": e.relation, "name": p.name, "phone": p.phone,
                                "address": format!("{} {}", p.residence.address, p.residence.detail).trim_end(),
                                "postal_code": p.residence.postal_code, "door_code": p.entrance_code,
                            })
                        })
                        .collect();
                    entries += list.len() as u64;
                    let line = serde_json::json!({"member_id": c.id, "entries": list});
                    b.extend_from_slice(line.to_string().as_bytes());
                    b.push(b'\n');
                    for (e, _) in &r.book {
                        if let PersonRef::ThirdParty(t) = e.who {
                            third.insert(t);
                        }
                    }
                }
                let year = c.birth_date.get(..4).unwrap_or_default();
                let segment = ["new", "regular", "vip", "dormant"]
                    .get((c.id % 4) as usize)
                    .copied()
                    .unwrap_or_default();
                a.extend_from_slice(
                    format!(
                        "{},{},{},{},{year},{segment},{}\n",
                        c.id,
                        c.email,
                        c.person.phone,
                        c.person.residence.country,
                        (c.id * 7919) % 3_000_000
                    )
                    .as_bytes(),
                );
                for o in r
                    .orders
                    .iter()
                    .filter(|o| o.at_ms >= vendor_from && o.member % 4 != 0)
                {
                    let p = &o.recipient;
                    v.extend_from_slice(
                        format!(
                            "{},{},{},{},{},{},{}\n",
                            o.order_id,
                            csv_field(&p.name),
                            csv_field(&p.phone),
                            csv_field(
                                format!("{} {}", p.residence.address, p.residence.detail)
                                    .trim_end()
                            ),
                            csv_field(&p.residence.postal_code),
                            p.entrance_code.as_deref().unwrap_or_default(),
                            o.pccc.as_deref().unwrap_or_default()
                        )
                        .as_bytes(),
                    );
                    vrows += 1;
                    vdoors += u64::from(p.entrance_code.is_some());
                    vpcccs += u64::from(o.pccc.is_some());
                }
            }
            (b, a, v, entries, vrows, vdoors, vpcccs)
        };
        books.write(&book_bytes)?;
        analytics.write(&analytics_bytes)?;
        vendor.write(&vendor_bytes)?;
        stats.book_entries += entries;
        let books_with = with(&|r| !r.book.is_empty());
        for (loc, cat, det) in [
            ("$.entries[*].name", keys::NAME, "PERSON_NAME"),
            ("$.entries[*].phone", keys::PHONE, "PHONE"),
            ("$.entries[*].address", keys::STREET, "ADDRESS"),
            ("$.entries[*].postal_code", keys::POSTAL_CODE, "POSTAL_CODE"),
        ] {
            cols.add(
                "address-book.entries",
                paths::ADDRESS_BOOKS,
                loc,
                cat,
                det,
                entries,
                books_with,
            );
        }
        let doors = rows
            .iter()
            .flat_map(|r| r.book.iter())
            .filter(|(_, p)| p.entrance_code.is_some())
            .count() as u64;
        cols.add(
            "address-book.entries",
            paths::ADDRESS_BOOKS,
            "$.entries[*].door_code",
            keys::ENTRANCE_CODE,
            "ENTRANCE_CODE",
            doors,
            books_with,
        );
        for (loc, cat, det) in [
            ("email", keys::EMAIL, "EMAIL"),
            ("phone", keys::PHONE, "PHONE"),
        ] {
            cols.add(
                "analytics-us.members",
                paths::ANALYTICS,
                loc,
                cat,
                det,
                count,
                count,
            );
        }
        for (loc, cat, det) in [
            ("recipient_name", keys::NAME, "PERSON_NAME"),
            ("recipient_phone", keys::PHONE, "PHONE"),
            ("ship_address", keys::STREET, "ADDRESS"),
            ("postal_code", keys::POSTAL_CODE, "POSTAL_CODE"),
        ] {
            cols.add(
                "vendor-share.deliveries",
                paths::VENDOR,
                loc,
                cat,
                det,
                vendor_rows,
                vendor_rows,
            );
        }
        for (loc, cat, det, n) in [
            (
                "door_code",
                keys::ENTRANCE_CODE,
                "ENTRANCE_CODE",
                vendor_doors,
            ),
            ("pccc", keys::KR_PCCC, "KR_PCCC", vendor_pcccs),
        ] {
            if n > 0 {
                cols.add(
                    "vendor-share.deliveries",
                    paths::VENDOR,
                    loc,
                    cat,
                    det,
                    n,
                    vendor_rows,
                );
            }
        }
        progress.advance(count);
        first = last + 1;
    }
    orders_w.close().map_err(&pq)?;
    books.finish()?;
    analytics.finish()?;
    vendor.finish()?;
    stats.third_parties = third.len();
    progress.finish_stage();
    Ok(stats)
}
