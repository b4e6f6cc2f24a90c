//! Records for the stages' unit tests.

use crate::record::{Article, Entity, EntityType, Mention, Sentence};
use crate::text_index::TextIndex;

/// `text` as one sentence with the given (surface, type) mentions, each its own entity.
pub fn one_sentence_article(text: &str, names: &[(&str, EntityType)]) -> Article {
    let index = TextIndex::new(text);
    let mut article = Article {
        text: text.into(),
        sentences: vec![Sentence { id: 0, start: 0, end: index.char_len(), tokens: vec![], credit: false }],
        ..Default::default()
    };
    for (i, (name, label)) in names.iter().enumerate() {
        let start = index.char_at(text.find(name).expect("name in text"));
        let end = start + name.chars().count();
        article.mentions.push(Mention {
            text: name.to_string(),
            start,
            end,
            label: *label,
            score: 1.0,
            sentence: 0,
            entity: Some(i),
        });
        article.entities.push(Entity {
            id: i,
            name: name.to_string(),
            label: *label,
            mentions: vec![i],
            first_start: start,
            score: 1.0,
            salience: 1.0,
        });
    }
    article
}
