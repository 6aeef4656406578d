"""Config-file helpers: where a data source is read from."""

from didgah.config_files import resolve_source


def test_source_resolution(tmp_path):
    assert resolve_source("x.csv", tmp_path) == str(tmp_path / "x.csv")
    assert resolve_source("user/persian-news", tmp_path) == "user/persian-news"
    assert resolve_source("/abs/x.jsonl", tmp_path) == "/abs/x.jsonl"
