"""What ``hledger bal -X CUR --value=then`` gives on the recorded hledger
export, worked out as hledger 1.25 works it, so that the export's header
advises -X exactly where it reproduces ledger-tool's figures.

hledger values each posting at the ``P`` directive of its commodity on or
before the posting's date (``--value=DATE``: that date), leaves it
unconverted when there is none, adds the products exactly and rounds only
an account's sum, half to even, to the digits its commodity directive
shows.  ledger-tool (and ``-B``, whose costs are ledger-tool's values)
rounds each line half away from zero, then adds.  ``x_check`` compares the
two for every account, alone (``--flat``) and with its subaccounts, with
and without the secondary entries (``not:tag:secondary``).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from reports import journal_names as jn

_NONE, _SAME = -1, -2    # a posting with no P directive to value it; one in CUR already


@dataclasses.dataclass(frozen=True)
class XCheck:
    option: str                    # "--value=then" or "--value=2016-06-01"
    accounts: int                  # accounts compared
    differ: list[str]              # the accounts whose -X figure is not -B's
    first: tuple[str, str, str] | None   # (account, -X figure, -B figure) of the first
    other_rate: int                # entries -X values at another day's rate than ours
    unconverted: list[str]         # currencies -X leaves unconverted somewhere
    rounding: bool                 # some account differs by the rounding alone


def x_check(cols, line_values, prices: pd.DataFrame | None, currency: str, valuation: str,
            value_dates) -> XCheck | None:
    """hledger's -X figures against ledger-tool's for the recorded export of
    ``cols`` (``export_text._Columns``): ``line_values`` each allocation
    line's value (report-currency minor units), ``prices`` the P directives
    written, ``value_dates`` each entry's value_date (NaT: none).  None when
    the lines' values are unknown."""
    part = x_postings(cols, line_values, currency, valuation, value_dates)
    return None if part is None else x_verdict([part], prices, currency, valuation)


def x_postings(cols, line_values, currency: str, valuation: str,
               value_dates) -> pa.Table | None:
    """The postings of ``cols`` as ``x_verdict`` needs them, summed by
    account, secondary or not, currency, the day -X prices them at and the
    day of the rate ledger-tool used (a dataset's partitions, each apart:
    their rows add up)."""
    if line_values is None:
        return None
    n = cols.n
    fixed = None if valuation == "entry-date" else np.datetime64(
        dt.date.fromisoformat(str(valuation)), "D")
    entry = np.r_[np.arange(n, dtype=np.int64), cols.al_entry]   # funders' postings, then lines
    lines = np.asarray(line_values, dtype=np.int64)
    funder_value = np.zeros(n, dtype=np.int64)
    np.add.at(funder_value, cols.al_entry, lines)
    vdays = np.asarray(value_dates, dtype="datetime64[D]")
    ours_day = (np.where(np.isnat(vdays), cols.dates, vdays) if fixed is None
                else np.full(n, fixed))
    funder, line = _decimals(cols.amount), _decimals(cols.al_amount)
    scale = max(funder.type.scale, line.type.scale, 0)
    amount = pa.concat_arrays([pc.negate(funder.cast(pa.decimal128(38, scale))),
                               line.cast(pa.decimal128(38, scale))])
    day = cols.dates[entry] if fixed is None else np.full(len(entry), fixed)
    our_day = ours_day[entry]
    home = cols.cur_code[entry] == cols.code_of(currency)
    day[home] = our_day[home] = np.datetime64(0, "D")   # not priced: one group per account
    f_names, f_code = _accounts(cols.funder, "Funders")
    p_names, p_code = _accounts(cols.al_purpose, "Purposes")
    table = pa.table({
        # codes while summing (names for every posting would cost their memory)
        "account": np.r_[f_code, p_code + len(f_names)],
        "secondary": (cols.linked | cols.not_counted)[entry],
        "currency": cols.cur_code[entry],
        "day": day, "our_day": our_day,
        "amount": amount,
        "ours": np.r_[-funder_value, lines],
        "entries": np.r_[np.ones(n, dtype=np.int64), np.zeros(len(lines), dtype=np.int64)]})
    out = _summed(table)
    names = pa.array(np.r_[f_names, p_names].tolist(), pa.string())
    currencies = pa.concat_arrays([cols.cur_names.cast(pa.string()), pa.array([""])])
    return out.set_column(out.column_names.index("account"), "account",
                          names.take(out["account"])) \
        .set_column(out.column_names.index("currency"), "currency",
                    currencies.take(out["currency"]))


