"""Weak supervision: labelling functions, vote statistics, label models, the weak-label command."""

from __future__ import annotations

import json
import textwrap

import numpy as np
import pytest
import yaml
from sklearn.base import clone

from didgah.cli import main
from didgah.errors import ConfigError, DidgahError
from didgah.weak import (
    ABSTAIN,
    NEGATIVE,
    POSITIVE,
    LearnedLabelModel,
    LexiconLF,
    MajorityLabelModel,
    PythonLF,
    RegexLF,
    VoteMatrix,
    apply_functions,
    function_stats,
    load_functions,
)

# ----------------------------------------------------------------------------- labelling functions


def test_lexicon_phrases_match_word_starts_and_spacing_variants():
    lf = LexiconLF("sec", ["security"], ["تروریست", "حمله هوایی"])
    assert lf("گروه‌های تروریستی") == {"security": POSITIVE}  # a word that starts with the phrase
    assert lf("حمله\u200cهوایی") == {"security": POSITIVE}  # ZWNJ where the phrase has a space
    assert lf("ضدتروریست") == {}  # not the start of a word
    assert lf("ورزش") == {}


def test_texts_are_normalized_before_matching():
    lf = LexiconLF("sec", ["security"], ["تروریستی"])
    matrix = apply_functions([lf], ["گروه تروريستي"], ["security"])  # Arabic yeh
    assert matrix.votes[0, 0, 0] == POSITIVE
    raw = apply_functions([lf], ["گروه تروريستي"], ["security"], normalizer=None)
    assert raw.votes[0, 0, 0] == ABSTAIN


def test_lexicon_weights_and_min_score():
    lf = LexiconLF("sec", ["security"], {"داعش": 2, "ارتش": 1}, min_score=2)
    assert lf("داعش") == {"security": POSITIVE}
    assert lf("ارتش") == {}
    assert lf("ارتش و ارتش") == {"security": POSITIVE}  # every occurrence counts
    assert lf.score("داعش و ارتش") == 3


def test_lexicon_exclusions_context_and_unless():
    excluded = LexiconLF("war", ["security"], ["جنگ"], exclude=["جنگ اقتصادی", "جنگل"])
    assert excluded("جنگ اقتصادی آمریکا") == {} and excluded("آتش در جنگل") == {}
    assert excluded("جنگ در یمن") == {"security": POSITIVE}
    rebuilt = LexiconLF("rebuild", ["reconstruction"], ["بازسازی"], context=["زلزله", "جنگ"])
    assert rebuilt("بازسازی خانه‌ها پس از زلزله آغاز شد.") == {"reconstruction": POSITIVE}
    assert rebuilt("زلزله آمد. بازسازی ورزشگاه آغاز شد.") == {}  # the context must be in the same sentence
    core = LexiconLF("core", ["security"], ["شهید"], unless=["دفاع مقدس"])
    assert core("یادواره شهید دفاع مقدس") == {} and core("شهید شدن سرباز در حمله") == {"security": POSITIVE}


def test_negative_vote_on_several_labels():
    sport = LexiconLF("sport", ["security", "refugees"], ["فوتبال"], vote=NEGATIVE)
    assert sport("بازی فوتبال") == {"security": NEGATIVE, "refugees": NEGATIVE}


def test_regex_function_and_min_count():
    lf = RegexLF("evac", ["refugees"], r"تخلیه[^.]{0,30}(?:سیل|آتش)", min_count=2)
    assert lf("تخلیه روستا به دلیل سیل") == {}
    assert lf("تخلیه روستا به دلیل سیل. تخلیه شهر به دلیل آتش") == {"refugees": POSITIVE}
    with pytest.raises(ConfigError, match="'bad'.*invalid pattern"):
        RegexLF("bad", ["refugees"], "(")


def test_python_function_votes_abstains_and_rejects_bad_votes():
    lf = PythonLF("len", lambda t: {"security": 1 if "حمله" in t else None, "refugees": 0}, ["security", "refugees"])
    assert lf("حمله") == {"security": POSITIVE, "refugees": NEGATIVE}
    assert lf("صلح") == {"refugees": NEGATIVE}
    bad = PythonLF("bad", lambda t: {"sport": 1}, ["security"])
    with pytest.raises(ConfigError, match="'bad'"):
        bad("x")


