"""Train the topic heads (models/topic_heads.json): per taxonomy topic, a logistic regression
over the features `newstag eval-topics --gold FILE --features OUT` writes (the article's mean
sentence embedding and the zero-shot score of every topic).

    python scripts/topics/train_heads.py work/topics/features-train.jsonl work/topics/features-dev.jsonl \
        --taxonomy models/topics.toml --out models/topic_heads.json

Weights are fitted on the train split; the L2 strength (one for all topics) and each topic's
probability threshold are chosen on the dev split (best dev macro F1; per topic, the threshold
with the best dev F1, ties to the higher one). A topic with fewer than MIN_TRAIN positives in
train gets no head and stays zero-shot; one with fewer than MIN_DEV dev positives keeps the
threshold 0.5. Never reads the test split.

With --folds K (the shipped heads since 2026-11-26): train and dev are pooled, and the L2
strength and every threshold are chosen on out-of-fold probabilities (K folds by a hash of the
article id), so a rare topic's threshold rests on all its positives of both splits instead of
the 1-6 it has in dev; the weights are then fitted on the pooled articles. MIN_TRAIN counts
pooled positives; MIN_DEV counts them too.

Words (since 2026-11-26; with --folds, when the features carry "terms", the article's word
counts; the train/dev path reads the dense features only): every head also reads the article's tf-idf vector over the words of at least MIN_DF training
articles ((1 + ln count) x idf, unit length: scikit-learn's sublinear tf-idf, which the Rust
side computes the same way); the dense features are scaled by a factor chosen with the L2
strength (folded into their weights on output). The vocabulary and idf are rebuilt inside each
fold from its training articles only.

Sentences (since 2026-11-27; with --folds --sentences, features from `eval-topics --gold FILE
--features OUT --sentences`): every head also reads a smooth maximum of its own sentence
scores, T * log(mean(exp(v . e / T))) over the article's sentence embeddings e (T =
SENTENCE_TEMPERATURE), fitted jointly with the rest under its own L2 strength (chosen out of fold
with the others), so that a theme carried by one paragraph can count. The Rust side pools the
same way (`TopicHead::pooled_sentences`).

Keywords (since 2026-11-27, stop 21): when topics in --taxonomy have `keywords`, the features
`eval-topics --features` writes end with two keyword densities per such topic (ln(1 + hits in
the densest 3 consecutive sentences), ln(1 + hits in the article); `topic_lexicon.rs`), and the
heads file keeps those patterns, in taxonomy order, as the ones its heads read. With
--own-keywords (shipped), each head reads only its own topic's two densities: the others' are
zeroed for its fit, so their weights are 0 and the Rust side applies the heads unchanged.

    newstag eval-topics --gold texts.jsonl --features work/topics/sent-pool.jsonl --sentences
    python scripts/topics/train_heads.py TRAIN.jsonl DEV.jsonl --folds 5 --sentences \
        --l2 1e-6 --dense-scales 0.5 --sentence-l2 1e-5 --own-keywords --out models/topic_heads.json
"""

import argparse
import hashlib
import json
import math
import tomllib

import torch

MIN_TRAIN = 10
# Fewer dev positives than this make a tuned threshold noise: such a head keeps 0.5 (the
# class-balanced regression's own boundary).
MIN_DEV = 3
L2_GRID = [1e-5, 1e-4, 1e-3, 1e-2, 3e-2]
# With words: the dense features' scale, and the L2 grid (tf-idf vectors are sparse and small).
WORD_L2_GRID = [3e-6, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3]
DENSE_SCALES = [0.5, 1.0]
MIN_DF = 3
# With sentences: their weights' L2 grid, and the pooling temperature (0.1: close to the best
# sentence's score, so one paragraph can carry a topic).
SENTENCE_L2_GRID = [1e-4, 1e-3]
SENTENCE_TEMPERATURE = 0.1
EPOCHS = 400


def load(path):
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    x = torch.tensor([r["features"] for r in rows], dtype=torch.float32)
    return rows, x


