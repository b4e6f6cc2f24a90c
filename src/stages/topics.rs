//! topics: which themes of the taxonomy (models/topics.toml) an article and its sentences carry.
//!
//! Every topic's description and example sentences are embedded once with all-MiniLM-L6-v2.
//! A sentence's score for a topic is its best cosine similarity to those texts; the article's
//! score is the mean of its TOP_SENTENCES best sentence scores, so one stray sentence does not
//! make a theme but a few strong ones do. A topic is reported when the article score reaches
//! the topic's threshold (calibrated on labelled news, see `eval-topics`) and at least one
//! sentence is evidence for it. Its evidence is the
//! sentences that are about it: the topic is among the sentence's EVIDENCE_TOP best topics and
//! the sentence scores within EVIDENCE_MARGIN of the threshold. Ranking inside the sentence
//! matters because single-sentence similarities are noisy: a sentence about jobs scores fairly
//! high for trade too, but higher still for jobs.
//!
//! A trained head (`topic_heads`) also reads the article's words, its sentences' embeddings
//! and how densely each topic's `keywords` pattern occurs (`topic_lexicon`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tch::{Device, Tensor};

use super::{missing, Stage, StageKind};
use crate::bert_int8::Precision;
use crate::embed::Encoder;
use crate::error::{Error, Result};
use crate::models::{load_tokenizer, same_vocabulary, ModelDir};
use crate::record::{Article, Facet, Topic};
use crate::taxonomy::Taxonomy;
use crate::topic_heads::{term_counts, Head, TopicHeads};
use crate::topic_lexicon::Lexicon;

pub const TOP_SENTENCES: usize = 3;
pub const EVIDENCE_TOP: usize = 2;
pub const EVIDENCE_MARGIN: f32 = 0.10;
/// Shorter sentences are no evidence: datelines ("MOSCOW, February 7."), fragments ("Wrong.").
pub const MIN_EVIDENCE_WORDS: usize = 6;

/// The topics stage's options (the taxonomy itself is models/topics.toml).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopicsOptions {
    /// int8 encoder weights on CPU (`auto`) or rust-bert's f32 model (`f32`).
    pub precision: Precision,
    /// Decide with the trained heads (models/topic_heads.json) where a topic has one; off,
    /// every topic is zero-shot (and heads of another feature layout are not read).
    pub heads: bool,
}

impl Default for TopicsOptions {
    fn default() -> Self {
        TopicsOptions { precision: Precision::Auto, heads: true }
    }
}

impl TopicsOptions {
    /// The trained heads these options decide with: none when `heads` is off.
    pub fn load_heads(&self, models: &ModelDir) -> Result<TopicHeads> {
        if self.heads {
            TopicHeads::load(&models.topic_heads())
        } else {
            Ok(TopicHeads::default())
        }
    }
}

pub struct Topics {
    encoder: Encoder,
    /// Whether the segment stage's word pieces (from the NER tokenizer) are valid encoder input:
    /// true when both tokenizers share one vocabulary (checked at load, true for the shipped
    /// models); otherwise each sentence is tokenised again with the encoder's own tokenizer.
    reuse_pieces: bool,
    taxonomy: Taxonomy,
    /// (texts, hidden) normalised embeddings of all topic texts, and each row's topic.
    prototypes: Tensor,
    owner: Vec<usize>,
    /// Trained decisions for the topics that have one (models/topic_heads.json).
    heads: TopicHeads,
    /// Where the heads' zero-shot features sit in this taxonomy (None: the heads do not fit it).
    head_columns: Option<Vec<usize>>,
    /// The keyword patterns whose density is a feature: the heads' own, or without heads the
    /// taxonomy's (what `eval-topics --features` writes for training).
    lexicon: Lexicon,
}

impl Topics {
    /// The trained heads this stage decides with (none with `--no-topic-heads`).
    pub fn heads(&self) -> &TopicHeads {
        &self.heads
    }

