"""How many real news articles a second a saved model labels, end to end, from an empty cache and again.

Takes ``--articles`` articles of isna-5cat (``../shared/data``; title and text, drawn with a fixed seed)
and runs ``didgah predict MODEL --input FILE --output FILE`` as a user would, in a new process with
``DIDGAH_CACHE_DIR`` pointed at a new, empty folder: the first run normalizes and (for a model whose
features read embeddings) encodes every sentence; the second run, same folder, finds them cached. Both
times include starting the command and loading the model; ``--text`` on one word gives that start-up alone.

    python benchmarks/predict_rate.py runs/<run>/model.skops                  # 200 articles
    python benchmarks/predict_rate.py runs/<run>/model.skops --articles 50    # a quicker look

Writes ``results/predict_rate-RUN.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "data" / "isna-5cat" / "articles.jsonl"
DIDGAH = Path(sys.executable).with_name("didgah")


def draw_articles(count: int, seed: int = 7) -> list[dict]:
    with open(SOURCE, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    random.Random(seed).shuffle(rows)
    return [{"id": r["id"], "title": r.get("title", ""), "text": r["text"]} for r in rows[:count]]


def timed(args: list[str], cache: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(DIDGAH), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env={**os.environ, "DIDGAH_CACHE_DIR": cache})
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="a saved model (runs/<run>/model.skops)")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--output", type=Path, help="default: results/predict_rate-RUN.json")
    args = parser.parse_args(argv)
    if not SOURCE.is_file():
        print(f"predict_rate: {SOURCE} not found (../shared beside the repository)", file=sys.stderr)
        return 2
    rows = draw_articles(args.articles)
    chars = sum(len(r["title"]) + len(r["text"]) for r in rows)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as work:
        articles, labelled = Path(work) / "articles.jsonl", Path(work) / "labelled.jsonl"
        articles.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        command = ["predict", str(args.model), "--input", str(articles), "--output", str(labelled)]
        cache = str(Path(work) / "cache")
        start_up = timed(["predict", str(args.model), "--text", "سلام"], str(Path(work) / "other-cache"))
        cold = timed(command, cache)
        warm = timed(command, cache)
    result = {"model": str(args.model), "articles": len(rows), "characters": chars,
              "start_up_seconds": round(start_up, 1), "empty_cache_seconds": round(cold, 1),
              "cached_seconds": round(warm, 1), "articles_per_second_empty_cache": round(len(rows) / cold, 2),
              "cores": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before]}
    print(f"{len(rows)} articles ({chars:,} characters): {cold:.1f} s from an empty cache "
          f"({len(rows) / cold:.1f} articles a second), {warm:.1f} s cached; start-up and model load alone "
          f"{start_up:.1f} s; {os.cpu_count()} cores, load average before {load_before[0]:.2f}")
    output = args.output or HERE / "results" / f"predict_rate-{args.model.resolve().parent.name.split('-')[0]}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
