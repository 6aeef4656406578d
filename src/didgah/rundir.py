"""Run directories on disk, written atomically.

A run works in a hidden folder ``.partial-<name>-<random>-<pid>`` under the runs directory and renames
it to its run id only when every file is written. An interrupted run (Ctrl-C, exception, SIGTERM)
removes its folder; one killed outright (SIGKILL, power loss) leaves it behind, and nothing else in
didgah reads it: ``compare`` skips and counts it, ``load_model`` refuses it.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from didgah.errors import DidgahError

PARTIAL_PREFIX = ".partial-"
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}  # the disk is full, over quota or read-only
RUN_FILES = ("config.yaml", "metrics.json", "predictions.jsonl", "model.skops", "model_card.md", "environment.json")


def is_finished_run(path: Path) -> bool:
    """A complete run directory: not a partial one, and every run file present."""
    path = Path(path)
    return path.is_dir() and not path.name.startswith(".") and all((path / f).is_file() for f in RUN_FILES)


def is_partial_run(path: Path) -> bool:
    """A run's work folder: still being written, or left by a run that was killed."""
    return Path(path).name.startswith(PARTIAL_PREFIX)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def partial_runs(root: Path) -> dict[str, list[Path]]:
    """The ``.partial-*`` folders under ``root``: ``running`` (their process, on this machine, is alive)
    and ``abandoned`` (their process is gone: the run was killed and can be deleted)."""
    found: dict[str, list[Path]] = {"running": [], "abandoned": []}
    for path in sorted(Path(root).glob(PARTIAL_PREFIX + "*")):
        pid = path.name.rsplit("-", 1)[-1]
        alive = pid.isdigit() and _pid_alive(int(pid))
        found["running" if alive else "abandoned"].append(path)
    return found


@contextmanager
def work_folder(root: Path, name: str) -> Iterator[Path]:
    """A fresh ``.partial-*`` folder under ``root`` to write a run into; removed if the block raises
    (including KeyboardInterrupt and SystemExit)."""
    root = Path(root)
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)[:60]
    if root.exists() and not root.is_dir():
        raise DidgahError(f"{root}: cannot create a run folder here (a file, not a folder)")
    try:
        root.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{safe}-", suffix=f"-{os.getpid()}", dir=root))
    except OSError as exc:
        raise DidgahError(f"{root}: cannot create a run folder here ({exc.strerror or exc})") from None
    try:
        yield work
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        if exc.errno in _NO_ROOM:
            raise DidgahError(f"{root}: cannot write the run ({exc.strerror}); its unfinished folder was removed, "
                              "free some space and run again") from None
        raise
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def publish(work: Path, root: Path, run_id: str) -> Path:
    """Rename a completed work folder to ``root/run_id`` (``run_id-2``... if taken); returns the new path."""
    missing = [f for f in RUN_FILES if not (work / f).is_file()]
    if missing:
        raise RuntimeError(f"{work}: run files missing before publishing: {', '.join(missing)}")
    for path in work.iterdir():  # on disk before the rename, so a power cut cannot publish empty files
        _fsync(path)
    _fsync(work)
    suffix = 1
    while True:
        final = root / (run_id if suffix == 1 else f"{run_id}-{suffix}")
        if not final.exists():
            try:
                os.rename(work, final)  # atomic; fails if another process took the name meanwhile
            except OSError:
                if not final.exists():
                    raise
            else:
                _fsync(root)
                return final
        suffix += 1


def _fsync(path: Path) -> None:
    """Flush a file or folder to disk (folders: where the file system allows it)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        if path.is_dir():
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():
            raise
    finally:
        os.close(fd)
