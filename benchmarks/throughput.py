"""Text pipeline throughput: didgah's normalizer + tokenizer against plain hazm, on the same real articles.

hazm: ``hazm.Normalizer().normalize`` then one reused ``hazm.WordTokenizer().tokenize`` per article.
didgah: ``normalize_many`` (the default normalizer, persian_normalizer.v2, every repair on) then
``tokenize_many``, with one
process and with ``--jobs`` processes (twice: the first call also starts the worker server that
later calls reuse; pool start-up is in both), per-process cache cleared before
each timing and the disk cache off; then the disk cache: one run that fills it and one, in a fresh
per-process cache, that reads it back; last, normalizing alone with v2 and with v1. All timings in one
run, so the ratios compare like with like.

    python benchmarks/throughput.py --articles 2500 --jobs 2

Writes ``benchmarks/results/throughput.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"
SOURCES = ("irnews-2020/articles.jsonl", "isna-5cat/articles.jsonl")


def load_articles(per_source: int) -> list[str]:
    """The first ``per_source`` articles (title + text) of each source corpus."""
    texts = []
    for name in SOURCES:
        with open(SHARED / name, encoding="utf-8") as handle:
            for i, line in enumerate(handle):
                if i >= per_source:
                    break
                row = json.loads(line)
                texts.append("\n".join(part for part in (row.get("title"), row.get("text")) if part))
    return texts


def timed(function, *args, **kwargs) -> float:
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2500, help="articles from each of the two corpora")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel run")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "throughput")
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"needs the real corpora in {SHARED}", file=sys.stderr)
        return 2

    import hazm

    from didgah.text.batch import normalize_many, tokenize_many
    from didgah.text.lexicon import get_lexicon
    from didgah.text.normalization import NORMALIZED_CACHE
    from didgah.text.tokenization import tokenize

    texts = load_articles(args.articles)
    chars = sum(map(len, texts))
    load_before = os.getloadavg()

    hazm_normalizer, hazm_tokenizer = hazm.Normalizer(), hazm.WordTokenizer()
    get_lexicon(), tokenize("آماده")  # both sides start with their resources loaded

    def hazm_pipeline() -> None:
        for text in texts:
            hazm_tokenizer.tokenize(hazm_normalizer.normalize(text))

    def didgah_pipeline(jobs: int) -> None:
        NORMALIZED_CACHE.clear()
        tokenize_many(normalize_many(texts, n_jobs=jobs, cache=False), n_jobs=jobs)

    seconds = {"hazm": timed(hazm_pipeline), "didgah_1": timed(didgah_pipeline, 1),
               "didgah_first": timed(didgah_pipeline, args.jobs),
               f"didgah_{args.jobs}": timed(didgah_pipeline, args.jobs)}
    with tempfile.TemporaryDirectory() as cache_dir:
        NORMALIZED_CACHE.clear()
        seconds["cache_fill"] = timed(normalize_many, texts, cache_dir=cache_dir)
        NORMALIZED_CACHE.clear()
        seconds["cache_read"] = timed(normalize_many, texts, cache_dir=cache_dir)
    NORMALIZED_CACHE.clear()
    seconds["normalize_only_1"] = timed(normalize_many, texts, cache=False)
    NORMALIZED_CACHE.clear()
    seconds["normalize_only_v1_1"] = timed(normalize_many, texts, "persian_normalizer.v1", cache=False)

    rate = {name: chars / s for name, s in seconds.items()}
    result = {
        "articles": len(texts), "characters": chars, "sources": list(SOURCES), "jobs": args.jobs,
        "cpu_count": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "chars_per_second": {k: round(v) for k, v in rate.items()},
        "ratio_to_hazm": {k: round(v / rate["hazm"], 2) for k, v in rate.items()},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    labels = {"hazm": "hazm Normalizer + WordTokenizer", "didgah_1": "didgah normalize + tokenize, 1 process",
              "didgah_first": f"didgah normalize + tokenize, {args.jobs} processes, first call (starts the "
                              "worker server)",
              f"didgah_{args.jobs}": f"didgah normalize + tokenize, {args.jobs} processes",
              "cache_fill": "didgah normalize, filling the disk cache",
              "cache_read": "didgah normalize, read back from the disk cache",
              "normalize_only_1": "didgah normalize only, 1 process",
              "normalize_only_v1_1": "didgah normalize only with persian_normalizer.v1, 1 process"}
    lines = [f"{len(texts)} real articles, {chars:,} characters; load average before "
             f"{result['load_average_before'][0]}, after {result['load_average_after'][0]} on "
             f"{os.cpu_count()} cores", "", "| pipeline | seconds | chars/s | × hazm |", "|---|---:|---:|---:|"]
    for key, label in labels.items():
        lines.append(f"| {label} | {seconds[key]:.2f} | {rate[key]:,.0f} | {result['ratio_to_hazm'][key]:.2f} |")
    args.output.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
