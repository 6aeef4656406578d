"""The Jupyter front end of a labelling session (ipywidgets).

The article is shown normalized and right to left, the guideline's definitions of the labels beside
it, one toggle button per label, a borderline toggle, a note, write/skip/undo buttons and a progress
bar. The keys box takes the terminal's keys (``1``-``9`` labels, ``b`` borderline, ``n`` write and next,
``s`` skip, ``u`` undo), so labelling needs no mouse.

Everything the buttons do is also a method, which is how scripts and tests drive it::

    from didgah.annotations.widget import Annotator

    annotator = Annotator("articles.jsonl", ["security", "refugees", "reconstruction"], "labels.jsonl", "maryam",
                          text_fields=["title", "text"], strategy="rules", functions="topic_lfs.v1", n=100,
                          guideline="../shared/annotation/topics-guideline.md")
    annotator          # shows the widget in a notebook
    annotator.toggle("refugees"); annotator.submit(); annotator.undo()
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from didgah.annotations.session import AnnotationSession, open_session, require
from didgah.annotations.store import Annotation
from didgah.errors import DidgahError


class Annotator:
    """A labelling session in a notebook; the arguments are those of
    :func:`~didgah.annotations.session.open_session`, or an open ``session``."""

    def __init__(self, data: str | None = None, labels: list[str] | None = None, out: str | Path | None = None,
                 annotator: str | None = None, *, session: AnnotationSession | None = None, **options: Any) -> None:
        widgets = require("ipywidgets", "the Jupyter annotator")
        if session is None:
            if data is None or labels is None or out is None or annotator is None:
                raise DidgahError("Annotator: give data, labels, out and annotator (or session=)")
            session = open_session(data, labels, out, annotator, **options)
        self.session = session
        self._refreshing = False
        self.message = ""
        rtl = "direction: rtl; text-align: right; font-size: 1.15em; line-height: 1.9; white-space: pre-wrap;"
        self._article = widgets.HTML(layout=widgets.Layout(width="62%", max_height="32em", overflow="auto"))
        self._rtl = rtl
        guide = "".join(f"<p style='white-space: pre-wrap'>{html.escape(session.definitions.get(label, label))}</p>"
                        for label in session.labels)
        self._guide = widgets.HTML(guide, layout=widgets.Layout(width="38%", max_height="32em", overflow="auto"))
        self._buttons = {label: widgets.ToggleButton(description=f"{key} {label}")
                         for key, label in session.keys.items()}
        for label, button in self._buttons.items():
            button.observe(lambda change, label=label: self._clicked(label), "value")
        self._borderline = widgets.ToggleButton(description="b borderline")
        self._borderline.observe(lambda change: self._clicked(None), "value")
        self._note = widgets.Text(placeholder="note", layout=widgets.Layout(width="40%"))
        self._note.observe(lambda change: None if self._refreshing else session.set_note(change["new"]), "value")
        actions = []
        for name, call in (("write + next (n)", self.submit), ("skip (s)", self.skip), ("undo (u)", self.undo)):
            button = widgets.Button(description=name)
            button.on_click(lambda _, call=call: self._act(call))
            actions.append(button)
        self._keys = widgets.Text(placeholder="keys: 1-9 b n s u", layout=widgets.Layout(width="12em"))
        self._keys.observe(self._typed, "value")
        self._progress = widgets.IntProgress(min=0, max=max(1, len(session.queue)))
        self._status = widgets.HTML()
        self.widget = widgets.VBox([
            widgets.HBox([self._article, self._guide]),
            widgets.HBox([*self._buttons.values(), self._borderline]),
            widgets.HBox([self._note, *actions, self._keys]),
            widgets.HBox([self._progress, self._status]),
        ])
        self._refresh()

    # the Python API (what the buttons and keys call)
    def toggle(self, label: str) -> list[str]:
        """Set or clear a label (or its key) on the current item."""
        selected = self.session.toggle(label)
        self._refresh()
        return selected

    def toggle_borderline(self) -> bool:
        value = self.session.toggle_borderline()
        self._refresh()
        return value

    def set_note(self, note: str) -> None:
        self.session.set_note(note)
        self._refresh()

    def submit(self) -> Annotation:
        """Write the current decision and show the next item."""
        annotation = self.session.submit()
        self._refresh()
        return annotation

    def skip(self) -> None:
        self.session.skip()
        self._refresh()

    def undo(self) -> bool:
        done = self.session.undo()
        self._refresh()
        return done

    def press(self, key: str) -> None:
        """What typing ``key`` in the keys box does."""
        actions = {"b": self.toggle_borderline, "n": self.submit, "s": self.skip, "u": self.undo}
        if key in self.session.keys:
            self.toggle(key)
        elif key in actions:
            actions[key]()

    @property
    def current(self) -> Any:
        return self.session.current

    def progress(self) -> dict[str, int]:
        return self.session.progress()

    def close(self) -> None:
        self.session.close()
        self.widget.close()

    # plumbing
    def _act(self, call: Any) -> None:
        try:
            call()
            self.message = ""
        except DidgahError as exc:
            self.message = str(exc)
        self._refresh()

    def _clicked(self, label: str | None) -> None:
        if self._refreshing:
            return
        self._act(self.session.toggle_borderline if label is None else (lambda: self.session.toggle(label)))

    def _typed(self, change: dict[str, Any]) -> None:
        if self._refreshing or not change["new"]:
            return
        keys = change["new"]
        self._refreshing = True
        self._keys.value = ""
        self._refreshing = False
        for key in keys:
            self._act(lambda key=key: self.press(key))

    def _refresh(self) -> None:
        session, item = self.session, self.session.current
        self._refreshing = True
        try:
            if item is None:
                self._article.value = "<p>Every item of this session is done.</p>"
            else:
                self._article.value = (f"<div dir='rtl' lang='fa' style='{self._rtl}'>{html.escape(item.text)}</div>"
                                       f"<p style='color: gray'>{html.escape(item.id)} · {html.escape(item.strategy)}</p>")
            for label, button in self._buttons.items():
                button.value = label in session.selected
            self._borderline.value = session.borderline
            self._note.value = session.note
            self._progress.value = session.position
            error = f" <b style='color: #b00'>{html.escape(self.message)}</b>" if self.message else ""
            self._status.value = html.escape(session.status()) + error
        finally:
            self._refreshing = False

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)
