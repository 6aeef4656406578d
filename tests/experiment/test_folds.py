"""Fold and holdout splits: stratified, grouped, seeded."""

import numpy as np

from didgah.experiment.folds import holdout, kfold
from didgah.metrics import indicator


def test_multilabel_kfold_stratifies_and_covers():
    labels = [["a"], ["b"], ["a", "b"], []] * 10
    seen = []
    for _train, test in kfold(labels, ["a", "b"], 5, 0, True):
        Y = indicator([labels[i] for i in test], ["a", "b"])
        assert Y[:, 0].sum() == 4 and Y[:, 1].sum() == 4
        seen.extend(test)
    assert sorted(seen) == list(range(40))


def test_grouped_splits_keep_groups_apart():
    labels = ["x", "y"] * 20
    groups = [str(i // 4) for i in range(40)]
    for train, test in kfold(labels, ["x", "y"], 5, 1, False, groups):
        assert not {groups[i] for i in train} & {groups[i] for i in test}
    train, test = holdout(labels, ["x", "y"], 0.25, 0, False, groups)
    assert not {groups[i] for i in train} & {groups[i] for i in test}


def test_holdout_is_seeded():
    labels = [["a"], ["b"], []] * 20
    a = holdout(labels, ["a", "b"], 0.2, 3, True)
    b = holdout(labels, ["a", "b"], 0.2, 3, True)
    np.testing.assert_array_equal(a[1], b[1])
    assert len(a[1]) == 12
