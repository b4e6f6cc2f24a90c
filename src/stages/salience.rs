//! How central an entity is to its article, in [0, 1]: how often it is named, how early, whether
//! the title names it, and how much of the article it spreads over. A name mentioned once, late
//! and nowhere else (a share button, one item of a list) scores about 0.1-0.2; the article's
//! subject 0.7-1.

use crate::record::{Article, Entity};

/// Mentions at which frequency counts in full.
const FULL_FREQUENCY: f32 = 4.0;
const WEIGHT_FREQUENCY: f32 = 0.35;
const WEIGHT_POSITION: f32 = 0.25;
const WEIGHT_TITLE: f32 = 0.2;
const WEIGHT_SPREAD: f32 = 0.2;

pub fn salience(entity: &Entity, article: &Article) -> f32 {
    // Credit lines after the body count as its end.
    let n = article.story_sentences().len().max(1) as f32;
    let mut sentences: Vec<usize> = entity.mentions.iter().map(|&m| article.mentions[m].sentence).collect();
    sentences.sort_unstable();
    sentences.dedup();
    let frequency = (entity.mentions.len() as f32 / FULL_FREQUENCY).min(1.0);
    let position = (1.0 - sentences.first().copied().unwrap_or(0) as f32 / n).max(0.0);
    let title = article.title.as_deref().map(str::to_lowercase).is_some_and(|title| {
        std::iter::once(entity.name.as_str())
            .chain(entity.mentions.iter().map(|&m| article.mentions[m].text.as_str()))
            .any(|name| title.contains(&name.to_lowercase()))
    });
    // Named in a quarter of the sentences counts as spread over the whole article.
    let spread = (sentences.len() as f32 / (n / 4.0).max(1.0)).min(1.0);
    let score = WEIGHT_FREQUENCY * frequency
        + WEIGHT_POSITION * position
        + WEIGHT_TITLE * f32::from(u8::from(title))
        + WEIGHT_SPREAD * spread;
    (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{EntityType, Mention, Sentence};

    fn mention(text: &str, sentence: usize) -> Mention {
        Mention { text: text.into(), start: 0, end: 0, label: EntityType::Company, score: 0.9, sentence, entity: None }
    }

    #[test]
    fn the_subject_outranks_a_passing_mention() {
        let sentences =
            (0..12).map(|i| Sentence { id: i, start: i, end: i + 1, tokens: vec![], credit: false }).collect();
        let mut mentions: Vec<Mention> = [0, 1, 4, 9].iter().map(|&s| mention("Alibaba", s)).collect();
        mentions.push(mention("eBay", 10));
        let article = Article {
            title: Some("Alibaba could generate 1 million new US jobs".into()),
            sentences,
            mentions,
            ..Default::default()
        };
        let entity = |name: &str, mentions: Vec<usize>| Entity {
            id: 0,
            name: name.into(),
            label: EntityType::Company,
            mentions,
            first_start: 0,
            score: 0.9,
            salience: 0.0,
        };
        let subject = salience(&entity("Alibaba", vec![0, 1, 2, 3]), &article);
        let passing = salience(&entity("eBay", vec![4]), &article);
        assert!(subject > 0.9, "{subject}");
        assert!(passing < crate::stages::link::DEFAULT_MIN_SALIENCE, "{passing}");
    }
}
