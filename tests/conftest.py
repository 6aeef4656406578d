"""Shared fixtures. No network: the hub is offline and Hugging Face caches live in a temporary folder."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

_HF_HOME = tempfile.mkdtemp(prefix="didgah-hf-")
os.environ["HF_HOME"] = _HF_HOME
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ.pop("HF_DATASETS_CACHE", None)
os.environ["DIDGAH_CACHE_DIR"] = os.path.join(_HF_HOME, "didgah-cache")  # never the user's cache folder

import json  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample_topics.jsonl"
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).parent / "fixtures"


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_HF_HOME, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the real corpora in {SHARED} (absent in this checkout)")
    for item in items:
        if "shared" in item.keywords:
            item.add_marker(skip)


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _small_config(tmp_path: Path, data_path: Path, **changes) -> Path:
    """A fast multi-label config over ``data_path`` written into ``tmp_path``; ``changes`` update sections."""
    config = {
        "name": "small",
        "task": "multilabel",
        "seed": 7,
        "data": {"train": str(data_path), "text_fields": ["title", "text"], "label_field": "labels",
                 "labels": ["security", "refugees", "reconstruction"]},
        "features": [{"name": "tfidf_words.v1", "params": {"min_df": 1}},
                     {"name": "topic_lexicon.v1"}],
        "model": {"name": "logistic_regression.v1", "thresholds": {"cv": 3}},
        "evaluation": {"method": "kfold", "folds": 3},
    }
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key] = {**config[key], **value}
        else:
            config[key] = value
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def root_dir() -> Path:
    """The repository folder (experiments/, data/, notebooks/ ...)."""
    return ROOT


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The sample topic corpus, data/sample_topics.jsonl."""
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The real corpora in ../shared/data (tests marked ``shared`` are skipped when it is absent)."""
    return SHARED


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    """tests/fixtures: small data files the tests read."""
    return FIXTURES


@pytest.fixture(scope="session")
def write_jsonl():
    """``write_jsonl(path, rows) -> path``: rows as UTF-8 JSON lines, parent folders created."""
    return _write_jsonl


@pytest.fixture
def write_lf_file(tmp_path):
    """``write_lf_file(body) -> path``: a labelling-function YAML file (``body`` dedented) in ``tmp_path``."""
    def write(body: str) -> str:
        path = tmp_path / "lfs.yaml"
        path.write_text(textwrap.dedent(body), encoding="utf-8")
        return str(path)
    return write


@pytest.fixture(scope="session")
def read_jsonl():
    """``read_jsonl(path) -> rows``: the rows of a JSON-lines file, blank lines skipped."""
    return _read_jsonl


@pytest.fixture(scope="session")
def make_config():
    """``make_config(folder, data_path, **changes) -> path``: a fast multi-label config written as
    ``folder/config.yaml``; each keyword replaces a section, or updates it when both are mappings."""
    return _small_config


@pytest.fixture(scope="session")
def sample_rows() -> list[dict]:
    return _read_jsonl(SAMPLE)


@pytest.fixture(scope="session")
def small_rows(sample_rows) -> list[dict]:
    """60 articles of the sample corpus, every label combination represented."""
    by_combo: dict[tuple, list[dict]] = {}
    for row in sample_rows:
        by_combo.setdefault(tuple(row["labels"]), []).append(row)
    picked = []
    while len(picked) < 60:
        for rows in by_combo.values():
            if rows:
                picked.append(rows.pop(0))
    return picked[:60]


@pytest.fixture
def small_data(tmp_path, small_rows) -> Path:
    return _write_jsonl(tmp_path / "small.jsonl", small_rows)


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, small_rows, make_config, write_jsonl):
    """One finished run on 40 articles (2 folds) and its data file: ``(run_dir, data_path)``."""
    from didgah.experiment.runner import run_experiment

    folder = tmp_path_factory.mktemp("sharing")
    data = write_jsonl(folder / "data.jsonl", small_rows[:40])
    config = make_config(folder, data, evaluation={"method": "kfold", "folds": 2})
    return run_experiment(config, runs_dir=folder / "runs"), data
