"""Label models: combine the votes of labelling functions into one probability per text and label.

Both take the vote array ``(n_texts, n_functions, n_labels)`` of 1 (positive), 0 (negative) and -1
(abstain) and treat each label as its own binary problem.

- :class:`MajorityLabelModel`: share of positive votes among the votes cast; a text with no vote on a
  label gets ``abstain_proba`` (0: no evidence means "no", as for most articles and most topics).
- :class:`LearnedLabelModel`: a Dawid-Skene model fitted by EM. Each function is assumed independent
  of the others given the true label; it learns, per label, the class prior and each function's
  chances of voting positive, negative or abstaining when the label is true and when it is false. An
  abstention is evidence too (a security lexicon that stays silent says something), unless
  ``abstain_weight`` tempers it. The class prior comes from the majority vote, and EM starts from it:
  no randomness. A function is never read against its own vote: when EM finds that a positive
  function votes positive more often on false texts than on true ones (or a negative function votes
  negative more often on true texts), its outcomes are taken as uninformative, not flipped. Such a
  function co-fires with stronger ones of the other side (a routine-renewal rule on an article that
  also trips a broad reconstruction lexicon); reading it backwards would make a "no" rule create
  positives.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from didgah.components import register
from didgah.errors import DidgahError
from didgah.weak.functions import ABSTAIN, NEGATIVE, POSITIVE

_OUTCOMES = (NEGATIVE, POSITIVE, ABSTAIN)  # column order of conditional_[..., outcome]


class _VoteModel(BaseEstimator):
    """What label models share: their input is a vote array, not a matrix of numeric features."""

    def __sklearn_tags__(self):  # noqa: D105
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True  # (texts, functions, labels) of -1, 0 and 1
        tags.input_tags.two_d_array = False  # a 2-D array is read as the votes on a single label
        tags.target_tags.required = False  # no gold labels: y is ignored
        return tags


def _as_votes(votes: Any) -> np.ndarray:
    votes = np.asarray(getattr(votes, "votes", votes))
    if votes.ndim == 2:
        votes = votes[:, :, None]
    if votes.ndim != 3:
        raise DidgahError(f"votes: expected an array (texts, functions, labels), got shape {votes.shape}")
    if not np.isin(votes, _OUTCOMES).all():
        raise DidgahError("votes: values must be 1 (positive), 0 (negative) or -1 (abstain)")
    return votes.astype(np.int8)


@register("label_model", "majority.v1")
class MajorityLabelModel(_VoteModel):
    """Share of positive votes among the votes cast, per label.

    Parameters
    ----------
    abstain_proba : float, default=0.0
        The probability given when no function votes on a label.

    >>> MajorityLabelModel().fit_predict_proba([[[1], [1], [0]], [[-1], [-1], [-1]]]).round(2).tolist()
    [[0.67], [0.0]]
    """

    def __init__(self, abstain_proba: float = 0.0) -> None:
        self.abstain_proba = abstain_proba

    def fit(self, votes: Any, y: Any = None) -> MajorityLabelModel:
        votes = _as_votes(votes)
        self.n_functions_, self.n_labels_ = votes.shape[1], votes.shape[2]
        return self

    def predict_proba(self, votes: Any) -> np.ndarray:
        check_is_fitted(self, "n_functions_")
        votes = _as_votes(votes)
        pos = (votes == POSITIVE).sum(axis=1).astype(float)
        cast = (votes != ABSTAIN).sum(axis=1).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            proba = np.where(cast > 0, pos / np.maximum(cast, 1), float(self.abstain_proba))
        return proba

    def fit_predict_proba(self, votes: Any) -> np.ndarray:
        return self.fit(votes).predict_proba(votes)


@register("label_model", "learned.v1")
class LearnedLabelModel(_VoteModel):
    """Per-label Dawid-Skene model over conditionally independent labelling functions, fitted by EM.

    Parameters
    ----------
    max_iter : int, default=100
    tol : float, default=1e-5
        EM stops when no probability moves more than this.
    smoothing : float, default=1.0
        Pseudo-counts added, per class, to each function's outcome counts, spread like the function's
        outcomes over all texts: with few texts in a class (a rare label) a function's behaviour there
        shrinks towards "no different from anywhere else" instead of towards an arbitrary guess, which
        keeps EM from emptying the rare class.
    abstain_weight : float, default=0.5
        How much an abstention counts as evidence when probabilities are computed (1: the plain
        Dawid-Skene likelihood; 0: only votes count). Functions for one label are rarely independent
        (a text about a bombing trips several security rules at once), so the plain likelihood counts
        the silence of correlated functions many times over; a weight below 1 tempers that.
    class_prior : float or None, default=None
        The prior probability of each label. None estimates it once, as the (smoothed) share of texts
        whose majority vote is positive, and keeps it fixed while EM learns the functions: re-estimating
        it inside EM lets a rare label drift to empty (or to everything), since sparse one-sided functions
        cannot pin it down.

    Fitted attributes
    -----------------
    class_prior_ : array (n_labels,)
    conditional_ : array (n_labels, n_functions, 2, 3)
        P(outcome | class) with outcomes (negative, positive, abstain) and classes (false, true).
    accuracy_ : array (n_labels, n_functions)
        Estimated share of a function's votes that are right (NaN if it never votes on the label).
    n_iter_ : array (n_labels,)
    """

    def __init__(self, max_iter: int = 100, tol: float = 1e-5, smoothing: float = 1.0,
                 abstain_weight: float = 0.5, class_prior: float | None = None) -> None:
        self.max_iter = max_iter
        self.tol = tol
        self.smoothing = smoothing
        self.abstain_weight = abstain_weight
        self.class_prior = class_prior

    def _one_hot(self, v: np.ndarray) -> np.ndarray:
        """(n, m) votes -> (n, m, 3) indicators of (negative, positive, abstain)."""
        return np.stack([v == NEGATIVE, v == POSITIVE, v == ABSTAIN], axis=-1).astype(float)

    def _posterior(self, onehot: np.ndarray, prior: float, theta: np.ndarray) -> np.ndarray:
        log_theta = np.log(theta)  # (m, 2, 3)
        log_theta[:, :, 2] *= float(self.abstain_weight)
        log_true = np.log(prior) + np.einsum("nmo,mo->n", onehot, log_theta[:, 1, :])
        log_false = np.log(1 - prior) + np.einsum("nmo,mo->n", onehot, log_theta[:, 0, :])
        return 1.0 / (1.0 + np.exp(np.clip(log_false - log_true, -700, 700)))

    def _m_step(self, onehot: np.ndarray, q: np.ndarray) -> np.ndarray:
        weights = np.stack([1 - q, q], axis=1)  # (n, 2)
        shares = (onehot.sum(axis=0) + 1e-3) / (onehot.shape[0] + 3e-3)  # (m, 3) outcome shares overall
        counts = np.einsum("nc,nmo->mco", weights, onehot) + self.smoothing * shares[:, None, :]  # (m, 2, 3)
        theta = counts / counts.sum(axis=2, keepdims=True)
        # never read a one-sided function against its vote: backwards -> uninformative (same in both classes)
        votes_pos, votes_neg = onehot[:, :, 1].any(axis=0), onehot[:, :, 0].any(axis=0)
        backwards = ((votes_pos & ~votes_neg & (theta[:, 1, 1] < theta[:, 0, 1]))
                     | (votes_neg & ~votes_pos & (theta[:, 0, 0] < theta[:, 1, 0])))
        if backwards.any():
            theta[backwards] = (shares[backwards] / shares[backwards].sum(axis=1, keepdims=True))[:, None, :]
        return theta

    def fit(self, votes: Any, y: Any = None) -> LearnedLabelModel:
        votes = _as_votes(votes)
        n, m, n_labels = votes.shape
        if not 0 <= float(self.abstain_weight) <= 1:
            raise DidgahError(f"abstain_weight: expected a number between 0 and 1, got {self.abstain_weight!r}")
        if self.class_prior is not None and not 0 < float(self.class_prior) < 1:
            raise DidgahError(f"class_prior: expected a number between 0 and 1, got {self.class_prior!r}")
        start = MajorityLabelModel().fit(votes).predict_proba(votes)
        self.class_prior_ = np.zeros(n_labels)
        self.conditional_ = np.zeros((n_labels, m, 2, 3))
        self.n_iter_ = np.zeros(n_labels, dtype=int)
        for k in range(n_labels):
            onehot = self._one_hot(votes[:, :, k])
            q = start[:, k]
            if self.class_prior is None:
                prior = float((q.sum() + 1.0) / (n + 2.0))
            else:
                prior = float(self.class_prior)
            for iteration in range(1, self.max_iter + 1):  # noqa: B007 (read after the loop)
                theta = self._m_step(onehot, q)
                new_q = self._posterior(onehot, prior, theta)
                moved = np.abs(new_q - q).max() if n else 0.0
                q = new_q
                if moved < self.tol:
                    break
            self.class_prior_[k], self.conditional_[k], self.n_iter_[k] = prior, theta, iteration
        self.n_functions_, self.n_labels_ = m, n_labels
        self.accuracy_ = self._accuracy(votes)
        return self

    def _accuracy(self, votes: np.ndarray) -> np.ndarray:
        theta, prior = self.conditional_, self.class_prior_[:, None]
        right = (1 - prior) * theta[:, :, 0, 0] + prior * theta[:, :, 1, 1]
        cast = (1 - prior) * (1 - theta[:, :, 0, 2]) + prior * (1 - theta[:, :, 1, 2])
        accuracy = right / cast
        never = ~(votes != ABSTAIN).any(axis=0).T  # (labels, functions)
        accuracy[never] = np.nan
        return accuracy

    def predict_proba(self, votes: Any) -> np.ndarray:
        """P(label is true | votes), an array ``(n_texts, n_labels)``."""
        check_is_fitted(self, "conditional_")
        votes = _as_votes(votes)
        if votes.shape[1:] != (self.n_functions_, self.n_labels_):
            raise DidgahError(f"votes: shape {votes.shape[1:]} differs from the fitted "
                              f"({self.n_functions_} functions, {self.n_labels_} labels)")
        return np.stack([
            self._posterior(self._one_hot(votes[:, :, k]), self.class_prior_[k], self.conditional_[k])
            for k in range(self.n_labels_)
        ], axis=1)

    def fit_predict_proba(self, votes: Any) -> np.ndarray:
        return self.fit(votes).predict_proba(votes)


