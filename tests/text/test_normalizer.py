"""PersianNormalizer, the scikit-learn step: parameters, cloning, saved models."""

from __future__ import annotations

import pickle

import pytest
from sklearn.base import clone

from didgah.errors import ConfigError
from didgah.text.normalization import ZWNJ
from didgah.text.normalizer import PersianNormalizer

Z = ZWNJ
V1, V2 = "persian_normalizer.v1", "persian_normalizer.v2"


def test_hamza_option_is_a_parameter_saved_with_the_model():
    norm = PersianNormalizer(hamza="fold", cache=False)
    assert clone(norm).get_params()["hamza"] == "fold"
    loaded = pickle.loads(pickle.dumps(norm))
    assert loaded.transform(["تأمین"]) == ["تامین"]
    assert PersianNormalizer(cache=False).transform(["تأمین"]) == ["تأمین"]
    with pytest.raises(ConfigError, match="hamza"):
        PersianNormalizer(hamza="x").fit(["متن"])


def test_hamza_none_means_the_versions_own_choice():
    assert PersianNormalizer(version=V1, cache=False).fit_transform(["تأمین"]) == ["تامین"]
    assert PersianNormalizer(version=V2, cache=False).fit_transform(["تأمین"]) == ["تأمین"]
    assert PersianNormalizer(version=V2, hamza="fold", cache=False).fit_transform(["تأمین"]) == ["تامین"]


def test_normalizer_estimator_clone_and_transform():
    norm = PersianNormalizer(digits="latin")
    cloned = clone(norm)
    assert cloned.get_params() == norm.get_params()
    assert cloned.fit_transform(["كتاب ها ۱۲"]) == [f"کتاب{Z}ها 12"]
