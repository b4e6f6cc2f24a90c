//! Where model files live (`models/` by default) and how torch is set up for them.

use std::path::{Path, PathBuf};

use tch::Device;

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct ModelDir {
    pub root: PathBuf,
    pub device: Device,
    /// Turn off the NER case rules (to measure what they do).
    pub no_case_rule: bool,
}

impl ModelDir {
    pub fn new(root: impl Into<PathBuf>, device: Device) -> Self {
        ModelDir { root: root.into(), device, no_case_rule: false }
    }

    /// The project's own NER model (issue: build and ship the NER model).
    pub fn ner(&self) -> PathBuf {
        self.root.join("ner")
    }

    /// The sentence encoder (all-MiniLM-L6-v2, copied from its PyPI package by scripts/setup.sh).
    pub fn encoder(&self) -> PathBuf {
        self.root.join("encoder")
    }

    pub fn topics(&self) -> PathBuf {
        self.root.join("topics.toml")
    }

    /// A file of a model folder, with an error that says how to get it when it is missing.
    pub fn file(dir: &Path, name: &str) -> Result<PathBuf> {
        let path = dir.join(name);
        if path.is_file() {
            Ok(path)
        } else {
            Err(Error::model(dir, format!("{name} not found (run scripts/setup.sh)")))
        }
    }
}

/// Parses `--device`: `auto` picks CUDA when libtorch sees a GPU.
pub fn parse_device(name: &str) -> std::result::Result<Device, String> {
    match name {
        "auto" => Ok(Device::cuda_if_available()),
        "cpu" => Ok(Device::Cpu),
        "cuda" => Ok(Device::Cuda(0)),
        other => other
            .strip_prefix("cuda:")
            .and_then(|n| n.parse().ok())
            .map(Device::Cuda)
            .ok_or_else(|| format!("unknown device {other:?}: use auto, cpu, cuda or cuda:N")),
    }
}

/// Loads a HF tokenizer.json with truncation and padding off: the stages window long texts
/// themselves and must see every token.
pub fn load_tokenizer(dir: &Path) -> Result<tokenizers::Tokenizer> {
    let path = ModelDir::file(dir, "tokenizer.json")?;
    let mut tokenizer =
        tokenizers::Tokenizer::from_file(&path).map_err(|e| Error::model(&path, e))?;
    tokenizer
        .with_truncation(None)
        .map_err(|e| Error::model(&path, e))?
        .with_padding(None);
    Ok(tokenizer)
}

/// Packs rows of word-piece ids into model input: each row wrapped in [CLS] … [SEP] and
/// zero-padded to `width`, with the matching attention mask.
pub struct PieceBatcher {
    cls: i64,
    sep: i64,
}

impl PieceBatcher {
    pub fn new(tokenizer: &tokenizers::Tokenizer, dir: &Path) -> Result<Self> {
        let id = |t: &str| {
            tokenizer.token_to_id(t).map(i64::from).ok_or_else(|| Error::model(dir, format!("tokenizer has no {t}")))
        };
        Ok(PieceBatcher { cls: id("[CLS]")?, sep: id("[SEP]")? })
    }

    /// (ids, mask) tensors of shape (rows, width) on `device`; rows must fit in width - 2.
    pub fn tensors(&self, rows: &[Vec<u32>], width: usize, device: Device) -> (tch::Tensor, tch::Tensor) {
        let mut ids = vec![0i64; rows.len() * width];
        let mut mask = vec![0i64; rows.len() * width];
        for (row, input) in rows.iter().enumerate() {
            let wrapped = std::iter::once(self.cls)
                .chain(input.iter().map(|&i| i64::from(i)))
                .chain(std::iter::once(self.sep));
            for (col, id) in wrapped.enumerate() {
                ids[row * width + col] = id;
                mask[row * width + col] = 1;
            }
        }
        let shape = [rows.len() as i64, width as i64];
        let tensor = |v: &[i64]| tch::Tensor::from_slice(v).view(shape).to(device);
        (tensor(&ids), tensor(&mask))
    }
}
