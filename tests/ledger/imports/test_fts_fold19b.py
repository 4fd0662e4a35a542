"""A folder of FTS pages gives what importing its pages one by one, in the
folder's order, gives: each copy of a flow, as it comes, against what is
kept so far (docs/interop.md, "A later copy wins").  Copies of 0, copies
the import refuses, stamps missing, equal or unreadable, and pages of
different downloads included; the expected totals are worked by a small
fold of the documented rule written here, from the copies themselves."""
from __future__ import annotations

import contextlib
import io
import json
import signal
import sys
from decimal import Decimal
from pathlib import Path
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pyarrow.dataset as ds

import ledger
from ledger_tool.cli import main

STAMPS = {None: None, "2021": "2021-01-01T00:00:00Z", "2022": "2022-01-01T00:00:00Z",
          "bad": "not a date"}


def _flow(fid: str, version: int, stamp: str | None, usd: int) -> dict:
    f = {"id": fid, "versionId": version, "status": "paid", "date": "2020-03-01T00:00:00Z",
         "amountUSD": usd, "boundary": "incoming", "onBoundary": "single",
         "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
         "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"}]}
    if STAMPS[stamp] is not None:
        f["updatedAt"] = STAMPS[stamp]
    return f


def _filler(n: int) -> dict:
    """A flow FTS does not count (internal), one per page: the page then
    makes an entry, so it is archived as the ledger's document and its
    copies of 0 are remembered by a later import (a download giving
    nothing but flows of 0 leaves no document)."""
    f = _flow(str(800 + n), 1, None, 5)
    f["boundary"] = "internal"
    return f


def _run(*args) -> tuple[int, str]:
    handler, hook = signal.getsignal(signal.SIGINT), sys.unraisablehook
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main([str(a) for a in args])
    finally:
        signal.signal(signal.SIGINT, handler)
        sys.unraisablehook = hook
    return code, err.getvalue()


def _pages(folder: Path, pages: list[dict]) -> list[Path]:
    folder.mkdir(parents=True)
    out = []
    for n, page in enumerate(pages, 1):
        out.append(folder / f"{n}.json")
        out[-1].write_text(json.dumps(page), encoding="utf-8")
    return out


def _counted(book: Path) -> Decimal:
    if not (book / "ledger.toml").exists():      # nothing imported: no ledger
        return Decimal(0)
    return sum((e.amount for e in ledger.load(book).entries if e.is_primary), Decimal(0))


def _dataset_counted(out: Path) -> Decimal:
    """The counted amounts of a dataset import (``--to``): rows not tagged not-counted."""
    if not out.exists():
        return Decimal(0)
    rows = ds.dataset(out, format="parquet", partitioning="hive").to_table().to_pylist()
    return sum((Decimal(r["amount"]) for r in rows
                if "not-counted" not in str(r["tags"] or "").split(";")), Decimal(0))


def _by_folder_and_one_by_one(tmp: Path, pages: list[dict],
                              first_alone: bool = False) -> tuple[Decimal, Decimal]:
    """The counted total of the folder imported into a ledger (``first_alone``:
    a ledger its first page made already, then a folder of the others), and
    of its pages imported one by one; a folder's dataset (``--to``) gives
    the first."""
    files = _pages(tmp / "pages", pages)
    if first_alone:
        code, err = _run("import", "--from", "fts", files[0], "-o", tmp / "folder")
        assert code in (0, 1), err
        files[0].unlink()
    code, err = _run("import", "--from", "fts", tmp / "pages", "-o", tmp / "folder")
    assert code in (0, 1), err
    folder = _counted(tmp / "folder")
    if not first_alone:
        code, err = _run("import", "--from", "fts", tmp / "pages", "--to", tmp / "d.parquet")
        assert code in (0, 1), err
        assert _dataset_counted(tmp / "d.parquet") == folder
    for page in _pages(tmp / "again", pages):
        code, err = _run("import", "--from", "fts", page, "-o", tmp / "one")
        assert code in (0, 1), err
    return folder, _counted(tmp / "one")


def _newer(a: tuple[int, str], b: tuple[int, str]) -> bool:
    """The documented rule: the higher versionId, then the later updatedAt;
    a stamp missing or unreadable in one copy says nothing."""
    if a[0] != b[0]:
        return a[0] > b[0]
    return bool(a[1]) and bool(b[1]) and a[1] > b[1]


