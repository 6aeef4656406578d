"""The terminal front end of a labelling session (textual): for servers and SSH.

The article is shown normalized and right-aligned, the guideline's definitions of the labels beside
it; keys ``1``-``9`` toggle the labels, ``b`` marks the item borderline, ``n`` adds a note, ``enter``
writes the decision and shows the next item, ``s`` skips, ``u`` undoes, ``q`` quits (every decision is
already on disk). Persian reads right to left in terminals that apply the Unicode bidirectional
algorithm (GNOME Terminal/VTE, Konsole, mlterm, Windows Terminal); others show the letters in order.
"""

from __future__ import annotations

from typing import Any

from didgah.annotations.session import AnnotationSession, require
from didgah.errors import DidgahError


def annotation_app(session: AnnotationSession) -> Any:
    """A textual ``App`` driving ``session`` (``.run()`` it, or ``.run_test()`` in tests)."""
    require("textual", "the terminal annotator")
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Horizontal, VerticalScroll
    from textual.widgets import Footer, Header, Input, Static

    class AnnotationApp(App):
        CSS = """
        #article { width: 2fr; padding: 0 1; border: round $primary; }
        #guide { width: 1fr; padding: 0 1; border: round $secondary; }
        #labels { height: auto; padding: 0 1; }
        #status { height: 1; padding: 0 1; color: $text-muted; }
        #note { display: none; }
        #note.editing { display: block; }
        """
        BINDINGS = [
            Binding("enter", "submit", "write + next"),
            Binding("b", "borderline", "borderline"),
            Binding("n", "note", "note"),
            Binding("s", "skip", "skip"),
            Binding("u", "undo", "undo"),
            Binding("q", "quit", "quit"),
        ]

        def __init__(self) -> None:
            super().__init__()
            self.session = session
            self.title = f"didgah annotate · {session.writer.annotator} → {session.writer.path.name}"

        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal():
                with VerticalScroll(id="article"):
                    yield Static(id="text")
                with VerticalScroll(id="guide"):
                    yield Static(id="definitions")
            yield Static(id="labels")
            yield Static(id="status")
            yield Input(placeholder="note (enter keeps it)", id="note", disabled=True)
            yield Footer()

        def on_mount(self) -> None:
            guide = "\n\n".join(self.session.definitions.get(label, f"{label}: (no definition given)")
                                for label in self.session.labels)
            self.query_one("#definitions", Static).update(Text(guide))
            self._show()

        def _show(self) -> None:
            item = self.session.current
            text = ("Every item of this session is done: press q to quit." if item is None
                    else f"{item.text}\n\n[{item.id} · {item.strategy}]")
            self.query_one("#text", Static).update(Text(text, justify="right" if item else "left"))
            marks = "   ".join(f"{key} [{'x' if label in self.session.selected else ' '}] {label}"
                               for key, label in self.session.keys.items())
            marks += f"   b [{'x' if self.session.borderline else ' '}] borderline"
            self.query_one("#labels", Static).update(Text(marks))
            self.query_one("#status", Static).update(Text(self.session.status()))

        def _do(self, action: Any) -> None:
            try:
                action()
            except DidgahError as exc:
                self.notify(str(exc), severity="error")
            self._show()

        def on_key(self, event: Any) -> None:
            if not self.query_one("#note", Input).disabled:
                return
            if event.key in self.session.keys and not self.session.finished:
                self._do(lambda: self.session.toggle(event.key))
                event.stop()

        def action_submit(self) -> None:
            self._do(self.session.submit)

        def action_skip(self) -> None:
            self._do(self.session.skip)

        def action_undo(self) -> None:
            self._do(self.session.undo)

        def action_borderline(self) -> None:
            self._do(self.session.toggle_borderline)

        def action_note(self) -> None:
            note = self.query_one("#note", Input)
            note.value = self.session.note
            note.disabled = False
            note.add_class("editing")
            note.focus()

        def on_input_submitted(self, event: Any) -> None:
            self.session.set_note(event.value)
            event.input.remove_class("editing")
            event.input.disabled = True
            self.set_focus(None)
            event.stop()
            self._show()

    return AnnotationApp()
