"""Word and character n-gram counting: didgah.features.ngrams against scikit-learn's CountVectorizer.

Both build the vocabulary (fit) and count it in the same texts (transform) for the default topic
model's settings: words 1-2 grams (hazm tokens), characters 2-5 grams inside word boundaries, min_df 2.
The texts are the scale benchmark's articles (real sentences recombined, already in Persian script);
they are not normalized, so both sides see the same strings.

    python benchmarks/ngrams.py --articles 2000
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from sklearn.feature_extraction.text import CountVectorizer

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import synthetic_articles  # noqa: E402

from didgah.features import ngrams  # noqa: E402
from didgah.text.tokenization import PersianAnalyzer  # noqa: E402


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args(argv)
    texts = [r["text"] for r in synthetic_articles(args.articles, seed=3)]
    print(f"{len(texts)} articles, {sum(map(len, texts)):,} characters; load average {os.getloadavg()[0]:.2f}\n")
    print("| n-grams | step | scikit-learn (s) | didgah (s) | speed-up |\n|---|---|---:|---:|---:|")
    for name, analyzer, ngram_range in (("words 1-2", PersianAnalyzer(ngram_range=(1, 2)), (1, 1)),
                                        ("characters 2-5", "char_wb", (2, 5))):
        vectorizer = CountVectorizer(analyzer=analyzer, ngram_range=ngram_range, min_df=2)
        sk_fit, _ = timed(lambda: vectorizer.fit(texts))
        np_fit, (terms, _) = timed(lambda: ngrams.fit_vocabulary(texts, analyzer, ngram_range, min_df=2))
        assert terms == vectorizer.get_feature_names_out().tolist()
        sk_count, _ = timed(lambda: vectorizer.transform(texts))
        index = ngrams.VocabularyIndex.build(terms, analyzer, ngram_range)
        np_count, _ = timed(lambda: index.transform(texts))
        for step, a, b in (("fit", sk_fit, np_fit), ("count", sk_count, np_count)):
            print(f"| {name} | {step} | {a:.2f} | {b:.2f} | {a / b:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
