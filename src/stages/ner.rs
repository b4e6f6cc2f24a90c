//! ner: named-entity mentions from the project's BERT token classifier (models/ner/).
//!
//! The model is rust-bert's `BertForTokenClassification` loaded from local safetensors. Long
//! articles are cut into overlapping windows of word pieces; every piece takes its label from
//! the window in which it sits most centrally, so each piece is labelled exactly once (no
//! entity lost or doubled at a seam) and always with context on both sides where there is any.
//! A model trained with word shapes (config.json `word_shapes`) gets the shape of each piece's
//! word as its token type (`word_shape`), so it sees the capitals the uncased encoder drops.
//! Pieces are merged into words (a word's label is its first piece's, as in training); words
//! become spans in `ner_decode` (constrained BIO, case rules, one type per surface), and spans
//! never cross a sentence boundary.

use std::path::Path;

use rust_bert::bert::{BertConfig, BertForTokenClassification};
use serde::{Deserialize, Serialize};
use tch::{Device, Kind, Tensor};

use super::ner_decode::{self, DecodeRules, Word};
use super::word_shape::{self, WordShape};
use super::{missing, Stage, StageKind};
use crate::bert_int8::{head_weight, Int8Encoder, Precision};
use crate::error::{Error, Result};
use crate::models::{load_bert, LoadedBert, ModelDir};
use crate::record::{Article, EntityType, Facet, Token};
use crate::text_index::TextIndex;

/// Word pieces per window including [CLS] and [SEP]: the length the model was trained on.
const WINDOW: usize = 128;
/// Pieces two neighbouring windows share by default, so a piece at a seam is labelled with at
/// least 16 pieces of context on each side. Chosen on the annotated dev split (2026-11-26):
/// overlap 63 (half a window) / 32 / 16 gave micro F1 74.7 / 74.8 / 74.5 and segment + ner took
/// 41.2 / 30.2 / 26.1 s for its 139 articles.
pub const DEFAULT_WINDOW_OVERLAP: usize = 32;
/// Windows per forward pass.
const BATCH: usize = 8;

/// The ner stage's options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NerOptions {
    /// Apply the case rules: the organisation-head rule, and for a model without word shapes
    /// the trimming of lowercase edge words (see ner_decode); off gives the model's raw output
    /// (to measure what the rules do).
    pub case_rule: bool,
    /// Word pieces neighbouring windows share (0 to 125). Each piece is labelled by the window
    /// where it is most central, so the overlap is the context a piece at a seam keeps; a
    /// smaller one encodes fewer pieces twice.
    pub window_overlap: usize,
    /// How word tags become spans.
    pub decoding: BioDecoding,
    /// Document-level type consistency: every span of a surface ("Apple") takes the type that
    /// surface got most often in the article, votes weighted by score.
    pub consistent_types: bool,
    /// int8 encoder weights on CPU (`auto`) or rust-bert's f32 model (`f32`).
    pub precision: Precision,
}

/// BIO decoding of word tags into spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum BioDecoding {
    /// The most probable tag sequence in which I-X follows only B-X or I-X in one sentence.
    Constrained,
    /// Each word's most probable tag; an I-X that follows no X opens a span.
    Greedy,
}

impl Default for NerOptions {
    fn default() -> Self {
        NerOptions {
            case_rule: true,
            window_overlap: DEFAULT_WINDOW_OVERLAP,
            decoding: BioDecoding::Constrained,
            consistent_types: true,
            precision: Precision::Auto,
        }
    }
}

pub struct Ner {
    bert: LoadedBert<Tagger>,
    /// The model's labels as (BIO prefix, entity type); `None` for O.
    labels: Vec<(char, Option<EntityType>)>,
    /// Whether a vocabulary id continues the previous word ("##ing").
    continuation: Vec<bool>,
    options: NerOptions,
    /// Whether the model reads word shapes as token types (config.json `word_shapes`).
    word_shapes: bool,
}

/// The token classifier as `precision` runs it.
enum Tagger {
    F32(Box<BertForTokenClassification>),
    /// The int8 encoder, then the classifier (kept f32): hidden states → label logits.
    Int8 {
        encoder: Int8Encoder,
        weight: Tensor,
        bias: Tensor,
    },
}

