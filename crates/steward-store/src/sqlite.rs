//! The embedded SQLite backend.

use std::path::Path;
use std::sync::LazyLock;

use rusqlite::{Connection, OptionalExtension, Row, params};
use rusqlite_migration::{M, Migrations};

use crate::records::{
    AlertRecord, Checkpoint, DatasetRecord, ImpactRecord, IncidentRecord, InventoryRecord,
    RunRecord, ScannedFile,
};
use crate::{Result, StateStore, StoreError};

/// Where the state file lives by default, relative to the working folder.
pub const DEFAULT_STATE_PATH: &str = ".steward/state.db";

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(vec![M::up(include_str!("../migrations/0001_initial.sql"))]));

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = 1;

/// State in a SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
}

fn q(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Query { context, source }
}

fn json_text(value: &serde_json::Value) -> String {
    value.to_string()
}

fn parse_json(text: &str, context: &'static str) -> Result<serde_json::Value> {
    serde_json::from_str(text).map_err(|source| StoreError::Json { context, source })
}

impl SqliteStore {
    /// Opens (creating if needed) the state file at `path` and brings its
    /// schema to the current version.
    ///
    /// # Errors
    /// [`StoreError::CreateDir`], [`StoreError::Open`], [`StoreError::TooNew`]
    /// or [`StoreError::Migrate`].
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.pragma_update(None, "synchronous", "NORMAL"))
            .map_err(|source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            })?;
        Self::init(conn)
    }

    /// A store that lives in memory, for tests and dry runs.
    ///
    /// # Errors
    /// As [`SqliteStore::open`].
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Open {
            path: ":memory:".into(),
            source,
        })?;
        Self::init(conn)
    }

    fn init(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(q("enable foreign keys"))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(q("set busy timeout"))?;
        let found: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))
            .map_err(q("read schema version"))?
            .try_into()
            .unwrap_or(0);
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|source| StoreError::Migrate {
                version: SCHEMA_VERSION,
                source,
            })?;
        Ok(Self { conn })
    }

    /// The schema version of the open file.
    ///
    /// # Errors
    /// A query failure.
    pub fn schema_version(&self) -> Result<usize> {
        let v: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(q("read schema version"))?;
        Ok(usize::try_from(v).unwrap_or(0))
    }
}

fn run_from_row(r: &Row<'_>) -> rusqlite::Result<(RunRecord, Option<String>)> {
    Ok((
        RunRecord {
            id: r.get(0)?,
            command: r.get(1)?,
            started_at: r.get(2)?,
            finished_at: r.get(3)?,
            status: r.get(4)?,
            summary: None,
        },
        r.get(5)?,
    ))
}

fn u64_col(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    r.get::<_, i64>(i).map(|v| u64::try_from(v).unwrap_or(0))
}

