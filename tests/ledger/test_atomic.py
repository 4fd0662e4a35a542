"""Atomic writes: the file is replaced whole or not at all, with ordinary permissions."""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ledger.atomic import UnsafeWrite, atomic_file, write_atomic, write_new


def test_new_file_gets_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644


def test_existing_mode_is_kept(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("old")
    p.chmod(0o640)
    write_atomic(p, "new")
    assert p.read_text() == "new" and stat.S_IMODE(p.stat().st_mode) == 0o640


def test_failure_leaves_old_file_and_no_temp(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_file(p) as fh:
            fh.write(b"half")
            raise RuntimeError("boom")
    assert p.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["a.txt"]


# ---------------------------------------------------------------- links

def test_a_target_link_leading_out_is_refused_and_its_target_kept(tmp_path):
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir(), outside.mkdir()
    (outside / "victim").write_text("keep")
    (inside / "f").symlink_to(outside / "victim")
    with pytest.raises(UnsafeWrite, match="outside"):
        write_atomic(inside / "f", "new", inside=inside)
    assert (outside / "victim").read_text() == "keep" and (inside / "f").is_symlink()
    # without ``inside``: the link's own folder bounds it
    with pytest.raises(UnsafeWrite, match="outside"):
        write_atomic(inside / "f", "new")
    assert (outside / "victim").read_text() == "keep"


def test_a_dangling_link_is_never_written_through(tmp_path):
    (tmp_path / "in").mkdir()
    for target in (tmp_path / "planted", tmp_path / "in" / "planted"):
        link = tmp_path / "in" / "f"
        link.unlink(missing_ok=True)
        link.symlink_to(target)
        with pytest.raises(UnsafeWrite, match="which does not exist"):
            write_atomic(link, "new", inside=tmp_path / "in")
        assert not target.exists()
    # a dangling link as a folder on the way: no folder made at its target
    (tmp_path / "in" / "d").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafeWrite, match="which does not exist"):
        write_atomic(tmp_path / "in" / "d" / "x.txt", "new")
    assert not (tmp_path / "elsewhere").exists()


def test_a_link_inside_is_written_through_and_stays_a_link(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "real.toml").write_text("old")
    (tmp_path / "j.toml").symlink_to("data/real.toml")
    write_atomic(tmp_path / "j.toml", "new", inside=tmp_path)
    assert (tmp_path / "j.toml").is_symlink() and (tmp_path / "data" / "real.toml").read_text() == "new"


def test_a_link_loop_is_one_refusal(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    for p in (tmp_path / "a", tmp_path / "a" / "x"):
        with pytest.raises(UnsafeWrite):
            write_atomic(p, "new")


def test_a_folder_swapped_for_a_link_during_the_write_is_refused(tmp_path, monkeypatch):
    """The race: the folder is checked, then swapped for a link leading out
    before it is opened: O_NOFOLLOW on each component refuses it."""
    import ledger.atomic as atomic

    (tmp_path / "book").mkdir()
    (tmp_path / "outside").mkdir()
    real = atomic._target

    def swap_after_check(path, inside):
        got = real(path, inside)
        (tmp_path / "book").rename(tmp_path / "moved")
        (tmp_path / "book").symlink_to(tmp_path / "outside")
        return got
    monkeypatch.setattr(atomic, "_target", swap_after_check)
    with pytest.raises(UnsafeWrite, match="symbolic link"):
        write_atomic(tmp_path / "book" / "j.toml", "new", inside=tmp_path / "book")
    assert list((tmp_path / "outside").iterdir()) == []


def test_temp_names_stay_under_255_bytes(tmp_path):
    for name in ("a" * 255, "é" * 125 + ".csv"):
        assert len(name.encode()) <= 255
        write_atomic(tmp_path / name, "x")
        assert (tmp_path / name).read_text() == "x"
        assert len(write_new(tmp_path / name, "y").name.encode()) <= 255
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_error_names_the_users_file_not_the_temporary_one(tmp_path, monkeypatch):
    import ledger.atomic as atomic

    def full(src, dst, **kw):
        raise OSError(28, "No space left on device", src, dst)
    monkeypatch.setattr(atomic.os, "replace", full)
    with pytest.raises(OSError) as err:
        write_atomic(tmp_path / "x.csv", "x")
    assert err.value.filename == str(tmp_path / "x.csv") and ".tmp" not in str(err.value)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []     # the temporary file is gone too


def test_sources_add_errors_name_the_users_file(run_cli, tmp_path, monkeypatch):
    """A copy into the archive that fails names the document, not
    '.doc.txt.1a2b3c4d.tmp'."""
    assert run_cli("init", tmp_path / "book")[0] == 0
    doc = tmp_path / "doc.txt"
    doc.write_text("The UK will pay £5m.")

    def full(fd):     # the disk fills as the temporary copy is flushed
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run_cli("sources", "add", doc, "--ledger", tmp_path / "book", "--sources",
                           tmp_path / "book" / "sources", "--title", "T", "--publisher", "P",
                           "--published", "2015-01-01")
    assert code == 1 and str(doc) in err and ".tmp" not in err, err
    assert len(err.strip().splitlines()) == 1


# -------------------------------------------- property: link layouts, every command
SECRET = "h1-secret-7f3a"     # in every file outside: never read into an output
SLOTS = {   # where a link is planted -> what is normally there
    "journal": "book/pledges.toml",
    "sources.toml": "book/sources.toml",
    "ledger.toml": "book/ledger.toml",
    "copy": "book/sources/doc.txt",
    "rendering": "book/sources/page.html.txt",
    "archive": "book/sources",
    "report": "out/r",
    "export": "out/x.csv",
    "new ledger": "out/new",
}
KINDS = ("inside", "outside", "dangling-out", "dangling-in", "loop", "swapped")
COMMANDS = {
    "report": ["report", "book", "--out", "out/r", "--force"],
    "export": ["export", "book", "-o", "out/x.csv", "--to", "csv", "--force"],
    "import": ["import", "t.csv", "-o", "book/pledges.toml"],
    "add": ["add", "book", "--id", "h1-new", "--date", "2015-02-01", "--funder", "UK",
            "--purpose", "Security", "--amount", "£1m"],
    "sources add": ["sources", "add", "doc.txt", "--ledger", "book", "--sources",
                    "book/sources", "--title", "T", "--publisher", "P", "--published",
                    "2015-01-01"],
    "sources add page": ["sources", "add", "page.html", "--ledger", "book", "--sources",
                         "book/sources", "--title", "T", "--publisher", "P", "--published",
                         "2015-01-01"],
    "init": ["init", "out/new"],
}


def _workspace(w: Path, example: Path, links: dict) -> None:
    shutil.copytree(example, w / "book")
    (w / "book" / "sources").mkdir()
    (w / "out").mkdir()
    outside = w / "outside"
    outside.mkdir()
    (w / "doc.txt").write_text("The UK will pay £5m for fences.\n")
    (w / "page.html").write_text("<html><body><p>The UK pays £3m.</p></body></html>\n")
    (w / "t.csv").write_text("date,funder,purpose,amount\n2015-01-01,UK,Security,£1m\n")
    for slot, kind in links.items():
        if "archive" in links and slot in ("copy", "rendering"):
            continue     # inside the archive folder, itself a link here
        p = w / SLOTS[slot]
        was_folder = p.is_dir()
        if kind == "swapped":   # a link only once checked: see _swap_after_the_check
            continue
        if kind == "inside":
            keep = w / "book" / "data" / p.name
            keep.parent.mkdir(exist_ok=True)
            if p.exists():
                p.rename(keep)
            elif was_folder:
                keep.mkdir()
            else:
                keep.write_text("")
            target = keep
        elif kind == "outside":
            target = _outside_target(w, slot, was_folder)
        elif kind == "dangling-out":
            target = outside / f"missing-{slot}"
        elif kind == "dangling-in":
            target = w / "book" / f"missing-{slot}"
        else:
            target = p
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        elif p.exists() or p.is_symlink():
            p.unlink()
        p.symlink_to(target)


def _outside_target(w: Path, slot: str, was_folder: bool) -> Path:
    target = w / "outside" / f"{slot}-target"
    if was_folder or slot in ("report", "new ledger"):
        target.mkdir()
        (target / "summary.csv").write_text(f"{SECRET}\n")
    elif slot in ("journal", "ledger.toml", "sources.toml"):
        target.write_text(f'[[entry]]\nid = "{SECRET}"\ndate = 2015-01-01\n'
                          f'funder = "UK"\npurpose = "X"\namount = "£9m"\n')
    else:
        target.write_text(f"{SECRET}\n")
    return target


@contextlib.contextmanager
def _swap_after_the_check(w: Path, slots: list):
    """The race: each slot (file or folder) is swapped for a link leading out
    just after ledger-tool checked a path at or under it (a write's target
    or folder, a read's confinement), before it is opened."""
    import ledger.atomic as atomic
    import ledger.safe_io as safe_io

    todo = {Path(os.path.abspath(w / SLOTS[s])): s for s in slots}

    def swap(path) -> None:
        here = Path(os.path.abspath(path))
        for p, slot in list(todo.items()):
            if here == p or here.is_relative_to(p):
                del todo[p]
                was_folder = p.is_dir()
                if p.exists() or p.is_symlink():
                    p.rename(w / f"swapped-{slot.replace(' ', '-')}")
                p.symlink_to(_outside_target(w, slot, was_folder))

    real_target, real_folder_of, real_confine = atomic._target, atomic._folder_of, safe_io.confine

    def target(path, inside):
        got = real_target(path, inside)
        swap(path)
        return got

    def folder_of(path, inside):
        got = real_folder_of(path, inside)
        swap(path)
        return got

    def confine(path, root, what="file"):
        got = real_confine(path, root, what)
        swap(path)
        return got
    atomic._target, atomic._folder_of, safe_io.confine = target, folder_of, confine
    try:
        yield
    finally:
        atomic._target, atomic._folder_of, safe_io.confine = (real_target, real_folder_of,
                                                              real_confine)


def _snapshot(folder: Path) -> dict:
    got = {}
    for dirpath, dirs, files in os.walk(folder):
        for n in dirs + files:
            p = Path(dirpath) / n
            got[str(p.relative_to(folder))] = (p.read_bytes() if p.is_file() and not p.is_symlink()
                                               else os.readlink(p) if p.is_symlink() else "dir")
    return got


def _texts(w: Path):
    for dirpath, _, files in os.walk(w):
        if Path(dirpath).is_relative_to(w / "outside"):
            continue
        for n in files:
            p = Path(dirpath) / n
            if p.is_file() and not p.is_symlink():
                yield p, p.read_bytes()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
# the layouts the tester found, always tried
@example(command="sources add", links={"copy": "dangling-out"})
@example(command="sources add page", links={"rendering": "dangling-out"})
@example(command="sources add", links={"sources.toml": "outside"})
@example(command="sources add", links={"archive": "outside"})
@example(command="import", links={"journal": "outside"})
@example(command="add", links={"journal": "outside"})
@example(command="export", links={"export": "outside"})
@example(command="report", links={"report": "outside", "ledger.toml": "loop"})
@example(command="init", links={"new ledger": "dangling-out"})
@example(command="sources add", links={"copy": "swapped"})
@example(command="add", links={"journal": "swapped"})
@example(command="report", links={"journal": "swapped", "report": "swapped"})
@example(command="import", links={"journal": "swapped"})
@example(command="export", links={"export": "swapped"})
@example(command="sources add", links={"archive": "swapped"})
@example(command="sources add page", links={"archive": "swapped"})
@given(command=st.sampled_from(sorted(COMMANDS)),
       links=st.dictionaries(st.sampled_from(sorted(SLOTS)), st.sampled_from(KINDS),
                             min_size=1, max_size=3))
def test_no_command_reads_or_writes_outside_through_links(command, links, example_ledger,
                                                         tmp_path_factory):
    """Whatever links (inside, outside, dangling either way, loops) stand for
    the journal, sources.toml, archive copies, the archive folder or the
    output: the files outside are untouched, none is created there, their
    text never reaches an output, and the command ends in one line, never a
    traceback or a temporary file left behind."""
    from ledger_tool.cli import main

    w = tmp_path_factory.mktemp("links")
    _workspace(w, example_ledger, links)
    swapped = [s for s, k in links.items() if k == "swapped"
               and not ("archive" in links and s in ("copy", "rendering"))]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(w), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            _swap_after_the_check(w, swapped):
        before = _snapshot(w / "outside")   # the swapped-in targets are made at the swap
        code = main(COMMANDS[command])
    err = err.getvalue()
    assert code in (0, 1), err
    assert "Traceback" not in err and "Error:" not in err.replace("error:", ""), err
    after = _snapshot(w / "outside")
    if swapped:   # a target made at a swap holds only what it was made with
        scratch = tmp_path_factory.mktemp("expected")
        (scratch / "outside").mkdir()
        for slot in swapped:
            _outside_target(scratch, slot, slot == "archive")
        expected = _snapshot(scratch / "outside")
        for k in [k for k in after if k.split("/")[0] in {f"{s}-target" for s in swapped}]:
            assert after.pop(k) == expected[k], k
    assert after == before
    assert SECRET not in out.getvalue()
    for p, data in _texts(w):
        assert SECRET.encode() not in data, p
        assert not re.fullmatch(r"\..*\.[0-9a-f]{8}\.(tmp|old)", p.name), p


def test_writes_below_an_open_folder_never_follow_a_link(tmp_path):
    """write_atomic_at: the archive's copies are written below its open
    descriptor; a link in the way (a subfolder or the file) is refused or
    replaced, never followed, whatever is swapped in for the archive after."""
    from ledger.atomic import UnsafeWrite, open_folder, write_atomic_at

    archive, outside = tmp_path / "archive", tmp_path / "outside"
    archive.mkdir()
    outside.mkdir()
    fd = open_folder(archive)
    try:
        archive.rename(tmp_path / "moved")          # the archive swapped for a link out
        archive.symlink_to(outside)
        write_atomic_at(fd, "doc.txt", "copy")
        (tmp_path / "moved" / "sub").symlink_to(outside)
        with pytest.raises(UnsafeWrite):
            write_atomic_at(fd, "sub/doc.txt", "copy")
        (tmp_path / "moved" / "link.txt").symlink_to(outside / "planted.txt")
        write_atomic_at(fd, "link.txt", "copy")     # the link itself is replaced
        with pytest.raises(UnsafeWrite):
            write_atomic_at(fd, "../doc.txt", "copy")
    finally:
        os.close(fd)
    assert list(outside.iterdir()) == []
    assert (tmp_path / "moved" / "doc.txt").read_text() == "copy"
    assert not (tmp_path / "moved" / "link.txt").is_symlink()


def test_ctrl_c_held_raises_at_the_end_of_the_block_not_inside():
    """A Ctrl-C inside the block (whichever thread the kernel gave it to)
    lets the block finish, then is raised; the handler is restored."""
    import signal

    from ledger.atomic import ctrl_c_held

    # as a command runs: Python's own handler (an earlier test or library in this
    # process may have left another one)
    outer = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        before = signal.getsignal(signal.SIGINT)
        done = []
        with pytest.raises(KeyboardInterrupt):
            with ctrl_c_held():
                os.kill(os.getpid(), signal.SIGINT)
                done.append("after the signal")
        assert done == ["after the signal"] and signal.getsignal(signal.SIGINT) is before
    finally:
        signal.signal(signal.SIGINT, outer)
    with ctrl_c_held():   # nothing held: nothing raised
        done.append("quiet")
