"""Progress bars for long work (folds, the final model, encoding, labelling files, weak labelling,
sweeps), with tqdm.

Shown on an interactive terminal and in notebooks (as a widget when ipywidgets is installed, else as
text, so no "IProgress not found" warning); silent when standard error is not a terminal (logs, CI),
with ``didgah --quiet``, or after ``set_quiet(True)`` / ``DIDGAH_QUIET=1``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from didgah.stops import raise_missed_stop

T = TypeVar("T")
_QUIET = [os.environ.get("DIDGAH_QUIET", "") not in ("", "0")]


def set_quiet(quiet: bool) -> None:
    """Silence (or allow again) every progress bar of this process."""
    _QUIET[0] = bool(quiet)


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    ipython = getattr(shell, "get_ipython", lambda: None)() if shell else None
    return ipython is not None and "IPKernelApp" in getattr(ipython, "config", {})


def _bar_class() -> Any:
    if _in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm as bar
    else:
        from tqdm.std import tqdm as bar
    return bar


def enabled() -> bool:
    """Whether progress bars are shown now."""
    if _QUIET[0]:
        return False
    return _in_notebook() or (hasattr(sys.stderr, "isatty") and sys.stderr.isatty())


def progress(iterable: Iterable[T], desc: str, total: int | None = None, unit: str = "it") -> Iterator[T]:
    """``iterable``, with a progress bar named ``desc`` when bars are enabled."""
    if not enabled():
        yield from _between_steps(iterable)
        return
    bar = _bar_class()(iterable, desc=desc, total=total, unit=unit, leave=False, dynamic_ncols=True,
                       file=sys.stderr)
    try:
        yield from _between_steps(bar)
    finally:
        bar.close()


def _between_steps(iterable: Iterable[T]) -> Iterator[T]:
    for item in iterable:
        raise_missed_stop()  # between steps, a Ctrl-C dropped where it landed ends the work
        yield item
