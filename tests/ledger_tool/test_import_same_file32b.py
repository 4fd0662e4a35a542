"""``import`` whose ``-o`` names the ledger's journal file spelt otherwise
than ``--ledger`` (relative against absolute): the update and the new
entries go to that one file together, none lost (docs/guarantees.md §3)."""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import ledger

from tests.ledger_tool.test_import_all_or_none32 import _flows, _newer_150009, _without_150010


def test_update_kept_when_o_and_ledger_spell_the_file_differently(tmp_path, run_cli,
                                                                 monkeypatch):
    first = _flows(tmp_path, "first.json", _without_150010)
    newer = _flows(tmp_path, "newer.json", _newer_150009)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("import", "--from", "fts", first, "-o", "L")
    assert code == 0, err
    journal = next(p for p in Path("L").glob("*.toml") if b"fts-150009" in p.read_bytes())
    before = ledger.load(tmp_path / "L").entry("fts-150009").amount
    assert before == Decimal("5000000")       # flows.json: originalAmount of 150009
    code, _, err = run_cli("import", "--from", "fts", newer, "-o", str(journal),
                           "--ledger", str(tmp_path / "L"))
    assert code == 0 and "1 new, 1 updated" in err, err
    got = ledger.load(tmp_path / "L")
    assert got.entry("fts-150009").amount == Decimal("6000000")   # newer.json's figure
    assert got.entry("fts-150010").id == "fts-150010"
    assert not [n for n in os.listdir("L") if n.startswith(".")]
    assert run_cli("check", "L")[0] == 0


def test_partly_written_import_keeps_the_archive_copies_it_cites(tmp_path, run_cli,
                                                                 monkeypatch):
    """No hard links and the second journal's rename failing: the first (the
    import's journal, declaring the documents) is written and cannot be put
    back; the archive copy it declares stays,
    and the message names what was written instead of 'nothing written'."""
    import errno
    book = tmp_path / "book"
    first = _flows(tmp_path, "first.json", _without_150010)
    assert run_cli("import", "--from", "fts", first, "-o", book)[0] == 0
    journal = next(p for p in book.glob("*.toml") if b"fts-150009" in p.read_bytes())
    journal.rename(book / "kept.toml")
    journal.write_text("# the import's journal\n", encoding="utf-8")   # renamed first
    newer = _flows(tmp_path, "newer.json", _newer_150009)
    archived = sorted(p.name for p in (book / "sources").rglob("*") if p.is_file())
    real_replace, renamed = os.replace, []

    real_link = os.link

    def no_links(src, dst, **kw):       # no second name for a journal (.old)
        if str(dst).endswith(".old"):
            raise OSError(errno.EPERM, "Operation not permitted")
        return real_link(src, dst, **kw)

    def replace(src, dst, **kw):
        if str(dst).endswith(".toml") and not str(dst).startswith("."):
            renamed.append(dst)
            if len(renamed) == 2:
                raise OSError(errno.EIO, "Input/output error")
        return real_replace(src, dst, **kw)
    monkeypatch.setattr(os, "link", no_links)
    monkeypatch.setattr(os, "replace", replace)
    code, _, err = run_cli("import", "--from", "fts", newer, "-o", book)
    monkeypatch.undo()
    assert code == 1 and "Traceback" not in err and len(renamed) == 2, err
    last = err.strip().splitlines()[-1]
    assert "nothing written" not in last and "not written:" in last and "written:" in last
    # the import's journal went first (it declares newer.json's copy, which stays);
    # kept.toml, whose update would cite it, is not written
    assert b"[[document]]" in journal.read_bytes()
    assert b'"6000000"' not in (book / "kept.toml").read_bytes()
    assert sorted(p.name for p in (book / "sources").rglob("*") if p.is_file()) != archived
