//! ner: named-entity mentions from the project's BERT token classifier (models/ner/).
//!
//! The model is rust-bert's `BertForTokenClassification` loaded from local safetensors. Long
//! articles are cut into overlapping windows of word pieces; every piece takes its label from
//! the window in which it sits most centrally, so each piece is labelled exactly once (no
//! entity lost or doubled at a seam) and always with context on both sides where there is any.
//! Pieces are merged into words (a word's label is its first piece's, as in training), words
//! into BIO spans, and spans never cross a sentence boundary.

use std::path::Path;

use rust_bert::bert::{BertConfig, BertForTokenClassification};
use rust_bert::Config;
use tch::{nn, Device, Kind, Tensor};

use super::{missing, Stage};
use crate::error::{Error, Result};
use crate::models::{load_tokenizer, ModelDir};
use crate::record::{Article, Mention, Token};

/// Word pieces per window including [CLS] and [SEP]: the length the model was trained on.
const WINDOW: usize = 128;
/// Step between window starts: half a window, so every piece has >= a quarter window of context.
const STRIDE: usize = (WINDOW - 2) / 2;
/// Windows per forward pass.
const BATCH: usize = 16;

pub struct Ner {
    model: BertForTokenClassification,
    _weights: nn::VarStore,
    device: Device,
    labels: Vec<String>,
    /// Whether a vocabulary id continues the previous word ("##ing").
    continuation: Vec<bool>,
    cls: i64,
    sep: i64,
}

impl Ner {
    pub fn load(models: &ModelDir) -> Result<Self> {
        let dir = models.ner();
        let config_path = ModelDir::file(&dir, "config.json")?;
        let config = BertConfig::from_file(&config_path);
        let labels = label_names(&config, &config_path)?;
        let mut weights = nn::VarStore::new(models.device);
        let model = BertForTokenClassification::new(weights.root(), &config)?;
        weights.load(ModelDir::file(&dir, "model.safetensors")?)?;
        weights.float();
        let tokenizer = load_tokenizer(&dir)?;
        let vocab_size = tokenizer.get_vocab_size(true);
        let continuation = (0..vocab_size as u32)
            .map(|id| tokenizer.id_to_token(id).is_some_and(|t| t.starts_with("##")))
            .collect();
        let special = |t: &str| {
            tokenizer
                .token_to_id(t)
                .map(i64::from)
                .ok_or_else(|| Error::model(&dir, format!("tokenizer has no {t}")))
        };
        Ok(Ner {
            model,
            _weights: weights,
            device: models.device,
            labels,
            continuation,
            cls: special("[CLS]")?,
            sep: special("[SEP]")?,
        })
    }
}

fn label_names(config: &BertConfig, path: &Path) -> Result<Vec<String>> {
    let id2label = config
        .id2label
        .as_ref()
        .ok_or_else(|| Error::model(path, "config.json has no id2label"))?;
    (0..id2label.len() as i64)
        .map(|i| id2label.get(&i).cloned().ok_or_else(|| Error::model(path, format!("no label {i}"))))
        .collect()
}

impl Stage for Ner {
    fn name(&self) -> &'static str {
        "ner"
    }

    fn process(&mut self, mut article: Article) -> Result<Article> {
        if article.sentences.iter().all(|s| s.tokens.is_empty()) {
            if article.sentences.is_empty() {
                return Err(missing("sentences", "segment"));
            }
            return Err(missing("word pieces in its sentences", "segment"));
        }
        let pieces: Vec<(usize, Token)> = article
            .sentences
            .iter()
            .flat_map(|s| s.tokens.iter().map(move |t| (s.id, *t)))
            .collect();
        let probs = self.piece_probabilities(&pieces)?;
        let words = self.words(&pieces, &probs);
        article.mentions = decode_spans(&words, &self.labels)
            .into_iter()
            .map(|span| span.into_mention(&article))
            .collect();
        Ok(article)
    }
}

/// One word: its code-point span, sentence, and the label probabilities of its first piece.
struct Word<'a> {
    start: usize,
    end: usize,
    sentence: usize,
    probs: &'a [f32],
}

