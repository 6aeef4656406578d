"""Stance: pair features, two-stage model, stance metrics, the sample stance experiment, CLI on pairs."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from didgah.cli import main
from didgah.errors import ConfigError, DataError
from didgah.experiment.config import load_config
from didgah.experiment.runner import run_experiment
from didgah.features import ClaimAlignment, PairDifference, PairSimilarity, StanceCues
from didgah.features.claim_alignment import verb_polarity
from didgah.metrics import fnc_score, stance_metrics
from didgah.models import TwoStageClassifier

PAIRS = [
    ("حمله به پایگاه نظامی", "پایگاه نظامی هدف حمله موشکی قرار گرفت. دو نفر زخمی شدند."),
    ("حمله به پایگاه نظامی", "سخنگوی ارتش خبر حمله به پایگاه را تکذیب کرد و آن را شایعه خواند."),
    ("حمله به پایگاه نظامی", "قیمت طلا در بازار تهران افزایش یافت."),
]


def test_fnc_score_by_hand():
    truth = ["agree", "unrelated", "discuss", "disagree"]
    # related/unrelated right on all four (4 x 0.25), stance right on 2 of 3 related (2 x 0.75)
    assert fnc_score(truth, ["agree", "unrelated", "agree", "disagree"]) == pytest.approx((1 + 1.5) / 3.25)
    assert fnc_score(truth, truth) == 1.0


def test_stance_metrics_add_conventions():
    fnc = stance_metrics(np.array([0, 1, 2, 3]), np.array([0, 1, 2, 2]), ["agree", "disagree", "discuss", "unrelated"])
    assert {"fnc_score", "f1m", "macro_f1", "confusion_matrix"} <= set(fnc) and fnc["f1m"] == fnc["macro_f1"]
    sem = stance_metrics(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), ["favor", "against", "none"])
    assert sem["f_avg"] == pytest.approx((sem["per_label"]["favor"]["f1"] + sem["per_label"]["against"]["f1"]) / 2)
    assert "fnc_score" not in sem


def test_pair_similarity_ranks_related_text_higher():
    X = PairSimilarity().fit(PAIRS).transform(PAIRS).toarray()
    assert X[0, 0] > X[2, 0] and X[0, 2] > X[2, 2]  # whole-text and best-sentence similarity
    assert X[0, 5] == pytest.approx(0.75) and X[2, 5] == 0.0  # share of target words (3 of 4) in the text


def test_stance_cues_find_refutation_in_best_sentence():
    f = StanceCues().fit(PAIRS)
    names = list(f.get_feature_names_out())
    X = f.transform(PAIRS).toarray()
    refute = names.index("best:refute:hits")
    assert X[1, refute] > 0 and X[0, refute] == 0


def test_pair_difference_names_contradictions():
    pairs = [("کاهش قیمت نفت", "افزایش قیمت نفت"), ("کاهش قیمت نفت", "افزایش قیمت نفت در بازار")]
    names = set(PairDifference(min_df=1).fit(pairs).get_feature_names_out())
    assert {"T:کاهش", "X:افزایش", "T:کاهش|X:افزایش"} <= names


def test_verb_polarity_reads_the_negation_prefix_not_words_that_start_with_it():
    assert verb_polarity("ندارد") == ("دار", True) and verb_polarity("دارد") == ("دار", False)
    assert verb_polarity("نمی‌شود") == ("شو", True) and verb_polarity("نیافته") == ("یافت", True)
    assert verb_polarity("نشست") == ("نشست", False)  # a past stem itself, not «شست» negated
    assert verb_polarity("نظر") is None and verb_polarity("نفت") is None


def test_claim_alignment_sees_a_negated_or_reversed_claim():
    article = "وزیر گفت دولت برای این طرح بودجه دارد. قیمت نفت در ماه گذشته افزایش یافت."
    pairs = [("وزیر گفت دولت برای این طرح بودجه دارد", article),
             ("وزیر گفت دولت برای این طرح هیچ بودجه‌ای ندارد", article),
             ("قیمت نفت در ماه گذشته کاهش یافت", article),
             ("تیم ملی فوتبال در جام جهانی برنده شد", article)]
    f = ClaimAlignment(top_k=1).fit(pairs)
    names = list(f.get_feature_names_out())
    X = f.transform(pairs).toarray()
    assert X.shape == (4, len(names))
    col = {n: X[:, names.index(n)] for n in names}
    assert col["sentence_polarity_flips"].tolist()[:2] == [0, 1] and col["sentence_polarity_same"][0] >= 1
    assert col["negated_only_in_target"].tolist()[:2] == [0, 1] and col["target_absolutes_missing"][1] == 1
    assert col["opposite_words_sentences"].tolist()[:3] == [0, 0, 1]
    assert col["idf_coverage_text"][0] == pytest.approx(1.0) and col["idf_coverage_text"][3] < 0.3


def test_pair_features_need_pairs():
    with pytest.raises(DataError, match="target, text"):
        PairSimilarity().fit(["فقط متن"])


def test_two_stage_probabilities():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = np.where(X[:, 0] < -0.3, 2, np.where(X[:, 1] > 0, 0, 1))
    clf = TwoStageClassifier(LogisticRegression(), unrelated_class=2).fit(X, y)
    P = clf.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert (clf.predict(X) == y).mean() > 0.8


def test_second_stage_can_take_its_own_parameters(tmp_path):
    from didgah.registry import build_classifier

    config = {"task": "stance", "data": {"labels": ["agree", "disagree", "discuss", "unrelated"]},
              "features": [{"name": "pair_similarity.v1"}],
              "model": {"name": "logistic_regression.v1", "params": {"C": 2.0}, "two_stage": "unrelated",
                        "second_stage": {"params": {"C": 20.0}}}}
    two = build_classifier(config).classifier
    assert two.estimator.C == 2.0 and two.second_estimator.C == 20.0
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 2))
    y = np.where(X[:, 0] < -0.3, 3, np.where(X[:, 1] > 0, 0, 1))
    two.fit(X, y)
    assert two.first_.C == 2.0 and two.second_.C == 20.0
    path = tmp_path / "c.yaml"
    path.write_text("name: x\ntask: stance\ndata: {train: d.jsonl, target_field: t}\n"
                    "features: [{name: pair_similarity.v1}]\n"
                    "model: {name: logistic_regression.v1, second_stage: {params: {C: 3}}}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="model.second_stage: only with model.two_stage"):
        load_config(path)
    config["model"]["second_stage"] = {"params": {"Cc": 3}}
    with pytest.raises(ConfigError, match="model.second_stage.params.Cc"):
        build_classifier(config)


def test_pair_features_need_stance_task(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: x\ndata: {train: d.jsonl}\nfeatures: [{name: pair_similarity.v1}]\n"
                    "model: {name: logistic_regression.v1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="needs task: stance"):
        load_config(path)
    path.write_text("name: x\ntask: stance\ndata: {train: d.jsonl}\nfeatures: [{name: pair_similarity.v1}]\n"
                    "model: {name: logistic_regression.v1}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="target_field"):
        load_config(path)


def test_sample_stance_experiment_and_predict(tmp_path, capsys, root_dir, read_jsonl, write_jsonl):
    run = run_experiment(root_dir / "experiments" / "stance_sample.yaml", ["evaluation.folds=3"], runs_dir=tmp_path)
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["task"] == "stance" and "f_avg" in metrics["summary"]
    assert metrics["headline"]["mean"] > 0.4  # well above chance (0.33) on 3 classes
    preds = read_jsonl(run / "predictions.jsonl")
    assert len(preds) == 160 and all("target" in p for p in preds)
    rows = [{"target": "بازگشت آوارگان سوری به کشورشان", "text": "دولت از بازگشت داوطلبانه آوارگان استقبال کرد."}]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    assert main(["predict", str(run / "model.skops"), "--input", str(src), "--output", str(tmp_path / "o.jsonl")]) == 0
    out = read_jsonl(tmp_path / "o.jsonl")[0]
    assert out["label"] in {"favor", "against", "none"} and set(out["scores"]) == {"favor", "against", "none"}
    bad = write_jsonl(tmp_path / "bad.jsonl", [{"text": "بدون هدف"}])
    assert main(["predict", str(run / "model.skops"), "--input", str(bad), "--output", str(tmp_path / "b.jsonl")]) == 2
    assert "no field 'target'" in capsys.readouterr().err
    labelled = write_jsonl(tmp_path / "labelled.jsonl", read_jsonl(root_dir / "data" / "sample_stance.jsonl")[:30])
    assert main(["evaluate", str(run), "--data", str(labelled), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["data"]["n"] == 30 and 0 <= result["f_avg"] <= 1


@pytest.mark.shared
@pytest.mark.parametrize("name", ["stance_farexstance_h2c", "stance_farexstance_b2c", "stance_2019_split",
                                  "stance_2019_cv"])
def test_real_stance_configs_validate_and_find_their_data(name, root_dir, shared_dir):
    config = load_config(root_dir / "experiments" / f"{name}.yaml")
    assert str(shared_dir) in config["data"]["train"] or str(shared_dir.resolve()) in config["data"]["train"]
    from didgah.experiment.sources import load_training_data

    train, test = load_training_data(config)
    assert len(train) > 1000 and train.targets is not None
    assert all(label in config["data"]["labels"] for label in set(train.labels))


@pytest.mark.shared
@pytest.mark.slow
def test_2019_split_reproduces_the_published_split_size(tmp_path, root_dir):
    run = run_experiment(root_dir / "experiments" / "stance_2019_split.yaml", runs_dir=tmp_path)
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["folds"][0]["n"] == 406  # 20% of 2,029 pairs
    assert metrics["summary"]["accuracy"]["mean"] > 0.69  # the dataset's own baseline
