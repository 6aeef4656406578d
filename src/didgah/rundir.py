"""Run directories: the one place that knows their file names and formats, and writes them atomically.

Every reader (the CLI, compare, reports, rerun, sweep, export, tracking, model loading) goes through
:class:`RunDir`.

A run works in a hidden folder ``.partial-<name>-<random>-<pid>`` under the runs directory and renames
it to its run id only when every file is written. An interrupted run (Ctrl-C, exception, SIGTERM)
removes its folder; one killed outright (SIGKILL, power loss) leaves it behind, and nothing else in
didgah reads it: ``compare`` skips and counts it, ``load_model`` refuses it.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from didgah.data import json_line
from didgah.errors import DidgahError
from didgah.stops import raise_missed_stop

PARTIAL_PREFIX = ".partial-"
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}  # the disk is full, over quota or read-only
CONFIG, METRICS, PREDICTIONS = "config.yaml", "metrics.json", "predictions.jsonl"
MODEL, MODEL_CARD, ENVIRONMENT = "model.skops", "model_card.md", "environment.json"
RUN_FILES = (CONFIG, METRICS, PREDICTIONS, MODEL, MODEL_CARD, ENVIRONMENT)


@dataclass(frozen=True)
class RunDir:
    """A finished run directory and its files: ``config.yaml`` (the resolved config), ``metrics.json``,
    ``predictions.jsonl`` (held-out predictions), ``model.skops`` (+ ``.sha256``), ``model_card.md``
    and ``environment.json``. A file damaged after the run is one ``DidgahError`` naming it."""

    path: Path

    @classmethod
    def open(cls, path: str | Path) -> RunDir:
        """The run at ``path``; an unfinished (``.partial-*``) or incomplete folder is refused."""
        path = Path(path)
        if is_partial_run(path):
            raise DidgahError(f"{path}: belongs to an unfinished run (interrupted, or still running)")
        if not is_finished_run(path):
            raise DidgahError(f"{path}: not a finished run directory")
        return cls(path)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def model_path(self) -> Path:
        return self.path / MODEL

    @property
    def predictions_path(self) -> Path:
        return self.path / PREDICTIONS

    def file(self, name: str) -> Path:
        """The path of one of the run's files (a name in ``RUN_FILES``)."""
        if name not in RUN_FILES:
            raise ValueError(f"{name!r} is not a run file")
        return self.path / name

    def _read(self, name: str, parse: Any) -> Any:
        try:
            return parse((self.path / name).read_text(encoding="utf-8"))
        except (ValueError, yaml.YAMLError) as exc:  # edited or damaged after the run
            raise DidgahError(f"{self.path / name}: damaged run file ({exc.__class__.__name__})") from None

    def config(self) -> dict[str, Any]:
        return self._read(CONFIG, yaml.safe_load)

    def metrics(self) -> dict[str, Any]:
        return self._read(METRICS, json.loads)

    def environment(self) -> dict[str, Any]:
        return self._read(ENVIRONMENT, json.loads)

    def predictions(self) -> list[dict[str, Any]]:
        return self._read(PREDICTIONS, lambda text: [json.loads(line) for line in text.splitlines() if line.strip()])

    def prediction_lines(self) -> list[str]:
        """The predictions file's lines as written (for exact comparisons)."""
        return self.predictions_path.read_text(encoding="utf-8").splitlines()


def write_run_files(work: Path, config_yaml: str, predictions: list[dict[str, Any]], metrics: dict[str, Any],
                    environment: dict[str, Any], save_model: Any, model_card: Any) -> None:
    """Write a run's files into its work folder: ``save_model(path) -> sha256`` writes the model,
    ``model_card(metrics) -> str`` the card (after the model's checksum is in ``metrics``)."""
    (work / CONFIG).write_text(config_yaml, encoding="utf-8")
    with open(work / PREDICTIONS, "w", encoding="utf-8") as handle:
        for row in predictions:
            handle.write(json_line(row))
    metrics["model_sha256"] = save_model(work / MODEL)
    (work / METRICS).write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    (work / MODEL_CARD).write_text(model_card(metrics), encoding="utf-8")
    (work / ENVIRONMENT).write_text(json.dumps(environment, ensure_ascii=False, indent=2), encoding="utf-8")


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
    raise_missed_stop()  # a Ctrl-C or SIGTERM dropped where it landed: the run is not published
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
