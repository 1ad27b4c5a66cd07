//! JSON documents split into records as they stream by, without reading a
//! whole document: each top-level value is a record, except a top-level
//! array (its elements are records) and an object whose first field is the
//! mapping's `records` array (CloudTrail's `{"Records": [...]}`: the
//! elements are records, the rest of the wrapper is skipped). Only one
//! record is held at a time. The splitter only balances brackets; each
//! record is then checked by the walker.

use std::io::{self, BufRead};

/// What the splitter found next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// A record is in the buffer; it starts on this line.
    Record { line: u64 },
    /// A record longer than the limit was skipped.
    TooLong { line: u64 },
    /// The input is not a JSON document here; the splitter skipped ahead.
    Error {
        line: u64,
        offset: u64,
        reason: &'static str,
    },
    /// No more records.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Top,
    /// Inside an array of records; `first` until an element was read;
    /// `wrapper` when the array is a field of a wrapper object.
    Array {
        first: bool,
        wrapper: bool,
    },
    /// After the records array of a wrapper: the rest of it is skipped.
    WrapperRest,
}

/// Streams records out of JSON documents.
#[derive(Debug)]
pub(crate) struct Splitter {
    records_key: Option<Vec<u8>>,
    state: State,
    line: u64,
    max: usize,
    /// Bytes consumed from the input.
    consumed: u64,
    /// `consumed` when the splitter was last between documents.
    boundary: u64,
}

/// Result of copying one value: complete, too long, or broken.
enum Copied {
    Done,
    TooLong,
    Broken(&'static str),
}

impl Splitter {
    pub(crate) fn new(records_key: Option<&str>, max: usize) -> Self {
        Self {
            records_key: records_key.map(|k| k.as_bytes().to_vec()),
            state: State::Top,
            line: 1,
            max,
            consumed: 0,
            boundary: 0,
        }
    }

    /// Bytes consumed up to the end of the last whole document (or record
    /// outside any array): a safe place to resume, which re-reads the rest
    /// of a document that was being read.
    pub(crate) const fn boundary(&self) -> u64 {
        self.boundary
    }

    fn enter_top(&mut self) {
        self.state = State::Top;
        self.boundary = self.consumed;
    }

    /// Bytes consumed from the input so far.
    pub(crate) const fn consumed(&self) -> u64 {
        self.consumed
    }

    fn eat(&mut self, r: &mut dyn BufRead, n: usize) {
        r.consume(n);
        self.consumed += n as u64;
    }

    /// The current line (1-based).
    pub(crate) const fn line(&self) -> u64 {
        self.line
    }

    fn peek(r: &mut dyn BufRead) -> io::Result<Option<u8>> {
        Ok(r.fill_buf()?.first().copied())
    }

    fn bump(&mut self, r: &mut dyn BufRead) {
        if let Ok(Some(b'\n')) = Self::peek(r) {
            self.line += 1;
        }
        self.eat(r, 1);
    }

    fn skip_ws(&mut self, r: &mut dyn BufRead) -> io::Result<Option<u8>> {
        loop {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let mut n = 0;
            let mut found = None;
            for &b in buf {
                match b {
                    b'\n' => self.line += 1,
                    b' ' | b'\t' | b'\r' => {}
                    _ => {
                        found = Some(b);
                        break;
                    }
                }
                n += 1;
            }
            self.eat(r, n);
            if found.is_some() {
                return Ok(found);
            }
        }
    }

    /// Skips to the next line after an error.
    fn resync(&mut self, r: &mut dyn BufRead) -> io::Result<()> {
        loop {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            if let Some(k) = memchr::memchr(b'\n', buf) {
                self.eat(r, k + 1);
                self.line += 1;
                break;
            }
            let n = buf.len();
            self.eat(r, n);
        }
        self.enter_top();
        Ok(())
    }

