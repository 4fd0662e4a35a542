"""``ledger.read.cache``: when the journal's files are "the ones cached".

The stored hash of the files' bytes is reused without reading them only
when every file's stat (size, mtime and ctime in ns, inode, device) is the
one taken when its bytes were hashed, and the file was quiet then (see the
module doc).  These tests pin what that promises: an edited file is never
served from the cache, whatever its size and mtime say."""
from __future__ import annotations

import os
import shutil
import time
from decimal import Decimal
from pathlib import Path

import pytest

from ledger.read import cache

OLD, NEW = '"£1.4 million"', '"£1.5 million"'   # same length: same file size


@pytest.fixture
def ledger(tmp_path, example_ledger, monkeypatch) -> Path:
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("LEDGER_TOOL_CACHE_VERIFY", raising=False)
    d = tmp_path / "calais"
    shutil.copytree(example_ledger, d)
    return d


def _quiet(monkeypatch, seconds: float = 0.2) -> None:
    """Files written before now count as quiet after ``seconds`` (not 2 s)."""
    monkeypatch.setattr(cache, "RACY_NS", int(seconds / 4 * 1e9))
    time.sleep(seconds)


def _total(book) -> Decimal:
    return sum(book.tables.entries["amount"], Decimal(0))


def _no_hashing(monkeypatch):
    def refuse(path):
        raise AssertionError("the journal's bytes were hashed")
    monkeypatch.setattr(cache, "_hash_journal", refuse)


def _edit_in_place(f: Path, old: str, new: str) -> None:
    """Same bytes count, written into the same file (same inode), then its
    atime and mtime set back to what they were."""
    st = os.stat(f)
    data = f.read_bytes()
    assert len(old.encode()) == len(new.encode()) and old.encode() in data
    with open(f, "r+b") as fh:
        fh.write(data.replace(old.encode(), new.encode(), 1))
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = os.stat(f)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == \
        (st.st_size, st.st_mtime_ns, st.st_ino)


def test_unchanged_files_are_not_read_again(ledger, monkeypatch):
    _quiet(monkeypatch)
    cold = cache.load_book(ledger)
    _no_hashing(monkeypatch)
    warm = cache.load_book(ledger)
    assert warm.cache_hit and not getattr(cold, "cache_hit", False)
    assert _total(warm) == _total(cold)


def test_an_edit_in_place_with_size_and_mtime_restored_is_seen(ledger, monkeypatch):
    _quiet(monkeypatch)
    first = cache.load_book(ledger)
    assert cache.load_book(ledger).cache_hit
    time.sleep(0.05)
    _edit_in_place(ledger / "pledges.toml", OLD, NEW)   # the ctime moves: it cannot be set back
    changed = cache.load_book(ledger)
    assert not getattr(changed, "cache_hit", False)
    assert _total(changed) - _total(first) == Decimal("100000")


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again(ledger, monkeypatch):
    """The racy case: a file written within RACY_NS of being hashed may
    change again within the same tick of the file system's clock without
    its times moving; its stat is not trusted, so its bytes decide."""
    first = cache.load_book(ledger)    # the files were written a moment ago
    meta = cache._read_meta(cache.cache_dir(), cache._slot(ledger))
    assert all(st is None for _, st in meta["signature"][1])
    _edit_in_place(ledger / "pledges.toml", OLD, NEW)
    changed = cache.load_book(ledger)
    assert not getattr(changed, "cache_hit", False)
    assert _total(changed) - _total(first) == Decimal("100000")


def test_a_touched_file_is_hashed_once_then_trusted_again(ledger, monkeypatch):
    _quiet(monkeypatch)
    cache.load_book(ledger)
    f = ledger / "pledges.toml"
    os.utime(f, ns=(time.time_ns() - 10**10, time.time_ns() - 10**10))   # bytes unchanged
    time.sleep(0.2)
    hashed = []
    real = cache._hash_journal
    monkeypatch.setattr(cache, "_hash_journal", lambda p: hashed.append(p) or real(p))
    assert cache.load_book(ledger).cache_hit and len(hashed) == 1
    assert cache.load_book(ledger).cache_hit and len(hashed) == 1   # new stats kept


@pytest.mark.parametrize("change", ["add", "remove", "rename", "replace"])
def test_a_changed_set_of_files_is_seen(ledger, monkeypatch, change):
    _quiet(monkeypatch)
    first = cache.load_book(ledger)
    f = ledger / "pledges.toml"
    if change == "add":
        (ledger / "more.toml").write_text(
            '[[entry]]\nid = "more"\ndate = 2016-01-01\nfunder = "UK:Home Office"\n'
            'purpose = "Calais:Security"\namount = "£1"\n', encoding="utf-8")
    elif change == "remove":
        f.unlink()
    elif change == "rename":
        f.rename(ledger / "zz-pledges.toml")
    else:   # an editor's save: a new file, same size, same mtime, renamed over the old
        st = os.stat(f)
        tmp = ledger / ".pledges.toml.tmp"
        tmp.write_bytes(f.read_bytes().replace(OLD.encode(), NEW.encode(), 1))
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        tmp.replace(f)
    again = cache.load_book(ledger)
    if change == "rename":   # same bytes under another name: a new key, the same ledger
        assert len(again) == len(first)
    elif change == "replace":
        assert _total(again) - _total(first) == Decimal("100000")
    else:
        assert len(again) == len(first) + (1 if change == "add" else -len(first))
    assert not getattr(again, "cache_hit", False)


