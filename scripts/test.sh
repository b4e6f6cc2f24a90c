#!/usr/bin/env bash
# The project's test command: installs what is missing (scripts/setup.sh), checks formatting
# and lints (warnings are errors), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo fmt --check
cargo clippy --release --all-targets --quiet -- -D warnings
cargo test --release
