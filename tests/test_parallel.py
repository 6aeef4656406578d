"""Folds through joblib: locally in worker processes and on a Dask cluster, with the sequential results."""

from __future__ import annotations

import json
import sys

import pytest

from didgah.cli import main
from didgah.errors import DidgahError
from didgah.experiment.runner import run_experiment
from didgah.parallel import delayed, execution, run_parallel


def _folds(run_dir):
    metrics = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
    predictions = (run_dir / "predictions.jsonl").read_text(encoding="utf-8")
    return metrics["folds"], metrics["thresholds"], predictions


def test_run_parallel_keeps_order():
    with execution("local", n_jobs=2):
        assert list(run_parallel([delayed(pow)(k, 2) for k in range(6)])) == [0, 1, 4, 9, 16, 25]


def test_dask_cluster_gives_the_local_results(tmp_path, small_data, make_config):
    distributed = pytest.importorskip("distributed", reason="needs the dask extra: pip install 'didgah[dask]'")
    config = make_config(tmp_path, small_data)
    local = run_experiment(config, runs_dir=tmp_path / "local")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        with execution("dask", cluster.scheduler_address) as client:
            with distributed.get_task_stream(client) as stream:
                remote = run_experiment(config, runs_dir=tmp_path / "dask")
            assert len(client.scheduler_info()["workers"]) == 2
    assert _folds(remote) == _folds(local)
    assert len({task["worker"] for task in stream.data}) >= 1 and len(stream.data) >= 1  # it ran on the cluster


def test_cli_backend_dask_without_extra(monkeypatch, capsys, tmp_path, small_data, make_config):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the extra were not installed
    code = main(["run", str(make_config(tmp_path, small_data)), "--backend", "dask", "--scheduler", "tcp://x:1"])
    err = capsys.readouterr().err
    assert code == 2 and "pip install 'didgah[dask]'" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_backend_errors_name_the_option():
    with pytest.raises(DidgahError, match="--scheduler"):
        with execution("local", scheduler="tcp://x:1"):
            pass
    with pytest.raises(DidgahError, match="--backend"):
        with execution("spark"):
            pass