def test_a_new_reader_version_is_not_served_the_old_book(ledger, monkeypatch):
    _quiet(monkeypatch)
    cache.load_book(ledger)
    monkeypatch.setattr(cache, "_code_fingerprint", lambda: b"another version")
    assert not getattr(cache.load_book(ledger), "cache_hit", False)
    assert cache.load_book(ledger).cache_hit


def test_verify_hashes_every_byte_every_time(ledger, monkeypatch):
    _quiet(monkeypatch)
    cache.load_book(ledger)
    monkeypatch.setenv("LEDGER_TOOL_CACHE_VERIFY", "1")
    hashed = []
    real = cache._hash_journal
    monkeypatch.setattr(cache, "_hash_journal", lambda p: hashed.append(p) or real(p))
    assert cache.load_book(ledger).cache_hit and cache.load_book(ledger).cache_hit
    assert len(hashed) == 2


def test_a_file_swapped_for_a_link_outside_is_refused_not_served(ledger, monkeypatch, tmp_path):
    """The stat check runs the reader's file checks: a journal file turned
    into a link to a file outside the ledger is not served from the cache."""
    _quiet(monkeypatch)
    cache.load_book(ledger)
    outside = tmp_path / "outside.toml"
    shutil.copy(ledger / "pledges.toml", outside)
    (ledger / "pledges.toml").unlink()
    (ledger / "pledges.toml").symlink_to(outside)
    book = cache.load_book(ledger)
    assert not getattr(book, "cache_hit", False)
    assert any("pledges.toml" in str(p) for p in book.errors)


class _Planted:
    """A pickle that would create a file when loaded (stands for any code)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def test_metadata_naming_other_classes_is_a_miss_not_code_run(ledger, tmp_path):
    import pickle
    first = cache.load_book(ledger)
    (meta,) = (tmp_path / "cache").glob("*.meta")
    marker = tmp_path / "code-ran"
    meta.write_bytes(pickle.dumps({"key": "x", "planted": _Planted(marker)}))
    again = cache.load_book(ledger)
    assert not marker.exists()
    assert _total(again) == _total(first) and not getattr(again, "cache_hit", False)


def test_damaged_cache_files_are_a_miss_not_a_traceback(ledger, tmp_path):
    first = cache.load_book(ledger)
    (table,) = (tmp_path / "cache").glob("*.entries.arrow")
    table.write_bytes(table.read_bytes()[: len(table.read_bytes()) // 2])   # truncated
    assert _total(cache.load_book(ledger)) == _total(first)
    import pickle
    (meta,) = (tmp_path / "cache").glob("*.meta")
    meta.write_bytes(pickle.dumps({"signature": None}))                     # no key
    assert _total(cache.load_book(ledger)) == _total(first)


# ------------------------------------------------------------ a shared or planted cache
def _cache_files(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.stat().st_mode & 0o777 for p in folder.rglob("*")}


def test_cache_files_are_the_users_alone(ledger, tmp_path):
    from rates.table import RateTable

    cache.load_book(ledger)
    RateTable().series("USD", "GBP")
    got = _cache_files(tmp_path / "cache")
    assert (tmp_path / "cache" / "CACHEDIR.TAG").is_file()
    assert any(n.endswith(".meta") for n in got) and any(n.startswith("rates-") for n in got)
    assert (tmp_path / "cache").stat().st_mode & 0o777 == 0o700
    for name, mode in got.items():
        want = 0o700 if (tmp_path / "cache" / name).is_dir() else 0o600
        assert mode == want, (name, oct(mode))


def test_a_planted_meta_and_forged_tables_are_a_miss(ledger, tmp_path, monkeypatch):
    """Someone who can write the cache folder plants, for this ledger's slot,
    a meta with the right key and file stats and tables with other amounts:
    without the user's key (the HMAC) they are a miss, never a balance."""
    import ledger.cachedir as cachedir

    forged_book = tmp_path / "forged"
    shutil.copytree(ledger, forged_book)
    f = forged_book / "pledges.toml"
    f.write_text(f.read_text(encoding="utf-8").replace(OLD, '"£999 million"'), encoding="utf-8")
    truth = _total(cache.load_book(ledger, use_cache=False))
    forged = cache.load_book(forged_book, use_cache=False)
    assert _total(forged) != truth
    folder = cache.cache_dir()
    key, signature = cache._hash_journal(ledger)
    monkeypatch.setattr(cachedir, "_keys", {str(folder): b"someone else's key".ljust(32)})
    cache._write(folder, cache._slot(ledger), key, forged, signature)   # planted
    monkeypatch.undo()
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(tmp_path / "cache"))
    got = cache.load_book(ledger)
    assert not getattr(got, "cache_hit", False) and _total(got) == truth
    # and a plain (unsealed) pickle with the right key and stats: a miss too
    import pickle
    (meta,) = (tmp_path / "cache").glob("*.meta")
    meta.write_bytes(pickle.dumps({"key": key, "signature": signature, "problems": (),
                                   "options": {}, "documents": {}, "entries": 0}))
    got = cache.load_book(ledger)
    assert not getattr(got, "cache_hit", False) and _total(got) == truth
    assert getattr(cache.load_book(ledger), "cache_hit", False)   # its own entry: a hit


