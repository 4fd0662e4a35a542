"""Account balances from the Book's columns: the double-entry view, rolled up
the account tree, as recorded (per currency) or converted into one currency.

Each entry credits ``Funders:<funder>`` with −amount and debits each
``Purposes:<purpose>`` with its share.  Entries linked to another entry
(``disburses``, ``part_of``, ``restates``) record money their target already
counts: they are left out, as in every report total (``linked_note`` says
which).  The converted balance is the report's own numbers
(``reports.tables.normalised_frames``: same rates, same spreading into years,
same horizon for open-ended amounts), so its totals equal the report's.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import numpy as np
import pandas as pd

from ledger.book import not_counted_mask
from ledger.model import NOT_COUNTED

FUNDERS, PURPOSES = "Funders", "Purposes"


def _parents(account: str) -> list[str]:
    parts = account.split(":")
    return [":".join(parts[: i + 1]) for i in range(len(parts))]


def _plain(d) -> Decimal:
    """Without trailing zeros (the same figure whichever reader gave it)."""
    from ledger.phrases.money import plain_decimal
    return Decimal(plain_decimal(Decimal(d)))


def left_out(book) -> list[str]:
    """Ids of the entries linked to another (not counted in totals)."""
    en = book.tables.entries
    prim = en["primary"].to_numpy(dtype=bool)
    if prim.all():
        return []
    linked = ~prim & ~not_counted_mask(en["tags"])
    return sorted(map(str, en["id"].to_numpy(dtype=object)[linked]))


def not_counted_note(book) -> str | None:
    """How many entries are recorded but tagged ``not-counted`` (left out of
    every total), by the reason each one's ``not-counted-REASON`` tag gives."""
    en = book.tables.entries
    out = not_counted_mask(en["tags"])
    if not out.any():
        return None
    ids = sorted(map(str, en["id"].to_numpy(dtype=object)[out]))
    why: dict[str, int] = defaultdict(int)
    for tags in en["tags"].to_numpy(dtype=object)[out]:
        reasons = [t[len(NOT_COUNTED) + 1:] for t in str(tags).split(";")
                   if t.startswith(NOT_COUNTED + "-")]
        why[", ".join(reasons) or "no reason given"] += 1
    n = len(ids)
    said = "; ".join(f"{k}: {v:,}" for k, v in sorted(why.items()))
    return (f"{n:,} entr{'y' if n == 1 else 'ies'} tagged {NOT_COUNTED} {'is' if n == 1 else 'are'}"
            f" recorded but left out of every total ({said}): {_shown(ids)}")


def primary(book):
    """(the Book of the entries counted in totals, ids of the linked ones left
    out; ``not_counted_note`` names the others)."""
    prim = book.tables.entries["primary"].to_numpy(dtype=bool)
    return book.subset(prim), left_out(book)


def _shown(ids: list[str]) -> str:
    """Entry ids for a note: the first ten, then a count."""
    n = len(ids)
    return ", ".join(ids[:10]) + (f" and {n - 10} more" if n > 10 else "")


def _ids_where(book, mask) -> list[str]:
    return sorted(map(str, book.tables.entries["id"].to_numpy(dtype=object)[mask]))


def linked_note(left_out: list[str]) -> str:
    n, shown = len(left_out), _shown(left_out)
    return (f"{n} linked entr{'y' if n == 1 else 'ies'} (disburses, part_of, restates) "
            f"not added on top of {'its target' if n == 1 else 'their targets'}: {shown}")


def rates_note(book) -> str | None:
    """A recorded balance adds each amount as written; an amount per year is
    one year's rate, not a total: say which entries are added that way."""
    en = book.tables.entries
    rate = (en["period_kind"].astype(object) == "per-year").to_numpy(dtype=bool) \
        & en["primary"].to_numpy(dtype=bool)
    if not rate.any():
        return None
    ids = _ids_where(book, rate)
    n, shown = len(ids), _shown(ids)
    return (f"{n} amount{'' if n == 1 else 's'} per year {'is' if n == 1 else 'are'} added "
            f"as one year's rate, as recorded, beside the other amounts (not a total over "
            f"{'its' if n == 1 else 'their'} period): {shown}; give --currency for totals "
            f"over each period")


