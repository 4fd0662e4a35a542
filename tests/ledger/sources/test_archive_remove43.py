"""sources remove deletes only an archived original that is the document's
own: never a file the ledger reads, one another record names (however it
is spelled), or one whose SHA-256 is not the recorded one (hunt20 r5, r1)."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "harbour"
ZEROS = "0" * 64


def _doc(doc_id: str, path: str, sha: str) -> str:
    return (f'\n[[document]]\nid = "{doc_id}"\ntitle = "t"\npublisher = "p"\n'
            f'published = 2024-01-01\npath = "{path}"\nsha256 = "{sha}"\n')


def _ledger(tmp_path, archive: str) -> Path:
    book = tmp_path / "harbour"
    shutil.copytree(EXAMPLE, book)
    toml = book / "ledger.toml"
    toml.write_text(toml.read_text("utf-8").replace('archive = "sources"', f'archive = "{archive}"'),
                    encoding="utf-8")
    return book


def test_remove_keeps_a_journal_file_the_record_names(tmp_path, run_cli):
    book = _ledger(tmp_path, ".")
    pledges = (book / "pledges.toml").read_bytes()
    for target in ("pledges.toml", "sources.toml"):
        sha = hashlib.sha256((book / target).read_bytes()).hexdigest()   # even with its hash
        with open(book / "sources.toml", "a", encoding="utf-8") as fh:
            fh.write(_doc("evil", target, sha))
        code, _, err = run_cli("sources", "remove", "evil", "--ledger", book)
        assert code == 0, err
        assert (book / target).is_file(), target
        assert f"kept {book / target}: the ledger reads it" in err
    assert (book / "pledges.toml").read_bytes() == pledges
    code, out, err = run_cli("check", book)
    assert code == 0 and "3 entries, 2 documents" in out + err


def test_remove_keeps_a_file_whose_hash_is_not_the_records(tmp_path, run_cli):
    book = _ledger(tmp_path, "sources")
    (book / "sources" / "other.txt").write_text("not the document", encoding="utf-8")
    with open(book / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write(_doc("wrong", "other.txt", ZEROS))
    code, _, err = run_cli("sources", "remove", "wrong", "--ledger", book)
    assert code == 0, err
    assert (book / "sources" / "other.txt").read_text("utf-8") == "not the document"
    assert "its SHA-256 is not the one the document records" in err


def test_remove_keeps_a_file_another_record_spells_differently(tmp_path, run_cli):
    book = _ledger(tmp_path, "sources")
    minutes = book / "sources" / "wenlock-minutes-2024.txt"
    sha = hashlib.sha256(minutes.read_bytes()).hexdigest()
    with open(book / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write(_doc("dup", "./wenlock-minutes-2024.txt", sha))
    code, _, err = run_cli("sources", "remove", "dup", "--ledger", book)
    assert code == 0, err
    assert minutes.is_file() and "document 'wenlock-minutes-2024' uses it too" in err
    code, out, err = run_cli("audit", book)
    assert "not found" not in out + err
    # its own file, recorded once and matching its hash, still goes
    code, _, err = run_cli("sources", "remove", "wenlock-minutes-2024", "--ledger", book, "--force")
    assert code == 0, err
    assert not minutes.exists() and "removed archived file" in err
