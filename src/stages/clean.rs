//! clean: find the article body inside scraped page text.
//!
//! Method (jusText-style paragraph scoring plus page-level rules):
//! 1. Every line is a paragraph. Each gets a class from its length and stop-word density
//!    (jusText thresholds): `Good` (long and prose-like), `NearGood`, `Short`, `Bad`. A wire
//!    dateline lead ("ALMATY, Jan 9 (Reuters) - ...") is `Good` whatever its stop words.
//! 2. Lines that are never article text are removed whatever their neighbours: known widget
//!    lines ("Follow Us", "Featured", short newsletter boxes ...), any line repeated on the page
//!    (headline echoes, teaser titles: an article body does not repeat its own lines), and
//!    byline and credit lines ("By Jane Doe", "Reporting by ...", "Scott Heins/Getty Images").
//! 3. `Short`/`NearGood` paragraphs take their class from their neighbours, as in jusText.
//! 4. The body is the biggest run of good paragraphs (an inline widget or byline line does not
//!    cut a run; an end-of-article widget or a repeated line does), taken under the page's
//!    headline when the page shows it (the article title, maybe without " - Site name"). It
//!    grows over neighbouring prose lines (whole sentences, list items) while at most a few
//!    other lines come between, never across an end-of-article widget ("Follow Us",
//!    "Featured", "Read more", "Comments" ...), then backwards over the standfirst. Inside the
//!    body every line is kept except those of step 2 and lone tokens ("3", "getty"), so an
//!    inline widget costs only its own line.
//! 5. A text with no good paragraph takes its near-good ones as good when they make most of
//!    it (a story of short paragraphs); any other (a one-line JSON record, say) is kept whole,
//!    minus chrome: the stage never throws away an article it cannot judge.
//!
//! Nothing is deleted from `text`: kept paragraphs go to `body`, the rest to `removed` with the
//! reason, so offsets stay those of the original text.

use std::collections::HashMap;
use std::collections::HashSet;

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{Stage, StageKind};
use crate::error::Result;
use crate::input::html::TITLE_SEPARATORS;
use crate::record::{Article, RemovalReason, RemovedSpan, Span};
use crate::text_index::TextIndex;

const LENGTH_LOW: usize = 70;
const LENGTH_HIGH: usize = 200;
const STOPWORDS_LOW: f32 = 0.30;
const STOPWORDS_HIGH: f32 = 0.32;
/// Paragraphs before the body of at least this many words count as the article's standfirst.
const STANDFIRST_MIN_WORDS: usize = 5;
/// Good runs separated from the body by at most this many non-prose lines join it (inline
/// widgets, captions and credits come one to a few lines at a time; chosen on the annotated
/// train and dev articles).
const MAX_GAP_LINES: usize = 4;
/// Longer lines are prose that merely mentions a widget word ("... our newsletter ..."), not a
/// widget; a fragment match needs a shorter line.
const CHROME_FRAGMENT_MAX_WORDS: usize = 20;
/// Byline and credit lines are short; a bare "By ..." line and a photo credit alone (no
/// caption before it) shorter still.
const BYLINE_MAX_WORDS: usize = 14;
const BY_AUTHOR_MAX_WORDS: usize = 8;
const PHOTO_CREDIT_MAX_WORDS: usize = 8;
/// "Reporting by A, B and C; additional reporting by ...; editing by ..." runs long but is
/// never prose.
const REPORTING_CREDIT_MAX_WORDS: usize = 40;
/// Shorter "sentences" are captions and interjections, not enough to extend a body.
const SENTENCE_MIN_WORDS: usize = 4;
/// Near-good paragraphs stand in for good ones when they make this share of a text that has no
/// good paragraph.
const NEAR_GOOD_STORY_SHARE: f32 = 0.5;
/// A dateline lead needs a sentence after its dateline.
const DATELINE_MIN_WORDS: usize = 8;

