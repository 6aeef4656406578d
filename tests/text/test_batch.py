"""Normalizing many texts: same output as one by one, in worker processes, and the on-disk cache."""

from __future__ import annotations

from pathlib import Path

import pytest

import didgah.text.batch as batch
from didgah.errors import DidgahWarning
from didgah.experiment.runner import run_experiment
from didgah.text.batch import normalize_many, tokenize_many
from didgah.text.cache import CACHE_FILE, NormalizedTextCache, default_cache_dir
from didgah.text.normalization import NORMALIZED_CACHE, normalize
from didgah.text.normalizer import PersianNormalizer
from didgah.text.tokenization import tokenize

RAW = ["كتاب ها و گروههای مسلح", "سال 1402 در تـــهران", "نمیشود و می شود", "كتاب ها و گروههای مسلح"]


@pytest.fixture
def counted(monkeypatch):
    """Counts the texts that are actually normalized (not read from a cache)."""
    seen: list[str] = []
    original = batch._Normalize.__call__

    def counting(self, texts):
        seen.extend(texts)
        return original(self, texts)

    monkeypatch.setattr(batch._Normalize, "__call__", counting)
    NORMALIZED_CACHE.clear()
    yield seen
    NORMALIZED_CACHE.clear()


def test_same_output_as_normalize(tmp_path, counted):
    expected = [normalize(t, digits="latin") for t in RAW]
    assert normalize_many(RAW, digits="latin", cache_dir=tmp_path) == expected
    assert counted == RAW[:3]  # the repeated text is normalized once


def test_worker_processes_give_the_same_output(monkeypatch, sample_rows):
    texts = [row["text"] for row in sample_rows[:40]]
    monkeypatch.setattr(batch, "MIN_PARALLEL_CHARS", 0)
    NORMALIZED_CACHE.clear()
    assert normalize_many(texts, n_jobs=2, cache=False) == [normalize(t) for t in texts]
    assert tokenize_many(texts[:10], n_jobs=2) == [tokenize(t) for t in texts[:10]]


def test_second_run_reads_the_disk_cache(tmp_path, counted):
    first = normalize_many(RAW, cache_dir=tmp_path)
    assert (tmp_path / CACHE_FILE).is_file() and len(counted) == 3
    NORMALIZED_CACHE.clear()  # a new process: only the disk remembers
    assert normalize_many(RAW, cache_dir=tmp_path) == first
    assert len(counted) == 3
    # other options are other entries
    normalize_many(RAW, digits="latin", cache_dir=tmp_path)
    assert len(counted) == 6


def test_cache_off_never_writes(tmp_path, counted):
    normalize_many(RAW, cache=False, cache_dir=tmp_path)
    assert not (tmp_path / CACHE_FILE).exists()


def test_unwritable_cache_folder_warns_and_normalizes(tmp_path, counted):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.warns(DidgahWarning, match="not usable"):
        out = normalize_many(RAW, cache_dir=blocker / "sub")
    assert out == [normalize(t) for t in RAW]


def test_cache_folder_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DIDGAH_CACHE_DIR", str(tmp_path / "env"))
    assert default_cache_dir() == tmp_path / "env"
    assert NormalizedTextCache("x").path == tmp_path / "env" / CACHE_FILE


def test_normalizer_pairs_and_params(tmp_path, counted):
    norm = PersianNormalizer(cache_dir=str(tmp_path), n_jobs=2)
    out = norm.fit_transform([("كتاب ها", "گروههای مسلح"), "سال 1402"])
    assert out == [(normalize("كتاب ها"), normalize("گروههای مسلح")), normalize("سال 1402")]
    assert norm.get_params()["n_jobs"] == 2 and norm.get_params()["cache_dir"] == str(tmp_path)


def test_second_experiment_does_not_normalize_again(tmp_path, small_data, counted, make_config):
    config = make_config(tmp_path, small_data, preprocess={"cache_dir": "cache"})
    run_experiment(config, runs_dir=tmp_path / "runs")
    assert counted and (tmp_path / "cache" / CACHE_FILE).is_file()
    first = len(counted)
    NORMALIZED_CACHE.clear()
    run_experiment(config, runs_dir=tmp_path / "runs")
    assert len(counted) == first


def test_daemonic_workers_normalize_in_process(monkeypatch):
    from types import SimpleNamespace

    monkeypatch.setattr(batch, "MIN_PARALLEL_CHARS", 0)
    monkeypatch.setattr(batch.multiprocessing, "current_process", lambda: SimpleNamespace(daemon=True))
    monkeypatch.setattr(batch, "process_context", lambda: pytest.fail("a daemonic process cannot start workers"))
    NORMALIZED_CACHE.clear()
    assert normalize_many(RAW, n_jobs=2, cache=False) == [normalize(t) for t in RAW]


def test_a_changed_rule_or_word_count_gets_a_new_cache_namespace(tmp_path):
    import shutil

    package = Path(batch.__file__).resolve().parent
    copy = tmp_path / "text"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert batch.fingerprint_of(copy) == batch.rules_fingerprint()
    counts = copy / "resources" / "word_frequencies.tsv"
    counts.write_text(counts.read_text(encoding="utf-8") + "گوشهای\t3\n", encoding="utf-8")
    changed = batch.fingerprint_of(copy)
    assert changed != batch.rules_fingerprint()
    (copy / "word_repairs.py").write_text("RULE_OUT_STEM = 100\n", encoding="utf-8")
    assert batch.fingerprint_of(copy) not in (changed, batch.rules_fingerprint())
    assert batch.cache_namespace("persian_normalizer.v2", "persian", True, True).endswith(
        f"|rules={batch.rules_fingerprint()}")
