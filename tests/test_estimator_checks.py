"""scikit-learn's own estimator checks over every estimator didgah defines.

``parametrize_with_checks`` runs the whole suite on estimators of numeric arrays (the classifiers
that sit on top of the feature matrix). Estimators of texts, (target, text) pairs and vote arrays
declare so in their tags (``input_tags.two_d_array = False``), and scikit-learn then runs only its
clone check on them: ``test_api_checks_on_texts`` runs the scikit-learn checks that need no data on
them, and ``test_fit_contract_on_texts`` the fit contract (returns self, leaves parameters and input
alone, ``NotFittedError`` before fit) on didgah's own kind of input.
"""

from __future__ import annotations

import copy
import warnings

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.utils import estimator_checks as sk_checks
from sklearn.utils import get_tags
from sklearn.utils.estimator_checks import parametrize_with_checks

from didgah.models.multilabel import ThresholdedMultiLabel
from didgah.models.stacking import SourceStackingClassifier
from didgah.models.text_classifier import TextClassifier
from didgah.models.two_stage import TwoStageClassifier
from didgah.registry import PAIR_FEATURES, REGISTRIES

# Parameters that let a feature learn from a handful of texts: keep a term seen in one text (min_df=1)
# or in all of them (max_df=1.0).
SMALL_DATA = {"min_df": 1, "max_df": 1.0}


def _feature(name):
    feature = REGISTRIES["feature"][name]()
    return feature.set_params(**{k: v for k, v in SMALL_DATA.items() if k in feature.get_params()})


def _text_classifier(task):
    # A small classifier on scikit-learn's side; the multi-label one wraps it in per-label thresholds.
    classifier = LogisticRegression() if task == "multiclass" else ThresholdedMultiLabel(LogisticRegression(),
                                                                                       threshold_cv=2)
    return TextClassifier(REGISTRIES["normalizer"]["persian_normalizer.v1"](),
                          [("chars", _feature("tfidf_chars.v1"))], classifier, task=task)


NORMALIZERS = [REGISTRIES["normalizer"][name]() for name in sorted(REGISTRIES["normalizer"])]
FEATURES = [_feature(name) for name in sorted(REGISTRIES["feature"])]
LABEL_MODELS = [REGISTRIES["label_model"][name]() for name in sorted(REGISTRIES["label_model"])]
TEXT_CLASSIFIERS = [_text_classifier("multiclass"), _text_classifier("multilabel")]
# "model" components are factories returning scikit-learn's own estimators: not checked here.
# Classifiers of feature matrices wrap a small scikit-learn classifier:
ARRAY_CLASSIFIERS = [
    # dense_columns: scikit-learn's test data has 1 to 10 columns; cv=2: some checks fit on a few rows per class
    REGISTRIES["stacking"]["source_stacking.v1"](LogisticRegression(), dense_columns=2, cv=2),
    # SGDClassifier: has partial_fit (out-of-core training) and predict_proba; threshold_cv=2 for tiny data
    ThresholdedMultiLabel(SGDClassifier(loss="log_loss", random_state=0), threshold_cv=2),
    TwoStageClassifier(LogisticRegression()),
]
assert {type(e) for e in ARRAY_CLASSIFIERS} >= {SourceStackingClassifier, ThresholdedMultiLabel, TwoStageClassifier}
TEXT_ESTIMATORS = NORMALIZERS + FEATURES + LABEL_MODELS + TEXT_CLASSIFIERS

# Why a check cannot pass, per estimator class and check. Checks not listed must pass; listed ones
# must fail (strict xfail), so the list cannot go stale.
_MULTILABEL_Y = "Y is a 0/1 label indicator matrix; the check's binary target is coded 1 and 2"
EXPECTED_FAILURES: dict[type, dict[str, str]] = {
    ThresholdedMultiLabel: {
        "check_estimators_dtypes": _MULTILABEL_Y,
        "check_sample_weights_pandas_series": _MULTILABEL_Y,
        "check_sample_weights_not_an_array": _MULTILABEL_Y,
        "check_sample_weights_shape": _MULTILABEL_Y,
        "check_sample_weights_not_overwritten": _MULTILABEL_Y,
        "check_classifier_data_not_an_array": _MULTILABEL_Y,
        "check_fit2d_1feature": _MULTILABEL_Y,
        "check_classifiers_classes": "Y is a 0/1 label indicator matrix; the check passes class names (strings, 1/2)",
        "check_classifiers_one_label": "Y is a 2-D label indicator matrix; the check passes a 1-D target",
        "check_classifiers_one_label_sample_weights": "Y is a 2-D label indicator matrix; the check passes a 1-D target",
        "check_sample_weight_equivalence_on_dense_data": (
            "fit names its target Y (an indicator matrix), the check passes y=; and thresholds are tuned on "
            "out-of-fold scores, so repeating a row (it may land in two folds) is not the same as weighting it"),
        "check_sample_weight_equivalence_on_sparse_data": (
            "fit names its target Y (an indicator matrix), the check passes y=; and thresholds are tuned on "
            "out-of-fold scores, so repeating a row (it may land in two folds) is not the same as weighting it"),
        "check_estimator_sparse_array": "predict_proba has one column per label (P(label applies)), not one per class",
        "check_estimator_sparse_matrix": "predict_proba has one column per label (P(label applies)), not one per class",
        "check_classifiers_train": "predict returns the (n_samples, n_labels) indicator matrix, not a 1-D class vector",
        "check_classifier_multioutput": (
            "predict applies each label's tuned threshold, so it is not predict_proba rounded at 0.5"),
    },
}


