"""Figures: every plot function on a real run, Persian glyph coverage and shaping, and the report."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.font_manager as fm  # noqa: E402
import matplotlib.ft2font as ft  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from didgah.cli import main  # noqa: E402
from didgah.experiment.runner import run_experiment  # noqa: E402
from didgah.explain import explain  # noqa: E402
from didgah.persist import load_model  # noqa: E402
from didgah.reporting import plots  # noqa: E402


def _width(fig: Figure, text: str) -> float:
    artist = fig.text(0, 0, text)
    width = artist.get_window_extent(fig.canvas.get_renderer()).width
    artist.remove()
    return width


def test_persian_is_shaped_not_drawn_as_isolated_letters():
    fig = plt.figure()
    # Joined (shaped) forms are narrower than the same letters forced apart by zero-width non-joiners.
    assert _width(fig, "بببب") < 0.75 * _width(fig, "ب\u200cب\u200cب\u200cب")
    assert _width(fig, "سلام") < 0.85 * _width(fig, "س\u200cل\u200cا\u200cم")
    plt.close(fig)


def test_font_has_every_persian_letter_and_digit():
    charmap = ft.FT2Font(fm.findfont(plots.FONT)).get_charmap()
    missing = [c for c in "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآءئ۰۱۲۳۴۵۶۷۸۹،؛؟«»" if ord(c) not in charmap]
    assert not missing


@pytest.fixture(scope="module")
def run(tmp_path_factory, request, sample_path, read_jsonl, make_config, write_jsonl):
    tmp = tmp_path_factory.mktemp("plots")
    rows = read_jsonl(sample_path)[::4]
    data = write_jsonl(tmp / "d.jsonl", rows)
    return run_experiment(make_config(tmp, data), runs_dir=tmp / "runs")


def test_every_plot_returns_a_figure_with_persian_labels(run):
    model = load_model(run / "model.skops")
    figures = [plots.per_label_f1(run), plots.confusion_matrices(run), plots.precision_recall_curves(run),
               plots.leaderboard([run]), plots.label_distribution([["security"], [], ["security", "refugees"]]),
               plots.length_distribution(["یک دو سه", "چهار"]), plots.top_features(model, n=8)]
    assert all(isinstance(f, Figure) for f in figures)
    assert len(figures[1].axes) == 3  # one 2x2 matrix per label
    ticks = [t.get_text() for ax in figures[-1].axes for t in ax.get_yticklabels()]
    assert any("\u0600" <= ch <= "\u06ff" for t in ticks for ch in t)  # Persian words as axis labels
    for f in figures:
        plt.close(f)


def test_explain_lists_contributions(run):
    model = load_model(run / "model.skops")
    top = explain(model, "حمله تروریستی داعش به پایگاه نظامی و کشته شدن سربازان", "security", n=5)
    assert len(top) == 5 and top[0][1] >= top[-1][1] > 0


def test_report_writes_pngs_and_html(run, tmp_path, capsys):
    assert main(["report", str(run), "--output", str(tmp_path)]) == 0
    out = tmp_path / run.name
    for name in ("per_label_scores.png", "confusion.png", "precision_recall.png", "top_features.png", "report.html"):
        assert (out / name).stat().st_size > 1000
    assert "micro_f1" in (out / "report.html").read_text(encoding="utf-8")
