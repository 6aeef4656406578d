"""The names configs use for components, declared where each component is defined.

A component registers itself with a decorator, under a kind and a versioned name::

    @register("feature", "tfidf_words.v1")
    class WordTfidf(StringTransformer): ...

A name never changes meaning: a component that behaves differently gets a new version
(``persian_normalizer.v2``), so old configs and models keep meaning what they meant. Names are read
through :mod:`didgah.registry`, which imports every component package first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

KINDS = ("normalizer", "feature", "model", "stacking", "label_model", "lexicon", "function_set")
# Properties the experiment code asks of a component: "streaming" (learns nothing from data, so
# out-of-core training can use it), "pair" (reads (target, text) pairs).
TAGS = ("streaming", "pair")
_VERSIONED = re.compile(r"^[a-z][a-z0-9_]*\.v[0-9]+$")

REGISTRIES: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
TAGGED: dict[str, set[str]] = {tag: set() for tag in TAGS}

T = TypeVar("T")


def register(kind: str, name: str, *, tags: tuple[str, ...] = ()) -> Callable[[T], T]:
    """Register the decorated class or factory as ``name`` of ``kind`` (``name`` ends in ``.vN``)."""
    if kind not in REGISTRIES:
        raise ValueError(f"unknown component kind {kind!r}; known: {', '.join(KINDS)}")
    if not _VERSIONED.match(name):
        raise ValueError(f"component name {name!r} has no version (e.g. {name}.v1)")
    unknown = set(tags) - set(TAGS)
    if unknown:
        raise ValueError(f"unknown tag(s) {sorted(unknown)}; known: {', '.join(TAGS)}")

    def decorate(obj: T) -> T:
        if name in REGISTRIES[kind] and REGISTRIES[kind][name] is not obj:
            raise ValueError(f"{kind} {name!r} is registered twice")
        REGISTRIES[kind][name] = obj
        for tag in tags:
            TAGGED[tag].add(name)
        return obj

    return decorate


def register_value(kind: str, name: str, value: Any) -> None:
    """Register a resource that is not a class or factory (a lexicon file, a labelling-function set)."""
    register(kind, name)(value)
