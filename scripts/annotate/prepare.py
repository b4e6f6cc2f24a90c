"""Chooses articles for hand annotation and writes their texts for reading (work/annotate/).

Only rows 0-2,499 of both corpora (corpora.py never yields later rows). The choice is
deterministic: full articles of 1,200-6,000 characters, per corpus, half taken in hash order
and half found by topic keywords so that rare themes (trade, counterfeiting, agriculture...)
get enough positives; the test and dev splits of corpora.split_of is over-sampled so that the frozen
test set reaches its size. Slices are disjoint; `--overlap N` gives the first N articles of
each odd slice to the next slice too (independent double annotation for agreement).

usage (round 1, then later rounds):
  python scripts/annotate/prepare.py --slices 6 --per-slice 22 --overlap 7
  python scripts/annotate/prepare.py --slices 6 --per-slice 30 --overlap 0 --targeted --first-slice 7
  python scripts/annotate/prepare.py --slices 6 --per-slice 32 --overlap 0 --targeted --first-slice 13 \
      --per-keyword-test 4 --per-keyword 8 --test-quota 40 --dev-quota 70
  python scripts/annotate/prepare.py --slices 6 --per-slice 32 --overlap 0 --targeted --first-slice 19 \
      --exclude-split test --min-hits 1 --per-keyword 20 --test-quota 0 --dev-quota 40 \
      --only counterfeit small-business agriculture environment jobs e-commerce trade
"""
import argparse
import hashlib
import json
import re
from pathlib import Path

from common import ANNOTATED, ROOT, articles_by_id, sha256, split_of

KEYWORDS = {
    "trade": r"\b(exports?|imports?|trade deal|trade deficit)\b",
    "tariffs": r"\b(tariffs?|sanctions|embargo)\b",
    "counterfeit": r"\b(counterfeit\w*|fake goods|piracy|pirated|trademarks?|copyright\w*|knock-?offs?|intellectual property)\b",
    "jobs": r"\b(layoffs?|unemployment|hiring|wages|labor union|jobs report)\b",
    "small-business": r"\b(small business(es)?|entrepreneurs?|SMEs?)\b",
    "agriculture": r"\b(farmers?|crops?|agricultur\w+|livestock|harvest)\b",
    "environment": r"\b(climate change|pollution|emissions|deforestation|wildlife|drought|flood(s|ing)?)\b",
    "e-commerce": r"\b(e-commerce|online shopping|retailers?|Amazon|Alibaba)\b",
    "energy": r"\b(oil prices?|natural gas|renewable|coal|OPEC)\b",
    "corruption": r"\b(bribery|bribes?|embezzl\w+|money laundering|corruption)\b",
    "finance": r"\b(stocks?|shares|Federal Reserve|interest rates?|inflation)\b",
    "health": r"\b(vaccines?|hospitals?|pandemic|disease)\b",
    "technology": r"\b(software|smartphones?|artificial intelligence|cyber\w*)\b",
}


def order_key(article_id):
    return hashlib.sha256(f"annotate-1:{article_id}".encode()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--slices", type=int, default=6)
    ap.add_argument("--per-slice", type=int, default=22)
    ap.add_argument("--overlap", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "work" / "annotate"))
    ap.add_argument("--targeted", action="store_true", help="rare themes and the test split first (later rounds)")
    ap.add_argument("--per-keyword-test", type=int, default=6)
    ap.add_argument("--per-keyword", type=int, default=10)
    ap.add_argument("--test-quota", type=int, default=80)
    ap.add_argument("--dev-quota", type=int, default=0)
    ap.add_argument("--min-hits", type=int, default=2, help="keyword hits an article needs (targeted rounds)")
    ap.add_argument("--exclude-split", nargs="*", default=[], help="e.g. test, once the test split is frozen")
    ap.add_argument("--only", nargs="*", default=None, help="keyword groups to target (default: all)")
    ap.add_argument("--first-slice", type=int, default=1, help="number of the first slice folder")
    args = ap.parse_args()
    done = {p.stem for p in (ANNOTATED / "ann").glob("*.ann")}
    pool = [a for a in articles_by_id().values()
            if 1200 <= len(a["text"]) <= 6000 and a["id"] not in done and split_of(a["id"]) not in args.exclude_split]
    pool.sort(key=lambda a: order_key(a["id"]))
    want = args.slices * args.per_slice
    chosen, seen = [], set()

    def take(article):
        if article["id"] not in seen and len(chosen) < want:
            seen.add(article["id"])
            chosen.append(article)

    if args.targeted:
        # Rare themes first: test-split articles with any keyword hit (the frozen test set needs
        # positives of every topic), then other articles with two or more hits; then test-split
        # articles until the test quota, then any.
        patterns = [p for k, p in KEYWORDS.items() if args.only is None or k in args.only]
        for pattern in patterns:
            hits = [a for a in pool if split_of(a["id"]) == "test" and re.search(pattern, a["text"])]
            for article in hits[: args.per_keyword_test]:
                take(article)
        for pattern in patterns:
            hits = [a for a in pool if a["id"] not in seen and len(re.findall(pattern, a["text"])) >= args.min_hits]
            for article in hits[: args.per_keyword]:
                take(article)
        for split, quota in (("test", args.test_quota), ("dev", args.dev_quota)):
            for article in [a for a in pool if split_of(a["id"]) == split]:
                if sum(split_of(c["id"]) == split for c in chosen) >= quota:
                    break
                take(article)
    else:
        # A third from the test split and a sixth from dev (over-sampled: each is 10% of the
        # corpus), the rest mixed.
        for split, share in (("test", want // 3), ("dev", want // 6)):
            for article in [a for a in pool if split_of(a["id"]) == split][:share]:
                take(article)
        patterns = list(KEYWORDS.values())
        per_keyword = max(1, want // (3 * len(patterns)))
        for pattern in patterns:
            hits = [a for a in pool if a["id"] not in seen and len(re.findall(pattern, a["text"])) >= 2]
            for article in hits[:per_keyword]:
                take(article)
    for article in pool:
        take(article)
    chosen.sort(key=lambda a: order_key(a["id"]))
    out = Path(args.out)
    slices = [chosen[i::args.slices] for i in range(args.slices)]
    for offset, members in enumerate(slices):
        number = args.first_slice + offset
        folder = out / f"slice-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        extra = slices[offset - 1][: args.overlap] if offset % 2 == 1 else []
        manifest = []
        for article in members + extra:
            (folder / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
            manifest.append({"id": article["id"], "sha256": sha256(article["text"]), "chars": len(article["text"]),
                             "split": split_of(article["id"]), "agreement": article in extra,
                             "title": article["title"]})
        (folder / "manifest.jsonl").write_text("".join(json.dumps(m) + "\n" for m in manifest))
        print(f"{folder}: {len(members)} articles + {len(extra)} for agreement")


if __name__ == "__main__":
    main()
