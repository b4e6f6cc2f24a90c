//! clean: find the article body inside scraped page text.
//!
//! Method (jusText-style paragraph scoring plus two page-level rules):
//! 1. Every line is a paragraph. Each gets a class from its length and stop-word density
//!    (jusText thresholds): `Good` (long and prose-like), `NearGood`, `Short`, `Bad`.
//! 2. Site chrome is `Bad` whatever its length: known widget lines ("Follow Us", "Featured",
//!    newsletter boxes, "Show Comments" ...) and any line repeated on the page (headline echoes,
//!    teaser titles), because an article body does not repeat its own lines.
//! 3. `Short`/`NearGood` paragraphs take their class from their neighbours, as in jusText.
//! 4. The body is the longest run of good paragraphs, extended backwards over the standfirst.
//!    Everything after an end-of-article widget that follows the body (the "Follow Us" box,
//!    "Featured"/"Slideshows" teasers) is cut, even if a teaser paragraph reads like prose.
//! 5. A text with no good paragraph at all (a one-line JSON record, say) is kept whole, minus
//!    chrome: the stage never throws away an article it cannot judge.
//!
//! Nothing is deleted from `text`: kept paragraphs go to `body`, the rest to `removed` with the
//! reason, so offsets stay those of the original text.

use std::collections::HashMap;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Stage, StageKind};
use crate::error::Result;
use crate::record::{Article, RemovalReason, RemovedSpan, Span};
use crate::text_index::TextIndex;

const LENGTH_LOW: usize = 70;
const LENGTH_HIGH: usize = 200;
const STOPWORDS_LOW: f32 = 0.30;
const STOPWORDS_HIGH: f32 = 0.32;
/// Paragraphs before the body of at least this many words count as the article's standfirst.
const STANDFIRST_MIN_WORDS: usize = 5;

/// Widget lines that are never article text (compared lower-cased, trimmed).
const CHROME_LINES: &[&str] = &[
    "menu",
    "follow us",
    "featured",
    "slideshows",
    "show comments",
    "comments",
    "related",
    "related articles",
    "related stories",
    "advertisement",
    "share",
    "share this",
    "share this article",
    "tweet",
    "subscribe",
    "sign up",
    "log in",
    "login",
    "read more",
    "more stories",
    "most popular",
    "trending",
    "latest news",
    "you may also like",
    "skip to content",
    "search",
];
/// Lines containing these are chrome too (newsletter boxes, form errors).
const CHROME_FRAGMENTS: &[&str] = &["newsletter", "error: please", "cookie", "all rights reserved"];
/// Widgets that mark the end of the article body.
const END_MARKERS: &[&str] = &[
    "follow us",
    "featured",
    "slideshows",
    "show comments",
    "related",
    "related articles",
    "related stories",
    "more stories",
    "you may also like",
    "most popular",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Good,
    NearGood,
    Short,
    Bad,
}

struct Paragraph {
    /// Byte range of the trimmed line.
    start: usize,
    end: usize,
    words: usize,
    class: Class,
    /// Why the paragraph would be left out; None for good prose.
    reason: Option<RemovalReason>,
    end_marker: bool,
}

/// The clean stage's options (none yet; the struct keeps the configuration format stable).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CleanOptions {}

pub struct Clean {
    stopwords: HashSet<&'static str>,
}

impl Default for Clean {
    fn default() -> Self {
        Clean { stopwords: stop_words::get("en").iter().copied().collect() }
    }
}

impl Stage for Clean {
    fn kind(&self) -> StageKind {
        StageKind::Clean
    }

