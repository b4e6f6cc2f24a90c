//! Rejected records: one clear line on stderr each, and a JSONL file with reason and position.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::record::Reject;

pub struct RejectSink {
    file: Option<(PathBuf, std::io::BufWriter<std::fs::File>)>,
    pub count: usize,
}

impl RejectSink {
    pub fn new(path: Option<&Path>) -> Result<Self> {
        Self::open(path, false)
    }

    /// Like `new`; with `append`, continues the file of a resumed run.
    pub fn open(path: Option<&Path>, append: bool) -> Result<Self> {
        let file = path.map(|p| super::open_output(p, append).map(|w| (p.to_path_buf(), w))).transpose()?;
        Ok(RejectSink { file, count: 0 })
    }

    pub fn write(&mut self, reject: &Reject) -> Result<()> {
        self.count += 1;
        // A closed stderr must not stop the run: the rejects file still has the record.
        let _ = writeln!(std::io::stderr(), "rejected {}: {}", reject.source, reject.reason);
        if let Some((path, w)) = &mut self.file {
            let line = serde_json::to_string(reject).map_err(Error::Serialise)?;
            writeln!(w, "{line}").map_err(|e| Error::write(path.as_path(), e))?;
        }
        Ok(())
    }

    pub fn flush(&mut self) -> Result<()> {
        if let Some((path, w)) = &mut self.file {
            w.flush().map_err(|e| Error::write(path.as_path(), e))?;
        }
        Ok(())
    }
}
