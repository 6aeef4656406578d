"""One error family for everything a user can get wrong: the CLI prints the message and exits 2."""

from __future__ import annotations

import difflib
from typing import Any


class DidgahError(Exception):
    """A problem with the user's input (config, data, model file), stated in one line.

    The message names the file, row or key at fault, so the CLI can print it as it is.
    """


class ConfigError(DidgahError):
    """An experiment config that is malformed, or names an unknown component or key."""


class DataError(DidgahError):
    """A corpus that is missing, unreadable, or does not match its declared schema."""


class ModelFileError(DidgahError):
    """A model file that is missing, corrupt, not skops, or asks for untrusted types."""


class DidgahWarning(UserWarning):
    """Something the user should know that does not stop the work (a text cut, a cache not usable).

    The CLI prints it as one line ``didgah: warning: ...``."""


def suggest(word: str, choices: Any) -> str:
    """A ' (did you mean X?)' hint, or ''."""
    names = [str(c) for c in choices]
    same_but_case = [c for c in names if c.lower() == str(word).lower()]
    close = same_but_case or difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