# ----------------------------------------------------------------------------- vote statistics


def test_function_stats_on_a_hand_made_matrix():
    # 4 texts, 3 functions, 1 label. f0 votes +,+,-,abstain; f1 +,abstain,+,abstain; f2 abstain,-,abstain,abstain
    votes = np.array([[1, 1, -1], [1, -1, 0], [0, 1, -1], [-1, -1, -1]])[:, :, None]
    gold = np.array([[1], [0], [0], [1]])
    stats = {s["function"]: s for s in function_stats(VoteMatrix(votes, ["f0", "f1", "f2"], ["x"]), gold)}
    assert stats["f0"]["coverage"] == 0.75 and stats["f0"]["polarity"] == "negative+positive"
    assert stats["f0"]["overlap"] == 0.75  # texts 0, 1, 2 all have another vote
    assert stats["f0"]["conflicts"] == 0.5  # text 1 (f2 says -), text 2 (f1 says +)
    assert stats["f0"]["accuracy"] == pytest.approx(2 / 3)  # right on texts 0 and 2, wrong on 1
    assert stats["f1"]["coverage"] == 0.5 and stats["f1"]["conflicts"] == 0.25 and stats["f1"]["accuracy"] == 0.5
    assert stats["f2"]["coverage"] == 0.25 and stats["f2"]["overlap"] == 0.25 and stats["f2"]["accuracy"] == 1.0
    matrix = VoteMatrix(votes, ["f0", "f1", "f2"], ["x"])
    assert matrix.fired(1) == {"x": {"f0": 1, "f2": 0}} and matrix.fired(3) == {"x": {}}


# ----------------------------------------------------------------------------- label models


