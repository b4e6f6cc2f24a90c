"""Build data/gold/gold.jsonl from the hand annotation (data/gold/annotations.tsv) of the
article leads in data/gold/texts.jsonl. Every whole-word occurrence of an annotated surface is
tagged, longest surfaces first, never overlapping. Fails on a surface that is not in its text.
"""
import json
import re
from pathlib import Path

GOLD = Path(__file__).resolve().parent.parent.parent / "data" / "gold"


def main():
    texts = {}
    for line in open(GOLD / "texts.jsonl", encoding="utf-8"):
        rec = json.loads(line)
        texts[rec["id"]] = rec["text"]
    wanted = {i: [] for i in texts}
    for line in open(GOLD / "annotations.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        doc, label, surface = line.rstrip("\n").split("\t")
        wanted[doc].append((surface, label))
    with open(GOLD / "gold.jsonl", "w", encoding="utf-8") as out:
        for doc, text in texts.items():
            spans = []
            for surface, label in sorted(wanted[doc], key=lambda s: -len(s[0])):
                pattern = r"(?<!\w)" + re.escape(surface) + r"(?!\w)"
                found = [m.span() for m in re.finditer(pattern, text)]
                if not found:
                    raise SystemExit(f"{doc}: {surface!r} not found")
                for s, e in found:
                    if all(e <= a or s >= b for a, b, _ in spans):
                        spans.append((s, e, label))
            spans.sort()
            ents = [{"start": s, "end": e, "label": l} for s, e, l in spans]
            out.write(json.dumps({"id": doc, "text": text, "entities": ents}, ensure_ascii=False) + "\n")
    print(f"{len(texts)} documents, {sum(len(v) for v in wanted.values())} annotated surfaces")


if __name__ == "__main__":
    main()
