"""didgah (دیدگاه): Persian news text classification and stance analysis.

The public API: normalize and tokenize Persian text, run experiment configs, load trained models and
label new texts. The command line (``didgah ...``) calls these same functions.
"""

from didgah._version import __version__
from didgah.errors import ConfigError, DataError, DidgahError, ModelFileError

__all__ = [
    "ConfigError",
    "DataError",
    "DidgahError",
    "ExperimentConfig",
    "ModelFileError",
    "PersianNormalizer",
    "__version__",
    "build_classifier",
    "evaluate_model",
    "latest_run",
    "load_config",
    "load_corpus",
    "load_model",
    "normalize",
    "open_run",
    "predict_file",
    "run_experiment",
    "save_model",
    "tokenize",
]

_LAZY = {
    "PersianNormalizer": "didgah.text.normalizer",
    "normalize": "didgah.text.normalization",
    "tokenize": "didgah.text.tokenization",
    "build_classifier": "didgah.registry",
    "ExperimentConfig": "didgah.config_types",
    "evaluate_model": "didgah.predict",
    "predict_file": "didgah.predict",
    "load_config": "didgah.experiment.config",
    "load_corpus": "didgah.data",
    "load_model": "didgah.persist",
    "save_model": "didgah.persist",
    "run_experiment": "didgah.experiment.runner",
    "open_run": "didgah.experiment.runs",
    "latest_run": "didgah.experiment.runs",
}


def __getattr__(name: str):  # lazy: keep `import didgah` light for the CLI and notebooks
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'didgah' has no attribute {name!r}")


def __dir__() -> list[str]:  # tab completion sees the lazily loaded names too
    return sorted(set(globals()) | set(__all__))
