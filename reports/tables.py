"""Report tables: pure functions from a ledger and options to pandas DataFrames.

Nothing here renders anything.  ``build_report(ledger, options)`` computes every
table once and returns a :class:`Report`; the renderers (``reports.workbook``,
``reports.charts``, ``reports.html``, the terminal/CSV output of
``ledger-tool report``) only read it.

Money: the normalised frame from ``rates.normalise.to_frame`` carries each
row's value both as ``Decimal`` (``value``) and as integer minor units of the
report currency (``value_minor``).  Tables sum ``value_minor`` (vectorised,
exact) and turn the few resulting sums back into ``Decimal``.

Double counting: rows whose ``primary`` flag is False (entries that disburse,
restate or are part of another entry) never enter the totals; the status table
uses disbursing/phased entries only to measure what was paid out.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ledger.errors import LedgerError
from ledger.memory import gc_paused

OTHER = "(other)"
TOTAL = "Total"
PAID_STATUSES = ("disbursed", "spent")
YEAR_MODE_TEXT = {
    "calendar": "calendar years (1 January to 31 December)",
    "fiscal-uk": "UK fiscal years (1 April to 31 March)",
    "fiscal-us": "US federal fiscal years (1 October to 30 September)",
}


# ---------------------------------------------------------------- options
@dataclass(frozen=True)
class ReportOptions:
    """What to report and how.  Filters mean the same as in ``ledger-tool list``."""
    currency: str = "GBP"
    valuation: str = "entry-date"         # entry-date | YYYY-MM-DD | yearly-average | as-stated
    basis: str = "total"                  # total | per-year
    years: str = "calendar"               # calendar | fiscal-uk | fiscal-us | fiscal
    fiscal_start: str | None = None       # MM-DD, for years="fiscal" (default: the ledger's)
    horizon: str | int | None = None      # last year counted for open-ended "per year" amounts
    locale: str = "en_GB"
    funder: tuple[str, ...] = ()
    purpose: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    compare: tuple[str, ...] = ()         # funders side by side (default: top-level funders)
    depth: int | None = None              # account depth for funder/purpose tables
    top: int = 12                         # charts: top N purposes, the rest as "(other)"
    rates: str | None = None              # a user rate table (CSV), else the ledger's / ECB
    title: str | None = None
    amounts: str = "compact"              # amounts in sentences: compact (£12m) | exact
    deflator: str | None = None           # a price index CSV (area,year,index): constant prices
    base_year: int | None = None          # ... of this year


@dataclass
class Report:
    """Every computed table plus the options and notes that explain them."""
    options: ReportOptions
    ledger_name: str
    generated: dt.datetime
    horizon: str | None                   # horizon actually used (None: none needed)
    year_label: str                       # "calendar years (…)" / "fiscal years starting …"
    frame: pd.DataFrame                   # normalised rows on the chosen basis (not spread)
    spread: pd.DataFrame                  # normalised rows spread into years (total basis)
    summary: pd.DataFrame                 # funder, purpose, amount, currency, qualifiers
    matrix: pd.DataFrame                  # purpose × funder (index purpose, columns funders)
    by_purpose: pd.DataFrame
    by_funder: pd.DataFrame
    by_year: pd.DataFrame                 # index year, columns funders
    by_status: pd.DataFrame
    comparison: pd.DataFrame              # index purpose, one column per compared funder
    funder_tree: pd.DataFrame
    purpose_tree: pd.DataFrame
    entries: pd.DataFrame                 # one row per entry × allocation, for people
    sources: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    # options that left entries out of every total, naming them (also in notes)
    warnings: list[str] = field(default_factory=list)
    rate_sources: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    facts: pd.DataFrame | None = None     # per entry: tags, open-ended, pays another (entry_facts)
    last_bounded: str | None = None       # last year a bounded entry reaches (None: none)
    projected: tuple[str, ...] = ()       # by-year years past it: only "a year" pledges
    open_by_year: pd.DataFrame | None = None   # the part of by_year from open-ended pledges

    @property
    def currency(self) -> str:
        return self.options.currency

    def basis_text(self) -> str:
        """One line stating currency, valuation and basis (for titles and captions)."""
        o = self.options
        basis = "total over each period" if o.basis == "total" else "amount per year"
        return f"{o.currency}, {basis}, valued at {self.valuation_text()}"

    def valuation_text(self) -> str:
        """How amounts are valued, with the price base when deflated (every
        title and caption that names the valuation names the base year)."""
        v = self.options.valuation
        text = {"entry-date": "rates at each entry's date",
                "yearly-average": "yearly average rates",
                "as-stated": "the sources' own conversions where given"}.get(v, f"rates on {v}")
        return text + ("," + price_base(self.options) if self.options.deflator else "")


# ---------------------------------------------------------------- money helpers
def _digits(currency: str) -> int:
    from rates.table import currency_digits
    return currency_digits(currency)


def to_money(minor, currency: str | None, *, digits: int | None = None):
    """Integer minor units (scalar, Series or DataFrame) → Decimal, to the
    unit (of ``currency``, or ``digits`` places)."""
    k = _digits(currency) if digits is None else digits

    wide = Context(prec=80)   # totals past 28 digits stay exact (default context rounds)

    def one(x):
        if x is None or (isinstance(x, float) and np.isnan(x)):
            return Decimal(0).scaleb(-k)
        return Decimal(int(x)).scaleb(-k, context=wide)

    if isinstance(minor, pd.DataFrame):
        return minor.apply(lambda col: col.map(one)).astype(object)
    if isinstance(minor, pd.Series):
        return minor.map(one).astype(object)
    return one(minor)


def truncate(accounts: pd.Series, depth: int | None) -> pd.Series:
    """Account paths cut to ``depth`` levels (vectorised)."""
    if not depth:
        return accounts.astype(object)
    if isinstance(accounts.dtype, pd.CategoricalDtype):   # on the few accounts, codes move
        cut = [":".join(str(a).split(":")[:depth]) for a in accounts.cat.categories]
        cats = sorted(set(cut))
        where = {c: k for k, c in enumerate(cats)}
        remap = np.array([where[c] for c in cut] + [-1], dtype=np.int64)
        codes = accounts.cat.codes.to_numpy()
        return pd.Series(pd.Categorical.from_codes(
            remap[np.where(codes < 0, len(cut), codes)],
            categories=pd.Index(pd.array(cats, dtype="str"))), index=accounts.index)
    return accounts.astype(str).str.split(":").str[:depth].str.join(":").astype(object)


def _ints(frame: pd.DataFrame) -> pd.DataFrame:
    """Summed minor units as int64, or as exact Python ints when a total is
    past int64 (see ``_minor``)."""
    try:
        return frame.astype("int64")
    except (OverflowError, TypeError, ValueError):
        return frame.map(int).astype(object)


def _minor(frame: pd.DataFrame) -> pd.Series:
    """``value_minor`` for summing: int64 while the sum of magnitudes
    provably fits (a float estimate with a wide margin), else Python ints,
    so no total ever wraps round to a wrong (negative) figure."""
    m = frame["value_minor"]
    if m.dtype == object:
        return m
    m = m.astype("int64")
    if len(m) and float(np.abs(m.to_numpy(dtype=np.float64)).sum()) >= 2.0 ** 62:
        return m.astype(object).map(int)
    return m


# ---------------------------------------------------------------- normalising
def as_book(ledger):
    """A ``ledger.book.Book`` for ``ledger`` (a Book, or anything with ``.entries``)."""
    from ledger.book import Book
    if isinstance(ledger, Book):
        return ledger
    return Book.from_entries(getattr(ledger, "entries", ledger),
                             getattr(ledger, "documents", None) or {},
                             getattr(ledger, "options", None) or {}, (),
                             getattr(ledger, "root", None))


def select_entries(ledger, options: ReportOptions):
    """The Book of the entries the report's filters choose (column-wise)."""
    return as_book(ledger).select(
        funder=list(options.funder) or None, purpose=list(options.purpose) or None,
        status=list(options.status) or None, start=options.start, end=options.end)


