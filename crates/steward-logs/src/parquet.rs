//! Parquet records through Arrow batches: only the root columns the mapping
//! names are read; paths walk struct fields (`actor.user.uid`) and lists
//! (`resources[*].uid`); a path that names no nested field is tried as a
//! flat column name (`http.status`). Types are normalised once per batch:
//! integers to Int64, floats to Float64, timestamps to milliseconds,
//! anything else (dictionaries, decimals, dates, string views) to text.

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, TimestampMillisecondType};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use crate::mapping::path::{FieldPath, Segment};
use crate::value::{Fields, PathId, Value, ValueError};

/// Rows per batch.
const BATCH: usize = 4096;

#[derive(Debug, Clone, Copy)]
enum Sel {
    Any,
    Index(usize),
}

#[derive(Debug)]
enum Level {
    /// A struct whose nulls hide its children.
    Struct(ArrayRef),
    /// A list: rows fan out to elements.
    List(ArrayRef, Sel),
}

#[derive(Debug)]
enum Leaf {
    Text(ArrayRef),
    Int(ArrayRef),
    Float(ArrayRef),
    Bool(ArrayRef),
    Time(ArrayRef),
}

#[derive(Debug)]
struct Column {
    levels: Vec<Level>,
    leaf: Leaf,
}

/// Reads a Parquet input batch by batch.
pub(crate) struct ParquetRows {
    reader: ParquetRecordBatchReader,
    paths: Vec<FieldPath>,
    columns: Vec<Option<Column>>,
    rows: usize,
    row: usize,
}

impl std::fmt::Debug for ParquetRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetRows")
            .field("rows", &self.rows)
            .field("row", &self.row)
            .finish_non_exhaustive()
    }
}

/// What one step gave.
pub(crate) enum Step {
    Row,
    Broken(String),
    End,
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_owned())
}

/// Runs a call into the Parquet or Arrow libraries; a panic there (on
/// hostile input) becomes an error instead of ending the process.
fn contained<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|p| Err(format!("the Parquet reader failed ({})", panic_text(&*p))))
}

fn root_name(path: &FieldPath, top: &[String]) -> Option<String> {
    if let Some(Segment::Key(k)) = path.segments.first()
        && top.contains(k)
    {
        return Some(k.clone());
    }
    path.column_name().filter(|n| top.contains(n))
}

impl ParquetRows {
    pub(crate) fn open<T>(source: T, paths: &[FieldPath]) -> Result<Self, String>
    where
        T: parquet::file::reader::ChunkReader + 'static,
    {
        contained(|| {
            let builder =
                ParquetRecordBatchReaderBuilder::try_new(steward_io::parquet::EofGuarded(source))
                    .map_err(|e| format!("not a readable Parquet file: {e}"))?;
            let top: Vec<String> = builder
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            let mut roots: Vec<usize> = paths
                .iter()
                .filter_map(|p| root_name(p, &top))
                .filter_map(|n| top.iter().position(|t| *t == n))
                .collect();
            roots.sort_unstable();
            roots.dedup();
            let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
            let reader = builder
                .with_projection(mask)
                .with_batch_size(BATCH)
                .build()
                .map_err(|e| format!("cannot read Parquet row groups: {e}"))?;
            Ok(Self {
                reader,
                paths: paths.to_vec(),
                columns: Vec::new(),
                rows: 0,
                row: 0,
            })
        })
    }

    /// Moves to the next row.
    pub(crate) fn next(&mut self) -> Step {
        self.row += 1;
        while self.row >= self.rows {
            let next = contained(|| Ok(self.reader.next()));
            match next {
                Ok(None) => return Step::End,
                Ok(Some(Ok(batch))) => match contained(|| Ok(bind(&batch, &self.paths))) {
                    Ok(columns) => {
                        self.columns = columns;
                        self.rows = batch.num_rows();
                        self.row = 0;
                    }
                    Err(e) => return Step::Broken(e),
                },
                Ok(Some(Err(e))) => return Step::Broken(format!("Parquet data: {e}")),
                Err(e) => return Step::Broken(e),
            }
        }
        Step::Row
    }

    pub(crate) fn record(&self) -> ParquetRecord<'_> {
        ParquetRecord {
            columns: &self.columns,
            row: self.row,
        }
    }
}

fn cast(a: &ArrayRef, to: &DataType) -> Option<ArrayRef> {
    if a.data_type() == to {
        Some(Arc::clone(a))
    } else {
        arrow_cast::cast(a, to).ok()
    }
}

fn leaf(a: &ArrayRef) -> Option<Leaf> {
    Some(match a.data_type() {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => Leaf::Int(cast(a, &DataType::Int64)?),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            Leaf::Float(cast(a, &DataType::Float64)?)
        }
        DataType::Boolean => Leaf::Bool(Arc::clone(a)),
        DataType::Timestamp(_, _) => {
            Leaf::Time(cast(a, &DataType::Timestamp(TimeUnit::Millisecond, None))?)
        }
        DataType::Struct(_) | DataType::List(_) | DataType::LargeList(_) | DataType::Map(_, _) => {
            return None;
        }
        _ => Leaf::Text(cast(a, &DataType::Utf8)?),
    })
}

