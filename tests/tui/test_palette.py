"""The command palette (ctrl+p): hits from documents and annotations display their text inert."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from reader.corpus.documents import Corpus
from reader.model.annotation import annotation_from_document
from reader.project import Project
from reader.store import AnnotationStore
from reader.tui.app import ReaderApp
from reader.tui.screens.document import DocumentScreen

from .conftest import wait_for_document

HOSTILE_TITLE = "[bold]x[/"
QUOTE = "[/] closes [red]nothing[/red]"


def hostile_project(tmp_path: Path) -> tuple[Path, str]:
    """A corpus whose only document has markup in its title and text, with one annotation on it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        f"{HOSTILE_TITLE}\n\nThe tag {QUOTE} stays plain. Another sentence follows here.\n",
        encoding="utf-8",
    )
    doc = Corpus.load(corpus).get("evil")
    assert doc is not None
    start = doc.text.index(QUOTE)
    with AnnotationStore.open(tmp_path / "annotations" / "store.json") as store:
        annotation = store.add(annotation_from_document(doc, start, start + len(QUOTE)))
    return tmp_path, annotation.id


async def palette_results(pilot: Pilot[None], query: str) -> list[str]:
    """Open the palette, type `query`, and return each hit's prompt as plain text."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = pilot.app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(Input).value = query
    results = palette.query_one(CommandList)
    for _ in range(100):
        await pilot.pause(0.02)
        if results.option_count:
            break
    await pilot.pause(0.2)  # the palette adds hits in batches
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def prompt_styles(pilot: Pilot[None], needle: str) -> list[str]:
    results = pilot.app.screen.query_one(CommandList)
    for i in range(results.option_count):
        prompt = results.get_option_at_index(i).prompt
        if needle in str(prompt):
            return [str(span.style) for span in prompt.spans]  # type: ignore[union-attr]
    raise AssertionError(f"no hit shows {needle!r}")


async def test_a_title_with_markup_is_shown_as_typed_and_opens(tmp_path: Path) -> None:
    root, _ = hostile_project(tmp_path)
    app = ReaderApp(Project.resolve(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = await palette_results(pilot, "bold")
        assert any(f"Open: {HOSTILE_TITLE}" in hit for hit in shown), shown
        # Only the matched letters are highlighted; nothing in the title is read as a style.
        assert not any(s == "bold" for s in prompt_styles(pilot, HOSTILE_TITLE))
        await pilot.press("enter")
        await wait_for_document(app, pilot)
        assert isinstance(app.screen, DocumentScreen)
        assert app.screen.document.id == "evil"


async def test_an_annotation_quote_with_markup_is_shown_as_typed(tmp_path: Path) -> None:
    root, annotation_id = hostile_project(tmp_path)
    app = ReaderApp(Project.resolve(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = await palette_results(pilot, "closes")
        assert any(QUOTE in hit for hit in shown), shown
        assert not any("red" in s for s in prompt_styles(pilot, QUOTE))
        await pilot.press("enter")  # the only hit: jump to the annotation
        await wait_for_document(app, pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.session is not None
        annotation = app.store.get(annotation_id)  # type: ignore[union-attr]
        assert annotation is not None
        selection = app.screen.session.selection
        assert selection is not None
        assert (selection.start, selection.end) == (annotation.start, annotation.end)


async def test_discovery_shows_markup_titles_as_typed(tmp_path: Path) -> None:
    root, _ = hostile_project(tmp_path)
    app = ReaderApp(Project.resolve(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = await palette_results(pilot, "")
        assert any(f"Open: {HOSTILE_TITLE}" in hit for hit in shown), shown


async def test_entries_without_an_author_do_not_start_with_a_separator(tmp_path: Path) -> None:
    root, _ = hostile_project(tmp_path)
    app = ReaderApp(Project.resolve(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = await palette_results(pilot, "Open")
        opened = [hit for hit in shown if hit.startswith("Open:")]
        assert opened and all("\nevil" in hit and " · " not in hit for hit in opened), opened


async def test_long_quotes_are_cut_at_a_word_with_an_ellipsis(tmp_path: Path) -> None:
    root, _ = hostile_project(tmp_path)
    doc = Corpus.load(root / "corpus").get("evil")
    assert doc is not None
    start = doc.text.index("The tag")
    with AnnotationStore.open(root / "annotations" / "store.json") as store:
        store.add(annotation_from_document(doc, start, len(doc.text.rstrip())))
    app = ReaderApp(Project.resolve(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = await palette_results(pilot, "Annotation")
        [cut] = [hit for hit in shown if "Another" in hit or "stays" in hit]
        quote = cut.split("“", 1)[1].split("”", 1)[0]
        assert quote.endswith("…")
        words = doc.text[start:].split()
        assert quote[:-1].split() == words[: len(quote[:-1].split())]  # whole words only


async def test_the_screenshot_command_saves_in_the_project_and_says_where(tmp_path: Path) -> None:
    root, _ = hostile_project(tmp_path)
    app = ReaderApp(Project.resolve(root))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        [command] = [c for c in app.get_system_commands(app.screen) if c.title == "Screenshot"]
        command.callback()
        for _ in range(50):
            await pilot.pause(0.02)
            if (
                list((root / "screenshots").glob("*.svg"))
                if (root / "screenshots").exists()
                else []
            ):
                break
        [saved] = list((root / "screenshots").glob("*.svg"))
        assert saved.read_text(encoding="utf-8").startswith("<svg")
        told = [str(n.message) for n in app._notifications]
        assert any(str(saved) in m for m in told), told
