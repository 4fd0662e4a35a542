"""IATI activity files (XML, standard versions 1.0x and 2.0x) -> records.

Streaming: ``lxml.etree.iterparse`` hands over one ``<iati-activity>`` at a
time, which is read and then cleared, so memory stays bounded whatever the
file's size.  The parser never expands entities, never loads a DTD or
anything from the network, and refuses huge text nodes; a file with a
DOCTYPE is refused.

The mapping rules (transaction types, budgets, accounts, splits, links) are
the tables below and docs/interop.md ("IATI activity files").
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import heapq
import itertools
import os
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Iterator, Mapping, Sequence

from ledger.errors import LedgerError
from ledger.imports.common import (SHARE_NOTES, Problem, ReadResult, Record, Wordings, account_part,
                                country_name, import_problem, open_data, percentages, shares,
                                source_document, withdrawn)
from ledger.imports.table import slug
from ledger.minor import plain_decimal, to_minor
from ledger.phrases.money import currency_digits, known_currencies
from ledger.limits import foreign_digits, magnitude_problem
from ledger.safe_io import UnsafeFile, check_file, confine, open_checked
from ledger.book import Book
from ledger.imports.rows import EntryRow, Held, HeldEntries
from ledger.model import LINK_KINDS, NOT_COUNTED, Citation
import csv
import datetime as dt
import io
from importlib.resources import files
from ledger.imports.common import load_names

# TransactionType codelist (2.0x codes; 1.0x letter codes map onto them).
# code -> (name, status or None when skipped)
TRANSACTION_TYPES = {
    "1": ("Incoming Funds", None),
    "2": ("Outgoing Commitment", "committed"),
    "3": ("Disbursement", "disbursed"),
    "4": ("Expenditure", "spent"),
    "5": ("Interest Payment", None),
    "6": ("Loan Repayment", None),
    "7": ("Reimbursement", "disbursed"),
    "8": ("Purchase of Equity", None),
    "9": ("Sale of Equity", None),
    "10": ("Credit Guarantee", None),
    "11": ("Incoming Commitment", "committed"),
    "12": ("Outgoing Pledge", "pledged"),
    "13": ("Incoming Pledge", "pledged"),
}
V1_CODES = {"IF": "1", "C": "2", "D": "3", "E": "4", "IR": "5", "LR": "6", "R": "7",
            "QP": "8", "QS": "9", "CG": "10"}
SKIP_REASON = {
    "1": "incoming funds are money the activity receives, recorded by the provider as its "
         "own commitment or disbursement",
    "5": "interest and loan repayments flow back to the lender: not new money",
    "6": "interest and loan repayments flow back to the lender: not new money",
    "8": "equity purchases and sales are investments, not grants or pledges",
    "9": "equity purchases and sales are investments, not grants or pledges",
    "10": "a credit guarantee is a contingent liability, not money paid or pledged",
}
BUDGET_STATUS = {"1": "pledged", "2": "committed"}          # Indicative, Committed
BUDGET_STATUS_NAME = {"1": "Indicative", "2": "Committed"}
BUDGET_TYPE = {"1": "original", "2": "revised"}
# codes given by name, as 1.0x files often do ("Original", "Disbursement"), any letter case
BUDGET_TYPE_CODE = {"1": "1", "2": "2", "original": "1", "revised": "2"}
BUDGET_STATUS_CODE = {"1": "1", "2": "2", "indicative": "1", "committed": "2"}
V1_NAMES = {"C": "Commitment", "D": "Disbursement", "E": "Expenditure", "IF": "Incoming Funds",
            "IR": "Interest Repayment", "LR": "Loan Repayment", "R": "Reimbursement",
            "QP": "Purchase of Equity", "QS": "Sale of Equity", "CG": "Credit Guarantee"}
TYPE_BY_NAME = {**{name.lower(): code for code, (name, _) in TRANSACTION_TYPES.items()},
                **{name.lower(): V1_CODES[c] for c, name in V1_NAMES.items()}}
FUNDING_ROLES = ("1", "funding")
DAC_VOCABULARIES = ("1", "2", "dac", "dac-3", "")
_V1_LINE = re.compile(r"^1(\.|$)")
_VALUE_ELEMENT = re.compile(r"(<value\b[^>]*>\s*([^<\s]*)\s*</value>)")
_VALUE_START = re.compile(r"<value(?=[\s/>])")
_NUMBER = re.compile(r"[+-]?[0-9]{1,40}(?:\.[0-9]{1,40})?")   # xsd:decimal: ASCII digits
_PERCENT = re.compile(r"\+?(?:[0-9]{1,40}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})")   # and not negative
_ZERO = Decimal(0)


# an item's ref or an activity's id as part of an entry id: the same few refs
# ("1", "C", "D") recur in every activity
_slug = functools.lru_cache(maxsize=4096)(slug)
# the same organisations, sectors and places name the accounts of every activity
_account = functools.lru_cache(maxsize=8192)(account_part)
_currency_digits = functools.lru_cache(maxsize=1024)(currency_digits)   # babel's look-up


def _tag(el) -> str:
    t = el.tag
    return t.rsplit("}", 1)[-1] if isinstance(t, str) else ""


def _kids(el, name: str):
    # "{*}name": any namespace or none, matched by lxml in C (no Python string per child)
    return list(el.iterchildren("{*}" + name))


def _kid(el, name: str):
    return next(el.iterchildren("{*}" + name), None)


def _first_kids(el) -> dict:
    """Each local name -> the first child of that name (as ``_kid``), in one
    pass: a transaction's children are looked up many times."""
    out: dict = {}
    for c in el:
        t = c.tag
        if type(t) is str:     # not an entity reference
            out.setdefault(t[t.rfind("}") + 1:], c)
    return out


def _each_org(reporting: list, participating: list, transactions: list) -> Iterator:
    """An activity's organisations in the order ``_Activity.org_name`` reads them."""
    yield from reporting
    yield from participating
    for t in transactions:
        yield from (o for o in (_kid(t, "provider-org"), _kid(t, "receiver-org")) if o is not None)


def _text(el) -> str:
    """An element's human text: its first (English or unmarked) narrative
    (2.0x) or its own text (1.0x)."""
    if el is None:
        return ""
    if not len(el):         # no child at all (a provider-org by ref): its own text
        return " ".join((el.text or "").split())
    narr = _kids(el, "narrative")
    if len(narr) == 1:      # the usual one: whatever its language
        return " ".join((narr[0].text or "").split())
    if narr:
        lang = "{http://www.w3.org/XML/1998/namespace}lang"
        best = next((n for n in narr if n.get(lang, "en").lower().startswith("en")), narr[0])
        return " ".join((best.text or "").split())
    return " ".join((el.text or "").split())


def _date(el, attr="iso-date") -> str:
    if el is None:
        return ""
    v = (el.get(attr) or "").strip()
    if not v and attr == "iso-date":
        v = (el.text or "").strip()
    return v[:10]


# the same few dates recur across a file's items: each checked once
@functools.lru_cache(maxsize=4096)
def _valid_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


class _BadPercent(ValueError):
    """A percentage in digits other than 0-9: the item is refused, its
    split never guessed as if the percentage were missing."""


def _pct(v: str | None, el=None, what: str = "") -> Decimal | None:
    text = (v or "").strip()
    if not text:
        return None
    where = f"{what} (line {el.sourceline if el is not None else '?'}): percentage {text[:40]!r}"
    if foreign_digits(text):
        raise _BadPercent(f"{where} is written with digits other than 0-9: not imported")
    # xsd:decimal, not negative: "33,3", "2e1", "-5" are no percentage to guess at
    if not _PERCENT.fullmatch(text):
        raise _BadPercent(f"{where} is not a number from 0 (digits 0-9, an optional point): "
                          f"not imported")
    return Decimal(text)


# the children of an <iati-activity> the reader looks at (``_Activity.of``, ``kid``)
_ACTIVITY_KIDS = frozenset((
    "iati-identifier", "reporting-org", "participating-org", "sector",
    "recipient-country", "recipient-region", "transaction", "budget", "planned-disbursement"))
_ACTIVITY_TAGS = tuple("{*}" + t for t in sorted(_ACTIVITY_KIDS))


def _collected(name: str) -> None:
    """Only the children in ``_ACTIVITY_KIDS`` are collected: asking for
    another would silently find none (an error even under ``python -O``)."""
    if name not in _ACTIVITY_KIDS:
        raise KeyError(f"{name!r} is not among the activity's collected children")


