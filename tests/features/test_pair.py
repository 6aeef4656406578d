"""Pair features: similarity, stance cues and differences between a target and a text."""

from __future__ import annotations

import pytest

from didgah.errors import DataError
from didgah.features import PairDifference, PairSimilarity, StanceCues

PAIRS = [
    ("حمله به پایگاه نظامی", "پایگاه نظامی هدف حمله موشکی قرار گرفت. دو نفر زخمی شدند."),
    ("حمله به پایگاه نظامی", "سخنگوی ارتش خبر حمله به پایگاه را تکذیب کرد و آن را شایعه خواند."),
    ("حمله به پایگاه نظامی", "قیمت طلا در بازار تهران افزایش یافت."),
]


def test_pair_similarity_ranks_related_text_higher():
    X = PairSimilarity().fit(PAIRS).transform(PAIRS).toarray()
    assert X[0, 0] > X[2, 0] and X[0, 2] > X[2, 2]  # whole-text and best-sentence similarity
    assert X[0, 5] == pytest.approx(0.75) and X[2, 5] == 0.0  # share of target words (3 of 4) in the text


def test_stance_cues_find_refutation_in_best_sentence():
    f = StanceCues().fit(PAIRS)
    names = list(f.get_feature_names_out())
    X = f.transform(PAIRS).toarray()
    refute = names.index("best:refute:hits")
    assert X[1, refute] > 0 and X[0, refute] == 0


def test_pair_difference_names_contradictions():
    pairs = [("کاهش قیمت نفت", "افزایش قیمت نفت"), ("کاهش قیمت نفت", "افزایش قیمت نفت در بازار")]
    names = set(PairDifference(min_df=1).fit(pairs).get_feature_names_out())
    assert {"T:کاهش", "X:افزایش", "T:کاهش|X:افزایش"} <= names


def test_pair_features_need_pairs():
    with pytest.raises(DataError, match="target, text"):
        PairSimilarity().fit(["فقط متن"])
