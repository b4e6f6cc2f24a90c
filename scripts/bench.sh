#!/usr/bin/env bash
# Throughput benchmark: articles/s and peak RSS of `newstag tag` over the packaged 200-article
# sample, for 1 and 2 workers (or the worker counts given as arguments).
#   bash scripts/bench.sh [WORKERS...]      e.g. bash scripts/bench.sh 1 2 (PRECISION=f32 for the f32 models)
#   bash scripts/bench.sh compare [ARGS]    NER words/s of newstag vs the HF pipeline on the same
#                                           model vs spaCy sm (scripts/bench/compare.py; needs
#                                           scripts/ner/setup_train.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x target/release/newstag ] || bash scripts/setup.sh
if [ "${1:-}" = compare ]; then
  shift
  exec .venv/bin/python scripts/bench/compare.py "$@"
fi
DEVICE=${DEVICE:-auto}
PRECISION=${PRECISION:-auto}   # f32: rust-bert's f32 models instead of the int8 encoders
LIMIT=${LIMIT:-200}
workers=("$@")
[ ${#workers[@]} -gt 0 ] || workers=(1 2)
out=$(mktemp -d)
printf "%-8s %-8s %10s %12s %12s %12s\n" workers device articles seconds articles/s peak_rss_MiB
for w in "${workers[@]}"; do
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/rss" target/release/newstag tag data/external/newsarticles-200.csv \
    --limit "$LIMIT" --id-col article_id --url-col article_source_link --date-col publish_date \
    --out "$out/w$w" --workers "$w" --device "$DEVICE" --precision "$PRECISION" --quiet 2>/dev/null \
    || [ $? -eq 3 ]   # 3 only with --max-rejects; kept for runs that set it
  end=$(date +%s.%N)
  n=$(wc -l < "$out/w$w/articles.jsonl")
  awk -v w="$w" -v d="$DEVICE" -v n="$n" -v s="$start" -v e="$end" -v rss="$(tail -n 1 "$out/rss")" \
    'BEGIN { t = e - s; printf "%-8s %-8s %10d %12.1f %12.2f %12.0f\n", w, d, n, t, n / t, rss / 1024 }'
done
rm -rf "$out"