def to_minor_unit(amounts, currencies):
    """(each amount in integer minor units of its currency, rounded half up
    as every valued figure is (``rates.normalise``), the digits of each, a
    bool per row: rounding changed it).  So a recorded balance sums what the
    report and the exports sum: 1,000 x £0.004 is £0.00 everywhere, and said."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from rates._minor import minor_units, to_decimal_array
    from rates.table import currency_digits

    dec = to_decimal_array(amounts)
    cur = np.asarray(currencies, dtype=object).astype(str)
    uniq, inv = np.unique(cur, return_inverse=True)
    digits = np.array([currency_digits(u) for u in uniq], dtype=np.int64)[inv.reshape(-1)]
    changed = np.zeros(len(dec), dtype=bool)
    for k in np.unique(digits):
        m = digits == k
        part = dec.filter(pa.array(m))
        changed[m] = pc.not_equal(pc.round(part, ndigits=int(k), round_mode="half_up"),
                                  part).to_numpy(zero_copy_only=False)
    return minor_units(dec, digits), digits, changed


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


def rounded_note(book) -> str | None:
    """Which amounts are finer than their currency's minor unit (counted
    rounded to it, as in every command)."""
    en = book.tables.entries
    if not len(en):
        return None
    _, _, changed = to_minor_unit(en["amount"], en["currency"].to_numpy(dtype=object))
    if not changed.any():
        return None
    ids = _ids_where(book, changed)
    n, shown = len(ids), _shown(ids)
    return (f"{n} amount{'' if n == 1 else 's'} finer than {'its' if n == 1 else 'their'} "
            f"currency's minor unit {'is' if n == 1 else 'are'} counted rounded to it (half "
            f"up), as in every command and report: {shown}")


def balance_rows(book, depth: int | None = None) -> list[dict]:
    """Recorded balances per (account, currency), every parent account
    including its children, then a ``(total)`` row per currency; primary
    entries only.  Each allocation counts at its currency's minor unit (as
    the report counts it), and a funder's side is the sum of its entries'
    allocations, so the ledger still sums to zero per currency."""
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
    out: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for (acct, c), v in leaf.items():
        totals[c] += v
        for a in _parents(acct):
            if depth is None or a.count(":") < depth:
                out[(a, c)] += v
    rows = [{"account": a, "currency": c, "amount": _plain(v)}
            for (a, c), v in sorted(out.items())]
    rows += [{"account": "(total)", "currency": c, "amount": _plain(v)}
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
    """Balances converted into ``options.currency``: (rows, report notes).

    Rows: account, [year,] amount, currency; funder accounts negative,
    purpose accounts positive (double entry), parents include children;
    then ``(total)``: the sum over every purpose, equal to the report's
    total.  ``by``: None, ``year`` (calendar) or ``fiscal-year`` (the
    report's years option decides the fiscal start).  ``recorded``: amounts
    as recorded, each once at its entry date (hledger's and ledger-cli's
    basis for an export) instead of the total over each period."""
    from reports.tables import spread_frame, to_money, valuation_notes

    spread, horizon = spread_frame(book, options, book, fast=True, recorded=recorded,
                                   spread=by is not None)
    cur = options.currency.upper()
    keep = spread["primary"].to_numpy(dtype=bool)
    minor = spread["value_minor"].to_numpy()[keep]
    if minor.dtype != object and len(minor) and \
            int(np.abs(minor).max()) >= (2**63 - 1) // len(minor):
        minor = minor.astype(object)   # a sum could pass 64 bits: Python ints
    ycodes, ynames = (_codes(spread["year"].astype(str), keep) if by else
                      (np.zeros(int(keep.sum()), dtype=np.int64), [""]))
    out: dict[tuple[str, str], int] = defaultdict(int)
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
            for a in _parents(f"{root}:{acct}"):
                if depth is None or a.count(":") < depth:
                    out[(a, y)] += v
    rows = []
    for (a, y), v in sorted(out.items()):
        rows.append({"account": a, **({"year": y} if by else {}),
                     "amount": to_money(v, cur), "currency": cur})
    for y, v in sorted(total.items()):
        rows.append({"account": "(total)", **({"year": y} if by else {}),
                     "amount": to_money(v, cur), "currency": cur})
    return rows, valuation_notes(book, options, horizon, spread,
                                 "recorded" if recorded else options.basis)
