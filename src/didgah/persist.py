"""Saving and loading models with skops: never pickle, only types didgah trusts, checksums verified."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import skops.io as sio

from didgah.errors import ModelFileError
from didgah.models.text_classifier import TextClassifier

# Types from these packages are data-holding estimators; anything else in a file is refused.
TRUSTED_PREFIXES = ("didgah.", "sklearn.")
CHECKSUM_SUFFIX = ".sha256"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(model: TextClassifier, path: str | Path) -> Path:
    """Write ``model`` as a skops file and its sha256 beside it (``<path>.sha256``); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    sio.dump(model, tmp)
    tmp.replace(path)
    path.with_name(path.name + CHECKSUM_SUFFIX).write_text(sha256_file(path) + "\n")
    return path


def untrusted_types(path: Path) -> list[str]:
    """The types in a skops file that neither skops nor didgah trusts."""
    return [t for t in sio.get_untrusted_types(file=path) if not t.startswith(TRUSTED_PREFIXES)]


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head[:1] == b"\x80" or head[:2] in (b"x\x9c", b"x\x01", b"x\xda"):
        raise ModelFileError(f"{path}: a pickle/joblib file; didgah loads only skops files (pickle can run code)")
    if head != b"PK\x03\x04" or not zipfile.is_zipfile(path):
        raise ModelFileError(f"{path}: not a skops model file (truncated or another format)")
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelFileError(f"{path}: corrupt model file ({exc})") from None
    if bad is not None or "schema.json" not in names:
        raise ModelFileError(f"{path}: corrupt model file (damaged member {bad or 'schema.json missing'})")
    sidecar = path.with_name(path.name + CHECKSUM_SUFFIX)
    if sidecar.is_file():
        expected = sidecar.read_text().strip()
        if expected and sha256_file(path) != expected:
            raise ModelFileError(f"{path}: checksum does not match {sidecar.name}; the file was changed or damaged")


def load_model(path: str | Path, trust: list[str] | None = None) -> TextClassifier:
    """Load a didgah model saved with :func:`save_model`.

    Refuses pickle/joblib files, truncated or corrupt files, files whose checksum does not match the
    recorded one, and files that contain any type outside didgah's and scikit-learn's estimators
    (pass their names in ``trust`` only for a file you trust).

    Parameters
    ----------
    path : str or Path
        A model file, or a folder written by ``didgah export`` (hub layout).
    trust : list of str, optional
        Extra fully qualified type names to allow.
    """
    path = Path(path)
    if path.is_dir():
        from didgah.export import model_file_of

        path = model_file_of(path)
    _check_file(path)
    try:
        extra = [t for t in untrusted_types(path) if t not in set(trust or [])]
    except Exception as exc:
        raise ModelFileError(f"{path}: corrupt model file ({exc.__class__.__name__})") from None
    if extra:
        raise ModelFileError(f"{path}: refuses untrusted types {', '.join(extra)} (trust them only if you know the file)")
    try:
        model = sio.load(path, trusted=sio.get_untrusted_types(file=path))
    except Exception as exc:
        raise ModelFileError(f"{path}: cannot load model ({exc.__class__.__name__}: {str(exc)[:150]})") from None
    if not isinstance(model, TextClassifier):
        raise ModelFileError(f"{path}: holds a {type(model).__name__}, not a didgah model")
    return model
