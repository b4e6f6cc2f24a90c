"""Issue 8's SetFit-style lever, measured: fine-tune the topic encoder (all-MiniLM-L6-v2) end to
end on the labelled train + dev articles, through the pipeline's own article embedding (mean of
the sentences' unit mean-pooled embeddings, normalised) and one linear layer per topic.

    python scripts/topics/finetune_encoder.py DATA ENCODER OUT

DATA: one JSON line per article (`id`, `fold` = sha256(id) % 5 as train_heads.py folds,
`labels` = 0/1 per taxonomy topic, `ids` = word-piece ids of each of newstag's sentences, cut to
128 with [CLS]/[SEP]). ENCODER: a BertModel folder (config.json, model.safetensors).

DATA comes from finetune_data.py (optionally gzipped, a first line naming the label columns).

Out of fold (default): for every learning rate and fold, the encoder is trained on the other 4
folds and, after each epoch in CHECKPOINTS, embeds all articles; OUT/oof-lr{lr}.pt holds, per
epoch and fold, every article's embedding and the linear layer's probabilities (so that the
held-out fold's figures are out of fold, and the heads can be refitted on the fold's own
embeddings). The (lr, epoch) with the best out-of-fold macro F1 of the linear layer (topics with
>= 10 positives, each at its best threshold, as train_heads.py chooses them) is then trained on
all articles and written as OUT/encoder-a.safetensors + encoder-b.safetensors (fp16, all weights
but the word embeddings, which stay frozen; two files because a device run returns files of at
most 16 MiB) and head.safetensors.

HOLDOUT=k (one fit, for a lent GPU's short budget): the encoder is trained on the other folds,
the (lr, epoch) is chosen on fold k by its linear layer, and that encoder is written. Heads
fitted over its features of every article (train_heads.py, as shipped) can then be judged on
fold k, which the encoder never saw, against heads over the untuned features.

Never reads a test article. All sentences sit on the device as one padded tensor; a step
gathers its articles' rows (SAMPLE per article) from it.
"""

import gzip
import json
import os
import random
import sys
import time

import torch
import torch.nn.functional as F
from safetensors.torch import save_file
from transformers import BertModel

LRS = [float(x) for x in os.environ.get("LRS", "2e-5,5e-5").split(",")]
EPOCHS = int(os.environ.get("EPOCHS", "8"))
CHECKPOINTS = [int(x) for x in os.environ.get("CHECKPOINTS", "2,4,6,8").split(",")]
SAMPLE = 24  # sentences per article in a training step (all of them when embedding)
BATCH = 8  # articles per step
SCALE = 20.0  # unit embeddings times this into the linear layer
HEAD_LR = 2e-3
MIN_POSITIVES = int(os.environ.get("MIN_POSITIVES", "10"))
BUDGET_S = float(os.environ.get("BUDGET_S", "330"))  # out-of-fold runs stop here, the full fit still runs
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


def load_articles(path):
    """Articles of DATA (optionally gzipped); a first line {"topics": [...]} names the label columns."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        articles = [json.loads(line) for line in lines]
    if articles and "topics" in articles[0] and "ids" not in articles[0]:
        articles = articles[1:]
    if os.environ.get("SMOKE"):
        k = int(os.environ.get("HOLDOUT", "0"))  # a small slice that still has a held-out fold
        articles = [a for a in articles if a["fold"] == k][:20] + [a for a in articles if a["fold"] != k][:40]
    return articles


class Pieces:
    """Every sentence of every article as one padded id tensor on the device, so that a step
    gathers rows instead of building tensors sentence by sentence in Python."""

    def __init__(self, articles):
        seqs, self.spans = [], []
        for a in articles:
            rows = a["ids"] or [[101, 102]]
            self.spans.append((len(seqs), len(rows)))
            seqs.extend(rows)
        width = max(len(s) for s in seqs)
        ids = torch.zeros(len(seqs), width, dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
        self.ids = ids.to(DEVICE)
        self.lengths = torch.tensor([len(s) for s in seqs]).to(DEVICE)

    def rows(self, article, sample=None):
        start, n = self.spans[article]
        picked = random.sample(range(n), sample) if sample and n > sample else range(n)
        return [start + i for i in picked]

    def batch(self, rows):
        rows = torch.tensor(rows, device=DEVICE)
        width = int(self.lengths[rows].max())
        ids = self.ids[rows, :width]
        return ids, (ids != 0).float()


def encoder(path):
    model = BertModel.from_pretrained(path, add_pooling_layer=False).float().to(DEVICE)
    model.embeddings.word_embeddings.weight.requires_grad_(False)
    return model


def sentence_embeddings(model, ids, mask):
    with torch.autocast(DEVICE, dtype=torch.bfloat16, enabled=DEVICE == "cuda"):
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    m = mask.unsqueeze(-1)
    return F.normalize((hidden.float() * m).sum(1) / m.sum(1).clamp(min=1), dim=-1)


def article_embeddings(model, pieces, per_article):
    """per_article: each article's sentence rows in `pieces`."""
    emb = sentence_embeddings(model, *pieces.batch([r for rows in per_article for r in rows]))
    out, i = [], 0
    for rows in per_article:
        out.append(F.normalize(emb[i : i + len(rows)].mean(0), dim=-1))
        i += len(rows)
    return torch.stack(out)


