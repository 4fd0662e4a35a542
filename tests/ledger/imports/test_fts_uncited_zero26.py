"""A download whose copies of 0 decide flows is remembered across imports
even when no entry cites it (all its flows 0, the rest unchanged, or a
withdrawal only): it is archived and recorded as a [[document]] of the
ledger, so importing the files one by one, in separate commands, gives
the folder's total (docs/interop.md, "A later copy wins").  The totals
are worked by hand from the pages; the real one from the raw JSON."""
from __future__ import annotations

import hashlib
import json
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import ledger
from tests.conftest import FIXTURES
from tests.ledger.imports.test_fts_fold19b import COPY, _counted, _flow, _reference, _run
from tests.ledger.imports.test_fts_zero_remembered19c import _counted as _balance
from tests.ledger.imports.test_fts_fold19c import _three_routes

REAL = FIXTURES / "real" / "fts"


def _write(path: Path, *flows: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"data": {"flows": list(flows)}}), encoding="utf-8")
    return path


def _import(source: Path, book: Path) -> str:
    code, err = _run("import", "--from", "fts", source, "-o", book)
    assert code in (0, 1), err      # 1: nothing imported, said
    return err


def _both_routes(tmp: Path, pages: list[list[dict]]) -> tuple[Decimal, Decimal]:
    """The counted total of the pages as one folder, and one by one."""
    files = [_write(tmp / "pages" / f"{n}.json", *p) for n, p in enumerate(pages, 1)]
    _import(tmp / "pages", tmp / "folder")
    for f in files:
        _import(f, tmp / "one")
    return _counted(tmp / "folder"), _counted(tmp / "one")


def test_a_download_of_zeros_only_is_remembered(tmp_path):
    """1.json gives flow 901 as 0 at version 2 and nothing else; 2.json,
    older, gives 901 at version 1 (US$1,000) and 902 (US$302): 901 is not
    counted, by either route (the defect counted it again: 1,302)."""
    pages = [[_flow("901", 2, None, 0)], [_flow("901", 1, None, 1000), _flow("902", 1, None, 302)]]
    assert _both_routes(tmp_path, pages) == (302, 302)


def test_a_download_of_unchanged_flows_and_a_zero_is_remembered(tmp_path):
    """1.json: 902 (US$302); 2.json: 902 the same (unchanged) and 901 as 0
    at version 2; 3.json: 901 at version 1 (US$1,000), older."""
    pages = [[_flow("902", 1, None, 302)],
             [_flow("902", 1, None, 302), _flow("901", 2, None, 0)],
             [_flow("901", 1, None, 1000)]]
    assert _both_routes(tmp_path, pages) == (302, 302)


def test_a_download_that_only_withdraws_is_remembered(tmp_path):
    """1.json counts 901 (version 1, US$1,000) and 902 (US$302); 2.json
    gives 901 as 0 at version 2 (the entry withdrawn, 2.json cited by no
    entry); 3.json gives 901 at version 2 with no stamp (US$500): nothing
    says it is newer than the 0, so 901 stays uncounted."""
    pages = [[_flow("901", 1, None, 1000), _flow("902", 1, None, 302)],
             [_flow("901", 2, None, 0)],
             [_flow("901", 2, None, 500)]]
    assert _both_routes(tmp_path, pages) == (302, 302)


def test_a_0_after_a_flow_fts_does_not_count_is_remembered(tmp_path):
    """1.json: 901 internal at version 1 (US$5, recorded, not counted) and
    902 (US$302); 2.json: 901 as 0 at version 2; 3.json: 901 incoming at
    version 2 with no stamp (US$100): nothing says it is newer than the 0,
    so it is not counted."""
    internal = dict(_flow("901", 1, None, 5), boundary="internal")
    pages = [[internal, _flow("902", 1, None, 302)], [_flow("901", 2, None, 0)],
             [_flow("901", 2, None, 100)]]
    assert _both_routes(tmp_path, pages) == (302, 302)


def test_a_newer_stamp_of_0_is_remembered(tmp_path):
    """1.json gives 901 as 0 (version 2, 2021) beside 902 (US$302, so it is
    cited and archived anyway); 2.json gives 901 as 0 again, updated 2022,
    nothing else; 3.json gives 901 at version 2 (US$500), updated 2021-06:
    newer than 1.json's 0 but older than 2.json's, so not counted."""
    pages = [[_flow("901", 2, "2021", 0), _flow("902", 1, None, 302)],
             [_flow("901", 2, "2022", 0)],
             [dict(_flow("901", 2, None, 500), updatedAt="2021-06-01T00:00:00Z")]]
    assert _both_routes(tmp_path, pages) == (302, 302)


