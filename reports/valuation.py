"""The one valuation step: a Book and a valuation ``Spec`` (currency,
valuation, basis, years, horizon, rates, constant prices) in; the valued
table and the notes that go with it out (``value`` -> ``Valued``).

``report``, ``balance``, every export (csv, parquet, fdp, hledger and
beancount) and the page (through the report) call ``value`` once per
command, so the same question gets the same figures whatever the command:
one call of ``rates.normalise.normalise`` for the rows, the ledger's horizon
for open-ended amounts (``default_horizon``), constant prices
(``deflated``) and the recorded basis (each amount once, at its entry date)
all decided here.
"""
from __future__ import annotations

from typing import Any

import functools
from decimal import Decimal
from dataclasses import dataclass, fields
from pathlib import Path
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ledger.book import Book
from ledger.errors import LedgerError
from rates import _dates as D
from rates._minor import objects, round_div
from rates.deflate import constant_prices
from rates.normalise import (YEAR_MODES, add_decimals, effective_rate, last_year, normalise,
                             year_label)
from reports.accounts import truncate
from reports.columns import (_digits, _distinct_pairs_per_group, _minor, _text_codes,
                             _with_id_codes, decimal_column, to_money)
from reports.filters import share_mask, uncut
from reports.notes import valuation_notes
from rates.table import currency_digits
from reports.options import as_book

BASES = ("total", "per-year", "recorded")
# restated and entry_amount: as-stated valuation, and currencies with no published
# rates, value an entry by its own restatement (rates.normalise.stated_fallback)
SUM_COLUMNS = ["id", "date", "funder", "purpose", "primary", "amount", "currency", "period",
               "period_kind", "years", "start", "end", "fiscal_year", "where", "restated",
               "entry_amount", "value_date"]


@dataclass(frozen=True)
class Spec:
    """How to value: the report currency, the rates (``valuation``, a user
    ``rates`` table, ``policy`` for a date with no rate), the ``basis``
    (``total`` over each period, ``per-year``, or ``recorded``: each amount
    once, as a one-off at its entry date), the ``years`` parts are spread
    into (None: one row per entry and purpose), the ``horizon`` given for
    open-ended amounts (None: the ledger's), and constant prices
    (``deflator`` CSV and ``base_year``)."""
    currency: str = "GBP"
    valuation: str = "entry-date"
    basis: str = "total"
    years: str | None = "calendar"
    fiscal_start: str | None = None
    horizon: str | int | None = None
    rates: str | None = None
    deflator: str | None = None
    base_year: int | None = None
    policy: str = "previous"

    @classmethod
    def of(cls, options, **changes) -> Spec:
        """The spec of a command's options (``ReportOptions`` or any object
        with some of these fields), with ``changes``."""
        given = {f.name: getattr(options, f.name) for f in fields(cls) if hasattr(options, f.name)}
        return cls(**{**given, **changes})


@dataclass
class Valued:
    """The valued table and what goes with it.

    ``spread``: one row per entry, purpose and year on the total (or
    recorded) basis, the numbers every total comes from (None for a
    per-year export, which asks for no total).  ``per_year``: with basis
    ``per-year``, one amount per entry and year.  ``horizon``: the horizon
    used (None when no open-ended amount needed one).  ``notes``: the notes
    every command prints with these figures (``reports.notes.valuation_notes``)."""
    book: Book
    spec: Spec
    spread: Any   # a DataFrame; None only for a per-year export
    horizon: str | None
    per_year: pd.DataFrame | None = None
    rate_notes: tuple[str, ...] = ()   # what normalise said of the rates it used

    @property
    def rows(self) -> pd.DataFrame:
        """The valued table on the spec's basis: the per-year table, else the
        totals' rows."""
        return self.per_year if self.per_year is not None else self.spread

    @functools.cached_property
    def notes(self) -> list[str]:
        return valuation_notes(self.book, self.spec, self.horizon, self.spread, self.spec.basis,
                               self.rate_notes)


