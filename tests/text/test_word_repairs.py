"""Evidence-based word repairs: glued and spaced suffixes, prefixes, run-on words; their docstring examples."""

from __future__ import annotations

import pytest

from didgah.text.normalization import ZWNJ, normalize
from didgah.text.word_repairs import repair_glued_suffix, repair_prefixes, repair_suffixes, split_run_on_words

Z = ZWNJ


@pytest.mark.parametrize(
    "word",
    ["بیشترین", "بیشتر", "کمترین", "فیلتر", "دفتر", "کبوتر", "چتر", "بهتر", "بهای", "آنها", "تنها", "انتهای",
     "سهام", "الهام", "شانگهای", "حرفهای", "دورهای", "نامهای", "کشورهای", "میدان", "میلیون", "میزان",
     "ویترین", "دکسترین", "نشستهای"],
)
def test_correct_and_ambiguous_words_are_kept(word):
    # in a sentence whose words say nothing of the kind (not «در این جمله»: جمله mostly comes before a
    # plural in news, از جمله, and the model of the two kinds reads the word before)
    assert normalize(word) == word
    assert normalize(f"در این متن {word} آمده است") == f"در این متن {word} آمده است"


@pytest.mark.parametrize("word, he", [("صحنهای", f"صحنه{Z}ای"), ("کمیتهای", f"کمیته{Z}ای")])
def test_a_two_kind_form_alone_is_kept_and_in_a_sentence_weighed(word, he):
    # صحن and صحنه, کمیت and کمیته are common words both: alone the form stays; in a sentence that says
    # nothing either way, the model of the two kinds reads the form news writes far more often
    assert normalize(word) == word
    assert normalize(f"در این متن {word} آمده است") == f"در این متن {he} آمده است"


@pytest.mark.parametrize(
    "glued, repaired",
    [
        ("تیمهای", f"تیم{Z}های"), ("پادمانهای", f"پادمان{Z}های"), ("قهرمانیهای", f"قهرمانی{Z}های"),
        ("پروبیوتیکها", f"پروبیوتیک{Z}ها"), ("بلندیهای", f"بلندی{Z}های"), ("گروههای", f"گروه{Z}های"),
        ("بزرگترین", f"بزرگ{Z}ترین"), ("اصلیترین", f"اصلی{Z}ترین"), ("هستهای", f"هسته{Z}ای"),
        ("گرفتهایم", f"گرفته{Z}ایم"), ("خانوادهاش", f"خانواده{Z}اش"), ("سمساریها", f"سمساری{Z}ها"),
    ],
)
def test_glued_suffixes_are_repaired_from_evidence(glued, repaired):
    assert repair_glued_suffix(glued) == repaired
    assert normalize(f"این {glued} است") == f"این {repaired} است"


@pytest.mark.parametrize(
    "glued, repaired",
    [("غیرحرفهای", f"غیرحرفه{Z}ای"), ("ذلیلانهای", f"ذلیلانه{Z}ای"), ("تجاوزگرایانهای", f"تجاوزگرایانه{Z}ای"),
     ("ضدحملهای", f"ضدحمله{Z}ای"), ("مدیررسانهای", f"مدیررسانه{Z}ای"), ("نشناختهاند", f"نشناخته{Z}اند"),
     ("درنیافتهاند", f"درنیافته{Z}اند"), ("ناجنبندهاند", f"ناجنبنده{Z}اند")],
)
def test_a_glued_form_with_no_attested_stem_reads_as_a_stem_composed_of_words(glued, repaired):
    # neither word list holds غیرحرفه, ذلیلانه or نشناخته; they are made of words that they hold (غیر +
    # حرفه, ذلیل + انه, ن + the participle شناخته)
    assert repair_glued_suffix(glued) == repaired
    assert normalize(f"این {glued} است") == f"این {repaired} است"


@pytest.mark.parametrize("word", ["علفزارهای", "دستاورهای", "ابراهام", "گراهام", "کارگزارهای"])
def test_a_composed_stem_does_not_take_a_form_that_reads_otherwise(word):
    # علفزارهای reads as علفزار + های as typed (ر does not join), not علف + زاره + ای; ابراهام is a name,
    # not اب + راه + ام (a composed word's last part has four letters or more); کارگزار+های is a reading
    assert repair_glued_suffix(word) == word