class _Activity:
    """One <iati-activity>, read into what the transactions need."""

    def __init__(self, el, version: str, names, file: str):
        self.el, self.names, self.file = el, names, file
        # its children read here by local name, in order (as ``_kids``), found in
        # one pass matched by lxml (about half an activity's children are others)
        self.kids: dict[str, list] = {}
        for c in el.iterchildren(*_ACTIVITY_TAGS):
            t = c.tag
            self.kids.setdefault(t[t.rfind("}") + 1:], []).append(c)
        self.version = el.get("version") or version
        self.v1 = bool(_V1_LINE.match(self.version or ""))
        self.letter_codes = False     # no @version, and letter codes: read as 1.0x
        self.number_codes = False     # a 1.0x version, and 2.0x numbers: read as 2.0x
        ident = self.kid("iati-identifier")
        self.id = " ".join((ident.text or "").split()) if ident is not None else ""
        self.line = el.sourceline or 0
        self.currency = (el.get("default-currency") or "").strip().upper()
        self._org_names: dict[str, str] = {}     # ``org_name``'s, read so far
        self._orgs: Iterator | None = None       # the organisations ``org_name`` has yet to read
        self._activity_purposes: tuple | None = None     # the activity's own purposes, read once
        self._funders: dict[tuple | None, tuple[str, str]] = {}     # ``funder``'s, found so far
        # the file's purposes read so far (``_purposes``): one per read, as ``names`` is
        self.memo: dict[tuple, tuple] = names.setdefault("_purposes", {})
        # each <value> element -> (its source line, how many <value> start tags
        # precede it on that line): set by ``_read_file``, quoted by ``_attach_quotes``
        self.vpos: dict = {}

    # the activity's own funder and reporter: read when an item names no provider
    @functools.cached_property
    def reporting(self) -> tuple[str, str]:
        rep = self.kid("reporting-org")
        return (rep.get("ref", "").strip(), _text(rep)) if rep is not None else ("", "")

    @functools.cached_property
    def funding(self) -> tuple[str, str]:
        funders = [p for p in self.of("participating-org")
                   if (p.get("role") or "").strip().lower() in FUNDING_ROLES]
        return (funders[0].get("ref", "").strip(), _text(funders[0])) if funders else ("", "")

    def of(self, name: str) -> list:
        """The activity's children of this local name, in order (``_kids``)."""
        if name not in _ACTIVITY_KIDS:     # ``_collected``, without a call each time
            _collected(name)
        return self.kids.get(name, [])

    def kid(self, name: str):
        """The activity's first child of this local name, or None (``_kid``)."""
        if name not in _ACTIVITY_KIDS:
            _collected(name)
        got = self.kids.get(name)
        return got[0] if got else None

    def org_name(self, ref: str) -> str:
        """A name the activity gives ``ref`` ('' for none): the first of its
        reporting-org, participating-orgs, then its transactions' provider-
        and receiver-orgs that names it, read only as far as needed (read
        when a ref comes without a name)."""
        names = self._org_names
        if not ref or ref in names:
            return names.get(ref, "")
        if self._orgs is None:    # not a method's generator: no cycle through ``self``
            self._orgs = _each_org(self.of("reporting-org"), self.of("participating-org"),
                                   self.of("transaction"))
        for o in self._orgs:
            r = o.get("ref", "").strip()
            if r and r not in names:
                text = _text(o)
                if text:
                    names[r] = text
                    if r == ref:
                        return text
        return ""

    # -------------------------------------------------------- accounts
    def org(self, ref: str, name: str) -> str:
        orgs = self.names["organisations"]
        if ref and ref in orgs:
            return orgs[ref]
        if name and name in orgs:
            return orgs[name]
        if not (name or self.org_name(ref)):
            self.names["_unnamed"]["organisations"].add(ref)
        return _account(name or self.org_name(ref) or ref)

    def funder(self, prov) -> tuple[str, str]:
        """(funder account, how it was found) from an item's <provider-org>
        (or None), else the activity's."""
        # the activity's items name the same few funders: each (ref, name) found once
        key = (prov.get("ref"), _text(prov), prov.get("type")) if prov is not None else None
        got = self._funders.get(key)
        if got is None:
            got = self._funders[key] = self._funder(prov)
        return got

    def _funder(self, prov) -> tuple[str, str]:
        """``funder``, found."""
        if prov is not None:
            ref, text = prov.get("ref", "").strip(), _text(prov)
            if ref or text:
                return self.org(ref, text), "provider-org"
        kind = codelist("organisation-type").get((prov.get("type") or "").strip()) \
            if prov is not None else None
        if kind and not any(self.funding):
            return _account(kind), "provider-org's organisation type (it has no ref or name)"
        if any(self.funding):
            return self.org(*self.funding), "participating-org (funding)"
        if any(self.reporting):
            return self.org(*self.reporting), "reporting-org"
        return "", ""

    def purposes(self, el, kids: dict) -> tuple[list[tuple[str, Decimal]], list[str]]:
        """(purpose weights, notes): sector x recipient country/region; the
        transaction's own sector/country when it gives one (2.01+); ``kids``:
        ``el``'s children by name (``_first_kids``)."""
        # no sector or place of its own: the activity's, the same for each of its items
        if not ("sector" in kids or "recipient-country" in kids or "recipient-region" in kids):
            if self._activity_purposes is None:
                self._activity_purposes = self._purposes(None)
            weights, notes = self._activity_purposes
            return list(weights), list(notes)
        return self._purposes(el)

    def _purposes(self, el) -> tuple[list[tuple[str, Decimal]], list[str]]:
        secs = _kids(el, "sector") if el is not None else []
        secs = secs or self.of("sector")
        countries = _kids(el, "recipient-country") if el is not None else []
        regions = _kids(el, "recipient-region") if el is not None else []
        if not (countries or regions):
            countries, regions = self.of("recipient-country"), self.of("recipient-region")
        # the same sectors and places (every attribute and name read below)
        # give the same weights: most activities of a file repeat a few
        key = (tuple([(s.get("vocabulary"), s.get("code"), s.get("percentage"), _text(s))
                      for s in secs]),
               tuple([(c.get("code"), c.get("percentage"), _text(c)) for c in countries]),
               tuple([(r.get("vocabulary"), r.get("code"), r.get("percentage"), _text(r))
                      for r in regions]))
        got = self.memo.get(key)
        if got is None:
            got = self.memo[key] = self._weights(secs, countries, regions)
        return list(got[0]), list(got[1])

    def _weights(self, secs, countries, regions) -> tuple[list[tuple[str, Decimal]], list[str]]:
        """``_purposes`` of these sector, country and region elements."""
        notes: list[str] = []
        vocabs = {(s.get("vocabulary") or "").strip().lower() for s in secs}
        if len(vocabs) > 1:   # percentages add up within one vocabulary: prefer DAC
            keep = next((v for v in DAC_VOCABULARIES if v in vocabs), sorted(vocabs)[0])
            secs = [s for s in secs if (s.get("vocabulary") or "").strip().lower() == keep]
        sector_items = []
        for s in secs:
            code = (s.get("code") or "").strip()
            vocab = (s.get("vocabulary") or "").strip().lower()
            listed = codelist("sector" if vocab in ("1", "dac", "") else "sector-category"
                              if vocab in ("2", "dac-3") else "").get(code.upper())
            name = self.names["sectors"].get(code) or (
                _account(listed) if listed else _account(_text(s)) if _text(s)
                else f"Sector {_account(code or '?')}")
            if name.startswith("Sector ") and code not in self.names["sectors"]:
                self.names["_unnamed"]["sectors"].add(code or "?")
            sector_items.append((name, _pct(s.get("percentage"), s, f"sector {code!r}")))
        place_items = []
        for c in countries:
            code = (c.get("code") or "").strip().upper()
            name = self.names["countries"].get(code) or _account(
                (codelist("country").get(code) or country_name(code)) if code else _text(c) or "?")
            place_items.append((name, _pct(c.get("percentage"), c, f"recipient-country {code!r}")))
        for r in regions:
            code = (r.get("code") or "").strip()
            listed = codelist("region").get(code.upper()) if (r.get("vocabulary") or "1").strip() \
                == "1" else None
            name = self.names["regions"].get(code.upper()) or _account(
                listed or _text(r) or f"Region {code or '?'}")
            if name.startswith("Region ") and code.upper() not in self.names["regions"]:
                self.names["_unnamed"]["regions"].add(code or "?")
            place_items.append((name, _pct(r.get("percentage"), r, f"recipient-region {code!r}")))
        sw, note = percentages(sector_items, "sectors")
        if note:
            notes.append(note)
        pw, note = percentages(place_items, "recipient countries/regions")
        if note:
            notes.append(note)
        sw = sw or [("Unspecified sector", Decimal(1))]
        pw = pw or [("Unspecified place", Decimal(1))]
        return [(f"{s}:{p}", a * b) for s, a in sw for p, b in pw], notes


@functools.cache
def codelist(name: str) -> dict[str, str]:
    """code -> English name, from the IATI codelist shipped as
    ``ledger/imports/codelists/NAME.csv`` (origin and CC BY 4.0 licence in
    the README.md there); ``{}`` for no name.  A --names file overrides it."""

    if not name:
        return {}
    text = files("ledger.imports").joinpath("codelists", f"{name}.csv").read_text(encoding="utf-8")
    return {r["code"].strip().upper(): r["name"].strip() for r in csv.DictReader(io.StringIO(text))}


def _value(v, act: _Activity):
    """(amount, currency, value-date, the <value> element or the problem) of
    an item's <value> (or None).  A negative amount is a reversal: the count
    nets it (``_net``)."""
    raw = (v.text or "").strip() if v is not None else ""     # lxml makes a new str per read
    if not raw:
        return None, "", "", "no <value>"
    if not _NUMBER.fullmatch(raw):
        return None, "", "", f"value {raw[:40]!r} is not a number (digits 0-9, an optional point)"
    amount = Decimal(raw)
    whole, _, places = raw.lstrip("+-").partition(".")
    # at most 15 whole digits and 12 places: within every bound (most values)
    wrong = "" if len(whole) <= 15 and len(places) <= 12 else magnitude_problem(amount)
    if wrong:
        return None, "", "", f"value {wrong}"
    cur = (v.get("currency") or "").strip().upper() or act.currency
    if not cur:
        return None, "", "", ("no currency: the value has no @currency and the activity no "
                              "@default-currency")
    if cur not in known_currencies():     # before it counts an activity (the check would drop it)
        return None, "", "", f"unknown currency {cur[:10]!r} (an ISO 4217 code such as GBP)"
    return amount, cur, _date(v, "value-date"), v


# the parts of an entry's note this reader writes, each in its wording (and
# those of ``percentages``): a re-import tells them from the user's remarks
# (``common.keep_user_edits``)
NOTES = Wordings(SHARE_NOTES)
_TRANSACTION = NOTES.add("IATI {version} transaction type {code} ({name})")
_BUDGET = NOTES.add("IATI {version} budget, {type}, status {status} ({name})")
_PLANNED = NOTES.add("IATI {version} planned disbursement")
_UNDATED = NOTES.add("no valid {what} ({given}): dated by its {by}")
_VALUE_DATE = NOTES.add("value-date {date}: the date IATI gives for its exchange rate (the "
                        "entry's value_date: converted at that date's rate)")
_FUNDER_FROM = NOTES.add("funder from the {how}")
_REPEATED = NOTES.add("repeated identically at line {line}: counted once")
_NET = NOTES.add("net of the reversal(s) {gone}: {reported} reported, {net} net")
_REVISED = NOTES.add("replaced by the revised budget {id} for the same period: linked, not "
                     "counted")
_COUNTED = NOTES.add("counted: the activity is counted once, by {rule}")
_BEYOND = NOTES.add("beyond what is left of {rule} in {cur}: linked as a restatement")
_OTHER_CURRENCY = NOTES.add("in {cur}, not in the currency of {rule}: linked as a restatement")
_LINKED = NOTES.add("linked, not counted: the activity is counted once, by {rule}")
_WITHDRAWN = NOTES.add("not counted: {file}, imported after it, no longer gives it for activity "
                       "{activity}")


ITEMS = ("transaction", "budget", "planned-disbursement")


# the parts every item of a file repeats, each worded once (``Wording`` is str.format)
@functools.lru_cache(maxsize=1024)
def _transaction_note(version: str, code: str, name: str) -> str:
    return _TRANSACTION(version=version, code=code, name=name)


@functools.lru_cache(maxsize=64)
def _counted_note(rule: str) -> str:
    return _COUNTED(rule=rule)


@functools.lru_cache(maxsize=64)
def _linked_note(rule: str) -> str:
    return _LINKED(rule=rule)


def read_iati(path: str | Path, *, names=None, progress=None,
              hierarchy: str | None = None, entries: Book | tuple[()] = (),
              newest: Mapping[str, tuple[str, str]] | None = None,
              claims: Mapping[str, str] | None = None) -> ReadResult:
    """Read one IATI activity file into records (never raises for bad data:
    a malformed or truncated file is one problem of kind "error" and gives no
    records).  ``hierarchy``: read only activities at this IATI hierarchy
    level (the others are skipped, one line per activity).  ``entries``: the
    ledger's (a Book, read from its tables; ``()`` for none); an entry
    of an activity read here that this file no longer gives is marked not
    counted (``_withdrawn``).  ``newest``: activity id ->
    (the file of the import holding its newest statement, its
    last-updated-datetime), for activities several files give
    (``newest_activities``): another file's copy is skipped whole.
    ``claims``: entry id start -> the activity of the import given first
    among those whose ids slug alike (``slug_claims``)."""
    path = Path(path)
    # one descriptor, checked and opened once: hashed, parsed, then its quotes read
    with open_data(path, "IATI file") as fh:
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
        fh.seek(0)
        return _read_file(path, fh, sha, names, progress, hierarchy, entries, newest or {},
                          claims)