def _synthetic(seed: int, accuracies, coverages, n=3000, prior=0.3):
    """Votes of independent functions with known accuracies; abstention independent of the label."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < prior
    votes = np.full((n, len(accuracies)), ABSTAIN)
    for j, (acc, cov) in enumerate(zip(accuracies, coverages)):
        voted = rng.random(n) < cov
        right = rng.random(n) < acc
        votes[voted, j] = np.where(right[voted], y[voted], ~y[voted])
    return votes[:, :, None], y


def test_learned_model_recovers_function_accuracies():
    accuracies = [0.95, 0.85, 0.75, 0.65]
    votes, _ = _synthetic(0, accuracies, [0.6, 0.5, 0.7, 0.8])
    model = LearnedLabelModel(abstain_weight=1.0).fit(votes)
    assert np.abs(model.accuracy_[0] - accuracies).max() < 0.06
    assert np.argsort(model.accuracy_[0]).tolist() == [3, 2, 1, 0]


def test_learned_model_beats_majority_when_weak_functions_outvote_a_good_one():
    votes, y = _synthetic(1, [0.97, 0.6, 0.6, 0.6, 0.6], [0.9, 0.9, 0.9, 0.9, 0.9])
    majority = MajorityLabelModel(abstain_proba=0.5).fit(votes).predict_proba(votes)[:, 0] > 0.5
    learned = LearnedLabelModel(abstain_weight=1.0).fit(votes).predict_proba(votes)[:, 0] >= 0.5
    assert (learned == y).mean() > (majority == y).mean() + 0.05
    assert (learned == y).mean() > 0.9


def test_label_models_are_deterministic_clonable_and_shaped():
    votes, _ = _synthetic(2, [0.9, 0.7], [0.5, 0.5], n=300)
    votes = np.concatenate([votes, votes[::-1]], axis=2)  # two labels
    a = LearnedLabelModel().fit(votes).predict_proba(votes)
    b = clone(LearnedLabelModel()).fit(votes).predict_proba(votes)
    assert a.shape == (300, 2) and np.array_equal(a, b) and ((a >= 0) & (a <= 1)).all()


def test_majority_without_votes_gives_abstain_proba_and_ties_half():
    votes = np.array([[1, 0], [-1, -1], [1, 1]])[:, :, None]
    assert MajorityLabelModel().fit(votes).predict_proba(votes)[:, 0].tolist() == [0.5, 0.0, 1.0]
    assert MajorityLabelModel(abstain_proba=0.2).fit(votes).predict_proba(votes)[1, 0] == pytest.approx(0.2)


def test_learned_model_gives_no_vote_texts_a_low_probability_for_a_rare_label():
    votes = np.full((500, 2), ABSTAIN)
    votes[:20, 0] = POSITIVE  # a rare label: 20 texts with a positive vote, a few confirmed by a second rule
    votes[:8, 1] = POSITIVE
    votes[480:, 1] = NEGATIVE
    proba = LearnedLabelModel().fit(votes[:, :, None]).predict_proba(votes[:, :, None])[:, 0]
    assert proba[:8].min() > 0.9 and proba[100:480].max() < 0.1
    assert proba[8:20].min() > proba[100]  # one positive vote is evidence


def test_learned_model_never_reads_a_negative_function_as_a_positive_one():
    votes = np.full((600, 3), ABSTAIN)
    votes[:40, 0] = POSITIVE   # a broad, noisy positive rule
    votes[:10, 1] = NEGATIVE   # a "no" rule that mostly fires where the broad rule also fires ...
    votes[590:, 1] = NEGATIVE  # ... and on a few texts alone
    votes[:6, 2] = POSITIVE    # a precise positive rule
    model = LearnedLabelModel().fit(votes[:, :, None])
    proba = model.predict_proba(votes[:, :, None])[:, 0]
    assert proba[590:].max() <= proba[100] + 1e-9  # the "no" rule alone never makes a text more likely positive
    assert model.accuracy_[0, 1] >= 0.5


def test_label_model_rejects_bad_votes():
    with pytest.raises(DidgahError, match="values must be"):
        MajorityLabelModel().fit(np.array([[2, 1]]))
    with pytest.raises(DidgahError, match="abstain_weight"):
        LearnedLabelModel(abstain_weight=3).fit(np.array([[1, 0]]))


# ----------------------------------------------------------------------------- function files


def test_builtin_topic_set_loads_and_covers_every_label():
    labels, functions = load_functions("topic_lfs.v1")
    assert labels == ["security", "refugees", "reconstruction"]
    for label in labels:
        assert any(label in lf.labels and lf.vote == POSITIVE for lf in functions)
        assert any(label in lf.labels and lf.vote == NEGATIVE for lf in functions)


@pytest.mark.parametrize(
    ("text", "label", "expected"),
    [
        ("حمله تروریستی داعش به یک مسجد در کابل ده‌ها کشته بر جا گذاشت.", "security", True),
        ("مذاکرات وین درباره برجام و لغو تحریم‌ها و غنی‌سازی ادامه دارد؛ برجام باید احیا شود.", "security", False),
        ("هزاران نفر از ساکنان به دلیل آتش‌سوزی جنگل‌ها خانه‌های خود را ترک کردند و تخلیه شدند.", "refugees", True),
        ("بازسازی مناطق زلزله‌زده و خانه‌های تخریب شده در زلزله آغاز شد.", "reconstruction", True),
        ("بازسازی روابط دو کشور در دستور کار است.", "reconstruction", False),
    ],
)
def test_builtin_set_follows_the_guideline_examples(text, label, expected):
    labels, functions = load_functions("topic_lfs.v1")
    votes = apply_functions(functions, [text], labels).votes[0, :, labels.index(label)]
    assert (POSITIVE in votes) == expected


def _lf_file(tmp_path, body: str):
    path = tmp_path / "lfs.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return str(path)


def test_function_file_with_lists_and_python_function(tmp_path):
    source = _lf_file(tmp_path, """
        labels: [a]
        lists: {war: [جنگ, نبرد]}
        functions:
          - {name: war, type: lexicon, phrases: ["@war"]}
          - {name: py, type: python, function: "tests_weak_helpers:always_negative"}
    """)
    (tmp_path / "tests_weak_helpers.py").write_text("def always_negative(text):\n    return {'a': 0}\n")
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        labels, functions = load_functions(source)
    finally:
        sys.path.remove(str(tmp_path))
    assert labels == ["a"] and [lf.name for lf in functions] == ["war", "py"]
    assert functions[0]("نبرد سخت") == {"a": POSITIVE} and functions[1]("x") == {"a": NEGATIVE}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("labels: [a]\nfunctions:\n  - {name: x, type: lexcon, phrases: [b]}", r"function 'x'\.type: 'lexcon'.*did you mean 'lexicon'"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: regex, pattern: b, phrase: c}", r"function 'x'\.phrase: unknown key"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: lexicon, labels: [z], phrases: [b]}", r"function 'x'\.labels: 'z'"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: lexicon, phrases: ['@nope']}", r"unknown list '@nope'"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: python, function: nomodule_zz:f}", r"cannot import 'nomodule_zz'"),
        ("labels: [a]\nfunctions: []", r"non-empty list 'functions'"),
        ("labels: [a]\nfunctions:\n  - {name: x, type: lexicon, phrases: [b], context: [c], window: two}", r"function 'x'\.window"),
    ],
)
def test_bad_function_files_name_the_file_and_function(tmp_path, body, message):
    source = _lf_file(tmp_path, body)
    with pytest.raises(ConfigError, match=message) as info:
        load_functions(source)
    assert str(info.value).startswith(source) and "\n" not in str(info.value)


# ----------------------------------------------------------------------------- the weak-label command

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


# ----------------------------------------------------------------------------- real corpora


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
    from didgah.errors import ConfigError
    from didgah.experiment.config import load_config

    weak = weak_config(tmp_path)
    data = write_jsonl(tmp_path / "main.jsonl", small_rows)
    config = make_config(tmp_path, data, data={"extra_train": [{"weak_label": str(weak), "text_fields": ["text"]}]})
    with pytest.raises(ConfigError, match=r"extra_train\[0\]\.text_fields: a weak_label source's text_fields comes from"):
        load_config(config)


def test_weak_votes_feature_signs_votes_and_keeps_pairs_seen_in_training(tmp_path):
    from didgah.features.weak_votes import WeakVotes
    from didgah.text.normalization import normalize

    lf_file = _lf_file(tmp_path, """
