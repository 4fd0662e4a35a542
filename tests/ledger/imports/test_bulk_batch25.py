"""A dataset import's batch is read with Python's cycle collector off, and
the collector is as it was after it, whether the batch reads or fails."""
from __future__ import annotations

import gc

import pytest

from ledger.imports import bulk
from tests.conftest import FIXTURES

REAL = FIXTURES / "real" / "iati"


def _spy(monkeypatch) -> list[bool]:
    """Whether the collector was on, at each file the batch reads."""
    seen: list[bool] = []
    real = bulk.read_file

    def read_file(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)
    monkeypatch.setattr(bulk, "read_file", read_file)
    return seen


def test_a_batch_is_read_with_the_collector_off_and_it_is_back_on_after(monkeypatch):
    seen = _spy(monkeypatch)
    files = sorted(str(p) for p in REAL.glob("*.xml"))[:3]
    assert gc.isenabled()
    table, _, docs = bulk.read_batch("iati", files, None, None)
    assert seen == [False, False, False]
    assert gc.isenabled()
    assert table.num_rows > 0 and len(docs) == 3


def test_the_collector_is_back_on_when_a_batch_fails(monkeypatch):
    monkeypatch.setattr(bulk, "checked", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        bulk.read_batch("iati", [str(REAL / "tearfund-cd.xml")], None, None)
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(monkeypatch):
    seen = _spy(monkeypatch)
    gc.disable()
    try:
        bulk.read_batch("iati", [str(REAL / "tearfund-cd.xml")], None, None)
        assert seen == [False] and not gc.isenabled()
    finally:
        gc.enable()

