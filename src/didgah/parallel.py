"""Where independent pieces of work (cross-validation folds, sweep runs) execute.

Work is written once as ``run_parallel([delayed(f)(args), ...])`` (joblib); :func:`execution` decides
where it runs: in this process (the default), in ``n_jobs`` local worker processes, or on a Dask
distributed cluster (the optional extra: ``pip install 'didgah[dask]'``). Results come back in order
and equal those of a sequential run.

Example
-------
>>> with execution("local", n_jobs=1):
...     list(run_parallel([delayed(pow)(2, k) for k in range(4)]))
[1, 2, 4, 8]
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

import joblib
from joblib import delayed

from didgah.errors import DidgahError

BACKENDS = ("local", "dask")
__all__ = ["BACKENDS", "delayed", "execution", "run_parallel"]


def run_parallel(tasks: Iterable[Any]) -> Iterator[Any]:
    """Run ``delayed`` calls on the active backend (sequentially unless inside :func:`execution`);
    results are yielded in order as they are ready, so progress can be reported fold by fold."""
    return joblib.Parallel(return_as="generator")(tasks)


@contextlib.contextmanager
def execution(backend: str = "local", scheduler: str | None = None, n_jobs: int | None = None) -> Iterator[Any]:
    """Run the :func:`run_parallel` calls made inside on ``backend``.

    Parameters
    ----------
    backend : {"local", "dask"}
        ``local``: this machine (``n_jobs`` worker processes; 1 = in this process). ``dask``: the
        workers of the Dask cluster whose scheduler listens at ``scheduler``.
    scheduler : str or None
        The Dask scheduler's address, e.g. ``tcp://10.0.0.5:8786`` (``dask`` only).
    n_jobs : int or None
        At most this many pieces at once (``-1``: every core / every worker thread of the cluster).
    """
    if backend not in BACKENDS:
        raise DidgahError(f"--backend: {backend!r} is not one of {', '.join(BACKENDS)}")
    if backend == "local":
        if scheduler:
            raise DidgahError("--scheduler: only with --backend dask")
        with joblib.parallel_config(backend="loky", n_jobs=n_jobs or 1):
            yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise DidgahError("--backend dask needs the dask extra: pip install 'didgah[dask]'") from None
    if not scheduler:
        raise DidgahError("--backend dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
    try:
        client = Client(scheduler, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise DidgahError(f"--scheduler {scheduler}: cannot connect to a Dask scheduler ({exc})") from None
    with client, joblib.parallel_config(backend="dask", n_jobs=n_jobs or -1):
        yield client
