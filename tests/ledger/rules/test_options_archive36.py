"""The ``archive`` option names a folder inside the ledger's folder: check
refuses one that is absolute or leads out through ``..`` (0 errors before,
while audit, report and sources add refused it), in the one wording
(``ledger.rules.options.archive_problem``) that ``named_archive`` gives."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ledger.errors import LedgerError
from ledger.rules.options import archive_problem
from ledger.safe_io import confine
from ledger.sources.archive import named_archive

HARBOUR = Path(__file__).resolve().parents[3] / "examples" / "harbour"


@pytest.mark.parametrize("name", ["../outside2", "a/../../x", "/tmp", "..", "sources/../.."])
def test_check_refuses_an_archive_outside_as_audit_does(run_cli, tmp_path, name):
    book = tmp_path / "b"
    shutil.copytree(HARBOUR, book)
    opts = book / "ledger.toml"
    text = opts.read_text(encoding="utf-8")
    assert 'archive = "sources"' in text
    opts.write_text(text.replace('archive = "sources"', f'archive = "{name}"'), encoding="utf-8")
    why = archive_problem(name)
    assert why.startswith(f"archive {name!r} ") and "an archive folder" in why
    code, out, err = run_cli("check", book)
    assert code == 1
    assert "ledger.toml:" in err and f"error: option archive: {why}" in err, out + err
    for argv in (("audit", book), ("report", book, "--out", tmp_path / "r")):
        code, _, err2 = run_cli(*argv)
        assert code == 1 and why in err2, err2
    with pytest.raises(LedgerError, match="an archive folder named by the ledger must lie"):
        named_archive(book, name)


@pytest.mark.parametrize("name", ["sources", "docs/archive", "a/../b", "."])
def test_an_archive_inside_is_accepted(name):
    assert archive_problem(name) == ""


def test_a_link_out_says_an_before_a_vowel(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link").symlink_to(tmp_path)
    with pytest.raises(LedgerError, match="; an archived file must lie inside"):
        confine(tmp_path / "in" / "link", tmp_path / "in", what="archived file")
