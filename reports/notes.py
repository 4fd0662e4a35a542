"""The notes that go with valued figures: what was counted how, which
entries an option left out, and why (the horizon, constant prices, amounts
finer than their minor unit, linked entries).  ``valuation_notes`` is the
one wording every command prints (``balance``, ``export``: one line each);
``report_notes`` words the same facts as the report's sentences.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from ledger.book import not_counted_mask
from ledger.model import NOT_COUNTED
from ledger.phrases.money import ALWAYS_PUBLISHED
from rates.normalise import RESTATED, horizon_words
from rates.table import LEDGER_RATES_FILE, load_rates

from reports.amounts import as_said
from reports.columns import finer_than_minor
from reports.options import Report, as_book, price_base


SHOWN_IDS = 10   # entry ids a one-line note names before "and N more"


def shown_ids(ids: list[str], n: int | None = None) -> str:
    """Entry ids for a note: the first ten, then a count (``n``: how many
    there are in all when ``ids`` holds only the first of them)."""
    n = len(ids) if n is None else n
    return ", ".join(ids[:SHOWN_IDS]) + (f" and {n - SHOWN_IDS} more" if n > SHOWN_IDS else "")


def _ids_where(book, mask) -> list[str]:
    return sorted(map(str, book.tables.entries["id"].to_numpy(dtype=object)[mask]))


def not_counted_note(book) -> str | None:
    """How many entries are recorded but tagged ``not-counted`` (left out of
    every total), by the reason each one's ``not-counted-REASON`` tag gives."""
    ids, why = not_counted_facts(book)
    return not_counted_said(len(ids), ids, why) if ids else None


def not_counted_facts(book) -> tuple[list[str], dict[str, int]]:
    """(the sorted ids of the entries tagged ``not-counted``, how many give
    each reason)."""
    en = book.tables.entries
    out = not_counted_mask(en["tags"])
    why: dict[str, int] = defaultdict(int)
    if not out.any():
        return [], why
    ids = sorted(map(str, en["id"].to_numpy(dtype=object)[out]))
    for tags in en["tags"].to_numpy(dtype=object)[out]:
        reasons = [t[len(NOT_COUNTED) + 1:] for t in str(tags).split(";")
                   if t.startswith(NOT_COUNTED + "-")]
        why[", ".join(reasons) or "no reason given"] += 1
    return ids, why


def not_counted_said(n: int, ids: list[str], why: dict[str, int]) -> str:
    said = "; ".join(f"{k}: {v:,}" for k, v in sorted(why.items()))
    return (f"{n:,} entr{'y' if n == 1 else 'ies'} tagged {NOT_COUNTED} {'is' if n == 1 else 'are'}"
            f" recorded but left out of every total ({said}): {shown_ids(ids, n)}")


def linked_note(left_out: list[str]) -> str:
    n, shown = len(left_out), shown_ids(left_out)
    return (f"{n} linked entr{'y' if n == 1 else 'ies'} (disburses, part_of, restates) "
            f"not added on top of {'its target' if n == 1 else 'their targets'}: {shown}")


def rates_note(book) -> str | None:
    """A recorded balance adds each amount as written; an amount per year is
    one year's rate, not a total: say which entries are added that way."""
    ids = rates_ids(book)
    return rates_said(len(ids), ids) if ids else None


def rates_ids(book) -> list[str]:
    """The sorted ids of the counted entries with an amount per year."""
    en = book.tables.entries
    rate = (en["period_kind"].astype(object) == "per-year").to_numpy(dtype=bool) \
        & en["primary"].to_numpy(dtype=bool)
    return _ids_where(book, rate) if rate.any() else []


def rates_said(n: int, ids: list[str]) -> str:
    return (f"{n} amount{'' if n == 1 else 's'} per year {'is' if n == 1 else 'are'} added "
            f"as one year's rate, as recorded, beside the other amounts (not a total over "
            f"{'its' if n == 1 else 'their'} period): {shown_ids(ids, n)}; give --currency "
            f"for totals over each period")


