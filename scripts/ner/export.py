"""Export the trained NER model (work/ner-train/final) to models/ner/ for rust-bert.

Writes model.safetensors in float16 (half the size; the Rust side loads it into f32 weights),
config.json with id2label, tokenizer.json / vocab.txt, and SHA256SUMS for every file.
"""
import argparse
import hashlib
import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers import BertForTokenClassification

ROOT = Path(__file__).resolve().parent.parent.parent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", default=str(ROOT / "work" / "ner-train" / "final"))
    ap.add_argument("--dst", default=str(ROOT / "models" / "ner"))
    args = ap.parse_args()
    src, dst = Path(args.src), Path(args.dst)
    dst.mkdir(parents=True, exist_ok=True)
    model = BertForTokenClassification.from_pretrained(src)
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in model.state_dict().items()
             if not k.endswith("position_ids")}
    save_file(state, dst / "model.safetensors")
    config = json.loads((src / "config.json").read_text())
    (dst / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    for name in ("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(src / name, dst / name)
    sums = []
    for f in sorted(dst.iterdir()):
        if f.name != "SHA256SUMS" and f.is_file():
            sums.append(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.name}")
    (dst / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    print(f"exported to {dst}")


if __name__ == "__main__":
    main()
