"""The notes that go with valued figures: what was counted how, which
entries an option left out, and why (the horizon, constant prices, amounts
finer than their minor unit, linked entries).  ``valuation_notes`` is the
one wording every command prints (``balance``, ``export``: one line each);
``report_notes`` words the same facts as the report's sentences.
"""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from ledger.book import not_counted_mask
from ledger.model import NOT_COUNTED

from reports.amounts import as_said
from reports.columns import finer_than_minor
from reports.options import Report, as_book, price_base


def shown_ids(ids: list[str]) -> str:
    """Entry ids for a note: the first ten, then a count."""
    n = len(ids)
    return ", ".join(ids[:10]) + (f" and {n - 10} more" if n > 10 else "")


def _ids_where(book, mask) -> list[str]:
    return sorted(map(str, book.tables.entries["id"].to_numpy(dtype=object)[mask]))


def _named_where(book, mask) -> tuple[int, str]:
    """(how many entries ``mask`` picks, their ids for a note)."""
    ids = _ids_where(book, mask)
    return len(ids), shown_ids(ids)


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
            f" recorded but left out of every total ({said}): {shown_ids(ids)}")


def linked_note(left_out: list[str]) -> str:
    n, shown = len(left_out), shown_ids(left_out)
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
    n, shown = _named_where(book, rate)
    return (f"{n} amount{'' if n == 1 else 's'} per year {'is' if n == 1 else 'are'} added "
            f"as one year's rate, as recorded, beside the other amounts (not a total over "
            f"{'its' if n == 1 else 'their'} period): {shown}; give --currency for totals "
            f"over each period")


def rounded_note(book) -> str | None:
    """Which amounts are finer than their currency's minor unit (counted
    rounded to it, as in every command)."""
    en = book.tables.entries
    if not len(en):
        return None
    changed = finer_than_minor(en["amount"], en["currency"].to_numpy(dtype=object))
    if not changed.any():
        return None
    n, shown = _named_where(book, changed)
    return (f"{n} amount{'' if n == 1 else 's'} finer than {'its' if n == 1 else 'their'} "
            f"currency's minor unit {'is' if n == 1 else 'are'} counted rounded to it (half "
            f"up), as in every command and report: {shown}")


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
    n = len(ids)
    return (f"as-stated: {n} entr{'y' if n == 1 else 'ies'} in another currency give"
            f"{'s' if n == 1 else ''} no {cur} restatement and {'is' if n == 1 else 'are'} "
            f"valued at {'its' if n == 1 else 'their'} entry date: {shown_ids(ids)}")


def valuation_notes(book, options, horizon, spread=None, basis: str = "total") -> list[str]:
    """The notes that go with valued figures, the same in every command
    (balance, export; the report words them as sentences): amounts finer
    than their minor unit, constant prices, the horizon and why, and the
    open-ended entries a horizon leaves out (when ``spread`` is given)."""
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
    book = as_book(entries)
    en = book.tables.entries          # linked: not primary and not tagged not-counted
    linked = set(map(str, en["id"].to_numpy(dtype=object)[
        ~en["primary"].to_numpy(dtype=bool) & ~not_counted_mask(en["tags"])]))
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
    notes += projection_note(report)
    return notes


def projection_note(report: Report) -> list[str]:
    """The note on the by-year years that hold only open-ended pledges."""
    if not report.projected:
        return []
    return [f"Years after {report.last_bounded} (the last year any bounded pledge reaches) "
            f"hold only open-ended 'a year' pledges counted to the horizon: "
            f"{', '.join(report.projected)} are projections, not announced amounts."]
