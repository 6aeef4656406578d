"""Labelling-function sets: the built-in topic set and function files."""

from __future__ import annotations

import pytest

from didgah.errors import ConfigError
from didgah.weak import NEGATIVE, POSITIVE, apply_functions, load_functions


def test_builtin_topic_set_loads_and_covers_every_label():
    labels, functions = load_functions("topic_lfs.v1")
    assert labels == ["security", "refugees", "reconstruction"]
    for label in labels:
        assert any(label in lf.labels and lf.vote == POSITIVE for lf in functions)
        assert any(label in lf.labels and lf.vote == NEGATIVE for lf in functions)


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("حمله تروریستی داعش به یک مسجد در کابل ده‌ها کشته بر جا گذاشت.", "security", True),
        ("مذاکرات وین درباره برجام و لغو تحریم‌ها و غنی‌سازی ادامه دارد؛ برجام باید احیا شود.", "security", False),
        ("هزاران نفر از ساکنان به دلیل آتش‌سوزی جنگل‌ها خانه‌های خود را ترک کردند و تخلیه شدند.", "refugees", True),
        ("بازسازی مناطق زلزله‌زده و خانه‌های تخریب شده در زلزله آغاز شد.", "reconstruction", True),
        ("بازسازی روابط دو کشور در دستور کار است.", "reconstruction", False),
    ],
)
def test_builtin_set_follows_the_guideline_examples(text, label, expected):
    labels, functions = load_functions("topic_lfs.v1")
    votes = apply_functions(functions, [text], labels).votes[0, :, labels.index(label)]
    assert (POSITIVE in votes) == expected



def test_function_file_with_lists_and_python_function(tmp_path, write_lf_file):
    source = write_lf_file("""
        labels: [a]
        lists: {war: [جنگ, نبرد]}
        functions:
          - {name: war, type: lexicon, phrases: ["@war"]}
          - {name: py, type: python, function: "tests_weak_helpers:always_negative"}
    """)
    (tmp_path / "tests_weak_helpers.py").write_text("def always_negative(text):\n    return {'a': 0}\n")
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        labels, functions = load_functions(source)
    finally:
        sys.path.remove(str(tmp_path))
    assert labels == ["a"] and [lf.name for lf in functions] == ["war", "py"]
    assert functions[0]("نبرد سخت") == {"a": POSITIVE} and functions[1]("x") == {"a": NEGATIVE}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("labels: [a]\nfunctions:\n  - {name: x, type: lexcon, phrases: [b]}", r"function 'x'\.type: 'lexcon'.*did you mean 'lexicon'"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: regex, pattern: b, phrase: c}", r"function 'x'\.phrase: unknown key"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: lexicon, labels: [z], phrases: [b]}", r"function 'x'\.labels: 'z'"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: lexicon, phrases: ['@nope']}", r"unknown list '@nope'"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: python, function: nomodule_zz:f}", r"cannot import 'nomodule_zz'"),
        ("labels: [a]\nfunctions: []", r"non-empty list 'functions'"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: lexicon, phrases: [b], context: [c], window: two}", r"function 'x'\.window"),
    ],
)
def test_bad_function_files_name_the_file_and_function(write_lf_file, body, message):
    source = write_lf_file(body)
    with pytest.raises(ConfigError, match=message) as info:
        load_functions(source)
    assert str(info.value).startswith(source) and "\n" not in str(info.value)
