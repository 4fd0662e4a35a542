"""The ``archive`` option names a folder inside the ledger's folder: check
warns of one outside it (absolute, or out through ``..``; 0 problems
before, while audit, report and sources add refused it) in the one wording
(``ledger.rules.options.archive_problem``) that ``named_archive`` refuses
with. A warning, not an error: the commands that do not read the archive
(list, balance) go on, and those that do take another with --sources
(review3638: an error blocked every command). An absolute path inside the
folder is inside."""
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
def test_check_warns_of_an_archive_outside_and_audit_refuses_it(run_cli, tmp_path, name):
    book = tmp_path / "b"
    shutil.copytree(HARBOUR, book)
    opts = book / "ledger.toml"
    text = opts.read_text(encoding="utf-8")
    assert 'archive = "sources"' in text
    opts.write_text(text.replace('archive = "sources"', f'archive = "{name}"'), encoding="utf-8")
    why = archive_problem(name, book)
    assert why.startswith(f"archive {name!r} ") and "an archive folder" in why and "--sources" in why
    code, out, err = run_cli("check", book)
    assert code == 0, out + err
    assert "ledger.toml:" in err and f"warning: option archive: {why}" in err, out + err
    code, _, err2 = run_cli("audit", book)
    assert code == 1 and why in err2, err2
    with pytest.raises(LedgerError, match="an archive folder named by the ledger must lie"):
        named_archive(book, name)
    # what reads no archive goes on; the audit takes the archive given
    assert run_cli("balance", book)[0] == 0
    code, _, err = run_cli("audit", book, "--sources", HARBOUR / "sources")
    assert code == 0, err


def test_an_absolute_archive_inside_the_folder_is_inside(run_cli, tmp_path):
    book = tmp_path / "b"
    shutil.copytree(HARBOUR, book)
    opts = book / "ledger.toml"
    text = opts.read_text(encoding="utf-8")
    opts.write_text(text.replace('archive = "sources"', f'archive = "{book / "sources"}"'),
                    encoding="utf-8")
    code, out, err = run_cli("check", book)
    assert code == 0 and "archive" not in err, err
    code, _, err = run_cli("audit", book)
    assert code == 0, err


@pytest.mark.parametrize("name", ["sources", "docs/archive", "a/../b", "."])
def test_an_archive_inside_is_accepted(name):
    assert archive_problem(name) == ""


def test_a_link_out_says_an_before_a_vowel(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link").symlink_to(tmp_path)
    with pytest.raises(LedgerError, match="; an archived file must lie inside"):
        confine(tmp_path / "in" / "link", tmp_path / "in", what="archived file")