/// "By Jane Doe", "(Reporting by ...; Editing by ...)", "Jane Doe contributed to this report",
/// credit and copyright lines ("Image: AP", "Credit: Triangle News", "© 2022 AFP").
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\(?(?:posted\s+by|written\s+by|report(?:ing)?\s+(?:by|of)|writing\s+by|editing\s+by|additional\s+reporting\s+by|compiled\s+by|translated(?:\s+and\s+edited)?\s+by|with\s+(?:inputs|reports)\s+from)\s+\S
          | contributed\s+(?:reporting\s+)?to\s+this\s+(?:report|story|article)\.?\)?$
          | ^(?:image|images|photo|photos|picture|credit|credits|photograph|source)\s*:
          | ^©",
    )
    .expect("byline pattern")
});
/// A bare "By Jane Doe" / "Article By Greg Morcroft, Fintel" (short and not a sentence: "By
/// Monday, the firm had sold out." is prose).
static BY_AUTHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\(?(?:article\s+)?by\s+\p{Lu}").expect("byline pattern"));
static REPORTING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?(?:reporting|writing|editing|additional\s+reporting)\s+by\s+\S").expect("credit pattern")
});
/// A photo credit: "Scott Heins/Getty Images", "(Andrey Borodulin/AFP via Getty Images)".
static PHOTO_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:getty\s+images|shutterstock|/\s*(?:ap|afp|reuters|epa|efe|xinhua))\s*\)?\.?$")
        .expect("credit pattern")
});
/// A wire dateline opening a lead: "ALMATY, Jan 9 (Reuters) -", "WASHINGTON (AP) —",
/// "NEW DELHI:", "LONDON, March 3 --", "July 27 (Reuters) -", "NEW YORK--(BUSINESS WIRE)--".
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^\p{Lu}[\p{Lu}\p{M}\ .'’-]*\p{Lu}(?:/\p{Lu}[\p{Lu}\ .'’-]*)?(?:,[^()\n:–—-]{1,40})?\s*(?:\([^()\n]{1,40}\))?\s*(?:-{1,2}|–|—|:)\s*\S
          | ^[^()\n]{0,40}\((?:Reuters|AP|AFP|Bloomberg|UPI|IANS|PTI|ANI|Xinhua|dpa|EFE|BUSINESS\ WIRE|PRNewswire|GLOBE\ NEWSWIRE)\)\s*(?:-{1,2}|–|—)",
    )
    .expect("dateline pattern")
});

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
    "register",
    "error!",
    "success!",
    "almost finished...",
    "getty",
    "getty images",
    "advertisement - scroll to continue",
];
/// A line made only of these words is a row of buttons ("Share Tweet Email", "Twitter").
const BUTTON_WORDS: &[&str] = &[
    "share",
    "tweet",
    "email",
    "e-mail",
    "print",
    "facebook",
    "twitter",
    "linkedin",
    "whatsapp",
    "pinterest",
    "reddit",
    "telegram",
    "comments",
    "comment",
    "save",
    "copy",
    "link",
    "x",
    "more",
];
/// Lines containing these are chrome too (newsletter boxes, form errors).
const CHROME_FRAGMENTS: &[&str] = &[
    "newsletter",
    "error: please",
    "cookie",
    "all rights reserved",
    "copyright ©",
    "read the original article",
    "support quality journalism",
    "click here",
    "subscribe to our",
    "all materials posted herein",
    "confirm your email",
    "to your inbox",
    "trust principles",
    "distributed by tribune content agency",
];
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
    "further reading",
    "read more",
    "more on this story",
    "recommended",
    "recommended for you",
    "related coverage",
    "most read",
    "editor's picks",
    "leave a comment",
    "comments",
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
    /// Reads as running text: a whole sentence, or an item of a list that continues one.
    prose: bool,
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
        promote_near_good(&mut paragraphs);
        let headline = article.title.as_deref().and_then(|t| headline_line(&view, &paragraphs, t));
        let keep = choose_body(&paragraphs, headline);
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
        // Lines the view blanks (bare HTML tags such as "</li><li>") are not text, but nothing
        // of the page goes unaccounted for.
        for (start, end) in line_spans(&article.text) {
            if view[start..end].trim().is_empty() {
                let reason = RemovalReason::Markup;
                article.removed.push(RemovedSpan { start: index.char_at(start), end: index.char_at(end), reason });
            }
        }
        article.removed.sort_by_key(|r| r.start);
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
                let fragment = words <= CHROME_FRAGMENT_MAX_WORDS && CHROME_FRAGMENTS.iter().any(|f| lower.contains(f));
                let buttons = lower
                    .split_whitespace()
                    .all(|w| BUTTON_WORDS.contains(&w.trim_matches(|c: char| !c.is_alphanumeric())));
                let (class, reason) = if CHROME_LINES.contains(&lower.as_str()) || fragment || buttons {
                    (Class::Bad, Some(RemovalReason::Chrome))
                } else if counts[line] > 1 {
                    (Class::Bad, Some(RemovalReason::RepeatedLine))
                } else if (words <= BYLINE_MAX_WORDS && BYLINE.is_match(line))
                    || (words <= BY_AUTHOR_MAX_WORDS && BY_AUTHOR.is_match(line) && !is_sentence(line, words))
                    || (words <= PHOTO_CREDIT_MAX_WORDS && PHOTO_CREDIT.is_match(line))
                    || (words <= REPORTING_CREDIT_MAX_WORDS && REPORTING_CREDIT.is_match(line))
                {
                    (Class::Bad, Some(RemovalReason::Byline))
                } else if words >= DATELINE_MIN_WORDS && DATELINE.is_match(line) {
                    (Class::Good, None)
                } else {
                    self.prose_class(line)
                };
                let prose = reason.is_none_or(|r| !r.is_never_body()) && (is_sentence(line, words) || continues(line));
                Paragraph { start, end, words, class, reason, end_marker, prose }
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

