"""Topic models on real news: a saved model scored on the real-news gold (data/annotations/topics_real).

The gold points into four corpora of ../shared/data, each with its own fields; this script reads each corpus
in place, joins the annotations (didgah.annotations), labels the texts with the model and reports per label
and pooled over all articles: precision, recall and F1 with 95% bootstrap intervals (articles resampled), the
same per source, and prevalence-weighted figures (each article weighted by its stratum's pool / drawn, so the
enriched selection counts as the corpora it was drawn from).

    python benchmarks/real_news.py runs/topics-.../model.skops --split train      # development (never tuned on test)
    python benchmarks/real_news.py runs/topics-.../model.skops --split test       # the frozen test split
    python benchmarks/real_news.py MODEL --split topics-dev                       # ../shared/data/topics-dev (496)

Writes results/real_news-<model name>-<split>.json. The test split is for final figures only: no rule,
threshold or model choice is made on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
GOLD = ROOT / "data" / "annotations" / "topics_real"
LABELS = ["security", "refugees", "reconstruction"]
# each corpus as the gold's labels describe it: its text fields, its id field (first 6,000 characters)
CORPORA = {
    "irnews-2020/articles.jsonl": (["title", "text"], "id"),
    "isna-5cat/articles.jsonl": (["title", "text"], "id"),
    "farsnews-2011/articles.jsonl": (["text"], "id"),
    "farexstance/b2c_dev.jsonl": (["article"], "news_id"),
}
MAX_CHARS = 6000


def gold_items(split: str) -> list[tuple[str, str, str, list[str], float]]:
    """(source, id, text, labels, prevalence weight) for every article of the split."""
    from didgah.annotations.join import decisive_lines, load_annotated

    if split == "topics-dev":
        out = []
        for name in ("farexstance_articles.jsonl", "farsnews2011_articles.jsonl"):
            for line in open(SHARED / "topics-dev" / name, encoding="utf-8"):
                row = json.loads(line)
                out.append((f"topics-dev/{name}", str(row["id"]), row["text"], list(row["labels"]), 1.0))
        return out
    files = [str(GOLD / f"{split}.jsonl")]
    out = []
    for source, (fields, id_field) in CORPORA.items():
        path = str(SHARED / source)
        decided, _, _ = decisive_lines(files, path, labels=LABELS)
        corpus = load_annotated(files, fields, path, labels=LABELS, id_field=id_field, max_chars=MAX_CHARS,
                                empty_text="skip")
        drawn = Counter(a.strategy for a in decided.values())
        for row_id, text, labels in zip(corpus.ids, corpus.texts, corpus.labels):
            line = decided[row_id]
            weight = (line.pool / drawn[line.strategy]) if line.pool else 1.0
            out.append((source, row_id, text, list(labels), weight))
    return out


def scores(truth: np.ndarray, pred: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    w = np.ones(len(truth)) if weights is None else weights
    out = {}
    tp_all = fp_all = fn_all = 0.0
    f1s = []
    for j, label in enumerate(LABELS):
        tp = float(w @ (truth[:, j] & pred[:, j]))
        fp = float(w @ (~truth[:, j] & pred[:, j]))
        fn = float(w @ (truth[:, j] & ~pred[:, j]))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out |= {f"{label}_precision": p, f"{label}_recall": r, f"{label}_f1": f1}
        f1s.append(f1)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
    out["micro_f1"] = 2 * tp_all / (2 * tp_all + fp_all + fn_all) if tp_all else 0.0
    out["macro_f1"] = float(np.mean(f1s))
    return out


def bootstrap(truth: np.ndarray, pred: np.ndarray, rounds: int = 1000, seed: int = 0) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    samples: dict[str, list[float]] = {}
    for _ in range(rounds):
        idx = rng.integers(0, len(truth), len(truth))
        for key, value in scores(truth[idx], pred[idx]).items():
            samples.setdefault(key, []).append(value)
    return {key: [round(float(np.percentile(v, 2.5)), 3), round(float(np.percentile(v, 97.5)), 3)]
            for key, v in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", help="a model.skops file or a finished run directory")
    parser.add_argument("--split", choices=["train", "test", "topics-dev"], default="train")
    parser.add_argument("--name", help="name in the results file (default: the model's run name)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    from didgah import load_model

    model = load_model(args.model)
    items = gold_items(args.split)
    texts = [text for _, _, text, _, _ in items]
    truth = np.array([[label in labels for label in LABELS] for *_, labels, _ in items], dtype=bool)
    predicted = model.predict(texts)
    pred = np.array([[label in p for label in LABELS] for p in predicted], dtype=bool)
    weights = np.array([w for *_, w in items])
    result = {
        "model": str(args.model), "split": args.split, "articles": len(items),
        "positives": {label: int(truth[:, j].sum()) for j, label in enumerate(LABELS)},
        "scores": {k: round(v, 4) for k, v in scores(truth, pred).items()},
        "ci95": bootstrap(truth, pred),
        "prevalence_weighted": {k: round(v, 4) for k, v in scores(truth, pred, weights).items()},
        "per_source": {},
    }
    for source in sorted({s for s, *_ in items}):
        mask = np.array([s == source for s, *_ in items])
        result["per_source"][source] = {"articles": int(mask.sum()),
                                        **{k: round(v, 4) for k, v in scores(truth[mask], pred[mask]).items()}}
    s, ci = result["scores"], result["ci95"]
    print(f"{args.split}: {len(items)} articles, positives {result['positives']}")
    print("| | precision | recall | F1 (95% CI) |\n|---|---|---|---|")
    for label in LABELS:
        print(f"| {label} | {s[label + '_precision']:.3f} | {s[label + '_recall']:.3f} | {s[label + '_f1']:.3f} "
              f"({ci[label + '_f1'][0]:.3f}-{ci[label + '_f1'][1]:.3f}) |")
    print(f"| micro | | | {s['micro_f1']:.3f} ({ci['micro_f1'][0]:.3f}-{ci['micro_f1'][1]:.3f}) |")
    print(f"prevalence-weighted micro-F1 {result['prevalence_weighted']['micro_f1']:.3f}; per source micro-F1: "
          + ", ".join(f"{k.split('/')[0]} {v['micro_f1']:.3f}" for k, v in result["per_source"].items()))
    if not args.no_write:
        name = args.name or getattr(model, "metadata_", {}).get("name") or Path(args.model).stem
        out = Path(__file__).resolve().parent / "results" / f"real_news-{name}-{args.split}.json"
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"-> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