def _read_file(path: Path, fh, sha: str, names, progress, hierarchy, entries=(),
               newest: Mapping[str, tuple[str, str]] | None = None,
               claims: Mapping[str, str] | None = None) -> ReadResult:
    """``read_iati`` of the open file ``fh`` whose hash is ``sha``."""
    from lxml import etree

    unnamed: dict[str, set[str]] = {"organisations": set(), "sectors": set(), "regions": set()}
    names = {**(names or load_names(None)), "_unnamed": unnamed}
    file = str(path)
    records: list[Record] = []
    problems: list[Problem] = []
    quotes: dict[int, list[tuple[Record, int, str, int]]] = {}   # source line of a <value> -> records quoting it
    on_line: dict[int, int] = {}    # source line -> the <value> elements starting on it
    doc = source_document(path, sha, "iati")
    state: dict[str, Any] = {"version": "", "activity": "", "read": 0, "acts": 0}
    tally = {"rules": {}, "counted": {}, "linked": 0}    # the count-once summary
    letters = numbers = 0
    levels: dict[str, int] = {}
    held = _LedgerActivities(entries, claims)
    # (activity id, its records), each copy of an activity the ledger holds: their
    # ids are settled once the file is read and quoted (``_LedgerActivities.keep_ids``)
    reread: list[tuple[str, list[Record]]] = []
    try:
        # events for the three elements read here only (matched in C): the
        # others are built into each activity's tree without a Python call
        ctx = etree.iterparse(fh, events=("start", "end"), resolve_entities=False,
                              no_network=True, huge_tree=False, load_dtd=False,
                              remove_comments=True, remove_pis=True,
                              tag=("{*}iati-activities", "{*}iati-activity",
                                   "{*}iati-identifier"))
        root_seen = False
        for event, el in ctx:
            if not root_seen:
                root_seen = True
                _check_root(el.getroottree())
                state["version"] = (el.getroottree().getroot().get("version") or "").strip()
            tag = _tag(el)
            if event == "start":
                if tag == "iati-activity":
                    state["activity"] = f"activity at line {el.sourceline}"
                continue
            if tag == "iati-identifier" and el.text and el.text.strip():
                state["activity"] = f"activity {' '.join(el.text.split())!r}"
            if tag != "iati-activity":
                continue
            act = _Activity(el, state["version"], names, file)
            _value_positions(act, on_line)
            state["activity"] = f"activity {act.id!r}" if act.id else state["activity"]
            state["acts"] += 1
            level = (el.get("hierarchy") or "1").strip()     # the standard's default: 1
            levels[level] = levels.get(level, 0) + 1
            n_items = sum(len(act.of(t)) for t in ITEMS)
            state["read"] += n_items
            kept = (newest or {}).get(act.id)
            if kept is not None and kept[0] != file:
                if n_items:
                    own = (el.get("last-updated-datetime") or "").strip()
                    when = (f"last-updated {kept[1]}, this copy {own}" if kept[1] and own
                            else "given later in this import")
                    problems.append(import_problem(file, state["activity"], (
                        f"superseded by the same activity in {kept[0]} ({when}): its "
                        f"{n_items} item(s) not imported"), "skip", n_items))
            elif hierarchy is not None and level != hierarchy:
                if n_items:
                    problems.append(import_problem(file, state["activity"] or f"activity at line "
                                            f"{act.line}", f"hierarchy {level}, not "
                                            f"{hierarchy} (--hierarchy): its {n_items} "
                                            f"item(s) not imported", "skip", n_items))
            else:
                try:
                    before = len(records)
                    _read_activity(act, doc, records, problems, quotes, tally, held.base(act.id))
                    if len(records) > before:   # an activity that makes no entry claims no id
                        held.claim(act.id)
                    letters += act.letter_codes
                    numbers += act.number_codes
                    if act.id in held.of:     # an activity the ledger holds: read again
                        reread.append((act.id, records[before:]))
                except (ValueError, ArithmeticError, TypeError) as err:   # odd data: a message
                    problems.append(import_problem(file, state["activity"], f"could not be read "
                                            f"({type(err).__name__}: {err}); its {n_items} "
                                            f"item(s) not imported", "reject", n_items))
            el.clear(keep_tail=False)
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
            if progress:     # (activities read, read activities still held by the tree)
                progress(state["acts"], 1 + sum(1 for _ in el.itersiblings(preceding=True)))
        if not root_seen and ctx.root is not None:
            _check_root(ctx.root.getroottree())
    except _Refuse as err:
        return ReadResult(file, [], [import_problem(file, "", str(err), "error")], None, sha)
    except etree.XMLSyntaxError as err:
        line = getattr(err, "lineno", 0) or 0
        what = "nested too deep" if "excessive depth" in str(err).lower() else \
            "truncated" if "end" in str(err).lower() and "premature" in str(err).lower() \
            or "EndTag" in str(err) or "Extra content" not in str(err) and _at_end(path, line) \
            else "malformed"
        where = state["activity"] or ""
        msg = (f"line {line}: the XML is {what} ({' '.join(str(err).split())}); nothing "
               f"imported from this file ({state['acts']} complete activit"
               f"{'y' if state['acts'] == 1 else 'ies'} before it)") if not _blank(path) \
            else "line 1: the file is empty; nothing imported from this file"
        return ReadResult(file, [], [import_problem(file, where, msg, "error")], None, sha)
    if not state["acts"]:
        problems.append(import_problem(file, "", "no <iati-activity> in this file", "error"))
    # the quotes first: an item without a ref is known again by its content, quote and all
    _attach_quotes(fh, quotes, on_line)
    held.keep_ids(reread)
    given: dict[str, set[str]] = {}     # activity id -> the entry ids this file gives it
    for act_id, recs in reread:
        given.setdefault(act_id, set()).update(r.fields["id"] for r in recs)
    records += _withdrawn(held, given, problems, file)
    if letters:
        problems.append(import_problem(file, "", f"no @version: {letters} activit"
                                f"{'y' if letters == 1 else 'ies'} with letter transaction codes "
                                f"(C, D, E...) read as IATI 1.0x", "note"))
    if numbers:
        problems.append(import_problem(file, "", f"{numbers} activit"
                                f"{'y declares' if numbers == 1 else 'ies declare'} IATI 1.0x "
                                f"and give{'s' if numbers == 1 else ''} 2.0x transaction type "
                                f"numbers (1-13): read as 2.0x (no 1.0x code is a number)",
                                "note"))
    if tally["rules"]:
        problems.append(import_problem(file, "", _summary(tally), "note"))
    if any(unnamed.values()):
        problems.append(import_problem(file, "", "accounts named after their codes (give them names in "
                                "a --names file): " + "; ".join(
                                    f"{k} {', '.join(sorted(v))}" for k, v in unnamed.items() if v),
                                "note"))
    if len(levels) > 1 and hierarchy is None:
        problems.append(import_problem(file, "", "activities at hierarchy levels "
                                + ", ".join(f"{k} ({v})" for k, v in sorted(levels.items()))
                                + ": a parent's budgets and its children's transactions may "
                                  "count the same money twice; import one level with "
                                  "--hierarchy N", "note"))
    return ReadResult(file, records, problems, doc, sha, state["read"], NOTES)


class _Refuse(Exception):
    pass


def activity_stamps(path) -> dict[str, str]:
    """activity id -> the latest @last-updated-datetime of its copies in the
    IATI file ``path`` ("" when none has one): what ``newest_activities``
    compares, one file at a time (a worker's share of a folder).  A file
    that cannot be read gives nothing here: its reading reports it."""
    return activity_facts(path)[0]


def _gives(el) -> bool:
    """Whether an activity has an item whose <value> is a number other
    than 0: what can make an entry (an activity with no items, or only 0s,
    makes none, so claims no id start: ``slug_claims``)."""
    for t in ITEMS:
        for item in el.iterchildren("{*}" + t):
            v = _kid(item, "value")
            raw = (v.text or "").strip() if v is not None else ""
            if _NUMBER.fullmatch(raw) and Decimal(raw) != 0:
                return True
    return False


def activity_facts(path) -> tuple[dict[str, str], list[tuple[str, str, bool]]]:
    """(``activity_stamps``; each activity copy in file order as (id, its
    hierarchy level, whether it can make an entry: ``_gives``)), read in
    one pass of the IATI file ``path``."""
    from lxml import etree

    found: dict[str, str] = {}
    copies: list[tuple[str, str, bool]] = []
    try:
        with open_data(Path(path), "IATI file") as fh:
            for _, el in etree.iterparse(fh, events=("end",), tag="{*}iati-activity",
                                         resolve_entities=False, no_network=True,
                                         huge_tree=False, load_dtd=False,
                                         remove_comments=True, remove_pis=True):
                ident = next((k for k in el if _tag(k) == "iati-identifier"), None)
                aid = " ".join((ident.text or "").split()) if ident is not None else ""
                if aid:
                    stamp = (el.get("last-updated-datetime") or "").strip()
                    found[aid] = max(found.get(aid, ""), stamp, key=_stamp_key)
                    # the standard's default level: 1 (as ``_read_file``)
                    copies.append((aid, (el.get("hierarchy") or "1").strip(), _gives(el)))
                el.clear(keep_tail=False)
                while el.getprevious() is not None:
                    del el.getparent()[0]
    except (OSError, LedgerError, etree.XMLSyntaxError):
        return {}, []
    return found, copies


def newest_activities(paths, stamps=None) -> dict[str, tuple[str, str]]:
    """activity id -> (the file holding its newest statement, that copy's
    last-updated-datetime), for the activities more than one of ``paths``
    gives: the copy with the latest @last-updated-datetime when every copy
    has a valid one, else the one in the later file, whatever the batches
    the files are then read in.  ``stamps``: each file's
    ``activity_stamps``, when read already (by workers)."""
    copies: dict[str, list[tuple[int, str, str]]] = {}    # id -> (order, file, stamp)
    for order, p in enumerate(paths):
        found = stamps[order] if stamps is not None else activity_stamps(p)
        for aid, stamp in found.items():
            copies.setdefault(aid, []).append((order, str(p), stamp))
    out = {}
    for aid, got in copies.items():
        if len(got) < 2:
            continue
        if all(_stamp(s) for _, _, s in got):
            _, file, stamp = max(got, key=lambda c: (_stamp(c[2]), c[0]))
            out[aid] = (file, stamp)
        else:
            out[aid] = (max(got)[1], "")
    return out


