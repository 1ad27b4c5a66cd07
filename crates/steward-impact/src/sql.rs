//! User SQL over the logs (`steward impact --sql`): the tables `access`
//! (flat gateway columns, whatever the log format) and `issuance`, rendered
//! as a text table. Cells holding an IP address are masked unless raw values
//! were asked for, whatever the column is called.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::util::pretty::pretty_format_batches;
use steward_model::masked::mask_ip;

use crate::error::Result;
use crate::query::Engine;

/// Runs `query` and renders the result as a table.
///
/// # Errors
/// SQL that does not parse, plan or run.
pub fn run(engine: &Engine, query: &str, show_raw: bool) -> Result<String> {
    let batches = engine.sql(query)?;
    let shown = if show_raw {
        batches
    } else {
        batches.iter().map(mask_batch).collect::<Result<Vec<_>>>()?
    };
    Ok(pretty_format_batches(&shown)?.to_string())
}

fn mask_batch(batch: &RecordBatch) -> Result<RecordBatch> {
    let mut fields = Vec::with_capacity(batch.num_columns());
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(batch.num_columns());
    for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
        if matches!(
            field.data_type(),
            DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8
        ) {
            let text = cast(column, &DataType::Utf8)?;
            let text = text.as_string::<i32>();
            let masked: StringArray = (0..text.len())
                .map(|i| {
                    text.is_valid(i).then(|| {
                        let v = text.value(i);
                        if v.parse::<std::net::IpAddr>().is_ok() {
                            mask_ip(v)
                        } else {
                            v.to_owned()
                        }
                    })
                })
                .collect();
            fields.push(Field::new(
                field.name(),
                DataType::Utf8,
                field.is_nullable(),
            ));
            columns.push(Arc::new(masked));
        } else {
            fields.push(field.as_ref().clone());
            columns.push(column.clone());
        }
    }
    Ok(RecordBatch::try_new(
        Arc::new(Schema::new(fields)),
        columns,
    )?)
}