fn column(batch: &RecordBatch, path: &FieldPath) -> Option<Column> {
    let schema = batch.schema();
    let top: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let root = root_name(path, &top)?;
    let mut current = Arc::clone(batch.column_by_name(&root)?);
    let rest = if root.contains('.') && path.segments.len() > 1 {
        // A flat column named like the whole path.
        &[][..]
    } else {
        path.segments.get(1..).unwrap_or_default()
    };
    let mut levels = Vec::new();
    for seg in rest {
        let is_list = matches!(current.data_type(), DataType::List(_));
        match seg {
            Segment::Key(k) => {
                let s = current.as_struct_opt()?;
                let child = Arc::clone(s.column_by_name(k)?);
                levels.push(Level::Struct(current));
                current = child;
            }
            Segment::Any | Segment::Index(_) if is_list => {
                let values = Arc::clone(current.as_list_opt::<i32>()?.values());
                let sel = match seg {
                    Segment::Index(i) => Sel::Index(*i),
                    _ => Sel::Any,
                };
                levels.push(Level::List(current, sel));
                current = values;
            }
            _ => return None,
        }
    }
    // A path ending at a list takes its elements.
    if matches!(current.data_type(), DataType::List(_)) {
        let values = Arc::clone(current.as_list_opt::<i32>()?.values());
        levels.push(Level::List(current, Sel::Any));
        current = values;
    }
    Some(Column {
        levels,
        leaf: leaf(&current)?,
    })
}

fn bind(batch: &RecordBatch, paths: &[FieldPath]) -> Vec<Option<Column>> {
    paths.iter().map(|p| column(batch, p)).collect()
}

/// One Parquet row, as the mapping reads it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ParquetRecord<'a> {
    columns: &'a [Option<Column>],
    row: usize,
}

fn value(leaf: &Leaf, i: usize) -> Value<'_> {
    let get = |a: &ArrayRef| i < a.len() && a.is_valid(i);
    match leaf {
        Leaf::Text(a) if get(a) => a
            .as_string_opt::<i32>()
            .map_or(Value::Null, |s| Value::Str(Cow::Borrowed(s.value(i)))),
        Leaf::Int(a) if get(a) => a
            .as_primitive_opt::<Int64Type>()
            .map_or(Value::Null, |p| Value::Int(p.value(i))),
        Leaf::Float(a) if get(a) => a
            .as_primitive_opt::<Float64Type>()
            .map_or(Value::Null, |p| Value::Float(p.value(i))),
        Leaf::Bool(a) if get(a) => a
            .as_boolean_opt()
            .map_or(Value::Null, |b| Value::Bool(b.value(i))),
        Leaf::Time(a) if get(a) => a
            .as_primitive_opt::<TimestampMillisecondType>()
            .map_or(Value::Null, |p| Value::TimeMs(p.value(i))),
        _ => Value::Null,
    }
}

impl Column {
    /// Leaf positions of `row`, in order.
    fn positions(&self, row: usize, out: &mut Vec<usize>) {
        out.clear();
        out.push(row);
        let mut next = Vec::new();
        for level in &self.levels {
            match level {
                Level::Struct(a) => out.retain(|&p| p < a.len() && a.is_valid(p)),
                Level::List(a, sel) => {
                    let Some(list) = a.as_list_opt::<i32>() else {
                        out.clear();
                        return;
                    };
                    let offsets = list.value_offsets();
                    next.clear();
                    for &p in out.iter() {
                        if p >= a.len() || !a.is_valid(p) {
                            continue;
                        }
                        let (Some(&s), Some(&e)) = (offsets.get(p), offsets.get(p + 1)) else {
                            continue;
                        };
                        let (s, e) = (
                            usize::try_from(s).unwrap_or(0),
                            usize::try_from(e).unwrap_or(0),
                        );
                        match sel {
                            Sel::Any => next.extend(s..e),
                            Sel::Index(k) if s + k < e => next.push(s + k),
                            Sel::Index(_) => {}
                        }
                    }
                    std::mem::swap(out, &mut next);
                }
            }
        }
    }
}

impl Fields for ParquetRecord<'_> {
    fn first(&self, path: PathId) -> Result<Option<Value<'_>>, ValueError> {
        let Some(Some(col)) = self.columns.get(usize::from(path)) else {
            return Ok(None);
        };
        if col.levels.is_empty() {
            // A flat column: the row's own value, without a position list.
            let v = value(&col.leaf, self.row);
            return Ok((!v.is_null()).then_some(v));
        }
        let mut pos = Vec::new();
        col.positions(self.row, &mut pos);
        Ok(pos
            .iter()
            .map(|&p| value(&col.leaf, p))
            .find(|v| !v.is_null()))
    }

    fn each<'s>(
        &'s self,
        path: PathId,
        f: &mut dyn FnMut(Value<'s>) -> Result<(), ValueError>,
    ) -> Result<(), ValueError> {
        let Some(Some(col)) = self.columns.get(usize::from(path)) else {
            return Ok(());
        };
        if col.levels.is_empty() {
            return f(value(&col.leaf, self.row));
        }
        let mut pos = Vec::new();
        col.positions(self.row, &mut pos);
        for p in pos {
            f(value(&col.leaf, p))?;
        }
        Ok(())
    }
}
