"""Every registered component: deterministic fit -> predict with a seed, skops round trip, it learns.

The scikit-learn estimator contract (clone, get_params/set_params, fit returns self, NotFittedError
before fit, input validation) is checked by scikit-learn's own checks in test_estimator_checks.py."""

from __future__ import annotations

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import clone

from didgah.config_types import ExperimentConfig
from didgah.persist import load_model, save_model
from didgah.registry import PAIR_FEATURES, REGISTRIES, build_classifier

TEXTS = [
    "حمله تروریستی داعش به پایگاه نظامی",
    "بازسازی خانه‌های زلزله‌زده کرمانشاه",
    "بازگشت آوارگان سوری از اردوگاه",
    "تیم فوتبال استقلال پیروز شد",
    "موشک و پهپاد در رزمایش نظامی",
    "بنیاد مسکن بازسازی روستاها را آغاز کرد",
    "پناهجویان افغانستانی در مرز",
    "قیمت طلا در بازار افزایش یافت",
] * 3
PAIRS = [("حمله به پایگاه", t) for t in TEXTS]
MULTI = [["security"], ["reconstruction"], ["refugees"], [], ["security"], ["reconstruction"], ["refugees"], []] * 3


@pytest.mark.parametrize("name", sorted(REGISTRIES["feature"]))
def test_feature_contract(name, tmp_path):
    TEXTS = PAIRS if name in PAIR_FEATURES else globals()["TEXTS"]
    feature = REGISTRIES["feature"][name]()
    if "min_df" in feature.get_params():
        feature.set_params(min_df=1)
    if "max_df" in feature.get_params():
        feature.set_params(max_df=1.0)
    # features that learn from labels (sentence_scores.v1) get the label indicator matrix
    y = np.array([[label in row for label in ("security", "refugees", "reconstruction")] for row in MULTI], dtype=int) \
        if feature.__sklearn_tags__().target_tags.required else None
    a = clone(feature).fit(TEXTS, y).transform(TEXTS)
    b = clone(feature).fit(TEXTS, y).transform(TEXTS)
    assert (abs(a - b)).sum() == 0
    fitted = clone(feature).fit(TEXTS, y)
    path = tmp_path / "f.skops"
    sio.dump(fitted, path)
    loaded = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    assert (abs(loaded.transform(TEXTS) - a)).sum() == 0
    assert len(fitted.get_feature_names_out()) == a.shape[1]


@pytest.mark.parametrize("name", sorted(REGISTRIES["normalizer"]))
def test_normalizer_contract(name):
    norm = REGISTRIES["normalizer"][name]()
    assert norm.fit_transform(["كتاب"]) == ["کتاب"]


@pytest.mark.parametrize("task", ["multilabel", "multiclass"])
@pytest.mark.parametrize("name", sorted(REGISTRIES["model"]))
def test_model_contract(name, task, tmp_path):
    config = ExperimentConfig.from_dict({
        "name": "t",
        "data": {},
        "task": task,
        "seed": 3,
        "features": [{"name": "tfidf_chars.v1", "params": {"min_df": 1, "ngram_range": [2, 4]}},
                     {"name": "topic_lexicon.v1"}],
        "model": {"name": name, "thresholds": {"cv": 3}},
    })
    y = MULTI if task == "multilabel" else [labels[0] if labels else "other" for labels in MULTI]
    first = build_classifier(config).fit(TEXTS, y)
    second = build_classifier(config).fit(TEXTS, y)
    np.testing.assert_array_equal(first.predict_proba(TEXTS), second.predict_proba(TEXTS))
    assert first.predict(TEXTS) == second.predict(TEXTS)
    path = save_model(first, tmp_path / "model.skops")
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), first.predict_proba(TEXTS))
    assert loaded.predict(TEXTS) == first.predict(TEXTS)
    assert loaded.classes_ == first.classes_
    # It learns: training texts get their own labels for most rows.
    agree = sum(p == t for p, t in zip(first.predict(TEXTS), y))
    assert agree >= 0.75 * len(y)
