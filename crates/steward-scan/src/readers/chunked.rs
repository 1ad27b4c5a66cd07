//! Large inputs in line-aligned chunks, scanned in parallel and merged in
//! order, so memory stays bounded by the chunk size times the batch, not by
//! the input.

use std::io::Read;

use rayon::prelude::*;

/// Bytes per chunk.
pub const CHUNK: usize = 4 * 1024 * 1024;

/// One chunk: whole lines, and where it starts.
#[derive(Debug)]
pub struct Chunk {
    /// Lines (the last one may lack its newline at end of input).
    pub bytes: Vec<u8>,
    /// Byte offset of the chunk in the input.
    pub offset: u64,
    /// Index of the chunk.
    pub index: u64,
}

/// Reads `reader` in chunks, runs `work` on batches of chunks in parallel
/// and hands the results to `merge` in input order. Returns the bytes read,
/// or the I/O error that stopped reading (chunks before it are merged).
pub fn run<R: Send>(
    reader: &mut dyn Read,
    chunk: usize,
    progress: &(dyn Fn(u64) + Sync),
    work: impl Fn(&Chunk) -> R + Sync,
    mut merge: impl FnMut(R),
) -> Result<u64, (u64, std::io::Error)> {
    let batch = rayon::current_num_threads().max(1) * 2;
    let mut carry: Vec<u8> = Vec::new();
    let mut offset = 0u64;
    let mut index = 0u64;
    let mut done = false;
    let mut failure = None;
    // Buffers of merged chunks, reused so a long input does not fault in
    // fresh pages for every chunk.
    let mut spare: Vec<Vec<u8>> = Vec::new();
    while !done {
        let mut chunks = Vec::with_capacity(batch);
        while chunks.len() < batch && !done {
            let mut buf = if carry.len() >= chunk {
                // The rest of a very long line: keep its buffer.
                std::mem::take(&mut carry)
            } else {
                let mut b = spare.pop().unwrap_or_default();
                b.clear();
                b.append(&mut carry);
                b
            };
            let start = buf.len();
            // `take` + `read_to_end` fills the spare capacity without
            // zeroing it first.
            let n = match (&mut *reader).take(chunk as u64).read_to_end(&mut buf) {
                Ok(n) => n,
                Err(e) => {
                    failure = Some(e);
                    buf.truncate(start);
                    0
                }
            };
            if n == 0 {
                done = true;
            } else if let Some(nl) = memchr::memrchr(b'\n', buf.get(start..).unwrap_or_default()) {
                carry.extend_from_slice(buf.get(start + nl + 1..).unwrap_or_default());
                buf.truncate(start + nl + 1);
            } else if buf.len() < chunk * 4 {
                // One very long line: keep reading it, up to a limit.
                carry = buf;
                continue;
            }
            if !buf.is_empty() {
                progress(buf.len() as u64);
                let len = buf.len() as u64;
                chunks.push(Chunk {
                    bytes: buf,
                    offset,
                    index,
                });
                offset += len;
                index += 1;
            }
        }
        let results: Vec<R> = chunks.par_iter().map(&work).collect();
        results.into_iter().for_each(&mut merge);
        spare.extend(chunks.into_iter().map(|c| c.bytes));
    }
    match failure {
        Some(e) => Err((offset, e)),
        None => Ok(offset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_line_aligned_and_ordered() {
        let text: String = (0..1000).map(|i| format!("line {i}\n")).collect();
        let mut seen = Vec::new();
        let total = run(
            &mut text.as_bytes(),
            100,
            &|_| {},
            |c| (c.index, c.offset, c.bytes.clone()),
            |r| seen.push(r),
        )
        .unwrap_or(0);
        assert_eq!(total as usize, text.len());
        let joined: Vec<u8> = seen.iter().flat_map(|(_, _, b)| b.clone()).collect();
        assert_eq!(joined, text.as_bytes());
        for (_, _, b) in &seen {
            assert_eq!(b.last(), Some(&b'\n'));
        }
        assert!(seen.windows(2).all(|w| w[0].0 + 1 == w[1].0));
    }
}
