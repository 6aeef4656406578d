"""persian_normalizer.v2: footers removed by shape and place, word repairs decided by news word counts,
alef with hamza kept unless asked; v1 models keep normalizing as they did."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest
from sklearn.base import clone

from didgah.errors import ConfigError
from didgah.experiment.config import SCHEMA
from didgah.registry import build_classifier
from didgah.text.debris import remove_page_debris
from didgah.text.lexicon import get_lexicon
from didgah.text.normalization import ZWNJ, fix_arabic_letters, get_steps, normalize
from didgah.text.normalizer import PersianNormalizer
from didgah.text.word_repairs import repair_glued_suffix, repair_prefixes, repair_suffixes, split_run_on_words

Z = ZWNJ
V1, V2 = "persian_normalizer.v1", "persian_normalizer.v2"

# Ordinary sentences that hold every phrase a footer shape uses, inside the sentence or at its end.
SENTENCES_WITH_FOOTER_WORDS = [
    "وی در انتهای پیام خود از مردم تشکر کرد.",
    "او در انتهای پیام",
    "ولی احتمالاً ۳ میلیون نسخه چاپی و بیش از ۲ هزار نسخه خطی در آن وجود دارد.",
    "کاربران با لمس لینک کوتاه و کپی لینک صفحه را برای دوستان می‌فرستند.",
    "ارسال به دوستان و اشتراک گذاری فایل‌ها در این برنامه آسان است.",
    "کارشناس گفت کد خبر را نمی‌داند و منبع خبر را هم اعلام نکرد.",
    "نخست وزیر که تا زمان رای اعتماد رسما مسئولیتی ندارد، پیامی منتشر کرد.",
    "این منبع خبر داد که مذاکرات ادامه دارد.",
]


@pytest.mark.parametrize("sentence", SENTENCES_WITH_FOOTER_WORDS)
def test_footer_words_inside_sentences_are_never_removed(sentence):
    assert remove_page_debris(sentence) == sentence
    assert normalize(sentence).split() == normalize(sentence, boilerplate=False).split()
    # also as the last line of an article, after a line of text
    assert remove_page_debris("خبر اول.\n" + sentence) == "خبر اول.\n" + sentence


def test_v1_boilerplate_removal_deleted_words_that_v2_keeps():
    sentence = SENTENCES_WITH_FOOTER_WORDS[0]
    assert "انتهای پیام" not in normalize(sentence, V1)
    assert "انتهای پیام" in normalize(sentence, V2)


@pytest.mark.parametrize(
    "footer",
    [
        "\nانتهای پیام", "\nانتهای پیام/", " انتهای پیام", "        لینک کوتاه     کپی لینک       ",
        "\nلینک کوتاه\nکپی لینک", "\nکد خبر: ۱۲۳۴۵", " کد خبر : 98765", "\nمنبع: ایسنا", " منبع: ایرنا",
        "\nنسخه چاپی\nارسال به دوستان", "\nhttps://www.isna.ir/news/1234",
        "\nمنبع خبر «پایگاه خبری الف» است و سایت ب در قبال محتوای آن هیچ مسئولیتی ندارد.",
    ],
)
def test_footer_shapes_at_the_end_are_removed(footer):
    article = "تیم ملی فوتبال به مرحله بعد رسید.\nمربی تیم از بازیکنان تشکر کرد."
    assert normalize(article + footer) == normalize(article)
    assert normalize(article + footer, boilerplate=False) != normalize(article)


def test_debris_lines_inside_an_article_are_removed_but_not_sentences():
    text = "کد خبر: ۴۵۶\nمتن اول خبر.\nلینک کوتاه\nمتن دوم خبر درباره نسخه چاپی کتاب."
    assert remove_page_debris(text) == "متن اول خبر.\nمتن دوم خبر درباره نسخه چاپی کتاب."


@pytest.mark.parametrize(
    "word",
    ["بیشترین", "بیشتر", "کمترین", "فیلتر", "دفتر", "کبوتر", "چتر", "بهتر", "بهای", "آنها", "تنها", "انتهای",
     "سهام", "الهام", "شانگهای", "حرفهای", "دورهای", "نامهای", "کشورهای", "میدان", "میلیون", "میزان"],
)
def test_correct_and_ambiguous_words_are_kept(word):
    assert normalize(word) == word
    assert normalize(f"در این جمله {word} آمده است") == f"در این جمله {word} آمده است"


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


def test_prefixes_from_verb_list_and_news_counts():
    assert repair_prefixes("میکرده و می توانسته و میشود") == f"می{Z}کرده و می{Z}توانسته و می{Z}شود"
    assert repair_prefixes("میدان میلیون میز") == "میدان میلیون میز"


def test_run_on_words_split_only_when_news_never_writes_them_as_one():
    assert split_run_on_words("درفرودگاه") == "در فرودگاه"
    for word in ("سنتکام", "خبرآنلاین", "عصرایران", "سیدحمید", "محمدنجار", "بازیابد", "کاپریو", "آنیباله"):
        assert split_run_on_words(word) == word
    assert split_run_on_words(f"غیرحرفه{Z}ای") == f"غیرحرفه{Z}ای"  # never next to a ZWNJ


def test_news_counts_keep_joined_and_glued_forms_apart():
    corpus = get_lexicon().corpus
    assert corpus[f"تیم{Z}های"] > 10 * corpus.get("تیمهای", 0)
    assert corpus["بیشترین"] > 10 * corpus.get(f"بیش{Z}ترین", 0)


def test_hamza_policy_and_option():
    assert normalize("تأمین و إسلام و مسئول و مؤثر") == "تأمین و إسلام و مسئول و مؤثر"
    assert normalize("تأمین و إسلام و مسئول", hamza="fold") == "تامین و اسلام و مسئول"
    assert normalize("تأمین", V1) == "تامین"
    assert normalize("تأمین", V1, hamza="keep") == "تأمین"
    assert fix_arabic_letters("تأمین", hamza="keep") == "تأمین"
    with pytest.raises(ConfigError, match="hamza"):
        get_steps(V2, hamza="drop")
    with pytest.raises(ConfigError, match="hamza"):
        fix_arabic_letters("تأمین", hamza="drop")


def test_hamza_option_is_a_parameter_saved_with_the_model():
    norm = PersianNormalizer(hamza="fold", cache=False)
    assert clone(norm).get_params()["hamza"] == "fold"
    loaded = pickle.loads(pickle.dumps(norm))
    assert loaded.transform(["تأمین"]) == ["تامین"]
    assert PersianNormalizer(cache=False).transform(["تأمین"]) == ["تأمین"]
    with pytest.raises(ConfigError, match="hamza"):
        PersianNormalizer(hamza="x").fit(["متن"])


def test_a_v1_model_saved_before_the_hamza_option_still_folds():
    old = PersianNormalizer(version=V1, cache=False)
    state = old.__getstate__()
    for key in ("hamza", "n_jobs", "cache", "cache_dir"):
        state.pop(key)
    restored = PersianNormalizer.__new__(PersianNormalizer)
    restored.__setstate__(state)
    assert restored.get_params()["hamza"] is None
    assert restored.transform(["تأمین"]) == ["تامین"]


def test_new_configs_use_v2_and_save_the_hamza_option():
    fields = SCHEMA.fields["preprocess"].fields
    assert fields["normalizer"].default == V2
    assert fields["hamza"].default is None
    classifier = build_classifier({"preprocess": {"hamza": "fold"}, "features": [{"name": "tfidf_words.v1"}],
                                   "model": {"name": "logistic_regression.v1"}})
    assert classifier.normalizer.version == V2 and classifier.normalizer.hamza == "fold"


def test_cli_hamza_choice():
    done = subprocess.run([sys.executable, "-m", "didgah.cli", "normalize", "--hamza", "fold"], input="تأمین",
                          capture_output=True, text=True, check=True)
    assert done.stdout == "تامین\n"


def test_docstring_examples():
    import doctest

    from didgah.text import debris, word_repairs

    for module in (debris, word_repairs):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_a_bad_hamza_choice_in_a_config_is_a_one_line_error(tmp_path):
    from didgah.experiment.config import load_config

    path = tmp_path / "exp.yaml"
    path.write_text("name: t\ndata: {train: data.jsonl}\nfeatures: [{name: tfidf_words.v1}]\n"
                    "model: {name: logistic_regression.v1}\npreprocess: {hamza: drop}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="preprocess.hamza: 'drop' is not one of keep, fold") as info:
        load_config(path)
    assert "\n" not in str(info.value)
    path.write_text(path.read_text(encoding="utf-8").replace("drop", "fold"), encoding="utf-8")
    assert load_config(path)["preprocess"]["hamza"] == "fold"
