"""The typed experiment config: ``ExperimentConfig`` and its sections, every key's default declared once.

Each dataclass field is a config key: its type hint says which values it takes, its default fills the key
when a config leaves it out, and ``choices`` lists its allowed values. ``didgah.experiment.config`` reads a
YAML file into an ``ExperimentConfig`` (validated against these classes, paths and component parameters
resolved); ``ExperimentConfig.to_dict()`` is the resolved config a run saves as ``config.yaml``, and
``ExperimentConfig.from_dict()`` reads one back (validated again). The config reference in the docs is
generated from these classes.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from didgah.config_files import ConfigSection, section_keys, setting, subsection
from didgah.data import EMPTY_POLICIES, LONG_TEXT_POLICIES, MAX_CHARS, RESOLVE_POLICIES
from didgah.text.normalization import DEFAULT_VERSION, DIGIT_FORMS, HAMZA_FORMS, NORMALIZERS

TASKS = ("multilabel", "multiclass", "stance")
METHODS = ("kfold", "holdout", "test")
TUNE_ON = ("main", "all")
CALIBRATIONS = ("sigmoid", "isotonic", None)
TRAINING_MODES = ("standard", "streaming")


@dataclass(kw_only=True)
class DataPart(ConfigSection):
    """A part of ``data.train`` / ``data.test`` (a corpus read with its own fields); resolved, the keys a
    part leaves out hold the data section's values."""

    path: str | None = setting(None)
    annotations: list[str] = setting([])
    split: str | None = setting(None)
    text_fields: list[str] = setting([])
    label_field: str | None = setting(None)
    id_field: str | None = setting(None)
    group_field: str | None = setting(None)
    target_field: str | None = setting(None)


@dataclass(kw_only=True)
class ExtraSource(ConfigSection):
    """An entry of ``data.extra_train``: another corpus, or the silver labels of a weak-labelling config
    (``weak_label``), added to every training fold. Resolved, the fields it leaves out hold the data
    section's values (a ``weak_label`` source's come from its weak-labelling config)."""

    path: str | None = setting(None)
    weak_label: str | None = setting(None)
    annotations: list[str] = setting([])
    split: str | None = setting(None)
    text_fields: list[str] = setting()
    target_field: str | None = setting()
    label_field: str = setting()
    id_field: str | None = setting()
    group_field: str | None = setting()
    weight: float = setting(1.0)
    weight_field: str | None = setting(None)
    name: str = setting()

    def to_dict(self) -> dict[str, Any]:
        """Keys in the order a resolved config has always written them (``weak_label`` only when set)."""
        order: tuple[str, ...]
        if self.weak_label is not None:
            order = ("name", "path", "weak_label", "annotations", "split", "text_fields", "label_field", "id_field",
                     "target_field", "group_field")
        else:
            order = ("name", "path", "annotations", "split", "text_fields", "target_field", "label_field", "id_field",
                     "group_field")
        return {key: copy.deepcopy(getattr(self, key)) for key in (*order, "weight", "weight_field")}


# the keys an extra_train entry may have, in the order error messages list them
EXTRA_KEYS = tuple(key.name for key in section_keys(ExtraSource))


@dataclass(kw_only=True)
class DataConfig(ConfigSection):
    train: str | list[str] | list[DataPart] | None = setting(None)
    train_split: str | None = setting(None)
    test: str | list[str] | list[DataPart] | None = setting(None)
    test_split: str | None = setting(None)
    text_fields: list[str] = setting(["text"])
    test_text_fields: list[str] | None = setting(None)
    target_field: str | None = setting(None)
    label_field: str = setting("labels")
    labels: list[str] | None = setting(None)
    id_field: str | None = setting("id")
    group_field: str | None = setting(None)
    empty_text: str = setting("error", choices=EMPTY_POLICIES)
    extra_train: list[ExtraSource] = setting([])
    annotations: list[str] = setting([])
    test_annotations: list[str] = setting([])
    annotations_resolve: str = setting("error", choices=RESOLVE_POLICIES)


