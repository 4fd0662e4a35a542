"""Render entries and documents as journal TOML (see docs/journal.md).

The inverse of ``ledger.read.journal``: ``read_journal`` on the text written here
gives the same entries back.  Rendering goes through ``tomlkit`` so quoting,
escapes and dates are always valid TOML.

- ``entry_table(entry)``: an ``Entry`` (or a dict of raw journal fields) as a
  plain dict of journal fields.
- ``render(entries=(), documents=(), header="")``: TOML text with
  ``[[document]]`` and ``[[entry]]`` tables, in that order.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from collections.abc import Iterable, Mapping
from typing import Any

from ledger.edit import ENTRY_ORDER as ENTRY_FIELDS
from ledger.edit import SUBTABLES, render_entry
from ledger.edit import _new_bytes, _newline     # how `add` appends: one way for every command
from ledger.read.journal import _loads as toml_loads   # the reader's own parser
from ledger.safe_io import nesting_depth
from ledger.text_safety import one_line
from ledger.model import ONE_OFF, Document, Entry
from ledger.phrases.money import MoneyError, format_amount_phrase, parse_amount, plain_decimal

# the journal's field order (docs/journal.md), its sub-tables last: one list, in edit.py
ENTRY_ORDER = ENTRY_FIELDS + SUBTABLES
_KNOWN = frozenset(ENTRY_ORDER)
DOCUMENT_ORDER = ("id", "title", "publisher", "published", "url", "retrieved", "path",
                  "sha256", "text", "text_sha256", "notes")



def entry_table(entry: Entry | Mapping[str, Any]) -> dict[str, Any]:
    """The journal fields of ``entry`` (an ``Entry`` or a dict of raw fields,
    returned ordered and without empty values)."""
    if isinstance(entry, Mapping):
        raw = entry
    else:
        raw = _entry_fields(entry)
    out = {}
    for k in ENTRY_ORDER:
        if k in raw:
            v = raw[k]
            if v.__class__ is str:     # most values: no comparison with each empty value
                if v:
                    out[k] = v
            elif v not in _EMPTY:
                out[k] = v
    if not _KNOWN.issuperset(raw):     # unknown fields are kept, so the reader reports them
        for k in raw:
            if k not in _KNOWN and raw[k] not in _EMPTY:
                out[k] = raw[k]
    return out


def _entry_fields(e: Entry) -> dict[str, Any]:
    amount_text = e.amount_text.strip()
    phrase = None
    if amount_text:
        try:
            phrase = parse_amount(amount_text)
        except MoneyError:
            phrase = None
    if phrase is None or phrase.amount != e.amount or phrase.currency != e.currency:
        amount_text, phrase = plain_decimal(e.amount), None
        currency = e.currency
    else:
        currency = ""
    out: dict[str, Any] = {"id": e.id, "date": e.date}
    if e.value_date is not None:
        out["value_date"] = e.value_date
    out["funder"] = e.funder
    if not e.splits:
        out["purpose"] = e.purpose
    out["amount"] = amount_text
    out["currency"] = currency
    phrase_qualifier = phrase.qualifier if phrase else "exact"
    if e.qualifier != phrase_qualifier:
        out["qualifier"] = e.qualifier
    phrase_period = phrase.period if phrase else None
    if e.period.kind != ONE_OFF and phrase_period != e.period:
        out["period"] = e.period.describe()
    out["status"] = e.status
    if e.restated:
        out["restated"] = [format_amount_phrase(m.amount, m.currency) for m in e.restated]
    for ln in e.links:
        out[ln.kind] = ln.target
    out.update(recipient=e.recipient, location=e.location, tags=list(e.tags), notes=e.notes)
    if e.splits:
        out["split"] = [{"purpose": s.purpose, "amount": plain_decimal(s.amount)} for s in e.splits]
    if e.sources:
        out["source"] = [{k: v for k, v in (("doc", c.doc), ("quote", c.quote),
                                            ("locator", c.locator)) if v}
                         for c in e.sources]
    return out


def document_table(doc: Document | Mapping[str, Any]) -> dict[str, Any]:
    raw = dict(doc) if isinstance(doc, Mapping) else {k: getattr(doc, k) for k in DOCUMENT_ORDER}
    return {k: raw[k] for k in DOCUMENT_ORDER if raw.get(k) not in (None, "")}


_EMPTY: tuple[Any, ...] = (None, "", [], ())     # a field left out (``entry_table``)


def _value(v: Any):
    t = type(v)
    if t is str or t is list or t is dt.date:     # nearly every value: as it is
        return v
    if isinstance(v, Decimal):
        return plain_decimal(v)
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, tuple):
        return list(v)
    return v


def render_document(doc: Document | Mapping[str, Any], newline: str = "\n") -> str:
    """One ``[[document]]`` table as TOML text."""
    import tomlkit

    lines = ["[[document]]"]
    for k, v in document_table(doc).items():
        lines.append(f"{k} = {tomlkit.item(_value(v)).as_string()}")
    return newline.join(lines) + newline


def render(entries: Iterable[Entry | Mapping[str, Any]] = (),
           documents: Iterable[Document | Mapping[str, Any]] = (), header: str = "",
           newline: str = "\n") -> str:
    """TOML text with the documents then the entries, one blank line between
    tables; ``header`` becomes leading ``#`` comment lines.  Entry tables are
    rendered by ``ledger.edit.render_entry`` (the same style as
    ``ledger-tool add``: indented ``[[entry.source]]`` sub-tables)."""
    parts = []
    if header:
        # each line inert: a line break of the text's own would end the comment
        parts.append(newline.join(("# " + one_line(ln)).rstrip() for ln in header.split("\n"))
                     + newline)
    parts += [render_document(d, newline) for d in documents]
    for e in entries:
        # ``entry_table``'s fields in one pass: render_entry puts them in order
        raw = e if isinstance(e, Mapping) else _entry_fields(e)
        parts.append(render_entry(raw, newline=newline, convert=_value))
    return newline.join(parts)


def appended(old: bytes | None, text: str) -> bytes:
    """The journal bytes ``old`` (None: a new file) with ``text`` (TOML
    rendered with "\\n" line ends) appended as ``add`` appends an entry
    (``ledger.edit``): a BOM and CRLF line ends kept, one blank line before
    the new tables."""
    newline = _newline(old or b"")
    return _new_bytes(old, text.replace("\n", newline), newline)[0]


_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def unreadable(text: str) -> tuple[int, str] | None:
    """(line, why) when the journal ``text`` would not read as TOML (the
    reader's parser, nesting checked first), else None: what a write
    checks before its rename, so that no command leaves a journal that no
    longer reads."""
    deep = nesting_depth(text)
    if deep is not None:
        return deep[1], f"arrays or inline tables nested {deep[0]} deep"
    try:
        toml_loads(text)
    except tomllib.TOMLDecodeError as err:
        m = _AT_LINE.search(str(err))
        return (int(m.group(1)) if m else 0), _AT_LINE.sub("", str(err)).strip()
    except (RecursionError, ValueError) as err:
        return 0, str(err) or type(err).__name__
    return None
