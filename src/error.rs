//! Library errors. Each variant keeps its cause as `source` (printed by the CLI's `{:#}` chain,
//! never also pasted into the message); a per-record error becomes a `Reject` whose reason is
//! the whole chain (`Error::chain`).

use std::path::PathBuf;

use crate::record::Facet;
use crate::stages::StageKind;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("model file {path} not found (run scripts/setup.sh)")]
    ModelMissing { path: PathBuf },
    #[error("bad model files in {path}: {reason}")]
    ModelInvalid { path: PathBuf, reason: String },
    #[error("cannot parse {path}")]
    ModelConfig {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot load tokenizer {path}")]
    TokenizerLoad {
        path: PathBuf,
        #[source]
        source: tokenizers::Error,
    },
    #[error("tokenizer failed")]
    Tokenize(#[source] tokenizers::Error),
    #[error("torch")]
    Torch(#[from] tch::TchError),
    #[error("rust-bert")]
    RustBert(#[from] rust_bert::RustBertError),
    #[error("bad configuration {path}")]
    Config {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("bad configuration {path}: {reason}")]
    ConfigInvalid { path: PathBuf, reason: String },
    /// A record lacks what an earlier stage adds (checked per record: stage subcommands read
    /// records made by other processes).
    #[error("record has no {missing}: run the {run_first} stage first")]
    MissingInput { missing: Facet, run_first: StageKind },
    /// A pipeline whose stages are in an order that cannot work (checked once, when built).
    #[error("stage order: {0}")]
    StageOrder(String),
    /// A stage option out of its range (checked once, when the stage is built).
    #[error("stage option: {0}")]
    StageOption(String),
    #[error("{path}:{line}: bad gold record")]
    GoldRecord {
        path: PathBuf,
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}:{line}: CoNLL line without a tag")]
    ConllLine { path: PathBuf, line: usize },
    #[error("cannot serialise a record")]
    Serialise(#[source] serde_json::Error),
    #[error("cannot write the CSV tables in {dir}")]
    Table {
        dir: PathBuf,
        #[source]
        source: csv::Error,
    },
    #[error("cannot write the Parquet table {path}")]
    Parquet {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("cannot read back {path} (a file aggregate wrote)")]
    Spill {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot start the worker threads")]
    ThreadPool(#[source] rayon::ThreadPoolBuildError),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Read { path: path.into(), source }
    }
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Write { path: path.into(), source }
    }
    pub fn model(path: impl Into<PathBuf>, reason: impl ToString) -> Self {
        Error::ModelInvalid { path: path.into(), reason: reason.to_string() }
    }

    /// The message and every cause, "outer: inner: innermost" (for reject reasons).
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            text.push_str(": ");
            text.push_str(&e.to_string());
            cause = e.source();
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_keeps_every_cause_once() {
        let e =
            Error::read("in.jsonl.gz", std::io::Error::new(std::io::ErrorKind::InvalidData, "corrupt deflate stream"));
        assert_eq!(e.to_string(), "cannot read in.jsonl.gz");
        assert_eq!(e.chain(), "cannot read in.jsonl.gz: corrupt deflate stream");
        let e = Error::MissingInput { missing: Facet::WordPieces, run_first: StageKind::Segment };
        assert_eq!(e.chain(), "record has no word pieces in its sentences: run the segment stage first");
    }
}
