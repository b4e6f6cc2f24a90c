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
use serde::{Deserialize, Serialize};
use tch::{Device, Kind};

use super::{missing, Stage, StageKind};
use crate::error::{Error, Result};
use crate::lexicon::is_org_head;
use crate::models::{load_bert, LoadedBert, ModelDir};
use crate::record::{Article, EntityType, Facet, Mention, Token};
use crate::text_index::TextIndex;

/// Word pieces per window including [CLS] and [SEP]: the length the model was trained on.
const WINDOW: usize = 128;
/// Pieces two neighbouring windows share by default, so a piece at a seam is labelled with at
/// least 16 pieces of context on each side. Chosen on the annotated dev split (2026-11-26):
/// overlap 63 (half a window) / 32 / 16 gave micro F1 74.7 / 74.8 / 74.5 and segment + ner took
/// 41.2 / 30.2 / 26.1 s for its 139 articles.
pub const DEFAULT_WINDOW_OVERLAP: usize = 32;
/// Windows per forward pass.
const BATCH: usize = 16;

/// The ner stage's options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NerOptions {
    /// Apply the case rules (`extend_to_org_heads`, `SpanDraft::trim_uncased`); off gives the
    /// uncased model's raw output (to measure what the rules do).
    pub case_rule: bool,
    /// Word pieces neighbouring windows share (0 to 125). Each piece is labelled by the window
    /// where it is most central, so the overlap is the context a piece at a seam keeps; a
    /// smaller one encodes fewer pieces twice.
    pub window_overlap: usize,
}

impl Default for NerOptions {
    fn default() -> Self {
        NerOptions { case_rule: true, window_overlap: DEFAULT_WINDOW_OVERLAP }
    }
}

pub struct Ner {
    bert: LoadedBert<BertForTokenClassification>,
    /// The model's labels as (BIO prefix, entity type); `None` for O.
    labels: Vec<(char, Option<EntityType>)>,
    /// Whether a vocabulary id continues the previous word ("##ing").
    continuation: Vec<bool>,
    options: NerOptions,
}

impl Ner {
    pub fn load(models: &ModelDir, device: Device, options: NerOptions) -> Result<Self> {
        if options.window_overlap > WINDOW - 3 {
            let reason = format!("ner window_overlap {} must be below {}", options.window_overlap, WINDOW - 2);
            return Err(Error::StageOption(reason));
        }
        let dir = models.ner();
        let bert = load_bert(&dir, device, |root, config| Ok(BertForTokenClassification::new(root, config)?))?;
        let labels = label_names(&bert.config, &dir)?.iter().map(|l| bio_label(l)).collect();
        let tokenizer = &bert.tokenizer;
        let continuation = (0..tokenizer.get_vocab_size(true) as u32)
            .map(|id| tokenizer.id_to_token(id).is_some_and(|t| t.starts_with("##")))
            .collect();
        Ok(Ner { bert, labels, continuation, options })
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
        let probs = self.piece_probabilities(&pieces)?;
        let words = self.words(&pieces, probs);
        let index = TextIndex::new(&article.text);
        let mut tags: Vec<Tag> = words.iter().map(|w| Tag::best(w, &self.labels)).collect();
        // The rules read capitals from a view where ALL-CAPS headlines are recased.
        let cased = super::normalize::case_view(&article.text);
        if self.options.case_rule {
            extend_to_org_heads(&mut tags, &words, &cased, &index);
        }
        let spans = decode_spans(&words, &tags).into_iter();
        let spans: Vec<SpanDraft> = if self.options.case_rule {
            spans.filter_map(|s| s.trim_uncased(&index, &cased)).collect()
        } else {
            spans.collect()
        };
        article.mentions = spans.into_iter().map(|span| span.into_mention(&article.text, &index)).collect();
        Ok(article)
    }
}

/// One word: its code-point span, sentence, and the label probabilities of its first piece.
struct Word {
    start: usize,
    end: usize,
    sentence: usize,
    probs: Vec<f32>,
}

impl Ner {
    /// Softmax label probabilities for every piece, each from its most central window.
    fn piece_probabilities(&self, pieces: &[(usize, Token)]) -> Result<Vec<Vec<f32>>> {
        let starts = window_starts(pieces.len(), self.options.window_overlap);
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
        let windows: Vec<Vec<u32>> = starts
            .iter()
            .map(|&start| pieces[start..(start + WINDOW - 2).min(pieces.len())].iter().map(|(_, t)| t.id()).collect())
            .collect();
        let (ids, mask) = self.bert.batcher.tensors(&windows, WINDOW, self.bert.device);
        let output = tch::no_grad(|| self.bert.model.forward_t(Some(&ids), Some(&mask), None, None, None, false));
        let probs = output.logits.softmax(-1, Kind::Float).to(Device::Cpu).flatten(0, -1);
        Ok(Vec::<f32>::try_from(&probs)?)
    }

