//! Crash-safe output folders.
//!
//! A run writes every file into `OUT/.partial/`. After each batch the writers are flushed and
//! `OUT/.partial/checkpoint.json` is replaced atomically (write, fsync, rename) with the number
//! of input items done and the byte length of every file at that point, so every committed
//! batch is record-complete in every table. The run ends by renaming each file into `OUT/`
//! (replacing the previous run's), deleting files of a previous run that this run does not
//! write (CSV tables after a `--format jsonl` rerun), and writing `OUT/run.json` last.
//!
//! So `OUT/` only ever holds whole runs: a failed or killed run leaves the previous result as it
//! was, and `.partial/` can be resumed: `--resume` truncates each file to its checkpointed
//! length (dropping a half-written batch) and the caller skips the input items already done,
//! which gives the same bytes as an uninterrupted run.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::runner::Summary;

/// Every file name a run may write into OUT/ (stale ones of an earlier run are removed).
pub const OUTPUT_FILES: &[&str] = &[
    "articles.jsonl",
    "articles.csv",
    "entities.csv",
    "mentions.csv",
    "topics.csv",
    "links.csv",
    "articles.parquet",
    "entities.parquet",
    "mentions.parquet",
    "topics.parquet",
    "links.parquet",
    "rejects.jsonl",
];
const PARTIAL: &str = ".partial";
const CHECKPOINT: &str = "checkpoint.json";
pub const RUN_FILE: &str = "run.json";

/// The state of an unfinished run at its last committed batch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    /// What the run was asked to do (inputs, options, pipeline): a resume must ask the same.
    pub fingerprint: Value,
    pub summary: Summary,
    /// Byte length of every file written (staged names, or full paths for files outside OUT).
    pub lengths: BTreeMap<String, u64>,
    pub started_unix: u64,
}

/// Where a staged file ends up when the run commits.
#[derive(Debug, Clone, PartialEq)]
enum Destination {
    /// Renamed to this path in OUT.
    Out(PathBuf),
    /// Written in place (a --rejects file outside OUT): nothing to rename.
    InPlace,
    /// Only an input to files made at commit (CSV tables of a Parquet-only run): removed.
    Internal,
}

pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Files this run writes: (key in the checkpoint, path written, where it ends up).
    files: Vec<(String, PathBuf, Destination)>,
    fingerprint: Value,
    resumed: Option<Checkpoint>,
    started_unix: u64,
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, fsync, rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    let mut file = File::create(&tmp).map_err(|e| Error::write(&tmp, e))?;
    file.write_all(bytes).and_then(|_| file.sync_all()).map_err(|e| Error::write(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::write(path, e))
}

