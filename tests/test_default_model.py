"""The default experiment's model on articles it never saw (tests/fixtures/heldout_articles.jsonl)."""

from __future__ import annotations

import pytest

from didgah.experiment.config import load_config
from didgah.experiment.sources import load_training_data
from didgah.registry import build_classifier


@pytest.fixture(scope="module")
def default_model(root_dir):
    config = load_config(root_dir / "experiments" / "topics.yaml")
    train, _ = load_training_data(config)
    return build_classifier(config).fit(train.texts, train.labels)


def test_sample_corpus_meets_its_datasheet(sample_rows):
    assert len(sample_rows) >= 300
    counts = {label: sum(label in r["labels"] for r in sample_rows) for label in ("security", "refugees", "reconstruction")}
    assert min(counts.values()) >= 90
    assert sum(1 for r in sample_rows if not r["labels"]) >= 90
    words = [len(r["text"].split()) for r in sample_rows]
    assert min(words) >= 40 and max(words) <= 1500
    assert sum(w >= 600 for w in words) >= 100          # real-news lengths: long reports, topic in one paragraph
    assert len({r["text"] for r in sample_rows}) == len(sample_rows)



def test_evidence_sentences_are_verbatim_in_their_articles(sample_rows, root_dir, read_jsonl):
    """data/sample_topics_evidence.jsonl: one sentence per label of an article, copied from its title or text."""
    rows = {r["id"]: r for r in sample_rows}
    evidence = read_jsonl(root_dir / "data" / "sample_topics_evidence.jsonl")
    assert len(evidence) >= 200
    seen = set()
    for line in evidence:
        article = rows[line["id"]]
        assert line["label"] in article["labels"], line["id"]
        assert line["sentence"].strip() and line["sentence"] in f"{article['title']}\n{article['text']}", line["id"]
        seen.add((line["id"], line["label"]))
    covered = {line["id"] for line in evidence}
    assert all((i, label) in seen for i in covered for label in rows[i]["labels"])

def test_heldout_articles_get_their_labels(default_model, sample_rows, fixtures_dir, read_jsonl):
    heldout = read_jsonl(fixtures_dir / "heldout_articles.jsonl")
    training_texts = {r["text"] for r in sample_rows}
    assert not any(r["text"] in training_texts for r in heldout)
    predicted = default_model.predict([r["text"] for r in heldout])
    for row, labels in zip(heldout, predicted):
        assert labels == row["labels"], row["id"]
