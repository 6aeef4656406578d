"""Feature extractors: scikit-learn transformers from normalized Persian text (or text pairs) to numbers."""

from didgah.features.claim_alignment import ClaimAlignment
from didgah.features.embeddings import SentenceEmbeddings
from didgah.features.hashing import CharHashing, WordHashing
from didgah.features.lexicon import LexiconCounts
from didgah.features.pair import MatchedSentencesTfidf, PairDifference, PairSimilarity, StanceCues
from didgah.features.pair_embeddings import PairEmbeddings
from didgah.features.sentences import PooledSentenceEmbeddings, SentenceScores
from didgah.features.tfidf import CharTfidf, WordTfidf
from didgah.features.weak_votes import WeakVotes

__all__ = ["CharHashing", "ClaimAlignment", "CharTfidf", "LexiconCounts", "MatchedSentencesTfidf", "PairDifference", "PairEmbeddings",
           "PairSimilarity",
           "PooledSentenceEmbeddings", "SentenceEmbeddings", "SentenceScores", "StanceCues", "WeakVotes", "WordHashing", "WordTfidf"]
