"""How long a config's final model takes to train on all its data, with a filled or an empty cache.

Loads the config's training data and extra sources (silver labels are made now, as ``didgah run`` does),
then fits the model on all of it once, with no cross-validation: the time a user waits for a reusable
model. ``--empty-cache`` points ``DIDGAH_CACHE_DIR`` at a new empty folder first, so every text is
normalized and every sentence embedding computed (the first training on a new machine).

    python benchmarks/train_time.py experiments/topics_real.yaml
    python benchmarks/train_time.py experiments/topics_real.yaml --empty-cache
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config")
    parser.add_argument("--empty-cache", action="store_true", help="train with an empty DIDGAH_CACHE_DIR")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="didgah-bench-cache-") as empty:
        if args.empty_cache:
            os.environ["DIDGAH_CACHE_DIR"] = empty
        from didgah.experiment.config import load_config
        from didgah.experiment.sources import load_extra_training, load_training_data, tune_on, with_extra
        from didgah.registry import build_classifier

        t0 = time.perf_counter()
        config = load_config(args.config)
        train, _ = load_training_data(config)
        extra = load_extra_training(config) if config.data.extra_train else []
        inputs, labels, weights, _ = with_extra(train, extra)
        t1 = time.perf_counter()
        build_classifier(config).fit(inputs, labels, sample_weight=weights, tune_on=tune_on(config, train, len(inputs)))
        t2 = time.perf_counter()
    cache = "empty cache" if args.empty_cache else "cache as found"
    print(f"{config.name}: {len(inputs)} training texts; data and silver labels {t1 - t0:.1f} s; "
          f"final model {t2 - t1:.1f} s; total {t2 - t0:.1f} s ({cache})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
