//! The BERT encoder with int8 weights, for CPU. rust-bert has no quantised models, so the
//! forward pass is written here over the weights rust-bert loaded (same VarStore, same names):
//! every linear layer of the encoder runs through fbgemm's int8 GEMM (ATen
//! `fbgemm_linear_int8_weight_fp32_activation`: weights quantised per tensor once at load,
//! activations per call), while embeddings, attention softmax, LayerNorm and GELU stay f32.
//! On 2 cores this runs the NER model's windows about 2.5× faster than the f32 model; how much
//! the tags move is measured on gold (README, Benchmarks).

use std::collections::HashMap;
use std::path::Path;

use rust_bert::bert::BertConfig;
use serde::{Deserialize, Serialize};
use tch::{nn, Device, Kind, Scalar, Tensor};

use crate::error::{Error, Result};

/// BERT's LayerNorm epsilon, as rust-bert uses it (its BertConfig has no field for it).
const LAYER_NORM_EPS: f64 = 1e-12;

/// How a stage runs its BERT model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// int8 encoder weights on CPU (fbgemm has no GPU kernel), f32 on a GPU.
    #[default]
    Auto,
    /// rust-bert's f32 model everywhere.
    F32,
}

impl Precision {
    /// Whether this precision quantises the encoder on `device`.
    pub fn int8_on(self, device: Device) -> bool {
        self == Precision::Auto && device == Device::Cpu
    }
}

/// A linear layer: int8 weights for fbgemm, or the f32 weights as loaded (to check the forward
/// pass itself against rust-bert's).
enum Linear {
    Int8 {
        weight: Tensor,
        packed: Tensor,
        col_offsets: Tensor,
        scale: f64,
        zero_point: i64,
        /// Per output: the factor its row was stretched by before quantising (see `new`).
        stretch: Tensor,
        bias: Tensor,
        /// The kernel adds its bias before the outputs are shrunk back, so it gets none.
        no_bias: Tensor,
    },
    F32 {
        weight: Tensor,
        bias: Tensor,
    },
}

impl Linear {
    fn new(weight: Tensor, bias: Tensor, quantize: bool) -> Linear {
        if !quantize {
            return Linear::F32 { weight, bias };
        }
        let weight = weight.to_kind(Kind::Float);
        // fbgemm's kernel takes one scale per matrix. Stretching every row to the range of the
        // widest one, and dividing the outputs by the same factors, gives each row the
        // resolution a per-row scale would.
        let row_range = weight.abs().amax([1i64].as_slice(), false).clamp_min(1e-8);
        let stretch = row_range.max() / &row_range;
        let weight = (&weight * stretch.unsqueeze(1)).contiguous();
        let (scale, zero_point) = quantization_params(weight.min().double_value(&[]), weight.max().double_value(&[]));
        let quantized =
            (&weight / scale).round().g_add_scalar(zero_point).clamp(WEIGHT_MIN, WEIGHT_MAX).to_kind(Kind::Int8);
        // Each output's sum of quantised weights less the zero point's share: the kernel's
        // correction for the activations' zero point.
        let inputs = weight.size()[1];
        let col_offsets =
            (quantized.sum_dim_intlist([1i64].as_slice(), false, Kind::Int) - zero_point * inputs).to_kind(Kind::Int);
        let packed = quantized.fbgemm_pack_quantized_matrix();
        let bias = bias.to_kind(Kind::Float);
        let no_bias = bias.zeros_like();
        Linear::Int8 { weight: quantized, packed, col_offsets, scale, zero_point, stretch, bias, no_bias }
    }

    fn forward(&self, x: &Tensor) -> Tensor {
        match self {
            Linear::Int8 { weight, packed, col_offsets, scale, zero_point, stretch, bias, no_bias } => {
                let mut y = x.fbgemm_linear_int8_weight_fp32_activation(
                    weight,
                    packed,
                    col_offsets,
                    Scalar::float(*scale),
                    Scalar::int(*zero_point),
                    no_bias,
                );
                // In place: no two more activation-sized buffers per layer.
                let _ = y.g_div_(stretch).g_add_(bias);
                y
            }
            Linear::F32 { weight, bias } => x.linear(weight, Some(bias)),
        }
    }
}

