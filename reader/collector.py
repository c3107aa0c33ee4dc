"""The cyclic garbage collector paused while many objects are built at once, and made to run when
the reader will not notice.

Scoring a megabyte, reading thousands of annotations, an import or an export make hundreds of
thousands of short-lived tuples, lists, dicts and annotations, none in reference cycles; each batch of
them would set off collections that scan every object the process holds (the app's whole heap), for
nothing. Pausing it halves the time of the larger of these.

A long document opened brings a hundred thousand objects of its own, and the full pass over the
heap they call for (30-60 ms) fell on the first key after the open; the app makes that pass itself
a moment after the document has painted, while the reader reads.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(pause: bool = True) -> Iterator[None]:
    """The collector off while the block runs (when `pause`), then as it was."""
    if not pause or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def pause_collector() -> Callable[[], None]:
    """The collector off until the returned call puts it back (for work that spans awaits and ends
    later, such as a screen's first paint). The call does it once, however often it is made, and
    nothing if the collector was off already."""
    if not gc.isenabled():
        return lambda: None
    gc.disable()
    paused = [True]

    def resume() -> None:
        if paused:
            paused.clear()
            gc.enable()

    return resume


def collect_unless_paused() -> None:
    """A full collection now, unless the collector is off (paused for some work)."""
    if gc.isenabled():
        gc.collect()
