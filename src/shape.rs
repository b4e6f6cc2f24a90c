//! Text shapes for metamorphic evaluation: the same annotated article as dumps deliver it —
//! hard-wrapped, with CRLF line ends, with spreadsheet `_x000D_` artifacts, with an ALL-CAPS
//! headline and dateline, or as a saved HTML page — with its gold spans moved to the reshaped
//! text. `newstag eval --shapes` tags every shape and compares entity F1 with the original's.

use crate::eval::{GoldDoc, LabelledSpan};
use crate::input::html;

/// One way a dump may deliver an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Original,
    /// Lines wrapped at 68–72 columns (the width picked per article), as wire copy and e-mail
    /// exports are.
    HardWrapped,
    /// Windows line ends.
    Crlf,
    /// Excel's escape of a carriage return before every line break.
    ExportArtifacts,
    /// The first line (the headline) and the first sentence's opening (the dateline) in capitals.
    CapsHeadline,
    /// The article as paragraphs of a web page, between navigation, an inline newsletter box,
    /// teasers and a footer, read back by the HTML reader.
    HtmlPage,
}

impl Shape {
    pub const ALL: [Shape; 6] = [
        Shape::Original,
        Shape::HardWrapped,
        Shape::Crlf,
        Shape::ExportArtifacts,
        Shape::CapsHeadline,
        Shape::HtmlPage,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Shape::Original => "original",
            Shape::HardWrapped => "hard-wrapped 68-72",
            Shape::Crlf => "CRLF",
            Shape::ExportArtifacts => "_x000D_ artifacts",
            Shape::CapsHeadline => "ALL-CAPS headline and dateline",
            Shape::HtmlPage => "HTML page",
        }
    }

    /// The document in this shape, its gold spans moved with the text. None when a span cannot
    /// be placed in the reshaped text (only possible for the HTML page, whose reader collapses
    /// whitespace; the caller counts such documents).
    pub fn apply(self, doc: &GoldDoc) -> Option<GoldDoc> {
        let chars: Vec<char> = doc.text.chars().collect();
        let (text, position) = match self {
            Shape::Original => return Some(doc.clone()),
            Shape::HardWrapped => (hard_wrap(&chars, 68 + doc.id.len() % 5), identity(chars.len())),
            Shape::Crlf => replace_newlines(&chars, "\r\n"),
            Shape::ExportArtifacts => replace_newlines(&chars, "_x000D_\n"),
            Shape::CapsHeadline => (caps_head(&chars), identity(chars.len())),
            Shape::HtmlPage => html_page(&chars)?,
        };
        let entities = doc
            .entities
            .iter()
            .map(|e| LabelledSpan { start: position[e.start], end: position[e.end - 1] + 1, label: e.label })
            .collect();
        Some(GoldDoc { id: doc.id.clone(), text, entities })
    }
}

fn identity(n: usize) -> Vec<usize> {
    (0..n).collect()
}

/// Spaces become line breaks so no line runs past `width` characters.
fn hard_wrap(chars: &[char], width: usize) -> String {
    let mut out: Vec<char> = chars.to_vec();
    let mut line_start = 0;
    let mut last_space = None;
    for i in 0..out.len() {
        match out[i] {
            '\n' => {
                line_start = i + 1;
                last_space = None;
            }
            ' ' => last_space = Some(i),
            _ => {}
        }
        if i >= line_start + width {
            if let Some(space) = last_space.filter(|&s| s > line_start) {
                out[space] = '\n';
                line_start = space + 1;
                last_space = None;
            }
        }
    }
    out.into_iter().collect()
}

/// Every '\n' written as `with`; positions of the original characters in the result.
fn replace_newlines(chars: &[char], with: &str) -> (String, Vec<usize>) {
    let mut text = String::new();
    let mut position = Vec::with_capacity(chars.len());
    let mut at = 0;
    let newline_at = with.chars().count() - 1;
    for &c in chars {
        if c == '\n' {
            position.push(at + newline_at);
            text.push_str(with);
            at += with.chars().count();
        } else {
            position.push(at);
            text.push(c);
            at += 1;
        }
    }
    (text, position)
}

/// The first line in capitals when it reads as a headline (at most 20 words), and the opening
/// of the first paragraph up to its first comma or dash (a dateline's place) in capitals.
fn caps_head(chars: &[char]) -> String {
    let upper = |c: char| {
        let mut u = c.to_uppercase();
        match (u.next(), u.next()) {
            (Some(one), None) if one.len_utf8() == c.len_utf8() => one,
            _ => c,
        }
    };
    let mut out: Vec<char> = chars.to_vec();
    let line_end = chars.iter().position(|&c| c == '\n').unwrap_or(chars.len());
    let first_line: String = chars[..line_end].iter().collect();
    let headline = first_line.split_whitespace().count() <= 20;
    let (from, to) = if headline {
        let next_start = (line_end + 1..chars.len()).find(|&i| !chars[i].is_whitespace()).unwrap_or(chars.len());
        (next_start, chars.len())
    } else {
        (0, chars.len())
    };
    let dateline_end =
        (from..to).take(40).find(|&i| matches!(chars[i], ',' | '-' | '\u{2013}' | '\u{2014}' | '\n')).unwrap_or(from);
    if headline {
        out[..line_end].iter_mut().for_each(|c| *c = upper(*c));
    }
    out[from..dateline_end].iter_mut().for_each(|c| *c = upper(*c));
    out.into_iter().collect()
}

