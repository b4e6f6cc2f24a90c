//! Word shapes: the case information the uncased encoder drops ("Apple" and "apple" are one
//! word piece). A shape-aware NER model (config.json `"word_shapes": "newstag-word-shape-v1"`)
//! reads the shape of the word each piece belongs to as BERT's token type, so its layers see
//! capitals in context. The training side computes the same shapes
//! (`scripts/ner/shapes.py`); the two definitions must stay equal.

/// The scheme tag a model's config names; the only one this build knows.
pub const SCHEME: &str = "newstag-word-shape-v1";

/// A word's shape; the discriminant is the token type id the model was trained with. Type 0
/// ([CLS], [SEP], padding) is the pretrained encoder's only type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordShape {
    Special = 0,
    /// "the"
    Lower = 1,
    /// "Apple"
    Title = 2,
    /// "NATO"
    Upper = 3,
    /// "A", "I"
    Letter = 4,
    /// "iPhone", "McDonald"
    Mixed = 5,
    /// any ASCII digit: "2017", "G7"
    Digit = 6,
    /// punctuation, symbols, scripts without case
    Other = 7,
}

impl WordShape {
    pub fn of(word: &str) -> WordShape {
        if word.chars().any(|c| c.is_ascii_digit()) {
            return WordShape::Digit;
        }
        let cased: Vec<char> = word.chars().filter(|c| c.is_uppercase() || c.is_lowercase()).collect();
        match cased.as_slice() {
            [] => WordShape::Other,
            letters if letters.iter().all(|c| c.is_lowercase()) => WordShape::Lower,
            [_] => WordShape::Letter,
            letters if letters.iter().all(|c| c.is_uppercase()) => WordShape::Upper,
            [first, rest @ ..] if first.is_uppercase() && rest.iter().all(|c| c.is_lowercase()) => WordShape::Title,
            _ => WordShape::Mixed,
        }
    }

    pub fn type_id(self) -> i64 {
        self as i64
    }
}

#[cfg(test)]
mod tests {
    use super::WordShape::{self, *};

    #[test]
    fn shapes_match_the_training_definition() {
        // The same words and answers as scripts/ner/shapes.py's word_shape.
        let cases = [
            ("the", Lower),
            ("Apple", Title),
            ("NATO", Upper),
            ("A", Letter),
            ("a", Lower),
            ("iPhone", Mixed),
            ("McDonald", Mixed),
            ("G7", Digit),
            ("2017", Digit),
            (",", Other),
            ("北京", Other),
            ("Zürich", Title),
            ("ÉTATS", Upper),
        ];
        for (word, shape) in cases {
            assert_eq!(WordShape::of(word), shape, "{word}");
        }
    }
}