def _purpose_mask(frame: pd.DataFrame, purposes: Sequence[str]) -> pd.Series:
    """Rows whose purpose is one of ``purposes`` or below it (split entries keep
    only the matching shares)."""
    if not purposes:
        return pd.Series(True, index=frame.index)
    from ledger.book import account_mask
    return pd.Series(account_mask(frame["purpose"], list(purposes)), index=frame.index)


def _norm_kw(ledger, options: ReportOptions) -> dict:
    years = options.years
    fiscal_start = options.fiscal_start
    if years == "fiscal" and fiscal_start is None:
        fiscal_start = (ledger.options or {}).get("fiscal_year_start") or "04-01"
    return dict(currency=options.currency, valuation=options.valuation, years=years,
                fiscal_start=fiscal_start if years == "fiscal" else None,
                rates=options.rates)


def default_horizon(ledger, entries, options: ReportOptions):
    """The ledger's last year: the last (calendar or fiscal) year that any
    bounded entry of the whole ledger reaches, or the year of the latest entry
    when every entry is open-ended.  Returns None when the ledger has no
    open-ended entry.  ``entries``: the Book of the chosen entries (or
    ``Entry`` objects); the horizon comes from the Book they were selected
    from (``Book.whole``), so filters never change it.  The one horizon rule:
    ``balance --currency`` and ``export`` use it too."""
    from rates.normalise import normalise

    # the horizon belongs to the ledger, not to the query: worked out from
    # every entry (a filter keeps rows; it never moves the horizon)
    book = as_book(entries).whole
    if book.root is None:
        book.root = getattr(ledger, "root", None)
    open_ = book.open_ended()
    if not open_.any():
        return None
    kw = _norm_kw(ledger, options)
    if not open_.all():   # the years only: integer money, no Decimal per row
        sub = book.subset(~open_)
        spread = normalise(sub.frame(_SUM_COLUMNS), basis="total", root=_root(sub),
                           decimals=False, categorical=True, **kw)
        return str(max(spread["year"].unique().tolist()))   # the few distinct labels
    latest = pd.Timestamp(book.tables.entries["date"].max()).date()
    y = latest.year
    if options.years != "calendar":
        sm, sd = _fiscal_start_of(ledger, options)
        first = y if (latest.month, latest.day) >= (sm, sd) else y - 1
        return f"{first}-{(first + 1) % 100:02d}"
    return str(y)


def price_base(options) -> str:
    """" in GBP prices of 2015" when the figures are deflated, else ""."""
    if not getattr(options, "deflator", None):
        return ""
    return f" in {options.currency.upper()} prices of {options.base_year}"


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


def deflated(spread: pd.DataFrame, options) -> pd.DataFrame:
    """The spread (one row per entry, purpose and year) at constant prices
    when ``options.deflator`` is given (``rates.deflate.constant_prices``:
    each year's part × index[base year] / index[its year]); unchanged
    otherwise.  The one place every command deflates."""
    if not getattr(options, "deflator", None):
        return spread
    from rates.deflate import constant_prices
    out = constant_prices(spread, options.deflator, int(options.base_year))
    out["value_minor"] = out["real_value_minor"]
    if "value" in out:
        out["value"] = out["real_value"]
    return out.drop(columns=["real_value", "real_value_minor", "price_base"])


def deflator_note(options) -> str:
    return (f"constant prices: amounts are{price_base(options)} (each year's part x the "
            f"index of {options.base_year} / the index of its year, from {options.deflator})")


def unstated_note(book, options) -> str | None:
    """With ``--valuation as-stated``: the entries in another currency that
    give no restatement in the report currency, valued at their entry date
    instead (said, never silent)."""
    if options.valuation != "as-stated" or not len(book):
        return None
    cur = options.currency.upper()
    f = book.frame(["id", "currency", "restated"])
    other = f["currency"].astype(str).str.strip().str.upper().to_numpy() != cur
    stated = f["restated"].fillna("").astype(str).str.contains(
        rf"(?:^|[;,])\s*{cur}\s", regex=True).to_numpy()
    ids = sorted(set(f["id"].astype(str).to_numpy()[other & ~stated]))
    if not ids:
        return None
    from reports.balance import _shown
    n = len(ids)
    return (f"as-stated: {n} entr{'y' if n == 1 else 'ies'} in another currency give"
            f"{'s' if n == 1 else ''} no {cur} restatement and {'is' if n == 1 else 'are'} "
            f"valued at {'its' if n == 1 else 'their'} entry date: {_shown(ids)}")


def valuation_notes(book, options, horizon, spread=None, basis: str = "total") -> list[str]:
    """The notes that go with valued figures, the same in every command
    (balance, export; the report words them as sentences): amounts finer
    than their minor unit, constant prices, the horizon and why, and the
    open-ended entries a horizon leaves out (when ``spread`` is given)."""
    from reports.balance import rounded_note

    notes = [n for n in (rounded_note(book), unstated_note(book, options)) if n]
    if getattr(options, "deflator", None):
        notes.append(deflator_note(options))
    if horizon:
        notes.append(f"open-ended amounts per year are counted up to the end of {horizon} "
                     f"({horizon_reason(options.horizon)})")
        if spread is not None:   # only open-ended entries can be dropped by a horizon
            open_ids = book.tables.entries["id"].to_numpy(dtype=object)[book.open_ended()]
            open_rows = spread[spread["id"].isin(set(open_ids)).to_numpy()]
            notes += [w.removeprefix("Warning: ") for w in
                      dropped_warnings(book, open_rows, horizon, basis)]
    return notes


def horizon_reason(given) -> str:
    """Why the horizon is what it is, for every command's note (``given``:
    the --horizon option, None or "" when not given)."""
    if given not in (None, ""):
        return "given with --horizon"
    return ("the ledger's horizon: the last year any bounded entry of the whole ledger "
            "reaches, whatever the filters; give --horizon to change it")


def _fiscal_start_of(ledger, options):
    from rates.normalise import YEAR_MODES
    if options.years == "fiscal":
        txt = options.fiscal_start or (ledger.options or {}).get("fiscal_year_start") or "04-01"
        m, d = (int(x) for x in str(txt).lstrip("-").split("-"))
        return m, d
    return YEAR_MODES.get(options.years, (1, 1))


def spread_frame(ledger, options: ReportOptions, entries=None, *, fast: bool = False,
                 recorded: bool = False, spread: bool = True, every_column: bool = False):
    """(the chosen entries spread into years on the total basis, horizon
    used): the numbers every total of the report comes from.  ``fast``:
    exact integer money only (``value_minor``) and Categorical text, for
    callers that only sum (``balance --currency``); the same figures.
    ``recorded``: every amount as recorded, once, at its entry date (the
    basis of hledger's and ledger-cli's converted balances of an export).
    ``spread=False``: one row per entry and purpose instead of per year; the
    same totals for a valuation with one rate per entry (each entry's years
    are split from its rounded total by largest remainder), not for
    yearly averages (one rate per year).  ``every_column``: every column of
    the base frame (the report's tables), entry ids as codes when ``fast``.

    The one valuation step: every command (balance, report, each export,
    the page through the report) values its figures here, and
    ``valuation_notes`` words what goes with them."""
    from rates.normalise import normalise

    book = select_entries(ledger, options) if entries is None else as_book(entries)
    if book.root is None:
        book.root = getattr(ledger, "root", None)
    # the columns normalise reads, and those the totals group by
    if every_column:
        frame = _with_id_codes(book, book.frame()) if fast else book.frame()
    else:
        frame = book.frame(_SUM_COLUMNS if fast else None)
    open_any = False if recorded else bool(book.open_ended().any())
    horizon = options.horizon
    if recorded:
        frame = frame.assign(period_kind="one-off", years=None, start=pd.NaT, end=pd.NaT,
                             fiscal_year=None)
        horizon = None
    elif horizon in (None, "") and open_any:
        horizon = default_horizon(ledger, book, options)
    horizon = None if horizon in (None, "") else str(horizon)
    kw = _norm_kw(ledger, options)
    check_deflator(options)
    # one row per entry and purpose where that gives the same figures: a
    # single rate, no deflator, and calendar years (an amount per year is
    # made of its year parts, which normalise without years takes as calendar)
    if not spread and options.valuation != "yearly-average" and not options.deflator \
            and options.years == "calendar":
        kw["years"] = None
    spread = normalise(frame, basis="total", horizon=horizon, root=_root(book),
                       decimals=not fast, categorical=fast, **kw)
    return deflated(spread, options), (horizon if open_any else None)


