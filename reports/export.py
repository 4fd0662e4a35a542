"""Export a ledger to other tools: hledger, beancount, CSV, Parquet.

- ``frame(book, ...)``: the normalised table (``rates.normalise.to_frame``
  columns) plus the journal fields needed to rebuild the entries
  (``amount_text``, ``entry_amount``, ``doc``/``quote``/``locator``,
  ``restated``, links, ``tags``, ``notes``...).  CSV and Parquet hold it;
  ``ledger-tool import`` reads the CSV back into the same entries.
- ``hledger(book, ...)`` / ``beancount(book, ...)``: journal text with one
  balanced transaction per entry (the funder credited, each purpose debited,
  in the entry's own currency, exactly ``Entry.postings()``), the entry's id,
  status, period, qualifier and sources as tags / metadata, and a price
  directive for every rate ledger-tool used, so that the tools' own
  conversions (``hledger bal -X GBP --value=then``; beancount's
  ``convert``) give ledger-tool's converted amounts.

Basis ``recorded`` (the default) values each entry's amount *as recorded*
(one-off, at the entry date): the figures the double-entry postings carry,
and so the ones hledger and beancount can reproduce.  ``total`` and
``per-year`` apply the period as ``to_frame`` does (CSV/Parquet only).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

from ledger.errors import LedgerError

FORMATS = ("hledger", "beancount", "csv", "parquet")
BASES = ("recorded", "total", "per-year")
# journal fields added to the to_frame columns (enough to rebuild the entries)
EXTRA_COLUMNS = ["amount_text", "entry_amount", "restated", "doc", "quote", "locator",
                 "disburses", "part_of", "restates", "recipient", "location", "tags", "notes"]


# ------------------------------------------------------------------ values
def valued(book, currency: str = "GBP", valuation: str = "entry-date", basis: str = "recorded",
           years: str | None = None, horizon=None, rates=None, policy: str = "previous"):
    """The normalised table; ``basis="recorded"`` values every amount as a
    one-off at the entry date (the period is kept as text in ``period``)."""
    from rates.normalise import entries_frame, normalise

    if basis not in BASES:
        raise LedgerError(f"unknown basis {basis!r}; choose one of {', '.join(BASES)}")
    root = getattr(book, "root", None)
    # a Book gives its columns; a plain list of entries is framed here
    f = book.frame() if hasattr(book, "frame") else entries_frame(book.entries)
    if basis == "recorded":
        import pandas as pd
        f = f.assign(period_kind="one-off", years=None, start=pd.NaT, end=pd.NaT,
                     fiscal_year=None)
        basis = "total"
    return normalise(f, currency=currency, valuation=valuation, basis=basis, years=years,
                     rates=rates, horizon=horizon, policy=policy, root=root)


def frame(book, **options):
    """``valued(...)`` plus the journal fields of each row's entry, read from
    the Book's columns (no ``Entry`` objects)."""
    import pandas as pd

    if not hasattr(book, "tables"):          # a plain list of entries
        from ledger.book import Book
        book = Book.from_entries(book.entries if hasattr(book, "entries") else book)
    out = valued(book, **options)
    cols = _journal_columns(book.tables)
    ids = book.tables.entries["id"].astype(object).tolist()
    at = dict(zip(ids, range(len(ids))))            # id -> its row (the last, as a dict keeps)
    rows = [at[i] for i in out["id"].tolist()]
    extra = {c: [cols[c][r] for r in rows] for c in EXTRA_COLUMNS}
    return pd.concat([out.reset_index(drop=True), pd.DataFrame(extra, dtype=object)], axis=1)


def _journal_columns(t) -> dict[str, list]:
    """EXTRA_COLUMNS per entry row of the Book's tables, as the entry's own
    fields write them (``ledger.book._entry_views`` reads the same cells)."""
    import numpy as np

    from ledger.book import join_children

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
        "tags": ["; ".join(x for x in tg.split(";") if x) for tg in text(en["tags"])],
        "notes": text(en["notes"]),
    }
    ci = t.citations
    rows = ci["entry"].to_numpy(dtype=np.int64)
    for c in ("doc", "quote", "locator"):
        vals = text(ci[c])
        joined = join_children(rows, np.array(vals, dtype=object), n, "\n").to_pylist()
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


def _phrase(amount, currency):
    from ledger.money import format_amount_phrase
    return format_amount_phrase(amount, currency)


