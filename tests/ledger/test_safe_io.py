"""Hostile files and paths (ledger/safe_io.py and the readers that use it):
nothing read outside its folder, no hang on a FIFO or device, no crash on
deep nesting, a size cap with a clear message.  See docs/guarantees.md."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.safe_io import UnsafeFile, check_file, confine, nesting_depth, read_bytes
from tests.conftest import REPO


ENTRY = """\
[[entry]]
id = "e1"
date = 2015-01-01
funder = "UK"
purpose = "P"
amount = "£1 million"
"""


def run_tool(*args, timeout=60, env=None):
    """``python -m ledger_tool ARGS`` as a process: a crash or a hang shows as
    a signal or a timeout, which no in-process test can catch."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "LEDGER_TOOL_CACHE": "off", **(env or {})}
    return subprocess.run([sys.executable, "-m", "ledger_tool", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, env=full_env)


# ------------------------------------------------------------ deep nesting
@pytest.mark.parametrize("value", ["[" * 7000 + "]" * 7000,
                                   "[0," * 7000 + "]" * 7000,
                                   "{a=" * 7000 + "1" + "}" * 7000])
def test_deep_nesting_is_an_error_not_a_segfault(tmp_path, value):
    book = tmp_path / "book"
    book.mkdir()
    (book / "a.toml").write_text(ENTRY + f"x = {value}\n", encoding="utf-8")
    got = run_tool("check", book)
    assert got.returncode == 1, (got.returncode, got.stderr[-500:])
    assert "nested 7000 deep" in got.stderr and "a.toml:7" in got.stderr
    assert "Traceback" not in got.stderr


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(depth=st.integers(3_000, 40_000),
       unit=st.sampled_from([("[", "]"), ("[0,", "]"), ("{a=", "}"), ('["]",', "]"),
                             ("[ # ]]]\n", "]"), ("[{b=[", "]}]")]),
       where=st.sampled_from(["entry", "document", "top"]))
def test_no_nesting_crashes_any_command(tmp_path_factory, depth, unit, where):
    """Property (in a subprocess, where a native crash shows as a signal):
    however deep and in whatever bracket style a journal nests, with brackets
    in strings and comments around it, check answers with one error."""
    book = tmp_path_factory.mktemp("deep")
    opening, closing = unit
    value = opening * (depth // len(unit[0]) + 1) + "1" + closing * (depth // len(unit[0]) + 1)
    head = {"entry": ENTRY + "notes = ", "document": '[[document]]\nid = "d"\ntitle = ',
            "top": "x = "}[where]
    (book / "a.toml").write_text(head + value + "\n", encoding="utf-8")
    got = run_tool("check", book)
    assert got.returncode == 1, (got.returncode, got.stderr[-300:])
    assert "nested" in got.stderr and "Traceback" not in got.stderr


def _true_depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((_true_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_true_depth(v) for v in value.values()), default=0)
    return 0


_leaf = st.one_of(st.integers(-5, 5),
                  st.text(alphabet="[]{}#'\"\\ab\n", max_size=6))
_value = st.recursive(_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("abc"), inner, max_size=2)),
    max_leaves=40)


def _toml(value, multiline: bool) -> str:
    if isinstance(value, list):
        sep = ",\n" if multiline else ", "
        return "[" + sep.join(_toml(v, multiline) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml(v, False)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        import json
        return json.dumps(value)       # a TOML basic string: brackets, quotes, '#' escaped
    return str(value)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_value, multiline=st.booleans(), limit=st.integers(1, 6))
def test_nesting_check_agrees_with_the_parser(value, multiline, limit):
    """Property: for any TOML value (strings full of brackets, quotes and
    '#'), the check refuses exactly the texts nested deeper than the limit."""
    text = f"x = {_toml({'v': value} if False else value, multiline)}\n"
    parsed = tomllib.loads(text)["x"]              # the text is valid TOML
    depth = _true_depth(parsed)
    got = nesting_depth(text, limit)
    assert (got is not None) == (depth > limit), (text, depth, got)
    if got is not None:
        assert got[0] == depth


