"""Trains the relation model (models/relation, issue 14): the NER model's encoder fine-tuned to
read one sentence in which a person and an organisation are marked ("[ person ]",
"<< organisation >>") and say whether the article ties them (one logit) and, if so, how (one
logit per role). The hidden states at the two opening markers, side by side, go through one
linear layer ("entity start" pooling, Baldini Soares et al. 2019; mean pooling over the
sentence, tried first, ranked dev's pairs worse: top-100 precision 0.81 against 0.87 for the
probe before it, and it mixed up who is tied to what in sentences naming two pairs).

    .venv/bin/python scripts/links/train_relation.py [EPOCHS] [OUT]   # ~10 min an epoch on 2 cores

Candidates, from the annotated train split (work/annotated-train.jsonl, scripts/annotate/texts.py):
- every (PER, ORG) pair of gold mentions inside one sentence (a simple splitter);
- every pair the link stage reads: a person and an organisation of newstag's own entities in
  one of its sentences naming at most 4 people (`newstag pipe clean segment ner resolve`, run
  here), so that the model also learns to say no to the pairs NER errors make ("Member for
  [Fadden]", a job title taken for an organisation). Trained on gold pairs alone (tried first),
  half of what it added on dev's links were such pairs or people mixed up in one sentence.
Positive: a gold relation names both (containment) and this is the sentence that states it
(the annotated sentence, the first that states it); the role is the gold role. Labelling every
sentence naming a related pair positive instead (tried 2026-11-26) ranked dev's pairs worse:
top-100 precision 0.74 against 0.87. Dev pairs are only
scored (pair-level ranking printed after each epoch); the link threshold is chosen on dev
with `newstag eval-links`. The test split is never read.

Dev's pairs are the link stage's (the second kind), as it will read them.

Each epoch is written to OUT/epoch-N (default work/relation): config.json (the NER config plus
`relation_roles`), model.safetensors (the encoder, fp16: `embeddings.*`, `encoder.*`),
head.safetensors (`classifier.*`: row 0 the relation logit, rows 1.. the roles), tokenizer files."""
import json, os, random, re, shutil, subprocess, sys, time
import torch
from transformers import BertConfig, BertModel, BertTokenizerFast
from safetensors.torch import load_file, save_file

ROLE_WEIGHT = float(os.environ.get("ROLE_WEIGHT", "0.25"))  # the role loss's share: more slows the relation's ranking
ROLES = ["ceo", "founder", "chair", "executive", "employee", "spokesperson", "member", "official",
         "owner", "investor", "analyst-at", "other-role"]
SOURCE = "models/ner"
torch.set_num_threads(int(os.environ.get("THREADS", "2")))
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


def marked(text, s, e, person, org):
    """The sentence text[s:e] with the person in "[ ]" and the organisation in "<< >>", as
    src/relation_model.rs writes it, and the character offsets of the two opening markers."""
    first, second = sorted((person, org), key=lambda x: x["start"])
    tag = lambda x: (" [ " + text[x["start"]:x["end"]] + " ] ") if x is person else (" << " + text[x["start"]:x["end"]] + " >> ")
    before = text[s:first["start"]]
    middle = before + tag(first) + text[first["end"]:second["start"]]
    at_first, at_second = len(before) + 1, len(middle) + 1
    out = middle + tag(second) + text[second["end"]:e]
    return out, (at_first, at_second) if first is person else (at_second, at_first)


def pairs(path):
    out = []
    for line in open(path):
        a = json.loads(line)
        text = a["text"]
        ents = [e for e in a["entities"] if e["label"] in ("PER", "ORG")]
        rels = a.get("relations", [])
        for s, e in sentences(text):
            inside = [x for x in ents if x["start"] >= s and x["end"] <= e]
            for p in (x for x in inside if x["label"] == "PER"):
                for o in (x for x in inside if x["label"] == "ORG"):
                    pn, on = norm(text[p["start"]:p["end"]]), norm(text[o["start"]:o["end"]])
                    gold = [r for r in rels
                            if (pn in norm(r["person"]) or norm(r["person"]) in pn) and
                            (on in norm(r["org"]) or norm(r["org"]) in on) and
                            r["sentence_start"] <= max(p["end"], o["end"]) and
                            r["sentence_end"] >= min(p["start"], o["start"])]
                    role = ROLES.index(gold[0]["role"]) if gold else -1
                    out.append((*marked(text, s, e, p, o), role))
    return out


