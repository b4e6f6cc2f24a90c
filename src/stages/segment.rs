//! segment: sentences of the body, and the model's word pieces of each sentence.
//!
//! Sentences follow Unicode sentence boundaries (UAX #29) inside each body paragraph, re-joined
//! after abbreviations and initials ("U.S. Trade Representative", "Sen. Warren"). No sentence
//! is longer than MAX_SENTENCE_CHARS: a longer one is a flattened table, timeline or list (one
//! such "sentence" of 12,050 characters once made half of a sample job's person-company links),
//! and is cut at its best separators (line break, ";", bullets, dashes, ":", ",", a space). Word pieces
//! come from the NER model's tokenizer.json through the HF `tokenizers` crate; their offsets
//! are mapped back to code points of the original text.

use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;
use unicode_segmentation::UnicodeSegmentation;

use super::{Stage, StageKind};
use crate::error::{Error, Result};
use crate::models::{load_tokenizer, ModelDir};
use crate::record::{Article, RemovalReason, Sentence, Span, Token};
use crate::text_index::TextIndex;

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "st", "jr", "sr", "inc", "corp",
    "co", "ltd", "vs", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt",
    "ft", "pres", "rev", "hon", "u.s", "u.k", "u.n", "sens", "reps",
];

/// The segment stage's options (none yet; the struct keeps the configuration format stable).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentOptions {}

/// Longest sentence, in characters. News sentences rarely pass 450 (99.9% of the sample job's
/// sentences are shorter than 475).
pub const MAX_SENTENCE_CHARS: usize = 500;
/// Where a too-long sentence is cut, best first; a piece is at least half the cap long.
const CUTS: &[&str] = &["\n", "; ", " • ", " | ", " – ", " — ", " - ", ": ", ", ", " "];

pub struct Segment {
    tokenizer: Tokenizer,
}

impl Segment {
    pub fn load(models: &ModelDir) -> Result<Self> {
        Ok(Segment { tokenizer: load_tokenizer(&models.ner())? })
    }
}

impl Stage for Segment {
    fn kind(&self) -> StageKind {
        StageKind::Segment
    }

    fn process(&mut self, mut article: Article) -> Result<Article> {
        // Same offsets as `text`, export artifacts blanked (see `normalize`).
        let view = super::normalize::model_view(&article.text);
        let index = TextIndex::new(&view);
        let body =
            if article.body.is_empty() { vec![Span { start: 0, end: index.char_len() }] } else { article.body.clone() };
        // Credit lines that clean kept out of the body follow its sentences: they name the
        // outlet's staff ("Reporting by A; Editing by B"), which the link stage reads.
        let credits = article.removed.iter().filter(|r| r.reason == RemovalReason::Byline).map(|r| (r.start, r.end));
        let spans = body.iter().map(|s| (s.start, s.end, false)).chain(credits.map(|(s, e)| (s, e, true)));
        let mut sentences = Vec::new();
        for (span_start, span_end, credit) in spans {
            let (b0, b1) = (index.byte(span_start), index.byte(span_end));
            for (s, e) in sentence_bounds(&view[b0..b1]) {
                let start = index.char_at(b0 + s);
                let tokens = self.tokens(&view[b0 + s..b0 + e], start)?;
                let end = index.char_at(b0 + e);
                sentences.push(Sentence { id: sentences.len(), start, end, tokens, credit });
            }
        }
        article.sentences = sentences;
        Ok(article)
    }
}

impl Segment {
    fn tokens(&self, sentence: &str, char_start: usize) -> Result<Vec<Token>> {
        let encoding = self.tokenizer.encode_char_offsets(sentence, false).map_err(Error::Tokenize)?;
        Ok(encoding
            .get_ids()
            .iter()
            .zip(encoding.get_offsets())
            .map(|(&id, &(s, e))| Token(id, char_start + s, char_start + e))
            .collect())
    }
}

/// Byte ranges of the sentences of one paragraph, trimmed, never empty.
pub fn sentence_bounds(paragraph: &str) -> Vec<(usize, usize)> {
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, piece) in paragraph.split_sentence_bound_indices() {
        let end = start + piece.len();
        match merged.last_mut() {
            Some(last) if ends_with_abbreviation(&paragraph[last.0..last.1]) => last.1 = end,
            _ => merged.push((start, end)),
        }
    }
    let mut bounded = Vec::new();
    for (s, e) in merged {
        cut_long(paragraph, s, e, &mut bounded);
    }
    bounded
}

/// Pushes [start, end) of `text`, trimmed, cut into pieces of at most MAX_SENTENCE_CHARS.
fn cut_long(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let mut from = start;
    while from < end {
        let piece = &text[from..end];
        let at_char = |n: usize| piece.char_indices().nth(n).map(|(i, _)| from + i);
        let Some(limit) = at_char(MAX_SENTENCE_CHARS) else {
            push_trimmed(text, from, end, out);
            return;
        };
        let floor = at_char(MAX_SENTENCE_CHARS / 2).unwrap_or(from);
        let window = &text[floor..limit];
        let cut = CUTS.iter().find_map(|c| window.rfind(c).map(|i| floor + i + c.len())).unwrap_or(limit);
        push_trimmed(text, from, cut, out);
        from = cut;
    }
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let piece = &text[start..end];
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        let lead = piece.len() - piece.trim_start().len();
        out.push((start + lead, start + lead + trimmed.len()));
    }
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let Some(last) = sentence.split_whitespace().last() else { return false };
    let Some(word) = last.strip_suffix('.') else { return false };
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    // Initials such as "J." or "D.C." are abbreviations too.
    let initials = !word.is_empty()
        && word.split('.').all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic));
    initials || ABBREVIATIONS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_abbreviations_inside_sentences() {
        let p = "It was placed on the U.S. Trade Representative's list. Sen. Elizabeth Warren spoke.";
        let s: Vec<&str> = sentence_bounds(p).into_iter().map(|(a, b)| &p[a..b]).collect();
        assert_eq!(s, vec!["It was placed on the U.S. Trade Representative's list.", "Sen. Elizabeth Warren spoke."]);
        let p = "Two Republicans, Sens. Susan Collins and Lisa Murkowski, voted no.";
        assert_eq!(sentence_bounds(p).len(), 1);
    }

    #[test]
    fn flattened_tables_are_cut_at_separators_into_bounded_sentences() {
        // The shape of the sample job's attack timeline: records with no sentence punctuation.
        let record = "OTTAWA, CANADA October, 2014 TARGET: One soldier killed at war memorial; two wounded \
                      ATTACKER: Michael Zehaf-Bibeau More than 3,000 stories ";
        let table = record.repeat(40);
        let pieces = sentence_bounds(&table);
        assert!(pieces.len() >= table.chars().count() / MAX_SENTENCE_CHARS);
        for &(s, e) in &pieces {
            let piece = &table[s..e];
            assert!(piece.chars().count() <= MAX_SENTENCE_CHARS, "{} chars", piece.chars().count());
            assert!(piece.chars().count() >= MAX_SENTENCE_CHARS / 2 - 1 || e == table.trim_end().len());
            assert!(!piece.contains("Michael\u{20}") || piece.contains("Michael Zehaf-Bibeau"), "a name cut in two");
        }
        // Nothing but whitespace is lost between pieces.
        let mut at = 0;
        for &(s, e) in &pieces {
            assert!(table[at..s].trim().is_empty());
            at = e;
        }
        // Ordinary sentences stay whole.
        let long = format!("{} end.", "word ".repeat(90));
        assert_eq!(sentence_bounds(&long).len(), 1);
    }
}
