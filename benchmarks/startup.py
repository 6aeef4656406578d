"""Start-up time of the command line: `didgah --help` and a one-line `didgah normalize`, each the median
of several fresh processes (targets: under 1 s and under 1.5 s).

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "startup.json"
CASES = {
    "didgah --help": (["--help"], None),
    "didgah normalize (one line)": (["normalize"], "گروههاي تروريستي در سوريه".encode()),
}


def seconds(args: list[str], stdin: bytes | None) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "didgah.cli", *args], input=stdin, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    results = {}
    for name, (cli, stdin) in CASES.items():
        seconds(cli, stdin)  # warm the file system cache
        times = [seconds(cli, stdin) for _ in range(args.runs)]
        results[name] = {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
                         "runs": args.runs}
        print(f"{name}: median {results[name]['median_s']:.2f} s (min {results[name]['min_s']:.2f} s, "
              f"{args.runs} runs)")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
