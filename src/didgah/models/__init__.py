"""Classifiers: linear models with scores, multi-label thresholds, the end-to-end text classifier."""

from didgah.models.linear import calibrated_linear_svm, complement_nb, logistic_regression, sgd
from didgah.models.multilabel import ThresholdedMultiLabel
from didgah.models.stacking import SourceStackingClassifier
from didgah.models.text_classifier import TextClassifier
from didgah.models.two_stage import TwoStageClassifier

__all__ = [
    "SourceStackingClassifier",
    "TextClassifier",
    "ThresholdedMultiLabel",
    "TwoStageClassifier",
    "calibrated_linear_svm",
    "complement_nb",
    "logistic_regression",
    "sgd",
]
