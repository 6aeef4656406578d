"""The model card: what a trained model is for, what it was trained on, how well it did, its limits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from didgah.config_types import ExperimentConfig


def _fmt(stat: dict[str, float]) -> str:
    return f"{stat['mean']:.3f} ± {stat['std']:.3f}"


def model_card(meta: dict[str, Any], metrics: dict[str, Any]) -> str:
    """Markdown model card from a model's ``metadata_`` and its run's metrics, laid out by ``skops.card``."""
    from skops.card import Card  # a card is written once per run: no cost at import

    config = ExperimentConfig.from_dict(meta["config"])
    train = meta["data"]["train"]
    evaluation = config.evaluation
    if evaluation.method == "kfold":
        how = f"{evaluation.folds}-fold cross-validation on the training data (seed {config.seed})"
    elif evaluation.method == "holdout":
        how = f"a held-out {evaluation.test_size:.0%} of the training data (seed {config.seed})"
    else:
        how = f"the separate test set {_shown(meta['data']['test']['source'])}"
    title = f"Model card: {meta['name']}"
    model = [
        f"- Normalizer: `{meta['normalizer']['name']}` (digits: {meta['normalizer'].get('digits')}, "
        f"boilerplate removal: {meta['normalizer'].get('boilerplate')}, glued-word splitting: "
        f"{meta['normalizer'].get('glued_words')}, hamza: {meta['normalizer'].get('hamza') or 'version default'})",
        f"- Features: {', '.join('`' + f.name + '`' for f in config.features)}",
        f"- Classifier: `{config.model.name}` with {config.model.params}",
    ]
    if meta["task"] == "multilabel" and metrics.get("thresholds"):
        th = ", ".join(f"{k} {v:.3f}" for k, v in metrics["thresholds"].items())
        model.append(f"- Per-label decision thresholds ({_threshold_origin(config)}): {th}")
    model.append(f"- Input: the fields {', '.join(meta['text_fields'])} joined by a newline.")
    per_label = metrics["summary"]["per_label"]
    table = [f"Measured by {how}.", "", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
    table += [f"| {label} | {_fmt(s['precision'])} | {_fmt(s['recall'])} | {_fmt(s['f1'])} | {s['support']['total']} |"
              for label, s in per_label.items()]
    summary = ["", *(f"- {key}: {_fmt(stat)}" for key, stat in metrics["summary"].items()
               if key != "per_label" and isinstance(stat, dict) and "mean" in stat)]
    dup = metrics["duplicates"]
    summary.append(f"- Duplicates between training and evaluation texts: {dup['exact']} exact, {dup['near']} near "
                   f"(cosine >= {dup['threshold']}).")
    card = Card(None, model_diagram=False, template=None)
    card.add(**{
        title: f"Run `{meta['run_id']}`, created {meta['created']} with didgah {meta['versions'].get('didgah')}.",
        f"{title}/Intended use": (
            f"{'Multi-label' if meta['task'] == 'multilabel' else 'Single-label'} classification of Persian news "
            f"text into: {', '.join(meta['labels'])}. For research and media analysis: counting and "
            "retrieving coverage, with a person reviewing individual decisions. Not for decisions about "
            "individual people, nor for text in other languages."),
        f"{title}/Model": "\n".join(model),
        f"{title}/Training data": (
            f"- `{_shown(train['source'])}`: {train['n']} texts; file {train['file_fingerprint']}\n"
            f"- Label counts: {', '.join(f'{k} {v}' for k, v in train['label_counts'].items())}"),
    })
    card.add(**{
        f"{title}/Evaluation": "\n".join(table + summary),
        f"{title}/Limitations": "\n".join([
            "- Scores are measured on the evaluation data named above; on text from other outlets, periods or "
            "topics they are usually lower. Re-measure on a labelled sample of your own data with "
            "`didgah evaluate`.",
            "- Bag-of-words and character n-gram features do not understand negation, irony or who is "
            "speaking; a topic mentioned in passing can trigger a label.",
            "- Label definitions follow the annotation guideline of the training data; borderline cases "
            "(passing mentions, metaphors such as «بازسازی اعتماد») are where errors concentrate.",
        ]),
    })
    return card.render().lstrip("\n")


def _threshold_origin(config: ExperimentConfig) -> str:
    """How the model's decision thresholds were chosen, as its config says."""
    tuning = config.model.thresholds
    if config.training.mode == "streaming" or not tuning.tune:
        return f"fixed at {tuning.default}, not tuned"
    on = "the main training corpus" if tuning.tune_on == "main" else "all training data"
    return f"tuned by {tuning.cv}-fold cross-validation on {on}"


def _shown(source: str) -> str:
    """A data source as a card shows it: a local file by its name (a card travels; the path does not),
    a hub id as it is."""
    path = Path(source)
    return path.name if path.is_absolute() else source
