//! The query engine: Apache DataFusion over the access logs. Each log format
//! is registered as the table `access` with the same flat columns (the JSON
//! Lines log through a projection of its nested fields), the issuance log as
//! `issuance`; the selector becomes a filter pushed into the scan, and one
//! aggregate yields the distinct (member, route) reads per hour. The same
//! logical plan runs on a Ballista cluster when one machine is not enough.

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Int64Array, RecordBatch, StringArray,
};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields, Schema, TimeUnit};
use datafusion::common::JoinType;
use datafusion::functions::core::expr_fn::get_field;
use datafusion::functions_aggregate::expr_fn::{count, max, min};
use datafusion::prelude::{
    DataFrame, Expr, JsonReadOptions, ParquetReadOptions, SessionConfig, SessionContext, col, lit,
};
use futures::StreamExt;

use crate::error::{ImpactError, Result};
use crate::inputs::{Inputs, LogFormat};
use crate::selector::Selector;

/// Milliseconds per hour, the grain of the time line.
pub const HOUR_MS: i64 = 3_600_000;

/// The flat columns of `access`, in order, with their types.
fn flat_columns() -> Vec<(&'static str, DataType)> {
    let t = DataType::Utf8;
    let i = DataType::Int64;
    vec![
        ("ts", timestamp()),
        ("request_id", t.clone()),
        ("http_method", t.clone()),
        ("http_path", t.clone()),
        ("http_route", t.clone()),
        ("http_status", i.clone()),
        ("client_ip", t.clone()),
        ("client_geo", t.clone()),
        ("client_ua", t.clone()),
        ("auth_sub", t.clone()),
        ("auth_sub_type", t.clone()),
        ("auth_jti", t.clone()),
        ("auth_sid", t.clone()),
        ("auth_kid", t.clone()),
        ("auth_iat", i.clone()),
        ("auth_api_key", t.clone()),
        ("auth_partner", t.clone()),
        ("target_member_id", i.clone()),
        ("resp_records", i.clone()),
        ("resp_bytes", i),
    ]
}

fn timestamp() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
}

/// The nested JSON schema of the gateway log; each flat column is
/// `<object>_<field>` of it.
fn gateway_json_schema() -> Schema {
    let mut top: Vec<Field> = Vec::new();
    let mut groups: Vec<(&str, Vec<Field>)> = Vec::new();
    for (name, ty) in flat_columns() {
        match name.split_once('_') {
            Some((obj @ ("http" | "client" | "auth" | "target" | "resp"), field)) => {
                let f = Field::new(field, ty, true);
                match groups.iter_mut().find(|(o, _)| *o == obj) {
                    Some((_, fields)) => fields.push(f),
                    None => groups.push((obj, vec![f])),
                }
            }
            _ => top.push(Field::new(name, ty, true)),
        }
    }
    for (obj, fields) in groups {
        top.push(Field::new(
            obj,
            DataType::Struct(Fields::from(fields)),
            true,
        ));
    }
    Schema::new(top)
}

fn issuance_schema() -> Schema {
    let t = |n: &str| Field::new(n, DataType::Utf8, true);
    let i = |n: &str| Field::new(n, DataType::Int64, true);
    Schema::new(vec![
        t("event"),
        Field::new("ts", timestamp(), true),
        t("jti"),
        t("sid"),
        t("sub"),
        t("sub_type"),
        t("kid"),
        i("iat"),
        i("exp"),
        t("ip"),
        t("geo"),
        t("method"),
        i("account"),
        t("reason"),
    ])
}

/// One group of matching access events: the same member (if any), route,
/// outcome and hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadGroup {
    /// Target member id.
    pub member: Option<u64>,
    /// Route template.
    pub route: String,
    /// Whether these were successful reads of the member's records.
    pub read: bool,
    /// Hour (epoch ms / [`HOUR_MS`]).
    pub hour: i64,
    /// Events.
    pub events: u64,
    /// First event, epoch ms.
    pub first_ms: i64,
    /// Last event, epoch ms.
    pub last_ms: i64,
}

/// A DataFusion session with the logs registered.
pub struct Engine {
    runtime: tokio::runtime::Runtime,
    ctx: SessionContext,
    has_issuance: bool,
    logs: String,
}