def words(name):
    return name.lower().split()


def clean_name(name):
    name = name.strip().strip("\"'“”‘’()[],;:-")
    for prefix in ("the ", "The "):
        name = name[len(prefix):] if name.startswith(prefix) else name
    for suffix in ("'s", "’s"):
        name = name[:-len(suffix)] if name.endswith(suffix) else name
    return " ".join(name.split())


def same_thing(a, b):
    """As src/stages/resolve.rs: equal, made of the other's words, or its acronym."""
    if a.lower() == b.lower():
        return True
    wa, wb = words(a), words(b)
    if wa and len(wa) < len(wb) and all(w in wb for w in wa):
        return True
    short = a.replace(".", "").replace(" ", "")
    initials = "".join(w[0] for w in re.split(r"[\s-]+", b) if w[:1].isupper())  # hyphenated parts are words
    return len(short) >= 2 and short.isupper() and short in (initials, b.replace(".", "").replace(" ", ""))


def names_match(a, b):
    a, b = clean_name(a), clean_name(b)
    return bool(a and b) and (same_thing(a, b) or same_thing(b, a))


MAX_PEOPLE = 4  # src/stages/link.rs MAX_PEOPLE_IN_CO_MENTION


def pipeline_pairs(gold_path):
    """The pairs the link stage reads on this split's texts, labelled by the gold relations."""
    gold = [json.loads(line) for line in open(gold_path)]
    texts = "".join(json.dumps({"id": a["id"], "text": a["text"]}) + "\n" for a in gold)
    run = subprocess.run(["target/release/newstag", "pipe", "clean", "segment", "ner", "resolve", "--quiet", "--device", "cpu"],
                         input=texts, capture_output=True, text=True, check=True)
    relations = {a["id"]: a.get("relations", []) for a in gold}
    out = []
    for line in run.stdout.splitlines():
        a = json.loads(line)
        text, mentions, entities = a["text"], a.get("mentions", []), a.get("entities", [])
        people = [e for e in entities if e["label"] == "person"]
        orgs = [e for e in entities if e["label"] in ("company", "organization")]
        people_in = {}
        for e in people:
            for s in {mentions[m]["sentence"] for m in e["mentions"]}:
                people_in[s] = people_in.get(s, 0) + 1
        for p in people:
            for o in orgs:
                for s, sentence in enumerate(a.get("sentences", [])):
                    if people_in.get(s, 0) > MAX_PEOPLE:
                        continue
                    pm = [mentions[m] for m in p["mentions"] if mentions[m]["sentence"] == s]
                    om = [mentions[m] for m in o["mentions"] if mentions[m]["sentence"] == s]
                    for x in pm:
                        for y in om:
                            if x["start"] < y["end"] and y["start"] < x["end"]:
                                continue
                            gold_roles = [r["role"] for r in relations[a["id"]]
                                          if names_match(p["name"], r["person"]) and names_match(o["name"], r["org"]) and
                                          r["sentence_start"] < sentence["end"] and r["sentence_end"] > sentence["start"]]
                            role = ROLES.index(gold_roles[0]) if gold_roles else -1
                            out.append((*marked(text, sentence["start"], sentence["end"], x, y), role))
    return out


