"""Source stacking: a model of the extra source feeds models of the main corpus."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression

from didgah.config_types import ExperimentConfig
from didgah.errors import ConfigError
from didgah.experiment.config import load_config
from didgah.models import SourceStackingClassifier, TwoStageClassifier
from didgah.persist import load_model, save_model
from didgah.registry import build_classifier


def _two_sources(seed=0):
    """Main rows: the label follows column 0. Extra rows: it follows column 1, which is noise on main rows."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(700, 5))
    main = np.arange(700) < 200
    y = np.where(main, X[:, 0] > 0, X[:, 1] > 0).astype(int)
    return X, y, main


def test_source_model_sees_only_extra_rows_and_main_models_correct_it():
    X, y, main = _two_sources()
    clf = SourceStackingClassifier(LogisticRegression(), dense_columns=5, cv=3).fit(X, y, tune_on=main)
    Xt, yt, _ = _two_sources(seed=1)
    truth = (Xt[:, 0] > 0).astype(int)  # new rows of the main corpus
    assert clf.stacked_
    assert np.mean(clf.source_.predict(Xt) == (Xt[:, 1] > 0)) > 0.95  # learned the extra source's rule
    assert np.mean(clf.predict(Xt) == truth) > 0.9
    pooled = LogisticRegression().fit(X, y)  # one model of both sources follows the larger one
    assert np.mean(pooled.predict(Xt) == truth) < 0.75


def test_without_extra_rows_it_is_the_estimator():
    X, y, _ = _two_sources()
    clf = SourceStackingClassifier(LogisticRegression(), dense_columns=5).fit(X, y)
    assert not clf.stacked_ and not hasattr(clf, "linear_")
    np.testing.assert_allclose(clf.predict_proba(X), LogisticRegression().fit(X, y).predict_proba(X))


def test_inner_folds_keep_groups_together():
    y = np.tile([0, 1], 30)
    groups = np.repeat(np.arange(12), 5)
    clf = SourceStackingClassifier(LogisticRegression(), cv=4)
    for train, test in clf._splits(y, groups):
        assert not set(groups[train]) & set(groups[test])
    assert len(clf._splits(y, None)) == 4


def test_deterministic_clone_and_sparse_input():
    import scipy.sparse as sp

    X, y, main = _two_sources()
    y = y + (X[:, 2] > 1)  # three classes
    clf = SourceStackingClassifier(TwoStageClassifier(LogisticRegression(), unrelated_class=0), dense_columns=2, cv=3)
    a = clone(clf).fit(sp.csr_matrix(X), y, tune_on=main).predict_proba(sp.csr_matrix(X[:50]))
    b = clone(clf).fit(sp.csr_matrix(X), y, tune_on=main).predict_proba(sp.csr_matrix(X[:50]))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a.sum(axis=1), 1.0)


PAIRS = [("حمله به پایگاه نظامی", "پایگاه نظامی هدف حمله موشکی قرار گرفت."),
         ("حمله به پایگاه نظامی", "سخنگوی ارتش خبر حمله به پایگاه را تکذیب کرد."),
         ("قیمت طلا بالا رفت", "قیمت طلا در بازار تهران افزایش یافت."),
         ("قیمت طلا بالا رفت", "بازی فوتبال با تساوی به پایان رسید.")]


def _stance_config(stacking):
    return ExperimentConfig.from_dict({
        "name": "t", "task": "stance", "data": {"labels": ["agree", "disagree", "unrelated"]},
        "features": [{"name": "pair_similarity.v1"}, {"name": "tfidf_words.v1", "params": {"min_df": 1}}],
        "model": {"name": "logistic_regression.v1", "two_stage": "unrelated", "stacking": stacking}})


def test_stance_model_passes_main_rows_and_claim_groups(monkeypatch, tmp_path):
    seen = {}
    fit = SourceStackingClassifier.fit

    def spy(self, X, y, sample_weight=None, tune_on=None, groups=None):
        seen.update(tune_on=tune_on, groups=groups)
        return fit(self, X, y, sample_weight, tune_on, groups)

    monkeypatch.setattr(SourceStackingClassifier, "fit", spy)
    model = build_classifier(_stance_config({"name": "source_stacking.v1", "params": {"dense_columns": 13, "cv": 2}}))
    pairs, labels = PAIRS * 6, ["agree", "disagree", "agree", "unrelated"] * 6
    model.fit(pairs, labels, tune_on=[True] * 8 + [False] * 16)
    assert list(seen["tune_on"]) == [True] * 8 + [False] * 16
    assert len(set(seen["groups"])) == 2 and seen["groups"][0] == seen["groups"][1] != seen["groups"][2]
    path = save_model(model, tmp_path / "m.skops")
    np.testing.assert_allclose(load_model(path).predict_proba(PAIRS), model.predict_proba(PAIRS))


def test_stacking_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="model.stacking.name"):
        build_classifier(_stance_config({"name": "source_stack.v1"}))
    with pytest.raises(ConfigError, match="dense_column"):
        build_classifier(_stance_config({"name": "source_stacking.v1", "params": {"dense_column": 3}}))
    path = tmp_path / "c.yaml"
    path.write_text("name: x\ntask: stance\ndata: {train: d.jsonl, target_field: claim}\n"
                    "features: [{name: pair_similarity.v1}]\n"
                    "model: {name: logistic_regression.v1, stacking: {name: source_stacking.v1}}\n")
    with pytest.raises(ConfigError, match="extra_train"):
        load_config(path)

