"""Normalise entries: one currency, one valuation, spread into years.

Two steps, so a columnar bulk path (CSV / Parquet, no ``Entry`` objects) can
reuse the second:

- ``entries_frame(entries)``: one row per entry × purpose allocation, plain
  columns (see ``ENTRY_COLUMNS``).
- ``normalise(frame, ...)``: converts, applies the basis and spreads into
  years, all vectorised (rates are looked up with ``searchsorted`` on each
  pair's sorted series; money is integer minor units, Python ints where a
  product could pass 64 bits; parts are split by largest remainder).

``to_frame(ledger_or_entries, ...)`` does both.  See docs/rates.md.
"""
from __future__ import annotations

import datetime as dt
import gc
import re
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from ledger.book import FRAME_COLUMNS, entries_frame  # noqa: F401  (re-exported)
from ledger.errors import LedgerError
from ledger.limits import FIRST_YEAR, LAST_YEAR, MAX_RATE, MIN_RATE, rate_problem
from ledger.model import length_in_words
from ledger.phrases.period import anniversary_years, length_end, length_years
from ledger.rules.options import OptionError, fiscal_start

from . import _dates as D
from ._minor import (_pick, largest_remainder, largest_remainders, minor_units, mul_round, objects,
                     ratio_float, round_div, to_decimal_array, to_decimals)
from .table import (MAX_GAP_DAYS, RATE_DIGITS, SAME_CURRENCY, RateTable, Series, _fmt_date, check_policy,
                    currency_digits)

VALUATIONS = ("entry-date", "yearly-average", "as-stated")  # or an ISO date
BASES = ("total", "per-year")
YEAR_MODES = {"calendar": (1, 1), "fiscal-uk": (4, 1), "fiscal": (4, 1), "fiscal-us": (10, 1)}
KINDS = ("one-off", "per-year", "over", "fiscal-year")

# the base frame: the Book's (ledger.book), defined there once
ENTRY_COLUMNS = FRAME_COLUMNS

OUTPUT_COLUMNS = ["id", "date", "funder", "purpose", "status", "qualifier", "period",
                  "primary", "amount", "currency", "year", "value", "report_currency",
                  "rate", "rate_date", "rate_source", "original_value", "value_minor",
                  "open_ended"]


# ---------------------------------------------------------------- step 1
# ``entries_frame(entries)``: one row per entry × purpose allocation (the
# Book's base frame, ``ledger.book.Book.frame``), re-exported from ledger.book.


# ---------------------------------------------------------------- step 2
# how a rate that is an entry's own restatement begins its source (the
# exports leave such rates out of their price directives)
OWN_CONVERSION = "the source's own conversion"

def normalise(frame: pd.DataFrame, currency: str = "GBP", valuation: str = "entry-date",
              basis: str = "total", years: str | None = "calendar", rates=None,
              horizon=None, policy: str = "previous", clamp: bool = False,
              fiscal_start=None, root=None, *, decimals: bool = True,
              categorical: bool = False, with_per_year: bool = False,
              entry_fiscal_start=None, notes: list[str] | None = None):
    """Convert ``frame`` (columns as from ``entries_frame``; only ``date``,
    ``amount`` and ``currency`` are required) to ``currency``; see the module
    doc and docs/rates.md for the options.

    The bulk path (issue 7) can skip what only people read:

    - ``decimals=False``: no ``value`` / ``original_value`` columns of
      ``Decimal`` objects (millions of objects at scale); the money is in the
      exact integer columns ``value_minor`` (report currency) and
      ``original_minor`` (each row's own currency), from which ``add_decimals``
      builds the Decimal columns later, for the rows that need them.
    - ``categorical=True``: the few-valued text columns (funder, purpose,
      status, qualifier, period, currency, report_currency, rate_source, fiscal
      year labels) as pandas ``Categorical`` (codes into the distinct values,
      with the categories in sorted order so ``groupby(sort=True)`` orders
      groups as it does strings) instead of one string per output row.  ``id``
      (nearly one value per entry) stays a string column unless it comes in
      as a Categorical.

    Either way every figure is the same to the minor unit.

    ``with_per_year=True`` (basis ``total``): also the per-year basis, one
    row per input row, no years and no horizon (what ``basis="per-year",
    years=None`` gives), from the same rates: ``(rows, per_year_rows)``.

    ``entry_fiscal_start``: MM-DD, the day the ledger's fiscal years start
    (its ``fiscal_year_start``; default 1 April): the window of an entry
    "in fiscal year 2021-22", whatever years the rows are spread into
    (``fiscal_start``, with ``years``, is the start of those).

    ``notes``: a list the notes that go with these figures are added to
    (each once), for the caller to print with its own (a running year's
    yearly average is the mean of its rates so far)."""
    # Millions of Python ints / Decimals in object arrays would trigger the
    # cyclic garbage collector over and over; none of them can form cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _normalise(frame, currency, valuation, basis, years, rates, horizon,
                          policy, clamp, fiscal_start, root, decimals, categorical,
                          with_per_year, entry_fiscal_start,
                          [] if notes is None else notes)
    finally:
        if enabled:
            gc.enable()


