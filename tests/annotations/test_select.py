"""Selection strategies on small data: what each chooses and what it records for prevalence weighting."""

from __future__ import annotations

import numpy as np
import pytest

from didgah.annotations.select import (
    diversity_selection,
    random_selection,
    rules_selection,
    uncertainty_scores,
    uncertainty_selection,
)
from didgah.errors import DidgahError

LABELS = ["security", "refugees", "reconstruction"]


def test_random_is_seeded_skips_labelled_and_records_its_pool():
    ids = [str(i) for i in range(20)]
    first = random_selection(ids, 5, exclude={"0", "1"}, seed=3)
    assert [c.id for c in first.choices] == [c.id for c in random_selection(ids, 5, {"0", "1"}, seed=3).choices]
    assert not {"0", "1"} & {c.id for c in first.choices} and len(first.choices) == 5
    assert first.strata == {"random": {"pool": 18, "drawn": 5}}
    assert {c.pool for c in first.choices} == {18} and {c.strategy for c in first.choices} == {"random"}
    assert len(random_selection(ids, 50).choices) == 20  # never more than there are
    with pytest.raises(DidgahError, match="--n"):
        random_selection(ids, 0)


def test_rules_enrich_the_strata_the_functions_vote_for(sample_rows):
    rows = sample_rows[:120]
    texts, ids = [f"{r['title']}\n{r['text']}" for r in rows], [str(r["id"]) for r in rows]
    selection = rules_selection(texts, ids, "topic_lfs.v1", 30, seed=0, labels=LABELS, rest_share=0.2)
    strata = selection.strata
    assert set(strata) == {"rules:security", "rules:refugees", "rules:reconstruction", "rules:none"}
    assert sum(s["pool"] for s in strata.values()) == 120  # the strata split the pool
    assert sum(s["drawn"] for s in strata.values()) == len(selection.choices) == 30
    assert strata["rules:none"]["drawn"] == min(6, strata["rules:none"]["pool"])
    for choice in selection.choices:
        assert choice.pool == strata[choice.strategy]["pool"]
    # the items drawn for a label hold it far more often than the corpus does
    chosen = {c.id: c.strategy for c in selection.choices}
    hits = [("refugees" in r["labels"]) for r in rows if chosen.get(str(r["id"])) == "rules:refugees"]
    share = np.mean(["refugees" in r["labels"] for r in rows])
    assert hits and np.mean(hits) > share
    # the queue mixes the strata from the start
    assert len({c.strategy for c in selection.choices[:4]}) >= 3
    with pytest.raises(DidgahError, match="none of the labels"):
        rules_selection(texts, ids, "topic_lfs.v1", 5, labels=["sports"])


class _Model:
    """A stand-in for a saved model: fixed scores."""

    task = "multilabel"
    classes_ = ["security", "refugees"]
    thresholds = {"security": 0.5, "refugees": 0.3}

    def __init__(self, proba):
        self.proba = np.asarray(proba)

    def predict_proba(self, inputs):
        return self.proba[[int(x) for x in inputs]]


def test_uncertainty_picks_scores_closest_to_their_thresholds():
    model = _Model([[0.9, 0.0], [0.52, 0.9], [0.1, 0.31], [0.0, 0.0]])
    inputs, ids = ["0", "1", "2", "3"], ["a", "b", "c", "d"]
    selection = uncertainty_selection(model, inputs, ids, 2)
    assert [c.id for c in selection.choices] == ["c", "b"]  # 0.01 from refugees' 0.3, then 0.02 from 0.5
    assert selection.choices[0].pool is None and selection.choices[0].strategy == "uncertainty"
    assert [c.id for c in uncertainty_selection(model, inputs, ids, 2, exclude={"c"}).choices] == ["b", "a"]
    model.task = "multiclass"
    model.proba = np.array([[0.5, 0.5], [0.99, 0.01], [0.7, 0.3], [1.0, 0.0]])
    assert np.argmax(uncertainty_scores(model, inputs)) == 0  # highest entropy


def test_uncertainty_with_a_saved_model(finished_run):
    from didgah.persist import load_model

    run, data = finished_run
    model = load_model(run)
    texts = ["حمله تروریستی در مرز", "بازسازی مدرسه پس از زلزله", "اردوگاه پناهجویان", "خبر ورزشی"]
    selection = uncertainty_selection(model, texts, ["a", "b", "c", "d"], 2)
    assert len(selection.choices) == 2 and all(c.score is not None for c in selection.choices)


def test_diversity_skips_near_duplicates_of_labelled_and_chosen_items():
    base = ["نیروهای مسلح در مرز شمالی به یک پایگاه نظامی حمله کردند و چند نفر کشته شدند",
            "هزاران پناهجو پس از سیل به اردوگاه‌های موقت منتقل شدند و کمک‌ها ادامه دارد",
            "قرارداد بازسازی پل‌های تخریب‌شده در جنگ امضا شد و کار از ماه آینده آغاز می‌شود",
            "تیم ملی فوتبال در بازی دوستانه پیروز شد"]
    texts = [base[0], base[0] + "!", base[1], base[1].replace("هزاران", "هزاران نفر"), base[2], base[3], base[2] + " ."]
    ids = [str(i) for i in range(len(texts))]
    selection = diversity_selection(texts, ids, 10, exclude={"0"}, seed=0, threshold=0.8)
    chosen = {c.id for c in selection.choices}
    assert "1" not in chosen  # repeats the labelled item 0
    assert len(chosen & {"2", "3"}) == 1 and len(chosen & {"4", "6"}) == 1 and "5" in chosen
    assert selection.strata["diversity"]["skipped_duplicates"] == 3
    assert all(c.pool is None for c in selection.choices)
    ordered = diversity_selection(texts, ids, 2, order=[6, 4, 5], threshold=0.8)
    assert [c.id for c in ordered.choices] == ["6", "5"]
