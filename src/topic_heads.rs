//! Trained topic decisions (models/topic_heads.json, made by scripts/topics/train_heads.py):
//! per topic a logistic regression over the article's features (`ArticleScores::features`:
//! the mean sentence embedding and the zero-shot score of every taxonomy topic) and, when the
//! heads carry a vocabulary, the article's tf-idf word vector, and, when the head carries
//! sentence weights, the pooled score of the article's sentences (a smooth maximum, so that a
//! theme carried by one paragraph can count), and, when the heads carry keyword patterns, their
//! densities (`topic_lexicon`, among the dense features), with a threshold chosen out of fold. A topic
//! without a head (one a user just added to topics.toml) keeps the zero-shot decision.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::topic_lexicon::Lexicon;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TopicHead {
    pub weights: Vec<f32>,
    /// One weight per vocabulary term (none when the heads have no vocabulary).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub term_weights: Vec<f32>,
    /// One weight per sentence embedding dimension (none: the head reads no sentences).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentence_weights: Vec<f32>,
    pub bias: f32,
    /// Probability from which the article carries the topic.
    pub threshold: f32,
}

impl TopicHead {
    /// The head's probability for dense `features`, a sparse tf-idf `terms` vector and the
    /// pooled score of the article's sentences (`pooled_sentences`).
    pub fn probability(&self, features: &[f32], terms: &[(usize, f32)], sentence_score: f32) -> f32 {
        let dense: f32 = self.weights.iter().zip(features).map(|(w, x)| w * x).sum();
        let words: f32 = terms.iter().filter_map(|&(i, x)| self.term_weights.get(i).map(|w| w * x)).sum();
        1.0 / (1.0 + (-(dense + words + sentence_score + self.bias)).exp())
    }

    /// The smooth maximum of the sentences' scores (`sentence_weights` · embedding): the
    /// temperature times the log of the mean of exp(score / temperature), as
    /// scripts/topics/train_heads.py fits it. 0 without sentence weights or sentences.
    pub fn pooled_sentences(&self, sentences: &[Vec<f32>], temperature: f32) -> f32 {
        if self.sentence_weights.is_empty() || sentences.is_empty() {
            return 0.0;
        }
        let scores: Vec<f32> = sentences
            .iter()
            .map(|e| self.sentence_weights.iter().zip(e).map(|(w, x)| w * x).sum::<f32>() / temperature)
            .collect();
        let top = scores.iter().copied().fold(f32::MIN, f32::max);
        let mean = scores.iter().map(|s| (s - top).exp()).sum::<f32>() / scores.len() as f32;
        temperature * (top + mean.ln())
    }
}

/// Words as scikit-learn's CountVectorizer finds them (runs of two or more word characters,
/// lowercased), so that the heads' vocabulary could come from either side.
static WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\w\w+\b").expect("word pattern"));

/// How often each word occurs in `texts` (lowercased).
pub fn term_counts<'a>(texts: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, u32> {
    let mut counts = BTreeMap::new();
    for text in texts {
        let lower = text.to_lowercase();
        for word in WORD.find_iter(&lower) {
            *counts.entry(word.as_str().to_string()).or_insert(0) += 1;
        }
    }
    counts
}

/// The words the heads read, with their inverse document frequencies (from the training
/// articles).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Vocabulary {
    pub terms: Vec<String>,
    pub idf: Vec<f32>,
    #[serde(skip)]
    index: HashMap<String, usize>,
}

impl Vocabulary {
    pub fn new(terms: Vec<String>, idf: Vec<f32>) -> Self {
        let mut vocabulary = Vocabulary { terms, idf, index: HashMap::new() };
        vocabulary.build_index();
        vocabulary
    }

