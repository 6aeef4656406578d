"""Out-of-core training: batches streamed from a file through partial_fit, evaluated on held-out rows."""

from __future__ import annotations

import inspect
import json

import numpy as np
import pytest

import didgah.experiment.streaming as streaming
from didgah.data import iter_rows
from didgah.errors import ConfigError
from didgah.experiment.config import load_config
from didgah.experiment.runner import run_experiment
from didgah.models.text_classifier import TextClassifier

STREAMING = {
    "features": [{"name": "hashing_words.v1", "params": {"n_features": 2**18}}, {"name": "topic_lexicon.v1"}],
    "model": {"name": "sgd.v1", "params": {"loss": "log_loss", "class_weight": None, "alpha": 1e-4}},
    "training": {"mode": "streaming", "batch_size": 40, "epochs": 5},
    "evaluation": {"method": "holdout", "test_size": 0.25},
}


@pytest.fixture
def corpus(tmp_path, sample_rows, write_jsonl):
    return write_jsonl(tmp_path / "corpus.jsonl", sample_rows)


def test_streaming_run_learns_from_batches(tmp_path, corpus, monkeypatch, make_config, sample_rows):
    batches: list[int] = []
    original = TextClassifier.partial_fit

    def counting(self, X, y):
        batches.append(len(X))
        return original(self, X, y)

    monkeypatch.setattr(TextClassifier, "partial_fit", counting)
    config = make_config(tmp_path, corpus, **STREAMING)
    run = run_experiment(config, runs_dir=tmp_path / "runs")
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in (run / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    # never more than one batch at a time, and every epoch went through the corpus
    assert max(batches) <= 40 and len(batches) >= 5 * 6
    assert metrics["training"]["rows"] + metrics["training"]["evaluated_rows"] == len(sample_rows)
    # chance: predicting every label for every held-out article
    gold = np.array([[label in row["gold"] for label in metrics["labels"]] for row in rows])
    everything = 2 * gold.sum() / (gold.size + gold.sum())
    assert metrics["headline"]["mean"] > everything + 0.2
    assert (run / "model.skops").is_file()


def test_rows_are_read_lazily(corpus, sample_rows):
    reader = iter_rows(str(corpus), None, 25, "data.train")
    assert inspect.isgenerator(reader)
    first = next(reader)
    assert len(first) == 25 and "text" in first[0]
    assert sum(len(batch) for batch in reader) == len(sample_rows) - 25


def test_holdout_is_stable_and_near_its_share():
    held = [streaming.in_holdout(str(i), 0.25, 7) for i in range(4000)]
    assert held == [streaming.in_holdout(str(i), 0.25, 7) for i in range(4000)]
    assert 0.22 < np.mean(held) < 0.28


@pytest.mark.parametrize(
    "change, key",
    [
        ({"features": [{"name": "tfidf_words.v1"}]}, "features[0].name"),
        ({"model": {"name": "logistic_regression.v1"}}, "model.name"),
        ({"model": {"name": "sgd.v1"}}, "model.params.class_weight"),
        ({"evaluation": {"method": "kfold"}}, "evaluation.method"),
    ],
)
def test_what_streaming_cannot_do_is_a_config_error(tmp_path, corpus, change, key, make_config):
    config = make_config(tmp_path, corpus, **{**STREAMING, **change})
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_config(config)