def _stamp(root) -> tuple | None:
    """What says the ledger's rates.csv is the one already read."""
    try:
        st = (Path(root) / LEDGER_RATES_FILE).stat()
    except (OSError, TypeError):
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


@functools.lru_cache(maxsize=4)
def _ledger_rates(root, stamp):
    """The ledger's rate table, read once while its rates.csv is unchanged
    (a dataset's partitions each ask for it)."""
    return load_rates(root=root)


def restated_facts(book, codes: set[str]) -> tuple[dict[str, tuple[int, list[str]]], list[str]]:
    """Of the entries in ``codes`` (currencies), those in a currency with no
    published exchange rates (the ECB's nor the ledger's rates.csv):
    ({currency: (how many a conversion values by their own restatement, the
    first ``SHOWN_IDS`` in the ledger's order)}, warnings for those it
    cannot convert at all)."""
    if codes <= ALWAYS_PUBLISHED:   # no rate table to read
        return {}, []
    root = book.root if book.root is None or book.root.is_dir() else book.root.parent
    try:
        table = _ledger_rates(root, _stamp(root))
    except Exception:   # noqa: BLE001 - a broken rates.csv is report's to word
        return {}, []
    lacking = sorted(c for c in codes if table.stated_only(c))
    if not lacking:
        return {}, []
    frame = book.frame(["id", "currency", "restated", "where"])
    stated_ids, warns = {}, []
    for c in lacking:
        rows = frame[frame["currency"].astype(str) == c].drop_duplicates("id")
        stated = np.array([bool(RESTATED.search(str(t or ""))) for t in rows["restated"]],
                          dtype=bool)
        ids = rows["id"].astype(str).to_numpy()
        if stated.any():
            stated_ids[c] = (int(stated.sum()), list(ids[stated][:SHOWN_IDS]))
        for where, eid in zip(rows["where"].astype(str).to_numpy()[~stated], ids[~stated]):
            named = where if f"{eid!r}" in where else f"{where}: entry {eid!r}"
            warns.append(f"{named}: warning: no exchange rates for {c} and no "
                         f"restated amount: reports in another currency cannot convert it "
                         f"(give its rates in the ledger's rates.csv, or a restated amount)")
    return stated_ids, warns


def restated_said(stated: dict[str, tuple[int, list[str]]]) -> list[str]:
    """``restated_facts``' notes on the entries valued by their own restatement."""
    return [f"{n} entr{'y' if n == 1 else 'ies'} in {c}, a currency with no published "
            f"exchange rates: converted by {'its' if n == 1 else 'their'} own restated "
            f"amount (the source's conversion): {shown_ids(ids, n)}"
            for c, (n, ids) in sorted(stated.items())]


def merged_restated(parts) -> dict[str, tuple[int, list[str]]]:
    """``restated_facts``' first part of parts of one ledger that share no
    entry, as that of the whole (ids in the parts' order)."""
    out: dict[str, tuple[int, list[str]]] = {}
    for part in parts:
        for c, (n, ids) in part.items():
            had_n, had = out.get(c, (0, []))
            out[c] = (had_n + n, (had + ids)[:SHOWN_IDS])
    return out


def rounded_note(book) -> str | None:
    """Which amounts are finer than their currency's minor unit (counted
    rounded to it, as in every command)."""
    ids = rounded_ids(book)
    return rounded_said(len(ids), ids) if ids else None


def rounded_ids(book) -> list[str]:
    en = book.tables.entries
    if not len(en):
        return []
    return _ids_where(book, finer_than_minor(en["amount"], en["currency"].to_numpy(dtype=object)))


def rounded_said(n: int, ids: list[str]) -> str:
    shown = shown_ids(ids, n)
    return (f"{n} amount{'' if n == 1 else 's'} finer than {'its' if n == 1 else 'their'} "
            f"currency's minor unit {'is' if n == 1 else 'are'} counted rounded to it (half "
            f"up), as in every command and report: {shown}")


