"""Keeping bulk work linear in time."""
from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for a bulk step.

    Reading a journal, checking it and building reports allocate millions of
    small objects (entries, Decimals, strings) that are not cyclic; with a
    million ``Entry`` objects alive, every full collection walks them all and
    the steps grow worse than linearly.  Reference counting still frees
    everything as usual."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
