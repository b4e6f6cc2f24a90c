//! The text as clean, segment and ner should see it, with the same offsets as the original:
//! - spreadsheet export artifacts (`_x000D_`, Excel's escape of a carriage return inside a
//!   cell, and its kin `_x000A_`, `_x0009_`) become spaces of the same length, so a name glued
//!   to one ("Abu Aqleh_x000D_") is a name again;
//! - in hard-wrapped text (wire copy, e-mail exports: lines cut at a fixed width inside
//!   sentences), the line break after a full-width line becomes a space, so "New\nJersey" is
//!   one name and a paragraph is one paragraph again; a break after a short line (the end of a
//!   paragraph, a heading, a list item) stays;
//! - HTML left in exported text: character references (`&amp;`, `&rsquo;`, `&#227;`) become
//!   their character's ASCII form padded to the reference's length (accents go, as the uncased
//!   encoder drops them anyway). Inside a word the padding is DEL, a control character the
//!   tokenizer's normaliser deletes, so "S&atilde;o" reads "Sao" and "Corp&rsquo;s" reads
//!   "Corp's"; elsewhere it is spaces. Tags of HTML elements ("<li>", "</p>") become spaces.
//!
//! `case_view` is a second view, for the NER's case rules only: ALL-CAPS runs (headlines,
//! datelines) recased to the case their words take elsewhere in the article, so "TRUMP SAYS
//! APPLE GROUP" is read as "Trump says Apple Group" by rules that look at capitals.
//!
//! Every replacement is ASCII for ASCII, byte for byte, so byte and code-point offsets into the
//! view are offsets into the original `text`.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

/// Excel/OOXML escapes of control characters, as they appear in exported text.
const EXPORT_ARTIFACTS: &[&str] = &["_x000D_", "_x000A_", "_x0009_", "_x000d_", "_x000a_"];

/// A character reference: named, decimal or hexadecimal.
static CHARACTER_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});").expect("reference pattern")
});
/// An opening or closing tag of an HTML element (ASCII only, so blanking keeps byte offsets).
static HTML_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)</?(?:a|abbr|article|aside|b|blockquote|br|caption|cite|code|dd|div|dl|dt|em|figcaption|figure|font|footer|h[1-6]|header|hr|i|iframe|img|li|nav|ol|p|pre|q|s|section|small|span|strong|sub|sup|table|tbody|td|th|thead|tr|u|ul)(?:\s[\x20-\x3b\x3d\x3f-\x7e]{0,300})?/?>",
    )
    .expect("tag pattern")
});

/// Lines of at least this many characters are the ones wrapping statistics look at.
const MIN_WRAPPED_LINE: usize = 40;
/// Wrapped text has at least this many such lines...
const MIN_WRAPPED_LINES: usize = 5;
/// ...no line longer than this (longer lines are paragraphs, not wrapped lines)...
const MAX_WRAP_WIDTH: usize = 100;
/// ...and this share of them within `WRAP_SLACK` characters of the longest.
const MIN_FULL_SHARE: f32 = 0.6;
const WRAP_SLACK: usize = 15;

/// The width the text is hard-wrapped at, if it is.
pub fn wrap_width(text: &str) -> Option<usize> {
    let lengths: Vec<usize> =
        text.lines().map(|l| l.trim_end().chars().count()).filter(|&n| n >= MIN_WRAPPED_LINE).collect();
    let width = *lengths.iter().max()?;
    let full = lengths.iter().filter(|&&n| n + WRAP_SLACK >= width).count();
    (lengths.len() >= MIN_WRAPPED_LINES
        && width <= MAX_WRAP_WIDTH
        && full as f32 >= MIN_FULL_SHARE * lengths.len() as f32)
        .then_some(width)
}

/// `text` with export artifacts and HTML blanked and wrapped lines joined (borrowed when none
/// applies).
pub fn model_view(text: &str) -> Cow<'_, str> {
    let width = wrap_width(text);
    let artifacts = EXPORT_ARTIFACTS.iter().any(|a| text.contains(a));
    let html = text.contains('&') || text.contains('<');
    if width.is_none() && !artifacts && !html {
        return Cow::Borrowed(text);
    }
    let mut view = text.to_string();
    for artifact in EXPORT_ARTIFACTS {
        view = view.replace(artifact, &" ".repeat(artifact.len()));
    }
    if html {
        view = HTML_TAG.replace_all(&view, |c: &Captures| " ".repeat(c[0].len())).into_owned();
        view = decode_references(&view);
    }
    if let Some(width) = width {
        let mut bytes = view.into_bytes();
        let mut line_start = 0;
        for i in 0..bytes.len() {
            if bytes[i] != b'\n' {
                continue;
            }
            // A line ends at an ASCII '\n', so it is whole UTF-8.
            let line = std::str::from_utf8(&bytes[line_start..i]).unwrap_or_default();
            let full = line.trim_end().chars().count() + WRAP_SLACK >= width;
            let next_has_text = bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace());
            line_start = i + 1;
            if full && next_has_text {
                bytes[i] = b' ';
                if i > 0 && bytes[i - 1] == b'\r' {
                    bytes[i - 1] = b' ';
                }
            }
        }
        // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
        view = String::from_utf8(bytes).expect("ASCII for ASCII keeps UTF-8");
    }
    Cow::Owned(view)
}

