"""The two-stage stance model: related or not, then the stance."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from didgah.errors import ConfigError
from didgah.experiment.config import load_config
from didgah.models import TwoStageClassifier


def test_two_stage_probabilities():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = np.where(X[:, 0] < -0.3, 2, np.where(X[:, 1] > 0, 0, 1))
    clf = TwoStageClassifier(LogisticRegression(), unrelated_class=2).fit(X, y)
    P = clf.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert (clf.predict(X) == y).mean() > 0.8


def test_second_stage_can_take_its_own_parameters(tmp_path):
    from didgah.config_types import ExperimentConfig
    from didgah.registry import build_classifier

    config = {"name": "t", "task": "stance", "data": {"labels": ["agree", "disagree", "discuss", "unrelated"]},
              "features": [{"name": "pair_similarity.v1"}],
              "model": {"name": "logistic_regression.v1", "params": {"C": 2.0}, "two_stage": "unrelated",
                        "second_stage": {"params": {"C": 20.0}}}}
    two = build_classifier(ExperimentConfig.from_dict(config)).classifier
    assert two.estimator.C == 2.0 and two.second_estimator.C == 20.0
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = np.where(X[:, 0] < -0.3, 3, np.where(X[:, 1] > 0, 0, 1))
    two.fit(X, y)
    assert two.first_.C == 2.0 and two.second_.C == 20.0
    path = tmp_path / "c.yaml"
    path.write_text("name: x\ntask: stance\ndata: {train: d.jsonl, target_field: t}\n"
                    "features: [{name: pair_similarity.v1}]\n"
                    "model: {name: logistic_regression.v1, second_stage: {params: {C: 3}}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="model.second_stage: only with model.two_stage"):
        load_config(path)
    config["model"]["second_stage"] = {"params": {"Cc": 3}}
    with pytest.raises(ConfigError, match="model.second_stage.params.Cc"):
        build_classifier(ExperimentConfig.from_dict(config))