def deflator_note(options) -> str:
    return (f"constant prices: amounts are{price_base(options)} (each calendar year's part "
            f"x the index of {options.base_year} / the index of that calendar year, from "
            f"{options.deflator}; a fiscal year adds up the deflated parts of the calendar "
            f"years it spans)")


def unstated_note(book, options) -> str | None:
    """With ``--valuation as-stated``: the entries in another currency that
    give no restatement in the report currency, valued at their entry date
    instead (said, never silent)."""
    ids = unstated_ids(book, options)
    return unstated_said(len(ids), ids, options) if ids else None


def unstated_ids(book, options) -> list[str]:
    if options.valuation != "as-stated" or not len(book):
        return []
    cur = options.currency.upper()
    f = book.frame(["id", "currency", "restated"])
    other = f["currency"].astype(str).str.strip().str.upper().to_numpy() != cur
    stated = f["restated"].fillna("").astype(str).str.contains(
        rf"(?:^|[;,])\s*{cur}\s", regex=True).to_numpy()
    return sorted(set(f["id"].astype(str).to_numpy()[other & ~stated]))


def unstated_said(n: int, ids: list[str], options) -> str:
    cur = options.currency.upper()
    return (f"as-stated: {n} entr{'y' if n == 1 else 'ies'} in another currency give"
            f"{'s' if n == 1 else ''} no {cur} restatement and {'is' if n == 1 else 'are'} "
            f"valued at {'its' if n == 1 else 'their'} entry date: {shown_ids(ids, n)}")


def valuation_notes(book, options, horizon, spread=None, basis: str = "total",
                    rate_notes=()) -> list[str]:
    """The notes that go with valued figures, the same in every command
    (balance, export; the report words them as sentences): amounts finer
    than their minor unit, constant prices, the horizon and why, the
    open-ended entries a horizon leaves out (when ``spread`` is given), and
    what the valuation said of its rates (``rate_notes``)."""
    return valuation_said(valuation_facts(book, options, horizon, spread, rate_notes),
                          options, basis)


def valuation_facts(book, options, horizon, spread=None, rate_notes=()) -> dict:
    """What ``valuation_notes`` says of the entries: the rounded and
    unstated ids as (how many, the first ``NOTE_IDS``), the horizon used,
    the open-ended ids it leaves out; parts of a ledger that share no entry
    are added up by ``reports.dataset`` and worded by ``valuation_said``."""
    dropped: list[str] = []
    if horizon and spread is not None:   # only open-ended entries can be dropped by a horizon
        open_ids = book.tables.entries["id"].to_numpy(dtype=object)[book.open_ended()]
        open_rows = spread[spread["id"].isin(set(open_ids)).to_numpy()]
        dropped = dropped_ids(book, open_rows, horizon)
    return {"rounded": _first(rounded_ids(book)), "unstated": _first(unstated_ids(book, options)),
            "horizon": horizon, "horizon_said": horizon_said(horizon, book), "dropped": dropped,
            "rate_notes": sorted(set(rate_notes))}


def horizon_said(horizon, entries=None) -> str:
    """Where the horizon ends: "the end of 2017" (31 December), or for the
    ledger's fiscal year its date, "31 March 2018, the end of the ledger's
    fiscal year 2017-18": a fiscal label alone does not say whose fiscal
    year (--years may group in others).  The one wording of the notes, the
    page, the hledger/beancount header and the Fiscal Data Package;
    ``entries``: the ledger (its fiscal_year_start; None: 1 April)."""
    if not horizon:
        return ""
    if str(horizon).strip().isdigit():
        return f"the end of {str(horizon).strip()}"
    start = (as_book(entries).options or {}).get("fiscal_year_start") \
        if entries is not None else None
    return (f"{horizon_words(horizon, start)}, the end of the ledger's fiscal year "
            f"{str(horizon).strip()}")


