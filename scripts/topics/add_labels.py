"""Adds a batch of double-read topic labels to data/topics/labels.jsonl (standoff) and
data/topics/labels-readers.tsv.

    python3 scripts/topics/add_labels.py BATCH A.tsv B.tsv [DECISIONS.tsv] [--test-tenths N]

A.tsv / B.tsv: the two independent readers' labels, `id<TAB>topics,comma,separated<TAB>note`.
DECISIONS.tsv: the third reader's verdict on each label only one reader gave,
`id<TAB>topic<TAB>yes|no<TAB>reason`. An article's topics are those both readers gave plus
those decided yes. Split by a hash of the id (`split_of` with seed "newstag-topics-BATCH":
40% test, 10% dev, 50% train; --test-tenths 2, used from batch 6 on, when test already held
some 400 articles: 20% test, 10% dev, 70% train), fixed before any model reads the labels. Prints the agreement
(label F1 between the readers) and the per-topic counts of the batch."""
import argparse
import collections
import csv
import json
import sys

sys.path.insert(0, "scripts/annotate")
from common import articles_by_id, sha256  # noqa: E402
import hashlib  # noqa: E402


def split_of(article_id, batch, test_tenths=4):
    h = int(hashlib.sha256(f"newstag-topics-{batch}:{article_id}".encode()).hexdigest()[:8], 16) % 10
    return "test" if h < test_tenths else "dev" if h == test_tenths else "train"


def read_labels(path):
    out = {}
    for row in csv.reader(open(path, encoding="utf-8"), delimiter="\t"):
        if row and row[0].strip():
            out[row[0].strip()] = {t.strip() for t in row[1].split(",") if t.strip()}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("batch")
    ap.add_argument("a", help="reader A's labels")
    ap.add_argument("b", help="reader B's labels")
    ap.add_argument("decisions", nargs="?", help="the third reader's verdicts")
    ap.add_argument("--test-tenths", type=int, default=4, help="tenths of the batch that go to test")
    args = ap.parse_args()
    batch, a, b, test_tenths = args.batch, read_labels(args.a), read_labels(args.b), args.test_tenths
    decisions = collections.defaultdict(dict)
    if args.decisions:
        for row in csv.reader(open(args.decisions, encoding="utf-8"), delimiter="\t"):
            if len(row) >= 3:
                decisions[row[0].strip()][row[1].strip()] = row[2].strip().lower() == "yes"
    if set(a) != set(b):
        sys.exit(f"readers labelled different articles: {sorted(set(a) ^ set(b))}")
    taxonomy = {line.split('"')[1] for line in open("models/topics.toml") if line.startswith("id")}
    articles = articles_by_id()
    existing = {json.loads(line)["id"] for line in open("data/topics/labels.jsonl")}
    agreed = differ = 0
    counts = collections.Counter()
    undecided = []
    with open("data/topics/labels.jsonl", "a") as out, open("data/topics/labels-readers.tsv", "a") as readers:
        for article_id in sorted(a):
            if article_id in existing:
                sys.exit(f"{article_id} is already labelled")
            unknown = (a[article_id] | b[article_id]) - taxonomy
            if unknown:
                sys.exit(f"{article_id}: unknown topics {unknown}")
            both = a[article_id] & b[article_id]
            one = a[article_id] ^ b[article_id]
            agreed += 2 * len(both)
            differ += len(one)
            decided = {t for t in one if decisions[article_id].get(t)}
            undecided += [(article_id, t) for t in one if t not in decisions[article_id]]
            topics = sorted(both | decided)
            article = articles[article_id]
            split = split_of(article_id, batch, test_tenths)
            counts.update((split, t) for t in topics)
            out.write(json.dumps({"id": article_id, "corpus": article["corpus"], "row": int(article["row"]),
                                  "sha256": sha256(article["text"]), "split": split, "topics": topics,
                                  "annotators": ["reader-A", "reader-B"], "adjudicated": sorted(decided),
                                  "batch": int(batch)}) + "\n")
            readers.write("\t".join([article_id, ",".join(sorted(a[article_id])), ",".join(sorted(b[article_id])),
                                     ",".join(f"{t}={'yes' if decisions[article_id].get(t) else 'no'}" for t in sorted(one))]) + "\n")
    if undecided:
        print(f"warning: {len(undecided)} single-reader labels without a decision count as no: {undecided}", file=sys.stderr)
    print(f"{len(a)} articles; label F1 between the readers {agreed / max(1, agreed + differ):.3f} ({differ} labels given by one reader)")
    for t in sorted({t for _, t in counts}):
        print(f"{t:20s} train {counts['train', t]:3d}  dev {counts['dev', t]:3d}  test {counts['test', t]:3d}")


if __name__ == "__main__":
    main()
