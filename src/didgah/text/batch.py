"""Normalizing and tokenizing many texts at once: caches first, then a process pool over chunks of texts.

A text is normalized at most once per process (``NORMALIZED_CACHE``) and, with the on-disk cache, once
per machine (:mod:`didgah.text.cache`). What is left is split into chunks that ``n_jobs`` worker
processes normalize side by side. Workers are forked from a server process that has the lexicon and
tokenizer loaded, so they start at once; small batches are normalized in the calling process, where
starting workers would cost more than it saves.

Example
-------
>>> normalize_many(["كتاب ها", "گروههای مسلح"], cache=False)
['کتاب\u200cها', 'گروه\u200cهای مسلح']
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from didgah.text.cache import NormalizedTextCache, text_digest
from didgah.text.normalization import DEFAULT_VERSION, NORMALIZED_CACHE, get_steps
from didgah.text.tokenization import tokenize

# Below this many characters a batch is processed in the calling process (a pool costs ~0.1 s to start).
MIN_PARALLEL_CHARS = 300_000
CHUNKS_PER_WORKER = 4

T = TypeVar("T")
R = TypeVar("R")


def effective_jobs(n_jobs: int | None) -> int:
    """``n_jobs`` as a number of processes: ``None`` is 1, ``-1`` every core, ``-2`` all but one..."""
    cores = os.cpu_count() or 1
    if n_jobs is None or n_jobs == 0:
        return 1
    if n_jobs < 0:
        return max(1, cores + 1 + n_jobs)
    return n_jobs


def map_chunks(function: Callable[[list[T]], list[R]], items: Sequence[T], n_jobs: int | None,
               size: Callable[[T], int] = len) -> list[R]:  # type: ignore[assignment]
    """``function`` (list -> list of the same length) applied to chunks of ``items`` in ``n_jobs``
    processes; results in the order of ``items``. Runs in-process for one job or a small batch."""
    jobs = min(effective_jobs(n_jobs), len(items))
    if multiprocessing.current_process().daemon:
        jobs = 1  # inside a daemonic worker (e.g. of a process pool or cluster), which cannot start processes
    if jobs <= 1 or sum(map(size, items)) < MIN_PARALLEL_CHARS:
        return function(list(items))
    with process_context().Pool(jobs) as pool:
        parts = pool.map(function, split(items, jobs), chunksize=1)
    return [result for part in parts for result in part]


def split(items: Sequence[T], jobs: int) -> list[list[T]]:
    """``items`` in ``jobs * CHUNKS_PER_WORKER`` consecutive chunks of near-equal length (none empty)."""
    n_chunks = min(len(items), jobs * CHUNKS_PER_WORKER)
    bounds = [round(i * len(items) / n_chunks) for i in range(n_chunks + 1)]
    return [list(items[a:b]) for a, b in zip(bounds, bounds[1:])]


def process_context() -> multiprocessing.context.BaseContext:
    """Workers come from a fork server that has loaded the lexicon and tokenizer (started once per
    process; forking this process itself is unsafe once it runs threads), else they are spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["didgah.text._warm"])
    return context


class _Normalize:
    """A picklable ``list of texts -> list of normalized texts`` for one normalizer configuration."""

    def __init__(self, version: str, options: dict[str, Any]) -> None:
        self.version = version
        self.options = options

    def __call__(self, texts: list[str]) -> list[str]:
        steps = [step for _, step in get_steps(self.version, **self.options)]
        out = []
        for text in texts:
            for step in steps:
                text = step(text)
            out.append(text)
        return out


def fingerprint_of(folder: Path) -> str:
    """The first 12 hex digits of a sha256 over the modules and resource files of ``folder`` (names and
    bytes, in name order) and hazm's version: what a normalizer's rules are made of."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"hazm={version('hazm')}".encode())
    for path in sorted([*folder.glob("*.py"), *(folder / "resources").glob("*")]):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@functools.cache
def rules_fingerprint() -> str:
    """:func:`fingerprint_of` the text package: a rule or a word count changed within one release of
    didgah gives the on-disk cache a new namespace, so no text normalized by the old rules is served."""
    return fingerprint_of(Path(__file__).resolve().parent)


def cache_namespace(version: str, digits: str, boilerplate: bool, glued_words: bool, hamza: str | None = None) -> str:
    """What decides a normalizer's output: its name, the options that change it, didgah's version and
    the rules' fingerprint (:func:`rules_fingerprint`)."""
    from didgah._version import __version__

    hamza_part = "" if hamza is None else f"|hamza={hamza}"
    return (f"{version}|digits={digits}|boilerplate={boilerplate}|glued_words={glued_words}{hamza_part}"
            f"|didgah={__version__}|rules={rules_fingerprint()}")


def normalize_many(
    texts: Sequence[str],
    version: str = DEFAULT_VERSION,
    *,
    digits: str = "persian",
    boilerplate: bool = True,
    glued_words: bool = True,
    hamza: str | None = None,
    n_jobs: int | None = 1,
    cache: bool = True,
    cache_dir: str | Path | None = None,
) -> list[str]:
    """Normalize many texts; the same output as :func:`didgah.text.normalization.normalize` on each.

    Parameters
    ----------
    texts : sequence of str
    version, digits, boilerplate, glued_words, hamza
        The normalizer and its options (see :func:`didgah.text.normalization.get_steps`).
    n_jobs : int or None
        Worker processes for the texts not found in a cache (``-1``: every core).
    cache : bool
        Read and write the on-disk cache (the per-process cache is always used).
    cache_dir : path or None
        The on-disk cache's folder (``None``: ``$DIDGAH_CACHE_DIR`` or the user cache folder).
    """
    options: dict[str, Any] = {"digits": digits, "boilerplate": boilerplate, "glued_words": glued_words,
                               "hamza": hamza}
    get_steps(version, **options)  # validates before any work
    key = (version, digits, boilerplate, glued_words, hamza)
    found: dict[str, str] = {}
    missing: list[str] = []
    for text in dict.fromkeys(texts):  # each distinct text once, in order
        hit = NORMALIZED_CACHE.get((*key, text))
        if hit is None:
            missing.append(text)
        else:
            found[text] = hit
    disk = NormalizedTextCache(cache_namespace(version, digits, boilerplate, glued_words, hamza), cache_dir) if cache else None
    digests: dict[str, bytes] = {}
    if disk is not None and missing:
        digests = {text: text_digest(text) for text in missing}
        stored = disk.get_many(list(digests.values()))
        still_missing = []
        for text in missing:
            hit = stored.get(digests[text])
            if hit is None:
                still_missing.append(text)
            else:
                found[text] = hit
                NORMALIZED_CACHE.put((*key, text), hit)
        missing = still_missing
    if missing:
        normalized = map_chunks(_Normalize(version, options), missing, n_jobs)
        for text, out in zip(missing, normalized):
            found[text] = out
            NORMALIZED_CACHE.put((*key, text), out)
        if disk is not None:
            disk.put_many((digests[text], out) for text, out in zip(missing, normalized))
    return [found[text] for text in texts]


def _tokenize_all(texts: list[str]) -> list[list[str]]:
    return [tokenize(text) for text in texts]


def tokenize_many(texts: Sequence[str], n_jobs: int | None = 1) -> list[list[str]]:
    """hazm's word tokens of each (normalized) text, in ``n_jobs`` processes for large batches."""
    return map_chunks(_tokenize_all, texts, n_jobs)
