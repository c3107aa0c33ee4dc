"""The side panel: what is under the cursor (suggestion reasons, annotation details) and the list of the
document's annotations in text order."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from reader.claims.reasons import KIND_WORDS, MAX_CUES, why
from reader.claims.scores import DocumentScores, SentenceScore
from reader.model.annotation import Annotation
from reader.model.argument import LinkEnd
from reader.model.labels import UNLABELLED, LabelScheme, label_name
from reader.text import bounded_preview, display_safe, plural, shorten
from reader.tui.safe import markdown_text, note_words, safe
from reader.tui.widgets.document_view import GUTTER
from reader.tui.widgets.palette import label_style
from reader.tui.widgets.steady import SteadyOptionList, SteadyStatic

SNIPPET = 60
# The panel takes a share of the terminal's width up to a maximum, and steps aside when the text beside
# it would be narrower than MIN_TEXT columns (VIEW_CHROME: the view's cursor gutter, margin, scrollbar).
PANEL_MAX, PANEL_SHARE = 44, 0.36
MIN_TEXT = 40
VIEW_CHROME = GUTTER + 1 + 2
# The list holds the annotations around the cursor, not all of them: OptionList measures every entry it
# holds, which takes seconds for a document with thousands. It moves along when the cursor nears an end.
LIST_WINDOW = 60
UNDER_CURSOR_SHOWN = 12
# The rows of ▶'s note the "Under the cursor" box keeps however much follows it.
NOTE_ROWS_KEPT = 3


def _snippet(text: str, length: int = SNIPPET) -> str:
    """The start of `text` on one line, display-safe."""
    # Only the head can show: a note of megabytes is not flattened whole on every redraw.
    flat = " ".join(display_safe(text[: length * 8]).split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def annotation_line(
    annotation: Annotation,
    scheme: LabelScheme,
    preview: bool = True,
    compact: bool = False,
    author: bool = False,
) -> Text:
    """One entry of the list: label, quote snippet, tags, and a note preview unless `preview` is off;
    `compact`: label and a shorter snippet only; `author`: whose it is, after the label."""
    label = scheme.by_name(annotation.label or "")
    line = Text()
    if label is not None:
        line.append(f" {label.name} ", style=label_style(label))
    elif annotation.label:  # a label the scheme does not know (an import, an edited corpus.toml)
        line.append_text(safe(f" {annotation.label} ", style=label_style(None)))
    else:
        line.append(f" {UNLABELLED} ", style="reverse")
    line.append(" ")
    if author:
        line.append_text(safe(f"{_snippet(annotation.author, 16)} ", "italic"))
    length = 24 if compact else 48
    line.append(
        f"“{_snippet(annotation.quote, length)}”" if annotation.quote else "(whole document)"
    )
    if compact:
        return line
    if annotation.tags:
        line.append_text(safe("\n  " + " ".join(f"#{t}" for t in annotation.tags), "italic"))
    if annotation.note and preview:
        line.append(
            "\n  ✎ " + _snippet(note_words(annotation.note[: SNIPPET * 8]), 52), style="dim"
        )
    return line


class LinkList(SteadyOptionList):
    """▶'s links: enter follows one, delete removes it."""

    BINDINGS = [
        Binding("delete,backspace", "unlink", "Delete the link", id="document.unlink"),
    ]

    def action_unlink(self) -> None:
        panel = self.parent
        if isinstance(panel, AnnotationPanel) and self.highlighted is not None:
            panel.unlink(self.highlighted)


