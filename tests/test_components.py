"""Component names: declared where each component is defined, every one versioned, never twice."""

from __future__ import annotations

import re

import pytest

from didgah.components import KINDS, register
from didgah.registry import REGISTRIES


def test_every_kind_has_components_and_every_name_is_versioned():
    for kind in KINDS:
        assert REGISTRIES[kind], f"no {kind} registered"
        for name in REGISTRIES[kind]:
            assert re.fullmatch(r"[a-z][a-z0-9_]*\.v[0-9]+", name), (kind, name)


def test_a_name_without_version_or_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="has no version"):
        register("feature", "tfidf_words")
    with pytest.raises(ValueError, match="unknown component kind"):
        register("widget", "x.v1")


def test_a_name_cannot_be_taken_twice():
    with pytest.raises(ValueError, match="registered twice"):
        register("feature", "tfidf_words.v1")(type("Other", (), {}))


def test_the_decorator_records_where_a_component_is_declared():
    from didgah.features.tfidf import WordTfidf
    from didgah.weak.label_model import LearnedLabelModel

    assert REGISTRIES["feature"]["tfidf_words.v1"] is WordTfidf
    assert REGISTRIES["label_model"]["learned.v1"] is LearnedLabelModel
    assert REGISTRIES["lexicon"]["topics.v1"] == "topic_lexicon.yaml"