/// The quantised weights' range: 7 bits, not 8. fbgemm's AVX2 kernel (CPUs without AVX-512 VNNI)
/// adds two products of a u8 activation and an s8 weight in 16 bits, which saturates with
/// full-range weights (255 × 128 × 2 > 32,767); with weights in [-64, 63] it cannot (PyTorch's
/// `reduce_range` for the same reason).
const WEIGHT_MIN: i64 = -64;
const WEIGHT_MAX: i64 = 63;

/// Affine int8 parameters for values in [min, max], as fbgemm chooses them
/// (`ChooseQuantizationParams`, range widened to hold 0, zero point from the closer end).
fn quantization_params(min: f64, max: f64) -> (f64, i64) {
    let (min, max) = (min.min(0.0), max.max(0.0));
    let (qmin, qmax) = (WEIGHT_MIN as f64, WEIGHT_MAX as f64);
    let scale = if max > min { (max - min) / (qmax - qmin) } else { 0.1 };
    let from_min = qmin - min / scale;
    let from_max = qmax - max / scale;
    let zero = if qmin.abs() + (min / scale).abs() < qmax.abs() + (max / scale).abs() { from_min } else { from_max };
    (scale, zero.round().clamp(qmin, qmax) as i64)
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_output: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

/// The loaded weights under one name prefix, each taken out once.
struct Weights<'a> {
    variables: HashMap<String, Tensor>,
    prefix: &'a str,
    dir: &'a Path,
}

impl Weights<'_> {
    fn take(&mut self, name: &str) -> Result<Tensor> {
        let name = format!("{}{name}", self.prefix);
        self.variables.remove(&name).ok_or_else(|| Error::model(self.dir, format!("no weight {name}")))
    }

    fn norm(&mut self, name: &str) -> Result<LayerNorm> {
        Ok(LayerNorm {
            weight: self.take(&format!("{name}.LayerNorm.weight"))?,
            bias: self.take(&format!("{name}.LayerNorm.bias"))?,
        })
    }

    fn linear(&mut self, name: &str, quantize: bool) -> Result<Linear> {
        Ok(Linear::new(self.take(&format!("{name}.weight"))?, self.take(&format!("{name}.bias"))?, quantize))
    }
}

/// BERT's embeddings and encoder layers (no pooler): input pieces → hidden states.
pub struct Int8Encoder {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: i64,
}

