import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from didgah.models.multilabel import ThresholdedMultiLabel, best_threshold, prevalence_weights


def test_best_threshold_maximises_f1_with_margin():
    y = np.array([0, 0, 1, 1])
    assert best_threshold(y, np.array([0.1, 0.2, 0.7, 0.8])) == pytest.approx(0.45)
    assert best_threshold(y, np.array([0.1, 0.4, 0.35, 0.8])) == pytest.approx(0.225)
    assert best_threshold(np.array([0, 0]), np.array([0.3, 0.6]), default=0.5) == 0.5


def test_constant_labels_and_thresholds():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    Y = np.column_stack([(X[:, 0] > 0).astype(int), np.zeros(40, int), np.ones(40, int)])
    clf = ThresholdedMultiLabel(LogisticRegression(), threshold_cv=4).fit(X, Y)
    assert clf.estimators_[1] is None and clf.constant_[1] == 0 and clf.constant_[2] == 1
    P = clf.predict(X)
    assert P.shape == (40, 3) and P[:, 1].sum() == 0 and P[:, 2].sum() == 40
    assert (P[:, 0] == Y[:, 0]).mean() > 0.9
    assert 0 < clf.thresholds_[0] < 1


def test_untuned_thresholds_keep_default():
    X = np.array([[0.0], [1.0], [0.1], [0.9]] * 5)
    Y = np.array([[0], [1], [0], [1]] * 5)
    clf = ThresholdedMultiLabel(LogisticRegression(), tune_thresholds=False, default_threshold=0.4).fit(X, Y)
    assert clf.thresholds_.tolist() == [0.4]


def test_thresholds_can_be_chosen_on_the_main_rows_only():
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    X, y = make_classification(n_samples=300, n_features=30, n_informative=4, flip_y=0.2, random_state=3)
    mask = np.arange(300) < 120
    model = ThresholdedMultiLabel(LogisticRegression(max_iter=1000), threshold_cv=4, random_state=5)
    everywhere = model.fit(X, y[:, None]).thresholds_[0]
    assert model.fit(X, y[:, None], tune_on=np.ones(300, bool)).thresholds_[0] == everywhere
    masked = model.fit(X, y[:, None], tune_on=mask).thresholds_[0]
    oof = cross_val_predict(LogisticRegression(max_iter=1000), X, y, method="predict_proba",
                            cv=StratifiedKFold(4, shuffle=True, random_state=5))[:, 1]
    assert masked == best_threshold(y[mask], oof[mask], 0.5)
    assert masked != everywhere


def test_thresholds_for_a_rarer_label_where_the_model_is_used():
    rng = np.random.default_rng(0)
    y = np.r_[np.ones(100), np.zeros(100)].astype(int)  # a third to a half positive in training ...
    scores = np.clip(np.r_[rng.normal(0.7, 0.15, 100), rng.normal(0.35, 0.15, 100)], 0, 1)
    plain = best_threshold(y, scores)
    rare = best_threshold(y, scores, sample_weight=prevalence_weights(y, 0.05))  # ... 5% where it is used
    assert rare > plain + 0.1  # fewer false positives are worth more recall lost
    w = prevalence_weights(y, 0.05)
    assert (w * y).sum() / w.sum() == pytest.approx(0.05)


def _two_labels():
    """200 rows of 3 features and two labels, one noisy, one clean."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    return X, np.column_stack([(X[:, 0] + rng.normal(0, 1, 200) > 0), (X[:, 1] > 0)]).astype(int)


def test_prevalence_is_used_for_thresholds_and_checked():
    X, Y = _two_labels()
    plain = ThresholdedMultiLabel(LogisticRegression(), threshold_cv=3).fit(X, Y)
    rare = ThresholdedMultiLabel(LogisticRegression(), threshold_cv=3, prevalence=[0.05, None]).fit(X, Y)
    assert rare.thresholds_[0] > plain.thresholds_[0] and rare.thresholds_[1] == plain.thresholds_[1]
    with pytest.raises(ValueError, match="prevalence: expected 2 shares"):
        ThresholdedMultiLabel(LogisticRegression(), prevalence=[0.05]).fit(X, Y)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("prevalence", "{refuge: 0.05}", r"model\.thresholds\.prevalence\.refuge: not one of the labels security, refugees"),
    ("prevalence", "{refugees: 5}", r"model\.thresholds\.prevalence\.refugees: expected a share between 0 and 1"),
    ("fixed", "{refuge: 0.1}", r"model\.thresholds\.fixed\.refuge: not one of the labels security, refugees"),
    ("fixed", "{security: 0}", r"model\.thresholds\.fixed\.security: expected a threshold between 0 and 1"),
])
def test_bad_per_label_threshold_settings_in_a_config_are_one_line(tmp_path, key, value, message):
    from didgah.errors import ConfigError
    from didgah.experiment.config import load_config

    path = tmp_path / "c.yaml"
    path.write_text("name: t\ntask: multilabel\ndata: {train: x.jsonl, labels: [security, refugees]}\n"
                    "features: [{name: tfidf_words.v1}]\n"
                    f"model: {{name: logistic_regression.v1, thresholds: {{{key}: {value}}}}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert "\n" not in str(caught.value)


def test_fixed_thresholds_are_kept_and_the_others_tuned_or_default():
    X, Y = _two_labels()
    tuned = ThresholdedMultiLabel(LogisticRegression(), threshold_cv=3).fit(X, Y)
    fixed = ThresholdedMultiLabel(LogisticRegression(), threshold_cv=3, fixed_thresholds=[0.1, None]).fit(X, Y)
    assert fixed.thresholds_[0] == 0.1 and fixed.thresholds_[1] == tuned.thresholds_[1] != 0.5
    untuned = ThresholdedMultiLabel(LogisticRegression(), tune_thresholds=False, default_threshold=0.2,
                                    fixed_thresholds=[None, 0.7]).fit(X, Y)
    assert untuned.thresholds_.tolist() == [0.2, 0.7]
    assert (untuned.predict(X)[:, 1] == (untuned.predict_proba(X)[:, 1] >= 0.7)).all()
    with pytest.raises(ValueError, match="fixed_thresholds: expected 2 thresholds"):
        ThresholdedMultiLabel(LogisticRegression(), fixed_thresholds=[1.5, None]).fit(X, Y)