impl Ner {
    pub fn load(models: &ModelDir, device: Device, options: NerOptions) -> Result<Self> {
        if options.window_overlap > WINDOW - 3 {
            let reason = format!("ner window_overlap {} must be below {}", options.window_overlap, WINDOW - 2);
            return Err(Error::StageOption(reason));
        }
        let dir = models.ner();
        let bert = load_bert(&dir, device, |root, config| Ok(BertForTokenClassification::new(root, config)?))?;
        let int8 = options.precision.int8_on(device);
        let bert = bert.map_model(|model, weights, config| {
            Ok(if int8 {
                Tagger::Int8 {
                    encoder: Int8Encoder::from_weights(weights, "bert.", config, &dir, true)?,
                    weight: head_weight(weights, "classifier.weight", &dir)?,
                    bias: head_weight(weights, "classifier.bias", &dir)?,
                }
            } else {
                Tagger::F32(Box::new(model))
            })
        })?;
        if int8 {
            bert.forget_weights();
        }
        let labels = label_names(&bert.config, &dir)?.iter().map(|l| bio_label(l)).collect();
        let tokenizer = &bert.tokenizer;
        let continuation = (0..tokenizer.get_vocab_size(true) as u32)
            .map(|id| tokenizer.id_to_token(id).is_some_and(|t| t.starts_with("##")))
            .collect();
        let word_shapes = uses_word_shapes(&dir, bert.word_shapes.as_deref(), bert.config.type_vocab_size)?;
        Ok(Ner { bert, labels, continuation, options, word_shapes })
    }
}

/// Whether the model in `dir` was trained with word shapes, refusing a scheme this build does
/// not know or a model with too few token types for it.
fn uses_word_shapes(dir: &Path, scheme: Option<&str>, type_vocab_size: i64) -> Result<bool> {
    match scheme {
        None => Ok(false),
        Some(word_shape::SCHEME) if type_vocab_size > WordShape::Other.type_id() => Ok(true),
        Some(scheme) => Err(Error::model(
            dir,
            format!(
                "word_shapes {scheme:?} with {type_vocab_size} token types: this build reads {:?}",
                word_shape::SCHEME
            ),
        )),
    }
}

fn label_names(config: &BertConfig, dir: &Path) -> Result<Vec<String>> {
    let id2label = config.id2label.as_ref().ok_or_else(|| Error::model(dir, "config.json has no id2label"))?;
    (0..id2label.len() as i64)
        .map(|i| id2label.get(&i).cloned().ok_or_else(|| Error::model(dir, format!("no label {i}"))))
        .collect()
}

/// A CoNLL-style model label ("B-PER", "I-ORG", "O") as (prefix, entity type).
fn bio_label(label: &str) -> (char, Option<EntityType>) {
    match label.split_once('-') {
        Some((prefix, kind)) => (prefix.chars().next().unwrap_or('O'), Some(entity_type(kind))),
        None => ('O', None),
    }
}

impl Stage for Ner {
    fn kind(&self) -> StageKind {
        StageKind::Ner
    }

    fn process(&mut self, mut article: Article) -> Result<Article> {
        if article.sentences.iter().all(|s| s.tokens.is_empty()) {
            if article.sentences.is_empty() {
                return Err(missing(Facet::Sentences));
            }
            return Err(missing(Facet::WordPieces));
        }
        let pieces: Vec<(usize, Token)> =
            article.sentences.iter().flat_map(|s| s.tokens.iter().map(move |t| (s.id, *t))).collect();
        let shapes = if self.word_shapes { self.piece_shapes(&article.text, &pieces) } else { Vec::new() };
        let probs = self.piece_probabilities(&pieces, &shapes)?;
        let words = self.words(&pieces, probs);
        let rules = DecodeRules {
            constrained: self.options.decoding == BioDecoding::Constrained,
            org_heads: self.options.case_rule,
            // A model that reads word shapes sees capitals; trimming lowercase edge words only
            // made up for an uncased model (dev 2026-11-26: F1 89.8 without it, 89.2 with).
            trim_uncased: self.options.case_rule && !self.word_shapes,
            consistent_types: self.options.consistent_types,
        };
        article.mentions = ner_decode::mentions(&words, &self.labels, &article.text, &rules);
        Ok(article)
    }
}