def ledger_copies(entries: Book | tuple[()], documents, archive: Path | Sequence[Path],
                  said: list[str] | None = None) -> dict[Path, set[str]]:
    """The archived IATI files the ledger's entries cite (``documents``:
    id -> ``Document``, its path within ``archive``), each with the
    activities cited from it: the statements of its activities the ledger
    last read, which an older copy in a later import must not replace
    (``newest_activities``).  Only a copy that is what the ledger recorded
    counts: a regular file inside the archive, within the size cap, of the
    recorded SHA-256; any other is left out and said in ``said`` (one line
    each: the import's statements of its activities then replace the
    ledger's whatever their dates)."""
    cited: dict[str, set[str]] = {}
    for e in _LedgerActivities(entries).held.rows:
        for c in e.sources:
            m = _LOCATOR.match(c.locator) if c.doc.startswith("iati-") else None
            doc = documents.get(c.doc) if m else None
            if m and doc is not None and doc.path:
                cited.setdefault(c.doc, set()).add(m.group(1))
    out: dict[Path, set[str]] = {}
    untrusted: list[tuple[str, int]] = []     # (what is wrong, activities) by document
    for doc_id, acts in cited.items():
        doc = documents[doc_id]
        try:
            path = _archived(archive, doc)
        except LedgerError as err:
            where = f"{doc.file}:{doc.line}: " if doc.file else ""
            n = len(acts)
            untrusted.append((f"{where}document {doc_id!r}: the ledger's archived copy is not "
                              f"used ({err}): this import's statements of its {n} activit"
                              f"{'y' if n == 1 else 'ies'} replace the ledger's whatever "
                              f"their dates; restore {doc.path!r} to compare them", n))
            continue
        out.setdefault(path, set()).update(acts)
    if said is not None:
        # a whole archive gone: the first few, then how many more in one line
        said.extend(text for text, _ in untrusted[:_SAID])
        if len(untrusted) > _SAID:
            more = untrusted[_SAID:]
            said.append(f"and {len(more)} more archived IATI file(s) not used, of "
                        f"{sum(n for _, n in more)} activities: restore them to compare")
    return out


_SAID = 5    # archived copies not used, each said; more in one line


