"""Config files: a typed schema of sections and keys, YAML reading with ``--set`` overrides, paths.

Experiment configs and weak-labelling configs are both read here: every key is checked against its
schema (type, allowed values, "did you mean" for unknown keys), every default is filled in, and every
problem is one ``ConfigError`` line naming the file and the key.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from didgah.data import FILE_FORMATS
from didgah.errors import ConfigError, suggest

_MISSING = object()


@dataclass
class Field:
    """One config key: its type(s), default and allowed values."""

    types: tuple[type, ...]
    default: Any = _MISSING
    choices: tuple[Any, ...] | None = None
    item: type | None = None  # element type for lists

    @property
    def required(self) -> bool:
        return self.default is _MISSING


@dataclass
class Section:
    fields: dict[str, Any] = field(default_factory=dict)
    required: bool = False


def setting(types: Any, default: Any = _MISSING, choices: Any = None, item: Any = None) -> Field:
    return Field(types if isinstance(types, tuple) else (types,), default, choices, item)

def _type_name(types: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true/false", list: "a list",
             dict: "a mapping", type(None): "null"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def check_type(value: Any, spec: Field, where: str) -> None:
    ok = any(
        isinstance(value, t) and not (t in (int, float) and isinstance(value, bool)) for t in spec.types
    )
    if not ok:
        raise ConfigError(f"{where}: expected {_type_name(spec.types)}, got {value!r}")
    if spec.choices is not None and value not in spec.choices:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(str, spec.choices))}{suggest(value, spec.choices)}")
    if spec.item is not None and isinstance(value, list):
        items = spec.item if isinstance(spec.item, tuple) else (spec.item,)
        for i, v in enumerate(value):
            if not isinstance(v, items):
                raise ConfigError(f"{where}[{i}]: expected {_type_name(items)}, got {v!r}")


def validate(raw: Any, section: Section, where: str) -> dict[str, Any]:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where or 'config'}: expected a mapping, got {raw!r}")
    out: dict[str, Any] = {}
    for key in raw:
        if key not in section.fields:
            path = f"{where}.{key}" if where else str(key)
            raise ConfigError(f"{path}: unknown key{suggest(key, section.fields)}; allowed: {', '.join(section.fields)}")
    for key, spec in section.fields.items():
        path = f"{where}.{key}" if where else key
        if isinstance(spec, Section):
            if key not in raw and spec.required:
                raise ConfigError(f"{path}: missing section")
            out[key] = validate(raw.get(key), spec, path)
        elif key in raw:
            check_type(raw[key], spec, path)
            out[key] = copy.deepcopy(raw[key])
        elif spec.required:
            raise ConfigError(f"{path}: missing required key")
        else:
            out[key] = copy.deepcopy(spec.default)
    return out

def resolve_source(value: str | list[str] | None, base: Path) -> str | list[str] | None:
    """A data source as written in a config -> an absolute path (local) or the unchanged hub id.

    A list of sources (read one after the other as one corpus) resolves item by item."""
    if value is None:
        return None
    if isinstance(value, list):
        if not value:
            raise ConfigError("data: an empty list of sources")
        return [str(resolve_source(item, base)) for item in value]
    path = Path(value).expanduser()
    if path.is_absolute():
        return str(path)
    candidate = (base / path).resolve()
    looks_local = candidate.exists() or path.suffix.lower() in FILE_FORMATS or value.startswith(".")
    return str(candidate) if looks_local else value


def _parse_override(item: str) -> tuple[list[str], Any]:
    if "=" not in item:
        raise ConfigError(f"--set {item}: expected key=value, e.g. model.params.C=3")
    key, _, text = item.partition("=")
    try:
        value = yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError:
        value = text
    return [k for k in key.strip().split(".") if k], value


def apply_overrides(raw: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """Set nested keys from ``a.b.c=value`` strings (values parsed as YAML; list items by index, and the
    index one past the end appends)."""
    raw = copy.deepcopy(raw)
    for item in overrides:
        keys, value = _parse_override(item)
        if not keys:
            raise ConfigError(f"--set {item}: empty key")
        node: Any = raw
        for depth, key in enumerate(keys):
            last = depth == len(keys) - 1
            if isinstance(node, list):
                if not key.isdigit() or int(key) > len(node) or (int(key) == len(node) and not last):
                    raise ConfigError(f"--set {item}: {'.'.join(keys[:depth + 1])} is not an index of the list")
                if last and int(key) == len(node):
                    node.append(value)  # one past the end appends, e.g. another feature
                elif last:
                    node[int(key)] = value
                else:
                    node = node[int(key)]
            elif isinstance(node, dict):
                if last:
                    node[key] = value
                else:
                    node = node.setdefault(key, {})
            else:
                raise ConfigError(f"--set {item}: {'.'.join(keys[:depth])} is not a section")
    return raw


def read_yaml_config(path: str | Path, overrides: list[str] | None,
                     resolve: Callable[[dict[str, Any], Path], dict[str, Any]]) -> dict[str, Any]:
    """Read a YAML config file, apply ``--set`` overrides and ``resolve`` it (validate, resolve paths
    against the file's folder); every problem is one ``ConfigError`` line naming the file."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise ConfigError(f"{path}:{at}: invalid YAML: {problem}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of config sections at the top level")
    raw.pop("config_file", None)  # a run's saved config records the file it came from
    try:
        config = resolve(apply_overrides(raw, overrides or []), path.resolve().parent)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    config["config_file"] = str(path.resolve())
    return config

def dump_config(config: dict[str, Any]) -> str:
    """The config as YAML, keys in schema order, Persian readable."""
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