def test_nesting_check_is_cheap_on_a_real_journal(example_ledger):
    text = (example_ledger / "pledges.toml").read_text(encoding="utf-8")
    assert nesting_depth(text, 2) is None and nesting_depth(text, 1) is not None


# ------------------------------------------------------------ file types
def _ledger_with(tmp_path, name: str, make) -> Path:
    book = tmp_path / "book"
    book.mkdir()
    (book / "a.toml").write_text(ENTRY, encoding="utf-8")
    make(book / name)
    return book


def test_fifo_in_a_ledger_folder_does_not_hang_check(tmp_path):
    book = _ledger_with(tmp_path, "b.toml", os.mkfifo)
    got = run_tool("check", book, timeout=60)
    assert got.returncode == 1
    assert "b.toml: error: is a FIFO (named pipe), not a regular file" in got.stderr


def test_dev_zero_symlink_in_a_ledger_folder_is_refused(tmp_path):
    book = _ledger_with(tmp_path, "z.toml", lambda p: p.symlink_to("/dev/zero"))
    got = run_tool("check", book, timeout=60)
    assert got.returncode == 1
    assert "z.toml: error: a symbolic link to /dev/zero, outside" in got.stderr


def test_dev_zero_named_directly_is_refused_without_reading(tmp_path):
    got = run_tool("check", "/dev/zero", timeout=60)
    assert got.returncode == 1
    assert "/dev/zero: error: is a character device, not a regular file" in got.stderr


def test_symlink_inside_the_ledger_folder_is_read(tmp_path):
    book = tmp_path / "book"
    (book / "real").mkdir(parents=True)
    (book / "real" / "x.txt").write_text(ENTRY, encoding="utf-8")
    (book / "a.toml").symlink_to(book / "real" / "x.txt")
    got = run_tool("check", book)
    assert got.returncode == 0, got.stderr
    assert "1 entries" in got.stdout


def test_size_cap_is_configurable_and_named(tmp_path):
    book = _ledger_with(tmp_path, "big.toml",
                        lambda p: p.write_text(ENTRY.replace("e1", "e2") + "#" * 5000))
    got = run_tool("check", book, env={"LEDGER_TOOL_MAX_FILE_SIZE": "4K"})
    assert got.returncode == 1
    assert "big.toml: error: 5 KiB, more than the 4 KiB limit for one journal file " \
           "(set LEDGER_TOOL_MAX_FILE_SIZE to raise it)" in got.stderr
    assert run_tool("check", book, env={"LEDGER_TOOL_MAX_FILE_SIZE": "1M"}).returncode == 0


@pytest.mark.parametrize("size", ["lots", "9" * 5000])
def test_a_size_cap_that_is_not_a_size_is_refused_in_one_line(tmp_path, size):
    book = _ledger_with(tmp_path, "a.toml", lambda p: p.write_text(ENTRY))
    got = run_tool("check", book, env={"LEDGER_TOOL_MAX_FILE_SIZE": size})
    assert got.returncode == 1 and "Traceback" not in got.stderr
    assert "LEDGER_TOOL_MAX_FILE_SIZE=" in got.stderr and \
        "give a size in bytes, or like 500M or 2G" in got.stderr


# ------------------------------------------------------------ the fuzz target
KINDS = ["regular", "fifo", "device", "symlink-in", "symlink-out", "missing", "folder",
         "socket", "dangling", "dotdot"]


