"""Sentence windows pooled to the article: the one topical sentence of a long article carries its label."""

import numpy as np
import pytest

from didgah.config_types import ExperimentConfig
from didgah.errors import ConfigError
from didgah.experiment.config import load_config
from didgah.explain import explain_sentences, sentence_evidence
from didgah.features.sentences import SentenceScores, pool, sentences, windows
from didgah.persist import load_model, save_model
from didgah.registry import build_classifier

FILLER = [
    "قیمت طلا در بازار تهران امروز افزایش یافت.",
    "تیم فوتبال استقلال در ورزشگاه آزادی پیروز شد.",
    "مجلس لایحه بودجه سال آینده را بررسی کرد.",
    "نمایشگاه کتاب تهران با حضور ناشران برگزار شد.",
    "بارش باران در استان‌های شمالی ادامه دارد.",
    "وزیر اقتصاد از کاهش نرخ تورم خبر داد.",
    "جشنواره فیلم فجر برندگان خود را معرفی کرد.",
    "صادرات محصولات کشاورزی رشد کرد.",
    "بورس تهران امروز با رشد شاخص همراه بود.",
    "دانشگاه‌ها ثبت نام دانشجویان جدید را آغاز کردند.",
]
TOPICAL = [
    "هزاران پناهجوی افغان از اردوگاه مرزی به ترکیه رفتند.",
    "آوارگان سوری در اردوگاه پناهجویان به کمک نیاز دارند.",
    "کمیساریای عالی پناهندگان از بازگشت پناهجویان خبر داد.",
    "پناهندگان آواره از جنگ به کشورهای همسایه گریختند.",
]
NEEDLE = "صدها پناهجوی آواره در اردوگاه مرزی بدون غذا مانده‌اند."


