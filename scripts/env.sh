# Source this: sets up the environment tch builds and runs with.
# - CPU (default): libtorch/ made by scripts/libtorch_cpu.sh from the PyPI torch 2.4.1 wheel,
#   without its CUDA libraries.
# - CUDA (NEWSTAG_CUDA=1, after `NEWSTAG_CUDA=1 bash scripts/setup.sh`): the torch wheel
#   installed in .venv with its nvidia-* libraries (LIBTORCH_USE_PYTORCH).
# The Python venv (.venv) is on PATH either way, for the scripts and test tools.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export VIRTUAL_ENV="$ROOT/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export LIBTORCH_BYPASS_VERSION_CHECK=1  # tch 0.17 was cut for 2.4.0; 2.4.1 is ABI-compatible
if [ "${NEWSTAG_CUDA:-0}" = 1 ]; then
  unset LIBTORCH LIBTORCH_CXX11_ABI
  export LIBTORCH_USE_PYTORCH=1
  # libtorch's own dependencies (cudart, cupti...) are found through the wheel's rpaths.
else
  unset LIBTORCH_USE_PYTORCH
  export LIBTORCH="$ROOT/libtorch"
  export LIBTORCH_CXX11_ABI=0  # the PyPI wheels are built with the pre-C++11 string ABI
fi
