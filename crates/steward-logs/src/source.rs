//! One log input read through a mapping: a file (plain, gzip or zstd; JSON
//! Lines, JSON documents, CSV or Parquet), a stream such as stdin, or a
//! followed file. Records that do not parse or map are counted, the first
//! few kept as examples, and reading goes on.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use steward_model::event::AccessEvent;

use crate::csv::{CsvRows, Row};
use crate::error::{RecordError, RecordErrorKind, SourceError};
use crate::follow::{FollowOptions, FollowReader, Switches};
use crate::input::{self, Compression, InputFormat};
use crate::json::Extractor;
use crate::json::document::{Next, Splitter};
use crate::mapping::Mapping;
use crate::mapping::plan::{CsvLayout, FieldFailure, MapState, Plan};
use crate::parquet::{ParquetRows, Step};

/// Largest compressed or streamed Parquet input read into memory (Parquet
/// needs random access; plain Parquet files are read from disk).
const PARQUET_IN_MEMORY: u64 = 1 << 30;

/// How to open an input.
#[derive(Debug, Clone)]
pub struct OpenOptions {
    /// The record format; sniffed from the first bytes, the mapping and the
    /// name when `None`.
    pub format: Option<InputFormat>,
    /// Longest record accepted, in bytes; longer ones are skipped and
    /// reported.
    pub max_record: usize,
    /// How many record errors to keep as examples.
    pub max_examples: usize,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            format: None,
            max_record: 8 << 20,
            max_examples: 20,
        }
    }
}

/// What a source has read so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    /// Records seen (lines, document elements, CSV rows, Parquet rows);
    /// blank lines are not records.
    pub records: u64,
    /// Records mapped to events.
    pub events: u64,
    /// Records the mapping's `keep` conditions skipped.
    pub skipped: u64,
    /// Records that are not well-formed.
    pub parse_errors: u64,
    /// Records with a missing or unconvertible field.
    pub field_errors: u64,
    /// Records longer than the limit.
    pub too_long: u64,
    /// Times the input became unreadable (at most once per input).
    pub read_errors: u64,
    /// Bytes read after decompression (JSON Lines, JSON documents, CSV).
    pub bytes: u64,
}

impl Counters {
    /// Records that failed, of any kind.
    #[must_use]
    pub const fn errors(&self) -> u64 {
        self.parse_errors + self.field_errors + self.too_long + self.read_errors
    }
}

/// The record-error report of one source: counts and the first examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordReport {
    /// The input.
    pub source: String,
    /// Its record format.
    pub format: InputFormat,
    /// Its compression.
    pub compression: Compression,
    /// Counts.
    pub counters: Counters,
    /// The first record errors, in input order.
    pub examples: Vec<RecordError>,
}

/// How far a source has read: the last record read starts on `line` and
/// ends `offset` bytes into the input (into the current file, for a
/// followed file). Resuming a followed file at `offset` reads the next
/// record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    /// Line where the last record read starts (the row for Parquet).
    pub line: u64,
    /// Bytes consumed (after decompression; 0 for Parquet).
    pub offset: u64,
}

enum Reader {
    Lines {
        input: BufReader<Box<dyn Read + Send>>,
        line: u64,
    },
    Documents {
        input: BufReader<Box<dyn Read + Send>>,
        splitter: Splitter,
    },
    Csv(Box<CsvRows>),
    Parquet(Box<ParquetRows>),
}

/// A log input mapped to access events.
///
/// Iterate it for owned events, or call [`LogSource::read_into`] to reuse
/// one event's buffers (the fast path).
pub struct LogSource {
    name: Arc<str>,
    short: String,
    plan: Arc<Plan>,
    format: InputFormat,
    compression: Compression,
    reader: Reader,
    extractor: Extractor,
    state: MapState,
    buf: Vec<u8>,
    counters: Counters,
    examples: Vec<RecordError>,
    options: OpenOptions,
    done: bool,
    position: Position,
    consumed: u64,
    switches: Option<Arc<Switches>>,
}

impl std::fmt::Debug for LogSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogSource")
            .field("name", &self.name)
            .field("format", &self.format)
            .field("compression", &self.compression)
            .field("counters", &self.counters)
            .finish_non_exhaustive()
    }
}

