"""import appends to a journal with a BOM and CRLF line ends as add does:
the BOM and every byte kept, the new lines CRLF too."""
from __future__ import annotations

import csv
import io
import shutil
import tomllib
from pathlib import Path

import pytest

IATI = Path(__file__).resolve().parents[1] / "fixtures" / "real" / "iati" / \
    "africa-educational-trust.xml"
BOM = b"\xef\xbb\xbf"
JOURNAL = ('# my ledger\n[ledger]\ncurrency = "GBP"\n\n[[entry]]\nid = "a"\ndate = 2020-01-01\n'
           'funder = "X"\npurpose = "Y"\namount = "£5m"\n')
ROWS = "id,date,funder,purpose,amount\nb,2020-02-02,X,Z,£3m\nc,2020-02-03,X,W,£4m\n"


def _kept(f: Path, raw: bytes) -> dict:
    new = f.read_bytes()
    assert new.startswith(BOM + raw)
    assert b"\n" not in new.replace(b"\r\n", b"")      # CRLF everywhere
    return tomllib.loads(new.decode("utf-8-sig"))


def test_import_keeps_the_bom_and_crlf(tmp_path, run_cli):
    raw = JOURNAL.replace("\n", "\r\n").encode("utf-8")
    f = tmp_path / "l.toml"
    f.write_bytes(BOM + raw)
    table = tmp_path / "in.csv"
    table.write_text(ROWS, encoding="utf-8")
    code, _, err = run_cli("import", table, "-o", f)
    assert code == 0, err
    got = _kept(f, raw)
    ids = ["a"] + [r["id"] for r in csv.DictReader(io.StringIO(ROWS))]
    assert [e["id"] for e in got["entry"]] == ids


@pytest.mark.skipif(not IATI.is_file(), reason=f"no fixture {IATI}")
def test_iati_import_keeps_the_bom_and_crlf(tmp_path, run_cli):
    led = tmp_path / "led"
    led.mkdir()
    raw = JOURNAL.replace("\n", "\r\n").encode("utf-8")
    f = led / "mine.toml"
    f.write_bytes(BOM + raw)
    src = tmp_path / IATI.name
    shutil.copy(IATI, src)
    code, _, err = run_cli("import", "--from", "iati", src, "-o", f)
    assert code == 0, err
    got = _kept(f, raw)
    assert len(got["entry"]) > 1 and got["entry"][0]["id"] == "a"