fn decode_references(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len());
    let mut copied = 0;
    for reference in CHARACTER_REFERENCE.find_iter(text) {
        decoded.push_str(&text[copied..reference.start()]);
        let in_word = text[reference.end()..].starts_with(char::is_alphanumeric);
        decoded.push_str(&ascii_of_reference(reference.as_str(), if in_word { '\u{7f}' } else { ' ' }));
        copied = reference.end();
    }
    decoded.push_str(&text[copied..]);
    decoded
}

/// The ASCII form of one character reference, padded with `pad` to its length; the reference
/// itself when it is unknown or its ASCII form is longer.
fn ascii_of_reference(reference: &str, pad: char) -> String {
    let decoded = html_escape::decode_html_entities(reference);
    if decoded == reference {
        return reference.to_string();
    }
    let ascii = deunicode::deunicode(&decoded);
    if ascii.len() > reference.len() || !ascii.is_ascii() {
        return reference.to_string();
    }
    let padding = reference.len() - ascii.len();
    ascii + &pad.to_string().repeat(padding)
}

/// Words that are lower case in running text unless they open a sentence.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "by", "with", "from", "and", "or", "but", "as", "is", "are",
    "was", "were", "be", "been", "has", "have", "had", "will", "would", "says", "said", "after", "over", "into",
    "about", "its", "his", "her", "their", "it", "he", "she", "they", "we", "not", "than", "that", "this", "amid",
    "against", "before", "up", "out",
];
/// A run needs this many upper-case words to be an ALL-CAPS run (two are usually a name or an
/// acronym pair: "NEW DELHI", "US FDA"), unless it fills its line.
const MIN_CAPS_RUN: usize = 3;

/// `text` with its ALL-CAPS runs recased word by word (borrowed when it has none): a word
/// takes the case it has more often elsewhere in the article (sentence openers not counted);
/// a word seen nowhere else keeps its capitals unless it is a function word. Same byte
/// offsets: only ASCII letters change.
pub fn case_view(text: &str) -> Cow<'_, str> {
    let words = word_spans(text);
    let runs = caps_runs(text, &words);
    if runs.is_empty() {
        return Cow::Borrowed(text);
    }
    let in_run = |i: usize| runs.iter().any(|r| r.contains(&i));
    let mut votes: std::collections::HashMap<String, (usize, usize)> = std::collections::HashMap::new();
    for (i, &(start, end)) in words.iter().enumerate() {
        let word = &text[start..end];
        if in_run(i) || opens_sentence(text, start) {
            continue;
        }
        let Some(first) = word.chars().find(|c| c.is_alphabetic()) else { continue };
        let vote = votes.entry(word.to_lowercase()).or_default();
        if first.is_lowercase() {
            vote.0 += 1;
        } else {
            vote.1 += 1;
        }
    }
    let mut bytes = text.as_bytes().to_vec();
    for run in runs {
        for &(start, end) in &words[run] {
            let lower = text[start..end].to_lowercase();
            let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
            let lowered = match votes.get(&lower).or_else(|| votes.get(bare)) {
                Some(&(low, up)) => low > up,
                None => FUNCTION_WORDS.contains(&bare),
            };
            // Lower-case all but a kept capital initial.
            let mut seen_letter = lowered;
            for b in &mut bytes[start..end] {
                if b.is_ascii_alphabetic() {
                    if seen_letter {
                        *b = b.to_ascii_lowercase();
                    }
                    seen_letter = true;
                }
            }
        }
    }
    Cow::Owned(String::from_utf8(bytes).expect("ASCII case changes keep UTF-8"))
}

/// Byte ranges of the whitespace-separated words.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

fn is_upper_word(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !word.chars().any(char::is_lowercase)
}

