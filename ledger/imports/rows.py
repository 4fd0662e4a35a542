"""Imported records as the raw form, checked by the one rule engine.

Every import into a journal (spreadsheets, IATI, FTS) hands its records
here as journal fields (``ledger.writer.entry_table``: what the TOML it
writes will hold).  Each record's amount phrase, period and split tables
are read as the journal reader reads them (``ledger.phrases.money``,
``rr.stated_period_problem``, ``ledger.read.journal.split_part``); its
qualifier (stated, and the phrase's) and restated conversions (as listed)
are handed on as the journal reader hands them.  A record with a problem
there is refused, its other fields checked by ``check_raw`` as a journal
entry's are.  The records then become rows of the raw form
(``ledger.read.raw.RawTables``: the bulk layout, one row per entry and
purpose, the citations with their quotes) beside the entries of the ledger
they go into, and ``ledger.read.table.check_raw`` runs every rule over
them, within and across entries.  A record the rules refuse is left out
with its problems (each with the ``field`` at fault), and the rest is
checked again, until nothing more is refused (leaving one out can break
another's link).  The accepted records' ``Entry`` objects are views of the
checked rows (``ledger.book.Book.from_frame``), not read again.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ledger.book import Book
from ledger.imports.identity import figure_key
from ledger.model import ONCE, Entry, Problem
from ledger.phrases.money import MoneyError, ParsedAmount, parse_amount, plain_decimal
from ledger.read.journal import split_part
from ledger.read.journal_columns import WORDED_HERE, _rank
from ledger.read.raw import RawTables
from ledger.read.table import PERIOD_COLUMNS, check_raw
from ledger.rules import rows as rr
from ledger.rules.rows import read_restated
from ledger.limits import amount_problem

# the raw form's columns the rules read (the bulk layout)
_RULE_COLUMNS = ("id", "date", "funder", "purpose", "amount", "currency", "status", "qualifier",
                 "period", "disburses", "part_of", "restates", "sources", "restated",
                 "recipient", "value_date", "entry_amount", "phrase_qualifier")
_LINKS = ("disburses", "part_of", "restates")
_EXTRAS = ("amount_text", "recipient", "location", "tags", "notes")
_PLAIN = re.compile(r"^[0-9]+(?:\.[0-9]+)?$")


# ------------------------------------------------------------------ one record
@dataclass
class _Read:
    """One entry as rows of the raw form, and what the Book keeps beside them."""
    id: str
    rows: list[tuple[str, ...]]         # in _RULE_COLUMNS order; one per purpose or part
    split: bool
    cites: list[tuple[str, str, str]]   # doc, quote, locator
    extras: tuple[str, ...]             # in _EXTRAS order
    links: tuple[str, ...]              # in _LINKS order
    tags: tuple[str, ...] = ()
    restated: tuple[str, ...] = ()      # the conversions as listed

    @property
    def amount(self) -> str:
        """The entry's amount as read ('' when none)."""
        first = self.rows[0]
        return first[16] if self.split else first[4]

    def figure(self) -> tuple:
        """``ledger.imports.identity.figure_key`` of an accepted record
        (its amount: the sum of its parts, which the rules made add up)."""
        parts = [(rr.composed(r[3]), Decimal(r[4])) for r in self.rows]
        first = self.rows[0]
        return figure_key(rr.composed(first[2]), parts, sum((a for _, a in parts), Decimal(0)),
                          first[5], rr.iso_date(first[1]), self.cites)