def _prices(book, currency, valuation, rates, policy):
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
    v = valued(book, currency=currency, valuation=valuation, rates=rates, policy=policy)
    foreign = v[v["currency"] != currency]
    when = (foreign["date"].dt.date if fixed is None
            else foreign["date"].map(lambda _: fixed))
    table = (foreign.assign(when=when.to_numpy())[["when", "currency", "rate", "rate_date",
                                                   "rate_source"]]
             .drop_duplicates(["when", "currency", "rate"]))
    clash = table.duplicated(["when", "currency"], keep=False)
    if clash.any():
        row = table[clash].iloc[0]
        raise LedgerError(f"export: entries in {row['currency']} on {row['when']} were valued at "
                          f"different rates; a price directive holds one rate per day")
    return table.sort_values(["when", "currency"]).reset_index(drop=True), v


@functools.lru_cache(maxsize=None)      # once per currency, not once per posting
def _digits(code: str) -> int:
    from rates.table import currency_digits
    return currency_digits(code)


@functools.lru_cache(maxsize=None)
def _quantum(code: str) -> Decimal:
    return Decimal(1).scaleb(-_digits(code))


def _num(amount: Decimal, code: str) -> str:
    q = _quantum(code)
    return format(amount.quantize(q) if amount == amount.quantize(q) else amount, "f")


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
        return head + ["one transaction per entry; amounts as recorded, in their own currency"]
    horizon, mode = years
    return head + [
        f"one transaction per entry and {mode} year it falls in (the report's total over each "
        f"period, pro rata by days), in the entry's own currency at the cost ledger-tool "
        f"valued it at",
        (f"horizon: open-ended amounts counted up to the end of {horizon}" if horizon
         else "horizon: none needed (no open-ended amount)")]


def year_parts(book, currency="GBP", valuation="entry-date", horizon=None, years=None,
               rates=None):
    """The report's spread (``reports.tables.normalised_frames``: the same
    rows, horizon and pro-rata parts as ``ledger-tool report``) as
    transactions: [(entry, date, year label, [(purpose, original, value)])],
    the horizon used and the year mode's start (month, day)."""
    from reports.tables import ReportOptions, _fiscal_start_of, normalised_frames

    opts = ReportOptions(currency=currency, valuation=valuation, horizon=horizon,
                         years=years or "calendar", rates=rates)
    _, spread, used = normalised_frames(book, opts)
    sm, sd = _fiscal_start_of(book, opts)
    by_id = {e.id: e for e in book.entries}
    parts: dict[tuple[str, str], list] = {}
    order: list[tuple[str, str]] = []
    for r in spread.itertuples(index=False):
        key = (str(r.id), str(r.year))
        if key not in parts:
            parts[key] = []
            order.append(key)
        parts[key].append((str(r.purpose), Decimal(r.original_value), Decimal(r.value)))
    out = []
    for eid, label in order:
        e = by_id[eid]
        first = int(str(label)[:4])
        ystart = dt.date(first, sm, sd)
        start = e.period.start or e.date
        when = max(ystart, start)
        lines = [p for p in parts[(eid, label)] if p[1] or p[2]]
        if lines:
            out.append((e, when, str(label), lines))
    return out, used, (sm, sd)


# ------------------------------------------------------------------ hledger
@functools.lru_cache(maxsize=1 << 16)   # an export names the same accounts again and again
def hledger_account(account: str) -> str:
    """hledger account names: no double spaces or tabs (they end the name),
    no leading brackets (virtual postings)."""
    parts = [" ".join(p.split()).lstrip("([").rstrip(")]") or "_" for p in account.split(":")]
    return ":".join(parts)


def _tag_value(text: str) -> str:
    # a tag value ends at a comma or the line end
    t = " ".join(str(text).split())
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)
    return t.replace(",", " ;")


def _as_written(text: str) -> str:
    """The amount as written, exactly and on one line (a JSON string: quotes,
    backslashes and line breaks escaped, everything else as is)."""
    import json
    return json.dumps(text, ensure_ascii=False)


