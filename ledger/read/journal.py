"""What the journal's readers share: a TOML journal file's text and tables
(``parse_file``, ``read_tables``: options, documents, the raw ``[[entry]]``
tables and their lines) and a split table as a row of the raw form (``split_part``;
the conversion rules are
``ledger.rules.rows.read_restated``).  A journal is read column-wise by
``ledger.read.journal_columns`` and checked by ``ledger.read.table.check_raw``.

Nothing here raises for bad input: every problem becomes a ``Problem``
naming the file, the line where known and the entry id.
"""
from __future__ import annotations

import datetime as dt
import functools
import posixpath
import math
import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

from ledger.rules import rows as rr
from ledger.limits import MAX_AMOUNT
from ledger.rules.options import OPTION_CONFLICT_HINT, archive_problem, option_conflict, option_problem
from ledger.phrases.money import (MoneyError, ParsedAmount, parse_amount, parse_number,
                                  plain_decimal)
from ledger import safe_io
from ledger.safe_io import MAX_NESTING, UnsafeFile, nesting_depth
from ledger.model import (
    CONTROL_CHARS, Document, Problem, is_slug,
)
from ledger.rules.rows import suggest as _suggest

from ledger.rules.rows import SPLIT_FIELDS
DOCUMENT_FIELDS = {"id", "title", "publisher", "published", "url", "retrieved", "path", "sha256",
                   "notes", "text", "text_sha256"}
OPTION_FIELDS = {"name", "currency", "locale", "fiscal_year_start", "rates", "archive", "description"}
TOP_LEVEL = {"entry", "document", "ledger"}
LINK_FIELDS = ("disburses", "part_of", "restates")

_CONTROL = re.compile(f"[{CONTROL_CHARS}]")


