"""The weak-label command and silver labels as extra training data."""

from __future__ import annotations

import json

import pytest
import yaml

from didgah.cli import main
from didgah.errors import ConfigError
from didgah.weak import NEGATIVE

ROWS = [
    {"nid": 1, "title": "حمله تروریستی", "body": "حمله تروریستی داعش در کابل ده‌ها کشته داشت. داعش مسئولیت را پذیرفت."},
    {"nid": 1, "title": "حمله تروریستی", "body": "حمله تروریستی داعش در کابل ده‌ها کشته داشت. داعش مسئولیت را پذیرفت."},
    {"nid": 2, "title": "پناهجویان", "body": "صدها پناهجو و آوارگان افغانستانی به مرز رسیدند."},
    {"nid": 3, "title": "فوتبال", "body": "تیم ملی فوتبال در لیگ برتر با سرمربی جدید و بازیکنان جوان به قهرمانی رسید."},
    {"nid": 4, "title": "بازسازی", "body": "بازسازی مناطق زلزله‌زده و خانه‌های تخریب شده در زلزله آغاز شد."},
    {"nid": 5, "title": "بورس", "body": "شاخص کل بورس و قیمت دلار و نرخ ارز و تورم و نقدینگی امروز بالا رفت."},
]


@pytest.fixture(scope="session")
def weak_config(write_jsonl):
    """``weak_config(folder, **changes) -> path``: a weak-label config over ROWS, with its gold files, in ``folder``."""

    def write(tmp_path, **changes):
        write_jsonl(tmp_path / "corpus.jsonl", ROWS)
        write_jsonl(tmp_path / "gold.jsonl", [{"id": 1, "text": "x", "labels": ["security"]},
                                              {"id": 3, "text": "x", "labels": []},
                                              {"id": 99, "text": "x", "labels": []}])
        write_jsonl(tmp_path / "other_gold.jsonl", [{"id": 77, "text": "x", "labels": []}, {"id": 78, "text": "y", "labels": []}])
        config = {
            "name": "tiny",
            "input": {"path": "corpus.jsonl", "text_fields": ["title", "body"], "id_field": "nid", "deduplicate": True},
            "functions": ["topic_lfs.v1"],
            "label_model": {"name": "majority.v1"},
            "gold": [{"path": "gold.jsonl", "name": "tiny_gold"}],
            "output": "out",
        }
        config.update(changes)
        path = tmp_path / "weak.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        return path

    return write


@pytest.mark.parametrize("model", ["majority.v1", "learned.v1"])
def test_weak_label_end_to_end(tmp_path, capsys, model, read_jsonl, weak_config):
    config = weak_config(tmp_path, label_model={"name": model})
    assert main(["weak-label", str(config)]) == 0
    out = capsys.readouterr().out
    assert "(1 repeated ids dropped)" in out and "| function | label |" in out
    assert "Silver vs gold: tiny_gold (2 of 3 gold rows matched)" in out
    silver = {row["nid"]: row for row in read_jsonl(tmp_path / "out" / "silver.jsonl")}
    assert sorted(silver) == [1, 2, 3, 4, 5]
    assert silver[1]["labels"] == ["security"] and silver[1]["title"] == "حمله تروریستی"
    assert silver[3]["labels"] == [] and silver[5]["labels"] == []
    if model == "majority.v1":  # five texts are too few to learn accuracies from; the vote decides
        assert silver[2]["labels"] == ["refugees"] and silver[4]["labels"] == ["reconstruction"]
    assert silver[3]["votes"]["security"]["sport"] == NEGATIVE
    assert set(silver[1]["confidence"]) == {"security", "refugees", "reconstruction"}
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["gold"][0]["micro_f1"] == 1.0 and report["silver_counts"]["security"] == 1
    assert (tmp_path / "out" / "report.md").read_text(encoding="utf-8").startswith("# Weak labels: tiny")