@dataclass(kw_only=True)
class PreprocessConfig(ConfigSection):
    """The normalizer (``normalizer``: its registered name) and its parameters (the other keys)."""

    normalizer: str = setting(DEFAULT_VERSION, choices=tuple(NORMALIZERS))
    digits: str = setting("persian", choices=DIGIT_FORMS)
    boilerplate: bool = setting(True)
    glued_words: bool = setting(True)
    hamza: str | None = setting(None, choices=(*HAMZA_FORMS, None))
    n_jobs: int | None = setting(1)
    cache: bool = setting(True)
    cache_dir: str | None = setting(None)
    max_chars: int | None = setting(MAX_CHARS)
    long_text: str = setting("truncate", choices=LONG_TEXT_POLICIES)

    def normalizer_params(self) -> dict[str, Any]:
        """The normalizer's parameters: every key but ``normalizer``."""
        return {key: value for key, value in self.to_dict().items() if key != "normalizer"}


@dataclass(kw_only=True)
class FeatureSpec(ConfigSection):
    """A feature extractor: its registered name and parameters (resolved: all of them, defaults filled)."""

    name: str = setting()
    params: dict[str, Any] = setting({})


@dataclass(kw_only=True)
class SecondStageConfig(ConfigSection):
    params: dict[str, Any] | None = setting(None)


@dataclass(kw_only=True)
class StackingConfig(ConfigSection):
    name: str = setting()
    params: dict[str, Any] = setting({})


@dataclass(kw_only=True)
class ThresholdsConfig(ConfigSection):
    tune: bool = setting(True)
    cv: int = setting(5)
    default: float = setting(0.5)
    tune_on: str = setting("main", choices=TUNE_ON)
    prevalence: dict[str, float] | None = setting(None)
    fixed: dict[str, float] | None = setting(None)


@dataclass(kw_only=True)
class ModelConfig(ConfigSection):
    name: str = setting()
    params: dict[str, Any] = setting({})
    two_stage: str | None = setting(None)
    second_stage: SecondStageConfig = subsection(SecondStageConfig)
    stacking: StackingConfig | None = setting(None)
    calibration: str | None = setting(None, choices=CALIBRATIONS)
    thresholds: ThresholdsConfig = subsection(ThresholdsConfig)


@dataclass(kw_only=True)
class TrainingConfig(ConfigSection):
    mode: str = setting("standard", choices=TRAINING_MODES)
    batch_size: int = setting(1000)
    epochs: int = setting(1)


@dataclass(kw_only=True)
class EvaluationConfig(ConfigSection):
    method: str = setting("kfold", choices=METHODS)
    folds: int = setting(5)
    test_size: float = setting(0.2)
    stratify: bool = setting(True)
    near_duplicate_threshold: float = setting(0.9)


@dataclass(kw_only=True)
class ExperimentConfig(ConfigSection):
    """An experiment config, resolved: every key present, every path absolute."""

    name: str = setting()
    description: str = setting("")
    task: str = setting("multilabel", choices=TASKS)
    seed: int = setting(0)
    runs_dir: str | None = setting(None)
    data: DataConfig = setting()
    preprocess: PreprocessConfig = subsection(PreprocessConfig)
    features: list[FeatureSpec] = setting()
    model: ModelConfig = setting()
    training: TrainingConfig = subsection(TrainingConfig)
    evaluation: EvaluationConfig = subsection(EvaluationConfig)
    # a sweep specification (expanded by `didgah sweep`), or in a sweep's run the point it ran
    sweep: dict[str, Any] | None = setting(None)
    tracking: dict[str, Any] | None = setting(None)  # e.g. {backend: mlflow, uri: sqlite:///mlflow.db}
    config_file: str | None = setting(None, saved=True)  # the file it was read from (not a key of the file)