class Sentences:
    """The sentence embeddings of a list of articles, flat: `embeddings` (one row per sentence,
    unit length) and `article` (the index of each row's article among `count` articles)."""

    def __init__(self, embeddings, article, count):
        self.embeddings, self.article, self.count = embeddings, article, count

    @staticmethod
    def of(rows):
        """From the rows' "sentences" (thousandths, as `eval-topics --sentences` writes them),
        which are dropped from the rows to free their memory."""
        blocks, owner = [], []
        for k, r in enumerate(rows):
            block = r.pop("sentences")
            if block:
                blocks.append(torch.tensor(block, dtype=torch.float32) / 1000)
                owner += [k] * len(block)
        return Sentences(torch.cat(blocks), torch.tensor(owner), len(rows))

    def subset(self, mask):
        """The sentences of the articles where `mask` is true, renumbered."""
        keep = mask[self.article]
        renumber = torch.cumsum(mask.long(), 0) - 1
        return Sentences(self.embeddings[keep], renumber[self.article[keep]], int(mask.sum()))

    def pooled(self, weights, temperature):
        """Per article, the smooth maximum of its sentences' scores `embeddings @ weights`: the
        temperature times the log of the mean of exp(score / temperature) (0 without
        sentences). Near the best sentence's score at a low temperature, the mean at a high one."""
        scores = self.embeddings @ weights / temperature
        top = torch.full((self.count,), -1e9).scatter_reduce(0, self.article, scores, "amax")
        top = torch.where(top > -1e9, top, torch.zeros_like(top)).detach()
        total = torch.zeros(self.count).index_add(0, self.article, torch.exp(scores - top[self.article]))
        n = torch.zeros(self.count).index_add(0, self.article, torch.ones_like(scores))
        pooled = top + torch.log(total.clamp_min(1e-30)) - torch.log(n.clamp_min(1))
        return torch.where(n > 0, temperature * pooled, torch.zeros_like(pooled))


def vocabulary(rows):
    """Words in at least MIN_DF of `rows`, sorted, with scikit-learn's smooth idf."""
    df = {}
    for r in rows:
        for word in r["terms"]:
            df[word] = df.get(word, 0) + 1
    terms = sorted(w for w, n in df.items() if n >= MIN_DF)
    return terms, [math.log((1 + len(rows)) / (1 + df[w])) + 1 for w in terms]


def tf_idf(rows, terms, idf):
    """Rows' unit-length sublinear tf-idf vectors over `terms` (as topic_heads.rs computes them)."""
    index = {w: i for i, w in enumerate(terms)}
    out = torch.zeros(len(rows), len(terms))
    for k, r in enumerate(rows):
        for word, n in r["terms"].items():
            if word in index:
                out[k, index[word]] = (1 + math.log(n)) * idf[index[word]]
    return torch.nn.functional.normalize(out, dim=1)


def design(fit_rows, x_fit, apply, scale):
    """Inputs of the regression: the dense features times `scale`, then the tf-idf vectors over
    the vocabulary of `fit_rows` (without terms in the features, the dense features alone).
    `apply` is a list of (rows, x) to build the same way; returns the vocabulary too."""
    if "terms" not in fit_rows[0]:
        return None, [x_fit] + [x for _, x in apply]
    terms, idf = vocabulary(fit_rows)
    built = [torch.cat([scale * x, tf_idf(rows, terms, idf)], dim=1) for rows, x in [(fit_rows, x_fit)] + apply]
    return (terms, idf), built


def fit(x, y, l2, sentences=None, sentence_l2=0.0, temperature=1.0, seed=0):
    """Weights and bias of the class-balanced logistic regression; with `sentences`, the
    regression also reads the pooled score of the article's sentences (`Sentences.pooled`),
    whose weights are fitted with it under their own L2 strength and returned third."""
    torch.manual_seed(seed)
    w = torch.zeros(x.shape[1], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    v = torch.zeros(sentences.embeddings.shape[1] if sentences else 0, requires_grad=True)
    positives = y.sum().clamp_min(1)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=(len(y) - positives) / positives)
    optimiser = torch.optim.LBFGS([w, b, v], lr=0.5, max_iter=EPOCHS, line_search_fn="strong_wolfe")

    def closure():
        optimiser.zero_grad()
        loss = loss_fn(logits(x, w, b, v, sentences, temperature), y) + l2 * (w * w).sum() + sentence_l2 * (v * v).sum()
        loss.backward()
        return loss
    optimiser.step(closure)
    return w.detach(), b.detach(), v.detach()


def logits(x, w, b, v, sentences, temperature):
    """The regression's logits: features, then the pooled sentence scores when it reads sentences."""
    out = x @ w + b
    return out + sentences.pooled(v, temperature) if sentences else out


def probability(x, w, b, v, sentences, temperature):
    return torch.sigmoid(logits(x, w, b, v, sentences, temperature))


