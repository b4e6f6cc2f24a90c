"""Tokenise NER training data once, into compact tensors train.py reads (here or on a GPU box).

For every article: word-piece ids, the word shape of every piece (the case information the
uncased encoder drops, see shapes.py), a BIO label on the first piece of every word (-100
elsewhere) and the gold spans as (first word, last word, type) for the dev evaluator.

    python scripts/ner/prepare.py --silver data/silver/train.jsonl \
        --hand work/annotated-train.jsonl --dev work/annotated-dev.jsonl --out work/ner-data
"""
import argparse
import gzip
import io
import json
import re
import sys
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import BertTokenizerFast

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import CLS, IGNORE, LABEL_ID, SEP, word_shape  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
# The spreadsheet-export artifacts the pipeline's model view blanks (src/stages/normalize.rs).
EXPORT_ARTIFACT = re.compile(r"_x000[DdAa]_|_x0009_")


def model_view(text):
    return EXPORT_ARTIFACT.sub(lambda m: " " * len(m.group()), text)


def encode(text, entities, tokenizer):
    text = model_view(text)
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets, word_ids = enc["input_ids"], enc["offset_mapping"], enc.word_ids()
    # A word's span runs from its first piece's start to its last piece's end.
    word_span = {}
    for (start, end), w in zip(offsets, word_ids):
        s, _ = word_span.get(w, (start, end))
        word_span[w] = (s, end)
    # Hand annotation flags every organisation as a company or not; silver has no flag.
    spans = sorted((e["start"], e["end"], "COM" if e["label"] == "ORG" and e.get("company") else e["label"])
                   for e in entities)
    labels, shapes, first_piece_words, prev = [], [], [], None
    word_index = -1
    for (start, _), w in zip(offsets, word_ids):
        ws, we = word_span[w]
        shapes.append(word_shape(text[ws:we]))
        if w == prev:
            labels.append(IGNORE)
            continue
        prev = w
        word_index += 1
        first_piece_words.append((ws, we))
        tag = "O"
        for s, e, label in spans:
            if s <= start < e:
                tag = ("B-" if start == s or not text[s:start].strip() else "I-") + label
                break
        labels.append(LABEL_ID[tag])
    # Gold spans in word indices: the words whose first piece starts inside the span.
    gold = []
    for s, e, label in spans:
        inside = [i for i, (ws, _) in enumerate(first_piece_words) if s <= ws < e]
        if inside:
            gold.append((inside[0], inside[-1], label))
    # int16 holds every id of the 30,522-piece vocabulary and halves what travels to a GPU box.
    return {"ids": torch.tensor(ids, dtype=torch.int16), "shapes": torch.tensor(shapes, dtype=torch.int8),
            "labels": torch.tensor(labels, dtype=torch.int8), "gold": gold}


def load(path, tokenizer):
    out = []
    for line in open(path, encoding="utf-8"):
        rec = json.loads(line)
        out.append(encode(rec["text"], rec["entities"], tokenizer))
    print(f"{path}: {len(out)} articles, {sum(len(a['ids']) for a in out)} pieces", file=sys.stderr)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tokenizer", default=str(ROOT / "models" / "ner"))
    ap.add_argument("--silver", default=str(ROOT / "data" / "silver" / "train.jsonl"))
    ap.add_argument("--hand", default=str(ROOT / "work" / "annotated-train.jsonl"))
    ap.add_argument("--dev", default=str(ROOT / "work" / "annotated-dev.jsonl"))
    ap.add_argument("--encoder", default=str(ROOT / "models" / "encoder"))
    ap.add_argument("--only", nargs="*", default=["silver", "hand", "dev"], help="which files to (re)write")
    ap.add_argument("--out", default=str(ROOT / "work" / "ner-data"))
    args = ap.parse_args()
    tokenizer = BertTokenizerFast.from_pretrained(args.tokenizer)
    assert (tokenizer.cls_token_id, tokenizer.sep_token_id) == (CLS, SEP)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, path in (("silver", args.silver), ("hand", args.hand), ("dev", args.dev)):
        if name not in args.only:
            continue
        buffer = io.BytesIO()
        torch.save(load(path, tokenizer), buffer)
        (out / f"{name}.pt.gz").write_bytes(gzip.compress(buffer.getvalue()))
    # The encoder in fp16 (45 MB instead of 91): what training starts from.
    encoder = out / "encoder"
    encoder.mkdir(exist_ok=True)
    weights = load_file(Path(args.encoder) / "model.safetensors")
    save_file({k: v.half() if v.is_floating_point() else v for k, v in weights.items()},
              encoder / "model.safetensors")
    (encoder / "config.json").write_text((Path(args.encoder) / "config.json").read_text())


if __name__ == "__main__":
    main()
