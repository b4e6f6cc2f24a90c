//! The topic taxonomy, models/topics.toml: user-editable, no retraining needed to add a topic.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::topic_lexicon::Lexicon;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Taxonomy {
    pub version: u32,
    /// Score a topic needs when it has no calibrated threshold of its own.
    pub default_threshold: f32,
    #[serde(rename = "topic")]
    pub topics: Vec<TopicDef>,
    /// The `keywords` patterns, compiled at load.
    #[serde(skip)]
    lexicon: Lexicon,
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
        let mut taxonomy: Taxonomy =
            toml::from_str(&text).map_err(|e| Error::Config { path: path.into(), source: Box::new(e) })?;
        if taxonomy.topics.is_empty() {
            return Err(Error::ConfigInvalid { path: path.into(), reason: "no [[topic]] entries".into() });
        }
        // A broken `keywords` pattern is one error when the pipeline is built, whether or not
        // the heads in use read the taxonomy's patterns.
        let patterns = taxonomy.topics.iter().filter_map(|t| Some((t.id.clone(), t.keywords.clone()?)));
        taxonomy.lexicon =
            Lexicon::new(patterns).map_err(|reason| Error::ConfigInvalid { path: path.into(), reason })?;
        Ok(taxonomy)
    }

    /// The keyword patterns of the topics that have `keywords`, in taxonomy order (what
    /// `eval-topics --features` writes and scripts/topics/train_heads.py copies into the heads).
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn threshold(&self, topic: usize) -> f32 {
        self.topics[topic].threshold.unwrap_or(self.default_threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_keywords_pattern_is_refused_at_load_with_its_topic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("topics.toml");
        let taxonomy = |keywords: &str| {
            format!(
                "version = 1\ndefault_threshold = 0.33\n[[topic]]\nid = \"trade\"\nlabel = \"Trade\"\n\
                 description = \"Imports and exports.\"\nkeywords = '{keywords}'\n"
            )
        };
        std::fs::write(&path, taxonomy(r"\b(exports?|imports?)\b")).unwrap();
        let loaded = Taxonomy::load(&path).expect("valid taxonomy");
        assert_eq!(loaded.topics[0].keywords.as_deref(), Some(r"\b(exports?|imports?)\b"));
        assert_eq!(loaded.lexicon().features(&["Imports and exports rose."]), vec![3f32.ln(), 3f32.ln()]);
        std::fs::write(&path, taxonomy(r"\b(exports?")).unwrap();
        match Taxonomy::load(&path) {
            Err(Error::ConfigInvalid { reason, .. }) => assert!(reason.contains("topic trade"), "{reason}"),
            other => panic!("a broken pattern must be refused at load: {other:?}"),
        }
    }
}
