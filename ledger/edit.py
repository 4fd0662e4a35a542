"""Add entries to a journal file without disturbing what is already there.

The new ``[[entry]]`` table is rendered with tomlkit (which escapes quotes,
control characters and non-ASCII text correctly) and *appended* to the
file's bytes: comments, ordering, formatting, a UTF-8 byte-order mark and
CRLF line endings of the existing text are kept byte for byte.  Before
anything is written the whole would-be ledger is read by the same loader as
``ledger-tool check`` (``ledger.read.read_book``, on a temporary copy); any
error stops the edit.  The write itself is atomic (``ledger.atomic``):
a temporary file in the same folder, fsync, rename; the ledger's write lock
(``ledger.atomic.ledger_lock``) is held from reading it until the rename, so
two edits at once are made one after the other, never one over the other.

    >>> from ledger.edit import add_entry
    >>> result = add_entry("examples/calais", {"id": "x", ...})
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
import tempfile
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ledger.atomic import (atomic_file, folder_name_lock, ledger_lock, real_path, write_all_atomic,
                           write_atomic)
from ledger.errors import LedgerError
from ledger.model import Problem
from ledger.read import read_book
from ledger.safe_io import (UnsafeFile, archive_parts, journal_files, load_toml, read_bytes,
                            unread_reason)

__all__ = ["AddResult", "add_entry", "render_entry", "target_file", "draft_entry",
           "add_citation", "remove_tables", "table_spans", "merge_entry_text", "ENTRY_ORDER",
           "DRAFT_PLACEHOLDER_DATE", "writing"]

# Field order of a rendered entry (the order of docs/journal.md).
ENTRY_ORDER = ("id", "date", "value_date", "funder", "purpose", "amount", "currency", "qualifier", "period",
               "status", "restated", "disburses", "part_of", "restates", "recipient",
               "location", "tags", "notes")
SUBTABLES = ("split", "source")
DRAFT_PLACEHOLDER_DATE = "YYYY-MM-DD"   # what `extract --draft` writes for the date
_SUB_HEADER = re.compile(rb"^([ \t]*)\[\[\s*entry\s*\.\s*(?:source|split)\s*\]\]", re.M)
_ENTRY_HEADER = re.compile(rb"^[ \t]*\[\[\s*entry\s*\]\]", re.M)


@dataclass(frozen=True)
class AddResult:
    path: Path                    # the journal file written (or that would be)
    text: str                     # the rendered entry, as appended
    line: int                     # line of its [[entry]] header in the new file
    warnings: tuple[Problem, ...]  # warnings about the new entry (e.g. no source)
    written: bool


def _folder_to_lock(path: str | os.PathLike) -> Path:
    """``path`` itself when it is a folder, else its nearest existing folder."""
    p = real_path(path)
    return next(d for d in (p, *p.parents) if d.is_dir())


@contextlib.contextmanager
def writing(ledger: str | os.PathLike, *files: str | os.PathLike) -> Iterator[None]:
    """The write locks to hold from reading the ledger until the last rename
    of an edit: the ledger's (when it is there; a missing one, the edit says
    so in its own words) and, for each journal file the edit rewrites, the
    folder it is renamed in (its real folder), so two commands writing one
    file always contend however each named the ledger.  A folder not made
    yet is locked by its nearest existing folder (then by itself too once
    another command made it meanwhile) and, made or not, by its name
    (``folder_name_lock``): two imports into one new folder contend, the
    second waits, then finds the first's file.  Folders are locked before
    names, each in one order (by real path, a folder before those inside
    it), so two edits cannot each hold one the other waits for."""
    def wanted() -> set[Path]:
        out = {_folder_to_lock(ledger)} if os.path.exists(ledger) else set()
        return out | {_folder_to_lock(real_path(f).parent) for f in files}

    with contextlib.ExitStack() as held:
        taken: set[Path] = set()
        while new := wanted() - taken:
            for folder in sorted(new, key=str):
                held.enter_context(ledger_lock(folder))
            taken |= new
        for name in sorted({real_path(f).parent for f in files}, key=str):
            held.enter_context(folder_name_lock(name))
        yield


# ------------------------------------------------------------------ render
def _value(v: Any) -> str:
    """A value as TOML text, as tomlkit writes it: text, dates and lists of
    text (nearly every value of an entry) directly, with tomlkit's own escape
    of each character (``_escapes``), the rest by tomlkit."""
    t = type(v)
    if t is str:
        return '"' + (v.translate(_escapes()) if _escaped().search(v) else v) + '"'
    if t is dt.date:
        return v.isoformat()
    if t is list and all(type(x) is str for x in v):
        return "[" + ", ".join('"' + (x.translate(_escapes()) if _escaped().search(x) else x)
                               + '"' for x in v) + "]"
    import tomlkit

    return tomlkit.item(v).as_string()


_ESCAPES: dict[int, str] = {}


def _escapes() -> dict[int, str]:
    """The characters tomlkit escapes in a basic string, each with its
    escape as tomlkit writes it (asked of tomlkit once)."""
    if not _ESCAPES:
        import tomlkit
        from tomlkit.items import StringType

        for c in StringType.SLB.escaped_sequences:
            _ESCAPES[ord(c)] = tomlkit.item(c).as_string()[1:-1]
    return _ESCAPES


_ESCAPED: list[re.Pattern[str]] = []


def _escaped() -> re.Pattern[str]:
    """Finds a character of ``_escapes``: most text has none, and is
    written as it is without a look-up per character."""
    if not _ESCAPED:
        _ESCAPED.append(re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_escapes()))
                                   + "]"))
    return _ESCAPED[0]


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@functools.lru_cache(maxsize=256)
def _key(k: str) -> str:
    # the same few field names, written once per entry each
    return k if _BARE_KEY.fullmatch(k) else _value(k)


_ORDERED = frozenset(ENTRY_ORDER) | frozenset(SUBTABLES)


def render_entry(fields: Mapping[str, Any], *, indent: str = "  ", newline: str = "\n",
                 convert: Callable[[Any], Any] | None = None) -> str:
    """One ``[[entry]]`` table as TOML text (ending with a newline).

    Known fields come in the documented order, unknown ones after them (the
    loader then reports them); ``source``/``split`` are lists of tables
    written as indented ``[[entry.source]]`` / ``[[entry.split]]``.  Empty
    values (``None``, ``""``, ``[]``) are left out.  ``convert``: applied
    first to each value that is not text, a list or a date (the writer's
    Decimals and datetimes)."""
    search, escapes = _escaped().search, _escapes()
    lines = ["[[entry]]"]
    add = lines.append
    keys = [k for k in ENTRY_ORDER if k in fields]
    if len(fields) > len(keys):
        keys += [k for k in fields if k not in _ORDERED]
    for k in keys:
        v = fields[k]
        if type(v) is str:      # nearly every value: written here, without a call
            if v:
                add(k + ' = "' + (v.translate(escapes) if search(v) else v) + '"'
                    if k in _ORDERED else f"{_key(k)} = {_value(v)}")
            continue
        if type(v) is dt.date:    # an entry's date, as ``_value`` writes it
            add(_key(k) + " = " + v.isoformat())
            continue
        if convert is not None and type(v) not in _AS_IS:
            v = convert(v)
        if v is None or v == "" or v == [] or v == ():
            continue
        if isinstance(v, tuple):
            v = list(v)
        add(f"{_key(k)} = {_value(v)}")
    for sub in SUBTABLES:
        tables = fields.get(sub) or []
        if type(tables) is not list and isinstance(tables, Mapping):
            tables = [tables]
        for t in tables:
            add(f"{indent}[[entry.{sub}]]")
            if type(t) is not dict and not isinstance(t, Mapping):     # dict: no ABC check
                raise LedgerError(f"entry.{sub} must be tables, got {t!r}")
            for k, v in t.items():
                if type(v) is str:      # a source's doc, quote, locator: without a call
                    if v:
                        add(indent + _key(k) + ' = "' + (v.translate(escapes) if search(v)
                                                         else v) + '"')
                    continue
                if convert is not None and type(v) not in _AS_IS:
                    v = convert(v)
                if not (v is None or v == "" or v == [] or v == ()):
                    add(f"{indent}{_key(k)} = {_value(v)}")
    return newline.join(lines) + newline


_AS_IS = frozenset((str, list, dt.date))     # what ``convert`` is not asked of


# ------------------------------------------------- an entry rewritten in place
_KEY_LINE = re.compile(r"^[ \t]*([A-Za-z0-9_-]+)[ \t]*=")
_SUB_LINE = re.compile(r"^[ \t]*\[\[[ \t]*entry[ \t]*\.[ \t]*(source|split)[ \t]*\]\][ \t]*(?:#.*)?$")
_MOST_LINES = 1000     # of one value written over several lines


def _groups(lines: list[str]) -> list[tuple[str, str, list[str]]] | None:
    """The lines of an entry table after its header as (kind, name, lines):
    ("key", field, its lines: a value over several lines is one), ("note",
    "", a comment or blank line), ("source"/"split", "", a subtable's
    lines); None for a shape this does not rewrite (dotted keys, another
    table, a value that does not parse)."""
    out: list[tuple[str, str, list[str]]] = []
    k, sub = 0, False
    while k < len(lines):
        line = lines[k]
        m = _SUB_LINE.match(line.rstrip("\n"))
        if m:
            out.append((m.group(1), "", [line]))
            sub, k = True, k + 1
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            if not sub:
                out.append(("note", "", []))
            out[-1][2].append(line)
            k += 1
            continue
        km = _KEY_LINE.match(line)
        if not km or line.lstrip().startswith("["):
            return None
        for j in range(k + 1, min(len(lines), k + _MOST_LINES) + 1):
            try:
                tomllib.loads("".join(lines[k:j]))
            except tomllib.TOMLDecodeError:
                continue
            break
        else:
            return None
        if sub:
            out[-1][2].extend(lines[k:j])
        else:
            out.append(("key", km.group(1), lines[k:j]))
        k = j
    return out


def _trailing_comment(line: str) -> str:
    """The comment after a one-line value (``amount = "1"  # checked``), '' when none."""
    for m in re.finditer("#", line):
        head = line[:m.start()]
        try:
            tomllib.loads(head)
        except tomllib.TOMLDecodeError:
            continue
        return line[len(head.rstrip(" \t")):].rstrip("\n")
    return ""


def _table(lines: list[str]) -> dict[str, Any]:
    return tomllib.loads("".join(ln for ln in lines if not _SUB_LINE.match(ln.rstrip("\n"))))


def merge_entry_text(old: str, fields: Mapping[str, Any], theirs) -> str | None:
    """The text of the entry table ``old`` (its ``[[entry]]`` line to its
    last line of content, "\\n" line ends) made to hold ``fields``, changing
    only what differs: a field whose value is the same keeps its line, a
    changed one is written anew in its place (a comment after it kept), a
    field ``fields`` lacks is taken out, a new one goes where the
    documented order puts it; the citations ``theirs`` says are an
    importer's are replaced by the new ones in the place of the first, the
    splits as a whole; every other line (the user's citations and fields,
    comments, blank lines) stays as it was.  None when ``old`` has a shape
    this does not rewrite, or the result would not read as ``fields``."""
    lines = old.splitlines(keepends=True)
    if not lines or not lines[-1].endswith("\n"):
        lines[-1:] = [lines[-1] + "\n"] if lines else []
    if not lines or not _ENTRY_HEADER.match(lines[0].encode()):
        return None
    groups = _groups(lines[1:])
    if groups is None:
        return None
    indent = next((g[2][0][:len(g[2][0]) - len(g[2][0].lstrip())] for g in groups
                   if g[0] in SUBTABLES), "  ")
    top = {k: v for k, v in fields.items() if k not in SUBTABLES
           and v not in (None, "", [], ())}

    def line_of(k: str) -> str:
        v = top[k]
        return f"{_key(k)} = {_value(list(v) if isinstance(v, tuple) else v)}\n"

    def sub_text(kind: str, tables) -> list[str]:
        text = render_entry({kind: list(tables)}, indent=indent)
        return text.splitlines(keepends=True)[1:]

    out: list[tuple[str, list[str]]] = []    # (field or "", lines)
    for kind, name, glines in groups:
        if kind != "key":
            out.append((kind, glines))
        elif name in top:
            new = line_of(name)
            if tomllib.loads("".join(glines)) == tomllib.loads(new):
                out.append((name, glines))
            else:
                note = _trailing_comment(glines[0]) if len(glines) == 1 else ""
                out.append((name, [new.rstrip("\n") + note + "\n"]))
        else:    # gone from the entry; a comment after it stays, on its own line
            note = _trailing_comment(glines[0]) if len(glines) == 1 else ""
            if note:
                out.append(("note", [note.lstrip(" \t") + "\n"]))
    have = {name for name, _ in out}
    order = [k for k in ENTRY_ORDER if k in top] + [k for k in top if k not in ENTRY_ORDER]
    for k in order:
        if k in have:
            continue
        # after the field the documented order puts before it, else before the one after it
        earlier, later = order[:order.index(k)], order[order.index(k) + 1:]
        at = max((i + 1 for i, (name, _) in enumerate(out) if name in earlier), default=None)
        if at is None:
            at = next((i for i, (name, _) in enumerate(out) if name in later), None)
        if at is None:     # after the last field
            at = max((i + 1 for i, (name, _) in enumerate(out)
                      if name not in ("note", *SUBTABLES)), default=0)
        out.insert(at, (k, [line_of(k)]))
        have.add(k)
    # the subtables: the importer's citations and the splits replaced where they were
    new_splits = list(fields.get("split") or ())
    new_cites = [c for c in fields.get("source") or () if theirs(c)]
    done = {"split": False, "source": False}
    if not any(name == "source" and theirs(_table(gl)) for name, gl in out):
        # no citation of the importer's before: its new ones go before the user's
        at = next((i for i, (name, _) in enumerate(out) if name == "source"), len(out))
        out.insert(at, ("", sub_text("source", new_cites)))
        done["source"] = True
    final: list[str] = []
    for name, glines in out:
        if name == "split" or (name == "source" and theirs(_table(glines))):
            if not done[name]:
                done[name] = True
                final.extend(sub_text(name, new_splits if name == "split" else new_cites))
            final.extend(ln for ln in glines[1:] if not ln.strip() or ln.lstrip().startswith("#"))
            continue
        if name == "source" and not done["split"]:
            done["split"] = True
            final.extend(sub_text("split", new_splits))
        final.extend(glines)
    if not done["split"]:
        final.extend(sub_text("split", new_splits))
    text = lines[0] + "".join(final)
    try:
        got = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    return text if got == tomllib.loads(render_entry(fields)) else None


# ----------------------------------------------------------- which file
def target_file(ledger: str | os.PathLike, file: str | os.PathLike | None = None) -> Path:
    """The journal file a new entry goes to.

    A file ledger: that file (``file``, if given, must be the same).  A
    folder: ``file`` (relative to the folder, or a path inside it; created if
    missing), else ``pledges.toml`` if it exists, else the last journal file
    (in reading order) that holds ``[[entry]]`` tables, else a new
    ``pledges.toml``."""
    root = Path(ledger)
    if not root.exists():
        raise LedgerError(f"{root}: no such ledger file or folder")
    if not root.is_dir():
        if file is not None and Path(file).resolve() != root.resolve():
            raise LedgerError(f"--file {file}: the ledger {root} is a single file; "
                              "entries can only be added to it")
        return root
    if file is not None:
        f = Path(file)
        if not f.is_absolute() and ((root / f).exists() or not f.exists()):
            f = root / f     # relative to the ledger folder (or, if only that exists, to here)
        try:
            rel = f.resolve().relative_to(root.resolve())
        except ValueError:
            raise LedgerError(f"--file {file}: not inside the ledger folder {root}") from None
        why = unread_reason(rel.parts, archive_parts(root))
        if why is not None:
            raise LedgerError(f"--file {file}: {why}, so an entry there would be ignored")
        if f.is_dir():
            raise LedgerError(f"--file {file}: is a folder")
        return root / rel
    default = root / "pledges.toml"
    if default.is_file():
        return default
    holding = []
    for f in journal_files(root):
        try:   # a FIFO or device among the files must not hang the search
            if _ENTRY_HEADER.search(read_bytes(f, inside=root, what="journal file")):
                holding.append(f)
        except LedgerError:
            continue
    return holding[-1] if holding else default


# ------------------------------------------------------------------ drafts
def draft_entry(draft: str | os.PathLike, pick: str | int | None = None) -> dict[str, Any]:
    """One entry of a draft written by ``ledger-tool extract --draft``, as a
    dict of fields with its placeholders (the ``YYYY-MM-DD`` date, empty
    funder and purpose) removed.  ``pick`` is a 1-based number or an entry
    id; it may be left out when the draft holds one entry."""
    p = Path(draft)
    try:   # regular file, size cap, UTF-8, nesting depth, then tomllib
        data = load_toml(p, what="draft")
    except UnsafeFile as err:
        raise LedgerError(f"--from-extract {err}") from None
    entries = data.get("entry")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise LedgerError(f"{p}: no [[entry]] tables in this draft")
    ids = [str(e.get("id", "")) for e in entries]
    if pick is None:
        if len(entries) > 1:
            shown = ", ".join(f"{i}={ident}" for i, ident in enumerate(ids[:8], 1))
            more = ", ..." if len(ids) > 8 else ""
            raise LedgerError(f"{p}: the draft holds {len(entries)} entries; choose one with "
                              f"--pick N or --pick ID ({shown}{more})")
        chosen = entries[0]
    else:
        text = str(pick).strip()
        if text.isdigit():
            n = int(text)
            if not 1 <= n <= len(entries):
                raise LedgerError(f"{p}: --pick {n}: the draft holds entries 1 to {len(entries)}")
            chosen = entries[n - 1]
        elif text in ids:
            chosen = entries[ids.index(text)]
        else:
            raise LedgerError(f"{p}: --pick {text!r}: no entry with that number or id")
    out: dict[str, Any] = {}
    for k, v in chosen.items():
        if k == "date" and isinstance(v, str):
            try:
                v = dt.date.fromisoformat(v.strip())
            except ValueError:
                continue          # the YYYY-MM-DD placeholder (or junk): must be given
        if isinstance(v, str) and not v.strip():
            continue              # funder = "" / purpose = "" placeholders
        out[k] = v
    return out


# --------------------------------------------------------------------- add
def _newline(raw: bytes) -> str:
    return "\r\n" if b"\r\n" in raw else "\n"


def _indent(raw: bytes) -> str:
    m = _SUB_HEADER.search(raw)
    return m.group(1).decode("ascii", "replace") if m else "  "


def _new_bytes(old: bytes | None, entry_text: str, newline: str) -> tuple[bytes, int]:
    """The file's new content and the line number of the new [[entry]] header."""
    body = entry_text.encode("utf-8")
    if not old:
        return body, 1
    sep = newline.encode()
    prefix = old
    if not prefix.endswith(b"\n"):
        prefix += sep
    if not prefix.endswith(sep + sep) and prefix.strip():
        prefix += sep            # one blank line between tables, as in the examples
    return prefix + body, prefix.count(b"\n") + 1


def _validate(root: Path, target: Path, new: bytes,
              others: Mapping[Path, bytes] | None = None) -> list[Problem]:
    """Load the would-be ledger (a temporary copy with ``target`` replaced by
    ``new``, and each file of ``others`` by its bytes) with
    ``ledger.read.read_book`` (no cache); return its problems with the copy's paths
    mapped back to the real ones."""
    is_dir = root.is_dir()
    with tempfile.TemporaryDirectory(prefix="ledger-add-") as tmp:
        tmp_root = Path(tmp) / (root.name or "ledger")
        files = journal_files(root) if is_dir else []
        if is_dir:
            for f in files:
                # the reader's guards (regular file inside the folder, size
                # cap): a copy would otherwise hide where a symlink leads
                write_atomic(tmp_root / f.relative_to(root),
                             read_bytes(f, inside=root, what="journal file"), inside=tmp)
            dest = tmp_root / target.relative_to(root)
        else:
            dest = tmp_root
        write_atomic(dest, new, inside=tmp)
        for f, data in (others or {}).items():
            write_atomic(tmp_root / f.relative_to(root) if is_dir else tmp_root, data, inside=tmp)
        problems = read_book(tmp_root, use_cache=False).problems
    def real(name: str) -> str:
        if not name.startswith(str(tmp_root)):
            return name
        return str(root / Path(name).relative_to(tmp_root)) if is_dir else str(root)

    def words(text: str) -> str:    # a message naming another entry's place
        return text.replace(str(tmp_root), str(root))

    return [replace(p, file=real(p.file), message=words(p.message), hint=words(p.hint))
            for p in problems]


def add_entry(ledger: str | os.PathLike, fields: Mapping[str, Any], *,
              file: str | os.PathLike | None = None, dry_run: bool = False) -> AddResult:
    """Append one entry to a ledger's journal file.

    ``fields`` are the entry's TOML fields (``id``, ``date`` as a
    ``datetime.date``, ``amount`` as written, ``source`` as a list of
    ``{"doc", "quote", "locator"}`` tables, ...).  The whole ledger with the
    new entry is validated first; on any error ``LedgerError`` lists every
    problem and nothing is written.  Returns an ``AddResult``; warnings
    about the new entry (e.g. no source) are in ``result.warnings``."""
    root = Path(ledger)
    target = target_file(root, file)
    with writing(root, target):
        return _add_entry(root, target, fields, dry_run)


def _add_entry(root: Path, target: Path, fields: Mapping[str, Any], dry_run: bool) -> AddResult:
    missing = [k for k in ("id", "date", "funder", "amount") if not fields.get(k)]
    if not fields.get("purpose") and not fields.get("split"):
        missing.append("purpose")
    if missing:
        raise LedgerError("cannot add the entry: missing " + ", ".join(missing))
    old = read_bytes(target, what="journal file") if target.exists() else None
    newline = _newline(old or b"")
    text = render_entry(fields, indent=_indent(old or b""), newline=newline)
    new, line = _new_bytes(old, text, newline)

    problems = _validate(root, target, new)
    errs = [p for p in problems if p.severity == "error"]
    if errs:
        raise LedgerError(f"entry {fields.get('id')!r} not added to {target}: the ledger would have "
                          f"{len(errs)} error(s):\n" + "\n".join(str(p) for p in errs))
    tfile = str(target)
    warnings = tuple(p for p in problems
                     if p.severity != "error" and p.file == tfile and p.line == line)
    if dry_run:
        return AddResult(target, text, line, warnings, False)

    try:
        # keeps the journal's mode; never through a link leading out of the ledger
        with atomic_file(target, inside=root if root.is_dir() else None) as fh:
            fh.write(new)
            now = read_bytes(target, what="journal file") if target.exists() else None
            if now != old:
                raise LedgerError(f"{target} changed while the entry was being added; "
                                  "nothing written, run the command again")
    except OSError as err:
        raise LedgerError(f"{target}: cannot write: {err.strerror or err}") from None
    return AddResult(target, text, line, warnings, True)




# ------------------------------------------------------- tables in place
_HEAD_OPEN = re.compile(r"[ \t]*\[\[?")
_HEAD_CLOSE = re.compile(r"[ \t]*\]\]?[ \t]*(?:#.*)?")
_BLANK_OR_COMMENT = re.compile(r"^[ \t]*(?:#.*)?$")


def table_spans(text: str) -> list[tuple[str, int, int]]:
    """Each table of a journal file's text as (header name, start, end):
    character offsets from its header line to the end of its last line of
    content (the blank lines and comments before the next header belong to
    that one).  ``entry.source`` spans lie inside their entry's; the caller
    checks the edit's result with tomllib (a header-like line inside a
    multi-line string would otherwise mislead it)."""
    lines = text.splitlines(keepends=True)
    starts, at = [], 0
    for ln in lines:
        starts.append(at)
        at += len(ln)
    heads = [(i, name) for i, ln in enumerate(lines)
             if (name := _header_name(ln.rstrip("\r\n"))) is not None]
    spans = []
    for k, (i, name) in enumerate(heads):
        nxt = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        j = nxt
        while j > i + 1 and _BLANK_OR_COMMENT.match(lines[j - 1].rstrip("\r\n")):
            j -= 1
        spans.append((name, starts[i], starts[j] if j < len(lines) else len(text)))
    # an entry's span runs over its subtables
    out = []
    for k, (name, a, b) in enumerate(spans):
        if "." not in name:
            for sub, _, sb in spans[k + 1:]:
                if not sub.startswith(name + "."):
                    break
                b = sb
        out.append((name, a, b))
    return out


def _header_name(line: str) -> str | None:
    """The dotted name of a table header line (``[[ entry ]]``,
    ``[["entry".source]]``: "entry", "entry.source"), quotes removed;
    None for any other line."""
    m = _HEAD_OPEN.match(line)
    if not m:
        return None
    parts, ends = _key_parts(line, m.end())
    if not parts or not _HEAD_CLOSE.fullmatch(line, ends[-1]):
        return None
    return ".".join(parts)


def remove_tables(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the spans, and without the blank line each would
    leave doubled."""
    for a, b in sorted(spans, reverse=True):
        before, after = text[:a], text[b:]
        if (not before.strip() or before.endswith(("\n\n", "\r\n\r\n"))) \
                and after.startswith(("\n", "\r\n")):
            after = after[1:] if after.startswith("\n") else after[2:]
        text = before + after
    return text


def checked_edit(path: Path, old: bytes, new: bytes, expect) -> None:
    """Refuse an in-place edit whose parsed result is not ``expect(parsed
    old)`` (tomllib's view): a table boundary misread cannot change
    anything else."""
    want = tomllib.loads(old.decode("utf-8-sig"))
    expect(want)
    try:
        got = tomllib.loads(new.decode("utf-8-sig"))
    except tomllib.TOMLDecodeError:
        got = None
    if got != want:
        raise LedgerError(f"{path}: cannot edit this file in place safely (a table header "
                          "inside a multi-line string?); nothing written, edit it by hand")


def write_edits(root: Path, edits: Mapping[Path, tuple[bytes, bytes]], *,
                dry_run: bool = False) -> list[Problem]:
    """Validate the whole ledger with every file of ``edits`` (old bytes,
    new bytes) changed, then (unless ``dry_run``) write them all or none
    (``ledger.atomic.write_all_atomic``), refusing if one changed meanwhile.  Returns the would-be ledger's
    problems; raises ``LedgerError`` listing its errors, writing nothing.
    The caller holds the ledger's lock (``writing``) since it read ``old``;
    it is taken here too for any that does not."""
    with writing(root, *edits):
        return _write_edits(root, edits, dry_run)


def _write_edits(root: Path, edits: Mapping[Path, tuple[bytes, bytes]],
                 dry_run: bool) -> list[Problem]:
    files = list(edits)
    problems = _validate(root, files[0], edits[files[0]][1],
                         {f: edits[f][1] for f in files[1:]})
    errs = [p for p in problems if p.severity == "error"]
    if errs:
        raise LedgerError(f"nothing changed in {root}: the ledger would have {len(errs)} "
                          f"error(s):\n" + "\n".join(str(p) for p in errs))
    if dry_run:
        return problems
    for f, (old, _) in edits.items():
        if read_bytes(f, what="journal file") != old:
            raise LedgerError(f"{f} changed while it was being edited; nothing written, "
                              "run the command again")
    try:    # all files or none: a full disk on the second must not leave the first edited
        write_all_atomic({f: new for f, (_, new) in edits.items()})
    except OSError as err:
        raise LedgerError(f"{err.filename or root}: cannot write: {err.strerror or err}; "
                          "nothing written") from None
    return problems


def _find_entry(root: Path, entry_id: str):
    book = read_book(root)
    try:
        return book.entry(entry_id), book
    except LedgerError:
        raise LedgerError(f"{root}: no entry {entry_id!r} (see 'ledger-tool list {root}')") \
            from None


def _inline_sources(text: str, k: int):
    """When the ``k``-th entry's citations are written inline (``source =
    {…}``, ``source = [{…}, …]``, which a ``[[entry.source]]`` table cannot
    follow), a function giving the text with one more citation, all of them
    in one inline array, the file's other bytes as they were (tomlkit keeps
    them); else None.  (A ``[entry.source]`` table or dotted keys are made a
    table first: ``_as_source_tables``.)"""
    import tomlkit
    from tomlkit.items import AoT, Array

    doc = tomlkit.parse(text)
    entry = doc["entry"][k]
    had = entry.get("source")
    if had is None or isinstance(had, AoT):
        return None
    written = had.as_string()     # the value as the file writes it

    def with_one_more(citation: Mapping[str, str]) -> str:
        item = tomlkit.inline_table()
        item.update(citation)
        if isinstance(had, Array):
            had.append(item)
        else:     # one table: inline, a [entry.source] table or dotted keys
            first = tomlkit.inline_table()
            first.update(had.unwrap())
            both = tomlkit.array()
            both.extend([first, item])
            entry["source"] = both     # in place: its line's comment and its place kept
        # only that value replaced: tomlkit.dumps rewrites other tables'
        # headers ("[[entry]]" as the first's "[[ entry ]]")
        at = _source_value(text, k, written)
        if at is None:
            return tomlkit.dumps(doc)
        return text[:at] + entry["source"].as_string() + text[at + len(written):]
    return with_one_more


def _source_value(text: str, k: int, written: str) -> int | None:
    """Where the ``k``-th entry's ``source = …`` value, written ``written``,
    starts in ``text``; None if not found as TOML reads it."""
    entries = [(a, b) for n, a, b in table_spans(text) if n == "entry"]
    if k >= len(entries):
        return None
    a, b = entries[k]
    for start, _ in _statements(text[a:b]):
        parts, ends = _key_parts(text, a + start)
        if parts == ["source"]:
            at = text.find(written, ends[0])
            if at >= 0 and text[ends[0]:at].strip() == "=":
                return at
    return None


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_KEY = re.compile(r'"(?:[^"\\\r\n]|\\.)*"')
_LITERAL_KEY = re.compile(r"'[^'\r\n]*'")


def _statements(text: str) -> list[tuple[int, int]]:
    """Each logical line of TOML ``text`` as (start, end) offsets, its line
    end included: one physical line, or more where a multi-line string or
    array runs on.  A line that looks like a key or header inside a string
    is part of the string's statement, never one of its own."""
    out, n, start, depth, i = [], len(text), 0, 0, 0
    while i < n:
        c = text[i]
        if c == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
            continue
        if c in "\"'":
            triple = text.startswith(c * 3, i)
            j = i + (3 if triple else 1)
            while j < n:
                if c == '"' and text[j] == "\\":
                    j += 2
                    continue
                if triple and text.startswith(c * 3, j):
                    run = 3
                    while run < 5 and text[j + run:j + run + 1] == c:   # quotes just before
                        run += 1                                        # the end are content
                    j += run
                    break
                if not triple and text[j] in (c, "\n"):
                    j += 1
                    break
                j += 1
            i = j
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth = max(depth - 1, 0)
        elif c == "\n" and depth == 0:
            out.append((start, i + 1))
            start = i + 1
        i += 1
    if start < n:
        out.append((start, n))
    return out


def _key_parts(text: str, at: int) -> tuple[list[str], list[int]]:
    """The dotted key starting at ``at`` (after any blanks): its parts
    (quotes removed) and the offset after each part; ([], []) if none."""
    parts: list[str] = []
    ends: list[int] = []
    while True:
        while at < len(text) and text[at] in " \t":
            at += 1
        for pat in (_BARE_KEY, _BASIC_KEY, _LITERAL_KEY):
            m = pat.match(text, at)
            if m:
                raw = m.group(0)
                if raw.startswith('"'):
                    try:
                        raw = tomllib.loads(f"k = {raw}")["k"]
                    except tomllib.TOMLDecodeError:
                        return [], []
                elif raw.startswith("'"):
                    raw = raw[1:-1]
                parts.append(raw)
                at = m.end()
                ends.append(at)
                break
        else:
            return [], []
        k = at
        while k < len(text) and text[k] in " \t":
            k += 1
        if k < len(text) and text[k] == ".":
            at = k + 1
            continue
        return parts, ends


def _as_source_tables(entry: str, indent: str, newline: str) -> str | None:
    """An entry's text (its table's span) whose one citation is a
    ``[entry.source]`` table or ``source.KEY = …`` dotted keys (which no
    ``[[entry.source]]`` table can follow), with that citation made a
    ``[[entry.source]]`` table: the header's brackets doubled, or the dotted
    keys (whole values, multi-line ones too, with the comments on and
    between their lines) moved into a table at the entry's end; every other
    byte as it was.  Keys and headers are found as TOML reads them
    (``_statements``), never inside a string.  None for any other entry."""
    stmts = _statements(entry)
    dotted: list[tuple[int, int, int]] = []    # (start, end, where the key after source. starts)
    own = True        # still among the entry's own keys (before its first subtable)
    for n, (a, b) in enumerate(stmts):
        line = entry[a:b]
        lead = len(line) - len(line.lstrip(" \t"))
        if line[lead:lead + 1] == "[":
            if n == 0:
                continue              # the [[entry]] header
            own = False
            if line[lead + 1:lead + 2] != "[":
                parts, ends = _key_parts(entry, a + lead + 1)
                if parts == ["entry", "source"] and not dotted:
                    close = entry.index("]", ends[-1])
                    return (entry[:a + lead] + "[" + entry[a + lead:close] + "]"
                            + entry[close:])
            continue
        if not own:
            continue
        parts, ends = _key_parts(entry, a + lead)
        if len(parts) > 1 and parts[0] == "source":
            after = entry.index(".", ends[0]) + 1
            while entry[after] in " \t":
                after += 1
            dotted.append((a, b, after))
    if not dotted:
        return None
    # comment lines between two dotted keys go with them
    first, last = dotted[0][0], dotted[-1][1]
    moving = []
    for a, b in stmts:
        if not first <= a < last:
            continue
        d = next((d for d in dotted if d[0] == a), None)
        if d is not None:
            moving.append((a, b, d[2]))
        elif entry[a:b].strip().startswith("#"):
            moving.append((a, b, a + len(entry[a:b]) - len(entry[a:b].lstrip(" \t"))))
    kept, at = [], 0
    for a, b, _ in moving:
        kept.append(entry[at:a])
        at = b
    rest = "".join(kept) + entry[at:]
    if not rest.endswith("\n"):
        rest += newline
    moved = []
    for _, b, key_at in moving:
        text = entry[key_at:b]
        moved.append(indent + text + ("" if text.endswith("\n") else newline))
    return rest + f"{indent}[[entry.source]]{newline}" + "".join(moved)


def _entry_table(path: Path, text: str, entry_id: str, line: int) -> tuple[int, int, int]:
    """(start, end, its index among the file's entries) of entry
    ``entry_id``'s table in ``text``, found by its place among the entries
    tomllib reads; header-like lines inside multi-line strings are passed
    over.  Refused in one line when the tables cannot be told apart."""
    spans = [s for s in table_spans(text) if s[0] == "entry"]
    try:
        ids = [e.get("id") for e in tomllib.loads(text).get("entry", ())]
    except (tomllib.TOMLDecodeError, AttributeError):
        ids = []
    if ids.count(entry_id) == 1:
        k = ids.index(entry_id)
        if len(spans) != len(ids):    # a header-like line inside a string: not a table
            starts = {a for a, _ in _statements(text)}
            spans = [s for s in spans if s[1] in starts]
        if len(spans) == len(ids):
            return spans[k][1], spans[k][2], k
    raise LedgerError(f"{path}:{line}: cannot edit this file in place safely (a table header "
                      "inside a multi-line string?); nothing written, edit it by hand")


def add_citation(ledger: str | os.PathLike, entry_id: str, citation: Mapping[str, str], *,
                 dry_run: bool = False) -> AddResult:
    """Add an ``[[entry.source]]`` table (``doc``, ``quote``, ``locator``) to
    the entry ``entry_id``, at the end of its table: the file's other bytes
    are kept, the whole ledger is validated first and the write is atomic,
    as for ``add_entry``."""
    root = Path(ledger)
    with writing(root):
        return _add_citation(root, entry_id, citation, dry_run)


def _add_citation(root: Path, entry_id: str, citation: Mapping[str, str],
                  dry_run: bool) -> AddResult:
    entry, book = _find_entry(root, entry_id)
    if citation.get("doc") not in book.documents:
        known = ", ".join(sorted(book.documents)[:8]) or "none recorded"
        raise LedgerError(f"cite: no document {citation.get('doc')!r} in {root} (documents: "
                          f"{known}); record it with 'ledger-tool sources add'")
    if not str(citation.get("quote", "")).strip():
        raise LedgerError("cite: give the quote that carries the figure (--quote)")
    for c in entry.sources:
        if c.doc == citation["doc"] and c.quote == citation["quote"]:
            raise LedgerError(f"cite: entry {entry_id!r} already cites {c.doc!r} with this quote")
    path = Path(entry.file)
    old = read_bytes(path, what="journal file")
    text = old.decode("utf-8-sig")
    bom = old[:len(old) - len(text.encode("utf-8"))] if old.startswith(b"\xef\xbb\xbf") else b""
    newline = _newline(old)
    a, b, k = _entry_table(path, text, entry_id, entry.line)
    cited = {key: v for key, v in citation.items() if v}
    converted = _as_source_tables(text[a:b], _indent(old), newline)
    if converted is not None:     # the one citation now a [[entry.source]] table, comments kept
        text, b = text[:a] + converted + text[b:], a + len(converted)
    inline = _inline_sources(text, k) if converted is None else None
    if inline is not None:      # ``source = {…}`` or ``source = [{…}]``: one more in it
        new_text, line = inline(cited), text.count("\n", 0, a) + 1
        table = f"{{{', '.join(f'{key} = {_value(v)}' for key, v in cited.items())}}}"
    else:
        rendered = render_entry({"source": [dict(citation)]}, indent=_indent(old),
                                newline=newline)
        table = rendered.split(newline, 1)[1]            # without the [[entry]] line
        head = text[:b]
        if not head.endswith("\n"):
            head += newline
        rest = text[b:]
        new_text = head + table + (rest if not rest.strip() or rest.startswith(("\n", "\r\n"))
                                   else newline + rest)
        line = new_text.count("\n", 0, len(head)) + 1
    new = bom + new_text.encode("utf-8")

    def expect(data):
        e = data["entry"][k]
        had = e.get("source", [])
        e["source"] = [*([had] if isinstance(had, dict) else had), cited]
    checked_edit(path, old, new, expect)
    problems = write_edits(root, {path: (old, new)}, dry_run=dry_run)
    warnings = tuple(p for p in problems if p.severity != "error" and p.entry_id == entry_id)
    return AddResult(path, table, line, warnings, not dry_run)

