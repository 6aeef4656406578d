"""The real corpora of ``../shared/data`` cut, article by article, into three fixed parts.

Every article goes to one part by a hash of its corpus and id, so the cut is the same on every machine
and never depends on the order of the files:

- ``held``  (15 %): the held-back part of the fidelity benchmark, never looked at while tuning;
- ``dev``   (15 %): the development part of the fidelity benchmark;
- ``rest``  (70 %): the only part the shipped word frequencies are counted from.

So the frequencies never saw a sentence of either benchmark part.

A fourth part, ``fresh``, is made of other text: the distinct headlines and claims of FarExStance's
headline-to-claim files (``farexstance/h2c_train.jsonl``, ``h2c_dev.jsonl``), which no rule of the normalizer
was built on and no count came from; a headline or claim that shares a run of eight words with a ``rest``
article is left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"

# corpus file -> (id field, text fields): farexstance repeats an article once per claim (deduplicated).
CORPORA = {
    "isna-5cat/articles.jsonl": ("id", ("title", "text")),
    "irnews-2020/articles.jsonl": ("id", ("title", "text")),
    "farsnews-2011/articles.jsonl": ("id", ("text",)),
    "farexstance/b2c_dev.jsonl": ("news_id", ("article",)),
}
HELD_PERCENT = 15
DEV_PERCENT = 15


def part_of(corpus: str, article_id: object) -> str:
    """``held``, ``dev`` or ``rest`` for one article."""
    digest = hashlib.sha256(f"{corpus}:{article_id}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % 100
    if bucket < HELD_PERCENT:
        return "held"
    if bucket < HELD_PERCENT + DEV_PERCENT:
        return "dev"
    return "rest"


def articles(shared: Path = SHARED) -> Iterator[tuple[str, str, str, str]]:
    """``(corpus, article id, part, text)`` for every distinct article of the corpora."""
    for corpus, (id_field, fields) in CORPORA.items():
        seen = set()
        with open(shared / corpus, encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                article_id = row[id_field]
                if article_id in seen:
                    continue
                seen.add(article_id)
                text = "\n".join(str(row[f]) for f in fields if row.get(f))
                yield corpus, str(article_id), part_of(corpus, article_id), text


FRESH = ("farexstance/h2c_train.jsonl", "farexstance/h2c_dev.jsonl")
SHINGLE = 8


def _shingles(text: str) -> set[str]:
    words = text.split()
    return {" ".join(words[i:i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 0))}


def fresh_texts(shared: Path = SHARED) -> Iterator[tuple[str, str, str, str]]:
    """``(corpus, text id, "fresh", text)`` for every distinct headline and claim of the ``FRESH`` files
    that shares no run of ``SHINGLE`` words with a ``rest`` article."""
    seen_in_rest: set[str] = set()
    for _, _, part, text in articles(shared):
        if part == "rest":
            seen_in_rest |= _shingles(text)
    seen: set[str] = set()
    for corpus in FRESH:
        with open(shared / corpus, encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                for field in ("headline", "claim"):
                    text = str(row.get(field) or "").strip()
                    if not text or text in seen or _shingles(text) & seen_in_rest:
                        continue
                    seen.add(text)
                    yield corpus, hashlib.sha256(text.encode()).hexdigest()[:12], "fresh", text
