"""Ctrl-C and SIGTERM that are never lost.

Python raises a signal's exception wherever the program is when it lands. In a finalizer (``__del__``)
or a callback that cannot raise, it is printed as "Exception ignored" and dropped, and the work goes on
as if nothing had been asked: a run would finish and publish its results after the user pressed Ctrl-C.
Within :func:`catching_stops`, each such signal is also recorded, a dropped one is not printed, and
:func:`raise_missed_stop` raises it again; a run calls it before it publishes anything and between
steps (:func:`didgah.progress.progress`).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Terminated(BaseException):
    """SIGTERM arrived: unwinds like Ctrl-C, so a run removes its unfinished folder."""


_RECEIVED: list[int] = []


def _stop(signum: int) -> BaseException:
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated()


def _handle(signum: int, frame: object) -> None:
    _RECEIVED.append(signum)
    raise _stop(signum)


def _quiet_about_stops(previous: Any) -> Any:
    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, (KeyboardInterrupt, Terminated)):
            previous(unraisable)  # a stop that was dropped is raised again: no need to print it

    return hook


@contextmanager
def catching_stops() -> Iterator[None]:
    """Within the block, SIGINT raises KeyboardInterrupt and SIGTERM :class:`Terminated`, each recorded for
    :func:`raise_missed_stop`. SIGINT is left alone where it is ignored (a background job). Outside the
    main thread, where signals cannot be handled, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _RECEIVED.clear()
    signals = [signal.SIGTERM]
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signals.append(signal.SIGINT)
    previous = {signum: signal.signal(signum, _handle) for signum in signals}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_about_stops(previous_hook)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sys.unraisablehook = previous_hook
        _RECEIVED.clear()


def raise_missed_stop() -> None:
    """Raise again the first stop signal received in :func:`catching_stops` (whose exception may have been
    dropped where it landed); nothing when none was."""
    if _RECEIVED:
        raise _stop(_RECEIVED[0])
