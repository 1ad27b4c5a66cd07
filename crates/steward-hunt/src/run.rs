//! Driving the pipeline over merged sources: the batch replay of `hunt`.

use steward_logs::{LogSource, MergeOptions, Merged, RecordReport, merge_sources};
use steward_model::event::AccessEvent;

use crate::book::{AlertChange, Change};
use crate::error::HuntError;
use crate::pipeline::Pipeline;

/// What a run read.
#[derive(Debug, Clone, Default)]
pub struct RunReport {
    /// Events processed.
    pub events: u64,
    /// Records that did not parse or map (skipped, reported per source).
    pub record_errors: u64,
    /// Events released out of time order by the merge.
    pub late: u64,
    /// Per source: counts and error examples.
    pub sources: Vec<RecordReport>,
    /// Alerts opened.
    pub opened: u64,
    /// Alerts closed.
    pub closed: u64,
}

/// Events between two progress calls.
const PROGRESS_EVERY: u64 = 1 << 16;

/// Bytes read so far over every source.
#[must_use]
pub fn bytes_read(merged: &Merged) -> u64 {
    merged.sources().map(|s| s.position().offset).sum()
}

/// Feeds every event of `merged` through `pipeline` until the sources end
/// (without finishing the pipeline); alert changes go to `on_change`,
/// bytes read to `progress` now and then. Returns events and record errors
/// read.
///
/// # Errors
/// What `on_change` returns.
pub fn drain(
    pipeline: &mut Pipeline,
    merged: &mut Merged,
    on_change: &mut dyn FnMut(&AlertChange) -> Result<(), HuntError>,
    progress: &mut dyn FnMut(u64),
    mut stop_after: impl FnMut(u64) -> bool,
) -> Result<(u64, u64), HuntError> {
    let mut changes = Vec::new();
    let (mut events, mut errors) = (0u64, 0u64);
    while let Some(r) = merged.next_event() {
        match r {
            Ok((ev, source)) => {
                events += 1;
                feed(pipeline, ev, source, &mut changes, on_change)?;
                if events % PROGRESS_EVERY == 0 {
                    progress(bytes_read(merged));
                }
                if stop_after(events) {
                    break;
                }
            }
            Err(_) => errors += 1,
        }
    }
    progress(bytes_read(merged));
    Ok((events, errors))
}

/// One event through `pipeline`, its alert changes to `on_change`.
fn feed(
    pipeline: &mut Pipeline,
    ev: &AccessEvent,
    source: usize,
    changes: &mut Vec<AlertChange>,
    on_change: &mut dyn FnMut(&AlertChange) -> Result<(), HuntError>,
) -> Result<(), HuntError> {
    pipeline.process(ev, source, changes);
    changes.drain(..).try_for_each(|c| on_change(&c))
}

/// How `hunt` reads: on the detecting thread, or on a thread of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reading {
    /// Reading, parsing and mapping on the thread that detects.
    #[default]
    Inline,
    /// Reading, parsing and mapping on a second thread, handing events over
    /// in batches in the order the merge gives them, so the alerts are the
    /// same; on two cores the run takes the longer of the two stages'
    /// times instead of their sum.
    Ahead,
}

impl Reading {
    /// A thread of its own when this process may run on two cores or more.
    #[must_use]
    pub fn for_this_machine() -> Self {
        match std::thread::available_parallelism() {
            Ok(n) if n.get() >= 2 => Self::Ahead,
            _ => Self::Inline,
        }
    }
}

