"""Saving and loading models with skops: never pickle, only types didgah trusts, checksums verified."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import skops.io as sio

from didgah.errors import DidgahError, ModelFileError
from didgah.models.text_classifier import MODEL_FORMAT, TextClassifier
from didgah.rundir import CONFIG, METRICS, MODEL, RUN_FILES, RunDir, is_partial_run
from didgah.trust import audit as trust_audit
from didgah.trust import format_version as trust_format_version

CHECKSUM_SUFFIX = ".sha256"
# A folder in hub layout (written by ``didgah export``): its config.json names the model file.
MODEL_FILE = "model.skops"
CONFIG_FILE = "config.json"


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


def model_file_of(folder: Path) -> Path:
    """The model file of an exported folder (named by its config.json)."""
    settings_path = folder / CONFIG_FILE
    if not settings_path.is_file():
        raise ModelFileError(f"{folder}: a folder without {CONFIG_FILE}; give a model file or an exported model folder")
    try:
        settings = json.loads(settings_path.read_text(encoding="utf-8"))
        name = settings["model_file"]
    except (ValueError, KeyError, TypeError):
        raise ModelFileError(f"{settings_path}: not a didgah model config (no model_file)") from None
    path = folder / Path(name).name
    if path.is_file() and settings.get("sha256") and sha256_file(path) != settings["sha256"]:
        raise ModelFileError(f"{path}: checksum does not match {CONFIG_FILE}; the file was changed or damaged")
    return path


def model_path(path: str | Path) -> Path:
    """The model file ``path`` names: the file itself, or ``model.skops`` of a finished run directory.

    Files of an unfinished run (a ``.partial-*`` folder, left by a run that was interrupted or is still
    running) are refused."""
    path = Path(path)
    if is_partial_run(path if path.is_dir() else path.parent):
        raise ModelFileError(f"{path}: belongs to an unfinished run (interrupted, or still running); "
                             "use a finished run directory")
    if path.is_dir() and (path / CONFIG_FILE).is_file() and not (path / CONFIG).is_file():
        return model_file_of(path)
    if path.is_dir():
        missing = [f for f in RUN_FILES if not (path / f).is_file()]
        if missing:
            raise ModelFileError(f"{path}: a folder, not a finished run directory (no {', '.join(missing)}) "
                                 "and not an exported model (without config.json)")
        return RunDir(path).model_path
    return path


# First bytes of formats that are not skops: pickle (protocol 2+, as joblib writes it) and compressors.
_PICKLE_HEADS = (b"\x80",)
_COMPRESSED_HEADS = (b"x\x9c", b"x\x01", b"x\xda", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"\x04\x22\x4d\x18")


def _recorded_checksums(path: Path) -> list[tuple[str, str]]:
    """(where, sha256) pairs recorded for a model file: its ``.sha256`` sidecar, and the run's metrics.json."""
    found = []
    sidecar = path.with_name(path.name + CHECKSUM_SUFFIX)
    if sidecar.is_file():
        found.append((sidecar.name, sidecar.read_text().strip()))
    metrics = path.parent / METRICS
    if path.name == MODEL and metrics.is_file():
        try:
            recorded = RunDir(path.parent).metrics().get("model_sha256")
        except (DidgahError, AttributeError):
            raise ModelFileError(f"{metrics}: not valid JSON; cannot verify the model's checksum") from None
        if recorded:
            found.append(("metrics.json model_sha256", str(recorded)))
    return [(where, digest) for where, digest in found if digest]


def _check_file(path: Path) -> None:
    if not path.is_file():
        raise ModelFileError(f"{path}: no such model file")
    with open(path, "rb") as handle:
        head = handle.read(6)
    if head.startswith(_PICKLE_HEADS):
        raise ModelFileError(f"{path}: a pickle/joblib file; didgah loads only skops files (pickle can run code)")
    if head.startswith(_COMPRESSED_HEADS):
        raise ModelFileError(f"{path}: a compressed (joblib?) file; didgah loads only skops files (pickle can run code)")
    if not head.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(path):
        raise ModelFileError(f"{path}: not a skops model file (truncated or another format)")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise ModelFileError(f"{path}: corrupt model file ({exc})") from None
    if "schema.json" not in names:
        raise ModelFileError(f"{path}: a zip archive without schema.json, not a skops model file")
    if bad is not None:
        raise ModelFileError(f"{path}: corrupt model file (damaged member {bad})")
    recorded = _recorded_checksums(path)
    if recorded:
        actual = sha256_file(path)
        for where, expected in recorded:
            if actual != expected:
                raise ModelFileError(f"{path}: checksum does not match {where}; the file was changed or damaged")


def types_to_trust(path: str | Path) -> list[str]:
    """The names a model file asks for beyond didgah's allow-list (empty for didgah's own models).

    The file is checked (format, integrity, checksum) and its schema read (:mod:`didgah.trust`), but
    nothing in it is imported, built or run."""
    path = model_path(path)
    _check_file(path)
    return trust_audit(path)[1]


def load_model(path: str | Path, trust: list[str] | None = None) -> TextClassifier:
    """Load a didgah model saved with :func:`save_model`.

    Refuses pickle/joblib files, truncated or corrupt files, files of unfinished runs, files whose
    checksum does not match the recorded one (the ``.sha256`` sidecar, and ``model_sha256`` in the
    run's metrics.json), and files that name anything outside didgah's explicit allow-list of classes
    (:mod:`didgah.trust`): functions, methods and other classes are refused before anything in the
    file is built (pass their names in ``trust`` only for a file you trust; :func:`types_to_trust`
    lists them).

    Parameters
    ----------
    path : str or Path
        A model file, a finished run directory (its ``model.skops``) or a folder written by
        ``didgah export`` (hub layout).
    trust : list of str, optional
        Extra fully qualified type names to allow.
    """
    path = model_path(path)
    _check_file(path)
    allowed, refused = trust_audit(path)
    saved = trust_format_version(path)
    if saved != MODEL_FORMAT:
        raise ModelFileError(f"{path}: saved in model format {saved or 1}; this didgah reads format {MODEL_FORMAT}: "
                             "train it again with `didgah run` (or load it with the didgah version that saved it)")
    extra = [t for t in refused if t not in set(trust or [])]
    if extra:
        raise ModelFileError(f"{path}: refuses untrusted types {', '.join(extra)} "
                             f"(only if you trust the file: --trust {','.join(extra)})")
    try:  # every name in the file is now allowed or trusted by the caller: skops may build it
        model = sio.load(path, trusted=allowed + [t for t in refused if " " not in t])
    except Exception as exc:
        detail = " ".join(str(exc).split())[:150]
        raise ModelFileError(f"{path}: cannot load model ({exc.__class__.__name__}: {detail})") from None
    if not isinstance(model, TextClassifier):
        raise ModelFileError(f"{path}: holds a {type(model).__name__}, not a didgah model")
    _local_cache_folder(model)
    return model


def _local_cache_folder(model: TextClassifier) -> None:
    """Where normalized texts are cached is this machine's choice, not the file's: a loaded model uses
    ``$DIDGAH_CACHE_DIR`` or the user cache folder, so a file cannot make didgah write into a folder it
    names."""
    pipeline = getattr(model, "pipeline_", None)
    normalizers = [model.normalizer] + ([pipeline.named_steps["normalize"]] if pipeline is not None else [])
    for normalizer in normalizers:
        if hasattr(normalizer, "cache_dir"):
            normalizer.cache_dir = None
