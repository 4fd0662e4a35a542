"""A copy of a flow nothing says is newer than the ledger's entry (the
same version, an updatedAt missing or the same) reads the same in a
folder as imported alone: unchanged when it is the entry's copy, the
ledger's copy kept when it differs; a second copy the same in every
field is said given again; one a later copy of the folder replaced is
said superseded by it (docs/interop.md, "A later copy wins").  Totals
worked by hand, the real one from the raw JSON."""
from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

from tests.conftest import FIXTURES
from tests.ledger.imports.test_fts_fold19b import _counted, _flow
from tests.ledger.imports.test_fts_zero_remembered19c import _counted as _balance

REAL = FIXTURES / "real" / "fts"
PAGE = REAL / "location-171-2020-page-3.json"      # 24 flows, none of 0


def _write(path: Path, *flows: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"data": {"flows": list(flows)}}), encoding="utf-8")
    return path


def _summary(err: str) -> str:
    return next(x for x in err.splitlines() if " new, " in x)


def test_copies_of_the_ledgers_entry_in_a_folder_are_unchanged(tmp_path, run_cli):
    """The ledger has flow 901 (US$100) from a.json; a folder of two copies
    of a.json: one unchanged, the other given again; nothing skipped, as
    each alone reads unchanged."""
    a = _write(tmp_path / "a.json", _flow("901", 1, None, 100))
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", a, "-o", book)
    assert code == 0, err
    folder = tmp_path / "again"
    folder.mkdir()
    for name in ("b.json", "c.json"):
        shutil.copyfile(a, folder / name)
    code, _, err = run_cli("import", "--from", "fts", folder / "b.json", "-o", book)
    assert code == 0, err
    assert _summary(err).endswith("0 new, 0 updated, 1 unchanged, 0 rejected, 0 skipped by rule")
    code, _, err = run_cli("import", "--from", "fts", folder, "-o", book)
    assert code == 0, err
    assert "skipped" not in err.replace("skipped by rule", ""), err
    assert _summary(err).endswith("0 new, 0 updated, 1 unchanged, 0 rejected, 0 skipped by rule")
    assert f"{folder / 'c.json'}: 1 flow given again, the same in every field, by " \
        f"{folder / 'b.json'}" in err
    assert _counted(book) == 100


def test_a_differing_copy_of_the_same_version_keeps_the_ledgers_in_a_folder_too(tmp_path,
                                                                                run_cli):
    """The ledger has 901 at US$100 (no stamp); two copies at the same
    version give US$999 and US$500: nothing says either is newer, the
    ledger's copy is kept and said so for each, as alone."""
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts",
                           _write(tmp_path / "a.json", _flow("901", 1, None, 100)), "-o", book)
    assert code == 0, err
    other = _write(tmp_path / "pages" / "b.json", _flow("901", 1, None, 999))
    # 901 again, stamped, US$500: nothing says it is newer than the entry either
    _write(tmp_path / "pages" / "c.json", _flow("901", 1, "2021", 500), _flow("902", 1, None, 7))
    alone = tmp_path / "alone"
    shutil.copytree(book, alone)
    said = "1 flow of the same version as the ledger's differ from it"
    code, _, err = run_cli("import", "--from", "fts", other, "-o", alone)
    assert code == 1 and said in err and "nothing imported" in err, err
    code, _, err = run_cli("import", "--from", "fts", tmp_path / "pages", "-o", book)
    assert code == 0, err
    assert "nothing says it is newer than version 1 in the ledger" not in err, err
    assert [x.split(": ")[3] for x in err.splitlines() if said in x] == [
        str(other), str(tmp_path / "pages" / "c.json")], err
    assert _counted(book) == 107


def test_a_copy_alike_the_entry_then_replaced_in_the_folder(tmp_path, run_cli):
    """The ledger has 901 (US$100); a folder of a copy alike it, then
    version 2 (US$250): the first is superseded by the second, named."""
    book = tmp_path / "book"
    a = _write(tmp_path / "a.json", _flow("901", 1, None, 100))
    code, _, err = run_cli("import", "--from", "fts", a, "-o", book)
    assert code == 0, err
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copyfile(a, folder / "1.json")
    _write(folder / "2.json", _flow("901", 2, None, 250))
    code, _, err = run_cli("import", "--from", "fts", folder, "-o", book)
    assert code == 0, err
    assert f"{folder / '1.json'}: flow '901' version 1: superseded by version 2 in " \
        f"{folder / '2.json'}: not imported" in err, err
    assert _counted(book) == 250


def test_the_real_page_imported_again_as_two_copies(tmp_path, run_cli):
    """A real page (24 flows) in the ledger; a folder of two copies of it:
    24 unchanged, none skipped, the total what the page counts (from the
    raw JSON)."""
    flows = json.loads(PAGE.read_text(encoding="utf-8"), parse_float=Decimal,
                       parse_int=Decimal)["data"]["flows"]
    expected = sum((f["amountUSD"] for f in flows if f["boundary"] == "incoming"
                    and f["onBoundary"] == "single" and f["status"] in ("commitment", "paid")
                    and f["amountUSD"] > 0), Decimal(0))
    assert len(flows) == 24 and expected == Decimal(30_716_870)
    book = tmp_path / "book"
    code, _, err = run_cli("import", "--from", "fts", PAGE, "-o", book)
    assert code == 0, err
    folder = tmp_path / "again"
    folder.mkdir()
    for name in ("1.json", "2.json"):
        shutil.copyfile(PAGE, folder / name)
    code, _, err = run_cli("import", "--from", "fts", folder, "-o", book)
    assert code == 0, err
    assert "0 new, 0 updated, 24 unchanged, 0 rejected, 0 skipped by rule" in _summary(err)
    assert _balance(run_cli, book) == expected
