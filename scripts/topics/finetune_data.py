"""DATA for finetune_encoder.py: each labelled article's story sentences as newstag's segment
stage cuts them (its word pieces, cut to 128 with [CLS]/[SEP] as `embed.rs` does), its fold and
its labels.

    python scripts/topics/finetune_data.py GOLD.jsonl OUT.jsonl.gz [--models models]

GOLD: one JSON line per article with `id`, `text` and `topics` (e.g. the train + dev articles of
data/topics/labels.jsonl and data/annotated/, rebuilt by scripts/annotate/texts.py). The texts go
through `newstag read | newstag segment` (target/release/newstag). The first line of OUT names the label columns: every
taxonomy topic but counterfeiting-ip, which stays out of the tuning so that a topic the encoder
was not tuned on can be measured through the zero-shot path.
"""

import argparse
import gzip
import json
import subprocess
import tempfile
import tomllib

from train_heads import fold_of  # the folds the heads are chosen on

LEFT_OUT = {"counterfeiting-ip"}
CLS, SEP, MAX_PIECES = 101, 102, 128


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gold")
    ap.add_argument("out")
    ap.add_argument("--models", default="models")
    ap.add_argument("--newstag", default="target/release/newstag")
    args = ap.parse_args()
    with open(f"{args.models}/topics.toml", "rb") as f:
        topics = [t["id"] for t in tomllib.load(f)["topic"] if t["id"] not in LEFT_OUT]
    gold = {}
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as plain:
        for line in open(args.gold, encoding="utf-8"):
            article = json.loads(line)
            gold[article["id"]] = set(article["topics"])
            plain.write(json.dumps({"id": article["id"], "text": article["text"]}) + "\n")
        plain.flush()
        read = subprocess.Popen([args.newstag, "read", plain.name], stdout=subprocess.PIPE)
        segmented = subprocess.run([args.newstag, "segment", "--models", args.models, "--workers", "2"],
                                   stdin=read.stdout, capture_output=True, check=True, text=True).stdout
        read.wait()
    n = 0
    with gzip.open(args.out, "wt", encoding="utf-8") as out:
        out.write(json.dumps({"topics": topics}) + "\n")
        for line in segmented.splitlines():
            article = json.loads(line)
            story = []
            for sentence in article["sentences"]:
                if sentence.get("credit"):  # credit lines follow the story and are never read for topics
                    break
                story.append([CLS] + [t[0] for t in sentence.get("tokens", [])][: MAX_PIECES - 2] + [SEP])
            labels = [int(t in gold[article["id"]]) for t in topics]
            out.write(json.dumps({"id": article["id"], "fold": fold_of(article["id"], 5), "labels": labels, "ids": story},
                                 separators=(",", ":")) + "\n")
            n += 1
    if n != len(gold):
        raise SystemExit(f"{len(gold)} articles in, {n} segmented: see newstag's rejects")
    print(f"{n} articles, {len(topics)} label columns; wrote {args.out}")


if __name__ == "__main__":
    main()
