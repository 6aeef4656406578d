"""Page debris of scraped news: footer lines and trailing widgets, recognised by their shape and place.

A news page leaves a few lines around the article that are not part of it: the agency's «انتهای پیام»,
«کد خبر: ۱۲۳», link and share widgets («لینک کوتاه», «کپی لینک», «نسخه چاپی»), a source credit
(«منبع: ایسنا») or an aggregator's disclaimer. :func:`remove_page_debris` removes

1. every line that is made of such items only, wherever it stands, and
2. a run of such items at the very end of the text that follows the end of a sentence (. ! ؟ » ...):
   scraped text often has no line breaks, so a footer can trail the last sentence on its line.

It never removes words from inside a sentence: «وی در انتهای پیام خود از مردم تشکر کرد» and «۳ میلیون
نسخه چاپی» are left alone, because what surrounds the phrase is not debris.

>>> remove_page_debris("متن خبر.\\nکد خبر: ۱۲۳\\nوی در انتهای پیام خود تشکر کرد. لینک کوتاه کپی لینک")
'متن خبر.\\nوی در انتهای پیام خود تشکر کرد.'
"""

from __future__ import annotations

import re

_GAP = "[ \u200c]?"  # a space, a zero-width non-joiner or nothing between the words of an item
_DIGITS = "[0-9۰-۹٠-٩]+"
_URL = r"https?://\S+"

# Each item is one footer or widget; a debris line is a sequence of items and separators.
_ITEMS = (
    f"انتهای{_GAP}پیام",
    f"لینک{_GAP}کوتاه(?:{_GAP}خبر)?(?: ?: ?{_URL})?",
    f"کپی{_GAP}لینک",
    f"لینک{_GAP}کپی{_GAP}شد",
    f"کد{_GAP}خبر ?: ?{_DIGITS}",
    f"نسخه{_GAP}چاپی",
    f"ارسال{_GAP}به{_GAP}دوستان",
    f"اشتراک{_GAP}گذاری(?: در شبکه{_GAP}های اجتماعی)?",
    _URL,
    # «منبع خبر "X" است و سایت Y در قبال محتوای آن هیچ مسئولیتی ندارد»
    r"(?:این )?(?:خبر را )?منبع (?:این )?خبر ?:? ?[^\n]{0,80}? (?:است|می" + _GAP + r"باشد) ?(?:و|،) ?[^\n]{0,200}?"
    r"(?:مسئولیتی|مسئولیت|مسوولیتی) (?:ندارد|نمی" + _GAP + r"پذیرد|نخواهد داشت) ?[.!]?",
)
_ITEM = "(?:" + "|".join(_ITEMS) + ")"
_SEPARATOR = r"[ \-|/:،,»«]*"
_DEBRIS_LINE = re.compile(f"{_SEPARATOR}{_ITEM}(?:{_SEPARATOR}{_ITEM})*{_SEPARATOR}")
# A source credit stands on a line of its own: «منبع: ایسنا», «منبع: روزنامه دنیای اقتصاد».
_CREDIT_LINE = re.compile(r"(?:منبع|منابع) ?: ?[^\n.!؟?:]{1,80}")
# Debris at the end of the text: after the end of a sentence or a colon (. ! ؟ » : /), any items; after
# anything, the items no sentence ends with («کد خبر: ۱۲۳», «لینک کوتاه کپی لینک», a link), «انتهای
# پیام» unless a preposition comes before it (در انتهای پیام), and a source credit («منبع: ایرنا»).
_END = "[.!؟?»\"”):/]"
_STRONG = (f"(?:کد{_GAP}خبر ?: ?{_DIGITS}|لینک{_GAP}کوتاه {_SEPARATOR}کپی{_GAP}لینک|{_URL}"
           f"|(?<!در )(?<!از )(?<!به )(?<!تا )انتهای{_GAP}پیام */?|منبع ?: ?[^\\s.!؟?:]+(?: [^\\s.!؟?:]+){{0,3}})")
_TRAILING = re.compile(f"(?:(?<={_END})(?: {_SEPARATOR}{_ITEM})+|(?: {_SEPARATOR}{_STRONG})+){_SEPARATOR}$")
# Every footer item contains one of these words: texts without any are returned at once.
_CUES = ("پیام", "لینک", "خبر", "چاپی", "دوستان", "گذاری", "http", "منبع", "منابع")


def remove_page_debris(text: str) -> str:
    """Remove footer lines and trailing page widgets; expects whitespace already tidied (one space
    between words, stripped lines, no empty lines), as every normalizer does before this step.

    >>> remove_page_debris("خبر.\\nانتهای پیام")
    'خبر.'
    """
    if not any(cue in text for cue in _CUES):
        return text
    lines = text.split("\n")
    kept = [line for line in lines if not (_DEBRIS_LINE.fullmatch(line) or _CREDIT_LINE.fullmatch(line))]
    if kept and any(cue in kept[-1] for cue in _CUES):
        kept[-1] = _TRAILING.sub("", kept[-1])
    return "\n".join(kept)
