//! Where model files live (`models/` by default), and the one loader of BERT-family models
//! (config + safetensors + tokenizer.json) that ner and embed share.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rust_bert::bert::BertConfig;
use tch::{nn, Device};

use crate::error::{Error, Result};

/// The model folder: paths only. Devices and stage options live elsewhere (`StageConfig`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ModelDir {
    pub root: PathBuf,
}

impl ModelDir {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ModelDir { root: root.into() }
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

    /// Trained topic decisions (optional: without it every topic is zero-shot).
    pub fn topic_heads(&self) -> PathBuf {
        self.root.join("topic_heads.json")
    }

    /// A file of a model folder, with an error that says how to get it when it is missing.
    pub fn file(dir: &Path, name: &str) -> Result<PathBuf> {
        let path = dir.join(name);
        if path.is_file() {
            Ok(path)
        } else {
            Err(Error::ModelMissing { path })
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
    let load_error = |source| Error::TokenizerLoad { path: path.clone(), source };
    let mut tokenizer = tokenizers::Tokenizer::from_file(&path).map_err(load_error)?;
    tokenizer.with_truncation(None).map_err(load_error)?.with_padding(None);
    Ok(tokenizer)
}

/// Whether two tokenizers map the same word pieces to the same ids: then ids made by one can
/// be fed to a model trained with the other.
pub fn same_vocabulary(a: &tokenizers::Tokenizer, b: &tokenizers::Tokenizer) -> bool {
    let (va, vb): (HashMap<String, u32>, HashMap<String, u32>) = (a.get_vocab(true), b.get_vocab(true));
    va == vb
}

/// A BERT-family model loaded from a folder with config.json, model.safetensors and
/// tokenizer.json, weights in f32 on `device`.
pub struct LoadedBert<M> {
    pub model: M,
    /// Owns the weights `model` points into.
    pub weights: nn::VarStore,
    pub config: BertConfig,
    /// config.json's `word_shapes`, which `BertConfig` does not read: the word-shape scheme the
    /// model was trained with (NER), if any.
    pub word_shapes: Option<String>,
    pub tokenizer: tokenizers::Tokenizer,
    pub batcher: PieceBatcher,
    pub device: Device,
}

/// The part of config.json rust-bert's `BertConfig` does not read.
#[derive(serde::Deserialize)]
struct ExtraConfig {
    #[serde(default)]
    word_shapes: Option<String>,
}

/// Builds a model with `build` (rust-bert's constructors) and loads its weights from `dir`.
pub fn load_bert<M>(
    dir: &Path,
    device: Device,
    build: impl FnOnce(nn::Path, &BertConfig) -> Result<M>,
) -> Result<LoadedBert<M>> {
    let config_path = ModelDir::file(dir, "config.json")?;
    let text = std::fs::read_to_string(&config_path).map_err(|e| Error::read(&config_path, e))?;
    let parse_error = |source| Error::ModelConfig { path: config_path.clone(), source };
    let config: BertConfig = serde_json::from_str(&text).map_err(parse_error)?;
    let ExtraConfig { word_shapes } = serde_json::from_str(&text).map_err(parse_error)?;
    let weights_path = ModelDir::file(dir, "model.safetensors")?;
    let tokenizer = load_tokenizer(dir)?;
    let batcher = PieceBatcher::new(&tokenizer, dir)?;
    let mut weights = nn::VarStore::new(device);
    let model = build(weights.root(), &config)?;
    weights.load(weights_path)?;
    // fp16 files (the shipped NER model) run in f32: CPU kernels for half are slow or missing.
    weights.float();
    Ok(LoadedBert { model, weights, config, word_shapes, tokenizer, batcher, device })
}

impl<M> LoadedBert<M> {
    /// The same weights, tokenizer and config around the model `build` makes of the old one
    /// (e.g. the int8 encoder made from its weights).
    pub fn map_model<N>(self, build: impl FnOnce(M, &nn::VarStore, &BertConfig) -> Result<N>) -> Result<LoadedBert<N>> {
        let LoadedBert { model, weights, config, word_shapes, tokenizer, batcher, device } = self;
        let model = build(model, &weights, &config)?;
        Ok(LoadedBert { model, weights, config, word_shapes, tokenizer, batcher, device })
    }

    /// Drops the store's own references to the weights, so that only the model keeps what it
    /// uses (the int8 model does not use the f32 linear weights: ~40 MB per BERT freed).
    pub fn forget_weights(&self) {
        let mut variables = self.weights.variables_.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        variables.named_variables.clear();
        variables.trainable_variables.clear();
    }
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
            let wrapped =
                std::iter::once(self.cls).chain(input.iter().map(|&i| i64::from(i))).chain(std::iter::once(self.sep));
            for (col, id) in wrapped.enumerate() {
                ids[row * width + col] = id;
                mask[row * width + col] = 1;
            }
        }
        let shape = [rows.len() as i64, width as i64];
        let tensor = |v: &[i64]| tch::Tensor::from_slice(v).view(shape).to(device);
        (tensor(&ids), tensor(&mask))
    }

    /// Token type ids of shape (rows, width) on `device`, laid out as `tensors` lays out the
    /// pieces: each row's values after [CLS], type 0 at [CLS], [SEP] and padding.
    pub fn token_types(&self, rows: &[&[i64]], width: usize, device: Device) -> tch::Tensor {
        let mut types = vec![0i64; rows.len() * width];
        for (row, values) in rows.iter().enumerate() {
            types[row * width + 1..row * width + 1 + values.len()].copy_from_slice(values);
        }
        tch::Tensor::from_slice(&types).view([rows.len() as i64, width as i64]).to(device)
    }
}
