//! Trained topic decisions (models/topic_heads.json, made by scripts/topics/train_heads.py):
//! per topic a logistic regression over the article's features (`ArticleScores::features`:
//! the mean sentence embedding and the zero-shot score of every taxonomy topic), with a
//! threshold chosen on the dev split. A topic without a head (one a user just added to
//! topics.toml) keeps the zero-shot decision.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TopicHead {
    pub weights: Vec<f32>,
    pub bias: f32,
    /// Probability from which the article carries the topic.
    pub threshold: f32,
}

impl TopicHead {
    pub fn probability(&self, features: &[f32]) -> f32 {
        let z: f32 = self.weights.iter().zip(features).map(|(w, x)| w * x).sum::<f32>() + self.bias;
        1.0 / (1.0 + (-z).exp())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TopicHeads {
    /// Length of the feature vector the heads were trained on.
    pub features: usize,
    /// The taxonomy topic ids, in the order of the zero-shot scores among the features.
    pub taxonomy: Vec<String>,
    pub topics: BTreeMap<String, TopicHead>,
}

impl TopicHeads {
    /// The heads in `path`; none (every topic zero-shot) when the file does not exist.
    pub fn load(path: &Path) -> Result<Self> {
        if !path.exists() {
            return Ok(TopicHeads::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        let heads: TopicHeads =
            serde_json::from_str(&text).map_err(|e| Error::Config { path: path.into(), source: Box::new(e) })?;
        if let Some((id, _)) = heads.topics.iter().find(|(_, h)| h.weights.len() != heads.features) {
            return Err(Error::ConfigInvalid {
                path: path.into(),
                reason: format!("head {id}: wrong number of weights"),
            });
        }
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
        let head = self.topics.get(id)?;
        Some(Head { head, columns: self.columns(taxonomy)? })
    }
}

/// A head ready to apply: the regression and where its zero-shot features are.
#[derive(Debug, Clone)]
pub struct Head<'a> {
    pub head: &'a TopicHead,
    /// Taxonomy index of each zero-shot score the head reads, in its training order.
    pub columns: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_apply_only_to_the_taxonomy_they_were_trained_for() {
        let head = TopicHead { weights: vec![2.0, -1.0], bias: 0.0, threshold: 0.5 };
        assert!(head.probability(&[1.0, 0.0]) > 0.85);
        assert!(head.probability(&[0.0, 1.0]) < 0.3);
        let heads = TopicHeads {
            features: 2,
            taxonomy: vec!["trade".into(), "jobs".into()],
            topics: [("trade".to_string(), head)].into(),
        };
        let current: Vec<String> = vec!["jobs".into(), "new-topic".into(), "trade".into()];
        let trade = heads.head("trade", &current).expect("a topic added to the taxonomy keeps the heads");
        assert_eq!(trade.columns, vec![2, 0], "trained order, current positions");
        assert!(heads.head("new-topic", &current).is_none(), "no head: zero-shot");
        assert!(heads.head("trade", &["trade".into()]).is_none(), "a trained topic is gone");
    }
}
