"""A folder of FTS pages folds each flow's copies once (``fts.fold``), not
once per page that gives it: a folder of N pages each giving the same K
flows costs K x N fold steps, not K x N x N (benchmarks/README.md)."""
from __future__ import annotations

import contextlib
import io
import json
import signal
import sys
from pathlib import Path

import ledger
from ledger.imports import fts
from ledger_tool.cli import main


def _flow(fid: str, version: int, usd: int) -> dict:
    return {"id": fid, "versionId": version, "status": "paid", "date": "2020-03-01T00:00:00Z",
            "amountUSD": usd, "boundary": "incoming", "onBoundary": "single",
            "sourceObjects": [{"type": "Organization", "id": "1", "name": "Donor"}],
            "destinationObjects": [{"type": "Location", "id": "2", "name": "Chad"}]}


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


def test_each_flow_folded_once(tmp_path: Path, monkeypatch):
    pages, flows = 12, 5
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(pages):
        # page n gives every flow at version n + 1: the last page's copies win
        doc = {"meta": {"count": flows},
               "data": {"flows": [_flow(str(900 + k), n + 1, 100 * (k + 1) + n)
                                  for k in range(flows)]}}
        (folder / f"{n:02d}.json").write_text(json.dumps(doc))
    steps = []
    real = fts.fold

    def counting(copies, ledger_order, counted):
        copies = tuple(copies)
        steps.append(len(copies))
        return real(copies, ledger_order, counted)

    monkeypatch.setattr(fts, "fold", counting)
    code, err = _run("import", "--from", "fts", folder, "-o", tmp_path / "book")
    assert code == 0, err
    # every copy walked once: one fold per flow, of all its pages' copies
    assert steps == [pages] * flows
    got = {e.id: e.amount for e in ledger.load(tmp_path / "book").entries}
    assert got == {f"fts-{900 + k}": 100 * (k + 1) + pages - 1 for k in range(flows)}