def f1(pred, gold):
    tp = int((pred & gold).sum())
    fp = int((pred & ~gold).sum())
    fn = int((~pred & gold).sum())
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def best_threshold(p, gold):
    best = (0.5, f1(p >= 0.5, gold))
    for t in torch.arange(0.05, 0.96, 0.01).tolist():
        score = f1(p >= t, gold)
        if score > best[1] or (score == best[1] and t > best[0]):
            best = (t, score)
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("train")
    ap.add_argument("dev")
    ap.add_argument("--taxonomy", default="models/topics.toml")
    ap.add_argument("--out", default="models/topic_heads.json")
    ap.add_argument("--folds", type=int, default=0, help="pool train and dev, choose on K-fold out-of-fold scores")
    ap.add_argument("--l2", default=None, help="comma-separated L2 strengths to try instead of the grid")
    ap.add_argument("--dense-scales", default=None, help="comma-separated dense scales to try instead of DENSE_SCALES")
    ap.add_argument("--sentences", action="store_true",
                    help="with --folds: the heads also read the articles' sentences (features from eval-topics --sentences)")
    ap.add_argument("--sentence-l2", default=None, help="comma-separated sentence L2 strengths instead of SENTENCE_L2_GRID")
    ap.add_argument("--sentence-temperature", type=float, default=SENTENCE_TEMPERATURE)
    ap.add_argument("--own-keywords", action="store_true",
                    help="each head reads only its own topic's keyword densities (the others' weights stay 0)")
    ap.add_argument("--oof-out", default=None,
                    help="with --folds: write the chosen setting's out-of-fold probabilities (JSONL: id, topic -> p)")
    args = ap.parse_args()
    if args.sentences and not args.folds:
        ap.error("--sentences needs --folds")
    with open(args.taxonomy, "rb") as f:
        topic_defs = tomllib.load(f)["topic"]
    taxonomy = [t["id"] for t in topic_defs]
    # The keyword patterns whose densities end the features, in taxonomy order (topic_lexicon.rs).
    args.lexicon = [{"topic": t["id"], "pattern": t["keywords"]} for t in topic_defs if "keywords" in t]
    train_rows, x_train = load(args.train)
    dev_rows, x_dev = load(args.dev)
    gold = lambda rows, topic: torch.tensor([topic in r["topics"] for r in rows])

    def heads_for(l2):
        heads, f1s = {}, []
        for topic in taxonomy:
            y_train, y_dev = gold(train_rows, topic), gold(dev_rows, topic)
            if int(y_train.sum()) < MIN_TRAIN:
                continue
            w, b, _ = fit(x_train, y_train.float(), l2)
            p_dev = torch.sigmoid(x_dev @ w + b)
            threshold, score = best_threshold(p_dev, y_dev)
            if int(y_dev.sum()) < MIN_DEV:
                threshold, score = 0.5, f1(p_dev >= 0.5, y_dev)
            if int(y_dev.sum()) > 0:
                f1s.append(score)
            heads[topic] = {"weights": [round(v, 6) for v in w.tolist()], "bias": round(float(b), 6),
                            "threshold": round(threshold, 2), "dev_f1": round(100 * score, 1),
                            "train_positives": int(y_train.sum()), "dev_positives": int(y_dev.sum())}
        return heads, sum(f1s) / max(1, len(f1s))

    if args.folds:
        return cross_validated(taxonomy, train_rows + dev_rows, torch.cat([x_train, x_dev]), args)
    results = []
    for l2 in L2_GRID:
        heads, macro = heads_for(l2)
        print(f"l2={l2}: dev macro F1 {100 * macro:.1f} over {len(heads)} heads")
        results.append((macro, l2, heads))
    macro, l2, heads = max(results, key=lambda r: (r[0], -r[1]))
    out = {"features": x_train.shape[1], "taxonomy": taxonomy, "l2": l2, "dev_macro_f1": round(100 * macro, 1),
           "topics": {k: {"weights": v["weights"], "bias": v["bias"], "threshold": v["threshold"]} for k, v in heads.items()},
           "dev": {k: {kk: v[kk] for kk in ("dev_f1", "train_positives", "dev_positives")} for k, v in heads.items()}}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f)
    print(f"chose l2={l2}, dev macro F1 {100 * macro:.1f}; wrote {args.out}")
    for k, v in heads.items():
        print(f"  {k}: dev F1 {v['dev_f1']} (train {v['train_positives']}, dev {v['dev_positives']}), threshold {v['threshold']}")


def fold_of(article_id, folds):
    return int(hashlib.sha256(article_id.encode()).hexdigest(), 16) % folds


