"""Config files: typed sections (dataclasses) validated key by key, YAML reading with ``--set`` overrides, paths.

A config is a tree of dataclasses (``ConfigSection``): each field is a key, its type hint says which values it
takes, its default (the only place the default is written) fills a key left out, and ``setting(choices=...)``
lists allowed values. Experiment configs and weak-labelling configs are both read here: every key is checked
(type, allowed values, "did you mean" for unknown keys), every default is filled in, and every problem is one
``ConfigError`` line naming the file and the key.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

import yaml

from didgah.data import FILE_FORMATS
from didgah.errors import ConfigError, suggest

MISSING: Any = dataclasses.MISSING


def setting(default: Any = MISSING, *, choices: Sequence[Any] | None = None, saved: bool = False) -> Any:
    """A config key's dataclass field: its default (none: the key is required) and allowed values.

    ``saved``: not a key of a config file, only of a resolved config (e.g. ``config_file``)."""
    metadata = {"choices": tuple(choices) if choices is not None else None, "saved": saved}
    if default is MISSING:
        return dataclasses.field(metadata=metadata)
    if isinstance(default, list | dict):
        return dataclasses.field(default_factory=functools.partial(copy.deepcopy, default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def subsection(cls: type) -> Any:
    """A nested section that may be left out (its keys then take their defaults); a required section is
    ``setting()``."""
    return dataclasses.field(default_factory=cls, metadata={"choices": None, "saved": False})


@dataclass(frozen=True)
class Key:
    """One key of a config section, as its dataclass field declares it."""

    name: str
    types: tuple[type, ...]  # the types a value may have (empty: any)
    item: tuple[type, ...] | None  # element types of a list value
    choices: tuple[Any, ...] | None
    default: Any  # MISSING: required
    section: Any  # a nested section (a ConfigSection class), or None
    typed: Any  # a ConfigSection class that mapping values (or list items) are read into
    saved: bool

    @property
    def required(self) -> bool:
        return self.default is MISSING


def _members(hint: Any) -> list[Any]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(hint) for m in _members(arg)]
    return [hint]


def _accepts(hint: Any) -> tuple[tuple[type, ...], Any]:
    """The value types a type hint takes (float takes int too; a section class takes a mapping), and the
    section class among them."""
    accepted: list[type] = []
    typed: Any = None
    for member in _members(hint):
        origin = typing.get_origin(member) or member
        if member is Any:
            return (), None
        if dataclasses.is_dataclass(member):
            accepted.append(dict)
            typed = member
        elif origin is float:
            accepted += [float, int]
        elif member is None or member is type(None):
            accepted.append(type(None))
        elif isinstance(origin, type):
            accepted.append(origin)
    return tuple(dict.fromkeys(accepted)), typed


def section_keys(cls: Any) -> tuple[Key, ...]:
    """The keys of a config section class, in order."""
    return _section_keys(cls)


@functools.cache  # behind section_keys: a cached function's argument must be hashable to the type checker
def _section_keys(cls: Any) -> tuple[Key, ...]:
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        hint: Any = hints[f.name]
        factory: Any = f.default_factory
        default = f.default if f.default is not MISSING else (factory() if factory is not MISSING else MISSING)
        if dataclasses.is_dataclass(hint):
            out.append(Key(f.name, (dict,), None, None, default, hint, None, f.metadata.get("saved", False)))
            continue
        accepted, typed = _accepts(hint)
        item: tuple[type, ...] | None = None
        for member in _members(hint):
            if typing.get_origin(member) is list:
                item_types, item_typed = _accepts(typing.get_args(member)[0])
                item = (*(item or ()), *item_types) if item_types else item
                typed = typed or item_typed
        item = tuple(dict.fromkeys(item)) if item else None
        out.append(Key(f.name, accepted, item, f.metadata.get("choices"), default, None, typed,
                       f.metadata.get("saved", False)))
    return tuple(out)


def default_of(cls: Any, name: str) -> Any:
    """The default of one key of a config section class."""
    return copy.deepcopy(next(key.default for key in section_keys(cls) if key.name == name))


def walk(cls: Any, prefix: str = "") -> Iterator[tuple[str, Key]]:
    """Every key of a config section class and of its nested sections, as (dotted path, key)."""
    for key in section_keys(cls):
        if key.saved:
            continue
        path = f"{prefix}{key.name}"
        yield path, key
        if key.section is not None:
            yield from walk(key.section, f"{path}.")


def _type_name(kinds: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true/false", list: "a list",
             dict: "a mapping", type(None): "null"}
    return " or ".join(names.get(t, t.__name__) for t in kinds)


def check_type(value: Any, spec: Key, where: str) -> None:
    ok = not spec.types or any(
        isinstance(value, t) and not (t in (int, float) and isinstance(value, bool)) for t in spec.types
    )
    if not ok:
        raise ConfigError(f"{where}: expected {_type_name(spec.types)}, got {value!r}")
    if spec.choices is not None and value not in spec.choices:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(str, spec.choices))}{suggest(value, spec.choices)}")
    if spec.item is not None and isinstance(value, list):
        for i, v in enumerate(value):
            if not isinstance(v, spec.item):
                raise ConfigError(f"{where}[{i}]: expected {_type_name(spec.item)}, got {v!r}")


def validate(raw: Any, section: Any, where: str) -> dict[str, Any]:
    """Check a mapping against a config section class: unknown keys, types, allowed values, required keys;
    returns it with every default filled in (a plain dictionary, nested sections too)."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{where or 'config'}: expected a mapping, got {raw!r}")
    allowed = [key.name for key in section_keys(section) if not key.saved]
    for name in raw:
        if name not in allowed:
            path = f"{where}.{name}" if where else str(name)
            raise ConfigError(f"{path}: unknown key{suggest(name, allowed)}; allowed: {', '.join(allowed)}")
    out: dict[str, Any] = {}
    for key in section_keys(section):
        if key.saved:
            continue
        path = f"{where}.{key.name}" if where else key.name
        if key.section is not None:
            if key.name not in raw and key.required:
                raise ConfigError(f"{path}: missing section")
            out[key.name] = validate(raw.get(key.name), key.section, path)
        elif key.name in raw:
            check_type(raw[key.name], key, path)
            out[key.name] = copy.deepcopy(raw[key.name])
        elif key.required:
            raise ConfigError(f"{path}: missing required key")
        else:
            out[key.name] = copy.deepcopy(key.default)
    return out


