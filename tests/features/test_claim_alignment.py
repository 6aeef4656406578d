"""Claim alignment: verb polarity and negated or reversed claims."""

from __future__ import annotations

import pytest

from didgah.features import ClaimAlignment
from didgah.features.claim_alignment import verb_polarity


def test_verb_polarity_reads_the_negation_prefix_not_words_that_start_with_it():
    assert verb_polarity("ندارد") == ("دار", True) and verb_polarity("دارد") == ("دار", False)
    assert verb_polarity("نمی‌شود") == ("شو", True) and verb_polarity("نیافته") == ("یافت", True)
    assert verb_polarity("نشست") == ("نشست", False)  # a past stem itself, not «شست» negated
    assert verb_polarity("نظر") is None and verb_polarity("نفت") is None


def test_claim_alignment_sees_a_negated_or_reversed_claim():
    article = "وزیر گفت دولت برای این طرح بودجه دارد. قیمت نفت در ماه گذشته افزایش یافت."
    pairs = [("وزیر گفت دولت برای این طرح بودجه دارد", article),
             ("وزیر گفت دولت برای این طرح هیچ بودجه‌ای ندارد", article),
             ("قیمت نفت در ماه گذشته کاهش یافت", article),
             ("تیم ملی فوتبال در جام جهانی برنده شد", article)]
    f = ClaimAlignment(top_k=1).fit(pairs)
    names = list(f.get_feature_names_out())
    X = f.transform(pairs).toarray()
    assert X.shape == (4, len(names))
    col = {n: X[:, names.index(n)] for n in names}
    assert col["sentence_polarity_flips"].tolist()[:2] == [0, 1] and col["sentence_polarity_same"][0] >= 1
    assert col["negated_only_in_target"].tolist()[:2] == [0, 1] and col["target_absolutes_missing"][1] == 1
    assert col["opposite_words_sentences"].tolist()[:3] == [0, 0, 1]
    assert col["idf_coverage_text"][0] == pytest.approx(1.0) and col["idf_coverage_text"][3] < 0.3
