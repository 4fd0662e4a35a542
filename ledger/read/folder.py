"""Which folder a written file would join as part of a ledger: the ledger
folders (``is_ledger_folder``), the one above a path, and whether its
reader would read a journal file written there.  Every command that writes
asks these (``ledger_tool.common.refuse_ledger_output``, import -o).

Asked of every folder above an output, where a user's home or /tmp may hold
many big TOML files: a journal file is told from its first HEAD_BYTES
(``is_journal_head``), never parsed whole, and the reader's listing below a
folder is walked only until one journal is found."""
from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from ledger.errors import LedgerError
from ledger.read.journal import TOOL_CONFIGS, TOP_LEVEL, journal_parse
from ledger.safe_io import (HEAD_BYTES, OPTIONS_FILE, archive_parts, nesting_depth,
                            open_checked, unread_reason)

__all__ = ["is_ledger_folder", "is_journal_head", "ledger_folder_above", "ledger_folders_above",
           "ledger_folder_of",
           "unread_in_ledger", "HEAD_BYTES"]

_HEADER = re.compile(r"^[ \t]*\[", re.M)
_TRIES = 8               # table headers tried as the end of the head's whole tables


def is_journal_head(f: Path, inside: Path | None = None) -> bool:
    """``journal_parse(f, inside) is not None`` (the one test of a journal
    file), told from the first HEAD_BYTES of a bigger file: the head's whole
    tables (cut before a table header) parse as TOML, and their top-level
    names are a journal's (or, none whole, the first table's name is).  A
    file that cannot be opened safely counts, as it does for
    ``journal_parse``; a head that cannot tell (a header-like line in a
    multi-line string every time) is parsed whole.  A file whose head is a
    journal's but which later holds another table counts too: the careful
    side for every write.  The one difference the other way: a file whose
    head holds another table (a tool's config) does not count even when it
    is broken after HEAD_BYTES, which ``journal_parse`` counts (it cannot be
    parsed); telling it would parse every big TOML file above an output whole.
    That only protects less than check would when the file is beside an
    archive holding the output, where ``ledger_tool.common`` parses it whole;
    a journal itself is never taken for it (outputs are parsed whole)."""
    if f.name in TOOL_CONFIGS:
        return False
    try:
        fd = open_checked(f, inside=inside, what="journal file")
    except LedgerError:   # a link out, a FIFO, over the size cap: the ledger's to report
        return True
    try:
        head = os.read(fd, HEAD_BYTES + 1)
    except OSError:
        return True
    finally:
        os.close(fd)
    told = _head_says(head) if len(head) > HEAD_BYTES else None
    return told if told is not None else journal_parse(f, inside) is not None


def _head_says(head: bytes) -> bool | None:
    """Whether ``head`` (a file's first bytes) is a journal's, or None when it cannot tell."""
    if b"\x00" in head[:8192]:
        return True    # binary: journal_parse counts it
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if err.start < len(head) - 3:
            return True    # not UTF-8: journal_parse counts it
        text = head[:err.start].decode("utf-8-sig")    # a character cut at the end
    starts = [m.start() for m in _HEADER.finditer(text)]
    for cut in reversed(starts[-_TRIES:]):
        whole = text[:cut]
        if nesting_depth(whole) is not None:
            return True    # too deep: journal_parse counts it
        try:
            data = tomllib.loads(whole)
            first = data or tomllib.loads(text[cut:].split("\n", 1)[0])
        except (tomllib.TOMLDecodeError, RecursionError, ValueError):
            continue       # cut inside a multi-line string: an earlier header
        return set(first) <= TOP_LEVEL
    return None