def test_what_the_user_sees_of_a_download_of_zeros(tmp_path, run_cli):
    """The import says nothing was imported and why the file is recorded;
    the document is archived with its SHA-256, cited by no entry, and
    `sources list`, `check` and `audit` say so without an error."""
    page = _write(tmp_path / "zeros.json", _flow("901", 2, None, 0), _flow("903", 1, None, 0))
    book = tmp_path / "book"
    # a dry run shows the document and writes nothing
    code, out, err = run_cli("import", "--from", "fts", page, "-o", book, "--dry-run")
    assert code == 0, err
    assert "[[document]]" in out and "[[entry]]" not in out
    assert "would be archived and recorded as document" in err
    assert not book.exists()
    code, _, err = run_cli("import", "--from", "fts", page, "-o", book)
    assert code == 0, err
    assert f"nothing imported from {page}" in err
    assert "0 new, 0 updated, 0 unchanged, 0 rejected, 2 skipped by rule" in err
    said = [x for x in err.splitlines() if "no entry cites it" in x]
    assert len(said) == 1 and "gives 2 flows as 0" in said[0], err
    loaded = ledger.load(book)
    assert len(loaded.entries) == 0
    (doc,) = loaded.documents.values()
    assert doc.sha256 == hashlib.sha256(page.read_bytes()).hexdigest()
    assert (book / "sources" / doc.path).read_bytes() == page.read_bytes()
    assert "2 flows it gives as 0 (901, 903)" in doc.notes
    code, out, err = run_cli("sources", "list", book, "--sources", book / "sources")
    assert code == 0, err
    (row,) = [x for x in out.splitlines() if x.startswith(doc.id)]
    assert row.split()[-3:] == ["0", doc.sha256[:12], "ok"], row
    code, out, err = run_cli("check", book)
    assert code == 0, out + err
    code, out, err = run_cli("audit", book)
    assert code == 0, out + err
    assert f"info: {doc.id}: no entry cites this document (archived by ledger-tool import " \
        "--from fts for the 2 flows it gives as 0" in out
    # imported again: already recorded, nothing imported (exit 1), nothing added
    code, _, err = run_cli("import", "--from", "fts", page, "-o", book)
    assert code == 1 and "nothing imported" in err and "no entry cites it" not in err, err
    assert len(ledger.load(book).documents) == 1


def _counts(f: dict) -> bool:
    return f["boundary"] == "incoming" and f["onBoundary"] == "single" and \
        f["status"] in ("commitment", "paid") and f["amountUSD"] > 0


def test_the_real_flow_given_as_0_by_a_download_of_it_alone(tmp_path, run_cli):
    """FTS's later download gives flow 210146 as 0; a download of that flow
    alone (the later page's own flow object, as a search by flow id gives
    it) imported first, then the earlier download of location 171 (which
    counts it): the flow is not counted, as in one folder.  The expected
    total: the earlier page's counted flows, 210146 left out, from the raw
    JSON."""
    # plain json: its numbers written back as they were read (floats round-trip)
    raw = json.loads((REAL / "location-171-2020-page-1.json").read_text(encoding="utf-8"))
    (zero,) = [f for f in raw["data"]["flows"] if str(f["id"]) == "210146"]
    assert zero["amountUSD"] == 0
    earlier = REAL / "earlier" / "location-171-2020-page-1.json"
    flows = json.loads(earlier.read_text(encoding="utf-8"), parse_float=Decimal,
                       parse_int=Decimal)["data"]["flows"]
    (was,) = [f for f in flows if str(f["id"]) == "210146"]
    assert _counts(was) and was["amountUSD"] > 0
    expected = sum((f["amountUSD"] for f in flows if _counts(f) and str(f["id"]) != "210146"),
                   Decimal(0))
    assert expected == Decimal(228_295_087)      # worked from the raw file above
    folder = tmp_path / "pages"
    folder.mkdir()
    alone = folder / "1-flow-210146.json"
    alone.write_text(json.dumps({"meta": {"count": 1}, "data": {"flows": [zero]}}),
                     encoding="utf-8")
    (folder / "2-earlier.json").write_bytes(earlier.read_bytes())
    _import(folder, tmp_path / "folder")
    _import(alone, tmp_path / "one")
    _import(folder / "2-earlier.json", tmp_path / "one")
    for book in ("folder", "one"):
        got = {e.id: e for e in ledger.load(tmp_path / book).entries}
        assert "fts-210146" not in got or not got["fts-210146"].is_primary, book
        assert _balance(run_cli, tmp_path / book) == expected, book


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(COPY, min_size=2, max_size=4), st.integers(1, 3))
@example([("901", 2, None, 0), ("901", 1, None, 100)], 1)
@example([("901", 1, None, 100), ("901", 2, None, 0), ("901", 2, None, 1000)], 1)
@example([("901", 2, "2021", 0), ("901", 2, "2022", 0), ("901", 2, None, 1000)], 2)
def test_every_route_gives_the_folder_without_other_flows(copies, split):
    """The property of test_fts_fold19c.py (one folder, the pages one by
    one in separate commands, the folder split in two imports), each page
    giving its copy of flow 901 or 902 and nothing else, so no page is
    cited just for another flow: every route gives the documented fold's
    total."""
    pages = [{"data": {"flows": [_flow(*c)]}} for c in copies]
    with tempfile.TemporaryDirectory() as tmp:
        got = _three_routes(Path(tmp), pages, min(split, len(copies) - 1))
    assert got == (_reference(copies),) * 3