def corpus(n: int = 40, seed: int = 0):
    """Short articles: half have one topical sentence among filler (refugees), half only filler."""
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        parts = list(rng.choice(FILLER, size=4, replace=False))
        if i % 2 == 0:
            parts.insert(int(rng.integers(0, 4)), TOPICAL[i // 2 % len(TOPICAL)])
            labels.append(["refugees"])
        else:
            labels.append([])
        texts.append(" ".join(parts))
    return texts, labels


LONG = " ".join(FILLER * 3 + [NEEDLE] + FILLER)  # 41 sentences, the 31st the only topical one
ONLY_FILLER = " ".join(FILLER * 4)

CONFIG = {
    "name": "t", "task": "multilabel", "seed": 0,
    "data": {"labels": ["refugees"]},
    "features": [{"name": "sentence_scores.v1", "params": {"window": 1, "min_df": 1, "cv": 3}}],
    "model": {"name": "logistic_regression.v1", "params": {"C": 1.0}, "thresholds": {"cv": 3}},
}


@pytest.fixture(scope="module")
def model():
    texts, labels = corpus()
    return build_classifier(ExperimentConfig.from_dict(CONFIG)).fit(texts, labels)


def test_sentences_split_glued_sentences_but_not_decimals():
    assert sentences("اول.دوم ۲.۵ درصد! «سوم» آمد\nچهارم") == ["اول.", "دوم ۲.۵ درصد!", "«سوم» آمد", "چهارم"]
    assert windows(["a", "b", "c"], 3) == [(0, 3)] and windows(["a", "b", "c", "d"], 3) == [(0, 3), (1, 4)]
    assert pool(np.array([0.1, 0.9, 0.5]), "max") == 0.9
    assert 0.5 < pool(np.array([0.1, 0.9, 0.5]), "softmax", temperature=0.1) < 0.9


def test_max_pooling_finds_the_one_topical_sentence_in_a_long_article(model):
    scores = model.predict_proba([LONG, ONLY_FILLER])[:, 0]
    assert scores[0] > 0.5 > scores[1]
    assert model.predict([LONG, ONLY_FILLER]) == [["refugees"], []]
    # in a whole-article mean the sentence is diluted; its pooled max is not
    features = model.pipeline_.named_steps["features"].transform(
        model.pipeline_.named_steps["normalize"].transform([LONG]))
    names = list(model.feature_names())
    assert features[0, names.index("sentence_scores__label0_max")] > features[0, names.index(
        "sentence_scores__label0_mean")] + 1


def test_explain_names_the_sentence_that_carried_the_label(model):
    (window, score), *_ = explain_sentences(model, LONG, "refugees", n=2)
    assert "اردوگاه مرزی" in window and score > 0.5
    evidence = sentence_evidence(model, LONG, ["refugees"])
    assert list(evidence) == ["refugees"] and "پناهجوی" in evidence["refugees"][0]["text"]


def test_training_texts_get_cross_fitted_scores():
    texts, labels = corpus()
    Y = np.array([[1] if y else [0] for y in labels])
    crossed = SentenceScores(window=1, min_df=1, cv=3).fit_transform(texts, Y)
    in_sample = SentenceScores(window=1, min_df=1, cv=1).fit_transform(texts, Y)
    assert crossed.shape == in_sample.shape == (40, 3)
    assert not np.allclose(crossed, in_sample)  # each text scored by window models that never saw it


def test_save_and_load_round_trip(model, tmp_path):
    path = save_model(model, tmp_path / "model.skops")
    loaded = load_model(path)
    np.testing.assert_allclose(loaded.predict_proba([LONG, ONLY_FILLER]), model.predict_proba([LONG, ONLY_FILLER]))
    assert explain_sentences(loaded, LONG, "refugees", 1) == explain_sentences(model, LONG, "refugees", 1)


def test_a_model_without_sentence_scores_cannot_explain_sentences():
    from didgah.errors import DidgahError

    texts, labels = corpus()
    plain = build_classifier(ExperimentConfig.from_dict({**CONFIG, "features": [{"name": "tfidf_words.v1", "params": {"min_df": 1}}]}))
    with pytest.raises(DidgahError, match="no sentence_scores.v1"):
        explain_sentences(plain.fit(texts, labels), LONG, "refugees")


@pytest.mark.parametrize(("params", "message"), [
    ("{pooling: [maxx]}", r"features\[0\]\.params\.pooling: expected a non-empty list of max, top_k, mean, softmax"),
    ("{window: 0}", r"features\[0\]\.params\.window: must be an int in the range \[1, inf\)"),
    ("{C: -1}", r"features\[0\]\.params\.C: must be a float in the range \(0\.0, inf\); got -1"),
    ("{embeddings: maybe}", r"features\[0\]\.params\.embeddings: must be an instance of 'bool'"),
    ("{embedding_kind: document}", r"features\[0\]\.params\.embedding_kind: must be a str among"),
])
def test_bad_parameters_are_one_line_errors_naming_the_key(tmp_path, params, message):
    path = tmp_path / "c.yaml"
    path.write_text(f"name: t\ntask: multilabel\ndata: {{train: x.jsonl}}\nfeatures:\n"
                    f"  - {{name: sentence_scores.v1, params: {params}}}\nmodel: {{name: logistic_regression.v1}}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("kind", ["passage", "query"])
def test_window_embeddings_are_encoded_with_the_chosen_e5_prefix(monkeypatch, kind):
    import didgah.features.sentences as module

    seen = []

    def fake_embed(texts, encoder, max_chars, disk_cache=True, kind="passage"):
        seen.append(kind)
        return np.ones((len(texts), 384), dtype=np.float32)

    monkeypatch.setattr(module, "embed", fake_embed)
    texts, labels = corpus(12)
    Y = np.array([[1] if label else [0] for label in labels])
    scores = SentenceScores(min_df=1, cv=2, embeddings=True, embedding_kind=kind).fit(texts, Y)
    scores.transform([LONG])
    assert seen == [kind, kind]
    del scores.embedding_kind  # a model saved before the parameter existed encoded passages
    scores.transform([LONG])
    assert seen[-1] == "passage"


def test_fit_needs_labels():
    with pytest.raises(ValueError, match="learns from labels"):
        SentenceScores(min_df=1).fit(["متن یک.", "متن دو."])


def test_predict_explain_on_the_command_line(model, tmp_path, capsys):
    import json

    from didgah.cli import main

    path = str(save_model(model, tmp_path / "model.skops"))
    assert main(["predict", path, "--text", LONG, "--explain", "2"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["labels"] == ["refugees"] and len(result["evidence"]["refugees"]) == 2
    assert "اردوگاه مرزی" in result["evidence"]["refugees"][0]["text"]
    assert main(["predict", path, "--input", "x.jsonl", "--output", "o.jsonl", "--explain"]) == 2
    assert "--explain works with --text" in capsys.readouterr().err
