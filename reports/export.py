"""Export a ledger to other tools: hledger, beancount, CSV, Parquet.

- ``frame(book, ...)``: the normalised table (``rates.normalise.to_frame``
  columns) plus the journal fields needed to rebuild the entries
  (``amount_text``, ``entry_amount``, ``doc``/``quote``/``locator``,
  ``restated``, links, ``tags``, ``notes``...).  CSV and Parquet hold it;
  ``ledger-tool import`` reads the CSV back into the same entries.
- ``hledger(book, ...)`` / ``beancount(book, ...)``: journal text with one
  balanced transaction per entry (the funder credited, each purpose debited,
  in the entry's own currency, exactly ``Entry.postings()``), the entry's id,
  status, period, qualifier and sources as tags / metadata, each foreign
  posting's value as its ``@@`` cost (``hledger bal -B``, beancount's
  weights: ledger-tool's converted amounts), and a price directive for each
  published rate used on an entry's day (whether ``-X --value=then`` gives
  the same figures is worked out on each export, and the header says:
  ``reports.hledger_value``).

Basis ``recorded`` (the default) values each entry's amount *as recorded*
(one-off, at the entry date): the figures the double-entry postings carry,
and so the ones hledger and beancount can reproduce.  ``total`` and
``per-year`` apply the period as ``to_frame`` does (CSV/Parquet only); only
they spread amounts into years (``--years``: refused with ``recorded``).
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ledger.atomic import atomic_file, write_atomic
from ledger.book import Book, join_children
from ledger.errors import LedgerError
from ledger.text_safety import show_bidi, show_bidi_frame
from ledger.imports.cells import citations_cell
from ledger.imports.table import tags_cell
from ledger.phrases.money import format_amount_phrase
from reports import export_text as xt
from reports.hledger_value import XCheck, x_postings, x_verdict
from reports.periods import period_words
from reports.listing import FISCAL_COLUMN, fiscal_year_start
from reports.notes import horizon_said
from reports.journal_names import _bq, _digits, _tag_value, beancount_account, hledger_account
from reports.text import inert_frame
from reports.valuation import Spec, Valued, default_horizon, fiscal_start_of, value
from rates.normalise import OWN_CONVERSION

FORMATS = ("hledger", "beancount", "csv", "parquet")
BASES = ("recorded", "total", "per-year")
# journal fields added to the to_frame columns (enough to rebuild the entries)
EXTRA_COLUMNS = ["amount_text", "entry_amount", "restated", "doc", "quote", "locator",
                 "disburses", "part_of", "restates", "recipient", "location", "tags", "notes"]


# ------------------------------------------------------------------ values
def valued(book, currency: str = "GBP", valuation: str = "entry-date", basis: str = "recorded",
           years: str | None = None, horizon=None, rates=None, policy: str = "previous",
           constant=None, valued_rows: Valued | None = None):
    """The normalised table (``reports.valuation.value``); ``basis="recorded"``
    values every amount as a one-off at the entry date (the period is kept
    as text in ``period``).  ``constant``: (price index CSV, base year) for
    constant prices, each year's part deflated as every command does (needs
    ``years``).  ``valued_rows``: the command's own valuation, when it made
    one (then the other options are its)."""
    if valued_rows is None:
        valued_rows = export_value(book, "csv", currency=currency, valuation=valuation,
                                   basis=basis, years=years, horizon=horizon, rates=rates,
                                   policy=policy, constant=constant)
    return valued_rows.rows


def export_spec(*, currency: str = "GBP", valuation: str = "entry-date", basis: str = "recorded",
                years: str | None = None, horizon=None, rates=None, policy: str = "previous",
                constant=None) -> Spec:
    """The valuation ``Spec`` of an export's options, refusing the ones an
    export cannot honour."""
    if basis not in BASES:
        raise LedgerError(f"unknown basis {basis!r}; choose one of {', '.join(BASES)}")
    if constant and not years:
        raise LedgerError("export: --deflator deflates each year's part; give --basis total "
                          "--years for csv/parquet (or export --basis total to hledger, "
                          "beancount, fdp)")
    if constant and basis == "per-year":
        raise LedgerError("export: --deflator deflates each year's part of the total; it "
                          "cannot be used with --basis per-year")
    return Spec(currency=currency, valuation=valuation, basis=basis, years=years,
                horizon=horizon, rates=rates, policy=policy,
                deflator=constant[0] if constant else None,
                base_year=constant[1] if constant else None)


def export_value(book, fmt: str, *, currency: str = "GBP", valuation: str = "entry-date",
                 basis: str = "recorded", years: str | None = None, horizon=None, rates=None,
                 policy: str = "previous", constant=None) -> Valued:
    """The one valuation of an export (``reports.valuation.value``), as its
    format needs it: hledger and beancount by year part (integer money, the
    ledger's years) or as recorded (the rates of the price directives);
    fdp by year part; csv and parquet the normalised table with decimals."""
    try:
        return _export_value(book, fmt, currency=currency, valuation=valuation, basis=basis,
                             years=years, horizon=horizon, rates=rates, policy=policy,
                             constant=constant)
    except LedgerError as err:   # the valuation's own message ("horizon …") names no command
        if not str(err).startswith("export:"):
            err.args = (f"export: {err}",)
        raise


def _export_value(book, fmt: str, *, currency: str, valuation: str, basis: str, years,
                  horizon, rates, policy: str, constant) -> Valued:
    if fmt in ("hledger", "beancount", "fdp") and basis != "recorded":
        spec = export_spec(currency=currency, valuation=valuation, basis="total",
                           years=years or "calendar", horizon=horizon, rates=rates,
                           policy=policy, constant=constant)
        return value(book, spec, fast=True)
    if fmt in ("hledger", "beancount"):
        return value(book, Spec(currency=currency, valuation=valuation, basis="recorded",
                                years=None, rates=rates, policy=policy))
    if basis == "recorded" and years:
        # recorded keeps each amount whole in its date's year: a "year" column
        # that looks spread and totals that are not the report's
        raise LedgerError(f"export: --years {years} spreads amounts into years, which --basis "
                          "recorded (the csv/parquet default: each amount whole at its "
                          "date) does not; give --basis total (the report's figures) or "
                          "--basis per-year")
    spec = export_spec(currency=currency, valuation=valuation, basis=basis, years=years,
                       horizon=horizon, rates=rates, policy=policy, constant=constant)
    if basis == "per-year" and years and horizon in (None, ""):
        # "a year" with no end counts up to the ledger's horizon in each
        # year, as balance --by year counts it; the note names that horizon
        ledgers = default_horizon(book, spec)
        if ledgers is not None:
            return dataclasses.replace(value(book, Spec.of(spec, horizon=ledgers),
                                             totals=False), spec=spec)
    return value(book, spec, totals=basis != "per-year")


def frame(book, valued_rows: Valued | None = None, **options):
    """``valued(...)`` plus the journal fields of each row's entry, read from
    the Book's columns (no ``Entry`` objects)."""
    if not hasattr(book, "tables"):          # a plain list of entries
        book = Book.from_entries(book.entries if hasattr(book, "entries") else book)
    out = valued(book, valued_rows=valued_rows, **options)
    cols = _journal_columns(book.tables)
    ids = book.tables.entries["id"].astype(object).tolist()
    at = dict(zip(ids, range(len(ids))))            # id -> its row (the last, as a dict keeps)
    rows = [at[i] for i in out["id"].tolist()]
    extra = pd.DataFrame({c: [cols[c][r] for r in rows] for c in EXTRA_COLUMNS}, dtype=object)
    out["period"] = period_words(book)[rows]     # a fiscal year kept as its ledger counts it
    # the day whose rate converts the amount (rate_date is the day of the
    # rate found for it), in list --format csv's column, which import reads
    extra.insert(extra.columns.get_loc("restated") + 1, "value_date",
                 book.tables.entries["value_date"].iloc[rows].to_numpy())
    extra[FISCAL_COLUMN] = fiscal_year_start(book)      # which `import` gives a new ledger
    return pd.concat([out.reset_index(drop=True), extra], axis=1)


def _journal_columns(t) -> dict[str, list]:
    """EXTRA_COLUMNS per entry row of the Book's tables, as the entry's own
    fields write them (``ledger.book._entry_views`` reads the same cells)."""
    en, n = t.entries, len(t.entries)

    def text(series) -> list[str]:
        return ["" if v is None or v != v else str(v)
                for v in series.astype(object).where(series.notna(), None).tolist()]

    amounts = [a if isinstance(a, Decimal) else Decimal(str(a)) for a in en["amount"].tolist()]
    cur = text(en["currency"])
    out: dict[str, list] = {
        "amount_text": [w or f"{a} {c}" for w, a, c in zip(text(en["amount_text"]), amounts, cur)],
        "entry_amount": amounts,
        "restated": ["; ".join(_phrase(Decimal(a), c) for c, _, a in
                               (part.strip().partition(" ") for part in r.split(";") if part.strip()))
                     for r in text(en["restated"])],
        "recipient": text(en["recipient"]), "location": text(en["location"]),
        "tags": [_tags(tg) for tg in text(en["tags"])],
        "notes": text(en["notes"]),
    }
    ci = t.citations
    rows = ci["entry"].to_numpy(dtype=np.int64)
    for c in ("doc", "quote", "locator"):
        vals = text(ci[c])
        joined = join_children(rows, np.array(vals, dtype=object), n, "\n").to_pylist()
        # one value a line, or a JSON list where that would not read back
        # (ledger.imports.cells); the few such entries cell by cell
        odd = {int(r) for r, val in zip(rows, vals) if val != val.strip() or "\n" in val
               or "\r" in val} | {i for i, j in enumerate(joined) if j.startswith("[") or j != j.strip()}
        if odd:
            lists: dict[int, list[str]] = {i: [] for i in odd}
            for r, val in zip(rows.tolist(), vals):
                if r in lists:
                    lists[r].append(val)
            for i, got in lists.items():
                joined[i] = citations_cell(got)
        if c == "doc":
            out[c] = joined
        else:     # '' when no citation of the entry has one
            some = np.bincount(rows[[bool(v) for v in vals]], minlength=n) > 0 if len(rows) \
                else np.zeros(n, dtype=bool)
            out[c] = [j if k else "" for j, k in zip(joined, some)]
    li = t.links
    kinds, targets = text(li["kind"]), text(li["target"])
    for k in ("disburses", "part_of", "restates"):
        first: dict[int, str] = {}
        for r, kind, tg in zip(li["entry"].tolist(), kinds, targets):
            if kind == k:
                first.setdefault(r, tg)            # Entry.link: the first of that kind
        out[k] = [first.get(i, "") for i in range(n)]
    return out


def _tags(tags: str) -> str:
    """The Book's tags (joined by ';') as the export's cell: each tag as the
    listing writes it (``tags_cell``: one holding a comma or a double quote
    quoted), so the import reads it whole."""
    odd = "," in tags or '"' in tags
    return "; ".join(tags_cell(x) if odd else x for x in tags.split(";") if x)


def _phrase(amount, currency):
    return format_amount_phrase(amount, currency)


def _prices(book, currency, valuation, rates, policy, valued_rows=None):
    """(rate table rows, valued frame): one price per (date, currency) — the
    rate ledger-tool used for entries of that currency on that date."""
    if valuation not in ("entry-date",):
        try:
            fixed = dt.date.fromisoformat(str(valuation))
        except ValueError:
            raise LedgerError(f"export: hledger and beancount exports value at the entry date "
                              f"or at one fixed date (YYYY-MM-DD), not {valuation!r}") from None
    else:
        fixed = None
    if valued_rows is None:
        valued_rows = export_value(book, "hledger", currency=currency, valuation=valuation,
                                   rates=rates, policy=policy)
    v = valued_rows.rows
    foreign = v[v["currency"] != currency]
    if fixed is None:
        # an entry valued at another day's rate (its value_date, as IATI
        # gives one) prices that day, not its entry date; its postings'
        # @@ costs carry its value either way
        en = book.tables.entries
        has = en["value_date"].notna()
        value_day = dict(zip(en["id"][has].astype(str), en["value_date"][has].dt.date))
        when = pd.Series([value_day.get(i, d) for i, d in
                          zip(foreign["id"].astype(str), foreign["date"].dt.date)],
                         index=foreign.index, dtype=object)
    else:
        when = foreign["date"].map(lambda _: fixed)
    # a rate that is the entry's own restatement (a currency with no
    # published rates) is that entry's alone: its @@ cost carries it, and a
    # price directive would put it on every other entry of the day
    own = foreign["rate_source"].astype(str).str.startswith(OWN_CONVERSION).to_numpy()
    table = (foreign.assign(when=when.to_numpy())[~own][["when", "currency", "rate", "rate_date",
                                                         "rate_source", "id"]]
             .drop_duplicates(["when", "currency", "rate"]))
    clash = table.duplicated(["when", "currency"], keep=False)
    if clash.any():
        two = table[clash & (table["when"] == table[clash].iloc[0]["when"])
                    & (table["currency"] == table[clash].iloc[0]["currency"])].iloc[:2]
        en = book.tables.entries
        where = dict(zip(en["id"].astype(str), en["where"].astype(str)))
        a, b = (show_bidi(where.get(str(i)) or f"entry {str(i)!r}") for i in two["id"])
        raise LedgerError(f"export: {a} and {b}: {two.iloc[0]['currency']} on "
                          f"{two.iloc[0]['when']} valued at different rates "
                          f"({_rate(two.iloc[0]['rate'])}, {_rate(two.iloc[1]['rate'])}); a "
                          f"price directive holds one rate per day: export with --basis total "
                          f"(each posting's cost, no price directives) or --valuation YYYY-MM-DD")
    table = table.drop(columns="id")
    return table.sort_values(["when", "currency"]).reset_index(drop=True), v


def _where(book) -> str:
    """'LEDGER: ' for a message about ``book``'s entries ('' when unknown)."""
    root = getattr(book, "root", None)
    return f"{show_bidi(str(root))}: " if root else ""


def _line_values(cols, valued: pd.DataFrame) -> np.ndarray | None:
    """The recorded value (report-currency minor units) of each allocation
    line of ``cols``, from the valued rows (one per entry and purpose line,
    in the Book's order; matched by entry and purpose should the order
    differ)."""
    ids = cols.ids.take(pa.array(cols.al_entry)).to_numpy(zero_copy_only=False).astype(object)
    purposes = cols.al_purpose.to_numpy(zero_copy_only=False).astype(object)
    vid = valued["id"].astype(str).to_numpy(dtype=object)
    vpur = valued["purpose"].astype(str).to_numpy(dtype=object)
    minor = valued["value_minor"].to_numpy()
    if len(vid) == len(ids) and (vid == ids).all() and (vpur == purposes).all():
        return minor
    lines = pd.DataFrame({"i": ids, "p": purposes})
    lines["n"] = lines.groupby(["i", "p"]).cumcount()
    rows = pd.DataFrame({"i": vid, "p": vpur, "v": minor})
    rows["n"] = rows.groupby(["i", "p"]).cumcount()
    got = lines.merge(rows, on=["i", "p", "n"], how="left")["v"]
    if got.isna().any():   # a line the valuation has no row for: no cost, as before
        return None
    return got.to_numpy(dtype=np.int64)


def _rate(r) -> str:
    d = r if isinstance(r, Decimal) else Decimal(str(r))
    s = format(d.normalize(), "f")
    return s


def _header(book, fmt, years=None):
    """The export's first comment lines; ``years``: (horizon used, year mode)
    for the export by year."""
    name = book.options.get("name", "") if getattr(book, "options", None) else ""
    head = [f"generated by ledger-tool export --to {fmt}" + (f" from {name!r}" if name else "")]
    if years is None:
        head.append("one transaction per entry; amounts as recorded, in their own currency")
        tables = getattr(book, "tables", None)
        if tables is not None and tables.entries["value_date"].notna().any():
            head.append("entries with a value_date are valued at that day's rate: their @@ "
                        "costs (hledger -B, beancount's weights) carry it, a price on their "
                        "entry date does not")
        return head
    horizon, mode, constant = (tuple(years) + (None,))[:3]
    return head + [
        f"one transaction per entry and {mode} year it falls in (the report's total over each "
        f"period, pro rata by days; an amount per year is that amount in each whole year), in "
        f"the entry's own currency at the cost ledger-tool valued it at",
        (f"horizon: open-ended amounts counted up to {horizon_said(horizon, book)}" if horizon
         else "horizon: none needed (no open-ended amount)")] + (
        [f"constant prices: costs in report-currency prices of {constant[1]} (each year's part "
         f"deflated with the index in {constant[0]}; report-currency amounts are their real "
         f"values)"] if constant else [])


# ------------------------------------------------------------------ hledger
def hledger(book, currency: str = "GBP", valuation: str = "entry-date", rates=None,
            policy: str = "previous", basis: str = "total", horizon=None,
            years: str | None = None) -> str:
    """hledger journal text (see the module doc).  ``basis="total"`` (the
    default): one transaction per entry and year, as the report counts it;
    ``"recorded"``: one per entry, the amount as recorded."""
    out = io.StringIO()
    journal_text(book, "hledger", out, currency=currency, valuation=valuation, rates=rates,
                 policy=policy, basis=basis, horizon=horizon, years=years)
    return out.getvalue()


def journal_text(book, fmt: str, out, *, currency: str = "GBP", valuation: str = "entry-date",
                 rates=None, policy: str = "previous", basis: str = "total", horizon=None,
                 years: str | None = None, constant=None,
                 valued_rows: Valued | None = None) -> int:
    """Write the hledger or beancount text of ``book`` to the text stream
    ``out``, column-wise and chunk by chunk (``reports.export_text``);
    returns the number of transactions.  ``valued_rows``: the command's
    valuation (``export_value``), else made here."""
    if basis not in ("total", "recorded"):
        raise LedgerError(f"export: --to {fmt} holds the total over each period (by year) or "
                          f"the amounts as recorded; not basis {basis!r}")
    if constant and basis == "recorded":
        raise LedgerError(f"export: --to {fmt} --basis recorded converts with price "
                          f"directives, which cannot carry constant prices; --deflator applies "
                          f"to the export by year (the default)")
    cols, txns, prices, years_head = journal_parts(
        book, fmt, currency=currency, valuation=valuation, rates=rates, policy=policy,
        basis=basis, horizon=horizon, years=years, constant=constant, valued_rows=valued_rows)
    currencies = sorted(set(cols.cur_names.to_pylist()) | {currency})
    if fmt == "hledger":
        hledger_names(f"{root}:{v}" for root, col in (("Funders", cols.funder),
                                                      ("Purposes", cols.al_purpose))
                      for v in col.unique().to_pylist())
        check = x_whole([x_part(book, cols, txns, fmt, currency, valuation)], prices,
                        currency, valuation)
        head = _hledger_preamble(book, currency, currencies, prices, years_head, check)
    else:
        head = _beancount_preamble(book, currency, currencies, prices, years_head,
                                   *beancount_opens(cols, txns, prices, years_head))
    out.write(show_bidi(head))
    xt.write_body(cols, txns, out, fmt, currency)
    return txns.count


def journal_parts(book, fmt: str, *, currency: str, valuation: str, rates, policy: str,
                  basis: str, horizon, years, constant, valued_rows: Valued | None):
    """(columns, transactions, price table or None, the header's (horizon,
    years, constant) or None): what a journal's text is written from (a
    partitioned dataset's, one partition at a time: ``reports.dataset``)."""
    cols = xt._Columns(book)
    txns: xt._Recorded | xt._Txns
    if basis == "recorded":
        prices, valued = _prices(book, currency, valuation, rates, policy, valued_rows)
        txns = xt._Recorded(cols, _line_values(cols, valued))
    else:   # by year: each posting's @@ value carries its rate (see the header)
        prices = None
        if valued_rows is None:
            valued_rows = export_value(book, fmt, currency=currency, valuation=valuation,
                                       basis=basis, years=years, horizon=horizon, rates=rates,
                                       policy=policy, constant=constant)
        txns = xt._Txns(cols, valued_rows, constant=constant)
        return cols, txns, prices, (txns.used, years or "calendar", constant,
                                    fiscal_start_of(valued_rows.book, valued_rows.spec))
    return cols, txns, prices, None


def x_part(book, cols, txns, fmt: str, currency: str, valuation: str) -> pa.Table | None:
    """The postings of a recorded hledger export (a dataset's partition) as
    the header's -X advice weighs them (``reports.hledger_value``)."""
    if fmt != "hledger" or not isinstance(txns, xt._Recorded):
        return None
    return x_postings(cols, txns.line_values, currency, valuation,
                      book.tables.entries["value_date"].to_numpy())


def x_whole(parts, prices, currency: str, valuation: str) -> XCheck | None:
    """What -X gives on the export of ``parts`` (``x_part`` of each) and its
    P directives; None when a part could not be weighed."""
    if not parts or any(p is None for p in parts):
        return None
    return x_verdict(parts, prices, currency, valuation)


def _hledger_preamble(book, currency, currencies, prices, years_head,
                      check: XCheck | None = None) -> str:
    """The header comments, declarations and (as recorded) price directives;
    ``check``: what -X gives on this export (``reports.hledger_value``),
    None when it was not worked out (a dataset's export, part by part)."""
    out = ["; " + h for h in _header(book, "hledger", years_head)]
    if years_head is None:
        out.append("; converted totals: hledger bal -B  (ledger-tool's balance --basis "
                   "recorded, to the penny: add 'not:tag:^secondary$' for its total; a foreign "
                   "posting's @@ cost is its value at the rate below, rounded once per entry and shared "
                   "by its split lines)")
        out.append(_x_advice(currency, check))
    else:
        out.append("; converted totals: hledger bal -B  (the report's total: add "
                   f"'not:tag:^secondary$'; by year: {_hledger_years(book, years_head)})")
        out.append("; no P directives: a part keeps its entry's rate, which one price per day "
                   "cannot say, so -X would convert wrongly; -B uses each posting's cost")
    out.append("")
    out += _hledger_declarations(currencies)
    if prices is not None and len(prices):
        out.append(f"; the rates ledger-tool used ({currency} per unit)")
        for p in prices.itertuples():
            out.append(f"P {p.when.isoformat()} {p.currency} {_rate(p.rate)} {currency}"
                       f"  ; {_tag_value(p.rate_source)} ({str(p.rate_date)[:10]})")
        out.append("")
    return "\n".join(out)


def _x_advice(currency: str, check: XCheck | None) -> str:
    """Whether ``hledger bal -X CURRENCY --value=…`` gives our figures, as
    worked out on this export (``reports.hledger_value.x_check``)."""
    if check is None:
        return (f"; hledger bal -X {currency} --value=then was not checked against these "
                f"figures (it values each posting at the P directive on or before its date "
                f"and rounds only the sums); -B gives them")
    x = f"-X {currency} {check.option}"
    if not check.differ:
        day = "its date" if check.option == "--value=then" else check.option[8:]
        return (f"; or hledger bal {x}: the same figures, every account alone and with its "
                f"subaccounts, with or without 'not:tag:^secondary$' (worked out on this export: "
                f"each posting at the P directive on or before {day}, each sum rounded once)")
    account, theirs, ours = check.first or ("", "", "")
    n = len(check.differ)
    why = ([f"{check.other_rate} {'entry is' if check.other_rate == 1 else 'entries are'} "
            f"valued at another day's rate than -X finds on its date (a value_date)"]
           if check.other_rate else []) + (
        [f"-X leaves {', '.join(check.unconverted)} amounts unconverted (no P directive on "
         f"or before their date: an entry's own restatement is its alone)"]
        if check.unconverted else []) + (
        ["-X rounds only an account's sum, ledger-tool each entry"] if check.rounding else [])
    return (f"; not {x}, which differs here in {n} of {check.accounts} "
            f"account{'s' if check.accounts != 1 else ''}: {account} {theirs} where -B gives "
            f"{ours}; " + "; ".join(why) + "; -B uses each posting's cost")


def _hledger_years(book, years_head) -> str:
    """hledger's option for the export's years: -Y for calendar years; for
    years from another day a yearly interval on that day ('every 4/1': 1
    April to 31 March; -Y would count calendar years)."""
    mode = years_head[1]
    sm, sd = (years_head[3] if len(years_head) > 3 and years_head[3] else
              fiscal_start_of(book, Spec(years=mode)))
    if (sm, sd) == (1, 1):
        return "-Y"
    return f"-p 'every {sm}/{sd}' (-Y would count calendar years)"


def _hledger_declarations(currencies) -> list[str]:
    """The account types and each commodity's display (its minor-unit digits)."""
    out = ["account Funders      ; type: Revenue", "account Purposes     ; type: Expense", ""]
    for c in currencies:
        d = _digits(c)
        # "1,000." not "1,000": hledger reads a comma before three digits
        # and no other mark as a decimal comma (501234567,000 JPY)
        out.append(f"commodity 1,000.{'0' * d} {c}")
    out.append("")
    return out

# ------------------------------------------------------------------ beancount


def beancount(book, currency: str = "GBP", valuation: str = "entry-date", rates=None,
              policy: str = "previous", basis: str = "total", horizon=None,
              years: str | None = None) -> str:
    """beancount text (see the module doc); ``bean-check`` accepts it.
    ``basis="total"`` (the default): one transaction per entry and year part,
    foreign postings with their value as a total price (``@@``);
    ``"recorded"``: one per entry, the amount as recorded."""
    out = io.StringIO()
    journal_text(book, "beancount", out, currency=currency, valuation=valuation, rates=rates,
                 policy=policy, basis=basis, horizon=horizon, years=years)
    return out.getvalue()


def beancount_names(accounts, names: dict[str, str] | None = None) -> dict[str, str]:
    """Each account's beancount name (added to ``names``: beancount name ->
    account); two accounts that become the same name are an error."""
    return _names_apart(accounts, names, beancount_account, "beancount")


def hledger_names(accounts, names: dict[str, str] | None = None) -> dict[str, str]:
    """``beancount_names`` for the names hledger reads back."""
    return _names_apart(accounts, names, hledger_account, "hledger")


def _names_apart(accounts, names, spell, tool: str) -> dict[str, str]:
    """Every account and parent account spelt by ``spell``; two that become
    one (a parent too: its balance would take in the other's) are an error."""
    names = {} if names is None else names
    for a in accounts:
        parts = a.split(":")
        for k in range(1, len(parts) + 1):
            own = ":".join(parts[:k])
            spelt = spell(own)
            if names.setdefault(spelt, own) != own:
                raise LedgerError(f"export: accounts {names[spelt]!r} and {own!r} both become "
                                  f"{spelt!r} in {tool}; rename one of them")
    return names


def beancount_opens(cols, txns, prices, years_head):
    """(an ``open`` for every account: (beancount account, first date,
    currencies), the commodities' date): each posting's account, date and
    currency, the entries' own and the year parts'."""
    ids: dict[str, int] = {}

    def codes(arr, root):
        enc = pc.dictionary_encode(arr)
        own = np.array([ids.setdefault(f"{root}:{v}", len(ids))
                        for v in enc.dictionary.to_pylist()], dtype=np.int64)
        return own[enc.indices.to_numpy(zero_copy_only=False)] if len(own) else \
            np.zeros(0, dtype=np.int64)

    funder = codes(cols.funder, "Funders")
    cur_names = cols.cur_names.to_pylist()
    acct = [funder, codes(cols.al_purpose, "Purposes")]
    dates = [cols.dates, cols.dates[cols.al_entry]]
    curs = [cols.cur_code, cols.cur_code[cols.al_entry]]
    beancount_names(ids)
    if years_head is not None and txns.count:
        line_entry = np.repeat(txns.entry, txns.lines)
        acct += [funder[txns.entry], codes(txns.line_purpose, "Purposes")]
        dates += [txns.when, np.repeat(txns.when, txns.lines)]
        f_cur, l_cur = cols.cur_code[txns.entry], cols.cur_code[line_entry]
        if txns.f_rep.any() or txns.l_rep.any():   # postings written in the report currency
            rep = cols.code_of(txns.currency)
            if rep < 0:
                rep = len(cur_names)
                cur_names.append(txns.currency)
            f_cur, l_cur = np.where(txns.f_rep, rep, f_cur), np.where(txns.l_rep, rep, l_cur)
        curs += [f_cur, l_cur]
    all_acct, all_curs = np.concatenate(acct), np.concatenate(curs)
    days = np.concatenate(dates).astype("datetime64[D]").astype(np.int64)
    first = np.full(len(ids), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, all_acct, days)
    ncur = len(cols.cur_names) + 1
    pairs = np.unique(all_acct * ncur + all_curs)
    used: dict[int, list[str]] = {}
    for pair in pairs.tolist():
        used.setdefault(pair // ncur, []).append(cur_names[pair % ncur])
    account_of = list(ids)
    opens = sorted((beancount_account(account_of[k]), np.datetime64(int(first[k]), "D"),
                    ",".join(sorted(used[k]))) for k in used)
    whens = [cols.dates.min()] if cols.n else []
    if prices is not None and len(prices):
        whens.append(np.datetime64(min(prices["when"]), "D"))
    if years_head is not None and txns.count:
        whens.append(txns.when.min())
    start = (min(np.datetime64(w, "D") for w in whens).astype(object) if whens
             else dt.date.today())
    return opens, start


def _beancount_preamble(book, currency, currencies, prices, years_head, opens, start) -> str:
    """Options, commodities, an ``open`` for every account (its first date
    and currencies: ``beancount_opens``) and (as recorded) the prices."""
    title = (getattr(book, "options", {}) or {}).get("name", "ledger-tool export")
    out = ["; " + h for h in _header(book, "beancount", years_head)]
    out += [f"option \"title\" {_bq(title)}", f"option \"operating_currency\" \"{currency}\""]
    # beancount divides an @@ total into a per-unit price (28 digits): the
    # parts of a split then miss their total by ~1e-20, and with no amount
    # in the report currency to infer a tolerance from, bean-check refuses
    # (by year, and as recorded: foreign postings carry @@ costs in both)
    half = format(Decimal(5).scaleb(-1 - _digits(currency)), "f")
    out += ["; a split's @@ parts may differ from its total by far less than half "
            "a minor unit", f"option \"inferred_tolerance_default\" \"{currency}:{half}\""]
    out.append("")
    for c in currencies:
        out.append(f"{start.isoformat()} commodity {c}")
    out.append("")
    for bc, d, cs in opens:
        out.append(f"{d.astype(object).isoformat()} open {bc} {cs}")
    out.append("")
    for p in (prices.itertuples() if prices is not None else ()):
        out.append(f"{p.when.isoformat()} price {p.currency} {_rate(p.rate)} {currency}")
        out.append(f"  source: {_bq(p.rate_source)}")
    out.append("")
    return "\n".join(out)


# ------------------------------------------------------------------ write
def write(book, fmt: str, path: str | Path, *, currency: str = "GBP",
          valuation: str = "entry-date", basis: str = "recorded", years: str | None = None,
          horizon=None, rates=None, policy: str = "previous", constant=None,
          valued_rows: Valued | None = None) -> int:
    """Write the export atomically; returns the number of rows/transactions.
    ``valued_rows``: the command's valuation (``export_value``), else made here."""
    path = Path(path)
    if fmt in ("hledger", "beancount"):
        if basis == "recorded" and years:
            raise LedgerError(f"export: --to {fmt} --basis recorded posts one transaction per "
                              f"entry; --years applies to the export by year (the default)")
        with atomic_file(path, text=True) as out:
            return journal_text(book, fmt, out, currency=currency, valuation=valuation,
                                rates=rates, policy=policy, basis=basis, horizon=horizon,
                                years=years, constant=constant, valued_rows=valued_rows)
    if fmt not in FORMATS:
        raise LedgerError(f"export: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    table = frame(book, valued_rows, currency=currency, valuation=valuation, basis=basis,
                  years=years, horizon=horizon, rates=rates, policy=policy, constant=constant)
    if fmt == "csv":
        write_atomic(path, csv_text(table))
    else:
        table = show_bidi_frame(table)   # bidi controls in text shown, never sent
        ready = _parquet_ready(table)   # refused before the file is opened
        with atomic_file(path) as fh:
            ready.to_parquet(fh, index=False)
    return len(table)


def csv_text(table) -> str:
    """The CSV of the export's table, to a file or to stdout alike: bidi
    controls shown (``\\u202e``), text a spreadsheet would run as a formula
    made inert; other text as the ledger has it (a terminal is guarded
    where it is written to: ``ledger_tool.cli.inert_messages``)."""
    shown = inert_frame(show_bidi_frame(table))
    text = shown.to_csv(index=False, date_format="%Y-%m-%d")
    if "\r" in text:   # a cell's CR, left unquoted with "\n" line ends: a reader splits its row
        text = shown.to_csv(index=False, date_format="%Y-%m-%d", quoting=csv.QUOTE_ALL)
    return text


def _parquet_ready(table):
    """Decimal columns as exact decimal128 (money) or text (rates); the
    integer minor-unit columns stay int64, a value past it refused in one
    line (the ``value`` column holds it exactly, and CSV writes it)."""
    out = table.copy()
    for c in ("value_minor", "original_minor"):
        if c in out and out[c].dtype == object:
            m = out[c].to_numpy()
            past = [k for k, v in enumerate(m) if isinstance(v, int) and not -2**63 <= v < 2**63]
            if past:
                k = past[0]
                more = f" (and {len(past) - 1} more rows)" if len(past) > 1 else ""
                raise LedgerError(
                    f"export: entry {show_bidi(str(out['id'].iloc[k]))!r}: {c} {int(m[k])} is "
                    f"past Parquet's 64-bit integers{more}; export --to csv (exact text) or in "
                    f"a currency with larger units (--currency)")
    for c in ("amount", "entry_amount", "value", "original_value"):
        if c in out:
            vals = [Decimal(v) if v is not None else None for v in out[c]]
            scale = max((-v.as_tuple().exponent for v in vals if v is not None), default=0)
            scale = max(scale, 0)
            out[c] = pd.Series(pa.array([v.quantize(Decimal(1).scaleb(-scale)) if v is not None
                                         else None for v in vals],
                                        pa.decimal128(38, scale)).to_pandas(types_mapper=pd.ArrowDtype),
                               index=out.index)
    if "rate" in out:
        out["rate"] = out["rate"].map(lambda r: None if r is None else _rate(r)).astype(object)
    if "year" in out:
        out["year"] = out["year"].astype(str)
    return out