def cross_validated(taxonomy, rows, x, args):
    folds = torch.tensor([fold_of(r["id"], args.folds) for r in rows])
    gold = {t: torch.tensor([t in r["topics"] for r in rows]) for t in taxonomy}
    topics = [t for t in taxonomy if int(gold[t].sum()) >= MIN_TRAIN]
    words = "terms" in rows[0]
    sentences = Sentences.of(rows) if args.sentences else None
    if sentences and x.shape[1] != sentences.embeddings.shape[1] + 2 * len(taxonomy) + 2 * len(args.lexicon):
        raise SystemExit(f"{x.shape[1]} features do not fit the taxonomy's {len(taxonomy)} topics and "
                         f"{len(args.lexicon)} keyword patterns: make them with this --taxonomy")
    pick = lambda given, default: [float(v) for v in given.split(",")] if given else default
    l2s, scales = pick(args.l2, WORD_L2_GRID if words else L2_GRID), pick(args.dense_scales, DENSE_SCALES)
    sentence_l2s = pick(args.sentence_l2, SENTENCE_L2_GRID) if sentences else [0.0]
    grid = [(l2, scale, sl2) for l2 in l2s for scale in (scales if words else [1.0]) for sl2 in sentence_l2s]
    subset = lambda mask: [r for r, m in zip(rows, mask.tolist()) if m]
    of = lambda mask: sentences.subset(mask) if sentences else None
    temperature = args.sentence_temperature

    lexicon_start = x.shape[1] - 2 * len(args.lexicon)
    own = [p["topic"] for p in args.lexicon]

    def reads(t, design_x):
        """The design matrix as topic t's head reads it: with --own-keywords, the other topics'
        keyword densities are zero, so their weights stay 0 (the Rust side needs no mask)."""
        if not args.own_keywords:
            return design_x
        keep = torch.ones(design_x.shape[1])
        keep[lexicon_start:lexicon_start + 2 * len(own)] = 0
        if t in own:
            k = lexicon_start + 2 * own.index(t)
            keep[k:k + 2] = 1
        return design_x * keep

    def out_of_fold(l2, scale, sentence_l2):
        p = {t: torch.zeros(len(rows)) for t in topics}
        for k in range(args.folds):
            held = folds == k
            _, (x_fit, x_held) = design(subset(~held), x[~held], [(subset(held), x[held])], scale)
            s_fit, s_held = of(~held), of(held)
            for t in topics:
                w, b, v = fit(reads(t, x_fit), gold[t][~held].float(), l2, s_fit, sentence_l2, temperature)
                p[t][held] = probability(reads(t, x_held), w, b, v, s_held, temperature)
        return p

    results = []
    for l2, scale, sentence_l2 in grid:
        p = out_of_fold(l2, scale, sentence_l2)
        chosen = {t: best_threshold(p[t], gold[t]) for t in topics}
        macro = sum(score for _, score in chosen.values()) / len(chosen)
        print(f"l2={l2} dense scale {scale}" + (f" sentence l2={sentence_l2}" if sentences else "")
              + f": out-of-fold macro F1 {100 * macro:.1f} over {len(chosen)} heads", flush=True)
        print("  " + ", ".join(f"{t} {100 * chosen[t][1]:.1f}" for t in topics), flush=True)
        results.append((macro, l2, scale, sentence_l2, chosen, p))
    macro, l2, scale, sentence_l2, chosen, p = max(results, key=lambda r: (r[0], -r[1], -r[3]))
    if args.oof_out:
        with open(args.oof_out, "w", encoding="utf-8") as f:
            for i, r in enumerate(rows):
                f.write(json.dumps({"id": r["id"], "fold": int(folds[i]), "topics": r["topics"],
                                    "p": {t: round(float(p[t][i]), 5) for t in topics}}) + "\n")
    vocab, (x_all,) = design(rows, x, [], scale)
    dense = x.shape[1]
    heads = {}
    for t in topics:
        w, b, v = fit(reads(t, x_all), gold[t].float(), l2, sentences, sentence_l2, temperature)
        # The regression read scale * dense features: fold the scale into their weights.
        head = {"weights": [round(v, 6) for v in (scale * w[:dense]).tolist()], "bias": round(float(b), 6),
                "threshold": round(chosen[t][0], 2)}
        if vocab:
            head["term_weights"] = [round(v, 5) for v in w[dense:].tolist()]
        if sentences:
            head["sentence_weights"] = [round(x, 5) for x in v.tolist()]
        heads[t] = head
    out = {"features": dense, "taxonomy": taxonomy, "l2": l2, "dense_scale": scale, "folds": args.folds,
           "out_of_fold_macro_f1": round(100 * macro, 1)}
    if sentences:
        out |= {"sentence_l2": sentence_l2, "sentence_temperature": temperature}
    if args.lexicon:
        out["lexicon"] = {"patterns": args.lexicon}
        out["own_keywords"] = args.own_keywords
    if vocab:
        out["vocabulary"] = {"terms": vocab[0], "idf": [round(v, 6) for v in vocab[1]]}
    out["topics"] = heads
    out["out_of_fold"] = {t: {"f1": round(100 * chosen[t][1], 1), "positives": int(gold[t].sum())} for t in topics}
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(out, f)
    print(f"chose l2={l2}, dense scale {scale}" + (f", sentence l2={sentence_l2}" if sentences else "")
          + f", out-of-fold macro F1 {100 * macro:.1f} ({len(rows)} articles"
          f"{f', {len(vocab[0])} words' if vocab else ''}); wrote {args.out}")
    for t in topics:
        print(f"  {t}: out-of-fold F1 {100 * chosen[t][1]:.1f} ({int(gold[t].sum())} positives), "
              f"threshold {heads[t]['threshold']}")


if __name__ == "__main__":
    main()
