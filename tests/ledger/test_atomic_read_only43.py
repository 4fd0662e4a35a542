"""A file its user made read-only (chmod 444) is never replaced by the
temporary-file-and-rename writes, which need only the folder's permission
(hunt20 #7); the tests run as root, so the mode bits decide."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ledger.atomic import (MANIFEST, UnsafeWrite, remove_listed, write_all_atomic, write_atomic,
                           write_manifest)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour"


def test_write_atomic_refuses_a_read_only_file(tmp_path):
    f = tmp_path / "j.toml"
    f.write_bytes(b"old\n")
    f.chmod(0o444)
    with pytest.raises(UnsafeWrite, match=r"j\.toml: read-only \(mode 0444\)"):
        write_atomic(f, "new\n")
    assert f.read_bytes() == b"old\n" and os.listdir(tmp_path) == ["j.toml"]
    f.chmod(0o644)
    write_atomic(f, "new\n")
    assert f.read_bytes() == b"new\n"


def test_write_all_atomic_writes_none_when_one_is_read_only(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.write_bytes(b"a\n")
    b.write_bytes(b"b\n")
    b.chmod(0o444)
    with pytest.raises(UnsafeWrite, match="read-only"):
        write_all_atomic({a: b"A\n", b: b"B\n"})
    assert a.read_bytes() == b"a\n" and b.read_bytes() == b"b\n"
    assert sorted(os.listdir(tmp_path)) == ["a.toml", "b.toml"]


def test_sources_remove_keeps_a_read_only_ledger_and_archive(tmp_path, run_cli):
    book = tmp_path / "harbour"
    shutil.copytree(EXAMPLE, book)
    sources = book / "sources.toml"
    before = sources.read_bytes()
    sources.chmod(0o444)
    code, _, err = run_cli("sources", "remove", "wenlock-minutes-2024", "--ledger", book,
                           "--force")
    assert code == 1 and "read-only" in err and "Traceback" not in err
    assert sources.read_bytes() == before
    assert (book / "sources" / "wenlock-minutes-2024.txt").exists()
    sources.chmod(0o644)
    original = book / "sources" / "wenlock-minutes-2024.txt"
    original.chmod(0o444)
    code, _, err = run_cli("sources", "remove", "wenlock-minutes-2024", "--ledger", book,
                           "--force")
    assert code == 0, err
    assert original.exists() and f"kept {original}: it is read-only" in err


def test_report_force_keeps_a_read_only_file_of_the_earlier_report(tmp_path, run_cli):
    # review43 D3: the earlier report's files were deleted whatever their mode
    out = tmp_path / "rep"
    code, _, err = run_cli("report", EXAMPLE, "--out", out)
    assert code == 0, err
    kept = next(p for p in sorted(out.rglob("*")) if p.is_file() and p.name != MANIFEST)
    before = kept.read_bytes()
    kept.chmod(0o444)
    code, _, err = run_cli("report", EXAMPLE, "--out", out, "--force")
    assert code == 1 and "read-only (mode 0444)" in err and "Traceback" not in err
    assert kept.read_bytes() == before and kept.stat().st_mode & 0o777 == 0o444
    assert sorted(os.listdir(tmp_path)) == ["rep"]


def test_remove_listed_keeps_a_file_made_read_only_meanwhile(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / "b.txt").write_bytes(b"b")
    write_manifest(tmp_path, ["a.txt", "b.txt"])
    (tmp_path / "b.txt").chmod(0o444)
    assert remove_listed(tmp_path) is False
    assert sorted(os.listdir(tmp_path)) == ["b.txt"]