def folder(root) -> Path | None:
    """The ledger's folder (its ``rates.csv`` is looked for there)."""
    if root is None:
        return None
    root = Path(root)
    return root.parent if root.is_file() else root


def ledger_fiscal_start(book) -> str:
    """MM-DD: the day the ledger's fiscal years start (its
    ``fiscal_year_start``, else 1 April)."""
    return (book.options or {}).get("fiscal_year_start") or "04-01"


def normalise_options(book, spec: Spec) -> dict:
    """The ``rates.normalise.normalise`` options of ``spec`` for ``book``
    (a fiscal year starts on the ledger's ``fiscal_year_start``, else 1 April)."""
    fiscal_start = spec.fiscal_start
    if spec.years == "fiscal" and fiscal_start is None:
        fiscal_start = ledger_fiscal_start(book)
    return dict(currency=spec.currency, valuation=spec.valuation, years=spec.years,
                fiscal_start=fiscal_start if spec.years == "fiscal" else None,
                rates=spec.rates, policy=spec.policy, root=folder(book.root),
                entry_fiscal_start=ledger_fiscal_start(book))


def fiscal_start_of(book, spec) -> tuple[int, int]:
    """(month, day) a year of ``spec.years`` starts on."""
    if spec.years == "fiscal":
        txt = spec.fiscal_start or ledger_fiscal_start(book)
        m, d = (int(x) for x in str(txt).lstrip("-").split("-"))
        return m, d
    return YEAR_MODES.get(spec.years, (1, 1))


def default_horizon(book, spec: Spec) -> str | None:
    """The ledger's last year: the last calendar year that any bounded
    entry of the whole ledger reaches, or the year of its latest entry when
    that is later, whatever years the figures are grouped in (``--years``
    fiscal or calendar: open-ended amounts counted to the same 31 December,
    so the total is the same) (an older entry added never moves it back past
    an open-ended entry's start).  Returns None when the ledger has no
    open-ended entry.  ``book``: the Book of the chosen entries; the horizon
    comes from the Book they were selected from (``Book.whole``), so filters
    never change it: the one horizon rule of every command."""
    whole = as_book(book).whole
    if not whole.open_ended().any():
        return None
    return horizon_from([horizon_facts(whole, spec)])


def horizon_facts(book, spec: Spec) -> tuple[bool, str | None, str | None]:
    """What the default horizon is made of, for a ledger or one part of it
    (a dataset's partition): (it has an open-ended entry, the last year its
    bounded entries reach, the year of its latest entry), years labelled as
    ``normalise`` labels them.  The periods only: nothing is valued."""
    open_ = book.open_ended()
    if not len(open_):
        return False, None, None
    years = "calendar"     # one end date whatever --years (default_horizon)
    last = None
    if not open_.all():
        kw = normalise_options(book, Spec.of(spec, years=years))
        last = str(last_year(book.subset(~open_).frame(SUM_COLUMNS), years, kw["fiscal_start"],
                             kw["entry_fiscal_start"]))
    latest = pd.Timestamp(book.tables.entries["date"].max()).date()
    sm, sd = (1, 1) if years == "calendar" else fiscal_start_of(book, Spec.of(spec, years=years))
    first = latest.year if (latest.month, latest.day) >= (sm, sd) else latest.year - 1
    # labelled as last_year labels (a fiscal year from 1 January is a calendar year)
    return bool(open_.any()), last, str(year_label(np.array([first]), sm, sd)[0])


def horizon_from(facts) -> str | None:
    """The default horizon of the parts whose ``horizon_facts`` are given:
    the later of the last year any bounded entry reaches and the latest
    entry's year; None when no part has an open-ended entry.  A maximum, so
    the same however the entries are split into parts, and never earlier
    for more entries (labels of one kind compare as their years do)."""
    facts = list(facts)
    if not any(f[0] for f in facts):
        return None
    return max(y for f in facts for y in f[1:] if y is not None)


