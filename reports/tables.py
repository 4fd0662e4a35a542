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
        v = self.options.valuation
        return {"entry-date": "rates at each entry's date",
                "yearly-average": "yearly average rates",
                "as-stated": "the sources' own conversions where given"}.get(v, f"rates on {v}")


# ---------------------------------------------------------------- money helpers
def _digits(currency: str) -> int:
    from rates.table import currency_digits
    return currency_digits(currency)


def to_money(minor, currency: str):
    """Integer minor units (scalar, Series or DataFrame) → Decimal, to the unit."""
    k = _digits(currency)

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
    """The report's last year: the last (calendar or fiscal) year that any
    bounded entry reaches, or the year of the latest entry when every entry is
    open-ended.  Returns None when no entry is open-ended.  ``entries``: the
    Book of the chosen entries (or ``Entry`` objects).  The one horizon rule:
    ``balance --currency`` and ``export`` use it too."""
    from rates.normalise import to_frame

    book = as_book(entries)
    if book.root is None:
        book.root = getattr(ledger, "root", None)
    open_ = book.open_ended()
    if not open_.any():
        return None
    kw = _norm_kw(ledger, options)
    if not open_.all():
        spread = to_frame(book.subset(~open_), basis="total", **kw)
        return str(spread["year"].max())
    latest = pd.Timestamp(book.tables.entries["date"].max()).date()
    y = latest.year
    if options.years != "calendar":
        sm, sd = _fiscal_start_of(ledger, options)
        first = y if (latest.month, latest.day) >= (sm, sd) else y - 1
        return f"{first}-{(first + 1) % 100:02d}"
    return str(y)


def _fiscal_start_of(ledger, options):
    from rates.normalise import YEAR_MODES
    if options.years == "fiscal":
        txt = options.fiscal_start or (ledger.options or {}).get("fiscal_year_start") or "04-01"
        m, d = (int(x) for x in str(txt).lstrip("-").split("-"))
        return m, d
    return YEAR_MODES.get(options.years, (1, 1))


def spread_frame(ledger, options: ReportOptions, entries=None, *, fast: bool = False,
                 recorded: bool = False, spread: bool = True):
    """(the chosen entries spread into years on the total basis, horizon
    used): the numbers every total of the report comes from.  ``fast``:
    exact integer money only (``value_minor``) and Categorical text, for
    callers that only sum (``balance --currency``); the same figures.
    ``recorded``: every amount as recorded, once, at its entry date (the
    basis of hledger's and ledger-cli's converted balances of an export).
    ``spread=False``: one row per entry and purpose instead of per year; the
    same totals for a valuation with one rate per entry (each entry's years
    are split from its rounded total by largest remainder), not for
    yearly averages (one rate per year)."""
    from rates.normalise import normalise

    book = select_entries(ledger, options) if entries is None else as_book(entries)
    if book.root is None:
        book.root = getattr(ledger, "root", None)
    # the columns normalise reads, and those the totals group by
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
    if not spread and options.valuation != "yearly-average":
        kw["years"] = None
    spread = normalise(frame, basis="total", horizon=horizon, root=_root(book),
                       decimals=not fast, categorical=fast, **kw)
    return spread, (horizon if open_any else None)


_SUM_COLUMNS = ["id", "date", "funder", "purpose", "primary", "amount", "currency",
                "period_kind", "years", "start", "end", "fiscal_year", "where"]


def _root(book):
    from pathlib import Path
    root = getattr(book, "root", None)
    if root is not None:
        root = Path(root)
        if root.is_file():
            root = root.parent
    return root


