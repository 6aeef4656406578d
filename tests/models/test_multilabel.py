import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from didgah.models.multilabel import ThresholdedMultiLabel, best_threshold


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
    assert model.fit(X, y[:, None], tune_mask=np.ones(300, bool)).thresholds_[0] == everywhere
    masked = model.fit(X, y[:, None], tune_mask=mask).thresholds_[0]
    oof = cross_val_predict(LogisticRegression(max_iter=1000), X, y, method="predict_proba",
                            cv=StratifiedKFold(4, shuffle=True, random_state=5))[:, 1]
    assert masked == best_threshold(y[mask], oof[mask], 0.5)
    assert masked != everywhere
