"""Report tables: pure functions from a ledger and options to pandas DataFrames.

Nothing here renders anything.  ``build_report(ledger, options)`` values the
chosen entries once (``reports.valuation.value``), computes every table and
returns a :class:`reports.options.Report`; the renderers
(``reports.workbook``, ``reports.datafiles``, ``reports.charts``,
``reports.html`` with ``reports.pagedata``, the terminal/CSV output of
``ledger-tool report``) only read it.  The notes are ``reports.notes``'.

Money: the valued rows carry each row's value as integer minor units of the
report currency (``value_minor``) and as exact decimals (``value``).  Tables
sum ``value_minor`` (vectorised, exact) and turn the few resulting sums back
into ``Decimal`` (``reports.columns.to_money``).

Double counting: rows whose ``primary`` flag is False (entries that disburse,
restate or are part of another entry) never enter the totals; the status table
uses disbursing/phased entries only to measure what was paid out.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.book import account_mask, not_counted_mask
from ledger.errors import LedgerError
from ledger.memory import gc_paused
from ledger.model import STATUSES
from ledger.rules import along_links, paid_within
from reports.accounts import roll_up, top_level, truncate
from reports.columns import (_arrow_text, _dates, _ints, _minor, _categories_as_text, _plain_index,
                             _plain_series, _primary, _str, _text_codes, distinct_text, id_order,
                             row_entries, to_money, _summable)
from ledger.phrases.money import format_money
from rates.table import currency_digits
from reports.listing import _concat, _joined, decimal_text
from reports.filters import Filters, counted_as_themselves_note, select, uncut
from reports.notes import book_note_facts, dropped_warnings, report_notes
from reports.options import (OTHER, PAID_STATUSES, TOTAL, YEAR_MODE_TEXT, Report, ReportOptions,
                             as_book, select_entries)
from reports.valuation import Spec, basis_frame, fiscal_start_of, value

__all__ = ["OTHER", "TOTAL", "Report", "ReportOptions", "build_report"]


def _qualifier_text(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Per group: e.g. "up to (1); at least (2)" for non-exact amounts."""
    q = frame[_not_exact(frame["qualifier"])]
    if q.empty:
        return pd.Series(dtype=object)
    q = q.assign(id=_text_codes(q["id"]))   # distinct entries, counted on codes
    counts = q.groupby(keys + ["qualifier"], sort=True)["id"].nunique().reset_index()
    counts["text"] = counts["qualifier"].astype(str) + " (" + counts["id"].astype(str) + ")"
    return counts.groupby(keys)["text"].agg("; ".join)


def _not_exact(col: pd.Series) -> np.ndarray:
    """Rows whose qualifier, as text, is not "exact" (a Categorical's codes
    compared, not a million values made text)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        exact = [k for k, c in enumerate(col.cat.categories) if str(c) == "exact"]
        return ~np.isin(col.cat.codes.to_numpy(), exact)
    return (col.astype(str) != "exact").to_numpy()


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
        out[k] = _categories_as_text(out[k])
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


def status_table(frame: pd.DataFrame, links: pd.DataFrame, currency: str,
                 within: frozenset[str] | set[str] = frozenset(),
                 pledges: Pledges | None = None) -> pd.DataFrame:
    """Per funder: pledged, committed, disbursed, spent (primary entries by
    their status), total (all primary entries), paid (of the funder's own
    pledges: its primary entries with status disbursed/spent, plus the
    entries disbursed/spent that disburse or are part of one of its
    pledges, whoever pays them, but for those in ``within``: paid within
    an entry paid itself or not counted, ``book_paid_within``),
    outstanding = total − paid, and paid for others (what the funder paid
    of pledges counted on another row, or left out by --funder: in neither
    its paid nor its outstanding).  ``pledges``: whose pledge each payment
    pays (``Pledges``); without it a payment is its payer's.

    ``links``: columns id, kind (disburses | part_of | restates)."""
    cols = ["funder", "pledged", "committed", "disbursed", "spent", "total", "paid",
            "outstanding", "paid for others", "currency"]
    if frame.empty and (pledges is None or pledges.others is None):
        return pd.DataFrame(columns=cols)
    f = frame[["funder", "status", "primary", "id"]].assign(
        _m=_minor(frame), _p=paid_minor(frame))   # only what it sums
    prim = f[f["primary"].astype(bool)]
    by_status = prim.pivot_table(index="funder", columns="status", values="_m",
                                 aggfunc="sum", fill_value=0) if len(prim) else \
        pd.DataFrame(index=pd.Index([], dtype=object, name="funder"))
    by_status.index, by_status.columns = (_plain_index(by_status.index),
                                          _plain_index(by_status.columns))
    out = by_status.reindex(columns=list(STATUSES), fill_value=0)
    out["total"] = _plain_series(prim.groupby("funder")["_m"].sum())
    paying = set(links.loc[links["kind"].isin(PAYING_LINKS), "id"]) - set(within) \
        if not links.empty else set()
    # the ids looked up among the few rows not counted and paid, not all rows
    cand = f[~f["primary"] & f["status"].isin(PAID_STATUSES)]
    pay = cand[cand["id"].isin(paying)]
    own = pay["funder"].astype(object).to_numpy()
    to, payer_kept, pledge_kept = own, np.ones(len(pay), bool), np.ones(len(pay), bool)
    if pledges is not None:
        if pledges.others is not None and not pledges.others.empty:   # --funder: paid by others
            o = pledges.others
            o = o[~o["primary"] & o["status"].isin(PAID_STATUSES)]
            o = o[["funder", "status", "primary", "id"]].assign(_m=_minor(o), _p=paid_minor(o))
            payer_kept = np.r_[payer_kept, np.zeros(len(o), bool)]
            pay = pd.concat([pay, o], ignore_index=True)
            own = np.r_[own, np.full(len(o), None, dtype=object)]
        to, pledge_kept = pledges.rows(pay["id"], own)
    m = pay["_p"].to_numpy()    # a payment valued as its pledge (paid_as_pledged)
    paid = _plain_series(prim[prim["status"].isin(PAID_STATUSES)].groupby("funder")["_m"].sum())
    at = pledge_kept
    paid = paid.add(_plain_series(pd.Series(m[at]).groupby(to[at]).sum()), fill_value=0)
    # a kept payer's payment of a pledge on another row; within its own row
    # (--depth) of a pledge --funder leaves out: nowhere, as in that row
    at = payer_kept & (to != own)
    others = _plain_series(pd.Series(m[at]).groupby(own[at]).sum())
    out = out.reindex(out.index.union(paid.index).union(others.index), fill_value=0)
    out["paid"] = paid.reindex(out.index, fill_value=0)
    out["paid for others"] = others.reindex(out.index, fill_value=0)
    out = _ints(out.fillna(0))
    out["outstanding"] = out["total"] - out["paid"]
    out = out[cols[1:-1]]
    out.columns.name = None
    out = to_money(out, currency)
    out = out.reset_index().rename(columns={"index": "funder"})
    out["currency"] = currency
    return out


@dataclass(frozen=True)
class Pledges:
    """Whose pledge each payment pays, for ``status_table``: ``funders``,
    per linked entry id, the funder account of the pledge its links lead to
    (``book_pledge_funders``); ``depth``: the report's (rows are funders cut
    to it); ``kept``: the --funder accounts, or (); ``others``: with
    --funder, the valued rows of the payments by funders left out of
    pledges of funders kept (``paid_by_others``)."""
    funders: pd.Series
    depth: int | None = None
    kept: tuple[str, ...] = ()
    others: pd.DataFrame | None = None

    def others_by_pledge(self) -> pd.DataFrame | None:
        """``others`` with the row of the pledge each pays (``pledge``)."""
        if self.others is None:
            return None
        return self.others.assign(pledge=truncate(self.funders.reindex(
            pd.Index(self.others["id"].astype(object))), self.depth).to_numpy(dtype=object))

    def rows(self, ids: pd.Series, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(the row each payment's paid goes to: its pledge's funder, or
        ``own`` when its links lead to no one funder's pledge, or None when
        they lead to pledges of several funders, none on the payer's row;
        whether that pledge's funder is kept by --funder)."""
        full = self.funders.reindex(pd.Index(ids.astype(object))).to_numpy(dtype=object)
        known = pd.notna(full)
        to = own.copy()
        if known.any():
            to[known] = truncate(pd.Series(full[known]), self.depth).to_numpy(dtype=object)
        kept = np.ones(len(ids), dtype=bool)
        if self.kept:
            kept[known] = account_mask(pd.Series(full[known]), self.kept)
        several = self.funders.attrs.get("several") or {}
        if several:
            # pledges of several funders, none the payer's row: paid for
            # others, in no one's paid (no one funder's pledge is paid)
            for k, i in enumerate(ids.astype(object).to_numpy()):
                fs = several.get(i)
                if fs is not None and own[k] is not None and own[k] not in set(
                        truncate(pd.Series(sorted(fs), dtype=object), self.depth)):
                    to[k], kept[k] = None, False
        return to, kept