def normalised_frames(ledger, options: ReportOptions, entries=None):
    """(frame on the chosen basis, frame spread into years, horizon used).
    ``entries``: the Book of the chosen entries (default: the filters')."""
    from rates.normalise import to_frame

    book = select_entries(ledger, options) if entries is None else as_book(entries)
    if book.root is None:
        book.root = getattr(ledger, "root", None)
    open_any = bool(book.open_ended().any())
    horizon = options.horizon
    if horizon in (None, "") and open_any:
        horizon = default_horizon(ledger, book, options)
    horizon = None if horizon in (None, "") else str(horizon)
    kw = _norm_kw(ledger, options)
    spread = to_frame(book, basis="total", horizon=horizon, **kw)
    if options.basis == "total":
        frame = collapse_years(spread, options.currency)
    else:
        frame = to_frame(book, basis="per-year", horizon=None, **{**kw, "years": None})
    if options.purpose:
        frame = frame[_purpose_mask(frame, options.purpose)].reset_index(drop=True)
        spread = spread[_purpose_mask(spread, options.purpose)].reset_index(drop=True)
    if options.depth:
        for f in (frame, spread):
            f["funder"] = truncate(f["funder"], options.depth)
            f["purpose"] = truncate(f["purpose"], options.depth)
    return frame, spread, (horizon if open_any else None)


def collapse_years(spread: pd.DataFrame, currency: str) -> pd.DataFrame:
    """One row per entry × purpose from a frame spread into years: the parts
    summed (exactly, in minor units).  Used for the total basis so that the
    totals and the by-year table come from the same numbers and the horizon
    may be a fiscal year.

    Vectorised: rows are ordered by group once and every sum is one
    ``reduceat`` (integer minor units; the original-currency ``Decimal`` parts
    with numpy's object ``add``); only groups whose parts carry different rate
    sources (yearly averages) join their sources in Python."""
    if spread.empty:
        return spread.drop(columns=["year"], errors="ignore")
    keys = ["id", "purpose"]
    codes = spread.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    first = order[starts]                       # first row of group 0, 1, 2, … (appearance order)
    cols = [c for c in spread.columns if c != "year"]
    out = spread.iloc[first][cols].reset_index(drop=True)
    minor = _minor(spread).to_numpy()[order]
    out["value_minor"] = np.add.reduceat(minor, starts)
    out["value"] = to_money(out["value_minor"], currency)
    orig = spread["original_value"].to_numpy(dtype=object)[order]
    out["original_value"] = pd.Series(np.add.reduceat(orig, starts), dtype=object)
    src_codes, src_uniq = pd.factorize(spread["rate_source"].astype(object))
    pairs = pd.DataFrame({"g": codes, "s": src_codes}).drop_duplicates()
    n_src = np.bincount(pairs["g"].to_numpy(), minlength=len(first))
    names = np.asarray([str(x) for x in src_uniq], dtype=object)
    source = names[src_codes[first]] if len(names) else np.full(len(first), "", dtype=object)
    multi = n_src > 1
    if multi.any():
        sub = pairs[multi[pairs["g"].to_numpy()]]
        joined = sub.groupby("g", sort=False)["s"].agg(lambda x: " + ".join(names[x]))
        source[joined.index.to_numpy()] = joined.to_numpy()
    out["rate_source"] = pd.Series(source, dtype=object)
    return out[cols]


