"""Feature extractors: scikit-learn transformers from normalized Persian text to numbers."""

from didgah.features.lexicon import LexiconCounts
from didgah.features.tfidf import CharTfidf, WordTfidf

__all__ = ["CharTfidf", "LexiconCounts", "WordTfidf"]