const PAGE_HEAD: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Story</title>\
<script>var analytics = {\"page\": \"story\"};</script></head><body>\
<header><a href=\"/\">The Daily Example</a><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> \
<a href=\"/business\">Business</a></nav></header><main><article>\n";
const INLINE_WIDGET: &str = "<div class=\"newsletter\"><p>Sign up for our daily newsletter</p>\
<form><input type=\"email\"><button>Subscribe</button></form></div>\n";
const PAGE_TAIL: &str = "</article><h2>Related stories</h2><ul><li><a href=\"/a\">Markets close higher on \
Friday</a></li><li><a href=\"/b\">Weather: storms expected</a></li></ul></main>\
<footer><p>Copyright The Daily Example. All rights reserved.</p></footer></body></html>\n";

/// The text as a web page read back by the HTML reader; positions of the original characters
/// in the text read back (None when a line does not come back as it went in).
fn html_page(chars: &[char]) -> Option<(String, Vec<usize>)> {
    let text: String = chars.iter().collect();
    let mut page = String::from(PAGE_HEAD);
    let mut paragraphs = 0;
    for line in text.split('\n').filter(|l| !l.trim().is_empty()) {
        page.push_str(&format!("<p>{}</p>\n", html_escape::encode_text(line)));
        paragraphs += 1;
        if paragraphs == 2 {
            page.push_str(INLINE_WIDGET);
        }
    }
    page.push_str(PAGE_TAIL);
    let read = html::extract(&page).text;
    // Every original line comes back as one line of the reader's text, its whitespace runs
    // collapsed: find it, then walk both lines character by character.
    let collapse = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    let read_lines: Vec<(usize, &str)> = {
        let mut at = 0;
        read.split('\n')
            .map(|line| {
                let start = at;
                at += line.chars().count() + 1;
                (start, line)
            })
            .collect()
    };
    let mut position = vec![0; chars.len()];
    let mut next_read = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let line_chars: Vec<char> = line.chars().collect();
        let wanted = collapse(line);
        if !wanted.is_empty() {
            let found = (next_read..read_lines.len()).find(|&r| read_lines[r].1 == wanted)?;
            next_read = found + 1;
            let (mut read_at, read_line): (usize, Vec<char>) = (0, read_lines[found].1.chars().collect());
            let line_start = read_lines[found].0;
            for (k, &c) in line_chars.iter().enumerate() {
                if c.is_whitespace() {
                    // Whitespace sits where the collapsed space (or the line's end) is.
                    position[at + k] = line_start + read_at.min(read_line.len());
                    if read_line.get(read_at) == Some(&' ') && line_chars.get(k + 1).is_some_and(|n| !n.is_whitespace())
                    {
                        read_at += 1;
                    }
                } else {
                    position[at + k] = line_start + read_at;
                    read_at += 1;
                }
            }
        }
        at += line_chars.len();
    }
    Some((read, position))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::EntityType;

    fn doc() -> GoldDoc {
        let text = "Ma meets Trump\n\nNEW YORK - Jack Ma, founder of Alibaba, met Donald Trump in New York on Monday and the two talked about trade, small business and jobs for a long time.\r\nAT&T <said> nothing.";
        let span = |name: &str| {
            let byte = text.find(name).unwrap();
            let start = text[..byte].chars().count();
            LabelledSpan { start, end: start + name.chars().count(), label: EntityType::Person }
        };
        GoldDoc {
            id: "d".into(),
            text: text.into(),
            entities: vec![span("Jack Ma"), span("Donald Trump"), span("AT&T")],
        }
    }

    fn surfaces(doc: &GoldDoc) -> Vec<String> {
        doc.entities.iter().map(|e| doc.text.chars().skip(e.start).take(e.end - e.start).collect()).collect()
    }

    #[test]
    fn every_shape_keeps_the_gold_spans_on_their_words() {
        let original = doc();
        for shape in Shape::ALL {
            let shaped = shape.apply(&original).unwrap_or_else(|| panic!("{shape:?}"));
            let expected: Vec<String> = if shape == Shape::CapsHeadline {
                vec!["Jack Ma".into(), "Donald Trump".into(), "AT&T".into()]
            } else {
                surfaces(&original)
            };
            assert_eq!(surfaces(&shaped), expected, "{shape:?}: {}", shaped.text);
        }
        assert!(Shape::HardWrapped.apply(&original).unwrap().text.lines().all(|l| l.chars().count() <= 72));
        assert!(Shape::CapsHeadline.apply(&original).unwrap().text.starts_with("MA MEETS TRUMP\n\nNEW YORK - Jack"));
        let page = Shape::HtmlPage.apply(&original).unwrap().text;
        assert!(page.contains("Sign up for our daily newsletter\n") && page.contains("AT&T <said> nothing."), "{page}");
    }
}