fn i64_of(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

impl StateStore for SqliteStore {
    fn begin_run(&mut self, command: &str, started_at: &str) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO runs (command, started_at) VALUES (?1, ?2)",
                params![command, started_at],
            )
            .map_err(q("begin run"))?;
        Ok(self.conn.last_insert_rowid())
    }

    fn finish_run(
        &mut self,
        id: i64,
        status: &str,
        finished_at: &str,
        summary: Option<&serde_json::Value>,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE runs SET status = ?2, finished_at = ?3, summary_json = ?4 WHERE id = ?1",
                params![id, status, finished_at, summary.map(json_text)],
            )
            .map_err(q("finish run"))?;
        Ok(())
    }

    fn recent_runs(&self, limit: usize) -> Result<Vec<RunRecord>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, command, started_at, finished_at, status, summary_json FROM runs ORDER BY id DESC LIMIT ?1")
            .map_err(q("list runs"))?;
        let rows = stmt
            .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], run_from_row)
            .map_err(q("list runs"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(q("list runs"))?;
        rows.into_iter()
            .map(|(mut run, summary)| {
                run.summary = summary
                    .map(|s| parse_json(&s, "runs.summary_json"))
                    .transpose()?;
                Ok(run)
            })
            .collect()
    }

    fn register_datasets(&mut self, datasets: &[DatasetRecord], at: &str) -> Result<()> {
        let tx = self.conn.transaction().map_err(q("register datasets"))?;
        {
            let mut stmt = tx
                .prepare(
                    "INSERT OR REPLACE INTO datasets (id, system, location, format, country, region, registered_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(q("register datasets"))?;
            for d in datasets {
                stmt.execute(params![
                    d.id, d.system, d.location, d.format, d.country, d.region, at
                ])
                .map_err(q("register datasets"))?;
            }
        }
        tx.commit().map_err(q("register datasets"))
    }

    fn datasets(&self) -> Result<Vec<DatasetRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, system, location, format, country, region FROM datasets ORDER BY id",
            )
            .map_err(q("list datasets"))?;
        stmt.query_map([], |r| {
            Ok(DatasetRecord {
                id: r.get(0)?,
                system: r.get(1)?,
                location: r.get(2)?,
                format: r.get(3)?,
                country: r.get(4)?,
                region: r.get(5)?,
            })
        })
        .map_err(q("list datasets"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(q("list datasets"))
    }

    fn replace_inventory(&mut self, dataset_id: &str, rows: &[InventoryRecord]) -> Result<()> {
        let tx = self.conn.transaction().map_err(q("replace inventory"))?;
        tx.execute("DELETE FROM inventory WHERE dataset_id = ?1", [dataset_id])
            .map_err(q("replace inventory"))?;
        {
            let mut stmt = tx
                .prepare(
                    "INSERT OR REPLACE INTO inventory (dataset_id, location, category, detector, jurisdiction,
                       value_count, row_count, match_ratio, scanned_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(q("replace inventory"))?;
            for r in rows {
                stmt.execute(params![
                    dataset_id,
                    r.location,
                    r.category,
                    r.detector,
                    r.jurisdiction,
                    i64_of(r.value_count),
                    r.row_count.map(i64_of),
                    r.match_ratio,
                    r.scanned_at
                ])
                .map_err(q("replace inventory"))?;
            }
        }
        tx.commit().map_err(q("replace inventory"))
    }

    fn inventory(&self) -> Result<Vec<InventoryRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT dataset_id, location, category, detector, jurisdiction, value_count, row_count, match_ratio, scanned_at
                 FROM inventory ORDER BY dataset_id, location, category, detector, jurisdiction",
            )
            .map_err(q("list inventory"))?;
        stmt.query_map([], |r| {
            Ok(InventoryRecord {
                dataset_id: r.get(0)?,
                location: r.get(1)?,
                category: r.get(2)?,
                detector: r.get(3)?,
                jurisdiction: r.get(4)?,
                value_count: u64_col(r, 5)?,
                row_count: r
                    .get::<_, Option<i64>>(6)?
                    .map(|v| u64::try_from(v).unwrap_or(0)),
                match_ratio: r.get(7)?,
                scanned_at: r.get(8)?,
            })
        })
        .map_err(q("list inventory"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(q("list inventory"))
    }

    fn put_scanned_files(&mut self, files: &[ScannedFile]) -> Result<()> {
        let tx = self.conn.transaction().map_err(q("record scanned files"))?;
        {
            let mut stmt = tx
                .prepare(
                    "INSERT OR REPLACE INTO scanned_files (path, size, mtime_ns, content_hash, scanned_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(q("record scanned files"))?;
            for f in files {
                stmt.execute(params![
                    f.path,
                    i64_of(f.size),
                    f.mtime_ns,
                    f.content_hash,
                    f.scanned_at
                ])
                .map_err(q("record scanned files"))?;
            }
        }
        tx.commit().map_err(q("record scanned files"))
    }

    fn scanned_file(&self, path: &str) -> Result<Option<ScannedFile>> {
        self.conn
            .query_row(
                "SELECT path, size, mtime_ns, content_hash, scanned_at FROM scanned_files WHERE path = ?1",
                [path],
                |r| {
                    Ok(ScannedFile {
                        path: r.get(0)?,
                        size: u64_col(r, 1)?,
                        mtime_ns: r.get(2)?,
                        content_hash: r.get(3)?,
                        scanned_at: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(q("read scanned file"))
    }

    fn put_incidents(&mut self, incidents: &[IncidentRecord]) -> Result<()> {
        let tx = self.conn.transaction().map_err(q("record incidents"))?;
        write_incidents(&tx, incidents)?;
        tx.commit().map_err(q("record incidents"))
    }

    fn incidents(&self) -> Result<Vec<IncidentRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, title, severity, principal, first_seen, last_seen, awareness_at, status, created_at
                 FROM incidents ORDER BY first_seen, id",
            )
            .map_err(q("list incidents"))?;
        stmt.query_map([], |r| {
            Ok(IncidentRecord {
                id: r.get(0)?,
                title: r.get(1)?,
                severity: r.get(2)?,
                principal: r.get(3)?,
                first_seen: r.get(4)?,
                last_seen: r.get(5)?,
                awareness_at: r.get(6)?,
                status: r.get(7)?,
                created_at: r.get(8)?,
            })
        })
        .map_err(q("list incidents"))?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(q("list incidents"))
    }

    fn put_alerts(&mut self, alerts: &[AlertRecord]) -> Result<usize> {
        let tx = self.conn.transaction().map_err(q("record alerts"))?;
        let inserted = write_alerts(&tx, alerts, false)?;
        tx.commit().map_err(q("record alerts"))?;
        Ok(inserted)
    }

    fn commit_detections(
        &mut self,
        alerts: &[AlertRecord],
        incidents: &[IncidentRecord],
        checkpoint: Option<&Checkpoint>,
    ) -> Result<usize> {
        let tx = self.conn.transaction().map_err(q("commit detections"))?;
        write_incidents(&tx, incidents)?;
        let inserted = write_alerts(&tx, alerts, true)?;
        if let Some(c) = checkpoint {
            tx.execute(
                "INSERT OR REPLACE INTO checkpoints (name, position, state, updated_at) VALUES (?1, ?2, ?3, ?4)",
                params![c.name, c.position, c.state, c.updated_at],
            )
            .map_err(q("save checkpoint"))?;
        }
        tx.commit().map_err(q("commit detections"))?;
        Ok(inserted)
    }

    fn alerts(&self) -> Result<Vec<AlertRecord>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, rule_id, severity, principal, window_start, window_end, incident_id, evidence_json, created_at
                 FROM alerts ORDER BY window_start, id",
            )
            .map_err(q("list alerts"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    AlertRecord {
                        id: r.get(0)?,
                        rule_id: r.get(1)?,
                        severity: r.get(2)?,
                        principal: r.get(3)?,
                        window_start: r.get(4)?,
                        window_end: r.get(5)?,
                        incident_id: r.get(6)?,
                        evidence: serde_json::Value::Null,
                        created_at: r.get(8)?,
                    },
                    r.get::<_, String>(7)?,
                ))
            })
            .map_err(q("list alerts"))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(q("list alerts"))?;
        rows.into_iter()
            .map(|(mut a, evidence)| {
                a.evidence = parse_json(&evidence, "alerts.evidence_json")?;
                Ok(a)
            })
            .collect()
    }

    fn put_impact(&mut self, impact: &ImpactRecord) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO impact_results (id, incident_id, selector, computed_at, summary_json)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![impact.id, impact.incident_id, impact.selector, impact.computed_at, json_text(&impact.summary)],
            )
            .map_err(q("record impact"))?;
        Ok(())
    }

    fn impact(&self, id: &str) -> Result<Option<ImpactRecord>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, incident_id, selector, computed_at, summary_json FROM impact_results WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        ImpactRecord {
                            id: r.get(0)?,
                            incident_id: r.get(1)?,
                            selector: r.get(2)?,
                            computed_at: r.get(3)?,
                            summary: serde_json::Value::Null,
                        },
                        r.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()
            .map_err(q("read impact"))?;
        row.map(|(mut i, s)| {
            i.summary = parse_json(&s, "impact_results.summary_json")?;
            Ok(i)
        })
        .transpose()
    }

    fn save_checkpoint(&mut self, c: &Checkpoint) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO checkpoints (name, position, state, updated_at) VALUES (?1, ?2, ?3, ?4)",
                params![c.name, c.position, c.state, c.updated_at],
            )
            .map_err(q("save checkpoint"))?;
        Ok(())
    }

    fn load_checkpoint(&self, name: &str) -> Result<Option<Checkpoint>> {
        self.conn
            .query_row(
                "SELECT name, position, state, updated_at FROM checkpoints WHERE name = ?1",
                [name],
                |r| {
                    Ok(Checkpoint {
                        name: r.get(0)?,
                        position: r.get(1)?,
                        state: r.get(2)?,
                        updated_at: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(q("load checkpoint"))
    }
}

fn write_incidents(tx: &rusqlite::Transaction<'_>, incidents: &[IncidentRecord]) -> Result<()> {
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO incidents (id, title, severity, principal, first_seen, last_seen, awareness_at, status, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(id) DO UPDATE SET title = excluded.title, severity = excluded.severity,
               first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen),
               awareness_at = coalesce(incidents.awareness_at, excluded.awareness_at), status = excluded.status",
        )
        .map_err(q("record incidents"))?;
    for i in incidents {
        stmt.execute(params![
            i.id,
            i.title,
            i.severity,
            i.principal,
            i.first_seen,
            i.last_seen,
            i.awareness_at,
            i.status,
            i.created_at
        ])
        .map_err(q("record incidents"))?;
    }
    Ok(())
}

/// Inserts alerts; with `update`, known ids take the new window end,
/// evidence, severity and incident. Returns how many ids were new.
fn write_alerts(
    tx: &rusqlite::Transaction<'_>,
    alerts: &[AlertRecord],
    update: bool,
) -> Result<usize> {
    let known = |id: &str| -> Result<bool> {
        tx.query_row("SELECT 1 FROM alerts WHERE id = ?1", [id], |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
            .map_err(q("record alerts"))
    };
    let mut stmt = tx
        .prepare_cached(if update {
            "INSERT INTO alerts (id, rule_id, severity, principal, window_start, window_end,
               incident_id, evidence_json, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, window_end = excluded.window_end,
               incident_id = excluded.incident_id, evidence_json = excluded.evidence_json"
        } else {
            "INSERT OR IGNORE INTO alerts (id, rule_id, severity, principal, window_start, window_end,
               incident_id, evidence_json, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        })
        .map_err(q("record alerts"))?;
    let mut inserted = 0;
    for a in alerts {
        let new = !update || !known(&a.id)?;
        let changed = stmt
            .execute(params![
                a.id,
                a.rule_id,
                a.severity,
                a.principal,
                a.window_start,
                a.window_end,
                a.incident_id,
                json_text(&a.evidence),
                a.created_at
            ])
            .map_err(q("record alerts"))?;
        if new && changed > 0 {
            inserted += 1;
        }
    }
    Ok(inserted)
}