class _Reader:
    """A record's own fields by the rules the journal's readers share: the
    amount phrase (with its period) and split tables, what the journal
    reader reads before ``check_raw`` too; the other fields are the raw
    form's, which ``check_raw`` checks.  Problems are worded as the rules
    word them, with the field at fault."""

    def __init__(self, name: str):
        self.name = name
        self.memo: dict[str, Any] = {}
        self.codes: dict[str, bool] = {}
        self.tags: dict[str, bool] = {}

    def read(self, t: dict[str, Any], line: int) -> tuple[_Read, list[Problem], set[str]]:
        """One record as rows of the raw form, the problems this reader
        words (as the journal reader words them) and the fields they are
        of: a record with such problems is refused, its other fields still
        checked by ``check_raw`` (every problem in one run, as a journal's)."""
        fast = self._plain(t)
        if fast is not None:
            return fast, [], set()
        eid = _strip(t.get("id"))
        found: list[Problem] = []
        worded: set[str] = set()

        def broke(rule: rr.Rule, key: str, value: Any = "", fld: str = "", **more) -> None:
            message, hint = rule.word(value, fld, **more)
            found.append(Problem(self.name, line, eid, message, hint,
                                 code=rule.code_for(key or fld), field=key or fld))
            worded.add(key or fld)

        def problem(message: str, key: str, hint: str = "", code: str = "") -> None:
            found.append(Problem(self.name, line, eid, message, hint,
                                 code=code or f"bad-{key}", field=key))
            worded.add(key)

        date = t.get("date")
        parsed = self._amount(t, broke)
        amount_text = parsed.text if parsed is not None else _strip(t.get("amount"))
        # no amount read: nothing to say of its currency (as the journal reader)
        currency = parsed.currency if parsed is not None else ""
        # as stated: check_raw reads it against the amount phrase's, as a journal's
        qualifier = _strip(t.get("qualifier"))
        period = self._period(t, parsed, date, broke)
        parts: list[tuple[str, str]] = []
        if t.get("split"):      # the split rules (and their sum) are check_raw's
            for j, s in enumerate(t["split"]):
                part = split_part(s, currency)
                for message, hint, code, _ in part.problems:
                    problem(message, "split", hint, code)
                if part.amount_said:   # the split rules say no more of this part's amount
                    worded.add(f"split.{j}")
                parts.append((part.purpose, part.amount))
        # the conversions as listed (one written alone: a list of one, as in a
        # journal); their rule is check_raw's
        given = t.get("restated") or ()
        restated = tuple(_str(x) for x in ([given] if isinstance(given, str) else given))
        tags = [rr.composed(x) for x in t.get("tags") or ()]   # their rule: check_raw's
        return self._assemble(t, eid, date, parsed, amount_text, currency, qualifier, period,
                              parts, restated, tags), found, worded

    def _plain(self, t: dict[str, Any]) -> _Read | None:
        """A record in the shape importers nearly always give (a plain
        amount, a currency code, no splits or restated amounts), read with
        what each distinct currency, qualifier and tag was found to be; None
        for any other (``read`` then reads it in full)."""
        g = t.get
        amount, cur = g("amount"), g("currency")
        if type(amount) is not str or type(cur) is not str or g("split") or g("restated") \
                or not _PLAIN.fullmatch(amount) or not self._code(cur):
            return None
        stated = g("qualifier")
        if stated is not None and type(stated) is not str:
            return None
        qualifier = _strip(stated)
        period = g("period")
        if period is not None and (type(period) is not str or not period.strip()):
            return None
        tags = g("tags") or ()
        if tags and not all(self._composed(x) for x in tags):
            return None
        number = Decimal(amount)
        if number <= 0 or amount_problem(number):
            return None
        text = f"{amount} {cur}"
        return self._assemble(t, _strip(g("id")), g("date"),
                              ParsedAmount(number, cur, "exact", ONCE, (), text), text, cur,
                              qualifier, period or "", [], (), list(tags))

    def _code(self, cur: str) -> bool:
        """A currency code read as ``parse_amount`` reads a plain number
        with it (each code asked once)."""
        ok = self.codes.get(cur)
        if ok is None:
            try:
                one = parse_amount(f"1 {cur}")
                ok = rr.currency_rule(cur) is None and (one.currency, one.qualifier, one.period,
                                                        one.amount) == (cur, "exact", ONCE, 1)
            except MoneyError:
                ok = False
            self.codes[cur] = ok
        return ok

    def _composed(self, tag: str) -> bool:
        """A tag of text written composed (each tag asked once)."""
        ok = self.tags.get(tag)
        if ok is None:
            ok = self.tags[tag] = type(tag) is str and rr.composed(tag) == tag
        return ok

    @staticmethod
    def _assemble(t, eid, date, parsed, amount_text, currency, qualifier, period, parts,
                  restated, tags) -> _Read:
        """The rows of a record read (``parsed``: its amount, None when
        missing) and what the Book keeps beside them."""
        cites = [(_strip(s.get("doc")), _str(s.get("quote")), _str(s.get("locator")))
                 for s in t.get("source") or ()]
        links = (_strip(t.get("disburses")), _strip(t.get("part_of")), _strip(t.get("restates")))
        recipient = _strip(t.get("recipient"))
        head = (eid, _day(date), _strip(t.get("funder")))
        amount = plain_decimal(parsed.amount) if parsed is not None else ""
        tail = (currency, _strip(t.get("status")), qualifier, period, *links,
                ";".join(dict.fromkeys(d for d, _, _ in cites)), "", recipient,
                _day(t.get("value_date")), amount if parts else "",
                parsed.qualifier if parsed is not None else "exact")
        purpose = _strip(t.get("purpose"))
        rows: list[tuple[str, ...]] = [(*head, p, a, *tail) for p, a in parts] or \
            [(*head, purpose, amount, *tail)]
        extras = (amount_text, recipient, _strip(t.get("location")), ";".join(tags),
                  _strip(t.get("notes")))
        return _Read(eid, rows, bool(parts), cites, extras, links, tuple(tags), restated)

    def _amount(self, t, broke):
        """The amount phrase read as the journal's readers read it (a
        separate currency appended): None when missing (the rules say so)
        or refused."""
        raw = t.get("amount")
        if raw is None or raw == "":
            return None
        text = str(raw).strip()
        cur = t.get("currency")
        if cur is not None:
            cur = str(cur).strip()
            if (rule := rr.currency_rule(cur)) is not None:
                broke(rule, "currency", cur)
                return None
            text = f"{text} {cur}"
        parsed = self.memo.get(text)
        if parsed is None:
            if cur is None or not cur.isupper() or not _PLAIN.fullmatch(str(raw)):
                parsed, rule, why = rr.read_amount_phrase(text)   # the journal reader's
                if rule is rr.AMOUNT_UNREADABLE:
                    broke(rule, "amount", text, why=why)
                elif rule is not None:
                    broke(rule, "amount", raw if why is None else why)
                if parsed is None:
                    return None
            else:
                parsed = _plain_amount(str(raw).strip(), cur, text)
            self.memo[text] = parsed
        if parsed.amount <= 0:
            broke(rr.AMOUNT_NOT_POSITIVE, "amount", raw)
            return None
        if amount_problem(parsed.amount):
            try:   # more digits than a Decimal holds: the phrase parser's words
                parse_amount(text)
            except MoneyError as err:
                broke(rr.BAD_AMOUNT, "amount", err)
                return None
            broke(rr.AMOUNT_TOO_BIG_RULE, "amount", text)
            return None
        return parsed

    def _period(self, t, parsed, date, broke) -> str:
        """The period as the raw form's phrase: the one stated, else the
        amount phrase's (a stated one that contradicts the phrase refused)."""
        phrase = parsed.period if parsed is not None else ONCE
        stated = t.get("period")
        if stated is None or stated == "":
            return "" if phrase == ONCE else phrase.describe()
        stated = str(stated)
        found = rr.stated_period_problem(stated, "" if phrase == ONCE else phrase.describe(),
                                         date if isinstance(date, dt.date) else None)
        if found is not None:
            rule, value, more = found
            broke(rule, "period", value, **more)
        return stated if stated.strip() else ""


