"""Labelling functions: lexicon, regex and Python functions and how they vote."""

from __future__ import annotations

import pytest

from didgah.errors import ConfigError
from didgah.weak import (
    ABSTAIN,
    NEGATIVE,
    POSITIVE,
    LexiconLF,
    PythonLF,
    RegexLF,
    apply_functions,
)


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
