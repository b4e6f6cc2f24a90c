"""Feasibility probe for issue 14 (not part of the pipeline): fine-tune the NER model's encoder
as a same-sentence person-organisation relation classifier with entity markers ("[ person ]",
"<< organisation >>", mean pooling, one logit), on the GOLD entities of the annotated train
split, and print precision/recall on dev's pairs after each epoch (README, links section).

    .venv/bin/python scripts/links/finetune_probe.py [EPOCHS]    # ~10 min an epoch on 2 cores, seconds on a GPU

Candidates: every (PER, ORG) pair of gold mentions inside one sentence (a simple splitter).
Positive: a gold relation names both (surface containment) and its sentence span covers them.
Reads work/annotated-{train,dev}.jsonl (scripts/annotate/texts.py); never the test split."""
import json, random, re, sys, time
import torch
from transformers import BertConfig, BertModel, BertTokenizerFast
from safetensors.torch import load_file

torch.set_num_threads(2)
DEVICE = 'cuda' if torch.cuda.is_available() else 'cpu'
random.seed(0); torch.manual_seed(0)
SENT = re.compile(r'(?<=[.!?])["”’]?\s+(?=[A-Z"“])|\n+')


def sentences(text):
    start = 0
    for m in SENT.finditer(text):
        yield start, m.start() + (1 if text[m.start():m.start()+1] in '"”’' else 0)
        start = m.end()
    yield start, len(text)


def norm(s):
    return re.sub(r"\W+", " ", s.lower()).strip()


def pairs(path):
    out = []
    for line in open(path):
        a = json.loads(line)
        text = a["text"]
        ents = [e for e in a["entities"] if e["label"] in ("PER", "ORG")]
        rels = a.get("relations", [])
        for s, e in sentences(text):
            inside = [x for x in ents if x["start"] >= s and x["end"] <= e]
            pers = [x for x in inside if x["label"] == "PER"]
            orgs = [x for x in inside if x["label"] == "ORG"]
            for p in pers:
                for o in orgs:
                    pn, on = norm(text[p["start"]:p["end"]]), norm(text[o["start"]:o["end"]])
                    gold = any((pn in norm(r["person"]) or norm(r["person"]) in pn) and
                               (on in norm(r["org"]) or norm(r["org"]) in on) and
                               r["sentence_start"] <= max(p["end"], o["end"]) and r["sentence_end"] >= min(p["start"], o["start"])
                               for r in rels)
                    marked = (text[s:p["start"]] if p["start"] < o["start"] else text[s:o["start"]])
                    first, second = (p, o) if p["start"] < o["start"] else (o, p)
                    tag = lambda x, t: (" [ " if x["label"] == "PER" else " << ") + t + (" ] " if x["label"] == "PER" else " >> ")
                    seq = (text[s:first["start"]] + tag(first, text[first["start"]:first["end"]]) +
                           text[first["end"]:second["start"]] + tag(second, text[second["start"]:second["end"]]) +
                           text[second["end"]:e])
                    out.append((seq, int(gold), a["id"]))
    return out


def main():
    tok = BertTokenizerFast.from_pretrained("models/ner")
    cfg = BertConfig.from_pretrained("models/ner")
    enc = BertModel(cfg, add_pooling_layer=False)
    sd = {k[5:]: v.float() for k, v in load_file("models/ner/model.safetensors").items() if k.startswith("bert.")}
    print(enc.load_state_dict(sd, strict=False))
    head = torch.nn.Linear(cfg.hidden_size, 1)
    enc.to(DEVICE); head.to(DEVICE)
    train, dev = pairs("work/annotated-train.jsonl"), pairs("work/annotated-dev.jsonl")
    print("train", len(train), sum(y for _, y, _ in train), "dev", len(dev), sum(y for _, y, _ in dev))
    params = list(enc.parameters()) + list(head.parameters())
    opt = torch.optim.AdamW(params, lr=5e-5)
    pos = sum(y for _, y, _ in train); w = torch.tensor((len(train) - pos) / pos, device=DEVICE)

    def forward(batch):
        t = tok([x for x, _, _ in batch], truncation=True, max_length=128, padding=True, return_tensors="pt").to(DEVICE)
        h = enc(input_ids=t["input_ids"], attention_mask=t["attention_mask"]).last_hidden_state
        m = t["attention_mask"].unsqueeze(-1).float()
        return head((h * m).sum(1) / m.sum(1)).squeeze(-1)

    for epoch in range(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        enc.train(); random.shuffle(train); t0 = time.time()
        for i in range(0, len(train), 16):
            b = train[i:i + 16]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(forward(b), torch.tensor([float(y) for _, y, _ in b], device=DEVICE), pos_weight=w)
            opt.zero_grad(); loss.backward(); opt.step()
        enc.eval()
        with torch.no_grad():
            p = torch.cat([torch.sigmoid(forward(dev[i:i + 32])) for i in range(0, len(dev), 32)]).cpu()
        y = torch.tensor([g for _, g, _ in dev]).bool()
        order = p.argsort(descending=True)
        report = []
        for k in (20, 50, 100, 150, 200):
            report.append(f"top{k}: P {y[order[:k]].float().mean():.2f} R {y[order[:k]].sum() / y.sum():.2f}")
        for t in (0.5, 0.8, 0.9, 0.95):
            a = p >= t
            report.append(f"t{t}: P {(a & y).sum() / max(1, a.sum()):.2f} R {(a & y).sum() / y.sum():.2f}")
        print(f"epoch {epoch} {time.time() - t0:.0f}s", "; ".join(report), flush=True)


main()
