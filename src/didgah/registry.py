"""Registry: the names configs use for components, and the only place they are looked up.

Names carry a version (``tfidf_words.v1``) so old configs and models keep meaning what they meant.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from typing import Any

from sklearn.calibration import CalibratedClassifierCV

from didgah.errors import ConfigError
from didgah.features import (
    CharHashing,
    CharTfidf,
    ClaimAlignment,
    LexiconCounts,
    MatchedSentencesTfidf,
    PairDifference,
    PairEmbeddings,
    PairSimilarity,
    SentenceEmbeddings,
    StanceCues,
    WeakVotes,
    WordHashing,
    WordTfidf,
)
from didgah.models import (
    SourceStackingClassifier,
    TextClassifier,
    ThresholdedMultiLabel,
    TwoStageClassifier,
    calibrated_linear_svm,
    complement_nb,
    logistic_regression,
    sgd,
)
from didgah.text.normalization import DEFAULT_VERSION, NORMALIZERS, PersianNormalizer

NORMALIZER_REGISTRY: dict[str, Callable[..., Any]] = {
    name: (lambda _v=name, **p: PersianNormalizer(version=_v, **p)) for name in NORMALIZERS
}
FEATURE_REGISTRY: dict[str, Callable[..., Any]] = {
    "tfidf_words.v1": WordTfidf,
    "tfidf_chars.v1": CharTfidf,
    "topic_lexicon.v1": LexiconCounts,
    "pair_similarity.v1": PairSimilarity,
    "stance_cues.v1": StanceCues,
    "matched_sentences_tfidf.v1": MatchedSentencesTfidf,
    "pair_difference.v1": PairDifference,
    "claim_alignment.v1": ClaimAlignment,
    "pair_embeddings.v1": PairEmbeddings,
    "sentence_embeddings.v1": SentenceEmbeddings,
    "weak_votes.v1": WeakVotes,
    "hashing_words.v1": WordHashing,
    "hashing_chars.v1": CharHashing,
}
# Extractors that learn nothing from data (or only from resources): what out-of-core training can use.
STREAMING_FEATURES = frozenset({"hashing_words.v1", "hashing_chars.v1", "topic_lexicon.v1"})
PAIR_FEATURES = frozenset({"pair_similarity.v1", "stance_cues.v1", "matched_sentences_tfidf.v1", "pair_difference.v1",
                           "pair_embeddings.v1", "claim_alignment.v1"})
MODEL_REGISTRY: dict[str, Callable[..., Any]] = {
    "logistic_regression.v1": logistic_regression,
    "linear_svm.v1": calibrated_linear_svm,
    "complement_nb.v1": complement_nb,
    "sgd.v1": sgd,
}
# Wrappers of the (two-stage) classifier that combine models of the main corpus and the extra sources.
STACKING_REGISTRY: dict[str, Callable[..., Any]] = {
    "source_stacking.v1": SourceStackingClassifier,
}
REGISTRIES = {"normalizer": NORMALIZER_REGISTRY, "feature": FEATURE_REGISTRY, "model": MODEL_REGISTRY,
              "stacking": STACKING_REGISTRY}


def suggest(word: str, choices: Any) -> str:
    """A ' (did you mean X?)' hint, or ''."""
    names = [str(c) for c in choices]
    same_but_case = [c for c in names if c.lower() == str(word).lower()]
    close = same_but_case or difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
        classifier = ThresholdedMultiLabel(
            base,
            tune_thresholds=bool(th.get("tune", True)),
            threshold_cv=int(th.get("cv", 5)),
            default_threshold=float(th.get("default", 0.5)),
            random_state=seed,
            calibration=model_cfg.get("calibration"),
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
