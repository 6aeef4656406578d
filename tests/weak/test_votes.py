"""Vote matrices and labelling-function statistics."""

from __future__ import annotations

import numpy as np
import pytest

from didgah.weak import VoteMatrix, function_stats


def test_function_stats_on_a_hand_made_matrix():
    # 4 texts, 3 functions, 1 label. f0 votes +,+,-,abstain; f1 +,abstain,+,abstain; f2 abstain,-,abstain,abstain
    votes = np.array([[1, 1, -1], [1, -1, 0], [0, 1, -1], [-1, -1, -1]])[:, :, None]
    gold = np.array([[1], [0], [0], [1]])
    stats = {s["function"]: s for s in function_stats(VoteMatrix(votes, ["f0", "f1", "f2"], ["x"]), gold)}
    assert stats["f0"]["coverage"] == 0.75 and stats["f0"]["polarity"] == "negative+positive"
    assert stats["f0"]["overlap"] == 0.75  # texts 0, 1, 2 all have another vote
    assert stats["f0"]["conflicts"] == 0.5  # text 1 (f2 says -), text 2 (f1 says +)
    assert stats["f0"]["accuracy"] == pytest.approx(2 / 3)  # right on texts 0 and 2, wrong on 1
    assert stats["f1"]["coverage"] == 0.5 and stats["f1"]["conflicts"] == 0.25 and stats["f1"]["accuracy"] == 0.5
    assert stats["f2"]["coverage"] == 0.25 and stats["f2"]["overlap"] == 0.25 and stats["f2"]["accuracy"] == 1.0
    matrix = VoteMatrix(votes, ["f0", "f1", "f2"], ["x"])
    assert matrix.fired(1) == {"x": {"f0": 1, "f2": 0}} and matrix.fired(3) == {"x": {}}
