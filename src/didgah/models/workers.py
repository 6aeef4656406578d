"""Prediction in several processes: each worker holds one copy of a fitted pipeline.

The pipeline is sent to each worker once, when its pool starts; after that only texts and score
arrays cross process boundaries. The pool is kept for the next call with the same pipeline (a CLI
labelling a large file in batches starts it once) and closed when another pipeline asks, or at exit.
Workers come from :func:`didgah.text.batch.process_context` (a fork server with the lexicon and tokenizer
already loaded).

Example
-------
>>> # model.predict(texts, n_jobs=2)  # the same labels as model.predict(texts), in two processes
"""

from __future__ import annotations

import atexit
import multiprocessing
import pickle
from collections.abc import Sequence
from typing import Any

import numpy as np

from didgah.text.batch import effective_jobs, process_context, split

# Below this many texts prediction stays in the calling process (starting workers costs ~1 s).
MIN_PARALLEL_TEXTS = 200

_pipeline: Any = None  # in a worker: the pipeline it predicts with
_pool: tuple[Any, int, Any] | None = None  # in the caller: (the pipeline, jobs, pool)


def _install(pipeline: Any) -> None:
    global _pipeline
    _pipeline = pipeline


def _call(job: tuple[str, list]) -> np.ndarray:
    method, texts = job
    return np.asarray(getattr(_pipeline, method)(texts))


def _close() -> None:
    global _pool
    if _pool is not None:
        _pool[2].terminate()
        _pool = None


atexit.register(_close)


def forget(pipeline: Any) -> None:
    """Close the workers holding ``pipeline``: call after changing it in place (e.g. ``partial_fit``)."""
    if _pool is not None and _pool[0] is pipeline:
        _close()


def _workers(pipeline: Any, jobs: int) -> Any:
    global _pool
    if _pool is not None and _pool[0] is pipeline and _pool[1] == jobs:
        return _pool[2]
    _close()
    pool = process_context().Pool(jobs, initializer=_install, initargs=(pipeline,))
    _pool = (pipeline, jobs, pool)
    return pool


def run(pipeline: Any, method: str, texts: Sequence[Any], n_jobs: int | None) -> np.ndarray:
    """``pipeline.<method>(texts)`` (``predict`` or ``predict_proba``), split over ``n_jobs`` processes."""
    texts = list(texts)
    jobs = min(effective_jobs(n_jobs), len(texts))
    if jobs <= 1 or len(texts) < MIN_PARALLEL_TEXTS or multiprocessing.current_process().daemon:
        return np.asarray(getattr(pipeline, method)(texts))
    chunks = [(method, chunk) for chunk in split(texts, jobs)]
    try:
        pool = _workers(pipeline, jobs)
    except (pickle.PicklingError, AttributeError, TypeError):  # a pipeline that cannot be sent: one process
        _close()
        return np.asarray(getattr(pipeline, method)(texts))
    parts = pool.map(_call, chunks, chunksize=1)
    return np.concatenate(parts, axis=0)
