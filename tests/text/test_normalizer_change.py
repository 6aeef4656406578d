"""benchmarks/normalizer_change.py: the words a change of the normalizer changes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "normalizer_change", Path(__file__).resolve().parents[2] / "benchmarks" / "normalizer_change.py")
assert _SPEC and _SPEC.loader
normalizer_change = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(normalizer_change)

Z = "\u200c"


def test_each_run_of_changed_words_is_listed_with_its_context():
    before = ["یک دو سه چهار پنج", "بدون تغییر", "تیمهای ملی و سالهای دور"]
    after = ["یک دو سه‌گانه چهار پنج", "بدون تغییر", f"تیم{Z}های ملی و سال{Z}های دور"]
    assert normalizer_change.word_changes(before, after) == [
        ("یک دو سه چهار پنج", "سه‌گانه"), ("تیمهای ملی و", f"تیم{Z}های"), ("ملی و سالهای دور", f"سال{Z}های")]


def test_outputs_of_different_lengths_are_an_error():
    with pytest.raises(ValueError):
        normalizer_change.word_changes(["یک"], [])


def test_texts_are_read_from_every_text_field(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text('{"id": 1, "title": "سر", "text": "متن"}\n\n{"claim": "ادعا", "labels": ["x"]}\n', encoding="utf-8")
    assert normalizer_change.texts([path]) == ["متن", "سر", "ادعا"]
