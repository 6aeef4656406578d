"""Labelling-function files: a YAML list of functions for a label set, read into function objects.

A file looks like this (``src/didgah/weak/resources/topic_lfs.yaml`` is the built-in ``topic_lfs.v1``)::

    labels: [security, refugees, reconstruction]
    lists:                        # named phrase lists; "@name" inside any list expands to one
      war: [جنگ, حمله نظامی, بمباران]
    functions:
      - name: security_lexicon
        type: lexicon              # lexicon | regex | python
        labels: [security]         # default: every label of the file
        vote: positive             # positive | negative
        lexicon: topics.v1/security   # add a category's terms and exclusions from a lexicon (built-in or file)
        phrases: {داعش: 2, تروریست: 2}   # or a list (weight 1 each)
        min_score: 2
        exclude: [جنگ اقتصادی]
        context: ["@war"]          # hits count only in sentences holding one of these
        window: 1                  # ... or next to one (0, the default: the same sentence)
        unless: [دفاع مقدس]        # ... and not in sentences holding one of these
      - {name: evacuated, type: regex, labels: [refugees], pattern: "تخلیه[^.]{0,60}(?:سیل|آتش)"}
      - {name: my_rule, type: python, labels: [security], function: "mypackage.rules:is_attack"}
"""

from __future__ import annotations

import importlib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from didgah.components import REGISTRIES, register_value
from didgah.errors import ConfigError, suggest
from didgah.text.phrases import read_lexicon
from didgah.weak.functions import VOTES, LabellingFunction, LexiconLF, PythonLF, RegexLF

register_value("function_set", "topic_lfs.v1", "topic_lfs.yaml")  # files in didgah/weak/resources
BUILTIN_SETS = REGISTRIES["function_set"]
_COMMON_KEYS = ("name", "type", "labels", "vote")
_KEYS = {
    "lexicon": ("phrases", "lexicon", "min_score", "exclude", "context", "window", "unless"),
    "regex": ("pattern", "min_count"),
    "python": ("function",),
}
_LIST_KEYS = ("exclude", "context", "unless")


def _read(source: str) -> tuple[dict[str, Any], str]:
    if source in BUILTIN_SETS:
        text = resources.files("didgah.weak").joinpath("resources", BUILTIN_SETS[source]).read_text("utf-8")
        where = source
    else:
        path = Path(source)
        if not path.is_file():
            raise ConfigError(f"functions: no file {source} and no built-in set of that name"
                              f"{suggest(path.name, BUILTIN_SETS)}; built-in: {', '.join(BUILTIN_SETS)}")
        text, where = path.read_text("utf-8"), str(path)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{where}:{at}: invalid YAML ({getattr(exc, 'problem', None) or exc.__class__.__name__})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("functions"), list) or not raw["functions"]:
        raise ConfigError(f"{where}: expected a mapping with a non-empty list 'functions' (and 'labels')")
    unknown = set(raw) - {"labels", "lists", "functions"}
    if unknown:
        raise ConfigError(f"{where}: unknown key {sorted(unknown)[0]!r}; allowed: labels, lists, functions")
    return raw, where


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ConfigError(f"{where}: expected a list of phrases")
    return [str(v) for v in value]


def _expand(items: list[str], lists: dict[str, list[str]], where: str) -> list[str]:
    out = []
    for item in items:
        if item.startswith("@"):
            if item[1:] not in lists:
                raise ConfigError(f"{where}: unknown list {item!r}{suggest(item[1:], lists)}; lists: {', '.join(lists) or 'none'}")
            out.extend(lists[item[1:]])
        else:
            out.append(item)
    return out


def _python_callable(spec: Any, where: str) -> Any:
    if not isinstance(spec, str) or ":" not in spec:
        raise ConfigError(f"{where}: expected 'module:function', got {spec!r}")
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ConfigError(f"{where}: cannot import {module_name!r} ({exc})") from None
    function = getattr(module, attr, None)
    if not callable(function):
        raise ConfigError(f"{where}: {module_name} has no function {attr!r}")
    return function


