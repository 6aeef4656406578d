import csv
import json

import pytest

from didgah.data import content_fingerprint, load_corpus, persian_share
from didgah.errors import DataError

ROWS = [
    {"id": "a", "title": "حمله", "text": "حمله به پایگاه", "labels": ["security"], "topic": "war", "src": "x"},
    {"id": "b", "title": "آوارگان", "text": "بازگشت آوارگان", "labels": ["refugees"], "topic": "people", "src": "x"},
    {"id": "c", "title": "فوتبال", "text": "بازی فوتبال", "labels": [], "topic": "sport", "src": "y"},
]


def test_jsonl_csv_parquet_and_saved_folder_load_the_same(tmp_path, write_jsonl):
    import datasets

    jsonl = write_jsonl(tmp_path / "c.jsonl", ROWS)
    csv_path = tmp_path / "c.csv"
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "title", "text", "topic"])
        writer.writeheader()
        for r in ROWS:
            writer.writerow({k: r[k] for k in ("id", "title", "text", "topic")})
    ds = datasets.Dataset.from_list(ROWS)
    ds.to_parquet(str(tmp_path / "c.parquet"))
    ds.save_to_disk(str(tmp_path / "saved"))
    a = load_corpus(str(jsonl), ["title", "text"], "labels")
    assert a.texts[0] == "حمله\nحمله به پایگاه" and a.labels[1] == ["refugees"] and a.ids == ["a", "b", "c"]
    for source in (tmp_path / "c.parquet", tmp_path / "saved"):
        b = load_corpus(str(source), ["title", "text"], "labels")
        assert b.texts == a.texts and b.labels == a.labels
    c = load_corpus(str(csv_path), ["title", "text"], "topic", multilabel=False)
    assert c.labels == ["war", "people", "sport"] and c.texts == a.texts
    assert a.fingerprint.startswith("sha256:") and a.fingerprint != c.fingerprint


def test_missing_file_and_column(tmp_path, write_jsonl):
    with pytest.raises(DataError, match="no such file"):
        load_corpus(str(tmp_path / "none.jsonl"), ["text"], "labels")
    path = write_jsonl(tmp_path / "c.jsonl", ROWS)
    with pytest.raises(DataError, match=r"has no column 'body' \(columns: .*text"):
        load_corpus(str(path), ["body"], "labels")


def test_empty_text_rows_named_or_skipped(tmp_path, write_jsonl):
    rows = ROWS + [{"id": "d", "title": " ", "text": "\n", "labels": []}]
    path = write_jsonl(tmp_path / "c.jsonl", rows)
    with pytest.raises(DataError, match=r"1 row\(s\) with empty text .*rows 3"):
        load_corpus(str(path), ["title", "text"], "labels")
    corpus = load_corpus(str(path), ["title", "text"], "labels", empty_text="skip")
    assert len(corpus) == 3 and corpus.skipped == [3]


def test_unknown_label_names_the_row(tmp_path, write_jsonl):
    path = write_jsonl(tmp_path / "c.jsonl", ROWS)
    with pytest.raises(DataError, match=r"row 0: label 'security' is not in the declared labels"):
        load_corpus(str(path), ["text"], "labels", labels=["refugees"])


def test_bad_encoding_and_duplicate_ids(tmp_path, write_jsonl):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(json.dumps({"text": "خبر"}, ensure_ascii=False).encode("utf-8") + b"\n" +
                    '{"text": "خبر"}'.encode("cp1256") + b"\xff\n")
    with pytest.raises(DataError, match="line 2: not valid UTF-8"):
        load_corpus(str(bad), ["text"], None)
    dup = write_jsonl(tmp_path / "dup.jsonl", [ROWS[0], ROWS[0]])
    with pytest.raises(DataError, match="duplicate id"):
        load_corpus(str(dup), ["text"], "labels")


def test_malformed_jsonl_is_one_line_error(tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "خبر"}\n{"text": \n', encoding="utf-8")
    with pytest.raises(DataError, match="broken.jsonl line 2: not valid JSON") as info:
        load_corpus(str(path), ["text"], None)
    assert "\n" not in str(info.value)


def test_hub_id_offline_is_clear():
    with pytest.raises(DataError, match="hub is offline"):
        load_corpus("someone/persian-news", ["text"], "label")


def test_single_label_field_holding_a_list(tmp_path, write_jsonl):
    path = write_jsonl(tmp_path / "c.jsonl", ROWS)
    with pytest.raises(DataError, match="holds a list; set task: multilabel"):
        load_corpus(str(path), ["text"], "labels", multilabel=False)


def test_fingerprint_depends_on_content():
    assert content_fingerprint(["الف"], [["x"]]) != content_fingerprint(["الف"], [["y"]])
    assert content_fingerprint(["الف"], None) == content_fingerprint(["الف"], None)


def test_persian_share():
    assert persian_share(["خبر فارسی"]) == 1.0
    assert persian_share(["english news"]) == 0.0


def test_a_list_of_sources_is_one_corpus_with_one_fingerprint(tmp_path, small_rows, write_jsonl):
    from didgah.data import load_corpus

    a = write_jsonl(tmp_path / "a.jsonl", small_rows[:10])
    b = write_jsonl(tmp_path / "b.jsonl", small_rows[10:25])
    corpus = load_corpus([str(a), str(b)], ["title", "text"], "labels")
    assert len(corpus) == 25 and corpus.ids == [r["id"] for r in small_rows[:25]]
    assert corpus.source == f"{a} + {b}"
    other = load_corpus([str(b), str(a)], ["title", "text"], "labels")
    assert other.fingerprint != corpus.fingerprint
    clash = write_jsonl(tmp_path / "c.jsonl", small_rows[:3])
    with pytest.raises(DataError, match="duplicate id"):
        load_corpus([str(a), str(clash)], ["title", "text"], "labels")


def test_rows_repeating_an_id_and_its_text_are_one_item_when_asked(tmp_path, write_jsonl):
    from didgah.data import load_corpus
    from didgah.errors import DataError

    rows = [{"news_id": "7", "article": "متن یک", "claim": "a"}, {"news_id": "7", "article": "متن یک", "claim": "b"},
            {"news_id": "8", "article": "متن دو", "claim": "c"}]
    path = write_jsonl(tmp_path / "pairs.jsonl", rows)
    with pytest.raises(DataError, match="1 duplicate id"):
        load_corpus(str(path), ["article"], id_field="news_id")
    corpus = load_corpus(str(path), ["article"], id_field="news_id", repeated_ids="same_text")
    assert corpus.ids == ["7", "8"] and corpus.texts == ["متن یک", "متن دو"]
    rows[1]["article"] = "متن دیگر"
    with pytest.raises(DataError, match="id '7' repeats with a different text"):
        load_corpus(str(write_jsonl(tmp_path / "other.jsonl", rows)), ["article"], id_field="news_id",
                    repeated_ids="same_text")