def expected_failed_checks(estimator) -> dict[str, str]:
    return EXPECTED_FAILURES.get(type(estimator), {})


# Collecting the checks warns once per text estimator that its numeric-array checks are skipped (see
# the module docstring; test_text_estimators_are_tagged checks the tags that cause it).
with warnings.catch_warnings():
    warnings.simplefilter("ignore", sk_checks.SkipTestWarning)
    _with_sklearn_checks = parametrize_with_checks(
        ARRAY_CLASSIFIERS + TEXT_ESTIMATORS, expected_failed_checks=expected_failed_checks, xfail_strict=True)


@pytest.mark.slow
@_with_sklearn_checks
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_text_estimators_are_tagged():
    """What keeps scikit-learn's numeric-array checks off them: they read texts, pairs or vote arrays."""
    for estimator in TEXT_ESTIMATORS:
        tags = get_tags(estimator)
        assert not tags.input_tags.two_d_array, type(estimator).__name__
        assert tags.input_tags.string or tags.input_tags.three_d_array, type(estimator).__name__


# scikit-learn's API checks that need no data: run on the estimators its suite skips.
API_CHECKS = ["check_estimator_tags_renamed", "check_valid_tag_types", "check_estimator_repr",
              "check_no_attributes_set_in_init", "check_do_not_raise_errors_in_init_or_set_params",
              "check_parameters_default_constructible", "check_get_params_invariance", "check_set_params",
              "check_mixin_order"]


def _id(estimator) -> str:
    params = estimator.get_params(deep=False)
    return type(estimator).__name__ + (f"-{params['task']}" if "task" in params else "")


@pytest.mark.parametrize("check", API_CHECKS)
@pytest.mark.parametrize("estimator", TEXT_ESTIMATORS, ids=_id)
def test_api_checks_on_texts(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sk_checks.SkipTestWarning)
        getattr(sk_checks, check)(type(estimator).__name__, estimator)


TEXTS = [
    "حمله تروریستی داعش به پایگاه نظامی. دو نفر کشته شدند.",
    "بازسازی خانه‌های زلزله‌زده کرمانشاه آغاز شد",
    "بازگشت آوارگان سوری از اردوگاه",
    "تیم فوتبال استقلال پیروز شد",
    "موشک و پهپاد در رزمایش نظامی",
    "قیمت طلا در بازار افزایش یافت",
]
PAIRS = [("حمله به پایگاه نظامی", t) for t in TEXTS]
VOTES = np.array([[[1], [0], [-1]], [[-1], [-1], [1]], [[0], [0], [-1]], [[1], [1], [-1]]] * 2)


def _data(estimator):
    """A small input of the kind ``estimator`` reads, and labels when it needs them."""
    if isinstance(estimator, TextClassifier):
        if estimator.task == "multilabel":
            return list(TEXTS), [["security"], ["reconstruction"], ["refugees"], [], ["security"], []]
        return list(TEXTS), ["security", "reconstruction", "refugees", "other", "security", "other"]
    if get_tags(estimator).input_tags.three_d_array:
        return VOTES.copy(), None
    pair_features = {REGISTRIES["feature"][name] for name in PAIR_FEATURES}
    if get_tags(estimator).target_tags.required:  # a feature learnt from labels (sentence_scores.v1)
        return list(TEXTS), np.array([[1, 0], [0, 1], [0, 0], [0, 0], [1, 0], [0, 1]])
    return (list(PAIRS) if type(estimator) in pair_features else list(TEXTS)), None


def _applies(estimator):
    for method in ("transform", "predict_proba", "predict"):
        if hasattr(estimator, method):
            return getattr(estimator, method)
    raise AssertionError(f"{type(estimator).__name__} has no transform or predict method")


@pytest.mark.parametrize("estimator", TEXT_ESTIMATORS, ids=_id)
def test_fit_contract_on_texts(estimator):
    """scikit-learn's fit checks (check_estimators_fit_returns_self, check_dont_overwrite_parameters,
    check_estimators_overwrite_params, check_estimators_unfitted), on texts instead of numbers."""
    X, y = _data(estimator)
    if get_tags(estimator).requires_fit:
        with pytest.raises(NotFittedError):
            _applies(clone(estimator))(X)
    estimator = clone(estimator)
    params = joblib.hash(estimator.get_params())
    original_X = copy.deepcopy(X)
    assert estimator.fit(X, y) is estimator
    assert joblib.hash(estimator.get_params()) == params, "fit changed a parameter"
    assert joblib.hash(X) == joblib.hash(original_X), "fit changed its input"
    public = {k for k in vars(estimator) if not k.startswith("_")}
    assert public - set(estimator.get_params(deep=False)) <= {k for k in public if k.endswith("_")}, (
        "fit set a public attribute that is neither a parameter nor ends in '_'")
    if type(estimator).__name__ not in ("SentenceEmbeddings", "PairEmbeddings", "PooledSentenceEmbeddings"):
        # (the encoder runs in tests/features/test_embeddings.py and test_sentences.py)
        _applies(estimator)(X)
        assert joblib.hash(X) == joblib.hash(original_X), "applying the fitted estimator changed its input"
