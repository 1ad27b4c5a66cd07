//! The gateway access log as Parquet: the same fields as the JSON Lines log,
//! flattened to one column each (`http.route` becomes `http_route`), rows in
//! time order, row groups of [`ROW_GROUP`] rows with column statistics, so a
//! time window or a principal prunes whole row groups and pages.
//!
//! `mappings/steward-gateway-parquet.yaml` maps these columns for `hunt`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, StringBuilder, TimestampMillisecondBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::SortingColumn;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use super::records::{
    Auth, Request, ip_text, path_of, request_id, sid_text, sub_fields, uuid_text,
};
use crate::error::{Result, SynthError};

/// Rows per row group: large enough for good compression and few footers,
/// small enough that a 50-million-event log splits into dozens of groups a
/// reader can prune or hand to separate cores.
pub const ROW_GROUP: usize = 1 << 20;

/// Rows buffered before a batch goes to the writer.
const BATCH: usize = 1 << 16;

/// The flat columns, in file order.
pub const COLUMNS: [&str; 20] = [
    "ts",
    "request_id",
    "http_method",
    "http_path",
    "http_route",
    "http_status",
    "client_ip",
    "client_geo",
    "client_ua",
    "auth_sub",
    "auth_sub_type",
    "auth_jti",
    "auth_sid",
    "auth_kid",
    "auth_iat",
    "auth_api_key",
    "auth_partner",
    "target_member_id",
    "resp_records",
    "resp_bytes",
];

