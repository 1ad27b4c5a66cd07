//! Progress of long stages, reported by engines (the generator, impact) to
//! whatever front end draws it; the CLI draws bars.

/// Receives progress of long stages.
pub trait Progress: Sync {
    /// A stage begins with `total` units of work.
    fn stage(&self, name: &str, total: u64);
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The current stage is over.
    fn finish_stage(&self);
}

/// Progress that shows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish_stage(&self) {}
}