@torch.no_grad()
def embed_all(model, pieces, articles, budget=2048):
    """Unit article embeddings of `articles` (indices into pieces)."""
    model.eval()
    out, group, size = [], [], 0
    for a in articles:
        rows = pieces.rows(a)
        if group and size + len(rows) > budget:
            out.append(article_embeddings(model, pieces, group))
            group, size = [], 0
        group.append(rows)
        size += len(rows)
    if group:
        out.append(article_embeddings(model, pieces, group))
    model.train()
    return torch.cat(out)


def f1_best(p, y):
    best = 0.0
    for t in [x / 100 for x in range(5, 96)]:
        pred = p >= t
        tp = (pred & y).sum().item()
        fp = (pred & ~y).sum().item()
        fn = (~pred & y).sum().item()
        if tp:
            best = max(best, 2 * tp / (2 * tp + fp + fn))
    return best


def macro(probs, labels):
    cols = [t for t in range(labels.shape[1]) if labels[:, t].sum() >= MIN_POSITIVES]
    return sum(f1_best(probs[:, t], labels[:, t].bool()) for t in cols) / len(cols)


def train(pieces, labels, train_idx, lr, epochs, checkpoints, on_checkpoint):
    """Fits the encoder and a linear layer on the articles train_idx (indices into pieces and labels)."""
    random.seed(0)
    torch.manual_seed(0)
    model = encoder(sys.argv[2])
    labels = labels[train_idx].float()
    n_topics = labels.shape[1]
    head = torch.nn.Linear(384, n_topics).to(DEVICE)
    torch.nn.init.zeros_(head.weight)
    torch.nn.init.zeros_(head.bias)
    pos = labels.sum(0)
    pos_weight = ((len(train_idx) - pos) / pos.clamp(min=1)).clamp(1, 30).to(DEVICE)
    params = [p for p in model.parameters() if p.requires_grad]
    optim = torch.optim.AdamW([{"params": params, "lr": lr}, {"params": head.parameters(), "lr": HEAD_LR}], weight_decay=0.01)
    steps = epochs * ((len(train_idx) + BATCH - 1) // BATCH)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    order = list(range(len(train_idx)))
    for epoch in range(1, epochs + 1):
        random.shuffle(order)
        for b in range(0, len(order), BATCH):
            idx = order[b : b + BATCH]
            batch = [pieces.rows(train_idx[i], SAMPLE) for i in idx]
            logits = head(article_embeddings(model, pieces, batch) * SCALE)
            loss = F.binary_cross_entropy_with_logits(logits, labels[idx].to(DEVICE), pos_weight=pos_weight)
            optim.zero_grad()
            loss.backward()
            optim.step()
            sched.step()
        if epoch in checkpoints:
            on_checkpoint(epoch, model, head)
    return model, head


def save_encoder(model, head, out_dir, info):
    """fp16 weights but the (frozen) word embeddings, in two files of under 16 MiB each."""
    state = {k: v.detach().half().contiguous().cpu() for k, v in model.state_dict().items()
             if k != "embeddings.word_embeddings.weight" and v.is_floating_point()}
    first = {k: v for k, v in state.items() if not any(f"layer.{i}." in k for i in (3, 4, 5))}
    save_file(first, f"{out_dir}/encoder-a.safetensors")
    save_file({k: v for k, v in state.items() if k not in first}, f"{out_dir}/encoder-b.safetensors")
    save_file({k: v.detach().cpu().contiguous() for k, v in head.state_dict().items()}, f"{out_dir}/head.safetensors")
    json.dump(info, open(f"{out_dir}/fit.json", "w"), indent=1)


def learning_rates(start):
    """LRS in order, as long as BUDGET_S is not spent."""
    for lr in LRS:
        if time.time() - start > BUDGET_S:
            print(f"budget spent, lr {lr} skipped", flush=True)
            continue
        yield lr


def holdout(pieces, labels, folds, k, out_dir, start):
    """HOLDOUT=k: the encoder is trained on the other folds only, the (lr, epoch) is chosen by its
    linear layer's macro F1 on fold k, and that encoder is written: fold k stays unseen by it, so
    heads fitted over its features can be judged on fold k."""
    train_idx = [i for i in range(len(labels)) if folds[i] != k]
    held = [i for i in range(len(labels)) if folds[i] == k]
    best = {"score": -1.0}
    scores = {}
    for lr in learning_rates(start):

        def keep(epoch, model, head, lr=lr):
            prob = torch.sigmoid(head(embed_all(model, pieces, held) * SCALE)).detach().cpu()
            score = macro(prob, labels[held])
            scores[f"{lr:g}@{epoch}"] = round(100 * score, 2)
            print(f"lr {lr} epoch {epoch}: macro F1 of the linear layer on fold {k} {100 * score:.1f}, {time.time() - start:.0f} s", flush=True)
            if score > best["score"]:
                best.update(score=score, lr=lr, epoch=epoch,
                            model={n: v.detach().clone() for n, v in model.state_dict().items()},
                            head={n: v.detach().clone() for n, v in head.state_dict().items()})

        train(pieces, labels, train_idx, lr, EPOCHS, CHECKPOINTS, keep)
    model = encoder(sys.argv[2])
    model.load_state_dict(best["model"])
    head = torch.nn.Linear(384, labels.shape[1])
    head.load_state_dict(best["head"])
    save_encoder(model, head, out_dir, {"holdout_fold": k, "lr": best["lr"], "epoch": best["epoch"], "epochs": EPOCHS,
                                        "scale": SCALE, "batch": BATCH, "sample": SAMPLE, "fold_macro": scores})
    print(f"written: lr {best['lr']}, epoch {best['epoch']}, {time.time() - start:.0f} s", flush=True)


def main():
    articles = load_articles(sys.argv[1])
    out_dir = sys.argv[3]
    os.makedirs(out_dir, exist_ok=True)
    pieces = Pieces(articles)
    labels = torch.tensor([a["labels"] for a in articles])
    folds = torch.tensor([a["fold"] for a in articles])
    start = time.time()
    print(f"{len(articles)} articles, {pieces.ids.shape[0]} sentences on {DEVICE}; lrs {LRS}, {EPOCHS} epochs", flush=True)
    if os.environ.get("HOLDOUT"):
        holdout(pieces, labels, folds, int(os.environ["HOLDOUT"]), out_dir, start)
        return
    everyone = list(range(len(articles)))
    scores = {}
    for lr in learning_rates(start):
        results = {}  # epoch -> {"emb": (folds, n, 384), "prob": (n, topics) out of fold}
        for k in range(5):
            train_idx = [i for i in everyone if folds[i] != k]

            def keep(epoch, model, head, k=k):
                emb = embed_all(model, pieces, everyone)
                prob = torch.sigmoid(head(emb * SCALE)).detach().cpu()
                r = results.setdefault(epoch, {"emb": [], "prob": torch.zeros(len(articles), labels.shape[1])})
                r["emb"].append(emb.cpu().half())
                r["prob"][folds == k] = prob[folds == k]

            train(pieces, labels, train_idx, lr, EPOCHS, CHECKPOINTS, keep)
            print(f"lr {lr} fold {k} done, {time.time() - start:.0f} s", flush=True)
        for epoch, r in sorted(results.items()):
            scores[(lr, epoch)] = macro(r["prob"], labels)
            print(f"lr {lr} epoch {epoch}: out-of-fold macro F1 of the linear layer {100 * scores[(lr, epoch)]:.1f}", flush=True)
        torch.save({"ids": [a["id"] for a in articles], "folds": folds,
                    "results": {e: {"emb": torch.stack(r["emb"]), "prob": r["prob"]} for e, r in results.items()}},
                   f"{out_dir}/oof-lr{lr:g}.pt")
    lr, epoch = max(scores, key=scores.get)
    print(f"full fit: lr {lr}, epoch {epoch} (of {EPOCHS})", flush=True)

    def write(e, model, head):
        if e == epoch:
            save_encoder(model, head, out_dir, {"lr": lr, "epoch": epoch, "epochs": EPOCHS, "scale": SCALE,
                                                "oof_macro": {f"{k[0]:g}@{k[1]}": round(100 * v, 2) for k, v in scores.items()}})

    train(pieces, labels, everyone, lr, EPOCHS, [epoch], write)
    print(f"done, {time.time() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
