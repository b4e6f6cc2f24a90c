//! The topic taxonomy, models/topics.toml: user-editable, no retraining needed to add a topic.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Taxonomy {
    pub version: u32,
    /// Score a topic needs when it has no calibrated threshold of its own.
    pub default_threshold: f32,
    #[serde(rename = "topic")]
    pub topics: Vec<TopicDef>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TopicDef {
    pub id: String,
    pub label: String,
    pub description: String,
    #[serde(default)]
    pub examples: Vec<String>,
    /// A regular expression (case-insensitive) of words that signal the topic. The trained
    /// heads read how densely it occurs (`topic_lexicon`); they keep the patterns they were
    /// trained with, so a change here takes effect when the heads are retrained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    /// Calibrated on labelled data (see README); absent means `default_threshold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f32>,
}

impl Taxonomy {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::read(path, e))?;
        let taxonomy: Taxonomy =
            toml::from_str(&text).map_err(|e| Error::Config { path: path.into(), source: Box::new(e) })?;
        if taxonomy.topics.is_empty() {
            return Err(Error::ConfigInvalid { path: path.into(), reason: "no [[topic]] entries".into() });
        }
        Ok(taxonomy)
    }

    pub fn threshold(&self, topic: usize) -> f32 {
        self.topics[topic].threshold.unwrap_or(self.default_threshold)
    }
}
