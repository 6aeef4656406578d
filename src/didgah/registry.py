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
from didgah.errors import ConfigError, suggest
from didgah.models.multilabel import ThresholdedMultiLabel
from didgah.models.text_classifier import TextClassifier
from didgah.models.two_stage import TwoStageClassifier
from didgah.text.normalization import DEFAULT_VERSION, NORMALIZERS
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


def prevalence_list(shares: Any, labels: list[str] | None) -> list[float | None] | None:
    """``model.thresholds.prevalence`` ({label: share}) as a list in label order (None: unchanged)."""
    if not shares:
        return None
    where = "model.thresholds.prevalence"
    if not labels:
        raise ConfigError(f"{where}: needs data.labels (the label order)")
    if not isinstance(shares, dict):
        raise ConfigError(f"{where}: expected {{label: share}}, got {shares!r}")
    for label, share in shares.items():
        if label not in labels:
            raise ConfigError(f"{where}.{label}: not one of the labels {', '.join(labels)}")
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share < 1:
            raise ConfigError(f"{where}.{label}: expected a share between 0 and 1 (exclusive), got {share!r}")
    return [float(shares[label]) if label in shares else None for label in labels]


def build_classifier(config: dict[str, Any]) -> TextClassifier:
    """Build an unfitted ``TextClassifier`` from a (resolved or partial) config dictionary."""
    seed = int(config.get("seed", 0))
    task = config.get("task", "multilabel")
    pre = dict(config.get("preprocess") or {})
    normalizer_name = pre.pop("normalizer", DEFAULT_VERSION)
    normalizer = create("normalizer", normalizer_name, pre, "preprocess")
    features_cfg = config.get("features") or []
    if not features_cfg:
        raise ConfigError("features: at least one feature extractor is needed")
    features, seen = [], set()
    for i, spec in enumerate(features_cfg):
        name = spec.get("name")
        key = feature_key(str(name))
        if key in seen:
            key = f"{key}_{i}"
        seen.add(key)
        features.append((key, create("feature", name, spec.get("params"), f"features[{i}]", seed)))
    model_cfg = config.get("model") or {}
    base = create("model", model_cfg.get("name"), model_cfg.get("params"), "model", seed, task)
    if task == "multilabel":
        th = model_cfg.get("thresholds") or {}
        prevalence = prevalence_list(th.get("prevalence"), (config.get("data") or {}).get("labels"))
        classifier = ThresholdedMultiLabel(
            base,
            tune_thresholds=bool(th.get("tune", True)),
            threshold_cv=int(th.get("cv", 5)),
            default_threshold=float(th.get("default", 0.5)),
            random_state=seed,
            calibration=model_cfg.get("calibration"),
            prevalence=prevalence,
        )
    elif model_cfg.get("two_stage"):
        labels = (config.get("data") or {}).get("labels") or []
        if model_cfg["two_stage"] not in labels:
            raise ConfigError(f"model.two_stage: {model_cfg['two_stage']!r} is not one of the labels {labels}")
        second = None
        second_params = (model_cfg.get("second_stage") or {}).get("params")
        if second_params:
            second = create("model", model_cfg.get("name"), {**(model_cfg.get("params") or {}), **second_params},
                            "model.second_stage", seed, task)
        classifier = TwoStageClassifier(base, unrelated_class=labels.index(model_cfg["two_stage"]),
                                        second_estimator=second)
    else:
        classifier = base
    stacking = model_cfg.get("stacking")
    if task != "multilabel" and stacking:
        params = {**(stacking.get("params") or {}), "estimator": classifier}
        if "estimator" in (stacking.get("params") or {}):
            raise ConfigError("model.stacking.params.estimator: set by model.name and model.two_stage")
        classifier = create("stacking", stacking.get("name"), params, "model.stacking", seed)
    if task != "multilabel" and model_cfg.get("calibration"):
        cv = int((model_cfg.get("thresholds") or {}).get("cv", 5))
        classifier = CalibratedClassifierCV(classifier, method=model_cfg["calibration"], cv=cv)
    labels = (config.get("data") or {}).get("labels")
    return TextClassifier(normalizer, features, classifier, task=task, labels=labels)