def _normalise(frame, currency, valuation, basis, years, rates, horizon, policy, clamp,
               fiscal_start, root, decimals=True, categorical=False, with_per_year=False,
               entry_fiscal_start=None, notes=None):
    currency = str(currency).upper()
    opts = _Options(currency, valuation, basis, years, horizon, policy, fiscal_start,
                    entry_fiscal_start)
    if with_per_year and basis != "total":
        raise ValueError("with_per_year goes with basis 'total'")
    if with_per_year and opts.valuation in ("yearly-average", "as-stated"):
        # their rates (per year part; the restatement times the period) depend
        # on the basis: the per-year rows are valued on their own
        per_year = _normalise(frame, currency, valuation, "per-year", None, rates, None, policy,
                              clamp, fiscal_start, root, decimals, categorical,
                              entry_fiscal_start=entry_fiscal_start, notes=notes)
        return _normalise(frame, currency, valuation, basis, years, rates, horizon, policy,
                          clamp, fiscal_start, root, decimals, categorical,
                          entry_fiscal_start=entry_fiscal_start, notes=notes), per_year
    table = RateTable.load(rates, root=root)
    table.check_currency(currency, "report currency")
    n = len(frame)
    for c in ("date", "amount", "currency"):
        if c not in frame.columns:
            raise LedgerError(f"the table to normalise has no {c!r} column")
    if n == 0:
        empty = pd.DataFrame({c: pd.Series([], dtype=object)
                              for c in output_columns(opts.years is not None, decimals)})
        return (empty, pd.DataFrame({c: pd.Series([], dtype=object) for c in
                                     output_columns(False, decimals)})) if with_per_year else empty
    f = _Frame(frame)

    # amounts in each row's own minor units
    cur = f.currency()
    for c in map(str, f.currencies):
        if c != currency and not table.stated_only(c):
            table.check_currency(c, f.label(int(np.flatnonzero(cur == c)[0])))
    src_digits = np.array([currency_digits(str(c)) for c in f.currencies],
                          dtype=np.int64)[f.currency_codes]
    dst_digits = currency_digits(currency)
    amount_dec = to_decimal_array(frame["amount"].to_numpy(dtype=object)
                                  if frame["amount"].dtype == object else frame["amount"])
    amount_minor = minor_units(amount_dec, src_digits)

    # periods: span [s, e], basis factor (fnum / fden), open-ended rows
    span = _spans(f, opts, n)
    fnum, fden = span.factor_total if (opts.basis == "total" or opts.years) else span.factor_per_year
    open_rows = span.open_ended
    if open_rows.any():
        if opts.basis == "total":
            bad = [f.label(i) for i in np.flatnonzero(open_rows)[:5]]
            raise LedgerError(
                "an amount per year with no end has no total: " + "; ".join(bad)
                + " (give horizon= / --horizon YEAR, or use basis 'per-year')")
        fnum = np.where(open_rows, 1, fnum)
        fden = np.where(open_rows, 1, fden)
    factor = (fnum, fden, ratio_float(fnum, fden))
    scale = (10 ** dst_digits, _pow10(src_digits),
             np.power(10.0, dst_digits - src_digits))
    orig_total = mul_round(amount_minor, [factor])

    # the spread skeleton: one part per row and year (or one part per row)
    sm, sd = YEAR_MODES_START(opts)
    if opts.years:
        e_spread = np.where(open_rows, span.s, span.e)
    else:
        e_spread = span.e
    # (not needed for one value per row at one rate: the balance's totals)
    parts = _explode(span.s, e_spread, sm, sd) \
        if opts.years or opts.valuation == "yearly-average" else None
    # amounts per year counted over a span: the total is the rate times the
    # span's year count whatever the years; the rate in each whole year, the
    # rest shared by the part years' days (``_per_year_parts``)
    rate_rows = (span.kind == "per-year") & ~open_rows \
        if (opts.basis == "total" or opts.years) else np.zeros(n, dtype=bool)

    if opts.valuation == "yearly-average":
        orig_parts = largest_remainder(orig_total, parts.row, parts.weight,
                                       parts.weight_sum, parts.fy)
        rp = rate_rows[parts.row]
        if rp.any():
            orig_parts = _put(orig_parts, rp,
                              _per_year_parts(parts, rp, amount_minor, orig_total))
        orig_parts, = _split_years([orig_parts], [orig_total], frame, amount_minor, src_digits,
                                   parts, rate_rows, [[]])
        conv = _yearly_average(table, cur, currency, parts, f, clamp, sm, sd,
                               opts.years is not None, notes)
        _check_rates(conv, parts.row, f, cur, currency)
        value_parts = mul_round(orig_parts, [
            (conv["num"], conv["den"], conv["approx"]),
            (scale[0], scale[1][parts.row], scale[2][parts.row])])
        value_parts = _split_whole_years(value_parts, frame, amount_minor, src_digits, parts,
                                         factor, rate_rows, (conv["num"], conv["den"],
                                                             conv["approx"]), scale)
        if opts.years:
            out_rows, value_minor, orig_minor = parts.row, value_parts, orig_parts
            rate, rate_date, rate_source = conv["rate"], conv["rate_date"], conv["source"]
            year = parts.fy
        else:
            starts = np.flatnonzero(np.r_[True, parts.row[1:] != parts.row[:-1]])
            out_rows = parts.row[starts]
            value_minor = np.add.reduceat(objects(value_parts), starts)
            orig_minor = np.add.reduceat(objects(orig_parts), starts)
            rate = effective_rate(value_minor, orig_minor, dst_digits, src_digits[out_rows])
            rate_date = np.full(len(out_rows), np.datetime64("NaT"), dtype="datetime64[D]")
            srcs = pd.Series(conv["base_source"]).groupby(parts.row).agg(
                lambda x: " + ".join(dict.fromkeys(x)))
            years_lbl = pd.Series(parts.fy).groupby(parts.row).agg(["min", "max"])
            rate_source = ("yearly average rates " + years_lbl["min"].astype(str) + "–"
                           + years_lbl["max"].astype(str) + ", weighted by days ("
                           + srcs + ")").to_numpy(dtype=object)
            year = None
    else:
        conv = _single_rate(table, frame, f, cur, currency, opts, clamp, amount_dec)
        _check_rates(conv, np.arange(n), f, cur, currency)
        value_total = mul_round(amount_minor, [
            factor, (conv["num"], conv["den"], conv["approx"]), scale])
        _split_whole(value_total, frame, amount_minor, src_digits,
                     [factor, (conv["num"], conv["den"], conv["approx"]), scale])
        if "restated_minor" in conv:   # the restated total, split so its parts add up to it
            has = conv["has_restated"]
            value_total = np.where(has, conv["restated_minor"], value_total)
        rate_of = (conv["num"], conv["den"], conv["approx"])
        if opts.years:
            out_rows = parts.row
            value_minor, orig_minor = largest_remainders(
                [value_total, orig_total], parts.row, parts.weight, parts.weight_sum, parts.fy)
            rp = rate_rows[parts.row]
            if rp.any():
                orig_p, value_p = _rate_parts(parts, rp, amount_minor, orig_total, value_total,
                                              rate_of, scale)
                orig_minor = _put(orig_minor, rp, orig_p)
                value_minor = _put(value_minor, rp, value_p)
            value_minor, orig_minor = _split_years(
                [value_minor, orig_minor], [value_total, orig_total], frame, amount_minor,
                src_digits, parts, rate_rows, [[rate_of, scale], []])
            year = parts.fy
        else:
            out_rows = np.arange(n)
            # (an amount per year's total is its parts' sum in any years)
            value_minor, orig_minor, year = value_total, orig_total, None
        rate = conv["rate"][out_rows]
        rate_date = conv["rate_date"][out_rows]
        # factorised on the input rows (few distinct sources), codes taken
        if "source_codes" in conv:
            src_codes, src_uniq = _recode(*conv["source_codes"])
        else:
            src_codes, src_uniq = pd.factorize(conv["source"], sort=True)
        rate_source = (src_codes[out_rows], src_uniq)

    # the column says whether the entry is open-ended, a horizon set or not
    rows = _assemble(frame, f, out_rows, year, value_minor, orig_minor, dst_digits,
                     src_digits, currency, rate, rate_date, rate_source, span.unbounded,
                     opts, sm, sd, decimals, categorical)
    if not with_per_year:
        return rows
    # the per-year basis at the same rates: "over" amounts divided by their
    # length, amounts a year as they are, one row each (the rates, and the
    # factors of the per-year basis, do not depend on the years or horizon)
    pn, pd_ = span.factor_per_year
    by_year = (pn, pd_, ratio_float(pn, pd_))
    every = np.arange(n)
    per_year = _assemble(
        frame, f, every, None, mul_round(amount_minor, [by_year, rate_of, scale]),
        mul_round(amount_minor, [by_year]), dst_digits, src_digits, currency, conv["rate"],
        conv["rate_date"], (src_codes, src_uniq), span.unbounded,
        _Options(currency, valuation, "per-year", None, None, policy, fiscal_start,
                 opts.entry_fiscal_start), 1, 1,
        decimals, categorical)
    return rows, per_year


def _check_rates(conv, rows, f: _Frame, cur, currency: str) -> None:
    """Refuse a rate outside MIN_RATE..MAX_RATE, the bounds of a rate
    table's row, for the rate actually used: a cross through the euro or an
    average of two rows in bounds can be 1e18 (a converted amount past
    Decimal's 28 digits) or 1e-18 (10^15 shown as 0.00).  A restatement's
    rate is the source's own figure (its amount is bounded) and is exempt."""
    num, den = conv["num"], conv["den"]
    # floats pick the candidates; exact integers decide them
    approx = np.asarray(conv["approx"], dtype=np.float64)
    near = ~((approx > 2e-9) & (approx < 5e8))
    if "has_restated" in conv:
        near &= ~np.asarray(conv["has_restated"], dtype=bool)
    for i in np.flatnonzero(near):
        if num[i] == 0:   # only a restatement of nothing: no table gives a zero rate
            continue
        r = Fraction(int(num[i]), int(den[i]))
        if MIN_RATE <= r <= MAX_RATE:
            continue
        row = int(rows[i])
        when = conv["rate_date"][i]
        on = "" if np.isnat(when) else f" on {_fmt_date(when)}"
        shown = Decimal(r.numerator) / Decimal(r.denominator)
        raise LedgerError(f"{f.label(row)}: the {cur[row]}->{currency} rate{on} "
                          f"({conv['source'][i]}): {rate_problem(shown)} (give the pair's own rate "
                          f"with --rates CSV)")


def _pick_rows(values, rows):
    return values if np.ndim(values) == 0 else np.asarray(values)[rows]


def _per_year_parts(parts, sel, per_year, total):
    """Minor units of the parts ``sel`` of amounts per year (one rule, for
    the original amounts and the converted ones alike).

    The row's ``total`` is the amount times the span's one year count (by
    anniversaries, or the number of years stated), whatever the years it is
    spread into; each whole (calendar or fiscal) year gets the amount a year
    itself (``per_year``, per row), and the part years at the ends share the
    rest of the total in proportion to their days, largest remainder first.
    So "£10m a year" is £10m in each whole year, and its total over a span
    is the same in calendar and in fiscal years (docs/rates.md)."""
    rows = parts.row[sel]
    return _year_shares(rows, parts.weight[sel], parts.year_len[sel], parts.fy[sel],
                        np.asarray(per_year)[rows], np.asarray(total)[rows])


def _year_shares(rows, w, yl, fy, amt, total):
    """``_per_year_parts`` of parts grouped by row: ``amt`` and ``total`` per part."""
    wide = amt.dtype == object or total.dtype == object
    if wide:
        amt, total = objects(amt), objects(total)
    whole = w >= yl
    out = np.where(whole, amt, 0)
    if wide:
        out = objects(out)
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(rows)]))
    rest = total[starts] - np.add.reduceat(out, starts)
    part = ~whole
    has_part = np.zeros(len(starts), dtype=bool)
    has_part[group[part]] = True
    n_whole = np.add.reduceat(whole.astype(np.int64), starts)
    # a converted whole year rounded up can leave the part years less than
    # nothing (a one-day part year, 2+ whole years): they get 0 and the whole
    # years give the units back, never a year against the amount's sign
    a_g = amt[starts]
    against = ((rest < 0) & (a_g > 0)) | ((rest > 0) & (a_g < 0))
    back = has_part & against & (n_whole > 0)
    has_part &= ~back
    part &= has_part[group]     # (those of ``back`` stay 0)
    if part.any():
        used = np.flatnonzero(has_part)
        gid = np.full(len(starts), -1, dtype=np.int64)
        gid[used] = np.arange(len(used))
        g = gid[group[part]]
        days = w[part].astype(np.int64)
        dsum = np.zeros(len(used), dtype=np.int64)
        np.add.at(dsum, g, days)
        share = largest_remainder(rest[used], g, days, dsum, fy[part])
        if share.dtype == object and out.dtype != object:
            out = objects(out)
        out[part] = out[part] + share
    fix = ~has_part & (rest != 0) & (n_whole > 0)
    if fix.any():
        out = _rest_to_whole_years(out, whole, group, starts, n_whole, rest, fix)
    return out