def _build(spec: Any, i: int, labels: list[str], lists: dict[str, list[str]], where: str,
           normalizer: str) -> LabellingFunction:
    at = f"{where}: functions[{i}]"
    if not isinstance(spec, dict):
        raise ConfigError(f"{at}: expected a mapping with name and type")
    name, kind = spec.get("name"), spec.get("type")
    if not isinstance(name, str) or not name:
        raise ConfigError(f"{at}.name: expected a name")
    at = f"{where}: function {name!r}"
    if kind not in _KEYS:
        raise ConfigError(f"{at}.type: {kind!r} is not one of {', '.join(_KEYS)}{suggest(kind, _KEYS)}")
    for key in spec:
        if key not in _COMMON_KEYS + _KEYS[kind]:
            allowed = _COMMON_KEYS + _KEYS[kind]
            raise ConfigError(f"{at}.{key}: unknown key for a {kind} function{suggest(key, allowed)}; "
                              f"allowed: {', '.join(allowed)}")
    own = _strings(spec.get("labels", labels), f"{at}.labels")
    for label in own:
        if label not in labels:
            raise ConfigError(f"{at}.labels: {label!r} is not one of the file's labels {labels}")
    vote = spec.get("vote", "positive")
    if vote not in VOTES:
        raise ConfigError(f"{at}.vote: {vote!r} is not one of positive, negative")
    if kind == "python":
        return PythonLF(name, _python_callable(spec.get("function"), f"{at}.function"), own)
    if kind == "regex":
        if not isinstance(spec.get("pattern"), str):
            raise ConfigError(f"{at}.pattern: expected a regular expression")
        min_count = spec.get("min_count", 1)
        if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
            raise ConfigError(f"{at}.min_count: expected a positive integer, got {min_count!r}")
        return RegexLF(name, own, spec["pattern"], VOTES[vote], min_count)
    phrases: dict[str, float] = {}
    extra_exclude: list[str] = []
    if "lexicon" in spec:
        source, _, category = str(spec["lexicon"]).rpartition("/")
        entries = read_lexicon(source or "topics.v1")
        if category not in entries:
            raise ConfigError(f"{at}.lexicon: no category {category!r} in {source}{suggest(category, entries)}")
        phrases.update({t: 1.0 for t in entries[category]["terms"]})
        extra_exclude = entries[category]["exclude"]
    given = spec.get("phrases", {})
    if isinstance(given, dict):
        for phrase, weight in given.items():
            if isinstance(weight, bool) or not isinstance(weight, (int, float)):
                raise ConfigError(f"{at}.phrases.{phrase}: expected a number (weight), got {weight!r}")
            phrases[str(phrase)] = float(weight)
    else:
        phrases.update({p: 1.0 for p in _expand(_strings(given, f"{at}.phrases"), lists, f"{at}.phrases")})
    if not phrases:
        raise ConfigError(f"{at}: a lexicon function needs phrases or lexicon")
    min_score = spec.get("min_score", 1)
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float)) or min_score <= 0:
        raise ConfigError(f"{at}.min_score: expected a positive number, got {min_score!r}")
    window = spec.get("window", 0)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise ConfigError(f"{at}.window: expected a non-negative integer (sentences), got {window!r}")
    lists_of = {key: _expand(_strings(spec.get(key, []), f"{at}.{key}"), lists, f"{at}.{key}") for key in _LIST_KEYS}
    return LexiconLF(name, own, phrases, VOTES[vote], min_score, exclude=lists_of["exclude"] + extra_exclude,
                     context=lists_of["context"], unless=lists_of["unless"], normalizer=normalizer,
                     window=window)


def load_functions(source: str, normalizer: str = "persian_normalizer.v1",
                   labels: list[str] | None = None) -> tuple[list[str], list[LabellingFunction]]:
    """Read a built-in set name (``topic_lfs.v1``) or a YAML file: its labels and its functions."""
    raw, where = _read(source)
    file_labels = raw.get("labels") if raw.get("labels") is not None else labels
    if not file_labels:
        raise ConfigError(f"{where}: labels: missing (the labels its functions vote on)")
    file_labels = _strings(file_labels, f"{where}: labels")
    lists_raw = raw.get("lists") or {}
    if not isinstance(lists_raw, dict):
        raise ConfigError(f"{where}: lists: expected a mapping name -> list of phrases")
    lists = {str(k): _strings(v, f"{where}: lists.{k}") for k, v in lists_raw.items()}
    functions = [_build(spec, i, file_labels, lists, where, normalizer) for i, spec in enumerate(raw["functions"])]
    names = [lf.name for lf in functions]
    duplicate = next((n for n in names if names.count(n) > 1), None)
    if duplicate:
        raise ConfigError(f"{where}: two functions are named {duplicate!r}")
    return file_labels, functions