impl Ner {
    /// The pieces of each word, as index ranges into `pieces`: a word is a piece and the "##"
    /// pieces that follow it in the same sentence.
    fn word_ranges(&self, pieces: &[(usize, Token)]) -> Vec<std::ops::Range<usize>> {
        let continues = |(sentence, token): &(usize, Token), previous: &(usize, Token)| {
            *sentence == previous.0 && self.continuation.get(token.id() as usize).copied().unwrap_or(false)
        };
        let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            match ranges.last_mut() {
                Some(word) if continues(piece, &pieces[i - 1]) => word.end = i + 1,
                _ => ranges.push(i..i + 1),
            }
        }
        ranges
    }

    /// The token type of every piece: the shape of the word it belongs to, read in the model
    /// view (the text the pieces were cut from).
    fn piece_shapes(&self, text: &str, pieces: &[(usize, Token)]) -> Vec<i64> {
        let view = super::normalize::model_view(text);
        let index = TextIndex::new(&view);
        let mut shapes = vec![WordShape::Special.type_id(); pieces.len()];
        for word in self.word_ranges(pieces) {
            let text = index.slice(&view, pieces[word.start].1.start(), pieces[word.end - 1].1.end());
            shapes[word].fill(WordShape::of(text).type_id());
        }
        shapes
    }

    /// Softmax label probabilities for every piece, each from its most central window.
    fn piece_probabilities(&self, pieces: &[(usize, Token)], shapes: &[i64]) -> Result<Vec<Vec<f32>>> {
        let starts = window_starts(pieces.len(), self.options.window_overlap);
        let mut best: Vec<Option<(usize, Vec<f32>)>> = vec![None; pieces.len()];
        for group in starts.chunks(BATCH) {
            let probs = self.forward(pieces, shapes, group)?;
            let n_labels = self.labels.len();
            for (row, &start) in group.iter().enumerate() {
                let len = (pieces.len() - start).min(WINDOW - 2);
                for offset in 0..len {
                    let centrality = offset.min(len - 1 - offset);
                    let slot = &mut best[start + offset];
                    if slot.as_ref().is_none_or(|(c, _)| centrality > *c) {
                        let at = (row * WINDOW + offset + 1) * n_labels;
                        *slot = Some((centrality, probs[at..at + n_labels].to_vec()));
                    }
                }
            }
        }
        Ok(best.into_iter().map(|b| b.map(|(_, p)| p).unwrap_or_default()).collect())
    }

    /// Runs the model on a batch of windows; returns the (window, position, label)
    /// probabilities flattened row-major. `shapes` is empty for a model without word shapes.
    fn forward(&self, pieces: &[(usize, Token)], shapes: &[i64], starts: &[usize]) -> Result<Vec<f32>> {
        let range = |start: usize| start..(start + WINDOW - 2).min(pieces.len());
        let windows: Vec<Vec<u32>> =
            starts.iter().map(|&start| pieces[range(start)].iter().map(|(_, t)| t.id()).collect()).collect();
        let (ids, mask) = self.bert.batcher.tensors(&windows, WINDOW, self.bert.device);
        let types = (!shapes.is_empty()).then(|| {
            let rows: Vec<&[i64]> = starts.iter().map(|&start| &shapes[range(start)]).collect();
            self.bert.batcher.token_types(&rows, WINDOW, self.bert.device)
        });
        let logits = match &self.bert.model {
            Tagger::Int8 { encoder, weight, bias } => {
                encoder.forward(&ids, &mask, types.as_ref()).linear(weight, Some(bias))
            }
            Tagger::F32(model) => {
                tch::no_grad(|| model.forward_t(Some(&ids), Some(&mask), types.as_ref(), None, None, false)).logits
            }
        };
        let probs = logits.softmax(-1, Kind::Float).to(Device::Cpu).flatten(0, -1);
        Ok(Vec::<f32>::try_from(&probs)?)
    }

    /// The words of `pieces`, each with its first piece's label probabilities.
    fn words(&self, pieces: &[(usize, Token)], mut probs: Vec<Vec<f32>>) -> Vec<Word> {
        self.word_ranges(pieces)
            .into_iter()
            .map(|word| {
                let (sentence, first) = pieces[word.start];
                let probs = std::mem::take(&mut probs[word.start]);
                Word { start: first.start(), end: pieces[word.end - 1].1.end(), sentence, probs }
            })
            .collect()
    }
}

/// Start offsets of the windows covering `n` pieces, `overlap` pieces shared between
/// neighbours, the last one flush with the end.
fn window_starts(n: usize, overlap: usize) -> Vec<usize> {
    let body = WINDOW - 2;
    if n <= body {
        return vec![0];
    }
    let stride = body - overlap.min(body - 1); // load() refuses a larger overlap
    let mut starts: Vec<usize> = (0..n - body).step_by(stride).collect();
    starts.push(n - body);
    starts
}

/// The model's CoNLL-style type to the pipeline's entity type.
fn entity_type(kind: &str) -> EntityType {
    match kind {
        "PER" => EntityType::Person,
        "ORG" => EntityType::Organization,
        // An organisation run for profit: models fine-tuned on the annotation's company flag.
        "COM" => EntityType::Company,
        "LOC" => EntityType::Location,
        _ => EntityType::Misc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_every_piece_with_overlap() {
        assert_eq!(window_starts(10, DEFAULT_WINDOW_OVERLAP), vec![0]);
        let n = 500;
        for overlap in [0, 16, DEFAULT_WINDOW_OVERLAP, 125, 400] {
            let starts = window_starts(n, overlap);
            assert_eq!(*starts.last().unwrap() + WINDOW - 2, n);
            for pair in starts.windows(2) {
                assert!(pair[1] - pair[0] <= WINDOW - 2 - overlap.min(WINDOW - 3), "{overlap}");
            }
        }
    }
}
