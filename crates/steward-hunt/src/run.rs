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
    let mut ev = AccessEvent::default();
    let mut changes = Vec::new();
    let (mut events, mut errors) = (0u64, 0u64);
    while let Some(r) = merged.read_into(&mut ev) {
        match r {
            Ok(()) => {
                events += 1;
                pipeline.process(&ev, merged.last_source(), &mut changes);
                for c in changes.drain(..) {
                    on_change(&c)?;
                }
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

/// Replays `sources` (with the roles the pipeline was built with) in event
/// time through `pipeline`, then finishes it.
///
/// # Errors
/// What `on_change` returns.
pub fn hunt(
    pipeline: &mut Pipeline,
    sources: Vec<LogSource>,
    merge: MergeOptions,
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
    let (events, errors) = drain(pipeline, &mut merged, &mut count, progress, |_| false)?;
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
