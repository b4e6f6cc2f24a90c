"""Install a model train.py wrote (model.safetensors in fp16 + config.json) into models/ner/ and
rewrite SHA256SUMS. The tokenizer files in models/ner/ stay: prepare.py tokenised the training
data with them, and the Rust stage reads them.

    python scripts/ner/export.py --src work/ner-out [--dst models/ner]

A model that came back from a GPU box in parts: cat model.part.* > work/ner-out/model.safetensors
"""
import argparse
import hashlib
import json
import shutil
from pathlib import Path

from safetensors import safe_open

ROOT = Path(__file__).resolve().parent.parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default=str(ROOT / "work" / "ner-out"))
    ap.add_argument("--dst", default=str(ROOT / "models" / "ner"))
    args = ap.parse_args()
    src, dst = Path(args.src), Path(args.dst)
    config = json.loads((src / "config.json").read_text())
    with safe_open(src / "model.safetensors", "np") as weights:
        dtypes = {str(weights.get_slice(k).get_dtype()) for k in weights.keys()}
        classifier = weights.get_slice("classifier.weight").get_shape()
    assert dtypes == {"F16"}, f"expected fp16 weights, found {dtypes}"
    assert classifier[0] == len(config["id2label"]), "classifier and id2label disagree"
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy(src / "model.safetensors", dst / "model.safetensors")
    (dst / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    sums = [f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.name}"
            for f in sorted(dst.iterdir()) if f.name != "SHA256SUMS" and f.is_file()]
    (dst / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    size = (dst / "model.safetensors").stat().st_size / 1e6
    print(f"installed {src} -> {dst} ({size:.1f} MB, word_shapes={config.get('word_shapes')})")


if __name__ == "__main__":
    main()