def report_horizon(report: Report) -> str:
    """The report's horizon as its notes say it (``horizon_said``): "" when
    it counts no open-ended amount."""
    if not report.horizon:
        return ""
    return report.extra.get("horizon said") or horizon_said(report.horizon,
                                                            report.extra.get("book"))


def valuation_said(facts: dict, options, basis: str = "total") -> list[str]:
    """``valuation_facts`` as the notes (``options``: the command's, its
    --horizon as given)."""
    notes = []
    if facts["rounded"][0]:
        notes.append(rounded_said(*facts["rounded"]))
    n_unstated, unstated = facts["unstated"]
    if n_unstated:
        notes.append(unstated_said(n_unstated, unstated, options))
    if getattr(options, "deflator", None):
        notes.append(deflator_note(options))
    horizon = facts["horizon"]
    if horizon:
        said = facts.get("horizon_said") or horizon_said(horizon)
        notes.append(f"open-ended amounts per year are counted up to {said} "
                     f"({horizon_reason(options.horizon)})")
        notes += [w.removeprefix("Warning: ") for w in
                  dropped_said(facts["dropped"], horizon, basis)]
    return notes + list(facts.get("rate_notes", ()))


def horizon_reason(given) -> str:
    """Why the horizon is what it is, for every command's note (``given``:
    the --horizon option, None or "" when not given)."""
    if given not in (None, ""):
        return "given with --horizon"
    return ("the ledger's horizon: the last calendar year any bounded entry of the whole "
            "ledger reaches, or its latest entry's year if later, whatever the filters and "
            "--years; give --horizon to change it")


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
    return dropped_said(dropped_ids(entries, spread, horizon), horizon, basis)


def dropped_ids(entries, spread: pd.DataFrame, horizon) -> list[str]:
    """The sorted ids of the open-ended entries the horizon leaves out."""
    if horizon is None:
        return []
    open_ids = set(_open_ended_ids(entries))
    if not open_ids:
        return []
    # counted: a row with a value (amounts are positive; a row the horizon
    # drops is either absent, when spread into years, or worth nothing)
    ids = spread["id"]
    rows = (spread["value_minor"].to_numpy() != 0) & ids.isin(open_ids).to_numpy()
    counted = set(ids[rows].astype(str))
    return sorted(open_ids - counted)


def dropped_said(gone: list[str], horizon, basis: str = "total") -> list[str]:
    if not gone:
        return []
    return [f"Warning: the horizon {horizon} ends before {len(gone)} open-ended "
            f"entr{'y' if len(gone) == 1 else 'ies'} start, so "
            f"{'every total leaves' if basis == 'total' else 'the by-year table leaves'} "
            f"{'it' if len(gone) == 1 else 'them'} out: {', '.join(gone)} "
            f"(give a later --horizon)."]


NOTE_IDS = 20   # entry ids a note names before "and N more"


def _named(ids, n: int | None = None, listed: str | None = None) -> str:
    """Entry ids for a note: all of a few, else the first ``NOTE_IDS`` and a
    count (a note naming 50,000 ids is read by no one; the tables list them);
    ``n``: how many there are in all when ``ids`` holds only the first;
    ``listed``: where every entry is listed, when not in the report's
    entries.csv (a dataset's report writes none)."""
    ids = list(ids)
    n = len(ids) if n is None else n
    if n <= NOTE_IDS:
        return ", ".join(ids)
    where = (f"the full list: {listed}" if listed
             else "the Entries table and entries.csv list every one")
    return ", ".join(ids[:NOTE_IDS]) + f" and {n - NOTE_IDS:,} more ({where})"


SAID_IDS = 10   # entries not exact a note says as written ("about £3m a year") when no more


def _first(ids: list[str]) -> tuple[int, list[str]]:
    """(how many, the first ``NOTE_IDS``): all a note says of a list of ids."""
    return len(ids), ids[:NOTE_IDS]