impl Ner {
    /// Softmax label probabilities for every piece, each from its most central window.
    fn piece_probabilities(&self, pieces: &[(usize, Token)]) -> Result<Vec<Vec<f32>>> {
        let starts = window_starts(pieces.len());
        let mut best: Vec<Option<(usize, Vec<f32>)>> = vec![None; pieces.len()];
        for group in starts.chunks(BATCH) {
            let probs = self.forward(pieces, group)?;
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
    /// probabilities flattened row-major.
    fn forward(&self, pieces: &[(usize, Token)], starts: &[usize]) -> Result<Vec<f32>> {
        let mut ids = vec![0i64; starts.len() * WINDOW];
        let mut mask = vec![0i64; starts.len() * WINDOW];
        for (row, &start) in starts.iter().enumerate() {
            let body = &pieces[start..(start + WINDOW - 2).min(pieces.len())];
            let window = std::iter::once(self.cls)
                .chain(body.iter().map(|(_, t)| i64::from(t.id())))
                .chain(std::iter::once(self.sep));
            for (col, id) in window.enumerate() {
                ids[row * WINDOW + col] = id;
                mask[row * WINDOW + col] = 1;
            }
        }
        let shape = [starts.len() as i64, WINDOW as i64];
        let ids = Tensor::from_slice(&ids).view(shape).to(self.device);
        let mask = Tensor::from_slice(&mask).view(shape).to(self.device);
        let output = tch::no_grad(|| self.model.forward_t(Some(&ids), Some(&mask), None, None, None, false));
        let probs = output.logits.softmax(-1, Kind::Float).to(Device::Cpu).flatten(0, -1);
        Ok(Vec::<f32>::try_from(&probs)?)
    }

    fn words<'a>(&self, pieces: &[(usize, Token)], probs: &'a [Vec<f32>]) -> Vec<Word<'a>> {
        let mut words: Vec<Word<'a>> = Vec::new();
        for ((sentence, token), p) in pieces.iter().zip(probs) {
            let continues = self.continuation.get(token.id() as usize).copied().unwrap_or(false);
            match words.last_mut() {
                Some(w) if continues && w.sentence == *sentence => w.end = token.end(),
                _ => words.push(Word { start: token.start(), end: token.end(), sentence: *sentence, probs: p }),
            }
        }
        words
    }
}

/// Start offsets of the windows covering `n` pieces, STRIDE apart, the last one flush with the end.
fn window_starts(n: usize) -> Vec<usize> {
    let body = WINDOW - 2;
    if n <= body {
        return vec![0];
    }
    let mut starts: Vec<usize> = (0..n - body).step_by(STRIDE).collect();
    starts.push(n - body);
    starts
}

struct SpanDraft {
    start: usize,
    end: usize,
    sentence: usize,
    kind: String,
    scores: Vec<f32>,
}

impl SpanDraft {
    fn into_mention(self, article: &Article) -> Mention {
        Mention {
            text: article.slice(self.start, self.end),
            start: self.start,
            end: self.end,
            label: entity_type(&self.kind).to_string(),
            score: self.scores.iter().sum::<f32>() / self.scores.len() as f32,
            sentence: self.sentence,
            entity: None,
        }
    }
}

/// BIO decoding: B-X opens a span, I-X extends an open X span in the same sentence (or opens
/// one, leniently), O closes.
fn decode_spans(words: &[Word], labels: &[String]) -> Vec<SpanDraft> {
    let mut spans: Vec<SpanDraft> = Vec::new();
    let mut open = false;
    for word in words {
        let Some((best, &score)) =
            word.probs.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))
        else {
            open = false;
            continue;
        };
        let label = labels[best].as_str();
        let (prefix, kind) = label.split_once('-').unwrap_or(("O", ""));
        let extends = open
            && prefix == "I"
            && spans.last().is_some_and(|s| s.kind == kind && s.sentence == word.sentence);
        if extends {
            let span = spans.last_mut().expect("open span");
            span.end = word.end;
            span.scores.push(score);
        } else if prefix == "B" || prefix == "I" {
            spans.push(SpanDraft {
                start: word.start,
                end: word.end,
                sentence: word.sentence,
                kind: kind.to_string(),
                scores: vec![score],
            });
            open = true;
        } else {
            open = false;
        }
    }
    spans
}

/// The model's CoNLL-style tag to the pipeline's entity type.
fn entity_type(kind: &str) -> &'static str {
    match kind {
        "PER" => "person",
        "ORG" => "organization",
        "LOC" => "location",
        _ => "misc",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_every_piece_with_overlap() {
        assert_eq!(window_starts(10), vec![0]);
        let n = 500;
        let starts = window_starts(n);
        assert_eq!(*starts.last().unwrap() + WINDOW - 2, n);
        for pair in starts.windows(2) {
            assert!(pair[1] - pair[0] <= STRIDE);
        }
    }
}