/// Replays `sources` (with the roles the pipeline was built with) in event
/// time through `pipeline`, then finishes it.
///
/// # Errors
/// What `on_change` returns.
pub fn hunt(
    pipeline: &mut Pipeline,
    sources: Vec<LogSource>,
    merge: MergeOptions,
    reading: Reading,
    on_change: &mut dyn FnMut(&AlertChange) -> Result<(), HuntError>,
    progress: &mut dyn FnMut(u64),
) -> Result<RunReport, HuntError> {
    let mut merged = merge_sources(sources, merge);
    let mut report = RunReport::default();
    let mut count = |c: &AlertChange| -> Result<(), HuntError> {
        match c.change {
            Change::Opened => report.opened += 1,
            Change::Closed => report.closed += 1,
        }
        on_change(c)
    };
    let (events, errors) = match reading {
        Reading::Inline => drain(pipeline, &mut merged, &mut count, progress, |_| false)?,
        Reading::Ahead => drain_ahead(pipeline, &mut merged, &mut count, progress)?,
    };
    let mut changes = Vec::new();
    pipeline.finish(&mut changes);
    for c in &changes {
        count(c)?;
    }
    report.events = events;
    report.record_errors = errors;
    report.late = merged.late();
    report.sources = merged.reports();
    Ok(report)
}

/// Events handed over from the reading thread at a time.
const BATCH: usize = 1024;

/// Batches in flight between the two threads (their buffers are reused).
const IN_FLIGHT: usize = 4;

/// Events read ahead, with their sources, and what the reader counted.
#[derive(Default)]
struct Batch {
    events: Vec<AccessEvent>,
    sources: Vec<usize>,
    len: usize,
    errors: u64,
    bytes: u64,
}

/// [`drain`] with reading, parsing and mapping on a scoped thread of its
/// own: the same events in the same order, so the same alert changes.
fn drain_ahead(
    pipeline: &mut Pipeline,
    merged: &mut Merged,
    on_change: &mut dyn FnMut(&AlertChange) -> Result<(), HuntError>,
    progress: &mut dyn FnMut(u64),
) -> Result<(u64, u64), HuntError> {
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Batch>(IN_FLIGHT);
    let (free_tx, free_rx) = std::sync::mpsc::channel::<Batch>();
    for _ in 0..IN_FLIGHT + 1 {
        let _ = free_tx.send(Batch::default());
    }
    let reading: &mut Merged = &mut *merged;
    // The channels' ends move into the scope, so that a panic on this side
    // drops them while unwinding and the reader, blocked on a full channel,
    // ends before the scope joins it.
    let out = std::thread::scope(|scope| {
        let (full_rx, free_tx) = (full_rx, free_tx);
        let reader = scope.spawn(move || {
            // Ends when the sources do, or when the detecting side has
            // hung up (an output error).
            while let Ok(mut batch) = free_rx.recv() {
                batch.len = 0;
                batch.errors = 0;
                while batch.len < BATCH {
                    if batch.events.len() == batch.len {
                        batch.events.push(AccessEvent::default());
                        batch.sources.push(0);
                    }
                    let Some(ev) = batch.events.get_mut(batch.len) else {
                        break;
                    };
                    match reading.read_into(ev) {
                        None => break,
                        Some(Err(_)) => batch.errors += 1,
                        Some(Ok(())) => {
                            if let Some(s) = batch.sources.get_mut(batch.len) {
                                *s = reading.last_source();
                            }
                            batch.len += 1;
                        }
                    }
                }
                // A batch left short means the sources have ended.
                let ended = batch.len < BATCH;
                batch.bytes = bytes_read(reading);
                if full_tx.send(batch).is_err() || ended {
                    break;
                }
            }
        });
        let mut changes = Vec::new();
        let (mut events, mut errors) = (0u64, 0u64);
        let mut result = Ok(());
        'batches: for batch in &full_rx {
            errors += batch.errors;
            let items = batch.events.iter().zip(&batch.sources).take(batch.len);
            for (ev, &source) in items {
                events += 1;
                if let Err(e) = feed(pipeline, ev, source, &mut changes, on_change) {
                    result = Err(e);
                    break 'batches;
                }
                if events % PROGRESS_EVERY == 0 {
                    progress(batch.bytes);
                }
            }
            // The reader may have ended; then the buffers are not needed.
            let _ = free_tx.send(batch);
        }
        // Hanging up stops a reader that is still reading.
        drop(full_rx);
        drop(free_tx);
        if reader.join().is_err() {
            return Err(HuntError::Input("the log reading thread failed".into()));
        }
        result.map(|()| (events, errors))
    });
    progress(bytes_read(merged));
    out
}
