"""An import's problems: ``ledger.model.Problem`` with the import's kind in
its code ("import-reject", "import-skip", ...) and where in the file and how
many items in its details.  Kept apart from ``common`` so that the command
line reads them without loading the readers' rules."""
from __future__ import annotations

from ledger.model import Problem

# how each kind of import problem counts: an error, or a remark
_SEVERITY = {"reject": "error", "error": "error", "skip": "warning", "note": "info",
             "warning": "warning"}


def import_problem(file: str, where: str, reason: str, kind: str = "reject",
                   items: int = 1, item: int | str | None = None) -> Problem:
    """An import problem: a ``ledger.model.Problem`` of one file, with where
    in it (an activity, a flow: ``details["where"]``), its ``kind`` (the
    code "import-KIND") and how many items it leaves out
    (``details["items"]``), and ``item``, the item it is about when several
    problems may name one (a spreadsheet's row: counted once); printed in
    ``said``'s ``IMPORT`` layout.

    Kinds: "reject": bad input, not imported; "skip": not imported, by a
    documented rule; "error": the whole file could not be read; "note":
    imported, with a remark; "warning": imported, with something the user
    should look at."""
    return Problem(file, 0, "", reason, "", _SEVERITY.get(kind, "error"), f"import-{kind}",
                   details={"where": where, "items": items,
                            **({} if item is None else {"item": item})})


def kind_of(p: Problem) -> str:
    """An import problem's kind ("reject", "skip", "error", "note", "warning")."""
    return p.code.removeprefix("import-")


def where_of(p: Problem) -> str:
    """Where in its file an import problem is (an activity, a flow), or ""."""
    return p.detail("where", "")


def items_of(p: Problem) -> int:
    """How many items an import problem is about."""
    return p.detail("items", 1)


def dropped(p: Problem) -> int:
    """How many items of the file are not in the ledger because of ``p``."""
    return items_of(p) if kind_of(p) in ("reject", "skip") else 0
