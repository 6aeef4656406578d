"""Registry: the names configs use for components, and the only place they are looked up.

Names carry a version (``tfidf_words.v1``) so old configs and models keep meaning what they meant.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from sklearn.calibration import CalibratedClassifierCV

import didgah.features  # noqa: F401  (importing the component packages registers their names)
import didgah.models  # noqa: F401
import didgah.weak.label_model  # noqa: F401
from didgah.components import REGISTRIES, TAGGED, register
from didgah.config_types import ExperimentConfig
from didgah.errors import ConfigError, suggest
from didgah.models.multilabel import ThresholdedMultiLabel
from didgah.models.text_classifier import TextClassifier
from didgah.models.two_stage import TwoStageClassifier
from didgah.text.normalization import NORMALIZERS
from didgah.text.normalizer import PersianNormalizer

# A normalizer is a named version of PersianNormalizer: its names are the keys of NORMALIZERS.
for _version in NORMALIZERS:
    if _version not in REGISTRIES["normalizer"]:
        register("normalizer", _version)(lambda _v=_version, **p: PersianNormalizer(version=_v, **p))

# Extractors that learn nothing from data (or only from resources): what out-of-core training can use.
STREAMING_FEATURES = frozenset(TAGGED["streaming"])
# Extractors that read (target, text) pairs.
PAIR_FEATURES = frozenset(TAGGED["pair"])


def _parameters(factory: Callable[..., Any], kind: str, name: str) -> set[str]:
    if kind == "normalizer":
        return set(inspect.signature(PersianNormalizer).parameters) - {"version"}
    return set(inspect.signature(factory).parameters)


HIDDEN_PARAMETERS = ("seed", "task")  # passed from the config's top level, not from params


def create(
    kind: str, name: str, params: dict[str, Any] | None, where: str, seed: int | None = None, task: str | None = None
) -> Any:
    """Build the component registered as ``name`` of ``kind`` with ``params``; ``where`` names the config key.

    ``seed`` and ``task`` are passed to factories that take them (a config sets them once, at the top).
    """
    registry = REGISTRIES[kind]
    if name not in registry:
        raise ConfigError(f"{where}.name: unknown {kind} {name!r}{suggest(name, registry)}; known: {', '.join(registry)}")
    factory = registry[name]
    params = dict(params or {})
    allowed = _parameters(factory, kind, name)
    for key in params:
        if key not in allowed or key in HIDDEN_PARAMETERS:
            raise ConfigError(f"{where}.params.{key}: {name} has no parameter {key!r}{suggest(key, allowed)}; "
                              f"it takes: {', '.join(sorted(allowed - set(HIDDEN_PARAMETERS))) or 'none'}")
    for key, value in (("seed", seed), ("task", task)):
        if value is not None and key in allowed:
            params[key] = value
    for key in ("ngram_range",):
        if isinstance(params.get(key), list):
            params[key] = tuple(params[key])
    try:
        return factory(**params)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}.params: {exc}") from None


def default_params(kind: str, name: str) -> dict[str, Any]:
    """The parameters a component takes and their defaults (written into resolved configs)."""
    factory = REGISTRIES[kind][name]
    target = PersianNormalizer if kind == "normalizer" else factory
    return {
        key: (list(p.default) if isinstance(p.default, tuple) else p.default)
        for key, p in inspect.signature(target).parameters.items()
        if p.default is not inspect.Parameter.empty and key not in ("version", *HIDDEN_PARAMETERS)
    }


def feature_key(name: str) -> str:
    """The short name a feature block gets inside a model (``tfidf_words.v1`` -> ``tfidf_words``)."""
    return name.split(".")[0]


def per_label_list(values: Any, labels: list[str] | None, where: str, what: str) -> list[float | None] | None:
    """A ``{label: value}`` mapping of the config (each value between 0 and 1, exclusive) as a list in label
    order, ``None`` for the labels it leaves out (``None``: no mapping)."""
    if not values:
        return None
    if not labels:
        raise ConfigError(f"{where}: needs data.labels (the label order)")
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: expected {{label: {what}}}, got {values!r}")
    for label, value in values.items():
        if label not in labels:
            raise ConfigError(f"{where}.{label}: not one of the labels {', '.join(labels)}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
            raise ConfigError(f"{where}.{label}: expected a {what} between 0 and 1 (exclusive), got {value!r}")
    return [float(values[label]) if label in values else None for label in labels]


def prevalence_list(shares: Any, labels: list[str] | None) -> list[float | None] | None:
    """``model.thresholds.prevalence`` ({label: share}) as a list in label order (None: unchanged)."""
    return per_label_list(shares, labels, "model.thresholds.prevalence", "share")


def fixed_threshold_list(thresholds: Any, labels: list[str] | None) -> list[float | None] | None:
    """``model.thresholds.fixed`` ({label: threshold}) as a list in label order (None: tuned or default)."""
    return per_label_list(thresholds, labels, "model.thresholds.fixed", "threshold")


def build_classifier(config: ExperimentConfig) -> TextClassifier:
    """Build an unfitted ``TextClassifier`` from a config (``ExperimentConfig.from_dict`` reads one from a
    dictionary, keys left out taking their defaults)."""
    seed, task, model_cfg = config.seed, config.task, config.model
    labels = config.data.labels
    normalizer = create("normalizer", config.preprocess.normalizer, config.preprocess.normalizer_params(), "preprocess")
    if not config.features:
        raise ConfigError("features: at least one feature extractor is needed")
    features, seen = [], set()
    for i, spec in enumerate(config.features):
        key = feature_key(spec.name)
        if key in seen:
            key = f"{key}_{i}"
        seen.add(key)
        features.append((key, create("feature", spec.name, spec.params, f"features[{i}]", seed)))
    base = create("model", model_cfg.name, model_cfg.params, "model", seed, task)
    thresholds = model_cfg.thresholds
    if task == "multilabel":
        classifier = ThresholdedMultiLabel(
            base,
            tune_thresholds=thresholds.tune,
            threshold_cv=thresholds.cv,
            default_threshold=float(thresholds.default),
            random_state=seed,
            calibration=model_cfg.calibration,
            prevalence=prevalence_list(thresholds.prevalence, labels),
            fixed_thresholds=fixed_threshold_list(thresholds.fixed, labels),
        )
    elif model_cfg.two_stage:
        if model_cfg.two_stage not in (labels or []):
            raise ConfigError(f"model.two_stage: {model_cfg.two_stage!r} is not one of the labels {labels or []}")
        second = None
        if model_cfg.second_stage.params:
            second = create("model", model_cfg.name, {**model_cfg.params, **model_cfg.second_stage.params},
                            "model.second_stage", seed, task)
        classifier = TwoStageClassifier(base, unrelated_class=labels.index(model_cfg.two_stage), second_estimator=second)
    else:
        classifier = base
    stacking = model_cfg.stacking
    if task != "multilabel" and stacking is not None:
        if "estimator" in stacking.params:
            raise ConfigError("model.stacking.params.estimator: set by model.name and model.two_stage")
        classifier = create("stacking", stacking.name, {**stacking.params, "estimator": classifier}, "model.stacking", seed)
    if task != "multilabel" and model_cfg.calibration:
        classifier = CalibratedClassifierCV(classifier, method=model_cfg.calibration, cv=thresholds.cv)
    return TextClassifier(normalizer, features, classifier, task=task, labels=labels)
