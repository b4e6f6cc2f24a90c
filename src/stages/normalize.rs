//! The text as clean, segment and ner should see it, with the same offsets as the original:
//! - spreadsheet export artifacts (`_x000D_`, Excel's escape of a carriage return inside a
//!   cell, and its kin `_x000A_`, `_x0009_`) become spaces of the same length, so a name glued
//!   to one ("Abu Aqleh_x000D_") is a name again;
//! - in hard-wrapped text (wire copy, e-mail exports: lines cut at a fixed width inside
//!   sentences), the line break after a full-width line becomes a space, so "New\nJersey" is
//!   one name and a paragraph is one paragraph again; a break after a short line (the end of a
//!   paragraph, a heading, a list item) stays.
//!
//! Every replacement is ASCII for ASCII, byte for byte, so byte and code-point offsets into the
//! view are offsets into the original `text`.

use std::borrow::Cow;

/// Excel/OOXML escapes of control characters, as they appear in exported text.
const EXPORT_ARTIFACTS: &[&str] = &["_x000D_", "_x000A_", "_x0009_", "_x000d_", "_x000a_"];

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

/// `text` with export artifacts blanked and wrapped lines joined (borrowed when neither applies).
pub fn model_view(text: &str) -> Cow<'_, str> {
    let width = wrap_width(text);
    if width.is_none() && !EXPORT_ARTIFACTS.iter().any(|a| text.contains(a)) {
        return Cow::Borrowed(text);
    }
    let mut view = text.to_string();
    for artifact in EXPORT_ARTIFACTS {
        view = view.replace(artifact, &" ".repeat(artifact.len()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_become_spaces_and_offsets_stay() {
        let text = "Shireen Abu Aqleh_x000D_\nwas killed in Jenin._x000D_";
        let view = model_view(text);
        assert_eq!(view.len(), text.len());
        assert_eq!(view.chars().count(), text.chars().count());
        assert_eq!(&view[..17], "Shireen Abu Aqleh");
        assert_eq!(view.trim_end(), "Shireen Abu Aqleh       \nwas killed in Jenin.");
        assert!(matches!(model_view("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn hard_wrapped_lines_are_joined_and_paragraph_ends_kept() {
        let line = "Jack Ma met Donald Trump in New York and the two talked about trade and";
        let text = format!(
            "{line}\n{line}\n{line}\n{line}\nsmall business in New\nJersey.\n\n{line}\n{line}\nthe end.\nA heading\n"
        );
        assert_eq!(wrap_width(&text), Some(line.len()));
        let view = model_view(&text);
        assert_eq!(view.len(), text.len());
        assert!(view.contains("trade and small business in New\nJersey."), "a short line's break stays: {view}");
        assert!(view.contains("trade and Jack Ma"), "full lines are joined");
        assert!(view.contains("the end.\nA heading"), "a short line ends its paragraph");
        assert!(view.contains("Jersey.\n\n"), "blank lines stay");
        // Ordinary paragraphs (long lines) are not wrapped text.
        assert_eq!(wrap_width(&format!("{line}{line}{line}\n{line}\n")), None);
    }
}
