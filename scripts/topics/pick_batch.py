"""Picks a batch of unlabelled articles of rows 0-2,499 at random for two independent readers.

    python3 scripts/topics/pick_batch.py BATCH N SLICES [--out work/topics-bBATCH]

Articles in neither the NER corpus nor data/topics/labels.jsonl (nor a batch still being read,
work/topics-b*/slice-*.md) nor near-duplicates of a labelled article (near_duplicates.py),
500-9,000 characters (--max-chars for longer ones), drawn with a seed made of the batch number
(the same draw again, given the same labelled articles), written as SLICES disjoint slice files
`slice-K.md` (id, full text) for the readers. No model reads them.

With --keywords GROUP ... (groups of scripts/annotate/prepare.py KEYWORDS, or of WIDE_KEYWORDS
below), only articles with at least --min-hits (default 3) hits of a group's pattern are
candidates, and the groups take turns (each group's candidates in the seeded random order), so
every group gets a fair share of the batch."""
import argparse
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, "scripts/annotate")
from common import articles_by_id  # noqa: E402
from prepare import KEYWORDS  # noqa: E402

sys.path.insert(0, "scripts/topics")
from near_duplicates import MIN_SHARE, near_duplicate_pairs  # noqa: E402

# Wider patterns for the two themes random news almost never carries (batch 9, 2026-11-27: after
# batch 8 no unlabelled article had 3 hits of prepare.py's patterns for them).
WIDE_KEYWORDS = {
    "small-business-wide": r"\b(small[- ]business(es)?|small (and|&) medium|small firms?|SMEs?|entrepreneur\w*"
    r"|start-?ups?|family[- ](owned|run) (business|firm|shop|store|company)|shop ?keepers?|shop owners?"
    r"|store owners?|business owners?|self-employed|sole traders?|mom-and-pop|local business(es)?"
    r"|small shops?|small retailers?|market (traders|vendors|stalls?)|street vendors?)\b",
    "counterfeit-wide": r"\b(counterfeit\w*|fake goods|piracy|pirated|trademarks?|copyright\w*|knock-?offs?"
    r"|intellectual property|patents?)\b",
}
LABELLED = ["data/annotated/train.jsonl", "data/annotated/dev.jsonl", "data/annotated/test.jsonl",
            "data/topics/labels.jsonl"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("batch", type=int)
    ap.add_argument("n", type=int)
    ap.add_argument("slices", type=int)
    ap.add_argument("--out", default=None)
    ap.add_argument("--keywords", nargs="*", default=None, help="keyword groups to target")
    ap.add_argument("--min-hits", type=int, default=3, help="pattern hits a keyword candidate needs")
    ap.add_argument("--max-chars", type=int, default=9000, help="longest article to draw")
    args = ap.parse_args()
    labelled = {json.loads(line)["id"] for path in LABELLED for line in open(path)}
    for slice_file in Path("work").glob("topics-b*/slice-*.md"):
        labelled |= set(re.findall(r"^=== ARTICLE (\S+) ===", slice_file.read_text(encoding="utf-8"), re.M))
    articles = articles_by_id()
    free = sorted(i for i, a in articles.items() if i not in labelled and 500 <= len(a["text"]) <= args.max_chars)
    # Near-duplicate texts (the same story scraped twice) would be read twice: keep the first.
    seen, unique = set(), []
    for article_id in free:
        head = " ".join(articles[article_id]["text"].split())[:300]
        if head not in seen:
            seen.add(head)
            unique.append(article_id)
    # Nor may a candidate be another version of a labelled article (since 2026-11-27: 81 test
    # articles had one in train or dev): it would measure memory, or train on a test story.
    pool = {i: articles[i]["text"] for i in unique} | {i: articles[i]["text"] for i in labelled if i in articles}
    copies = {b if a in labelled else a for a, b in near_duplicate_pairs(pool, MIN_SHARE) if (a in labelled) != (b in labelled)}
    print(f"{sum(1 for i in unique if i in copies)} candidates dropped as near-duplicates of labelled articles")
    unique = [i for i in unique if i not in copies]
    draw = random.Random(f"newstag-topics-pick-{args.batch}")
    if args.keywords:
        queues = []
        for group in args.keywords:
            pattern = re.compile({**KEYWORDS, **WIDE_KEYWORDS}[group], re.I)
            queue = [i for i in unique if len(pattern.findall(articles[i]["text"])) >= args.min_hits]
            draw.shuffle(queue)
            queues.append(queue)
        picked = []
        while len(picked) < args.n and any(queues):
            for queue in queues:
                while queue and queue[0] in picked:
                    queue.pop(0)
                if queue and len(picked) < args.n:
                    picked.append(queue.pop(0))
    else:
        picked = draw.sample(unique, args.n)
    out = Path(args.out or f"work/topics-b{args.batch}")
    out.mkdir(parents=True, exist_ok=True)
    for k in range(args.slices):
        ids = picked[k::args.slices]
        with open(out / f"slice-{k + 1}.md", "w", encoding="utf-8") as f:
            for article_id in ids:
                f.write(f"=== ARTICLE {article_id} ===\n{articles[article_id]['text'].strip()}\n\n")
        print(f"slice-{k + 1}.md: {len(ids)} articles, {sum(len(articles[i]['text']) for i in ids)} characters")
    print(f"{len(unique)} candidates, {len(picked)} picked")


if __name__ == "__main__":
    main()