def _rest_to_whole_years(out, whole, group, starts, n_whole, rest, fix):
    """``out`` with each ``fix`` group's ``rest`` (a rounding: at most about
    half a unit per whole year) spread one minor unit a year over its whole
    years, the latest first, so each stays within a unit of the amount a year."""
    sel = whole & fix[group]
    g = group[sel]
    r = rest[g]
    sign = np.where(r < 0, -1, 1)
    mag = r * sign
    k = n_whole[g]
    # whole years counted from the group's last one: 0 for the latest
    pos = np.flatnonzero(sel)
    first = np.r_[True, g[1:] != g[:-1]]
    idx = np.arange(len(pos)) - np.repeat(np.flatnonzero(first), np.diff(
        np.r_[np.flatnonzero(first), len(pos)]))
    from_end = k - 1 - idx
    add = sign * (mag // k + (from_end < mag % k))
    if add.dtype == object and out.dtype != object:
        out = objects(out)
    out[pos] = out[pos] + add
    return out


def _rate_parts(parts, sel, amount_minor, orig_total, value_total, rate_of, scale):
    """(original, converted) minor units of the parts ``sel`` of amounts per
    year (``_per_year_parts`` of each): a whole year converted is the amount
    a year converted and rounded once; the part years share the rest of the
    converted total (itself rounded once), so the converted total is the
    same whatever the years."""
    orig = _per_year_parts(parts, sel, amount_minor, orig_total)
    used = np.unique(parts.row[sel])
    a_year = _put(np.zeros(len(np.asarray(amount_minor)), dtype=np.int64), used, mul_round(
        np.asarray(amount_minor)[used],
        [tuple(_pick_rows(x, used) for x in f) for f in (rate_of, scale)]))
    value = _per_year_parts(parts, sel, a_year, value_total)
    return orig, value


def _put(target, sel, values):
    """``target`` with ``values`` at ``sel`` (Python ints when either needs them)."""
    target = np.asarray(target)
    values = np.asarray(values)
    if target.dtype != object and values.dtype == object:
        target = objects(target)
    else:
        target = target.copy()
    target[sel] = values
    return target


def last_year(frame: pd.DataFrame, years: str | None = "calendar", fiscal_start=None,
              entry_fiscal_start=None):
    """The last (calendar or fiscal) year any row's period reaches, labelled
    as ``normalise`` labels its year parts (2030, or "2030-31"); None for no
    rows.  Only the periods are read, nothing is valued: the ledger's
    horizon (``reports.valuation.default_horizon``) without a second
    valuation.  Rows open-ended (no end) count their start."""
    if not len(frame):
        return None
    opts = _Options("GBP", "entry-date", "total", years or "calendar", None, "previous",
                    fiscal_start, entry_fiscal_start)
    span = _spans(_Frame(frame), opts, len(frame))
    sm, sd = YEAR_MODES_START(opts)
    e = span.e.max()
    fy = D.year_of(np.array([e])) if (sm, sd) == (1, 1) else D.fiscal_index(np.array([e]), sm, sd)
    return year_label(fy, sm, sd)[0]


def to_frame(ledger_or_entries, currency: str = "GBP", valuation: str = "entry-date",
             basis: str = "total", years: str | None = "calendar", rates=None,
             horizon=None, policy: str = "previous", clamp: bool = False,
             fiscal_start=None) -> pd.DataFrame:
    """The base frame then ``normalise``.  Accepts a ``Book`` (its columns;
    its ``.root`` folder's ``rates.csv`` is used when present), anything
    with ``.entries``, or a sequence of ``Entry``."""
    root = getattr(ledger_or_entries, "root", None)
    if root is not None:
        root = Path(root)
        if root.is_file():
            root = root.parent
    if hasattr(ledger_or_entries, "frame"):
        base = ledger_or_entries.frame()
    else:
        base = entries_frame(getattr(ledger_or_entries, "entries", ledger_or_entries))
    own = (getattr(ledger_or_entries, "options", None) or {}).get("fiscal_year_start")
    return normalise(base, currency=currency, valuation=valuation,
                     basis=basis, years=years, rates=rates, horizon=horizon,
                     policy=policy, clamp=clamp, fiscal_start=fiscal_start, root=root,
                     entry_fiscal_start=own)


# ---------------------------------------------------------------- options
class _Options:
    def __init__(self, currency, valuation, basis, years, horizon, policy, fiscal_start,
                 entry_fiscal_start=None):
        self.currency = currency
        check_policy(policy)
        self.policy = policy
        if basis not in BASES:
            raise LedgerError(f"unknown basis {basis!r}; choose one of {', '.join(BASES)}")
        self.basis = basis
        if years in (None, "", "none"):
            years = None
        elif years not in YEAR_MODES:
            raise LedgerError(f"unknown years {years!r}; choose one of "
                              f"{', '.join(YEAR_MODES)} (or none)")
        self.years = years
        self.fiscal_start = _fiscal_start(fiscal_start, years)
        # an entry's own fiscal year is the ledger's, not the view's
        self.entry_fiscal_start = (_fiscal_start(entry_fiscal_start, "fiscal")
                                   if not isinstance(entry_fiscal_start, tuple)
                                   else entry_fiscal_start)
        self.fixed_date = None
        if valuation not in VALUATIONS:
            try:
                self.fixed_date = dt.date.fromisoformat(str(valuation))
            except ValueError:
                raise LedgerError(f"unknown valuation {valuation!r}; choose one of "
                                  f"{', '.join(VALUATIONS)} or a date YYYY-MM-DD") from None
            valuation = "date"
        self.valuation = valuation
        self.horizon = horizon


def _fiscal_start(value, years):
    if value is None:
        return YEAR_MODES.get(years or "calendar")
    try:
        return fiscal_start(value)
    except OptionError as err:
        raise LedgerError(str(err)) from None


def YEAR_MODES_START(opts):
    if opts.years in (None, "calendar"):
        return 1, 1
    return opts.fiscal_start


def year_label(fy, start_month: int, start_day: int):
    """Calendar years as ints; fiscal years as "2021-22" labels."""
    fy = np.asarray(fy)
    if (start_month, start_day) == (1, 1):
        return fy.astype(np.int64)
    nxt = (fy + 1) % 100
    return np.char.add(np.char.add(fy.astype(str), "-"),
                       np.char.zfill(nxt.astype(str), 2)).astype(object)


# ---------------------------------------------------------------- helpers
class _Frame:
    """Column access with defaults, and row labels for messages."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._currency: np.ndarray | None = None

    # row labels are only needed for a message: not converted up front
    @property
    def _where(self):
        return self.frame["where"].array if "where" in self.frame else None

    @property
    def _id(self):
        return self.frame["id"].array if "id" in self.frame else None

    def has(self, c):
        return c in self.frame.columns

    def text(self, c, default=""):
        if c not in self.frame:
            return pd.Series([default] * len(self.frame), dtype=object)
        return self.frame[c].astype(object).where(self.frame[c].notna(), default).astype(str)

    def clean(self, c, default="") -> np.ndarray:
        """A text column stripped, missing -> default (object array; done per
        distinct value, not per row)."""
        codes, vals = self.clean_codes(c, default)
        return vals[codes]

    def clean_codes(self, c, default=""):
        """``clean`` as (codes per row, the distinct cleaned values): tests on
        the few values, then a take, instead of string tests on every row."""
        if c not in self.frame:
            return np.zeros(len(self.frame), dtype=np.intp), np.array([default], dtype=object)
        codes, uniq = pd.factorize(self.frame[c], use_na_sentinel=True)
        vals = np.array([("" if u is None else str(u).strip()) or default for u in uniq]
                        + [default], dtype=object)
        return np.where(codes < 0, len(uniq), codes), vals

    def currency(self) -> np.ndarray:
        """Currency codes per row as a fixed-width numpy string array (compared
        and sorted in C, not as Python objects); read once."""
        if self._currency is not None:
            return self._currency
        col = self.frame["currency"]
        codes, uniq = pd.factorize(col, use_na_sentinel=False)
        clean = [str(u).strip().upper() if isinstance(u, str) else "" for u in uniq]
        if "" in clean:
            i = int(np.flatnonzero(np.asarray(clean, dtype=object)[codes] == "")[0])
            raise LedgerError(f"{self.label(i)}: no currency")
        currency = self._currency = np.asarray(clean, dtype=str)[codes]
        # distinct codes: the row codes into them (several spellings of one
        # code, " gbp" and "GBP", share one)
        self.currencies, inv = np.unique(np.asarray(clean, dtype=str), return_inverse=True)
        self.currency_codes = inv.reshape(-1)[codes]
        return currency

    def label(self, i: int) -> str:
        where = self._where[i] if self._where is not None else None
        if isinstance(where, str) and where:
            return where
        if self._id is not None:
            return f"row {i + 1} (entry {self._id[i]!r})"
        return f"row {i + 1}"

    def dates(self, c) -> np.ndarray:
        if c not in self.frame:
            return np.full(len(self.frame), np.datetime64("NaT"), dtype="datetime64[D]")
        col = self.frame[c]
        try:
            return pd.to_datetime(col, errors="raise").to_numpy().astype("datetime64[D]")
        except (ValueError, TypeError):
            conv = pd.to_datetime(col, errors="coerce")
            i = int(np.flatnonzero(conv.isna() & col.notna())[0])
            raise LedgerError(f"{self.label(i)}: column {c!r}: {col.iloc[i]!r} is not a "
                              f"date (YYYY-MM-DD)") from None


def _digits(cur: np.ndarray) -> np.ndarray:
    uniq, inv = np.unique(cur.astype(str), return_inverse=True)
    return np.array([currency_digits(u) for u in uniq], dtype=np.int64)[inv]


def _pow10(digits: np.ndarray) -> np.ndarray:
    return objects(np.power(10, np.asarray(digits, dtype=np.int64)))


class _Span:
    """Each row's span of days and its factors (``_spans``)."""
    s: np.ndarray
    e: np.ndarray
    kind: np.ndarray
    factor_total: tuple[np.ndarray, np.ndarray]
    factor_per_year: tuple[np.ndarray, np.ndarray]
    open_ended: np.ndarray
    unbounded: np.ndarray
    dropped: np.ndarray


def _fraction_cols(values, f: _Frame, what: str):
    """Column of Decimal/str/number (or None) -> (num, den) Python ints, float, mask."""
    n = len(values)
    codes, uniq = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    fr_num = np.ones(len(uniq) + 1, dtype=object)
    fr_den = np.ones(len(uniq) + 1, dtype=object)
    ok = np.zeros(len(uniq) + 1, dtype=bool)
    for k, u in enumerate(uniq):
        t = str(u).strip()
        if t in ("", "None", "nan", "NaN"):
            continue
        try:
            fr = Fraction(Decimal(t))
            if fr <= 0:
                raise ValueError
        except Exception:
            i = int(np.flatnonzero(codes == k)[0])
            raise LedgerError(f"{f.label(i)}: {what} {t!r} is not a positive number") from None
        fr_num[k], fr_den[k], ok[k] = fr.numerator, fr.denominator, True
    codes = np.where(codes < 0, len(uniq), codes) if n else codes
    num, den = fr_num[codes], fr_den[codes]
    approx = np.array([float(a) / float(b) for a, b in zip(fr_num, fr_den)])[codes]
    return num, den, approx, ok[codes]


def _spans(f: _Frame, opts: _Options, n: int) -> _Span:
    kcodes, kinds = f.clean_codes("period_kind", "one-off")
    kinds = np.where(kinds == "", "one-off", kinds).astype(object)
    kind = kinds[kcodes]

    def is_kind(*names):
        return np.isin(kinds, names)[kcodes]

    bad = ~is_kind(*KINDS)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise LedgerError(f"{f.label(i)}: unknown period kind {kind[i]!r}; expected one "
                          f"of {', '.join(KINDS)}")
    date = f.dates("date")
    if np.isnat(date).any():
        raise LedgerError(f"{f.label(int(np.flatnonzero(np.isnat(date))[0]))}: no date")
    start, end = f.dates("start"), f.dates("end")
    s = np.where(np.isnat(start), date, start)
    ynum, yden, yfloat, has_years = _fraction_cols(
        f.frame["years"].to_numpy(dtype=object) if f.has("years") else [None] * n, f, "years")
    has_end = ~np.isnat(end)

    per_year = is_kind("per-year")
    over, fiscal = is_kind("over"), is_kind("fiscal-year")
    fsm, fsd = opts.entry_fiscal_start

    # fiscal-year entries: the label's window
    if fiscal.any():
        codes, uniq = f.clean_codes("fiscal_year")
        first = np.full(len(uniq), -1, dtype=np.int64)
        calendar = np.zeros(len(uniq), dtype=bool)   # "2024": a budget year that is the calendar year
        for k, text in enumerate(uniq):
            if re.fullmatch(r"\d{4}", str(text)):
                first[k], calendar[k] = int(text), True
                continue
            mt = re.fullmatch(r"(?:FY\s*)?(\d{4})\s*[-/–]\s*(\d{2}|\d{4})", str(text))
            if mt:
                y1, y2 = int(mt[1]), int(mt[2])
                if y2 < 100:   # two digits: the year after y1, also across a century ("1999-00")
                    y2 = y1 + 1 if y2 == (y1 + 1) % 100 else -1
                if y2 == y1 + 1:
                    first[k] = y1
        fy1 = first[codes]
        bad = fiscal & (fy1 < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise LedgerError(f"{f.label(i)}: fiscal year {uniq[codes[i]]!r} is not like "
                              f"2021-22")
        # the windows of the fiscal rows only (other rows keep theirs)
        frows = np.flatnonzero(fiscal)
        fy1r = fy1[frows]
        fsr, fer = D.window(fy1r, fsm, fsd)
        cal = calendar[codes[frows]]
        if cal.any():
            cs, ce = D.window(fy1r, 1, 1)
            fsr, fer = np.where(cal, cs, fsr), np.where(cal, ce, fer)
        fe = np.empty_like(s)
        fe[frows] = fer
        s = s.copy()
        s[frows] = fsr

    # end dates from a number of years (fractional years: days of the next year)
    whole = np.zeros(n, dtype=np.int64)
    frac = np.zeros(n)
    if has_years.any():
        yf = yfloat
        whole = np.floor(yf).astype(np.int64)
        frac = yf - whole
    # (calendar arithmetic only on the rows that use it: one-offs are most rows)
    e_years = s.copy()
    lengths = ~has_end & has_years & (over | per_year)
    by_unit = _lengths_in_units(f, lengths)
    yrows = np.flatnonzero(lengths & ~by_unit.any)
    if len(yrows):
        sy, wy = s[yrows], whole[yrows]
        a, b = D.add_years(sy, wy), D.add_years(sy, wy + 1)
        e_years[yrows] = (a + np.rint(frac[yrows] * (b - a).astype(np.int64)).astype(
            "timedelta64[D]") - D.DAY)
    # a length in months, weeks or days: its end by the calendar, its years
    # exact (weeks and days: those of their own dates, ``length_years``)
    if by_unit.any.any():
        ynum, yden = ynum.copy(), yden.copy()
        for rows, length, unit in by_unit.groups:
            e_years[rows] = length_end(s[rows], length, unit)
            ynum[rows], yden[rows] = length_years(s[rows], length, unit)

    horizon_end = _horizon_end(opts)
    e = s.copy()
    e = np.where(has_end & (over | per_year), end, e)
    e = np.where(~has_end & has_years & (over | per_year), e_years, e)
    if fiscal.any():
        e = np.where(fiscal, fe, e)
    open_ended = unbounded = per_year & ~has_end & ~has_years
    if horizon_end is not None:
        e = np.where(open_ended, horizon_end, e)
        open_ended = np.zeros(n, dtype=bool)
    over_bad = over & ~has_end & ~has_years
    if over_bad.any():
        i = int(np.flatnonzero(over_bad)[0])
        raise LedgerError(f"{f.label(i)}: an amount 'over' a period needs a number of "
                          f"years or an end date")
    backwards = ~open_ended & (e < s)
    if horizon_end is not None:
        dropped = backwards & per_year & ~has_end & ~has_years
        backwards &= ~dropped
    else:
        dropped = np.zeros(n, dtype=bool)
    if backwards.any():
        i = int(np.flatnonzero(backwards)[0])
        raise LedgerError(f"{f.label(i)}: the period ends"
                          f" ({np.datetime_as_string(e[i])}) before it starts "
                          f"({np.datetime_as_string(s[i])})")

    # exact year counts of s..e by anniversaries (ledger.phrases.period's, the
    # package rule's too; only "over" and "per-year" rows use them)
    cnum, cden = np.ones(n, dtype=np.int64), np.ones(n, dtype=np.int64)
    crows = np.flatnonzero(over | per_year)
    if len(crows):
        cnum[crows], cden[crows] = anniversary_years(s[crows], e[crows] + D.DAY)
    cnum[dropped] = 0     # a horizon before an open-ended row's start: it counts no year
    ynum, yden = _small(ynum), _small(yden)

    one = np.ones(n, dtype=np.int64)
    # total basis: per-year amounts times their length
    tn = np.where(per_year & has_years, ynum, np.where(per_year, cnum, one))
    td = np.where(per_year & has_years, yden, np.where(per_year, cden, one))
    # per-year basis (not spread): "over" amounts divided by their length
    pn = np.where(over & has_years, yden, np.where(over, cden, one))
    pd_ = np.where(over & has_years, ynum, np.where(over, cnum, one))
    zero_len = over & (cnum == 0)
    pn = np.where(zero_len, one, pn)
    pd_ = np.where(zero_len, one, pd_)

    sp = _Span()
    sp.s, sp.e, sp.kind = s, np.where(dropped, s - D.DAY, e), kind
    sp.factor_total = (tn, td)
    sp.factor_per_year = (pn, pd_)
    sp.open_ended = open_ended
    sp.unbounded = unbounded      # open-ended whatever the horizon
    sp.dropped = dropped
    return sp


class _ByUnit:
    """The rows whose length is said in months, weeks or days (``any``) and,
    per distinct period, (rows, length, unit)."""
    any: np.ndarray
    groups: list


def _lengths_in_units(f: _Frame, rows: np.ndarray) -> _ByUnit:
    """Which of ``rows`` (a mask) give their length in months, weeks or days,
    read from their period in words (the Book's ``period``, as
    ``Period.describe`` says it: "over 18 months"); each distinct period once."""
    out = _ByUnit()
    out.any, out.groups = np.zeros(len(rows), dtype=bool), []
    if not rows.any() or not f.has("period"):
        return out
    codes, uniq = f.clean_codes("period")
    for k in np.unique(codes[rows]):     # the few periods of rows with a length
        said = length_in_words(str(uniq[k]))
        if said:
            sel = rows & (codes == k)
            out.any |= sel
            out.groups.append((np.flatnonzero(sel), said["length"], said["unit"]))
    return out


def _small(values: np.ndarray) -> np.ndarray:
    """Python ints -> int64 when they fit (they nearly always do)."""
    try:
        return np.asarray(values).astype(np.int64)
    except OverflowError:
        return values


def _horizon_end(opts: _Options):
    return _horizon_date(opts.horizon, opts.entry_fiscal_start)


def horizon_end(horizon, entry_fiscal_start=None) -> dt.date | None:
    """The date a horizon ("2017", or the ledger's fiscal year "2017-18")
    ends on: 31 December, or the last day of the fiscal year that starts on
    ``entry_fiscal_start`` (MM-DD, default 1 April)."""
    end = _horizon_date(horizon, _fiscal_start(entry_fiscal_start, "fiscal"))
    return None if end is None else pd.Timestamp(end).date()


def horizon_words(horizon, entry_fiscal_start=None) -> str:
    """``horizon_end`` as people read it: "31 March 2018"."""
    end = horizon_end(horizon, entry_fiscal_start)
    return "" if end is None else f"{end.day} {end:%B %Y}"


def _horizon_date(h, entry_fiscal_start):
    if h is None or h == "":
        return None
    # one end date whatever the years the figures are grouped in (a total
    # does not change with --years): a year ends on 31 December, a fiscal
    # year ("2030-31") on the last day of the ledger's own fiscal year
    m = re.fullmatch(r"\s*(\d{4})(?:\s*[-/–]\s*(\d{2}|\d{4}))?\s*", str(h))
    if not m:
        raise LedgerError(f"horizon {h!r} is not a year (2030) or fiscal year (2030-31)")
    y = int(m[1])
    if not FIRST_YEAR <= y <= LAST_YEAR:   # spreading to year 9999 would run for minutes
        raise LedgerError(f"horizon {h!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    sm, sd = entry_fiscal_start if m[2] else (1, 1)
    if m[2] and int(m[2]) % 100 != (y + 1) % 100:
        raise LedgerError(f"horizon {h!r}: a fiscal year spans two consecutive years "
                          f"({year_label(np.array([y]), 4, 1)[0]})")
    if m[2] and (sm, sd) == (1, 1):
        raise LedgerError(f"horizon {h!r}: the ledger's fiscal years are calendar years: "
                          f"give a year ({y})")
    return D.window(np.array([y]), sm, sd)[1][0]


class _Parts:
    """One part per row and year its span touches (``_explode``)."""
    row: np.ndarray
    fy: np.ndarray
    weight: np.ndarray
    weight_sum: np.ndarray
    year_len: np.ndarray
    lo: np.ndarray     # the part's first and last day
    hi: np.ndarray


def _explode(s, e, sm, sd) -> _Parts:
    """One part per row and (calendar/fiscal) year its span [s, e] touches;
    weight = days of the span in that year."""
    n = len(s)
    empty = e < s     # rows dropped by a horizon before they start
    calendar = (sm, sd) == (1, 1)
    fy0 = D.year_of(s) if calendar else D.fiscal_index(s, sm, sd)
    fy1 = D.year_of(e) if calendar else D.fiscal_index(e, sm, sd)
    count = np.where(empty, 0, fy1 - fy0 + 1)
    row = np.repeat(np.arange(n), count)
    offs = np.arange(len(row)) - np.repeat(np.cumsum(count) - count, count)
    fy = fy0[row] + offs
    if calendar:   # 1 January .. 31 December, straight from the year numbers
        ws = (fy - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        we = (fy - 1969).astype("datetime64[Y]").astype("datetime64[D]") - D.DAY
    else:
        ws, we = D.window(fy, sm, sd)
    lo = np.maximum(ws, s[row])
    hi = np.minimum(we, e[row])
    p = _Parts()
    p.row, p.fy, p.lo, p.hi = row, fy, lo, hi
    p.weight = (hi - lo).astype(np.int64) + 1
    p.weight_sum = np.where(empty, 1, (e - s).astype(np.int64) + 1)
    p.year_len = (we - ws).astype(np.int64) + 1   # days in the part's whole year
    return p


def _single_rate(table: RateTable, frame, f: _Frame, cur, currency, opts, clamp, amount_dec):
    """Rate per row for entry-date / fixed-date / as-stated valuation."""
    n = len(cur)
    date = f.dates("date")
    if f.has("value_date"):   # an amount converted at another date's rate (IATI's value-date)
        value_date = f.dates("value_date")
        date = np.where(np.isnat(value_date), date, value_date)
    when = (np.full(n, np.datetime64(opts.fixed_date, "D")) if opts.fixed_date else date)
    labels = [f.label(i) for i in range(n)] if n <= 10_000 else _LazyLabels(f)
    # each row's position in the concatenation of the series it uses (0: its
    # own currency, rate 1), then every column is one take from there
    pos = np.zeros(n, dtype=np.int64)
    rates_, nums, dens = [[Decimal(1)]], [[1]], [[1]]
    approxs, dates_ = [np.ones(1)], [np.array(["NaT"], dtype="datetime64[D]")]
    sources = [np.array([SAME_CURRENCY], dtype=object)]
    # the sources also as codes into their few distinct texts (no factorising
    # of a million strings later)
    src_codes, src_uniq = [np.zeros(1, dtype=np.int64)], [SAME_CURRENCY]
    size = 1
    for k, c in enumerate(map(str, f.currencies)):
        if c == currency:
            continue
        m = np.flatnonzero(f.currency_codes == k)
        if table.stated_only(c):     # no published rates: the source's own conversion
            s, idx = stated_fallback(table, frame, f, m, c, currency, when, opts.policy, clamp,
                                     labels)
        else:
            s, idx = table.locate(c, currency, when[m], policy=opts.policy, clamp=clamp,
                                  labels=_Sub(labels, m))
        rn, rd = s.ratio
        pos[m] = idx + size
        size += len(s)
        rates_.append(s.rate)
        nums.append(rn)
        dens.append(rd)
        approxs.append(s.approx)
        dates_.append(np.asarray(s.dates).astype("datetime64[D]"))
        sources.append(np.asarray(s.source, dtype=object))
        sc, su = pd.factorize(np.asarray(s.source, dtype=object))
        src_codes.append(sc + len(src_uniq))
        src_uniq.extend(su)

    def take(parts, dtype=object):
        return np.concatenate([np.asarray(p, dtype=dtype) for p in parts])[pos]

    rate, num, den = take(rates_), take(nums), take(dens)
    approx = take(approxs, np.float64)
    rdate = np.where(pos == 0, when, take(dates_, "datetime64[D]"))
    source = take(sources)
    src_code = take(src_codes, np.int64)
    out = {"rate": rate, "num": num, "den": den, "rate_date": rdate, "source": source,
           "approx": approx, "source_codes": (src_code, src_uniq)}
    if opts.valuation == "as-stated":
        restated = pd.Series(f.clean("restated"), dtype=object)
        pat = r"(?:^|[;,])\s*" + re.escape(currency) + r"\s+(-?[0-9][0-9_,]*(?:\.[0-9]+)?)"
        got = restated.str.extract(pat, expand=False).str.replace(r"[_,]", "", regex=True)
        has = got.notna().to_numpy() & (cur != currency)
        out["has_restated"] = has
        del out["source_codes"]   # the sources are reworded below
        fallback = (~has) & (cur != currency)
        at = np.where(np.isnat(f.dates("value_date")), "the entry date", "its value_date")
        out["source"] = np.where(
            fallback, source + f" (no {currency} restatement; valued at " + at + ")", source)
        if has.any():
            dst = currency_digits(currency)
            rest_minor = np.zeros(n, dtype=np.int64)
            rest_minor[has] = minor_units(to_decimal_array(got[has].to_numpy(dtype=object),
                                                           "restated amount"),
                                          np.full(int(has.sum()), dst))
            entry = (frame["entry_amount"] if f.has("entry_amount") else frame["amount"])
            entry_minor = minor_units(to_decimal_array(entry.to_numpy(dtype=object)),
                                      _digits(cur))
            # the restatement as an exact rate (restated / the entry's amount),
            # applied like any rate: to the allocation, its period and its
            # year parts (so "a year" restated is the restated rate each year)
            src_scale = _pow10(_digits(cur))
            rn = objects(rest_minor) * src_scale
            rd = objects(np.where(entry_minor == 0, 1, entry_minor)) * (10 ** dst)
            rn = np.where(entry_minor == 0, 0, rn)
            out["num"] = np.where(has, rn, out["num"])
            out["den"] = np.where(has, rd, out["den"])
            out["approx"] = np.where(has, ratio_float(rn, rd), out["approx"])
            alloc_minor = minor_units(amount_dec, _digits(cur))
            # restated × allocation share; the period factor is applied by the caller
            share_n = objects(np.where(entry_minor == 0, 0, alloc_minor))
            share_d = objects(np.where(entry_minor == 0, 1, entry_minor))
            span = _spans(f, opts, n)
            fnum, fden = (span.factor_total if (opts.basis == "total" or opts.years)
                          else span.factor_per_year)
            fnum = np.where(span.open_ended, 1, fnum)
            fden = np.where(span.open_ended, 1, fden)
            out["restated_minor"] = round_div(objects(rest_minor) * share_n * objects(fnum),
                                              share_d * objects(fden))
            _restated_whole(out["restated_minor"], frame, has, rest_minor, alloc_minor,
                            fnum, fden)
            with localcontext() as ctx:
                ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
                eff = np.empty(int(has.sum()), dtype=object)
                rd_, ed_ = objects(rest_minor[has]), objects(entry_minor[has])
                # a currency with fewer decimals than the target's (JPY, ISK into USD)
                # scales down: scaleb, not an integer power of ten
                sc = _digits(cur)[has] - dst
                eff[:] = [(Decimal(int(a)) / Decimal(int(b))).scaleb(int(c)) if b else Decimal(0)
                          for a, b, c in zip(rd_, ed_, sc)]
            out["rate"] = out["rate"].copy()
            out["rate"][has] = eff
            out["rate_date"] = np.where(has, date, rdate)
            out["source"] = np.where(has, "as stated by the source: " + restated.to_numpy(dtype=object),
                                     out["source"])
    return out


RESTATED = re.compile(r"(?:^|[;,])\s*([A-Z]{3})\s+(-?[0-9][0-9_,]*(?:\.[0-9]+)?)")


def stated_fallback(table: RateTable, frame, f, m, c: str, currency: str, when, policy: str,
                    clamp, labels):
    """Rates for the rows ``m`` in ``c``, a currency with no published rates
    (the ECB's or the user's): each row's own restatement (``restated``, the
    source's conversion, such as FTS's amountUSD) over its amount, then into
    ``currency`` at the table's rate when the restatement is in another
    currency.  Each rate's source says so.  A row with no usable restatement
    stops the conversion with the table's own message, naming the entry."""
    restated = f.clean("restated")[m]
    entry = (frame["entry_amount"] if f.has("entry_amount") else frame["amount"])
    amounts = to_decimal_array(entry.to_numpy(dtype=object)[m]).to_pylist()
    stated, via = [], []
    for i, (text, amt) in enumerate(zip(restated, amounts)):
        got = {k: v for k, v in RESTATED.findall(str(text))}
        pick = currency if currency in got else next(
            (k for k in got if k != c and k in table.currencies), None)
        if pick is None or not amt:
            try:
                table.check_currency(c)
            except LedgerError as err:
                raise LedgerError(f"{_label_of(labels, int(m[i]))}{err} (and the entry gives no "
                                  f"restated amount to fall back on)") from None
        stated.append(Decimal(got[pick].replace("_", "").replace(",", "")) / Decimal(amt))
        via.append(pick)
    rate = np.empty(len(m), dtype=object)
    source = np.empty(len(m), dtype=object)
    vias = np.asarray(via, dtype=object)
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        for v in pd.unique(vias):
            sel = np.flatnonzero(vias == v)
            note = (f"{OWN_CONVERSION} ({c} {v} as restated in the entry; no "
                    f"published {c} rates)")
            if v == currency:
                rate[sel] = [+stated[i] for i in sel]
                source[sel] = note
                continue
            s2, idx2 = table.locate(v, currency, when[m[sel]], policy=policy,
                                    clamp=clamp, labels=_Sub(labels, m[sel]))
            rate[sel] = [+(stated[i] * s2.rate[j]) for i, j in zip(sel, idx2)]
            source[sel] = [f"{note} x {s2.source[j]}" for j in idx2]
    return (Series(c, currency, np.asarray(when[m]).astype("datetime64[D]"), rate, source),
            np.arange(len(m)))


def _label_of(labels, i: int) -> str:
    text = labels[i]
    return f"{text}: " if text and not str(text).endswith(": ") else str(text or "")


def _split_groups(frame, amount_minor, src_digits):
    """Each split entry whose parts are all here: (its rows, the parts' minor
    units, the entry's minor units).  The parts are the rows whose amount is
    not their entry's; an entry whose parts are not all here (or not all
    positive) is left out."""
    if "entry_amount" not in frame.columns or "id" not in frame.columns or not len(frame):
        return
    # the parts first, by comparing the numbers as they are (a million rows'
    # Decimals made minor units cost half a second on every conversion)
    entry = frame["entry_amount"].to_numpy(dtype=object)
    rows = np.flatnonzero(frame["amount"].to_numpy(dtype=object) != entry)
    if not len(rows):
        return
    whole = np.zeros(len(frame), dtype=object)
    whole[rows] = minor_units(to_decimal_array(entry[rows]), src_digits[rows])
    ids = frame["id"].to_numpy(dtype=object)[rows]
    for _, pos in pd.Series(rows).groupby(ids, sort=False):
        r = pos.to_numpy()
        w = objects(amount_minor[r])
        if len(r) < 2 or any(x <= 0 for x in w) or sum(w) != int(whole[r[0]]):
            continue     # not the whole entry here (or not positive parts)
        yield r, w, int(whole[r[0]])


def _share(total, w) -> np.ndarray:
    """``total`` (minor units) shared by the weights ``w``, largest remainders."""
    return largest_remainder(objects(total), np.zeros(len(w), dtype=np.int64), w,
                             np.asarray([int(sum(w))], dtype=object), np.arange(len(w)))


def _split_whole(value_minor, frame, amount_minor, src_digits, factors) -> None:
    """The converted parts of a split entry add up to the entry's amount
    converted and rounded once (largest remainders, in place): rounding each
    part alone could make €50,000 at 1.1198 $55,990.01, not the $55,990.00
    that converting the entry gives."""
    for r, w, whole in _split_groups(frame, amount_minor, src_digits):
        total = mul_round(objects([whole]), [_factor_at(x, r[:1]) for x in factors])
        value_minor[r] = _share(total, w)


def _factor_at(factor, idx):
    """A factor (num, den, approx) of ``mul_round`` at the rows ``idx``."""
    num, den, approx = factor
    return (_pick(num, idx), _pick(den, idx),
            approx if np.ndim(approx) == 0 else np.asarray(approx, dtype=np.float64)[idx])


def _split_year_groups(frame, amount_minor, src_digits, parts):
    """``_split_groups`` whose parts share the entry's years: (its rows, the
    parts' minor units, the entry's, the year parts (one row per year, one
    column per split part))."""
    groups = list(_split_groups(frame, amount_minor, src_digits))
    if not groups:
        return
    first = np.searchsorted(parts.row, np.arange(len(frame)))
    count = np.bincount(parts.row, minlength=len(frame))
    for r, w, whole in groups:
        k = int(count[r[0]])
        idx = first[r][:, None] + np.arange(k)          # parts: one row per split part
        if k == 0 or (count[r] != k).any() or (parts.fy[idx] != parts.fy[idx[0]]).any() \
                or (parts.weight[idx] != parts.weight[idx[0]]).any():
            continue     # the parts do not share the entry's years
        yield r, w, whole, idx.T


def _put_shares(target, idx, years, w):
    """``target`` with the entry's ``years`` shared by the weights ``w`` at the
    year parts ``idx`` (Python ints when needed): the running sum to each
    year is shared (largest remainders) and each part's year is the step of
    its share, so every year adds up to the entry's and every part's years
    to its own total (a year's figure shared alone could drift a part's
    total by a unit)."""
    run = [_share(objects([x]), w) for x in np.cumsum(objects(years))]
    shares = [objects(run[0])] + [objects(run[j]) - objects(run[j - 1])
                                  for j in range(1, len(run))]
    if target.dtype != object and any(np.asarray(s).dtype == object for s in shares):
        target = objects(target)
    for j, s in enumerate(shares):
        target[idx[j]] = s
    return target


def _entry_years(parts, p0, r0, a_year_entry: bool, a_year, total):
    """A split entry's ``total`` (minor units, one) over its years, once, at
    its first part's year rows ``p0`` (``r0``: its first row): an amount a
    year's whole years each ``a_year``, the part years sharing the rest
    (``_year_shares``, as unsplit); any other amount by days, largest
    remainders."""
    k = len(p0)
    if a_year_entry:
        return _year_shares(np.zeros(k, dtype=np.int64), parts.weight[p0], parts.year_len[p0],
                            parts.fy[p0], np.full(k, a_year, dtype=object),
                            np.full(k, total[0], dtype=object))
    return largest_remainder(total, np.zeros(k, dtype=np.int64), parts.weight[p0],
                             parts.weight_sum[r0], parts.fy[p0])


def _split_years(spread, totals, frame, amount_minor, src_digits, parts, rate_rows,
                 a_year_factors):
    """Each of ``spread`` (per year part) with the years of a split entry
    made from the entry's whole total (its parts' ``totals`` added) spread
    over its years once, each year's figure shared among the parts by
    largest remainders: each part spread and rounded alone moved a year's
    figure by a unit or more (ties going to the earlier year each time).
    An amount a year's whole years are the entry's amount a year (times
    ``a_year_factors``, one list per ``spread``) rounded once, the part
    years sharing the rest (``_year_shares``), as unsplit."""
    spread = [np.asarray(s).copy() for s in spread]
    for r, w, whole, idx in _split_year_groups(frame, amount_minor, src_digits, parts):
        p0, r0 = idx[:, 0], r[:1]
        for i, tot in enumerate(totals):
            total = objects([sum(objects(np.asarray(tot)[r]))])
            fs = a_year_factors[i]
            a_year = mul_round(objects([whole]), [_factor_at(x, r0) for x in fs])[0] \
                if fs and rate_rows[r0[0]] else whole
            years = _entry_years(parts, p0, r0, bool(rate_rows[r0[0]]), a_year, total)
            spread[i] = _put_shares(spread[i], idx, years, w)
    return spread


def _split_whole_years(value_parts, frame, amount_minor, src_digits, parts, factor,
                       rate_rows, rate_of, scale):
    """``_split_whole`` for rates per year part (``yearly-average``), in place:
    in each year the parts of a split entry add up to the entry's own part of
    that year converted and rounded once, shared by largest remainders (each
    part's year rounded alone could lose or gain a cent a year against it)."""
    for r, w, whole, idx in _split_year_groups(frame, amount_minor, src_digits, parts):
        k = idx.shape[0]
        p0, r0 = idx[:, 0], r[:1]
        total = mul_round(objects([whole]), [_factor_at(factor, r0)])
        orig = _entry_years(parts, p0, r0, bool(rate_rows[r0[0]]), whole, objects(total))
        years = mul_round(objects(orig), [_factor_at(rate_of, p0),
                                          _factor_at(scale, np.repeat(r0, k))])
        value_parts = _put_shares(value_parts, idx, years, w)
    return value_parts


def _restated_whole(restated_minor, frame, has, rest_minor, alloc_minor, fnum, fden) -> None:
    """The restated parts of an entry split over several purposes add up to
    its restated amount exactly (largest remainders, in place): rounding each
    part alone could lose or gain a cent against the figure the source states."""
    if "id" not in frame.columns or not has.any():
        return
    rows = np.flatnonzero(has)
    ids = pd.Series(frame["id"].to_numpy(dtype=object)[rows])
    multi = ids.duplicated(keep=False).to_numpy()
    if not multi.any():
        return
    for _, pos in pd.Series(rows[multi]).groupby(ids[multi].to_numpy(), sort=False):
        r = pos.to_numpy()
        total = round_div(objects(rest_minor[r[:1]]) * objects(fnum[r[:1]]), objects(fden[r[:1]]))
        w = np.asarray([int(x) for x in alloc_minor[r]], dtype=object)
        restated_minor[r] = largest_remainder(total, np.zeros(len(r), dtype=np.int64), w,
                                              np.asarray([int(w.sum())], dtype=object),
                                              np.arange(len(r)))


class _Sub:
    def __init__(self, labels, idx):
        self.labels, self.idx = labels, idx

    def __getitem__(self, i):
        return self.labels[int(self.idx[i])]


class _LazyLabels:
    def __init__(self, f):
        self.f = f

    def __getitem__(self, i):
        return self.f.label(int(i))


def _yearly_average(table, cur, currency, parts, f, clamp, sm, sd, spread, notes):
    """Rates per part from the year's average (calendar or fiscal year)."""
    m_parts = len(parts.row)
    pcur = cur[parts.row]
    rate = np.full(m_parts, Decimal(1), dtype=object)
    num = np.ones(m_parts, dtype=object)
    den = np.ones(m_parts, dtype=object)
    approx = np.ones(m_parts)
    source = np.full(m_parts, SAME_CURRENCY, dtype=object)
    base = np.full(m_parts, SAME_CURRENCY, dtype=object)
    for c in map(str, pd.unique(pcur)):
        if c == currency:
            continue
        m = np.flatnonzero(pcur == c)
        if table.stated_only(c):     # no published rates: each entry's own restatement
            rows = parts.row[m]
            uniq, back = np.unique(rows, return_inverse=True)
            labels = [f.label(int(i)) for i in range(len(f.frame))] if len(uniq) else []
            st, idx = stated_fallback(table, f.frame, f, uniq, c, currency, f.dates("date"),
                                      "previous", clamp, labels)
            rn, rd = st.ratio
            rate[m], num[m], den[m] = st.rate[idx][back], rn[idx][back], rd[idx][back]
            source[m] = base[m] = st.source[idx][back]
            approx[m] = st.approx[idx][back]
            continue
        avg = table.yearly_averages(c, currency, sm, sd, at=f.dates("date")[parts.row[m[:1]]],
                                    labels=[f.label(int(parts.row[m[0]]))])
        have = avg.index.to_numpy()
        want = parts.fy[m]
        pos = np.searchsorted(have, want)
        posc = np.minimum(pos, len(have) - 1)
        missing = have[posc] != want
        if missing.any():
            if not clamp:
                i = int(np.flatnonzero(missing)[0])
                lbl = year_label(np.array([want[i]]), sm, sd)[0]
                raise LedgerError(
                    f"{f.label(int(parts.row[m[i]]))}: no {c}->{currency} rates in {lbl} for "
                    f"a yearly average: the rates cover {year_label(have[:1], sm, sd)[0]} to "
                    f"{year_label(have[-1:], sm, sd)[0]} (give a rate table that covers it "
                    f"with --rates CSV)")
            posc = np.where(want < have[0], 0, np.where(want > have[-1], len(have) - 1, posc))
            # a gap inside the range: the previous year with data
            still = have[posc] != want
            posc = np.where(still, np.maximum(np.searchsorted(have, want) - 1, 0), posc)
        if not clamp and len(m):
            _check_year_covers(avg, posc, parts, m, sm, sd, f, c, currency,
                               table.data_end, notes)
        sel = avg.iloc[posc]
        r = sel["rate"].to_numpy(dtype=object)
        ratios = [x.as_integer_ratio() for x in avg["rate"]]
        rn = np.array([a for a, _ in ratios], dtype=object)[posc]
        rd = np.array([b for _, b in ratios], dtype=object)[posc]
        srcs = ("average of " + sel["count"].astype(str) + " daily rates "
                + pd.Series(sel["first"].to_numpy().astype("datetime64[D]").astype(str), index=sel.index)
                + ".." + pd.Series(sel["last"].to_numpy().astype("datetime64[D]").astype(str), index=sel.index)
                + ": " + sel["source"]).to_numpy(dtype=object)
        rate[m], num[m], den[m], source[m] = r, rn, rd, srcs
        approx[m] = np.array([float(x) for x in avg["rate"]])[posc]
        base[m] = sel["source"].to_numpy(dtype=object)
    return {"rate": rate, "num": num, "den": den, "source": source, "approx": approx,
            "base_source": base,
            "rate_date": np.full(m_parts, np.datetime64("NaT"), dtype="datetime64[D]")}


MAX_GAP = np.timedelta64(MAX_GAP_DAYS, "D")


def _check_year_covers(avg, posc, parts, m, sm, sd, f, c, currency, data_end,
                       notes: list[str]) -> None:
    """A year's average stands for a part only when the year's rates cover
    the part's days, and run to the year's end unless a later year has rates
    (RUB stops on 2022-03-01: its Jan-Mar mean is no 2022 average for an
    entry of any date).  The year the data ends in (2026) is still running:
    its mean so far stands for it, said in a note added to ``notes``."""
    first = avg["first"].to_numpy().astype("datetime64[D]")[posc]
    last = avg["last"].to_numpy().astype("datetime64[D]")[posc]
    reach = avg["reach"].to_numpy().astype("datetime64[D]")[posc]
    year_end = D.window(parts.fy[m], sm, sd)[1]
    stops = (reach < year_end) & (posc == len(avg) - 1)
    running = stops & (last >= data_end - MAX_GAP) if data_end is not None \
        else np.zeros(len(m), dtype=bool)
    bad = (stops & ~running) | (parts.lo[m] < first - MAX_GAP) | \
        ((parts.hi[m] > reach) & ~running)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        lbl = year_label(np.array([parts.fy[m[i]]]), sm, sd)[0]
        why = ("they stop there" if stops[i] else
               f"the part runs {_fmt_date(parts.lo[m[i]])} to {_fmt_date(parts.hi[m[i]])}")
        raise LedgerError(
            f"{f.label(int(parts.row[m[i]]))}: no yearly average {c}->{currency} for {lbl}: "
            f"the {lbl} rates run from {_fmt_date(first[i])} to {_fmt_date(last[i])} only, "
            f"and {why} (use --valuation entry-date, or a rate table that covers the year "
            f"with --rates CSV)")
    for k in np.unique(posc[running]) if running.any() else ():
        lbl = year_label(np.array([avg.index[k]]), sm, sd)[0]
        note = (f"the {lbl} yearly average {c}->{currency} is the mean of the rates so far "
                f"({_fmt_date(avg['first'].iloc[k])} to {_fmt_date(avg['last'].iloc[k])}): "
                f"the year is not over in the data")
        if note not in notes:
            notes.append(note)


def effective_rate(value_minor, orig_minor, dst_digits, src_digits):
    """Per row: the value over the original amount (Decimals to the rate
    table's digits), the one rate of an amount valued at several (yearly
    averages); 0 for nothing.  ``src_digits`` per row, ``dst_digits`` one."""
    out = np.empty(len(value_minor), dtype=object)
    with localcontext() as ctx:
        ctx.prec, ctx.rounding = RATE_DIGITS, ROUND_HALF_EVEN
        out[:] = [(Decimal(int(v)).scaleb(-dst_digits) / Decimal(int(o)).scaleb(-int(k)))
                  if o else Decimal(0)
                  for v, o, k in zip(value_minor, orig_minor, src_digits)]
    return out


def _assemble(frame, f, rows, year, value_minor, orig_minor, dst_digits, src_digits,
              currency, rate, rate_date, rate_source, open_rows, opts, sm, sd,
              decimals=True, categorical=False):
    m = len(rows)

    def col(c, default):
        if c not in frame.columns:
            return _strings(np.zeros(m, dtype=np.int64), [default],
                            categorical and default is not None)
        is_cat = isinstance(frame[c].dtype, pd.CategoricalDtype)
        if categorical and c != "amount" and (c != "id" or is_cat):
            return _categorical_take(frame[c], rows)
        s = frame[c].take(rows).reset_index(drop=True)
        if isinstance(s.dtype, pd.CategoricalDtype):   # the default output holds strings
            s = s.astype("str")
        return s

    def text(values):
        """An object array of (few distinct) strings, or its (codes, uniques),
        as an output column."""
        if isinstance(values, tuple):
            return _strings(*values, categorical)
        return _strings(*pd.factorize(values, sort=categorical), categorical)

    out = {
        "id": col("id", ""),
        "date": pd.to_datetime(frame["date"]).to_numpy()[rows].astype("datetime64[s]"),
        "funder": col("funder", ""), "purpose": col("purpose", ""),
        "status": col("status", ""), "qualifier": col("qualifier", ""),
        "period": col("period", ""),
        "primary": (frame["primary"].to_numpy(dtype=bool)[rows] if "primary" in frame
                    else np.ones(m, dtype=bool)),
        "amount": col("amount", None),
    }
    # currency: factorised on the input rows, then the codes taken
    f.currency()
    out["currency"] = _strings(f.currency_codes[rows], list(map(str, f.currencies)), categorical)
    if year is not None:
        if (sm, sd) == (1, 1):   # calendar years: the numbers themselves
            out["year"] = np.asarray(year, dtype=np.int64)
        else:
            codes, uniq = pd.factorize(year, sort=True)
            out["year"] = _strings(codes, list(year_label(np.asarray(uniq), sm, sd)), categorical)
    orig_minor = np.asarray(orig_minor)
    if decimals:
        # original-currency parts: per currency digits
        orig = np.empty(m, dtype=object)
        sdig = src_digits[rows]
        for k in np.unique(sdig):
            mask = sdig == k
            orig[mask] = to_decimals(orig_minor[mask], int(k))
        out["value"] = to_decimals(value_minor, dst_digits)
    out.update({
        "report_currency": _strings(np.zeros(m, dtype=np.int64), [currency], categorical),
        "rate": rate,
        "rate_date": np.asarray(rate_date).astype("datetime64[s]"),
        "rate_source": text(rate_source),
    })
    if decimals:
        out["original_value"] = orig
    out["value_minor"] = _int_col(value_minor)
    out["open_ended"] = open_rows[rows]
    if not decimals:
        out["original_minor"] = _int_col(orig_minor)
    return pd.DataFrame(out, copy=False)   # fresh arrays: no copy into blocks


def output_columns(years: bool = True, decimals: bool = True) -> list[str]:
    """The columns ``normalise`` returns (``years``: spread into years)."""
    cols = [c for c in OUTPUT_COLUMNS if c != "year" or years]
    if not decimals:
        cols = [c for c in cols if c not in ("value", "original_value")] + ["original_minor"]
    return cols


def add_decimals(out: pd.DataFrame) -> pd.DataFrame:
    """``value`` and ``original_value`` (Decimal objects, as ``normalise``
    gives by default) for a frame made with ``decimals=False`` — or a slice of
    it, so only the rows shown pay for the objects.  Exact: built from the
    integer minor units and each currency's digits."""
    res = out.drop(columns=["original_minor"]).copy()
    rep = out["report_currency"].to_numpy(dtype=object)
    cur = out["currency"].to_numpy(dtype=object)
    value = np.empty(len(out), dtype=object)
    orig = np.empty(len(out), dtype=object)
    vminor = out["value_minor"].to_numpy()
    ominor = out["original_minor"].to_numpy()
    for col, codes_of, minor in ((value, rep, vminor), (orig, cur, ominor)):
        digits = _digits(codes_of) if len(out) else np.zeros(0, dtype=np.int64)
        for k in np.unique(digits):
            mask = digits == k
            col[mask] = to_decimals(minor[mask], int(k))
    cols = list(res.columns)
    res.insert(cols.index("report_currency"), "value", value)
    res.insert(list(res.columns).index("value_minor"), "original_value", orig)
    return res


def _recode(codes, values):
    """Codes into ``values`` (which may repeat) -> codes into the sorted
    distinct values."""
    uniq, inv = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return inv.reshape(-1)[codes], list(uniq)


def _categorical_take(s: pd.Series, rows) -> pd.Series:
    """``s`` taken at ``rows`` as a Categorical with sorted categories: the
    distinct values are found once on the input rows, then only codes move."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cat = s.array
        if not cat.ordered and not cat.categories.is_monotonic_increasing:
            cat = cat.reorder_categories(cat.categories.sort_values())
        codes, cats = cat.codes, cat.categories
    else:
        codes, cats = pd.factorize(s, sort=True)
    return pd.Series(pd.Categorical.from_codes(np.asarray(codes)[rows], categories=cats))


def _strings(codes, uniques, categorical=False) -> pd.Series:
    """A string column from factor codes (cheap: a take on the few uniques);
    as a Categorical when ``categorical`` (no take at all)."""
    if categorical:
        return pd.Series(pd.Categorical.from_codes(
            np.asarray(codes), categories=pd.Index(pd.array(list(uniques), dtype="str"))))
    return pd.Series(pd.array(list(uniques), dtype="str")).take(codes).reset_index(drop=True)


def _int_col(values):
    arr = np.asarray(values)
    try:
        return arr.astype(np.int64)
    except OverflowError:
        return arr.astype(object)
