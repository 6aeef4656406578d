"""News word counts behind the evidence-based repairs."""

from __future__ import annotations

from didgah.text.lexicon import get_lexicon
from didgah.text.normalization import ZWNJ

Z = ZWNJ


def test_news_counts_keep_joined_and_glued_forms_apart():
    corpus = get_lexicon().corpus
    assert corpus[f"تیم{Z}های"] > 10 * corpus.get("تیمهای", 0)
    assert corpus["بیشترین"] > 10 * corpus.get(f"بیش{Z}ترین", 0)