    /// Copies one value into `out` (or skips it when `out` is `None`),
    /// starting at nesting `depth` (1 when the opening bracket is already
    /// in `out`).
    fn copy_value(
        &mut self,
        r: &mut dyn BufRead,
        mut out: Option<&mut Vec<u8>>,
        mut depth: usize,
        mut in_string: bool,
    ) -> io::Result<Copied> {
        let mut escape = false;
        let mut scalar = false;
        let mut too_long = false;
        loop {
            let buf = r.fill_buf()?;
            if buf.is_empty() {
                return Ok(if scalar {
                    Copied::Done
                } else {
                    Copied::Broken("input ends inside a JSON value")
                });
            }
            let mut n = 0;
            let mut done = false;
            for &b in buf {
                if in_string {
                    if escape {
                        escape = false;
                    } else if b == b'\\' {
                        escape = true;
                    } else if b == b'"' {
                        in_string = false;
                        done = depth == 0;
                    }
                } else if scalar {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                        done = true;
                        break;
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            if depth == 0 {
                                self.eat(r, n);
                                return Ok(Copied::Broken("unbalanced bracket"));
                            }
                            depth -= 1;
                            done = depth == 0;
                        }
                        b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' => {}
                        _ => scalar = depth == 0,
                    }
                }
                if b == b'\n' {
                    self.line += 1;
                }
                if let Some(o) = out.as_deref_mut() {
                    if o.len() >= self.max {
                        too_long = true;
                        o.clear();
                        out = None;
                    } else {
                        o.push(b);
                    }
                }
                n += 1;
                if done {
                    break;
                }
            }
            self.eat(r, n);
            if done {
                return Ok(if too_long {
                    Copied::TooLong
                } else {
                    Copied::Done
                });
            }
        }
    }

    /// Reads `"key"` and `:` of an object's first field into `out`;
    /// returns the key when the object has one, and whether reading stopped
    /// inside the key (a key too long to be the records key).
    fn first_key(
        &mut self,
        r: &mut dyn BufRead,
        out: &mut Vec<u8>,
    ) -> io::Result<(Option<Vec<u8>>, bool)> {
        if self.skip_ws(r)? != Some(b'"') {
            return Ok((None, false));
        }
        let mut key = Vec::new();
        let mut escape = false;
        out.push(b'"');
        self.eat(r, 1);
        loop {
            let Some(b) = Self::peek(r)? else {
                return Ok((None, false));
            };
            self.bump(r);
            out.push(b);
            if escape {
                escape = false;
            } else if b == b'\\' {
                escape = true;
            } else if b == b'"' {
                break;
            }
            key.push(b);
            if key.len() > 256 && !escape {
                return Ok((None, true));
            }
        }
        if self.skip_ws(r)? != Some(b':') {
            return Ok((None, false));
        }
        out.push(b':');
        self.eat(r, 1);
        Ok((Some(key), false))
    }

    /// The next record into `out`.
    pub(crate) fn next(&mut self, r: &mut dyn BufRead, out: &mut Vec<u8>) -> io::Result<Next> {
        loop {
            out.clear();
            match self.state {
                State::Top => {
                    let Some(b) = self.skip_ws(r)? else {
                        return Ok(Next::End);
                    };
                    let line = self.line;
                    match b {
                        b'[' => {
                            self.eat(r, 1);
                            self.state = State::Array {
                                first: true,
                                wrapper: false,
                            };
                        }
                        b'{' => {
                            out.push(b'{');
                            self.eat(r, 1);
                            // The first field is read into `out` too: when
                            // it is not the records array, the object is a
                            // record and the copy goes on from there.
                            let mut in_string = false;
                            if self.records_key.is_some() {
                                let (key, inside) = self.first_key(r, out)?;
                                in_string = inside;
                                if key.is_some()
                                    && key == self.records_key
                                    && self.skip_ws(r)? == Some(b'[')
                                {
                                    self.eat(r, 1);
                                    self.state = State::Array {
                                        first: true,
                                        wrapper: true,
                                    };
                                    continue;
                                }
                            }
                            let copied = self.copy_value(r, Some(out), 1, in_string)?;
                            let next = self.finish(r, copied, line)?;
                            self.enter_top();
                            return Ok(next);
                        }
                        _ => {
                            let line = self.line;
                            self.resync(r)?;
                            return Ok(Next::Error {
                                line,
                                offset: 0,
                                reason: "not a JSON document",
                            });
                        }
                    }
                }
                State::Array { first, wrapper } => {
                    let Some(b) = self.skip_ws(r)? else {
                        let line = self.line;
                        self.enter_top();
                        return Ok(Next::Error {
                            line,
                            offset: 0,
                            reason: "input ends inside an array of records",
                        });
                    };
                    if b == b']' {
                        self.eat(r, 1);
                        if wrapper {
                            self.state = State::WrapperRest;
                        } else {
                            self.enter_top();
                        }
                        continue;
                    }
                    if !first {
                        if b != b',' {
                            let line = self.line;
                            self.resync(r)?;
                            return Ok(Next::Error {
                                line,
                                offset: 0,
                                reason: "expected `,` or `]` between records",
                            });
                        }
                        self.eat(r, 1);
                        if self.skip_ws(r)?.is_none() {
                            continue;
                        }
                    }
                    self.state = State::Array {
                        first: false,
                        wrapper,
                    };
                    let line = self.line;
                    let copied = self.copy_value(r, Some(out), 0, false)?;
                    return self.finish(r, copied, line);
                }
                State::WrapperRest => {
                    let line = self.line;
                    let copied = self.copy_value(r, None, 1, false)?;
                    self.enter_top();
                    if let Copied::Broken(reason) = copied {
                        return Ok(Next::Error {
                            line,
                            offset: 0,
                            reason,
                        });
                    }
                }
            }
        }
    }

    fn finish(&mut self, r: &mut dyn BufRead, copied: Copied, line: u64) -> io::Result<Next> {
        Ok(match copied {
            Copied::Done => Next::Record { line },
            Copied::TooLong => Next::TooLong { line },
            Copied::Broken(reason) => {
                let offset = 0;
                self.resync(r)?;
                Next::Error {
                    line,
                    offset,
                    reason,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(key: Option<&str>, input: &str) -> Vec<Result<(u64, String), &'static str>> {
        let mut s = Splitter::new(key, 1 << 20);
        let mut r = io::BufReader::with_capacity(7, input.as_bytes());
        let mut out = Vec::new();
        let mut got = Vec::new();
        loop {
            match s.next(&mut r, &mut out).unwrap() {
                Next::Record { line } => {
                    got.push(Ok((line, String::from_utf8(out.clone()).unwrap())));
                }
                Next::TooLong { .. } => got.push(Err("too long")),
                Next::Error { reason, .. } => got.push(Err(reason)),
                Next::End => return got,
            }
        }
    }

    #[test]
    fn splits_wrappers_arrays_and_lines() {
        let got = split(
            Some("Records"),
            "{\"Records\": [{\"a\":1},\n {\"a\":\"]}\"}], \"x\": {\"y\": [1]}}\n{\"a\":3}\n[{\"a\":4}, 5]",
        );
        assert_eq!(
            got,
            vec![
                Ok((1, r#"{"a":1}"#.to_owned())),
                Ok((2, r#"{"a":"]}"}"#.to_owned())),
                Ok((3, r#"{"a":3}"#.to_owned())),
                Ok((4, r#"{"a":4}"#.to_owned())),
                Ok((4, "5".to_owned())),
            ]
        );
    }

    #[test]
    fn other_objects_are_records() {
        let got = split(Some("Records"), "{\"other\":[1],\"b\":2}\n{}");
        assert_eq!(
            got,
            vec![
                Ok((1, r#"{"other":[1],"b":2}"#.to_owned())),
                Ok((2, "{}".to_owned()))
            ]
        );
    }

    #[test]
    fn broken_documents_are_reported_and_skipped() {
        let got = split(
            Some("Records"),
            "{\"Records\":[{\"a\":1} {\"a\":2}]}\nxx\n{\"a\":",
        );
        assert_eq!(
            got,
            vec![
                Ok((1, r#"{"a":1}"#.to_owned())),
                Err("expected `,` or `]` between records"),
                Err("not a JSON document"),
                Err("input ends inside a JSON value"),
            ]
        );
        let mut s = Splitter::new(None, 4);
        let mut r = io::BufReader::new(&b"{\"a\":12345}\n{}"[..]);
        let mut out = Vec::new();
        assert_eq!(s.next(&mut r, &mut out).unwrap(), Next::TooLong { line: 1 });
        assert_eq!(s.next(&mut r, &mut out).unwrap(), Next::Record { line: 2 });
    }
}