def _listing(d: Path, archive: tuple[str, ...] | None) -> Iterator[Path]:
    """The journal files the reader lists below ``d`` (``safe_io.journal_files``),
    lazily and in no order, the files directly in ``d`` left out, and
    without the subfolders holding a ``ledger.toml`` (ledgers of their own)."""
    for top, dirs, files in os.walk(d, onerror=lambda err: None):
        here = Path(top)
        rel = here.relative_to(d).parts
        names = files + dirs if rel else []    # rglob("*.toml") lists folders so named too
        for n in names:
            if unread_reason((*rel, n), archive) is None:
                yield here / n
        dirs[:] = [n for n in dirs if not n.startswith(".") and (*rel, n) != archive
                   and not (here / n / OPTIONS_FILE).is_file()]


def is_ledger_folder(folder: str | os.PathLike, besides: str | os.PathLike | None = None,
                     ours: Callable[[Path], bool] | None = None) -> bool:
    """``folder`` is a ledger folder: it holds a ``ledger.toml`` (as ``init``
    makes one), or it holds a journal file directly (``is_journal_head``) and
    the reader's listing of it (``safe_io.journal_files``: below it too, the
    source archive and hidden files skipped) two or more: what ``check``
    reads as one ledger.  Not counted: the file ``besides`` (the output being
    checked) and files ``ours`` says the command wrote (extract's drafts).
    One journal file alone is a one-file ledger, whose folder may hold other
    files; a folder holding ledger folders, and no journal of its own, is
    not a ledger (nor are the journals of a subfolder with its own
    ``ledger.toml`` counted for it)."""
    d = Path(folder)
    if not d.is_dir():
        return False
    if (d / OPTIONS_FILE).is_file():
        return True
    skip = Path(os.path.abspath(besides)) if besides is not None else None

    def journal(p: Path) -> bool:
        return Path(os.path.abspath(p)) != skip and is_journal_head(p, d) \
            and not (ours is not None and ours(p))

    # the files directly in it first (no walk of a folder holding none, as
    # the ancestors of most outputs), then the reader's listing below it
    archive = archive_parts(d)
    try:
        direct = sorted(d / n for n in os.listdir(d)
                        if unread_reason((n,), archive) is None and (d / n).is_file())
    except OSError:
        return False
    found = 0
    for p in direct:
        if journal(p):
            found += 1
            if found == 2:
                return True
    return found == 1 and any(journal(p) for p in _listing(d, archive))


def ledger_folders_above(path: str | os.PathLike, ours: Callable[[Path], bool] | None = None
                         ) -> Iterator[Path]:
    """The folders above ``path`` that are ledger folders (``is_ledger_folder``,
    ``path`` itself not counted), absolute, nearest first, lazily: an outer
    one whose archive holds ``path`` keeps it as much as the nearest."""
    p = Path(os.path.abspath(path))
    return (d for d in p.parents if is_ledger_folder(d, besides=p, ours=ours))


def ledger_folder_above(path: str | os.PathLike, ours: Callable[[Path], bool] | None = None
                        ) -> Path | None:
    """The nearest folder above ``path`` that is a ledger folder
    (``is_ledger_folder``, ``path`` itself not counted), absolute, or None."""
    return next(ledger_folders_above(path, ours), None)


def ledger_folder_of(path: str | os.PathLike, ledger: str | os.PathLike | None = None) -> Path:
    """The ledger folder a journal file written at ``path`` belongs to:
    ``ledger`` when it is a folder holding ``path``, else the nearest ledger
    folder above ``path`` (``ledger_folder_above``), else ``path``'s folder."""
    p = Path(os.path.abspath(path))
    if ledger is not None and Path(ledger).is_dir() and p.is_relative_to(os.path.abspath(ledger)):
        return Path(os.path.abspath(ledger))
    return ledger_folder_above(p) or p.parent


def unread_in_ledger(path: str | os.PathLike, ledger: str | os.PathLike | None = None
                     ) -> tuple[Path, str] | None:
    """(the ledger folder, why it skips ``path``) when a journal file written
    at ``path`` would not be read by the ledger it belongs to
    (``ledger_folder_of``), else None."""
    p = Path(os.path.abspath(path))
    root = ledger_folder_of(p, ledger)
    why = unread_reason(p.relative_to(root).parts, archive_parts(root))
    return (root, why) if why is not None else None