# ---------------------------------------------------------------- tables
def _qualifier_text(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Per group: e.g. "up to (1); at least (2)" for non-exact amounts."""
    q = frame[frame["qualifier"].astype(str) != "exact"]
    if q.empty:
        return pd.Series(dtype=object)
    counts = q.groupby(keys + ["qualifier"], sort=True)["id"].nunique().reset_index()
    counts["text"] = counts["qualifier"].astype(str) + " (" + counts["id"].astype(str) + ")"
    return counts.groupby(keys)["text"].agg("; ".join)


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
    g = prim.assign(_m=_minor(prim)).groupby(keys, sort=True)
    out = g["_m"].sum().to_frame("minor")
    out["entries"] = g["id"].nunique()
    out["qualifiers"] = _qualifier_text(prim, keys).reindex(out.index).fillna("")
    out = out.reset_index()
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
    f = frame.assign(_m=_minor(frame))
    prim = f[f["primary"]]
    by_status = prim.pivot_table(index="funder", columns="status", values="_m",
                                 aggfunc="sum", fill_value=0)
    from ledger.model import STATUSES
    out = by_status.reindex(columns=list(STATUSES), fill_value=0)
    out["total"] = prim.groupby("funder")["_m"].sum()
    paying = set(links.loc[links["kind"].isin(["disburses", "part_of"]), "id"]) \
        if not links.empty else set()
    sec_paid = f[~f["primary"] & f["id"].isin(paying) & f["status"].isin(PAID_STATUSES)]
    paid = prim[prim["status"].isin(PAID_STATUSES)].groupby("funder")["_m"].sum()
    paid = paid.add(sec_paid.groupby("funder")["_m"].sum(), fill_value=0)
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
    links and sources.  ``entries``: the Book of the reported entries."""
    from reports.listing import _concat, _joined, decimal_text

    book = as_book(entries)
    t = book.tables
    en = t.entries
    written = en["amount_text"].to_numpy(dtype=object)
    blank = written == ""
    if blank.any():
        written = written.copy()
        written[blank] = (decimal_text(en["amount"])[blank] + " "
                          + en["currency"].to_numpy(dtype=object)[blank])
    lk, ct = t.links, t.citations
    meta = pd.DataFrame({
        "id": en["id"].to_numpy(dtype=object),
        "amount as written": written,
        "links": _joined(lk, len(book), _concat(lk["kind"], " ", lk["target"]), "; ").to_numpy(),
        "sources": _joined(ct, len(book), ct["doc"].astype(object), "; ").to_numpy(),
        "quotes": _joined(ct, len(book), ct["quote"].astype(object), " | ").to_numpy(),
    })
    # a positional take instead of a merge: the meta rows are one per entry id
    ids = pd.Index(meta["id"])
    if ids.is_unique:
        pos = ids.get_indexer(frame["id"].astype(object))
        took = meta.drop(columns=["id"]).reindex(pos).reset_index(drop=True)
        f = pd.concat([frame.reset_index(drop=True), took], axis=1)
    else:                     # duplicate ids (a hand-made ledger): as before
        f = frame.merge(meta, on="id", how="left")
    out = pd.DataFrame({
        "id": f["id"], "date": pd.to_datetime(f["date"]).dt.date,
        "funder": f["funder"], "purpose": f["purpose"],
        "amount as written": f["amount as written"], "qualifier": f["qualifier"],
        "original amount": f["amount"], "original currency": f["currency"],
        "normalised": f["value"], "report currency": f["report_currency"],
        "rate": f["rate"], "rate date": pd.to_datetime(f["rate_date"]).dt.date,
        "rate source": f["rate_source"], "period": f["period"], "status": f["status"],
        "counted": np.where(f["primary"], "yes", "no"), "links": f["links"],
        "sources": f["sources"], "quotes": f["quotes"],
    })
    out["rate date"] = out["rate date"].astype(object).where(out["rate date"].notna(), None)
    return out


def sources_table(ledger, entries) -> pd.DataFrame:
    """One row per citation: document, title, publisher, date, URL, quote, entry."""
    book = as_book(entries)
    docs = getattr(ledger, "documents", {}) or {}
    ct = book.tables.citations
    ids = book.tables.entries["id"].to_numpy(dtype=object)
    out = pd.DataFrame({"document": ct["doc"].to_numpy(dtype=object),
                        "entry": ids[ct["entry"].to_numpy()],
                        "quote": ct["quote"].to_numpy(dtype=object),
                        "locator": ct["locator"].to_numpy(dtype=object)})
    d = pd.DataFrame([(k, v.title, v.publisher, v.published, v.url) for k, v in docs.items()],
                     columns=["document", "title", "publisher", "published", "url"])
    out = out.merge(d, on="document", how="left")
    out = out[["document", "title", "publisher", "published", "url", "quote", "locator", "entry"]]
    return out.fillna("").sort_values(["document", "entry"], kind="stable").reset_index(drop=True)


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
    frame, spread, horizon = normalised_frames(ledger, options, entries)
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
    report.rate_sources = sorted(set(frame["rate_source"].astype(str)) - {"same currency"})
    report.facts = entry_facts(entries)
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
    return sorted(set(book.tables.entries["id"].astype(str).to_numpy(dtype=object)[
        book.open_ended()]))


def dropped_warnings(entries, spread: pd.DataFrame, horizon, basis: str = "total") -> list[str]:
    """Warnings naming the entries an option left out of the totals: an
    open-ended entry starting after the --horizon counts nothing (on the
    per-year basis, in the by-year table)."""
    # counted: a row with a value (amounts are positive; a row the horizon
    # drops is either absent, when spread into years, or worth nothing)
    counted = set(spread.loc[spread["value_minor"].to_numpy() != 0, "id"].astype(str))
    gone = sorted(set(_open_ended_ids(entries)) - counted)
    if not gone or horizon is None:
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
        f"over them in proportion to days.",
    ]
    n_sec = int((~report.frame["primary"]).sum())
    secondary_ids = sorted(set(report.frame.loc[~report.frame["primary"], "id"]))
    notes.append(
        "Totals count each pledge once: entries that disburse, restate or are part of "
        "another entry record money their target already counts and are left out of "
        "every total" + (f" ({len(secondary_ids):,} such entr{'y' if len(secondary_ids) == 1 else 'ies'}: "
                         f"{_named(secondary_ids)})." if n_sec else " (this ledger has none).")
        + " The status table uses disbursing and phased entries to measure what was paid.")
    open_ids = _open_ended_ids(entries)
    if open_ids:
        if o.basis == "per-year":
            notes.append("Open-ended amounts per year (" + _named(open_ids) + ") are shown "
                         "as one year's amount; the by-year table counts them each year up to "
                         f"{report.horizon} (the horizon).")
        else:
            how = "given with --horizon" if o.horizon not in (None, "") else \
                "the report's last year: the last year any bounded entry reaches"
            notes.append(f"Open-ended amounts per year ({_named(open_ids)}) are counted from "
                         f"their start up to the end of {report.horizon} ({how}); a later "
                         f"horizon gives larger totals.")
    quals = report.frame.loc[report.frame["qualifier"].astype(str) != "exact", ["id", "qualifier"]]
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
    (in words); read from the Book's columns, no ``Entry`` objects."""
    book = as_book(entries)
    en, links = book.tables.entries, book.tables.links
    n = len(en)
    pays = np.zeros(n, dtype=bool)
    if len(links):
        rows = links.loc[links["kind"].isin(["disburses", "part_of"]).to_numpy(), "entry"]
        pays[rows.to_numpy(dtype="int64")] = True

    def text(col):   # missing -> "" (a categorical column cannot take a new "" by fillna)
        if col not in en:
            return np.full(n, "", dtype=object)
        out = en[col].to_numpy(dtype=object, na_value=None)   # NaN, NA, NaT -> None
        return np.array(["" if v is None else str(v) for v in out], dtype=object)
    tags = [tuple(sorted({x for x in s.split(";") if x})) for s in text("tags")]
    return pd.DataFrame({
        "id": en["id"].astype(str).to_numpy(dtype=object), "tags": tags,
        "open_ended": np.asarray(book.open_ended(), dtype=bool), "pays": pays,
        "notes": text("notes"), "location": text("location"),
        "amount": en["amount"].to_numpy(dtype=object),      # the whole entry (splits: all shares)
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
    prim = spread[spread["primary"]]
    is_open = prim["id"].isin(open_ids)
    bounded = prim.loc[~is_open, "year"]
    if len(bounded):
        report.last_bounded = str(bounded.max())
    elif len(prim):   # only open-ended pledges: the year the latest one was made
        report.last_bounded = str(prim.groupby("id")["year"].min().max())
    if not open_ids or report.by_year.empty or report.last_bounded is None:
        return
    years = [str(y) for y in report.by_year.index]
    report.projected = tuple(y for y in years if y > report.last_bounded)
    op = prim[is_open]
    m = op.assign(_m=_minor(op)).pivot_table(index="year", columns="funder", values="_m",
                                             aggfunc="sum", fill_value=0)
    m.index = m.index.astype(str)
    m = m.reindex(index=report.by_year.index, columns=report.by_year.columns, fill_value=0)
    m.columns.name = None
    report.open_by_year = to_money(m.astype("int64"), report.currency)


CUBE_KEYS = ["funder", "purpose", "status", "qualifier", "tags", "role"]
ROLES = ("counted", "pays another", "not counted")   # role 0, 1, 2


def explore_cube(report: Report) -> tuple[pd.DataFrame, pd.DataFrame]:
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
