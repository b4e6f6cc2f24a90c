"""Test articles that are another version of a train or dev article (the same wire story
scraped twice, a rewrite of one agency text): they measure memory, not generalisation.

    python3 scripts/topics/near_duplicates.py [--min-share 0.5] > test-near-duplicates.txt

Reads every article of the NER corpus (data/annotated/*.jsonl) and of data/topics/labels.jsonl,
texts rebuilt from the packages. Two articles are near-duplicates when the shorter one shares at
least MIN_SHARE of its 6-word shingles (lowercased word runs) with the other. Prints the ids of
the test articles with a near-duplicate in train or dev, one per line, and a count on stderr.
"""
import argparse
import collections
import json
import re
import sys

sys.path.insert(0, "scripts/annotate")
from common import articles_by_id  # noqa: E402

SHINGLE = 6
MIN_SHARE = 0.5
# A shingle in more articles than this is boilerplate (a site's footer), not shared text.
MAX_OWNERS = 30


def shingles(text):
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[k:k + SHINGLE]) for k in range(max(1, len(words) - SHINGLE + 1))}


def near_duplicate_pairs(texts, min_share):
    """Pairs (a, b), a < b, of ids of `texts` (id -> text) whose shorter text shares at least
    `min_share` of its shingles with the other."""
    own = {i: shingles(text) for i, text in texts.items()}
    owners = collections.defaultdict(list)
    for i, pieces in own.items():
        for piece in pieces:
            owners[piece].append(i)
    shared = collections.Counter()
    for ids in owners.values():
        if 1 < len(ids) <= MAX_OWNERS:
            for a in range(len(ids)):
                for b in range(a + 1, len(ids)):
                    shared[min(ids[a], ids[b]), max(ids[a], ids[b])] += 1
    return {pair for pair, count in shared.items() if count >= min_share * min(len(own[pair[0]]), len(own[pair[1]]))}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-share", type=float, default=MIN_SHARE)
    args = ap.parse_args()
    split = {}
    for line in open("data/topics/labels.jsonl", encoding="utf-8"):
        record = json.loads(line)
        split[record["id"]] = record["split"]
    for name in ("train", "dev", "test"):
        for line in open(f"data/annotated/{name}.jsonl", encoding="utf-8"):
            split.setdefault(json.loads(line)["id"], name)
    articles = articles_by_id()
    found = set()
    for a, b in near_duplicate_pairs({i: articles[i]["text"] for i in split}, args.min_share):
        if {split[a], split[b]} in ({"test", "train"}, {"test", "dev"}):
            found.add(a if split[a] == "test" else b)
    tests = sum(1 for s in split.values() if s == "test")
    print(f"{len(found)} of {tests} test articles have a near-duplicate in train or dev", file=sys.stderr)
    for i in sorted(found):
        print(i)


if __name__ == "__main__":
    main()