def hledger(book, currency: str = "GBP", valuation: str = "entry-date", rates=None,
            policy: str = "previous", basis: str = "total", horizon=None,
            years: str | None = None) -> str:
    """hledger journal text (see the module doc).  ``basis="total"`` (the
    default): one transaction per entry and year, as the report counts it;
    ``"recorded"``: one per entry, the amount as recorded."""
    if basis == "total":
        return _hledger_years(book, currency, valuation, rates, policy, horizon, years)
    if basis != "recorded":
        raise LedgerError(f"export: --to hledger holds the total over each period (by year) or "
                          f"the amounts as recorded; not basis {basis!r}")
    prices, _ = _prices(book, currency, valuation, rates, policy)
    currencies = sorted({e.currency for e in book.entries} | {currency})
    out = ["; " + h for h in _header(book, "hledger")]
    out.append(f"; converted totals: hledger bal -X {currency} --value=then")
    out.append("")
    out += _hledger_declarations(currencies)
    if len(prices):
        out.append(f"; the rates ledger-tool used ({currency} per unit)")
        for p in prices.itertuples():
            out.append(f"P {p.when.isoformat()} {p.currency} {_rate(p.rate)} {currency}"
                       f"  ; {_tag_value(p.rate_source)} ({str(p.rate_date)[:10]})")
        out.append("")
    for e in book.entries:
        purposes = ", ".join(s.purpose for s in e.allocations())
        out.append(f"{e.date.isoformat()} ({e.id}) {e.funder} | {purposes}".rstrip())
        out += _hledger_comments(e)
        for acct, amt, cur in e.postings():
            out.append(f"    {hledger_account(acct)}  {_num(amt, cur)} {cur}")
        out.append("")
    return "\n".join(out)



def _hledger_declarations(currencies) -> list[str]:
    """The account types and each commodity's display (its minor-unit digits)."""
    out = ["account Funders      ; type: Revenue", "account Purposes     ; type: Expense", ""]
    for c in currencies:
        d = _digits(c)
        out.append(f"commodity 1,000{'.' + '0' * d if d else ''} {c}")
    out.append("")
    return out

def _hledger_comments(e) -> list[str]:
    """The entry's tags and sources as comment lines (the first four: id,
    status, period, qualifier; an export by year puts its year tag after)."""
    tags = [("id", e.id), ("status", e.status), ("period", e.period.describe()),
            ("qualifier", e.qualifier)]
    for ln in e.links:
        tags.append((ln.kind, ln.target))
    if not e.is_primary:
        tags.append(("secondary", "counted by " + e.links[0].target))
    for t in e.tags:
        tags.append((re.sub(r"[^\w-]", "-", t), ""))
    out = [f"    ; {k}:{_tag_value(v)}" if v else f"    ; {k}:" for k, v in tags]
    # a tag value ends at a comma: the amount as written goes on its own line, exactly
    out.append(f"    ; amount as written {_as_written(e.amount_text or str(e.money))}")
    for c in e.sources:
        out.append(f"    ; source:{_tag_value(c.doc)}")
        if c.quote:
            out.append(f"    ;   “{' '.join(c.quote.split())}”")
    return out


def _hledger_years(book, currency, valuation, rates, policy, horizon, years) -> str:
    """One transaction per entry and year part, dated at the part's start;
    foreign postings carry their cost in the report currency (``@@``), the
    value ledger-tool gives that part, so ``hledger bal -B`` is the report's
    total to the penny."""
    txns, used, _ = year_parts(book, currency, valuation, horizon, years, rates)
    currencies = sorted({e.currency for e in book.entries} | {currency})
    out = ["; " + h for h in _header(book, "hledger", (used, years or "calendar"))]
    out.append("; converted totals: hledger bal -B  (the report's total: add "
               "'not:tag:secondary'; by year: -Y)")
    out.append("; no P directives: a part keeps its entry's rate, which one price per day "
               "cannot say, so -X would convert wrongly; -B uses each posting's cost")
    out.append("")
    out += _hledger_declarations(currencies)
    counts: dict[str, int] = {}
    for e, _, _, _ in txns:
        counts[e.id] = counts.get(e.id, 0) + 1
    comments: dict[str, list[str]] = {}      # an entry's comment lines, once for all its parts
    for e, when, label, lines in txns:
        purposes = ", ".join(dict.fromkeys(p for p, _, _ in lines))
        out.append(f"{when.isoformat()} ({e.id}) {e.funder} | {purposes}".rstrip())
        c = comments.get(e.id)
        if c is None:
            c = comments[e.id] = _hledger_comments(e)
        if counts[e.id] > 1 or e.period.kind != "one-off":   # the year tag after the first four
            c = c[:4] + [f"    ; year:{_tag_value(label)}"] + c[4:]
        out += c
        total_o = sum((o for _, o, _ in lines), Decimal(0))
        total_v = sum((v for _, _, v in lines), Decimal(0))
        out.append(f"    {hledger_account('Funders:' + e.funder)}  "
                   f"{_posting(-total_o, e.currency, total_v, currency)}")
        for p, o, v in lines:
            out.append(f"    {hledger_account('Purposes:' + p)}  {_posting(o, e.currency, v, currency)}")
        out.append("")
    return "\n".join(out)


