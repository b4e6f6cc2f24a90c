"""Turns the hand annotations (data/annotated/ann/*.ann) into standoff records.

Writes data/annotated/{train,dev,test}.jsonl: corpus, row, id, sha256 of the text, entities
(code-point offsets, label, company flag), topics, relations (roles, evidence offsets). Fails
on a text hash mismatch, an unknown type/role/topic, a surface not in the text, a relation
whose ends are not annotated entities, or evidence not found.

  python scripts/annotate/build.py                  # all .ann files -> splits
  python scripts/annotate/build.py --show FILE.ann  # print the tagged spans in context (for annotators)
"""
import argparse
import json
import re
import sys

from common import ANNOTATED, AnnError, articles_by_id, parse_ann, sha256, split_of, topic_ids


def occurrences(text, surface):
    # Letters and digits only: "_x000D_" export artifacts and "_" are boundaries too.
    pattern = r"(?<![^\W_])" + re.escape(surface) + r"(?![^\W_])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def spans(text, entity_lines):
    """Longest surfaces first, no overlaps; returns accepted spans and warnings."""
    candidates, problems = [], []
    for label, picks, surface, where in entity_lines:
        found = occurrences(text, surface)
        if not found:
            raise AnnError(f"{where}: {surface!r} is not in the text (whole words, case-sensitive)")
        for k, (s, e) in enumerate(found, start=1):
            if picks is None or k in picks:
                candidates.append((s, e, label, where))
        if picks and max(picks) > len(found):
            raise AnnError(f"{where}: {surface!r} occurs {len(found)} times, not {max(picks)}")
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken, used = [], set()
    for s, e, label, where in candidates:
        if any(i in used for i in range(s, e)):
            continue
        used.update(range(s, e))
        taken.append((s, e, label, where))
    lines_used = {t[3] for t in taken}
    for label, _, surface, where in entity_lines:
        if where not in lines_used and label != "NOT":
            problems.append(f"{where}: every occurrence of {surface!r} is inside a longer surface")
    taken.sort()
    return taken, problems


def sentence_around(text, start, end):
    """The sentence containing [start, end): from the previous sentence end to the next."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("? ", 0, start),
               text.rfind("! ", 0, start))
    left = 0 if left < 0 else left + 1
    right = len(text)
    for mark in (". ", "\n", "? ", "! "):
        i = text.find(mark, end)
        if i >= 0:
            right = min(right, i + 1)
    left += len(text[left:right]) - len(text[left:right].lstrip())
    return left, right


def find_evidence(text, snippet):
    at = text.find(snippet)
    if at >= 0:
        return at, at + len(snippet)
    words = [re.escape(w) for w in snippet.split()]
    m = re.search(r"\s+".join(words), text)
    return (m.start(), m.end()) if m else None


def build_one(path, articles, topics):
    header, entity_lines, relations = parse_ann(path)
    article_id = header.get("id") or path.stem
    if article_id not in articles:
        raise AnnError(f"{path}: no article {article_id} in rows 0-2,499 of the corpora")
    article = articles[article_id]
    text = article["text"]
    digest = sha256(text)
    if header.get("sha256") and header["sha256"] != digest:
        raise AnnError(f"{path}: sha256 {header['sha256']} does not match the text ({digest})")
    chosen = [t.strip() for t in header.get("topics", "").split(",") if t.strip()]
    for t in chosen:
        if t not in topics:
            raise AnnError(f"{path}: unknown topic {t!r}")
    taken, problems = spans(text, entity_lines)
    entities = []
    for s, e, label, _ in taken:
        if label == "NOT":
            continue
        entity = {"start": s, "end": e, "label": label.split(":")[0]}
        if label.startswith("ORG"):
            entity["company"] = label == "ORG:company"
        entities.append(entity)
    kinds = {}
    for label, _, surface, _ in entity_lines:
        kinds.setdefault(surface, set()).add(label.split(":")[0])
    records = []
    for r in relations:
        if "PER" not in kinds.get(r["person"], ()):
            raise AnnError(f"{r['where']}: {r['person']!r} is not a PER surface of this file")
        if "ORG" not in kinds.get(r["org"], ()):
            raise AnnError(f"{r['where']}: {r['org']!r} is not an ORG surface of this file")
        found = find_evidence(text, r["evidence"])
        if not found:
            raise AnnError(f"{r['where']}: evidence {r['evidence']!r} not found verbatim")
        s, e = sentence_around(text, *found)
        records.append({"person": r["person"], "org": r["org"], "role": r["role"],
                        "evidence_start": found[0], "evidence_end": found[1],
                        "sentence_start": s, "sentence_end": e})
    record = {"id": article_id, "corpus": article["corpus"], "row": article["row"], "sha256": digest,
              "split": split_of(article_id), "annotator": header.get("annotator"),
              "reviewed": header.get("reviewed"), "topics": chosen, "entities": entities,
              "relations": records}
    return record, problems, text


def show(path, articles, topics):
    record, problems, text = build_one(path, articles, topics)
    for e in record["entities"]:
        left = text[max(0, e["start"] - 30):e["start"]].replace("\n", " ")
        right = text[e["end"]:e["end"] + 30].replace("\n", " ")
        flag = "" if "company" not in e else (":company" if e["company"] else ":org")
        print(f"{e['start']:>6} {e['label'] + flag:<12} …{left}[{text[e['start']:e['end']]}]{right}…")
    for r in record["relations"]:
        print(f"REL {r['person']} -> {r['org']} ({r['role']}): {text[r['sentence_start']:r['sentence_end']]!r}")
    print(f"topics: {', '.join(record['topics'])}")
    for p in problems:
        print("warning:", p)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", nargs="*", help="print the spans of these .ann files and stop")
    args = ap.parse_args()
    articles, topics = articles_by_id(), set(topic_ids())
    if args.show:
        from pathlib import Path
        for p in args.show:
            show(Path(p), articles, topics)
        return
    splits = {"train": [], "dev": [], "test": []}
    failed = 0
    for path in sorted((ANNOTATED / "ann").glob("*.ann")):
        try:
            record, problems, _ = build_one(path, articles, topics)
        except AnnError as e:
            print(f"error: {e}", file=sys.stderr)
            failed += 1
            continue
        for p in problems:
            print(f"warning: {p}", file=sys.stderr)
        splits[record["split"]].append(record)
    for name, records in splits.items():
        with open(ANNOTATED / f"{name}.jsonl", "w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts = {k: (len(v), sum(len(r["entities"]) for r in v)) for k, v in splits.items()}
    print(f"articles, entities per split: {counts}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