def pledge_facts(book) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What ``pledge_funder_ids`` reads of a Book besides its links: every
    entry's id, its funder account and whether it is a pledge a chain of
    links ends at (primary: it links nowhere and is counted)."""
    en = book.tables.entries
    return (en["id"].to_numpy(dtype=object), en["funder"].astype(object).to_numpy(),
            en["primary"].to_numpy(dtype=bool))


def pledge_funder_ids(src, dst, ids, funder, root) -> pd.Series:
    """Per linked entry id: the funder account of the pledge its links lead
    to, link after link (``ledger.rules.along_links``), when they lead to
    pledges of one funder only.  From ids: links ``src`` → ``dst``, every
    entry's id, funder and whether it is a pledge (``pledge_facts``; a
    dataset's gathered from every partition)."""
    src, dst = np.asarray(src, dtype=object), np.asarray(dst, dtype=object)
    if not len(src):
        return pd.Series(dtype=object)
    ns = len(src)
    codes, uniq = pd.factorize(np.concatenate([src, dst, np.asarray(ids, dtype=object)]))
    at = codes[2 * ns:]
    root = np.asarray(root, dtype=bool)
    fcode, names = pd.factorize(np.asarray(funder, dtype=object)[root])
    mark = np.zeros(len(uniq), dtype=np.int64)
    mark[at[root]] = fcode + 1
    s, d = codes[:ns], codes[ns:2 * ns]
    # or-ed codes equal and-ed codes (the complement's or) only for one funder
    up = along_links(s, d, mark)
    down = along_links(s, d, np.where(mark > 0, ~mark, 0))
    one = (up > 0) & (up == ~down)
    got = pd.Series(np.asarray(names, dtype=object)[up[one] - 1],
                    index=pd.Index(uniq[one].astype(str), dtype=object), dtype=object)
    got.attrs["several"] = _several_funders(s, d, np.flatnonzero((up > 0) & ~one), mark,
                                            np.asarray(names, dtype=object), uniq)
    return got


def _several_funders(s, d, start, mark, names, uniq) -> dict[str, frozenset]:
    """Per entry whose links lead to pledges of several funders (few: an
    entry with more than one link): those funders, walked link after link."""
    if not len(start):
        return {}
    step = pd.DataFrame({"n": s, "d": d})
    pairs = pd.DataFrame({"o": start, "n": start})
    found = []
    for _ in range(len(uniq)):   # links are acyclic: this ends
        pairs = pairs.merge(step, on="n")[["o", "d"]].rename(columns={"d": "n"})
        pairs = pairs.drop_duplicates()
        if pairs.empty:
            break
        found.append(pairs[mark[pairs["n"].to_numpy()] > 0])
    hit = pd.concat(found) if found else pairs
    out: dict[str, frozenset] = {}
    for o, n in zip(hit["o"].to_numpy(), hit["n"].to_numpy()):
        key = str(uniq[o])
        out[key] = out.get(key, frozenset()) | {names[mark[n] - 1]}
    return out


def book_pledge_funders(book) -> pd.Series:
    """``pledge_funder_ids`` of the whole ledger ``book`` was selected from
    (kept on it, as ``book_paid_within``): whose pledge a payment pays
    never changes with the filters; given on a dataset's partition."""
    whole = as_book(book).whole
    got = getattr(whole, "pledge_funders", None)
    if got is None:
        src, dst = paid_facts(whole)[:2]
        got = pledge_funder_ids(src, dst, *pledge_facts(whole))
        whole.pledge_funders = got
    return got


def paid_by_others(ledger, entries, options: ReportOptions) -> pd.DataFrame | None:
    """With --funder: the valued rows (as the report's frame) of the
    payments the other filters keep, made by funders --funder leaves out,
    of pledges of funders it keeps, so that a funder's paid is its row of
    the table without --funder.  None when there are none."""
    filters = Filters.of(options)
    if not filters.funder:
        return None
    pledged = book_pledge_funders(entries)
    if pledged.empty:
        return None
    broad = select(as_book(ledger), dataclasses.replace(filters, funder=()))
    en, links = broad.tables.entries, broad.tables.links
    if not len(links):
        return None
    pays = np.zeros(len(en), dtype=bool)
    pays[links.loc[links["kind"].isin(PAYING_LINKS).to_numpy(), "entry"].to_numpy(
        dtype=np.int64)] = True
    ids = en["id"].astype(object)
    pays &= (~en["primary"].to_numpy(dtype=bool)
             & en["status"].astype(object).isin(PAID_STATUSES).to_numpy()
             & ~ids.isin(book_paid_within(broad)).to_numpy()
             & ~ids.isin(entries.tables.entries["id"].astype(object)).to_numpy())
    to = pledged.reindex(pd.Index(ids[pays])).to_numpy(dtype=object)
    known = pd.notna(to)
    ok = np.zeros(len(to), dtype=bool)
    ok[known] = account_mask(pd.Series(to[known]), filters.funder)
    pays[np.flatnonzero(pays)[~ok]] = False
    if not pays.any():
        return None
    valued = value(broad.subset(pays), Spec.of(options), fast=True, every_column=True)
    return basis_frame(valued, options.depth, fast=True)[0]


