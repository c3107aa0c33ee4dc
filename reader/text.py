"""Text helpers shared by the core and the app.

`display_safe` makes untrusted text inert for a terminal. Segmentation into paragraphs and sentences lives
here too.
"""

from __future__ import annotations

# Control characters become visible one-for-one placeholders, so offsets into the model text still index
# the displayed text. C0 controls map to the Unicode "control pictures" block (ESC shows as ␛), DEL to ␡,
# C1 controls and bidirectional overrides (which reorder what the reader sees) to the replacement mark.
_SAFE: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20) if code not in (0x09, 0x0A)}
_SAFE[0x7F] = "\u2421"
_SAFE.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_SAFE.update({code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def display_safe(text: str) -> str:
    """Return `text` with every character that could act on a terminal replaced by a visible placeholder.

    Newline and tab are kept. The result has the same length as the input.
    """
    return text.translate(_SAFE)