def _make(kind: str, root: Path, outside: Path) -> Path:
    p = root / "f.toml"
    if kind == "regular":
        p.write_text(ENTRY)
    elif kind == "fifo":
        os.mkfifo(p)
    elif kind == "device":
        p.symlink_to("/dev/null")
    elif kind == "symlink-in":
        (root / "real.txt").write_text(ENTRY)
        p.symlink_to(root / "real.txt")
    elif kind == "symlink-out":
        p.symlink_to(outside)
    elif kind == "folder":
        p.mkdir()
    elif kind == "socket":
        import socket
        s = socket.socket(socket.AF_UNIX)
        s.bind(str(p))
        s.close()
    elif kind == "dangling":
        p.symlink_to(root / "nothing-here")
    elif kind == "dotdot":
        p = root / ".." / outside.name
    return p


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), confined=st.booleans(), cap=st.sampled_from([10, 1 << 20]))
def test_fuzz_paths_and_file_types(tmp_path_factory, kind, confined, cap):
    """Property: whatever a path names, ``read_bytes`` returns the bytes of a
    regular file inside its folder and within the cap, or raises
    ``UnsafeFile`` naming the path; it never hangs or reads anything else."""
    base = tmp_path_factory.mktemp("fuzz")
    root = base / "root"
    root.mkdir()
    outside = base / "secret.txt"
    outside.write_text("secret")
    p = _make(kind, root, outside)
    inside = root if confined else None
    readable = kind in ("regular", "symlink-in") or (kind in ("symlink-out", "dotdot")
                                                     and not confined)
    fits = readable and p.stat().st_size <= cap
    try:
        data = read_bytes(p, inside=inside, limit=cap)
    except UnsafeFile as err:
        assert not fits, (kind, confined, str(err))
        assert str(err).startswith(str(p)) or kind == "dotdot"
        assert "\n" not in str(err)
    else:
        assert fits, (kind, confined)
        assert data == Path(p).resolve().read_bytes()
        if confined:
            assert data != b"secret"


def test_check_file_names_each_kind(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(UnsafeFile, match="is a FIFO"):
        check_file(tmp_path / "fifo")
    with pytest.raises(UnsafeFile, match="is a directory"):
        check_file(tmp_path)
    with pytest.raises(UnsafeFile, match="no such file"):
        check_file(tmp_path / "none")
    with pytest.raises(UnsafeFile, match="is a character device"):
        check_file("/dev/null")
    with pytest.raises(UnsafeFile, match="NUL"):
        check_file("a\x00b")
    with pytest.raises(UnsafeFile, match="outside"):
        confine(tmp_path / ".." / "x", tmp_path)
    assert stat.S_ISREG(check_file(__file__).st_mode)


# ------------------------------------------------------------ documents
def _doc_ledger(folder: Path, path: str) -> Path:
    import json
    f = folder / "book.toml"
    f.write_text(f'[[document]]\nid = "d1"\ntitle = "t"\npath = {json.dumps(path)}\n\n'
                 + ENTRY + '[[entry.source]]\ndoc = "d1"\nquote = "£1 million"\n',
                 encoding="utf-8")
    return f


@pytest.mark.parametrize("path", ["../../../../etc/passwd", "/etc/passwd", "a/../../x.txt",
                                  "C:/secret.txt", "a\x07.txt", "a\u202etxt.exe"])
def test_check_refuses_a_document_path_leaving_the_archive(tmp_path, run_cli, path):
    code, out, err = run_cli("check", _doc_ledger(tmp_path, path))
    assert code == 1
    assert f"error: document 'd1': path {path!r} " in err
    assert "unknown document" not in err


_PARTS = st.sampled_from(["..", ".", "docs", "a.txt", "secret.txt", "link", "out", "/", "//"])


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(_PARTS, min_size=1, max_size=6), absolute=st.booleans())
def test_no_document_is_read_from_outside_the_archive(tmp_path_factory, parts, absolute):
    """Property: whatever path a [[document]] gives ('..', absolute, through
    symlinks in and out), either ``check`` refuses it or the archive reads a
    file inside the archive, never the secret beside it."""
    from ledger.sources.archive import Archive
    from ledger.errors import LedgerError
    from ledger.read import read_book

    base = tmp_path_factory.mktemp("docs")
    archive = base / "archive"
    (archive / "docs").mkdir(parents=True)
    (archive / "docs" / "a.txt").write_text("£1 million")
    (archive / "a.txt").write_text("£1 million")
    (base / "secret.txt").write_text("SECRET £1 million")
    (archive / "link").symlink_to(base / "secret.txt")
    (archive / "docs" / "out").symlink_to(base)
    path = ("/" if absolute else "") + "/".join(parts)
    journal = read_book(_doc_ledger(base, path), use_cache=False)
    refused = [p for p in journal.problems if "document 'd1': path" in p.message]
    doc = journal.documents["d1"]
    try:
        text = Archive(archive).read(doc).text
    except LedgerError as err:
        assert "\n" not in str(err)
        return
    assert "SECRET" not in text, (path, refused)


