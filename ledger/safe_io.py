"""Opening a user's file safely: the one place every reader goes through.

Inputs are hostile (docs/guarantees.md, "Hostile input").  Before a byte is
read, a path named by a journal, a command line or a folder listing is

- resolved, and confined to its folder when it must stay inside one (a
  document inside its source archive, a journal file inside its ledger
  folder): ``..``, absolute paths and symlinks leading out are refused;
- checked to be a regular file: a FIFO would hang the read, a device
  (``/dev/zero``) would fill memory, a socket or a folder cannot be read;
- checked against a size cap (``LEDGER_TOOL_MAX_FILE_SIZE``, default 1 GiB),
  and read no further than the cap even if the file grows meanwhile.

The file is opened non-blocking and checked again on the open descriptor, so
swapping the file for a FIFO between the check and the read does not hang.

``nesting_depth`` is the one nesting check run on TOML text before a native
parser sees it: toml_rs recurses once per level of ``[``/``{`` and overflows
its stack (a segmentation fault no Python handler can catch) at a few
thousand levels.
"""
from __future__ import annotations

import errno
import io
import os
import re
import stat
import tomllib
import zipfile
from pathlib import Path

from ledger.atomic import manifest_mismatch, open_folder, real_path
from ledger.errors import LedgerError
from ledger.model import one_line

__all__ = ["archive_parts", "unread_reason",
           "DEFAULT_ARCHIVE",
           "UnsafeFile", "journal_files", "max_bytes", "confine", "check_file", "open_checked", "read_bytes",
           "read_text", "load_toml", "guard_output", "nesting_depth", "check_nesting", "MAX_NESTING", "DEFAULT_MAX_BYTES", "SIZE_ENV"]

BULK_SUFFIXES = (".csv", ".parquet", ".pq")   # a bulk table ledger's file
DEFAULT_ARCHIVE = "sources"    # the archive folder a ledger names by default (init writes it)
OPTIONS_FILE = "ledger.toml"   # where init writes the [ledger] options
OPTIONS_MAX_BYTES = 1 << 20
HEAD_BYTES = 1 << 16     # of a bigger file, what tells a journal and its options
DEFAULT_MAX_BYTES = 1 << 30          # 1 GiB for any one file read
SIZE_ENV = "LEDGER_TOOL_MAX_FILE_SIZE"
# A journal needs two or three levels ([[entry]] headers, a list of
# restatements); 64 leaves room for any hand-written data and is far below
# the depth at which toml_rs overflows its stack (about 6,000 measured
# on an 8 MB main-thread stack; less on a smaller one).
MAX_NESTING = 64

_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20,
          "mb": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}


class UnsafeFile(LedgerError):
    """A path that is not read: outside its folder, not a regular file, too big
    or missing.  ``str(err)`` names the path and what is wrong."""

    def __init__(self, path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self):   # rebuilt whole when it crosses from an import's worker
        return type(self), (self.path, self.reason)


def journal_files(path: Path) -> list[Path]:
    """A ledger is one ``.toml`` file or a folder of them (searched recursively,
    hidden folders and the source archive skipped), read in name order."""
    if path.is_dir():
        archive = archive_parts(path)
        return sorted(p for p in path.rglob("*.toml")
                      if unread_reason(p.relative_to(path).parts, archive) is None)
    return [path]


def archive_parts(folder: Path, options: Path | None = None) -> tuple[str, ...] | None:
    """The source archive of the ledger folder ``folder`` as path parts below
    it: the ``archive`` option of its ``ledger.toml`` (where ``init`` writes
    the options), else ``sources``.  Its documents are not journal files,
    whatever their type: a ``.toml`` document archived there is not read as
    part of the ledger.  None when the archive is not a subfolder (``.``).
    ``options``: the file holding the [ledger] table instead, a one-file
    ledger's journal.  (A file over OPTIONS_MAX_BYTES is told from its head,
    ``_named_archive``; when even that cannot tell, the default.)"""
    return _archive(folder, options)[0]


def _archive(folder: Path, options: Path | None = None) -> tuple[tuple[str, ...] | None, bool]:
    """``archive_parts``, and whether the options could be read to tell."""
    named, known = _named_archive(folder / OPTIONS_FILE if options is None else options)
    name = named.strip() if isinstance(named, str) and named.strip() else DEFAULT_ARCHIVE
    parts = tuple(part for part in re.split(r"[/\\]+", name) if part not in ("", "."))
    if not parts or ".." in parts or os.path.isabs(name):
        return None, known
    return parts, known