/// A whole sentence: opens with a capital, digit or quote and ends with sentence punctuation
/// (teaser headlines and menu entries do not).
fn is_sentence(line: &str, words: usize) -> bool {
    let opens = line.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "\"“‘'(".contains(c));
    let body = line.trim_end_matches(['"', '”', '’', '\'', ')']);
    opens && words >= SENTENCE_MIN_WORDS && body.ends_with(['.', '!', '?'])
}

/// A line ending in "," or ";" is an item of a list the next line continues.
fn continues(line: &str) -> bool {
    line.ends_with([',', ';'])
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

/// A story of short paragraphs may have none long enough to be good: when near-good ones make
/// most of its text, they stand in (so a menu or a teaser list still stays out). Otherwise the
/// text (a one-line record, lines too short to judge) is kept whole, see `choose_body`.
fn promote_near_good(paragraphs: &mut [Paragraph]) {
    if paragraphs.iter().any(|p| p.class == Class::Good) {
        return;
    }
    let size = |p: &Paragraph| p.end - p.start;
    let near_good: usize = paragraphs.iter().filter(|p| p.reason == Some(RemovalReason::NearGood)).map(size).sum();
    let text: usize = paragraphs.iter().filter(|p| !p.reason.is_some_and(RemovalReason::is_never_body)).map(size).sum();
    if near_good as f32 >= NEAR_GOOD_STORY_SHARE * text as f32 {
        for p in paragraphs.iter_mut().filter(|p| p.reason == Some(RemovalReason::NearGood)) {
            p.class = Class::Good;
        }
    }
}

/// Which paragraphs form the body (see the module docs, steps 4 and 5).
fn choose_body(paragraphs: &[Paragraph], headline: Option<usize>) -> Vec<bool> {
    let never_body = |p: &Paragraph| p.reason.is_some_and(RemovalReason::is_never_body);
    let Some((first, last)) = article_run(paragraphs, headline) else {
        return paragraphs.iter().map(|p| !never_body(p)).collect();
    };
    let last = reach(paragraphs, last + 1..paragraphs.len()).unwrap_or(last);
    let first = reach(paragraphs, (0..first).rev()).unwrap_or(first);
    // Then the standfirst: the prose-like lines right before the body, up to the headline
    // (share buttons and bylines between them are passed over).
    let mut start = first;
    for i in (0..first).rev() {
        let p = &paragraphs[i];
        if Some(i) == headline || p.reason == Some(RemovalReason::RepeatedLine) {
            break;
        }
        if p.reason.is_some_and(RemovalReason::is_never_body) {
            continue;
        }
        if p.words < STANDFIRST_MIN_WORDS {
            break;
        }
        start = i;
    }
    let first = start;
    // Inside the body every line stays but page chrome and lone tokens between paragraphs
    // ("3", "___", "getty": counters and leftovers of widgets).
    let lone_token = |p: &Paragraph| p.words < 2 && !p.prose && p.class != Class::Good;
    paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| (first..=last).contains(&i) && !never_body(p) && !lone_token(p))
        .collect()
}

/// How far the body grows walking `order` away from it: prose lines (good ones, sentences, list
/// items of a sentence) join it while at most a few other lines come between, never across an
/// end widget. Lines that are never body (chrome, repeated, byline) do not widen the gap.
fn reach(paragraphs: &[Paragraph], order: impl Iterator<Item = usize>) -> Option<usize> {
    let mut reached = None;
    let mut gap = 0;
    for i in order {
        let p = &paragraphs[i];
        if p.end_marker {
            break;
        }
        if p.prose || p.class == Class::Good {
            (reached, gap) = (Some(i), 0);
        } else if !p.reason.is_some_and(RemovalReason::is_never_body) {
            gap += 1;
            if gap > MAX_GAP_LINES {
                break;
            }
        }
    }
    reached
}

