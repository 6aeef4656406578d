"""Imported by the worker processes' fork server: loads the lexicon and tokenizer once, for every worker."""

from didgah.text.lexicon import get_lexicon
from didgah.text.tokenization import _word_tokenizer

get_lexicon()
_word_tokenizer()
