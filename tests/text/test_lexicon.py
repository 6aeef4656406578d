"""News word counts behind the evidence-based repairs."""

from __future__ import annotations

from didgah.text.lexicon import get_lexicon
from didgah.text.normalization import ZWNJ

Z = ZWNJ


def test_news_counts_keep_joined_and_glued_forms_apart():
    corpus = get_lexicon().corpus
    assert corpus[f"تیم{Z}های"] > 10 * corpus.get("تیمهای", 0)
    assert corpus["بیشترین"] > 10 * corpus.get(f"بیش{Z}ترین", 0)


def test_next_word_counts_separate_plurals_from_forms_in_he_ay():
    from didgah.text.kind_model import next_word_odds

    next_words = get_lexicon().next_words
    total_he, total_plural = next_words[""]
    assert total_he > 1000 and total_plural > total_he
    assert next_words["که"][0] > 10 * next_words["که"][1]  # ویژه‌ای که: a phrase ends
    assert next_words["مختلف"][1] > 100 * next_words["مختلف"][0]  # روش‌های مختلف: an ezafe joins
    assert next_word_odds("که") > 20 and next_word_odds("مختلف") < 0.05
    assert next_word_odds("واژه‌ای‌که‌هرگزنیامده") == 1.0


def test_previous_word_counts_separate_plurals_from_forms_in_he_ay():
    from didgah.text.kind_model import previous_word_odds

    previous_words = get_lexicon().previous_words
    total_he, total_plural = previous_words[""]
    assert total_he > 1000 and total_plural > total_he
    assert previous_words["برخی"][1] > 100 * previous_words["برخی"][0]  # برخی کشورهای: a plural follows
    assert previous_words["همه"][1] > 20 * previous_words["همه"][0]
    assert previous_word_odds("برخی") < 0.05 and previous_word_odds("واژه‌ای‌که‌هرگزنیامده") == 1.0