def open_any_entry(book) -> bool:
    return bool(as_book(book).open_ended().any())


def _open_rows(frame: pd.DataFrame):
    """The rows of an amount a year with no end (``Book.open_ended``'s test)."""
    return ((frame["period_kind"].astype(object) == "per-year").to_numpy(dtype=bool)
            & frame["years"].isna().to_numpy(dtype=bool) & frame["end"].isna().to_numpy(dtype=bool))


def as_recorded(frame: pd.DataFrame) -> pd.DataFrame:
    """Every amount as recorded: a one-off at its entry date (the basis of
    hledger's and ledger-cli's converted balances of an export)."""
    return frame.assign(period_kind="one-off", years=None, start=pd.NaT, end=pd.NaT,
                        fiscal_year=None)


def value(book, spec: Spec, *, fast: bool = False, every_column: bool = False,
          totals: bool = True, by_year: bool = True) -> Valued:
    """Value the entries of ``book`` (a Book, or entries) as ``spec`` says.

    ``fast``: exact integer money only (``value_minor``, ``original_minor``)
    and Categorical text, for callers that only sum or write text; the same
    figures.  ``every_column``: every column of the base frame (the
    report's tables), entry ids as codes when ``fast``.  ``totals=False``
    (basis ``per-year`` only): the per-year table alone, with the spec's
    years and horizon (an export); with totals, the per-year table is one
    amount per entry and purpose (no years, no horizon) beside the totals'
    rows (the report).  ``by_year=False``: one row per entry and purpose
    instead of per year where that gives the same figures (one rate per
    entry, no constant prices, calendar years: each entry's years are split
    from its rounded total by largest remainder).  A Book cut to the shares
    of --purpose (``reports.filters.cut_shares``): its whole entries valued,
    the matching rows kept (``only_shares``)."""
    book = as_book(book)
    cut = uncut(book)
    if cut is not None:
        whole, purposes = cut
        return only_shares(value(whole, spec, fast=fast, every_column=every_column,
                                 totals=totals, by_year=by_year), purposes, book)
    if spec.basis not in BASES:
        raise LedgerError(f"unknown basis {spec.basis!r}; choose one of {', '.join(BASES)}")
    check_deflator(Spec.of(spec, basis="total" if spec.basis == "recorded" else spec.basis))
    if every_column:
        frame = _with_id_codes(book, book.frame()) if fast else book.frame()
    else:
        frame = book.frame(SUM_COLUMNS if fast else None)
    kw = normalise_options(book, spec)
    said: list[str] = []
    kw["notes"] = said
    given = None if spec.horizon in (None, "") else str(spec.horizon)
    per_year = None
    if spec.basis == "per-year" and not totals:
        per_year = normalise(frame, basis="per-year", horizon=given, decimals=not fast,
                             categorical=fast, **kw)
        open_any = given is not None and bool(book.open_ended().any())
        return Valued(book, spec, None, given if open_any else None, per_year, tuple(said))
    recorded = spec.basis == "recorded"
    open_any = not recorded and bool(book.open_ended().any())
    horizon = None if recorded else given
    open_ids = None
    if recorded:
        # the column says whether the entry is open-ended, valued once or not
        open_ids = frame["id"][_open_rows(frame)].unique() if open_any_entry(book) else []
        frame = as_recorded(frame)
    elif horizon is None and open_any:
        horizon = default_horizon(book, spec)
    if not by_year and spec.valuation != "yearly-average" and not spec.deflator \
            and spec.years == "calendar":
        kw["years"] = None
    # the per-year basis with totals: its table (one amount per entry and
    # purpose) and the totals' rows from one valuation, at the same rates
    calendar, start = None, fiscal_start_of(book, spec)
    regroup = bool(spec.deflator) and start != (1, 1)
    # regrouped, the rows' original minor units are read (``original_minor_of``):
    # made as integers, the Decimals added once deflated
    rows = normalise(frame, basis="total", horizon=horizon, decimals=not fast and not regroup,
                     categorical=fast, with_per_year=spec.basis == "per-year", **kw)
    if spec.basis == "per-year":
        rows, per_year = rows
    if regroup:
        # the index is by calendar year: the calendar parts are deflated, then regrouped
        calendar = normalise(frame, basis="total", horizon=horizon,
                             decimals=False, **{**kw, "years": "calendar", "fiscal_start": None})
    rows = deflated(rows, spec, calendar, start)
    if open_ids is not None and len(rows):
        rows["open_ended"] = rows["id"].isin(open_ids).to_numpy(dtype=bool)
    if regroup and not fast:
        rows = add_decimals(rows)
        per_year = None if per_year is None else add_decimals(per_year)
    return Valued(book, spec, rows, horizon if open_any else None, per_year, tuple(said))


