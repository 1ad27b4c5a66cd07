//! Following a growing file (`tail -F`): the reader hands out complete
//! lines only, so a line still being written is never read half; at the end
//! of the file it waits and polls. A file replaced under the same name
//! (rotation) is finished and the new one read from its start; a file cut
//! shorter (truncation) is read again from its start.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Longest unfinished line held while waiting for its end.
const MAX_PENDING: usize = 64 << 20;

/// Where to start reading a followed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StartAt {
    /// From the first byte.
    #[default]
    Beginning,
    /// From the current end: only lines appended from now on.
    End,
    /// From a byte offset (a checkpoint from [`crate::Position::offset`]);
    /// it must be the start of a line.
    Offset(u64),
}

/// How to follow a file.
#[derive(Debug, Clone)]
pub struct FollowOptions {
    /// Where to start.
    pub start: StartAt,
    /// How often to look for new data at the end of the file.
    pub poll: Duration,
    /// Stop (as at the end of an ordinary file) after this long without new
    /// data; `None` follows until `stop` is set.
    pub idle_timeout: Option<Duration>,
    /// Set to stop following; checked at every poll.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self {
            start: StartAt::Beginning,
            poll: Duration::from_millis(250),
            idle_timeout: None,
            stop: None,
        }
    }
}

/// Where the reader switched files: bytes handed out before the switch, and
/// the offset in the new file at which it started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Switch {
    pub handed: u64,
    pub file_start: u64,
}

/// Shared between the follow reader and its source, for positions.
#[derive(Debug, Default)]
pub(crate) struct Switches(pub Mutex<Vec<Switch>>);

impl Switches {
    /// The offset in the current file of global byte `consumed`.
    pub(crate) fn offset_of(&self, consumed: u64) -> u64 {
        let list = self.0.lock().map(|l| l.clone()).unwrap_or_default();
        list.iter()
            .rev()
            .find(|s| s.handed <= consumed)
            .map_or(consumed, |s| s.file_start + (consumed - s.handed))
    }
}

#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// A `Read` over a followed file that only ever returns whole lines.
pub(crate) struct FollowReader {
    path: PathBuf,
    file: File,
    id: (u64, u64),
    /// Offset in the file of the next byte to read from it.
    pos: u64,
    /// Bytes read from the file and not yet handed out.
    pending: Vec<u8>,
    /// Bytes of `pending` that end with a newline.
    complete: usize,
    handed: u64,
    options: FollowOptions,
    last_data: Instant,
    switches: Arc<Switches>,
}

impl FollowReader {
    pub(crate) fn open(path: &Path, options: FollowOptions) -> io::Result<(Self, Arc<Switches>)> {
        let mut file = File::open(path)?;
        let meta = file.metadata()?;
        let pos = match options.start {
            StartAt::Beginning => 0,
            StartAt::End => meta.len(),
            StartAt::Offset(o) => o.min(meta.len()),
        };
        file.seek(SeekFrom::Start(pos))?;
        let switches = Arc::new(Switches::default());
        if let Ok(mut l) = switches.0.lock() {
            l.push(Switch {
                handed: 0,
                file_start: pos,
            });
        }
        Ok((
            Self {
                path: path.to_owned(),
                id: identity(&meta),
                file,
                pos,
                pending: Vec::new(),
                complete: 0,
                handed: 0,
                options,
                last_data: Instant::now(),
                switches: Arc::clone(&switches),
            },
            switches,
        ))
    }

    fn stopped(&self) -> bool {
        self.options
            .stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
            || self
                .options
                .idle_timeout
                .is_some_and(|t| self.last_data.elapsed() >= t)
    }

    /// Reads what the file has now; true when something was read.
    fn fill(&mut self) -> io::Result<bool> {
        let mut chunk = [0u8; 64 * 1024];
        let n = loop {
            match self.file.read(&mut chunk) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        if n == 0 {
            return Ok(false);
        }
        self.pos += n as u64;
        let before = self.pending.len();
        self.pending
            .extend_from_slice(chunk.get(..n).unwrap_or_default());
        if let Some(k) = memchr::memrchr(b'\n', self.pending.get(before..).unwrap_or_default()) {
            self.complete = before + k + 1;
        }
        if self.complete == 0 && self.pending.len() > MAX_PENDING {
            // A line this long is not waited for: the record reader reports
            // it as too long.
            self.complete = self.pending.len();
        }
        Ok(true)
    }

    /// At the end of the file: has it been replaced or cut shorter? True
    /// when reading switched to the new file or the start.
    fn check_rotation(&mut self) -> io::Result<bool> {
        let Ok(meta) = std::fs::metadata(&self.path) else {
            // Gone for now (between rename and create): keep waiting.
            return Ok(false);
        };
        let replaced = identity(&meta) != self.id;
        let truncated = !replaced && meta.len() < self.pos;
        if !replaced && !truncated {
            return Ok(false);
        }
        if replaced {
            // The old file is finished: a last line without a newline is
            // complete as far as it will ever be.
            while self.fill()? {}
            if self.pending.len() > self.complete {
                self.pending.push(b'\n');
                self.complete = self.pending.len();
            }
            self.file = File::open(&self.path)?;
            self.id = identity(&self.file.metadata()?);
        } else {
            self.pending.clear();
            self.complete = 0;
            self.file.seek(SeekFrom::Start(0))?;
        }
        self.pos = 0;
        let handed_at_switch = self.handed + self.complete as u64;
        if let Ok(mut l) = self.switches.0.lock() {
            l.push(Switch {
                handed: handed_at_switch,
                file_start: 0,
            });
            // Keep the list short: older switches are long consumed.
            let excess = l.len().saturating_sub(64);
            l.drain(..excess);
        }
        Ok(true)
    }
}

impl Read for FollowReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.complete > 0 {
                let n = self.complete.min(buf.len());
                if let (Some(dst), Some(src)) = (buf.get_mut(..n), self.pending.get(..n)) {
                    dst.copy_from_slice(src);
                }
                self.pending.drain(..n);
                self.complete -= n;
                self.handed += n as u64;
                return Ok(n);
            }
            if self.fill()? {
                self.last_data = Instant::now();
                continue;
            }
            if self.check_rotation()? {
                // Read the new file (or the start) before deciding to stop.
                continue;
            }
            if self.stopped() {
                // A partial last line stays unread: a restart from the
                // returned position reads it whole.
                return Ok(0);
            }
            std::thread::sleep(self.options.poll);
        }
    }
}