fn schema() -> SchemaRef {
    let text = |name: &str, nullable| Field::new(name, DataType::Utf8, nullable);
    let int = |name: &str, nullable| Field::new(name, DataType::Int64, nullable);
    Arc::new(Schema::new(vec![
        Field::new(
            "ts",
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        text("request_id", false),
        text("http_method", false),
        text("http_path", false),
        text("http_route", false),
        int("http_status", false),
        text("client_ip", false),
        text("client_geo", false),
        text("client_ua", false),
        text("auth_sub", true),
        text("auth_sub_type", true),
        text("auth_jti", true),
        text("auth_sid", true),
        text("auth_kid", true),
        int("auth_iat", true),
        text("auth_api_key", true),
        text("auth_partner", true),
        int("target_member_id", true),
        int("resp_records", false),
        int("resp_bytes", false),
    ]))
}

/// Column builders for one batch.
struct Builders {
    ts: TimestampMillisecondBuilder,
    text: [StringBuilder; 14],
    ints: [Int64Builder; 5],
    rows: usize,
}

/// Positions in [`Builders::text`].
mod t {
    pub const REQUEST_ID: usize = 0;
    pub const METHOD: usize = 1;
    pub const PATH: usize = 2;
    pub const ROUTE: usize = 3;
    pub const IP: usize = 4;
    pub const GEO: usize = 5;
    pub const UA: usize = 6;
    pub const SUB: usize = 7;
    pub const SUB_TYPE: usize = 8;
    pub const JTI: usize = 9;
    pub const SID: usize = 10;
    pub const KID: usize = 11;
    pub const API_KEY: usize = 12;
    pub const PARTNER: usize = 13;
}

/// Positions in [`Builders::ints`].
mod i {
    pub const STATUS: usize = 0;
    pub const IAT: usize = 1;
    pub const MEMBER: usize = 2;
    pub const RECORDS: usize = 3;
    pub const BYTES: usize = 4;
}

impl Builders {
    fn new() -> Self {
        Self {
            ts: TimestampMillisecondBuilder::with_capacity(BATCH).with_timezone("UTC"),
            text: std::array::from_fn(|_| StringBuilder::with_capacity(BATCH, BATCH * 16)),
            ints: std::array::from_fn(|_| Int64Builder::with_capacity(BATCH)),
            rows: 0,
        }
    }

    fn text(&mut self, at: usize, value: Option<&str>) {
        if let Some(b) = self.text.get_mut(at) {
            b.append_option(value);
        }
    }

    fn int(&mut self, at: usize, value: Option<i64>) {
        if let Some(b) = self.ints.get_mut(at) {
            b.append_option(value);
        }
    }

    fn batch(&mut self, schema: &SchemaRef) -> std::result::Result<RecordBatch, String> {
        let [
            rid,
            method,
            path,
            route,
            ip,
            geo,
            ua,
            sub,
            sub_type,
            jti,
            sid,
            kid,
            api,
            partner,
        ] = &mut self.text;
        let [status, iat, member, records, bytes] = &mut self.ints;
        let cols: Vec<ArrayRef> = vec![
            Arc::new(self.ts.finish()),
            Arc::new(rid.finish()),
            Arc::new(method.finish()),
            Arc::new(path.finish()),
            Arc::new(route.finish()),
            Arc::new(status.finish()),
            Arc::new(ip.finish()),
            Arc::new(geo.finish()),
            Arc::new(ua.finish()),
            Arc::new(sub.finish()),
            Arc::new(sub_type.finish()),
            Arc::new(jti.finish()),
            Arc::new(sid.finish()),
            Arc::new(kid.finish()),
            Arc::new(iat.finish()),
            Arc::new(api.finish()),
            Arc::new(partner.finish()),
            Arc::new(member.finish()),
            Arc::new(records.finish()),
            Arc::new(bytes.finish()),
        ];
        self.rows = 0;
        RecordBatch::try_new(schema.clone(), cols).map_err(|e| e.to_string())
    }
}

/// Writes gateway requests to a Parquet file, in the order given.
pub struct GatewayParquet {
    path: PathBuf,
    schema: SchemaRef,
    writer: ArrowWriter<File>,
    builders: Builders,
}

impl GatewayParquet {
    /// Creates the file.
    ///
    /// # Errors
    /// [`SynthError::Write`] or [`SynthError::Parquet`] naming the file.
    pub fn create(path: &Path) -> Result<Self> {
        let file = File::create(path).map_err(|source| SynthError::Write {
            path: path.to_path_buf(),
            source,
        })?;
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_max_row_group_row_count(Some(ROW_GROUP))
            .set_statistics_enabled(EnabledStatistics::Page)
            .set_sorting_columns(Some(vec![SortingColumn {
                column_idx: 0,
                descending: false,
                nulls_first: false,
            }]))
            .build();
        let schema = schema();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|source| {
            SynthError::Parquet {
                path: path.to_path_buf(),
                source,
            }
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            schema,
            writer,
            builders: Builders::new(),
        })
    }

    /// Appends one request.
    ///
    /// # Errors
    /// [`SynthError::Parquet`] when a full batch cannot be written.
    pub fn push(&mut self, ts: i64, seq: u64, r: &Request, staff_ids: &[String]) -> Result<()> {
        let b = &mut self.builders;
        b.ts.append_value(ts);
        b.text(t::REQUEST_ID, Some(&request_id(seq)));
        b.text(t::METHOD, Some(r.method));
        b.text(t::PATH, Some(&path_of(r)));
        b.text(t::ROUTE, Some(r.route));
        b.int(i::STATUS, Some(i64::from(r.status)));
        b.text(t::IP, Some(&ip_text(r.ip)));
        b.text(t::GEO, Some(r.geo));
        b.text(t::UA, Some(r.ua));
        let (sub, sub_type, token, api) = match r.auth {
            Auth::None => (None, None, None, None),
            Auth::Token(tok) => {
                let (sub, kind) = sub_fields(tok.sub, staff_ids);
                (Some(sub), Some(kind), Some(tok), None)
            }
            Auth::ApiKey { key, partner } => (None, Some("partner"), None, Some((key, partner))),
        };
        b.text(t::SUB, sub.as_deref());
        b.text(t::SUB_TYPE, sub_type);
        b.text(
            t::JTI,
            token.map(|k| uuid_text(k.jti.0, k.jti.1)).as_deref(),
        );
        b.text(t::SID, token.map(|k| sid_text(k.sid)).as_deref());
        b.text(t::KID, token.map(|k| k.kid));
        b.int(i::IAT, token.map(|k| k.iat_ms.div_euclid(1000)));
        b.text(t::API_KEY, api.map(|a| a.0));
        b.text(t::PARTNER, api.map(|a| a.1));
        b.int(i::MEMBER, r.member.and_then(|m| i64::try_from(m).ok()));
        b.int(i::RECORDS, Some(i64::from(r.records)));
        b.int(i::BYTES, Some(i64::from(r.bytes)));
        b.rows += 1;
        if b.rows >= BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.builders.rows == 0 {
            return Ok(());
        }
        let batch = self
            .builders
            .batch(&self.schema)
            .map_err(|message| SynthError::Serialize {
                path: self.path.clone(),
                message,
            })?;
        self.writer
            .write(&batch)
            .map_err(|source| SynthError::Parquet {
                path: self.path.clone(),
                source,
            })
    }

    /// Writes the last batch and the footer.
    ///
    /// # Errors
    /// [`SynthError::Parquet`] naming the file.
    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.writer
            .close()
            .map(|_| ())
            .map_err(|source| SynthError::Parquet {
                path: self.path,
                source,
            })
    }
}