def only_shares(valued: Valued, purposes: Sequence[str], book=None) -> Valued:
    """``valued`` with only the rows of a share under ``purposes`` (split
    entries keep only their matching shares), of ``book`` when given."""
    keep = {name: None if f is None else f[share_mask(f, purposes)].reset_index(drop=True)
            for name, f in (("spread", valued.spread), ("per_year", valued.per_year))}
    return Valued(valued.book if book is None else book, valued.spec, keep["spread"],
                  valued.horizon, keep["per_year"])


def basis_frame(valued: Valued, depth: int | None = None, fast: bool = False):
    """(rows on the chosen basis, rows spread into years) as the report's
    tables take them: the years summed back per entry and purpose on the
    total basis (``collapse_years``), accounts cut to ``depth`` levels, and
    with ``fast`` a ``value`` column of exact Arrow decimals made from
    ``value_minor``.  (A --purpose filter has cut the Book valued to its
    shares already: ``reports.filters.select``, ``only_shares``.)"""
    currency = valued.spec.currency
    spread = valued.spread
    frame = valued.per_year if valued.per_year is not None else collapse_years(spread, currency)
    if depth:
        for f in (frame, spread):
            f["funder"] = truncate(f["funder"], depth)
            f["purpose"] = truncate(f["purpose"], depth)
    if fast:
        frame, spread = (_with_value(f, currency) for f in (frame, spread))
    return frame, spread


def check_deflator(options) -> None:
    """A deflator needs a base year, and deflates each year's part: the
    per-year basis (one amount an entry, no year) cannot honour it."""
    if options.deflator and options.base_year is None:
        raise LedgerError("--deflator needs --base-year YYYY (the year whose prices the "
                          "figures are given in)")
    if options.base_year is not None and not options.deflator:
        raise LedgerError("--base-year needs --deflator FILE (a price index CSV: area,year,index)")
    if options.deflator and options.basis != "total":
        raise LedgerError("--deflator deflates each year's part of the total; it cannot be "
                          "used with --basis per-year")


def deflated(spread: pd.DataFrame, options, calendar: pd.DataFrame | None = None,
             start: tuple[int, int] = (1, 1)) -> pd.DataFrame:
    """The spread (one row per entry, purpose and year) at constant prices
    when ``options.deflator`` is given (``rates.deflate.constant_prices``:
    each calendar year's part × index[base year] / index[its year]);
    unchanged otherwise.  The one place every command deflates.

    ``calendar``: the same rows spread into calendar years, for a spread
    into other years (starting on ``start``, month and day): the index counts calendar years, so each
    calendar year's part is deflated, then shared between the fiscal years
    it falls in (``_regrouped``).  One total whatever the grouping."""
    if not getattr(options, "deflator", None):
        return spread
    base_year = int(options.base_year)
    if spread.empty:   # still checks the index and its base year
        constant_prices(spread, options.deflator, base_year)
        return spread
    if calendar is None or calendar.empty:
        out = constant_prices(spread, options.deflator, base_year)
        real = out["real_value_minor"].to_numpy()
        out = out.drop(columns=["real_value", "real_value_minor", "price_base"])
    else:
        cal = constant_prices(calendar, options.deflator, base_year)
        out = spread.copy()
        real = _regrouped(spread, cal, start,
                          getattr(options, "valuation", None) != "yearly-average")
    out["value_minor"] = _int_col(real)
    if "value" in out:
        out["value"] = to_money(out["value_minor"], str(out["report_currency"].iloc[0]))
    return out


