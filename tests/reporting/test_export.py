"""Hub-layout export of a finished run or model file, and its model card."""

from __future__ import annotations

import json

import numpy as np
import pytest

from didgah.errors import DidgahError, ModelFileError
from didgah.persist import load_model
from didgah.reporting.export import export_model


def test_export_writes_hub_layout_and_loads_again(finished_run, tmp_path):
    from huggingface_hub import ModelCard

    run, data = finished_run
    folder = export_model(run, tmp_path / "hub" / "topics-model", license="apache-2.0")
    assert {p.name for p in folder.iterdir()} == {"README.md", "config.json", "model.skops", "model.skops.sha256"}
    card = ModelCard.load(folder / "README.md")  # the hub's own parser, offline
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    assert card.data.language == ["fa"] and card.data.library_name == "didgah" and card.data.license == "apache-2.0"
    assert card.data.datasets == ["data"] and "f1" in card.data.metrics
    micro = next(r for r in card.data.eval_results if r.metric_name.startswith("micro_f1"))
    assert micro.metric_value == pytest.approx(metrics["summary"]["micro_f1"]["mean"], abs=1e-4)
    assert "## Intended use" in card.text and "didgah.load_model" in card.text
    assert str(tmp_path) not in card.text and str(data.parent) not in card.text  # no local paths travel
    settings = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert settings["labels"] == ["security", "refugees", "reconstruction"] and settings["model_file"] == "model.skops"
    texts = ["حمله تروریستی به پایگاه نظامی", "بازسازی مدرسه پس از زلزله"]
    assert np.allclose(load_model(folder).predict_proba(texts), load_model(run / "model.skops").predict_proba(texts))
    # a bare model file exports too (card from the model's own metadata)
    bare = export_model(folder / "model.skops", tmp_path / "bare")
    assert load_model(bare).labels == settings["labels"]


def test_export_refuses_a_non_empty_folder_and_a_tampered_model(finished_run, tmp_path):
    run, _ = finished_run
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "x").write_text("x")
    with pytest.raises(DidgahError, match="already exists and is not empty"):
        export_model(run, tmp_path / "taken")
    folder = export_model(run, tmp_path / "out")
    settings = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**settings, "sha256": "0" * 64}))
    with pytest.raises(ModelFileError, match="checksum does not match config.json"):
        load_model(folder)
    with pytest.raises(ModelFileError, match="without config.json"):
        load_model(tmp_path / "taken")