impl Int8Encoder {
    /// Takes the weights under `prefix` ("bert." for a token classifier, "" for a bare
    /// BertModel) from a VarStore rust-bert loaded; `quantize: false` keeps them f32.
    pub fn from_weights(
        weights: &nn::VarStore,
        prefix: &str,
        config: &BertConfig,
        dir: &Path,
        quantize: bool,
    ) -> Result<Self> {
        let mut weights = Weights { variables: weights.variables(), prefix, dir };
        let embedding_norm = weights.norm("embeddings")?;
        let layers = (0..config.num_hidden_layers)
            .map(|i| {
                let at = format!("encoder.layer.{i}");
                Ok(Layer {
                    query: weights.linear(&format!("{at}.attention.self.query"), quantize)?,
                    key: weights.linear(&format!("{at}.attention.self.key"), quantize)?,
                    value: weights.linear(&format!("{at}.attention.self.value"), quantize)?,
                    attention_output: weights.linear(&format!("{at}.attention.output.dense"), quantize)?,
                    attention_norm: weights.norm(&format!("{at}.attention.output"))?,
                    intermediate: weights.linear(&format!("{at}.intermediate.dense"), quantize)?,
                    output: weights.linear(&format!("{at}.output.dense"), quantize)?,
                    output_norm: weights.norm(&format!("{at}.output"))?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Int8Encoder {
            word: weights.take("embeddings.word_embeddings.weight")?,
            position: weights.take("embeddings.position_embeddings.weight")?,
            token_type: weights.take("embeddings.token_type_embeddings.weight")?,
            embedding_norm,
            layers,
            heads: config.num_attention_heads,
        })
    }

    /// Hidden states (batch, pieces, hidden) of `ids` with attention `mask` (1 = piece, 0 =
    /// padding), both (batch, pieces); `types` are token type ids, 0 when absent.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor, types: Option<&Tensor>) -> Tensor {
        tch::no_grad(|| {
            let length = ids.size()[1];
            let positions = Tensor::arange(length, (Kind::Int64, ids.device())).unsqueeze(0);
            let types = types.map_or_else(|| ids.zeros_like(), Tensor::shallow_clone);
            let embedded = Tensor::embedding(&self.word, ids, -1, false, false)
                + Tensor::embedding(&self.position, &positions, -1, false, false)
                + Tensor::embedding(&self.token_type, &types, -1, false, false);
            let mut hidden = self.normalize(&embedded, &self.embedding_norm);
            // As rust-bert: padding gets -10000 before the softmax.
            let mask_bias = ((mask.to_kind(Kind::Float) - 1.0) * 10000.0).unsqueeze(1).unsqueeze(2);
            for layer in &self.layers {
                hidden = self.layer(layer, &hidden, &mask_bias);
            }
            hidden
        })
    }

    fn layer(&self, layer: &Layer, hidden: &Tensor, mask_bias: &Tensor) -> Tensor {
        let (batch, length, width) = hidden.size3().expect("hidden states are 3-d");
        let head_width = width / self.heads;
        let split = |t: Tensor| t.view([batch, length, self.heads, head_width]).transpose(1, 2);
        let query = split(layer.query.forward(hidden));
        let key = split(layer.key.forward(hidden));
        let value = split(layer.value.forward(hidden));
        let scores = query.matmul(&key.transpose(-1, -2)) / (head_width as f64).sqrt() + mask_bias;
        let context =
            scores.softmax(-1, Kind::Float).matmul(&value).transpose(1, 2).contiguous().view([batch, length, width]);
        let attended = self.normalize(&(layer.attention_output.forward(&context) + hidden), &layer.attention_norm);
        let intermediate = layer.intermediate.forward(&attended).gelu("none");
        self.normalize(&(layer.output.forward(&intermediate) + &attended), &layer.output_norm)
    }

    fn normalize(&self, x: &Tensor, norm: &LayerNorm) -> Tensor {
        let width = x.size()[x.dim() - 1];
        x.layer_norm([width], Some(&norm.weight), Some(&norm.bias), LAYER_NORM_EPS, false)
    }
}

/// One loaded weight by its full name (e.g. "classifier.weight", the head on the encoder).
pub fn head_weight(weights: &nn::VarStore, name: &str, dir: &Path) -> Result<Tensor> {
    let variables: HashMap<String, Tensor> = weights.variables();
    variables.get(name).map(Tensor::shallow_clone).ok_or_else(|| Error::model(dir, format!("no weight {name}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantization_params_match_fbgemm() {
        // fbgemm's choice (`ChooseQuantizationParams`) over the 7-bit range [-64, 63]: for a
        // weight matrix spanning [-0.2317, 0.2244], scale (max - min) / 127 and zero point 1;
        // with [-2.0, 0.02]: zero point 62.
        let (scale, zero) = quantization_params(-0.2317, 0.2244);
        assert!((scale - 0.4561 / 127.0).abs() < 1e-12);
        assert_eq!(zero, 1);
        assert_eq!(quantization_params(-2.0, 0.02).1, 62);
        // A range on one side of 0 is widened to hold 0, which maps to an end.
        assert_eq!(quantization_params(0.5, 2.0).1, WEIGHT_MIN);
        assert_eq!(quantization_params(-2.0, -0.5).1, WEIGHT_MAX);
    }

    #[test]
    fn int8_linear_is_close_to_f32() {
        tch::manual_seed(7);
        let weight = Tensor::randn([64, 32], (Kind::Float, Device::Cpu)) * 0.05;
        let bias = Tensor::randn([64], (Kind::Float, Device::Cpu));
        let x = Tensor::randn([5, 32], (Kind::Float, Device::Cpu));
        let exact = Linear::new(weight.shallow_clone(), bias.shallow_clone(), false).forward(&x);
        let int8 = Linear::new(weight, bias, true).forward(&x);
        let relative = (&int8 - &exact).norm().double_value(&[]) / exact.norm().double_value(&[]);
        assert!(relative < 0.02, "relative error {relative}");
        assert!(relative > 0.0, "the int8 path must actually quantise");
    }
}