    fn process(&mut self, mut article: Article) -> Result<Article> {
        // Lines as a reader sees them: hard-wrapped lines joined, export artifacts blanked
        // (same offsets, see `normalize`).
        let view = super::normalize::model_view(&article.text);
        let mut paragraphs = self.split_and_classify(&view);
        resolve_context(&mut paragraphs);
        let keep = choose_body(&paragraphs);
        let index = TextIndex::new(&article.text);
        let span = |p: &Paragraph| Span { start: index.char_at(p.start), end: index.char_at(p.end) };
        article.body.clear();
        article.removed.clear();
        for (p, kept) in paragraphs.iter().zip(keep) {
            let s = span(p);
            if kept {
                article.body.push(s);
            } else {
                // Prose-like paragraphs dropped here lie outside the chosen body (teasers).
                let reason = p.reason.unwrap_or(RemovalReason::OutsideArticleBody);
                article.removed.push(RemovedSpan { start: s.start, end: s.end, reason });
            }
        }
        Ok(article)
    }
}

impl Clean {
    fn split_and_classify(&self, text: &str) -> Vec<Paragraph> {
        let lines = line_spans(text);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for &(s, e) in &lines {
            *counts.entry(&text[s..e]).or_default() += 1;
        }
        lines
            .into_iter()
            .map(|(start, end)| {
                let line = &text[start..end];
                let lower = line.to_lowercase();
                let words = line.split_whitespace().count();
                let end_marker = END_MARKERS.contains(&lower.as_str());
                let (class, reason) =
                    if CHROME_LINES.contains(&lower.as_str()) || CHROME_FRAGMENTS.iter().any(|f| lower.contains(f)) {
                        (Class::Bad, Some(RemovalReason::Chrome))
                    } else if counts[line] > 1 {
                        (Class::Bad, Some(RemovalReason::RepeatedLine))
                    } else {
                        self.prose_class(line)
                    };
                Paragraph { start, end, words, class, reason, end_marker }
            })
            .collect()
    }

    /// jusText's length / stop-word density classification of one paragraph.
    fn prose_class(&self, line: &str) -> (Class, Option<RemovalReason>) {
        let words: Vec<String> = line
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let stop = words.iter().filter(|w| self.stopwords.contains(w.as_str())).count();
        let density = stop as f32 / words.len().max(1) as f32;
        let length = line.chars().count();
        if length < LENGTH_LOW {
            (Class::Short, Some(RemovalReason::Short))
        } else if density >= STOPWORDS_HIGH {
            if length > LENGTH_HIGH {
                (Class::Good, None)
            } else {
                (Class::NearGood, Some(RemovalReason::NearGood))
            }
        } else if density >= STOPWORDS_LOW {
            (Class::NearGood, Some(RemovalReason::NearGood))
        } else {
            (Class::Bad, Some(RemovalReason::FewStopWords))
        }
    }
}

/// Byte ranges of the non-blank lines, trimmed.
fn line_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let lead = line.len() - line.trim_start().len();
            spans.push((offset + lead, offset + lead + trimmed.len()));
        }
        offset += line.len();
    }
    spans
}

/// jusText context rules: short and near-good paragraphs join good neighbours, else go bad.
fn resolve_context(paragraphs: &mut [Paragraph]) {
    let neighbour = |ps: &[Paragraph], i: usize, forward: bool, skip_near: bool| -> Class {
        let mut j = i;
        loop {
            if forward {
                j += 1;
                if j >= ps.len() {
                    return Class::Bad;
                }
            } else {
                if j == 0 {
                    return Class::Bad;
                }
                j -= 1;
            }
            match ps[j].class {
                Class::Good | Class::Bad => return ps[j].class,
                Class::NearGood if !skip_near => return Class::NearGood,
                _ => {}
            }
        }
    };
    let original: Vec<Class> = paragraphs.iter().map(|p| p.class).collect();
    for i in 0..paragraphs.len() {
        if original[i] != Class::Short {
            continue;
        }
        let (prev, next) = (neighbour(paragraphs, i, false, true), neighbour(paragraphs, i, true, true));
        if prev == Class::Good && next == Class::Good {
            paragraphs[i].class = Class::Good;
        }
    }
    for i in 0..paragraphs.len() {
        if original[i] != Class::NearGood {
            continue;
        }
        let (prev, next) = (neighbour(paragraphs, i, false, true), neighbour(paragraphs, i, true, true));
        if prev == Class::Good || next == Class::Good {
            paragraphs[i].class = Class::Good;
        }
    }
}