def _reference(copies) -> Decimal:
    """The counted total the documented rule gives, copy by copy: a copy
    newer than what is kept replaces it; a newer copy of 0 leaves the
    entry with its figures, uncounted, and is kept where no entry counts
    (fix19c: remembered, so an older copy after it is not counted); a copy
    refused (a negative amount) changes nothing; an older copy, or one
    nothing says is newer, is skipped."""
    kept: dict[str, tuple[tuple[int, str], int, bool]] = {}
    for fid, version, stamp, usd in copies:
        order = (version, STAMPS[stamp] if stamp in ("2021", "2022") else "")
        if usd < 0:
            continue
        if fid not in kept:
            kept[fid] = (order, usd, usd > 0)
            continue
        was, amount, counted = kept[fid]
        if not _newer(order, was):
            continue
        kept[fid] = (order, amount, False) if usd == 0 else (order, usd, True)
    return sum((Decimal(a) for _, a, c in kept.values() if c), Decimal(0))


COPY = st.tuples(st.sampled_from(["901", "902"]), st.integers(1, 2),
                 st.sampled_from(list(STAMPS)), st.sampled_from([0, -100, 100, 1000]))


@settings(max_examples=100, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(COPY, min_size=1, max_size=4), st.booleans())
def test_a_folder_gives_its_pages_imported_one_by_one(copies, first_alone):
    """Into a new ledger, or one the first page made (the ledger's entry is
    then what is kept at the start)."""
    pages = [{"data": {"flows": [_flow(*c), _filler(n)]}} for n, c in enumerate(copies)]
    with tempfile.TemporaryDirectory() as tmp:
        folder, one = _by_folder_and_one_by_one(Path(tmp), pages,
                                                first_alone and len(copies) > 1)
    assert folder == one == _reference(copies)


def _one_each(*copies) -> list[dict]:
    return [{"data": {"flows": [_flow(*c), _filler(n)]}} for n, c in enumerate(copies)]


def test_a_flow_first_given_as_0_is_kept_from_its_next_copy(tmp_path):
    """R1: 0 stamped 2022, then 1000 with no stamp: nothing says the 1000 is
    newer than the 0 kept first (fix19c: a copy of 0 is remembered), so the
    flow is not counted either way."""
    copies = [("901", 1, "2022", 0), ("901", 1, None, 1000)]
    assert _by_folder_and_one_by_one(tmp_path, _one_each(*copies)) == (0, 0)


def test_three_copies_one_of_0(tmp_path):
    """The 0 (2022) is kept first; the 1000 (no stamp) and the 100 (2021,
    older) are not newer than it."""
    copies = [("901", 1, "2022", 0), ("901", 1, None, 1000), ("901", 1, "2021", 100)]
    assert _by_folder_and_one_by_one(tmp_path, _one_each(*copies)) == (0, 0)


def test_a_refused_copy_decides_nothing(tmp_path):
    """-100 (2021), 1000 (no stamp), 50 (2022): the refused copy is never
    kept, so nothing says the 50 is newer than the 1000 kept."""
    copies = [("901", 1, "2021", -100), ("901", 1, None, 1000), ("901", 1, "2022", 50)]
    assert _by_folder_and_one_by_one(tmp_path, _one_each(*copies)) == (1000, 1000)


def test_pages_of_different_downloads_keep_the_first_copy(tmp_path):
    """R2: two downloads (meta.count 2 and 3) give flow 901 at version 1
    with no stamp, US$100 then US$1,000: the first stays, whichever
    download's flows were updated last."""
    flows = [[_flow("901", 1, None, 100), _flow("902", 1, "2021", 5)],
             [_flow("901", 1, None, 1000), _flow("903", 1, "2022", 7)]]
    pages = [{"meta": {"count": n}, "data": {"incoming": {"fundingTotal": t}, "flows": f}}
             for n, t, f in ((2, 35, flows[0]), (3, 45, flows[1]))]
    assert _by_folder_and_one_by_one(tmp_path, pages) == (112, 112)


def test_a_skipped_copy_names_the_copy_kept_before_it(tmp_path):
    """1.json 2021, 2.json no stamp, 3.json 2022 (all version 1): 2.json's
    copy lost to 1.json's, which 3.json's then superseded."""
    copies = [("901", 1, "2021", 100), ("901", 1, None, 1000), ("901", 1, "2022", 10)]
    _pages(tmp_path / "pages", _one_each(*copies))
    code, err = _run("import", "--from", "fts", tmp_path / "pages", "-o", tmp_path / "book")
    assert code == 0, err
    assert _counted(tmp_path / "book") == 10
    lines = [x for x in err.splitlines() if "2.json: flow '901'" in x]
    assert len(lines) == 1, err
    assert "nothing says it is newer than version 1 (updated 2021-01-01T00:00:00Z) in " \
        f"{tmp_path / 'pages' / '1.json'}, kept before it" in lines[0]
    assert "given first" not in err