def link_line(end: LinkEnd, scheme: LabelScheme, here: str | None = None) -> Text:
    """One link seen from ▶: `→ supports` (▶ supports the other) or `← attacks` (the other attacks
    ▶), then the other side's label and quote, cut at a word."""
    line = Text("→ " if end.outgoing else "← ", style="bold")
    line.append(f"{end.type} ")
    other = end.other
    if other is None:
        line.append("(deleted annotation)", style="dim")
        return line
    label = scheme.by_name(other.label or "")
    if label is not None:
        line.append(f" {label.name} ", style=label_style(label))
    else:
        line.append_text(safe(f" {label_name(other.label)} ", style=label_style(None)))
    quote = display_safe(shorten(other.quote, 40)) if other.quote else "(whole document)"
    line.append(f" “{quote}”")
    if here is not None and other.doc != here:
        line.append_text(safe(f" in {other.doc}", "dim italic"))
    return line


class UnderCursorBox(SteadyStatic):
    """The "Under the cursor" box: a fixed height whatever it shows, so what does not fit is cut at
    its foot. The note of the annotation ▶ gets the rows the rest leaves (NOTE_ROWS_KEPT at least),
    then a row saying how much is left and which key opens it; anything else cut ends its last row
    in an ellipsis. Fitted when drawn, so a resized terminal refits it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._parts: tuple[Text, str | None, Text, str] = (Text(), None, Text(), "")

    def show(self, before: Text, note: str | None, after: Text, note_key: str) -> None:
        """`before`, then `note` (Markdown) on rows of its own, then `after` (starting a new row)."""
        self._parts = (before, note, after, note_key)
        self.refresh()

    def render(self) -> Text:
        before, note, after, note_key = self._parts
        width, height = self.content_size
        note_rows: list[Text] = []
        cut = 0  # the note's length when its rows are only a preview's, else 0
        if note:
            preview = bounded_preview(note)
            cut = len(note) if preview != note else 0
            note_rows = list(markdown_text(preview, max(1, width - 1)).split("\n"))
        body = _joined(before, note_rows, after)
        if width <= 0 or height <= 0:
            return body
        rows = self._rows(body, width)
        if len(rows) <= height:
            return body
        if len(note_rows) > 1:  # (a row for the cue would save nothing on a one-row note)
            # The note gives way first: the lines about the annotation, the others under the
            # cursor and the keys' hint matter more than its last rows. The room is measured
            # with the longest cue it may get (the count only gets shorter).
            longest = self._note_cue(len(note_rows), cut, note_key)
            spare = height - len(self._rows(_joined(before, [longest], after), width))
            # Its first rows stay, though, before what follows (cut at the foot instead).
            room = height - len(self._rows(before, width)) - 1
            spare = max(spare, min(NOTE_ROWS_KEPT, room))
            if spare + 1 >= len(note_rows) and not cut:  # the cue would stand for one row only
                body = _joined(before, note_rows, after)
            else:
                kept = note_rows[: max(0, spare)]
                hidden = len(note_rows) - len(kept) if kept else 0
                cue = self._note_cue(hidden, cut, note_key)
                body = _joined(before, [*kept, cue], after)
            rows = self._rows(body, width)
            if len(rows) <= height:
                return body
        # Still too much (many annotations stacked here, long reasons): the last row shown ends
        # in an ellipsis, as a cut line does.
        last = rows[height - 1].copy()
        if width > 2:
            last.rstrip()
            last.truncate(width - 2)
            last.append(" …", "dim")
        return Text("\n").join([*rows[: height - 1], last])

    @staticmethod
    def _note_cue(hidden: int, cut: int, note_key: str) -> Text:
        """The row that stands for the note's rows left out: how many (the note's length `cut`
        when the rows are only its preview's), and the key that opens it."""
        if cut:
            return Text(f"… {cut:,} characters in all: {note_key} opens it", "dim italic")
        if not hidden:
            return Text(f"… {note_key} opens the whole note", "dim italic")
        return Text(f"… {plural(hidden, 'more line')}: {note_key} opens the note", "dim italic")

    def _rows(self, text: Text, width: int) -> list[Text]:
        return list(text.wrap(self.app.console, width, overflow="fold"))


