//! PostgreSQL: every column of every table in non-system schemas (or the
//! first `--sample` rows of each), read as text through the simple query
//! protocol. The dataset name never includes the password.

use postgres::{Client, NoTls, SimpleQueryMessage};

use super::Ctx;
use super::table::{RowKey, TableScan};
use crate::report::{SourceReport, SourceStatus};

/// A `postgres://` URL with any password replaced by `***`.
#[must_use]
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Scans a PostgreSQL database.
pub fn scan(ctx: &Ctx<'_>, url: &str, report: &mut SourceReport) {
    let shown = redact_url(url);
    let mut client = match Client::connect(url, NoTls) {
        Ok(c) => c,
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!(
                "cannot connect: {}",
                redact_message(&e.to_string(), url)
            ));
            return;
        }
    };
    let tables = match client.query(
        "SELECT table_schema, table_name FROM information_schema.tables \
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') \
         ORDER BY 1, 2",
        &[],
    ) {
        Ok(rows) => rows
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, String>(1)))
            .collect::<Vec<_>>(),
        Err(e) => {
            report.status = SourceStatus::Failed;
            report.error = Some(format!("cannot list tables: {e}"));
            return;
        }
    };
    for (schema, table) in tables {
        let name = if schema == "public" {
            table.clone()
        } else {
            format!("{schema}.{table}")
        };
        if let Err(e) = scan_table(ctx, &shown, &mut client, &schema, &table, &name, report) {
            report.malformed(|| format!("table `{name}`: {e}"));
        }
    }
}

fn scan_table(
    ctx: &Ctx<'_>,
    dataset: &str,
    client: &mut Client,
    schema: &str,
    table: &str,
    name: &str,
    report: &mut SourceReport,
) -> Result<(), postgres::Error> {
    let ident = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let limit = ctx.sample.map_or(String::new(), |n| format!(" LIMIT {n}"));
    let sql = format!("SELECT * FROM {}.{}{limit}", ident(schema), ident(table));
    // A cursor keeps memory bounded on large tables.
    let mut tx = client.transaction()?;
    tx.batch_execute(&format!("DECLARE steward_scan NO SCROLL CURSOR FOR {sql}"))?;
    let mut scan: Option<TableScan<'_, '_>> = None;
    loop {
        let messages = tx.simple_query("FETCH 5000 FROM steward_scan")?;
        let mut fetched = 0usize;
        for m in &messages {
            match m {
                SimpleQueryMessage::RowDescription(cols) if scan.is_none() => {
                    let columns = cols.iter().map(|c| c.name().to_owned()).collect();
                    scan = Some(TableScan::new(ctx, dataset, name, columns));
                }
                SimpleQueryMessage::Row(row) => {
                    fetched += 1;
                    let s = scan.get_or_insert_with(|| {
                        let columns = row.columns().iter().map(|c| c.name().to_owned()).collect();
                        TableScan::new(ctx, dataset, name, columns)
                    });
                    let row_no = s.rows() + 1;
                    let width = row.len();
                    s.row(&|| RowKey::Row(row_no), (0..width).map(|i| row.get(i)));
                }
                _ => {}
            }
        }
        if fetched == 0 {
            break;
        }
    }
    tx.batch_execute("CLOSE steward_scan")?;
    tx.commit()?;
    if let Some(s) = scan {
        s.finish(report);
    }
    Ok(())
}

/// Removes the URL (and so its password) from an error message.
fn redact_message(message: &str, url: &str) -> String {
    message.replace(url, &redact_url(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("postgres://h/db"), "postgres://h/db");
    }
}
