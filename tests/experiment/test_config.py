from pathlib import Path

import pytest
import yaml

from didgah.config_files import apply_overrides, default_of, dump_config
from didgah.config_types import ExperimentConfig, PreprocessConfig
from didgah.errors import ConfigError
from didgah.experiment.config import load_config
from didgah.registry import build_classifier
from didgah.weak.config import load_weak_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exp.yaml"
    path.write_text(text, encoding="utf-8")
    return path


V2 = "persian_normalizer.v2"

BASE = """
name: t
data: {train: data.jsonl}
features: [{name: tfidf_words.v1}]
model: {name: logistic_regression.v1}
"""


def test_defaults_filled_and_paths_resolved_against_the_config(tmp_path):
    config = load_config(write(tmp_path, BASE))
    assert config.data.train == str(tmp_path / "data.jsonl")
    assert config.task == "multilabel" and config.seed == 0
    assert config.features[0].params["ngram_range"] == [1, 2]
    assert config.model.params["C"] == 10.0
    assert config.evaluation.to_dict() == {"method": "kfold", "folds": 5, "test_size": 0.2, "stratify": True,
                                           "near_duplicate_threshold": 0.9}


def test_the_default_experiment_validates(root_dir):
    config = load_config(root_dir / "experiments" / "topics.yaml")
    assert Path(config.data.train).is_file()
    assert config.runs_dir == str(root_dir / "runs")


@pytest.mark.parametrize(
    "text, message",
    [
        (BASE + "modle: {}\n", r"modle: unknown key \(did you mean 'model'\?\)"),
        (BASE.replace("name: t\n", "name: t\nseed: many\n"), "seed: expected an integer, got 'many'"),
        (BASE.replace("name: t\n", "name: t\ntask: multi\n"), "task: 'multi' is not one of multilabel, multiclass"),
        (BASE.replace("logistic_regression.v1", "logistic_regresion.v1"), "did you mean 'logistic_regression.v1'"),
        (BASE.replace("{name: tfidf_words.v1}", "{name: tfidf_words.v1, params: {min_dff: 2}}"),
         r"features\[0\].params.min_dff: .*did you mean 'min_df'"),
        (BASE.replace("{name: logistic_regression.v1}", "{name: logistic_regression.v1, params: {seed: 3}}"),
         "model.params.seed"),
        (BASE.replace("data: {train: data.jsonl}", ""), "data: missing section"),
        (BASE.replace("name: t\n", ""), "name: missing required key"),
        (BASE + "evaluation: {method: test}\n", "'test' needs data.test"),
        (BASE.replace("{train: data.jsonl}", "{train: data.jsonl, text_fields: title}"), "text_fields: expected a list"),
        ("name: [unclosed\n", "line 2, column 1: invalid YAML"),
        ("- just a list\n", "expected a mapping"),
    ],
)
def test_config_errors_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match=message) as info:
        load_config(write(tmp_path, text))
    assert str(tmp_path / "exp.yaml") in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "nope.yaml")


def test_overrides_nested_typed_and_indexed(tmp_path):
    config = load_config(write(tmp_path, BASE), ["model.params.C=3", "seed=5", "features.0.params.min_df=1",
                                                 "evaluation.method=holdout"])
    assert config.model.params["C"] == 3 and config.seed == 5
    assert config.features[0].params["min_df"] == 1
    assert config.evaluation.method == "holdout"
    with pytest.raises(ConfigError, match="key=value"):
        apply_overrides({}, ["seed"])
    with pytest.raises(ConfigError, match="not an index"):
        apply_overrides(yaml.safe_load(BASE), ["features.4.params.min_df=1"])


def test_new_configs_use_v2_and_save_the_hamza_option():
    assert default_of(PreprocessConfig, "normalizer") == V2
    assert default_of(PreprocessConfig, "hamza") is None
    classifier = build_classifier(ExperimentConfig.from_dict({
        "name": "t", "data": {}, "preprocess": {"hamza": "fold"}, "features": [{"name": "tfidf_words.v1"}],
        "model": {"name": "logistic_regression.v1"}}))
    assert classifier.normalizer.version == V2 and classifier.normalizer.hamza == "fold"