    pub fn load(models: &ModelDir, device: Device, options: &TopicsOptions) -> Result<Self> {
        let taxonomy = Taxonomy::load(&models.topics())?;
        let encoder = Encoder::load(&models.encoder(), device, options.precision)?;
        // The pieces come from the NER tokenizer (segment); without it here, nothing vouches for them.
        let reuse_pieces = load_tokenizer(&models.ner()).is_ok_and(|ner| same_vocabulary(&ner, encoder.tokenizer()));
        let mut texts = Vec::new();
        let mut owner = Vec::new();
        for (i, topic) in taxonomy.topics.iter().enumerate() {
            for text in std::iter::once(&topic.description).chain(&topic.examples) {
                texts.push(encoder.ids(text)?);
                owner.push(i);
            }
        }
        let prototypes = encoder.embed(&texts)?;
        let heads = options.load_heads(models)?;
        // Features: the embedding, then a score and a coverage per topic the heads know, then
        // two keyword densities per pattern of theirs.
        let hidden = prototypes.size()[1] as usize;
        let expected = hidden + 2 * heads.taxonomy.len() + 2 * heads.lexicon.len();
        let retrain = |reason: String| {
            let reason = format!("{reason}: retrain them (scripts/topics/train_heads.py)");
            Err(Error::ConfigInvalid { path: models.topic_heads(), reason })
        };
        let lexicon = if heads.topics.is_empty() { taxonomy.lexicon() } else { &heads.lexicon }.clone();
        if !heads.topics.is_empty() && heads.features != expected {
            return retrain(format!("heads read {} features, this build gives {expected}", heads.features));
        }
        let sentence_width = heads.topics.values().map(|h| h.sentence_weights.len()).find(|&n| n > 0 && n != hidden);
        if let Some(width) = sentence_width {
            return retrain(format!("heads read sentence embeddings of {width} values, the encoder gives {hidden}"));
        }
        let ids: Vec<String> = taxonomy.topics.iter().map(|t| t.id.clone()).collect();
        let head_columns = heads.columns(&ids);
        Ok(Topics { encoder, reuse_pieces, taxonomy, prototypes, owner, heads, head_columns, lexicon })
    }

    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The trained head of topic `index`, if it has one.
    pub fn head(&self, index: usize) -> Option<Head<'_>> {
        self.heads.head_reading(&self.taxonomy.topics[index].id, self.head_columns.clone()?)
    }

    /// Score of every sentence for every topic.
    pub fn scores(&self, article: &Article) -> Result<ArticleScores> {
        let index = crate::text_index::TextIndex::new(&article.text);
        // Credit lines name staff, not themes; they come after the story's sentences, so the
        // story's sentence ids stay the evidence ids.
        let story = article.story_sentences();
        let inputs: Vec<Vec<u32>> = if self.reuse_pieces {
            story.iter().map(|s| s.tokens.iter().map(|t| t.id()).collect()).collect()
        } else {
            story.iter().map(|s| self.encoder.ids(index.slice(&article.text, s.start, s.end))).collect::<Result<_>>()?
        };
        let embeddings = self.encoder.embed(&inputs)?;
        let n_topics = self.taxonomy.topics.len();
        if inputs.is_empty() {
            return Ok(ArticleScores::new(Vec::new()));
        }
        let similarity: Vec<f32> = Vec::try_from(embeddings.matmul(&self.prototypes.tr()).flatten(0, -1))?;
        let n_protos = self.owner.len();
        // The article's embedding: the mean of its sentences' (unit) embeddings, normalised.
        let mean = embeddings.mean_dim([0i64].as_slice(), false, tch::Kind::Float);
        let mean = &mean / mean.norm().clamp_min(1e-12);
        let embedding = Vec::<f32>::try_from(mean)?;
        let sentence_embeddings = Vec::<Vec<f32>>::try_from(&embeddings)?;
        let texts: Vec<&str> = story.iter().map(|s| index.slice(&article.text, s.start, s.end)).collect();
        let words =
            texts.iter().map(|t| t.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count()).collect();
        let counts = term_counts(texts.iter().copied());
        let term_vector = self.heads.vocabulary.tf_idf(&counts);
        let lexicon = self.lexicon.features(&texts);
        Ok(ArticleScores::with_words(
            embedding,
            words,
            similarity
                .chunks(n_protos)
                .map(|row| {
                    let mut best = vec![f32::MIN; n_topics];
                    for (score, &topic) in row.iter().zip(&self.owner) {
                        best[topic] = best[topic].max(*score);
                    }
                    best
                })
                .collect(),
        )
        .with_terms(counts, term_vector)
        .with_lexicon(lexicon)
        .with_sentence_embeddings(sentence_embeddings))
    }
}

/// Every sentence's score for every topic, and the decision rule built on them.
pub struct ArticleScores {
    /// `sentences[sentence][topic]`
    sentences: Vec<Vec<f32>>,
    /// Each sentence's EVIDENCE_TOP best topics.
    ranks: Vec<Vec<usize>>,
    /// The article's mean sentence embedding (unit length; empty for an empty article).
    embedding: Vec<f32>,
    /// Words of each sentence (None: unknown, every sentence may be evidence).
    words: Option<Vec<usize>>,
    /// Per topic, `article` and `coverage`, computed once: every head reads all of them.
    article_scores: Vec<f32>,
    coverage: Vec<f32>,
    /// The article's words and their counts (what the heads' vocabulary is built from) and
    /// its tf-idf vector over the heads' vocabulary (empty without one).
    term_counts: BTreeMap<String, u32>,
    term_vector: Vec<(usize, f32)>,
    /// Each sentence's unit embedding (empty when not computed).
    sentence_embeddings: Vec<Vec<f32>>,
    /// Keyword densities (`Lexicon::features`), the last dense features.
    lexicon: Vec<f32>,
}

