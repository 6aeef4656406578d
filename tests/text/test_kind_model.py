"""The model of which kind a glued form in های is (a plural in ‌های or a form in ه‌ای), and how the
repairs use it."""

from __future__ import annotations

import math

import pytest

from didgah.text import kind_model, word_repairs
from didgah.text.letters import split_words
from didgah.text.normalization import normalize

Z = "\u200c"


def _at(text: str, word: str) -> tuple[list[str], int]:
    parts = split_words(text)
    return parts, parts.index(word)


def test_the_two_readings_of_a_glued_form():
    assert kind_model.readings("ماههای") == (f"ماه{Z}های", f"ماهه{Z}ای")
    assert kind_model.readings("زنجیرهای") == ("زنجیرهای", f"زنجیره{Z}ای")  # ر does not join: glued plural


def test_context_features_read_the_neighbours():
    parts, i = _at("او در مدرسهای که ساخته بود", "مدرسهای")
    found = kind_model.context_features(parts, i)
    assert {"next:که", "next2:ساخته", "prev:در"} <= set(found)
    assert not any(f.startswith(("after:", "before:")) for f in found)
    parts, i = _at("۳۳ سالهای، و", "سالهای")
    assert {"after:،", "before:0"} <= set(kind_model.context_features(parts, i))
    parts, i = _at("حرفهای", "حرفهای")
    assert set(kind_model.context_features(parts, i)) == {"after:end", "before:start"}
    parts, i = _at(f"کشورهای می{Z}روند", "کشورهای")
    assert {"next:mi", "next:verb"} <= set(kind_model.context_features(parts, i))
    parts, i = _at(f"نامهای سه تیم{Z}های", "نامهای")
    assert {"next:number"} <= set(kind_model.context_features(parts, i))


def test_odds_features_read_the_words_just_before_and_after():
    parts, i = _at("برخی حرفهای مختلف", "حرفهای")
    assert (kind_model.previous_word(parts, i), kind_model.next_word(parts, i)) == ("برخی", "مختلف")
    odds = kind_model.odds_features("مختلف", "برخی")
    assert odds["count:previous_word_odds"] < -2 and odds["count:next_word_odds"] < -2  # both speak for a plural
    assert kind_model.odds_features("که", None) == {
        "count:next_word_odds": pytest.approx(math.log(kind_model.next_word_odds("که"))), "count:previous_word_odds": 0.0}
    parts, i = _at("در، حرفهای.", "حرفهای")
    assert kind_model.previous_word(parts, i) is None and kind_model.next_word(parts, i) is None  # punctuation between


def test_count_features_follow_the_news_counts():
    features = kind_model.count_features("مدرسهای")
    assert features["count:readings"] > 0  # مدرسه‌ای is written, مدرس‌های hardly
    assert kind_model.count_features("تیمهای")["count:readings"] < 0
    assert kind_model.count_features("زنجیرهای")["count:stem_not_joining"] == 1.0


def test_the_shipped_weights_load_and_name_only_known_features():
    bias, weights = kind_model.weights()
    assert isinstance(bias, float) and len(weights) > 100
    prefixes = ("count:", "next:", "next2:", "prev:", "after:", "before:")
    assert all(name.startswith(prefixes) for name in weights)


@pytest.mark.parametrize("text, word, he", [
    ("او در مدرسهای که ساخته بود", "مدرسهای", True),
    ("همه حرفهای او", "حرفهای", False),  # همه: a plural follows
    ("حرفهای مختلف زد", "حرفهای", False),
    ("سه ستارهای که دیدیم", "ستارهای", True),
    ("زمینهای خود را فروخت", "زمینهای", False),
])
def test_the_model_reads_the_kind_from_counts_and_context(text, word, he):
    parts, i = _at(text, word)
    probability = kind_model.he_probability(word, parts, i)
    assert probability > 0.9 if he else probability < 0.1


def test_a_proposed_reading_stands_only_when_the_model_concurs():
    plural, he = kind_model.readings("حرفهای")
    concur, decide = word_repairs.CONCUR, word_repairs.DECIDE
    assert word_repairs._concur("حرفهای", he, concur) == he
    assert word_repairs._concur("حرفهای", he, concur - 0.01) == "حرفهای"  # the model doubts: left as typed
    assert word_repairs._concur("حرفهای", plural, 1 - concur) == plural
    assert word_repairs._concur("حرفهای", plural, 1.01 - concur) == "حرفهای"
    assert word_repairs._concur("حرفهای", "حرفهای", decide) == he  # none proposed: the model decides alone
    assert word_repairs._concur("حرفهای", "حرفهای", 1 - decide) == plural
    assert word_repairs._concur("حرفهای", "حرفهای", decide - 0.01) == "حرفهای"


def test_two_kind_forms_in_sentences():
    assert normalize("ستارهای درخشان") == f"ستاره{Z}ای درخشان"
    assert normalize("او در مدرسهای که ساخته بود") == f"او در مدرسه{Z}ای که ساخته بود"
    assert normalize("در لیگ حرفهای ووشوی چین") == "در لیگ حرفهای ووشوی چین"  # حرفه‌ای, or حرف‌های: left
    assert normalize("برخی حرفهای او") == f"برخی حرف{Z}های او"  # برخی: a plural follows
    assert normalize("از جمله نشستهای آمده است") == f"از جمله نشست{Z}های آمده است"  # so it does جمله
    assert normalize("در این متن نشستهای آمده است") == "در این متن نشستهای آمده است"  # not متن
    assert normalize("همه حرفهای را صادقانه گفت") == "همه حرفهای را صادقانه گفت"  # همه, but را: left
    assert word_repairs.two_kinds("حرفهای") and not word_repairs.two_kinds(f"حرف{Z}های")
    assert not word_repairs.two_kinds("تیمهای")  # تیمه is not a word


def test_the_model_does_not_decide_alone_for_a_lone_word():
    assert word_repairs._concur("دورهای", "دورهای", 0.9999, context=False) == "دورهای"
    assert normalize("دورهای") == "دورهای"


def test_the_model_never_turns_a_plural_glued_to_a_non_joining_stem_into_a_form_in_he():
    assert word_repairs._concur("نهادهای", "نهادهای", 0.9999) == "نهادهای"
    assert normalize("نهادهای امنیتی و نظامی") == "نهادهای امنیتی و نظامی"