_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.M)
# a line that may set [ledger] archive: the table's header, its key, a dotted ledger key
_SETS_ARCHIVE = re.compile(rb"""^[ \t]*(?:\[[ \t]*["']?ledger|["']?archive["']?[ \t]*="""
                           rb"""|["']?ledger["']?[ \t]*[.=])""", re.M)


def _named_archive(options: Path) -> tuple[object, bool]:
    """The ``archive`` value the [ledger] table of ``options`` holds (None when
    it holds none), and whether it could be told.  Only a regular file is
    read, non-blocking, and never one reporting no size (/proc's files, as a
    link to /proc/kmsg: reading would consume them).  A file over
    OPTIONS_MAX_BYTES (a big one-file journal) is not parsed whole: its
    first HEAD_BYTES, as ``ledger.read.folder.is_journal_head`` reads them
    (whole lines, else cut before a table header), are; untold when
    they do not parse, or hold no [ledger] archive while a line of the rest
    may set it (a [ledger] header, an ``archive`` key).  A broken small file: nothing named (the
    reader reports it)."""
    try:
        st = check_file(options, what="ledger options")
    except LedgerError:
        return None, True      # absent, or not readable: the reader reports it
    if st.st_size == 0:
        return None, True
    try:
        data = load_toml(options, what="ledger options") if st.st_size <= OPTIONS_MAX_BYTES \
            else _head_options(options)
        if data is None:
            return None, False
    except LedgerError:
        return None, True
    try:
        return data.get("ledger", {}).get("archive"), True
    except AttributeError:
        return None, True


def _head_options(options: Path) -> dict | None:
    """The whole tables in the first HEAD_BYTES of the big file
    ``options``, or None when they cannot tell its archive (see
    ``_named_archive``)."""
    fd = open_checked(options, what="ledger options")
    try:
        head = b""
        while len(head) < HEAD_BYTES and (block := os.read(fd, HEAD_BYTES - len(head))):
            head += block
        text = head.decode("utf-8-sig", "ignore")
        data, cut = None, 0
        # its whole lines, else cut before one of its last table headers
        cuts = [text.rfind("\n") + 1, *[m.start() for m in _TABLE_HEADER.finditer(text)][-8:]]
        for cut in sorted(set(cuts), reverse=True):
            whole = text[:cut]
            if nesting_depth(whole) is not None:
                return None
            try:
                data = tomllib.loads(whole)
                break
            except (tomllib.TOMLDecodeError, RecursionError, ValueError):
                continue    # cut inside a multi-line string or array: an earlier one
        if data is None:
            return None
        named = data.get("ledger")
        if isinstance(named, dict) and "archive" in named:
            return data
        # the rest (from the cut): no line that may set it, no option
        tail = head[len(text[:cut].encode("utf-8")):]
        while True:
            if _SETS_ARCHIVE.search(tail):
                return None
            block = os.read(fd, 1 << 24)
            if not block:
                return data
            tail = tail[tail.rfind(b"\n") + 1:][-4096:] + block    # a line cut between reads
    except OSError:
        return None
    finally:
        os.close(fd)


def unread_reason(rel: tuple[str, ...], archive: tuple[str, ...] | None) -> str | None:
    """Why the ledger reader skips the file at ``rel`` (path parts below the
    ledger folder), or None when it reads it: the one rule of what a ledger
    folder's journal files are, shared by the reader, ``add --file`` and
    ``import -o``."""
    if not rel or not rel[-1].endswith(".toml"):
        return "the ledger reads only *.toml files"
    if any(part.startswith(".") for part in rel):
        return "the ledger does not read hidden files or folders"
    if archive is not None and rel[:len(archive)] == archive and len(rel) > len(archive):
        return f"{'/'.join(archive)}/ is the ledger's source archive, which the ledger does not read"
    return None


def max_bytes() -> int:
    """The size cap for one file: ``$LEDGER_TOOL_MAX_FILE_SIZE`` (bytes, or
    with a unit: 500M, 2G), else 1 GiB."""
    text = os.environ.get(SIZE_ENV, "").strip().lower()
    if not text:
        return DEFAULT_MAX_BYTES
    m = re.fullmatch(r"(\d{1,18})\s*([a-z]*)", text)   # more digits: no int() of a huge string
    if not m or m.group(2) not in _UNITS:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise LedgerError(f"{SIZE_ENV}={shown!r}: give a size in bytes, or like 500M or 2G")
    return int(m.group(1)) * _UNITS[m.group(2)]


