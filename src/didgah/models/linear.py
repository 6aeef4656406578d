"""Builders of the base classifiers; each returns a scikit-learn estimator with ``predict_proba``."""

from __future__ import annotations

from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.svm import LinearSVC

from didgah.components import register


@register("model", "logistic_regression.v1")
def logistic_regression(
    C: float = 10.0, class_weight: str | None = "balanced", max_iter: int = 2000, solver: str = "auto",
    seed: int = 0, task: str = "multilabel",
) -> LogisticRegression:
    """L2-regularised logistic regression.

    ``solver="auto"`` takes liblinear (exact and fast on sparse text) for the binary models a
    multi-label task fits, and lbfgs for multiclass tasks, which liblinear cannot fit.
    """
    if solver == "auto":
        solver = "liblinear" if task == "multilabel" else "lbfgs"
    return LogisticRegression(C=C, class_weight=class_weight, max_iter=max_iter, solver=solver, random_state=seed)


@register("model", "linear_svm.v1")
def calibrated_linear_svm(
    C: float = 0.5, class_weight: str | None = "balanced", calibration: str = "sigmoid", cv: int = 3, seed: int = 0
) -> CalibratedClassifierCV:
    """A linear SVM whose scores are calibrated to probabilities (Platt sigmoid or isotonic) by CV."""
    svm = LinearSVC(C=C, class_weight=class_weight, random_state=seed, max_iter=5000)
    return CalibratedClassifierCV(svm, method=calibration, cv=cv)


@register("model", "complement_nb.v1")
def complement_nb(alpha: float = 0.3, norm: bool = False) -> ComplementNB:
    """Complement naive Bayes (needs non-negative features: TF-IDF and lexicon counts are)."""
    return ComplementNB(alpha=alpha, norm=norm)


@register("model", "sgd.v1")
def sgd(
    loss: str = "modified_huber",
    alpha: float = 1e-5,
    penalty: str = "l2",
    class_weight: str | None = "balanced",
    max_iter: int = 1000,
    seed: int = 0,
) -> SGDClassifier:
    """A linear model trained by stochastic gradient descent (``log_loss`` or ``modified_huber`` give scores)."""
    return SGDClassifier(
        loss=loss, alpha=alpha, penalty=penalty, class_weight=class_weight, max_iter=max_iter,
        tol=1e-4, random_state=seed,
    )