impl Engine {
    /// Registers `access` (and `issuance` when given).
    ///
    /// # Errors
    /// Missing or unreadable files, a Parquet log without the flat columns.
    pub fn open(inputs: &Inputs) -> Result<Self> {
        let format = inputs.check()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .build()
            .map_err(|source| ImpactError::Read {
                path: inputs.access.first().cloned().unwrap_or_default(),
                source,
            })?;
        let mut config = SessionConfig::new();
        let parquet = &mut config.options_mut().execution.parquet;
        // Decode the selector's columns first and the rest only for rows that
        // match: a principal's few thousand events out of millions.
        parquet.pushdown_filters = true;
        parquet.reorder_filters = true;
        let ctx = SessionContext::new_with_config(config);
        let paths: Vec<String> = inputs
            .access
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let logs = inputs
            .access
            .iter()
            .map(|p| format!("`{}`", p.display()))
            .collect::<Vec<_>>()
            .join(", ");
        runtime.block_on(async {
            let access = match format {
                LogFormat::Parquet => {
                    let df = ctx
                        .read_parquet(paths, ParquetReadOptions::default().file_extension(""))
                        .await?;
                    flat_from_parquet(df)?
                }
                LogFormat::JsonLines => {
                    let schema = gateway_json_schema();
                    let df = ctx
                        .read_json(
                            paths,
                            JsonReadOptions::default()
                                .schema(&schema)
                                .file_extension(""),
                        )
                        .await?;
                    flat_from_json(df)?
                }
            };
            ctx.register_table("access", access.into_view())?;
            if let Some(p) = &inputs.issuance {
                let schema = issuance_schema();
                let df = ctx
                    .read_json(
                        p.to_string_lossy().into_owned(),
                        JsonReadOptions::default()
                            .schema(&schema)
                            .file_extension(""),
                    )
                    .await?;
                ctx.register_table("issuance", df.into_view())?;
            }
            Ok::<_, ImpactError>(())
        })?;
        Ok(Self {
            runtime,
            ctx,
            has_issuance: inputs.issuance.is_some(),
            logs,
        })
    }

    /// The logs searched, for messages.
    #[must_use]
    pub fn logs(&self) -> &str {
        &self.logs
    }

    /// Runs the selector; `each` receives every group.
    ///
    /// # Errors
    /// [`ImpactError::NoIssuance`] for `forged_only` without an issuance
    /// log; query failures.
    pub fn reads(&self, selector: &Selector, mut each: impl FnMut(ReadGroup)) -> Result<()> {
        if selector.forged_only && !self.has_issuance {
            return Err(ImpactError::NoIssuance);
        }
        self.runtime.block_on(async {
            let mut df = self.ctx.table("access").await?;
            if let Some(f) = selector.filter() {
                df = df.filter(f)?;
            }
            if selector.forged_only {
                df = self.forged(df).await?;
            }
            let read = col("http_status")
                .eq(lit(200_i64))
                .and(col("target_member_id").is_not_null());
            let hour = cast_expr(col("ts"), DataType::Int64) / lit(HOUR_MS);
            let grouped = df
                .aggregate(
                    vec![
                        col("target_member_id").alias("member"),
                        col("http_route").alias("route"),
                        read.alias("read"),
                        hour.alias("hour"),
                    ],
                    vec![
                        count(lit(1_i64)).alias("events"),
                        cast_expr(min(col("ts")), DataType::Int64).alias("first_ms"),
                        cast_expr(max(col("ts")), DataType::Int64).alias("last_ms"),
                    ],
                )?
                .select(vec![
                    col("member"),
                    cast_expr(col("route"), DataType::Utf8).alias("route"),
                    col("read"),
                    col("hour"),
                    col("events"),
                    col("first_ms"),
                    col("last_ms"),
                ])?;
            let mut stream = grouped.execute_stream().await?;
            while let Some(batch) = stream.next().await {
                for g in groups(&batch?)? {
                    each(g);
                }
            }
            Ok(())
        })
    }

