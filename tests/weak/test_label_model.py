"""Label models: majority vote and learned function accuracies."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone

from didgah.errors import DidgahError
from didgah.weak import (
    ABSTAIN,
    NEGATIVE,
    POSITIVE,
    LearnedLabelModel,
    MajorityLabelModel,
)


def _synthetic(seed: int, accuracies, coverages, n=3000, prior=0.3):
    """Votes of independent functions with known accuracies; abstention independent of the label."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < prior
    votes = np.full((n, len(accuracies)), ABSTAIN)
    for j, (acc, cov) in enumerate(zip(accuracies, coverages)):
        voted = rng.random(n) < cov
        right = rng.random(n) < acc
        votes[voted, j] = np.where(right[voted], y[voted], ~y[voted])
    return votes[:, :, None], y


def test_learned_model_recovers_function_accuracies():
    accuracies = [0.95, 0.85, 0.75, 0.65]
    votes, _ = _synthetic(0, accuracies, [0.6, 0.5, 0.7, 0.8])
    model = LearnedLabelModel(abstain_weight=1.0).fit(votes)
    assert np.abs(model.accuracy_[0] - accuracies).max() < 0.06
    assert np.argsort(model.accuracy_[0]).tolist() == [3, 2, 1, 0]


def test_learned_model_beats_majority_when_weak_functions_outvote_a_good_one():
    votes, y = _synthetic(1, [0.97, 0.6, 0.6, 0.6, 0.6], [0.9, 0.9, 0.9, 0.9, 0.9])
    majority = MajorityLabelModel(abstain_proba=0.5).fit(votes).predict_proba(votes)[:, 0] > 0.5
    learned = LearnedLabelModel(abstain_weight=1.0).fit(votes).predict_proba(votes)[:, 0] >= 0.5
    assert (learned == y).mean() > (majority == y).mean() + 0.05
    assert (learned == y).mean() > 0.9


def test_label_models_are_deterministic_clonable_and_shaped():
    votes, _ = _synthetic(2, [0.9, 0.7], [0.5, 0.5], n=300)
    votes = np.concatenate([votes, votes[::-1]], axis=2)  # two labels
    a = LearnedLabelModel().fit(votes).predict_proba(votes)
    b = clone(LearnedLabelModel()).fit(votes).predict_proba(votes)
    assert a.shape == (300, 2) and np.array_equal(a, b) and ((a >= 0) & (a <= 1)).all()


def test_majority_without_votes_gives_abstain_proba_and_ties_half():
    votes = np.array([[1, 0], [-1, -1], [1, 1]])[:, :, None]
    assert MajorityLabelModel().fit(votes).predict_proba(votes)[:, 0].tolist() == [0.5, 0.0, 1.0]
    assert MajorityLabelModel(abstain_proba=0.2).fit(votes).predict_proba(votes)[1, 0] == pytest.approx(0.2)


def test_learned_model_gives_no_vote_texts_a_low_probability_for_a_rare_label():
    votes = np.full((500, 2), ABSTAIN)
    votes[:20, 0] = POSITIVE  # a rare label: 20 texts with a positive vote, a few confirmed by a second rule
    votes[:8, 1] = POSITIVE
    votes[480:, 1] = NEGATIVE
    proba = LearnedLabelModel().fit(votes[:, :, None]).predict_proba(votes[:, :, None])[:, 0]
    assert proba[:8].min() > 0.9 and proba[100:480].max() < 0.1
    assert proba[8:20].min() > proba[100]  # one positive vote is evidence


def test_learned_model_never_reads_a_negative_function_as_a_positive_one():
    votes = np.full((600, 3), ABSTAIN)
    votes[:40, 0] = POSITIVE   # a broad, noisy positive rule
    votes[:10, 1] = NEGATIVE   # a "no" rule that mostly fires where the broad rule also fires ...
    votes[590:, 1] = NEGATIVE  # ... and on a few texts alone
    votes[:6, 2] = POSITIVE    # a precise positive rule
    model = LearnedLabelModel().fit(votes[:, :, None])
    proba = model.predict_proba(votes[:, :, None])[:, 0]
    assert proba[590:].max() <= proba[100] + 1e-9  # the "no" rule alone never makes a text more likely positive
    assert model.accuracy_[0, 1] >= 0.5


def test_label_model_rejects_bad_votes():
    with pytest.raises(DidgahError, match="values must be"):
        MajorityLabelModel().fit(np.array([[2, 1]]))
    with pytest.raises(DidgahError, match="abstain_weight"):
        LearnedLabelModel(abstain_weight=3).fit(np.array([[1, 0]]))
