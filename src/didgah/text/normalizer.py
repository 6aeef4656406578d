"""The normalizer as a scikit-learn transformer: a named normalizer version with its options, applied
to batches of texts (in worker processes and through the disk cache, :mod:`didgah.text.batch`)."""

from __future__ import annotations

from collections.abc import Sequence

from didgah.base import StringTransformer
from didgah.data import MAX_CHARS, bound_length
from didgah.text.batch import normalize_many
from didgah.text.normalization import DEFAULT_VERSION, get_steps


class PersianNormalizer(StringTransformer):
    """scikit-learn transformer: a list of raw texts in, a list of normalized texts out.

    Parameters
    ----------
    version : str, default="persian_normalizer.v2"
        The named normalizer (its steps are fixed for a version; models keep the one they were trained with).
    digits : {"persian", "latin", "keep"}, default="persian"
    boilerplate : bool, default=True
        Remove news-aggregator boilerplate lines.
    glued_words : bool, default=True
        Split glued words where the split is unambiguous.
    hamza : {"keep", "fold"} or None, default=None
        Keep alef with hamza (تأمین) or write it as ا (تامین); ``None``: the version's choice (v1 folds,
        v2 keeps).
    n_jobs : int or None, default=1
        Worker processes for large batches of texts (``-1``: every core); the output is the same.
    cache : bool, default=True
        Keep normalized texts in the on-disk cache (:mod:`didgah.text.cache`) and read them back.
    cache_dir : str or None, default=None
        The on-disk cache's folder (``None``: ``$DIDGAH_CACHE_DIR`` or the user cache folder).
    max_chars : int or None, default=100000
        Longer texts are cut to this many characters (``None``: no limit), so memory stays bounded.
    long_text : {"truncate", "error"}, default="truncate"
        Cut a longer text with a warning, or refuse it.

    Example
    -------
    >>> PersianNormalizer().fit_transform(["كتاب ها"])
    ['کتاب\u200cها']
    """

    def __init__(
        self,
        version: str = DEFAULT_VERSION,
        digits: str = "persian",
        boilerplate: bool = True,
        glued_words: bool = True,
        hamza: str | None = None,
        n_jobs: int | None = 1,
        cache: bool = True,
        cache_dir: str | None = None,
        max_chars: int | None = MAX_CHARS,
        long_text: str = "truncate",
    ) -> None:
        self.version = version
        self.digits = digits
        self.boilerplate = boilerplate
        self.glued_words = glued_words
        self.hamza = hamza
        self.n_jobs = n_jobs
        self.cache = cache
        self.cache_dir = cache_dir
        self.max_chars = max_chars
        self.long_text = long_text

    def fit(self, X: Sequence[str], y: object = None) -> PersianNormalizer:
        get_steps(self.version, self.digits, self.boilerplate, self.glued_words, self.hamza)
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence[str]) -> list:
        """Normalized texts; for (target, text) pairs, pairs with both parts normalized."""
        strings = [part for item in X for part in ((item,) if isinstance(item, str) else item)]
        strings = bound_length(strings, self.max_chars, self.long_text)
        normalized = iter(normalize_many(
            strings, self.version, digits=self.digits, boilerplate=self.boilerplate, glued_words=self.glued_words,
            hamza=self.hamza, n_jobs=self.n_jobs, cache=self.cache, cache_dir=self.cache_dir,
        ))
        return [next(normalized) if isinstance(item, str) else tuple(next(normalized) for _ in item) for item in X]


    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags
