"""ledger-tool's core: the pledge ledger, its journal files and checks.

    >>> import ledger
    >>> book = ledger.load("examples/calais")
    >>> frame = book.to_frame(currency="GBP")
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ledger.errors import LedgerError
from ledger.model import Document, Entry, Problem

__all__ = ["Ledger", "load", "load_journal", "LedgerError"]


@dataclass(frozen=True)
class Ledger:
    entries: tuple[Entry, ...]
    documents: dict[str, Document] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    root: Path | None = None
    problems: tuple[Problem, ...] = ()   # warnings left after a successful load

    def entry(self, entry_id: str) -> Entry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise LedgerError(f"no entry with id {entry_id!r}")

    def to_frame(self, **options):
        """The normalised table (pandas); see ``rates.normalise.to_frame``."""
        from rates.normalise import to_frame
        return to_frame(self, **options)


def load_journal(path: str | Path, parsed: dict | None = None):
    """Read and check a ledger without raising for bad input.

    Returns ``(entries, documents, problems, options)``; ``problems`` holds
    errors and warnings from reading and from the cross-entry checks.
    ``parsed``: TOML already parsed (``ledger.journal.read_journal``).
    """
    from ledger.checks import check_all
    from ledger.journal import read_journal
    from ledger.memory import gc_paused

    j = read_journal(path, parsed)
    problems = list(j.problems)
    with gc_paused():   # the checks make many short-lived objects, none cyclic
        problems.extend(check_all(j.entries, j.documents, j.rejected))
    return j.entries, j.documents, problems, j.options


def load(path: str | Path) -> Ledger:
    """Load a ledger (a .toml file or a folder of them); raise ``LedgerError``
    listing every error if there are any."""
    entries, documents, problems, options = load_journal(path)
    errs = [p for p in problems if p.severity == "error"]
    if errs:
        raise LedgerError(f"{len(errs)} problem(s) in {path}:\n" + "\n".join(str(p) for p in errs))
    root = Path(path)
    return Ledger(entries, documents, options, root if root.is_dir() else root.parent,
                  tuple(p for p in problems if p.severity != "error"))
