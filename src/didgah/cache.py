"""Where didgah keeps caches on disk: ``$DIDGAH_CACHE_DIR``, else the user's cache folder."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(kind: str) -> Path:
    """The folder for one kind of cache (``embeddings``, ...); created on first use."""
    root = os.environ.get("DIDGAH_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "didgah")
    path = Path(root) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path