    /// Keeps tokens with no issuance record, among those whose issue time
    /// the issuance log covers (issued at or after its first record).
    async fn forged(&self, df: DataFrame) -> Result<DataFrame> {
        let issued = self
            .ctx
            .table("issuance")
            .await?
            .filter(col("event").eq(lit("token_issued")))?;
        let start = issued
            .clone()
            .aggregate(vec![], vec![min(col("iat")).alias("start")])?
            .collect()
            .await?;
        let start_s = start
            .first()
            .and_then(|b| {
                b.column(0)
                    .as_primitive_opt::<datafusion::arrow::datatypes::Int64Type>()
                    .cloned()
            })
            .and_then(|a| (!a.is_empty() && a.is_valid(0)).then(|| a.value(0)));
        let covered = match start_s {
            Some(s) => col("auth_iat").gt_eq(lit(s)),
            None => lit(false),
        };
        let jtis = issued.select(vec![col("jti").alias("issued_jti")])?;
        Ok(df
            .filter(col("auth_jti").is_not_null().and(covered))?
            .join(
                jtis,
                JoinType::LeftAnti,
                &["auth_jti"],
                &["issued_jti"],
                None,
            )?)
    }

    /// Runs user SQL over `access` and `issuance`.
    ///
    /// # Errors
    /// Parse, plan or execution errors.
    pub fn sql(&self, query: &str) -> Result<Vec<RecordBatch>> {
        self.runtime
            .block_on(async { Ok(self.ctx.sql(query).await?.collect().await?) })
    }
}

fn cast_expr(e: Expr, to: DataType) -> Expr {
    Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(e), to))
}

fn flat_from_parquet(df: DataFrame) -> Result<DataFrame> {
    let have: Vec<String> = df
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    let exprs: Vec<Expr> = flat_columns()
        .into_iter()
        .map(|(name, ty)| {
            if have.iter().any(|h| h == name) {
                col(name)
            } else {
                cast_expr(lit(datafusion::scalar::ScalarValue::Null), ty).alias(name)
            }
        })
        .collect();
    for needed in ["ts", "http_route", "http_status", "target_member_id"] {
        if !have.iter().any(|h| h == needed) {
            return Err(ImpactError::Selector(format!(
                "the Parquet access log has no `{needed}` column (expected steward's flat gateway columns; see `mappings/steward-gateway-parquet.yaml`)"
            )));
        }
    }
    Ok(df.select(exprs)?)
}

fn flat_from_json(df: DataFrame) -> Result<DataFrame> {
    let exprs: Vec<Expr> = flat_columns()
        .into_iter()
        .map(|(name, _)| match name.split_once('_') {
            Some((obj @ ("http" | "client" | "auth" | "target" | "resp"), field)) => {
                get_field(col(obj), field).alias(name)
            }
            _ => col(name),
        })
        .collect();
    Ok(df.select(exprs)?)
}

/// Text of a string column of any string type.
fn strings(a: &ArrayRef) -> Result<StringArray> {
    let c = cast(a, &DataType::Utf8)?;
    Ok(c.as_string::<i32>().clone())
}

fn int64(a: &ArrayRef) -> Result<Int64Array> {
    let c = cast(a, &DataType::Int64)?;
    Ok(c.as_primitive::<datafusion::arrow::datatypes::Int64Type>()
        .clone())
}

fn groups(batch: &RecordBatch) -> Result<Vec<ReadGroup>> {
    let column = |i: usize| -> Result<&ArrayRef> {
        batch.columns().get(i).ok_or_else(|| {
            ImpactError::Query(datafusion::error::DataFusionError::Internal(format!(
                "missing result column {i}"
            )))
        })
    };
    let member = int64(column(0)?)?;
    let route = strings(column(1)?)?;
    let read_col = cast(column(2)?, &DataType::Boolean)?;
    let read: &BooleanArray = read_col.as_boolean();
    let hour = int64(column(3)?)?;
    let events = int64(column(4)?)?;
    let first = int64(column(5)?)?;
    let last = int64(column(6)?)?;
    Ok((0..batch.num_rows())
        .map(|i| ReadGroup {
            member: member
                .is_valid(i)
                .then(|| member.value(i))
                .and_then(|m| u64::try_from(m).ok()),
            route: if route.is_valid(i) {
                route.value(i).to_owned()
            } else {
                String::new()
            },
            read: read.is_valid(i) && read.value(i),
            hour: hour.value(i),
            events: u64::try_from(events.value(i)).unwrap_or_default(),
            first_ms: first.value(i),
            last_ms: last.value(i),
        })
        .collect())
}