def book_note_facts(entries, options) -> dict:
    """The part of ``note_facts`` read from the Book alone (no valuation),
    so that it can be worked out beside the valuation: the linked ids (not
    primary, not tagged not-counted), the not-counted ids and why, the
    open-ended, rounded and unstated ids."""
    book = as_book(entries)
    en = book.tables.entries
    linked = set(map(str, en["id"].to_numpy(dtype=object)[
        ~en["primary"].to_numpy(dtype=bool) & ~not_counted_mask(en["tags"])]))
    return {"linked": linked, "not_counted": not_counted_facts(book),
            "open": _open_ended_ids(entries), "rounded": rounded_ids(book),
            "unstated": unstated_ids(book, options)}


def note_facts(report: Report, entries, book_facts: dict | None = None) -> dict:
    """What the report's notes say of its entries, each list of ids as
    (how many, the first ``NOTE_IDS``): linked, not counted (and why),
    open-ended, not exact (by qualifier, in the frame's order; each as said
    when at most ten entries are), finer than their minor unit, unstated.
    ``book_facts``: ``book_note_facts(entries, report.options)`` when
    already worked out.  ``merged_facts`` adds up those of several parts of
    a ledger; ``worded_notes`` words them."""
    if book_facts is None:
        book_facts = book_note_facts(entries, report.options)
    linked = book_facts["linked"]
    uncounted, why = book_facts["not_counted"]
    q_col = report.frame["qualifier"]
    inexact = (q_col != "exact") if isinstance(q_col.dtype, pd.CategoricalDtype) else \
        (q_col.astype(str) != "exact")
    # one row per entry and qualifier before any text is made (a year's rows repeat them)
    quals = report.frame.loc[inexact.to_numpy(dtype=bool), ["id", "qualifier"]].drop_duplicates()
    quals = pd.DataFrame({"id": quals["id"].astype(str).to_numpy(),
                          "qualifier": quals["qualifier"].astype(str).to_numpy()})
    n_quals = quals["id"].nunique()
    said = {}
    if 0 < n_quals <= SAID_IDS:   # few: each as said ("at least €3bn a year")
        facts = report.facts   # the few qualified entries, from the Book's columns
        by_id = {str(r.id): r for r in facts[facts["id"].astype(str).isin(set(quals["id"]))]
                 .itertuples(index=False)}
        o = report.options
        said = {(i, q): f"{i} ({as_said(by_id[i].amount, by_id[i].currency, q, by_id[i].period, o.locale, o.amounts)})"
                for i, q in zip(quals["id"], quals["qualifier"]) if i in by_id}
    return {"linked": _first(sorted(set(report.frame.loc[~report.frame["primary"], "id"]) & linked)),
            "not_counted": (*_first(uncounted), dict(why)),
            "open": _first(book_facts["open"]),
            "quals": (n_quals, {k: _first(list(g)) for k, g in
                                quals.groupby("qualifier", sort=True)["id"]}, said),
            "rounded": _first(book_facts["rounded"]),
            "unstated": _first(book_facts["unstated"]),
            "horizon_said": horizon_said(report.horizon, entries),
            "rate_notes": sorted(report.extra.get("rate notes", ()))}


def merged_facts(parts) -> dict:
    """``note_facts`` of parts of one ledger that share no entry, as those of
    the whole: counts added, sorted ids merged (the quals' in the parts' order)."""
    parts = list(parts)

    def ids(key, ordered=True):
        got = [i for p in parts for i in p[key][1]]
        return (sum(p[key][0] for p in parts), (sorted(got) if ordered else got)[:NOTE_IDS])
    why: dict[str, int] = defaultdict(int)
    quals: dict[str, list] = defaultdict(lambda: [0, []])
    said: dict = {}
    for p in parts:
        said.update(p["quals"][2])
        for k, v in p["not_counted"][2].items():
            why[k] += v
        for k, (n, first) in p["quals"][1].items():
            quals[k][0] += n
            quals[k][1] = (quals[k][1] + first)[:NOTE_IDS]
    return {"linked": ids("linked"), "not_counted": (*ids("not_counted"), dict(why)),
            "open": ids("open"), "rounded": ids("rounded"), "unstated": ids("unstated"),
            "quals": (sum(p["quals"][0] for p in parts),
                      {k: (n, first) for k, (n, first) in sorted(quals.items())}, said),
            "horizon_said": next((p["horizon_said"] for p in parts if p.get("horizon_said")), ""),
            "rate_notes": sorted({n for p in parts for n in p.get("rate_notes", ())})}


