"""Phrase lexicons: reading topic and stance lexicon files (``category: {terms, exclude}``) and
matching their terms as word prefixes, for the lexicon features and the labelling functions alike."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import yaml

from didgah.components import REGISTRIES, register_value
from didgah.errors import ConfigError
from didgah.text.letters import PERSIAN_LETTERS, ZWNJ

register_value("lexicon", "topics.v1", "topic_lexicon.yaml")  # files in didgah/text/resources
register_value("lexicon", "stance.v1", "stance_cues.yaml")
BUILTIN_LEXICONS = REGISTRIES["lexicon"]
_BOUNDARY = f"(?<![{PERSIAN_LETTERS}{ZWNJ}])"


def read_lexicon(source: str) -> dict[str, dict[str, list[str]]]:
    """Read a lexicon: a built-in name (``"topics.v1"``) or a YAML file of ``category: {terms, exclude}``."""
    if source in BUILTIN_LEXICONS:
        text = resources.files("didgah.text").joinpath("resources", BUILTIN_LEXICONS[source]).read_text("utf-8")
        where = f"built-in lexicon {source!r}"
    else:
        path = Path(source)
        if not path.is_file():
            raise ConfigError(f"lexicon: no file {source} (and not a built-in name: {', '.join(BUILTIN_LEXICONS)})")
        text, where = path.read_text("utf-8"), str(path)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where}: invalid YAML ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict) or not raw:
        raise ConfigError(f"{where}: expected a mapping of category -> {{terms: [...], exclude: [...]}}")
    lexicon = {}
    for category, entry in raw.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("terms"), list) or not entry["terms"]:
            raise ConfigError(f"{where}: category {category!r} needs a non-empty list 'terms'")
        lexicon[str(category)] = {
            "terms": [str(t) for t in entry["terms"]],
            "exclude": [str(t) for t in entry.get("exclude") or []],
        }
    return lexicon


def term_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """One regex for a list of terms: each matches a word starting with it (longest first), and a space in
    a term matches a space or a ZWNJ; ``None`` for no terms."""
    if not terms:
        return None
    alternatives = sorted({re.escape(t).replace(r"\ ", f"[ {ZWNJ}]") for t in terms}, key=len, reverse=True)
    return re.compile(_BOUNDARY + "(?:" + "|".join(alternatives) + ")")
