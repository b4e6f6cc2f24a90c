"""Forward-pass throughput of an exported NER model (model.safetensors + config.json) over the
dev windows prepare.py wrote, for several batch sizes and dtypes: the Python reference of what
the Rust stage's forward pass does, for a device the Rust binary is not built for.

    python scripts/ner/throughput.py --model models/ner --data work/ner-data [--device cuda]
"""
import argparse
import gzip
import io
import json
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertForTokenClassification

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import CLS, SEP  # noqa: E402

WINDOW = 128


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="models/ner")
    ap.add_argument("--data", default="work/ner-data")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--batches", default="16,64,256,1024")
    args = ap.parse_args()
    device = torch.device(args.device)
    config = json.loads((Path(args.model) / "config.json").read_text())
    model = BertForTokenClassification(BertConfig(**config))
    model.load_state_dict({k: v.float() for k, v in load_file(Path(args.model) / "model.safetensors").items()},
                          strict=False)
    model.to(device).eval()
    dev = torch.load(io.BytesIO(gzip.decompress((Path(args.data) / "dev.pt.gz").read_bytes())), weights_only=True)
    rows = []
    for a in dev:
        for s in range(0, len(a["ids"]), WINDOW - 2 - 32):
            ids = a["ids"][s:s + WINDOW - 2].long()
            rows.append((torch.cat([torch.tensor([CLS]), ids, torch.tensor([SEP])]),
                         torch.cat([torch.zeros(1), a["shapes"][s:s + WINDOW - 2].float(), torch.zeros(1)]).long()))
    ids = torch.zeros(len(rows), WINDOW, dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    for i, (r, t) in enumerate(rows):
        ids[i, :len(r)], types[i, :len(t)], mask[i, :len(r)] = r, t, 1
    pieces = int(sum(len(a["ids"]) for a in dev))
    print(f"{len(rows)} windows of {WINDOW} ({pieces} article pieces, 139 dev articles) on {device}")
    for dtype in (torch.float32, torch.bfloat16) if device.type == "cuda" else (torch.float32,):
        for batch in map(int, args.batches.split(",")):
            with torch.no_grad(), torch.autocast(device.type, dtype=dtype, enabled=dtype != torch.float32):
                for rep in range(2):  # the first pass warms up kernels and allocator
                    if device.type == "cuda":
                        torch.cuda.synchronize()
                    t0 = time.time()
                    for b in range(0, len(rows), batch):
                        model(input_ids=ids[b:b + batch].to(device), token_type_ids=types[b:b + batch].to(device),
                              attention_mask=mask[b:b + batch].to(device)).logits.argmax(-1).cpu()
                    if device.type == "cuda":
                        torch.cuda.synchronize()
                    seconds = time.time() - t0
            print(f"{str(dtype).split('.')[-1]:>8} batch {batch:>5}: {len(rows) / seconds:8.0f} windows/s, "
                  f"{len(dev) / seconds:7.1f} articles/s")


if __name__ == "__main__":
    main()