def test_a_cache_folder_writable_by_others_is_refused_with_one_warning(
        ledger, tmp_path, monkeypatch, capsys):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "CACHEDIR.TAG").write_text("planted")
    shared.chmod(0o777)
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(shared))
    truth = _total(cache.load_book(ledger, use_cache=False))
    for _ in range(2):
        book = cache.load_book(ledger)
        assert _total(book) == truth and not getattr(book, "cache_hit", False)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "writable by group or others" in err[0] and \
        "running without the cache" in err[0]
    assert sorted(p.name for p in shared.iterdir()) == ["CACHEDIR.TAG"]


def test_a_cache_folder_of_another_user_is_refused(ledger, tmp_path, monkeypatch, capsys):
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    (theirs / "CACHEDIR.TAG").write_text("x")
    try:
        os.chown(theirs, 65534, 65534)
    except PermissionError:
        pytest.skip("cannot give a folder to another user without root")
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(theirs))
    assert cache.cache_dir() is None
    assert "owned by another user" in capsys.readouterr().err


def test_an_existing_folder_keeps_the_users_own_files(ledger, tmp_path, monkeypatch, run_cli):
    """LEDGER_TOOL_CACHE naming a folder the cache did not make: it works in
    a subfolder it makes there, and never deletes the user's files, not even
    their own rates-* folders (the rate store's names)."""
    mine = tmp_path / "mine"
    (mine / "rates-2019").mkdir(parents=True)
    (mine / "rates-2019" / "march.csv").write_text("keep")
    (mine / "notes.meta").write_text("keep")
    monkeypatch.setenv("LEDGER_TOOL_CACHE", str(mine))
    assert run_cli("report", ledger, "--out", tmp_path / "r")[0] == 0
    assert run_cli("balance", ledger)[0] == 0
    cache.clear()
    assert (mine / "rates-2019" / "march.csv").read_text() == "keep"
    assert (mine / "notes.meta").read_text() == "keep"
    assert (mine / "ledger-tool-cache" / "CACHEDIR.TAG").is_file()


def _settled(monkeypatch, ledger):
    """The tables' identities kept in the sealed metadata (they are quiet)."""
    import ledger.cachedir as cachedir

    monkeypatch.setattr(cachedir, "QUIET_NS", 50_000_000)
    first = cache.load_book(ledger)
    time.sleep(0.1)
    assert cache.load_book(ledger).cache_hit
    meta = cache._read_meta(cache.cache_dir(), cache._slot(ledger))
    assert sorted(meta["tables"]) == sorted(cache._TABLES)
    return first


def test_quiet_tables_are_checked_once_not_hashed_on_every_hit(ledger, monkeypatch):
    """A hit hashes the (small) sealed metadata only; the memory-mapped
    tables whose identity the metadata keeps are not hashed again."""
    import ledger.cachedir as cachedir

    first = _settled(monkeypatch, ledger)
    hashed = []
    real = cachedir._mac
    monkeypatch.setattr(cachedir, "_mac", lambda f, name, data: hashed.append(name)
                        or real(f, name, data))
    warm = cache.load_book(ledger)
    assert warm.cache_hit and _total(warm) == _total(first)
    assert [n for n in hashed if n.endswith(".arrow")] == [], hashed


def test_a_table_altered_in_place_after_its_check_is_a_miss(ledger, tmp_path, monkeypatch):
    """Bytes changed in place, size and mtime restored: the ctime moved, so
    the kept identity no longer stands for the bytes; the seal decides."""
    first = _settled(monkeypatch, ledger)
    (table,) = (tmp_path / "cache").glob("*.entries.arrow")
    st = os.stat(table)
    data = bytearray(table.read_bytes())
    data[len(data) // 2] ^= 0xFF
    time.sleep(0.01)
    with open(table, "r+b") as fh:
        fh.write(data)
    os.utime(table, ns=(st.st_atime_ns, st.st_mtime_ns))
    got = cache.load_book(ledger)
    assert not getattr(got, "cache_hit", False) and _total(got) == _total(first)
