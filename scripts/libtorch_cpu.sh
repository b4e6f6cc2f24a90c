#!/usr/bin/env bash
# Makes libtorch/, a CPU-only libtorch 2.4.1 for tch, from PyPI wheels (no other source is
# reachable from the build machines), without the 2.7 GB of CUDA libraries a `pip install
# torch` brings:
#   libtorch/lib/      libtorch_cpu.so, libc10.so, libgomp (from the torch 2.4.1 wheel),
#                      libcudart.so.12 and libcupti.so.12 (nvidia-cuda-runtime-cu12 and
#                      nvidia-cuda-cupti-cu12: libtorch_cpu.so is linked against them, it does
#                      not use them on a CPU), and libtorch.so, rebuilt here as a stub that needs
#                      only libtorch_cpu.so (the wheel's one also needs the 900 MB
#                      libtorch_cuda.so and holds no symbol tch uses)
#   libtorch/include/  the C++ headers torch-sys compiles its wrapper against
# No libtorch_cuda.so in lib/, so torch-sys links no CUDA. Idempotent: a finished libtorch/
# has a .complete stamp. The CUDA build stays one switch away: NEWSTAG_CUDA=1 scripts/setup.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/libtorch"
TORCH_VERSION=2.4.1
CUDA_LIBS_VERSION=12.1.105   # the versions torch 2.4.1 pins
[ -f "$DEST/.complete" ] && exit 0

PIP="$ROOT/.venv/bin/pip"
[ -x "$PIP" ] || PIP="pip"
mkdir -p "$ROOT/work"
wheels=$(mktemp -d "$ROOT/work/wheels.XXXXXX")
trap 'rm -rf "$wheels"' EXIT
"$PIP" download -q --disable-pip-version-check --no-deps -d "$wheels" \
  "torch==$TORCH_VERSION" \
  "nvidia-cuda-runtime-cu12==$CUDA_LIBS_VERSION" "nvidia-cuda-cupti-cu12==$CUDA_LIBS_VERSION"

rm -rf "$DEST"
mkdir -p "$DEST/lib"
python3 - "$wheels" "$DEST" <<'PY'
import shutil, sys, zipfile
from pathlib import Path

wheels, dest = Path(sys.argv[1]), Path(sys.argv[2])
wanted_libs = {
    "torch/lib/libtorch_cpu.so", "torch/lib/libc10.so",
    "nvidia/cuda_runtime/lib/libcudart.so.12", "nvidia/cuda_cupti/lib/libcupti.so.12",
}
for wheel in sorted(wheels.glob("*.whl")):
    with zipfile.ZipFile(wheel) as z:
        for member in z.infolist():
            name = member.filename
            if name in wanted_libs or (name.startswith("torch/lib/libgomp") and ".so" in name):
                target = dest / "lib" / Path(name).name
            elif name.startswith("torch/include/") and not name.endswith("/"):
                target = dest / name[len("torch/"):]
            else:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(member) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
PY
for lib in libtorch_cpu.so libc10.so libcudart.so.12 libcupti.so.12; do
  [ -f "$DEST/lib/$lib" ] || { echo "libtorch_cpu.sh: $lib missing from the wheels" >&2; exit 1; }
done
ls "$DEST"/lib/libgomp*.so* >/dev/null
# The stub libtorch.so: torch-sys links -ltorch; this one only pulls in libtorch_cpu.so.
echo 'int newstag_libtorch_cpu_stub;' > "$wheels/stub.c"
cc -shared -fPIC -o "$DEST/lib/libtorch.so" "$wheels/stub.c" \
  -L"$DEST/lib" -Wl,--no-as-needed -ltorch_cpu -Wl,-rpath,'$ORIGIN'
touch "$DEST/.complete"
echo "libtorch_cpu.sh: $(du -sh "$DEST" | cut -f1) in $DEST" >&2
