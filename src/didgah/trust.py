"""What a model file may hold: an explicit allow-list of classes, checked on the file's schema before
anything in it is built.

A skops file is a JSON schema of nodes (``__loader__``, ``__module__``, ``__class__``) plus array
files. skops builds an object by importing ``module.class`` and calling it (or its ``__new__`` and
``__setstate__``), so a node that names a *function* where a class is expected would run that function
while the file loads. didgah therefore never trusts a module prefix: it reads the schema itself and
accepts a node only when

* its loader is one of the kinds listed in :data:`LOADERS`, and
* the name it asks for is in that loader's allow-list, built from the class objects themselves
  (a name in :data:`ALLOWED_CLASSES` is a class by construction, never a function).

Functions, bound methods, ``functools.partial``, ``operator`` callers and unknown loaders are never on
the list; a numpy ``Generator`` is accepted only with one of numpy's bit generators. Labelling-function files that a model's ``weak_votes`` block reads at prediction time are
looked into as well: a ``python`` labelling function in them is code, listed like an untrusted type.
Anything refused is named, so ``--trust NAME[,NAME...]`` can accept it for a file one trusts.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import yaml
from sklearn.calibration import CalibratedClassifierCV, _CalibratedClassifier, _SigmoidCalibration
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import CountVectorizer, HashingVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV, SGDClassifier
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import LabelBinarizer, LabelEncoder, MultiLabelBinarizer, StandardScaler
from sklearn.svm import LinearSVC

from didgah.errors import ModelFileError


def type_name(cls: type) -> str:
    """``module.QualName`` as skops writes it for a class."""
    return f"{cls.__module__}.{cls.__qualname__}"


def _didgah_classes() -> list[type]:
    from didgah.features.claim_alignment import ClaimAlignment
    from didgah.features.embeddings import SentenceEmbeddings
    from didgah.features.hashing import CharHashing, WordHashing
    from didgah.features.lexicon import LexiconCounts
    from didgah.features.pair import MatchedSentencesTfidf, PairDifference, PairSimilarity, StanceCues, TokenList
    from didgah.features.pair_embeddings import PairEmbeddings
    from didgah.features.sentences import PooledSentenceEmbeddings, SentenceScores
    from didgah.features.tfidf import CharTfidf, TfidfTable, WordTfidf
    from didgah.features.weak_votes import WeakVotes
    from didgah.models.multilabel import ThresholdedMultiLabel
    from didgah.models.stacking import SourceStackingClassifier
    from didgah.models.text_classifier import TextClassifier
    from didgah.models.two_stage import TwoStageClassifier
    from didgah.text.normalizer import PersianNormalizer
    from didgah.text.tokenization import PersianAnalyzer

    return [ClaimAlignment, SentenceEmbeddings, CharHashing, WordHashing, LexiconCounts, MatchedSentencesTfidf,
            PairDifference, PairSimilarity, StanceCues, TokenList, PairEmbeddings, CharTfidf, TfidfTable, WordTfidf,
            WeakVotes, PooledSentenceEmbeddings, SentenceScores, ThresholdedMultiLabel, SourceStackingClassifier, TextClassifier, TwoStageClassifier,
            PersianNormalizer, PersianAnalyzer]


def _sklearn_internal_classes() -> list[type]:
    """The helper objects fitted models hold: a ``HistGradientBoostingClassifier``'s bins, trees and
    losses, and the loss objects of ``SGDClassifier`` and of the boosted models (compiled classes)."""
    from sklearn._loss import _loss as compiled_losses
    from sklearn._loss.link import HalfLogitLink, IdentityLink, Interval, LogitLink, MultinomialLogit
    from sklearn._loss.loss import HalfBinomialLoss, HalfMultinomialLoss
    from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
    from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor
    from sklearn.linear_model import _sgd_fast

    found = [getattr(_sgd_fast, name, None) for name in ("Hinge", "ModifiedHuber", "SquaredHinge", "Log")]
    found += [getattr(compiled_losses, name, None) for name in ("CyHalfBinomialLoss", "CyHalfMultinomialLoss")]
    return [HalfLogitLink, IdentityLink, Interval, LogitLink, MultinomialLogit, HalfBinomialLoss,
            HalfMultinomialLoss, _BinMapper, TreePredictor] + [c for c in found if isinstance(c, type)]


SKLEARN_CLASSES: list[type] = [
    LogisticRegression, LogisticRegressionCV, SGDClassifier, LinearSVC, ComplementNB, CalibratedClassifierCV,
    _CalibratedClassifier, _SigmoidCalibration, IsotonicRegression, Pipeline, FeatureUnion, StandardScaler,
    HistGradientBoostingClassifier, CountVectorizer, HashingVectorizer, TfidfTransformer, TfidfVectorizer,
    LabelBinarizer, LabelEncoder, MultiLabelBinarizer, KFold, StratifiedKFold, GroupKFold,
    DummyClassifier,  # a stage of TwoStageClassifier whose training target has one class
]
NUMPY_SCALARS: list[type] = sorted({t for t in np.sctypeDict.values() if issubclass(t, np.generic)}, key=str)
SPARSE_CLASSES: list[type] = [sp.csr_matrix, sp.csc_matrix, sp.coo_matrix, sp.lil_matrix, sp.dok_matrix,
                              sp.bsr_matrix, sp.dia_matrix, sp.csr_array, sp.csc_array, sp.coo_array]
BUILTIN_VALUE_TYPES: list[type] = [str, int, float, bool, list, tuple, dict, set, complex]


def _names(classes: list[type]) -> frozenset[str]:
    return frozenset(type_name(c) for c in classes)


_ALLOWED: dict[str, frozenset[str]] | None = None


def allowed_names() -> dict[str, frozenset[str]]:
    """For each accepted loader, the names it may ask for (built once, from class objects)."""
    global _ALLOWED
    if _ALLOWED is None:
        classes = _names(_didgah_classes() + SKLEARN_CLASSES + _sklearn_internal_classes())
        scalars = _names(NUMPY_SCALARS)
        _ALLOWED = {
            "DictNode": frozenset({"builtins.dict"}),
            "DefaultDictNode": frozenset({"collections.defaultdict"}),
            "ListNode": frozenset({"builtins.list"}),
            "SetNode": frozenset({"builtins.set"}),
            "TupleNode": frozenset({"builtins.tuple"}),
            "SliceNode": frozenset({"builtins.slice"}),
            "BytesNode": frozenset({"builtins.bytes"}),
            "BytearrayNode": frozenset({"builtins.bytearray"}),
            "JsonNode": _names(BUILTIN_VALUE_TYPES) | {"builtins.NoneType"},
            "NdArrayNode": frozenset({"numpy.ndarray"}) | scalars,
            "MaskedArrayNode": frozenset({"numpy.ma.core.MaskedArray"}),
            "DTypeNode": frozenset({"numpy.dtype"}),
            "RandomStateNode": frozenset({"numpy.random.mtrand.RandomState"}),
            # its bit generator's name is checked too (skops calls numpy.random.<name>): _bit_generator
            "RandomGeneratorNode": frozenset({"numpy.random._generator.Generator"}),
            "SparseMatrixNode": _names(SPARSE_CLASSES),
            "ObjectNode": classes,
            "ConstructorFromReduceNode": classes,
            "TreeNode": classes,
            "LossNode": classes,
            # a type as a value (e.g. a dtype argument): builtin value types, numpy scalars, allowed classes
            "TypeNode": _names(BUILTIN_VALUE_TYPES) | scalars | classes,
        }
    return _ALLOWED


WEAK_VOTES = "didgah.features.weak_votes.WeakVotes"
BIT_GENERATORS = frozenset({"PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"})


def _bit_generator(node: dict[str, Any]) -> str | None:
    """A Generator node's bit generator as ``numpy.random.NAME`` when it is not a known one, else None."""
    state = (((node.get("content") or {}).get("bit_generator") or {}).get("content") or {})
    name = _json_value(state.get("bit_generator"))
    return None if name in BIT_GENERATORS else f"numpy.random.{name}"


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema node (a mapping with ``__loader__``) below ``node``, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "__loader__" in item:
                yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _node_name(node: dict[str, Any]) -> str:
    module, cls = node.get("__module__"), node.get("__class__")
    if node.get("__loader__") == "MethodNode":
        return f"{module}.{cls}.{(node.get('content') or {}).get('func')}"
    if node.get("__loader__") == "FunctionNode" and isinstance(node.get("content"), dict):
        content = node["content"]
        module, cls = content.get("module_path", module), content.get("function", cls)
    return f"{module}.{cls}"


