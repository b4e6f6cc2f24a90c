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
    article_naming(sentences, names, false)
}

/// Like `article_of_sentences`, with every place a name occurs its entity's mention (an
/// article that names its company three times).
pub fn article_of_every_mention(sentences: &[&str], names: &[(&str, EntityType)]) -> Article {
    article_naming(sentences, names, true)
}

fn article_naming(sentences: &[&str], names: &[(&str, EntityType)], every: bool) -> Article {
    let text = sentences.join(" ");
    let index = TextIndex::new(&text);
    let mut article = Article { text: text.clone(), ..Default::default() };
    let mut start = 0;
    for (id, sentence) in sentences.iter().enumerate() {
        let end = start + sentence.chars().count();
        article.sentences.push(Sentence { id, start, end, tokens: vec![], credit: false });
        start = end + 1;
    }
    // (start, entity) of every mention, in text order.
    let mut places: Vec<(usize, usize)> = Vec::new();
    for (i, (name, _)) in names.iter().enumerate() {
        let found: Vec<usize> = text.match_indices(name).map(|(byte, _)| index.char_at(byte)).collect();
        assert!(!found.is_empty(), "{name} not in the text");
        places.extend(found.into_iter().take(if every { usize::MAX } else { 1 }).map(|start| (start, i)));
    }
    places.sort_unstable();
    for (i, (name, label)) in names.iter().enumerate() {
        let first_start = places.iter().find(|p| p.1 == i).map_or(0, |p| p.0);
        let mentions = places.iter().enumerate().filter(|(_, p)| p.1 == i).map(|(m, _)| m).collect();
        let entity =
            Entity { id: i, name: name.to_string(), label: *label, mentions, first_start, score: 1.0, salience: 1.0 };
        article.entities.push(entity);
    }
    for (start, i) in places {
        let (name, label) = names[i];
        let end = start + name.chars().count();
        let sentence = article.sentences.iter().position(|s| s.end >= end).unwrap_or_default();
        article.mentions.push(Mention {
            text: name.to_string(),
            start,
            end,
            label,
            score: 1.0,
            sentence,
            entity: Some(i),
        });
    }
    article
}
