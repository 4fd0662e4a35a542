"""The real FTS fixtures: the later download (9 pages) and the earlier one
(3 pages, tests/fixtures/real/fts/earlier, SOURCES-fts.md), in one folder
or file by file, earlier pages first or last, into a ledger or a dataset:
every route counts the later download's flows (FTS's own figure, checked
against each page's data.incoming.fundingTotal) plus the counted flows
only the earlier download lists (nothing says the later one is the whole
location).  A flow the later download gives as 0 (210146 and others) is
not counted again from an older copy, in one import or a later one: the
copy of 0 is remembered, across imports from the ledger's archived copy
of the download.  Worked from the raw JSON (json + Decimal) only."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

from tests.conftest import FIXTURES

REAL = FIXTURES / "real" / "fts"
LATER = sorted(REAL.glob("location-*.json"))
EARLIER = sorted((REAL / "earlier").glob("location-*.json"))


def _flows(page: Path) -> list[dict]:
    data = json.loads(page.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
    return data["data"]["flows"]


def _counts(f: dict) -> bool:
    """FTS counts the flow in the location's incoming funding."""
    return f["boundary"] == "incoming" and f["onBoundary"] == "single" and \
        f["status"] in ("commitment", "paid") and f["amountUSD"] > 0


def _expected() -> Decimal:
    """The later download's counted flows (each page's fundingTotal is their
    sum, per location), plus the earlier download's counted flows the later
    one does not list at all; a flow the later one lists as 0 adds nothing."""
    later = {str(f["id"]): f for p in LATER for f in _flows(p)}
    stated: dict[str, set[Decimal]] = {}
    for p in LATER:
        data = json.loads(p.read_text(encoding="utf-8"), parse_float=Decimal, parse_int=Decimal)
        stated.setdefault(p.name.split("-page-")[0], set()).add(
            data["data"]["incoming"]["fundingTotal"])
    total = sum((f["amountUSD"] for f in later.values() if _counts(f)), Decimal(0))
    assert sum(v for (v,) in stated.values()) == total     # FTS's own count
    earlier = {str(f["id"]): f for p in EARLIER for f in _flows(p)}
    zeros = [k for k, f in later.items() if f["amountUSD"] == 0 and k in earlier
             and _counts(earlier[k])]
    assert "210146" in zeros       # what the defect counted again
    return total + sum((f["amountUSD"] for k, f in earlier.items()
                        if k not in later and _counts(f)), Decimal(0))


EXPECTED = _expected()


def _folder(tmp_path: Path, earlier_last: bool) -> Path:
    """The 12 pages in one folder, named so the earlier pages come last
    (``earlier_last``) or first."""
    folder = tmp_path / ("last" if earlier_last else "first")
    folder.mkdir()
    for p in LATER:
        shutil.copyfile(p, folder / p.name)
    for p in EARLIER:
        shutil.copyfile(p, folder / (("z-" if earlier_last else "0-") + p.name))
    return folder


def _counted(run_cli, book: Path) -> Decimal:
    code, out, err = run_cli("balance", book, "--currency", "USD", "--valuation", "as-stated",
                             "--status", "committed", "--status", "disbursed", "--format", "csv")
    assert code == 0, err
    (row,) = [r for r in out.splitlines() if r.startswith("(total),")]
    return Decimal(row.split(",")[1])


def test_one_folder_in_either_order(tmp_path, run_cli):
    assert EXPECTED == Decimal(1_847_478_214)     # worked from the raw files above
    for earlier_last in (True, False):
        book = tmp_path / f"book-{earlier_last}"
        code, _, err = run_cli("import", "--from", "fts", _folder(tmp_path, earlier_last),
                               "-o", book)
        assert code == 0, err
        assert _counted(run_cli, book) == EXPECTED, earlier_last


def test_one_folder_to_a_dataset_in_either_order(tmp_path, run_cli):
    for earlier_last in (True, False):
        out = tmp_path / f"d-{earlier_last}.parquet"
        code, _, err = run_cli("import", "--from", "fts", _folder(tmp_path, earlier_last),
                               "--to", out)
        assert code == 0, err
        assert _counted(run_cli, out) == EXPECTED, earlier_last


def test_file_by_file_in_either_order(tmp_path, run_cli):
    """Each page its own import: the later download's copies of 0 are
    remembered from the ledger's archive when the earlier pages come after."""
    for earlier_last in (True, False):
        book = tmp_path / f"book-{earlier_last}"
        for page in sorted(_folder(tmp_path, earlier_last).iterdir()):
            code, _, err = run_cli("import", "--from", "fts", page, "-o", book)
            assert code == 0, err
        assert _counted(run_cli, book) == EXPECTED, earlier_last
