"""Train the pipeline's NER model: silver pretraining, then fine-tuning on the hand-annotated
train split, with word shapes as BERT token types (shapes.py). Runs the ablation plan of
issue 7, scores every row on the hand-annotated dev split and writes the best row's model.

Input: the folder prepare.py writes (silver.pt, hand.pt, dev.pt) and an encoder folder
(config.json + model.safetensors; all-MiniLM-L6-v2). Output (--out): model.safetensors (fp16)
and config.json of the chosen row, ablation.json with every row's dev scores.

    python scripts/ner/train.py --data work/ner-data --encoder work/ner-data/encoder --out work/ner-out

`--plan company` is the shipped recipe (the ablation's chosen row, with the COM label). On a GPU
each plan takes minutes; on 2 CPU cores the company plan takes about 2 hours.
"""
import argparse
import copy
import gzip
import io
import json
import math
import random
import sys
import time
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import BertConfig, BertForTokenClassification

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shapes import CLS, IGNORE, LABEL_ID, LABELS, SEP, SHAPES, SHAPES_TAG  # noqa: E402

WINDOW = 128  # pieces per window, [CLS] and [SEP] included: what the Rust stage runs
OVERLAP = 32  # the Rust stage's default window overlap (src/stages/ner.rs)
TYPES = ["PER", "ORG", "LOC", "MISC"]  # scored types: COM counts as ORG, as `newstag eval` does


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


def build_model(encoder_dir):
    """BertForTokenClassification over the encoder, with len(SHAPES) token types: every new
    type starts as the pretrained type 0, so before training shapes change nothing."""
    config = json.loads((Path(encoder_dir) / "config.json").read_text())
    config.update(num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id=LABEL_ID,
                  type_vocab_size=len(SHAPES), architectures=["BertForTokenClassification"])
    model = BertForTokenClassification(BertConfig(**config))
    weights = {k: v.float() for k, v in load_file(Path(encoder_dir) / "model.safetensors").items()
               if not k.endswith("position_ids") and not k.startswith("pooler.")}
    types = weights["embeddings.token_type_embeddings.weight"]
    weights["embeddings.token_type_embeddings.weight"] = types[0:1].repeat(len(SHAPES), 1)
    missing, unexpected = model.bert.load_state_dict(weights, strict=False)
    missing = [k for k in missing if not k.endswith("position_ids")]
    assert not missing and not unexpected, (missing, unexpected)
    return model, config


def start_company_rows(model):
    """COM starts as ORG: the hand fine-tuning then only has to learn where they differ."""
    with torch.no_grad():
        for ours, org in (("B-COM", "B-ORG"), ("I-COM", "I-ORG")):
            model.classifier.weight[LABEL_ID[ours]] = model.classifier.weight[LABEL_ID[org]]
            model.classifier.bias[LABEL_ID[ours]] = model.classifier.bias[LABEL_ID[org]]


def windows(article, shift):
    """Training windows of at most WINDOW-2 pieces, cut from an article at `shift` + k * body
    (a new shift every epoch, so seams fall elsewhere)."""
    n, body = len(article["ids"]), WINDOW - 2
    first = shift % body
    cuts = sorted({0, n, *range(first, n, body)})
    return [(article["ids"][a:b].long(), article["shapes"][a:b].long(), article["labels"][a:b].long())
            for a, b in zip(cuts, cuts[1:])]


def collate(rows, cls, sep, use_shapes, device):
    width = max(len(r[0]) for r in rows) + 2
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    types = torch.zeros_like(ids)
    labels = torch.full_like(ids, IGNORE)
    mask = torch.zeros_like(ids)
    for i, (p, s, l) in enumerate(rows):
        n = len(p)
        ids[i, 0], ids[i, 1:n + 1], ids[i, n + 1] = cls, p, sep
        if use_shapes:
            types[i, 1:n + 1] = s
        labels[i, 1:n + 1] = l
        mask[i, :n + 2] = 1
    return [t.to(device) for t in (ids, types, mask, labels)]


