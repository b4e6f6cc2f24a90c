"""Inter-annotator agreement: entity F1 (exact span and type, one annotation as reference),
ORG company-flag agreement and topic F1 between data/annotated/ann/ and agreement/ for every
article annotated in both.

  python scripts/annotate/agreement.py
"""
from common import ANNOTATED, articles_by_id, topic_ids
from build import build_one


def f1(tp, a, b):
    return 2 * tp / (a + b) if a + b else 1.0


def main():
    articles, topics = articles_by_id(), set(topic_ids())
    pairs = sorted(p.name for p in (ANNOTATED / "agreement").glob("*.ann") if (ANNOTATED / "ann" / p.name).exists())
    ent_tp = ent_a = ent_b = flag_same = flag_n = top_tp = top_a = top_b = 0
    for name in pairs:
        first, _, _ = build_one(ANNOTATED / "ann" / name, articles, topics)
        second, _, _ = build_one(ANNOTATED / "agreement" / name, articles, topics)
        key = lambda e: (e["start"], e["end"], e["label"])  # noqa: E731
        a = {key(e): e for e in first["entities"]}
        b = {key(e): e for e in second["entities"]}
        both = a.keys() & b.keys()
        ent_tp, ent_a, ent_b = ent_tp + len(both), ent_a + len(a), ent_b + len(b)
        for k in both:
            if k[2] == "ORG":
                flag_n += 1
                flag_same += a[k]["company"] == b[k]["company"]
        ta, tb = set(first["topics"]), set(second["topics"])
        top_tp, top_a, top_b = top_tp + len(ta & tb), top_a + len(ta), top_b + len(tb)
    print(f"{len(pairs)} articles annotated twice")
    print(f"entity F1 (exact span + type): {100 * f1(ent_tp, ent_a, ent_b):.1f} ({ent_a} vs {ent_b} entities)")
    print(f"company flag agreement on shared ORG spans: {100 * flag_same / max(flag_n, 1):.1f} ({flag_n} spans)")
    print(f"topic F1: {100 * f1(top_tp, top_a, top_b):.1f}")


if __name__ == "__main__":
    main()
