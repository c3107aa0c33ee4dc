"""Checking the keymap of config.toml against the app's bindings: unknown ids, keys no terminal sends,
and keys another binding already uses on the same screen.

Loaded only when the config has a keymap: it imports every screen to read their bindings.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding, BindingsMap, InvalidBinding
from textual.dom import DOMNode

from reader.config import Config, KeyUse, check_keymap, key_problem
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.library import LibraryScreen


def checked_keymap(config: Config, app: type[App[Any]]) -> tuple[dict[str, str], list[str]]:
    """The config's key overrides that `app` can apply, and a problem line for each other one."""
    keymap: dict[str, tuple[str, ...]] = {}
    problems = []
    names = key_names()
    for binding_id, keys in config.keymap.items():
        try:
            # Spelled as bindings spell keys: "?" is "question_mark", spaces around commas go.
            spelled = tuple(b.key for b in Binding.make_bindings([Binding(keys, "noop")]))
        except InvalidBinding:
            problems.append(f"{binding_id!r} = {keys!r} has an empty key")
            continue
        why = next((w for key in spelled if (w := key_problem(key, names))), None)
        if why is not None:
            problems.append(f"{binding_id!r} = {keys!r}: {why}")
            continue
        keymap[binding_id] = spelled
    applied, clashes = check_keymap(config, keymap, keys_by_screen(app))
    return applied, problems + clashes


def key_names() -> set[str]:
    """Names of the keys Textual can report besides single characters ("f5", "question_mark")."""
    from textual import keys

    names = {key.value.rpartition("+")[2] for key in keys.Keys}
    names |= {keys._character_to_key(chr(code)) for code in range(32, 127)}
    names |= set(keys.KEY_TO_UNICODE_NAME) | set(keys.KEY_NAME_REPLACEMENTS.values())
    names |= {alias for aliases in keys.KEY_ALIASES.values() for alias in aliases}
    return {name for name in names if name and not name.startswith("<")}


def uses(*classes: type[DOMNode]) -> list[KeyUse]:
    """The bindings of these classes (widgets on a screen, the screen), each merged as Textual does:
    a subclass's key replaces its base's."""
    found: list[KeyUse] = []
    for cls in classes:
        keys: dict[str, list[Binding]] = {}
        for base in reversed(cls.__mro__):
            if issubclass(base, DOMNode):
                keys.update(BindingsMap(base.__dict__.get("BINDINGS", [])).key_to_bindings)
        by_name: dict[str, KeyUse] = {}
        for key, bindings in keys.items():
            for binding in bindings:
                name = binding.id or binding.description or binding.action
                action = binding.action.removeprefix("app.").removeprefix("screen.")
                use = by_name.get(name) or KeyUse(binding.id, name, (), action)
                by_name[name] = KeyUse(use.binding_id, name, (*use.keys, key), action)
        found.extend(by_name.values())
    return found


def screens() -> list[tuple[str, tuple[type[DOMNode], ...], bool]]:
    """Every screen of the app, in one place: its name in messages, the classes whose bindings act
    on it (the screen, then widgets on it), and whether the app's own bindings reach it (not in
    modal dialogs). A test checks that every screen class of reader.tui is listed.

    Imported here, not at start-up: only a config with a keymap pays for loading every screen.
    """
    from reader.tui.screens.adjudicate import AdjudicationScreen
    from reader.tui.screens.agreement import AgreementScreen
    from reader.tui.screens.argument_map import ArgumentMapScreen
    from reader.tui.screens.document import DocumentScreen
    from reader.tui.screens.export import ExportScreen
    from reader.tui.screens.modals import (
        ConfirmScreen,
        ErrorScreen,
        LockedScreen,
        NoteEditor,
        TagEditor,
    )
    from reader.tui.screens.orphans import OrphansScreen
    from reader.tui.screens.search import Results, SearchScreen
    from reader.tui.screens.stats import StatsScreen
    from reader.tui.widgets.library_table import LibraryTable
    from reader.tui.widgets.map_view import MapView
    from reader.tui.widgets.panel import LinkList

    return [
        ("the library screen", (LibraryScreen, LibraryTable), True),
        ("the document screen", (DocumentScreen, LinkList), True),
        ("the argument map", (ArgumentMapScreen, MapView), True),
        ("the search screen", (SearchScreen, Results), True),
        ("the statistics screen", (StatsScreen,), True),
        ("the adjudication screen", (AdjudicationScreen,), True),
        ("the agreement screen", (AgreementScreen,), True),
        ("the error screen", (ErrorScreen,), True),
        ("the help screen", (HelpScreen,), False),
        ("the export dialog", (ExportScreen,), False),
        ("the orphans view", (OrphansScreen,), False),
        ("the note editor", (NoteEditor,), False),
        ("the tag editor", (TagEditor,), False),
        ("the yes/no question", (ConfirmScreen,), False),
        ("the store-in-use question", (LockedScreen,), False),
    ]


def keys_by_screen(app_class: type[App[Any]]) -> dict[str, list[KeyUse]]:
    """Every screen's bindings, with the app's on the screens they reach."""
    app = [*uses(app_class), KeyUse(None, "command palette", (app_class.COMMAND_PALETTE_BINDING,))]

    def with_app(*classes: type[DOMNode]) -> list[KeyUse]:
        own = uses(*classes)
        return own + [use for use in app if use.name not in {o.name for o in own}]

    return {
        name: with_app(*classes) if reached else uses(*classes)
        for name, classes, reached in screens()
    }
