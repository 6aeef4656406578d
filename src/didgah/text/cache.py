"""An on-disk cache of normalized texts, so a second experiment on the same corpus does not normalize again.

Entries are keyed by the normalizer's identity (name, options that change its output, didgah's version)
and the sha256 of the raw text; they live in one SQLite file, ``normalized.sqlite``, in the cache folder:

1. the ``cache_dir`` a config gives (``preprocess.cache_dir``), else
2. the folder in the environment variable ``DIDGAH_CACHE_DIR``, else
3. ``$XDG_CACHE_HOME/didgah`` (``~/.cache/didgah`` when that is unset).

It is only a cache: when the folder cannot be written, texts are normalized as if it were empty
(one warning), and deleting the file at any time is safe.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from didgah.errors import DidgahWarning

CACHE_ENV = "DIDGAH_CACHE_DIR"

CACHE_FILE = "normalized.sqlite"
_BATCH = 500  # digests per SELECT (SQLite's limit on parameters is 32766 in current versions, 999 in old ones)


def default_cache_dir() -> Path:
    """``$DIDGAH_CACHE_DIR``, else ``$XDG_CACHE_HOME/didgah``, else ``~/.cache/didgah``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "didgah"


def text_digest(text: str) -> bytes:
    """sha256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class NormalizedTextCache:
    """Normalized texts on disk for one normalizer identity (``namespace``).

    Parameters
    ----------
    namespace : str
        Everything that decides the output, e.g. ``persian_normalizer.v1|digits=persian|...|didgah=0.1.0|rules=3f2a...``.
    folder : path or None
        The cache folder (``None``: :func:`default_cache_dir`).
    """

    def __init__(self, namespace: str, folder: str | Path | None = None) -> None:
        self.namespace = namespace
        self.path = Path(folder).expanduser() / CACHE_FILE if folder else default_cache_dir() / CACHE_FILE
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=60)
            connection.execute(
                "CREATE TABLE IF NOT EXISTS normalized (namespace TEXT NOT NULL, digest BLOB NOT NULL, "
                "text TEXT NOT NULL, PRIMARY KEY (namespace, digest)) WITHOUT ROWID"
            )
            return connection
        except (OSError, sqlite3.Error) as exc:
            self._give_up(exc)
            return None

    def _give_up(self, exc: Exception) -> None:
        self._broken = True
        warnings.warn(f"normalization cache {self.path} is not usable ({exc}); normalizing without it",
                      DidgahWarning, stacklevel=3)

    def get_many(self, digests: Sequence[bytes]) -> dict[bytes, str]:
        """The cached normalized texts of those digests that are in the cache."""
        found: dict[bytes, str] = {}
        if not digests:
            return found
        connection = self._connect()
        if connection is None:
            return found
        try:
            for start in range(0, len(digests), _BATCH):
                batch = list(digests[start : start + _BATCH])
                marks = ",".join("?" * len(batch))
                rows = connection.execute(
                    f"SELECT digest, text FROM normalized WHERE namespace = ? AND digest IN ({marks})",
                    [self.namespace, *batch],
                )
                found.update(rows)
        except sqlite3.Error as exc:
            self._give_up(exc)
        finally:
            connection.close()
        return found

    def put_many(self, items: Iterable[tuple[bytes, str]]) -> None:
        """Store ``(digest, normalized text)`` pairs."""
        rows = [(self.namespace, digest, text) for digest, text in items]
        if not rows:
            return
        connection = self._connect()
        if connection is None:
            return
        try:
            with connection:
                connection.executemany("INSERT OR REPLACE INTO normalized VALUES (?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._give_up(exc)
        finally:
            connection.close()