def original_minor_of(frame: pd.DataFrame) -> np.ndarray:
    """Each row's original amount in its currency's minor units."""
    if "original_minor" in frame.columns:
        return objects(frame["original_minor"].to_numpy())
    digits = frame["currency"].astype(str).map(currency_digits).to_numpy()
    return np.array([int(Decimal(v).scaleb(int(d))) for v, d in
                     zip(frame["original_value"].to_numpy(dtype=object), digits)], dtype=object)


def _run_keys(frame: pd.DataFrame) -> np.ndarray:
    """A key for each row's entry × purpose (its n-th run, should one come
    back), the same in two spreads of the same rows."""
    ids = frame["id"].astype(str).to_numpy(dtype=object)
    purposes = frame["purpose"].astype(str).to_numpy(dtype=object)
    change = np.r_[True, (ids[1:] != ids[:-1]) | (purposes[1:] != purposes[:-1])]
    runs = pd.DataFrame({"i": ids[change], "p": purposes[change]})
    nth = runs.groupby(["i", "p"], sort=False).cumcount().to_numpy()
    key = (runs["i"] + "\x00" + runs["p"] + "\x00" + nth.astype(str)).to_numpy()
    return key[np.cumsum(change) - 1]


def _regrouped(spread: pd.DataFrame, cal: pd.DataFrame, start: tuple[int, int],
               by_value: bool = True) -> np.ndarray:
    """The real value of each row of ``spread`` (parts of years starting on
    ``start``) from the deflated calendar parts ``cal``.

    Each entry × purpose's money is cut where either series' running sum
    ends a year, the two series' running sums merged in order of the money
    reached (report-currency values; ``by_value=False``, original amounts,
    for yearly averages, whose values differ by grouping): each piece lies
    in one calendar and one fiscal year, and the pieces of each add up to
    it exactly.  The pieces of a calendar year share its real value in
    proportion (rounded on the running sum, so they add up to it), and the
    pieces of a fiscal year are summed: at a flat index a fiscal year's real
    value is its nominal one, and the total is the calendar years' total."""
    sm, sd = start
    money = _value_minor if by_value else original_minor_of
    fy = spread["year"].astype(str).str.slice(0, 4).astype(np.int64).to_numpy()
    codes, _ = pd.factorize(np.r_[_run_keys(spread), _run_keys(cal)])
    f_key, c_key = codes[:len(spread)], codes[len(spread):]   # integer keys
    keep = pd.Index(np.unique(f_key)).get_indexer(c_key) >= 0
    c_key = c_key[keep]
    cy = cal["year"].astype(np.int64).to_numpy()[keep]
    c_money = money(cal)[keep]
    c_real = objects(cal["real_value_minor"].to_numpy())[keep]
    f_money = money(spread)
    key = np.r_[f_key, c_key]
    at = np.r_[D.make_date(fy + 1, sm, sd), D.make_date(cy + 1, 1, 1)]
    cal_year = np.r_[np.full(len(fy), -1, dtype=np.int64), cy]
    fis_year = np.r_[fy, np.full(len(cy), -1, dtype=np.int64)]
    # money reached by the end of each year, in the direction of the amount,
    # never past the spread's total
    cum = np.r_[_group_cumsum(f_money, f_key), _group_cumsum(c_money, c_key)]
    totals = pd.Series(f_money).groupby(f_key).sum()
    total = objects(totals.reindex(key).to_numpy(dtype=object))
    sign = np.where(total < 0, -1, 1)
    reach = _int_col(np.minimum(objects(sign * cum), objects(sign * total)))
    order = pd.DataFrame({"k": key, "v": reach, "a": at}).sort_values(
        ["k", "v", "a"], kind="stable").index.to_numpy()
    key, reach = key[order], objects(reach[order])
    piece = reach - _group_shift(reach, key)
    # each piece's years: those of the next year end of each series
    pcy = _next_year(cal_year[order], key)
    pfy = _next_year(fis_year[order], key)
    # each calendar part's real value, shared by its pieces in proportion
    parts = pd.DataFrame({"real": c_real, "money": objects(np.abs(c_money))},
                         index=pd.MultiIndex.from_arrays([c_key, cy]))
    where = pd.MultiIndex.from_arrays([key, pcy])
    real = objects(parts["real"].reindex(where).fillna(0).to_numpy(dtype=object))
    whole = objects(parts["money"].reindex(where).fillna(0).to_numpy(dtype=object))
    group = key * 100_000 + pcy
    run = _group_cumsum(piece, group)
    share = np.where(whole == 0, 0, round_div(real * run, np.where(whole == 0, 1, whole)))
    real_piece = objects(share - _group_shift(objects(share), group))
    got = pd.Series(real_piece).groupby([key, pfy]).sum()
    return objects(got.reindex(pd.MultiIndex.from_arrays([f_key, fy])).fillna(0)
                   .to_numpy(dtype=object))


