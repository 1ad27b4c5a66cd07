//! steward's state: the data inventory that `scan` writes and `map`, `check`
//! and `impact` read; the alerts and incidents of `hunt` and `watch`; impact
//! results; and `watch`'s checkpoints.
//!
//! [`StateStore`] is the narrow interface every stage uses; [`SqliteStore`]
//! is the embedded default (a file under `.steward/`). A PostgreSQL backend
//! implements the same trait for teams that share state.
//!
//! ```
//! use steward_store::{SqliteStore, StateStore};
//!
//! let mut store = SqliteStore::open_in_memory().unwrap();
//! let run = store.begin_run("demo", "2026-11-24T00:00:00Z").unwrap();
//! store.finish_run(run, "ok", "2026-11-24T00:00:05Z", None).unwrap();
//! assert_eq!(store.recent_runs(1).unwrap()[0].status, "ok");
//! ```

mod error;
mod records;
mod sqlite;

pub use error::StoreError;
pub use records::{
    AlertRecord, Checkpoint, DatasetRecord, ImpactRecord, IncidentRecord, InventoryRecord,
    RunRecord, ScannedFile,
};
pub use sqlite::{DEFAULT_STATE_PATH, SCHEMA_VERSION, SqliteStore};

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, StoreError>;

/// What every state backend provides.
pub trait StateStore {
    /// Records the start of a command; returns its run id.
    ///
    /// # Errors
    /// A query failure.
    fn begin_run(&mut self, command: &str, started_at: &str) -> Result<i64>;
    /// Records the end of a run.
    ///
    /// # Errors
    /// A query failure.
    fn finish_run(
        &mut self,
        id: i64,
        status: &str,
        finished_at: &str,
        summary: Option<&serde_json::Value>,
    ) -> Result<()>;
    /// The newest runs first.
    ///
    /// # Errors
    /// A query failure.
    fn recent_runs(&self, limit: usize) -> Result<Vec<RunRecord>>;

    /// Inserts or replaces datasets.
    ///
    /// # Errors
    /// A query failure.
    fn register_datasets(&mut self, datasets: &[DatasetRecord], at: &str) -> Result<()>;
    /// Every dataset, by id.
    ///
    /// # Errors
    /// A query failure.
    fn datasets(&self) -> Result<Vec<DatasetRecord>>;

    /// Replaces the inventory rows of one dataset with `rows` in one transaction.
    ///
    /// # Errors
    /// A query failure.
    fn replace_inventory(&mut self, dataset_id: &str, rows: &[InventoryRecord]) -> Result<()>;
    /// Every inventory row, by dataset and location.
    ///
    /// # Errors
    /// A query failure.
    fn inventory(&self) -> Result<Vec<InventoryRecord>>;

    /// Records scanned files.
    ///
    /// # Errors
    /// A query failure.
    fn put_scanned_files(&mut self, files: &[ScannedFile]) -> Result<()>;
    /// A scanned file by path.
    ///
    /// # Errors
    /// A query failure.
    fn scanned_file(&self, path: &str) -> Result<Option<ScannedFile>>;

    /// Inserts incidents, replacing the ones with the same id.
    ///
    /// # Errors
    /// A query failure.
    fn put_incidents(&mut self, incidents: &[IncidentRecord]) -> Result<()>;
    /// Every incident, oldest first.
    ///
    /// # Errors
    /// A query failure.
    fn incidents(&self) -> Result<Vec<IncidentRecord>>;

    /// Inserts alerts whose ids are new; returns how many were new.
    ///
    /// # Errors
    /// A query failure.
    fn put_alerts(&mut self, alerts: &[AlertRecord]) -> Result<usize>;
    /// Every alert, by window start and id.
    ///
    /// # Errors
    /// A query failure.
    fn alerts(&self) -> Result<Vec<AlertRecord>>;

    /// Inserts or replaces an impact result.
    ///
    /// # Errors
    /// A query failure.
    fn put_impact(&mut self, impact: &ImpactRecord) -> Result<()>;
    /// An impact result by id.
    ///
    /// # Errors
    /// A query failure.
    fn impact(&self, id: &str) -> Result<Option<ImpactRecord>>;

    /// Saves a checkpoint, replacing the previous one of that name atomically.
    ///
    /// # Errors
    /// A query failure.
    fn save_checkpoint(&mut self, checkpoint: &Checkpoint) -> Result<()>;
    /// Records the outcome of a stretch of detection in one transaction:
    /// incidents (as [`StateStore::put_incidents`]), alerts (new ids
    /// inserted; known ids get the newer window end, evidence, severity and
    /// incident), and the stream's checkpoint when given. Either all of it
    /// is kept or none, so a `watch` killed at any moment resumes from a
    /// checkpoint that matches the alerts stored. Returns how many alert ids
    /// were new.
    ///
    /// # Errors
    /// A query failure; nothing is kept.
    fn commit_detections(
        &mut self,
        alerts: &[AlertRecord],
        incidents: &[IncidentRecord],
        checkpoint: Option<&Checkpoint>,
    ) -> Result<usize>;
    /// The checkpoint of a stream.
    ///
    /// # Errors
    /// A query failure.
    fn load_checkpoint(&self, name: &str) -> Result<Option<Checkpoint>>;
}