def _json_value(node: Any) -> Any:
    if isinstance(node, dict) and node.get("__loader__") == "JsonNode":
        try:
            return json.loads(node.get("content", "null"))
        except (TypeError, ValueError):
            return None
    return None


def _weak_votes_functions(node: dict[str, Any]) -> list[str]:
    """``python`` labelling functions (``module.function``) that a ``weak_votes`` block's file would import."""
    from didgah.weak.sets import BUILTIN_SETS

    attrs = ((node.get("content") or {}).get("content") or {})
    source = _json_value(attrs.get("functions"))
    if not isinstance(source, str) or source in BUILTIN_SETS:
        return []
    try:  # read as the block reads it when it votes (relative to the current folder)
        spec = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return [f"labelling functions file {source} (unreadable now, so unchecked)"]
    found = []
    for entry in (spec or {}).get("functions", []) if isinstance(spec, dict) else []:
        if isinstance(entry, dict) and entry.get("type") == "python":
            found.append("python labelling function " + str(entry.get("function")).replace(":", "."))
    return found


def read_schema(path: Path) -> dict[str, Any]:
    """The skops file's schema (plain JSON; nothing is imported or built)."""
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read("schema.json").decode("utf-8"))
    except (KeyError, ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError) as exc:
        raise ModelFileError(f"{path}: corrupt model file (schema: {exc.__class__.__name__})") from None
    if not isinstance(schema, dict) or "__loader__" not in schema:
        raise ModelFileError(f"{path}: corrupt model file (schema.json is not a skops schema)")
    return schema


def audit(path: Path) -> tuple[list[str], list[str]]:
    """(names the file asks for that are allowed, names that are not), read from its schema alone."""
    allowed = allowed_names()
    ok: set[str] = set()
    refused: dict[str, None] = {}
    for node in _nodes(read_schema(path)):
        loader = node.get("__loader__")
        if loader == "CachedNode":
            continue  # a reference to a node met before (checked there)
        name = _node_name(node)
        if not isinstance(loader, str) or loader not in allowed or name not in allowed[loader]:
            refused[name] = None
            continue
        ok.add(name)
        if loader == "RandomGeneratorNode" and _bit_generator(node):
            refused[str(_bit_generator(node))] = None
        if name == WEAK_VOTES:
            refused.update(dict.fromkeys(_weak_votes_functions(node)))
    return sorted(ok), list(refused)


def format_version(path: Path) -> int | None:
    """The model format a file records (``format_version_`` of its top object), read from the schema."""
    attrs = ((read_schema(path).get("content") or {}).get("content") or {})
    value = _json_value(attrs.get("format_version_"))
    return value if isinstance(value, int) and not isinstance(value, bool) else None
