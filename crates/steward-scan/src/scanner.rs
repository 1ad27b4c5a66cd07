//! Walks the inputs, picks a reader per input, scans inputs in parallel and
//! hands one [`SourceReport`] per input to a [`Sink`]. Nothing here prints,
//! reads the environment or touches the state database.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use globset::GlobSet;
use rayon::prelude::*;
use steward_model::masked::FingerprintKey;

use crate::engine::Engine;
use crate::error::ScanError;
use crate::readers::{self, Compression, Ctx, Format};
use crate::report::{FindingMaker, SourceReport, SourceStatus};

/// Where results go. Called from several threads.
pub trait Sink: Sync {
    /// True when the file is unchanged since the last scan (then it is not
    /// read again).
    fn unchanged(&self, _path: &str, _size: u64, _mtime_ns: i64) -> bool {
        false
    }
    /// Bytes read so far (increments).
    fn progress(&self, _bytes: u64) {}
    /// One input is done.
    fn report(&self, report: SourceReport);
}

/// A sink that keeps every report, for tests and embedders that want the
/// whole result at the end.
#[derive(Debug, Default)]
pub struct Collected(std::sync::Mutex<Vec<SourceReport>>);

impl Collected {
    /// The reports, in the order the inputs finished.
    #[must_use]
    pub fn into_reports(self) -> Vec<SourceReport> {
        self.0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Sink for Collected {
    fn report(&self, report: SourceReport) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(report);
    }
}

/// Scan settings.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Findings listed per input (all are counted).
    pub cap: usize,
    /// Rows read per table, `None` for all.
    pub sample: Option<u64>,
    /// Put raw values in findings.
    pub show_raw: bool,
    /// Paths never scanned.
    pub ignore: Option<GlobSet>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            cap: 10_000,
            sample: None,
            show_raw: false,
            ignore: None,
        }
    }
}

/// One thing to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file.
    File {
        /// Path as shown in reports.
        display: String,
        /// Path on disk.
        path: PathBuf,
        /// Size in bytes.
        size: u64,
        /// Modification time, nanoseconds since the epoch.
        mtime_ns: i64,
    },
    /// A PostgreSQL database.
    Postgres {
        /// Connection URL (shown only with the password redacted).
        url: String,
    },
}

impl Input {
    /// Size for progress bars (0 for databases).
    #[must_use]
    pub const fn size(&self) -> u64 {
        match self {
            Self::File { size, .. } => *size,
            Self::Postgres { .. } => 0,
        }
    }
}

/// A configured scanner.
#[derive(Debug)]
pub struct Scanner {
    engine: Engine,
    key: FingerprintKey,
    options: ScanOptions,
}

impl Scanner {
    /// A scanner over compiled detectors with a fingerprint key.
    #[must_use]
    pub const fn new(engine: Engine, key: FingerprintKey, options: ScanOptions) -> Self {
        Self {
            engine,
            key,
            options,
        }
    }

    /// The engine.
    #[must_use]
    pub const fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Expands targets (files, directories, `postgres://` URLs) into
    /// inputs, sorted, skipping ignored paths and steward's own state.
    ///
    /// # Errors
    /// A target that does not exist.
    pub fn inputs(&self, targets: &[String]) -> Result<Vec<Input>, ScanError> {
        let mut out = Vec::new();
        for t in targets {
            if t.starts_with("postgres://") || t.starts_with("postgresql://") {
                out.push(Input::Postgres { url: t.clone() });
                continue;
            }
            let root = Path::new(t);
            let meta = std::fs::metadata(root).map_err(|e| ScanError::Input {
                path: t.clone(),
                reason: e.to_string(),
            })?;
            if meta.is_file() {
                out.push(file_input(t.clone(), root.to_path_buf(), &meta));
                continue;
            }
            let mut files = Vec::new();
            let walker = walkdir::WalkDir::new(root)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.file_name() != ".git" && e.file_name() != ".steward");
            for entry in walker {
                let entry = entry.map_err(|e| ScanError::Input {
                    path: e
                        .path()
                        .map_or_else(|| t.clone(), |p| p.display().to_string()),
                    reason: e.to_string(),
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(meta) = entry.metadata() else { continue };
                files.push(file_input(
                    entry.path().display().to_string(),
                    entry.path().to_path_buf(),
                    &meta,
                ));
            }
            out.extend(files);
        }
        if let Some(ignore) = &self.options.ignore {
            out.retain(|i| match i {
                Input::File { display, .. } => !ignore.is_match(display),
                Input::Postgres { .. } => true,
            });
        }
        Ok(out)
    }

    /// Scans inputs in parallel; each report goes to the sink as it
    /// finishes.
    pub fn scan(&self, inputs: &[Input], sink: &dyn Sink) {
        inputs
            .par_iter()
            .for_each(|input| sink.report(self.scan_one(input, sink)));
    }

    fn ctx<'a>(&'a self, progress: &'a (dyn Fn(u64) + Sync)) -> Ctx<'a> {
        Ctx {
            engine: &self.engine,
            maker: FindingMaker {
                engine: &self.engine,
                key: &self.key,
                show_raw: self.options.show_raw,
            },
            cap: self.options.cap,
            sample: self.options.sample,
            progress,
        }
    }

    /// Scans one input. A reader that panics (a bug in steward or in a
    /// format library, on hostile input) fails that input only.
    #[must_use]
    pub fn scan_one(&self, input: &Input, sink: &dyn Sink) -> SourceReport {
        let shown = match input {
            Input::File { display, .. } => display.clone(),
            Input::Postgres { url } => readers::postgres::redact_url(url),
        };
        guarded(&shown, || self.scan_one_unguarded(input, sink))
    }

    fn scan_one_unguarded(&self, input: &Input, sink: &dyn Sink) -> SourceReport {
        let progress = |n: u64| sink.progress(n);
        let ctx = self.ctx(&progress);
        match input {
            Input::Postgres { url } => {
                let shown = readers::postgres::redact_url(url);
                let mut report = SourceReport::new(&shown, "postgres");
                readers::postgres::scan(&ctx, url, &mut report);
                report
            }
            Input::File {
                display,
                path,
                size,
                mtime_ns,
            } => {
                if sink.unchanged(display, *size, *mtime_ns) {
                    let mut r = SourceReport::new(display, Format::from_name(display).name());
                    r.status = SourceStatus::Unchanged;
                    r.file_meta = Some((*size, *mtime_ns));
                    sink.progress(*size);
                    return r;
                }
                let mut report = scan_file(&ctx, display, path);
                report.file_meta = Some((*size, *mtime_ns));
                report
            }
        }
    }
}

impl Scanner {
    /// Scans bytes in memory as if they were a file called `name` (the name
    /// picks the format; gzip/zstd is detected by magic bytes). Used by
    /// fuzz targets and tests.
    #[must_use]
    pub fn scan_bytes(&self, name: &str, bytes: Vec<u8>) -> SourceReport {
        guarded(name, || self.scan_bytes_unguarded(name, bytes))
    }

