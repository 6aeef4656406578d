"""Weak-labelling configs (``didgah weak-label CONFIG``): validated like experiment configs.

Paths are resolved against the config file's folder; ``--set key=value`` overrides work as for ``run``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import didgah.weak.label_model  # noqa: F401  (registers the label models)
from didgah.components import REGISTRIES
from didgah.config_files import Section, read_yaml_config, resolve_source, setting, validate
from didgah.data import EMPTY_POLICIES
from didgah.errors import ConfigError
from didgah.text.normalization import NORMALIZERS
from didgah.weak.sets import BUILTIN_SETS

GOLD_KEYS = ("path", "name", "text_field", "id_field", "label_field")

WEAK_SCHEMA = Section(
    {
        "name": setting(str),
        "description": setting(str, ""),
        "input": Section(
            {
                "path": setting(str),
                "split": setting((str, type(None)), None),
                "text_fields": setting(list, ["text"], item=str),
                "id_field": setting(str, "id"),
                "deduplicate": setting(bool, False),
                "max_chars": setting((int, type(None)), None),
                "empty_text": setting(str, "error", EMPTY_POLICIES),
            },
            required=True,
        ),
        "functions": setting(list, item=str),
        "labels": setting((list, type(None)), None, item=str),
        "normalizer": setting(str, "persian_normalizer.v1", tuple(NORMALIZERS)),
        "label_model": Section({"name": setting(str, "learned.v1", tuple(REGISTRIES["label_model"])), "params": setting(dict, {})}),
        "threshold": setting((float, int, dict), 0.5),
        "gold": setting(list, [], item=dict),
        "output": setting((str, type(None)), None),
    },
    required=True,
)


def _resolve_gold(i: int, spec: dict[str, Any], base: Path) -> dict[str, Any]:
    where = f"gold[{i}]"
    for key in spec:
        if key not in GOLD_KEYS:
            raise ConfigError(f"{where}.{key}: unknown key; allowed: {', '.join(GOLD_KEYS)}")
    if not isinstance(spec.get("path"), str):
        raise ConfigError(f"{where}.path: expected a file path")
    path = resolve_source(spec["path"], base)
    out = {"path": path, "name": str(spec.get("name", Path(str(path)).stem)), "text_field": spec.get("text_field", "text"),
           "id_field": spec.get("id_field", "id"), "label_field": spec.get("label_field", "labels")}
    for key in ("text_field", "id_field", "label_field", "name"):
        if not isinstance(out[key], str):
            raise ConfigError(f"{where}.{key}: expected a string, got {out[key]!r}")
    return out


def resolve_weak_config(raw: dict[str, Any], base: Path) -> dict[str, Any]:
    """Validate a weak-labelling config dictionary and resolve its paths against ``base``."""
    config = validate(raw, WEAK_SCHEMA, "")
    config["input"]["path"] = resolve_source(config["input"]["path"], base)
    if config["input"]["max_chars"] is not None and config["input"]["max_chars"] < 1:
        raise ConfigError(f"input.max_chars: expected a positive number of characters, got {config['input']['max_chars']}")
    if not config["functions"]:
        raise ConfigError("functions: name at least one labelling-function set (e.g. topic_lfs.v1) or file")
    config["functions"] = [f if f in BUILTIN_SETS else str((base / Path(f).expanduser()).resolve())
                           for f in config["functions"]]
    threshold = config["threshold"]
    values = threshold.values() if isinstance(threshold, dict) else [threshold]
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            raise ConfigError(f"threshold: expected a number between 0 and 1 (or label -> number), got {value!r}")
    config["gold"] = [_resolve_gold(i, spec, base) for i, spec in enumerate(config["gold"])]
    if config["output"] is not None:
        config["output"] = str((base / Path(config["output"]).expanduser()).resolve())
    return config


def load_weak_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Read, override, validate and resolve a weak-labelling config file."""
    return read_yaml_config(path, overrides, resolve_weak_config)