def _posting(amount: Decimal, cur: str, value: Decimal, report: str, sep: str = "@@") -> str:
    text = f"{_num(amount, cur)} {cur}"
    if cur != report:
        text += f" {sep} {_num(abs(value), report)} {report}"
    return text


# ------------------------------------------------------------------ beancount
_BC_ROOTS = {"Funders": "Income:Funders", "Purposes": "Expenses:Purposes"}


def beancount_component(part: str) -> str:
    """One account component: ASCII letters, digits and '-', starting with a
    capital letter or digit ("Home Office" -> "Home-Office")."""
    t = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
    t = re.sub(r"[^A-Za-z0-9-]+", "-", t).strip("-")
    t = re.sub(r"-{2,}", "-", t)
    if not t:
        t = "X"
    return t[0].upper() + t[1:]


@functools.lru_cache(maxsize=1 << 16)
def beancount_account(account: str) -> str:
    root, _, rest = account.partition(":")
    base = _BC_ROOTS.get(root, "Equity:" + beancount_component(root))
    return ":".join([base] + [beancount_component(p) for p in rest.split(":") if p])


def _bq(text: str) -> str:
    t = " ".join(str(text).split())
    return '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _bc_word(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_./-]+", "-", text).strip("-") or "x"


def beancount(book, currency: str = "GBP", valuation: str = "entry-date", rates=None,
              policy: str = "previous", basis: str = "total", horizon=None,
              years: str | None = None) -> str:
    """beancount text (see the module doc); ``bean-check`` accepts it.
    ``basis="total"`` (the default): one transaction per entry and year part,
    foreign postings with their value as a total price (``@@``);
    ``"recorded"``: one per entry, the amount as recorded."""
    if basis not in ("total", "recorded"):
        raise LedgerError(f"export: --to beancount holds the total over each period (by year) "
                          f"or the amounts as recorded; not basis {basis!r}")
    if basis == "recorded":
        prices, _ = _prices(book, currency, valuation, rates, policy)
    else:   # by year: each posting's @@ value carries its rate (see _hledger_years)
        import pandas as pd
        prices = pd.DataFrame({"when": [], "currency": [], "rate": [], "rate_source": []})
    entries = list(book.entries)
    txns = used = None
    if basis == "total":
        txns, used, _ = year_parts(book, currency, valuation, horizon, years, rates)
    accounts: dict[str, tuple[dt.date, set]] = {}
    names: dict[str, str] = {}
    for e in entries:
        for acct, _, cur in e.postings():
            bc = beancount_account(acct)
            if names.setdefault(bc, acct) != acct:
                raise LedgerError(f"export: accounts {names[bc]!r} and {acct!r} both become "
                                  f"{bc!r} in beancount; rename one of them")
            first, curs = accounts.get(bc, (e.date, set()))
            accounts[bc] = (min(first, e.date), curs | {cur})
    # a year part may start before its entry's date (a period from 1 January)
    for e, when, _, lines in txns or ():
        for acct in ["Funders:" + e.funder] + ["Purposes:" + p for p, _, _ in lines]:
            bc = beancount_account(acct)
            first, curs = accounts.get(bc, (when, {e.currency}))
            accounts[bc] = (min(first, when), curs | {e.currency})
    currencies = sorted({e.currency for e in entries} | {currency})
    start = min([e.date for e in entries] + [p for p in prices["when"]]
                + [t[1] for t in txns or ()] or [dt.date.today()])
    title = (getattr(book, "options", {}) or {}).get("name", "ledger-tool export")
    out = ["; " + h for h in _header(book, "beancount",
                                      None if txns is None else (used, years or "calendar"))]
    out += [f"option \"title\" {_bq(title)}", f"option \"operating_currency\" \"{currency}\"", ""]
    for c in currencies:
        out.append(f"{start.isoformat()} commodity {c}")
    out.append("")
    for bc in sorted(accounts):
        first, curs = accounts[bc]
        out.append(f"{first.isoformat()} open {bc} {','.join(sorted(curs))}")
    out.append("")
    for p in prices.itertuples():
        out.append(f"{p.when.isoformat()} price {p.currency} {_rate(p.rate)} {currency}")
        out.append(f"  source: {_bq(p.rate_source)}")
    out.append("")
    if txns is not None:
        for e, when, label, lines in txns:
            out += _bc_head(e, when, ", ".join(dict.fromkeys(p for p, _, _ in lines)), label)
            total_o = sum((o for _, o, _ in lines), Decimal(0))
            total_v = sum((v for _, _, v in lines), Decimal(0))
            out.append(f"  {beancount_account('Funders:' + e.funder)}  "
                       f"{_posting(-total_o, e.currency, total_v, currency)}")
            for p, o, v in lines:
                out.append(f"  {beancount_account('Purposes:' + p)}  "
                           f"{_posting(o, e.currency, v, currency)}")
            out.append("")
        return "\n".join(out)
    for e in entries:
        purposes = ", ".join(s.purpose for s in e.allocations())
        out += _bc_head(e, e.date, purposes)
        for acct, amt, cur in e.postings():
            out.append(f"  {beancount_account(acct)}  {_num(amt, cur)} {cur}")
        out.append("")
    return "\n".join(out)


