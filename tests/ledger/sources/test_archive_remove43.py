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


# review43 D4, D5: a file kept is always said, and the record still goes

def test_remove_of_a_file_over_the_size_cap_removes_the_record_keeps_the_file(
        tmp_path, run_cli, monkeypatch):
    book = _ledger(tmp_path, "sources")
    big = book / "sources" / "big.txt"
    big.write_bytes(b"x" * 5000)
    with open(book / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write(_doc("big", "big.txt", hashlib.sha256(big.read_bytes()).hexdigest()))
    monkeypatch.setenv("LEDGER_TOOL_MAX_FILE_SIZE", "4000")
    code, _, err = run_cli("sources", "remove", "big", "--ledger", book)
    assert code == 0, err
    assert big.stat().st_size == 5000
    assert f"kept {big}: cannot hash it:" in err and "limit" in err
    assert 'id = "big"' not in (book / "sources.toml").read_text("utf-8")


def test_remove_says_why_it_keeps_a_linked_file_or_one_outside(tmp_path, run_cli):
    book = _ledger(tmp_path, "sources")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text("outside", encoding="utf-8")
    (book / "sources" / "out").symlink_to(outside)
    (book / "sources" / "link.txt").symlink_to(outside / "o.txt")
    sha = hashlib.sha256(b"outside").hexdigest()
    with open(book / "sources.toml", "a", encoding="utf-8") as fh:
        fh.write(_doc("via-dir", "out/o.txt", sha) + _doc("via-link", "link.txt", sha))
    for doc_id, shown in (("via-dir", "out/o.txt"), ("via-link", "link.txt")):
        code, _, err = run_cli("sources", "remove", doc_id, "--ledger", book)
        assert code == 0, err
        assert f"kept {book / 'sources' / shown}: " in err, err
    assert (outside / "o.txt").read_text("utf-8") == "outside"
    assert (book / "sources" / "link.txt").is_symlink()