def train(model, data, epochs, lr, batch, use_shapes, device, seed, name):
    model.to(device).train()
    rng = random.Random(seed)
    per_epoch = math.ceil(sum(len(windows(a, 0)) for a in data) / batch)
    steps = max(1, int(per_epoch * epochs))
    optim = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warmup = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    step, t0, loss_avg = 0, time.time(), None
    while step < steps:
        rows = [w for a in data for w in windows(a, rng.randrange(WINDOW))]
        rng.shuffle(rows)
        for i in range(0, len(rows), batch):  # the last batch may be short
            ids, types, mask, labels = collate(rows[i:i + batch], CLS, SEP, use_shapes, device)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                loss = model(input_ids=ids, token_type_ids=types, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            loss_avg = loss.item() if loss_avg is None else 0.98 * loss_avg + 0.02 * loss.item()
            if step % 500 == 0 or step == steps:
                log(f"{name}: step {step}/{steps} loss {loss_avg:.4f} {time.time() - t0:.0f}s")
            if step >= steps:
                break
    return model


@torch.no_grad()
def predict_words(model, article, use_shapes, device):
    """Label id of every word (its first piece), each piece from its most central window."""
    n, body = len(article["ids"]), WINDOW - 2
    stride = body - OVERLAP
    starts = [0] if n <= body else list(range(0, n - body, stride)) + [n - body]
    best = [(-1, 0)] * n
    rows = [(article["ids"][s:s + body].long(), article["shapes"][s:s + body].long(),
             article["labels"][s:s + body].long()) for s in starts]
    for b in range(0, len(rows), 64):
        ids, types, mask, _ = collate(rows[b:b + 64], CLS, SEP, use_shapes, device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
            logits = model(input_ids=ids, token_type_ids=types, attention_mask=mask).logits
        pred = logits.argmax(-1).cpu()
        for r, s in enumerate(starts[b:b + 64]):
            length = min(body, n - s)
            for o in range(length):
                centrality = min(o, length - 1 - o)
                if centrality > best[s + o][0]:
                    best[s + o] = (centrality, int(pred[r, o + 1]))
    first = article["labels"] != IGNORE
    return [label for (_, label), f in zip(best, first.tolist()) if f]


def decode(tags):
    """Lenient BIO, as the Rust stage decodes: I-X continues an open X span or opens one."""
    spans, open_span = [], None
    for i, t in enumerate(tags):
        name = LABELS[t]
        if name == "O":
            open_span = None
            continue
        prefix, kind = name.split("-")
        if prefix == "I" and open_span and open_span[2] == kind:
            open_span[1] = i
            continue
        open_span = [i, i, kind]
        spans.append(open_span)
    return {tuple(s) for s in spans}


def evaluate(model, dev, use_shapes, device):
    """Entity F1 per type (COM scored as ORG) and company accuracy: on the organisation spans
    found with exact bounds, how often COM vs ORG agrees with the annotation's company flag."""
    model.eval()
    counts = {t: [0, 0, 0] for t in TYPES}  # true positives, predicted, gold
    company = [0, 0]  # agreeing, matched organisation spans
    as_org = lambda spans: {(a, b, "ORG" if t == "COM" else t) for a, b, t in spans}  # noqa: E731
    for article in dev:
        pred_typed = decode(predict_words(model, article, use_shapes, device))
        gold_typed = {tuple(g) for g in article["gold"]}
        pred, gold = as_org(pred_typed), as_org(gold_typed)
        for t in TYPES:
            p = {s for s in pred if s[2] == t}
            g = {s for s in gold if s[2] == t}
            counts[t][0] += len(p & g)
            counts[t][1] += len(p)
            counts[t][2] += len(g)
        gold_kind = {(a, b): t for a, b, t in gold_typed if t in ("ORG", "COM")}
        for a, b, t in pred_typed:
            if t in ("ORG", "COM") and (a, b) in gold_kind:
                company[0] += gold_kind[(a, b)] == t
                company[1] += 1
    model.train()

    def f1(tp, np_, ng):
        p, r = tp / max(np_, 1), tp / max(ng, 1)
        return {"p": round(100 * p, 1), "r": round(100 * r, 1), "f1": round(200 * p * r / max(p + r, 1e-9), 1)}

    out = {t: f1(*c) for t, c in counts.items()}
    out["micro"] = f1(*(sum(c[i] for c in counts.values()) for i in range(3)))
    out["company_accuracy"] = round(100 * company[0] / max(company[1], 1), 1)
    return out


def save(model, config, use_shapes, out):
    out.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().to(torch.float16).contiguous().cpu() for k, v in model.state_dict().items()
             if not k.endswith("position_ids")}
    save_file(state, out / "model.safetensors")
    config = dict(config, word_shapes=SHAPES_TAG if use_shapes else None, torch_dtype="float16")
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="work/ner-data")
    ap.add_argument("--encoder", default="work/ner-data/encoder")
    ap.add_argument("--out", default="work/ner-out")
    ap.add_argument("--plan", choices=["ablation", "company"], default="ablation")
    ap.add_argument("--silver-epochs", type=float, default=2.0)
    ap.add_argument("--hand-epochs", type=float, default=6.0)
    ap.add_argument("--silver-lr", type=float, default=1e-4)
    ap.add_argument("--hand-lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    args = ap.parse_args()
    torch.manual_seed(13)
    device = torch.device(args.device)
    data = {n: torch.load(io.BytesIO(gzip.decompress((Path(args.data) / f"{n}.pt.gz").read_bytes())),
                          weights_only=True)
            for n in ("silver", "hand", "dev")}
    log({n: len(v) for n, v in data.items()}, device)
    base, config = build_model(args.encoder)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    results = {}

    def chosen():
        """The row with the best dev micro F1; the company plan chooses among its COM rows only."""
        eligible = [n for n in results if args.plan != "company" or n.endswith("+company")]
        return max(eligible, key=lambda n: results[n]["micro"]["f1"], default=None)

    def row(name, start, split, epochs, lr, shapes):
        model = copy.deepcopy(start)
        if split == "hand":
            start_company_rows(model)
        model = train(model, data[split], epochs, lr, args.batch, shapes, device, 13, name)
        results[name] = dict(evaluate(model, data["dev"], shapes, device), shapes=shapes,
                             seconds=round(time.time() - t0))
        log(name, json.dumps(results[name]))
        best = chosen()
        if best == name:  # saved as soon as it leads, so a run cut short still leaves its best
            save(model, config, shapes, out)
        # Written after every row, so a run cut short still reports what it measured.
        (out / "ablation.json").write_text(json.dumps({"chosen": best, "rows": results, "args": vars(args)},
                                                      indent=2))
        return model

    se, he = args.silver_epochs, args.hand_epochs
    if args.plan == "company":  # the ablation's chosen recipe, twice, with COM (2026-11-26)
        silver = row("silver+case", base, "silver", se, args.silver_lr, True)
        row("silver+case+hand-longer+company", silver, "hand", 2 * he, args.hand_lr, True)
        row("silver+case+hand-lr1e-4+company", silver, "hand", he, 1e-4, True)
    else:
        silver = row("silver", base, "silver", se, args.silver_lr, False)
        row("silver+hand", silver, "hand", he, args.hand_lr, False)
        silver_case = row("silver+case", base, "silver", se, args.silver_lr, True)
        row("silver+case+hand", silver_case, "hand", he, args.hand_lr, True)
        row("silver+case+hand-longer", silver_case, "hand", 2 * he, args.hand_lr, True)
        row("silver+case+hand-lr1e-4", silver_case, "hand", he, 1e-4, True)
        row("hand+case-only", base, "hand", 2 * he, args.hand_lr, True)
        silver_long = row("silver-longer+case", base, "silver", 2 * se, args.silver_lr, True)
        row("silver-longer+case+hand", silver_long, "hand", he, args.hand_lr, True)
    best = chosen()
    log(f"chosen on dev: {best} {results[best]['micro']} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
