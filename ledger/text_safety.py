"""Bidi controls in source text (a quote, a title, a note) shown, never sent.

A bidi control (Unicode's Bidi_Control: U+061C, U+200E/F, U+202A-E,
U+2066-9) reorders what a reader sees around it: in a CSV cell, a Parquet
text column shown by a spreadsheet or a terminal, a journal comment, it can
make "£7 million" read as another figure.  Account names refuse them
(``ledger.model``); free text keeps them, written as the visible escape
``\\u202e`` in every output, as ``reports.text.show_controls`` writes them on
the page and in the workbook.  One pattern, one spelling, for plain text,
pandas frames and Arrow arrays and tables.
"""
from __future__ import annotations

import re

from ledger.model import BIDI_CONTROLS, NOT_ON_ONE_LINE, one_line
from ledger.model import shown_char as _shown

__all__ = ["BIDI", "BIDI_CLASS", "has_bidi", "show_bidi", "show_bidi_frame", "show_bidi_arrow",
           "show_bidi_table", "one_line", "show_controls", "show_on_terminal"]

BIDI_CLASS = f"[{BIDI_CONTROLS}]"      # a character class Python's re and Arrow's RE2 read alike
BIDI = re.compile(BIDI_CLASS)
_CHARS = [chr(c) for c in range(0x0600, 0x2070) if BIDI.match(chr(c))]


# their UTF-8 spellings: a string holds a bidi control only if its bytes hold one
_UTF8 = [ch.encode() for ch in _CHARS]


def _may_hold_bidi(arr) -> bool:
    """False when no value of the Arrow string array (not chunked) holds a
    bidi control: none of their UTF-8 spellings is in its data buffer (a
    few numpy passes over the bytes, where a regex reads the strings one by
    one); True when one may (the buffer can hold bytes of values out of a
    slice)."""
    import numpy as np

    buf = arr.buffers()[2]
    if buf is None:
        return False
    data = np.frombuffer(buf, dtype=np.uint8)
    for lead in {b[0] for b in _UTF8}:
        at = np.flatnonzero(data == lead)
        for seq in (b for b in _UTF8 if b[0] == lead):
            start = at[at + len(seq) <= len(data)]
            hit = np.ones(len(start), dtype=bool)
            for k in range(1, len(seq)):
                hit &= data[start + k] == seq[k]
            if hit.any():
                return True
    return False


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}"


def has_bidi(text: str) -> bool:
    return BIDI.search(text) is not None


def show_bidi(text: str) -> str:
    """``text`` with each bidi control written as ``\\uNNNN``."""
    return BIDI.sub(lambda m: _escape(m.group()), text)


def show_bidi_frame(frame):
    """A pandas frame with ``show_bidi`` over every text value (a copy when
    any changes; the frame itself when none has a bidi control)."""
    out = frame
    for col in frame.columns:
        s = frame[col]
        if s.dtype != object and not str(s.dtype).startswith(("str", "string")):
            continue
        values = s.tolist()
        if not BIDI.search("\n".join(v for v in values if isinstance(v, str))):
            continue     # one scan of the column's text; most have none
        hit = s.map(lambda v: isinstance(v, str) and BIDI.search(v) is not None)
        if out is frame:
            out = frame.copy()
        new = s.astype(object)
        new[hit] = s[hit].map(show_bidi)
        out[col] = new if s.dtype == object else new.astype(s.dtype)
    return out


def show_bidi_arrow(arr):
    """An Arrow string array (or chunked array, or dictionary of strings)
    with ``show_bidi`` applied; other types are returned as they are."""
    import pyarrow as pa
    import pyarrow.compute as pc

    typ = arr.type
    if pa.types.is_dictionary(typ):
        if isinstance(arr, pa.ChunkedArray):
            return pa.chunked_array([show_bidi_arrow(c) for c in arr.chunks], type=typ)
        return pa.DictionaryArray.from_arrays(arr.indices, show_bidi_arrow(arr.dictionary))
    if not (pa.types.is_string(typ) or pa.types.is_large_string(typ)) or not len(arr):
        return arr
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if not any(_may_hold_bidi(c) for c in chunks):
        return arr
    found = pc.match_substring_regex(arr, BIDI_CLASS)
    if not pc.any(found).as_py():
        return arr
    for ch in _CHARS:
        arr = pc.replace_substring(arr, pattern=ch, replacement=_escape(ch))
    return arr


def show_bidi_table(table):
    """An Arrow table with ``show_bidi_arrow`` over every text column."""
    for i, field in enumerate(table.schema):
        col = table.column(i)
        new = show_bidi_arrow(col)
        if new is not col:
            table = table.set_column(i, field, new)
    return table


# Control characters in ledger text are shown, never sent: as \xNN (the
# workbook, HTML and SVG promise of docs/guarantees.md).  Everywhere: C0 but
# tab, newline and CR, DEL, and the bidi controls (they reorder what a reader
# sees around them).  On a terminal also those three (they break a table),
# C1 (\x9b starts an escape sequence) and every format character (invisible).
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f{BIDI_CONTROLS}]")
_TERMINAL = NOT_ON_ONE_LINE


# what moves the cursor, ends a line or reorders text on a terminal (C0 but
# line feed and tab, DEL, C1, the line and paragraph separators, the bidi
# controls); other invisible formatting characters (joiners in Persian and
# emoji, soft hyphens) are part of the text a command prints
_ON_TERMINAL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\u2028\u2029{BIDI_CONTROLS}]")


def show_on_terminal(text: str) -> str:
    """A command's output (``list``, ``export -o -``) as a terminal shows
    it: what could move the cursor, end a line or reorder text written as
    ``\\xNN`` / ``\\uNNNN``, the rest as written."""
    return _ON_TERMINAL.sub(_shown, text)


def show_controls(text: str, terminal: bool = False, keep: str = "") -> str:
    """``text`` with its control characters written as ``\\xNN`` (``\\uNNNN``
    for bidi controls): inert on a page, in a cell, on a terminal.  ``keep``:
    characters left as they are."""
    pat = _TERMINAL if terminal else _CONTROL
    if keep:   # e.g. a message's own line breaks
        return pat.sub(lambda m: m.group() if m.group() in keep else _shown(m), text)
    return pat.sub(_shown, text)
