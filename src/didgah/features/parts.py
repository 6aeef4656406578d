"""Inputs of stance models are (target, text) pairs; text features choose which part they read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from didgah.errors import ConfigError

PARTS = ("text", "target", "both")


def select(X: Sequence[Any], part: str = "text") -> list[str]:
    """The strings a text feature reads: plain texts as they are; of (target, text) pairs the chosen part.

    >>> select([("ادعا", "متن خبر")], "target"), select([("ادعا", "متن خبر")], "both")
    (['ادعا'], ['ادعا\\nمتن خبر'])
    """
    if part not in PARTS:
        raise ConfigError(f"part: {part!r} is not one of {', '.join(PARTS)}")
    out = []
    for item in X:
        if isinstance(item, str):
            out.append(item)
        elif part == "text":
            out.append(item[1])
        elif part == "target":
            out.append(item[0])
        else:
            out.append(f"{item[0]}\n{item[1]}")
    return out
