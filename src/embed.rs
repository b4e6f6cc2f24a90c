//! Sentence embeddings from all-MiniLM-L6-v2 (models/encoder): rust-bert `BertModel`, mean
//! pooling over the attention mask, L2-normalised, as sentence-transformers does.

use std::path::Path;

use rust_bert::bert::{BertEmbeddings, BertModel};
use tch::{Device, Kind, Tensor};
use tokenizers::Tokenizer;

use crate::bert_int8::{Int8Encoder, Precision};
use crate::error::{Error, Result};
use crate::models::{load_bert, LoadedBert};

/// Longest input in word pieces, [CLS] and [SEP] included (the model's training length).
pub const MAX_PIECES: usize = 128;
const BATCH: usize = 8;

pub struct Encoder {
    bert: LoadedBert<Model>,
}

/// The encoder as the precision runs it.
enum Model {
    F32(Box<BertModel<BertEmbeddings>>),
    Int8(Int8Encoder),
}

impl Encoder {
    pub fn load(dir: &Path, device: Device, precision: Precision) -> Result<Self> {
        let bert = load_bert(dir, device, |root, config| Ok(BertModel::<BertEmbeddings>::new(root, config)))?;
        let int8 = precision.int8_on(device);
        let bert = bert.map_model(|model, weights, config| {
            Ok(if int8 {
                Model::Int8(Int8Encoder::from_weights(weights, "", config, dir, true)?)
            } else {
                Model::F32(Box::new(model))
            })
        })?;
        if int8 {
            bert.forget_weights();
        }
        Ok(Encoder { bert })
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.bert.tokenizer
    }

    /// Vocabulary ids of a text, without special tokens.
    pub fn ids(&self, text: &str) -> Result<Vec<u32>> {
        let encoding = self.bert.tokenizer.encode(text, false).map_err(Error::Tokenize)?;
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
        let (ids, mask) = self.bert.batcher.tensors(&rows, width, self.bert.device);
        let hidden = match &self.bert.model {
            Model::Int8(encoder) => encoder.forward(&ids, &mask, None),
            Model::F32(model) => {
                tch::no_grad(|| model.forward_t(Some(&ids), Some(&mask), None, None, None, None, None, false))?
                    .hidden_state
            }
        };
        let mask = mask.unsqueeze(-1).to_kind(Kind::Float);
        let summed = (hidden * &mask).sum_dim_intlist([1i64].as_slice(), false, Kind::Float);
        let mean = summed / mask.sum_dim_intlist([1i64].as_slice(), false, Kind::Float).clamp_min(1e-9);
        let norm = mean.norm_scalaropt_dim(2, [1i64].as_slice(), true).clamp_min(1e-12);
        Ok((mean / norm).to(Device::Cpu))
    }
}
