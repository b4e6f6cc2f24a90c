//! Library errors. The CLI wraps them with anyhow; a per-record error becomes a `Reject`.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("model files missing or unreadable in {path}: {reason}")]
    Model { path: PathBuf, reason: String },
    #[error("tokenizer: {0}")]
    Tokenizer(String),
    #[error("torch: {0}")]
    Torch(#[from] tch::TchError),
    #[error("rust-bert: {0}")]
    RustBert(#[from] rust_bert::RustBertError),
    #[error("bad configuration {path}: {reason}")]
    Config { path: PathBuf, reason: String },
    #[error("{0}")]
    Record(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
    pub fn model(path: impl Into<PathBuf>, reason: impl ToString) -> Self {
        Error::Model { path: path.into(), reason: reason.to_string() }
    }
}
