"""A dangling link among a folder's IATI files: ``--to`` names it as an
unreadable file and reads the others, as ``-o`` does (one line, exit 1,
nothing written, not even a rejects file: a failed command leaves nothing),
rather than stopping on it before reading anything."""
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
    # nothing written at all, a rejects file neither: the same for -o and --to
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_a_dataset_import_refusing_everything_says_where_its_rejects_are(tmp_path, run_cli,
                                                                        monkeypatch):
    """Every item refused (a negative value with nothing to net it into):
    no dataset, and the rejects file beside where it would be, named."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    _file(tmp_path / "in" / "a.xml", _activity("XM-UPD-1", _commitment(-5, "c1")))
    code, _, err = run_cli("import", "--from", "iati", "in", "--to", "d.parquet")
    assert code == 1 and "nothing imported" in err, err
    assert "rejected and skipped items listed in d.rejects.csv" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.rejects.csv", "in"]
    rows = list(csv.DictReader((tmp_path / "d.rejects.csv").open(encoding="utf-8")))
    assert [r["file"] for r in rows] == ["in/a.xml"]
