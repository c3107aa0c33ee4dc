"""The document screen's key bindings. Every one has an id, so config.toml can remap it (`[keymap]`), and
the help screen is generated from them."""

from __future__ import annotations

from textual.binding import Binding

# `escape` first cancels a selection, then leaves; the label keys come from the scheme (1–9). `}` and `{`
# move by paragraph, and grow or shrink the selection while there is one (see check_action).
BINDINGS = [
    Binding("j,down", "move(1)", "Next sentence", show=False, id="document.next_sentence"),
    Binding("k,up", "move(-1)", "Previous sentence", show=False, id="document.previous_sentence"),
    Binding("pagedown", "page(1)", "Next screenful", show=False, id="document.page_down"),
    Binding("pageup", "page(-1)", "Previous screenful", show=False, id="document.page_up"),
    Binding("g,home", "jump(0)", "First sentence", show=False, id="document.first_sentence"),
    Binding("G,end", "jump(-1)", "Last sentence", show=False, id="document.last_sentence"),
    Binding(
        "right_curly_bracket",
        "paragraph(1)",
        "Next paragraph; grows a selection",
        show=False,
        id="document.next_paragraph",
    ),
    Binding(
        "left_curly_bracket",
        "paragraph(-1)",
        "Previous paragraph; shrinks a selection",
        show=False,
        id="document.previous_paragraph",
    ),
    Binding("n", "suggestion(1)", "Next suggestion", id="document.next_suggestion"),
    Binding(
        "N", "suggestion(-1)", "Previous suggestion", show=False, id="document.prev_suggestion"
    ),
    Binding(
        "right_square_bracket",
        "annotation(1)",
        "Next annotation",
        show=False,
        id="document.next_annotation",
    ),
    Binding(
        "left_square_bracket",
        "annotation(-1)",
        "Previous annotation",
        show=False,
        id="document.prev_annotation",
    ),
    Binding("full_stop", "hit(1)", "Next search hit", show=False, id="document.next_hit"),
    Binding("comma", "hit(-1)", "Previous search hit", show=False, id="document.previous_hit"),
    Binding("v", "select", "Select", id="document.select"),
    Binding("V", "select_word", "Select a word", show=False, id="document.select_word"),
    Binding(
        "W",
        "move_start('word', 1)",
        "Start a word later",
        show=False,
        id="document.start_next_word",
    ),
    Binding(
        "B",
        "move_start('word', -1)",
        "Start a word earlier",
        show=False,
        id="document.start_previous_word",
    ),
    Binding(
        "greater_than_sign",
        "move_start('clause', 1)",
        "Start at the next clause",
        show=False,
        id="document.start_next_clause",
    ),
    Binding(
        "less_than_sign",
        "drop_clause",
        "End before the last clause",
        show=False,
        id="document.end_previous_clause",
    ),
    Binding("w", "grow('word', 1)", "Grow by a word", show=False, id="document.grow_word"),
    Binding("b", "grow('word', -1)", "Shrink by a word", show=False, id="document.shrink_word"),
    Binding(
        "right_parenthesis",
        "grow('sentence', 1)",
        "Grow by a sentence",
        show=False,
        id="document.grow_sentence",
    ),
    Binding(
        "left_parenthesis",
        "grow('sentence', -1)",
        "Shrink by a sentence",
        show=False,
        id="document.shrink_sentence",
    ),
    Binding(
        "right_curly_bracket",
        "grow('paragraph', 1)",
        "Grow by a paragraph",
        show=False,
        id="document.grow_paragraph",
    ),
    Binding(
        "left_curly_bracket",
        "grow('paragraph', -1)",
        "Shrink by a paragraph",
        show=False,
        id="document.shrink_paragraph",
    ),
    *(
        Binding(str(n), f"label({n})", f"Label {n}", show=False, id=f"document.label_{n}")
        for n in range(1, 10)
    ),
    Binding("y", "accept", "Accept", id="document.accept"),
    Binding("x", "dismiss_suggestion", "Dismiss", id="document.dismiss"),
    Binding("t", "tags", "Tags", id="document.tags"),
    Binding("a", "note", "Note", id="document.note"),
    Binding("A", "document_note", "Note on the document", show=False, id="document.document_note"),
    Binding("d", "delete", "Delete", show=False, id="document.delete"),
    Binding("l", "link", "Link", show=False, id="document.link"),
    Binding("m", "argument_map", "Argument map", show=False, id="document.argument_map"),
    Binding("u", "undo", "Undo", id="document.undo"),
    Binding("ctrl+r", "redo", "Redo", show=False, id="document.redo"),
    Binding("h", "layers", "Highlights", id="document.layers"),
    Binding(
        "L",
        "annotator_layer",
        "Annotator layer: all, mine, each annotator, gold",
        show=False,
        id="document.annotator_layer",
    ),
    Binding("p", "toggle_panel", "Panel", show=False, id="document.toggle_panel"),
    Binding("tab", "focus_panel", "Focus panel", show=False, id="document.focus_panel"),
    Binding("escape", "back", "Back", id="document.back"),
    Binding("C", "confirm_anchor", "Confirm placement", show=False, id="document.confirm_anchor"),
    Binding("o", "orphans", "Orphans", show=False, id="document.orphans"),
    Binding("R", "reattach", "Re-attach orphan", show=False, id="document.reattach"),
]