# restated and entry_amount: as-stated valuation, and currencies with no published
# rates, value an entry by its own restatement (rates.normalise.stated_fallback)
_SUM_COLUMNS = ["id", "date", "funder", "purpose", "primary", "amount", "currency",
                "period_kind", "years", "start", "end", "fiscal_year", "where", "restated",
                "entry_amount"]


def _root(book):
    from pathlib import Path
    root = getattr(book, "root", None)
    if root is not None:
        root = Path(root)
        if root.is_file():
            root = root.parent
    return root


def normalised_frames(ledger, options: ReportOptions, entries=None, *, fast: bool = False):
    """(frame on the chosen basis, frame spread into years, horizon used).
    ``entries``: the Book of the chosen entries (default: the filters').
    ``fast`` (the report's own tables): normalised once with exact integer
    money and Categorical text (``rates.normalise``'s ``decimals=False,
    categorical=True``), ``value`` an Arrow decimal column made from
    ``value_minor``, ``original_minor`` instead of ``original_value``: the
    same figures without a Python object per row."""
    from rates.normalise import normalise, to_frame

    book = select_entries(ledger, options) if entries is None else as_book(entries)
    if book.root is None:
        book.root = getattr(ledger, "root", None)
    spread, horizon = spread_frame(ledger, options, book, fast=fast, every_column=True)
    if options.basis == "total":
        frame = collapse_years(spread, options.currency)
    elif fast:   # one amount per entry and year: its own normalising, no horizon
        frame = normalise(_with_id_codes(book, book.frame()), root=_root(book), decimals=False,
                          categorical=True, basis="per-year", horizon=None,
                          **{**_norm_kw(ledger, options), "years": None})
    else:
        frame = to_frame(book, basis="per-year", horizon=None,
                         **{**_norm_kw(ledger, options), "years": None})
    if options.purpose:
        frame = frame[_purpose_mask(frame, options.purpose)].reset_index(drop=True)
        spread = spread[_purpose_mask(spread, options.purpose)].reset_index(drop=True)
    if options.depth:
        for f in (frame, spread):
            f["funder"] = truncate(f["funder"], options.depth)
            f["purpose"] = truncate(f["purpose"], options.depth)
    if fast:
        frame, spread = (_with_value(f, options.currency) for f in (frame, spread))
    return frame, spread, horizon


def id_order(book):
    """(order, rank) of the Book's entries by id (as text): ``order[k]`` is
    the entry whose id sorts k-th, ``rank[e]`` the place of entry e; None
    when an id repeats.  One Arrow sort, kept on the Book."""
    import pyarrow.compute as pc

    en = book.tables.entries
    memo = getattr(book, "_report_id_order", None)
    if memo is not None and memo[0] is en:
        return memo[1]
    ids = _arrow_text(en["id"])
    out = None
    if len(pc.unique(ids)) == len(ids):
        order = pc.sort_indices(ids).to_numpy().astype(np.int64)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        out = (order, rank)
    try:
        book._report_id_order = (en, out)
    except AttributeError:   # pragma: no cover - a Book that takes no attributes
        pass
    return out


def _with_id_codes(book, base: pd.DataFrame) -> pd.DataFrame:
    """The base frame with ``id`` as a Categorical over the entries' ids in
    sorted order (codes = each row's entry's place), so the report groups,
    counts and looks up entries on integers.  Unchanged when ids repeat or
    the frame's rows are not the Book's allocations (checked)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    io = id_order(book)
    al = book.tables.allocations
    if io is None or len(base) != len(al) or isinstance(base["id"].dtype, pd.CategoricalDtype):
        return base
    order, rank = io
    entry = al["entry"].to_numpy().astype(np.int64)
    ids = _arrow_text(book.tables.entries["id"])
    if len(entry) and not pc.all(pc.equal(_arrow_text(base["id"]),
                                          ids.take(pa.array(entry)))).as_py():
        return base
    cats = pd.Index(_str(ids.take(pa.array(order))))
    codes = rank[entry]
    dtype = pd.CategoricalDtype(cats)
    return base.assign(id=pd.Categorical.from_codes(codes, dtype=dtype, validate=False))


def row_entries(id_col: pd.Series, book) -> np.ndarray | None:
    """The entry (row of ``book.tables.entries``) of each row of a frame
    by its ``id``; None when ids repeat or a row's id is not an entry's."""
    import pyarrow as pa
    import pyarrow.compute as pc

    io = id_order(book)
    if io is None:
        return None
    order, _ = io
    ids = _arrow_text(book.tables.entries["id"])
    if isinstance(id_col.dtype, pd.CategoricalDtype):
        cats = _arrow_text(pd.Series(id_col.cat.categories))
        codes = id_col.cat.codes.to_numpy()
        if (codes < 0).any():
            return None
        if len(cats) == len(ids) and pc.all(pc.equal(cats, ids.take(pa.array(order)))).as_py():
            return order[codes]
        at = pc.index_in(cats, value_set=ids).to_numpy(zero_copy_only=False)
        if at.dtype.kind == "f":
            return None
        return at.astype(np.int64)[codes]
    at = pc.index_in(_arrow_text(id_col), value_set=ids).to_numpy(zero_copy_only=False)
    if at.dtype.kind == "f":
        return None
    return at.astype(np.int64)


def decimal_column(minor, digits: int) -> pd.Series:
    """Integer minor units → exact decimals with ``digits`` places, as an
    Arrow ``decimal128`` column (its values are ``Decimal`` objects when read;
    the precision is the one pyarrow infers for the same Decimals).  Built
    from the unscaled integers' bytes: no Python object per value.  Past
    int64, ``Decimal`` objects (``to_money``)."""
    import pyarrow as pa

    arr = np.asarray(minor)
    if arr.dtype == object:
        try:
            arr = arr.astype(np.int64)
        except OverflowError:
            return to_money(pd.Series(arr, dtype=object), None, digits=digits)
    arr = arr.astype(np.int64, copy=False)
    n = len(arr)
    top = int(np.abs(arr).max()) if n else 0   # |int64 min| does not occur in sums of money
    precision = max(len(str(top)), digits, 1)
    if precision > 38:
        return to_money(pd.Series(arr, dtype=object), None, digits=digits)
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = arr
    words[:, 1] = arr >> 63                                   # two's complement sign
    buf = pa.py_buffer(words.tobytes())
    dec = pa.Array.from_buffers(pa.decimal128(precision, digits), n, [None, buf])
    return pd.Series(pd.arrays.ArrowExtensionArray(dec))


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


def _text_codes(s: pd.Series) -> np.ndarray:
    """Integer codes of a text column (equal text, equal code), through
    Arrow's dictionary encoding when the column is Arrow-backed."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64)
    arrow = getattr(s.array, "_pa_array", None)
    if arrow is not None:
        import pyarrow as pa
        enc = arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
        return np.asarray(enc.dictionary_encode().indices.fill_null(-1)).astype(np.int64)
    return pd.factorize(s.astype(object))[0].astype(np.int64)


