"""Topic lexicon counts: built-in and custom lexicon files."""

import numpy as np
import pytest

from didgah.errors import ConfigError
from didgah.features import LexiconCounts


def test_lexicon_counts_topics_and_exclusions():
    f = LexiconCounts().fit([])
    assert f.categories_ == ["security", "refugees", "reconstruction"]
    X = f.transform(["حمله تروریستی داعش به پایگاه نظامی", "امنیت غذایی و جنگ اقتصادی", "بازسازی اعتماد"]).toarray()
    security, reconstruction = slice(0, 3), slice(6, 9)
    assert X[0, security].min() > 0
    assert np.all(X[1, security] == 0)  # excluded phrases do not count
    assert np.all(X[2, reconstruction] == 0)
    assert X[0, 0] == pytest.approx(np.log1p(3))  # تروریس، داعش، نظامی


def test_lexicon_counts_custom_file(tmp_path):
    path = tmp_path / "lex.yaml"
    path.write_text("sport:\n  terms: [فوتبال, والیبال]\n  exclude: [فوتبال دستی]\n", encoding="utf-8")
    f = LexiconCounts(lexicon=str(path)).fit([])
    X = f.transform(["فوتبال و والیبال", "فوتبال دستی"]).toarray()
    assert list(f.get_feature_names_out()) == ["sport:hits", "sport:distinct", "sport:density"]
    assert X[0, 1] == pytest.approx(np.log1p(2)) and X[1, 0] == 0


def test_lexicon_errors_name_the_file(tmp_path):
    with pytest.raises(ConfigError, match="no file"):
        LexiconCounts(lexicon=str(tmp_path / "missing.yaml")).fit([])
    bad = tmp_path / "bad.yaml"
    bad.write_text("sport: [فوتبال]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.yaml"):
        LexiconCounts(lexicon=str(bad)).fit([])
