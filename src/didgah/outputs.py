"""Writing a command's output without ever harming a user's file.

An output is written to a hidden temporary name beside it and renamed over the target only when it
is complete; the temporary is removed on any exit (an error, Ctrl-C, SIGTERM unwinding). Before
anything is written, the target is checked: it may not be one of the command's inputs (the same
file by path, symlink or hard link), a model file or its checksum, or a file of a run directory.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from didgah.errors import DidgahError
from didgah.rundir import RUN_FILES, is_finished_run

_MODEL_SUFFIXES = (".skops", ".sha256")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (after symlinks; hard links included)."""
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output(output: str | Path, inputs: Mapping[str, str | Path | None], where: str = "--output") -> Path:
    """``output`` as a Path, after refusing a target that would overwrite something the user keeps.

    ``inputs`` names the command's inputs, e.g. ``{"--input": ..., "the model": ...}``."""
    path = Path(output)
    for what, other in inputs.items():
        if other is not None and same_file(path, Path(other)):
            raise DidgahError(f"{where}: {path} is {what}; write the output to another file")
    if path.is_dir():
        raise DidgahError(f"{where}: {path} is a folder; name a file")
    if path.exists() and path.suffix in _MODEL_SUFFIXES:
        raise DidgahError(f"{where}: {path} is a model file; write the output to another file")
    if path.name in RUN_FILES and is_finished_run(path.parent):
        raise DidgahError(f"{where}: {path} is a file of the run {path.parent}; write the output elsewhere")
    return path


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")


@contextmanager
def atomic_file(path: Path, where: str = "--output") -> Iterator[Path]:
    """Yield a temporary path to write; it replaces ``path`` when the block ends normally and is
    removed otherwise (also on KeyboardInterrupt). An OS error (disk full, no permission) is one line."""
    tmp = _temporary(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
        tmp.replace(path)
    except OSError as exc:
        raise DidgahError(f"{where}: cannot write {path} ({exc.strerror or exc})") from None
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


@contextmanager
def atomic_folder(path: Path, where: str = "--output") -> Iterator[Path]:
    """Like :func:`atomic_file` for a folder that must be new (absent or empty)."""
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise DidgahError(f"{where}: {path} already exists and is not empty; choose a new folder")
    tmp = _temporary(path)
    try:
        tmp.mkdir(parents=True)
        yield tmp
        if path.is_dir():
            path.rmdir()
        tmp.replace(path)
    except OSError as exc:
        raise DidgahError(f"{where}: cannot write {path} ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
