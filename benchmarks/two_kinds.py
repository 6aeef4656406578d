"""Learn the weights of ``didgah.text.kind_model`` from real news and write ``resources/two_kinds.tsv``.

The examples are the forms that news writes with their ZWNJ, a plural in ‌های (حرف‌های) or a form in ه‌ای
(حرفه‌ای), in the articles the word counts come from (``word_frequencies.counted_articles``), whose glued
spelling reads both ways (``word_repairs.two_kinds``: حرفهای). The writer's ZWNJ says which kind was
meant. Each example's count features (``kind_model.count_features``) are taken from counts of the other
folds' articles only (``word_frequencies.FOLDS``), as for a text the counts never saw; its context
features (``kind_model.context_features``) from its own sentence. A logistic regression (scikit-learn,
C=1) is fitted on them; features seen in fewer than MIN_FEATURE examples are left out.

    python benchmarks/two_kinds.py      # writes src/didgah/text/resources/two_kinds.tsv and two_kinds.md

The fidelity benchmark's cross-validated part (``fidelity.py --part folds``) trains one model per fold
with :func:`train` (``leave_out``), so that no fold is scored by a model that learnt from it.
"""

from __future__ import annotations

import argparse
import collections
import sys
from dataclasses import dataclass
from pathlib import Path

import corpus_parts
import word_frequencies

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "src" / "didgah" / "text" / "resources" / "two_kinds.tsv"
ZWNJ = "\u200c"
MIN_FEATURE = 3
C = 1.0


@dataclass(frozen=True)
class Example:
    fold: int
    he: bool  # written as a form in ه‌ای (else a plural in ‌های)
    glued: str
    context: tuple[str, ...]
    following: str | None  # the word after, with only a space between
    preceding: str | None  # the word before, with only a space between


def _kind(word: str) -> bool | None:
    """True for a form in ه‌ای, False for a plural in ‌های (one ZWNJ, nothing after the suffix), else None."""
    if word.count(ZWNJ) != 1:
        return None
    if word.endswith("ه" + ZWNJ + "ای"):
        return True
    return False if word.endswith(ZWNJ + "های") else None


def examples() -> list[Example]:
    """Every form in ه‌ای or ‌های of the counted articles, with its fold and context (not yet filtered to
    the forms that read both ways, which depends on the counts)."""
    from didgah.text.kind_model import context_features, next_word, previous_word
    from didgah.text.letters import split_words

    found = []
    for _, text in word_frequencies.counted_articles():
        fold = word_frequencies.fold_of(text)
        for line in word_frequencies.clean(text).split("\n"):
            parts = split_words(line)
            for i in range(1, len(parts), 2):
                kind = _kind(parts[i])
                if kind is not None:
                    found.append(Example(fold, kind, parts[i].replace(ZWNJ, ""), tuple(context_features(parts, i)),
                                         next_word(parts, i), previous_word(parts, i)))
    return found


def train(found: list[Example], per_fold: list[word_frequencies.Counts], leave_out: int | None = None
          ) -> tuple[tuple[float, dict[str, float]], dict]:
    """Fit the model on the examples of every fold but ``leave_out``, each with count features from counts
    of the folds other than its own (and ``leave_out``); the (bias, weights) and a summary."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from didgah.text.kind_model import count_features, odds_features
    from didgah.text.word_repairs import two_kinds

    rows, labels = [], []
    for fold in range(len(per_fold)):
        if fold == leave_out:
            continue
        others = [k for k in range(len(per_fold)) if k not in (fold, leave_out)]
        counts = word_frequencies.Counts()
        for k in others:
            counts += per_fold[k]
        with word_frequencies.news_counts(counts):
            for example in found:
                if example.fold == fold and two_kinds(example.glued):
                    rows.append({**count_features(example.glued), **odds_features(example.following, example.preceding),
                                 **dict.fromkeys(example.context, 1.0)})
                    labels.append(example.he)
    seen = collections.Counter(name for row in rows for name in row)
    rows = [{name: value for name, value in row.items() if seen[name] >= MIN_FEATURE} for row in rows]
    vectorizer = DictVectorizer()
    model = LogisticRegression(C=C, max_iter=5000).fit(vectorizer.fit_transform(rows), np.array(labels))
    weights = {name: float(w) for name, w in zip(vectorizer.get_feature_names_out(), model.coef_[0]) if abs(w) >= 1e-6}
    summary = {"examples": len(rows), "he": int(sum(labels)), "features": len(weights)}
    return (float(model.intercept_[0]), weights), summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if not corpus_parts.SHARED.is_dir():
        print(f"needs the real corpora in {corpus_parts.SHARED}", file=sys.stderr)
        return 2
    (bias, weights), summary = train(examples(), word_frequencies.count_folds())
    lines = [f"#bias\t{bias:.6g}"] + [f"{name}\t{weights[name]:.6g}" for name in sorted(weights)]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args.output.with_suffix(".md").write_text(PROVENANCE.format(**{k: f"{v:,}" for k, v in summary.items()},
                                                                min_feature=MIN_FEATURE, c=C), encoding="utf-8")
    print(summary)
    return 0


PROVENANCE = """# two_kinds.tsv: which kind a glued form in های is

The weights of `didgah.text.kind_model`: one `feature<TAB>weight` a line, the bias on the first
(`#bias`). Rebuilt with

    python benchmarks/two_kinds.py

A logistic regression (C={c}) of whether a form news writes with its ZWNJ is a form in ه‌ای (حرفه‌ای) or a
plural in ‌های (حرف‌های), fitted on the {examples} such forms ({he} in ه‌ای) of the articles the word counts
come from (`word_frequencies.md`) whose glued spelling reads both ways (`word_repairs.two_kinds`). The
count features of each come from counts of the other four fifths of those articles (cut by a hash of
each article's opening), as for a text the counts never saw; the context features (the words and
punctuation around it) from its own sentence. {features} features, those seen in at least {min_feature}
examples.

## Licence

The weights are numbers attached to single words and to the counts' features, no sentence or passage of
any source; the sources' terms are those of `word_frequencies.md`.
"""


if __name__ == "__main__":
    sys.exit(main())
