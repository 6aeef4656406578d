"""Labelling on a Dask cluster gives what one process gives (a LocalCluster of two worker processes)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytest.importorskip("distributed", reason="the optional extra didgah[dask] is not installed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local, \
            Client(local) as client:
        yield local, client


@pytest.fixture(scope="module")
def model_and_rows(finished_run, small_rows):
    from didgah import load_model

    run, _ = finished_run
    rows = [{"id": r["id"], "title": r["title"], "text": r["text"]} for r in small_rows]
    return run, load_model(run / "model.skops"), rows


def test_a_dataframe_is_labelled_partition_by_partition_as_one_process_would(cluster, model_and_rows, monkeypatch):
    import pandas as pd

    from didgah.predict import label_rows
    from didgah.predict_dask import predict_dataframe

    _, client = cluster
    _, model, rows = model_and_rows
    scattered = []
    scatter = client.scatter
    monkeypatch.setattr(client, "scatter", lambda data, **kw: scattered.append(kw) or scatter(data, **kw))
    labelled = predict_dataframe(model, pd.DataFrame(rows), client=client, npartitions=4).compute()
    expected = label_rows(model, rows, ["title", "text"], "rows")
    assert labelled["id"].tolist() == [r["id"] for r in expected]
    assert [list(x) for x in labelled["labels"]] == [r["labels"] for r in expected]
    assert labelled["scores"].tolist() == [r["scores"] for r in expected]
    # the model went to every worker once (one broadcast), not once per partition
    assert scattered == [{"broadcast": True}]


def test_predict_on_a_cluster_writes_the_same_file(cluster, model_and_rows, tmp_path, write_jsonl):
    local, _ = cluster
    run, _, rows = model_and_rows
    data = write_jsonl(tmp_path / "in.jsonl", rows)
    outputs = {}
    for name, extra in (("one", []), ("dask", ["--backend", "dask", "--scheduler", local.scheduler_address])):
        out = tmp_path / f"{name}.jsonl"
        done = subprocess.run([sys.executable, "-m", "didgah.cli", "predict", str(run), "--input", str(data),
                               "--output", str(out), *extra], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        outputs[name] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert outputs["dask"] == outputs["one"] and len(outputs["one"]) == len(rows)


def test_batches_come_back_in_order_with_few_in_flight(cluster, model_and_rows):
    from didgah.predict_dask import label_batches_on_cluster

    _, client = cluster
    _, model, rows = model_and_rows
    batches = [rows[i:i + 7] for i in range(0, len(rows), 7)]
    got = list(label_batches_on_cluster(model, iter(batches), ["title", "text"], "rows", client=client))
    assert [n for _, _, n in got] == [len(b) for b in batches]
    assert [r["id"] for labelled, _, _ in got for r in labelled] == [r["id"] for r in rows]


def test_without_a_client_it_is_a_clear_error(model_and_rows, tmp_path):
    run, _, _ = model_and_rows
    code = ("import pandas as pd; from didgah import load_model; from didgah.predict_dask import predict_dataframe; "
            f"predict_dataframe(load_model({str(run / 'model.skops')!r}), pd.DataFrame([{{'text': 'متن'}}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode != 0 and "no Dask client: connect one first" in done.stderr


def test_predict_with_dask_needs_a_scheduler(model_and_rows, tmp_path, write_jsonl):
    run, _, rows = model_and_rows
    data = write_jsonl(tmp_path / "in.jsonl", rows[:3])
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "predict", str(run), "--input", str(data),
                           "--output", str(tmp_path / "o.jsonl"), "--backend", "dask"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.strip().splitlines() == [
        "didgah: error: --backend dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)"]
