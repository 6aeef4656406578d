"""Training and prediction time and peak memory of a topic config at growing corpus sizes.

Articles are built by recombining real sentences from ``../shared/data`` (irnews-2020, isna-5cat,
farsnews-2011): each article takes a sentence count drawn from the real articles' counts and that many
sentences drawn at random. Labels come from keyword rules (an article is ``security`` when one of its
sentences has حمله, انفجار, تروریست ...), so it is a real multi-label task. Each size runs in its own
process, so its peak resident memory (``ru_maxrss``, worker processes included) is its own. The
normalization disk cache is off: every text is normalized. Prediction is timed in one process and in
two worker processes (``model.predict(texts, n_jobs=2)``, timed after a first call has started the
workers, as they stay up for a CLI labelling a file in batches; the first call's time is also kept).

    python benchmarks/scale.py --config experiments/topics.yaml --sizes 1000 10000
    python benchmarks/scale.py --config experiments/topics_large.yaml --sizes 1000 10000 100000

Each size writes ``benchmarks/results/scale-CONFIG-N.json``; ``--table`` prints the markdown table of
every result file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "data"
SOURCES = ("irnews-2020/articles.jsonl", "isna-5cat/articles.jsonl", "farsnews-2011/articles.jsonl")
RULES = {
    "security": ("حمله", "انفجار", "تروریست", "موشک", "ارتش", "داعش"),
    "refugees": ("پناهجو", "آواره", "مهاجر", "پناهنده", "اردوگاه"),
    "reconstruction": ("بازسازی", "زلزله", "سیل", "آواربرداری"),
}
PREDICT_ARTICLES = 2000


def real_sentences() -> tuple[list[str], list[int]]:
    """Every sentence (line, or '.'-separated piece) of the source corpora, and each article's count."""
    sentences, counts = [], []
    for name in SOURCES:
        with open(SHARED / name, encoding="utf-8") as handle:
            for line in handle:
                text = json.loads(line).get("text") or ""
                pieces = [s.strip() for part in text.split("\n") for s in part.split(". ") if len(s.strip()) > 20]
                if pieces:
                    sentences.extend(pieces)
                    counts.append(len(pieces))
    return sentences, counts


def synthetic_articles(n: int, seed: int) -> list[dict]:
    """``n`` articles of recombined real sentences, labelled by the keyword rules."""
    sentences, counts = real_sentences()
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        text = "\n".join(rng.choices(sentences, k=min(rng.choice(counts), 40)))
        labels = [label for label, words in RULES.items() if any(w in text for w in words)]
        rows.append({"id": f"s{seed}-{i}", "text": text, "labels": labels})
    return rows


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its finished children, in MB (Linux: ru_maxrss in kB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + children) / 1024, 1)


def run_one(config_path: Path, n: int, output: Path) -> dict:
    from didgah.experiment.config import load_config
    from didgah.registry import build_classifier

    config = load_config(config_path, ["preprocess.cache=false"])
    train = synthetic_articles(n, seed=1)
    test = synthetic_articles(PREDICT_ARTICLES, seed=2)
    model = build_classifier(config)
    texts, labels = [r["text"] for r in train], [r["labels"] for r in train]
    start = time.perf_counter()
    model.fit(texts, labels)
    fit_seconds = time.perf_counter() - start
    memory_after_fit = peak_rss_mb()
    test_texts = [r["text"] for r in test]
    start = time.perf_counter()
    predicted = model.predict(test_texts)
    predict_seconds = time.perf_counter() - start
    start = time.perf_counter()
    model.predict(test_texts[:400], n_jobs=2)  # starts the two workers and sends them the model
    first_call_seconds = time.perf_counter() - start
    start = time.perf_counter()
    in_two = model.predict(test_texts, n_jobs=2)
    two_seconds = time.perf_counter() - start
    assert in_two == predicted
    gold = [set(r["labels"]) for r in test]
    tp = sum(len(set(p) & g) for p, g in zip(predicted, gold))
    fp = sum(len(set(p) - g) for p, g in zip(predicted, gold))
    fn = sum(len(g - set(p)) for p, g in zip(predicted, gold))
    result = {
        "config": config_path.name, "articles": n, "characters": sum(map(len, texts)),
        "label_share": {k: round(sum(k in r["labels"] for r in train) / n, 3) for k in RULES},
        "fit_seconds": round(fit_seconds, 1), "predict_articles": PREDICT_ARTICLES,
        "predict_articles_per_second": round(PREDICT_ARTICLES / predict_seconds, 1),
        "predict_articles_per_second_2_processes": round(PREDICT_ARTICLES / two_seconds, 1),
        "predict_2_processes_start_seconds": round(first_call_seconds, 1),
        "peak_rss_mb_fit": memory_after_fit, "peak_rss_mb": peak_rss_mb(),
        "micro_f1_on_fresh_articles": round(2 * tp / max(2 * tp + fp + fn, 1), 3),
        "n_features": len(model.feature_names()),
        "cpu_count": os.cpu_count(), "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return result


def table(results_dir: Path) -> str:
    rows = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(results_dir.glob("scale-*.json"))]
    rows.sort(key=lambda r: (r["config"], r["articles"]))
    lines = ["| config | articles | fit (s) | predict, 1 process (articles/s) | predict, 2 processes (articles/s) | "
             "peak memory (MB) | features | micro-F1 | load avg |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        two = f"{r['predict_articles_per_second_2_processes']:,}" if "predict_articles_per_second_2_processes" in r else "-"
        lines.append(f"| {r['config']} | {r['articles']:,} | {r['fit_seconds']:,} | {r['predict_articles_per_second']:,} | "
                     f"{two} | "
                     f"{r['peak_rss_mb']:,} | {r['n_features']:,} | {r['micro_f1_on_fresh_articles']} | "
                     f"{r['load_average_at_end'][0]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "experiments" / "topics.yaml")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--results", type=Path, default=HERE / "results")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    parser.add_argument("--table", action="store_true", help="print the table of all result files and stop")
    args = parser.parse_args(argv)
    args.results.mkdir(parents=True, exist_ok=True)
    if args.table:
        print(table(args.results))
        return 0
    if not SHARED.is_dir():
        print(f"needs the real corpora in {SHARED}", file=sys.stderr)
        return 2
    if args.one:
        output = args.results / f"scale-{args.config.stem}-{args.one}.json"
        print(json.dumps(run_one(args.config, args.one, output), ensure_ascii=False), flush=True)
        return 0
    for n in args.sizes:
        subprocess.run([sys.executable, __file__, "--config", str(args.config), "--results", str(args.results),
                        "--one", str(n)], check=True)
    print(table(args.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