def _size(n: int) -> str:
    for unit, k in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= k:
            return f"{n / k:.1f} {unit}".replace(".0 ", " ")
    return f"{n} bytes"


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def confine(path: str | os.PathLike, root: str | os.PathLike, what: str = "file") -> Path:
    """``path`` resolved (symlinks followed); raises ``UnsafeFile`` unless it
    lies inside ``root`` (also resolved)."""
    p, r = Path(path), Path(root)
    try:
        real, real_root = p.resolve(), r.resolve()
    except (OSError, RuntimeError) as err:   # a symlink loop
        raise UnsafeFile(p, f"cannot resolve the path: {getattr(err, 'strerror', None) or err}") from None
    if real != real_root and not real.is_relative_to(real_root):
        how = "a symbolic link to " if p.is_symlink() else "resolves to "
        article = "an" if what[:1] in "aeiou" else "a"    # "an archived file"
        raise UnsafeFile(p, f"{how}{real}, outside {r}; {article} {what} must lie inside {r}")
    return real


def check_file(path: str | os.PathLike, *, inside: str | os.PathLike | None = None,
               what: str = "file", limit: int | None = None) -> os.stat_result:
    """Check without reading: (confined,) exists, a regular file, within the
    size cap.  Returns its ``stat``; raises ``UnsafeFile`` otherwise."""
    p = Path(path)
    if "\x00" in str(p):
        raise UnsafeFile(repr(str(p)), "a path cannot hold a NUL character")
    if inside is not None:
        confine(p, inside, what)
    try:
        st = p.stat()
    except FileNotFoundError:
        if p.is_symlink():
            raise UnsafeFile(p, f"a symbolic link to {os.readlink(p)!r}, which does not exist") from None
        raise UnsafeFile(p, "no such file") from None
    except OSError as err:
        raise UnsafeFile(p, f"cannot read: {err.strerror or err}") from None
    _check_stat(p, st, what, limit)
    return st


def _check_stat(p: Path, st: os.stat_result, what: str, limit: int | None) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeFile(p, f"is {_kind(st.st_mode)}, not a regular file; "
                            f"ledger-tool reads a {what} only from a regular file")
    cap = max_bytes() if limit is None else limit
    if st.st_size > cap:
        raise UnsafeFile(p, f"{_size(st.st_size)}, more than the {_size(cap)} limit for one "
                            f"{what} (set {SIZE_ENV} to raise it)")


def open_checked(path: str | os.PathLike, *, inside: str | os.PathLike | None = None,
                 what: str = "file", limit: int | None = None) -> int:
    """A read-only descriptor of the file ``check_file`` checked, and no other.

    Opened non-blocking, then checked again on the descriptor (regular, within
    the cap, the same device and inode as checked).  Confined (``inside``):
    the file's real folder is opened from ``/`` one component at a time with
    O_NOFOLLOW and the file relative to it with O_NOFOLLOW, so a file or
    folder swapped for a link leading out between the check and the open is
    refused, never followed."""
    p = Path(path)
    st = check_file(p, inside=inside, what=what, limit=limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    changed = f"changed while being opened; ledger-tool reads a {what} only from a " \
              f"regular file" + (f" inside {inside}" if inside is not None else "")
    try:
        if inside is None:
            fd = os.open(p, flags)
        else:
            real = confine(p, inside, what)
            try:
                dfd = open_folder(real.parent)
            except LedgerError:
                raise UnsafeFile(p, changed) from None
            try:
                lst = os.stat(real.name, dir_fd=dfd, follow_symlinks=False)
                fd = os.open(real.name, flags | os.O_NOFOLLOW, dir_fd=dfd)
            finally:
                os.close(dfd)
            if (lst.st_dev, lst.st_ino) != (st.st_dev, st.st_ino):
                os.close(fd)
                raise UnsafeFile(p, changed)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT) and inside is not None:
            raise UnsafeFile(p, changed) from None
        raise UnsafeFile(p, f"cannot read: {err.strerror or err}") from None
    try:
        now = os.fstat(fd)
        _check_stat(p, now, what, limit)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise UnsafeFile(p, changed)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: str | os.PathLike, *, inside: str | os.PathLike | None = None,
               what: str = "file", limit: int | None = None) -> bytes:
    """The bytes of a regular file, checked as ``check_file`` does, read
    through a non-blocking descriptor checked again after opening (so a file
    swapped for a FIFO meanwhile cannot hang), never more than the cap."""
    p = Path(path)
    cap = max_bytes() if limit is None else limit
    fd = open_checked(p, inside=inside, what=what, limit=limit)
    try:
        chunks, got = [], 0
        while True:
            block = os.read(fd, min(1 << 24, cap + 1 - got))
            if not block:
                break
            chunks.append(block)
            got += len(block)
            if got > cap:
                raise UnsafeFile(p, f"grew past the {_size(cap)} limit for one {what} "
                                    f"while being read (set {SIZE_ENV} to raise it)")
        return b"".join(chunks)
    except OSError as err:
        raise UnsafeFile(p, f"cannot read: {err.strerror or err}") from None
    finally:
        os.close(fd)


