"""Small modal screens: note editor, tag editor, confirmation, and the error and locked-store screens."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.suggester import Suggester
from textual.timer import Timer
from textual.widgets import Button, Footer, Input, Label, Static

from reader.errors import ReaderError
from reader.model.annotation import normalise_tags
from reader.search.query import fold
from reader.text import bounded_preview, display_safe
from reader.tui.safe import SafeInput, safe
from reader.tui.safe_editor import SafeTextArea
from reader.user_state import DRAFT_SAVE_SECONDS, UserState

ResultT = TypeVar("ResultT")


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; `y` or enter says yes, `n` or escape says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(safe(self.question))
            yield Label("y  yes      n  no", classes="hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class GuardedEditor(ModalScreen[ResultT]):
    """An editor that asks before what was typed is thrown away, by cancelling or by quitting the
    app (ctrl+q) from inside it."""

    QUIT_QUESTION = "Quit and throw away what you typed?"

    @property
    def changed(self) -> bool:
        raise NotImplementedError

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        # Claiming the app's quit key keeps its binding from firing over the editor: quitting goes
        # through action_quit, which asks before throwing the text away.
        return key == "ctrl+q"

    async def action_quit(self) -> None:
        if not self.changed:
            await self.app.run_action("app.quit")
            return

        def quit_app() -> None:
            self.app.call_next(self.app.run_action, "app.quit")

        self._unless_unsaved(self.QUIT_QUESTION, quit_app)

    def _unless_unsaved(self, question: str, then: Callable[[], object]) -> None:
        """Run `then` at once if the text is unchanged, else only once the user confirms."""
        if not self.changed:
            then()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                then()

        self.app.push_screen(ConfirmScreen(question), answered)


# Textual's text area lays out its whole text on opening and on every resize: 0.1 s more at 50,000
# characters, 13 s at 10 MB (measured). A longer note (an import, a paste gone wrong) opens as a
# preview of its start, and in the editor only when asked.
LONG_NOTE = 50_000


class NoteEditor(GuardedEditor[str | None]):
    """A Markdown note: ctrl+s saves, escape cancels (and asks first if the text changed).

    `save` stores the text and says whether it worked; when it did not (it has shown why), the editor
    stays open with the text, so nothing typed is lost. Quitting the app from here asks first too.
    A note longer than LONG_NOTE shows its start read-only; ctrl+e opens it in the editor anyway.
    """

    # Not priority bindings: keys typed just before ctrl+s or escape (a fast burst, a paste) reach
    # the text area first, in order; a priority binding ran ahead of them and lost them.
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
        Binding("ctrl+q", "quit", "Quit", id="note.quit", priority=True, show=False),
        Binding("ctrl+e", "edit_long", "Edit anyway", id="note.edit_long", show=False),
    ]
    QUIT_QUESTION = "Quit and throw away the changes to this note?"
    HINT = "ctrl+s  save      escape  cancel"

    def __init__(
        self,
        note: str,
        context: str,
        save: Callable[[str], bool],
        about: Text | None = None,
        drafts: tuple[UserState, str, str] | None = None,
    ) -> None:
        super().__init__(classes="docked" if about is not None else None)
        self.original = note
        self.context = context
        self.save = save
        # Which annotation (its label and the start of its quote): the editor then sits at the
        # bottom of the screen and the annotated text stays in sight above it.
        self.about = about
        # Where what is typed is kept until saved or thrown away (the store's meta area, under
        # the annotation's id, with its document's), and what was kept there when the app last
        # stopped mid-note.
        self.drafts = drafts
        draft = drafts[0].draft(drafts[1]) if drafts is not None else None
        self.restored = draft if draft is not None and draft.text != note else None
        self._kept = draft.text if draft is not None else None  # the text kept last
        self._keeping: Timer | None = None  # keeps what is typed every DRAFT_SAVE_SECONDS

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog editor"):
            if self.about is not None:
                yield Static(
                    Text("Note (Markdown) on ", style="bold") + self.about, classes="title"
                )
            else:
                yield Label("Note (Markdown)", classes="title")
                yield Static(safe(self.context), classes="context")
            if len(self.original) > LONG_NOTE:
                with VerticalScroll(id="long-note"):
                    yield Static(safe(bounded_preview(self.original, 4000, 80)))
                # Static, not Label: it wraps at the dialog's width (80 columns cut it short).
                yield Static(
                    f"This note has {len(self.original):,} characters, too many to edit here "
                    "without holding up the screen.\n"
                    "ctrl+e  edit anyway (slow)      escape  close",
                    classes="hint",
                    markup=False,
                )
            else:
                yield self._text_area()
                yield Static(self._hint(), classes="hint")

    def _hint(self) -> Text:
        hint = Text(self.HINT)
        if self.restored is not None:
            hint.append(f"\nRestored, unsaved, from {_local_time(self.restored.kept)}: ", "bold")
            hint.append("ctrl+s saves it, escape throws it away", "bold")
        return hint

    def _text_area(self) -> SafeTextArea:
        text = self.restored.text if self.restored is not None else self.original
        return SafeTextArea(text, id="note", soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self._focus_text()
        if self.drafts is not None:
            self._keeping = self.set_interval(DRAFT_SAVE_SECONDS, self._keep_draft)

    def _keep_draft(self) -> None:
        """Keep what is typed, when it changed since last kept (a synced journal write)."""
        area = self._area()
        if area is None or self.drafts is None:
            return
        text = area.text
        if text == self._kept or (self._kept is None and text == self.original):
            return
        state, target, doc = self.drafts
        try:
            if text == self.original:
                state.drop_draft(target)
            else:
                state.save_draft(target, text, doc)
        except ReaderError as exc:  # a full disk: said once, the editor keeps the text
            if self._kept != text:
                self.notify(str(exc), title="Draft not kept", severity="error", markup=False)
        self._kept = text

    def _drop_draft(self) -> None:
        """What was typed is saved or thrown away: nothing to keep from now on (a tick of the
        timer before the editor has gone would keep it again), nothing to restore next time."""
        if self._keeping is not None:
            self._keeping.stop()
            self._keeping = None
        if self.drafts is not None and self._kept is not None:
            state, target, _ = self.drafts
            with suppress(ReaderError):
                state.drop_draft(target)
            self._kept = None

    def _focus_text(self) -> None:
        area = self._area()
        if area is not None:
            area.focus()
            area.move_cursor(area.document.end)

    def _area(self) -> SafeTextArea | None:
        """The editor; None while a long note shows as a preview."""
        found = self.query(SafeTextArea)
        return found.first() if found else None

    async def action_edit_long(self) -> None:
        if self._area() is not None:
            return
        dialog = self.query_one(".dialog.editor", Vertical)
        await self.query_one("#long-note").remove()
        await dialog.query_one(".hint").remove()
        await dialog.mount_all([self._text_area(), Static(self._hint(), classes="hint")])
        self._focus_text()

    @property
    def changed(self) -> bool:
        area = self._area()
        return area is not None and area.text != self.original

    def action_save(self) -> None:
        area = self._area()
        if area is None:  # nothing could be typed in the preview
            self.dismiss(None)
            return
        text = area.text
        if not self.changed or self.save(text):
            self._drop_draft()
            self.dismiss(text)

    def action_cancel(self) -> None:
        self._unless_unsaved("Throw away the changes to this note?", lambda: self.dismiss(None))

    def _unless_unsaved(self, question: str, then: Callable[[], object]) -> None:
        # Cancelled or quit (once confirmed when something was typed): the draft goes too.
        def dropped_then() -> object:
            self._drop_draft()
            return then()

        super()._unless_unsaved(question, dropped_then)


def _local_time(iso: str) -> str:
    """HH:MM on this machine's clock, for a time kept in UTC (ISO 8601, "Z")."""
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone().strftime("%H:%M")
    except ValueError:
        return iso


