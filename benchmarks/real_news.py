"""Topic models on real news: a saved model scored on the real-news gold (data/annotations/topics_real).

The gold points into four corpora of ../shared/data, each with its own fields (read as experiments/topics_real.yaml's
data parts say); this script reads each corpus in place, joins the annotations (didgah.annotations), labels the texts with the model and reports per label
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
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
RECIPE = ROOT / "experiments" / "topics_real.yaml"   # its data parts say how each corpus of the gold is read
LABELS = ["security", "refugees", "reconstruction"]


def gold_items(split: str) -> list[tuple[str, str, str, list[str], float]]:
    """(source, id, text, labels, prevalence weight) for every article of the split."""
    from didgah.annotations.join import load_weighted
    from didgah.data import load_corpus
    from didgah.experiment.config import load_config

    config = load_config(RECIPE)
    out = []
    for part in config.data.test if split == "test" else config.data.train:
        source = str(Path(part.path).relative_to(SHARED.resolve()))
        if (split == "topics-dev") != source.startswith("topics-dev/"):
            continue
        if not part.annotations:  # topics-dev: its files hold the labels
            corpus = load_corpus(part.path, part.text_fields, part.label_field, labels=LABELS)
            out += [(source, i, t, list(y), 1.0) for i, t, y in zip(corpus.ids, corpus.texts, corpus.labels)]
            continue
        path, files = part.path, part.annotations
        source = str(Path(path).relative_to(SHARED.resolve()))
        # strata are per source: each corpus's lines get the weights of its own pools
        corpus, weights = load_weighted(files, part.text_fields, path, labels=LABELS, id_field=part.id_field,
                                        max_chars=config.preprocess.max_chars, empty_text="skip")
        out += [(source, row_id, text, list(labels), w if w is not None else 1.0)
                for row_id, text, labels, w in zip(corpus.ids, corpus.texts, corpus.labels, weights)]
    return out


def scores(truth: np.ndarray, pred: np.ndarray, weights: np.ndarray | None = None) -> dict[str, float]:
    """Per label precision/recall/F1, micro and macro F1 (weighted by ``weights`` when given)."""
    from didgah.annotations.prevalence import weighted_scores

    result = weighted_scores(truth.astype(int), pred.astype(int),
                             [1.0] * len(truth) if weights is None else list(weights), LABELS)
    per_label = {f"{label}_{key}": result["per_label"][label][key]
                 for label in LABELS for key in ("precision", "recall", "f1")}
    return {**per_label, "micro_f1": result["micro_f1"], "macro_f1": result["macro_f1"]}


def bootstrap(truth: np.ndarray, pred: np.ndarray, rounds: int = 1000, seed: int = 0) -> dict[str, list[float]]:
    """95% percentile intervals of each label's F1 and of micro and macro F1, articles resampled."""
    from didgah.experiment.significance import example_stats, metric_from_sums

    n = len(truth)
    resamples = np.random.default_rng(seed).multinomial(n, np.full(n, 1.0 / n), size=rounds).astype(float)
    interval = lambda values: [round(float(v), 3) for v in np.percentile(values, [2.5, 97.5])]  # noqa: E731
    sums = resamples @ example_stats(truth, pred)
    out = {metric: interval(metric_from_sums(sums, n, metric)) for metric in ("micro_f1", "macro_f1")}
    for j, label in enumerate(LABELS):  # one label's micro-F1 is its F1
        out[f"{label}_f1"] = interval(metric_from_sums(resamples @ example_stats(truth[:, [j]], pred[:, [j]]), n,
                                                       "micro_f1"))
    return out


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