def _decode(f: Path, problems: list[Problem], inside: Path | None = None) -> str | None:
    try:   # a regular file within the size cap (and inside the ledger folder)
        raw = safe_io.read_bytes(f, inside=inside, what="journal file")
    except UnsafeFile as err:
        problems.append(Problem(str(f), 0, "", err.reason, code="unsafe-file"))
        return None
    if not raw.strip():
        problems.append(Problem(str(f), 0, "", "empty file: no entries",
                                hint="a journal holds [[entry]] tables; see docs/journal.md",
                                    code="empty-file"))
        return None
    if b"\x00" in raw[:8192]:
        problems.append(Problem(str(f), 0, "", "binary file, not a TOML journal",
                                code="binary-file"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(Problem(str(f), line, "", f"not valid UTF-8 (byte {err.start})",
                                hint="save the journal as UTF-8", code="not-utf8"))
        return None
    return text


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")

try:  # a compiled TOML parser (Rust), ~8x faster than tomllib on big journals
    from toml_rs import loads as _fast_loads
except ImportError:  # pragma: no cover - the dependency is declared
    _fast_loads = None  # type: ignore[assignment]


def _loads(text: str) -> dict:
    """Parse TOML with toml_rs; when it refuses the text (or is missing), parse
    with tomllib, whose errors give the messages and line numbers reported."""
    if _fast_loads is not None:
        try:
            return _fast_loads(text)
        except Exception:
            pass
    return tomllib.loads(text)


# TOML files of other tools, never read as journals whatever they hold
TOOL_CONFIGS = ("pyproject.toml", "Cargo.toml", "uv.lock", "poetry.lock")


def journal_parse(f: Path, inside: Path | None = None) -> tuple | None:
    """``parse_file``'s result when ``f`` is a TOML journal file, else None:
    the one test of what a journal file is (import's id scope, the ledger
    folders and journal outputs every write refuses).  A journal's top-level
    tables are all journal tables ([ledger], [[document]], [[entry]]; an empty
    file counts).  A file that cannot be parsed or opened safely (too big, a
    link out, a FIFO, a TOML syntax error) counts too: it is the ledger's to
    report, never taken for something else.  Tools' configs never count."""
    if f.name in TOOL_CONFIGS:
        return None
    got = parse_file(f, inside)
    return got if got[1] is None or set(got[1]) <= TOP_LEVEL else None


def parse_file(f: Path, inside: Path | None = None) -> tuple[str | None, dict | None, list[Problem]]:
    """One journal file's text and parsed TOML, or the problems that stop it
    being read (not a regular file, outside ``inside``, too big, unreadable,
    not UTF-8, nested too deeply, not TOML)."""
    problems: list[Problem] = []
    text = _decode(f, problems, inside)
    if text is None:
        return None, None, problems
    deep = nesting_depth(text)   # before toml_rs, whose stack overflows (a crash) on deep nesting
    if deep is not None:
        problems.append(Problem(str(f), deep[1], "", f"arrays or inline tables nested {deep[0]} "
                                f"deep, more than the {MAX_NESTING} levels a journal may use",
                                hint="a journal needs at most a few levels; see docs/journal.md",
                                    code="too-deep"))
        return text, None, problems
    try:
        return text, _loads(text), problems
    except tomllib.TOMLDecodeError as err:
        msg = str(err)
        m = _TOML_POS.search(msg)
        line = int(m.group(1)) if m else 0
        msg = _TOML_POS.sub("", msg).strip()
        if m:
            msg += f" (column {m.group(2)})"
        elif "end of document" in msg:
            line = max(text.count("\n") + (not text.endswith("\n")), 1)
        problems.append(Problem(str(f), line, "", f"TOML syntax error: {msg}",
                                hint="see docs/journal.md for the format", code="toml-syntax"))
    except RecursionError:   # tomllib recurses once per level of nesting
        problems.append(Problem(str(f), _line_of_max(text, r"[\[{]"), "",
                                "arrays or inline tables nested too deeply",
                                hint="a journal needs at most a few levels; see docs/journal.md",
                                    code="too-deep"))
    except ValueError as err:  # e.g. an integer of more than 4300 digits
        problems.append(Problem(str(f), _line_of_max(text, r"\d"), "",
                                f"value cannot be read: {err}".split("; use sys.")[0],
                                hint="write amounts as text, e.g. \"£12 million\"",
                                    code="unreadable-value"))
    return text, None, problems


def read_tables(f: Path, text: str, data: dict, documents, problems, options,
                set_at: dict | None = None):
    """The ``[ledger]`` options and ``[[document]]`` tables of one parsed
    file (added to ``options``/``documents``); returns the raw ``[[entry]]``
    tables (None when 'entry' is not a list) and the file's ``LineIndex``.
    ``set_at`` (option -> FILE:LINE, kept across the ledger's files): an
    option another file gave another value is a problem here, the first
    value kept."""
    lines = LineIndex(text)
    fname = str(f)
    for key in data:
        if key not in TOP_LEVEL:
            problems.append(Problem(fname, lines.key_line(key), "", f"unknown top-level key {key!r}",
                                    hint=_suggest(key, TOP_LEVEL) or "expected [[entry]], [[document]] or [ledger]",
                                        code="unknown-key"))
    opts = data.get("ledger", {})
    if isinstance(opts, dict):
        for k, v in opts.items():
            if k not in OPTION_FIELDS:
                problems.append(Problem(fname, lines.key_line(k), "", f"unknown option {k!r} in [ledger]",
                                        hint=_suggest(k, OPTION_FIELDS), code="unknown-option"))
            else:
                value, why = option_problem(k, v)
                if not why and k == "archive" and \
                        (outside := archive_problem(value, f.parent)):
                    # a warning: only the commands that read the archive need
                    # it, and they take another with --sources
                    problems.append(Problem(fname, lines.key_line(k), "", f"option {k}: {outside}",
                                            severity="warning", code="archive-outside"))
                if why:   # refused here, not by the report that reads it
                    problems.append(Problem(fname, lines.key_line(k), "", f"option {k}: {why}",
                                            code="bad-option"))
                elif set_at is not None and k in set_at:   # another file's: one value
                    clash = option_conflict(k, value, options[k], set_at[k])
                    if clash:
                        problems.append(Problem(fname, lines.key_line(k), "", clash,
                                                hint=OPTION_CONFLICT_HINT,
                                                code="option-conflict"))
                    continue
                elif set_at is not None:
                    set_at[k] = f"{fname}:{lines.key_line(k)}"
                options[k] = value
    else:
        problems.append(Problem(fname, lines.key_line("ledger"), "", "'ledger' must be a table",
                                code="bad-options"))
    docs = data.get("document", [])
    if not isinstance(docs, list):
        problems.append(Problem(fname, lines.key_line("document"), "", "'document' must be [[document]] tables",
                                code="bad-documents"))
        docs = []
    doc_lines = lines.headers("document") if docs else []
    for i, raw in enumerate(docs):
        line = doc_lines[i] if i < len(doc_lines) else 0
        doc = _document(raw, fname, line, problems)
        if doc is None:
            continue
        if doc.id in documents:
            first = documents[doc.id]
            problems.append(Problem(fname, line, "", f"duplicate document id {doc.id!r}",
                                    hint=f"first declared at {first.file}:{first.line}",
                                        code="duplicate-document"))
            continue
        documents[doc.id] = doc
    raw_entries = data.get("entry", [])
    if not isinstance(raw_entries, list):
        problems.append(Problem(fname, lines.key_line("entry"), "", "'entry' must be [[entry]] tables",
                                code="bad-entries"))
        return None, lines
    return raw_entries, lines


def _line_of_max(text: str, chars: str) -> int:
    """The line holding the most of ``chars`` (a regex class): where a value
    too deep or too long to parse most likely sits."""
    counts = [len(re.findall(chars, ln)) for ln in text.splitlines()]
    return counts.index(max(counts)) + 1 if counts else 0


# characters other than "\n" that str.splitlines() treats as line breaks
_OTHER_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class LineIndex:
    """Maps TOML tables and keys back to line numbers (tomllib gives none)."""

    def __init__(self, text: str):
        self._text = text

    @functools.cached_property
    def _lines(self) -> list[str]:   # only key lookups need them
        return self._text.splitlines()

    def __len__(self) -> int:
        return len(self._lines)

    def headers(self, name: str) -> list[int]:
        if self._text is not None and not _OTHER_BREAKS.search(self._text):
            # only "\n" breaks lines: one regex pass over the text, same matches
            text = self._text
            # TOML's only in-line white space is space and tab.  The pattern
            # starts with the literal "\n", which the regex engine finds fast;
            # the first line is looked at on its own.
            head = r"[ \t]*\[\[[ \t]*" + re.escape(name) + r"[ \t]*\]\]"
            out = [1] if re.match(head, text) else []
            line, pos = 1, 0
            for m in re.finditer("\n" + head, text):
                start = m.start() + 1
                line += text.count("\n", pos, start)
                pos = start
                out.append(line)
            return out
        pat = re.compile(r"^\s*\[\[\s*" + re.escape(name) + r"\s*\]\]")
        return [i + 1 for i, ln in enumerate(self._lines) if pat.match(ln)]

    def key_line(self, key: str, start: int = 1, end: int | None = None) -> int:
        pat = re.compile(r"^\s*(?:\[+\s*)?[\"']?" + re.escape(key) + r"[\"']?\s*(?:=|\]|\.)")
        stop = len(self._lines) if end is None else end
        for i in range(max(start, 1) - 1, min(stop, len(self._lines))):
            if pat.match(self._lines[i]):
                return i + 1
        return start if start else 0

    def sub_key_line(self, table: str, nth: int, key: str, start: int = 1,
                     end: int | None = None) -> int:
        """The line of ``key`` in the ``nth`` (from 0) ``[[table]]`` sub-table
        (``entry.split``, ``entry.source``) between ``start`` and ``end``,
        else that sub-table's header line; an entry writing its sub-tables
        inline (``split = [{…}]``) has no headers: its key's line."""
        stop = min(len(self._lines) if end is None else end, len(self._lines))
        head = re.compile(r"^\s*\[\[\s*" + re.escape(table) + r"\s*\]\]")
        seen = -1
        for i in range(max(start, 1) - 1, stop):
            if head.match(self._lines[i]):
                seen += 1
                if seen == nth:
                    if not key:
                        return i + 1
                    key_at = re.compile(r"^\s*[\"']?" + re.escape(key) + r"[\"']?\s*=")
                    for j in range(i + 1, stop):
                        if self._lines[j].lstrip().startswith("["):   # the next table
                            break
                        if key_at.match(self._lines[j]):
                            return j + 1
                    return i + 1
        return self.key_line(table.rpartition(".")[2], start, end)


def _as_date(value: Any) -> dt.date | str:
    """A TOML date, or an ISO string; returns an error string when impossible."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        d = rr.iso_date(value.strip())
        return d if d is not None else rr.NOT_A_DATE.format(value)
    try:
        shown = repr(value)
    except ValueError:   # an integer too long to print (sys.get_int_max_str_digits)
        shown = "a number too long to print"
    if isinstance(value, float) and math.isinf(value):   # 1e400 reads as inf: not what was written
        shown = f"a number out of range (read as {shown})"
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"not a date: {shown} (use YYYY-MM-DD)"


def _document(raw: Any, fname: str, line: int, problems: list[Problem]) -> Document | None:
    if not isinstance(raw, dict):
        problems.append(Problem(fname, line, "", "[[document]] must be a table",
                                code="bad-document"))
        return None
    ok = True
    for k in raw:
        if k not in DOCUMENT_FIELDS:
            problems.append(Problem(fname, line, "", f"unknown field {k!r} in [[document]]",
                                    hint=_suggest(k, DOCUMENT_FIELDS), code="unknown-field"))
            ok = False
    doc_id = raw.get("id")
    if not isinstance(doc_id, str) or not is_slug(doc_id):
        problems.append(Problem(fname, line, "", "[[document]] needs an id (letters, digits, . _ -)",
                                code="bad-document"))
        return None
    values: dict[str, Any] = {}
    for k in ("published", "retrieved"):
        if k in raw:
            d = _as_date(raw[k])
            if isinstance(d, str):
                problems.append(Problem(fname, line, "", f"document {doc_id!r}: {k} {d}",
                                        code="bad-document"))
                ok = False
            else:
                values[k] = d
    for k in ("title", "publisher", "url", "path", "sha256", "notes", "text", "text_sha256"):
        if k in raw:
            if not isinstance(raw[k], str):
                problems.append(Problem(fname, line, "", f"document {doc_id!r}: {k} must be text",
                                        code="bad-document"))
                ok = False
            else:
                values[k] = raw[k]
    why = _path_leaves(values["path"]) if "path" in values else ""
    if why:
        # an error, but the document stays declared: its citations are not
        # also reported as naming an unknown document
        problems.append(Problem(fname, line, "", f"document {doc_id!r}: path "
                                f"{values['path']!r} {why}",
                                hint="give the file's path relative to the source archive "
                                     "folder, without '..'", code="bad-document"))
    why = _path_leaves(values["text"]) if "text" in values else ""   # read as the path is
    if why:
        problems.append(Problem(fname, line, "", f"document {doc_id!r}: text {values['text']!r} "
                                f"{why}", hint="give the rendering's path relative to the source "
                                "archive folder, without '..'", code="bad-document"))
    if not ok:
        return None
    return Document(id=doc_id, file=fname, line=line, **values)


def _path_leaves(path: str) -> str:
    """Why a document path cannot name a file inside the source archive
    ('' when it can): absolute, climbing out with '..', or holding control
    characters.  Symlinks are checked when the file is read (ledger.sources.archive)."""
    if _CONTROL.search(path):
        return "holds a control character"
    posix = path.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        return "is absolute: documents must lie inside the source archive"
    norm = posixpath.normpath(posix)
    if norm == ".." or norm.startswith("../"):
        return "leaves the source archive ('..'): documents must lie inside it"
    if norm == ".":
        return "names the archive folder itself, not a file"
    return ""


NO_AMOUNT = "needs an amount"


def split_amount(amt: Any, currency: str) -> tuple[Decimal | None, str, ParsedAmount | None]:
    """An [[entry.split]] amount: a whole number, a plain decimal
    ("2,000,000") or a phrase in the entry's currency ("£2m").  Returns
    (value or None, problem or '', the phrase as read or None for a
    number); a phrase in another currency gives its value and a problem;
    no amount at all gives ``NO_AMOUNT``."""
    if isinstance(amt, int) and not isinstance(amt, bool):
        return Decimal(amt), "", None
    if not isinstance(amt, str):
        return None, NO_AMOUNT, None
    try:   # a number as an amount phrase's is read (parse_number: "1,5" is 1.5)
        plain = parse_number(amt)
    except MoneyError:
        try:
            plain = Decimal(amt.strip())   # "1e6", "-5": the rules word them
        except InvalidOperation:
            plain = Decimal("NaN")
    if plain.is_finite():   # "NaN", "Infinity": not numbers of money, left to the phrases
        return plain, "", None
    try:
        p = parse_amount(amt)
    except MoneyError as err:
        return None, f"split amount: {err}", None
    if currency and p.currency != currency:
        return p.amount, f"split amount {amt!r} is in {p.currency}, the entry in {currency}", p
    return p.amount, "", p


class SplitPart(NamedTuple):
    """One split table as a row of the raw form: its purpose and amount as
    text (a plain decimal, '' when none is given or read), the amount as
    written, and the problems only a journal-shaped table can have (an
    unknown key, an amount phrase that cannot be read or names another
    currency than the entry's), each as (message, hint, code, key)."""
    purpose: str
    amount: str
    written: str
    problems: list
    amount_said: bool        # the amount's problem is among ``problems`` (none read)


def split_part(table: dict, currency: str, period: str | None = None,
               qualifier: str | None = None, on: dt.date | None = None) -> SplitPart:
    """One ``[[entry.split]]`` table (a journal's, an import's) read into the
    raw form's split row; the split rules (a purpose, a positive amount
    within bounds: ``ledger.rules.rows``' ``SPLIT_*``) are
    ``ledger.read.table.check_raw``'s, for every input.  An amount phrase
    with a period or qualifier that is not the entry's (``period``,
    ``qualifier``; None: not known) is a problem here
    (``rr.split_phrase_problems``): a part is a share in the entry's terms."""
    found = [(f"unknown field {k!r} in [[entry.split]]", _suggest(k, SPLIT_FIELDS),
              "unknown-field", k) for k in table if k not in SPLIT_FIELDS]
    purpose = table.get("purpose")
    purpose = rr.composed(purpose.strip()) if isinstance(purpose, str) else ""
    if not purpose:   # the rules say so, and nothing of its amount
        return SplitPart("", "", "", found, False)
    written = table.get("amount")
    value, why, phrase = split_amount(written, currency)
    if why and why is not NO_AMOUNT:
        found.append((why, "", "bad-split", "amount"))
    if phrase is not None:
        found += [(message, hint, code, "amount") for message, hint, code in
                  rr.split_phrase_problems(purpose, str(written), phrase, period, qualifier, on)]
    if value is None:
        return SplitPart(purpose, "", "", found, bool(why) and why is not NO_AMOUNT)
    if value > MAX_AMOUNT:   # worded as written; any number of 17 whole digits is refused
        text = format(value, "f") if value.adjusted() < 30 else "1" + "0" * 30
    else:
        text = plain_decimal(value)
    return SplitPart(purpose, text, str(written), found, False)