def test_audit_does_not_read_a_fifo_or_a_symlink_out(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    (tmp_path / "secret.txt").write_text("root:x:0:0 £1 million")
    book = _doc_ledger(tmp_path, "doc.txt")
    for n, make in enumerate((os.mkfifo, lambda p: p.symlink_to(tmp_path / "secret.txt"),
                              lambda p: p.symlink_to("/dev/zero"))):
        target = archive / "doc.txt"
        if target.exists() or target.is_symlink():
            target.unlink()
        make(target)
        got = run_tool("audit", book, "--sources", archive, timeout=60)
        assert got.returncode == 1
        assert "root:x" not in got.stdout + got.stderr
        assert "document 'd1': " in got.stderr + got.stdout
        assert "Traceback" not in got.stderr
        got = run_tool("report", book, "--out", tmp_path / f"r{n}", "--sources", archive,
                       timeout=120)
        assert "root:x" not in got.stdout + got.stderr
        assert "document 'd1': " in got.stderr
        html = tmp_path / f"r{n}" / "report.html"
        assert "root:x" not in html.read_text(encoding="utf-8")


def test_sources_list_says_refused_for_a_fifo(tmp_path, run_cli):
    archive = tmp_path / "archive"
    archive.mkdir()
    os.mkfifo(archive / "doc.txt")
    code, out, err = run_cli("sources", "list", _doc_ledger(tmp_path, "doc.txt"),
                             "--sources", archive)
    assert "REFUSED: is a FIFO" in out


# ------------------------------------------------------------ add, mapping, draft
ADD = ["--id", "x-1", "--date", "2015-08-01", "--funder", "UK:Home Office", "--purpose",
       "Security:Calais port", "--amount", "£7m", "--source", "001_c33d2c2f8263bd4b",
       "--quote", "up to £7 million"]


def test_add_writes_through_a_symlinked_journal(tmp_path, example_ledger, run_cli):
    import shutil
    book = tmp_path / "book"
    shutil.copytree(example_ledger, book)
    (book / "data").mkdir()
    real = book / "data" / "pledges.txt"
    (book / "pledges.toml").rename(real)
    (book / "pledges.toml").symlink_to("data/pledges.txt")
    code, out, err = run_cli("add", book, *ADD)
    assert code == 0, err
    assert (book / "pledges.toml").is_symlink()
    assert 'id = "x-1"' in real.read_text(encoding="utf-8")


def test_add_refuses_a_journal_symlinked_outside_the_ledger(tmp_path, example_ledger, run_cli):
    import shutil
    book = tmp_path / "book"
    shutil.copytree(example_ledger, book)
    outside = tmp_path / "elsewhere.txt"
    (book / "pledges.toml").rename(outside)
    (book / "pledges.toml").symlink_to(outside)
    before = outside.read_bytes()
    code, out, err = run_cli("add", book, *ADD)
    assert code == 1
    assert "outside" in err and "pledges.toml" in err
    assert outside.read_bytes() == before


def test_import_mapping_fifo_and_deep_draft_are_one_line_errors(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("date,funder,purpose,amount\n2015-01-01,UK,P,£1m\n")
    os.mkfifo(tmp_path / "map.toml")
    got = run_tool("import", table, "-o", tmp_path / "out.toml", "--map", tmp_path / "map.toml")
    assert got.returncode == 1 and "map.toml: is a FIFO" in got.stderr
    assert "Traceback" not in got.stderr
    draft = tmp_path / "draft.toml"
    draft.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    got = run_tool("add", tmp_path, "--from-extract", draft, "--date", "2015-01-01",
                   "--funder", "UK", "--purpose", "P")
    assert got.returncode == 1 and "nested 5000 deep" in got.stderr
    assert "Traceback" not in got.stderr


# ------------------------------------------------------------ every command, every kind
class Hang(Exception):
    pass


def _in_time(seconds, fn):
    import signal

    def fire(signum, frame):
        raise Hang(f"no answer within {seconds} s")
    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


CONTENT = {".toml": ENTRY, ".csv": "date,funder,purpose,amount\n2015-01-01,UK,P,£1m\n",
           "rates": "date,from,to,rate,source\n2015-01-01,GBP,EUR,1.3,test\n",
           "map": '[columns]\nfunder = "funder"\n'}
COMMANDS = {
    "check": (".toml", lambda p, t: ["check", p]),
    "list": (".toml", lambda p, t: ["list", p]),
    "export": (".toml", lambda p, t: ["export", p, "-o", t / "x.csv"]),
    "import": (".csv", lambda p, t: ["import", p, "-o", t / "o.toml"]),
    "import --map": ("map", lambda p, t: ["import", t / "good.csv", "-o", t / "o.toml",
                                          "--map", p]),
    "rates --rates": ("rates", lambda p, t: ["rates", "convert", "1", "GBP", "EUR", "--date",
                                              "2015-01-01", "--rates", p]),
    "extract": (".txt", lambda p, t: ["extract", p]),
}


@settings(max_examples=70, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(command=st.sampled_from(sorted(COMMANDS)), kind=st.sampled_from(KINDS))
def test_fuzz_every_reader_over_file_types(tmp_path_factory, capsys, command, kind):
    """Property: whatever kind of file a command is given to read (regular,
    FIFO, device, symlink in or out, missing, folder, socket, dangling link,
    '..'), it answers in time with exit 0 or 1 and at most one line per
    problem: no hang, no traceback, nothing read from a device."""
    from ledger_tool.cli import main

    t = tmp_path_factory.mktemp("cmd")
    suffix, argv = COMMANDS[command]
    (t / "good.csv").write_text(CONTENT[".csv"])
    root = t / "root"
    root.mkdir()
    outside = t / "outside.txt"
    outside.write_text(CONTENT.get(suffix, "£1 million pledged"))
    p = _make(kind, root, outside)
    if kind in ("regular", "symlink-in"):
        p.resolve().write_text(CONTENT.get(suffix, "£1 million pledged"))
    name = p.with_name("f" + (suffix if suffix.startswith(".") else ".csv"))
    if name != p and (p.exists() or p.is_symlink()) and kind != "dotdot":
        p.rename(name)
        p = name
    code = _in_time(30, lambda: main([str(a) for a in argv(p, t)]))
    out, err = capsys.readouterr()
    assert code in (0, 1), (command, kind, code, err)
    assert "Traceback" not in err
    if kind in ("fifo", "device", "folder", "socket", "missing", "dangling"):
        assert code == 1, (command, kind, out, err)


# ------------------------------------------------------------ zip (XLSX) bombs
def _xlsx_bomb(path: Path, unpacked: int) -> Path:
    """A workbook-shaped zip whose one sheet unpacks to ``unpacked`` bytes of
    spaces (deflate packs that about 1,000 to 1)."""
    import zipfile
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b" " * (1 << 20)
            for _ in range(unpacked >> 20):
                member.write(block)
    return path


def test_an_xlsx_compression_bomb_is_refused_before_it_is_unpacked(tmp_path):
    from ledger.safe_io import BOMB_FLOOR, check_zip
    bomb = _xlsx_bomb(tmp_path / "bomb.xlsx", BOMB_FLOOR + (16 << 20))
    data = bomb.read_bytes()
    assert len(data) < 1 << 20          # packed small ...
    with pytest.raises(UnsafeFile, match=r"sheet1\.xml.*compression bomb"):
        check_zip(data, bomb)
    r = run_tool("import", str(bomb), "-o", str(tmp_path / "out.toml"))
    assert r.returncode == 1
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bomb) in lines[0] and "compression bomb" in lines[0], r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out.toml").exists()


def test_an_xlsx_unpacking_past_the_size_cap_is_refused(tmp_path):
    bomb = _xlsx_bomb(tmp_path / "big.xlsx", 8 << 20)     # 8 MiB unpacked, ratio under the floor
    r = run_tool("import", str(bomb), "-o", str(tmp_path / "out.toml"),
                 env={"LEDGER_TOOL_MAX_FILE_SIZE": "4M"})
    assert r.returncode == 1
    import zipfile

    from ledger.safe_io import _size
    unpacked = sum(i.file_size for i in zipfile.ZipFile(bomb).infolist())
    assert f"unpacks to {_size(unpacked)}, over the {_size(4 << 20)} limit" in r.stderr, r.stderr
    assert "LEDGER_TOOL_MAX_FILE_SIZE" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_a_real_workbook_passes_the_zip_check(tmp_path):
    import openpyxl

    from ledger.safe_io import check_zip
    wb = openpyxl.Workbook()
    wb.active.append(["id", "amount"])
    wb.save(tmp_path / "ok.xlsx")
    check_zip((tmp_path / "ok.xlsx").read_bytes(), tmp_path / "ok.xlsx")   # no exception


# ------------------------------------------------------------ swapped after the check
@pytest.mark.parametrize("swap", ["file", "folder"])
def test_audit_never_reads_a_document_swapped_for_a_link_after_the_check(
        tmp_path, run_cli, monkeypatch, swap):
    """The race: the archived document (or its folder) passes the check, then
    is swapped for a link to a file outside the archive before it is opened.
    The descriptor-relative, O_NOFOLLOW open and the fstat == lstat check
    refuse it in one line; the outside file is never printed."""
    import ledger.safe_io as safe_io

    archive = tmp_path / "archive"
    (archive / "docs").mkdir(parents=True)
    (archive / "docs" / "doc.txt").write_text("The UK pledged £1 million.")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "doc.txt").write_text("root:x:0:0 £1 million")
    book = _doc_ledger(tmp_path, "docs/doc.txt")
    real_confine = safe_io.confine
    swapped = []

    def check_then_swap(path, *a, **kw):
        st = real_confine(path, *a, **kw)
        # the last check before the open: checked, not yet opened
        opening = sys._getframe(1).f_code.co_name == "open_checked"
        if opening and Path(path).name == "doc.txt" and not swapped:
            swapped.append(path)
            if swap == "file":
                (archive / "docs" / "doc.txt").rename(archive / "moved.txt")
                (archive / "docs" / "doc.txt").symlink_to(tmp_path / "outside" / "doc.txt")
            else:
                (archive / "docs").rename(archive / "moved")
                (archive / "docs").symlink_to(tmp_path / "outside")
        return st
    monkeypatch.setattr(safe_io, "confine", check_then_swap)
    code, out, err = run_cli("audit", book, "--sources", archive)
    assert swapped and code == 1
    assert "root:x" not in out + err
    assert "changed while being opened" in out + err, out + err
    assert "Traceback" not in err
