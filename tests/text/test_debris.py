"""Page debris (v2): footer shapes and debris lines are removed, sentences that hold footer words are kept."""

from __future__ import annotations

import pytest

from didgah.text.debris import remove_page_debris
from didgah.text.normalization import normalize

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
