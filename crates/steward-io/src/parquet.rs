//! A Parquet source that stops a reader looping at its end.
//!
//! The parquet crate skips unknown Thrift fields in a page header by copying
//! their declared length to nowhere, and a short copy at the end of the data
//! is not an error to it. A crafted header that declares a list of millions
//! of such fields past the end of a 10 KB file then makes millions of empty
//! reads (one system call each from a file): a minute of work before the
//! reader fails (found by the `parquet` fuzz target). [`EofGuarded`] turns
//! a run of empty reads into an error at once. A well-formed file never
//! reads past its end more than once per reader.

use std::io::{self, Read};

use bytes::Bytes;
use parquet::file::reader::{ChunkReader, Length};

/// Empty reads in a row after which a reader is stopped.
pub const MAX_EMPTY_READS: u32 = 64;

/// A [`ChunkReader`] whose readers fail after [`MAX_EMPTY_READS`] empty
/// reads in a row.
#[derive(Debug)]
pub struct EofGuarded<T>(pub T);

impl<T: Length> Length for EofGuarded<T> {
    fn len(&self) -> u64 {
        self.0.len()
    }
}

impl<T: ChunkReader> ChunkReader for EofGuarded<T> {
    type T = GuardedRead<T::T>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(GuardedRead {
            inner: self.0.get_read(start)?,
            empty: 0,
        })
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.0.get_bytes(start, length)
    }
}

/// A reader that fails after [`MAX_EMPTY_READS`] empty reads in a row.
#[derive(Debug)]
pub struct GuardedRead<R> {
    inner: R,
    empty: u32,
}

impl<R: Read> Read for GuardedRead<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 || buf.is_empty() {
            self.empty = 0;
        } else {
            self.empty = self.empty.saturating_add(1);
            if self.empty > MAX_EMPTY_READS {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the Parquet data keeps reading past its end (a malformed page header)",
                ));
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_empty_reads_is_an_error_and_data_passes() {
        let source = EofGuarded(Bytes::from_static(b"parquet"));
        assert_eq!(source.len(), 7);
        let mut r = source.get_read(3).unwrap_or_else(|e| panic!("{e}"));
        let mut got = Vec::new();
        r.read_to_end(&mut got).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got, b"quet");
        let mut buf = [0u8; 8];
        for _ in 0..MAX_EMPTY_READS - 1 {
            assert_eq!(r.read(&mut buf).unwrap_or_else(|e| panic!("{e}")), 0);
        }
        let err = r.read(&mut buf).err().map(|e| e.kind());
        assert_eq!(err, Some(io::ErrorKind::UnexpectedEof));
        assert_eq!(
            source.get_bytes(0, 3).unwrap_or_else(|e| panic!("{e}")),
            Bytes::from_static(b"par")
        );
    }
}
