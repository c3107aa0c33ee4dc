"""The reading app: holds the project, the store and the config, and switches between screens."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import Provider
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from reader.config import NOTICE_LIMIT, Config, config_notice, load_config
from reader.corpus.documents import Corpus
from reader.errors import ReaderError
from reader.project import Project
from reader.store import (
    AnnotationStore,
    Change,
    StoreAccessError,
    StoreChangedError,
    StoreLockedError,
)
from reader.text import display_safe, plural
from reader.tui.screens.library import LibraryScreen
from reader.user_state import UserState


def reader_commands() -> type[Provider]:
    """The palette's commands, imported when the palette first opens, not at start-up (they bring
    the dialogs' modules with them)."""
    from reader.tui.commands import ReaderCommands

    return ReaderCommands


if TYPE_CHECKING:
    from reader.tui.screens.search import SearchTrail

# Benchmarks set this to measure start-up: the app exits as soon as the first screen is painted.
EXIT_AFTER_PAINT = "READER_EXIT_AFTER_PAINT"
COMPACT_CHECK_SECONDS = 5.0
START_COLLECTOR_SECONDS = 2.0  # the latest the garbage collector rests at start-up
# The store's meta key for the theme last picked in the app (config.toml's theme, when set, wins).


class ReaderApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {reader_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("slash", "search", "Search", id="app.search"),
    ]

    def __init__(
        self,
        project: Project,
        corpus: Corpus | None = None,
        config: Config | None = None,
        read_only: bool = False,
    ) -> None:
        self.config, self.config_problems = (config, []) if config else load_config()
        super().__init__()
        self.project = project
        self.corpus = corpus if corpus is not None else project.load_corpus()
        self.scheme = self.corpus.scheme
        self.annotator = self.config.annotator
        self.store: AnnotationStore | None = None
        self.read_only = read_only  # asked for (--read-only): the store is never opened to write
        # Set when the store cannot be opened: nothing that reads or writes annotations may run.
        self.store_error: str | None = None
        self._compact_timer: Timer | None = None
        self._reported: set[str] = set()  # store problems already shown
        # The document last closed: the library puts its cursor back on it.
        self.left_document: str | None = None
        # A link started with `l` and waiting for its target; kept here so that a search opening
        # another document can choose the target there.
        self.link_from: str | None = None
        # The search the open document came from (escape goes back to its results, the document's
        # hit keys step through them), and the document screen it opened.
        self.search_trail: SearchTrail | None = None
        self.trail_screen: Screen[Any] | None = None
        self._starting = False  # the store is open; after_first_paint has work to do
        self._resume_collector: Callable[[], None] = lambda: None

    def resume_collector_after_start(self, resume: Callable[[], None]) -> None:
        """Call `resume` (the garbage collector paused for start-up) once the library has painted,
        or after START_COLLECTOR_SECONDS whatever the first screen is (an error, a locked store)."""
        self._resume_collector = resume

    def on_mount(self) -> None:
        self.set_timer(START_COLLECTOR_SECONDS, lambda: self._resume_collector())
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        elif self.config.theme is not None:
            where = self.config.path or "config.toml"
            self.config_problems.append(
                f"{where}: unknown theme {self.config.theme!r}; using the default"
            )
        keymap_problems: list[str] = []
        if self.config.keymap:
            from reader.tui.keymap import checked_keymap

            keymap, keymap_problems = checked_keymap(self.config, type(self))
            self.set_keymap(keymap)
        if self.config_problems or keymap_problems:
            # One notification for the whole file: several would stack up and hide the screen.
            self.notify(
                self._config_notice(keymap_problems),
                title="Config",
                severity="warning",
                markup=False,
                timeout=15,
            )
        if self.read_only:
            self._open_read_only(True)
            return
        try:
            self.store = AnnotationStore.open(self.project.store_path)
        except StoreLockedError as exc:
            from reader.tui.screens.modals import LockedScreen

            store = exc.store or self.project.store_path
            self.push_screen(LockedScreen(store, exc.holder), self._open_read_only)
            return
        except (ReaderError, OSError) as exc:
            # A read-only disk or a store without write permission can still be read.
            readable = isinstance(exc, StoreAccessError) and exc.readable
            self._show_error(self._open_problem(exc), offer_read_only=readable)
            return
        self._start()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Every notification passes here (a screen's notify calls the app's), and many carry a file
        # name, a label or a quote: their control characters are shown, never sent to the terminal.
        super().notify(
            display_safe(message),
            title=display_safe(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def _config_notice(self, keymap_problems: list[str]) -> str:
        """The config's problems, as many as fit a notification on this screen, the rest counted."""
        # A notification is 36% of the screen wide, 28 to 44 columns (app.tcss), its text 3 fewer;
        # words wrap, so lines are counted against a little less than that. It may take half the
        # screen's height.
        width = max(16, min(44, max(28, self.size.width * 36 // 100)) - 6)
        room = max(4, self.size.height // 2 - 3)  # less its title and padding
        message = ""
        for limit in range(NOTICE_LIMIT, 0, -1):
            message = config_notice(self.config, self.config_problems, keymap_problems, limit)
            rows = sum(-(-max(1, cell_len(line)) // width) for line in message.splitlines())
            if rows <= room:
                break
        return message

    def _open_problem(self, exc: ReaderError | OSError) -> str:
        """What went wrong opening the store, naming the file (an OSError may name only itself)."""
        if isinstance(exc, ReaderError):
            return str(exc)
        where = exc.filename or self.project.store_path
        reason = exc.strerror or str(exc)
        return (
            f"{where}: {reason}. Check that the store path is a file you can read and write "
            "(or pass another with --store)"
        )

    def _open_read_only(self, read_only: bool | None) -> None:
        """The answer of the locked-store dialog or the error screen: read-only, or quit."""
        if not read_only:
            self.exit()
            return
        try:
            self.store = AnnotationStore.open(self.project.store_path, read_only=True)
        except (ReaderError, OSError) as exc:
            self._show_error(self._open_problem(exc))
            return
        self.store_error = None
        self.notify("Read-only: labels and notes will not be saved.", severity="warning")
        self._start()

    def _show_error(self, message: str, offer_read_only: bool = False) -> None:
        # Modal screens load on demand: they pull in the text editor, which start-up does not need.
        from reader.tui.screens.modals import ErrorScreen

        self.store_error = message
        reminder = (
            f"The annotation store cannot be opened ({self.project.store_path}), so documents, "
            "search and export are unavailable. Fix or move the store file, then start reader again"
        )
        screen = ErrorScreen(
            "The annotation store cannot be opened", message, reminder, offer_read_only
        )
        self.push_screen(screen, self._open_read_only if offer_read_only else None)

    def _blocked(self) -> bool:
        """True (and says why) when the store failed to open: reading on could lose or hide work."""
        from reader.tui.screens.modals import ErrorScreen

        if self.store_error is None:
            return False
        for screen in self.screen_stack:
            if isinstance(screen, ErrorScreen):
                screen.remind()
        return True

    def _start(self) -> None:
        for warning in self.store.warnings if self.store is not None else []:
            self._reported.add(warning)
            self.notify(warning, title="Store", severity="warning", markup=False, timeout=10)
        saved = self.user_state.theme()
        if self.config.theme is None and saved is not None and saved in self.available_themes:
            self.theme = saved
        self.push_screen(LibraryScreen(self.corpus))
        self._compact_timer = self.set_interval(COMPACT_CHECK_SECONDS, self._compact_when_idle)
        if os.environ.get(EXIT_AFTER_PAINT):
            self.call_after_refresh(self.exit)
            return
        if self._opens_over_library():
            # The first screen is not the library but one that reads annotations: they must
            # have followed renamed documents before it opens.
            self._relink_renamed()
            self._resume()
        else:
            self._starting = True

    def after_first_paint(self) -> bool:
        """What start-up leaves until the library is on the screen (the library calls it once it
        has painted): the collector back, renamed documents relinked, then the last document
        reopened. True when annotations moved, so the library recounts."""
        self._resume_collector()
        if not self._starting:
            return False
        self._starting = False
        moved = self._relink_renamed()
        if isinstance(self.screen, LibraryScreen):  # not if the user has opened something since
            self._resume()
        return moved

    def _relink_renamed(self) -> bool:
        """Annotations of a document whose id changed (a file renamed or moved into a folder) go
        to the document it became, found by its text or its quotes, as one undoable step; the
        user is told which id became which. True when something moved."""
        from reader.transfer.checking import relink_renamed, stale_entry_advice
        from reader.user_state import renamed_meta

        store = self.store
        if store is None:
            return False
        missing, ids = self._missing_and_ids(store)
        if not missing or self.user_state.searched_renames(missing, ids):
            return False
        meta = store.meta
        try:
            moved = relink_renamed(
                store,
                self.corpus,
                lambda moves: renamed_meta(meta, moves),
                write=not store.read_only,
            )
        except ReaderError as exc:
            self.notify(str(exc), title="Store", severity="error", markup=False)
            return False
        lost = sorted(set(missing) - set(moved))
        if lost:  # one notice however many: a stack of them would hide the screen
            count = sum(missing[doc_id] for doc_id in lost)  # their counts: relinking left them
            names = ", ".join(lost[:3]) + (f" and {len(lost) - 3} more" if len(lost) > 3 else "")
            self.notify(
                display_safe(
                    f"{plural(count, 'annotation')} on {plural(len(lost), 'document')} no longer "
                    f"in the corpus, with no document in it holding their text ({names}): put "
                    "the files back to see them; reader check lists them"
                ),
                title="Not in the corpus",
                severity="warning",
                timeout=15,
                markup=False,
            )
        # Said once: the next start skips this search for the documents still missing (a move
        # takes all of a document's annotations, so those are `lost`; the store is not counted
        # again).
        self._renames_searched(lost, ids)
        for old, (new, how, count) in moved.items():
            done = (
                "moved to it · undo in a document takes it back"
                if not store.read_only
                else "not moved: the store is read-only"
            )
            said = f"{old} became {new} ({how}): {plural(count, 'annotation')} {done}"
            if old in self.corpus.stale_entries:
                said += f"; {stale_entry_advice(old, new)}"
            self.notify(
                display_safe(said),
                title="Renamed",
                timeout=10,
                markup=False,
            )
        return bool(moved) and not store.read_only

    def _missing_and_ids(self, store: AnnotationStore) -> tuple[dict[str, int], list[str]]:
        """The annotated documents missing from the corpus (with their annotation counts), and
        the corpus's ids."""
        counts = store.counts()
        missing = {doc_id: n for doc_id, n in counts.items() if self.corpus.get(doc_id) is None}
        return missing, [doc.id for doc in self.corpus]

    def leave_renames(self) -> None:
        """Start-up leaves the annotations of documents missing from the corpus where they are
        (no document became them, or a move to one was undone) until the corpus gains an id."""
        store = self.store
        if store is not None:
            self._renames_searched(*self._missing_and_ids(store))

    def _renames_searched(self, missing: Iterable[str], ids: list[str]) -> None:
        if self.store is None or self.store.read_only:
            return
        try:
            self.user_state.save_renames_searched(missing, ids)
        except ReaderError as exc:  # a full disk: the search runs again next time
            self._report_once(str(exc), severity="warning")

    def _opens_over_library(self) -> bool:
        """Whether start-up opens a screen over the library (the last document read)."""
        return self._to_resume() is not None

    def _to_resume(self) -> str | None:
        """The last document read, which start-up reopens, if it can be opened."""
        last = self.user_state.last_document()
        doc = self.corpus.get(last) if last is not None else None
        return doc.id if doc is not None and doc.readable else None

    def _resume(self) -> None:
        """Reopen the document and position of the last session."""
        last = self._to_resume()
        if last is not None:
            self.open_document(last)

    def watch_theme(self, name: str) -> None:
        """Keep a theme picked in the app (the palette's Theme command) for the next start."""
        store = self.store
        if store is None or store.read_only or self.user_state.theme() == name:
            return
        try:
            self.user_state.save_theme(name)
        except ReaderError as exc:  # a full disk must not stop anyone from reading
            self._report_once(str(exc), severity="warning")
            return
        if self.config.theme is not None and self.config.theme != name:
            where = self.config.path or "config.toml"
            self.notify(
                f"{where} sets theme = {self.config.theme!r}, which is used when reader starts; "
                f"change it there to keep {name!r}.",
                title="Theme",
                markup=False,
                timeout=8,
            )

    @property
    def user_state(self) -> UserState:
        """The app's own keys in the store (theme, positions, dismissed suggestions, searches)."""
        return UserState(self.store.meta if self.store is not None else None)

    def _leave_document(self, screen: Screen[Any]) -> None:
        from reader.tui.screens.document import DocumentScreen

        if isinstance(screen, DocumentScreen):
            # Saved now, not when the screen unmounts: the library repaints as soon as it is back.
            screen.save_position()
            self.left_document = screen.document.id

    def pop_screen(self) -> AwaitComplete:
        self._leave_document(self.screen)
        return super().pop_screen()

    def open_document(
        self, doc_id: str, offset: int | None = None, select: tuple[int, int] | None = None
    ) -> None:
        """Show a document over the library (whatever was open before is closed, position saved)."""
        from reader.tui.screens.document import DocumentScreen

        if self._blocked():
            return
        doc = self.corpus.get(doc_id)
        if doc is None:
            self.notify(f"No document {doc_id!r} in this corpus.", severity="error", markup=False)
            return
        if offset is None:
            offset = int(self.user_state.position(doc_id).get("offset", 0))
        # Keep the stack shallow: escape from any document goes back to the library.
        while len(self.screen_stack) > 1 and not isinstance(self.screen, LibraryScreen):
            self.pop_screen()
        self.push_screen(DocumentScreen(doc, offset, select))

    def open_annotation(self, annotation_id: str) -> None:
        """Open the annotation's document with it selected and in view (search results, palette)."""
        if self._blocked():
            return
        annotation = self.store.get(annotation_id) if self.store is not None else None
        if annotation is None:
            self.notify("That annotation no longer exists.", severity="warning")
            return
        span = None
        if annotation.start is not None and annotation.end is not None:
            span = (annotation.start, annotation.end)
        self.open_document(annotation.doc, annotation.start or 0, span)

    def show_change(self, step: list[Change], undone: bool) -> None:
        """Go to what an undo (or redo) changed, in whichever document, and show it."""
        from reader.tui.navigation import show_change

        show_change(self, step, undone)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's Screenshot saves to ~/Downloads (often missing, so it failed) or the working
        # folder, and says little: ours saves in the project and says where.
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command
        yield SystemCommand(
            "Screenshot",
            "Save an SVG picture of this screen in the project's screenshots/ folder",
            lambda: self.set_timer(0.1, self.save_screen_picture),
        )

    def save_screen_picture(self) -> Path | None:
        """Save the screen as SVG in <project>/screenshots/ and say where; None if it failed."""
        from reader.tui.commands import save_screen_picture

        return save_screen_picture(self)

    def open_hit(self, trail: SearchTrail) -> None:
        """Open hit `trail.at` of a search, remembering the search for escape and the hit keys."""
        from reader.tui.navigation import open_hit

        open_hit(self, trail)

    def step_hit(self, direction: int) -> str:
        """The next (1) or previous (-1) hit of the search the open document came from."""
        from reader.tui.navigation import step_hit

        return step_hit(self, direction)

    def escape_goes_to_results(self) -> bool:
        """Whether escape in the document on top goes back to the search results it came from."""
        from reader.tui.navigation import escape_goes_to_results

        return escape_goes_to_results(self)

    def back_to_results(self) -> bool:
        """From a document opened from a search hit, back to the results; False when it was not."""
        from reader.tui.navigation import back_to_results

        return back_to_results(self)

    def _compact_when_idle(self) -> None:
        store = self.store
        if store is None or store.read_only or self._compact_timer is None:
            return
        try:
            store.maybe_compact()
        except StoreChangedError as exc:
            # Every later attempt would fail the same way until the store is reopened: say it once.
            self._compact_timer.stop()
            self._compact_timer = None
            self._report_once(str(exc), then=". Labels and notes you make now are still saved.")
        except ReaderError as exc:
            self._report_once(str(exc))
        for warning in store.warnings:  # e.g. a compaction after a large write found the same
            self._report_once(warning, severity="warning")

    def _report_once(self, message: str, severity: SeverityLevel = "error", then: str = "") -> None:
        """Notify about a store problem (followed by `then`) the first time it happens, not on every
        timer tick or again as one of the store's warnings."""
        if message in self._reported:
            return
        self._reported.add(message)
        self.notify(message + then, title="Store", severity=severity, markup=False, timeout=20)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Behind the store error screen only quitting works: these are turned off (hidden from the
        # footer, and neither their keys nor run_action run them); what is called directly
        # (opening a document, export) checks _blocked().
        return self.store_error is None or action not in {"help", "search", "command_palette"}

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen  # loads when first asked for

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_export(self) -> None:
        from reader.tui.screens.export import ExportScreen

        if self._blocked():
            return

        self.push_screen(ExportScreen(self.project.root))

    def action_search(self) -> None:
        from reader.tui.screens.search import SearchScreen

        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    async def action_quit(self) -> None:
        from reader.tui.screens.document import DocumentScreen

        for screen in self.screen_stack:
            if isinstance(screen, DocumentScreen):
                self._leave_document(screen)
        self.exit()

    def on_unmount(self) -> None:
        if self.store is not None:
            # A failed compaction loses nothing: the journal holds every acknowledged change.
            with contextlib.suppress(ReaderError):
                self.store.close()
