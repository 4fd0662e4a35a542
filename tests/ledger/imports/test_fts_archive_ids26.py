"""An FTS import reads only the ledger's archived downloads that give one
of its flows for their copies of 0 (docs/interop.md, "A later copy
wins"): the others are checked against their SHA-256, not parsed.  A
download writing a flow's id otherwise (a number in exponent form, an
escaped key) is still found."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import ledger.imports.fts as fts
from tests.ledger.imports.test_fts_fold19b import _counted, _flow, _run
from tests.ledger.imports.test_fts_uncited_zero26 import _import, _write


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The archived files read for their copies of 0."""
    seen: list[str] = []
    real = fts.flow_versions

    def counting(path, zeros_only=False, *args, **kw):
        if zeros_only:
            seen.append(Path(path).name)
        return real(path, zeros_only, *args, **kw)
    monkeypatch.setattr(fts, "flow_versions", counting)
    return seen


def test_only_the_downloads_giving_the_imports_flows_are_read(tmp_path, parsed):
    """Three downloads of zeros (901, 902, 903 at version 2) recorded; a
    page giving 901 at version 1 (US$100) and 904 (US$7): only the
    download giving 901 is read, and 901 is not counted."""
    book = tmp_path / "book"
    for fid in ("901", "902", "903"):
        _import(_write(tmp_path / f"zero-{fid}.json", _flow(fid, 2, None, 0)), book)
    parsed.clear()
    _import(_write(tmp_path / "old.json", _flow("901", 1, None, 100), _flow("904", 1, None, 7)),
            book)
    assert parsed == [p for p in parsed if p.startswith("fts-zero-901-")] and len(parsed) == 1
    assert _counted(book) == 7


@pytest.mark.parametrize("written", ['"id": 9.01E2', '"id": " 901 "', '"\\u0069d": "901"',
                                     '"id": "\\u0039\\u0030\\u0031"'],
                         ids=["exponent", "spaced", "escaped-key", "escaped-digits"])
def test_an_id_written_otherwise_is_still_found(tmp_path, written):
    """The archived download gives flow 901 as 0 with its id written
    ``written``; the older copy (US$100) imported after it is not counted."""
    text = ('{"data": {"flows": [{"id": "ID", "versionId": 2, "status": "paid", '
            '"date": "2020-03-01", "amountUSD": 0, "boundary": "incoming", '
            '"onBoundary": "single"}]}}').replace('"id": "ID"', written)
    zero = tmp_path / "zero.json"
    zero.write_text(text, encoding="utf-8")
    book = tmp_path / "book"
    code, err = _run("import", "--from", "fts", zero, "-o", book)
    assert code == 0 and "gives 1 flow as 0" in err, err
    _import(_write(tmp_path / "old.json", _flow("901", 1, None, 100)), book)
    assert _counted(book) == Decimal(0)