    fn build_index(&mut self) {
        self.index = self.terms.iter().enumerate().map(|(i, t)| (t.clone(), i)).collect();
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The article's tf-idf vector over the vocabulary: (1 + ln count) × idf per known word,
    /// scaled to unit length (scikit-learn's `sublinear_tf`, `norm="l2"`).
    pub fn tf_idf(&self, counts: &BTreeMap<String, u32>) -> Vec<(usize, f32)> {
        let mut vector: Vec<(usize, f32)> = counts
            .iter()
            .filter_map(|(word, &n)| self.index.get(word).map(|&i| (i, (1.0 + (n as f32).ln()) * self.idf[i])))
            .collect();
        let norm = vector.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
        if norm > 0.0 {
            vector.iter_mut().for_each(|(_, x)| *x /= norm);
        }
        vector.sort_unstable_by_key(|&(i, _)| i);
        vector
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TopicHeads {
    /// Length of the feature vector the heads were trained on.
    pub features: usize,
    /// The taxonomy topic ids, in the order of the zero-shot scores among the features.
    pub taxonomy: Vec<String>,
    /// The words of the tf-idf features (empty: the heads read the dense features only).
    #[serde(default, skip_serializing_if = "Vocabulary::is_empty")]
    pub vocabulary: Vocabulary,
    /// The keyword patterns whose density the heads read, after the zero-shot features (empty:
    /// heads trained without them).
    #[serde(default, skip_serializing_if = "Lexicon::is_empty")]
    pub lexicon: Lexicon,
    /// The temperature of the sentence pooling (read only by heads with sentence weights).
    #[serde(default = "default_temperature")]
    pub sentence_temperature: f32,
    pub topics: BTreeMap<String, TopicHead>,
}

fn default_temperature() -> f32 {
    1.0
}

impl Default for TopicHeads {
    fn default() -> Self {
        TopicHeads {
            features: 0,
            taxonomy: Vec::new(),
            vocabulary: Vocabulary::default(),
            lexicon: Lexicon::default(),
            sentence_temperature: default_temperature(),
            topics: BTreeMap::new(),
        }
    }
}

impl TopicHeads {
    /// The heads in `path`; none (every topic zero-shot) when the file does not exist.
    pub fn load(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Ok(TopicHeads::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        let mut heads: TopicHeads =
            serde_json::from_str(&text).map_err(|e| Error::Config { path: path.into(), source: Box::new(e) })?;
        let terms = heads.vocabulary.terms.len();
        let invalid = |reason: String| Err(Error::ConfigInvalid { path: path.into(), reason });
        if heads.vocabulary.idf.len() != terms {
            return invalid(format!("{terms} vocabulary terms but {} idf values", heads.vocabulary.idf.len()));
        }
        if heads.sentence_temperature <= 0.0 {
            return invalid(format!("sentence temperature {} is not positive", heads.sentence_temperature));
        }
        for (id, head) in &heads.topics {
            if head.weights.len() != heads.features || head.term_weights.len() != terms {
                return invalid(format!("head {id}: wrong number of weights"));
            }
        }
        heads.vocabulary.build_index();
        heads.lexicon.compile().map_err(|reason| Error::ConfigInvalid { path: path.into(), reason })?;
        Ok(heads)
    }

    /// Where each topic the heads read sits in `taxonomy` (the current topic ids), or None
    /// when a topic they were trained with is gone. Topics added since keep working: they get
    /// no head, and the heads read the scores of their own topics wherever they now are.
    pub fn columns(&self, taxonomy: &[String]) -> Option<Vec<usize>> {
        self.taxonomy.iter().map(|id| taxonomy.iter().position(|t| t == id)).collect()
    }

    /// The head of topic `id` with the columns it reads, for the taxonomy `taxonomy`.
    pub fn head<'a>(&'a self, id: &str, taxonomy: &[String]) -> Option<Head<'a>> {
        self.head_reading(id, self.columns(taxonomy)?)
    }

    /// The head of topic `id` reading the zero-shot scores at `columns`, as `columns` gives them
    /// for the current taxonomy (a caller that keeps them computes them once).
    pub fn head_reading(&self, id: &str, columns: Vec<usize>) -> Option<Head<'_>> {
        let head = self.topics.get(id)?;
        Some(Head { head, columns, temperature: self.sentence_temperature })
    }
}

/// A head ready to apply: the regression and where its zero-shot features are.
#[derive(Debug, Clone)]
pub struct Head<'a> {
    pub head: &'a TopicHead,
    /// Taxonomy index of each zero-shot score the head reads, in its training order.
    pub columns: Vec<usize>,
    /// The heads' sentence pooling temperature.
    pub temperature: f32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_apply_only_to_the_taxonomy_they_were_trained_for() {
        let head = TopicHead { weights: vec![2.0, -1.0], bias: 0.0, threshold: 0.5, ..Default::default() };
        assert!(head.probability(&[1.0, 0.0], &[], 0.0) > 0.85);
        assert!(head.probability(&[0.0, 1.0], &[], 0.0) < 0.3);
        let heads = TopicHeads {
            features: 2,
            taxonomy: vec!["trade".into(), "jobs".into()],
            topics: [("trade".to_string(), head)].into(),
            ..Default::default()
        };
        let current: Vec<String> = vec!["jobs".into(), "new-topic".into(), "trade".into()];
        let trade = heads.head("trade", &current).expect("a topic added to the taxonomy keeps the heads");
        assert_eq!(trade.columns, vec![2, 0], "trained order, current positions");
        assert!(heads.head("new-topic", &current).is_none(), "no head: zero-shot");
        assert!(heads.head("trade", &["trade".into()]).is_none(), "a trained topic is gone");
    }