/// Index ranges of the words in ALL-CAPS runs: at least `MIN_CAPS_RUN` upper-case words in a
/// row on one line, or a whole line of two or more.
fn caps_runs(text: &str, words: &[(usize, usize)]) -> Vec<std::ops::Range<usize>> {
    let has_letters = |i: usize| text[words[i].0..words[i].1].chars().any(char::is_alphabetic);
    let same_line = |i: usize| !text[words[i - 1].1..words[i].0].contains('\n');
    let mut runs = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if !is_upper_word(&text[words[i].0..words[i].1]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut upper = 0;
        // Numbers and punctuation tokens ("9", "-", "(") do not break a run.
        while i < words.len() && (i == start || same_line(i)) {
            let word = &text[words[i].0..words[i].1];
            if is_upper_word(word) {
                upper += 1;
            } else if has_letters(i) && word.chars().any(char::is_lowercase) {
                break;
            }
            i += 1;
        }
        let whole_line = (start == 0 || !same_line(start)) && (i == words.len() || !same_line(i));
        if upper >= MIN_CAPS_RUN || (whole_line && upper >= 2) {
            runs.push(start..i);
        }
    }
    runs
}

/// Whether the word at `start` opens a sentence or a line.
fn opens_sentence(text: &str, start: usize) -> bool {
    match text[..start].trim_end_matches([' ', '\t', '"', '“', '‘', '\'', '(']).chars().last() {
        None | Some('\n') | Some('.') | Some('!') | Some('?') | Some(':') => true,
        Some(c) => c == '\r',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view of `text`, checked to keep its byte and code-point offsets.
    fn same_offsets_view(text: &str) -> Cow<'_, str> {
        let view = model_view(text);
        assert_eq!(view.len(), text.len());
        assert_eq!(view.chars().count(), text.chars().count());
        view
    }

    #[test]
    fn artifacts_become_spaces_and_offsets_stay() {
        let text = "Shireen Abu Aqleh_x000D_\nwas killed in Jenin._x000D_";
        let view = same_offsets_view(text);
        assert_eq!(&view[..17], "Shireen Abu Aqleh");
        assert_eq!(view.trim_end(), "Shireen Abu Aqleh       \nwas killed in Jenin.");
        assert!(matches!(model_view("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn html_references_and_tags_read_as_text_with_the_same_offsets() {
        let text = "<ul><li>Oil &amp; Natural Gas Corp&rsquo;s caf&eacute; in S&atilde;o Paulo</li></ul> &bogus; a < b";
        let view = same_offsets_view(text);
        let read = view.replace('\u{7f}', "");
        let words: Vec<&str> = read.split_whitespace().collect();
        assert_eq!(
            words,
            ["Oil", "&", "Natural", "Gas", "Corp's", "cafe", "in", "Sao", "Paulo", "&bogus;", "a", "<", "b"]
        );
    }

    #[test]
    fn caps_runs_take_the_case_of_the_article() {
        let text = "TRUMP SAYS APPLE GROUP WILL BUILD IN NEW JERSEY\nNEW DELHI, Jan 9 (Reuters) - US FDA\nDonald Trump says the Apple Group plant will open. It says so.";
        let view = case_view(text);
        assert_eq!(view.len(), text.len());
        assert_eq!(
            view.lines().collect::<Vec<_>>(),
            [
                "Trump says Apple Group will Build in New Jersey",
                "NEW DELHI, Jan 9 (Reuters) - US FDA",
                text.lines().nth(2).unwrap()
            ]
        );
        assert!(matches!(case_view("NATO and the US FDA met."), Cow::Borrowed(_)));
    }

    #[test]
    fn hard_wrapped_lines_are_joined_and_paragraph_ends_kept() {
        let line = "Jack Ma met Donald Trump in New York and the two talked about trade and";
        let text = format!(
            "{line}\n{line}\n{line}\n{line}\nsmall business in New\nJersey.\n\n{line}\n{line}\nthe end.\nA heading\n"
        );
        assert_eq!(wrap_width(&text), Some(line.len()));
        let view = same_offsets_view(&text);
        assert!(view.contains("trade and small business in New\nJersey."), "a short line's break stays: {view}");
        assert!(view.contains("trade and Jack Ma"), "full lines are joined");
        assert!(view.contains("the end.\nA heading"), "a short line ends its paragraph");
        assert!(view.contains("Jersey.\n\n"), "blank lines stay");
        // Ordinary paragraphs (long lines) are not wrapped text.
        assert_eq!(wrap_width(&format!("{line}{line}{line}\n{line}\n")), None);
    }
}
