"""Precision of the sample job's stated person-organisation links against the hand judgements
in data/annotated/links-sample-judged.tsv (two independent readers per link, README "Links").

    python3 scripts/links/sample_precision.py [out/sample/links.csv] [--unjudged FILE]

A link is judged when a row has its article, person and organisation; it is true when both
readers said yes. Links nobody judged yet are listed (and written to FILE as TSV with their
evidence sentence, for the next readers); precision counts judged links only, so it is the
whole figure only when that list is empty. Also prints the largest share of stated links from
one article."""
import csv, json, sys
from collections import Counter

args = [a for a in sys.argv[1:] if not a.startswith("--")]
links_csv = args[0] if args else "out/sample/links.csv"
unjudged_out = sys.argv[sys.argv.index("--unjudged") + 1] if "--unjudged" in sys.argv else None
if unjudged_out in args:
    args.remove(unjudged_out)

judged = {}
for row in csv.DictReader(open("data/annotated/links-sample-judged.tsv"), delimiter="\t"):
    key = (row["article_id"], row["person"], row["organisation"])
    judged[key] = row["relation_A"] == "yes" and row["relation_B"] == "yes"

stated = [r for r in csv.DictReader(open(links_csv)) if r["kind"] in ("person-company", "person-organization")]
verdicts = [judged.get((r["article_id"], r["source"], r["target"])) for r in stated]
true = sum(v is True for v in verdicts)
known = sum(v is not None for v in verdicts)
print(f"stated links: {len(stated)}; judged: {known}; true: {true}; precision of the judged: {100 * true / max(1, known):.1f}%")
per_article = Counter(r["article_id"] for r in stated)
if per_article:
    article, most = per_article.most_common(1)[0]
    print(f"largest share of one article: {100 * most / len(stated):.1f}% ({most} of {len(stated)}, {article})")
missing = [r for r, v in zip(stated, verdicts) if v is None]
print(f"unjudged: {len(missing)}")
if unjudged_out and missing:
    articles_jsonl = links_csv.replace("links.csv", "articles.jsonl")
    wanted = {r["article_id"] for r in missing}
    texts = {}
    for line in open(articles_jsonl):
        a = json.loads(line)
        if a["id"] in wanted:
            texts[a["id"]] = a
    with open(unjudged_out, "w") as f:
        f.write("article_id\tperson\torganisation\tkind\trole\tsentence\n")
        for r in missing:
            a = texts[r["article_id"]]
            chars = a["text"]
            sentences = a["sentences"]
            evidence = " … ".join(chars[sentences[int(s)]["start"]:sentences[int(s)]["end"]].replace("\n", " ").replace("\t", " ")
                                  for s in r["evidence_sentences"].replace(";", " ").split())
            f.write("\t".join([r["article_id"], r["source"], r["target"], r["kind"], r["role"], evidence]) + "\n")
    print(f"written to {unjudged_out}")
