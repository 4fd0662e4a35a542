"""Keeping bulk work linear in time."""
from __future__ import annotations

import contextlib
import ctypes
import gc
import sys


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


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3   # glibc's mallopt parameters


def reuse_freed_memory() -> bool:
    """Ask the C allocator (glibc) to keep freed blocks for reuse instead of
    returning each big one to the system.

    Column work allocates and frees arrays of tens of megabytes over and over;
    by default glibc maps each from the system and unmaps it when freed, so
    the next one is faulted in again page by page (on a virtual machine about
    a third of ``balance --currency``'s time at 1M entries went to those page
    faults).  Peak memory is unchanged: the blocks are reused, not added.
    Elsewhere (musl, macOS, Windows) nothing is done; returns whether it was."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
        if not hasattr(libc, "gnu_get_libc_version"):
            return False
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # blocks up to 1 GiB from the heap (a glibc that caps the threshold at its
    # documented maximum, 32 MiB on 64 bits, refuses more: then that)
    ok = mallopt(_M_MMAP_THRESHOLD, 1 << 30) == 1 or mallopt(_M_MMAP_THRESHOLD, 32 << 20) == 1
    ok &= mallopt(_M_TRIM_THRESHOLD, 2**31 - 1) == 1  # and freed ones kept for reuse
    return bool(ok)
