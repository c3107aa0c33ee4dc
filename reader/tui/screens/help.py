"""The help screen, generated from the bindings that are active where `?` was pressed.

Nothing here is a hand-kept copy of the keymap: remapped keys (config.toml) show as remapped.
"""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from reader.tui.safe import safe

GROUPS = {
    "app": "Everywhere",
    "library": "Library",
    "document": "Document",
    "map": "Argument map",
    "search": "Search",
    "stats": "Statistics",
    "adjudicate": "Adjudication",
    "agreement": "Agreement",
}


def binding_groups(
    screen: Screen[object], labels: dict[str, str]
) -> dict[str, list[tuple[str, str]]]:
    """(keys, description) per group for the bindings active on `screen`, in declaration order.

    `labels` maps number keys to label names.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: dict[str, int] = {}

    def rank(item: tuple[str, ActiveBinding]) -> int:
        # The screen's own keys first (j before the list's arrow), then its widgets', then the app's.
        node = item[1].node
        return 0 if node is screen else 2 if node is screen.app else 1

    for key, active in sorted(screen.active_bindings.items(), key=rank):
        binding: Binding = active.binding
        # Only the app's own bindings (they carry ids) and the palette; widgets' scrolling keys would
        # bury them.
        prefix = (binding.id or "").split(".")[0]
        if not binding.description or (
            prefix not in GROUPS
            and binding.action not in {"command_palette", "app.command_palette"}
        ):
            continue
        group = GROUPS.get(prefix, "Everywhere")
        if (binding.id or "").startswith("document.label_"):
            # The number keys mean whatever the corpus's label scheme says; unused ones are left out.
            label = labels.get(binding.id.rsplit("_", 1)[-1]) if binding.id else None
            if label is None:
                continue
            binding = binding.__class__(key, binding.action, f"Label as {label}", id=binding.id)
        entries = groups.setdefault(group, [])
        display = screen.app.get_key_display(binding) if key == binding.key else key
        # Textual's own descriptions ("palette") are lower case; ours are capitalised.
        description = binding.description[:1].upper() + binding.description[1:]
        # Several keys for one action (j and down), or bindings that do the same on the screen and
        # its list (j and the arrow): listed together.
        ident = f"{group}:{description}"
        if ident in seen:
            index = seen[ident]
            keys, description = entries[index]
            entries[index] = (f"{keys} {display}", description)
            continue
        seen[ident] = len(entries)
        entries.append((display, description))
    return groups


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close", id="help.close"),
        # As in the document and the lists: j and k move, here they scroll.
        Binding("j", "scroll(1)", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll(-1)", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        scheme = getattr(screen.app, "scheme", None)
        labels = {label.key: label.name for label in scheme} if scheme is not None else {}
        self.groups = binding_groups(screen, labels)
        relations = [r for r in scheme.relations if r.key] if scheme is not None else []
        if "Document" in self.groups and relations:
            # Not bindings: while a link is being made, the corpus's relation types take these keys.
            key_for = getattr(screen, "key_for", None)
            link = key_for("document.link") if key_for is not None else "l"
            self.groups[f"After {link} (link to the annotation under the cursor)"] = [
                (r.key or "", f"{r.name}: {r.description}" if r.description else r.name)
                for r in relations
            ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Label("Keys", classes="title")
            for group, entries in self.groups.items():
                table = Table.grid(padding=(0, 2))
                table.add_column(style="bold", min_width=12)
                table.add_column()
                for keys, description in entries:
                    table.add_row(safe(keys), safe(description))
                yield Label(group, classes="heading")
                yield Static(table)
            yield Label("escape closes this help", classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)
