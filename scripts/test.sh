#!/usr/bin/env bash
# The project's test command: installs what is missing (scripts/setup.sh), checks formatting
# and lints (warnings are errors), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Tools the interop tests read the tables with (tests/interop.rs): pyarrow, and PySpark for the
# Spark job in local mode (Java 17 must be on PATH); warcio writes the WARC file of the input
# tests (tests/inputs.rs).
if ! .venv/bin/python -c "import pyarrow, pyspark, warcio" 2>/dev/null; then
  # numpy 2: pyarrow 26 refuses numpy 1 (which an older scripts/ner/setup_train.sh pinned).
  .venv/bin/pip install -q --disable-pip-version-check "pyarrow==26.0.1" "pyspark==4.3.0" "warcio==1.8.1" "numpy>=2,<2.3"
fi
source scripts/env.sh
cargo fmt --check
cargo clippy --release --all-targets --quiet -- -D warnings
cargo test --release