def _decimals(values) -> pa.Array:
    """A column of amounts as an Arrow decimal array, exact."""
    arr = getattr(values.array, "_pa_array", None)
    if arr is not None and pa.types.is_decimal(arr.type):
        return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    arr = pa.array([_dec(v) for v in values.tolist()])
    return arr if pa.types.is_decimal(arr.type) else arr.cast(pa.decimal128(38, 0))   # none


_KEYS = ["account", "secondary", "currency", "day", "our_day"]


def _summed(table: pa.Table, keys=_KEYS) -> pa.Table:
    """Amounts (exact decimals), values and entries summed by ``keys``, in Arrow."""
    out = table.group_by(keys).aggregate([("amount", "sum"), ("ours", "sum"),
                                          ("entries", "sum")])
    return out.rename_columns([{"amount_sum": "amount", "ours_sum": "ours",
                                "entries_sum": "entries"}.get(c, c) for c in out.column_names])


def x_verdict(parts, prices: pd.DataFrame | None, currency: str, valuation: str) -> XCheck:
    """What ``hledger bal -X currency --value=…`` gives against ``-B`` on the
    postings ``parts`` (``x_postings``, one or many) and the P directives
    ``prices``: the accounts whose figures differ, and why."""
    with localcontext() as ctx:
        ctx.prec = 120    # products and sums exact: amounts and written rates are short
        return _verdict(parts, prices, currency, valuation)


def _verdict(parts, prices, currency: str, valuation: str) -> XCheck:
    option = "--value=then" if valuation == "entry-date" else f"--value={valuation}"
    g = _summed(pa.concat_tables(parts, promote_options="permissive")) if len(parts) > 1 \
        else parts[0]
    table = prices if prices is not None else pd.DataFrame(columns=["when", "currency", "rate"])
    table = table.sort_values(["currency", "when"], kind="stable").reset_index(drop=True)
    rates = [Decimal(_text_rate(r)) for r in table["rate"].tolist()]
    rate_key = np.array([_key(r) for r in rates] + [None], dtype=object)   # [-1]: none
    when = np.array([np.datetime64(w, "D") for w in table["when"]], dtype="datetime64[D]")
    cur = np.asarray(g["currency"].to_pylist(), dtype=object)
    day = g["day"].to_numpy().astype("datetime64[D]")
    our_day = g["our_day"].to_numpy().astype("datetime64[D]")
    # the P directive -X values each posting at, and the one ledger-tool used
    x_row = np.where(cur == currency, _SAME, _NONE).astype(np.int64)
    our_row = np.full(len(g), _NONE, dtype=np.int64)
    for c, rows in table.groupby("currency", sort=False).indices.items():
        at = cur == c
        if not at.any():
            continue
        k = np.searchsorted(when[rows], day[at], "right") - 1
        x_row[at] = np.where(k >= 0, rows[np.maximum(k, 0)], _NONE)
        k = np.minimum(np.searchsorted(when[rows], our_day[at], "left"), len(rows) - 1)
        our_row[at] = np.where(when[rows[k]] == our_day[at], rows[k], _NONE)
    other = (x_row >= 0) & ((our_row < 0) | (rate_key[np.maximum(x_row, 0)]
                                             != rate_key[our_row]))
    # accounts in name order: the account named first is the same whatever order the
    # postings came in (a journal's, a dataset's partitions')
    acct, account_names = pd.factorize(np.asarray(g["account"].to_pylist(), dtype=object),
                                       sort=True)
    other_accts = set(np.unique(acct[other]).tolist())
    entries_other = int(g["entries"].to_numpy()[other].sum())

    # one exact product per account and P directive (the day no longer matters)
    by_rate = _summed(g.select(["secondary", "currency", "amount", "ours", "entries"])
                      .append_column("a", pa.array(acct)).append_column("r", pa.array(x_row)),
                      ["a", "secondary", "currency", "r"])
    exact: dict[tuple[int, bool], Decimal] = {}
    left: dict[tuple[int, bool], dict[str, Decimal]] = {}
    ours: dict[tuple[int, bool], int] = {}
    for a, s, c, r, v, m in zip(*(by_rate[k].to_pylist() for k in
                                  ("a", "secondary", "currency", "r", "amount", "ours"))):
        key = (a, bool(s))
        ours[key] = ours.get(key, 0) + int(m)
        if r == _NONE:
            got = left.setdefault(key, {})
            got[c] = got.get(c, Decimal(0)) + v
        else:
            exact[key] = exact.get(key, Decimal(0)) + (v if r == _SAME else v * rates[r])

    quantum = Decimal(1).scaleb(-jn._digits(currency))
    digits = jn._digits(currency)
    differ: list[str] = []
    first = None
    rounding = False
    names = [str(x) for x in account_names]
    for scope in (False, True):       # without the secondary entries, then with them
        for name, sub, (theirs, unconv, mine) in _figures(names, exact, left, ours, scope):
            shown = theirs.quantize(quantum, ROUND_HALF_EVEN)
            unconv = {c: v for c, v in unconv.items() if v}
            mine_d = Decimal(mine).scaleb(-digits)
            if not unconv and shown == mine_d:
                continue
            if name not in differ:
                differ.append(name)
            if not unconv and not (sub & other_accts):
                rounding = True
            if first is None:
                text = " and ".join(([f"{shown:,f} {currency}"] if shown or not unconv
                                     else []) + [f"{v:,f} {c} unconverted"
                                                 for c, v in sorted(unconv.items())])
                first = (name + (" (secondary entries counted)" if scope else ""), text,
                         f"{mine_d:,f} {currency}")
    unconverted = sorted({c for d in left.values() for c, v in d.items() if v})
    return XCheck(option=option, accounts=len(_tree(names)), differ=differ, first=first,
                  other_rate=entries_other,
                  unconverted=unconverted, rounding=rounding)