def report_notes(report: Report, entries, links: pd.DataFrame,
                 book_facts: dict | None = None) -> list[str]:
    return worded_notes(report, note_facts(report, entries, book_facts))


def worded_notes(report: Report, facts: dict) -> list[str]:
    """The report's notes: its options' and ``facts`` (``note_facts``) as
    sentences; the horizon as they say it is kept for the page
    (``report_horizon``)."""
    o = report.options
    report.extra["horizon said"] = facts.get("horizon_said") or horizon_said(report.horizon)
    listed = report.extra.get("whole", {}).get("where")
    notes = [
        f"Amounts: {report.basis_text()}.",
        f"Years are {report.year_label}; an amount over several years is spread "
        f"over them in proportion to days; an amount per year is that amount in each "
        f"whole year and pro rata by days within a part year.",
    ]
    n_sec, secondary_ids = facts["linked"]
    notes.append(
        "Totals count each pledge once: entries that disburse, restate or are part of "
        "another entry record money their target already counts and are left out of "
        "every total" + (f" ({n_sec:,} such entr{'y' if n_sec == 1 else 'ies'}: "
                         f"{_named(secondary_ids, n_sec, listed)})." if n_sec else " (this ledger has none).")
        + " The status table uses disbursing and phased entries to measure what was paid.")
    if facts["not_counted"][0]:
        uncounted = not_counted_said(*facts["not_counted"])
        notes.append(uncounted[0].upper() + uncounted[1:] + ".")
    n_open, open_ids = facts["open"]
    if n_open:
        if o.basis == "per-year":
            notes.append("Open-ended amounts per year (" + _named(open_ids, n_open, listed) + ") are "
                         "shown as one year's amount; the by-year table counts them each year up "
                         f"to {report.extra['horizon said']} (the horizon).")
        else:
            how = horizon_reason(o.horizon)
            notes.append(f"Open-ended amounts per year ({_named(open_ids, n_open, listed)}) are counted "
                         f"from their start up to "
                         f"{report.extra['horizon said']} "
                         f"({how}); a later "
                         f"horizon gives larger totals.")
    n_quals, quals, said = facts["quals"]
    if n_quals:
        said = said if n_quals <= SAID_IDS else {}
        notes.append("Some amounts are not exact and are counted at their stated figure: "
                     + "; ".join(f"'{k}': {_named([said.get((i, k), i) for i in first], n, listed)}"
                                 for k, (n, first) in quals.items()) + ".")
    if o.basis == "per-year":
        notes.append("Per-year basis: one-off amounts count in full; amounts over a period "
                     "are divided by its length in years.")
    if o.deflator:
        notes.append(deflator_note(o)[0].upper() + deflator_note(o)[1:] + ".")
    (n_round, rounded), (n_unstated, unstated) = facts["rounded"], facts["unstated"]
    for extra in (rounded_said(n_round, rounded) if n_round else None,
                  unstated_said(n_unstated, unstated, o) if n_unstated else None):
        if extra:
            notes.append(extra[0].upper() + extra[1:] + ".")
    if report.rate_sources:
        notes.append("Exchange rates: " + "; ".join(report.rate_sources[:5])
                     + (" …" if len(report.rate_sources) > 5 else "") + ".")
    notes += [n[0].upper() + n[1:] + "." for n in facts.get("rate_notes", ())]
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