impl ArticleScores {
    pub fn new(sentences: Vec<Vec<f32>>) -> Self {
        Self::with_embedding(Vec::new(), sentences)
    }

    pub fn with_embedding(embedding: Vec<f32>, sentences: Vec<Vec<f32>>) -> Self {
        Self::build(embedding, None, sentences)
    }

    /// With each sentence's word count, so that short ones are no evidence.
    pub fn with_words(embedding: Vec<f32>, words: Vec<usize>, sentences: Vec<Vec<f32>>) -> Self {
        Self::build(embedding, Some(words), sentences)
    }

    fn build(embedding: Vec<f32>, words: Option<Vec<usize>>, sentences: Vec<Vec<f32>>) -> Self {
        let ranks = sentences.iter().map(|s| top_topics(s, EVIDENCE_TOP)).collect();
        let mut scores = ArticleScores {
            sentences,
            ranks,
            embedding,
            words,
            article_scores: Vec::new(),
            coverage: Vec::new(),
            term_counts: BTreeMap::new(),
            term_vector: Vec::new(),
            sentence_embeddings: Vec::new(),
            lexicon: Vec::new(),
        };
        let n_topics = scores.sentences.first().map_or(0, Vec::len);
        scores.article_scores = (0..n_topics).map(|t| scores.mean_of_best(t)).collect();
        scores.coverage = scores.count_coverage();
        scores
    }

    /// With the article's word counts and its tf-idf vector over the heads' vocabulary.
    pub fn with_terms(mut self, counts: BTreeMap<String, u32>, vector: Vec<(usize, f32)>) -> Self {
        self.term_counts = counts;
        self.term_vector = vector;
        self
    }

    /// With the keyword densities of the article's sentences.
    pub fn with_lexicon(mut self, lexicon: Vec<f32>) -> Self {
        self.lexicon = lexicon;
        self
    }

    /// With each sentence's unit embedding.
    pub fn with_sentence_embeddings(mut self, embeddings: Vec<Vec<f32>>) -> Self {
        self.sentence_embeddings = embeddings;
        self
    }

    /// Each sentence's unit embedding (training data for heads that read sentences).
    pub fn sentence_embeddings(&self) -> &[Vec<f32>] {
        &self.sentence_embeddings
    }

    /// The article's words and how often each occurs (training data for the heads).
    pub fn term_counts(&self) -> &BTreeMap<String, u32> {
        &self.term_counts
    }

    fn long_enough(&self, sentence: usize) -> bool {
        self.words.as_ref().is_none_or(|w| w[sentence] >= MIN_EVIDENCE_WORDS)
    }

    /// What a trained head reads: the article embedding, then the article scores of the
    /// topics at `columns` (taxonomy indices), then their coverage, then the keyword densities.
    pub fn features(&self, columns: &[usize]) -> Vec<f32> {
        let scores = columns.iter().map(|&t| self.article(t));
        let covered = columns.iter().map(|&t| self.coverage.get(t).copied().unwrap_or(0.0));
        let lexicon = self.lexicon.iter().copied();
        self.embedding.iter().copied().chain(scores).chain(covered).chain(lexicon).collect()
    }

    /// Per topic, the share of the article's sentences (of MIN_EVIDENCE_WORDS words or more)
    /// whose best topic it is: how much of the article is about it, where the article score
    /// says how strongly its best sentences are.
    fn count_coverage(&self) -> Vec<f32> {
        let n_topics = self.sentences.first().map_or(0, Vec::len);
        let mut counts = vec![0usize; n_topics];
        let mut total = 0usize;
        for (sentence, ranks) in self.ranks.iter().enumerate() {
            if let Some(&best) = ranks.first().filter(|_| self.long_enough(sentence)) {
                counts[best] += 1;
                total += 1;
            }
        }
        counts.into_iter().map(|c| c as f32 / total.max(1) as f32).collect()
    }

    /// Every topic's article score, in taxonomy order, after the embedding (training data).
    pub fn all_features(&self) -> Vec<f32> {
        self.features(&(0..self.article_scores.len()).collect::<Vec<_>>())
    }

    /// Mean of the `TOP_SENTENCES` best sentence scores of one topic.
    pub fn article(&self, topic: usize) -> f32 {
        // 0 for an article without sentences, as the mean of no scores.
        self.article_scores.get(topic).copied().unwrap_or(0.0)
    }

