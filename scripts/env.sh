# Source this: puts the project's Python venv (torch 2.4 wheel = libtorch) on PATH for tch.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VIRTUAL_ENV="$ROOT/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export LIBTORCH_USE_PYTORCH=1
# libtorch's own dependencies (cudart, cupti...) are found through the wheel's rpaths.
export LIBTORCH_BYPASS_VERSION_CHECK=1  # tch 0.17 was cut for 2.4.0; the 2.4.1 wheel is ABI-compatible
