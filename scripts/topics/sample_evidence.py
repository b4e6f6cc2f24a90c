"""Samples topic assignments of a `newstag tag` run for two readers to judge (evidence precision).

    python3 scripts/topics/sample_evidence.py OUT/articles.jsonl ROUND N > judge.md

N assignments (article, topic) drawn with a seed made of ROUND, each printed with the whole
article text and its first 3 evidence sentences numbered k = 1..3. A reader answers, per
assignment, k = 0: is the topic a subject of the article (data/topics/GUIDELINE.md), and for
each evidence sentence: does this sentence itself carry the topic? (yes / no). The verdicts go
to data/topics/evidence-judged-roundROUND.tsv (n, article_id, topic, k, verdict_A, verdict_B,
settled)."""
import json
import random
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    path, round_, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    articles = [json.loads(line) for line in open(path, encoding="utf-8")]
    pairs = [(a, t) for a in articles for t in a.get("topics", [])]
    picked = random.Random(f"newstag-evidence-{round_}").sample(pairs, n)
    for number, (article, topic) in enumerate(picked, start=1):
        print(f"=== ASSIGNMENT {number}: article {article['id']}, topic {topic['topic']} ===")
        print("--- evidence sentences ---")
        for k, sid in enumerate(topic["evidence"][:3], start=1):
            s = article["sentences"][sid]
            print(f"[k={k}] {article['text'][s['start']:s['end']].strip()}")
        print("--- article text ---")
        print(article["text"].strip())
        print()


if __name__ == "__main__":
    main()
