"""Generate a large `tag` output folder for measuring `newstag aggregate` (memory and time).

    python scripts/bench/aggregate_input.py OUT [--articles 1000000] [--names 300000]

Writes OUT/articles.csv, entities.csv, mentions.csv and links.csv with the columns `tag`
writes: each article names 8 entities (4 people, 3 organisations, 1 place) drawn from a
Zipf-like vocabulary of --names names per type (a few names in many articles, most in few, as in
news), 12 mentions, person↔organisation links and entity↔theme links.
"""

import argparse
import csv
import os
import random

THEMES = ["trade", "finance-markets", "elections-politics", "diplomacy", "conflict-security", "technology"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--articles", type=int, default=1_000_000)
    p.add_argument("--names", type=int, default=300_000)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    # Zipf-like draw: index = names * u^3 puts most draws on the first names.
    draw = lambda: int(args.names * rng.random() ** 3)
    files = {t: open(os.path.join(args.out, f"{t}.csv"), "w", newline="") for t in
             ["articles", "entities", "mentions", "links"]}
    w = {t: csv.writer(f) for t, f in files.items()}
    w["articles"].writerow(["article_key", "article_id", "title", "url", "date", "chars", "body_chars",
                            "sentences", "mentions", "entities", "topics"])
    w["entities"].writerow(["article_key", "article_id", "entity_id", "name", "type", "mention_count",
                            "first_start", "score"])
    w["mentions"].writerow(["article_key", "article_id", "entity_id", "text", "type", "start", "end", "score",
                            "sentence"])
    w["links"].writerow(["article_key", "article_id", "kind", "source", "target", "weight", "evidence_sentences"])
    for a in range(args.articles):
        key, aid = f"dump.jsonl:{a + 1}", str(a)
        day = f"20{10 + a % 10}-{1 + a % 12:02d}-{1 + a % 28:02d}"
        theme = THEMES[a % len(THEMES)]
        people = [(f"Person{draw()} Surname{draw() % 5000}", "person") for _ in range(4)]
        orgs = [(f"Company{draw()}", "company" if i < 2 else "organization") for i in range(3)]
        ents = people + orgs + [(f"Place{draw() % 20000}", "location")]
        w["articles"].writerow([key, aid, "", "", day, 3000, 2500, 30, 12, len(ents), theme])
        for i, (name, kind) in enumerate(ents):
            w["entities"].writerow([key, aid, i, name, kind, 1 + (i < 4), 100 * i, 0.9])
            w["mentions"].writerow([key, aid, i, name, kind, 100 * i, 100 * i + len(name), 0.9, i])
            if i < 4:
                w["mentions"].writerow([key, aid, i, name.split()[-1], kind, 100 * i + 50, 100 * i + 60, 0.9, i])
        for name, _ in people[:2]:
            for org, kind in orgs[:2]:
                w["links"].writerow([key, aid, "person-company", name, org, 1.0, "1"])
        for name, _ in ents[:4]:
            w["links"].writerow([key, aid, "entity-topic", name, theme, 0.5, "1"])
    for f in files.values():
        f.close()


if __name__ == "__main__":
    main()
