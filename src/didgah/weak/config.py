"""Weak-labelling configs (``didgah weak-label CONFIG``): validated like experiment configs.

``WeakConfig`` and its sections declare every key's type and default once (see ``didgah.config_files``).
Paths are resolved against the config file's folder; ``--set key=value`` overrides work as for ``run``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import didgah.weak.label_model  # noqa: F401  (registers the label models)
from didgah.components import REGISTRIES
from didgah.config_files import (
    ConfigSection,
    build,
    default_of,
    read_yaml_config,
    resolve_source,
    section_keys,
    setting,
    subsection,
    validate,
)
from didgah.data import EMPTY_POLICIES
from didgah.errors import ConfigError
from didgah.text.normalization import NORMALIZERS
from didgah.weak.sets import BUILTIN_SETS


@dataclass(kw_only=True)
class WeakInput(ConfigSection):
    """The unlabelled corpus the functions label."""

    path: str = setting()
    split: str | None = setting(None)
    text_fields: list[str] = setting(["text"])
    id_field: str = setting("id")
    deduplicate: bool = setting(False)
    max_chars: int | None = setting(None)
    empty_text: str = setting("error", choices=EMPTY_POLICIES)


@dataclass(kw_only=True)
class LabelModelSpec(ConfigSection):
    name: str = setting("learned.v1", choices=tuple(REGISTRIES["label_model"]))
    params: dict[str, Any] = setting({})


@dataclass(kw_only=True)
class GoldSource(ConfigSection):
    """A hand-labelled file scored on the ids it shares with the input (``name``: the file's stem when left out)."""

    path: str = setting()
    name: str = setting()
    text_field: str = setting("text")
    id_field: str = setting("id")
    label_field: str = setting("labels")


GOLD_KEYS = tuple(key.name for key in section_keys(GoldSource))


@dataclass(kw_only=True)
class WeakConfig(ConfigSection):
    """A weak-labelling config, resolved: every key present, every path absolute."""

    name: str = setting()
    description: str = setting("")
    input: WeakInput = setting()
    functions: list[str] = setting()
    labels: list[str] | None = setting(None)
    normalizer: str = setting("persian_normalizer.v1", choices=tuple(NORMALIZERS))
    label_model: LabelModelSpec = subsection(LabelModelSpec)
    threshold: float | dict[str, float] = setting(0.5)
    gold: list[GoldSource] = setting([])
    output: str | None = setting(None)
    config_file: str | None = setting(None, saved=True)  # the file it was read from (not a key of the file)


def _resolve_gold(i: int, spec: dict[str, Any], base: Path) -> dict[str, Any]:
    where = f"gold[{i}]"
    for key in spec:
        if key not in GOLD_KEYS:
            raise ConfigError(f"{where}.{key}: unknown key; allowed: {', '.join(GOLD_KEYS)}")
    if not isinstance(spec.get("path"), str):
        raise ConfigError(f"{where}.path: expected a file path")
    path = resolve_source(spec["path"], base)
    out = {"path": path, "name": str(spec.get("name", Path(str(path)).stem)),
           **{key: spec.get(key, default_of(GoldSource, key)) for key in ("text_field", "id_field", "label_field")}}
    for key in ("text_field", "id_field", "label_field", "name"):
        if not isinstance(out[key], str):
            raise ConfigError(f"{where}.{key}: expected a string, got {out[key]!r}")
    return out


def resolve_weak_config(raw: dict[str, Any], base: Path) -> WeakConfig:
    """Validate a weak-labelling config dictionary and resolve its paths against ``base``."""
    config = validate(raw, WeakConfig, "")
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
    return build(WeakConfig, config)


def load_weak_config(path: str | Path, overrides: list[str] | None = None) -> WeakConfig:
    """Read, override, validate and resolve a weak-labelling config file."""
    return read_yaml_config(path, overrides, resolve_weak_config)