def _joined(before: Text, rows: list[Text], after: Text) -> Text:
    body = before.copy()
    for row in rows:
        body.append("\n")
        body.append_text(row)
    body.append_text(after)
    return body


class AnnotationPanel(Vertical):
    DEFAULT_CSS = """
    AnnotationPanel {
        width: 44;  /* fit_to sets it from the terminal's width */
        border-left: vkey $primary 50%;
        padding: 0 1;
    }
    AnnotationPanel .heading { color: $text-muted; text-style: bold; margin-top: 1; }
    /* A steady height: the list below stays put as the cursor moves (a box as tall as its content
       moved the list, and made Textual lay out and compose the whole screen, on nearly every key). */
    AnnotationPanel #under-cursor { height: 50%; }
    AnnotationPanel OptionList { height: 1fr; border: none; padding: 0; }
    AnnotationPanel LinkList { height: auto; max-height: 6; }
    """

    class Jump(Message):
        def __init__(self, annotation_id: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id

    class FollowLink(Message):
        """Go to the annotation at the other end of a link."""

        def __init__(self, annotation_id: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id

    class Unlink(Message):
        """Delete the link `type` from `source_id` to `target_id`."""

        def __init__(self, source_id: str, type: str, target_id: str) -> None:
            super().__init__()
            self.source_id, self.type, self.target_id = source_id, type, target_id

    def __init__(
        self,
        scheme: LabelScheme,
        key_for: Callable[[str], str],
        label_keys: Callable[[], str],
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.scheme = scheme
        # The keys the hints name, as the user's keymap has them.
        self.key_for = key_for
        self.label_keys = label_keys
        # The list object last shown: the session replaces it on every change, so identity says
        # whether the options need rebuilding.
        self._shown: list[Annotation] | None = None
        self._window = (0, 0)  # the slice of `_shown` the list holds
        self._fits: bool | None = None  # whether the panel fitted beside the text at the last width
        self._links: tuple[str | None, list[LinkEnd]] = (None, [])  # ▶'s id and its links shown
        self._under_cursor: object = None  # what "Under the cursor" shows
        self._options: dict[str, tuple[Annotation, Option]] = {}  # list entries made, by id
        self._authors = False  # whether each entry names its annotator

    def show_authors(self, shown: bool) -> None:
        """Name each annotation's annotator (more than one has annotated the document), or not."""
        if shown != self._authors:
            self._authors = shown
            self._shown = None  # the list's entries change
            self._options.clear()

    def fit_to(self, width: int) -> None:
        """Size the panel for a terminal `width` columns wide, hidden where the text would get too
        narrow to read. Shown or hidden again only when the width crosses that line, so the toggle
        key keeps its say in between."""
        panel_width = min(PANEL_MAX, int(width * PANEL_SHARE))
        self.styles.width = panel_width
        fits = width - panel_width - VIEW_CHROME >= MIN_TEXT
        if fits != self._fits:
            self._fits = fits
            self.display = fits

    def compose(self) -> ComposeResult:
        yield Label("Under the cursor", classes="heading")
        yield UnderCursorBox(id="under-cursor")
        yield Label("Annotations", classes="heading", id="list-heading")
        yield SteadyOptionList(id="annotation-list")
        # After the list, so `query_one(OptionList)` still finds the annotation list.
        yield Label("Links", classes="heading", id="links-heading")
        yield LinkList(id="link-list")

    def show_annotations(
        self, annotations: list[Annotation], current: str | None, near: int = 0
    ) -> None:
        """List the annotations around index `near` (the cursor's place), `current` highlighted."""
        options = self.query_one(OptionList)
        if annotations is not self._shown or not self._holds(near, len(annotations)):
            self._fill(options, annotations, near)
        if current is not None:
            # Not listed when outside the window (an outer annotation starting far back).
            with suppress(OptionDoesNotExist):
                options.highlighted = options.get_option_index(current)

    def _holds(self, near: int, count: int) -> bool:
        lo, hi = self._window
        margin = LIST_WINDOW // 4
        return (lo == 0 or near >= lo + margin) and (hi == count or near < hi - margin)

    def _fill(self, options: OptionList, annotations: list[Annotation], near: int) -> None:
        self._shown = annotations
        count = len(annotations)
        lo = max(0, min(near - LIST_WINDOW // 2, count - LIST_WINDOW))
        hi = min(count, lo + LIST_WINDOW)
        self._window = (lo, hi)
        highlighted = options.highlighted
        entries: list[Option] = []
        if lo:
            entries.append(
                Option(Text(f"… {lo} before (move the cursor back)", "dim"), disabled=True)
            )
        entries += [self._option(a) for a in annotations[lo:hi]]
        if hi < count:
            more = f"… {count - hi} after (move the cursor on)"
            entries.append(Option(Text(more, "dim"), disabled=True))
        # In one step: emptied first, the list would drop its scrollbar and measure every entry
        # again at the wider width, then again when the entries bring the scrollbar back.
        options.set_options(entries)
        heading = self.query_one("#list-heading", Label)
        title = f"Annotations ({count:,})"  # as the status line counts them
        # Laid out again only when its width changes: a layout pass redraws the whole panel.
        heading.update(title, layout=len(title) != len(str(heading.content)))
        if highlighted is not None and entries:
            options.highlighted = min(highlighted, len(entries) - 1)

    def _option(self, annotation: Annotation) -> Option:
        """The list entry of `annotation`: the one made before if the annotation is unchanged (the
        session keeps unchanged annotations as they were), so a label or an undo measures and wraps
        the entry that changed rather than all sixty. An entry shows the annotation and, when
        `show_authors` says so, its annotator (a change there clears the entries made)."""
        kept = self._options.get(annotation.id)
        if kept is not None and kept[0] is annotation:
            return kept[1]
        option = Option(
            annotation_line(annotation, self.scheme, author=self._authors), id=annotation.id
        )
        if len(self._options) > 4 * LIST_WINDOW:  # entries of annotations long gone
            self._options.clear()
        self._options[annotation.id] = (annotation, option)
        return option

    def show_under_cursor(
        self,
        scores: DocumentScores,
        suggestion: SentenceScore | None,
        annotations: list[Annotation],
        acted_on: Annotation | None,
        selecting: bool = False,
    ) -> None:
        """Every annotation under the cursor (innermost first), the one the keys act on marked ▶ and
        shown in full, then the suggestion under the cursor with its reasons."""
        body = Text()
        # The note of ▶ goes between `before` and what follows in `body` (the box fits it).
        before: Text | None = None
        note: str | None = None
        # Thousands may be stacked on one sentence: the innermost few are listed, the rest counted.
        shown = annotations[:UNDER_CURSOR_SHOWN]
        if acted_on is not None and acted_on not in shown:
            shown.append(acted_on)
        for annotation in shown:
            if body:
                body.append("\n")
            if annotation is not acted_on:
                body.append("  ")
                line = annotation_line(annotation, self.scheme, compact=True, author=self._authors)
                body.append_text(line)
                continue
            body.append("▶ ", style="bold")
            body.append_text(annotation_line(annotation, self.scheme, preview=False))
            if annotation.note:
                before, body, note = body, Text(), annotation.note
            body.append_text(safe(f"\nby {annotation.author}", "dim"))
            if annotation.origin == "suggestion":
                body.append(" · accepted suggestion", style="dim")
            self._review_mark(body, annotation)
        if len(annotations) > len(shown):
            body.append(f"\n  … and {len(annotations) - len(shown)} more", style="dim")
        if len(annotations) > 1 or (annotations and acted_on is None):
            body.append("\n" + self._acts_on_hint(acted_on, selecting), style="dim")
        if suggestion is not None:
            if body:
                body.append("\n\n")
            kinds = " and ".join(KIND_WORDS.get(kind, kind) for kind in suggestion.labels)
            body.append(f"Suggested {kinds}", style="bold")
            # The keys before the reasons: a long "why" wraps below them, never pushes them out.
            accept, dismiss = self.key_for("document.accept"), self.key_for("document.dismiss")
            body.append(f"\n{accept} accept   {dismiss} dismiss\n", style="italic")
            reasons = why(scores, suggestion.sentence.ordinal, suggestion.labels, limit=MAX_CUES)
            body.append_text(safe(reasons, "dim"))
        note_key = self.key_for("document.note")
        if not body and before is None:
            select = self.key_for("document.select")
            hint = (
                f"Nothing here. {select} selects, {self.label_keys()} label, "
                f"{note_key} writes a note."
            )
            body.append(hint, style="dim")
        if before is None:
            before, body = body, Text()
        # The same again (a move within the same annotations) is not drawn again.
        drawn = (before.plain, before.spans, note, body.plain, body.spans, note_key)
        if drawn != self._under_cursor:
            self._under_cursor = drawn
            # Its size is the panel's, whatever it shows: no layout pass, which would compose the
            # whole screen again.
            self.query_one(UnderCursorBox).show(before, note, body, note_key)

    def _review_mark(self, body: Text, annotation: Annotation) -> None:
        """An approximate placement (the file changed): the text it was made on, until confirmed."""
        if not annotation.needs_review:
            return
        body.append("\n⚠ placed approximately: the file changed", style="bold yellow")
        body.append_text(safe(f"\nwas: {annotation.old_quote[:200]}", "dim"))
        body.append(f"\n{self.key_for('document.confirm_anchor')} confirms it", style="italic")

    def _acts_on_hint(self, acted_on: Annotation | None, selecting: bool) -> str:
        """Which of several annotations d, a, t and the label keys change, and how to pick another."""
        key = self.key_for
        keys = f"{key('document.delete')} {key('document.note')} {key('document.tags')}"
        keys += f" {self.label_keys()}"
        if acted_on is None:  # a selection that no annotation matches exactly
            return f"{keys} make a new annotation on the selection."
        if selecting:
            return f"{keys} act on ▶, the one exactly on the selection."
        return (
            f"{keys} act on ▶, the innermost; "
            f"{key('document.focus_panel')} then enter picks another."
        )

    def on_mount(self) -> None:
        self.query_one("#links-heading").display = False
        self.query_one(LinkList).display = False

    def show_links(self, current: str | None, ends: list[LinkEnd], doc: str | None = None) -> None:
        """List ▶'s links (outgoing, then incoming); hidden when it has none."""
        if (current, ends) == self._links:
            return
        self._links = (current, ends)
        links = self.query_one(LinkList)
        shown = bool(ends)
        heading = self.query_one("#links-heading", Label)
        heading.display = links.display = shown
        if not shown:
            if links.has_focus:
                self.query_one("#annotation-list", OptionList).focus()
            links.clear_options()
            return
        heading.update(f"Links ({len(ends)}) · enter go, del removes")
        highlighted = links.highlighted
        links.clear_options()
        links.add_options(
            [Option(link_line(end, self.scheme, doc), id=f"link-{i}") for i, end in enumerate(ends)]
        )
        links.highlighted = min(highlighted or 0, len(ends) - 1)

    def unlink(self, index: int) -> None:
        current, ends = self._links
        if current is None or not 0 <= index < len(ends):
            return
        end = ends[index]
        if end.outgoing:
            self.post_message(self.Unlink(current, end.type, end.other_id))
        else:
            self.post_message(self.Unlink(end.other_id, end.type, current))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id is None:
            return
        if event.option_list.id == "link-list":
            index = int(option_id.removeprefix("link-"))
            _current, ends = self._links
            if index < len(ends):
                self.post_message(self.FollowLink(ends[index].other_id))
            return
        self.post_message(self.Jump(option_id))