def _plain_amount(number: str, currency: str, text: str) -> ParsedAmount:
    """A plain number and a known currency code, as ``parse_amount`` reads
    them (most imported amounts: read without the phrase parser)."""
    return ParsedAmount(Decimal(number), currency, "exact", ONCE, (), text)


def _strip(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    return str(value).strip() if value is not None else ""


def _str(value: Any) -> str:
    return str(value) if value is not None else ""


def _day(value: Any) -> str:
    if isinstance(value, dt.date):   # a date and time: its day, as a journal's
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    return _strip(value)


def entry_read(e: Entry) -> _Read:
    """An entry of the ledger as rows of the raw form (its plain amounts)."""
    links = tuple(e.link(k) or "" for k in _LINKS)
    head = (e.id, e.date.isoformat(), e.funder)
    tail = (e.currency, e.status, e.qualifier, "" if e.period == ONCE else e.period.describe(),
            *links, ";".join(dict.fromkeys(c.doc for c in e.sources)),
            "",
            e.recipient, e.value_date.isoformat() if e.value_date else "",
            plain_decimal(e.amount) if e.splits else "", "exact")
    rows = [(*head, s.purpose, plain_decimal(s.amount), *tail) for s in e.splits] or \
        [(*head, e.purpose, plain_decimal(e.amount), *tail)]
    return _Read(e.id, rows, bool(e.splits), [(c.doc, c.quote, c.locator) for c in e.sources],
                 (), links, (), tuple(f"{m.currency} {plain_decimal(m.amount)}" for m in e.restated))


def bulk_rows(got: Checked, origins: Sequence[str]) -> list[tuple[str, ...]]:
    """The accepted records as rows of the bulk format (``BULK_COLUMNS``
    then ``PROVENANCE_COLUMNS`` of ``ledger.read.table``: one row per entry
    and purpose, the period as its phrase, the citations as JSON, the
    ``origins`` of each record as given)."""
    blank = ("",) * len(PERIOD_COLUMNS)
    out: list[tuple[str, ...]] = []
    for k in got.accepted:
        r = got.read[k]
        _, recipient, location, tags, notes = r.extras
        cites = json.dumps([{key: v for key, v in (("doc", d), ("quote", q), ("locator", loc))
                             if v} for d, q, loc in r.cites], ensure_ascii=False)
        # the conversions as the bulk format writes them (the rules accepted them)
        restated = "; ".join(f"{m.currency} {plain_decimal(m.amount)}"
                             for m in read_restated(list(r.restated), r.rows[0][5])[0]) \
            if r.restated else ""
        for row in r.rows:      # in _RULE_COLUMNS order; the qualifier as the rules read it
            qualifier = rr.qualifier_of(row[7], row[17])[0]
            out.append((*row[:7], qualifier, row[8], *blank, *row[9:13], restated, row[15],
                        tags, notes, recipient, location, cites, origins[k]))
    return out


# ------------------------------------------------------------------ all records
@dataclass
class Checked:
    """What the rules made of an import's records: the accepted ones with
    their entries, the refused ones with their errors."""
    accepted: list[int] = field(default_factory=list)                # records, in order
    read: dict[int, _Read] = field(default_factory=dict)             # the accepted, as read
    entries: dict[int, Entry] = field(default_factory=dict)          # record -> its entry
    problems: dict[int, list[Problem]] = field(default_factory=dict)  # record -> its errors


def check_records(tables: Sequence[dict[str, Any]], lines: Sequence[int], *, name: str,
                  ledger: Iterable[Entry] = (), documents: Iterable[str] = (),
                  refuse: Callable[[dict[int, tuple]], dict[int, Problem]] | None = None,
                  across: bool = True, views: bool = True) -> Checked:
    """Check the records ``tables`` (journal fields; record ``k`` at line
    ``lines[k]`` of the input ``name``: a spreadsheet row, an item's
    number) with the entries of the ``ledger`` they go into, citing the
    ``documents`` (ids) known: every rule once, by ``check_raw``.
    ``refuse``: the importer's own refusals, given the figures the rules
    accept (record -> ``identity.figure_key``, in order): record -> its
    problem.  ``views``: make the accepted records' ``Entry`` objects.  ``across``:
    False to refuse a record only for its own fields, not for the rules
    between entries (an entry's view, whatever it links to)."""
    out = Checked()
    reader = _Reader(name)
    docs = set(documents)
    read: dict[int, _Read] = {}
    said: dict[int, tuple[_Read, set[str]]] = {}
    for k, t in enumerate(tables):
        got, found, worded = reader.read(t, lines[k])
        if found or not got.amount:   # no amount read: refused, as in a journal
            out.problems[k] = found
            said[k] = (got, worded)
        else:
            read[k] = got
    if said:
        _own_problems(said, out.problems, lines, name, docs)
    if not read:
        return out
    ledger = tuple(ledger)
    old = [entry_read(e) for e in ledger]
    places = [(e.file, e.line) for e in ledger]
    at_line = {(name, lines[k]): k for k in read}
    while read:
        # the ledger's entries (as -1 - i), then the records: each its own entry
        # (``RawTables.entry``), whatever ids they share
        order = [-1 - i for i in range(len(old))] + list(read)
        raw, row_of = _raw(order, read, old, places, lines, name)
        kept: list = []
        frame, found = check_raw(raw, docs, kept=kept, with_frame=views)
        refused: dict[int, list[Problem]] = {}
        for p in found:
            rec = at_line.get((p.file, p.line))
            if p.severity == "error" and rec is not None and rec in read \
                    and (across or p.code not in WORDED_HERE):
                refused.setdefault(rec, []).append(p)
        if not refused:
            accepted = _accepted(kept, row_of, read, order)
            taken = set(accepted)
            for k in [k for k in read if k not in taken]:   # left out by the rules, unsaid
                refused[k] = [Problem(name, lines[k], read[k].id,
                                      "refused by the rules of the raw form")]
            if not refused and refuse is not None:
                refused = {k: [p] for k, p in refuse({k: read[k].figure() for k in accepted}).items()}
            if not refused:
                out.accepted = accepted
                out.read = read
                if views:
                    out.entries = _views(frame, kept, row_of, read, order, accepted)
                break
        for k, ps in refused.items():
            # an entry's own problems, in the order the journal words them; those
            # between entries only when it has none (as the journal reader does)
            own = [p for p in ps if p.code not in WORDED_HERE]
            out.problems[k] = _once(sorted(own, key=_rank)) if own else ps
            del read[k]
    return out


def _own_problems(said: dict[int, tuple[_Read, set[str]]], problems: dict[int, list[Problem]],
                  lines: Sequence[int], name: str, documents: set[str]) -> None:
    """The records this reader refused, their other fields checked by
    ``check_raw`` as a journal's entry is (the fields already worded
    masked; no rule across entries): each record's problems in the
    journal's order."""
    import numpy as np

    order = list(said)
    read = {k: r for k, (r, _) in said.items()}
    raw, row_of = _raw(order, read, [], [], lines, name)
    recs = np.asarray(order, dtype=np.int64)[row_of]
    # the fields worded here, keyed as check_raw's masks are
    keys: dict[str, tuple[str, ...]] = {"amount": ("amount", "currency"), "currency": ("amount", "currency"),
            "period": ("period",)}
    worded: dict[str, Any] = {}
    part = np.concatenate([np.arange(len(read[rec].rows)) for rec in order])
    for rec, (_, fields) in said.items():
        for f in fields:
            masks: tuple[str, ...]
            if f.startswith("split."):   # that part's row
                masks, mine = ("split.",), (recs == rec) & (part == int(f[6:]))
            else:
                masks, mine = keys.get(f, ()), recs == rec
            for key in masks:
                worded.setdefault(key, np.zeros(len(recs), dtype=bool))
                worded[key] |= mine
    # no currency: said of the amount, if anything (as the journal reader)
    no_currency = np.asarray([r[5] == "" for k in order for r in read[k].rows], dtype=bool)
    worded["currency"] = worded.get("currency", np.zeros(len(recs), dtype=bool)) | no_currency
    raw = dataclasses.replace(raw, refused=np.ones(len(recs), dtype=bool), worded=worded)
    at_line = {(name, lines[rec]): rec for rec in said}
    _, found = check_raw(raw, documents, own_only=True)
    for p in found:
        at = at_line.get((p.file, p.line))
        if at is not None and p.severity == "error" and p.code not in WORDED_HERE:
            problems[at].append(p)
    for rec in said:
        problems[rec] = _once(sorted(problems[rec], key=_rank))


def _once(problems: list[Problem]) -> list[Problem]:
    """A problem two rows of one entry (its splits) give, once (as the
    journal reader words it)."""
    return list({(p.line, p.message, p.code, p.field): p for p in problems}.values())


def _raw(order, read, old, places, lines, name):
    """The raw form of the entries in ``order``; each row's entry position."""
    import numpy as np
    import pyarrow as pa

    rows: list[tuple[str, ...]] = []
    files: list[str] = []
    at: list[int] = []
    split: list[bool] = []
    row_of: list[int] = []
    tags: list[tuple[str, ...]] = []
    restated: list[tuple[str, ...]] = []
    c_entry: list[int] = []
    c_doc: list[str] = []
    c_quote: list[str] = []
    c_loc: list[str] = []
    for pos, k in enumerate(order):
        r = read[k] if k >= 0 else old[-1 - k]
        file, line = (name, lines[k]) if k >= 0 else places[-1 - k]
        m = len(r.rows)
        rows += r.rows
        files += [file] * m
        at += [line] * m
        split += [r.split] * m
        row_of += [pos] * m
        tags += [r.tags] * m
        restated += [r.restated] * m
        for d, q, loc in r.cites:
            c_entry.append(pos)
            c_doc.append(d)
            c_quote.append(q)
            c_loc.append(loc)
    cols = dict(zip(_RULE_COLUMNS, zip(*rows))) if rows else {c: () for c in _RULE_COLUMNS}
    table = pa.table({**{c: pa.array(cols[c], pa.string()) for c in _RULE_COLUMNS
                         if c != "restated"},
                      "tags": pa.array(tags, pa.list_(pa.string())),
                      # a journal's list of phrases, read by check_raw's rule
                      "restated": pa.array(restated, pa.list_(pa.string()))})
    citations = pa.table({"entry": pa.array(c_entry, pa.int64()),
                          "doc": pa.array(c_doc, pa.string()),
                          "quote": pa.array(c_quote, pa.string()),
                          "locator": pa.array(c_loc, pa.string())})
    file_col = pa.array(files, pa.string()).dictionary_encode().cast(pa.string())
    entry = np.asarray(row_of, dtype=np.int64)
    raw = RawTables(table, file_col, np.asarray(at, dtype=np.int64), "journal", citations,
                    np.asarray(split, dtype=bool), None, entry=entry)
    return raw, entry


def _accepted(kept, row_of, read, order) -> list[int]:
    """The records all of whose rows the rules kept, in order."""
    import numpy as np

    recs = [k for k in order if k >= 0]
    if not kept or kept[0] is None:
        return sorted(recs)
    out = set(np.asarray(order, dtype=np.int64)[row_of[~kept[0]]].tolist())
    return sorted(k for k in recs if k not in out)


def _views(frame, kept, row_of, read, order, accepted) -> dict[int, Entry]:
    """The accepted records' entries (record -> entry, in order), as views
    of their checked rows."""
    import numpy as np
    import pandas as pd

    keep = kept[0] if kept and kept[0] is not None else np.ones(len(row_of), dtype=bool)
    row_rec = np.asarray(order, dtype=np.int64)[row_of]
    mine = np.isin(row_rec, np.asarray(accepted, dtype=np.int64))
    rows = frame[mine[keep]].reset_index(drop=True)
    taken = set(accepted)
    recs = [k for k in order if k in taken]   # in the rows' order
    extras: dict[str, Any] = {c: np.asarray(v, dtype=object) for c, v in zip(
        _EXTRAS, zip(*(read[k].extras for k in recs)))}
    for c, v in zip(_LINKS, zip(*(read[k].links for k in recs))):
        extras[c] = np.asarray(v, dtype=object) if any(v) else None
    cites = [(i, d, q, loc) for i, k in enumerate(recs) for d, q, loc in read[k].cites]
    extras["citations"] = pd.DataFrame(
        {"entry": np.asarray([c[0] for c in cites], dtype="int64"),
         "doc": [c[1] for c in cites], "quote": [c[2] for c in cites],
         "locator": [c[3] for c in cites]})
    entries = Book.from_frame(rows, extras).entries
    return dict(sorted(zip(recs, entries)))
