//! `watch`: the pipeline over followed logs, with checkpoints.
//!
//! A checkpoint holds each log's byte position, the events the merge holds,
//! the whole pipeline state and the length of the output file. It is
//! written to the state database in the same transaction as the alerts and
//! incidents raised since the previous one, after their lines were appended
//! to the output file and synced. Killed at any moment, `watch` restarts
//! from the last checkpoint: the output file is cut back to the length the
//! checkpoint recorded, and the events after it are read and detected
//! again, so no alert is lost and none is written twice.

use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use steward_logs::{FollowOptions, MergeOptions, MergeState, merge_sources, resume_sources};
use steward_model::event::AccessEvent;
use steward_store::{Checkpoint, StateStore};

use crate::book::AlertChange;
use crate::error::HuntError;
use crate::output::{Format, line};
use crate::pipeline::PipelineState;
use crate::setup::Setup;

/// Version of [`WatchCheckpoint`].
pub const CHECKPOINT_VERSION: u32 = 1;

/// How to watch.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Checkpoint name in the state database (one per watched stream).
    pub name: String,
    /// Checkpoint after this many events.
    pub checkpoint_events: u64,
    /// Checkpoint after this long, between two events.
    pub checkpoint_every: Duration,
    /// How often to look for appended data.
    pub poll: Duration,
    /// Every log idle this long ends a round: what the merge holds is
    /// released and checkpointed.
    pub idle: Duration,
    /// Stop after a round in which nothing new arrived, finishing the
    /// pipeline (every pending decision settled, every alert closed).
    pub exit_when_idle: bool,
    /// Merge settings.
    pub merge: MergeOptions,
    /// Alert changes are also appended to this file (exactly once).
    pub output: Option<(PathBuf, Format)>,
    /// Show IPs unmasked in the output file.
    pub raw: bool,
    /// Set to stop.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            name: "watch".into(),
            checkpoint_events: 100_000,
            checkpoint_every: Duration::from_secs(2),
            poll: Duration::from_millis(200),
            idle: Duration::from_secs(1),
            exit_when_idle: false,
            merge: MergeOptions::default(),
            output: None,
            raw: false,
            stop: None,
        }
    }
}

/// What a checkpoint holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WatchCheckpoint {
    /// [`CHECKPOINT_VERSION`].
    pub version: u32,
    /// The logs, in order (a checkpoint of other logs is refused).
    pub inputs: Vec<String>,
    /// Byte position in each log.
    pub positions: Vec<u64>,
    /// The merge's held events.
    pub merge: MergeState,
    /// The pipeline.
    pub pipeline: PipelineState,
    /// Length of the output file.
    pub output_len: u64,
    /// Events processed since the watch began (over restarts).
    pub events: u64,
    /// Whether the pipeline was finished (the watch ended).
    pub finished: bool,
}

/// What a watch did.
#[derive(Debug, Clone, Default)]
pub struct WatchReport {
    /// Events processed in this process.
    pub events: u64,
    /// Events processed since the watch began.
    pub total_events: u64,
    /// Checkpoints written.
    pub checkpoints: u64,
    /// Whether it resumed from a checkpoint.
    pub resumed: bool,
    /// Record errors skipped.
    pub record_errors: u64,
}

fn inputs_of(setup: &Setup) -> Vec<String> {
    setup
        .inputs
        .iter()
        .map(|i| format!("{}={}", i.mapping, i.path.display()))
        .collect()
}

fn encode(c: &WatchCheckpoint) -> Result<Vec<u8>, HuntError> {
    let json = serde_json::to_vec(c).map_err(|e| HuntError::State(e.to_string()))?;
    zstd::encode_all(json.as_slice(), 3).map_err(|e| HuntError::State(e.to_string()))
}

fn decode(bytes: &[u8]) -> Result<WatchCheckpoint, HuntError> {
    let json = zstd::decode_all(bytes).map_err(|e| HuntError::State(e.to_string()))?;
    serde_json::from_slice(&json).map_err(|e| HuntError::State(e.to_string()))
}

/// The output file, cut back to what the last checkpoint recorded.
struct Output {
    file: File,
    len: u64,
    format: Format,
}

impl Output {
    fn open(path: &PathBuf, format: Format, len: u64) -> Result<Self, HuntError> {
        let err = |source| HuntError::Write {
            what: path.display().to_string(),
            source,
        };
        let mut file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(path)
            .map_err(err)?;
        file.set_len(len).map_err(err)?;
        file.seek(SeekFrom::Start(len)).map_err(err)?;
        Ok(Self { file, len, format })
    }

    fn append(&mut self, changes: &[AlertChange], raw: bool) -> Result<(), HuntError> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for c in changes {
            text.push_str(&line(c, self.format, raw));
            text.push('\n');
        }
        let err = |source| HuntError::Write {
            what: "watch output".into(),
            source,
        };
        self.file.write_all(text.as_bytes()).map_err(err)?;
        self.file.sync_data().map_err(err)?;
        self.len += text.len() as u64;
        Ok(())
    }
}

