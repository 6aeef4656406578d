"""Persian text: normalization steps, the versioned normalizer, tokenization."""

from didgah.text.normalization import (
    NORMALIZERS,
    PersianNormalizer,
    get_steps,
    normalize,
)
from didgah.text.tokenization import tokenize

__all__ = ["NORMALIZERS", "PersianNormalizer", "get_steps", "normalize", "tokenize"]