def book_pledge_ids(book) -> pd.Series:
    """Per linked entry id: the id of the pledge its links lead to, when
    they lead to one pledge (``pledge_funder_ids`` by id; kept on the whole
    ledger, as ``book_pledge_funders``)."""
    whole = as_book(book).whole
    got = getattr(whole, "pledge_ids", None)
    if got is None:
        src, dst = paid_facts(whole)[:2]
        ids, _, root = pledge_facts(whole)
        got = pledge_funder_ids(src, dst, ids, ids, root)
        whole.pledge_ids = got
    return got


def pledge_values(prim: pd.DataFrame) -> pd.DataFrame:
    """Per counted pledge id (``prim``: the report's counted rows): its
    value ``v`` and amount ``o`` (minor units) and currency ``c``, what
    ``paid_as_pledged`` values its payments by."""
    per = prim[["id", "currency"]].assign(v=_minor(prim).astype(object),
                                          o=prim["original_minor"].astype(object))
    return per.groupby(per["id"].astype(object), sort=False).agg(
        v=("v", "sum"), o=("o", "sum"), c=("currency", "first"))


def pledges_valued(book, options: ReportOptions, ids=None, open_ended: bool = True
                   ) -> pd.DataFrame:
    """``pledge_values`` of the pledges of ``book`` (whatever the filters
    keep: a payment is valued against its pledge in the whole book), or of
    those among ``ids``, valued as the report values them.  Without
    ``open_ended`` and a horizon (a dataset's partition, whose horizon is
    not the dataset's) an open-ended pledge is left out."""
    entries = as_book(book)
    if ids is not None:
        entries = entries.subset(entries.tables.entries["id"].astype(object).isin(
            set(ids)).to_numpy())
    if not open_ended and options.horizon in (None, "") and len(entries):
        entries = entries.subset(~entries.open_ended())
    if not len(entries):
        return pd.DataFrame(columns=["v", "o", "c"], index=pd.Index([], dtype=object))
    frame = basis_frame(value(entries, Spec.of(options), fast=True, every_column=True),
                        options.depth, fast=True)[0]
    return pledge_values(frame[frame["primary"].astype(bool)])


def _lean(book):
    """``book`` without what a carried part needs not (documents, problems,
    the partition it was taken from): its tables, options and root (the
    rates beside it)."""
    return type(book)(tables=book.tables, options=book.options, root=book.root,
                      source=book.source)


def carried_payments(book, currency: str) -> object:
    """The entries of ``book`` (a dataset's partition) that may add to paid
    as their pledge is valued (paid, not counted, paying a target), as a
    small Book the other partitions value in their pledge's currency: a
    pledge's payments are valued in one order across partitions
    (``_running``), not partition by partition.  Left out: a payment in
    the report's ``currency`` of a pledge in it inside the partition
    (nothing moves it)."""
    b = as_book(book)
    en, lk = b.tables.entries, b.tables.links
    mask = np.zeros(len(en), dtype=bool)
    if len(lk):
        mask[lk.loc[lk["kind"].isin(PAYING_LINKS).to_numpy(), "entry"].to_numpy(
            dtype=np.int64)] = True
    mask &= ~en["primary"].to_numpy(dtype=bool) & en["status"].astype(object).isin(
        PAID_STATUSES).to_numpy()
    cur = currency.upper()
    ccy = en["currency"].astype(object).to_numpy()
    same = mask & (ccy == cur)
    if same.any():     # a pledge found inside the partition is the pledge (it links nowhere)
        ids = en["id"].to_numpy(dtype=object)
        all_ids, _, root = pledge_facts(b)
        src, dst = paid_facts(b)[:2]
        pid = pledge_funder_ids(src, dst, all_ids, all_ids, root).reindex(
            pd.Index(ids[same])).to_numpy(dtype=object)
        pc_ = pd.Series(ccy, index=pd.Index(ids)).groupby(level=0).first().reindex(
            pd.Index(pid)).to_numpy(dtype=object)
        mask[np.flatnonzero(same)[pd.notna(pid) & (pc_ == cur)]] = False
    return _lean(b.subset(mask)) if mask.any() else None


def carried_open_pledges(book, options: ReportOptions) -> object:
    """The open-ended pledges of ``book`` (a dataset's partition) that
    ``pledges_valued`` leaves out without a horizon, as a small Book the
    other partitions value at the dataset's horizon."""
    b = as_book(book)
    if options.horizon not in (None, "") or not len(b):
        return None
    mask = np.asarray(b.open_ended(), dtype=bool) & b.tables.entries["primary"].to_numpy(
        dtype=bool)
    return _lean(b.subset(mask)) if mask.any() else None


