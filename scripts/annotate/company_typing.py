"""Company-vs-organisation accuracy of the resolve stage on organisation spans the NER found
exactly (issue 7, item 4): for every gold ORG span of a labelled file that the pipeline also
tags as an organisation with the same offsets, is `company` the same as the gold flag?

  python3 scripts/annotate/company_typing.py work/annotated-test.jsonl [newstag pipe options]
  (texts from texts.py; e.g. `--company-typing lexicon` for the lexicon score, `--models DIR`)
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    gold = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    records = "".join(json.dumps({"id": g["id"], "text": g["text"]}) + "\n" for g in gold)
    run = subprocess.run([str(ROOT / "target/release/newstag"), "pipe", "segment", "ner", "resolve", "--device", "cpu", *sys.argv[2:]],
                         input=records.encode(), capture_output=True, check=True, cwd=ROOT)
    predicted = {r["id"]: r for r in map(json.loads, run.stdout.decode().splitlines())}
    matched = same = 0
    confusion = {}
    for g in gold:
        mentions = {(m["start"], m["end"]): m["label"] for m in predicted.get(g["id"], {}).get("mentions", [])}
        for e in g["entities"]:
            label = mentions.get((e["start"], e["end"]))
            if e["label"] != "ORG" or label not in ("company", "organization"):
                continue
            matched += 1
            truth = "company" if e["company"] else "organization"
            same += truth == label
            confusion[(truth, label)] = confusion.get((truth, label), 0) + 1
    print(f"{len(gold)} articles, {matched} organisation spans matched exactly")
    print(f"company-vs-organization accuracy: {100 * same / max(matched, 1):.1f}%")
    for (truth, label), n in sorted(confusion.items()):
        print(f"  gold {truth:<12} -> {label:<12} {n}")


if __name__ == "__main__":
    main()
