"""How fast the sentence encoder embeds Persian news sentences on this machine (no cache).

Takes the sentences of the sample corpus's articles (``data/sample_topics.jsonl``, split as
``sentence_scores.v1`` splits them), in order, until ``--chars`` characters, and embeds them with
``didgah.features.embeddings.embed`` (multilingual-e5-small, every core, disk cache off, a new process so
nothing is in memory); the model is loaded, by embedding one other sentence, before the clock starts. The
rate is what the first training of a config with ``embeddings: true`` costs per character.

    python benchmarks/embedding_rate.py                  # about 200,000 characters
    python benchmarks/embedding_rate.py --chars 50000    # a quicker look

Writes ``results/embedding_rate.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data" / "sample_topics.jsonl"


def sample_sentences(limit: int) -> list[str]:
    from didgah.features.sentences import sentences

    out, total = [], 0
    with open(SAMPLE, encoding="utf-8") as handle:
        for line in handle:
            for sentence in sentences(json.loads(line)["text"]):
                out.append(sentence)
                total += len(sentence)
                if total >= limit:
                    return out
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=200_000, help="characters to embed")
    parser.add_argument("--output", type=Path, default=HERE / "results" / "embedding_rate.json")
    args = parser.parse_args(argv)
    from didgah.features.embeddings import embed

    texts = sample_sentences(args.chars)
    embed(["بارگذاری مدل پیش از زمان‌سنجی"], disk_cache=False)  # loads the model: loading is not encoding
    load_before = os.getloadavg()
    start = time.perf_counter()
    embed(texts, disk_cache=False)
    seconds = time.perf_counter() - start
    chars = sum(len(t) for t in texts)
    result = {"sentences": len(texts), "characters": chars, "seconds": round(seconds, 1),
              "chars_per_second": round(chars / seconds), "sentences_per_second": round(len(texts) / seconds, 1),
              "cores": os.cpu_count(), "load_average_before": [round(x, 2) for x in load_before]}
    print(f"{len(texts):,} sentences, {chars:,} characters in {seconds:.1f} s: {chars / seconds:,.0f} characters "
          f"a second ({len(texts) / seconds:.1f} sentences) on {os.cpu_count()} cores, load average before "
          f"{load_before[0]:.2f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