def _accounts(values: pa.Array, root: str) -> tuple[np.ndarray, np.ndarray]:
    """(each distinct value's hledger account under ``root``, as the export
    spells it; each value's code among them)."""
    enc = values.dictionary_encode()
    spelt = np.array([jn.hledger_account(f"{root}:{v}") for v in enc.dictionary.to_pylist()],
                     dtype=object)
    return spelt, enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _tree(names: list[str]) -> dict[str, set[int]]:
    """Every account and parent account: the codes of it and its subaccounts."""
    out: dict[str, set[int]] = {}
    for code, name in enumerate(names):
        parts = name.split(":")
        for k in range(1, len(parts) + 1):
            out.setdefault(":".join(parts[:k]), set()).add(code)
    return dict(sorted(out.items()))


def _figures(names, exact, left, ours, with_secondary: bool):
    """(account, its codes, (-X exact sum, unconverted sums by currency,
    ledger-tool's minor units)): each account with postings alone, then
    every account with its subaccounts."""
    own: dict[int, tuple[Decimal, dict[str, Decimal], int]] = {}
    for code in range(len(names)):
        keys = [(code, False)] + ([(code, True)] if with_secondary else [])
        unconv: dict[str, Decimal] = {}
        for k in keys:
            for c, v in left.get(k, {}).items():
                unconv[c] = unconv.get(c, Decimal(0)) + v
        own[code] = (sum((exact.get(k, Decimal(0)) for k in keys), Decimal(0)), unconv,
                     sum(ours.get(k, 0) for k in keys))
    for code, name in enumerate(names):
        yield name, {code}, own[code]
    for name, codes in _tree(names).items():
        unconv = {}
        for code in sorted(codes):
            for c, v in own[code][1].items():
                unconv[c] = unconv.get(c, Decimal(0)) + v
        yield name, codes, (sum((own[c][0] for c in codes), Decimal(0)), unconv,
                            sum(own[c][2] for c in codes))


def _dec(v) -> Decimal:
    return v if isinstance(v, Decimal) else Decimal(str(v))


def _text_rate(r) -> str:
    """A rate as the P directive writes it (``reports.export._rate``)."""
    return format(_dec(r).normalize(), "f")


def _key(d: Decimal) -> str:
    return format(d.normalize(), "f")
