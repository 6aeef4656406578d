"""Experiment configs: read YAML, apply ``--set`` overrides, validate every key, fill every default.

The resolved config says everything that ran: each component's parameters are written out in full and
every path is absolute, resolved against the config file's folder (never the current directory).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from didgah.data import EMPTY_POLICIES, FILE_FORMATS
from didgah.errors import ConfigError
from didgah.registry import PAIR_FEATURES, REGISTRIES, default_params, suggest
from didgah.text.normalization import DEFAULT_VERSION, DIGIT_FORMS, HAMZA_FORMS, NORMALIZERS

TASKS = ("multilabel", "multiclass", "stance")
METHODS = ("kfold", "holdout", "test")
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


def _f(types: Any, default: Any = _MISSING, choices: Any = None, item: type | None = None) -> Field:
    return Field(types if isinstance(types, tuple) else (types,), default, choices, item)


SCHEMA = Section(
    {
        "name": _f(str),
        "description": _f(str, ""),
        "task": _f(str, "multilabel", TASKS),
        "seed": _f(int, 0),
        "runs_dir": _f((str, type(None)), None),
        "data": Section(
            {
                "train": _f((str, list), item=str),
                "train_split": _f((str, type(None)), None),
                "test": _f((str, list, type(None)), None, item=str),
                "test_split": _f((str, type(None)), None),
                "text_fields": _f(list, ["text"], item=str),
                "test_text_fields": _f((list, type(None)), None, item=str),
                "target_field": _f((str, type(None)), None),
                "label_field": _f(str, "labels"),
                "labels": _f((list, type(None)), None, item=str),
                "id_field": _f((str, type(None)), "id"),
                "group_field": _f((str, type(None)), None),
                "empty_text": _f(str, "error", EMPTY_POLICIES),
                "extra_train": _f(list, [], item=dict),
            },
            required=True,
        ),
        "preprocess": Section(
            {
                "normalizer": _f(str, DEFAULT_VERSION, tuple(NORMALIZERS)),
                "digits": _f(str, "persian", DIGIT_FORMS),
                "boilerplate": _f(bool, True),
                "glued_words": _f(bool, True),
                "hamza": _f((str, type(None)), None, (*HAMZA_FORMS, None)),
                "n_jobs": _f((int, type(None)), 1),
                "cache": _f(bool, True),
                "cache_dir": _f((str, type(None)), None),
            }
        ),
        "features": _f(list, _MISSING, item=dict),
        "model": Section(
            {
                "name": _f(str),
                "params": _f(dict, {}),
                "two_stage": _f((str, type(None)), None),
                "second_stage": Section({"params": _f((dict, type(None)), None)}),
                "stacking": _f((dict, type(None)), None),
                "calibration": _f((str, type(None)), None, ("sigmoid", "isotonic", None)),
                "thresholds": Section({"tune": _f(bool, True), "cv": _f(int, 5), "default": _f((float, int), 0.5),
                                       "tune_on": _f(str, "main", ("main", "all"))}),
            },
            required=True,
        ),
        "training": Section({"mode": _f(str, "standard", ("standard", "streaming")), "batch_size": _f(int, 1000),
                             "epochs": _f(int, 1)}),
        "evaluation": Section(
            {
                "method": _f(str, "kfold", METHODS),
                "folds": _f(int, 5),
                "test_size": _f((float, int), 0.2),
                "stratify": _f(bool, True),
                "near_duplicate_threshold": _f((float, int), 0.9),
            }
        ),
        # a sweep specification (expanded by `didgah sweep`), or in a sweep's run the point it ran
        "sweep": _f((dict, type(None)), None),
        "tracking": _f((dict, type(None)), None),  # e.g. {backend: mlflow, uri: sqlite:///mlflow.db}
    },
    required=True,
)


def _type_name(types: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true/false", list: "a list",
             dict: "a mapping", type(None): "null"}
    return " or ".join(names.get(t, t.__name__) for t in types)


def _check_type(value: Any, spec: Field, where: str) -> None:
    ok = any(
        isinstance(value, t) and not (t in (int, float) and isinstance(value, bool)) for t in spec.types
    )
    if not ok:
        raise ConfigError(f"{where}: expected {_type_name(spec.types)}, got {value!r}")
    if spec.choices is not None and value not in spec.choices:
        raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(str, spec.choices))}{suggest(value, spec.choices)}")
    if spec.item is not None and isinstance(value, list):
        for i, v in enumerate(value):
            if not isinstance(v, spec.item):
                raise ConfigError(f"{where}[{i}]: expected {_type_name((spec.item,))}, got {v!r}")


def _validate(raw: Any, section: Section, where: str) -> dict[str, Any]:
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
            out[key] = _validate(raw.get(key), spec, path)
        elif key in raw:
            _check_type(raw[key], spec, path)
            out[key] = copy.deepcopy(raw[key])
        elif spec.required:
            raise ConfigError(f"{path}: missing required key")
        else:
            out[key] = copy.deepcopy(spec.default)
    return out


def _resolve_components(config: dict[str, Any]) -> None:
    features = []
    for i, spec in enumerate(config["features"]):
        where = f"features[{i}]"
        unknown = set(spec) - {"name", "params"}
        if unknown:
            key = sorted(unknown)[0]
            raise ConfigError(f"{where}.{key}: unknown key{suggest(key, ['name', 'params'])}; allowed: name, params")
        name, params = spec.get("name"), spec.get("params") or {}
        if not isinstance(name, str):
            raise ConfigError(f"{where}.name: expected a registered feature name, got {name!r}")
        if name not in REGISTRIES["feature"]:
            raise ConfigError(f"{where}.name: unknown feature {name!r}{suggest(name, REGISTRIES['feature'])}; "
                              f"known: {', '.join(REGISTRIES['feature'])}")
        if not isinstance(params, dict):
            raise ConfigError(f"{where}.params: expected a mapping, got {params!r}")
        defaults = default_params("feature", name)
        for key in params:
            if key not in defaults:
                raise ConfigError(f"{where}.params.{key}: {name} has no parameter {key!r}{suggest(key, defaults)}; "
                                  f"it takes: {', '.join(defaults)}")
        features.append({"name": name, "params": {**defaults, **params}})
    if not features:
        raise ConfigError("features: at least one feature extractor is needed")
    config["features"] = features
    model = config["model"]
    if model["name"] not in REGISTRIES["model"]:
        raise ConfigError(f"model.name: unknown model {model['name']!r}{suggest(model['name'], REGISTRIES['model'])}; "
                          f"known: {', '.join(REGISTRIES['model'])}")
    defaults = default_params("model", model["name"])
    for key in model["params"]:
        if key not in defaults:
            raise ConfigError(f"model.params.{key}: {model['name']} has no parameter {key!r}{suggest(key, defaults)}; "
                              f"it takes: {', '.join(defaults)}")
    model["params"] = {**defaults, **model["params"]}


EXTRA_KEYS = ("path", "weak_label", "split", "text_fields", "target_field", "label_field", "id_field", "group_field",
              "weight", "weight_field", "name")


def _resolve_extra(i: int, spec: dict[str, Any], data: dict[str, Any], base: Path) -> dict[str, Any]:
    """An extra training source: fields default to the main data's; ``weight`` scales its examples
    (times each row's ``weight_field`` value when given, e.g. a silver label's confidence).

    With a group field, its rows whose group is in an evaluation fold are left out of that fold's
    training (a claim never leaks into training through another source)."""
    where = f"data.extra_train[{i}]"
    for key in spec:
        if key not in EXTRA_KEYS:
            raise ConfigError(f"{where}.{key}: unknown key{suggest(key, EXTRA_KEYS)}; allowed: {', '.join(EXTRA_KEYS)}")
    if "weak_label" in spec:
        return _resolve_weak_extra(i, spec, base)
    if not isinstance(spec.get("path"), str):
        raise ConfigError(f"{where}.path: expected a file path or hub id (or weak_label: a weak-labelling config)")
    weight = _source_weight(spec, where)
    resolved = {key: spec.get(key, data.get(key))
                for key in ("text_fields", "target_field", "label_field", "id_field", "group_field")}
    if spec.get("weight_field") is not None and not isinstance(spec["weight_field"], str):
        raise ConfigError(f"{where}.weight_field: expected a field name, got {spec['weight_field']!r}")
    return {"name": spec.get("name", f"extra{i}"), "path": resolve_source(spec["path"], base),
            "split": spec.get("split"), **resolved, "weight": float(weight), "weight_field": spec.get("weight_field")}


def _source_weight(spec: dict[str, Any], where: str) -> float:
    weight = spec.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise ConfigError(f"{where}.weight: expected a positive number, got {weight!r}")
    return float(weight)


def _resolve_weak_extra(i: int, spec: dict[str, Any], base: Path) -> dict[str, Any]:
    """A silver source: the output of a weak-labelling config, produced when the experiment runs."""
    from didgah.weak.config import load_weak_config

    where = f"data.extra_train[{i}]"
    if "path" in spec or not isinstance(spec["weak_label"], str):
        raise ConfigError(f"{where}: give either path or weak_label (the path of a weak-labelling config)")
    weak_path = (base / Path(spec["weak_label"]).expanduser()).resolve()
    try:
        weak = load_weak_config(weak_path)
    except ConfigError as exc:
        raise ConfigError(f"{where}.weak_label: {exc}") from None
    weight = _source_weight(spec, where)
    fixed = {"text_fields": weak["input"]["text_fields"], "label_field": "labels", "id_field": weak["input"]["id_field"]}
    for key, value in fixed.items():
        if key in spec and spec[key] != value:
            raise ConfigError(f"{where}.{key}: a weak_label source's {key} comes from its config ({value!r})")
    return {"name": spec.get("name", f"extra{i}"), "path": None, "weak_label": str(weak_path), "split": None,
            **fixed, "target_field": None, "group_field": spec.get("group_field", weak["input"]["id_field"]),
            "weight": float(weight), "weight_field": None}


def resolve_source(value: str | list[str] | None, base: Path) -> str | list[str] | None:
    """A data source as written in a config -> an absolute path (local) or the unchanged hub id.

    A list of sources (read one after the other as one corpus) resolves item by item."""
    if value is None:
        return None
    if isinstance(value, list):
        if not value:
            raise ConfigError("data: an empty list of sources")
        return [resolve_source(item, base) for item in value]
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


def load_config(path: str | Path, overrides: list[str] | None = None) -> dict[str, Any]:
    """Read, override, validate and resolve an experiment config file."""
    return read_yaml_config(path, overrides, resolve_config)


def resolve_config(raw: dict[str, Any], base: Path) -> dict[str, Any]:
    """Validate a config dictionary and resolve its paths against ``base``."""
    config = _validate(raw, SCHEMA, "")
    _resolve_components(config)
    data = config["data"]
    data["train"] = resolve_source(data["train"], base)
    data["test"] = resolve_source(data["test"], base)
    data["extra_train"] = [_resolve_extra(i, spec, data, base) for i, spec in enumerate(data["extra_train"])]
    if config["preprocess"]["cache_dir"] is not None:
        config["preprocess"]["cache_dir"] = str((base / Path(config["preprocess"]["cache_dir"]).expanduser()).resolve())
    if config["runs_dir"] is not None:
        config["runs_dir"] = str((base / Path(config["runs_dir"]).expanduser()).resolve())
    evaluation = config["evaluation"]
    if evaluation["method"] == "test" and not data["test"]:
        raise ConfigError("evaluation.method: 'test' needs data.test")
    pair_features = [f["name"] for f in config["features"] if f["name"] in PAIR_FEATURES]
    if pair_features and config["task"] != "stance":
        raise ConfigError(f"features: {pair_features[0]} reads (target, text) pairs; it needs task: stance")
    if config["task"] == "stance" and not data["target_field"]:
        raise ConfigError("data.target_field: a stance task needs the field holding the target or claim")
    if config["training"]["mode"] == "streaming":
        from didgah.streaming import check_streaming_config

        check_streaming_config(config)
    if config["model"]["two_stage"] is not None:
        if config["task"] == "multilabel":
            raise ConfigError("model.two_stage: only for multiclass and stance tasks")
        if data["labels"] and config["model"]["two_stage"] not in data["labels"]:
            raise ConfigError(f"model.two_stage: {config['model']['two_stage']!r} is not one of data.labels")
    elif config["model"]["second_stage"]["params"] is not None:
        raise ConfigError("model.second_stage: only with model.two_stage")
    stacking = config["model"]["stacking"]
    if stacking is not None:
        if config["task"] == "multilabel":
            raise ConfigError("model.stacking: only for multiclass and stance tasks")
        if stacking.get("name") not in REGISTRIES["stacking"]:
            raise ConfigError(f"model.stacking.name: unknown {stacking.get('name')!r}{suggest(str(stacking.get('name')), REGISTRIES['stacking'])}; "
                              f"known: {', '.join(REGISTRIES['stacking'])}")
        if not data["extra_train"]:
            raise ConfigError("model.stacking: needs data.extra_train (its model is fitted on the extra sources)")
    return config


def dump_config(config: dict[str, Any]) -> str:
    """The config as YAML, keys in schema order, Persian readable."""
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)