def test_a_bad_hamza_choice_in_a_config_is_a_one_line_error(tmp_path):
    from didgah.experiment.config import load_config

    path = tmp_path / "exp.yaml"
    path.write_text("name: t\ndata: {train: data.jsonl}\nfeatures: [{name: tfidf_words.v1}]\n"
                    "model: {name: logistic_regression.v1}\npreprocess: {hamza: drop}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="preprocess.hamza: 'drop' is not one of keep, fold") as info:
        load_config(path)
    assert "\n" not in str(info.value)
    path.write_text(path.read_text(encoding="utf-8").replace("drop", "fold"), encoding="utf-8")
    assert load_config(path).preprocess.hamza == "fold"


RESOLVED = Path(__file__).parent / "resolved"


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parents[2] / "experiments").glob("*.yaml")))
def test_resolved_configs_of_the_experiments_are_unchanged(root_dir, name):
    """The config.yaml a run saves: every key, default, value and the key order, as recorded in resolved/."""
    path = root_dir / "experiments" / name
    config = load_weak_config(path) if name.startswith("weak_") else load_config(path)
    shared = root_dir.parent / "shared"  # may be a link to the corpora elsewhere: paths resolve through it
    text = (dump_config(config).replace(str(shared.resolve()), "<root>/../shared").replace(str(root_dir), "<root>")
            .replace(str(root_dir.parent), "<root>/.."))
    assert text == (RESOLVED / name).read_text(encoding="utf-8")
    assert type(config).from_dict(config.to_dict()) == config  # a saved config reads back to the same object


@pytest.mark.parametrize("name", ["topics_real.yaml", "stance_farexstance_b2c_stacking.yaml", "weak_topics.yaml"])
def test_a_saved_config_file_loads_back_unchanged(root_dir, tmp_path, name):
    """A run's config.yaml is a config file too (``didgah rerun``): read again, it resolves to itself."""
    load = load_weak_config if name.startswith("weak_") else load_config
    config = load(root_dir / "experiments" / name)
    saved = tmp_path / "config.yaml"
    saved.write_text(dump_config(config), encoding="utf-8")
    again = load(saved)
    assert again.config_file == str(saved)
    again.config_file = config.config_file
    assert again == config


def test_every_experiment_has_its_resolved_config(root_dir):
    assert sorted(p.name for p in RESOLVED.glob("*.yaml")) == sorted(p.name for p in (root_dir / "experiments").glob("*.yaml"))


def test_the_typed_config_has_attributes_and_writes_the_saved_dictionary(tmp_path):
    config = load_config(write(tmp_path, BASE))
    saved = config.to_dict()
    assert list(saved) == ["name", "description", "task", "seed", "runs_dir", "data", "preprocess", "features", "model",
                           "training", "evaluation", "sweep", "tracking", "config_file"]
    assert saved["model"]["thresholds"] == {"tune": True, "cv": 5, "default": 0.5, "tune_on": "main", "prevalence": None,
                                           "fixed": None}
    assert config.model.thresholds.tune_on == "main" and config.data.labels is None
    saved["model"]["thresholds"]["cv"] = 3  # a copy: the config is unchanged
    assert config.model.thresholds.cv == 5
    assert yaml.safe_load(dump_config(config)) == config.to_dict()


def test_from_dict_validates_and_fills_defaults():
    config = ExperimentConfig.from_dict({"name": "t", "data": {"labels": ["a", "b"]}, "task": "multiclass",
                                         "features": [{"name": "tfidf_words.v1"}], "model": {"name": "logistic_regression.v1"}})
    assert config.features[0].params == {} and config.evaluation.folds == 5 and config.data.labels == ["a", "b"]
    assert config.config_file is None and "config_file" not in config.to_dict()
    with pytest.raises(ConfigError, match=r"model.thresholds.tune_of: unknown key \(did you mean 'tune_on'\?\)"):
        ExperimentConfig.from_dict({"name": "t", "data": {}, "features": [], "model": {"name": "x", "thresholds": {"tune_of": "all"}}})
    with pytest.raises(ConfigError, match="model.thresholds.tune_on: 'some' is not one of main, all"):
        ExperimentConfig.from_dict({"name": "t", "data": {}, "features": [], "model": {"name": "x", "thresholds": {"tune_on": "some"}}})
    with pytest.raises(ConfigError, match=r"data.extra_train\[0\].text_fields: missing required key"):
        ExperimentConfig.from_dict({"name": "t", "data": {"extra_train": [{"name": "x"}]}, "features": [], "model": {"name": "x"}})
    with pytest.raises(ConfigError, match=r"features\[0\].parms: unknown key \(did you mean 'params'\?\)"):
        ExperimentConfig.from_dict({"name": "t", "data": {}, "features": [{"name": "x", "parms": {}}], "model": {"name": "x"}})


def test_a_saved_run_config_reads_back(tmp_path):
    config = load_config(write(tmp_path, BASE))
    saved = yaml.safe_load(dump_config(config))
    again = ExperimentConfig.from_dict(saved)
    assert again == config and again.config_file == str(tmp_path / "exp.yaml")
    assert dump_config(again) == dump_config(config)