    fn words(&self, pieces: &[(usize, Token)], probs: Vec<Vec<f32>>) -> Vec<Word> {
        let mut words: Vec<Word> = Vec::new();
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

/// A decoded span as the list of its words: (start, end, score) each.
struct SpanDraft {
    words: Vec<(usize, usize, f32)>,
    sentence: usize,
    kind: EntityType,
}

impl SpanDraft {
    /// The case rule: the uncased model cannot see capitals, so words at the edges of a span
    /// with no capital letter or digit in the original text ("the", "president", "'s") are
    /// trimmed, except an abbreviation's full stop ("U.S.", "Inc."); a span left with no cased
    /// word is dropped. Inner words ("Bank of America") stay.
    fn trim_uncased(mut self, text: &TextIndex, original: &str) -> Option<Self> {
        let word = |i: usize| text.slice(original, self.words[i].0, self.words[i].1);
        let cased = |i: usize| word(i).chars().any(|c| c.is_uppercase() || c.is_ascii_digit());
        let abbreviation_stop =
            |i: usize| i > 0 && word(i) == "." && self.words[i - 1].1 == self.words[i].0 && cased(i - 1);
        let first = (0..self.words.len()).find(|&i| cased(i))?;
        let mut last = self.words.len() - 1;
        while last > first && !cased(last) && !abbreviation_stop(last) {
            last -= 1;
        }
        self.words = self.words[first..=last].to_vec();
        Some(self)
    }

    fn into_mention(self, text: &str, index: &TextIndex) -> Mention {
        let (start, end) = (self.words[0].0, self.words[self.words.len() - 1].1);
        Mention {
            text: index.slice(text, start, end).to_string(),
            start,
            end,
            label: self.kind,
            score: self.words.iter().map(|w| w.2).sum::<f32>() / self.words.len() as f32,
            sentence: self.sentence,
            entity: None,
        }
    }
}

/// A word's BIO tag: prefix B, I or O, entity type (None for O), and its probability.
#[derive(Debug, Clone)]
struct Tag {
    prefix: char,
    kind: Option<EntityType>,
    score: f32,
}

impl Tag {
    fn best(word: &Word, labels: &[(char, Option<EntityType>)]) -> Tag {
        let Some((best, &score)) = word.probs.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)) else {
            return Tag { prefix: 'O', kind: None, score: 0.0 };
        };
        let (prefix, kind) = labels[best];
        Tag { prefix, kind, score }
    }
}

/// The organisation-head rule: an entity followed by capitalised words that end in an
/// organisation head ("U.S. Trade Representative", "Justice Department", "Alibaba Group")
/// is one organisation. The uncased model sees "trade representative" as common words; the
/// capitals it cannot see say otherwise.
fn extend_to_org_heads(tags: &mut [Tag], words: &[Word], text: &str, index: &TextIndex) {
    let word_text = |i: usize| index.slice(text, words[i].start, words[i].end);
    let capitalised = |i: usize| word_text(i).chars().next().is_some_and(char::is_uppercase);
    let mut i = 0;
    while i + 1 < words.len() {
        let chunk_ends_here = tags[i].prefix != 'O' && !(tags[i + 1].prefix == 'I' && tags[i + 1].kind == tags[i].kind);
        if !chunk_ends_here {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < words.len() && words[j].sentence == words[i].sentence && capitalised(j) {
            j += 1;
        }
        let head = (i + 1..j).rev().find(|&k| is_org_head(&word_text(k).to_lowercase()));
        if let Some(last) = head {
            let first = (0..=i).rev().find(|&k| tags[k].prefix != 'I').unwrap_or(0);
            for (k, tag) in tags.iter_mut().enumerate().take(last + 1).skip(first) {
                tag.prefix = if k == first { 'B' } else { 'I' };
                tag.kind = Some(EntityType::Organization);
            }
            i = last;
        }
        i += 1;
    }
}

/// BIO decoding: B-X opens a span, I-X extends an open X span in the same sentence (or opens
/// one, leniently), O closes.
fn decode_spans(words: &[Word], tags: &[Tag]) -> Vec<SpanDraft> {
    let mut spans: Vec<SpanDraft> = Vec::new();
    let mut open = false;
    for (word, tag) in words.iter().zip(tags) {
        let extends = open
            && tag.prefix == 'I'
            && spans.last().is_some_and(|s| Some(s.kind) == tag.kind && s.sentence == word.sentence);
        if extends {
            spans.last_mut().expect("open span").words.push((word.start, word.end, tag.score));
        } else if let (true, Some(kind)) = (tag.prefix != 'O', tag.kind) {
            spans.push(SpanDraft { words: vec![(word.start, word.end, tag.score)], sentence: word.sentence, kind });
            open = true;
        } else {
            open = false;
        }
    }
    spans
}

/// The model's CoNLL-style type to the pipeline's entity type.
fn entity_type(kind: &str) -> EntityType {
    match kind {
        "PER" => EntityType::Person,
        "ORG" => EntityType::Organization,
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