/// Which paragraphs form the body (see the module docs, steps 4 and 5).
fn choose_body(paragraphs: &[Paragraph]) -> Vec<bool> {
    let n = paragraphs.len();
    let mut keep = vec![false; n];
    let Some((first, last)) = longest_good_run(paragraphs) else {
        for (k, p) in keep.iter_mut().zip(paragraphs) {
            *k = !p.reason.is_some_and(RemovalReason::is_page_chrome);
        }
        return keep;
    };
    let mut start = first;
    while start > 0 {
        let p = &paragraphs[start - 1];
        if p.reason.is_some_and(RemovalReason::is_page_chrome) || p.words < STANDFIRST_MIN_WORDS {
            break;
        }
        start -= 1;
    }
    let end_marker = paragraphs[last..].iter().position(|p| p.end_marker).map(|i| last + i);
    let mut end = last;
    // Further good runs after the main one belong to the body only if no end widget is between.
    for (i, p) in paragraphs.iter().enumerate().skip(last + 1) {
        if end_marker.is_some_and(|m| i >= m) {
            break;
        }
        if p.class == Class::Good {
            end = i;
        }
    }
    for (i, k) in keep.iter_mut().enumerate().take(end + 1).skip(start) {
        *k = paragraphs[i].class == Class::Good || i < first;
    }
    keep
}

/// The run of consecutive good paragraphs with the most characters.
fn longest_good_run(paragraphs: &[Paragraph]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize, usize)> = None;
    let mut i = 0;
    while i < paragraphs.len() {
        if paragraphs[i].class != Class::Good {
            i += 1;
            continue;
        }
        let start = i;
        let mut size = 0;
        while i < paragraphs.len() && paragraphs[i].class == Class::Good {
            size += paragraphs[i].end - paragraphs[i].start;
            i += 1;
        }
        if best.is_none_or(|(_, _, s)| size > s) {
            best = Some((start, i - 1, size));
        }
    }
    best.map(|(s, e, _)| (s, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(article: &Article) -> Vec<String> {
        article.body.iter().map(|s| article.slice(s.start, s.end)).collect()
    }

    #[test]
    fn seed_page_keeps_the_article_and_drops_chrome_and_teasers() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/alibaba-ma-trump.txt");
        let text = std::fs::read_to_string(path).expect("seed page");
        let article = Clean::default().process(Article { text, ..Default::default() }).unwrap();
        let body = kept(&article);
        assert_eq!(
            body.first().map(String::as_str),
            Some("Chinese e-commerce giant pushes its online marketplace to Trump")
        );
        assert!(body.last().unwrap().starts_with("In recent weeks, Alibaba has announced a crackdown"));
        assert_eq!(body.len(), 11, "{body:#?}");
        let removed: Vec<(String, RemovalReason)> =
            article.removed.iter().map(|r| (article.slice(r.start, r.end), r.reason)).collect();
        assert!(removed.iter().any(|(t, r)| t == "Follow Us" && *r == RemovalReason::Chrome));
        assert!(removed
            .iter()
            .any(|(t, r)| t.starts_with("As the channel changes") && *r == RemovalReason::OutsideArticleBody));
        assert!(removed
            .iter()
            .any(|(t, r)| t.starts_with("Alibaba could generate") && *r == RemovalReason::RepeatedLine));
    }

    #[test]
    fn a_single_short_record_is_kept_whole() {
        let text = "Alibaba met Trump.".to_string();
        let article = Clean::default().process(Article { text, ..Default::default() }).unwrap();
        assert_eq!(kept(&article), ["Alibaba met Trump."]);
    }

    #[test]
    fn offsets_are_code_points_of_the_original_text() {
        let text = "Menu\n“Zürich” café news\n\nThe billionaire head of the biggest retailer met with the president on Monday to promote his site and the jobs it could create in the country.\n".to_string();
        let article = Clean::default().process(Article { text, ..Default::default() }).unwrap();
        let body = kept(&article);
        assert_eq!(body.last().unwrap(), "The billionaire head of the biggest retailer met with the president on Monday to promote his site and the jobs it could create in the country.");
    }
}