def _archived(archive: Path | Sequence[Path], doc,
              what: str = "copy of an archived IATI file") -> Path:
    """The archived file of ``doc``, read as the archive's
    reader reads a document: confined to ``archive`` (of several folders,
    the first that holds the path: the import's ``--archive``, then the
    ledger's own), a regular file within the size cap; and of the SHA-256
    the ledger recorded.  ``LedgerError`` (``UnsafeFile``) otherwise, saying
    what is wrong."""
    folders = [archive] if isinstance(archive, Path) else list(archive)
    archive = next((a for a in folders if os.path.lexists(a / doc.path)), folders[0])
    path = archive / doc.path
    confine(path, archive, what=what)
    if doc.sha256:
        h = hashlib.sha256()
        fd = open_checked(path, inside=archive, what=what)
        with os.fdopen(fd, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != doc.sha256.lower():
            raise UnsafeFile(path, f"its SHA-256 is {h.hexdigest()[:12]}…, not the "
                                   f"{doc.sha256[:12]}… the ledger recorded")
    else:
        check_file(path, inside=archive, what=what)
    return path


def slug_claims(paths, copies, newest: Mapping[str, tuple[str, str]] | None = None,
                hierarchy: str | None = None) -> dict[str, str]:
    """entry id start -> the first activity (in file order) of an import
    whose start it is, for the starts that several activities share
    ("GB-1-2/A", "GB-1-2-a"), from each file's copies (``activity_facts``):
    each file read apart then gives the others their hashed start
    (``_LedgerActivities.base``), as one file does.  Only the activities
    the import makes entries of claim (the copy ``newest`` keeps is at the
    ``hierarchy`` level and makes entries once mapped: not one with only
    incoming funds, a negative commitment or an unknown currency), each
    where a copy of it first could (the file importing it alone would claim
    it first) -- so a folder gives the ids that importing its files one by
    one gives."""
    def counts(level: str, gives: bool) -> bool:
        return gives and (hierarchy is None or level == hierarchy)

    copies = _mapped(paths, copies, hierarchy)
    makes: dict[str, bool] = {}    # activity -> whether the copy the import keeps makes entries
    for path, found in zip(paths, copies):
        for aid, level, gives in found:
            kept = (newest or {}).get(aid)
            if kept is None or kept[0] == str(path):
                makes[aid] = makes.get(aid, False) or counts(level, gives)
    first: dict[str, str] = {}
    shared: set[str] = set()
    for found in copies:
        for aid, level, gives in found:
            if not (makes.get(aid) and counts(level, gives)):
                continue
            own = f"iati-{_id_part(aid, 60)}"
            if first.setdefault(own, aid) != aid:
                shared.add(own)
    return {own: first[own] for own in shared}


def _mapped(paths, copies, hierarchy: str | None) -> list[list[tuple[str, str, bool]]]:
    """``copies`` (``activity_facts``) with, for the activities whose id
    start another activity shares, whether each copy makes entries as the
    reader maps it (``_gives`` only says it has a value other than 0): those
    copies are mapped again, in the few files that hold them."""
    starts: dict[str, set[str]] = {}
    for found in copies:
        for aid, level, gives in found:
            if gives and (hierarchy is None or level == hierarchy):
                starts.setdefault(f"iati-{_id_part(aid, 60)}", set()).add(aid)
    shared = {aid for ids in starts.values() if len(ids) > 1 for aid in ids}
    if not shared:
        return list(copies)
    out = []
    for path, found in zip(paths, copies):
        if any(gives and aid in shared for aid, _, gives in found):
            makes = iter(_making(path, shared))
            found = [(aid, level, gives and next(makes, False)) if gives and aid in shared
                     else (aid, level, gives) for aid, level, gives in found]
        out.append(found)
    return out


def _making(path, wanted: set[str]) -> list[bool]:
    """For each copy in the IATI file ``path`` of an activity in ``wanted``
    that has a value other than 0 (``_gives``), in file order: whether the
    reader makes entries of it (``_read_activity``, its records thrown
    away)."""
    from lxml import etree

    out: list[bool] = []
    names = {**load_names(None), "_unnamed": {"organisations": set(), "sectors": set(),
                                              "regions": set()}}
    doc = {"id": "iati-scratch"}
    version = ""
    try:
        with open_data(Path(path), "IATI file") as fh:
            for event, el in etree.iterparse(fh, events=("start", "end"),
                                             tag=("{*}iati-activities", "{*}iati-activity"),
                                             resolve_entities=False, no_network=True,
                                             huge_tree=False, load_dtd=False,
                                             remove_comments=True, remove_pis=True):
                if _tag(el) == "iati-activities":
                    if event == "start":
                        version = (el.get("version") or "").strip()
                    continue
                if event != "end":
                    continue
                ident = next((k for k in el if _tag(k) == "iati-identifier"), None)
                aid = " ".join((ident.text or "").split()) if ident is not None else ""
                if aid in wanted and _gives(el):
                    records: list[Record] = []
                    try:
                        _read_activity(_Activity(el, version, names, str(path)), doc, records,
                                       [], {}, {"rules": {}, "counted": {}, "linked": 0})
                    except (ValueError, ArithmeticError, TypeError):
                        pass     # the reader refuses it: no entries
                    out.append(bool(records))
                el.clear(keep_tail=False)
                while el.getprevious() is not None:
                    del el.getparent()[0]
    except (OSError, LedgerError, etree.XMLSyntaxError):
        pass
    return out


def _stamp(text: str) -> dt.datetime | None:
    """An @last-updated-datetime as an aware datetime (UTC when it names no
    zone), or None when it is missing or not a date and time."""
    try:
        t = dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
    return t.replace(tzinfo=dt.UTC) if t is not None and t.tzinfo is None else t


def _stamp_key(text: str):
    t = _stamp(text)
    return (t is not None, t or dt.datetime.min.replace(tzinfo=dt.UTC))


def _check_root(tree) -> None:
    """Refuse a file with a DOCTYPE or whose root is not <iati-activities>."""
    if tree.docinfo.doctype:
        raise _Refuse("has a DOCTYPE declaration; IATI files have none and entities are not "
                      "expanded: not read")
    root = tree.getroot()
    if _tag(root) != "iati-activities":
        raise _Refuse(f"not an IATI activity file (the root element is <{_tag(root)}>, "
                      f"expected <iati-activities>)")


def _blank(path: Path) -> bool:
    """Is the file empty (nothing but blanks, or a byte-order mark)?  Read
    up to its first other byte, whatever its size."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(1 << 16).removeprefix(b"\xef\xbb\xbf")
            while data:
                if data.strip():
                    return False
                data = fh.read(1 << 16)
    except OSError:
        return False
    return True


def _at_end(path: Path, line: int) -> bool:
    """Did the parser stop at the file's last line (a truncated file)?"""
    try:
        with open_data(path, "IATI file") as fh:
            n = sum(1 for _ in fh)
        return line >= n
    except (OSError, LedgerError):
        return False


def _value_positions(act: _Activity, on_line: dict[int, int]) -> None:
    """Number the activity's <value> elements on each source line, in
    document order after those of the activities before it (``on_line``), so
    each record quotes its own element even where a line holds many."""
    for v in act.el.iter("{*}value"):
        if v.prefix is None:      # written ``<value``, as ``_VALUE_START`` finds it
            line = v.sourceline or 0
            n = on_line.get(line, 0)
            act.vpos[v] = n
            on_line[line] = n + 1


def _attach_quotes(fh, quotes: dict[int, list[tuple[Record, int, str, int]]],
                   on_line: dict[int, int]) -> None:
    """Each record quotes its <value> element as written in the file (one
    more streaming pass, reading only the lines needed): the n-th ``<value``
    start tag of its line; a netted record quotes its reversals too, one
    citation each.  Where the line's start tags are not the elements the
    parser saw there (a comment, a tag spread over lines), the number is
    quoted alone unless the line holds it once."""
    if not quotes:
        return
    at = 0       # lines read so far; the others are skipped in C
    fh.seek(0)
    for n in sorted(k for k in quotes if type(k) is int and k > 0):   # lxml: None if unknown
        raw = next(itertools.islice(fh, n - 1 - at, None), None)
        at = n
        if raw is None:
            break
        line = raw.decode("utf-8", "replace")
        starts = [m.start() for m in _VALUE_START.finditer(line)]
        sound = len(starts) == on_line.get(n, -1)
        by_number: dict[str, list[str]] | None = None     # made where first needed
        for rec, k, number, pos in quotes[n]:
            if sound and 0 <= pos < len(starts):
                own = _VALUE_ELEMENT.match(line, starts[pos])
                hit = own.group(1) if own and own.group(2) == number else None
            else:
                if by_number is None:
                    by_number = {}
                    for e in _VALUE_ELEMENT.finditer(line):
                        by_number.setdefault(e.group(2), []).append(e.group(1))
                one = by_number.get(number, [])
                hit = one[0] if len(one) == 1 else None
            if hit:
                rec.fields["source"][k]["quote"] = hit
    for cites in quotes.values():
        for rec, k, number, _pos in cites:
            src = rec.fields["source"][k]
            if not src.get("quote"):     # a <value> spread over lines: quote the number
                src["quote"] = number


def _summary(tally) -> str:
    """The file's count-once line: which rule counted how many activities,
    and the total counted per currency."""
    rules = ", ".join(f"{n} by {rule}" for rule, n in tally["rules"].items())
    money = ", ".join(f"{plain_decimal(v)} {c}" for c, v in sorted(tally["counted"].items())) \
        or "nothing (every item refused)"
    return (f"counted once per activity (docs/interop.md, Counting once): {rules}; counted "
            f"{money}; {tally['linked']} item(s) linked to what counts them, measured but not "
            f"added")


# Counting once (docs/interop.md "Counting once"): the stage of each item, and the
# stages that count an activity, first found first
STAGES = {"2": "commitment", "11": "incoming commitment", "12": "pledge", "13": "incoming pledge",
          "3": "disbursement", "7": "disbursement", "4": "expenditure"}
COUNTED_BY = {("commitment",): "its commitments",
              ("incoming commitment",): "its incoming commitments",
              ("budget",): "its budgets",
              ("planned",): "its planned disbursements",
              ("disbursement", "expenditure"): "its disbursements and expenditure",
              ("pledge",): "its pledges",
              ("incoming pledge",): "its incoming pledges"}
LINK_KIND = {"disbursement": "disburses", "expenditure": "disburses", "budget": "part_of",
             "planned": "part_of"}


def _transaction_type(tt, act: _Activity) -> tuple[str, str]:
    """(code in the 2.0x list, or '?...' when unknown; the code as written).
    1.0x letter codes where the file is 1.0x, or declares no version at all;
    a type given by its name ("Disbursement") in @code or as the text."""
    if tt is None:
        return "", ""
    raw = (tt.get("code") or "").strip()
    if not raw:
        name = _text(tt)
        return (TYPE_BY_NAME.get(name.lower(), "?" + name), name) if name else ("", "")
    if act.v1 or (not act.version and raw.upper() in V1_CODES):
        if not act.v1:
            act.letter_codes = True
        code = V1_CODES.get(raw.upper())
        if code is None and raw in TRANSACTION_TYPES:   # no letter code is a number
            act.number_codes = True
            code = raw
    else:
        code = raw if raw in TRANSACTION_TYPES else None
    return code or TYPE_BY_NAME.get(raw.lower(), "?" + raw), raw


# an activity's own id start: made by ``base`` and again by ``claim``
@functools.lru_cache(maxsize=8192)
def _id_part(text: str, most: int) -> str:
    """An activity id or a transaction ref as part of an entry id: its slug
    when that has at most ``most`` characters (the ids ledgers already
    hold); a longer one cut to a readable start plus a short hash of the
    whole text, so that two ids sharing their first ``most`` characters stay
    apart; a text with nothing to slug (no Latin letter or digit), its hash."""
    s = _slug(text)
    if s and len(s) <= most:
        return s
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    head = s[:most - 11].rstrip("-")
    return f"{head}-{digest}" if head else digest


# an IATI entry's locator names its activity ("activity ID, transaction 'REF'")
_LOCATOR = re.compile(r"activity (.+?), (?:transaction |budget |planned disbursement )")


class _LedgerActivities:
    """The ledger's entries imported from IATI, by the activity their
    citation names (its whole identifier, whatever their ids say)."""

    def __init__(self, entries: Book | tuple[()], claims: Mapping[str, str] | None = None):
        self.held = HeldEntries(entries, "iati-")
        self.of: dict[str, list[Held]] = {}
        for e in self.held.rows:
            for c in e.sources:
                m = _LOCATOR.match(c.locator) if c.doc.startswith("iati-") else None
                if m:
                    self.of.setdefault(m.group(1), []).append(e)
                    break
        # an id start -> the activity whose entries hold it
        self.taken: dict[str, str] = {}
        for act_id, held in self.of.items():
            own = f"iati-{_id_part(act_id, 60)}"
            if any(e.id.startswith(own + "-") for e in held):
                self.taken.setdefault(own, act_id)
        # then the import's other files: its first activity of a start keeps it
        for own, act_id in (claims or {}).items():
            self.taken.setdefault(own, act_id)

    def base(self, act_id: str) -> str:
        """The start of the activity's entry ids: its own (``_id_part``),
        unless the ledger or this file already gives it to another activity
        whose identifier slugs alike ("GB-1-2/A", "GB-1-2-a"): then with a
        hash of the whole identifier, so each keeps its entries."""
        if not act_id:
            return ""
        own = f"iati-{_id_part(act_id, 60)}"
        if self.taken.get(own, act_id) == act_id:
            return own
        digest = hashlib.sha256(act_id.encode("utf-8")).hexdigest()[:10]
        return f"iati-{_slug(act_id)[:49].rstrip('-')}-{digest}"

    def claim(self, act_id: str) -> None:
        """The activity made entries: its id start is its own from now on
        (unless another's already), as in a ledger that holds them."""
        if act_id:
            self.taken.setdefault(f"iati-{_id_part(act_id, 60)}", act_id)

    def keep_ids(self, reread: Iterable[tuple[str, list[Record]]]) -> None:
        """Each record of an activity the ledger holds (``reread``: each copy
        of such an activity read, with its records, quoted) takes the id of
        the ledger's entry of the same item, and the links to it follow, so
        that an update reaches the entry of that item and no other:

        - an item without a ref (a transaction, a budget, a planned
          disbursement), whose id says its position, is known by its content
          (``_unnamed``), so that one removed or added before it shifts no
          id; one the ledger does not hold, whose positional id an entry of
          another item holds, takes an id no entry holds (``_fresh``);
        - an item with a ref whose id the ledger lacks takes the id of the
          entry citing the same item (the same locator) that no record
          gives: it keeps the id it was first imported under (a long
          identifier or ref cut before ``_id_part`` hashed it), rather than
          counting twice."""
        plans = [_Unnamed(act_id, self.of[act_id], recs) for act_id, recs in reread]
        # the entries read whole (their date, funder, recipient): those of items
        # the cheap match leaves, in one pass over the ledger
        need = {e.id for plan in plans for e in plan.waiting()}
        views = {e.id: e for e in self.held.whole(need)} if need else {}
        for plan in plans:
            renamed = plan.settle(views, self.ids)
            renamed.update(_by_locator(self.of[plan.act_id], plan.named, set(renamed.values())))
            for r in plan.records if renamed else ():
                f = r.fields
                f["id"] = renamed.get(f["id"], f["id"])
                for kind in LINK_KINDS:
                    if f.get(kind) in renamed:
                        f[kind] = renamed[f[kind]]

    @functools.cached_property
    def ids(self) -> frozenset[str]:
        """The ids of the ledger's IATI entries."""
        return frozenset(e.id for e in self.held.rows)


def _by_locator(held: list[Held], named: list[Record], taken: set[str]) -> dict[str, str]:
    """record id -> the id of the ledger's entry (of ``held``, not in
    ``taken``) citing the same item, for each record of an item with a ref
    (``named``) whose id the ledger lacks (``_LedgerActivities.keep_ids``)."""
    ids = {r.fields["id"] for r in named} | taken
    free: dict[str, list] = {}
    for e in held:
        if e.id not in ids and e.sources:
            free.setdefault(e.sources[0].locator, []).append(e)
    known = {e.id for e in held}
    renamed: dict[str, str] = {}
    for r in named:
        f = r.fields
        waiting = free.get(f["source"][0]["locator"]) if f["id"] not in known else None
        if waiting:
            renamed[f["id"]] = waiting.pop(0).id
    return renamed


def _own_cite(sources: Iterable[Citation]) -> Citation | None:
    """The citation the importer wrote: the first of an IATI document that
    names an activity (a user's own citations come after it)."""
    return next((c for c in sources if c.doc.startswith("iati-") and _LOCATOR.match(c.locator)),
                None)


def _unnamed(act_id: str, locator: str) -> str | None:
    """What the locator of an item of the activity says of it when the item
    has no ref, its position left out ("transaction #"; a budget's or planned
    disbursement's period), else None (a transaction with a ref)."""
    head = f"activity {act_id}, "
    if not locator.startswith(head):
        return None
    rest = locator[len(head):]
    if rest.startswith("transaction #"):
        return "transaction #"
    return rest if rest.startswith(("budget ", "planned disbursement ")) else None


def _family(act_id: str, locator: str) -> str:
    """The kind of item a locator of the activity names ("transaction",
    "budget", "planned disbursement"; "" for another activity's): the
    items whose ids count positions together."""
    head = f"activity {act_id}, "
    if not locator.startswith(head):
        return ""
    rest = locator[len(head):]
    return next((k for k in ("transaction", "budget", "planned disbursement")
                 if rest.startswith(k + " ")), "")


def _kind_tag(tags) -> str:
    """The tag naming an item's type or status (iati-type-D,
    iati-budget-status-1...): the importer's first after "iati"."""
    return next((t for t in tags if t.startswith("iati-")), "")


class _Unnamed:
    """The items of one activity that have no ref (``_unnamed``), as read
    again, and the ledger's entries of such items: each record is paired with
    the entry of the same item (``settle``).

    The content of an item: its kind and period (the locator, its position
    left out), its type or status tag, currency and <value> as quoted (the
    value-date and number), then (the entries read whole) its date, funder
    and recipient.  Paired in turn: the same content, the positional id
    preferred among equals, then an entry not withdrawn, then the first;
    then, the rest, by what the importer wrote and cited (kind, period, tag,
    currency, quote), so that an entry whose funder or date the user edited,
    or whose funder --names now calls otherwise, is still its item's; then
    the same number (the publisher moved the date), then the same but the
    number, on the same date (it changed the figure), each where one record
    and one entry give it; then by position (an entry whose id the record's
    position gives, if no other record took it, of the same type or status,
    as older versions paired them), only while the file gives as many items
    of the kind as the ledger holds, those withdrawn aside, and every item
    of the kind paired otherwise sits where its entry's item sat."""

    def __init__(self, act_id: str, held: list[Held], records: list[Record]):
        self.act_id, self.records = act_id, records
        self.named: list[Record] = []
        self.items: list[tuple[Record, str]] = []       # (record, ``_unnamed``)
        for r in records:
            where = _unnamed(act_id, r.fields["source"][0]["locator"])
            if where is None:
                self.named.append(r)
            else:
                self.items.append((r, where))
        named_ids = {r.fields["id"] for r in self.named}
        # how many items of each kind the file gives and the ledger holds (but
        # those withdrawn): where they differ, one was removed or added, and a
        # position names another item than it did
        counts: dict[str, int] = {}
        for r in records:
            fam = _family(act_id, r.fields["source"][0]["locator"])
            counts[fam] = counts.get(fam, 0) + 1
        for e in held:
            cite = _own_cite(e.sources)
            if cite is not None and f"{NOT_COUNTED}-withdrawn" not in e.tags:
                fam = _family(act_id, cite.locator)
                counts[fam] = counts.get(fam, 0) - 1
        self.by_position = {fam for fam, n in counts.items() if n == 0}
        self.held: list[tuple[Held, str]] = []
        self.quote: dict[str, str] = {}       # entry id -> the quote of its own citation
        self.cited: dict[str, str] = {}       # entry id -> the locator of its own citation
        for e in held:
            cite = _own_cite(e.sources)
            where = _unnamed(act_id, cite.locator) if cite is not None else None
            if cite is not None and where is not None:
                self.held.append((e, where))
                self.quote[e.id] = cite.quote
                self.cited[e.id] = cite.locator
        # entries of items without a ref whose id a ref now gives (an id given
        # before ids of refs and fresh ids were kept apart): paired only as the
        # same quote, else the ref's item takes the id, as before
        self.claimed = {e.id for e, _ in self.held if e.id in named_ids}
        self.paired: dict[int, str] = {}      # record index in ``items`` -> entry id
        # the cheap pairing: where a record's positional id is the entry of the same
        # item, and no other record or entry of the activity looks the same (a file
        # imported again, unchanged)
        cheap_r: dict[tuple, int] = {}
        for r, where in self.items:
            key = self._cheap(r.fields, where)
            cheap_r[key] = cheap_r.get(key, 0) + 1
        cheap_h: dict[tuple, list[Held]] = {}
        for e, where in self.held:
            cheap_h.setdefault((where, _kind_tag(e.tags), e.currency, self.quote[e.id]),
                               []).append(e)
        for k, (r, where) in enumerate(self.items):
            key = self._cheap(r.fields, where)
            got = cheap_h.get(key, [])
            if cheap_r[key] == 1 and len(got) == 1 and got[0].id == r.fields["id"]:
                self.paired[k] = got[0].id

    @staticmethod
    def _cheap(f: dict, where: str) -> tuple:
        return (where, _kind_tag(f["tags"]), f["currency"], f["source"][0].get("quote", ""))

    def _kind(self, k: int) -> str:
        return _family(self.act_id, self.items[k][0].fields["source"][0]["locator"])

    def _place(self, k: int) -> str:
        """Where record ``k`` sits in the file: a transaction's locator (it
        names its position), else its positional id (a budget's locator names
        its period)."""
        r, where = self.items[k]
        return r.fields["source"][0]["locator"] if where == "transaction #" else r.fields["id"]

    def _position(self, eid: str) -> str:
        """Where entry ``eid``'s item sat in the file it cites, as ``_place``:
        a transaction's locator, else its id as first given (a fresh id's
        ".N" left out)."""
        loc = self.cited[eid]
        return loc if _unnamed(self.act_id, loc) == "transaction #" else re.sub(r"\.\d+$", "", eid)

    def _in_place(self, k: int, eid: str) -> bool:
        return self._place(k) == self._position(eid)

    def waiting(self) -> list[Held]:
        """The entries not yet paired, when a record is not either."""
        if len(self.paired) == len(self.items):
            return []
        taken = set(self.paired.values())
        return [e for e, _ in self.held if e.id not in taken]

    def settle(self, views: Mapping[str, EntryRow], held_ids: frozenset[str]) -> dict[str, str]:
        """record id (positional) -> the id it takes, where not its own."""
        left = [k for k in range(len(self.items)) if k not in self.paired]
        taken = set(self.paired.values())
        entries = [views[e.id] for e, _ in self.held if e.id not in taken and e.id in views]
        where_of = {e.id: w for e, w in self.held}

        def content(f: dict, where: str) -> tuple:
            return (*self._cheap(f, where), f["date"], f["funder"], f.get("recipient") or "")

        def of_entry(e: EntryRow) -> tuple:
            return (where_of[e.id], _kind_tag(e.tags), e.currency, self.quote[e.id], e.date,
                    e.funder, e.recipient or "")

        def pair(key_r, key_e, unique: bool) -> None:
            nonlocal left
            by: dict[tuple, list[EntryRow]] = {}
            for e in entries:
                if e.id not in taken and not (unique and e.id in self.claimed):
                    by.setdefault(key_e(e), []).append(e)
            wanted: dict[tuple, int] = {}
            for k in left:
                kr = key_r(*self.items[k])
                wanted[kr] = wanted.get(kr, 0) + 1
            for k in left:
                r, where = self.items[k]
                kr = key_r(r, where)
                got = [e for e in by.get(kr, ()) if e.id not in taken]
                if not got or unique and (len(got) > 1 or wanted[kr] > 1):
                    continue
                own = r.fields["id"]
                best = min(got, key=lambda e: (e.id != own, NOT_COUNTED in e.tags))
                self.paired[k] = best.id
                taken.add(best.id)
            left = [k for k in left if k not in self.paired]

        pair(lambda r, w: content(r.fields, w), of_entry, False)
        # what the importer wrote and cited, whatever the user edited since or
        # --names calls the funder now: the quote of the item's <value>
        pair(lambda r, w: content(r.fields, w)[:4], lambda e: of_entry(e)[:4], False)
        # the same item, its date changed: the same value, or its figure
        # changed: the same date and value-date, where one record and one entry
        # give it; the value first, as the user's citations quote it (two
        # items that swap dates keep their figures and the quotes made of them)
        pair(lambda r, w: (*content(r.fields, w)[:3], _figure_apart(content(r.fields, w)[3])[1]),
             lambda e: (*of_entry(e)[:3], _figure_apart(self.quote[e.id])[1]), True)
        # a budget's or planned disbursement's date and value-date are its
        # period's, which all of the period's items share: this pass pairs
        # one only where the file and the ledger each hold one for its period
        # (else a removal and an addition would read as a figure change)
        in_file = Counter(w for _, w in self.items)
        in_ledger = Counter(w for _, w in self.held)

        def sole(w: str) -> bool:
            return w == "transaction #" or in_file[w] == 1 and in_ledger[w] == 1

        pair(lambda r, w: (*content(r.fields, w)[:3], _figure_apart(content(r.fields, w)[3])[0],
                           r.fields["date"]) if sole(w) else (None,),
             lambda e: (*of_entry(e)[:3], _figure_apart(self.quote[e.id])[0], e.date), True)
        # by position, as older versions paired every item (of the same type or
        # status), only where a position cannot name another item: the file
        # gives as many items of the kind as the ledger holds (withdrawn ones
        # aside), and every item of the kind paired above sits at the position
        # its entry had (``_in_place``): once one moved, an item was removed or
        # added before it, and an item left is a new entry (a fresh id)
        moved = {self._kind(k) for k, eid in self.paired.items() if not self._in_place(k, eid)}
        withdrawn = f"{NOT_COUNTED}-withdrawn"
        at: dict[str, list[Held]] = {}
        for e, _ in self.held:
            if e.id not in taken and e.id not in self.claimed and withdrawn not in e.tags:
                at.setdefault(self._position(e.id), []).append(e)
        free = {place: got[0] for place, got in at.items() if len(got) == 1}   # one, not a guess
        live = Counter(w for e, w in self.held if withdrawn not in e.tags)
        for k in left:
            r, where = self.items[k]
            kind = self._kind(k)
            if kind not in self.by_position or kind in moved:
                continue
            # a budget's or planned disbursement's ``where`` is its period:
            # never paired with an item of another period, nor where the file
            # and the ledger hold different numbers of the period's items (one
            # was added or removed: a position may name another)
            there = free.get(self._place(k))
            if there is not None and _kind_tag(there.tags) == _kind_tag(r.fields["tags"]) \
                    and where_of[there.id] == where \
                    and (where == "transaction #" or in_file[where] == live[where]):
                self.paired[k] = there.id
                taken.add(there.id)
                del free[self._place(k)]
        renamed: dict[str, str] = {}
        for k, eid in self.paired.items():
            own = self.items[k][0].fields["id"]
            if eid != own:
                renamed[own] = eid
        # a new item whose positional id an entry of another item holds, or a
        # record paired above takes, and an item with a ref whose id is an
        # entry's paired above: an id none holds
        used = set(taken) | {r.fields["id"] for r, _ in self.items} | {
            r.fields["id"] for r in self.named}
        for k, (r, _) in enumerate(self.items):
            own = r.fields["id"]
            if k not in self.paired and (own in held_ids or own in taken):
                renamed[own] = _fresh(own, held_ids, used)
                used.add(renamed[own])
        for r in self.named:
            own = r.fields["id"]
            if own in taken:
                renamed[own] = _fresh(own, held_ids, used)
                used.add(renamed[own])
        return renamed


# a quoted <value>: the element around its number, and the number
_QUOTED_VALUE = re.compile(r"(.*>)([^<>]*)(</[^<>]*>\s*)", re.S)


def _figure_apart(quote: str) -> tuple[str, str]:
    """(the quote but its number, the number) of a quoted <value>."""
    m = _QUOTED_VALUE.fullmatch(quote)
    return (m[1] + m[3], m[2].strip()) if m else (quote, "")


def _fresh(own: str, held_ids: frozenset[str], used: set[str]) -> str:
    """``own`` with the first ending .2, .3... that no entry holds and no
    record takes: a ref's slug has no ".", so no later ref takes it."""
    n = 2
    while f"{own}.{n}" in held_ids or f"{own}.{n}" in used:
        n += 1
    return f"{own}.{n}"


def _withdrawn(held: _LedgerActivities, given: dict[str, set[str]], problems, file) -> list[Record]:
    """The ledger's entries of the activities read that this file no longer
    gives (withdrawn by the publisher, given another ref, or now skipped),
    each kept with its figures and citations but tagged not counted
    (``not-counted-withdrawn``), as FTS's newer download marks a flow it no
    longer counts, and named in a warning: a newer file is the publisher's
    current statement of its activities."""
    out = []
    name = Path(file).name
    gone = [(act_id, e) for act_id, ids in given.items() for e in held.of.get(act_id, ())
            if e.id not in ids and NOT_COUNTED not in e.tags]
    # the whole rows of these only: each is written again whole
    views = {e.id: e for e in held.held.whole(e.id for _, e in gone)}
    for act_id, e in gone:
        where = f"activity {act_id!r}"
        out.append(withdrawn(views[e.id], where, _WITHDRAWN(file=name, activity=act_id)))
        loc = f"{e.file}:{e.line}" if e.line else e.file
        problems.append(import_problem(file, where, (
            f"entry {e.id!r} ({loc}), imported from an earlier file of this activity, is not "
            f"in this one (withdrawn, its ref changed, or rejected or skipped above): tagged "
            f"{NOT_COUNTED}-withdrawn, kept with its figures and sources, left out of every "
            f"total"), "warning"))
    return out


def _published(el) -> tuple:
    """A transaction as published: every element and attribute below it,
    namespaces kept, text with its white space collapsed (comments and
    processing instructions are not read): two transactions are repeated
    identically when theirs are equal."""
    return (el.tag, tuple(sorted((k, " ".join(v.split())) for k, v in el.attrib.items())),
            " ".join((el.text or "").split()),
            tuple(_published(c) for c in el if type(c.tag) is str))


def _read_activity(act: _Activity, doc, records, problems, quotes, tally, base: str = "") -> None:
    """Records for one activity's transactions, budgets and planned
    disbursements (ITEMS), counted once (``_count``); ``base``: the start of
    their ids when not the activity's own (``_LedgerActivities.base``)."""
    file = act.file
    if not act.id:
        for tag in ITEMS:
            for k, item in enumerate(act.of(tag), 1):
                ref = (item.get("ref") or "").strip() if tag == "transaction" else ""
                label = f"{tag.replace('-', ' ')} {ref!r}" if ref else f"{tag.replace('-', ' ')} #{k}"
                problems.append(import_problem(file, f"activity at line {act.line} {label} (line "
                                              f"{item.sourceline})",
                                        "the activity has no <iati-identifier>: not imported"))
        return
    base = base or f"iati-{_id_part(act.id, 60)}"
    items: list[dict] = []       # per record: fields + rule data (stage, amount, net...)
    refs_seen: dict[str, int] = {}
    suffixes: set[str] = set()      # the transaction ids' ends given so far
    # a few fields -> {the whole transaction (``_published``) -> the first giving it}; a
    # group's first is under None until a second comes (each transaction read once at most)
    seen: dict[tuple, dict] = {}
    for k, t in enumerate(act.of("transaction"), 1):
        ref = (t.get("ref") or "").strip()
        label = f"transaction {ref!r}" if ref else f"transaction #{k}"
        tline = t.sourceline
        where = f"activity {act.id!r} {label} (line {tline})"
        kids = _first_kids(t)
        code, raw_code = _transaction_type(kids.get("transaction-type"), act)
        if not raw_code:
            problems.append(import_problem(file, where, "no <transaction-type> code: not imported"))
            continue
        if code not in TRANSACTION_TYPES:
            other = "a 1.0x letter code" if raw_code.upper() in V1_CODES else ""
            whose = "this activity" if act.el.get("version") else "this file"
            hint = (f" ({other}; {whose} declares version {act.version or '?'})"
                    if other else "")
            known = ", ".join(V1_CODES) if act.v1 else "1-13"
            problems.append(import_problem(file, where, f"unknown transaction type {raw_code!r}{hint}; "
                                                 f"known: {known} (or their names); not imported"))
            continue
        tname, status = TRANSACTION_TYPES[code]
        if status is None:
            problems.append(import_problem(file, where, f"type {raw_code} ({tname}) skipped: "
                                                 f"{SKIP_REASON[code]}", "skip"))
            continue
        amount, cur, vdate, v = _value(kids.get("value"), act)
        if amount is None:
            problems.append(import_problem(file, where, f"{v}"))
            continue
        tdate = _date(kids.get("transaction-date"))
        date = tdate if tdate and _valid_date(tdate) else vdate
        if not date or not _valid_date(date):
            problems.append(import_problem(file, where, f"no valid date (transaction-date "
                                                 f"{tdate or 'missing'}, value-date "
                                                 f"{vdate or 'missing'}): not imported"))
            continue
        number = (v.text or "").strip()
        # a few fields first (cheap); the whole transaction only where they agree
        same = (ref, code, number, cur, tdate, vdate,
                _text(kids.get("description")))
        group, published, first = seen.get(same), None, None
        if group is not None:
            if None in group:
                alone = group.pop(None)
                group[_published(alone["el"])] = alone
            published = _published(t)
            first = group.get(published)
        if first is not None:
            problems.append(import_problem(file, where, f"probable duplicate of the transaction at line "
                                                 f"{first['line']} (identical in every element "
                                                 f"and attribute): counted once", "skip"))
            first["notes"].append(_REPEATED(line=tline))
            continue
        if amount == 0:
            problems.append(import_problem(file, where, "value 0: nothing to record", "skip"))
            continue
        funder, how = act.funder(kids.get("provider-org"))
        if not funder:
            problems.append(import_problem(file, where, "no provider-org, funding participating-org "
                                                 "or reporting-org to name the funder"))
            continue
        stem = _id_part(ref or f"{k}", 40)
        n = refs_seen.get(stem, 0) + 1
        suffix = stem + (f"-{n}" if n > 1 else "")
        while suffix in suffixes:     # refs "1", "1" and "1-2": not two "1-2"
            n += 1
            suffix = f"{stem}-{n}"
        refs_seen[stem] = n
        suffixes.add(suffix)
        version = act.version or ("1.0x (no @version; letter codes)" if act.letter_codes else "?")
        notes = [_transaction_note(version, raw_code, tname)]
        if date != tdate:
            notes.append(_UNDATED(what="transaction-date", given=tdate or "missing",
                                  by="value-date"))
        elif vdate and vdate != tdate and _valid_date(vdate):
            notes.append(_VALUE_DATE(date=vdate))
        if how != "provider-org":
            notes.append(_FUNDER_FROM(how=how))
        item = dict(kind="t", stage=STAGES[code], code=code, status=status, amount=amount,
                    cur=cur, date=date, funder=funder, el=t, kids=kids, where=where, notes=notes,
                    id=f"{base}-t-{suffix}", tag=f"iati-type-{raw_code}", line=tline,
                    label=f"{label} (line {tline})",
                    locator=f"activity {act.id}, {label}", vline=v.sourceline, vpos=act.vpos.get(v, -1),
                    number=number, recipient=_text(kids.get("receiver-org")),
                    value_date=vdate if date == tdate and vdate and vdate != tdate
                    and _valid_date(vdate) else None)
        if group is None:
            seen[same] = {None: item}
        else:
            group[published] = item
        items.append(item)
    budgets = []
    # a budget or planned disbursement repeated identically counts once, as a
    # transaction does: said here, so a re-import counts it as a fresh import
    once: dict[tuple, dict] = {}
    for k, b in enumerate(act.of("budget"), 1):
        where = f"activity {act.id!r} budget #{k} (line {b.sourceline})"
        if _repeated(b, once, where, problems, file):
            continue
        item = _period_item(act, b, where, problems, f"{base}-b-{k}", "budget")
        if item is None:
            continue
        st = _budget_code(b, "status", BUDGET_STATUS_CODE, "BudgetStatus: 1 Indicative, "
                          "2 Committed", where, problems, file)
        btype = st and _budget_code(b, "type", BUDGET_TYPE_CODE, "BudgetType: 1 Original, "
                                    "2 Revised", where, problems, file)
        if not st or not btype:
            continue
        item.update(stage="budget", status=BUDGET_STATUS[st], btype=btype,
                    tag=f"iati-budget-status-{st}", label=f"budget #{k} (line {b.sourceline})")
        item["notes"].insert(0, _BUDGET(version=act.version or "1.0x", type=BUDGET_TYPE[btype],
                                        status=st, name=BUDGET_STATUS_NAME[st]))
        budgets.append(item)
        once[_published(b)] = item
    # a revised budget replaces the original for the same period
    revised: dict[tuple[str, str], dict] = {}
    for i in budgets:
        if i["btype"] == "2":
            revised.setdefault((i["start"], i["end"]), i)
    for i in budgets:
        if i["btype"] == "1" and (i["start"], i["end"]) in revised:
            i["superseded_by"] = revised[(i["start"], i["end"])]
        items.append(i)
    for k, p in enumerate(act.of("planned-disbursement"), 1):
        where = f"activity {act.id!r} planned disbursement #{k} (line {p.sourceline})"
        if _repeated(p, once, where, problems, file):
            continue
        item = _period_item(act, p, where, problems, f"{base}-pd-{k}", "planned disbursement")
        if item is None:
            continue
        once[_published(p)] = item
        item.update(stage="planned", status="pledged", tag="iati-planned-disbursement",
                    label=f"planned disbursement #{k} (line {p.sourceline})")
        item["notes"].insert(0, _PLANNED(version=act.version or "1.0x"))
        items.append(item)
    _count(items, problems, file, tally)
    reported = set()
    for it in items:
        if it["net"] <= 0:
            continue
        try:
            weights, pnotes = act.purposes(it["el"], it["kids"])
        except _BadPercent as err:
            problems.append(import_problem(file, it["where"], str(err)))
            continue
        for note in pnotes:
            if note not in reported:
                reported.add(note)
                problems.append(import_problem(file, f"activity {act.id!r}", note, "note"))
        # one purpose: the whole amount (as ``shares`` gives it, without a call)
        parts = [(weights[0][0], it["net"])] if len(weights) == 1 else \
            shares(it["net"], it["cur"], weights)
        if it.get("counts"):
            _tally(tally, it["cur"], [a for _, a in parts] or [it["net"]])
        f = {"id": it["id"], "date": _as_date(it["date"]), "funder": it["funder"],
             "amount": plain_decimal(it["net"]), "currency": it["cur"], "status": it["status"],
             "tags": ["iati", it["tag"]], "notes": "; ".join(it["notes"] + pnotes)}
        if it.get("recipient"):    # an empty field left out, as the journal leaves it
            f["recipient"] = it["recipient"]
        if it.get("period"):
            f["period"] = it["period"]
        if it.get("value_date"):   # IATI's value-date: the date of the exchange rate
            f["value_date"] = _as_date(it["value_date"])
        if len(parts) > 1:
            f["split"] = [{"purpose": p, "amount": plain_decimal(a)} for p, a in parts]
        else:
            f["purpose"] = parts[0][0] if parts else "Unspecified sector:Unspecified place"
        if it.get("link"):
            f[it["link"][0]] = it["link"][1]
        cited = [it] + it["netted"]
        f["source"] = [{"doc": doc["id"], "locator": c["locator"] + (" (reversal)" if c["amount"] < 0
                                                                     else "")} for c in cited]
        rec = Record(it["where"], f)
        records.append(rec)
        for k, c in enumerate(cited):
            quotes.setdefault(c["vline"], []).append((rec, k, c["number"], c["vpos"]))


def _repeated(el, once: dict[tuple, dict], where: str, problems, file) -> bool:
    """Whether ``el`` (a budget or planned disbursement) repeats one read
    before (``once``: each as published -> its item), every element and
    attribute alike: then skipped, said, and noted on the first."""
    first = once.get(_published(el))
    if first is None:
        return False
    problems.append(import_problem(file, where, f"probable duplicate of the {el.tag.replace('-', ' ')} "
                                         f"at line {first['line']} (identical in every element "
                                         f"and attribute): counted once", "skip"))
    first["notes"].append(_REPEATED(line=el.sourceline))
    return True


def _budget_code(el, attr: str, codes: dict, listed: str, where, problems, file) -> str | None:
    """A budget's @status or @type (default 1) by code or name, else None
    and the problem said."""
    raw = (el.get(attr) or "1").strip()
    code = codes.get(raw.lower())
    if code is None:
        problems.append(import_problem(file, where, f"unknown budget {attr} {raw!r} ({listed}, by code "
                                             f"or name); not imported"))
    return code




@functools.lru_cache(maxsize=4096)
def _as_date(text: str):
    return dt.date.fromisoformat(text)


def _period_item(act, el, where, problems, eid, what):
    amount, cur, vdate, v = _value(_kid(el, "value"), act)
    if amount is None:
        problems.append(import_problem(act.file, where, v))
        return None
    if amount == 0:
        problems.append(import_problem(act.file, where, "value 0: nothing to record", "skip"))
        return None
    start = _date(_kid(el, "period-start"))
    end = _date(_kid(el, "period-end"))
    if end and not _valid_date(end):
        problems.append(import_problem(act.file, where, f"period-end {end!r} is not a date: "
                                                 f"not imported"))
        return None
    undated = ""
    if (not start or not _valid_date(start)) and end:     # dated by the end it gives
        undated, start, end = _UNDATED(what="period-start", given=start or "missing",
                                       by="period-end"), end, ""
    if not start or not _valid_date(start):
        problems.append(import_problem(act.file, where, f"no valid period-start "
                                                 f"({start or 'missing'}): not imported"))
        return None
    if end and end < start:
        problems.append(import_problem(act.file, where, f"period ends ({end}) before it starts "
                                                 f"({start}): not imported"))
        return None
    funder, how = act.funder(_kid(el, "provider-org") if what == "planned disbursement" else None)
    if not funder:
        problems.append(import_problem(act.file, where, "no funding participating-org or reporting-org "
                                                 "to name the funder"))
        return None
    notes = [] if how in ("provider-org",) else [_FUNDER_FROM(how=how)]
    if undated:
        notes.append(undated)
    value_date = vdate if vdate and vdate != start and _valid_date(vdate) else None
    if value_date:
        notes.append(_VALUE_DATE(date=vdate))
    return dict(kind="b", amount=amount, cur=cur, date=start, start=start, end=end,
                value_date=value_date,
                period=f"from {start} to {end}" if end else "", funder=funder, el=None, kids={},
                where=where, notes=notes, id=eid, vline=v.sourceline, line=el.sourceline,
                vpos=act.vpos.get(v, -1),
                number=(v.text or "").strip(),
                locator=f"activity {act.id}, {what} {start}" + (f" to {end}" if end else ""),
                recipient=_text(_kid(el, "receiver-org")))


def _net(group: list[dict], problems, file) -> None:
    """Net one stage's values in one currency: each negative value is a
    reversal of earlier money, taken off the positive value it equals (the
    latest before it, else the first after), else off the positive values
    before it, latest first, then those after it.  Sets ``net`` and
    ``netted`` (the reversals taken off) on each item.  An activity may
    hold thousands of reversals: each finds its value through heaps by net
    value and skips the values already used up through links, not by
    scanning every value (n log n, not n squared)."""
    for i in group:
        i["net"] = max(i["amount"], _ZERO)
        i["netted"] = []
    if not any(i["amount"] < 0 for i in group):     # no reversal: most stages
        return
    pos = [i for i in group if i["amount"] > 0]
    at = [k for k, i in enumerate(group) if i["amount"] > 0]    # ascending
    # the positive values by net: those before the reversal (a max-heap of
    # -j), those not yet before it (a min-heap of j); stale ones dropped when met
    before: dict[Decimal, list[int]] = {}
    after: dict[Decimal, list[int]] = {}
    for j, p in enumerate(pos):
        after.setdefault(p["net"], []).append(j)     # ascending: a heap
    # the nearest value with money left, leftwards and rightwards
    lft, rgt = list(range(len(pos))), list(range(len(pos)))

    def exact(left: Decimal, m: int) -> int | None:
        late, early = before.setdefault(left, []), after.get(left, [])
        while early and early[0] < m:
            heapq.heappush(late, -heapq.heappop(early))
        for heap, sign in ((late, -1), (early, 1)):
            while heap and pos[sign * heap[0]]["net"] != left:
                heapq.heappop(heap)
            if heap:
                return sign * heap[0]
        return None

    for k, n in enumerate(group):
        if n["amount"] >= 0:
            continue
        left, m = -n["amount"], bisect.bisect_left(at, k)
        equal = exact(left, m)
        # candidates: the one equal, else those before latest first, then those after
        walks = [(equal, None, 0)] if equal is not None else [(_alive(lft, m - 1), lft, -1),
                                                       (_alive(rgt, m), rgt, 1)]
        into = []
        for j, link, step in walks:
            while left and 0 <= j < len(pos):
                p = pos[j]
                take = min(left, p["net"])
                p["net"] -= take
                left -= take
                p["netted"].append(n)
                into.append(p["label"])
                if p["net"]:      # what is left of it is found by its new value
                    heapq.heappush(after.setdefault(p["net"], []), j)
                else:
                    lft[j], rgt[j] = j - 1, j + 1
                if link is None:
                    break
                j = _alive(link, j + step)
        said = f"netted into {', '.join(into)}" if into else "no positive value to net it into"
        extra = (f"; {plain_decimal(left)} {n['cur']} more than the values it reverses: the stage "
                 f"nets to zero" if left else "")
        problems.append(import_problem(file, n["where"],
                                       f"negative value {plain_decimal(n['amount'])} "
                                       f"{n['cur']}: a reversal, {said}{extra}", "skip"))
    for p in pos:
        gone = ", ".join(n["label"] for n in p["netted"])
        if p["netted"] and not p["net"]:
            problems.append(import_problem(file, p["where"], f"cancelled by the reversal(s) {gone}: nets "
                                                      f"to zero, nothing to record", "skip"))
        elif p["netted"]:
            p["notes"].append(_NET(gone=gone, reported=plain_decimal(p["amount"]),
                                   net=plain_decimal(p["net"])))


class _FirstFit:
    """Hosts in order with the room each has left (their net at first): the
    first from a place with room for an amount, found in a tree of the
    rooms' maxima rather than by trying each host in turn."""

    def __init__(self, hosts: list[dict]):
        self.hosts = hosts
        self.size = 1 << max(len(hosts) - 1, 0).bit_length()
        self.most = [Decimal(-1)] * (2 * self.size)
        for k, h in enumerate(hosts):
            self.most[self.size + k] = h["net"]
        for k in range(self.size - 1, 0, -1):
            self.most[k] = max(self.most[2 * k], self.most[2 * k + 1])

    def take(self, start: int, amount: Decimal) -> dict | None:
        """The first host from ``start`` with ``amount`` of room left, its room
        taken; None when none has."""
        k = self._first(1, 0, self.size, start, amount)
        if k is None:
            return None
        node = self.size + k
        self.most[node] -= amount
        while node > 1:
            node //= 2
            self.most[node] = max(self.most[2 * node], self.most[2 * node + 1])
        return self.hosts[k]

    def _first(self, node: int, lo: int, hi: int, start: int, amount: Decimal) -> int | None:
        if hi <= start or self.most[node] < amount:
            return None
        if hi - lo == 1:
            return lo
        mid = (lo + hi) // 2
        found = self._first(2 * node, lo, mid, start, amount)
        return found if found is not None else self._first(2 * node + 1, mid, hi, start, amount)


def _alive(link: list[int], j: int) -> int:
    """From ``j`` along ``link`` (an index to itself while its value has
    money left, else towards its neighbour) to the nearest with money left,
    or off either end; the path walked is shortened for the next time."""
    path = []
    while 0 <= j < len(link) and link[j] != j:
        path.append(j)
        j = link[j]
    for x in path:
        link[x] = j
    return j


def _tally(tally, cur: str, parts: list[Decimal]) -> None:
    """The money an entry counts, as balance counts it: each split row at its
    currency's minor unit."""
    digits = _currency_digits(cur)
    tally["counted"][cur] = tally["counted"].get(cur, Decimal(0)) + sum(
        (Decimal(to_minor(a, digits)).scaleb(-digits) for a in parts), Decimal(0))


def _count(items: list[dict], problems, file, tally) -> None:
    """Count the activity's money once: each stage netted (``_net``), then
    the first stage of COUNTED_BY with money counts it; every other item is
    linked to it (disbursements and expenditure ``disburse`` it, budgets and
    planned disbursements are ``part_of`` it, while they fit within it in its
    currency; anything else, or beyond it, ``restates`` it), and an original
    budget ``restates`` the revised one for its period."""
    live = [i for i in items if not i.get("superseded_by")]
    groups: dict[tuple, list[dict]] = {}
    for i in live:
        groups.setdefault((i["stage"], i["cur"]), []).append(i)
    for group in groups.values():
        _net(group, problems, file)
    for i in items:
        if i.get("superseded_by"):
            i["netted"], new = [], i["superseded_by"]
            i["net"] = i["amount"] if i["amount"] > 0 and new["net"] > 0 else Decimal(0)
            if i["net"]:
                i["link"] = ("restates", new["id"])
                i["notes"].append(_REVISED(id=new["id"]))
            else:
                problems.append(import_problem(file, i["where"], "original budget replaced by a revised "
                                        "budget for the same period, one of them not positive: "
                                        "nothing to record", "skip"))
    kept = [i for i in live if i["net"] > 0]
    # the first stage of COUNTED_BY with money counts the activity
    rule, anchors = next(((rule, got) for stages, rule in COUNTED_BY.items()
                          if (got := [i for i in kept if i["stage"] in stages])), ("", []))
    if not anchors:
        return
    tally["rules"][rule] = tally["rules"].get(rule, 0) + 1
    for a in anchors:
        a["counts"] = True      # tallied once split (``_tally``)
        a["notes"].append(_counted_note(rule))
    counted = {id(a) for a in anchors}
    # the anchors and the budgets not counted, by currency, in order (once, not per item)
    anchors_in: dict[str, list[dict]] = {}
    for a in anchors:
        anchors_in.setdefault(a["cur"], []).append(a)
    budgets_in: dict[str, list[dict]] = {}
    for b in kept:
        if b["stage"] == "budget" and id(b) not in counted:
            budgets_in.setdefault(b["cur"], []).append(b)
    # what each host can still take, by link kind and currency (the check adds
    # a target's parts up): the budgets, then the anchors
    room: dict[tuple[str, str], _FirstFit] = {}
    for i in kept:
        if id(i) in counted:
            continue
        kind = LINK_KIND.get(i["stage"], "restates")
        same = anchors_in.get(i["cur"], [])
        target = None
        if kind != "restates":
            budgets = budgets_in.get(i["cur"], [])
            hosts = room.get((kind, i["cur"]))
            if hosts is None:
                hosts = room[(kind, i["cur"])] = _FirstFit(budgets + same)
            # planned disbursements phase the budgets first, so that both fit the commitment
            target = hosts.take(0 if i["stage"] == "planned" else len(budgets), i["net"])
            if target is None:
                i["notes"].append((_BEYOND if same else _OTHER_CURRENCY)(rule=rule, cur=i["cur"]))
                kind = "restates"
        target = target or (same or anchors)[0]
        i["link"] = (kind, target["id"])
        i["notes"].append(_linked_note(rule))
        tally["linked"] += 1