    #[test]
    fn heads_read_the_keyword_patterns_they_were_trained_with_and_refuse_a_broken_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("topic_heads.json");
        let heads = |pattern: &str| {
            let patterns = serde_json::json!([{"topic": "trade", "pattern": pattern}]);
            serde_json::json!({"features": 2, "taxonomy": ["trade"], "lexicon": {"patterns": patterns}, "topics": {}})
        };
        std::fs::write(&path, heads(r"\bexports?\b").to_string()).unwrap();
        let loaded = TopicHeads::load(&path).expect("valid heads");
        let three = 3f32.ln();
        assert_eq!(loaded.lexicon.features(&["Exports rose, then EXPORTS fell.", "Nothing else."]), vec![three, three]);
        std::fs::write(&path, heads("(exports").to_string()).unwrap();
        match TopicHeads::load(&path) {
            Err(Error::ConfigInvalid { reason, .. }) => assert!(reason.contains("topic trade"), "{reason}"),
            other => panic!("a broken pattern must be refused at load: {other:?}"),
        }
    }

    #[test]
    fn tf_idf_counts_words_as_scikit_learn_does() {
        let counts = term_counts(["Farmers' wheat exports: wheat, WHEAT and a 2016 U.S. deal"]);
        // Single characters are no words; case folds; digits count.
        assert_eq!(counts.get("wheat"), Some(&3));
        assert_eq!(counts.get("farmers"), Some(&1));
        assert_eq!(counts.get("2016"), Some(&1));
        assert!(!counts.contains_key("a") && !counts.contains_key("u"));
        let vocabulary = Vocabulary::new(vec!["exports".into(), "wheat".into(), "tariff".into()], vec![2.0, 1.5, 3.0]);
        let vector = vocabulary.tf_idf(&counts);
        // exports: 1 × 2.0; wheat: (1 + ln 3) × 1.5; then unit length. tariff is absent.
        let wheat = (1.0 + 3f32.ln()) * 1.5;
        let norm = (4.0 + wheat * wheat).sqrt();
        assert_eq!(vector.len(), 2);
        assert!((vector[0].1 - 2.0 / norm).abs() < 1e-6 && (vector[1].1 - wheat / norm).abs() < 1e-6);
        let head = TopicHead { term_weights: vec![0.0, 4.0, -9.0], bias: -1.0, threshold: 0.5, ..Default::default() };
        assert!(head.probability(&[], &vector, 0.0) > 0.8, "wheat pushes it up");
    }

    #[test]
    fn one_sentence_can_carry_a_topic_through_the_pooled_sentence_score() {
        // Embeddings of three sentences; only the last is about the head's theme (dimension 0).
        let sentences = vec![vec![0.0, 1.0], vec![0.0, 1.0], vec![1.0, 0.0]];
        let head = TopicHead { sentence_weights: vec![4.0, 0.0], bias: -2.0, threshold: 0.5, ..Default::default() };
        // Low temperature: about the best sentence's score (4), less temperature × ln 3.
        let sharp = head.pooled_sentences(&sentences, 0.1);
        assert!((sharp - (4.0 - 0.1 * 3f32.ln())).abs() < 1e-3, "{sharp}");
        // High temperature: about the mean score (4 / 3), so one sentence in three counts little.
        let flat = head.pooled_sentences(&sentences, 100.0);
        assert!((flat - 4.0 / 3.0).abs() < 0.05, "{flat}");
        assert!(head.probability(&[], &[], sharp) > 0.85);
        assert!(head.probability(&[], &[], flat) < 0.5);
        assert_eq!(head.pooled_sentences(&[], 0.1), 0.0, "no sentences");
        let plain = TopicHead { bias: -2.0, threshold: 0.5, ..Default::default() };
        assert_eq!(plain.pooled_sentences(&sentences, 0.1), 0.0, "a head without sentence weights");
    }
}