def _bc_exact(text: str) -> str:
    """A beancount string holding ``text`` exactly (line breaks included)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _bc_head(e, when, purposes: str, part: str = "") -> list[str]:
    out = []
    tags = " ".join("#" + _bc_word(t) for t in e.tags)
    links = " ".join("^" + _bc_word(x) for x in [e.id] + [ln.target for ln in e.links])
    head = f"{when.isoformat()} * {_bq(e.funder)} {_bq(purposes)}"
    out.append(" ".join(x for x in (head, tags, links) if x))
    meta = [("id", e.id), ("status", e.status), ("period", e.period.describe()),
            ("qualifier", e.qualifier)]
    if part:
        meta.append(("year", part))
    meta += [(ln.kind.replace("_", "-"), ln.target) for ln in e.links]
    if not e.is_primary:
        meta.append(("secondary", "TRUE"))
    for k, c in enumerate(e.sources, 1):
        sfx = "" if k == 1 else f"-{k}"
        meta.append((f"source{sfx}", c.doc))
        if c.quote:
            meta.append((f"quote{sfx}", c.quote))
    for k, v in meta:
        out.append(f"  {k}: {v}" if v == "TRUE" else f"  {k}: {_bq(v)}")
    out.append(f"  amount-text: {_bc_exact(e.amount_text or str(e.money))}")
    return out


# ------------------------------------------------------------------ write
def write(book, fmt: str, path: str | Path, *, currency: str = "GBP",
          valuation: str = "entry-date", basis: str = "recorded", years: str | None = None,
          horizon=None, rates=None, policy: str = "previous") -> int:
    """Write the export atomically; returns the number of rows/transactions."""
    from ledger.atomic import atomic_path, write_atomic

    path = Path(path)
    if fmt in ("hledger", "beancount"):
        if basis == "recorded" and years:
            raise LedgerError(f"export: --to {fmt} --basis recorded posts one transaction per "
                              f"entry; --years applies to the export by year (the default)")
        text = (hledger if fmt == "hledger" else beancount)(
            book, currency=currency, valuation=valuation, rates=rates, policy=policy,
            basis=basis, horizon=horizon, years=years)
        write_atomic(path, text)
        return sum(1 for line in text.splitlines() if re.match(r"\d{4}-\d\d-\d\d [(*]", line))
    if fmt not in FORMATS:
        raise LedgerError(f"export: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    table = frame(book, currency=currency, valuation=valuation, basis=basis, years=years,
                  horizon=horizon, rates=rates, policy=policy)
    if fmt == "csv":
        from reports.text import inert_frame

        write_atomic(path, inert_frame(table).to_csv(index=False, date_format="%Y-%m-%d"))
    else:
        with atomic_path(path) as tmp:
            _parquet_ready(table).to_parquet(tmp, index=False)
    return len(table)


def _parquet_ready(table):
    """Decimal columns as exact decimal128 (money) or text (rates)."""
    import pyarrow as pa
    import pandas as pd

    out = table.copy()
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