    fn scan_bytes_unguarded(&self, name: &str, bytes: Vec<u8>) -> SourceReport {
        let progress = |_: u64| {};
        let ctx = self.ctx(&progress);
        let mut format = Format::from_name(name);
        if bytes.starts_with(b"SQLite format 3\0") {
            format = Format::Sqlite;
        } else if bytes.starts_with(b"PAR1") {
            format = Format::Parquet;
        }
        let compression = Compression::sniff(&bytes);
        let mut report =
            SourceReport::new(name, &format!("{}{}", format.name(), compression.suffix()));
        let raw: Box<dyn std::io::Read + Send> = Box::new(std::io::Cursor::new(bytes));
        let reader: Box<dyn std::io::Read + Send> = match compression {
            Compression::None => raw,
            Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
            Compression::Zstd => match zstd::stream::read::Decoder::new(raw) {
                Ok(d) => Box::new(d),
                Err(e) => {
                    return SourceReport::failed(name, "zstd", format!("cannot decompress: {e}"));
                }
            },
        };
        readers::scan_stream(&ctx, name, format, reader, &mut report);
        report
    }
}

/// Runs a reader; a panic becomes a failed report naming the input.
fn guarded(path: &str, f: impl FnOnce() -> SourceReport) -> SourceReport {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".to_owned());
        SourceReport::failed(
            path,
            Format::from_name(path).name(),
            format!("the reader crashed on this input ({why}); it was skipped"),
        )
    })
}

fn file_input(display: String, path: PathBuf, meta: &std::fs::Metadata) -> Input {
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    Input::File {
        display,
        path,
        size: meta.len(),
        mtime_ns,
    }
}

fn scan_file(ctx: &Ctx<'_>, display: &str, path: &Path) -> SourceReport {
    let mut format = Format::from_name(display);
    let mut head = [0u8; 16];
    let sniffed =
        std::fs::File::open(path).and_then(|mut f| readers::read_up_to(&mut f, &mut head));
    let head = match sniffed {
        Ok(n) => head.get(..n).unwrap_or_default(),
        Err(e) => return SourceReport::failed(display, format.name(), format!("cannot open: {e}")),
    };
    if head.starts_with(b"SQLite format 3\0") {
        format = Format::Sqlite;
    } else if head.starts_with(b"PAR1") {
        format = Format::Parquet;
    }
    let compression = Compression::sniff(head);
    let name = format!("{}{}", format.name(), compression.suffix());
    let mut report = SourceReport::new(display, &name);
    if compression == Compression::None {
        match format {
            Format::Sqlite => {
                readers::sqlite::scan_file(ctx, display, path, &mut report);
                return report;
            }
            Format::Parquet => {
                match std::fs::File::open(path) {
                    Ok(f) => readers::parquet::scan_file(ctx, display, f, &mut report),
                    Err(e) => {
                        return SourceReport::failed(display, &name, format!("cannot open: {e}"));
                    }
                }
                return report;
            }
            _ => {}
        }
    }
    match readers::open(path) {
        Ok((reader, _)) => readers::scan_stream(ctx, display, format, reader, &mut report),
        Err(e) => return SourceReport::failed(display, &name, format!("cannot open: {e}")),
    }
    report
}