def main():
    epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    out_dir = sys.argv[2] if len(sys.argv) > 2 else "work/relation"
    tok = BertTokenizerFast.from_pretrained(SOURCE)
    cfg = BertConfig.from_pretrained(SOURCE)
    enc = BertModel(cfg, add_pooling_layer=False)
    sd = {k[5:]: v.float() for k, v in load_file(f"{SOURCE}/model.safetensors").items() if k.startswith("bert.")}
    print(enc.load_state_dict(sd, strict=False))
    head = torch.nn.Linear(2 * cfg.hidden_size, 1 + len(ROLES))
    enc.to(DEVICE); head.to(DEVICE)
    train = pairs("work/annotated-train.jsonl")
    seen = {text for text, *_ in train}
    train += [p for p in pipeline_pairs("work/annotated-train.jsonl") if p[0] not in seen]
    dev = pipeline_pairs("work/annotated-dev.jsonl")
    print("train", len(train), sum(r >= 0 for *_, r in train), "dev", len(dev), sum(r >= 0 for *_, r in dev), flush=True)
    opt = torch.optim.AdamW(list(enc.parameters()) + list(head.parameters()), lr=5e-5)
    steps = epochs * ((len(train) + 15) // 16)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, lambda step: min(1.0, step / (0.1 * steps)) * max(0.0, (steps - step) / (0.9 * steps)))
    pos = sum(r >= 0 for *_, r in train)
    weight = torch.tensor((len(train) - pos) / pos, device=DEVICE)

    def forward(batch):
        t = tok([x for x, _, _ in batch], truncation=True, max_length=128, padding=True, return_offsets_mapping=True)
        # The piece that starts at each marker; [CLS] (0) when truncation cut it off.
        at = [[next((j for j, (a, b) in enumerate(offsets) if a == char and b > a), 0) for char in chars]
              for offsets, (_, chars, _) in zip(t["offset_mapping"], batch)]
        ids = torch.tensor(t["input_ids"], device=DEVICE)
        h = enc(input_ids=ids, attention_mask=torch.tensor(t["attention_mask"], device=DEVICE)).last_hidden_state
        rows = torch.arange(len(batch), device=DEVICE)
        at = torch.tensor(at, device=DEVICE)
        return head(torch.cat([h[rows, at[:, 0]], h[rows, at[:, 1]]], dim=1))

    for epoch in range(1, epochs + 1):
        enc.train(); random.shuffle(train); t0 = time.time()
        for i in range(0, len(train), 16):
            b = train[i:i + 16]
            logits = forward(b)
            roles = torch.tensor([r for *_, r in b], device=DEVICE)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], (roles >= 0).float(), pos_weight=weight)
            if (roles >= 0).any():
                loss = loss + ROLE_WEIGHT * torch.nn.functional.cross_entropy(logits[roles >= 0, 1:], roles[roles >= 0])
            opt.zero_grad(); loss.backward(); opt.step(); schedule.step()
        enc.eval()
        with torch.no_grad():
            logits = torch.cat([forward(dev[i:i + 32]) for i in range(0, len(dev), 32)]).cpu()
        p = torch.sigmoid(logits[:, 0])
        roles = torch.tensor([r for *_, r in dev])
        y = roles >= 0
        order = p.argsort(descending=True)
        report = [f"top{k}: P {y[order[:k]].float().mean():.2f} R {y[order[:k]].sum() / y.sum():.2f}" for k in (50, 100, 150, 200)]
        report += [f"p>={t}: P {(p >= t)[y].sum() / max(1, (p >= t).sum()):.2f} R {(p >= t)[y].sum() / y.sum():.2f}" for t in (0.5, 0.8, 0.9, 0.95)]
        role_right = (logits[y, 1:].argmax(1) == roles[y]).float().mean()
        print(f"epoch {epoch} {time.time() - t0:.0f}s", "; ".join(report), f"; role right {role_right:.2f}", flush=True)
        save(enc, head, cfg, os.path.join(out_dir, f"epoch-{epoch}"))


def save(enc, head, cfg, path):
    os.makedirs(path, exist_ok=True)
    tensors = {k: v.detach().half().cpu().contiguous() for k, v in enc.state_dict().items()}
    save_file(tensors, os.path.join(path, "model.safetensors"))
    save_file({"classifier.weight": head.weight.detach().float().cpu().contiguous(),
               "classifier.bias": head.bias.detach().float().cpu().contiguous()}, os.path.join(path, "head.safetensors"))
    config = json.load(open(f"{SOURCE}/config.json"))
    for key in ("id2label", "label2id", "num_labels", "architectures", "word_shapes"):
        config.pop(key, None)
    config["relation_roles"] = ROLES
    json.dump(config, open(os.path.join(path, "config.json"), "w"), indent=2)
    for f in ("special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt"):
        shutil.copy(f"{SOURCE}/{f}", os.path.join(path, f))


main()
