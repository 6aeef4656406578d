"""Peak memory of `didgah predict --input` on a large file: the input is read and labelled in batches,
so memory should stay flat as the file grows.

    python benchmarks/predict_memory.py MODEL [--megabytes 50 100 200]

MODEL is a finished run directory or model file (e.g. the one `make demo` prints). Each size is a JSONL
file of the sample corpus's articles repeated; the peak resident memory of the predicting process
(ru_maxrss) and the wall time are written to benchmarks/results/predict_memory.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results" / "predict_memory.json"


def make_input(path: Path, megabytes: int) -> int:
    lines = (ROOT / "data" / "sample_topics.jsonl").read_text(encoding="utf-8").splitlines()
    rows, size = 0, 0
    with open(path, "w", encoding="utf-8") as handle:
        while size < megabytes * 1_000_000:
            for line in lines:
                row = json.loads(line)
                row["id"] = f"{row['id']}-{rows}"
                text = json.dumps(row, ensure_ascii=False) + "\n"
                handle.write(text)
                size += len(text.encode())
                rows += 1
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--megabytes", type=int, nargs="+", default=[50, 100, 200])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in args.megabytes:
            source, output = Path(folder) / f"in-{megabytes}.jsonl", Path(folder) / "out.jsonl"
            rows = make_input(source, megabytes)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "didgah.cli", "predict", args.model, "--input", str(source),
                            "--output", str(output)], check=True, capture_output=True)
            seconds = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, the largest child so far
            result = {"megabytes": megabytes, "rows": rows, "seconds": round(seconds, 1),
                      "peak_rss_mb": round(peak / 1024), "peak_grew": peak > before}
            results.append(result)
            print(f"{megabytes} MB ({rows} rows): {seconds:.0f} s, peak {peak / 1024:.0f} MB")
            output.unlink()
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
