"""A dangling link among a folder's IATI files: ``--to`` names it as an
unreadable file and reads the others, as ``-o`` does (one line, exit 1,
nothing written), rather than stopping on it before reading anything."""
from __future__ import annotations

import csv

import pytest

from tests.ledger.imports.test_iati_reimport2 import _activity, _commitment, _file


@pytest.mark.parametrize("out", [["--to", "d.parquet"], ["-o", "book"]])
def test_a_dangling_link_is_one_unreadable_file(tmp_path, run_cli, monkeypatch, out):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    _file(tmp_path / "in" / "a.xml", _activity("XM-UPD-1", _commitment(120000, "c1")))
    (tmp_path / "in" / "c.xml").symlink_to("nothere.xml")
    code, _, err = run_cli("import", "--from", "iati", "in", *out)
    assert code == 1, err
    # a.xml is read (its count-once note: c1's 120000), c.xml named once
    assert "in/a.xml: counted once per activity" in err and "counted 120000 USD" in err, err
    assert err.count("in/c.xml") - err.count("reading in/c.xml") == 1, err
    assert "does not exist: not read" in err, err
    assert "nothing written: 1 file(s) could not be read" in err, err
    assert "No such file" not in err, err
    assert not (tmp_path / out[1]).exists()
    if out[0] == "-o":      # -o writes no rejects file when a file is unreadable
        return
    rejects = tmp_path / "d.rejects.csv"
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert [(r["file"], r["kind"]) for r in rows] == [("in/c.xml", "error")]
