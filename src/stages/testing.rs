//! Records for the stages' unit tests.

use crate::record::{Article, Entity, EntityType, Mention, Sentence};
use crate::text_index::TextIndex;

/// `text` as one sentence with the given (surface, type) mentions, each its own entity.
pub fn one_sentence_article(text: &str, names: &[(&str, EntityType)]) -> Article {
    article_of_sentences(&[text], names)
}

/// `sentences` joined by a space, with the given (surface, type) mentions at the first place
/// each is named, each its own entity.
pub fn article_of_sentences(sentences: &[&str], names: &[(&str, EntityType)]) -> Article {
    let text = sentences.join(" ");
    let index = TextIndex::new(&text);
    let mut article = Article { text: text.clone(), ..Default::default() };
    let mut start = 0;
    for (id, sentence) in sentences.iter().enumerate() {
        let end = start + sentence.chars().count();
        article.sentences.push(Sentence { id, start, end, tokens: vec![], credit: false });
        start = end + 1;
    }
    for (i, (name, label)) in names.iter().enumerate() {
        let start = index.char_at(text.find(name).expect("name in text"));
        let end = start + name.chars().count();
        let sentence = article.sentences.iter().position(|s| s.end >= end).unwrap_or_default();
        article.mentions.push(Mention {
            text: name.to_string(),
            start,
            end,
            label: *label,
            score: 1.0,
            sentence,
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
