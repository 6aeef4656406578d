"""Prediction in worker processes gives what one process gives, and reuses its workers."""

import numpy as np

from didgah.config_types import ExperimentConfig
from didgah.models import workers
from didgah.registry import build_classifier


def _model(rows):
    model = build_classifier(ExperimentConfig.from_dict({
        "name": "t", "task": "multilabel", "data": {"labels": ["security", "refugees", "reconstruction"]},
        "features": [{"name": "tfidf_words.v1", "params": {"min_df": 1}}, {"name": "tfidf_chars.v1", "params": {"min_df": 2}}],
        "model": {"name": "logistic_regression.v1", "thresholds": {"cv": 3}}}))
    return model.fit([r["text"] for r in rows], [r["labels"] for r in rows])


def test_two_processes_predict_the_same_as_one(small_rows, sample_rows, monkeypatch):
    model = _model(small_rows)
    texts = [r["text"] for r in sample_rows[:90]]
    monkeypatch.setattr(workers, "MIN_PARALLEL_TEXTS", 10)
    try:
        one = model.predict_proba(texts)
        two = model.predict_proba(texts, n_jobs=2)
        np.testing.assert_allclose(two, one, rtol=1e-6)
        pool = workers._pool[2]
        assert model.predict(texts, n_jobs=2) == model.predict(texts)
        assert workers._pool[2] is pool  # the same workers served the second call
    finally:
        workers._close()
    assert workers._pool is None


def test_a_pipeline_that_cannot_be_sent_is_run_in_process(monkeypatch):
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    class Scores(FunctionTransformer):
        def predict(self, X):
            return self.transform(X)

    pipeline = Pipeline([("f", Scores(lambda X: np.asarray([[len(x)] for x in X])))])  # a lambda: not picklable
    pipeline.fit(["a"])
    monkeypatch.setattr(workers, "MIN_PARALLEL_TEXTS", 2)
    texts = ["یک", "دو سه", "چهار پنج شش"] * 4
    np.testing.assert_array_equal(workers.run(pipeline, "predict", texts, 2), [[len(t)] for t in texts])
    assert workers._pool is None


def test_partial_fit_retires_the_workers_of_the_old_weights(small_rows, sample_rows, monkeypatch):
    model = build_classifier(ExperimentConfig.from_dict({
        "name": "t", "task": "multilabel", "data": {"labels": ["security", "refugees", "reconstruction"]},
        "features": [{"name": "hashing_words.v1", "params": {"n_features": 2**16}}],
        "model": {"name": "sgd.v1", "params": {"loss": "log_loss", "class_weight": None}}}))
    model.labels = ["security", "refugees", "reconstruction"]
    texts, labels = [r["text"] for r in small_rows], [r["labels"] for r in small_rows]
    model.partial_fit(texts[:30], labels[:30])
    probe = [r["text"] for r in sample_rows[:40]]
    monkeypatch.setattr(workers, "MIN_PARALLEL_TEXTS", 10)
    try:
        before = model.predict_proba(probe, n_jobs=2)
        model.partial_fit(texts[30:], labels[30:])
        after = model.predict_proba(probe, n_jobs=2)
        assert not np.allclose(before, after)
        np.testing.assert_allclose(after, model.predict_proba(probe), rtol=1e-6)
    finally:
        workers._close()