def _value_minor(frame: pd.DataFrame) -> np.ndarray:
    """Each row's value in the report currency's minor units."""
    return objects(frame["value_minor"].to_numpy())


def _next_year(year: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Within each run of ``key``, each element's ``year`` or, where that is
    -1, the next one's that is not (-1 when none follows)."""
    filled = pd.Series(np.where(year < 0, np.nan, year)).groupby(key).bfill()
    return filled.fillna(-1).to_numpy().astype(np.int64)


def _starts(group: np.ndarray) -> np.ndarray:
    """Whether each element starts a run of equal ``group`` values."""
    group = np.asarray(group)
    return np.r_[True, group[1:] != group[:-1]] if len(group) else np.zeros(0, dtype=bool)


def _group_cumsum(values, group) -> np.ndarray:
    """Running sums of Python ints within runs of equal ``group``."""
    values = objects(values)
    if not len(values):
        return values
    cs = np.cumsum(values)
    first = np.flatnonzero(_starts(group))
    base = cs[first] - values[first]
    return objects(cs - np.repeat(base, np.diff(np.r_[first, len(values)])))


def _group_shift(values, group) -> np.ndarray:
    """Each element's predecessor within its run (0 for the first)."""
    values = objects(values)
    out = np.r_[np.zeros(1, dtype=object), values[:-1]].astype(object)[:len(values)]
    out[_starts(group)] = 0
    return out


def _int_col(values) -> np.ndarray:
    """int64 when every value fits, else Python ints."""
    values = np.asarray(values)
    try:
        return values.astype(np.int64)
    except OverflowError:
        return values


def collapse_years(spread: pd.DataFrame, currency: str) -> pd.DataFrame:
    """One row per entry × purpose from a frame spread into years: the parts
    summed (exactly, in minor units).  Used for the total basis so that the
    totals and the by-year table come from the same numbers and the horizon
    may be a fiscal year.

    Vectorised: rows are ordered by group once and every sum is one
    ``reduceat`` (integer minor units; the original-currency ``Decimal`` parts
    with numpy's object ``add``, or ``original_minor`` for a frame made
    without Decimals); only groups whose parts carry different rate
    sources (yearly averages) join their sources in Python."""
    if spread.empty:
        return spread.drop(columns=["year"], errors="ignore")
    codes = _group_codes(spread)
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    first = order[starts]                       # first row of group 0, 1, 2, … (appearance order)
    cols = [c for c in spread.columns if c != "year"]
    identity = bool((order == np.arange(len(order))).all())
    out = spread[cols].take(first).reset_index(drop=True)
    minor = _minor(spread).to_numpy()
    out["value_minor"] = np.add.reduceat(minor if identity else minor[order], starts)
    if "value" in spread.columns:
        out["value"] = to_money(out["value_minor"], currency)
    if "original_value" in spread.columns:
        orig = spread["original_value"].to_numpy(dtype=object)[order]
        out["original_value"] = pd.Series(np.add.reduceat(orig, starts), dtype=object)
    if "original_minor" in spread.columns:
        om = spread["original_minor"].to_numpy()
        om = om if om.dtype == object else om.astype(np.int64)
        try:
            out["original_minor"] = np.add.reduceat(om if identity else om[order], starts)
        except OverflowError:   # pragma: no cover - sums past int64
            out["original_minor"] = np.add.reduceat(om.astype(object)[order], starts)
    if "amount" in spread.columns and "year" in spread.columns:
        _parts_amount(out, spread, codes, len(first), first)
    if "rate" in spread.columns and "currency" in spread.columns:
        _one_rate(out, spread, order, sorted_codes, currency)
    rs = spread["rate_source"]
    if isinstance(rs.dtype, pd.CategoricalDtype):
        src_codes = rs.cat.codes.to_numpy().astype(np.int64)
        src_uniq = list(rs.cat.categories)
    else:
        src_codes, src_uniq = pd.factorize(rs.astype(object))
    n_src = _distinct_pairs_per_group(codes, src_codes, len(first))
    multi = n_src > 1
    categorical = isinstance(rs.dtype, pd.CategoricalDtype)
    if categorical and not multi.any():
        out["rate_source"] = rs.take(first).reset_index(drop=True)
        return out[cols]
    names = np.asarray([str(x) for x in src_uniq], dtype=object)
    source = names[src_codes[first]] if len(names) else np.full(len(first), "", dtype=object)
    if not multi.any():
        out["rate_source"] = pd.Series(source, dtype=object)
        return out[cols]
    pairs = pd.DataFrame({"g": codes, "s": src_codes}).drop_duplicates()
    sub = pairs[multi[pairs["g"].to_numpy()]]
    joined = sub.groupby("g", sort=False)["s"].agg(lambda x: " + ".join(names[x]))
    source[joined.index.to_numpy()] = joined.to_numpy()
    if categorical:
        out["rate_source"] = pd.Series(pd.Categorical(source, categories=sorted(set(source))))
    else:
        out["rate_source"] = pd.Series(source, dtype=object)
    return out[cols]


def _parts_amount(out: pd.DataFrame, spread: pd.DataFrame, codes: np.ndarray, n: int,
                  first: np.ndarray) -> None:
    """In place: a row of several split parts (a purpose named by two of
    them: one year twice in its group) gets their summed amount as written,
    not its first part's: each part's once, from the group's first year
    (every year's row of a part carries its amount, per year for "a year"),
    so in the units of an unsplit row's.  ``first``: each group's first row.
    The other rows keep their amounts as they were (and print so)."""
    years, _ = pd.factorize(spread["year"].astype(object))
    sizes = np.bincount(codes, minlength=n)
    multi = np.flatnonzero(_distinct_pairs_per_group(codes, years, n) < sizes)
    if not len(multi):
        return
    at = np.flatnonzero(np.isin(codes, multi) & (years == years[first][codes]))
    parts = pd.Series(spread["amount"].to_numpy(dtype=object)[at]).groupby(codes[at]).agg(
        lambda x: sum(x.iloc[1:], x.iloc[0]))
    amount = out["amount"].to_numpy(dtype=object).copy()
    amount[parts.index.to_numpy()] = parts.to_numpy(dtype=object)
    out["amount"] = pd.Series(amount, index=out.index, dtype=out["amount"].dtype)


def _one_rate(out: pd.DataFrame, spread: pd.DataFrame, order: np.ndarray,
              sorted_codes: np.ndarray, currency: str) -> None:
    """In place: a group (``sorted_codes``, the spread's rows in ``order``)
    whose years were valued at different rates (yearly averages) gets its
    effective rate, its value over its original amount, and no rate date
    (the first year's rate and date stood for the whole): ``shown_rates``."""
    rate = spread["rate"].to_numpy(dtype=object)[order]

    def sums(multi):
        sub = out.iloc[multi]
        return (objects(sub["value_minor"].to_numpy()), original_minor_of(sub),
                sub["currency"].astype(str).map(currency_digits).to_numpy())

    multi, shown = shown_rates(sorted_codes, rate, sums, currency)
    if not len(multi):
        return
    rate = out["rate"].to_numpy(dtype=object).copy()
    rate[multi] = shown
    out["rate"] = pd.Series(rate, dtype=object)
    if "rate_date" in out.columns:
        when = out["rate_date"].to_numpy().copy()
        when[multi] = np.datetime64("NaT")
        out["rate_date"] = when


def shown_rates(sorted_groups: np.ndarray, rate: np.ndarray, sums, currency: str
                ) -> tuple[np.ndarray, np.ndarray]:
    """The one rule of the rate shown for rows summed into one (an entry ×
    purpose's years: the Entries sheet and entries.csv; an entry's purposes:
    the page): where they were valued at different rates, the whole's value
    over its original amount (``effective_rate``); elsewhere their one rate.
    ``sorted_groups``, ``rate``: the rows' groups (sorted) and rates in that
    order; ``sums(groups)``: those groups' (value minor units, original minor
    units, original currency digits).  Returns (the groups whose rates
    differ, the rate each shows)."""
    differ = (rate[1:] != rate[:-1]) & (sorted_groups[1:] == sorted_groups[:-1])
    multi = np.unique(sorted_groups[1:][differ])
    if not len(multi):
        return multi, np.empty(0, dtype=object)
    value, original, digits = sums(multi)
    return multi, effective_rate(value, original, currency_digits(currency), digits)


def _group_codes(spread: pd.DataFrame) -> np.ndarray:
    """Group numbers of (id, purpose), in order of first appearance (as
    ``groupby(sort=False).ngroup()``).  A frame spread into years keeps each
    entry × purpose's parts next to each other: then the groups are the runs
    of equal keys, found by comparing neighbours, when no key comes back
    after another (checked), else the hashing groupby."""
    ids, purposes = spread["id"], spread["purpose"]
    n = len(spread)
    pc_ = (purposes.cat.codes.to_numpy() if isinstance(purposes.dtype, pd.CategoricalDtype)
           else pd.factorize(purposes.astype(object))[0])
    ic = _text_codes(ids)
    change = np.empty(n, dtype=bool)
    change[0] = True
    np.not_equal(ic[1:], ic[:-1], out=change[1:])
    change[1:] |= pc_[1:] != pc_[:-1]
    runs = np.cumsum(change) - 1
    starts = np.flatnonzero(change)
    key = np.sort(ic[starts].astype(np.int64) * (int(pc_.max()) + 2) + pc_[starts] + 1)
    if not (key[1:] == key[:-1]).any():
        return runs
    return spread.groupby(["id", "purpose"], sort=False, dropna=False).ngroup().to_numpy()



def _with_value(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """``frame`` (normalised with ``decimals=False``) with its ``value``
    column: ``value_minor`` as exact decimals (Arrow), placed where
    ``normalise`` puts it."""
    if "value" in frame.columns:
        return frame
    value = decimal_column(frame["value_minor"].to_numpy(), _digits(currency))
    value.index = frame.index
    cols = list(frame.columns)
    at = cols.index("report_currency") if "report_currency" in cols else len(cols)
    frame = frame.copy(deep=False)
    frame.insert(at, "value", value)
    return frame
