"""Real Persian corpora from ../shared/data (skipped with a reason when that folder is absent)."""

from __future__ import annotations

import json

import pytest

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
def test_normalizer_is_idempotent_and_clean_on_real_news(relative, field, shared_dir):
    for text in _texts(shared_dir / relative, field, 150):
        once = normalize(text)
        assert normalize(once) == once
        assert not set(once) & set("يكى\u00a0\u200b\ufeff")
        assert "  " not in once and "\u200c\u200c" not in once
        assert "لینک کوتاه" not in once and "کپی لینک" not in once


def test_real_topic_gold_loads_with_declared_labels(shared_dir):
    corpus = load_corpus(str(shared_dir / "topics-dev" / "farsnews2011_articles.jsonl"), ["text"], "labels",
                         labels=["security", "refugees", "reconstruction"])
    assert len(corpus) == 296 and sum("security" in labels for labels in corpus.labels) == 95


def test_real_multiclass_corpus_loads(shared_dir):
    corpus = load_corpus(str(shared_dir / "isna-5cat" / "articles.jsonl"), ["title", "text"], "label", multilabel=False)
    assert len(corpus) == 6000 and set(corpus.labels) == {"cinema", "economics", "politics", "sport", "tech"}



def test_real_news_configs_read_the_gold_articles_in_place(root_dir, shared_dir):
    from pathlib import Path

    from didgah.experiment.config import load_config

    config = load_config(root_dir / "experiments" / "topics_real_sample.yaml")
    for source in config.data.test:
        assert Path(source).is_file() and Path(source).parent == (shared_dir / "topics-dev").resolve()
    config = load_config(root_dir / "experiments" / "topics_real.yaml")
    for part in config.data.train + config.data.test:
        assert Path(part.path).is_file() and Path(part.path).is_relative_to(shared_dir.resolve())
        for file in part.annotations:
            assert Path(file).is_relative_to(root_dir / "data" / "annotations")


def test_the_real_news_gold_joins_its_corpora_as_its_datasheet_says(root_dir):
    from didgah.experiment.config import load_config
    from didgah.experiment.sources import load_training_data

    config = load_config(root_dir / "experiments" / "topics_real.yaml")
    train, test = load_training_data(config)
    count = lambda corpus: [sum(label in labels for labels in corpus.labels)  # noqa: E731
                            for label in ("security", "refugees", "reconstruction")]
    assert len(train) == 496 + 1581 and count(train) == [168 + 275, 25 + 32, 10 + 32]
    assert len(test) == 541 and count(test) == [76, 19, 6]
    assert not set(train.ids) & set(test.ids)


FOOTER_WORDS = set("انتهای پیام لینک کوتاه کپی کد خبر نسخه چاپی ارسال به دوستان اشتراک گذاری".split()) | {""}


def _footer_only(removed: str) -> bool:
    """Text removed as debris: footer words, digits and links only, or a source credit («منبع: ...»)."""
    if removed.startswith(("منبع", "منابع")):
        return True
    words = [w.strip(":/|-»«") for w in removed.split()]
    return all(w in FOOTER_WORDS or w.isdigit() or w.startswith("http") for w in words)


@pytest.mark.parametrize("relative, field", [("isna-5cat/articles.jsonl", "text"), ("irnews-2020/articles.jsonl", "text"),
                                             ("farexstance/b2c_dev.jsonl", "article")])
def test_footer_removal_on_real_news_never_takes_a_word_of_a_sentence(relative, field, shared_dir):
    from didgah.text.debris import remove_page_debris
    from didgah.text.normalization import normalize_whitespace

    removed_anything = False
    for text in _texts(shared_dir / relative, field, 300):
        lines = normalize_whitespace(text).split("\n")
        kept = remove_page_debris("\n".join(lines)).split("\n")
        # kept lines are the article's lines in order; only the last may lose a tail
        position = 0
        for i, line in enumerate(kept):
            while lines[position] != line and not (i == len(kept) - 1 and lines[position].startswith(line)):
                assert _footer_only(lines[position]), lines[position]
                position += 1
                removed_anything = True
            if lines[position] != line:
                assert _footer_only(lines[position][len(line):]), lines[position]
                removed_anything = True
            position += 1
        for line in lines[position:]:
            assert _footer_only(line), line
            removed_anything = True
    assert removed_anything