@pytest.mark.parametrize(
    "spaced, repaired",
    [("کتاب ها", f"کتاب{Z}ها"), ("خانه اش", f"خانه{Z}اش"), ("سریع تر", f"سریع{Z}تر"), ("بندر ها", "بندرها"),
     ("رفته اند", f"رفته{Z}اند"), ("توئیت های", f"توئیت{Z}های")],
)
def test_spaced_suffixes_are_attached(spaced, repaired):
    assert repair_suffixes(spaced) == repaired


def test_spaced_tar_is_joined_only_after_a_stem_that_takes_it():
    assert repair_suffixes("چشمان تر") == "چشمان تر"  # تر «wet», after a plural noun
    assert repair_suffixes("بزرگ ۴") == "بزرگ ۴"
    assert repair_suffixes("بزرگراه ام۴") == "بزرگراه ام۴"  # ام before a digit is a road's name


def test_superlatives_are_joined_whatever_their_stem():
    # ترین ends almost no word: glued after an unseen stem, or after a space, it is the suffix
    assert repair_glued_suffix("پرلوکیشنترین") == f"پرلوکیشن{Z}ترین"
    assert repair_suffixes("مینیمال ترین") == f"مینیمال{Z}ترین"
    assert repair_suffixes("کم حوصله ترین") == f"کم حوصله{Z}ترین"


def test_comparatives_after_adjective_like_stems_and_before_than():
    assert repair_suffixes("چگال تر از هوا") == f"چگال{Z}تر از هوا"  # تر before از «than»
    assert repair_suffixes("تعیین کننده تر") == f"تعیین کننده{Z}تر"  # a participle
    assert repair_glued_suffix("پرجرمتر") == f"پرجرم{Z}تر"  # پر + a noun
    assert repair_suffixes("سخت گیرانه تر") == f"سخت گیرانه{Z}تر"  # an adjective in انه
    assert repair_suffixes("لذت بخش تر و بی طرف تر") == f"لذت بخش{Z}تر و بی طرف{Z}تر"  # compound adjectives
    assert repair_suffixes("با چشمان تر و") == "با چشمان تر و"  # with wet eyes
    for word in ("ماستر", "بوستر", "لیستر"):  # a present stem + تر, glued: a word of its own
        assert repair_glued_suffix(word) == word


def test_the_determiners_that_take_a_singular_exclude_the_plural_reading():
    assert normalize("در هر صحنهای") == f"در هر صحنه{Z}ای"
    assert normalize("در صحنهای حرم") == "در صحنهای حرم"  # صحن‌های or صحنه‌ای: left as it is


def test_a_number_takes_a_singular_so_excludes_the_plural_reading():
    # ساعتهای: ساعت‌های or ساعته‌ای; after a number in digits or in words, not a plural (ساعته‌ای, or
    # left as it is where the model of the two kinds does not concur: news writes ساعت‌های very often)
    for text in ("۲۴ ساعتهای فرصت دادیم", "سه ساعتهای فرصت دادیم"):
        assert normalize(text) in (text, text.replace("ساعتهای", f"ساعته{Z}ای"))
    for text in ("آن جوان ۳۳ سالهای به نام", "سه سالهای"):
        assert f"سال{Z}های" not in normalize(text)
    assert normalize("در ساعتهای اولیه") == f"در ساعت{Z}های اولیه"  # no number: the plural, as before


def test_the_word_after_weighs_in_on_a_reading_of_each_kind():
    # محلهای: محل‌های (written 33 times) or محله‌ای (at most twice); وجود follows a form in ه‌ای about
    # 24 times as often as a plural: not enough to choose محله‌ای, enough not to write محل‌های
    assert normalize("در مرکز رم محلهای وجود دارد") == "در مرکز رم محلهای وجود دارد"
    assert normalize("محلهای برگزاری") == f"محل{Z}های برگزاری"  # a word that says little either way
    assert normalize("محلهای") == f"محل{Z}های"  # no word after: the counts alone
    assert repair_glued_suffix("محلهای", next_odds=24.0) == "محلهای"
    assert repair_glued_suffix("محلهای", next_odds=2.0) == f"محل{Z}های"