    fn mean_of_best(&self, topic: usize) -> f32 {
        let mut column: Vec<f32> = self.sentences.iter().map(|s| s[topic]).collect();
        column.sort_by(|a, b| b.total_cmp(a));
        let top = &column[..column.len().min(TOP_SENTENCES)];
        top.iter().sum::<f32>() / top.len().max(1) as f32
    }

    /// Sentences about the topic, best first: it is among their best topics, they score near
    /// the threshold, and they are sentences (MIN_EVIDENCE_WORDS words), not datelines.
    pub fn evidence(&self, topic: usize, threshold: f32) -> Vec<usize> {
        let mut evidence: Vec<usize> = (0..self.sentences.len())
            .filter(|&s| self.ranks[s].contains(&topic) && self.sentences[s][topic] >= threshold - EVIDENCE_MARGIN)
            .filter(|&s| self.long_enough(s))
            .collect();
        evidence.sort_by(|&a, &b| self.sentences[b][topic].total_cmp(&self.sentences[a][topic]).then(a.cmp(&b)));
        evidence
    }

    /// The article carries the topic when its score reaches the threshold and at least one
    /// sentence is about it; returns the score and the evidence sentences. With a trained
    /// `head`, the head decides (its probability is the score) and the evidence is the
    /// sentences about the topic, or else its best sentence.
    pub fn decide(&self, topic: usize, threshold: f32, head: Option<&Head>) -> Option<(f32, Vec<usize>)> {
        if let Some(Head { head, columns, temperature }) = head {
            let sentence_score = head.pooled_sentences(&self.sentence_embeddings, *temperature);
            let probability = head.probability(&self.features(columns), &self.term_vector, sentence_score);
            if probability < head.threshold || self.sentences.is_empty() {
                return None;
            }
            let mut evidence = self.evidence(topic, threshold);
            if evidence.is_empty() {
                let best = (0..self.sentences.len())
                    .filter(|&s| self.long_enough(s))
                    .max_by(|&a, &b| self.sentences[a][topic].total_cmp(&self.sentences[b][topic]));
                evidence.extend(best);
            }
            return Some((probability, evidence));
        }
        let score = self.article(topic);
        if score < threshold {
            return None;
        }
        let evidence = self.evidence(topic, threshold);
        (!evidence.is_empty()).then_some((score, evidence))
    }
}

/// Indices of the `k` highest scores.
fn top_topics(scores: &[f32], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order.truncate(k);
    order
}

impl Stage for Topics {
    fn kind(&self) -> StageKind {
        StageKind::Topics
    }

    fn process(&mut self, mut article: Article) -> Result<Article> {
        if article.sentences.is_empty() {
            return Err(missing(Facet::Sentences));
        }
        let scores = self.scores(&article)?;
        let mut topics = Vec::new();
        for (i, def) in self.taxonomy.topics.iter().enumerate() {
            if let Some((score, evidence)) = scores.decide(i, self.taxonomy.threshold(i), self.head(i).as_ref()) {
                topics.push(Topic { topic: def.id.clone(), label: def.label.clone(), score, evidence });
            }
        }
        topics.sort_by(|a, b| b.score.total_cmp(&a.score));
        article.topics = topics;
        Ok(article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::topic_heads::TopicHead;

    #[test]
    fn a_head_decides_where_it_exists_and_evidence_falls_back_to_the_best_sentence() {
        // Two sentences, two topics; the embedding is one number so the head reads
        // [e, a0, a1, c0, c1]: both sentences are mostly about topic 1, so it covers all.
        let scores = ArticleScores::with_embedding(vec![1.0], vec![vec![0.10, 0.50], vec![0.20, 0.40]]);
        assert_eq!(scores.all_features(), vec![1.0, 0.15, 0.45, 0.0, 1.0]);
        // Zero-shot: topic 0 scores 0.15, under a 0.3 threshold.
        assert_eq!(scores.decide(0, 0.3, None), None);
        // A head that says yes: no sentence is near the zero-shot threshold for topic 0, so the
        // evidence is its best sentence (sentence 1).
        let yes = TopicHead { weights: vec![3.0, 0.0, 0.0, 0.0, 0.0], bias: 0.0, threshold: 0.5, ..Default::default() };
        let head = Head { head: &yes, columns: vec![0, 1], temperature: 1.0 };
        let (probability, evidence) = scores.decide(0, 0.3, Some(&head)).expect("head decides yes");
        assert!(probability > 0.9);
        assert_eq!(evidence, vec![1]);
        let no = TopicHead { weights: vec![-3.0, 0.0, 0.0, 0.0, 0.0], bias: 0.0, threshold: 0.5, ..Default::default() };
        let head = Head { head: &no, columns: vec![0, 1], temperature: 1.0 };
        assert_eq!(scores.decide(1, 0.3, Some(&head)), None, "the head overrides a zero-shot yes");
        assert!(scores.decide(1, 0.3, None).is_some());
    }
}
