"""ledger-tool import: the input file's name goes into the journal's
``# Imported by`` comment inert, one line (``ledger.text_safety.one_line``):
a name holding a line break cannot add TOML of its choosing (an entry
worth £999m), a name holding an escape cannot make the journal unreadable."""
from __future__ import annotations

import shutil
import tomllib

import pytest

from tests.conftest import FIXTURES

EVIL = ('\n[[entry]]\nid = "evil2"\ndate = 2015-01-01\nfunder = "Evil:Funder"\n'
        'purpose = "Evil:Purpose"\namount = "999000000 GBP"\n#')
SHEET = "id,date,funder,purpose,amount\nok1,2015-01-01,UK:A,B:C,5 GBP\n"
FTS = FIXTURES / "fts" / "flows.json"
IATI = FIXTURES / "iati" / "activities-v2.xml"

BREAKS = ["\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x1b]0;x\x07"]


def _ids(path) -> list[str]:
    return [e["id"] for e in tomllib.loads(path.read_text(encoding="utf-8")).get("entry", [])]


@pytest.mark.parametrize("brk", BREAKS)
def test_a_sheet_name_cannot_add_an_entry(run_cli, tmp_path, brk):
    sheet = tmp_path / f"p{EVIL.replace(chr(10), brk)}.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    out = tmp_path / "o.toml"
    code, _, err = run_cli("import", sheet, "-o", out)
    assert code == 0, err
    assert _ids(out) == ["ok1"]
    assert "1 entry written" in err
    text = out.read_text(encoding="utf-8")
    header = [ln for ln in text.splitlines() if ln.startswith("# Imported by")]
    assert len(header) == 1 and "evil2" in header[0]   # the name is there, escaped


@pytest.mark.parametrize("kind,src", [("fts", FTS), ("iati", IATI)])
def test_an_fts_or_iati_name_cannot_add_an_entry(run_cli, tmp_path, kind, src):
    if not src.exists():
        pytest.skip(f"no fixture {src}")
    named = tmp_path / f"x{EVIL}{src.suffix}"
    shutil.copyfile(src, named)
    book = tmp_path / "book"
    code, _, err = run_cli("init", book)
    assert code == 0, err
    code, _, err = run_cli("import", "--from", kind, named, "-o", book)
    journal = next(p for p in book.glob("*.toml") if p.name.startswith(kind))
    assert "evil2" not in _ids(journal), err
    code, _, err = run_cli("check", book)
    assert "Evil" not in err
