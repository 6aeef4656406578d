import pickle

import pytest

from didgah.config_types import ExperimentConfig
from didgah.errors import ModelFileError
from didgah.persist import load_model, save_model, sha256_file
from didgah.registry import build_classifier

CONFIG = {"name": "t", "data": {}, "task": "multilabel", "features": [{"name": "tfidf_chars.v1", "params": {"min_df": 1}}],
          "model": {"name": "logistic_regression.v1", "thresholds": {"tune": False}}}
TEXTS = ["حمله نظامی", "بازسازی شهر", "حمله موشکی", "بازسازی خانه"]
LABELS = [["security"], ["reconstruction"], ["security"], ["reconstruction"]]


@pytest.fixture
def saved(tmp_path):
    model = build_classifier(ExperimentConfig.from_dict(CONFIG)).fit(TEXTS, LABELS)
    model.metadata_ = {"labels": model.classes_, "normalizer": {"name": "persian_normalizer.v1"}}
    return model, save_model(model, tmp_path / "m.skops")


def test_round_trip_keeps_predictions_and_metadata(saved):
    model, path = saved
    loaded = load_model(path)
    assert loaded.predict(TEXTS) == model.predict(TEXTS)
    assert loaded.metadata_["normalizer"]["name"] == "persian_normalizer.v1"
    assert (path.parent / "m.skops.sha256").is_file()


def test_pickle_file_refused(tmp_path, saved):
    path = tmp_path / "model.pkl"
    path.write_bytes(pickle.dumps(saved[0]))
    with pytest.raises(ModelFileError, match="pickle"):
        load_model(path)


def test_truncated_file_refused(tmp_path, saved):
    data = saved[1].read_bytes()
    path = tmp_path / "cut.skops"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="truncated|corrupt"):
        load_model(path)


def test_changed_file_fails_checksum(saved):
    _, path = saved
    sidecar = path.parent / "m.skops.sha256"
    sidecar.write_text("0" * 64)
    with pytest.raises(ModelFileError, match="checksum"):
        load_model(path)


class Stranger:
    """A type outside didgah's trusted list."""


def test_untrusted_types_refused(tmp_path):
    import skops.io as sio

    model = build_classifier(ExperimentConfig.from_dict(CONFIG)).fit(TEXTS, LABELS)
    model.metadata_ = {"evil": Stranger()}
    path = tmp_path / "x.skops"
    sio.dump(model, path)
    with pytest.raises(ModelFileError, match=r"untrusted types test_persist\.Stranger"):
        load_model(path)
    assert load_model(path, trust=["test_persist.Stranger"]).predict(TEXTS) == model.predict(TEXTS)


def test_missing_and_foreign_files(tmp_path):
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "none.skops")
    text = tmp_path / "notes.skops"
    text.write_text("hello")
    with pytest.raises(ModelFileError, match="not a skops model file"):
        load_model(text)


def test_types_to_trust_lists_without_loading(tmp_path, monkeypatch, saved):
    import skops.io as sio

    from didgah.persist import types_to_trust

    assert types_to_trust(saved[1]) == []
    model = build_classifier(ExperimentConfig.from_dict(CONFIG)).fit(TEXTS, LABELS)
    model.metadata_ = {"evil": Stranger()}
    path = tmp_path / "x.skops"
    sio.dump(model, path)

    def never(*args, **kwargs):
        raise AssertionError("listing must not load the file")

    monkeypatch.setattr(sio, "load", never)
    assert types_to_trust(path) == ["test_persist.Stranger"]


def test_trust_exactly_the_listed_types(tmp_path):
    import skops.io as sio

    model = build_classifier(ExperimentConfig.from_dict(CONFIG)).fit(TEXTS, LABELS)
    model.metadata_ = {"evil": Stranger()}
    path = tmp_path / "x.skops"
    sio.dump(model, path)
    with pytest.raises(ModelFileError, match="untrusted types test_persist.Stranger"):
        load_model(path, trust=["test_persist.Other"])


def test_run_directory_loads_and_its_recorded_checksum_is_verified(tmp_path, saved):
    import json
    import shutil

    from didgah.rundir import RUN_FILES

    model, path = saved
    run = tmp_path / "run-1"
    run.mkdir()
    shutil.copy(path, run / "model.skops")
    for name in RUN_FILES:
        if name != "model.skops":
            (run / name).write_text("{}" if name.endswith(".json") else "")
    (run / "metrics.json").write_text(json.dumps({"model_sha256": sha256_file(run / "model.skops")}))
    assert load_model(run).predict(TEXTS) == model.predict(TEXTS)
    # no .sha256 sidecar here: the run's metrics.json record alone catches a changed file
    (run / "metrics.json").write_text(json.dumps({"model_sha256": "0" * 64}))
    with pytest.raises(ModelFileError, match="checksum does not match metrics.json model_sha256"):
        load_model(run)
    (run / "metrics.json").write_text("{not json")
    with pytest.raises(ModelFileError, match="metrics.json: not valid JSON"):
        load_model(run / "model.skops")
    (run / "environment.json").unlink()
    with pytest.raises(ModelFileError, match=r"not a finished run directory \(no environment.json\)"):
        load_model(run)


def test_stance_model_with_claim_alignment_and_second_stage_round_trips(tmp_path):
    config = {"name": "t", "task": "stance", "data": {"labels": ["agree", "disagree", "unrelated"]},
              "features": [{"name": "claim_alignment.v1"}, {"name": "tfidf_words.v1", "params": {"min_df": 1, "part": "target"}}],
              "model": {"name": "logistic_regression.v1", "two_stage": "unrelated", "second_stage": {"params": {"C": 20.0}}}}
    article = "وزیر گفت دولت برای این طرح بودجه دارد. قیمت نفت افزایش یافت."
    pairs = [("دولت بودجه دارد", article), ("دولت هیچ بودجه‌ای ندارد", article), ("تیم فوتبال برد", article)] * 2
    labels = ["agree", "disagree", "unrelated"] * 2
    model = build_classifier(ExperimentConfig.from_dict(config)).fit(pairs, labels)
    model.metadata_ = {"labels": model.classes_}
    loaded = load_model(save_model(model, tmp_path / "stance.skops"))
    assert loaded.predict(pairs) == model.predict(pairs)
    assert loaded.pipeline_.named_steps["classify"].second_.C == 20.0


@pytest.mark.parametrize("recorded,named", [(None, "format 1"), (99, "format 99")])
def test_model_of_another_format_is_refused_with_its_version(tmp_path, recorded, named):
    from didgah.models.text_classifier import MODEL_FORMAT

    model = build_classifier(ExperimentConfig.from_dict(CONFIG)).fit(TEXTS, LABELS)
    assert model.format_version_ == MODEL_FORMAT
    if recorded is None:
        del model.format_version_  # as models saved before the format was recorded
    else:
        model.format_version_ = recorded
    path = save_model(model, tmp_path / "old.skops")
    with pytest.raises(ModelFileError, match=f"saved in model {named}; this didgah reads format {MODEL_FORMAT}"):
        load_model(path)
