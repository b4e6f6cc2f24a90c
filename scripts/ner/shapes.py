"""The NER model's labels and word shapes, shared by prepare.py and train.py.

The encoder is uncased: "Apple" and "apple" are one piece. The shape of the word a piece belongs
to goes into the model as BERT's token type (type_vocab_size = len(SHAPES)), so the encoder
layers see capitals in context. The Rust stage computes the same shapes (`WordShape` in
src/stages/ner.rs); the two definitions must stay equal.
"""

# COM: an organisation run for profit (the annotation's company flag). The silver teacher has no
# such type, so COM is learnt in the hand fine-tuning, starting from the ORG rows.
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-COM", "I-COM"]
LABEL_ID = {l: i for i, l in enumerate(LABELS)}
IGNORE = -100
CLS, SEP = 101, 102  # [CLS] and [SEP] in the uncased BERT vocabulary (prepare.py checks)

# Token type 0 stays what it was in the pretrained encoder: [CLS], [SEP] and padding.
SHAPES = ["special", "lower", "title", "upper", "letter", "mixed", "digit", "other"]
SHAPES_TAG = "newstag-word-shape-v1"


def word_shape(word):
    """Shape id of a word (one pre-tokenised word: letters/digits, or one punctuation mark)."""
    if any(c in "0123456789" for c in word):
        return SHAPES.index("digit")
    cased = [c for c in word if c.isupper() or c.islower()]
    if not cased:
        return SHAPES.index("other")
    if all(c.islower() for c in cased):
        return SHAPES.index("lower")
    if all(c.isupper() for c in cased):
        return SHAPES.index("letter" if len(cased) == 1 else "upper")
    if cased[0].isupper() and all(c.islower() for c in cased[1:]):
        return SHAPES.index("title")
    return SHAPES.index("mixed")
