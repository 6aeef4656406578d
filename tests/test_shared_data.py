"""Real Persian corpora from ../shared/data (skipped with a reason when that folder is absent)."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED
from didgah.data import load_corpus
from didgah.text.normalization import normalize

pytestmark = pytest.mark.shared


def _texts(path, field, limit):
    out = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            out.append(json.loads(line)[field])
            if len(out) >= limit:
                break
    return out


@pytest.mark.parametrize(
    "relative, field",
    [("farsnews-2011/articles.jsonl", "text"), ("irnews-2020/articles.jsonl", "text"),
     ("farexstance/b2c_dev.jsonl", "article"), ("isna-5cat/articles.jsonl", "text")],
)
def test_normalizer_is_idempotent_and_clean_on_real_news(relative, field):
    for text in _texts(SHARED / relative, field, 150):
        once = normalize(text)
        assert normalize(once) == once
        assert not set(once) & set("يكى\u00a0\u200b\ufeff")
        assert "  " not in once and "\u200c\u200c" not in once
        assert "لینک کوتاه" not in once and "کپی لینک" not in once


def test_real_topic_gold_loads_with_declared_labels():
    corpus = load_corpus(str(SHARED / "topics-dev" / "farsnews2011_articles.jsonl"), ["text"], "labels",
                         labels=["security", "refugees", "reconstruction"])
    assert len(corpus) == 296 and sum("security" in labels for labels in corpus.labels) == 95


def test_real_multiclass_corpus_loads():
    corpus = load_corpus(str(SHARED / "isna-5cat" / "articles.jsonl"), ["title", "text"], "label", multilabel=False)
    assert len(corpus) == 6000 and set(corpus.labels) == {"cinema", "economics", "politics", "sport", "tech"}



@pytest.mark.parametrize("name, key", [("topics_real.yaml", "train"), ("topics_real_sample.yaml", "test")])
def test_real_news_configs_read_the_gold_articles_in_place(name, key):
    from pathlib import Path

    from conftest import ROOT
    from didgah.experiment.config import load_config

    config = load_config(ROOT / "experiments" / name)
    sources = config["data"][key]
    assert len(sources) == 2
    for source in sources:
        assert Path(source).is_file() and Path(source).parent == (SHARED / "topics-dev").resolve()
