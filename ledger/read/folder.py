"""Which folder a written file would join as part of a ledger: the ledger
folders (``is_ledger_folder``), the one above a path, and whether its
reader would read a journal file written there.  Every command that writes
asks these (``ledger_tool.common.refuse_ledger_output``, import -o)."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ledger.read.journal import journal_parse
from ledger.safe_io import OPTIONS_FILE, archive_parts, journal_files, unread_reason

__all__ = ["is_ledger_folder", "ledger_folder_above", "ledger_folder_of", "unread_in_ledger"]


def is_ledger_folder(folder: str | os.PathLike, besides: str | os.PathLike | None = None,
                     ours: Callable[[Path], bool] | None = None) -> bool:
    """``folder`` is a ledger folder: it holds a ``ledger.toml`` (as ``init``
    makes one), or it holds a journal file directly (``journal_parse``) and
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
        return Path(os.path.abspath(p)) != skip and not (ours is not None and ours(p)) \
            and journal_parse(p, d) is not None

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
    if not found:
        return False
    own: dict[Path, bool] = {}   # a subfolder with a ledger.toml: a ledger of its own

    def apart(f: Path) -> bool:
        for sub in f.relative_to(d).parents:
            if sub.parts and own.setdefault(sub, (d / sub / OPTIONS_FILE).is_file()):
                return True
        return False

    return any(journal(p) for p in journal_files(d) if p.parent != d and not apart(p))


def ledger_folder_above(path: str | os.PathLike, ours: Callable[[Path], bool] | None = None
                        ) -> Path | None:
    """The nearest folder above ``path`` that is a ledger folder
    (``is_ledger_folder``, ``path`` itself not counted), absolute, or None."""
    p = Path(os.path.abspath(path))
    return next((d for d in p.parents if is_ledger_folder(d, besides=p, ours=ours)), None)


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
