"""Fine-tune the MiniLM encoder (models/encoder) into the pipeline's NER model.

Resumable: a checkpoint is written to work/ner-train/ every --ckpt-every steps and picked up on
the next run, so training can span sessions. Prints throughput and ETA. Finish with export.py.

    python scripts/ner/train.py --steps 600 [--batch 16] [--seq 128] [--layers 6]
"""
import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import torch
from transformers import BertForTokenClassification, BertTokenizerFast

ROOT = Path(__file__).resolve().parent.parent.parent
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
LABEL_ID = {l: i for i, l in enumerate(LABELS)}
IGNORE = -100


def piece_labels(text, entities, tokenizer):
    """Word pieces of `text` and a BIO label id on the first piece of every word."""
    enc = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets, words = enc["input_ids"], enc["offset_mapping"], enc.word_ids()
    labels, prev_word = [], None
    spans = sorted((e["start"], e["end"], e["label"]) for e in entities)
    for (start, _), word in zip(offsets, words):
        if word == prev_word:
            labels.append(IGNORE)
            continue
        prev_word = word
        tag = "O"
        for s, e, label in spans:
            if s <= start < e:
                tag = ("B-" if start == s or not text[s:start].strip() else "I-") + label
                break
        labels.append(LABEL_ID[tag])
    return ids, labels


def chunks(path, tokenizer, seq):
    """Training windows of seq-2 pieces (plus [CLS]/[SEP]) cut from every article."""
    body = seq - 2
    out = []
    for line in open(path, encoding="utf-8"):
        rec = json.loads(line)
        ids, labels = piece_labels(rec["text"], rec["entities"], tokenizer)
        for i in range(0, len(ids), body):
            w_ids, w_labels = ids[i:i + body], labels[i:i + body]
            if i > 0 and w_labels and w_labels[0] == IGNORE:
                w_labels = [IGNORE] + w_labels[1:]
            out.append(([tokenizer.cls_token_id] + w_ids + [tokenizer.sep_token_id],
                        [IGNORE] + w_labels + [IGNORE]))
    return out


def batches(data, size, seed, epoch):
    order = list(range(len(data)))
    random.Random(f"{seed}-{epoch}").shuffle(order)
    for i in range(0, len(order) - size + 1, size):
        yield [data[j] for j in order[i:i + size]]


def collate(batch):
    width = max(len(ids) for ids, _ in batch)
    ids = torch.zeros(len(batch), width, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros(len(batch), width, dtype=torch.long)
    for row, (i, l) in enumerate(batch):
        ids[row, :len(i)] = torch.tensor(i)
        labels[row, :len(l)] = torch.tensor(l)
        mask[row, :len(i)] = 1
    return ids, mask, labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--layers", type=int, default=6, help="keep only the first N encoder layers")
    ap.add_argument("--ckpt-every", type=int, default=50)
    ap.add_argument("--encoder", default=str(ROOT / "models" / "encoder"))
    ap.add_argument("--data", default=str(ROOT / "data" / "silver"))
    ap.add_argument("--work", default=str(ROOT / "work" / "ner-train"))
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(13)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    tokenizer = BertTokenizerFast.from_pretrained(args.encoder)
    data = chunks(Path(args.data) / "train.jsonl", tokenizer, args.seq)
    print(f"{len(data)} training windows of {args.seq} pieces", file=sys.stderr)
    model = BertForTokenClassification.from_pretrained(
        args.encoder, num_labels=len(LABELS), num_hidden_layers=args.layers,
        id2label=dict(enumerate(LABELS)), label2id=LABEL_ID)
    optim = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, args.steps // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda s: min((s + 1) / warmup, max(0.0, (args.steps - s) / (args.steps - warmup))))
    step = 0
    ckpt = work / "checkpoint.pt"
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        optim.load_state_dict(state["optim"])
        sched.load_state_dict(state["sched"])
        step = state["step"]
        print(f"resumed at step {step}", file=sys.stderr)
    per_epoch = len(data) // args.batch
    model.train()
    t0, done_here, loss_avg = time.time(), 0, None
    while step < args.steps:
        epoch, skip = divmod(step, per_epoch)
        for batch in list(batches(data, args.batch, 13, epoch))[skip:]:
            ids, mask, labels = collate(batch)
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            sched.step()
            optim.zero_grad()
            step += 1
            done_here += 1
            loss_avg = loss.item() if loss_avg is None else 0.95 * loss_avg + 0.05 * loss.item()
            if step % 10 == 0 or step == args.steps:
                rate = done_here / (time.time() - t0)
                eta = (args.steps - step) / rate
                print(f"step {step}/{args.steps} epoch {epoch} loss {loss_avg:.4f} "
                      f"{rate * args.batch:.1f} windows/s ETA {eta / 60:.1f} min", file=sys.stderr)
            if step % args.ckpt_every == 0 or step == args.steps:
                torch.save({"model": model.state_dict(), "optim": optim.state_dict(),
                            "sched": sched.state_dict(), "step": step}, ckpt)
            if step >= args.steps:
                break
    model.save_pretrained(work / "final")
    tokenizer.save_pretrained(work / "final")
    print(f"trained {step} steps -> {work / 'final'}", file=sys.stderr)


if __name__ == "__main__":
    main()