labels: [security, refugees]
functions:
  - {name: attack, type: lexicon, labels: [security], vote: positive, phrases: [حمله]}
  - {name: sport, type: lexicon, labels: [security, refugees], vote: negative, phrases: [فوتبال]}
  - {name: camp, type: lexicon, labels: [refugees], vote: positive, phrases: [اردوگاه]}
""")
    train = [normalize(t) for t in ["حمله به پاسگاه مرزی", "بازی فوتبال دیروز", "خبر اقتصادی"]]
    feature = WeakVotes(functions=str(lf_file)).fit(train)
    assert feature.pairs_.tolist() == ["attack:security", "sport:security", "sport:refugees"]
    out = feature.transform(train + [normalize("اردوگاه آوارگان پس از حمله")]).toarray()
    assert out.tolist() == [[1, 0, 0], [0, -1, -1], [0, 0, 0], [1, 0, 0]]  # 'camp' never voted in training
def test_context_window_reaches_neighbouring_sentences():
    same = LexiconLF("rebuild", ["reconstruction"], ["بازسازی"], context=["زلزله"])
    near = LexiconLF("rebuild", ["reconstruction"], ["بازسازی"], context=["زلزله"], window=1)
    text = "زلزله شهر را لرزاند. بازسازی خانه‌ها آغاز شد."
    assert same(text) == {} and near(text) == {"reconstruction": POSITIVE}
    far = "زلزله شهر را لرزاند. مردم در چادرند. باران آمد. بازسازی خانه‌ها آغاز شد."
    assert near(far) == {}  # three sentences away
    assert LexiconLF("r", ["reconstruction"], ["بازسازی"], context=["زلزله"], window=3)(far) == {"reconstruction": POSITIVE}
    with pytest.raises(ConfigError, match="window"):
        LexiconLF("r", ["reconstruction"], ["بازسازی"], context=["زلزله"], window=-1)
