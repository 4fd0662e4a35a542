"""The hledger and beancount exports written from the Book's columns.

The text of every transaction is built column by column with Arrow's string
kernels and written in chunks of entries to the (atomic) output, so a
million entries need neither an ``Entry`` object nor a Python string per
posting, and the memory stays that of one chunk.  Every rule that decides
what a piece of text says (a tag value, an account name, a quoted string)
is the one scalar function of ``reports.export``; here it runs once per
distinct value, or only on the values it would change (``_guarded``).

``journal_text(book, fmt, out, ...)`` writes to any text stream ``out`` and
returns the number of transactions written.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.book import not_counted_mask
from ledger.errors import LedgerError
from ledger.model import NOT_COUNTED
from ledger.text_safety import BIDI_CLASS, show_bidi_arrow
from reports import journal_names as jn
from reports.periods import fiscal_words_differ, period_words
from reports.valuation import Valued, fiscal_start_of

CHUNK_ENTRIES = 20_000    # entries per written chunk: bounded memory, text that stays in cache

# characters Python's str.split() splits on, and the comma (a tag value ends there)
_WS = (r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
       r"\x{202f}\x{205f}\x{3000}")
_NOTE_UNSAFE = r"\[[0-9=]"                           # jn._note_safe would change it
_TAG_UNSAFE = "([" + _WS + ",]|" + _NOTE_UNSAFE + ")"    # _tag_value would change it
_WS_UNSAFE = "^ | $|  |[" + _WS.replace(" ", "") + "]"   # " ".join(t.split()) would
_JSON_UNSAFE = r'["\\\x00-\x1f:\[]'                  # _as_written would escape it
_DESC_UNSAFE = "[" + _WS.replace(" ", "") + ";]"        # _description would change it
_COMMENT_UNSAFE = _WS_UNSAFE + "|:|" + _NOTE_UNSAFE     # _comment_text would
_BQ_UNSAFE = r'["\\]|' + _WS_UNSAFE + "|" + BIDI_CLASS   # _bq would change it


# ------------------------------------------------------------------ helpers
TOO_BIG = ("export: a converted amount is too large to write exactly (past 2**62 minor "
           "units of the currency): export in a currency with larger units (--currency), "
           "or check the amount")


def exact_minor(spread: pd.DataFrame, column: str) -> np.ndarray:
    """``column`` (integer minor units) as int64; a frame whose sums went past
    int64 (``reports.columns._minor`` made them Python ints) is refused in one
    line rather than wrapped round."""
    m = spread[column]
    if m.dtype == object:
        raise LedgerError(TOO_BIG)
    return m.to_numpy(dtype=np.int64)


def _strings(values) -> pa.Array:
    """A pandas column / numpy array of text as an Arrow string array
    (missing -> '')."""
    if isinstance(values, pd.Series):
        if isinstance(values.dtype, pd.CategoricalDtype):
            cats = pa.array([str(c) for c in values.cat.categories], pa.string())
            codes = values.cat.codes.to_numpy()
            arr = cats.take(pa.array(np.where(codes < 0, 0, codes))) if len(cats) else \
                pa.array([""] * len(values), pa.string())
            if (codes < 0).any():
                arr = pc.if_else(pa.array(codes < 0), "", arr)
            return arr
        pa_arr = getattr(values.array, "_pa_array", None)
        if pa_arr is not None:
            arr = pa_arr.combine_chunks() if isinstance(pa_arr, pa.ChunkedArray) else pa_arr
            return pc.fill_null(arr.cast(pa.string()), "")
        values = values.to_numpy(dtype=object)
    vals = np.asarray(values, dtype=object)
    return pc.fill_null(pa.array(vals, pa.string(), from_pandas=True), "")


def _per_value(arr: pa.Array, fn) -> pa.Array:
    """``fn`` applied once per distinct value (few-valued columns)."""
    enc = pc.dictionary_encode(arr)
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    mapped = pa.array([fn(v) for v in enc.dictionary.to_pylist()], pa.string())
    return mapped.take(enc.indices)


def _guarded(arr: pa.Array, fn, unsafe: str) -> pa.Array:
    """``fn`` applied only to the values matching ``unsafe`` (those it may
    change); every other value is its own image."""
    if not len(arr):
        return arr
    mask = pc.match_substring_regex(arr, unsafe)
    if not pc.any(mask).as_py():
        return arr
    rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
    fixed = _per_value(arr.take(pa.array(rows)), fn)
    return pc.replace_with_mask(arr, mask, fixed)


def _cat(*parts) -> pa.Array:
    """Element-wise concatenation (strings or arrays)."""
    return pc.binary_join_element_wise(*parts, "")


def _join_groups(values: pa.Array, counts, sep: str) -> pa.Array:
    """Consecutive runs of ``values`` (``counts`` each) joined by ``sep``."""
    offsets = pa.array(np.r_[0, np.cumsum(counts)].astype(np.int32))
    return pc.binary_join(pa.ListArray.from_arrays(offsets, values), sep)


def _children(entry, n: int, values: pa.Array, sep: str = "") -> pa.Array:
    """Per entry (``n``), its child rows' ``values`` joined ('' for none);
    child rows sorted by entry."""
    counts = np.bincount(entry, minlength=n) if len(entry) else np.zeros(n, dtype=np.int64)
    return _join_groups(values, counts, sep)


def minor_text(minor, digits) -> pa.Array:
    """Integer minor units as plain decimals with ``digits`` places each
    ('-1234.50'); what ``export._num`` writes for an amount exact to its
    currency's minor unit.  The integers are read as Arrow decimals of that
    scale (16-byte two's complement) and cast to text in one kernel."""
    minor = np.asarray(minor, dtype=np.int64)
    digits = np.broadcast_to(np.asarray(digits, dtype=np.int64), minor.shape)
    words = np.empty(2 * len(minor), dtype=np.int64)
    words[0::2] = minor
    words[1::2] = np.where(minor < 0, -1, 0)
    buf = pa.py_buffer(words)
    out = None
    kinds = np.unique(digits)
    for d in kinds:
        text = pa.Array.from_buffers(pa.decimal128(38, int(d)), len(minor),
                                     [None, buf]).cast(pa.string())
        out = text if out is None else pc.if_else(pa.array(digits == d), text, out)
    return out if out is not None else pa.array([], pa.string())


def _decimal_text(values, digits, codes, num, negate: bool = False) -> pa.Array:
    """Recorded amounts (negated with ``negate``) as ``export._num`` writes
    them: at the currency's minor digits when exact to them, else every digit
    as stored."""
    arr = getattr(getattr(values, "array", values), "_pa_array", None)
    if arr is not None and pa.types.is_decimal(arr.type):
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        scale = arr.type.scale
        text = arr.cast(pa.string())
        digits = np.asarray(digits, dtype=np.int64)
        out = text
        for d in np.unique(digits):
            d = int(d)
            sel = pa.array(digits == d)
            if d >= scale:    # quantize adds zeros
                pad = "0" * (d - scale)
                fixed = _cat(text, ("." if scale == 0 else "") + pad) if pad else text
            else:             # exact when the digits past d are zeros
                tail = pc.utf8_slice_codeunits(text, -(scale - d))
                cut = pc.utf8_slice_codeunits(text, 0, -(scale - d) - (1 if d == 0 else 0))
                fixed = pc.if_else(pc.equal(tail, "0" * (scale - d)), cut, text)
            out = pc.if_else(sel, fixed, out)
        if negate:    # -0 is written 0, as Decimal negates it
            neg = pc.starts_with(out, "-")
            zero = pc.equal(arr, pa.scalar(Decimal(0), arr.type))
            out = pc.if_else(neg, pc.utf8_slice_codeunits(out, 1),
                             pc.if_else(zero, out, _cat("-", out)))
        return out
    vals = values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else values
    sign = -1 if negate else 1
    return pa.array([num(sign * (v if isinstance(v, Decimal) else Decimal(str(v))), c)
                     for v, c in zip(vals, codes.to_pylist())], pa.string())


def _date_text(days) -> pa.Array:
    return pa.array(np.asarray(days, dtype="datetime64[D]")).cast(pa.string())


def _write_array(out, arr: pa.Array) -> None:
    """Every value of a string array, back to back, into the text stream."""
    if not len(arr):
        return
    arr = show_bidi_arrow(arr)   # bidi controls in quotes shown, never sent
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    if getattr(out, "buffer", None) is not None and hasattr(out, "flush"):
        bufs = arr.buffers()
        width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
        offs = np.frombuffer(bufs[1], dtype=width)[arr.offset:arr.offset + len(arr) + 1]
        out.flush()
        out.buffer.write(memoryview(bufs[2])[int(offs[0]):int(offs[-1])])
    else:
        out.write(pc.binary_join(pa.ListArray.from_arrays(
            pa.array([0, len(arr)], pa.int32()), arr), "")[0].as_py())


# ------------------------------------------------------------------ the model
class _Columns:
    """The Book's entry columns the texts need, as Arrow strings / numpy."""

    def __init__(self, book):
        t = book.tables
        en = t.entries
        self.n = n = len(en)
        self.ids = _strings(en["id"])
        self.funder = _strings(en["funder"])
        self.currency = _strings(en["currency"])
        self.status = _strings(en["status"])
        # a fiscal year in the words of every other export (its dates for a
        # start other than 1 April)
        self.period = _strings(period_words(book) if fiscal_words_differ(book)
                               else en["period"])
        self.qualifier = _strings(en["qualifier"])
        self.dates = en["date"].to_numpy().astype("datetime64[D]")
        starts = en["start"].to_numpy().astype("datetime64[D]")
        self.starts = np.where(np.isnat(starts), self.dates, starts)
        self.tags = _strings(en["tags"])
        written = _strings(en["amount_text"])
        empty = np.flatnonzero(pc.equal(written, "").to_numpy(zero_copy_only=False))
        if len(empty):   # str(e.money): the currency and the amount as a Decimal
            amt = en["amount"].iloc[empty].tolist()
            cur = self.currency.take(pa.array(empty)).to_pylist()
            vals = np.asarray(written.to_pylist(), dtype=object)
            vals[empty] = [f"{c} {a if isinstance(a, Decimal) else Decimal(str(a))}"
                           for a, c in zip(amt, cur)]
            written = pa.array(vals, pa.string())
        self.written = written
        self.amount = en["amount"]
        al = t.allocations
        self.al_entry = al["entry"].to_numpy(dtype=np.int64)
        self.al_purpose = _strings(al["purpose"])
        self.al_amount = al["amount"]
        ci = t.citations
        self.ci_entry = ci["entry"].to_numpy(dtype=np.int64)
        self.ci_doc, self.ci_quote = _strings(ci["doc"]), _strings(ci["quote"])
        li = t.links
        self.li_entry = li["entry"].to_numpy(dtype=np.int64)
        self.li_kind, self.li_target = _strings(li["kind"]), _strings(li["target"])
        for e in (self.al_entry, self.ci_entry, self.li_entry):
            if len(e) and (np.diff(e) < 0).any():
                raise LedgerError("export: the Book's child rows are not in entry order")
        self.n_links = np.bincount(self.li_entry, minlength=n) if len(self.li_entry) \
            else np.zeros(n, dtype=np.int64)
        # counted in a target (secondary); --status may count one as itself
        self.linked = (self.n_links > 0) & ~en["primary"].to_numpy(dtype=bool)
        # recorded but left out of every total (an FTS flow outside the location's
        # funding): secondary too, so `not:tag:secondary` leaves it out as we do
        self.not_counted = not_counted_mask(en["tags"].to_numpy(dtype=object))
        enc = pc.dictionary_encode(self.currency)
        self.cur_code = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        self.cur_names = enc.dictionary
        self.cur_digits = np.array([jn._digits(c) for c in self.cur_names.to_pylist()] + [0],
                                   dtype=np.int64)

    def code_of(self, currency: str) -> int:
        """The code of ``currency`` in ``cur_code`` (-1 when no entry has it)."""
        names = self.cur_names.to_pylist()
        return names.index(currency) if currency in names else -1



def _child_rows(entry, a: int, b: int):
    """Positions [lo, hi) of the child rows of entries a..b-1 (sorted)."""
    return int(np.searchsorted(entry, a, "left")), int(np.searchsorted(entry, b, "left"))


def _tag_lines(tags: pa.Array, fn) -> pa.Array:
    """Per entry: its ';'-joined tags, each made a line by ``fn``, joined."""
    if not pc.any(pc.not_equal(tags, "")).as_py():
        return pa.array([""] * len(tags), pa.string())
    return _per_value(tags, lambda t: "".join(fn(x) for x in t.split(";") if x))


# ------------------------------------------------------------------ transactions
class _Txns:
    """The transactions by year part (the report's spread) or as recorded:
    for each, its entry row, date and posting lines (original and report
    currency minor units)."""

    def __init__(self, cols: _Columns, valued: Valued, *, constant=None):
        spread, self.used = valued.spread, valued.horizon
        currency = valued.spec.currency
        sm, sd = fiscal_start_of(valued.book, valued.spec)
        row = _rows_in_order(cols.ids, spread["id"])
        if row is None:      # by id (a repeated id: its last entry, as a dict keeps)
            ids = cols.ids.to_numpy(zero_copy_only=False)
            sid = spread["id"].astype(object).to_numpy()
            index = pd.Index(ids)
            if index.is_unique:
                row = index.get_indexer(sid)
            else:
                last = pd.Series(np.arange(len(ids)), index=ids).groupby(level=0).last()
                row = last.reindex(sid).to_numpy()
        row = np.asarray(row, dtype=np.int64)
        year = spread["year"]
        if isinstance(year.dtype, pd.CategoricalDtype):
            ycodes = year.cat.codes.to_numpy().astype(np.int64)
            labels = [str(c) for c in year.cat.categories]
        else:
            ycodes, uniq = pd.factorize(year.to_numpy())
            labels = [str(u) for u in uniq]
        first_year = np.array([int(lb[:4]) for lb in labels], dtype=np.int64)
        # transactions: (entry, year) in order of first appearance; lines in spread order
        key = row * max(len(labels), 1) + ycodes
        codes, _ = pd.factorize(key, sort=False)
        order = np.argsort(codes, kind="stable")
        o_minor = exact_minor(spread, "original_minor")[order]
        v_minor = exact_minor(spread, "value_minor")[order]
        if constant:   # at constant prices a report-currency amount is its real value
            same = (spread["currency"].astype(str).to_numpy() == currency.upper())[order]
            o_minor = np.where(same, v_minor, o_minor)
        keep = (o_minor != 0) | (v_minor != 0)
        order, o_minor, v_minor = order[keep], o_minor[keep], v_minor[keep]
        g = codes[order]
        new = np.r_[True, g[1:] != g[:-1]] if len(g) else np.zeros(0, dtype=bool)
        starts = np.flatnonzero(new)
        self.count = len(starts)
        self.lines = np.diff(np.r_[starts, len(g)])
        first = order[starts]
        self.entry = row[first]
        self.label = pa.array(labels, pa.string()).take(pa.array(ycodes[first]))
        bounds = np.array([np.datetime64(dt.date(int(y) + k, sm, sd)) for y in first_year
                           for k in (0, 1)], dtype="datetime64[D]").reshape(-1, 2)
        ystart, ynext = bounds[ycodes[first], 0], bounds[ycodes[first], 1]
        # each part dated inside its own year (an entry dated after a part's year,
        # "fiscal year 2001-02" dated 2002-02-13, has its 2001 part on 2001-12-31),
        # or hledger -Y and beancount put it in the wrong year
        self.when = np.minimum(np.maximum(ystart, cols.starts[self.entry]),
                               ynext - np.timedelta64(1, "D"))
        self.line_purpose = _strings(spread["purpose"]).take(pa.array(order))
        self.o_minor, self.v_minor = o_minor, v_minor
        for parts in (o_minor, v_minor):   # a transaction's total must not wrap round
            if len(starts) and np.add.reduceat(np.abs(parts.astype(np.float64)),
                                               starts).max() >= 2.0 ** 62:
                raise LedgerError(TOO_BIG)
        self.total_o = np.add.reduceat(o_minor, starts) if len(starts) else o_minor[:0]
        self.total_v = np.add.reduceat(v_minor, starts) if len(starts) else v_minor[:0]
        # a year part that rounds to 0 in its own currency but not in the report's
        # ("0.00 EUR @@ 4 IDR"): a zero amount has no sign for its cost, so hledger
        # refuses it and beancount weighs it 0; such a posting is written in the
        # report currency
        self.currency = currency
        self.f_rep = (self.total_o == 0) & (self.total_v != 0)
        self.l_rep = (o_minor == 0) & (v_minor != 0)
        # the header names each purpose once
        self.first_purpose = np.ones(len(order), dtype=bool)
        multi = np.flatnonzero(np.repeat(self.lines > 1, self.lines))
        if len(multi):
            pkey = pd.factorize(self.line_purpose.take(pa.array(multi))
                                .to_numpy(zero_copy_only=False))[0]
            grp = np.repeat(np.arange(self.count), self.lines)[multi]
            self.first_purpose[multi] = ~pd.Series(grp * (pkey.max() + 1) + pkey
                                                   ).duplicated().to_numpy()
        self.line_start = np.r_[0, np.cumsum(self.lines)]

    def monotone(self) -> bool:
        return bool(len(self.entry) < 2 or (np.diff(self.entry) >= 0).all())

    def postings(self, ta, tb, la, lb, cur, line_cur, sdig, ldig, currency, rdig,
                 foreign, line_foreign):
        f_rep, l_rep = self.f_rep[ta:tb], self.l_rep[la:lb]
        f_post = _posting_text(
            _in_report(f_rep, -self.total_o[ta:tb], sdig, -self.total_v[ta:tb], rdig),
            _in_report_name(f_rep, cur, currency),
            minor_text(np.abs(self.total_v[ta:tb]), rdig), currency, foreign & ~f_rep)
        p_post = _posting_text(
            _in_report(l_rep, self.o_minor[la:lb], ldig, self.v_minor[la:lb], rdig),
            _in_report_name(l_rep, line_cur, currency),
            minor_text(np.abs(self.v_minor[la:lb]), rdig), currency, line_foreign & ~l_rep)
        return f_post, p_post


def _in_report(rep, o_minor, o_digits, v_minor, rdig) -> pa.Array:
    """The amounts' text: the report currency's value where ``rep``."""
    if not rep.any():
        return minor_text(o_minor, o_digits)
    return minor_text(np.where(rep, v_minor, o_minor), np.where(rep, rdig, o_digits))


def _in_report_name(rep, cur: pa.Array, currency: str) -> pa.Array:
    return pc.if_else(pa.array(rep), currency, cur) if rep.any() else cur


def _rows_in_order(ids: pa.Array, spread_ids):
    """The entry row of each spread row when the spread keeps the entries'
    order (each entry's rows together, every entry in turn), else None."""
    sid = _strings(spread_ids)
    m = len(sid)
    if not m or not len(ids):
        return None
    change = np.ones(m, dtype=bool)
    change[1:] = pc.not_equal(sid.slice(1), sid.slice(0, m - 1)).to_numpy(zero_copy_only=False)
    row = np.cumsum(change) - 1
    if row[-1] >= len(ids):
        return None
    same = pc.all(pc.equal(ids.take(pa.array(row)), sid)).as_py()
    return row.astype(np.int64) if same else None


class _Recorded:
    """One transaction per entry at its date, the amounts as recorded.
    ``line_values``: each allocation line's value in the report currency
    (minor units, as ``balance --basis recorded`` counts it), written as the
    ``@@`` cost of a foreign posting; the funder's cost is the sum of its
    lines' (a split rounded line by line, as ledger-tool rounds it)."""

    def __init__(self, cols: _Columns, line_values=None):
        self.line_values = None if line_values is None else np.asarray(line_values,
                                                                      dtype=np.int64)
        self.used = None
        n = cols.n
        self.count = n
        self.entry = np.arange(n, dtype=np.int64)
        self.lines = np.bincount(cols.al_entry, minlength=n) if len(cols.al_entry) \
            else np.zeros(n, dtype=np.int64)
        self.line_start = np.r_[0, np.cumsum(self.lines)]
        self.when = cols.dates
        self.line_purpose = cols.al_purpose
        self.first_purpose = np.ones(len(cols.al_entry), dtype=bool)   # each named
        self.label = None
        self.cols = cols

    def monotone(self) -> bool:
        return True

    def postings(self, ta, tb, la, lb, cur, line_cur, sdig, ldig, currency, rdig,
                 foreign=None, line_foreign=None):
        en = self.cols.amount
        f_text = _decimal_text(en.iloc[ta:tb], sdig, cur, jn._num, negate=True)
        p_text = _decimal_text(self.cols.al_amount.iloc[la:lb], ldig, line_cur, jn._num)
        if self.line_values is None or foreign is None:
            return _cat(f_text, " ", cur), _cat(p_text, " ", line_cur)
        lv = self.line_values[la:lb]
        fv = np.zeros(tb - ta, dtype=np.int64)
        np.add.at(fv, np.repeat(np.arange(tb - ta), self.lines[ta:tb]), lv)
        return (_posting_text(f_text, cur, minor_text(np.abs(fv), rdig), currency, foreign),
                _posting_text(p_text, line_cur, minor_text(np.abs(lv), rdig), currency,
                              line_foreign))


def _chunks(n: int, txn_entry, monotone: bool):
    """(entry range, transaction range) per chunk of entries."""
    if not monotone:
        yield (0, n), (0, len(txn_entry))
        return
    for a in range(0, max(n, 1), CHUNK_ENTRIES):
        b = min(n, a + CHUNK_ENTRIES)
        yield (a, b), (int(np.searchsorted(txn_entry, a, "left")),
                       int(np.searchsorted(txn_entry, b, "left")))


# ------------------------------------------------------------------ hledger
def _hledger_blocks(cols: _Columns, a: int, b: int, funder_acct):
    """Per entry a..b-1: the first four comment lines, and the rest (links,
    'secondary', tags, the amount as written, sources)."""
    def tv(arr):
        return _guarded(arr, jn._tag_value, _TAG_UNSAFE)

    sl = slice(a, b)
    n = b - a
    rng = pa.array(np.arange(a, b))
    ids = cols.ids.take(rng)
    first = _cat("\n    ; id: ", tv(ids),
                 "\n    ; status: ", _per_value(cols.status.take(rng), jn._tag_value),
                 "\n    ; period: ", _per_value(cols.period.take(rng), jn._tag_value),
                 "\n    ; qualifier: ", _per_value(cols.qualifier.take(rng), jn._tag_value))
    lo, hi = _child_rows(cols.li_entry, a, b)
    le = cols.li_entry[lo:hi] - a
    targets = tv(cols.li_target.slice(lo, hi - lo))
    links = _children(le, n, _cat("\n    ; ", cols.li_kind.slice(lo, hi - lo), ": ", targets))
    has = cols.linked[sl]
    firsts = np.full(n, -1, dtype=np.int64)
    if hi > lo:
        firsts[le[::-1]] = np.arange(hi - lo)[::-1]      # the first link of each entry
    counted = _cat("counted by ", targets.take(pa.array(np.where(has, firsts, 0)))
                   if hi > lo else pa.array([""] * n, pa.string()))
    counted = _guarded(counted, jn._tag_value, "^counted by (.*" + _TAG_UNSAFE + "|$)")
    secondary = pc.if_else(pa.array(has), _cat("\n    ; secondary: ", counted),
                           pc.if_else(pa.array(cols.not_counted[sl]),
                                      "\n    ; secondary: " + NOT_COUNTED, ""))
    tags = _tag_lines(cols.tags.slice(a, n), lambda t: f"\n    ; {jn._tag_name(t)}:")
    written = _guarded(cols.written.slice(a, n), jn._as_written, _JSON_UNSAFE)
    written = pc.if_else(pc.match_substring_regex(cols.written.slice(a, n), _JSON_UNSAFE),
                         written, _cat('"', written, '"'))
    lo, hi = _child_rows(cols.ci_entry, a, b)
    quote = cols.ci_quote.slice(lo, hi - lo)
    qline = pc.if_else(pc.not_equal(quote, ""),
                       _cat("\n    ;   “", _guarded(quote, jn._comment_text, _COMMENT_UNSAFE),
                            "”"), "")
    sources = _children(cols.ci_entry[lo:hi] - a, n, _cat(
        "\n    ; source: ", tv(cols.ci_doc.slice(lo, hi - lo)), qline))
    rest = _cat(links, secondary, tags, "\n    ; amount as written ", written, sources,
                "\n    ", funder_acct.slice(a, n), "  ")
    lead = _cat(" (", _guarded(ids, jn._description, _DESC_UNSAFE), ") ",
                _guarded(cols.funder.slice(a, n), jn._description, _DESC_UNSAFE))
    return lead, None, first, rest


def _posting_text(o_text, cur, v_text, report: str, foreign):
    """A posting's amount in its currency, and its cost in the report
    currency (``@@``) where that differs (``foreign``)."""
    base = _cat(o_text, " ", cur)
    if not foreign.any():
        return base
    return pc.if_else(pa.array(foreign), _cat(base, " @@ ", v_text, f" {report}"), base)


def _txn_texts(cols, txns, ta, tb, a, blocks, purpose_acct, currency, rdig, fmt):
    """The text of transactions ta..tb-1 (entries from row ``a``): per-entry
    blocks taken once per transaction, per-transaction and per-line pieces
    between them."""
    lead, heads, first, rest = blocks
    ent = txns.entry[ta:tb]
    local = pa.array(ent - a)
    la, lb = int(txns.line_start[ta]), int(txns.line_start[tb])
    lines = txns.lines[ta:tb]
    code = cols.cur_code[ent]
    cur = cols.cur_names.take(pa.array(code))
    line_code = np.repeat(code, lines)
    line_cur = cols.cur_names.take(pa.array(line_code))
    sdig, ldig = cols.cur_digits[code], cols.cur_digits[line_code]
    lp = txns.line_purpose.slice(la, lb - la)
    fp = txns.first_purpose[la:lb]
    purposes = _join_groups(lp.filter(pa.array(fp)), np.add.reduceat(
        fp.astype(np.int64), np.r_[0, np.cumsum(lines)[:-1]]) if len(fp) else lines, ", ")
    when = _date_text(txns.when[ta:tb])
    label = None if txns.label is None else txns.label.slice(ta, tb - ta)
    indent = "\n    " if fmt == "hledger" else "\n  "
    report = cols.code_of(currency)
    f_post, p_post = txns.postings(ta, tb, la, lb, cur, line_cur, sdig, ldig, currency, rdig,
                                   code != report, line_code != report)
    p_lines = _join_groups(_cat(indent, purpose_acct.slice(la, lb - la), "  ", p_post),
                           lines, "")
    if fmt == "hledger":
        tail = _per_value(purposes, lambda p: (" | " + jn._description(p)).rstrip())
        head = _cat("\n", when, lead.take(local), tail)
        # every transaction, a one-off too: `tag:year=` must find all of a year
        year = "" if label is None else _per_value(
            label, lambda y: "\n    ; year: " + jn._tag_value(y))
    else:
        head = _cat("\n", when, lead.take(local),
                    _per_value(purposes, lambda p: " " + jn._bq(p)), heads.take(local))
        year = "" if label is None else _per_value(label, lambda y: "\n  year: " + _meta(y))
    return _cat(head, first.take(local), year, rest.take(local), f_post, p_lines, "\n")


# ------------------------------------------------------------------ beancount
def _beancount_blocks(cols: _Columns, a: int, b: int, funder_acct):
    """Per entry a..b-1: the header's tags and links, the first four
    metadata lines, and the rest (links, secondary, sources, amount-text)."""
    bq = _meta_text
    n = b - a
    rng = pa.array(np.arange(a, b))
    ids = cols.ids.take(rng)
    lo, hi = _child_rows(cols.li_entry, a, b)
    le = cols.li_entry[lo:hi] - a
    targets = cols.li_target.slice(lo, hi - lo)
    tags = _tag_lines(cols.tags.slice(a, n), lambda t: " #" + jn._bc_word(t))
    link_words = _children(le, n, _cat(" ^", _per_value(targets, jn._bc_word)
                                       if hi > lo else targets))
    heads = _cat(tags, " ^", _guarded(ids, jn._bc_word, r"[^A-Za-z0-9_./-]|^-|-$|^$"),
                 link_words)
    first = _cat("\n  id: ", bq(ids),
                 "\n  status: ", _per_value(cols.status.take(rng), _meta),
                 "\n  period: ", _per_value(cols.period.take(rng), _meta),
                 "\n  qualifier: ", _per_value(cols.qualifier.take(rng), _meta))
    links = _children(le, n, _cat("\n  ", _per_value(cols.li_kind.slice(lo, hi - lo),
                                                     lambda k: k.replace("_", "-")),
                                  ": ", bq(targets)))
    secondary = pc.if_else(pa.array(cols.linked[a:b] | cols.not_counted[a:b]),
                           "\n  secondary: TRUE", "")
    lo, hi = _child_rows(cols.ci_entry, a, b)
    ce = cols.ci_entry[lo:hi] - a
    k = np.arange(hi - lo) - np.searchsorted(ce, ce, "left") + 1    # 1, 2, … per entry
    sfx = pa.array(np.where(k == 1, "", np.char.add("-", k.astype(str))).astype(object),
                   pa.string())
    quote = cols.ci_quote.slice(lo, hi - lo)
    qline = pc.if_else(pc.not_equal(quote, ""), _cat("\n  quote", sfx, ": ", bq(quote)), "")
    sources = _children(ce, n, _cat("\n  source", sfx, ": ",
                                    bq(cols.ci_doc.slice(lo, hi - lo)), qline))
    written = cols.written.slice(a, n)
    exact = pc.if_else(pc.match_substring_regex(written, r'["\\]'),
                       _guarded(written, jn._bc_exact, r'["\\]'), _cat('"', written, '"'))
    rest = _cat(links, secondary, sources, "\n  amount-text: ", exact,
                "\n  ", funder_acct.slice(a, n), "  ")
    lead = _cat(" * ", _bq_text(cols.funder.slice(a, n)))
    return lead, heads, first, rest


def _meta(v: str) -> str:
    """A metadata value as ``export._bc_head`` writes it."""
    return v if v == "TRUE" else jn._bq(v)


def _bq_text(arr: pa.Array) -> pa.Array:
    return _cat('"', _guarded(arr, jn._bq_inner, _BQ_UNSAFE), '"')


def _meta_text(arr: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(arr, "TRUE"), "TRUE", _bq_text(arr))


def write_body(cols: _Columns, txns, out, fmt: str, currency: str) -> None:
    """Every transaction's text, chunk by chunk, into ``out``."""
    acct = jn.hledger_account if fmt == "hledger" else jn.beancount_account
    funder_acct = _per_value(cols.funder, lambda f: acct("Funders:" + f))
    purpose_acct = _per_value(txns.line_purpose, lambda p: acct("Purposes:" + p))
    rdig = jn._digits(currency)
    for (a, b), (ta, tb) in _chunks(cols.n, txns.entry, txns.monotone()):
        if ta == tb:
            continue
        blocks = (_hledger_blocks if fmt == "hledger" else _beancount_blocks)(
            cols, a, b, funder_acct)
        _write_array(out, _txn_texts(cols, txns, ta, tb, a, blocks, purpose_acct, currency,
                                     rdig, fmt))
