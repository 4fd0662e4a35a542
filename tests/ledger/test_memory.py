"""``ledger.memory``: the allocator is asked to reuse freed memory where it can be."""
from __future__ import annotations

import platform
import sys

import pytest


@pytest.mark.skipif(not (sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"),
                    reason="mallopt is glibc's")
def test_glibc_is_asked_to_reuse_freed_memory():
    from ledger.memory import reuse_freed_memory
    assert reuse_freed_memory() is True


def test_it_never_fails_where_it_cannot_be_done(monkeypatch):
    from ledger.memory import reuse_freed_memory
    monkeypatch.setattr(sys, "platform", "darwin")
    assert reuse_freed_memory() is False
