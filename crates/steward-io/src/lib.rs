//! Input plumbing shared by the readers of `scan` and the log sources of
//! `hunt`: compression is found by magic bytes, never by file name, and
//! undone as a stream, so memory does not grow with the input.
//!
//! ```
//! use std::io::Read;
//! use steward_io::{Compression, decompress};
//!
//! let packed = zstd::encode_all(&b"hello"[..], 0).unwrap();
//! let (mut r, c) = decompress(Box::new(std::io::Cursor::new(packed))).unwrap();
//! let mut text = String::new();
//! r.read_to_string(&mut text).unwrap();
//! assert_eq!((text.as_str(), c), ("hello", Compression::Zstd));
//! ```

use std::io::Read;

pub mod json;

/// Compression around an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// None.
    None,
    /// gzip (one or more members, as `cat a.gz b.gz` and log rotators write).
    Gzip,
    /// Zstandard.
    Zstd,
}

impl Compression {
    /// Detects compression from the first bytes.
    #[must_use]
    pub fn sniff(head: &[u8]) -> Self {
        match head {
            [0x1f, 0x8b, ..] => Self::Gzip,
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Self::Zstd,
            _ => Self::None,
        }
    }

    /// Name for reports (`none`, `gzip`, `zstd`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Gzip => "gzip",
            Self::Zstd => "zstd",
        }
    }

    /// Suffix for a format name (``, `+gzip`, `+zstd`).
    #[must_use]
    pub const fn suffix(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Gzip => "+gzip",
            Self::Zstd => "+zstd",
        }
    }
}

/// Reads until `buf` is full or the input ends; returns the bytes read.
///
/// # Errors
/// I/O errors other than interruptions.
pub fn read_up_to<R: Read + ?Sized>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = buf.get_mut(filled..) {
        if rest.is_empty() {
            break;
        }
        match r.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Undoes gzip or zstd found by the stream's first bytes.
///
/// # Errors
/// I/O errors reading the first bytes or starting the decoder.
pub fn decompress(
    mut raw: Box<dyn Read + Send>,
) -> std::io::Result<(Box<dyn Read + Send>, Compression)> {
    let mut head = [0u8; 4];
    let n = read_up_to(&mut raw, &mut head)?;
    let head = head.get(..n).unwrap_or_default().to_vec();
    let compression = Compression::sniff(&head);
    let chained: Box<dyn Read + Send> = Box::new(std::io::Cursor::new(head).chain(raw));
    let inner: Box<dyn Read + Send> = match compression {
        Compression::None => chained,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(chained)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(chained)?),
    };
    Ok((inner, compression))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_and_undoes_every_kind() {
        assert_eq!(Compression::sniff(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(
            Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd]),
            Compression::Zstd
        );
        assert_eq!(Compression::sniff(b"{}"), Compression::None);
        assert_eq!(Compression::sniff(b""), Compression::None);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"one\n").unwrap();
        let mut bytes = gz.finish().unwrap();
        let again = bytes.clone();
        bytes.extend(again);
        let (mut r, c) = decompress(Box::new(std::io::Cursor::new(bytes))).unwrap();
        let mut text = String::new();
        r.read_to_string(&mut text).unwrap();
        assert_eq!((text.as_str(), c), ("one\none\n", Compression::Gzip));
        let (mut r, c) = decompress(Box::new(std::io::Cursor::new(b"ab".to_vec()))).unwrap();
        let mut text = String::new();
        r.read_to_string(&mut text).unwrap();
        assert_eq!((text.as_str(), c.name(), c.suffix()), ("ab", "none", ""));
    }
}

#[cfg(feature = "parquet")]
pub mod parquet;