def read_text(path: str | os.PathLike, *, inside: str | os.PathLike | None = None,
              what: str = "file", limit: int | None = None) -> str:
    """``read_bytes`` decoded as UTF-8 (a BOM accepted); ``UnsafeFile`` naming
    the line of the first byte that is not UTF-8."""
    raw = read_bytes(path, inside=inside, what=what, limit=limit)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise UnsafeFile(f"{path}:{line}", f"not valid UTF-8 (byte {err.start}); "
                                           f"save the {what} as UTF-8") from None


def load_toml(path: str | os.PathLike, *, what: str = "TOML file") -> dict:
    """A small TOML file (mapping, draft, ...) read through every guard:
    regular file, size cap, UTF-8, nesting depth; then parsed by tomllib.
    Raises ``LedgerError`` naming the file (and line)."""
    text = read_text(path, what=what)
    check_nesting(text, path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LedgerError(f"{path}: TOML syntax error in {what}: {err}") from None


# ------------------------------------------------------------ TOML nesting
# Strings and comments, skipped whole so that brackets inside them do not
# count, and runs of anything that is not a bracket.  re.sub drops them all
# in C; what is left is the brackets (and any unmatched quote).
_TOML_NOISE = re.compile(
    r'[^"\'#\[\]{}]+'
    r'|"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'
    r"|'''[\s\S]*?'''"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*")


def nesting_depth(text: str, limit: int = MAX_NESTING) -> tuple[int, int] | None:
    """``(depth, line)`` when the TOML ``text`` nests arrays or inline tables
    deeper than ``limit`` (``line``: where that depth is first passed), else
    None.  Brackets inside strings and comments do not count.

    A cheap bound comes first (numpy over the bracket, quote, comment and
    newline bytes: about 0.1 s for a 27 MB journal); only text it cannot
    clear, or text with multi-line strings, gets the exact scan (regex).
    """
    if _bound(text) <= limit:
        return None
    import numpy as np

    left = _TOML_NOISE.sub("", text)
    if not left:
        return None
    chars = np.frombuffer(left.encode("utf-8", "replace"), dtype=np.uint8)
    opens = (chars == ord("[")) | (chars == ord("{"))
    closes = (chars == ord("]")) | (chars == ord("}"))
    depth = np.cumsum(opens.astype(np.int64) - closes.astype(np.int64))
    deep = np.flatnonzero(depth > limit)
    if not len(deep):
        return None
    return int(depth.max()), _line_of_bracket(text, int(opens[: deep[0] + 1].sum()
                                                       + closes[: deep[0] + 1].sum()))


def _bound(text: str) -> int:
    """An upper bound of the nesting depth of TOML ``text`` that holds no
    multi-line strings (so strings and comments end on their line), or a
    number past any limit when it cannot tell cheaply.

    Counting every bracket, those inside strings too, over-counts only
    opening brackets (still a bound) unless a closing bracket sits inside a
    string or comment.  Such a bracket has a quote after it on its line (the
    string's end) or a '#' before it: when no closing bracket does, the
    running count of all brackets bounds the depth."""
    import numpy as np

    if '"""' in text or "\'\'\'" in text:
        return 1 << 62   # multi-line strings: scan exactly
    # only the bytes that matter, in order: brackets, quotes, '#', newlines
    kept = text.encode("utf-8", "surrogatepass").translate(None, _NOT_SPECIAL)
    # table headers ([[entry]] and the like) are most of a journal's brackets:
    # a line of them alone adds at most 2 levels and closes what it opens
    kept = kept.replace(b"\n[[]]\n", b"\n\n").replace(b"\n[[]]\n", b"\n\n")
    codes = np.frombuffer(kept, dtype=np.uint8)
    if not len(codes):
        return 0
    opens = (codes == ord("[")) | (codes == ord("{"))
    closes = (codes == ord("]")) | (codes == ord("}"))
    at = np.flatnonzero(closes)
    end = len(codes)
    newlines = np.flatnonzero(codes == ord("\n"))
    quotes = np.flatnonzero((codes == ord('"')) | (codes == ord("'")))
    hashes = np.flatnonzero(codes == ord("#"))
    line_end = np.append(newlines, end)[np.searchsorted(newlines, at)]
    next_quote = np.append(quotes, end)[np.searchsorted(quotes, at)]
    line_start = np.insert(newlines, 0, -1)[np.searchsorted(newlines, at)]
    last_hash = np.insert(hashes, 0, -1)[np.searchsorted(hashes, at)]
    if ((next_quote < line_end) | (last_hash > line_start)).any():
        return 1 << 62   # a closing bracket perhaps in a string or comment: scan exactly
    return int(np.cumsum(opens.astype(np.int64) - closes).max(initial=0)) + 2


_SPECIAL = "[{]}\"'#\n"
_NOT_SPECIAL = bytes(i for i in range(256) if chr(i) not in _SPECIAL)


def _line_of_bracket(text: str, n: int) -> int:
    """The line of the ``n``-th bracket outside strings and comments (rare:
    only when the text is refused)."""
    seen = 0
    for m in re.finditer(r"[\[\]{}]|" + _TOML_NOISE.pattern, text):
        if m.group() in ("[", "]", "{", "}"):
            seen += 1
            if seen == n:
                return text.count("\n", 0, m.start()) + 1
    return 0


def check_nesting(text: str, path, limit: int = MAX_NESTING) -> None:
    """Raise ``UnsafeFile`` naming the line when ``text`` nests deeper than
    ``limit``: run before any TOML parser (toml_rs, tomllib, tomlkit) sees it."""
    got = nesting_depth(text, limit)
    if got is not None:
        depth, line = got
        raise UnsafeFile(f"{path}:{line}", f"arrays or inline tables nested {depth} deep, more "
                                           f"than the {limit} levels ledger-tool reads")


# a zip (XLSX) member that unpacks to more than this many times its packed size,
# past BOMB_FLOOR bytes, is a compression bomb, whatever the total cap allows
BOMB_RATIO = 200
BOMB_FLOOR = 64 << 20


def check_zip(data: bytes, path, what: str = "workbook") -> None:
    """Refuse a zip archive (an XLSX workbook) before a library unpacks it: more
    than ``max_bytes()`` unpacked in all, or a member packed over BOMB_RATIO to 1
    (a compression bomb).  Python's zipfile never reads a member past the size
    its header declares, so the declared sizes bound what unpacking can make."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return      # not a zip: the spreadsheet parser says what is wrong, in one line
    cap = max_bytes()
    total = sum(i.file_size for i in infos)
    if total > cap:
        raise UnsafeFile(Path(path), f"unpacks to {_size(total)}, over the {_size(cap)} limit "
                                     f"for one {what} (set {SIZE_ENV} to raise it)")
    for i in infos:
        if i.file_size > BOMB_FLOOR and i.file_size > BOMB_RATIO * max(i.compress_size, 1):
            raise UnsafeFile(Path(path), f"member {i.filename!r} unpacks to {_size(i.file_size)} "
                                         f"from {_size(i.compress_size)}: a compression bomb, "
                                         f"not read")


# ------------------------------------------------------------ outputs


def is_dataset(path: str | os.PathLike) -> bool:
    """A folder named ``*.parquet``: a partitioned dataset (``ledger.read.dataset``)."""
    path = Path(path)
    return path.suffix.lower() == ".parquet" and path.is_dir()


def refuse_ledger(path: str | os.PathLike, ledger: str | os.PathLike, *, folder: bool = False,
                  append: bool = False) -> None:
    """Refuse (``LedgerError``) an output that is a journal file of the ledger
    at ``ledger``, a new .toml file its folder would read or a file in its
    source archive (for a ``folder`` output: one that holds a journal file or
    the ledger itself), whatever --force says.  ``append`` (import -o, which
    appends to a journal): only a file in the source archive.
    (``ledger_tool.common.refuse_ledger_output``: the check every command
    that writes makes, this one for each ledger.)"""
    out = Path(path)
    real = real_path(out)   # a link loop: one line, not a traceback
    lp = Path(ledger)
    if not folder and not is_dataset(lp) and (out.exists() or out.is_symlink()) \
            and (lp.is_dir() or lp.suffix.lower() in (".toml", *BULK_SUFFIXES)):
        # a one-file ledger's archive is beside it (where ``sources add`` puts it);
        # a bulk table's is sources/ beside it (docs/audit.md)
        root = real_path(lp if lp.is_dir() else lp.parent)
        # a folder named *.csv is a ledger folder, not a bulk table
        archive, known = ((DEFAULT_ARCHIVE,), True) if lp.is_file() \
            and lp.suffix.lower() in BULK_SUFFIXES else \
            _archive(root, None if lp.is_dir() else real_path(lp))
        for where in {real, Path(os.path.abspath(out))}:   # as written, and where it leads
            if archive and where.is_relative_to(root) \
                    and where.relative_to(root).parts[:len(archive)] == archive:
                raise LedgerError(f"{out}: a document in the source archive "
                                  f"{'/'.join(archive)}/ of the ledger {ledger}; ledger-tool "
                                  f"never overwrites a ledger's documents (choose another "
                                  f"output)")
            if not known and where.is_relative_to(root) and len(where.relative_to(root).parts) > 1:
                raise LedgerError(f"{out}: in a folder beside the ledger {ledger}, whose "
                                  f"[ledger] archive option cannot be read from its first "
                                  f"{_size(HEAD_BYTES)}, so it may be a document in "
                                  f"its source archive (choose another output)")
    if append:
        return
    journals = {real_path(f) for f in journal_files(lp)} if lp.exists() else set()
    hit = None
    if folder:
        lroot = real_path(lp)
        if lroot == real or lroot.is_relative_to(real):
            hit = lp
        else:
            hit = next((f for f in sorted(journals) if f.is_relative_to(real)), None)
    elif real in journals:
        hit = out
    elif lp.is_dir() and real.suffix == ".toml" and real.is_relative_to(real_path(lp)) \
            and not any(x.startswith(".") for x in real.relative_to(real_path(lp)).parts):
        raise LedgerError(f"{out}: a .toml file in the ledger folder {ledger} would be "
                          f"read as one of its journal files ('check {ledger}' reads the "
                          f".toml files in it and below it as one ledger); choose a folder "
                          f"outside it, or a hidden name (.NAME.toml), which it does not read")
    if hit is not None:
        what = ("is a journal file of the ledger" if not folder else
                f"holds the ledger's journal file {hit}" if hit != lp else
                "holds the ledger")
        raise LedgerError(f"{out}: {what} {ledger}; ledger-tool never overwrites a "
                          f"journal (choose another output)")


def guard_output(path: str | os.PathLike, *, force: bool = False, folder: bool = False) -> None:
    """Refuse (``LedgerError``, one line naming the path) to write ``path``
    (a ledger's data is refused before, by ``refuse_ledger_output``):

    - without ``force``, when it exists (a folder: when it is not empty);
    - for a folder even with ``force``, when it is not an earlier report
      exactly as written (``ledger.atomic.manifest_mismatch``: its manifest
      lists every file in it, unchanged).
    """
    out = Path(path)
    if folder:
        if out.exists() and not out.is_dir():
            raise LedgerError(f"{out}: exists and is not a folder")
        if out.is_dir() and any(out.iterdir()):
            if not force:
                raise LedgerError(f"{out}: the folder exists and is not empty; give --force "
                                  f"to replace it with the new report, or choose another")
            why = manifest_mismatch(out)
            if why is not None:
                raise LedgerError(f"{out}: not an earlier report as ledger-tool wrote it ({why}),"
                                  f" so --force does not replace it; choose another folder")
        return
    if str(path).endswith(("/", os.sep)):   # Path drops the slash: a folder was meant
        raise LedgerError(f"{path}: names a folder; give a file name")
    if out.exists() or out.is_symlink():
        if out.is_dir():
            raise LedgerError(f"{out}: is a folder; give a file name")
        if not force:
            raise LedgerError(f"{one_line(str(out))}: exists; give --force to overwrite it")