T = TypeVar("T", bound="ConfigSection")


def build(section: type[T], values: dict[str, Any], where: str = "") -> T:
    """A config section object from a validated dictionary (``validate``'s result, or a resolved one):
    mappings that are sections of their own (a list's items too) are validated and read into theirs."""
    kwargs: dict[str, Any] = {}
    for key in section_keys(section):
        if key.name not in values:
            continue  # a saved-only key left out keeps its default
        value, path = values[key.name], f"{where}.{key.name}" if where else key.name
        if key.section is not None:
            value = build(key.section, value, path)
        elif key.typed is not None and isinstance(value, dict):
            value = key.typed.from_dict(value, path)
        elif key.typed is not None and isinstance(value, list):
            value = [key.typed.from_dict(v, f"{path}[{i}]") if isinstance(v, dict) else v for i, v in enumerate(value)]
        kwargs[key.name] = value
    return section(**kwargs)


def _plain(value: Any) -> Any:
    if isinstance(value, ConfigSection):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return copy.deepcopy(value)


class ConfigSection:
    """Base of the config section dataclasses: read from a dictionary (validated), written back to one."""

    @classmethod
    def from_dict(cls, values: dict[str, Any], where: str = "") -> Self:
        """Validate a dictionary (e.g. a run's saved, resolved config) and read it into this section; keys
        left out take their defaults."""
        if not isinstance(values, dict):
            raise ConfigError(f"{where or 'config'}: expected a mapping, got {values!r}")
        saved = {key.name: values[key.name] for key in section_keys(cls) if key.saved and key.name in values}
        raw = {name: value for name, value in values.items() if name not in saved}
        return build(cls, {**validate(raw, cls, where), **saved}, where)

    def to_dict(self) -> dict[str, Any]:
        """The section as a plain dictionary, keys in declaration order (a saved-only key only when set)."""
        out: dict[str, Any] = {}
        for key in section_keys(type(self)):
            value = getattr(self, key.name)
            if key.saved and value is None:
                continue
            out[key.name] = _plain(value)
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


def read_yaml_config(path: str | Path, overrides: list[str] | None, resolve: Callable[[dict[str, Any], Path], T]) -> T:
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
    config.config_file = str(path.resolve())  # type: ignore[attr-defined]
    return config


def dump_config(config: ConfigSection | dict[str, Any]) -> str:
    """The config as YAML, keys in schema order, Persian readable."""
    values = config.to_dict() if isinstance(config, ConfigSection) else config
    return yaml.safe_dump(values, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
