"""Account balances from the Book's columns: the double-entry view, rolled up
the account tree, as recorded (per currency) or converted into one currency.

Each entry credits ``Funders:<funder>`` with −amount and debits each
``Purposes:<purpose>`` with its share.  Entries linked to another entry
(``disburses``, ``part_of``, ``restates``) record money their target already
counts: they are left out, as in every report total (``linked_note`` says
which).  The converted balance is the report's own numbers
(``reports.valuation.value``: same rates, same spreading into years, same
horizon for open-ended amounts), so its totals equal the report's; both
roll up the account tree with ``reports.accounts.roll_up``.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import numpy as np
import pandas as pd

from ledger.book import not_counted_mask
from ledger.phrases.money import plain_decimal
from reports.accounts import roll_up
from reports.columns import to_minor_unit, to_money
from reports.valuation import Spec, value

FUNDERS, PURPOSES = "Funders", "Purposes"


def plain_figure(d) -> Decimal:
    """Without trailing zeros (the same figure whichever reader gave it)."""
    return Decimal(plain_decimal(Decimal(d)))


def left_out(book) -> list[str]:
    """Ids of the entries linked to another (not counted in totals)."""
    en = book.tables.entries
    prim = en["primary"].to_numpy(dtype=bool)
    if prim.all():
        return []
    linked = ~prim & ~not_counted_mask(en["tags"])
    return sorted(map(str, en["id"].to_numpy(dtype=object)[linked]))



def primary(book):
    """(the Book of the entries counted in totals, ids of the linked ones left
    out; ``reports.notes.not_counted_note`` names the others)."""
    prim = book.tables.entries["primary"].to_numpy(dtype=bool)
    return book.subset(prim), left_out(book)


def _sum_minor(keys: dict, minor, digits) -> dict[tuple, Decimal]:
    """Exact sums of integer minor units grouped by ``keys`` (the currency
    among them: one number of digits a group), as Decimals."""
    if not len(minor):
        return {}
    frame = pd.DataFrame({k: np.asarray(v, dtype=object) for k, v in keys.items()})
    big = float(np.abs(np.asarray(minor, dtype=np.float64)).sum()) >= 2.0 ** 62
    frame["m"] = np.asarray(minor).astype(object) if big else np.asarray(minor)
    frame["d"] = digits
    g = frame.groupby(list(keys), sort=False).agg(m=("m", "sum"), d=("d", "first"))
    return {(k if isinstance(k, tuple) else (k,)): Decimal(int(r.m)).scaleb(-int(r.d))
            for k, r in zip(g.index, g.itertuples(index=False))}


def balance_rows(book, depth: int | None = None) -> list[dict]:
    """Recorded balances per (account, currency), every parent account
    including its children, then a ``(total)`` row per currency: the sum
    over every purpose, the money counted, as ``converted``'s (the
    double-entry check stays in sight: ``Funders`` is its negative);
    primary entries only.  Each allocation counts at its currency's minor
    unit (as the report counts it), and a funder's side is the sum of its
    entries' allocations, so the ledger still sums to zero per currency."""
    en, al = book.tables.entries, book.tables.allocations
    cur = en["currency"].to_numpy(dtype=object)
    entry = al["entry"].to_numpy()
    minor, digits, _ = to_minor_unit(al["amount"], cur[entry])
    leaf: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (f, c), v in _sum_minor({"f": en["funder"].to_numpy(dtype=object)[entry],
                                 "c": cur[entry]}, minor, digits).items():
        leaf[(f"{FUNDERS}:{f}", c)] -= v
    for (p, c), v in _sum_minor({"p": al["purpose"].to_numpy(dtype=object),
                                 "c": cur[entry]}, minor, digits).items():
        leaf[(f"{PURPOSES}:{p}", c)] += v
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (a, c), v in leaf.items():
        if a.startswith(f"{PURPOSES}:"):
            totals[c] += v
    out = roll_up(leaf, depth)
    rows = [{"account": a, "currency": c, "amount": plain_figure(v)}
            for (a, c), v in sorted(out.items())]
    rows += [{"account": "(total)", "currency": c, "amount": plain_figure(v)}
             for c, v in sorted(totals.items())]
    return rows


def _codes(col, keep) -> tuple:
    """(int64 codes of the rows where ``keep``, the distinct values as str):
    a Categorical's own codes, else factorised once."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy()[keep].astype(np.int64)
        return codes, [str(c) for c in col.cat.categories]
    codes, uniq = pd.factorize(col.astype(object).to_numpy()[keep])
    return codes.astype(np.int64), [str(u) for u in uniq]


def converted(book, options, by: str | None = None, depth: int | None = None,
              recorded: bool = False):
    """Balances converted into ``options.currency``: (rows, report notes);
    ``converted_valued`` gives the valuation instead of its notes."""
    rows, valued = converted_valued(book, options, by, depth, recorded)
    return rows, valued.notes


def converted_valued(book, options, by: str | None = None, depth: int | None = None,
                     recorded: bool = False):
    """Balances converted into ``options.currency``: (rows, the valuation).

    Rows: account, [year,] amount, currency; funder accounts negative,
    purpose accounts positive (double entry), parents include children;
    then ``(total)``: the sum over every purpose, equal to the report's
    total.  ``by``: None, ``year`` (calendar) or ``fiscal-year`` (the
    report's years option decides the fiscal start).  ``recorded``: amounts
    as recorded, each once at its entry date (hledger's and ledger-cli's
    basis for an export) instead of the total over each period."""
    valued = value(book, Spec.of(options, basis="recorded" if recorded else "total"),
                   fast=True, by_year=by is not None)
    spread = valued.spread
    cur = options.currency.upper()
    keep = spread["primary"].to_numpy(dtype=bool)
    minor = spread["value_minor"].to_numpy()[keep]
    if minor.dtype != object and len(minor) and \
            int(np.abs(minor).max()) >= (2**63 - 1) // len(minor):
        minor = minor.astype(object)   # a sum could pass 64 bits: Python ints
    ycodes, ynames = (_codes(spread["year"].astype(str), keep) if by else
                      (np.zeros(int(keep.sum()), dtype=np.int64), [""]))
    leaf: dict[tuple[str, str], int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for side, root, sign in (("funder", FUNDERS, -1), ("purpose", PURPOSES, 1)):
        codes, names = _codes(spread[side], keep)
        key = codes * len(ynames) + ycodes
        key[codes < 0] = -1   # no account (the readers allow none): not grouped, as before
        g = pd.Series(minor).groupby(key, sort=False).sum()
        g = g[g.index >= 0]
        for k, v in g.items():
            acct, y = names[k // len(ynames)], ynames[k % len(ynames)]
            v = int(v) * sign
            if side == "purpose":
                total[y] += v
            leaf[(f"{root}:{acct}", y)] += v
    out = roll_up(leaf, depth)
    rows = []
    for (a, y), v in sorted(out.items()):
        rows.append({"account": a, **({"year": y} if by else {}),
                     "amount": to_money(v, cur), "currency": cur})
    for y, v in sorted(total.items()):
        rows.append({"account": "(total)", **({"year": y} if by else {}),
                     "amount": to_money(v, cur), "currency": cur})
    return rows, valued
