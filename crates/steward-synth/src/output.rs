//! The output folder.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Result, SynthError};

/// Where the platform is written.
#[derive(Debug, Clone)]
pub struct Out {
    root: PathBuf,
}

/// A buffered file that remembers its path for error messages and counts
/// the bytes written (text stores report byte offsets).
pub struct OutFile {
    path: PathBuf,
    inner: BufWriter<File>,
    written: u64,
}

impl OutFile {
    /// Writes all of `bytes`.
    ///
    /// # Errors
    /// [`SynthError::Write`] naming the file.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.inner
            .write_all(bytes)
            .map_err(|source| SynthError::Write {
                path: self.path.clone(),
                source,
            })?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Bytes written so far.
    #[must_use]
    pub const fn position(&self) -> u64 {
        self.written
    }

    /// Flushes and closes.
    ///
    /// # Errors
    /// [`SynthError::Write`] naming the file.
    pub fn finish(mut self) -> Result<()> {
        self.inner.flush().map_err(|source| SynthError::Write {
            path: self.path.clone(),
            source,
        })
    }
}

impl Out {
    /// Creates the folder (and parents), checking that it can be written.
    ///
    /// # Errors
    /// [`SynthError::Write`] when the folder cannot be created or written.
    pub fn create(root: &Path) -> Result<Self> {
        fs::create_dir_all(root).map_err(|source| SynthError::Write {
            path: root.to_path_buf(),
            source,
        })?;
        let probe = root.join(".steward-write-test");
        fs::write(&probe, b"")
            .and_then(|()| fs::remove_file(&probe))
            .map_err(|source| SynthError::Write {
                path: root.to_path_buf(),
                source,
            })?;
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    /// The folder.
    #[must_use]
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The absolute path of `rel`, creating its parent folder.
    ///
    /// # Errors
    /// [`SynthError::Write`] when the parent cannot be created.
    pub fn path(&self, rel: &str) -> Result<PathBuf> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| SynthError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        Ok(path)
    }

    /// Opens `rel` for writing, replacing it.
    ///
    /// # Errors
    /// [`SynthError::Write`] naming the file.
    pub fn file(&self, rel: &str) -> Result<OutFile> {
        let path = self.path(rel)?;
        let file = File::create(&path).map_err(|source| SynthError::Write {
            path: path.clone(),
            source,
        })?;
        Ok(OutFile {
            path,
            inner: BufWriter::with_capacity(1 << 20, file),
            written: 0,
        })
    }

    /// Writes a whole file.
    ///
    /// # Errors
    /// [`SynthError::Write`] naming the file.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let mut f = self.file(rel)?;
        f.write(bytes)?;
        f.finish()
    }
}

pub use steward_model::progress::{NoProgress, Progress};