/// The paragraph that repeats the article's title: its headline on the page. A page title
/// often ends in the site's name ("Headline - The Daily Example"), which the headline lacks.
fn headline_line(text: &str, paragraphs: &[Paragraph], title: &str) -> Option<usize> {
    let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    let title = words(title);
    let is_headline = |line: &[String]| {
        line == title.as_slice()
            || (line.len() >= STANDFIRST_MIN_WORDS
                && title.starts_with(line)
                && TITLE_SEPARATORS.contains(&title[line.len()].as_str()))
    };
    (!title.is_empty()).then_some(())?;
    paragraphs.iter().position(|p| is_headline(&words(&text[p.start..p.end])))
}

/// The run the article is: the biggest run between the headline and the next end widget when
/// the page shows its headline (teasers after "Featured" can outweigh a short story), else the
/// biggest run of the page.
fn article_run(paragraphs: &[Paragraph], headline: Option<usize>) -> Option<(usize, usize)> {
    let runs = good_runs(paragraphs);
    let biggest = |runs: &mut dyn Iterator<Item = &(usize, usize, usize)>| {
        runs.fold(
            None,
            |best: Option<(usize, usize, usize)>, &r| if best.is_none_or(|b| r.2 > b.2) { Some(r) } else { best },
        )
    };
    let under_headline = headline.and_then(|h| {
        let end = paragraphs.iter().skip(h + 1).position(|p| p.end_marker).map_or(paragraphs.len(), |i| h + 1 + i);
        biggest(&mut runs.iter().filter(|r| r.0 > h && r.1 < end))
    });
    under_headline.or_else(|| biggest(&mut runs.iter())).map(|(s, e, _)| (s, e))
}

/// The runs of good paragraphs as (first, last, characters). Widget and byline lines inside a
/// run do not end it (an inline newsletter box does not cut an article in two); end widgets
/// do, and so do repeated lines, as they are what separates the teasers of a page.
fn good_runs(paragraphs: &[Paragraph]) -> Vec<(usize, usize, usize)> {
    let inline =
        |p: &Paragraph| !p.end_marker && matches!(p.reason, Some(RemovalReason::Chrome | RemovalReason::Byline));
    let mut runs = Vec::new();
    let mut i = 0;
    while i < paragraphs.len() {
        if paragraphs[i].class != Class::Good {
            i += 1;
            continue;
        }
        let (start, mut last, mut size) = (i, i, 0);
        while i < paragraphs.len() && (paragraphs[i].class == Class::Good || inline(&paragraphs[i])) {
            if paragraphs[i].class == Class::Good {
                size += paragraphs[i].end - paragraphs[i].start;
                last = i;
            }
            i += 1;
        }
        runs.push((start, last, size));
        i = last + 1;
    }
    runs
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
    fn an_inline_widget_costs_its_own_line_not_the_lead_around_it() {
        let text = [
            "Menu",
            "By Jane Porter",
            "ALMATY, Jan 9 (Reuters) - Kazmunaigas said on Sunday it would raise output at its western fields.",
            "Register now for FREE unlimited access to Reuters.com",
            "By Monday, the company had restarted two of the three pumping stations that were shut down during the week of unrest, a spokesman for the company told reporters in the capital.",
            "The company, which is the largest oil producer in the country, said it expected the third station to resume work within days and that exports through the Caspian pipeline had not been affected by the protests.",
            "Register now for FREE unlimited access to Reuters.com",
            "Reporting by Mariya Gordeyeva; Editing by Jane Merriman",
        ]
        .join("\n");
        let article = Clean::default().process(Article { text, ..Default::default() }).unwrap();
        let body = kept(&article);
        assert_eq!(body.len(), 3, "{body:#?}");
        assert!(body[0].starts_with("ALMATY, Jan 9 (Reuters) - Kazmunaigas"));
        assert!(body[1].starts_with("By Monday, the company"), "a sentence opening with 'By' is prose");
        let reasons: Vec<(String, RemovalReason)> =
            article.removed.iter().map(|r| (article.slice(r.start, r.end), r.reason)).collect();
        assert!(reasons.contains(&("By Jane Porter".into(), RemovalReason::Byline)), "{reasons:?}");
        assert!(reasons.iter().any(|(t, r)| t.starts_with("Reporting by") && *r == RemovalReason::Byline));
        assert!(reasons.iter().any(|(t, r)| t.starts_with("Register now") && *r == RemovalReason::RepeatedLine));
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