def _distinct_pairs_per_group(groups: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Per group: how many distinct ``values`` its rows hold (integer codes)."""
    if not len(groups):
        return np.zeros(n, dtype=np.int64)
    key = np.sort(groups.astype(np.int64) * (int(values.max()) + 2) + values.astype(np.int64) + 1)
    uniq = key[np.r_[True, key[1:] != key[:-1]]]
    return np.bincount(uniq // (int(values.max()) + 2), minlength=n)


def _unique_first_inverse(key: np.ndarray):
    """(first, inverse) of ``np.unique(key, return_index=True,
    return_inverse=True)``, by one stable sort (numpy's hashing unique is
    slower on millions of int64 keys), plus that sort's order and where
    each group starts in it (for ``reduceat``)."""
    order = np.argsort(key, kind="stable")
    srt = key[order]
    new = np.empty(len(key), dtype=bool)
    if len(key):
        new[0] = True
        np.not_equal(srt[1:], srt[:-1], out=new[1:])
    first = order[new]
    inv = np.empty(len(key), dtype=np.int64)
    inv[order] = np.cumsum(new) - 1
    return first, inv, order, np.flatnonzero(new)


# ---------------------------------------------------------------- tables
def _qualifier_text(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Per group: e.g. "up to (1); at least (2)" for non-exact amounts."""
    q = frame[frame["qualifier"].astype(str) != "exact"]
    if q.empty:
        return pd.Series(dtype=object)
    q = q.assign(id=_text_codes(q["id"]))   # distinct entries, counted on codes
    counts = q.groupby(keys + ["qualifier"], sort=True)["id"].nunique().reset_index()
    counts["text"] = counts["qualifier"].astype(str) + " (" + counts["id"].astype(str) + ")"
    return counts.groupby(keys)["text"].agg("; ".join)


def _plain_index(index: pd.Index) -> pd.Index:
    """A Categorical index (groups of the report's Categorical columns) as
    plain text, as the tables had it before."""
    if isinstance(index, pd.CategoricalIndex):
        return pd.Index(index.categories.take(index.codes), name=index.name)
    return index


def _plain_series(s: pd.Series) -> pd.Series:
    s.index = _plain_index(s.index)
    return s


def _plain(col: pd.Series) -> pd.Series:
    """A Categorical column as plain text (few rows: a table's keys)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return pd.Series(col.cat.categories.take(col.cat.codes.to_numpy()), index=col.index,
                         name=col.name)
    return col


def distinct_text(col: pd.Series) -> set:
    """The distinct values of a text column as str (a Categorical's used
    categories, no pass over its rows as text)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        used = np.unique(col.cat.codes.to_numpy())
        return {str(col.cat.categories[c]) for c in used if c >= 0} | (
            {"nan"} if len(used) and used[0] < 0 else set())
    return set(pd.unique(col.astype(object)).astype(str))


def _primary(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """The rows counted in totals, only the columns a table needs (taking
    every Arrow-backed column of a big frame costs more than the table)."""
    have = [c for c in dict.fromkeys(cols + ["primary"]) if c in frame.columns]
    mask = frame["primary"].to_numpy(dtype=bool)
    sub = frame[have]
    return sub if mask.all() else sub[mask]


def _grouped(frame: pd.DataFrame, keys: list[str], currency: str) -> pd.DataFrame:
    prim = _primary(frame, keys + ["value_minor", "id", "qualifier"])
    if prim.empty:
        out = pd.DataFrame(columns=keys + ["amount", "currency", "entries", "qualifiers"])
        return out
    g = prim.assign(_m=_minor(prim), _id=_text_codes(prim["id"])).groupby(keys, sort=True)
    out = g["_m"].sum().to_frame("minor")
    out["entries"] = g["_id"].nunique()
    out["qualifiers"] = _qualifier_text(prim, keys).reindex(out.index).fillna("")
    out = out.reset_index()
    for k in keys:
        out[k] = _plain(out[k])
    out.insert(len(keys), "amount", to_money(out.pop("minor"), currency))
    out.insert(len(keys) + 1, "currency", currency)
    return out


def summary_table(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Totals by funder × purpose (primary rows only): funder, purpose, amount,
    currency, entries, qualifiers."""
    return _grouped(frame, ["funder", "purpose"], currency)


def by_purpose(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Totals by purpose, largest first, with each purpose's share of the total."""
    out = _grouped(frame, ["purpose"], currency)
    return _with_share(out)


def by_funder(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    out = _grouped(frame, ["funder"], currency)
    return _with_share(out)


def _with_share(out: pd.DataFrame) -> pd.DataFrame:
    if out.empty:
        out["share"] = []
        return out
    total = sum(out["amount"], Decimal(0))
    out["share"] = [float(a / total) if total else 0.0 for a in out["amount"]]
    return out.sort_values("amount", ascending=False, kind="stable").reset_index(drop=True)


def matrix_table(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Purpose (rows) × funder (columns) totals; zeros where nothing is pledged."""
    prim = _primary(frame, ["purpose", "funder", "value_minor"])
    if prim.empty:
        return pd.DataFrame()
    m = prim.assign(_m=_minor(prim)).pivot_table(index="purpose", columns="funder",
                                                 values="_m", aggfunc="sum", fill_value=0)
    m.columns, m.index = _plain_index(m.columns), _plain_index(m.index)
    m.columns.name = None
    m.index.name = "purpose"
    return to_money(m, currency)


def by_year(spread: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Year (calendar or fiscal, as in the spread frame) × funder: the money
    falling in each year (amounts spread over their periods by days)."""
    prim = _primary(spread, ["year", "funder", "value_minor"])
    if prim.empty or "year" not in prim:
        return pd.DataFrame()
    m = prim.assign(_m=_minor(prim)).pivot_table(index="year", columns="funder",
                                                 values="_m", aggfunc="sum", fill_value=0)
    m.columns = _plain_index(m.columns)
    m.columns.name = None
    m.index = m.index.astype(str)
    m.index.name = "year"
    return to_money(m, currency)


def status_table(frame: pd.DataFrame, links: pd.DataFrame, currency: str) -> pd.DataFrame:
    """Per funder: pledged, committed, disbursed, spent (primary entries by
    their status), total (all primary entries), paid (primary entries with
    status disbursed/spent plus entries that disburse or are part of another
    entry and are disbursed/spent) and outstanding = total − paid.

    ``links``: columns id, kind (disburses | part_of | restates)."""
    if frame.empty:
        return pd.DataFrame(columns=["funder", "pledged", "committed", "disbursed", "spent",
                                     "total", "paid", "outstanding", "currency"])
    f = frame[["funder", "status", "primary", "id"]].assign(_m=_minor(frame))   # only what it sums
    prim = f[f["primary"]]
    by_status = prim.pivot_table(index="funder", columns="status", values="_m",
                                 aggfunc="sum", fill_value=0)
    by_status.index, by_status.columns = (_plain_index(by_status.index),
                                          _plain_index(by_status.columns))
    from ledger.model import STATUSES
    out = by_status.reindex(columns=list(STATUSES), fill_value=0)
    out["total"] = _plain_series(prim.groupby("funder")["_m"].sum())
    paying = set(links.loc[links["kind"].isin(["disburses", "part_of"]), "id"]) \
        if not links.empty else set()
    sec_paid = f[~f["primary"] & f["id"].isin(paying) & f["status"].isin(PAID_STATUSES)]
    paid = _plain_series(prim[prim["status"].isin(PAID_STATUSES)].groupby("funder")["_m"].sum())
    paid = paid.add(_plain_series(sec_paid.groupby("funder")["_m"].sum()), fill_value=0)
    out = out.reindex(out.index.union(paid.index), fill_value=0)
    out["paid"] = paid.reindex(out.index, fill_value=0)
    out = _ints(out.fillna(0))
    out["outstanding"] = out["total"] - out["paid"]
    out.columns.name = None
    out = to_money(out, currency)
    out = out.reset_index().rename(columns={"index": "funder"})
    out["currency"] = currency
    return out


def top_level(accounts: pd.Series) -> pd.Series:
    return accounts.astype(str).str.split(":").str[0]


def comparison_table(frame: pd.DataFrame, funders: Sequence[str], currency: str) -> pd.DataFrame:
    """Chosen funders side by side by purpose, on the same basis: index purpose,
    one column per funder (each funder account including everything below
    it), then a Total row.  Default funders: the top-level funder accounts."""
    prim = _primary(frame, ["funder", "purpose", "value_minor"])
    if not funders:
        funders = sorted(set(top_level(pd.Series(pd.unique(prim["funder"].astype(object)),
                                                  dtype=object)))) if not prim.empty else []
    # sum per (funder, purpose) first: the account matching runs on the few pairs
    pairs = prim.assign(_m=_minor(prim)).groupby(
        [prim["funder"].astype(object), prim["purpose"].astype(object)], sort=False)["_m"].sum()
    acc = pd.Series(pairs.index.get_level_values(0).astype(str), dtype=object).str.casefold()
    purposes = pairs.index.get_level_values(1)
    minor = pd.Series(pairs.to_numpy())
    cols = {}
    for name in funders:
        p = name.casefold().rstrip(":")
        mask = ((acc == p) | acc.str.startswith(p + ":")).to_numpy()
        cols[name] = minor[mask].groupby(purposes[mask]).sum()
    out = pd.DataFrame(cols).fillna(0)
    if out.empty:
        return pd.DataFrame(columns=list(funders))
    out = _ints(out).sort_index()
    out.index.name = "purpose"
    out.loc[TOTAL] = out.sum()
    return to_money(out, currency)


def tree_table(frame: pd.DataFrame, side: str, currency: str, depth: int | None = None) -> pd.DataFrame:
    """Account-tree roll-up of ``side`` ("funder" or "purpose"): every account
    and each of its parents, with its total (children included), to ``depth``
    levels.  Columns: account, level, amount, currency.

    The rows are summed per distinct account first (one vectorised groupby),
    so the string work runs on the few accounts, not on every row."""
    prim = _primary(frame, [side, "value_minor"])
    if prim.empty:
        return pd.DataFrame(columns=["account", "level", "amount", "currency"])
    per_account = _minor(prim).groupby(prim[side].astype(object).to_numpy()).sum()
    parts = pd.Series(per_account.index.astype(str), dtype=object).str.split(":")
    minor = pd.Series(per_account.to_numpy())
    max_level = int(parts.str.len().max())
    if depth:
        max_level = min(max_level, depth)
    pieces = []
    for k in range(1, max_level + 1):
        has = parts.str.len() >= k
        acct = parts[has].str[:k].str.join(":")
        s = minor[has].groupby(acct.to_numpy()).sum()
        pieces.append(pd.DataFrame({"account": s.index.astype(object), "level": k,
                                    "minor": s.to_numpy()}))
    out = pd.concat(pieces, ignore_index=True).sort_values("account", kind="stable")
    out = out.reset_index(drop=True)
    out["amount"] = to_money(out.pop("minor"), currency)
    out["currency"] = currency
    return out


def entries_table(frame: pd.DataFrame, ledger, entries) -> pd.DataFrame:
    """One row per entry × purpose allocation, for people: the amount as
    written, original currency, normalised amount, rate, rate date, rate
    source, period, status, funder, purpose, whether it counts in totals,
    links and sources.  ``entries``: the Book of the reported entries.

    Column-wise in Arrow: text columns are pandas ``str`` (Arrow strings),
    ``date`` and ``rate date`` Arrow dates (``datetime.date`` when read,
    missing rate dates null), ``normalised`` exact Arrow decimals; no Python
    object per row except the ``rate`` Decimals ``normalise`` made."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from reports.listing import _concat, _joined, decimal_text

    book = as_book(entries)
    t = book.tables
    en = t.entries
    written = _arrow_text(en["amount_text"])
    blank = pc.equal(written, "").to_numpy(zero_copy_only=False)
    if blank.any():
        rows = np.flatnonzero(blank)
        filled = (decimal_text(en["amount"].iloc[rows]) + " "
                  + en["currency"].to_numpy(dtype=object)[rows])
        mask = np.zeros(len(en), dtype=bool)
        mask[rows] = True
        written = pc.replace_with_mask(written, pa.array(mask),
                                       pa.array(filled.astype(object), pa.large_string()))
    lk, ct = t.links, t.citations
    per_entry = {
        "amount as written": written,
        "links": _joined(lk, len(book), _concat(lk["kind"], " ", lk["target"]), "; "),
        "sources": _joined(ct, len(book), ct["doc"].astype(object), "; "),
        "quotes": _joined(ct, len(book), ct["quote"].astype(object), " | "),
    }
    pos = row_entries(frame["id"], book)
    if pos is not None:   # the entry of each row, by position
        take = pa.array(pos)
        meta = {k: _arrow_text(v).take(take) for k, v in per_entry.items()}
    else:   # ids repeat (a hand-made ledger; a journal refuses it): the first entry's
        m = pd.DataFrame({"id": en["id"].to_numpy(dtype=object),
                          **{k: _arrow_text(v).to_numpy(zero_copy_only=False)
                             for k, v in per_entry.items()}}).drop_duplicates("id")
        f = frame[["id"]].astype(object).reset_index(drop=True).merge(m, on="id", how="left")
        meta = {k: pa.array(f[k].to_numpy(dtype=object), pa.large_string()) for k in per_entry}
    counted = pa.array(["no", "yes"], pa.large_string()).take(
        pa.array(frame["primary"].to_numpy(dtype=bool).astype(np.int8)))
    value = frame["value"] if "value" in frame.columns else frame["value_minor"]
    out = pd.DataFrame({
        "id": _str(frame["id"]), "date": _dates(frame["date"]),
        "funder": _str(frame["funder"]), "purpose": _str(frame["purpose"]),
        "amount as written": _str(meta["amount as written"]), "qualifier": _str(frame["qualifier"]),
        "original amount": frame["amount"].reset_index(drop=True),
        "original currency": _str(frame["currency"]),
        "normalised": value.reset_index(drop=True), "report currency": _str(frame["report_currency"]),
        "rate": frame["rate"].reset_index(drop=True), "rate date": _dates(frame["rate_date"]),
        "rate source": _str(frame["rate_source"]), "period": _str(frame["period"]),
        "status": _str(frame["status"]), "counted": _str(counted), "links": _str(meta["links"]),
        "sources": _str(meta["sources"]), "quotes": _str(meta["quotes"]),
    })
    return out


def _arrow_text(values):
    """A text column (pandas str/object/Categorical, or Arrow) as one Arrow
    ``large_string`` array, missing values null."""
    import pyarrow as pa

    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values
    elif isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        cats = (_arrow_text(categories.array) if getattr(categories.array, "_pa_array", None)
                is not None else pa.array(np.asarray(categories, dtype=object), pa.large_string()))
        codes = values.cat.codes.to_numpy()
        arr = cats.take(pa.array(codes, mask=codes < 0))
    else:
        arr = getattr(getattr(values, "array", values), "_pa_array", None)
        if arr is None:
            arr = pa.array(np.asarray(values, dtype=object), pa.large_string(), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def _str(values) -> pd.Series:
    """A text column as pandas ``str`` (Arrow-backed), without a Python
    string per row."""
    arr = _arrow_text(values)
    return pd.Series(pd.StringDtype("pyarrow", na_value=np.nan).__from_arrow__(arr))


def _dates(values: pd.Series) -> pd.Series:
    """Datetimes as an Arrow ``date32`` column (``datetime.date`` when read;
    NaT null)."""
    import pyarrow as pa

    d = pd.to_datetime(values).to_numpy().astype("datetime64[D]")
    nat = np.isnat(d)
    arr = pa.array(d.astype(np.int64).astype(np.int32), pa.int32(),
                   mask=nat if nat.any() else None).view(pa.date32()) \
        if len(d) else pa.array([], pa.date32())
    return pd.Series(pd.arrays.ArrowExtensionArray(arr))


def sources_table(ledger, entries) -> pd.DataFrame:
    """One row per citation: document, title, publisher, date, URL, quote,
    entry; ordered by document and entry (stable), missing text as "".
    Column-wise in Arrow: the documents' fields looked up by position, one
    stable Arrow sort."""
    import pyarrow as pa
    import pyarrow.compute as pc

    book = as_book(entries)
    docs = getattr(ledger, "documents", {}) or {}
    ct = book.tables.citations
    ids = _arrow_text(book.tables.entries["id"])
    doc = pc.fill_null(_arrow_text(ct["doc"]), "")
    entry = ids.take(pa.array(ct["entry"].to_numpy(dtype=np.int64)))
    keys = pa.array(list(docs), pa.large_string())
    at = pc.index_in(doc, value_set=keys).to_numpy(zero_copy_only=False)
    at = np.where(np.isnan(at), len(docs), at).astype(np.int64) if at.dtype != np.int64 else at
    pick = pa.array(at, mask=at >= len(docs)) if len(docs) else None

    def field(name):   # a document's field for every citation ("" when none)
        if pick is None:
            return pa.array([""] * len(ct), pa.large_string())
        vals = pa.array([getattr(d, name) for d in docs.values()], pa.large_string(),
                        from_pandas=True)
        return pc.fill_null(vals.take(pick), "")
    published = np.empty(len(docs) + 1, dtype=object)
    published[:] = [d.published if d.published is not None else "" for d in docs.values()] + [""]
    io = id_order(book)
    if io is not None:   # by document, then entry id: integer keys, one stable sort
        dcodes, duniq = pd.factorize(_str(doc))
        dcode_sorted = np.empty(len(duniq), dtype=np.int64)
        dcode_sorted[np.argsort(np.asarray(duniq, dtype=object).astype(str), kind="stable")] = \
            np.arange(len(duniq))
        erank = io[1][ct["entry"].to_numpy(dtype=np.int64)]
        order = pa.array(np.lexsort((erank, dcode_sorted[dcodes])) if len(ct)
                         else np.zeros(0, dtype=np.int64))
    else:
        table = pa.table({"document": doc, "entry": pc.fill_null(entry, "")})
        order = pc.sort_indices(table, sort_keys=[("document", "ascending"),
                                                  ("entry", "ascending")])
    take = order

    def col(arr):
        return _str(pc.fill_null(arr, "").take(take))
    out = pd.DataFrame({
        "document": col(doc), "title": col(field("title")), "publisher": col(field("publisher")),
        "published": published[at][order.to_numpy()],
        "url": col(field("url")), "quote": col(_arrow_text(ct["quote"])),
        "locator": col(_arrow_text(ct["locator"])), "entry": col(pc.fill_null(entry, "")),
    })
    return out


def links_frame(entries) -> pd.DataFrame:
    return as_book(entries).link_rows()


# ---------------------------------------------------------------- everything
def build_report(ledger, options: ReportOptions, progress=None) -> Report:
    """Compute every report table for ``ledger`` (a ``ledger.book.Book``, or
    anything with ``.entries``) from its columns."""
    with gc_paused():
        return _build_report(ledger, options, progress)


def _build_report(ledger, options: ReportOptions, progress=None) -> Report:
    step = progress.step if progress is not None else (lambda *_: None)
    ledger = as_book(ledger)
    entries = select_entries(ledger, options)   # a Book: the report reads its columns
    if not len(entries):
        raise LedgerError("no entries match the filters; nothing to report")
    step("normalising amounts")
    frame, spread, horizon = normalised_frames(ledger, options, entries, fast=True)
    _check_compare(frame, options.compare)
    cur = options.currency.upper()
    step("computing tables")
    links = links_frame(entries)
    name = (ledger.options or {}).get("name") or (str(ledger.root) if ledger.root else "ledger")
    if options.years == "fiscal":
        sm, sd = _fiscal_start_of(ledger, options)
        year_text = f"fiscal years starting {dt.date(2001, sm, sd):%d %B}"
    else:
        year_text = YEAR_MODE_TEXT.get(options.years, options.years)
    report = Report(
        options=options, ledger_name=str(name),
        generated=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
        horizon=horizon, year_label=year_text, frame=frame, spread=spread,
        summary=summary_table(frame, cur), matrix=matrix_table(frame, cur),
        by_purpose=by_purpose(frame, cur), by_funder=by_funder(frame, cur),
        by_year=by_year(spread, cur), by_status=status_table(frame, links, cur),
        comparison=comparison_table(frame, options.compare, cur),
        funder_tree=tree_table(frame, "funder", cur),
        purpose_tree=tree_table(frame, "purpose", cur),
        entries=entries_table(frame, ledger, entries), sources=sources_table(ledger, entries),
    )
    report.rate_sources = sorted(distinct_text(frame["rate_source"]) - {"same currency"})
    report.facts = entry_facts(entries)
    report.extra["book"] = entries      # the facts' rows are its entries
    mark_projections(report)
    report.warnings = dropped_warnings(entries, spread, horizon, options.basis)
    report.notes = report_notes(report, entries, links) + report.warnings
    return report


def _check_compare(frame: pd.DataFrame, compare: Sequence[str]) -> None:
    """An unknown ``--compare`` funder would be a column of zeros: refuse it,
    naming the funders there are."""
    accounts = {str(a).casefold() for a in pd.unique(frame["funder"].astype(object))}
    unknown = [name for name in compare
               if not any(a == name.casefold().rstrip(":")
                          or a.startswith(name.casefold().rstrip(":") + ":") for a in accounts)]
    if unknown:
        tops = sorted({str(a).split(":")[0] for a in pd.unique(frame["funder"].astype(object))})
        raise LedgerError(f"--compare {', '.join(map(repr, unknown))}: no such funder among the "
                          f"entries reported (funders: {', '.join(tops)})")


def _open_ended_ids(entries) -> list[str]:
    """The ids of the entries with an amount "a year" and no end, sorted."""
    book = as_book(entries)
    rows = np.flatnonzero(book.open_ended())
    if not len(rows):
        return []
    return sorted(set(book.tables.entries["id"].iloc[rows].astype(str)))


def dropped_warnings(entries, spread: pd.DataFrame, horizon, basis: str = "total") -> list[str]:
    """Warnings naming the entries an option left out of the totals: an
    open-ended entry starting after the --horizon counts nothing (on the
    per-year basis, in the by-year table)."""
    # counted: a row with a value (amounts are positive; a row the horizon
    # drops is either absent, when spread into years, or worth nothing)
    if horizon is None:
        return []
    open_ids = set(_open_ended_ids(entries))
    if not open_ids:
        return []
    ids = spread["id"]
    rows = (spread["value_minor"].to_numpy() != 0) & ids.isin(open_ids).to_numpy()
    counted = set(ids[rows].astype(str))
    gone = sorted(open_ids - counted)
    if not gone:
        return []
    return [f"Warning: the horizon {horizon} ends before {len(gone)} open-ended "
            f"entr{'y' if len(gone) == 1 else 'ies'} start, so "
            f"{'every total leaves' if basis == 'total' else 'the by-year table leaves'} "
            f"{'it' if len(gone) == 1 else 'them'} out: {', '.join(gone)} "
            f"(give a later --horizon)."]


NOTE_IDS = 20   # entry ids a note names before "and N more"


def _named(ids) -> str:
    """Entry ids for a note: all of a few, else the first ``NOTE_IDS`` and a
    count (a note naming 50,000 ids is read by no one; the tables list them)."""
    ids = list(ids)
    if len(ids) <= NOTE_IDS:
        return ", ".join(ids)
    return (", ".join(ids[:NOTE_IDS]) + f" and {len(ids) - NOTE_IDS:,} more (the Entries "
            f"table and entries.csv list every one)")


def report_notes(report: Report, entries, links: pd.DataFrame) -> list[str]:
    o = report.options
    notes = [
        f"Amounts: {report.basis_text()}.",
        f"Years are {report.year_label}; an amount over several years is spread "
        f"over them in proportion to days; an amount per year is that amount in each "
        f"whole year and pro rata by days within a part year.",
    ]
    from reports.balance import left_out, not_counted_note
    book = as_book(entries)
    linked = set(left_out(book))      # the others not primary are tagged not-counted
    secondary_ids = sorted(set(report.frame.loc[~report.frame["primary"], "id"]) & linked)
    n_sec = len(secondary_ids)
    notes.append(
        "Totals count each pledge once: entries that disburse, restate or are part of "
        "another entry record money their target already counts and are left out of "
        "every total" + (f" ({len(secondary_ids):,} such entr{'y' if len(secondary_ids) == 1 else 'ies'}: "
                         f"{_named(secondary_ids)})." if n_sec else " (this ledger has none).")
        + " The status table uses disbursing and phased entries to measure what was paid.")
    uncounted = not_counted_note(book)
    if uncounted:
        notes.append(uncounted[0].upper() + uncounted[1:] + ".")
    open_ids = _open_ended_ids(entries)
    if open_ids:
        if o.basis == "per-year":
            notes.append("Open-ended amounts per year (" + _named(open_ids) + ") are shown "
                         "as one year's amount; the by-year table counts them each year up to "
                         f"{report.horizon} (the horizon).")
        else:
            how = horizon_reason(o.horizon)
            notes.append(f"Open-ended amounts per year ({_named(open_ids)}) are counted from "
                         f"their start up to the end of {report.horizon} ({how}); a later "
                         f"horizon gives larger totals.")
    q_col = report.frame["qualifier"]
    inexact = (q_col != "exact") if isinstance(q_col.dtype, pd.CategoricalDtype) else \
        (q_col.astype(str) != "exact")
    quals = report.frame.loc[inexact.to_numpy(dtype=bool), ["id", "qualifier"]]
    if not quals.empty:
        quals = quals.drop_duplicates()
        if quals["id"].nunique() <= 10:   # few: each as said ("at least €3bn a year")
            from reports.amounts import as_said
            facts = report.facts   # the few qualified entries, from the Book's columns
            by_id = {r.id: r for r in facts[facts["id"].isin(set(quals["id"]))].itertuples(index=False)}

            def said(i, q):
                e = by_id[i]
                return as_said(e.amount, e.currency, q, e.period, o.locale, o.amounts)
            quals = quals.assign(id=[f"{i} ({said(i, q)})" if i in by_id else i
                                     for i, q in zip(quals["id"], quals["qualifier"])])
        q = quals.groupby("qualifier")["id"].agg(_named)
        notes.append("Some amounts are not exact and are counted at their stated figure: "
                     + "; ".join(f"'{k}': {v}" for k, v in q.items()) + ".")
    if o.basis == "per-year":
        notes.append("Per-year basis: one-off amounts count in full; amounts over a period "
                     "are divided by its length in years.")
    if o.deflator:
        notes.append(deflator_note(o)[0].upper() + deflator_note(o)[1:] + ".")
    from reports.balance import rounded_note
    for extra in (rounded_note(as_book(entries)), unstated_note(as_book(entries), o)):
        if extra:
            notes.append(extra[0].upper() + extra[1:] + ".")
    if report.rate_sources:
        notes.append("Exchange rates: " + "; ".join(report.rate_sources[:5])
                     + (" …" if len(report.rate_sources) > 5 else "") + ".")
    filt = [f"{k} {', '.join(v)}" for k, v in (("funder", o.funder), ("purpose", o.purpose),
                                                ("status", o.status)) if v]
    if o.start:
        filt.append(f"from {o.start.isoformat()}")
    if o.end:
        filt.append(f"to {o.end.isoformat()}")
    if filt:
        notes.append("Filtered: " + "; ".join(filt) + ".")
    if report.projected:
        notes.append(f"Years after {report.last_bounded} (the last year any bounded pledge "
                     f"reaches) hold only open-ended 'a year' pledges counted to the horizon: "
                     f"{', '.join(report.projected)} are projections, not announced amounts.")
    return notes


# ---------------------------------------------------------------- projections, exploring
def entry_facts(entries) -> pd.DataFrame:
    """Per entry: ``tags`` (a sorted tuple), ``open_ended`` (an amount "a year"
    with no end), ``pays`` (it disburses or is part of another entry), its
    notes and location, and its whole amount, currency, qualifier and period
    (in words); read from the Book's columns, no ``Entry`` objects (text as
    Arrow strings, amounts as the Book holds them, tags worked out once per
    distinct tag list)."""
    book = as_book(entries)
    en, links = book.tables.entries, book.tables.links
    n = len(en)
    pays = np.zeros(n, dtype=bool)
    if len(links):
        rows = links.loc[links["kind"].isin(["disburses", "part_of"]).to_numpy(), "entry"]
        pays[rows.to_numpy(dtype="int64")] = True

    def text(col):   # missing -> ""
        import pyarrow.compute as pc
        if col not in en:
            return _str(np.full(n, "", dtype=object))
        return _str(pc.fill_null(_arrow_text(en[col]), ""))
    if "tags" in en and n:
        codes, uniq = pd.factorize(text("tags"))
        tagsets = np.empty(len(uniq) + 1, dtype=object)
        tagsets[:] = [tuple(sorted({x for x in str(s_).split(";") if x})) for s_ in uniq] + [()]
        tags = tagsets[np.where(codes < 0, len(uniq), codes)]
    else:
        tags = np.empty(n, dtype=object)
        tags[:] = [()] * n
    amount = en["amount"].reset_index(drop=True)   # the whole entry (splits: all shares)
    return pd.DataFrame({
        "id": _str(en["id"]), "tags": tags,
        "open_ended": np.asarray(book.open_ended(), dtype=bool), "pays": pays,
        "notes": text("notes"), "location": text("location"),
        "amount": amount,
        "currency": text("currency"), "qualifier": text("qualifier"),
        "period": text("period"),                           # in words, as Period.describe()
    }, columns=["id", "tags", "open_ended", "pays", "notes", "location", "amount", "currency",
                "qualifier", "period"])


def _open_ids(report: Report) -> set:
    f = report.facts
    return set() if f is None else set(f.loc[f["open_ended"], "id"])


def mark_projections(report: Report) -> None:
    """Fill ``last_bounded`` (the last year any bounded primary entry reaches;
    with only open-ended entries, the year the latest of them was made),
    ``projected`` (the by-year years after it: nothing but open-ended "a year"
    pledges counted to the horizon) and ``open_by_year`` (year × funder: the
    part of ``by_year`` that comes from open-ended pledges)."""
    spread = report.spread
    open_ids = _open_ids(report)
    if spread.empty or "year" not in spread:
        return
    prim = _primary(spread, ["id", "year", "funder", "value_minor"])
    is_open = (prim["id"].isin(open_ids).to_numpy() if open_ids
               else np.zeros(len(prim), dtype=bool))
    # years as sortable numbers: calendar years are numbers; fiscal year
    # labels are Categorical with sorted categories (their codes sort alike)
    year = prim["year"]
    if isinstance(year.dtype, pd.CategoricalDtype):
        keys, label = year.cat.codes.to_numpy(), (lambda k: str(year.cat.categories[k]))
    else:
        keys, label = year.to_numpy(), (lambda k: str(k))
    bounded = keys[~is_open]
    if len(bounded):
        report.last_bounded = label(bounded.max())
    elif len(prim):   # only open-ended pledges: the year the latest one was made
        report.last_bounded = label(pd.Series(keys).groupby(prim["id"].to_numpy()).min().max())
    if not open_ids or report.by_year.empty or report.last_bounded is None:
        return
    years = [str(y) for y in report.by_year.index]
    report.projected = tuple(y for y in years if y > report.last_bounded)
    op = prim[pd.Series(is_open, index=prim.index)]
    m = op.assign(_m=_minor(op)).pivot_table(index="year", columns="funder", values="_m",
                                             aggfunc="sum", fill_value=0)
    m.columns = _plain_index(m.columns)
    m.index = m.index.astype(str)
    m = m.reindex(index=report.by_year.index, columns=report.by_year.columns, fill_value=0)
    m.columns.name = None
    report.open_by_year = to_money(_ints(m), report.currency)


CUBE_KEYS = ["funder", "purpose", "status", "qualifier", "tags", "role"]
ROLES = ("counted", "pays another", "not counted")   # role 0, 1, 2


def explore_cube(report: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The report's rows summed into cells small enough to carry in a page,
    fine enough to filter: (totals, by year); see ``_explore_cube_by_ids``
    for the columns.  Worked out on integer codes (``cube_by_entry``) when
    every entry id is unique, as the same cells in the same order."""
    fast = cube_by_entry(report)
    if fast is None:
        return _explore_cube_by_ids(report)
    total, years, e_total, e_years, _ = fast
    ids = _arrow_text(report.facts["id"]).to_numpy(zero_copy_only=False)
    for cells, (flat, bounds) in ((total, e_total), (years, e_years)):
        names = ids[flat].tolist()
        cells["ids"] = pd.Series([names[a:b] for a, b in zip(bounds[:-1].tolist(),
                                                              bounds[1:].tolist())],
                                 dtype=object, index=cells.index)
    return total, years


def _sorted_codes(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, values): integer codes of ``col`` whose order is the order of
    its values as text, missing values last (as ``groupby(sort=True,
    dropna=False)`` orders text keys); ``values`` the value of each code."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes, uniq = col.cat.codes.to_numpy().astype(np.int64), np.asarray(
            col.cat.categories, dtype=object)
    else:
        codes, uniq = pd.factorize(col.to_numpy() if col.dtype.kind in "iu" else
                                   col.to_numpy(dtype=object) if col.dtype == object else col)
        codes, uniq = codes.astype(np.int64), np.asarray(uniq, dtype=object)
    by_text = np.array(sorted(range(len(uniq)), key=lambda k: str(uniq[k])), dtype=np.int64)
    new = np.empty(len(uniq) + 1, dtype=np.int64)
    new[by_text] = np.arange(len(uniq))
    new[len(uniq)] = len(uniq)                    # missing: last
    values = np.append(uniq[by_text], [np.nan]).astype(object) if len(uniq) else \
        np.array([np.nan], dtype=object)
    return new.astype(np.int32)[np.where(codes < 0, len(uniq), codes)], values


def cube_by_entry(report: Report):
    """``explore_cube``'s cells on integer codes: (totals, by year, the
    entries of each totals cell, the entries of each by-year cell, the entry
    of each row of ``report.frame``), entries as row numbers of
    ``report.facts``, each cell's sorted by id, as (flat, bounds): cell k's
    are ``flat[bounds[k]:bounds[k + 1]]``.  None when the facts are
    missing, an id repeats or a row's entry is not among the facts (then
    ``_explore_cube_by_ids``)."""
    import pyarrow.compute as pc

    facts = report.facts
    if facts is None or not len(facts):
        return None
    fid = _arrow_text(facts["id"])
    n_e = len(fid)
    book = report.extra.get("book")     # the Book of the reported entries (build_report)
    if book is not None and len(book) == n_e and id_order(book) is not None:
        by_id, rank = id_order(book)
    else:
        book = None
        if len(pc.unique(fid)) != n_e:
            return None
        by_id = pc.sort_indices(fid).to_numpy()          # rank -> entry
        rank = np.empty(n_e, dtype=np.int64)
        rank[by_id] = np.arange(n_e)
    tcodes, tuniq = pd.factorize(facts["tags"].to_numpy(dtype=object))
    t_sorted = sorted(range(len(tuniq)), key=lambda k: tuniq[k])
    t_new = np.empty(len(tuniq), dtype=np.int64)
    t_new[np.array(t_sorted, dtype=np.int64)] = np.arange(len(tuniq))
    tag_code = t_new[tcodes]
    tag_values = np.empty(len(tuniq), dtype=object)
    tag_values[:] = [tuniq[k] for k in t_sorted]
    pays = facts["pays"].to_numpy(dtype=bool)
    open_ = facts["open_ended"].to_numpy(dtype=bool)

    def entry_of(f):
        if book is not None:
            return row_entries(f["id"], book)
        at = pc.index_in(_arrow_text(f["id"]), value_set=fid).to_numpy(zero_copy_only=False)
        if at.dtype.kind == "f":                     # a row with no entry among the facts
            return None
        return at.astype(np.int64)

    def cells(f, with_year):
        cols = CUBE_KEYS + (["year", "open"] if with_year else []) + ["minor"]
        ent = entry_of(f) if len(f) else np.zeros(0, dtype=np.int64)
        if ent is None:
            return None
        parts = [_sorted_codes(f[c]) for c in ("funder", "purpose", "status", "qualifier")]
        role = np.where(f["primary"].to_numpy(dtype=bool), 0, np.where(pays[ent], 1, 2))
        parts += [(tag_code[ent], tag_values), (role, None)]
        if with_year:
            ycodes, yvalues = _sorted_codes(f["year"])       # ordered as text, shown as text
            parts += [(ycodes, np.array([v if isinstance(v, str) else str(v) for v in yvalues],
                                        dtype=object)),
                      (open_[ent].astype(np.int64), None)]
        parts = [(c.astype(np.int32), v) for c, v in parts]   # kept for decoding: small
        key = np.zeros(len(f), dtype=np.int64)
        room = 1
        for codes, values in parts:
            size = (len(values) if values is not None else int(codes.max(initial=0)) + 1) + 1
            room *= size
            if room >= 2 ** 62:
                return None
            key = key * size + codes
        first, inv, by_key, starts = _unique_first_inverse(key)
        minor = _minor(f).to_numpy()
        sums = np.add.reduceat(minor[by_key], starts) if len(minor) else minor
        out = {}
        for name, (codes, values) in zip(CUBE_KEYS + (["year", "open"] if with_year else []),
                                         parts):
            picked = codes[first]
            if name == "role":
                out[name] = picked.astype(np.int64)
            elif name == "open":
                out[name] = picked.astype(bool)
            else:
                out[name] = values[picked]
        out["minor"] = sums
        frame = pd.DataFrame(out, columns=cols)
        for c in ("funder", "purpose", "status", "qualifier", "tags") + (
                ("year",) if with_year else ()):
            frame[c] = frame[c].astype(object)
        pair = np.sort(inv.astype(np.int64) * n_e + rank[ent])
        pair = pair[np.r_[True, pair[1:] != pair[:-1]]] if len(pair) else pair
        cell, r = pair // n_e, pair % n_e
        bounds = np.r_[0, np.flatnonzero(np.diff(cell)) + 1, len(pair)] if len(pair) \
            else np.zeros(1, dtype=np.int64)
        return frame, (by_id[r], bounds), ent

    t = cells(report.frame, False)
    y = cells(report.spread, True) if t is not None else None
    if t is None or y is None:
        return None
    return t[0], y[0], t[1], y[1], t[2]


def _explore_cube_by_ids(report: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The report's rows summed into cells small enough to carry in a page,
    fine enough to filter: (totals, by year).

    ``totals`` (from ``frame``, the chosen basis): one row per funder ×
    purpose × status × qualifier × tags × role, with ``minor`` (exact integer
    minor units) and ``ids`` (the entries behind the cell).  ``by year``
    (from ``spread``): the same keys plus ``year`` and ``open`` (open-ended
    pledge).  ``role``: 0 counted in totals, 1 linked entry that pays another
    (disburses, part of), 2 other linked entry.  Summing ``minor`` of the role-0
    cells of any selection gives exactly what the tables above give for the
    same selection (tests/test_report_html.py)."""
    facts = report.facts if report.facts is not None else pd.DataFrame(
        columns=["id", "tags", "open_ended", "pays"])
    last = facts.drop_duplicates("id", keep="last")     # one row per id (as a dict would keep)
    fact_ids = pd.Index(last["id"].astype(object))
    pays = set(facts.loc[facts["pays"].astype(bool), "id"])

    def of_ids(ids: pd.Series, col: str, missing) -> np.ndarray:
        """``col`` of each row's entry, taken by position (one look-up, no per-row map)."""
        at = fact_ids.get_indexer(ids)
        values = np.append(last[col].to_numpy(dtype=object), [missing])
        return values[np.where(at < 0, len(last), at)]

    def cells(f: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
        cols = CUBE_KEYS + extra + ["minor", "ids"]
        if f.empty:
            return pd.DataFrame(columns=cols)
        ids = f["id"].astype(object)
        g = pd.DataFrame({
            "funder": f["funder"].astype(object).to_numpy(),
            "purpose": f["purpose"].astype(object).to_numpy(),
            "status": f["status"].astype(object).to_numpy(),
            "qualifier": f["qualifier"].astype(object).to_numpy(),
            "tags": of_ids(ids, "tags", np.nan),
            "role": np.where(f["primary"].to_numpy(), 0,
                             np.where(f["id"].isin(pays).to_numpy(), 1, 2)),
            "id": ids.to_numpy(),
            "_m": _minor(f).to_numpy(),
        })
        if "year" in extra:
            g["year"] = f["year"].astype(str).to_numpy()
            g["open"] = of_ids(ids, "open_ended", False).astype(bool)
        keys = CUBE_KEYS + extra
        grouped = g.groupby(keys, sort=True, dropna=False)
        out = grouped["_m"].sum().rename("minor").to_frame()
        # the ids of each cell, each once and sorted: one sort of the distinct
        # (cell, id) pairs, then a split
        pairs = pd.DataFrame({"c": grouped.ngroup().to_numpy(), "id": g["id"].to_numpy()})
        pairs = pairs.drop_duplicates().sort_values(["c", "id"], kind="stable")
        codes = pairs["c"].to_numpy()
        cut = (np.flatnonzero(np.diff(codes)) + 1).tolist()
        flat = pairs["id"].tolist()
        out["ids"] = [flat[a:b] for a, b in zip([0] + cut, cut + [len(flat)])]
        return out.reset_index()[cols]

    return cells(report.frame, []), cells(report.spread, ["year", "open"])
