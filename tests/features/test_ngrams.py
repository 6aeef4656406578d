"""The numpy n-gram counter gives scikit-learn's n-grams and counts, and TF-IDF tables use it."""

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from didgah.errors import DataError
from didgah.features import ngrams
from didgah.features.tfidf import TfidfTable
from didgah.text.normalization import normalize
from didgah.text.tokenization import PersianAnalyzer


def _random_texts(seed: int, n: int = 250) -> list[str]:
    rng = random.Random(seed)
    alphabet = list("ابپتجحدرزسشعفقکگلمنوهیءآةۀ") + list("AbCdÉİ19۱۲") + [" ", "  ", "\u200c", "\n", "\t", ".", "،"]
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50))) for _ in range(n)] + ["", "   ", "a"]


def _same_as_sklearn(texts, analyzer, ngram_range=(1, 1), min_df=1, max_df=1.0):
    vectorizer = CountVectorizer(analyzer=analyzer, ngram_range=ngram_range, min_df=min_df, max_df=max_df)
    expected = vectorizer.fit_transform(texts)
    terms, df = ngrams.fit_vocabulary(texts, analyzer, ngram_range, min_df=min_df, max_df=max_df)
    assert terms == vectorizer.get_feature_names_out().tolist()
    columns = [vectorizer.vocabulary_[t] for t in terms]
    np.testing.assert_array_equal(df, (expected[:, columns] > 0).sum(axis=0).A1)
    index = ngrams.VocabularyIndex.build(terms, analyzer, ngram_range)
    assert index is not None
    counts = index.transform(texts)
    assert counts.shape == (len(texts), len(terms))
    assert abs(expected[:, columns] - counts).sum() == 0


@pytest.mark.parametrize("ngram_range", [(1, 1), (2, 5), (3, 3), (1, 4), (3, 6)])
@pytest.mark.parametrize("min_df", [1, 2, 0.02])
def test_characters_match_sklearn_char_wb(ngram_range, min_df):
    _same_as_sklearn(_random_texts(len(ngram_range) + ngram_range[1]), "char_wb", ngram_range, min_df)


def test_characters_match_sklearn_on_news(sample_rows):
    texts = [normalize(r["text"]) for r in sample_rows[:150]]
    _same_as_sklearn(texts, "char_wb", (2, 5), min_df=2, max_df=0.9)


@pytest.mark.parametrize("analyzer", [PersianAnalyzer(ngram_range=(1, 2)), PersianAnalyzer(ngram_range=(1, 3)),
                                      PersianAnalyzer(remove_stopwords=True), PersianAnalyzer(ngram_range=(2, 2))])
def test_words_match_sklearn_with_the_persian_analyzer(sample_rows, analyzer):
    texts = [normalize(r["text"]) for r in sample_rows[:150]] + [""]
    _same_as_sklearn(texts, analyzer, min_df=2, max_df=0.9)


def test_max_features_keeps_the_most_frequent(sample_rows):
    texts = [normalize(r["text"]) for r in sample_rows[:100]]
    everything, _ = ngrams.fit_vocabulary(texts, "char_wb", (2, 4))
    kept, _ = ngrams.fit_vocabulary(texts, "char_wb", (2, 4), max_features=500)
    assert len(kept) == 500 and kept == sorted(kept) and set(kept) <= set(everything)
    totals = ngrams.VocabularyIndex.build(everything, "char_wb", (2, 4)).transform(texts).sum(axis=0).A1
    total = dict(zip(everything, totals))
    assert min(total[t] for t in kept) >= max(total[t] for t in set(everything) - set(kept))


def test_unseen_characters_and_tokens_count_nothing():
    index = ngrams.VocabularyIndex.build(["حمله", "حمله هوایی"], PersianAnalyzer(ngram_range=(1, 2)))
    counts = index.transform(["حمله هوایی و حمله زمینی", "xyz", ""]).toarray()
    assert counts.tolist() == [[2, 1], [0, 0], [0, 0]]
    chars = ngrams.VocabularyIndex.build([" حم", "مله"], "char_wb", (3, 3))
    assert chars.transform(["حمله", "😀حمله", "ABC"]).toarray().tolist() == [[1, 1], [0, 1], [0, 0]]


def test_unsupported_settings_are_declined():
    assert not ngrams.supported("char_wb", (4, 6))  # scikit-learn emits short words whole
    assert not ngrams.supported("char", (2, 5))
    assert ngrams.VocabularyIndex.build(["a  b"], PersianAnalyzer(ngram_range=(1, 2))) is None  # empty token
    with pytest.raises(ValueError):
        ngrams.fit_vocabulary(["متن"], "char_wb", (4, 6))


def test_nothing_to_count_is_a_data_error():
    with pytest.raises(DataError, match="no TF-IDF terms left in 2 training texts"):
        ngrams.fit_vocabulary(["", "   "], "char_wb", (2, 5))
    with pytest.raises(DataError, match="min_df=5"):
        ngrams.fit_vocabulary(["یک متن", "متن دیگر"], PersianAnalyzer(), min_df=5)


@pytest.mark.parametrize("analyzer,ngram_range", [("char_wb", (2, 5)), (PersianAnalyzer(ngram_range=(1, 2)), (1, 1)),
                                                  (PersianAnalyzer(stem=True), (1, 1))])
def test_tfidf_table_matches_the_sklearn_path(sample_rows, monkeypatch, analyzer, ngram_range):
    texts = [normalize(r["text"]) for r in sample_rows[:80]]
    fast = TfidfTable(analyzer, ngram_range, min_df=2, max_df=0.9)
    X_fast = fast.fit_transform(texts)
    monkeypatch.setattr(ngrams, "supported", lambda *args: False)
    slow = TfidfTable(analyzer, ngram_range, min_df=2, max_df=0.9)
    X_slow = slow.fit_transform(texts)
    assert fast.terms_.tolist() == slow.terms_.tolist()
    np.testing.assert_allclose(fast.idf_, slow.idf_, rtol=1e-6)
    np.testing.assert_allclose(X_fast.toarray(), X_slow.toarray(), rtol=1e-5, atol=1e-7)
    monkeypatch.undo()
    np.testing.assert_allclose(fast.transform(texts[:5]).toarray(), X_fast[:5].toarray(), rtol=1e-6)
