"""The third reader's question files for a batch of double-read topic labels: one question per
article, listing the labels only one of the two readers gave, followed by the article's text.

    python3 scripts/topics/disagreements.py work/topics-b10 [--parts 2]

DIR holds the readers' slices, `slice-K-A.tsv` and `slice-K-B.tsv` (add_labels.py's format).
Writes DIR/A.tsv and DIR/B.tsv (the slices joined, the input of add_labels.py) and
DIR/decide-1.md ... decide-PARTS.md (articles dealt round-robin, in id order). Prints the batch's
label F1 between the readers. Texts are rebuilt from the packages (scripts/annotate/common.py)."""
import argparse
import pathlib
import sys

sys.path.insert(0, "scripts/annotate")
sys.path.insert(0, "scripts/topics")
from add_labels import read_labels  # noqa: E402
from common import articles_by_id  # noqa: E402


def joined(folder, reader):
    """Every slice of one reader, written to folder/READER.tsv, and its labels."""
    slices = sorted(folder.glob(f"slice-*-{reader}.tsv"))
    if not slices:
        sys.exit(f"no slice-*-{reader}.tsv in {folder}")
    (folder / f"{reader}.tsv").write_text("".join(p.read_text(encoding="utf-8") for p in slices), encoding="utf-8")
    labels = {}
    for path in slices:
        labels.update(read_labels(path))
    return labels


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=pathlib.Path)
    ap.add_argument("--parts", type=int, default=2, help="question files to write (one per third reader)")
    args = ap.parse_args()
    a, b = joined(args.folder, "A"), joined(args.folder, "B")
    if set(a) != set(b):
        sys.exit(f"readers labelled different articles: {sorted(set(a) ^ set(b))}")
    agreed = sum(2 * len(a[i] & b[i]) for i in a)
    questions = {i: sorted(a[i] ^ b[i]) for i in sorted(a) if a[i] ^ b[i]}
    differ = sum(len(q) for q in questions.values())
    print(f"{len(a)} articles; label F1 between the readers {agreed / max(1, agreed + differ):.3f}; "
          f"{differ} labels given by one reader, in {len(questions)} articles")
    articles = articles_by_id()
    ids = list(questions)
    for part in range(args.parts):
        mine = ids[part::args.parts]
        with open(args.folder / f"decide-{part + 1}.md", "w", encoding="utf-8") as out:
            for i in mine:
                out.write(f"=== ARTICLE {i} === QUESTION: is each of these topics a subject of the article? "
                          f"{', '.join(questions[i])}\n{articles[i]['text'].strip()}\n\n")
        print(f"decide-{part + 1}.md: {len(mine)} articles, {sum(len(questions[i]) for i in mine)} questions")


if __name__ == "__main__":
    main()