impl Staging {
    /// Prepares OUT/.partial for a run writing `names` (into OUT), `internal` names (staged
    /// only, for files derived at commit) and `in_place` files (full paths elsewhere). With
    /// `resume`, continues the unfinished run there, which must have been started with the
    /// same `fingerprint`.
    pub fn begin(
        out: &Path,
        names: &[&str],
        internal: &[&str],
        in_place: &[PathBuf],
        fingerprint: Value,
        resume: bool,
    ) -> Result<Self> {
        let dir = out.join(PARTIAL);
        let mut files: Vec<(String, PathBuf, Destination)> =
            names.iter().map(|n| (n.to_string(), dir.join(n), Destination::Out(out.join(n)))).collect();
        files.extend(internal.iter().map(|n| (n.to_string(), dir.join(n), Destination::Internal)));
        files.extend(in_place.iter().map(|p| (p.display().to_string(), p.clone(), Destination::InPlace)));
        let checkpoint_path = dir.join(CHECKPOINT);
        let resumed = if resume {
            let text = std::fs::read_to_string(&checkpoint_path).map_err(|e| Error::read(&checkpoint_path, e))?;
            let checkpoint: Checkpoint = serde_json::from_str(&text)
                .map_err(|e| Error::Config { path: checkpoint_path.clone(), source: Box::new(e) })?;
            if checkpoint.fingerprint != fingerprint {
                return Err(Error::ConfigInvalid {
                    path: checkpoint_path,
                    reason: "the unfinished run used other inputs or options: rerun it with the same ones, or without --resume to start over".into(),
                });
            }
            for (key, path, _) in &files {
                let length = checkpoint.lengths.get(key).copied().unwrap_or(0);
                let file = OpenOptions::new().create(true).write(true).truncate(false).open(path);
                file.and_then(|f| f.set_len(length)).map_err(|e| Error::write(path, e))?;
            }
            Some(checkpoint)
        } else {
            if dir.exists() {
                let _ = writeln!(
                    std::io::stderr(),
                    "note: discarding the unfinished run in {} (use --resume to continue one)",
                    dir.display()
                );
                std::fs::remove_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
            }
            std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))?;
            for (_, path, destination) in &files {
                if *destination == Destination::InPlace {
                    File::create(path).map_err(|e| Error::write(path, e))?;
                }
            }
            None
        };
        let started_unix = resumed.as_ref().map_or_else(unix_now, |c| c.started_unix);
        Ok(Staging { out: out.to_path_buf(), dir, files, fingerprint, resumed, started_unix })
    }

    /// Where to write the file that ends up as OUT/`name`.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The checkpoint this run resumes from.
    pub fn resumed(&self) -> Option<&Checkpoint> {
        self.resumed.as_ref()
    }

    /// Records a commit point: `summary` counts everything done so far (resumed part included).
    /// The writers must have been flushed.
    pub fn checkpoint(&self, summary: &Summary) -> Result<()> {
        let mut lengths = BTreeMap::new();
        for (key, path, _) in &self.files {
            let file = File::open(path).map_err(|e| Error::read(path, e))?;
            // Data first, then the checkpoint that vouches for it.
            file.sync_data().map_err(|e| Error::write(path, e))?;
            let length = file.metadata().map_err(|e| Error::read(path, e))?.len();
            lengths.insert(key.clone(), length);
        }
        let checkpoint = Checkpoint {
            fingerprint: self.fingerprint.clone(),
            summary: *summary,
            lengths,
            started_unix: self.started_unix,
        };
        let bytes = serde_json::to_vec_pretty(&checkpoint).map_err(Error::Serialise)?;
        write_atomic(&self.dir.join(CHECKPOINT), &bytes)
    }

    /// Adds a file the caller made in .partial after the last checkpoint (from the staged
    /// files) to those `commit` publishes as OUT/`name`.
    pub fn add_derived(&mut self, name: &str) {
        self.files.push((name.to_string(), self.dir.join(name), Destination::Out(self.out.join(name))));
    }

    /// Publishes the run: every staged file renamed into OUT, stale outputs of an earlier run
    /// removed, then OUT/run.json (`details` plus timings and counts) written last.
    pub fn commit(self, summary: &Summary, mut details: serde_json::Map<String, Value>) -> Result<()> {
        let written: Vec<&str> =
            self.files.iter().filter(|f| matches!(f.2, Destination::Out(_))).map(|f| f.0.as_str()).collect();
        for name in OUTPUT_FILES.iter().filter(|n| !written.contains(n)) {
            let stale = self.out.join(name);
            if stale.exists() {
                std::fs::remove_file(&stale).map_err(|e| Error::write(&stale, e))?;
            }
        }
        for (_, staged, destination) in &self.files {
            if let Destination::Out(target) = destination {
                std::fs::rename(staged, target).map_err(|e| Error::write(target, e))?;
            }
        }
        let finished = unix_now();
        details.insert("started_unix".into(), self.started_unix.into());
        details.insert("finished_unix".into(), finished.into());
        details.insert("seconds".into(), finished.saturating_sub(self.started_unix).into());
        details.insert("written".into(), summary.written.into());
        details.insert("rejected".into(), summary.rejected.into());
        details.insert("input_records".into(), summary.consumed.into());
        details.insert("resumed_after".into(), self.resumed.as_ref().map(|c| c.summary.consumed).into());
        let bytes = serde_json::to_vec_pretty(&Value::Object(details)).map_err(Error::Serialise)?;
        write_atomic(&self.out.join(RUN_FILE), &bytes)?;
        std::fs::remove_dir_all(&self.dir).map_err(|e| Error::write(&self.dir, e))
    }
}