fn short_name(name: &str) -> String {
    Path::new(name)
        .file_name()
        .map_or_else(|| name.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// Why a record failed.
enum Failure {
    Syntax(usize, &'static str),
    Field(FieldFailure),
}

/// Result of reading one line.
enum Line {
    /// A line is in the buffer; `len` bytes were consumed.
    Read(u64),
    TooLong(u64),
    End,
}

fn read_line(
    input: &mut BufReader<Box<dyn Read + Send>>,
    out: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Line> {
    out.clear();
    let mut consumed = 0u64;
    let mut too_long = false;
    loop {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(match (consumed, too_long) {
                (0, _) => Line::End,
                (n, true) => Line::TooLong(n),
                (n, false) => Line::Read(n),
            });
        }
        let (take, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !too_long {
            let body = buf.get(..take).unwrap_or_default();
            if out.len() + body.len() > max + 1 {
                too_long = true;
                out.clear();
            } else {
                out.extend_from_slice(body);
            }
        }
        input.consume(take);
        consumed += take as u64;
        if done {
            return Ok(if too_long {
                Line::TooLong(consumed)
            } else {
                Line::Read(consumed)
            });
        }
    }
}

/// A line without its line ending (and without a byte-order mark, which
/// only the first line can have).
fn trim_line(b: &[u8], line: u64) -> &[u8] {
    let b = b.strip_suffix(b"\n").unwrap_or(b);
    let b = b.strip_suffix(b"\r").unwrap_or(b);
    if line == 1 {
        b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b)
    } else {
        b
    }
}

/// Maps one JSON record.
fn map_json(
    plan: &Plan,
    extractor: &mut Extractor,
    state: &mut MapState,
    bytes: &[u8],
    ev: &mut AccessEvent,
) -> Result<bool, Failure> {
    let rec = extractor
        .walk(&plan.trie, bytes)
        .map_err(|(at, why)| Failure::Syntax(at, why))?;
    plan.apply(&rec, ev, state).map_err(Failure::Field)
}

impl LogSource {
    /// Opens a file with default options.
    ///
    /// # Errors
    /// The file cannot be opened, or is Parquet that cannot be read.
    pub fn open(path: impl AsRef<Path>, mapping: &Mapping) -> Result<Self, SourceError> {
        Self::open_with(path, mapping, OpenOptions::default())
    }

    /// Opens a file: compression by magic bytes, format by
    /// [`OpenOptions::format`] or sniffed.
    ///
    /// # Errors
    /// As [`LogSource::open`].
    pub fn open_with(
        path: impl AsRef<Path>,
        mapping: &Mapping,
        options: OpenOptions,
    ) -> Result<Self, SourceError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let open_err = |source| SourceError::Open {
            path: name.clone(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(open_err)?;
        let mut head = [0u8; 4];
        let n = input::read_up_to(&mut file, &mut head).map_err(open_err)?;
        let parquet_wanted = matches!(options.format, None | Some(InputFormat::Parquet));
        if parquet_wanted && input::is_parquet(head.get(..n).unwrap_or_default()) {
            let rows = ParquetRows::open(file, &mapping.plan.paths).map_err(|reason| {
                SourceError::Unsupported {
                    path: name.clone(),
                    reason,
                }
            })?;
            return Ok(Self::new(
                &name,
                mapping,
                Reader::Parquet(Box::new(rows)),
                InputFormat::Parquet,
                Compression::None,
                options,
            ));
        }
        let raw: Box<dyn Read + Send> =
            Box::new(std::io::Cursor::new(head.get(..n).unwrap_or_default().to_vec()).chain(file));
        Self::from_stream(&name, raw, mapping, options)
    }

    /// Reads a stream (stdin, a pipe, a socket); `name` names it in reports.
    ///
    /// # Errors
    /// The first bytes cannot be read or decompressed, or the stream is
    /// Parquet that cannot be read.
    pub fn from_reader(
        name: &str,
        reader: impl Read + Send + 'static,
        mapping: &Mapping,
        options: OpenOptions,
    ) -> Result<Self, SourceError> {
        Self::from_stream(name, Box::new(reader), mapping, options)
    }

    /// Reads standard input until it ends (a live stream when piped from a
    /// running process).
    ///
    /// # Errors
    /// As [`LogSource::from_reader`].
    pub fn stdin(mapping: &Mapping) -> Result<Self, SourceError> {
        Self::from_reader("-", std::io::stdin(), mapping, OpenOptions::default())
    }

    fn from_stream(
        name: &str,
        raw: Box<dyn Read + Send>,
        mapping: &Mapping,
        options: OpenOptions,
    ) -> Result<Self, SourceError> {
        let open_err = |source| SourceError::Open {
            path: name.to_owned(),
            source,
        };
        let mut opened = input::decompress(raw, 256 * 1024).map_err(open_err)?;
        let head = input::peek(&mut opened.reader).map_err(open_err)?;
        let plan = &mapping.plan;
        let format = match options.format {
            Some(f) => f,
            None if input::is_parquet(&head) => InputFormat::Parquet,
            None => input::sniff_text(&head, name, plan.csv.is_some(), plan.records.is_some()),
        };
        let reader = match format {
            InputFormat::Parquet => {
                let mut raw = Vec::new();
                opened
                    .reader
                    .take(PARQUET_IN_MEMORY)
                    .read_to_end(&mut raw)
                    .map_err(open_err)?;
                let rows =
                    ParquetRows::open(bytes::Bytes::from(raw), &plan.paths).map_err(|reason| {
                        SourceError::Unsupported {
                            path: name.to_owned(),
                            reason,
                        }
                    })?;
                Reader::Parquet(Box::new(rows))
            }
            other => Self::text_reader(other, opened.reader, plan, &options),
        };
        Ok(Self::new(
            name,
            mapping,
            reader,
            format,
            opened.compression,
            options,
        ))
    }

    fn text_reader(
        format: InputFormat,
        input: BufReader<Box<dyn Read + Send>>,
        plan: &Plan,
        options: &OpenOptions,
    ) -> Reader {
        match format {
            InputFormat::Csv => {
                let layout = plan.csv.clone().unwrap_or(CsvLayout {
                    delimiter: b',',
                    header: true,
                    columns: Vec::new(),
                });
                Reader::Csv(Box::new(CsvRows::new(
                    Box::new(input),
                    layout,
                    &plan.paths,
                    options.max_record as u64,
                )))
            }
            InputFormat::JsonDocuments => Reader::Documents {
                input,
                splitter: Splitter::new(plan.records.as_deref(), options.max_record),
            },
            InputFormat::JsonLines | InputFormat::Parquet => Reader::Lines { input, line: 0 },
        }
    }

    /// Follows a growing file (`tail -F`): reads what is there, then waits
    /// for appended lines, until [`FollowOptions::stop`] is set or
    /// [`FollowOptions::idle_timeout`] passes. JSON Lines, JSON documents
    /// (one per line) or CSV, uncompressed.
    ///
    /// # Errors
    /// The file cannot be opened, or is compressed or Parquet.
    pub fn follow(
        path: impl AsRef<Path>,
        mapping: &Mapping,
        follow: FollowOptions,
        options: OpenOptions,
    ) -> Result<Self, SourceError> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let open_err = |source| SourceError::Open {
            path: name.clone(),
            source,
        };
        let mut head = [0u8; 4];
        let n = std::fs::File::open(path)
            .and_then(|mut f| input::read_up_to(&mut f, &mut head))
            .map_err(open_err)?;
        let head = head.get(..n).unwrap_or_default();
        if Compression::sniff(head) != Compression::None || input::is_parquet(head) {
            return Err(SourceError::Unsupported {
                path: name,
                reason: "cannot follow a compressed or Parquet file".to_owned(),
            });
        }
        let start = follow.start;
        let (reader, switches) = FollowReader::open(path, follow).map_err(open_err)?;
        let plan = &mapping.plan;
        let format = match options.format {
            Some(InputFormat::Parquet) => {
                return Err(SourceError::Unsupported {
                    path: name,
                    reason: "cannot follow a Parquet file".to_owned(),
                });
            }
            Some(f) => f,
            None if plan.csv.is_some() => InputFormat::Csv,
            None if plan.records.is_some() => InputFormat::JsonDocuments,
            None => InputFormat::JsonLines,
        };
        let input = BufReader::with_capacity(64 * 1024, Box::new(reader) as Box<dyn Read + Send>);
        let reader = Self::text_reader(format, input, plan, &options);
        let mut source = Self::new(&name, mapping, reader, format, Compression::None, options);
        source.switches = Some(switches);
        if let crate::follow::StartAt::Offset(o) = start {
            source.position.offset = o;
        }
        Ok(source)
    }

    fn new(
        name: &str,
        mapping: &Mapping,
        reader: Reader,
        format: InputFormat,
        compression: Compression,
        options: OpenOptions,
    ) -> Self {
        Self {
            name: Arc::from(name),
            short: short_name(name),
            plan: Arc::clone(&mapping.plan),
            format,
            compression,
            reader,
            extractor: Extractor::default(),
            state: MapState::default(),
            buf: Vec::new(),
            counters: Counters::default(),
            examples: Vec::new(),
            options,
            done: false,
            position: Position::default(),
            consumed: 0,
            switches: None,
        }
    }

    /// The input's name as given.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The record format read.
    #[must_use]
    pub const fn format(&self) -> InputFormat {
        self.format
    }

    /// The compression found.
    #[must_use]
    pub const fn compression(&self) -> Compression {
        self.compression
    }

    /// Counts so far.
    #[must_use]
    pub const fn counters(&self) -> &Counters {
        &self.counters
    }

    /// How far reading has got (see [`Position`]).
    #[must_use]
    pub const fn position(&self) -> Position {
        self.position
    }

    /// The record-error report so far.
    #[must_use]
    pub fn report(&self) -> RecordReport {
        RecordReport {
            source: self.name.to_string(),
            format: self.format,
            compression: self.compression,
            counters: self.counters,
            examples: self.examples.clone(),
        }
    }

    fn error(&mut self, line: u64, kind: RecordErrorKind) -> RecordError {
        match kind {
            RecordErrorKind::Parse { .. } => self.counters.parse_errors += 1,
            RecordErrorKind::Field { .. } => self.counters.field_errors += 1,
            RecordErrorKind::TooLong { .. } => self.counters.too_long += 1,
            RecordErrorKind::Read { .. } => self.counters.read_errors += 1,
        }
        let e = RecordError {
            file: Arc::clone(&self.name),
            line,
            record: self.counters.records,
            kind,
        };
        if self.examples.len() < self.options.max_examples {
            self.examples.push(e.clone());
        }
        e
    }

    fn failure(&mut self, line: u64, f: Failure) -> RecordError {
        let kind = match f {
            Failure::Syntax(at, reason) => RecordErrorKind::Parse {
                offset: at as u64,
                reason,
            },
            Failure::Field(f) => RecordErrorKind::Field {
                field: f.target.name(),
                path: f
                    .path
                    .and_then(|p| self.plan.path_names.get(usize::from(p)))
                    .cloned(),
                reason: f.reason,
            },
        };
        self.error(line, kind)
    }

    fn broken(&mut self, line: u64, reason: String) -> RecordError {
        self.done = true;
        self.error(line, RecordErrorKind::Read { reason })
    }

    fn advance(&mut self, line: u64, consumed: u64) {
        self.consumed += consumed;
        self.counters.bytes = self.consumed;
        self.position.line = line;
        self.position.offset = match &self.switches {
            Some(s) => s.offset_of(self.consumed),
            None => self.consumed,
        };
    }

    fn finish_event(&mut self, ev: &mut AccessEvent, line: u64, sep: char) {
        self.counters.events += 1;
        if ev.event_id.is_empty() {
            let _ = write!(ev.event_id, "{}{sep}{line}", self.short);
            if self.format == InputFormat::JsonDocuments {
                let _ = write!(ev.event_id, "#{}", self.counters.records);
            }
        }
    }

    /// Reads the next record into `ev`, reusing its buffers: `Some(Ok(()))`
    /// for an event, `Some(Err(_))` for a record that failed (counted; call
    /// again for the next one), `None` at the end.
    pub fn read_into(&mut self, ev: &mut AccessEvent) -> Option<Result<(), RecordError>> {
        loop {
            if self.done {
                return None;
            }
            let step = match &mut self.reader {
                Reader::Lines { input, line } => {
                    // Fast path: a line wholly inside the read buffer is
                    // mapped where it lies, without a copy.
                    let whole = match input.fill_buf() {
                        Ok(buf) => memchr::memchr(b'\n', buf)
                            .filter(|&i| i <= self.options.max_record)
                            .and_then(|i| buf.get(..=i)),
                        Err(_) => None,
                    };
                    if let Some(raw) = whole {
                        let n = raw.len();
                        *line += 1;
                        let l = *line;
                        let body = trim_line(raw, l);
                        if body.iter().all(u8::is_ascii_whitespace) {
                            input.consume(n);
                            self.advance(l, n as u64);
                            continue;
                        }
                        self.counters.records += 1;
                        let r =
                            map_json(&self.plan, &mut self.extractor, &mut self.state, body, ev);
                        input.consume(n);
                        self.advance(l, n as u64);
                        (l, r)
                    } else {
                        match read_line(input, &mut self.buf, self.options.max_record) {
                            Err(e) => {
                                let l = *line + 1;
                                return Some(Err(self.broken(l, e.to_string())));
                            }
                            Ok(Line::End) => {
                                self.done = true;
                                return None;
                            }
                            Ok(Line::TooLong(n)) => {
                                *line += 1;
                                let l = *line;
                                self.counters.records += 1;
                                self.advance(l, n);
                                let limit = self.options.max_record as u64;
                                return Some(
                                    Err(self.error(l, RecordErrorKind::TooLong { limit })),
                                );
                            }
                            Ok(Line::Read(n)) => {
                                *line += 1;
                                let l = *line;
                                let body = trim_line(&self.buf, l);
                                if body.iter().all(u8::is_ascii_whitespace) {
                                    self.advance(l, n);
                                    continue;
                                }
                                self.counters.records += 1;
                                let r = map_json(
                                    &self.plan,
                                    &mut self.extractor,
                                    &mut self.state,
                                    body,
                                    ev,
                                );
                                self.advance(l, n);
                                (l, r)
                            }
                        }
                    }
                }
                Reader::Documents { input, splitter } => {
                    let before = splitter.line();
                    match splitter.next(input, &mut self.buf) {
                        Err(e) => return Some(Err(self.broken(before, e.to_string()))),
                        Ok(Next::End) => {
                            self.done = true;
                            return None;
                        }
                        Ok(Next::TooLong { line }) => {
                            self.counters.records += 1;
                            self.position.line = line;
                            let limit = self.options.max_record as u64;
                            return Some(Err(self.error(line, RecordErrorKind::TooLong { limit })));
                        }
                        Ok(Next::Error {
                            line,
                            offset,
                            reason,
                        }) => {
                            self.counters.records += 1;
                            self.position.line = line;
                            return Some(Err(
                                self.error(line, RecordErrorKind::Parse { offset, reason })
                            ));
                        }
                        Ok(Next::Record { line }) => {
                            self.counters.records += 1;
                            let consumed = splitter.consumed().saturating_sub(self.consumed);
                            let boundary = splitter.boundary();
                            self.advance(line, consumed);
                            // Inside a document, resume from its start.
                            self.position.offset = match &self.switches {
                                Some(s) => s.offset_of(boundary),
                                None => boundary,
                            };
                            let r = map_json(
                                &self.plan,
                                &mut self.extractor,
                                &mut self.state,
                                &self.buf,
                                ev,
                            );
                            (line, r)
                        }
                    }
                }
                Reader::Csv(rows) => match rows.next() {
                    Row::End => {
                        self.done = true;
                        return None;
                    }
                    Row::Broken(reason) => {
                        let l = self.position.line + 1;
                        return Some(Err(self.broken(l, reason)));
                    }
                    Row::Record { line, end } => {
                        self.counters.records += 1;
                        let r = self
                            .plan
                            .apply(&rows.record(), ev, &mut self.state)
                            .map_err(Failure::Field);
                        let consumed = end.saturating_sub(self.consumed);
                        self.advance(line, consumed);
                        (line, r)
                    }
                },
                Reader::Parquet(rows) => match rows.next() {
                    Step::End => {
                        self.done = true;
                        return None;
                    }
                    Step::Broken(reason) => {
                        let l = self.position.line + 1;
                        return Some(Err(self.broken(l, reason)));
                    }
                    Step::Row => {
                        self.counters.records += 1;
                        let line = self.counters.records;
                        self.position.line = line;
                        let r = self
                            .plan
                            .apply(&rows.record(), ev, &mut self.state)
                            .map_err(Failure::Field);
                        (line, r)
                    }
                },
            };
            match step {
                (line, Ok(true)) => {
                    let sep = if self.format == InputFormat::Parquet {
                        '#'
                    } else {
                        ':'
                    };
                    self.finish_event(ev, line, sep);
                    return Some(Ok(()));
                }
                (_, Ok(false)) => self.counters.skipped += 1,
                (line, Err(f)) => return Some(Err(self.failure(line, f))),
            }
        }
    }
}

impl LogSource {
    /// Maps every record through the general path: no direct programs and
    /// nothing remembered from record to record. The same events, more
    /// slowly; tests and fuzz targets compare both ways.
    #[doc(hidden)]
    #[must_use]
    pub fn forgetful(mut self) -> Self {
        self.state.forget = true;
        self
    }
}

impl Iterator for LogSource {
    type Item = Result<AccessEvent, RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut ev = AccessEvent::default();
        self.read_into(&mut ev).map(|r| r.map(|()| ev))
    }
}