def _shares(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights``, exactly (the rest on the last)."""
    w = sum(weights)
    if not w:
        return [total] + [0] * (len(weights) - 1)
    out = [total * x // w for x in weights[:-1]]
    return out + [total - sum(out)]


def _paying_ids(book) -> set:
    """The ids of ``book``'s entries that pay a target (``PAYING_LINKS``),
    but for those paid within another (what adds to paid, status_table)."""
    b = as_book(book)
    lk = b.tables.links
    if not len(lk):
        return set()
    return set(b.tables.entries["id"].to_numpy(dtype=object)[
        lk.loc[lk["kind"].isin(PAYING_LINKS).to_numpy(), "entry"].to_numpy(dtype=np.int64)]) \
        - book_paid_within(b)


def _in_currency(book, ids, ccy: str, options: ReportOptions) -> dict:
    """Per id among ``ids``: its amount in ``ccy`` at its own date (minor
    units; the one valuation step, at entry-date rates)."""
    book = as_book(book)
    sub = book.subset(book.tables.entries["id"].astype(object).isin(set(ids)).to_numpy())
    if not len(sub):
        return {}
    conv = value(sub, Spec.of(options, currency=ccy, valuation="entry-date",
                              deflator=None, base_year=None), fast=True, every_column=True)
    cf = basis_frame(conv, options.depth, fast=True)[0]
    return {i: int(m) for i, m in _minor(cf).groupby(cf["id"].astype(object)).sum().items()}


def _payments_of(whole, pledges: pd.DataFrame, cur: str, options: ReportOptions) -> dict:
    """Per pledge among ``pledges`` (``pledge_values``): the whole book's
    payments of it that paid values as it is valued (paid, paying, not
    within another; one of them or the pledge in another currency than
    ``cur``), in the order they are counted in (date, id), as (id, amount
    in the pledge's currency) pairs.  A dataset's partition: the payments
    of every partition (``carried_payments``)."""
    books = getattr(whole, "pledge_payments", None) or (whole,)
    within = book_paid_within(whole)
    pledge_of = book_pledge_ids(whole)
    got = []
    for k, b in enumerate(books):
        en = b.tables.entries
        ids = en["id"].astype(object)
        pid = pledge_of.reindex(pd.Index(ids)).to_numpy(dtype=object)
        at = pd.Index(pid).isin(pledges.index) & pd.notna(pid)
        at &= en["status"].astype(object).isin(PAID_STATUSES).to_numpy() & ids.isin(
            _paying_ids(b) - within).to_numpy()
        pc_ = pledges["c"].reindex(pid[at]).astype(object).to_numpy()
        rows = np.flatnonzero(at)[(en["currency"].astype(object).to_numpy()[at] != cur)
                                  | (pc_ != cur)]
        got.append(pd.DataFrame({"id": ids.to_numpy()[rows], "p": pid[rows], "k": k,
                                 "d": pd.to_datetime(en["date"].to_numpy()[rows])}))
    order = pd.concat(got, ignore_index=True).sort_values(["d", "id"], kind="stable")
    order = order[~order["id"].duplicated()]
    order["c"] = pledges["c"].reindex(order["p"]).to_numpy(dtype=object)
    amount: dict = {}
    for (k, c), g in order.groupby(["k", "c"], sort=False):   # one valuation a currency
        amount.update(_in_currency(books[k], g["id"], str(c), options))
    return {p: [(i, amount.get(i, 0)) for i in g["id"]]
            for p, g in order.groupby("p", sort=False)}


def paid_as_pledged(parts, prim: pd.DataFrame, options: ReportOptions) -> dict:
    """The paid of payments valued as the pledge they pay is valued: each
    payment's amount in the pledge's currency at the payment's date, at the
    pledge's own valuation (its value ÷ its amount on the basis), so that a
    pledge paid exactly is outstanding 0 in every valuation.  The pledge is
    taken from the whole book, whatever the filters keep (a dataset: the
    pledges of every partition, ``pledges_valued``), and its payments are
    valued in the order they are counted in, each the difference of the
    running total valued and rounded once (``_running``): the same payment
    has one value under every filter.  ``parts``: (valued rows of payments,
    as the report's frame; a Book holding their entries); ``prim``: the
    report's counted rows (the pledges, used when nothing is filtered).
    Only the payments of one pledge, one of them in another currency than
    the report's.  Returns, per part, the rows' paid (minor units; None
    when nothing moves) and the exchange difference (their own value less
    that paid, and the payments' ids)."""
    cur = options.currency.upper()
    cands: list = []
    wanted: set = set()
    whole = None
    for k, (fr, book) in enumerate(parts):
        if fr is None or fr.empty or book is None:
            continue
        whole = as_book(book).whole
        ids = fr["id"].astype(object)
        pid = book_pledge_ids(book).reindex(pd.Index(ids)).to_numpy(dtype=object)
        # only what adds to paid (status_table): a paid payment, not paid within another
        known = (pd.notna(pid) & ~fr["primary"].to_numpy(dtype=bool)
                 & fr["status"].astype(object).isin(PAID_STATUSES).to_numpy()
                 & ids.isin(_paying_ids(book)).to_numpy())
        if known.any():
            cands.append((k, known, pid))
            wanted |= set(pid[known])
    if not cands or whole is None:
        return {}
    first = as_book(parts[0][1]) if parts[0][1] is not None else None
    if first is not None and first is first.whole:     # nothing filtered: the report's own
        per = pledge_values(prim)
        per = per[per.index.isin(wanted)]
    else:
        per = pledges_valued(whole, options, wanted)
    there = getattr(whole, "pledge_values", None)   # a dataset: the other partitions'
    if there is not None and len(there):
        per = pd.concat([per, there[~there.index.isin(per.index) & there.index.isin(wanted)]])
    for b in getattr(whole, "open_pledges", None) or ():   # valued at the dataset's horizon
        if len(per.index) < len(wanted):
            got = pledges_valued(b, options, wanted - set(per.index))
            per = pd.concat([per, got[~got.index.isin(per.index)]])
    rows: list = []
    for k, known, pid in cands:
        fr = parts[k][0]
        known = known & pd.Index(pid).isin(per.index)
        if not known.any():
            continue
        pc_ = per["c"].reindex(pid[known]).astype(object).to_numpy()
        need = np.flatnonzero(known)[(fr["currency"].astype(object).to_numpy()[known] != cur)
                                     | (pc_ != cur)]
        if len(need):
            rows.append((k, need, pid[need]))
    if not rows:
        return {}
    # each payment's amount in its pledge's currency at its date, in the
    # whole book and, when --purpose cut it, as the report holds it
    order = _payments_of(whole, per.loc[list({p for _, _, ps in rows for p in ps})], cur,
                         options)
    full = {i: m for pays in order.values() for i, m in pays}
    in_pc: dict = {}
    for k, need, pids in rows:
        fr, book = parts[k]
        ids = fr["id"].astype(object).to_numpy()[need]
        if uncut(as_book(book)) is None:
            in_pc.update(((k, i), full.get(i, 0)) for i in ids)
            continue
        want = pd.DataFrame({"id": ids, "p": pids})
        want["c"] = per["c"].reindex(want["p"]).to_numpy()
        for ccy, g in want.groupby("c"):
            for i, m in _in_currency(book, g["id"], str(ccy), options).items():
                in_pc[(k, i)] = m
    valued_as_pledged: dict = {}
    for p, pays in order.items():
        v, o = int(per.at[p, "v"]), int(per.at[p, "o"])
        valued_as_pledged.update(_running([i for i, _ in pays], [m for _, m in pays], v, o))
    by_payment: dict = {}
    for k, need, _ in rows:
        fr = parts[k][0]
        own = _minor(fr).to_numpy()
        ids = fr["id"].astype(object).to_numpy()
        for r in need.tolist():
            by_payment.setdefault((k, ids[r]), []).append((r, int(own[r])))
    out = {k: _minor(parts[k][0]).astype(object).to_numpy().copy() for k, _, _ in rows}
    moved, diff = [], 0
    for (k, i), rs in by_payment.items():
        mine = sum(m for _, m in rs)
        if i not in valued_as_pledged or not full.get(i):
            x = mine          # no amount in the pledge's currency: its own value
        elif in_pc.get((k, i), 0) == full[i]:
            x = valued_as_pledged[i]
        else:                 # cut by --purpose: its share of the payment's value
            x = _round_div(valued_as_pledged[i] * in_pc.get((k, i), 0), full[i])
        for (r, m), y in zip(rs, _shares(x, [abs(m) for _, m in rs])):
            out[k][r] = y
            diff += m - y
        moved.append(str(i))
    return {"paid": out, "difference": diff, "ids": list(dict.fromkeys(moved))}


def _running(ids: list, amounts: list[int], v: int, o: int) -> dict:
    """Per payment of a pledge of value ``v`` and amount ``o`` (its
    ``amounts`` in the pledge's currency, in the order counted): the running
    total valued at v/o and rounded, less the same before it: exact (paid in
    full is ``v``) and each payment's value fixed by the book alone."""
    out, before, done = {}, 0, 0
    for i, a in zip(ids, amounts):
        before += a
        now = _round_div(before * v, o) if o else before
        out[i] = now - done
        done = now
    return out


def _round_div(a: int, b: int) -> int:
    """a / b to the nearest integer, halves to even (exact, any size)."""
    with localcontext() as ctx:
        ctx.prec = 400
        return int((Decimal(a) / Decimal(b)).to_integral_value(ROUND_HALF_EVEN))


def paid_minor(frame: pd.DataFrame) -> pd.Series:
    """What each row adds to paid: ``paid_minor`` where ``paid_as_pledged``
    set it (a payment valued as its pledge), else its value."""
    return _summable(frame["paid_minor"]) if "paid_minor" in frame else _minor(frame)


def set_paid(report_frame: pd.DataFrame, spread: pd.DataFrame, others, moved: dict) -> None:
    """``paid_as_pledged``'s paid as the ``paid_minor`` column of the
    report's rows, of its year rows (each payment's shared among its years
    as its value is) and of the payments by funders --funder leaves out."""
    if not moved:
        return
    for k, fr in enumerate((report_frame, others)):
        if k in moved["paid"]:
            fr["paid_minor"] = pd.Series(moved["paid"][k], index=fr.index, dtype=object)
    if "paid_minor" not in report_frame or spread is None or spread.empty:
        return
    own, paid = _minor(report_frame).astype(object), report_frame["paid_minor"]
    ids = report_frame["id"].astype(object)
    changed = ids[(own != paid).to_numpy()]
    col = _minor(spread).astype(object).to_numpy().copy()
    if len(changed):
        per = paid.groupby(ids).sum()
        sid = spread["id"].astype(object).to_numpy()
        for i in pd.unique(changed):
            at = np.flatnonzero(sid == i)
            if len(at):
                col[at] = _shares(int(per[i]), [abs(int(x)) for x in col[at]])
    spread["paid_minor"] = pd.Series(col, index=spread.index, dtype=object)


def exchange_note(moved: dict, currency: str, locale: str) -> str | None:
    """The exchange difference ``paid_as_pledged`` leaves out of paid, said once."""
    if not moved or not moved["difference"]:
        return None
    ids = sorted(set(moved["ids"]))     # a dataset's partitions give them in another order
    first = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")
    diff = moved["difference"]
    amount = format_money(Decimal(abs(diff)).scaleb(-currency_digits(currency)),
                          currency, locale)
    return (f"By status: paid values a payment of a pledge in another currency as the "
            f"pledge is valued (the payment in the pledge's currency at the payment's date), "
            f"so a pledge paid in full is outstanding 0; valued at their own rates those "
            f"payments come to {amount} {'more' if diff > 0 else 'less'} (an exchange "
            f"difference, in no column: "
            f"{first}).")


# the links whose entry pays (out) its target: paid counts it, unless within
PAYING_LINKS = ("disburses", "part_of")


def paid_facts(book) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What paid reads of a Book: its links as (entry id, target id), the
    ids of the entries counted as paid by their own status (a primary
    entry, or one that disburses or is part of another, disbursed or spent,
    not tagged not-counted) and the ids of those tagged not-counted."""
    en, links = book.tables.entries, book.tables.links
    ids = en["id"].to_numpy(dtype=object)
    entry = links["entry"].to_numpy(dtype=np.int64) if len(links) else np.zeros(0, np.int64)
    pays = np.zeros(len(en), dtype=bool)
    linked = np.zeros(len(en), dtype=bool)
    linked[entry] = True
    if len(links):
        pays[entry[links["kind"].isin(PAYING_LINKS).to_numpy()]] = True
    # not counted: not primary and linking nowhere, or linked and so tagged
    # (the tags read only on the linked rows)
    uncounted = ~en["primary"].to_numpy(dtype=bool) & ~linked
    at = np.flatnonzero(linked)
    if len(at):
        uncounted[at[not_counted_mask(en["tags"].to_numpy(dtype=object)[at])]] = True
    counts = (en["status"].astype(object).isin(PAID_STATUSES).to_numpy()
              & (en["primary"].to_numpy(dtype=bool) | pays) & ~uncounted)
    target = links["target"].to_numpy(dtype=object) if len(links) else np.zeros(0, object)
    return ids[entry], target, ids[counts], ids[uncounted]


def paid_within_ids(src, dst, paid, uncounted=()) -> frozenset[str]:
    """The ids of the linked entries that add nothing to paid: those paid
    within another paid entry or within a not-counted one
    (``ledger.rules.paid_within``), and those tagged not-counted.  From
    ids: links ``src`` → ``dst``, the ids counted as paid by their own
    status and those tagged not-counted (``paid_facts``; a dataset's
    gathered from every partition)."""
    src, dst = np.asarray(src, dtype=object), np.asarray(dst, dtype=object)
    if not len(src):
        return frozenset()
    codes, uniq = pd.factorize(np.concatenate([src, dst]))
    index = pd.Index(uniq)
    counts = index.isin(pd.Index(np.asarray(paid, dtype=object)))
    out = index.isin(pd.Index(np.asarray(uncounted, dtype=object)))
    within = paid_within(len(uniq), codes[:len(src)], codes[len(src):], counts, out)
    within[codes[:len(src)][out[codes[:len(src)]]]] = True   # a not-counted entry never pays
    return frozenset(str(i) for i in uniq[within])


def book_paid_within(book) -> frozenset[str]:
    """``paid_within_ids`` of the whole ledger ``book`` was selected from
    (kept on it): a filter never changes what one entry adds to paid, so
    paid adds up across filters; given on a dataset's partition."""
    whole = as_book(book).whole
    if whole.paid_within is None:
        whole.paid_within = paid_within_ids(*paid_facts(whole))
    return whole.paid_within | getattr(book, "paid_within_them", frozenset())   # --status


def comparison_table(frame: pd.DataFrame, funders: Sequence[str], currency: str) -> pd.DataFrame:
    """Chosen funders side by side by purpose, on the same basis: index purpose,
    one column per funder (each funder account including everything below
    it, named ignoring case), then a Total row.  Default funders: the
    top-level funder accounts, one column for the spellings of one account
    ("UK" and "uk": the first in sorted order names it)."""
    prim = _primary(frame, ["funder", "purpose", "value_minor"])
    if not funders:
        tops = sorted(set(top_level(pd.Series(pd.unique(prim["funder"].astype(object)),
                                               dtype=object)))) if not prim.empty else []
        funders = list({str(f).casefold(): f for f in reversed(tops)}.values())[::-1]
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
    so the tree (``reports.accounts.roll_up``) is walked for the few
    accounts, not for every row."""
    prim = _primary(frame, [side, "value_minor"])
    if prim.empty:
        return pd.DataFrame(columns=["account", "level", "amount", "currency"])
    per_account = _minor(prim).groupby(prim[side].astype(object).to_numpy()).sum()
    tree = roll_up({str(a): int(m) for a, m in per_account.items()}, depth)
    accounts = sorted(tree)
    out = pd.DataFrame({"account": pd.Series(accounts, dtype=object),
                        "level": np.array([a.count(":") + 1 for a in accounts], dtype=np.int64),
                        "minor": pd.Series([tree[a] for a in accounts], dtype=object)})
    out["amount"] = to_money(out.pop("minor"), currency)
    out["currency"] = currency
    return out


def entry_text(entries) -> dict:
    """The text per entry of the entries table, read from the Book alone
    (no valuation, so it can be worked out beside it): the amount as
    written (the amount and currency where none was), the links, the
    sources and the quotes, each as Arrow text in the Book's entry order."""
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
    return {
        "amount as written": written,
        "links": _joined(lk, len(book), _concat(lk["kind"], " ", lk["target"]), "; "),
        # Arrow text as it is: no million Python strings made on the way
        "sources": _joined(ct, len(book), _str(ct["doc"]), "; "),
        "quotes": _joined(ct, len(book), _str(ct["quote"]), " | "),
    }


def entries_table(frame: pd.DataFrame, ledger, entries,
                  text: dict | None = None) -> pd.DataFrame:
    """One row per entry × purpose allocation, for people: the amount as
    written, original currency, normalised amount, rate, rate date, rate
    source, period, status, funder, purpose, whether it counts in totals,
    links and sources.  ``entries``: the Book of the reported entries;
    ``text``: its ``entry_text`` when already worked out.

    Column-wise in Arrow: text columns are pandas ``str`` (Arrow strings),
    ``date`` and ``rate date`` Arrow dates (``datetime.date`` when read,
    missing rate dates null), ``normalised`` exact Arrow decimals; no Python
    object per row except the ``rate`` Decimals ``normalise`` made."""
    book = as_book(entries)
    en = book.tables.entries
    per_entry = entry_text(book) if text is None else text
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


def sources_table(ledger, entries) -> pd.DataFrame:
    """One row per citation: document, title, publisher, date, URL, quote,
    entry; ordered by document and entry (stable), missing text as "".
    Column-wise in Arrow: the documents' fields looked up by position, one
    stable Arrow sort."""
    book = as_book(entries)
    docs = getattr(ledger, "documents", {}) or {}
    ct = book.tables.citations
    ids = _arrow_text(book.tables.entries["id"])
    doc = pc.fill_null(_arrow_text(ct["doc"]), "")
    entry_at = ct["entry"].to_numpy(dtype=np.int64)
    keys = pa.array(list(docs), pa.large_string())
    at = pc.index_in(doc, value_set=keys).to_numpy(zero_copy_only=False)
    at = np.where(np.isnan(at), len(docs), at).astype(np.int64) if at.dtype != np.int64 else at
    published = np.empty(len(docs) + 1, dtype=object)
    published[:] = [d.published if d.published is not None else "" for d in docs.values()] + [""]
    io = id_order(book)
    if io is not None:   # by document, then entry id: integer keys, one stable sort
        dcodes, duniq = pd.factorize(_str(doc))
        dcode_sorted = np.empty(len(duniq), dtype=np.int64)
        dcode_sorted[np.argsort(np.asarray(duniq, dtype=object).astype(str), kind="stable")] = \
            np.arange(len(duniq))
        erank = io[1][entry_at]
        order = (np.lexsort((erank, dcode_sorted[dcodes])) if len(ct)
                 else np.zeros(0, dtype=np.int64))
    else:
        table = pa.table({"document": doc,
                          "entry": pc.fill_null(ids.take(pa.array(entry_at)), "")})
        order = pc.sort_indices(table, sort_keys=[("document", "ascending"),
                                                  ("entry", "ascending")]).to_numpy()
    # the rows in that order, each text column taken once: positions are
    # composed on integers first (a take of a million strings costs more)
    at_sorted = at[order]
    pick = pa.array(at_sorted, mask=at_sorted >= len(docs)) if len(docs) else None

    def field(name):   # a document's field for every citation ("" when none)
        if pick is None:
            return _str(pa.array([""] * len(ct), pa.large_string()))
        vals = pa.array([getattr(d, name) for d in docs.values()], pa.large_string(),
                        from_pandas=True)
        return _str(pc.fill_null(vals.take(pick), ""))

    take = pa.array(order)

    def col(arr):
        return _str(pc.fill_null(arr.take(take), ""))
    out = pd.DataFrame({
        "document": col(doc), "title": field("title"), "publisher": field("publisher"),
        "published": published[at_sorted],
        "url": field("url"), "quote": col(_arrow_text(ct["quote"])),
        "locator": col(_arrow_text(ct["locator"])),
        "entry": _str(pc.fill_null(ids.take(pa.array(entry_at[order])), "")),
    })
    return out


def links_frame(entries) -> pd.DataFrame:
    return as_book(entries).link_rows()


def build_report(ledger, options: ReportOptions, progress=None, *, rows: bool = True,
                 tables: bool = True, rows_ahead: bool = False,
                 sources_files: Callable[[pd.DataFrame], dict] | None = None,
                 rows_ahead_from: int | None = None) -> Report:
    """Compute every report table for ``ledger`` (a ``ledger.book.Book``, or
    anything with ``.entries``) from its columns.  With ``rows=False`` the
    tables with a row per entry × purpose and per citation (``entries``,
    ``sources``: empty until then) and the notes are left to
    ``add_rows(report)``, so that a command can start drawing the charts,
    which read neither, first; with ``tables=False`` too, the tables the
    charts do not draw (``summary``, ``by_purpose``, ``by_funder`` and the
    account trees).  With ``rows_ahead`` what those rows and the
    notes read of the Book alone (``book_rows``) is worked out in a thread
    beside the valuation, while the second core would be idle; then, in the
    same thread, ``sources_files(sources table)`` (the renderer's files of
    it, e.g. ``reports.datafiles.table_files``), kept as
    ``report.extra["table files"]["sources"]``.  ``rows_ahead_from``:
    rows ahead only when the report holds at least that many entries (those
    the filters keep).  When the valuation's side fails (or Ctrl-C), the
    thread stops at its next step."""
    with gc_paused():
        report = _build_report(ledger, options, progress, tables or rows,
                               rows_ahead, sources_files, rows_ahead_from)
        if rows:
            _add_rows(report)
    return report


def add_rows(report: Report) -> Report:
    """The ``entries`` and ``sources`` tables and the notes of a report
    built with ``build_report(..., rows=False)``."""
    with gc_paused():
        _add_rows(report)
    return report


def _add_rows(report: Report) -> None:
    if report.extra.pop("tables to add", False):
        _add_tables(report)
    ledger, entries, links = report.extra.pop("rows to add")
    ahead = report.extra.pop("book rows", None) or {}
    report.entries = (ahead["entries"] if "entries" in ahead
                      else entries_table(report.frame, ledger, entries, ahead.get("entry text")))
    report.sources = ahead["sources"] if "sources" in ahead else sources_table(ledger, entries)
    report.warnings = dropped_warnings(entries, report.spread, report.horizon,
                                       report.options.basis)
    report.notes = (report_notes(report, entries, links, ahead.get("note facts"))
                    + [n for n in [counted_as_themselves_note(entries),
                                   paid_by_others_note(report.extra.get("paid by others")),
                                   exchange_note(report.extra.get("exchange") or {},
                                                 report.options.currency.upper(),
                                                 report.options.locale)]
                       if n] + report.warnings)


def nothing_to_report(entries: int, others: pd.DataFrame | Sequence | None) -> None:
    """Refuse a report of nothing: no entry the filters keep, and no
    payment by a funder --funder leaves out of a pledge of one it keeps
    (``paid_by_others``: a funder's paid is a row of the status table)."""
    if not entries and (others is None or not len(others)):
        raise LedgerError("no entries match the filters; nothing to report")


def paid_by_others_note(others: pd.DataFrame | None) -> str | None:
    """With --funder: how many payments by funders it leaves out the status
    table's paid counts, though no sheet lists them, and the first ids."""
    if others is None or others.empty:
        return None
    ids = list(dict.fromkeys(others["id"].astype(str)))
    first = ", ".join(ids[:5]) + (", …" if len(ids) > 5 else "")
    return (f"By status: paid counts {len(ids):,} payment{'s' if len(ids) != 1 else ''} "
            f"by funders --funder leaves out, of the pledges of funders it keeps; "
            f"no other sheet lists {'them' if len(ids) != 1 else 'it'} ({first}).")


def book_rows(ledger, entries, options: ReportOptions,
              sources_files: Callable[[pd.DataFrame], dict] | None = None,
              stop: threading.Event | None = None) -> dict:
    """What the report's rows and notes read of the Book alone, none of it
    valued: the sources table, each entry's text for the entries table, the
    entries' facts and the notes' facts of the Book (and ``sources_files``
    of the sources table, as "files", when given).  ``stop``: once set,
    ``Stopped`` is raised before the next step."""
    def step(make, *args):
        if stop is not None and stop.is_set():
            raise Stopped
        return make(*args)

    sources = step(sources_table, ledger, entries)
    out = {"sources": sources, "entry text": step(entry_text, entries),
           "facts": step(entry_facts, entries),
           "note facts": step(book_note_facts, entries, options)}
    if sources_files is not None:
        out["files"] = step(sources_files, sources)
    return out


class Stopped(Exception):
    """The rows' thread stopped: the valuation's side failed or was interrupted."""


def _add_tables(report: Report) -> None:
    """The tables the charts do not draw (``build_report(tables=False)``)."""
    for name, table in _other_tables(report.frame, report.options.currency.upper()).items():
        setattr(report, name, table)


def _other_tables(frame: pd.DataFrame, cur: str) -> dict[str, pd.DataFrame]:
    return {"summary": summary_table(frame, cur), "by_purpose": by_purpose(frame, cur),
            "by_funder": by_funder(frame, cur), "funder_tree": tree_table(frame, "funder", cur),
            "purpose_tree": tree_table(frame, "purpose", cur)}


def _rows_beside(ledger, entries, options: ReportOptions, sources_files,
                 valued: Future, stop: threading.Event) -> dict:
    """The thread's part of ``build_report(rows_ahead=True)``: ``book_rows``,
    then, once the main thread has valued the rows (``valued``: the frame,
    or None when it failed), the entries table and the tables the charts do
    not draw, while the main thread makes those they draw."""
    rows = book_rows(ledger, entries, options, sources_files, stop)
    frame = valued.result()
    if frame is not None:
        rows["entries"] = entries_table(frame, ledger, entries, rows.pop("entry text"))
        rows["tables"] = _other_tables(frame, options.currency.upper())
    return rows


def _build_report(ledger, options: ReportOptions, progress=None, tables: bool = True,
                  rows_ahead: bool = False, sources_files=None,
                  rows_ahead_from: int | None = None) -> Report:
    ledger = as_book(ledger)
    entries = select_entries(ledger, options)   # a Book: the report reads its columns
    # after the payments --funder leaves out are gathered: they may be all there is
    pledges = _pledges(ledger, entries, options)
    nothing_to_report(len(entries), pledges.others)
    if rows_ahead_from is not None:   # the entries the report holds, not the ledger's
        rows_ahead = len(entries) >= rows_ahead_from
    if not rows_ahead:
        return _valued_report(ledger, entries, options, progress, tables, None, None, pledges)
    id_order(entries)   # kept on the Book: made once, not by both threads
    frame_ready: Future = Future()
    stop = threading.Event()
    # the thread is always joined here: nothing forks while it runs
    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = pool.submit(_rows_beside, ledger, entries, options, sources_files, frame_ready,
                            stop)
        try:
            report = _valued_report(ledger, entries, options, progress, tables, ahead,
                                    frame_ready, pledges)
        except BaseException:   # failed or Ctrl-C: the thread stops at its next step
            stop.set()
            raise
        finally:
            if not frame_ready.done():   # failed before: the thread must not wait
                frame_ready.set_result(None)
    return report


def _valued_report(ledger, entries, options: ReportOptions, progress, tables: bool,
                   ahead: Future | None, frame_ready: Future | None,
                   pledges: Pledges) -> Report:
    step = progress.step if progress is not None else (lambda *_: None)
    step("normalising amounts")
    valued = value(entries, Spec.of(options), fast=True, every_column=True)
    frame, spread = basis_frame(valued, options.depth, fast=True)
    moved = paid_as_pledged([(frame, entries), (pledges.others, ledger)],
                            frame[frame["primary"].astype(bool)], options)
    set_paid(frame, spread, pledges.others, moved)
    horizon = valued.horizon
    _check_compare(frame, options.compare)
    if frame_ready is not None:   # the thread makes the other tables and the entries table
        frame_ready.set_result(frame)
    cur = options.currency.upper()
    step("computing tables")
    links = links_frame(entries)
    name = (ledger.options or {}).get("name") or (str(ledger.root) if ledger.root else "ledger")
    if options.years == "fiscal":
        sm, sd = fiscal_start_of(ledger, options)
        year_text = f"fiscal years starting {dt.date(2001, sm, sd):%d %B}"
    else:
        year_text = YEAR_MODE_TEXT.get(options.years, options.years)
    report = Report(
        options=options, ledger_name=str(name),
        generated=dt.datetime.now(dt.UTC).replace(microsecond=0),
        horizon=horizon, year_label=year_text, frame=frame, spread=spread,
        summary=pd.DataFrame(), matrix=matrix_table(frame, cur),
        by_purpose=pd.DataFrame(), by_funder=pd.DataFrame(),     # _add_tables
        by_year=by_year(spread, cur), by_status=status_table(frame, links, cur, book_paid_within(entries),
                               pledges),
        comparison=comparison_table(frame, options.compare, cur),
        funder_tree=pd.DataFrame(), purpose_tree=pd.DataFrame(),
        entries=pd.DataFrame(), sources=pd.DataFrame(),   # _add_rows
    )
    if pledges.others is not None:     # for the page's status table only
        report.extra["paid by others"] = pledges.others_by_pledge()
    report.extra["exchange"] = moved
    if ahead is None and tables:
        _add_tables(report)
    elif ahead is None:
        report.extra["tables to add"] = True
    report.rate_sources = sorted(distinct_text(frame["rate_source"]) - {"same currency"})
    report.extra["rate notes"] = valued.rate_notes
    if ahead is not None:
        report.extra["book rows"] = ahead.result()
        for attr, table in report.extra["book rows"].pop("tables").items():
            setattr(report, attr, table)
        if "files" in report.extra["book rows"]:
            report.extra["table files"] = {"sources": report.extra["book rows"].pop("files")}
    report.facts = (report.extra["book rows"]["facts"] if ahead is not None
                    else entry_facts(entries))
    report.extra["book"] = entries      # the facts' rows are its entries
    report.extra["rows to add"] = (ledger, entries, links)
    mark_projections(report)
    return report


def _pledges(ledger, entries, options: ReportOptions) -> Pledges:
    """The status table's ``Pledges`` of a report's entries."""
    return Pledges(book_pledge_funders(entries), options.depth,
                   tuple(Filters.of(options).funder), paid_by_others(ledger, entries, options))


def compare_overlap(compare: Sequence[str]) -> None:
    """Refuse ``--compare`` accounts that contain one another ("UK" and
    "UK:HO", or "UK" and "uk": accounts are named ignoring case): the
    Comparison's Total would count their money twice."""
    names = [(n, n.casefold().rstrip(":")) for n in compare]
    for i, (a, fa) in enumerate(names):
        for b, fb in names[i + 1:]:
            if fa == fb or fb.startswith(fa + ":") or fa.startswith(fb + ":"):
                inner, outer = (a, b) if len(fa) > len(fb) else (b, a)
                within = "is the same account as" if fa == fb else "is within"
                raise LedgerError(f"--compare {a!r} and {b!r} overlap ({inner!r} {within} "
                                  f"{outer!r}; accounts are named ignoring case): the "
                                  f"Comparison's Total would count that money twice; "
                                  f"compare accounts that do not contain one another")


def _check_compare(frame: pd.DataFrame, compare: Sequence[str]) -> None:
    """An unknown ``--compare`` funder would be a column of zeros: refuse it,
    naming the funders there are; overlapping ones too (``compare_overlap``)."""
    compare_overlap(compare)
    accounts = {str(a).casefold() for a in pd.unique(frame["funder"].astype(object))}
    unknown = [name for name in compare
               if not any(a == name.casefold().rstrip(":")
                          or a.startswith(name.casefold().rstrip(":") + ":") for a in accounts)]
    if unknown:
        tops = sorted({str(a).split(":")[0] for a in pd.unique(frame["funder"].astype(object))})
        raise LedgerError(f"--compare {', '.join(map(repr, unknown))}: no such funder among the "
                          f"entries reported (funders: {', '.join(tops)})")


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
    if len(links):     # adds to paid: pays another, not within an entry paid itself
        rows = links.loc[links["kind"].isin(PAYING_LINKS).to_numpy(), "entry"]
        pays[rows.to_numpy(dtype="int64")] = True
        within = book_paid_within(book)
        if within:
            pays &= ~en["id"].astype(object).isin(within).to_numpy()

    above = book_statuses_above(book)
    # whose pledge each payment pays (the page's status table): None when no one funder's
    whose = book_pledge_funders(book)
    pledge = whose.reindex(pd.Index(en["id"].astype(object))).to_numpy(dtype=object, copy=True) \
        if len(links) else np.full(n, None, dtype=object)
    several = whose.attrs.get("several") or {}
    if several and len(links):    # pledges of several funders: their set (pledge_row)
        ids = en["id"].astype(object)
        for k in np.flatnonzero(ids.isin(list(several)).to_numpy()):
            pledge[k] = several[ids.iat[k]]

    def text(col):   # missing -> ""
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
        "open_ended": np.asarray(book.open_ended(), dtype=bool), "pays": pays, "above": above,
        "pledge": pledge,
        "notes": text("notes"), "location": text("location"),
        "amount": amount,
        "currency": text("currency"), "qualifier": text("qualifier"),
        "period": text("period"),                           # in words, as Period.describe()
    }, columns=["id", "tags", "open_ended", "pays", "above", "pledge", "notes", "location",
                "amount",
                "currency", "qualifier", "period"])


def status_bits(status) -> np.ndarray:
    """Per entry: its own status as the page's bit (1 pledged, 2 committed,
    4 disbursed, 8 spent)."""
    codes = pd.Categorical(pd.Series(status).astype(object), categories=list(STATUSES)).codes
    return np.left_shift(1, np.clip(np.asarray(codes, dtype=np.int64), 0, None))


def statuses_above(en: pd.DataFrame, links: pd.DataFrame) -> np.ndarray:
    """Per entry: the statuses of the entries its links lead to, link after
    link, as bits (``status_bits``; 0 when it links nowhere in ``en``): the
    page's status filter counts a linked entry as itself when it leaves out
    every one of them (reports.filters)."""
    if not len(links):
        return np.zeros(len(en), dtype=np.int64)
    at = pd.Index(en["id"].astype(object)).get_indexer(links["target"].astype(object))
    src = links["entry"].to_numpy(dtype=np.int64)[at >= 0]
    return _above(status_bits(en["status"]), src, at[at >= 0])


def statuses_above_ids(ids, own, src, dst) -> np.ndarray:
    """``statuses_above`` from ids: every entry's id and ``status_bits``,
    the links as (entry id, target id) (a dataset's: every partition's,
    concatenated, so that a link may lead to another partition)."""
    codes, uniq = pd.factorize(np.asarray(ids, dtype=object))
    if not len(src):
        return np.zeros(len(codes), dtype=np.int64)
    bits = np.zeros(len(uniq), dtype=np.int64)   # an id repeated: the statuses of each
    np.bitwise_or.at(bits, codes, np.asarray(own, dtype=np.int64))
    index = pd.Index(uniq, dtype=object)
    s = index.get_indexer(np.asarray(src, dtype=object))
    d = index.get_indexer(np.asarray(dst, dtype=object))
    ok = (s >= 0) & (d >= 0)
    return _above(bits, s[ok], d[ok])[codes]


def _above(own: np.ndarray, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    return along_links(src, dst, np.asarray(own, dtype=np.int64))


def book_statuses_above(book) -> np.ndarray:
    """``statuses_above`` of ``book``'s entries, followed through the whole
    ledger it was selected from (statuses alone decide, as --status's
    ``reports.filters.counted_as_themselves``), 0 for an entry tagged
    not counted (never counted as itself).  On a dataset's partition,
    ``book.whole.statuses_above`` holds the dataset's (ids, bits): a link
    may lead to another partition (``reports.dataset.across``)."""
    whole = book.whole
    given = getattr(whole, "statuses_above", None)
    if given is not None:
        en = book.tables.entries
        at = pd.Index(given[0], dtype=object).get_indexer(en["id"].to_numpy(dtype=object))
        up = np.where(at >= 0, given[1][np.clip(at, 0, None)], 0) if len(given[0]) else \
            np.zeros(len(en), dtype=np.int64)
        up[np.asarray(not_counted_mask(en["tags"]), dtype=bool)] = 0
        return up
    wen = whole.tables.entries
    up = statuses_above(wen, whole.tables.links)
    up[np.asarray(not_counted_mask(wen["tags"]), dtype=bool)] = 0
    if whole is book:
        return up
    at = pd.Index(wen["id"].astype(object))
    if not at.is_unique:
        return statuses_above(book.tables.entries, book.tables.links)
    return up[at.get_indexer(book.tables.entries["id"].astype(object))]


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