class TagSuggester(Suggester):
    """Completes the last comma- or space-separated tag from tags already used in the store,
    ignoring case and accents as search does ("ele" completes to "électorat")."""

    def __init__(self, known: list[str]) -> None:
        # Case-sensitive here only so the value arrives as typed: `fold` does the comparing.
        super().__init__(use_cache=False, case_sensitive=True)
        # Offered as shown: a suggestion is drawn as typed text, so its control characters (an
        # imported tag's) come as placeholders, like everywhere else.
        self.known = [(fold(tag), display_safe(tag)) for tag in sorted(set(known))]

    async def get_suggestion(self, value: str) -> str | None:
        # The suggestion must extend what is typed, so only the last tag is completed.
        cut = max(value.rfind(" "), value.rfind(",")) + 1
        head, last = value[:cut], fold(value[cut:])
        if not last:
            return None
        for folded, tag in self.known:
            if folded.startswith(last) and folded != last:
                return head + tag
        return None


# How many of the tags already used the tag editor lists.
KNOWN_SHOWN = 12


class TagEditor(GuardedEditor[tuple[str, ...] | None]):
    """Edit tags as one line, separated by spaces or commas; right arrow takes a suggestion."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel"),
        Binding("ctrl+q", "quit", "Quit", id="tags.quit", priority=True, show=False),
    ]
    QUIT_QUESTION = "Quit and throw away the tags you typed?"

    def __init__(
        self,
        tags: tuple[str, ...],
        known: list[str],
        save: Callable[[tuple[str, ...]], bool],
        about: Text | None = None,
    ) -> None:
        super().__init__(classes="docked" if about is not None else None)
        self.tags = tags
        self.known = known
        self.save = save
        self.about = about  # as NoteEditor's

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            if self.about is not None:
                title = Text("Tags for ", style="bold") + self.about
                title.append("  space or comma separated", style="dim")
                yield Static(title, classes="title")
            else:
                yield Label("Tags (space or comma separated)", classes="title")
            # The cursor goes after the old tags (and a space), not over them selected, so typing
            # adds a tag instead of replacing them all.
            yield SafeInput(
                " ".join(self.tags) + " " if self.tags else "",
                id="tags",
                select_on_focus=False,
                suggester=TagSuggester(self.known),
                placeholder="e.g. brexit economy",
            )
            known = sorted(set(self.known))
            listed = ", ".join(known[:KNOWN_SHOWN]) or "none yet"
            if len(known) > KNOWN_SHOWN:
                listed += f" … and {len(known) - KNOWN_SHOWN} more"
            # Wraps inside the dialog rather than running past its edge.
            yield Static(safe(f"Used so far: {listed}"), classes="hint known")
            yield Label("enter  save      →  complete      escape  cancel", classes="hint")

    def typed(self) -> tuple[str, ...]:
        """The tags in the box, separated by spaces or commas."""
        return normalise_tags(self.query_one("#tags", Input).value.replace(",", " ").split())

    @property
    def changed(self) -> bool:
        return self.typed() != self.tags

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        tags = self.typed()
        # A save the store refused (it has said why) leaves the editor open with what was typed.
        if tags == self.tags or self.save(tags):
            self.dismiss(tags)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ErrorScreen(Screen[bool]):
    """A problem that stops the app from working on the store; nothing is written while it shows.

    Only quitting works here (the app turns its other keys off), and the text says which key quits;
    any other key, or an action that cannot run, repeats `reminder` with that key. With
    `offer_read_only` (the store can be read, only not written) a key also reopens it read-only:
    the screen is dismissed with True.
    """

    BINDINGS = [
        Binding("r", "read_only", "Read-only", id="error.read_only"),
        Binding("q", "app.quit", "Quit", id="error.quit"),
    ]

    def __init__(
        self, title: str, message: str, reminder: str = "", offer_read_only: bool = False
    ) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.reminder = reminder or title
        self.offer_read_only = offer_read_only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.offer_read_only or action != "read_only"

    def action_read_only(self) -> None:
        self.dismiss(True)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error"):
            yield Label(safe(self.title_text), classes="title")
            yield Static(safe(self.message))
            yield Label("", id="quit-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self._bindings_changed()
        self.bindings_updated_signal.subscribe(self, lambda _screen: self._bindings_changed())

    def quit_key(self, actions: frozenset[str] = frozenset({"app.quit", "quit"})) -> str:
        """The key that quits (or runs another of `actions`), as the footer shows it (a keymap may
        have moved it)."""
        for active in self.active_bindings.values():
            if active.binding.action in actions and active.binding.show:
                return self.app.get_key_display(active.binding)
        return "q" if "quit" in actions else "r"

    def _keys(self) -> str:
        """`press q to quit`, and the read-only key when it is offered."""
        if not self.offer_read_only:
            return f"press {self.quit_key()} to quit"
        read_only = self.quit_key(frozenset({"read_only"}))
        return f"press {read_only} to open the store read-only, or {self.quit_key()} to quit"

    def _bindings_changed(self) -> None:
        keys = self._keys()
        hint = f"The app has written nothing. {keys[0].upper()}{keys[1:]}."
        self.query_one("#quit-hint", Label).update(hint)

    def remind(self) -> None:
        self.notify(
            f"{self.reminder}; {self._keys()}.",
            title="Store",
            severity="error",
            markup=False,
            timeout=8,
        )

    def on_key(self, event: events.Key) -> None:
        if event.key not in self.active_bindings:
            self.remind()


class LockedScreen(ModalScreen[bool]):
    """The store is held by another instance: read it without saving, or quit.

    Worded here from the store and its holder, not from the error's message, which gives the CLI's
    advice.
    """

    BINDINGS = [
        Binding("r", "answer(True)", "Read-only", id="locked.read_only"),
        Binding("q,escape", "answer(False)", "Quit", id="locked.quit"),
    ]

    def __init__(self, store: Path, holder: str) -> None:
        super().__init__()
        self.store = store
        self.holder = holder or "another process"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("The annotation store is in use", classes="title")
            yield Static(safe(f"{self.store} is open for writing in {self.holder}."))
            yield Static(
                "Read-only lets you read and search here, but labels and notes are not saved. "
                "Or quit, close the other reader and start again.",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("r  Read-only", id="read-only", variant="primary")
                yield Button("q  Quit", id="quit")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "read-only")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
