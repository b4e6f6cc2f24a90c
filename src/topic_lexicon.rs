//! Topic keywords as features of the trained heads: how densely a topic's keyword pattern
//! (`keywords` in models/topics.toml) occurs in an article. The guideline counts a theme that
//! fills one paragraph of a longer story ("small business" named three times among the shop
//! owners of a market report); the article's mean embedding and its word vector blur such a
//! paragraph, the densest run of sentences does not.
//!
//! Per pattern, two features: ln(1 + hits in the densest WINDOW consecutive sentences) and
//! ln(1 + hits in the whole article). The heads file keeps the patterns its heads were trained
//! with, so the features they read never change under them.

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

/// Consecutive sentences whose hits make a passage: about a paragraph of news.
pub const WINDOW: usize = 3;

/// One topic's keyword pattern.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TopicPattern {
    pub topic: String,
    /// A regular expression, matched case-insensitively.
    pub pattern: String,
    #[serde(skip)]
    regex: Option<Regex>,
}

/// The keyword patterns the heads read, in feature order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lexicon {
    pub patterns: Vec<TopicPattern>,
}

impl Lexicon {
    /// The lexicon of (topic, pattern) pairs, compiled; the error names the topic.
    pub fn new(patterns: impl IntoIterator<Item = (String, String)>) -> Result<Self, String> {
        let patterns = patterns.into_iter().map(|(topic, pattern)| TopicPattern { topic, pattern, regex: None });
        let mut lexicon = Lexicon { patterns: patterns.collect() };
        lexicon.compile()?;
        Ok(lexicon)
    }

    /// Compiles every pattern (after deserialising); the error names the topic.
    pub fn compile(&mut self) -> Result<(), String> {
        for p in &mut self.patterns {
            let regex = RegexBuilder::new(&p.pattern).case_insensitive(true).build();
            p.regex = Some(regex.map_err(|e| format!("keywords of topic {}: {e}", p.topic))?);
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The features of an article's story `sentences`: two per pattern (see the module).
    pub fn features(&self, sentences: &[&str]) -> Vec<f32> {
        let mut out = Vec::with_capacity(2 * self.len());
        for p in &self.patterns {
            let regex = p.regex.as_ref().expect("lexicon compiled at load");
            let hits: Vec<usize> = sentences.iter().map(|s| regex.find_iter(s).count()).collect();
            let densest = hits.windows(WINDOW.min(hits.len()).max(1)).map(|w| w.iter().sum()).max().unwrap_or(0);
            let total: usize = hits.iter().sum();
            out.push((1.0 + densest as f32).ln());
            out.push((1.0 + total as f32).ln());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(patterns: &[(&str, &str)]) -> Lexicon {
        Lexicon::new(patterns.iter().map(|(t, p)| (t.to_string(), p.to_string()))).expect("valid patterns")
    }

    #[test]
    fn the_densest_passage_counts_apart_from_the_whole_article() {
        let lexicon =
            lexicon(&[("small-business", r"\b(small business(es)?|shop ?keepers?)\b"), ("energy", r"\bcoal\b")]);
        let sentences = [
            "Small businesses along the market street have closed.",
            "Shopkeepers say rents doubled, and one small business owner left.",
            "The council met on Tuesday.",
            "The mayor spoke about parking.",
            "A shopkeeper on the square disagreed.",
        ];
        let features = lexicon.features(&sentences);
        // small business: 3 hits in the first three sentences, 4 in all; coal: none.
        let ln = |n: f32| (1.0 + n).ln();
        assert_eq!(features, vec![ln(3.0), ln(4.0), 0.0, 0.0]);
        // Fewer sentences than the window: the whole article is the passage.
        assert_eq!(lexicon.features(&["COAL and coal."]), vec![0.0, 0.0, ln(2.0), ln(2.0)]);
        assert_eq!(lexicon.features(&[]), vec![0.0; 4], "no sentences");
    }

    #[test]
    fn a_bad_pattern_is_refused_with_its_topic() {
        let broken = Lexicon::new([("trade".to_string(), "(exports".to_string())]);
        assert!(broken.unwrap_err().contains("topic trade"));
    }
}