/// Watches the logs of `setup`, checkpointing to `store`. Alert changes are
/// handed to `on_change` after the checkpoint that records them commits.
///
/// # Errors
/// A log cannot be opened or followed, a checkpoint does not fit these
/// logs and rules, or the state database fails.
pub fn watch(
    setup: &Setup,
    store: &mut dyn StateStore,
    options: &WatchOptions,
    on_change: &mut dyn FnMut(&AlertChange),
    now: &dyn Fn() -> String,
) -> Result<WatchReport, HuntError> {
    let built = setup.build()?;
    let mut pipeline = built.pipeline;
    let inputs = inputs_of(setup);
    let mut report = WatchReport::default();
    let saved = store
        .load_checkpoint(&options.name)?
        .map(|c| decode(&c.state))
        .transpose()?;
    let (mut positions, mut merge_state, output_len) = match saved {
        Some(c) => {
            if c.inputs != inputs {
                return Err(HuntError::State(format!(
                    "checkpoint `{}` is for other logs ({}); use another --name",
                    options.name,
                    c.inputs.join(", ")
                )));
            }
            if c.finished {
                return Err(HuntError::State(format!(
                    "checkpoint `{}` belongs to a watch that has ended; use another --name",
                    options.name
                )));
            }
            pipeline.restore(c.pipeline)?;
            report.resumed = true;
            report.total_events = c.events;
            (c.positions, c.merge, c.output_len)
        }
        None => (vec![0; inputs.len()], MergeState::default(), 0),
    };
    let mut output = match &options.output {
        Some((path, format)) => Some(Output::open(path, *format, output_len)?),
        None => None,
    };
    let follow = FollowOptions {
        poll: options.poll,
        idle_timeout: Some(options.idle),
        stop: options.stop.clone(),
        ..FollowOptions::default()
    };
    let mut pending: Vec<AlertChange> = Vec::new();
    let mut ev = AccessEvent::default();
    loop {
        let mut sources = Vec::with_capacity(setup.inputs.len());
        for (spec, pos) in setup.inputs.iter().zip(&positions) {
            sources.push(spec.follow(*pos, follow.clone())?);
        }
        let mut merged = if merge_state == MergeState::default() {
            merge_sources(sources, options.merge)
        } else {
            resume_sources(sources, options.merge, std::mem::take(&mut merge_state))
        };
        let mut round_events = 0u64;
        let mut since = 0u64;
        let mut last = Instant::now();
        let mut checkpoint = |merged: &steward_logs::Merged,
                              pipeline: &mut crate::Pipeline,
                              pending: &mut Vec<AlertChange>,
                              output: &mut Option<Output>,
                              report: &mut WatchReport,
                              finished: bool|
         -> Result<(), HuntError> {
            if let Some(o) = output.as_mut() {
                o.append(pending, options.raw)?;
            }
            let at = now();
            let incidents: Vec<_> = pipeline
                .take_incidents()
                .iter()
                .map(|i| i.record(&at))
                .collect();
            let alerts: Vec<_> = pending.iter().map(|c| c.alert.record(&at)).collect();
            let state = WatchCheckpoint {
                version: CHECKPOINT_VERSION,
                inputs: inputs.clone(),
                positions: merged.sources().map(|s| s.position().offset).collect(),
                merge: merged.state(),
                pipeline: pipeline.save()?,
                output_len: output.as_ref().map_or(0, |o| o.len),
                events: report.total_events,
                finished,
            };
            store.commit_detections(
                &alerts,
                &incidents,
                Some(&Checkpoint {
                    name: options.name.clone(),
                    position: serde_json::json!(state.positions).to_string(),
                    state: encode(&state)?,
                    updated_at: at,
                }),
            )?;
            report.checkpoints += 1;
            for c in pending.drain(..) {
                on_change(&c);
            }
            Ok(())
        };
        while let Some(r) = merged.read_into(&mut ev) {
            match r {
                Ok(()) => {
                    pipeline.process(&ev, merged.last_source(), &mut pending);
                    report.events += 1;
                    report.total_events += 1;
                    round_events += 1;
                    since += 1;
                }
                Err(_) => report.record_errors += 1,
            }
            if since >= options.checkpoint_events
                || (since > 0 && last.elapsed() >= options.checkpoint_every)
            {
                checkpoint(
                    &merged,
                    &mut pipeline,
                    &mut pending,
                    &mut output,
                    &mut report,
                    false,
                )?;
                since = 0;
                last = Instant::now();
            }
        }
        positions = merged.sources().map(|s| s.position().offset).collect();
        let stopping = options
            .stop
            .as_ref()
            .is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed));
        // Standard input that ended is a closed stream, not an idle one.
        let stdin_closed = setup.inputs.iter().any(|i| i.path.as_os_str() == "-");
        let done = (options.exit_when_idle && round_events == 0) || stdin_closed;
        if done {
            pipeline.finish(&mut pending);
        }
        checkpoint(
            &merged,
            &mut pipeline,
            &mut pending,
            &mut output,
            &mut report,
            done,
        )?;
        if done || stopping {
            return Ok(report);
        }
    }
}