def test_weak_label_repeated_ids_need_deduplicate(tmp_path, capsys, weak_config):
    config = weak_config(tmp_path, input={"path": "corpus.jsonl", "text_fields": ["title", "body"], "id_field": "nid"})
    assert main(["weak-label", str(config)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "id '1' repeats" in err and "deduplicate" in err


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"label_model": {"name": "snorkel"}}, "label_model.name: 'snorkel' is not one of"),
        ({"label_model": {"name": "learned.v1", "params": {"abstain_wieght": 1}}}, "did you mean 'abstain_weight'"),
        ({"threshold": 2}, "threshold: expected a number between 0 and 1"),
        ({"functions": ["topic_lfs.v2"]}, "no built-in set of that name (did you mean 'topic_lfs.v1'?)"),
        ({"gold": [{"path": "gold.jsonl", "id_field": "nope"}]}, "row 0: no id in field 'nope'"),
        ({"gold": [{"path": "other_gold.jsonl"}]}, "gold[0]: none of the 2 ids"),
        ({"inptu": {}}, "inptu: unknown key (did you mean 'input'?)"),
    ],
)
def test_weak_label_bad_config_exits_2_with_one_line(tmp_path, capsys, changes, message, weak_config):
    config = weak_config(tmp_path, **changes)
    assert main(["weak-label", str(config), "--output", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("didgah: error: ") and err.count("\n") == 0 and message in err


def test_weak_label_set_override_and_max_chars(tmp_path, capsys, read_jsonl, weak_config):
    config = weak_config(tmp_path)
    assert main(["weak-label", str(config), "--set", "input.max_chars=3", "--set", "gold=[]",
                 "--output", str(tmp_path / "short")]) == 0
    silver = read_jsonl(tmp_path / "short" / "silver.jsonl")
    assert all(row["labels"] == [] for row in silver)  # 3 characters hold no topic evidence
    assert "Silver vs gold" not in capsys.readouterr().out


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize(("config", "floor"), [("weak_topics.yaml", 0.82), ("weak_topics_farsnews.yaml", 0.76)])
def test_silver_labels_agree_with_gold_on_real_news(tmp_path, config, floor, root_dir, shared_dir):
    from didgah.weak.run import weak_label

    folder = weak_label(root_dir / "experiments" / config, output=tmp_path, echo=lambda _: None)
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    gold = report["gold"][0]
    assert gold["matched"] == gold["gold_rows"]  # every gold article was labelled
    assert gold["micro_f1"] >= floor, gold["per_label"]
    assert gold["per_label"]["security"]["f1"] >= 0.8
    assert shared_dir.is_dir()


def test_experiment_trains_on_silver_labels_made_when_it_runs(tmp_path, small_rows, make_config, write_jsonl, weak_config):
    from didgah.experiment.runner import run_experiment

    weak = weak_config(tmp_path)
    rows = [dict(r, story=str(i % 7 + 3)) for i, r in enumerate(small_rows)]  # stories 3..9; silver ids 1..5
    data = write_jsonl(tmp_path / "main.jsonl", rows)
    config = make_config(tmp_path, data, data={
        "train": str(data), "text_fields": ["title", "text"], "label_field": "labels", "group_field": "story",
        "labels": ["security", "refugees", "reconstruction"],
        "extra_train": [{"name": "silver", "weak_label": str(weak), "weight": 0.5}]})
    run = run_experiment(config, runs_dir=tmp_path / "runs")
    env = json.loads((run / "environment.json").read_text())
    assert env["data"]["silver"]["n"] == 5 and env["data"]["silver"]["source"] == f"silver from {weak}"
    assert env["data"]["silver"]["label_counts"]["security"] == 1
    metrics = json.loads((run / "metrics.json").read_text())
    assert sum(metrics["extra_rows_left_out"]) > 0  # silver articles 3, 4, 5 are evaluated stories


def test_weak_label_source_takes_its_fields_from_its_config(tmp_path, small_rows, make_config, write_jsonl, weak_config):
    from didgah.experiment.config import load_config

    weak = weak_config(tmp_path)
    data = write_jsonl(tmp_path / "main.jsonl", small_rows)
    config = make_config(tmp_path, data, data={"extra_train": [{"weak_label": str(weak), "text_fields": ["text"]}]})
    with pytest.raises(ConfigError, match=r"extra_train\[0\]\.text_fields: a weak_label source's text_fields comes from"):
        load_config(config)
