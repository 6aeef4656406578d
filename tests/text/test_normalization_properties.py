"""Properties of the normalizer on any Unicode text (hypothesis): it never raises, it is idempotent,
and its output has no Arabic-only letter forms, no doubled spaces and no stray zero-width non-joiners."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from didgah.text.normalization import ZWNJ, normalize

OPTIONS = [
    {},
    {"digits": "latin"},
    {"digits": "keep"},
    {"boilerplate": False},
    {"glued_words": False},
    {"hamza": "fold"},
    {"version": "persian_normalizer.v1"},
]
OPTION_IDS = ["default", "digits-latin", "digits-keep", "no-boilerplate", "no-glued-words", "hamza-fold", "v1"]

# Letters Persian never uses (Arabic yeh, kaf, teh marbuta, alef maksura) and the presentation-form blocks.
ARABIC_ONLY = re.compile("[\u064a\u0643\u0629\u0649\ufb50-\ufdff\ufe70-\ufeff]")

PERSIAN_WORDS = ["کتاب", "ها", "های", "می", "نمی", "شود", "گروه", "ای", "تر", "ترین", "بندر", "ویژه", "در",
                 "حفظ", "تمامیت", "منبع", "خبر", "است", "کپی", "لینک", "انتهای", "پیام", "كشور", "عربي",
                 "بیشترین", "تیمهای", "حرفهای", "بهای", "نسخه", "چاپی", "کد", "تأمین", ":", ".", "۱۲۳", "اش", "ام"]
# Characters the normalizer treats specially, so that random text hits its edge cases often.
SPECIAL = (
    " \t\n\r\v\f\u00a0\u2009\u3000"          # spaces and line breaks
    + "\u200c\u200d\u200b\u200e\u200f\ufeff"  # ZWNJ, ZWJ, ZWSP, direction marks, BOM
    + "يكةىۀأإٱ"                             # Arabic letter variants
    + "\u064b\u064e\u0650\u0651\u0670\u0640"  # diacritics, superscript alef, kashida
    + "اآدذرزژوؤیکگپچهن"                     # non-joining and common letters
    + "0123456789٠١٢٣۱۲۳"                     # digits in three scripts
    + "\x00\x01\x07\x1b\x7f\x85\u2028\u2029"  # control characters and Unicode line separators
    + "aZé日"                                 # other scripts
)
presentation_forms = st.characters(min_codepoint=0xFB50, max_codepoint=0xFDFF) | st.characters(
    min_codepoint=0xFE70, max_codepoint=0xFEFF)
pieces = st.one_of(
    st.sampled_from(PERSIAN_WORDS),
    st.text(alphabet=st.sampled_from(SPECIAL), max_size=6),
    st.text(alphabet=presentation_forms, max_size=4),
    st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=6),
    st.sampled_from([ZWNJ * 3, "\u200d\u200d", f"{ZWNJ} {ZWNJ}", "  ", "\u200c\u200d\u200c"]),
    st.text(max_size=6),  # any Unicode (hypothesis never draws lone surrogates for text)
)
texts = st.lists(pieces, max_size=12).map("".join)

# 150 examples per case keeps the suite fast; DIDGAH_PROPERTY_EXAMPLES=3000 searches harder.
SETTINGS = settings(max_examples=int(os.environ.get("DIDGAH_PROPERTY_EXAMPLES", "150")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("options", OPTIONS, ids=OPTION_IDS)
@SETTINGS
@given(text=texts)
def test_never_raises_and_is_idempotent(options, text):
    once = normalize(text, **options)
    assert isinstance(once, str)
    assert normalize(once, **options) == once


@pytest.mark.parametrize("options", OPTIONS, ids=OPTION_IDS)
@SETTINGS
@given(text=texts)
def test_output_is_clean(options, text):
    out = normalize(text, **options)
    assert not ARABIC_ONLY.search(out), [hex(ord(c)) for c in ARABIC_ONLY.findall(out)]
    assert "  " not in out
    assert ZWNJ * 2 not in out
    assert f" {ZWNJ}" not in out and f"{ZWNJ} " not in out
    assert not out.startswith(ZWNJ) and not out.endswith(ZWNJ)
