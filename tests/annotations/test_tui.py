"""The terminal annotator, driven by textual's pilot."""

from __future__ import annotations

import asyncio

import pytest

from didgah.annotations.session import open_session
from didgah.annotations.store import read_annotations

pytest.importorskip("textual")
LABELS = ["security", "refugees", "reconstruction"]


def test_keys_label_note_skip_undo_and_quit(tmp_path, small_rows, write_jsonl):
    from didgah.annotations.tui import annotation_app

    rows = [{k: v for k, v in r.items() if k != "labels"} for r in small_rows[:8]]
    data = write_jsonl(tmp_path / "corpus.jsonl", rows)
    out = tmp_path / "labels.jsonl"
    guideline = tmp_path / "guide.md"
    guideline.write_text("## security\nattacks\n## refugees\ncamps\n## reconstruction\nrebuilding\n", encoding="utf-8")
    session = open_session(str(data), LABELS, out, "maryam", text_fields=["title", "text"], n=3, guideline=guideline)
    ids = [c.id for c in session.queue]

    async def drive():
        app = annotation_app(session)
        async with app.run_test() as pilot:
            shown = str(app.query_one("#text").render())
            assert session.current.text.splitlines()[0][:20] in shown
            assert "camps" in str(app.query_one("#definitions").render())
            await pilot.press("1", "3", "b", "enter")  # security + reconstruction, borderline
            await pilot.press("n", "s", "i", "enter")  # a note ("s" is typed, not a skip)
            await pilot.press("2", "enter")
            await pilot.press("s", "u", "u")  # skip the third, undo it, undo the second item's line
            assert "[x] refugees" in str(app.query_one("#labels").render())
            await pilot.press("enter", "enter", "q")
        return app

    asyncio.run(drive())
    lines = read_annotations(out)
    assert [a.id for a in lines] == ids
    assert lines[0].labels == ("security", "reconstruction") and lines[0].borderline
    assert lines[1].labels == ("refugees",) and lines[1].note == "si"
    assert lines[2].labels == () and session.finished
