//! Conversion between UTF-8 byte offsets (what Rust slices with) and code-point offsets (what
//! records carry).

pub struct TextIndex {
    /// Byte offset of every char, plus the text length at the end.
    char_bytes: Vec<usize>,
}

impl TextIndex {
    pub fn new(text: &str) -> Self {
        let mut char_bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        char_bytes.push(text.len());
        TextIndex { char_bytes }
    }

    pub fn char_len(&self) -> usize {
        self.char_bytes.len() - 1
    }

    /// Byte offset of code point `c` (clamped to the end).
    pub fn byte(&self, c: usize) -> usize {
        self.char_bytes[c.min(self.char_len())]
    }

    /// The text of the code-point span `start..end`.
    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> &'t str {
        &text[self.byte(start)..self.byte(end)]
    }

    /// The span `start..end` as the relation patterns read it: lowercase, and no-break spaces,
    /// which scraped pages put between words ("(Reuters:\u{a0}Ann Wang)"), as spaces.
    pub fn lowered(&self, text: &str, start: usize, end: usize) -> String {
        self.slice(text, start, end).to_lowercase().replace('\u{a0}', " ")
    }

    /// Code point at byte offset `b`; a byte inside a char maps to that char.
    pub fn char_at(&self, b: usize) -> usize {
        match self.char_bytes.binary_search(&b) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_multibyte_text_both_ways() {
        let text = "Zürich – “Ma”";
        let idx = TextIndex::new(text);
        assert_eq!(idx.char_len(), text.chars().count());
        let m = text.find("Ma").unwrap();
        let c = idx.char_at(m);
        assert_eq!(text.chars().skip(c).take(2).collect::<String>(), "Ma");
        assert_eq!(idx.byte(c), m);
        assert_eq!(idx.byte(idx.char_len()), text.len());
    }
}
