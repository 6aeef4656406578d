"""Experiment configs: read YAML, apply ``--set`` overrides, validate every key, fill every default.

A config file is read into an ``ExperimentConfig`` (``didgah.config_types``: the keys, their types and
defaults). The resolved config says everything that ran: each component's parameters are written out in
full and every path is absolute, resolved against the config file's folder (never the current directory).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from didgah.config_files import build, default_of, read_yaml_config, resolve_source, validate
from didgah.config_types import (
    EXTRA_KEYS,
    METHODS,
    TASKS,
    DataConfig,
    DataPart,
    EvaluationConfig,
    ExperimentConfig,
    ExtraSource,
    FeatureSpec,
    ModelConfig,
    PreprocessConfig,
    StackingConfig,
    ThresholdsConfig,
    TrainingConfig,
)
from didgah.errors import ConfigError, suggest
from didgah.params import validate_component
from didgah.registry import PAIR_FEATURES, REGISTRIES, create, default_params, fixed_threshold_list, prevalence_list

__all__ = [
    "EXTRA_KEYS", "METHODS", "TASKS", "DataConfig", "DataPart", "EvaluationConfig", "ExperimentConfig", "ExtraSource",
    "FeatureSpec", "ModelConfig", "PreprocessConfig", "StackingConfig", "ThresholdsConfig", "TrainingConfig",
    "load_config", "resolve_config",
]


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


def _check_component_params(config: dict[str, Any]) -> None:
    """Build each component once and check its parameter values (not only their names), so a bad value
    is a one-line error naming its key before any data is read."""
    seed, task, model = config["seed"], config["task"], config["model"]
    pre = dict(config["preprocess"])
    validate_component(create("normalizer", pre.pop("normalizer"), pre, "preprocess"), "preprocess")
    for i, spec in enumerate(config["features"]):
        where = f"features[{i}]"
        validate_component(create("feature", spec["name"], spec["params"], where, seed), f"{where}.params")
    validate_component(create("model", model["name"], model["params"], "model", seed, task), "model.params")
    prevalence_list(model["thresholds"]["prevalence"], config["data"]["labels"])
    fixed_threshold_list(model["thresholds"]["fixed"], config["data"]["labels"])
    second = model["second_stage"]["params"]
    if second:
        validate_component(create("model", model["name"], {**model["params"], **second}, "model.second_stage",
                                  seed, task), "model.second_stage.params")


def _resolve_parts(value: Any, data: dict[str, Any], base: Path, where: str, annotations: list[str],
                   split: str | None, text_fields: list[str] | None = None) -> Any:
    """``data.train`` / ``data.test``: a source, a list of sources read as one corpus, or a list of *parts*,
    each a source or a mapping with its own fields (corpora whose fields differ, read as one corpus)."""
    if not (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
        return resolve_source(value, base)
    if annotations:
        raise ConfigError(f"{where}: with parts (mappings), give annotations inside each part, not in "
                          f"data.{'annotations' if where.endswith('train') else 'test_annotations'}")
    inherited = {"split": split, "text_fields": text_fields or data["text_fields"],
                 **{key: data[key] for key in ("label_field", "id_field", "group_field", "target_field")}}
    parts = []
    for i, spec in enumerate(value):
        at = f"{where}[{i}]"
        spec = {"path": spec} if isinstance(spec, str) else spec
        part = validate(spec, DataPart, at)
        part["annotations"] = _annotation_files(part["annotations"], base, f"{at}.annotations")
        if part["path"] is None and not part["annotations"]:
            raise ConfigError(f"{at}.path: expected a file path or hub id (or annotations: files whose lines "
                              "name the corpus)")
        part["path"] = resolve_source(part["path"], base)
        parts.append({**part, **{key: value for key, value in inherited.items() if key not in spec}})
    return parts


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
        if spec.get("annotations"):  # (a saved, resolved config has annotations: [])
            raise ConfigError(f"{where}.annotations: a weak_label source's labels come from its config")
        return _resolve_weak_extra(i, spec, base)
    annotations = _annotation_files(spec.get("annotations", default_of(ExtraSource, "annotations")), base,
                                    f"{where}.annotations")
    if not isinstance(spec.get("path"), str) and not (annotations and spec.get("path") is None):
        raise ConfigError(f"{where}.path: expected a file path or hub id (or weak_label: a weak-labelling config, "
                          "or annotations: files whose lines name the corpus)")
    weight = _source_weight(spec, where)
    resolved = {key: spec.get(key, data.get(key))
                for key in ("text_fields", "target_field", "label_field", "id_field", "group_field")}
    if spec.get("weight_field") is not None and not isinstance(spec["weight_field"], str):
        raise ConfigError(f"{where}.weight_field: expected a field name, got {spec['weight_field']!r}")
    given = {key: spec.get(key, default_of(ExtraSource, key)) for key in ("path", "split", "weight_field")}
    return {"name": spec.get("name", f"extra{i}"), "path": resolve_source(given["path"], base),
            "annotations": annotations, "split": given["split"], **resolved, "weight": float(weight),
            "weight_field": given["weight_field"]}


def _source_weight(spec: dict[str, Any], where: str) -> float:
    weight = spec.get("weight", default_of(ExtraSource, "weight"))
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
        raise ConfigError(f"{where}.weight: expected a positive number, got {weight!r}")
    return float(weight)


def _resolve_weak_extra(i: int, spec: dict[str, Any], base: Path) -> dict[str, Any]:
    """A silver source: the output of a weak-labelling config, produced when the experiment runs."""
    from didgah.weak.config import load_weak_config

    where = f"data.extra_train[{i}]"
    if spec.get("path") is not None or not isinstance(spec["weak_label"], str):  # (a saved config has path: null)
        raise ConfigError(f"{where}: give either path or weak_label (the path of a weak-labelling config)")
    weak_path = (base / Path(spec["weak_label"]).expanduser()).resolve()
    try:
        weak = load_weak_config(weak_path)
    except ConfigError as exc:
        raise ConfigError(f"{where}.weak_label: {exc}") from None
    weight = _source_weight(spec, where)
    fixed = {"text_fields": weak.input.text_fields, "label_field": "labels", "id_field": weak.input.id_field}
    for key, value in fixed.items():
        if key in spec and spec[key] != value:
            raise ConfigError(f"{where}.{key}: a weak_label source's {key} comes from its config ({value!r})")
    return {"name": spec.get("name", f"extra{i}"), "path": None, "weak_label": str(weak_path), "annotations": [],
            "split": None,
            **fixed, "target_field": None, "group_field": spec.get("group_field", weak.input.id_field),
            "weight": float(weight), "weight_field": None}


def _annotation_files(value: object, base: Path, where: str) -> list[str]:
    """Annotation file paths, absolute (resolved against the config file's folder)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of annotation file paths, got {value!r}")
    return [str((base / Path(v).expanduser()).resolve()) for v in value]


def load_config(path: str | Path, overrides: list[str] | None = None) -> ExperimentConfig:
    """Read, override, validate and resolve an experiment config file."""
    return read_yaml_config(path, overrides, resolve_config)


def resolve_config(raw: dict[str, Any], base: Path) -> ExperimentConfig:
    """Validate a config dictionary and resolve its paths against ``base``: every default filled in, each
    component's parameters written out in full."""
    config = validate(raw, ExperimentConfig, "")
    _resolve_components(config)
    _check_component_params(config)
    data = config["data"]
    data["annotations"] = _annotation_files(data["annotations"], base, "data.annotations")
    data["test_annotations"] = _annotation_files(data["test_annotations"], base, "data.test_annotations")
    if data["train"] is None and not data["annotations"]:
        raise ConfigError("data.train: missing required key (or give data.annotations, whose lines name the corpus)")
    data["train"] = _resolve_parts(data["train"], data, base, "data.train", data["annotations"], data["train_split"])
    data["test"] = _resolve_parts(data["test"], data, base, "data.test", data["test_annotations"], data["test_split"],
                                  data["test_text_fields"])
    data["extra_train"] = [_resolve_extra(i, spec, data, base) for i, spec in enumerate(data["extra_train"])]
    if config["preprocess"]["cache_dir"] is not None:
        config["preprocess"]["cache_dir"] = str((base / Path(config["preprocess"]["cache_dir"]).expanduser()).resolve())
    if config["runs_dir"] is not None:
        config["runs_dir"] = str((base / Path(config["runs_dir"]).expanduser()).resolve())
    stacking = config["model"]["stacking"]
    if stacking is not None and config["task"] != "multilabel" and stacking.get("name") not in REGISTRIES["stacking"]:
        raise ConfigError(f"model.stacking.name: unknown {stacking.get('name')!r}{suggest(str(stacking.get('name')), REGISTRIES['stacking'])}; "
                          f"known: {', '.join(REGISTRIES['stacking'])}")
    return _check(build(ExperimentConfig, config))


def _check(config: ExperimentConfig) -> ExperimentConfig:
    """The checks that involve more than one key."""
    data, model = config.data, config.model
    if config.evaluation.method == "test" and not data.test and not data.test_annotations:
        raise ConfigError("evaluation.method: 'test' needs data.test (or data.test_annotations)")
    pair_features = [f.name for f in config.features if f.name in PAIR_FEATURES]
    if pair_features and config.task != "stance":
        raise ConfigError(f"features: {pair_features[0]} reads (target, text) pairs; it needs task: stance")
    if config.task == "stance" and not data.target_field:
        raise ConfigError("data.target_field: a stance task needs the field holding the target or claim")
    if config.training.mode == "streaming":
        from didgah.experiment.streaming import check_streaming_config

        check_streaming_config(config)
    if model.two_stage is not None:
        if config.task == "multilabel":
            raise ConfigError("model.two_stage: only for multiclass and stance tasks")
        if data.labels and model.two_stage not in data.labels:
            raise ConfigError(f"model.two_stage: {model.two_stage!r} is not one of data.labels")
    elif model.second_stage.params is not None:
        raise ConfigError("model.second_stage: only with model.two_stage")
    if model.stacking is not None:
        if config.task == "multilabel":
            raise ConfigError("model.stacking: only for multiclass and stance tasks")
        if not data.extra_train:
            raise ConfigError("model.stacking: needs data.extra_train (its model is fitted on the extra sources)")
    return config