def test_the_word_after_settles_a_form_the_counts_leave_open():
    # حرفهای: حرف‌های and حرفه‌ای both written often; left as it is alone, settled by the word after
    assert normalize("حرفهای") == "حرفهای"
    assert normalize("حرفهای مختلف") == f"حرف{Z}های مختلف"  # مختلف follows plurals (an ezafe)
    # مدرسهای: مدرس and مدرسه are both common words; در is 39 times likelier after ه‌ای
    assert normalize("در مدرسهای در شهر") == f"در مدرسه{Z}ای در شهر"
    assert normalize("در مدرسهای") == "در مدرسهای"
    assert normalize("در هالهای تاریک") == "در هالهای تاریک"  # تاریک says little: left as it is


def test_a_plural_in_hay_is_not_read_where_no_ezafe_can_follow():
    # ماههای: ماه‌های or ماهه‌ای; before را (or . ، است ...) the plural, which needs a following word, is out
    assert normalize("فرصت پنج ماههای را داد") == "فرصت پنج ماههای را داد"
    assert normalize("در ماههای گذشته") == f"در ماه{Z}های گذشته"
    assert normalize("یک ماده ژلهای است.") in ("یک ماده ژلهای است.", f"یک ماده ژله{Z}ای است.")
    assert normalize("تیمهای.") == f"تیم{Z}های."  # no other reading: still a plural


def test_a_rival_reading_news_never_writes_from_a_common_stem_is_ruled_out():
    # حمل and حمله are both common words, but news writes حمل often and never with a plural suffix
    assert repair_glued_suffix("حملهای") == f"حمله{Z}ای"
    assert repair_glued_suffix("قطعهای") == f"قطعه{Z}ای"
    # both readings written, the rarer too few times to rule it out: left as it is
    assert repair_glued_suffix("صحنهای") == "صحنهای"
    assert repair_glued_suffix("کمیتهای") == "کمیتهای"
    # a stem that does not join is written glued to its plural, so news cannot rule it out (مدیرهای
    # «managers», قطرهای «diameters»); nor a reading when news never writes the chosen one (دیده‌ای)
    for word in ("مدیرهای", "قطرهای", "دیدهای", "تذکرهای", "رودهای"):
        assert repair_glued_suffix(word) == word
    # a common noun news rarely makes plural is not ruled out: گوش, 297 uses, under RULE_OUT_STEM (500)
    assert repair_glued_suffix("گوشهای") == "گوشهای"
    assert repair_glued_suffix("عرضهای") == "عرضهای"


def test_a_plural_in_hay_is_not_read_before_a_preposition_or_conjunction():
    # هالهای: هال‌های or هاله‌ای; a plural's ezafe is not followed by از, برای, و ...
    assert normalize("در هالهای از ابهام") == f"در هاله{Z}ای از ابهام"
    assert normalize("او حربهای برای فشار دارد") == f"او حربه{Z}ای برای فشار دارد"
    # the model must back the rules' reading at CONCUR: after دیگر, a word news often writes before a
    # plural (دیگر کشورها), it gives حربه‌ای 0.988, short of 0.995, and the form stays as typed
    assert normalize("دیگر حربهای برای فشار") == "دیگر حربهای برای فشار"
    assert normalize("در هالهای تاریک") == "در هالهای تاریک"  # an ezafe may follow: left as it is


def test_prefixes_from_verb_list_and_news_counts():
    assert repair_prefixes("میکرده و می توانسته و میشود") == f"می{Z}کرده و می{Z}توانسته و می{Z}شود"
    assert repair_prefixes("میدان میلیون میز") == "میدان میلیون میز"


def test_run_on_words_split_only_when_news_never_writes_them_as_one():
    assert split_run_on_words("درفرودگاه") == "در فرودگاه"
    for word in ("سنتکام", "خبرآنلاین", "عصرایران", "سیدحمید", "محمدنجار", "بازیابد", "کاپریو", "آنیباله"):
        assert split_run_on_words(word) == word
    assert split_run_on_words(f"غیرحرفه{Z}ای") == f"غیرحرفه{Z}ای"  # never next to a ZWNJ


def test_docstring_examples():
    import doctest

    from didgah.text import debris, word_repairs

    for module in (debris, word_repairs):
        assert doctest.testmod(module).failed == 0, module.__name__
