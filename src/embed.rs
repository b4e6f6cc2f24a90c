//! Sentence embeddings from all-MiniLM-L6-v2 (models/encoder): rust-bert `BertModel`, mean
//! pooling over the attention mask, L2-normalised, as sentence-transformers does.

use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::Config;
use tch::{nn, Device, Kind, Tensor};
use tokenizers::Tokenizer;

use crate::error::{Error, Result};
use crate::models::{load_tokenizer, ModelDir, PieceBatcher};

/// Longest input in word pieces, [CLS] and [SEP] included (the model's training length).
pub const MAX_PIECES: usize = 128;
const BATCH: usize = 32;

pub struct Encoder {
    model: BertModel<BertEmbeddings>,
    _weights: nn::VarStore,
    tokenizer: Tokenizer,
    device: Device,
    batcher: PieceBatcher,
}

impl Encoder {
    pub fn load(models: &ModelDir) -> Result<Self> {
        let dir = models.encoder();
        let config = BertConfig::from_file(ModelDir::file(&dir, "config.json")?);
        let mut weights = nn::VarStore::new(models.device);
        let model = BertModel::<BertEmbeddings>::new(weights.root(), &config);
        weights.load(ModelDir::file(&dir, "model.safetensors")?)?;
        let tokenizer = load_tokenizer(&dir)?;
        let batcher = PieceBatcher::new(&tokenizer, &dir)?;
        Ok(Encoder { batcher, model, _weights: weights, tokenizer, device: models.device })
    }

    /// Vocabulary ids of a text, without special tokens.
    pub fn ids(&self, text: &str) -> Result<Vec<u32>> {
        let encoding = self.tokenizer.encode(text, false).map_err(|e| Error::Tokenizer(e.to_string()))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// Embeds texts given as word-piece ids (cut to MAX_PIECES); returns (n, hidden) on CPU.
    pub fn embed(&self, inputs: &[Vec<u32>]) -> Result<Tensor> {
        let parts = inputs.chunks(BATCH).map(|batch| self.embed_batch(batch)).collect::<Result<Vec<_>>>()?;
        Ok(if parts.is_empty() { Tensor::zeros([0, 0], (Kind::Float, Device::Cpu)) } else { Tensor::cat(&parts, 0) })
    }

    fn embed_batch(&self, batch: &[Vec<u32>]) -> Result<Tensor> {
        let width = batch.iter().map(|ids| ids.len().min(MAX_PIECES - 2) + 2).max().unwrap_or(2);
        let rows: Vec<Vec<u32>> = batch.iter().map(|ids| ids[..ids.len().min(MAX_PIECES - 2)].to_vec()).collect();
        let (ids, mask) = self.batcher.tensors(&rows, width, self.device);
        let output = tch::no_grad(|| self.model.forward_t(Some(&ids), Some(&mask), None, None, None, None, None, false))?;
        let mask = mask.unsqueeze(-1).to_kind(Kind::Float);
        let summed = (output.hidden_state * &mask).sum_dim_intlist([1i64].as_slice(), false, Kind::Float);
        let mean = summed / mask.sum_dim_intlist([1i64].as_slice(), false, Kind::Float).clamp_min(1e-9);
        let norm = mean.norm_scalaropt_dim(2, [1i64].as_slice(), true).clamp_min(1e-12);
        Ok((mean / norm).to(Device::Cpu))
    }
}
