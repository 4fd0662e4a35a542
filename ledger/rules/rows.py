"""Rules on one entry's own fields, written once for every reader.

Each rule is a ``Rule``: a code, one wording and one hint.  Its test is
written here once and run column-wise by the one rule engine
(``ledger.read.table.check_raw``: Arrow over the whole column, each distinct
value tested once), whatever the input (journal, bulk table, dataset,
import).  The journal's syntax (a value of a TOML type its field cannot
hold: ``NOT_TEXT``, ``UNKNOWN_FIELD``, ...) is worded from here by the
journal reader.  The patterns
(``ledger.model``'s, ``ISO_DATE``) are written so that Python's re and
Arrow's RE2 read them alike.  Rules across entries (ids, links, splits, packages, citations) are
``ledger.rules``.

Rules (and codes): ``missing-field``, ``bad-id``, ``bad-date``,
``date-out-of-range``, ``bad-account``, ``bad-amount``,
``amount-not-positive``, ``amount-too-big``, ``unknown-currency``,
``unknown-status``, ``unknown-qualifier``, ``qualifier-contradicts``,
``bad-period``, ``period-contradicts``, ``period-out-of-range``, ``bad-tag``,
``bad-split`` (a split's part), ``split-purpose-twice`` (a warning: two
parts of one entry name one purpose).  Names (accounts,
tags) are read in Unicode's composed form (``composed``); ids are ASCII
slugs.
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from typing import Any, NamedTuple
from collections.abc import Callable

from ledger.phrases.money import (MoneyError, NotPositive, ParsedAmount, iter_atoms,
                                  known_currencies, parse_amount, plain_decimal)
from ledger.phrases.period import PeriodError, parse_period, restates
from ledger.limits import (AMOUNT_TOO_BIG, DATE_OUT_OF_RANGE, FIRST_YEAR, LAST_YEAR,
                                 amount_problem)
from ledger.model import ONCE, Money
from ledger.model import (ACCOUNT_HOLDS_CONTROL, ACCOUNT_INVALID, ACCOUNT_PATTERN,
                          CONTROL_CHARS, ID_PATTERN, QUALIFIERS, STATUSES, WHITESPACE)

__all__ = ["Rule", "ENTRY_FIELDS", "BULK_FIELD_HINTS", "suggest", "MISSING_FIELD", "BAD_ID",
           "BAD_DATE", "NOT_A_DATE", "ISO_DATE", "iso_date", "restated_text", "DATE_RANGE", "BAD_AMOUNT",
           "NOT_PLAIN_AMOUNT", "AMOUNT_NOT_POSITIVE", "AMOUNT_TOO_BIG_RULE", "UNKNOWN_CURRENCY",
           "UNKNOWN_STATUS", "UNKNOWN_QUALIFIER", "QUALIFIER_CONTRADICTS", "BAD_PERIOD",
           "PERIOD_RANGE", "SPLIT_NO_PURPOSE", "SPLIT_NO_AMOUNT", "SPLIT_NOT_POSITIVE",
           "SPLIT_TOO_BIG", "SPLIT_PURPOSE_TWICE", "account_rule", "qualifier_of",
           "currency_rule", "id_rows", "account_rows", "choice_rows", "date_range_rows",
           "currency_rows", "composed", "composed_column", "tag_rule", "BAD_TAG", "read_restated",
           "tag_lists", "tags_text", "listed", "trimmed_lists", "TAG_SPACE"]

# the journal's fields and what each holds (the hint of a missing one)
ENTRY_FIELDS = {
    "id": "a unique slug, e.g. \"uk-calais-2014\"",
    "date": "the date announced or decided, e.g. 2014-09-20",
    "value_date": "the date whose exchange rate converts the amount, when it is not the "
                 "entry's date (IATI's value-date), e.g. 2021-06-30",
    "funder": "the funder account, e.g. \"UK:Home Office\"",
    "purpose": "the purpose account, e.g. \"Security:Calais port\"",
    "amount": "the amount as written, e.g. \"£12 million\"",
    "currency": "ISO 4217 code, when amount is a plain number",
    "qualifier": "exact, up to, at least or about",
    "period": "e.g. \"over 3 years\", \"per year\", \"fiscal year 2021-22\"",
    "status": "pledged, committed, disbursed or spent",
    "split": "[[entry.split]] tables with purpose and amount",
    "restated": "the source's own conversions, e.g. [\"€15 million\"]",
    "source": "[[entry.source]] tables with doc, quote and locator",
    "disburses": "id of the pledge this entry pays out",
    "part_of": "id of the package this entry is a phase of",
    "restates": "id of the entry this re-announces",
    "recipient": "who receives the money",
    "location": "where it is spent",
    "tags": "a list of words",
    "notes": "free text",
}
SOURCE_FIELDS = {"doc", "quote", "locator"}     # an [[entry.source]] table's
SPLIT_FIELDS = {"purpose", "amount"}             # an [[entry.split]] table's
# where the bulk table's syntax differs from the journal's
BULK_FIELD_HINTS = {"amount": "the amount as a plain number, e.g. 12000000",
                    "currency": "ISO 4217 code, e.g. GBP"}


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


class Rule(NamedTuple):
    """One rule's code and wording: ``message`` and ``hint`` are format
    templates of ``value`` and ``field`` (and any other particulars); a hint
    may instead be a function of them (a suggestion)."""
    code: str
    message: str
    hint: str | Callable[..., str] = ""

    def code_for(self, field: str) -> str:
        """The code, or (a rule with none) "bad-FIELD" for a field of the
        journal, else "bad-entry"."""
        return self.code or (f"bad-{field}" if field in ENTRY_FIELDS else "bad-entry")

    def word(self, value: Any = "", field: str = "", **more) -> tuple[str, str]:
        """(message, hint) for one value."""
        msg = self.message.format(value=value, field=field, **more)
        hint = self.hint(value=value, field=field) if callable(self.hint) else \
            self.hint.format(value=value, field=field, **more)
        return msg, hint


NOT_A_DATE = "not a valid date: {!r} (use YYYY-MM-DD)"
# the one shape of a date written as text, in every reader ([0-9]: RE2's \d
# is ASCII, Python's is not)
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MISSING_FIELD = Rule("missing-field", "missing field {field!r}",
                     lambda value, field: ENTRY_FIELDS.get(field, ""))
BAD_ID = Rule("bad-id", "id {value!r} is not a slug",
              "letters, digits, '.', '_' and '-', starting with a letter or digit")
BAD_DATE = Rule("bad-date", "date " + NOT_A_DATE.replace("{!r}", "{value!r}"))
DATE_RANGE = Rule("date-out-of-range", DATE_OUT_OF_RANGE.format("{field}", "{value}"))
ACCOUNT_CONTROL = Rule("bad-account", "{field} {value!r} " + ACCOUNT_HOLDS_CONTROL[0],
                       ACCOUNT_HOLDS_CONTROL[1])
ACCOUNT_NAME = Rule("bad-account", "{field} {value!r} " + ACCOUNT_INVALID[0],
                    ACCOUNT_INVALID[1].replace("{", "{{").replace("}", "}}"))
BAD_AMOUNT = Rule("bad-amount", "amount: {value}")
NOT_PLAIN_AMOUNT = Rule("bad-amount", "amount: {value!r} is not a plain number (write e.g. "
                        "12000000 or 1234.56, with the currency in its own column)")
# decimal128's scale in the Book: beyond it an amount could not be kept exactly
MAX_DECIMALS = 9
AMOUNT_TOO_PRECISE = Rule("amount-too-precise", "amount {value!r} has more than "
                          f"{MAX_DECIMALS} decimal places",
                          "no currency has units that small: round it")
AMOUNT_NOT_POSITIVE = Rule("amount-not-positive", "amount must be positive, got {value!r}")
AMOUNT_TOO_BIG_RULE = Rule("amount-too-big", AMOUNT_TOO_BIG.format("{value!r}"))
UNKNOWN_CURRENCY = Rule("unknown-currency", "amount: unknown currency {value!r}",
                        "use an ISO 4217 code such as GBP, EUR or USD")
UNKNOWN_STATUS = Rule("unknown-status", "unknown status {value!r}",
                      lambda value, field: suggest(value, STATUSES)
                      or "one of " + ", ".join(STATUSES))
UNKNOWN_QUALIFIER = Rule("unknown-qualifier", "unknown qualifier {value!r}",
                         "one of " + ", ".join(QUALIFIERS))
QUALIFIER_CONTRADICTS = Rule("qualifier-contradicts",
                             "qualifier {value!r} contradicts the amount phrase ({phrase!r})")
# a split's part (a journal's [[entry.split]] table, a bulk table's row
# sharing its id with the next or the one before, an import's split): the
# same words whatever the input; ``value`` the part's purpose
SPLIT_NO_PURPOSE = Rule("bad-split", "split needs a purpose")
SPLIT_NO_AMOUNT = Rule("bad-split", "split for {value!r} needs an amount")
SPLIT_NOT_POSITIVE = Rule("bad-split", "split amount for {value!r} must be a positive number")
SPLIT_TOO_BIG = Rule("amount-too-big", "split for {value[0]!r}: "
                     + AMOUNT_TOO_BIG.format("{value[1]!r}"))
# a part's amount phrase with a period or qualifier of its own that is not
# the entry's: a part is its share of the entry's amount, counted in the
# entry's period and qualifier (its own would be dropped unsaid)
SPLIT_PERIOD_CONTRADICTS = Rule("period-contradicts", "split for {value!r}: amount "
                                "{written!r} has the period {period!r}, the entry {entry!r}",
                                "a part is a share of the entry's amount over the entry's "
                                "period: write the share without a period, or make the "
                                "part an entry of its own")
SPLIT_QUALIFIER_CONTRADICTS = Rule("qualifier-contradicts", "split for {value!r}: amount "
                                   "{written!r} is {qualifier!r}, the entry {entry!r}",
                                   "a part is a share of the entry's amount: a bound ('up "
                                   "to', 'at least') must be the entry's; write the share "
                                   "without one (or 'about'), or make the part an entry of "
                                   "its own")
# a purpose named by two parts of one entry: its total takes both (a row
# copied twice in a bulk table counts its amount twice, unseen)
SPLIT_PURPOSE_TWICE = Rule("split-purpose-twice", "split purpose {value!r} is named by an "
                           "earlier part of the entry too: both amounts are counted under it",
                           "make them one part with their sum, or name each part's own purpose")
# a citation naming no document (a journal's or an import's citation table;
# the bulk format's sources are document ids: an empty one is no citation)
SOURCE_NEEDS_DOC = Rule("", "[[entry.source]] needs doc (a document id)")
BAD_PERIOD = Rule("bad-period", "period: {value}")
PERIOD_RANGE = Rule("period-out-of-range", "{value}")
PERIOD_CONTRADICTS = Rule("period-contradicts",
                          "period {value!r} contradicts the amount phrase ({phrase!r})")


@functools.lru_cache(maxsize=1024)
def _restates_undated(phrase: str, stated: str) -> bool | None:
    try:
        return restates(parse_period(phrase), parse_period(stated))
    except PeriodError:
        return None     # a phrase that needs the entry's date to be read


def period_contradicts(phrase: str, stated: str, on: dt.date | None = None) -> bool:
    """The rule of ``PERIOD_CONTRADICTS``: a period stated beside an amount
    phrase that has one of its own (``phrase``, as ``Period.describe`` words
    it) must restate it (``ledger.phrases.period.restates``).  A stated
    period that cannot be read is not called a contradiction: the period
    rules word it."""
    ok = _restates_undated(phrase, stated)
    if ok is None:
        try:
            ok = restates(parse_period(phrase), parse_period(stated, on=on))
        except PeriodError:
            return False
    if not ok and on is not None and _one_off_on(phrase, stated, on):
        return False
    return not ok


def _one_off_on(phrase: str, stated: str, on: dt.date) -> bool:
    """A one-off on the entry's own date restated as a plain one-off: both
    mean that day ("£1000 one-off from 2021-01-10" dated 2021-01-10)."""
    try:
        p, s = parse_period(phrase), parse_period(stated, on=on)
    except PeriodError:
        return False
    return (p.kind == s.kind == ONCE.kind and p.start == on and p.end in (None, on)
            and s.start in (None, on) and s.end in (None, on))


BOUNDS = ("up to", "at least")


def qualifier_contradicts(own: str, entry: str | None) -> bool:
    """The rule of a split part's or a conversion's own qualifier (in
    ``restated`` or the amount's brackets): it is a share or another
    currency's figure of the entry's amount, so a bound ("up to", "at
    least") must be the entry's (against an exact, approximate or opposite
    one it would say what the entry does not); "exact" (none said) and
    "about" (the source rounding its share or conversion, "£1.4m (about
    €2m)") fit any entry.  None: the entry's is not known (its own rules
    word why)."""
    return entry is not None and own in BOUNDS and own != entry


def bracket_phrases(text: str) -> list[str]:
    """The conversions in an amount's brackets ("£1.4 million (up to €2m,
    c. $3m)") as phrases with their own qualifiers ("up to €2m"), for the
    rules of ``read_restated``: ``parse_amount`` keeps only their figures.
    One read without a qualifier of its own is written as its figure."""
    parsed = parse_amount(text)
    s = " ".join(text.split())
    atoms = list(iter_atoms(s))
    out = []
    for k, m in enumerate(parsed.restated):
        plain = restated_text([m])
        if len(atoms) != len(parsed.restated) + 1 \
                or (atoms[k + 1].amount, atoms[k + 1].currency) != (m.amount, m.currency):
            out.append(plain)   # not found as read: its figure, as before
            continue
        atom = atoms[k + 1]
        words = re.split(r"[(,;/=]", s[atoms[k].end:atom.start])[-1].split()
        for n in range(min(len(words), 4), 0, -1):   # a qualifier has at most 4 words
            phrase = " ".join(words[-n:]) + " " + atom.text
            try:
                p = parse_amount(phrase)
            except (MoneyError, ValueError):
                continue
            if (p.amount, p.currency, p.period) == (m.amount, m.currency, ONCE) \
                    and p.qualifier != "exact":
                plain = phrase
                break
        out.append(plain)
    return out


def split_phrase_problems(purpose: str, written: str, phrase: ParsedAmount,
                          period: str | None, qualifier: str | None,
                          on: dt.date | None = None) -> list[tuple[str, str, str]]:
    """What a split part's amount phrase says against its entry, for every
    input whose parts are phrases: a period of its own that does not
    restate the entry's ``period`` (as stated or read from the entry's
    phrase, '' for one-off), a qualifier other than "exact" and the entry's
    ``qualifier``; each as (message, hint, code).  None for ``period`` or
    ``qualifier``: the entry's is not known (its own rules word why)."""
    found = []
    own = phrase.period.describe()
    if period is not None and phrase.period != ONCE \
            and period_contradicts(own, period.strip() or "one-off", on):
        found.append(SPLIT_PERIOD_CONTRADICTS.word(purpose, "split", written=written, period=own,
                                                   entry=period.strip() or "one-off")
                     + (SPLIT_PERIOD_CONTRADICTS.code,))
    if qualifier_contradicts(phrase.qualifier, qualifier):
        found.append(SPLIT_QUALIFIER_CONTRADICTS.word(purpose, "split", written=written,
                                                      qualifier=phrase.qualifier,
                                                      entry=qualifier)
                     + (SPLIT_QUALIFIER_CONTRADICTS.code,))
    return found


def read_amount_phrase(text: str) -> tuple[ParsedAmount | None, Rule | None, Any]:
    """An amount phrase (a separate currency appended) as every reader of
    journal-shaped entries reads it: (the amount, None, None), or (None,
    the rule it breaks, why): not positive, not an amount (the parser's
    words), or a parser's failure (which must not hide the other problems)."""
    try:
        p = parse_amount(text)
    except NotPositive:
        return None, AMOUNT_NOT_POSITIVE, None
    except MoneyError as err:
        return None, BAD_AMOUNT, err
    except Exception as err:  # a parser bug: worded, not raised
        return None, AMOUNT_UNREADABLE, err
    if p.amount <= 0:
        return None, AMOUNT_NOT_POSITIVE, None
    return p, None, None


def stated_period_problem(stated: str, phrase: str = "",
                          on: dt.date | None = None) -> tuple[Rule, Any, dict] | None:
    """What is wrong with a period stated (as written) beside an amount
    phrase whose own period is ``phrase`` ('' when it has none), for every
    reader of journal-shaped entries: (rule, value, more words) or None.  A
    blank one is an error, in the period parser's words; one that does not
    restate the phrase's contradicts it (``period_contradicts``)."""
    if not stated.strip():
        try:
            parse_period(stated)
        except PeriodError as err:
            return BAD_PERIOD, err, {}
    if phrase and period_contradicts(phrase, stated, on):
        return PERIOD_CONTRADICTS, stated, {"phrase": phrase}
    return None


BAD_TAG = Rule("bad-tag", "tag {value!r} " + ACCOUNT_HOLDS_CONTROL[0],
               "tags are plain text: remove the invisible character")
# ';' separates an entry's tags (the Book's, a bulk cell's): within one tag it
# would make two in every command
TAG_SEPARATOR = Rule("bad-tag", "tag {value!r} holds ';', which separates tags",
                     "a tag is one name: write each as a tag of its own, or without ';'")

# The journal's syntax: a value of a TOML type the field cannot hold (worded
# by the journal's readers at the key's line; a rule without a code is
# "bad-FIELD")
ENTRY_NOT_TABLE = Rule("bad-entry", "[[entry]] must be a table")
UNKNOWN_FIELD = Rule("unknown-field", "unknown field {value!r}",
                     lambda value, field: suggest(value, ENTRY_FIELDS)
                     or "known fields: " + ", ".join(ENTRY_FIELDS))
NOT_TEXT = Rule("", "{field} must be text, not {kind}")
NOT_A_DATE_VALUE = Rule("bad-date", "{field} {value}")   # value: ledger.read.journal's _as_date
AMOUNT_NOT_TEXT = Rule("", "amount must be text like \"£12 million\", not {kind}")
AMOUNT_FLOAT = Rule("", "amount must not be a TOML float (binary rounding); write it as text, "
                    "e.g. \"12.5\"")
AMOUNT_TOO_LONG = Rule("", "amount is a number too long to read; write it as text, "
                       "e.g. \"£12 million\"")
AMOUNT_UNREADABLE = Rule("", "amount {value!r} could not be read ({why})")
CURRENCY_NOT_TEXT = Rule("", "currency must be text")
PERIOD_NOT_TEXT = Rule("", "period must be text, e.g. \"over 3 years\"")
SPLIT_NOT_TABLES = Rule("", "split must be [[entry.split]] tables")
SPLIT_AND_PURPOSE = Rule("purpose-beside-split", "purpose {value!r} is not kept: the "
                         "[[entry.split]] tables name the entry's purposes",
                         "remove purpose, or make it a split of its own with its amount")
SPLIT_PURPOSE_NOT_TEXT = Rule("", "split purpose must be text, not {kind}")
SPLIT_AMOUNT_NOT_TEXT = Rule("", "split amount must be text like \"£12 million\", not {kind}")
SPLIT_AMOUNT_FLOAT = Rule("", "split amount must not be a TOML float (binary rounding); "
                          "write it as text, e.g. \"12.5\"")
SPLIT_AMOUNT_TOO_LONG = Rule("", "split amount is a number too long to read; write it as "
                             "text, e.g. \"£12 million\"")
RESTATED_NOT_LIST = Rule("", "restated must be a list of amounts, e.g. [\"€15 million\"]")
SOURCE_NOT_TABLES = Rule("", "source must be [[entry.source]] tables")
SOURCE_UNKNOWN_FIELD = Rule("unknown-field", "unknown field {value!r} in [[entry.source]]",
                            lambda value, field: suggest(value, SOURCE_FIELDS))
SOURCE_NOT_TEXT = Rule("", "quote and locator must be text")
TAGS_NOT_LIST = Rule("", "tags must be a list of text")

_ACCOUNT = re.compile(ACCOUNT_PATTERN)
_ISO_DATE = re.compile(ISO_DATE)
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")
# the white space trimmed from a tag: not the control characters among it
# (tab, line breaks...), which the tag rule refuses in either format
TAG_SPACE = "".join(c for c in WHITESPACE if not _CONTROL.match(c))


# ---------------------------------------------------------------- one value
# (the entry reader, and the column reader once per distinct value)
def composed(name: str) -> str:
    """A name (account, tag) in Unicode's composed form, NFC: "é" typed as
    one character or as "e" and a combining accent is one name (two were
    two funders, each with its own total).  Every reader reads names through
    this or ``composed_column``."""
    if name.isascii() or unicodedata.is_normalized("NFC", name):
        return name
    return unicodedata.normalize("NFC", name)


def composed_column(values):
    """``composed`` over an Arrow string column."""
    import pyarrow.compute as pc
    return pc.utf8_normalize(values, "NFC")


def trimmed_lists(lists, space: str = WHITESPACE):
    """Lists of text (Arrow) with each item trimmed of ``space`` and the
    blank ones left out (a null list is an empty one)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = pc.cast(lists, pa.list_(pa.string()))
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    item = pc.utf8_trim(pc.list_flatten(lists), space)
    named = _np(pc.fill_null(pc.not_equal(item, ""), False))
    per_list = np.bincount(_np(pc.list_parent_indices(lists))[named], minlength=len(lists))
    offsets = np.r_[0, np.cumsum(per_list)].astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), item.filter(pa.array(named)))


def listed(cells, space: str = WHITESPACE):
    """A bulk table's cells of items between ';' (Arrow text: tags,
    sources, restated) as lists, each item trimmed of ``space`` (by default
    as the journal reader trims text), the blank ones (nothing between two
    ';') left out: every reader of such a cell reads it through this."""
    import pyarrow as pa
    import pyarrow.compute as pc

    return trimmed_lists(pc.split_pattern(pc.cast(cells, pa.string()), ";"), space)


def tag_lists(cells):
    """A bulk table's tags cells (``listed``): each tag trimmed of
    ``TAG_SPACE``, as ``tags_text`` trims a journal's tags."""
    return listed(cells, TAG_SPACE)


def tags_text(lists):
    """Each entry's tags as the Book keeps them, from a list column (a
    journal's lists as parsed, or ``tag_lists`` of a bulk table's cells):
    each tag trimmed of ``TAG_SPACE`` (blank ones left out), composed (NFC,
    ``composed``), joined by ';' ('' for none)."""
    import pyarrow.compute as pc

    return composed_column(pc.fill_null(pc.binary_join(trimmed_lists(lists, TAG_SPACE), ";"),
                                        ""))


def tag_rule(value: str) -> Rule | None:
    """The rule a tag breaks: no control or invisible character, no ';'."""
    return BAD_TAG if _CONTROL.search(value) else TAG_SEPARATOR if ";" in value else None


def read_restated(items: list[str], currency: str, period: str | None = None,
                  qualifier: str | None = None
                  ) -> tuple[list[Money], list[tuple[str, str, str]]]:
    """The ``restated`` conversions by their rules (each another currency
    than the entry's, within bounds), for every reader (the journal's list
    of phrases, the bulk table's column split at ';'): the conversions and
    the problems as (message, hint, code).  ``period``: the entry's (``Period.describe``'s words; None: not
    known, the period is not checked): a conversion whose phrase has a
    period of its own must restate it, as a split part's must; and its
    qualifier fits the entry's ``qualifier`` (None: not known) by the split
    part's rule (``qualifier_contradicts``: a bound must be the entry's,
    "about" fits any entry)."""
    out: list[Money] = []
    found: list[tuple[str, str, str]] = []
    for r in items:
        try:
            p = parse_amount(r)
        except MoneyError as err:
            found.append((f"restated: {err}", "", "bad-restated"))
            continue
        if p.currency == currency:
            found.append((f"restated amount {r!r} is in the entry's own currency",
                          "restated holds the source's conversions into other currencies",
                          "bad-restated"))
            continue
        if amount_problem(p.amount):
            found.append(("restated " + amount_problem(p.amount, r), "", "amount-too-big"))
            continue
        own = p.period.describe()
        if period is not None and p.period != ONCE \
                and period_contradicts(own, period.strip() or "one-off"):
            # counted over the entry's period, its own would be dropped
            found.append((f"restated amount {r!r} is {own}, the entry "
                          f"{period.strip() or 'one-off'}",
                          "a conversion is the entry's own amount in another currency and "
                          "is counted over the entry's period: write the amount the source "
                          "gives for the entry's amount and period",
                          "bad-restated"))
            continue
        if qualifier_contradicts(p.qualifier, qualifier):
            # taken as the entry's figure, its own qualifier would be dropped
            found.append((f"restated amount {r!r} is {p.qualifier!r}, the entry {qualifier!r}",
                          "a conversion is the entry's own amount in another currency: a "
                          "bound ('up to', 'at least') must be the entry's; write it without "
                          "one ('about' for a rounded conversion), or give the entry the "
                          "same qualifier",
                          QUALIFIER_CONTRADICTS.code))
            continue
        same = next((m for m in out if m.currency == p.currency), None)
        if same is not None:   # one conversion per currency: a repeat counted once
            if same.amount != p.amount:
                found.append((f"restated amounts {restated_text([same])!r} and {r!r} "
                              f"disagree in {p.currency}",
                              "an entry gives one conversion per currency (in the amount's "
                              "brackets or in restated): keep the one the source gives",
                              "bad-restated"))
            continue
        out.append(Money(p.amount, p.currency))
    return out, found


def clip(text: str, most: int = 80) -> str:
    """``text`` as a message quotes it: its first ``most`` characters."""
    return text if len(text) <= most else text[:most] + "…"


def restated_text(money) -> str:
    """Conversions as the bulk format writes them: ``EUR 15000000; USD 19000000``."""
    return "; ".join(f"{m.currency} {plain_decimal(m.amount)}" for m in money)


def iso_date(text: str) -> dt.date | None:
    """A date written as text: YYYY-MM-DD and a real day, else None
    (``date.fromisoformat`` alone also takes "20150101" and "2015-W01-1")."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None




@functools.lru_cache(maxsize=4096)
def account_rule(value: str) -> Rule | None:
    """The rule an account name breaks (``ledger.model.ACCOUNT_PATTERN``)."""
    if _ACCOUNT.fullmatch(value):
        return None
    return ACCOUNT_CONTROL if _CONTROL.search(value) else ACCOUNT_NAME




@functools.lru_cache(maxsize=256)
def currency_rule(value: str) -> Rule | None:
    """A currency given as a code of its own (the bulk table's column, the
    journal's ``currency`` field) is one the ledger knows; a name or symbol
    there is left to the amount phrase's parser."""
    if len(value) == 3 and value.isascii() and value.isalpha() \
            and value.upper() not in known_currencies():
        return UNKNOWN_CURRENCY
    return None


def qualifier_of(stated: str, phrase: str) -> tuple[str, Rule | None]:
    """An entry's qualifier from the one stated ('' when none) and the one
    its amount phrase carries ("exact" when none), and the rule broken, if
    any: an unknown qualifier (returned as stated, so the rules that take the
    entry's qualifier skip it rather than read it as "exact"), or one the
    phrase contradicts.  The column reader runs it once per distinct pair."""
    if not stated:
        return phrase, None
    if stated not in QUALIFIERS:
        return stated, UNKNOWN_QUALIFIER
    if phrase != "exact" and phrase != stated:
        return stated, QUALIFIER_CONTRADICTS
    return stated, None




# ---------------------------------------------------------------- columns
# Each returns [(row mask, rule, values the message names, field)], the
# rows that break a rule; values are Arrow strings (one per row).
def id_rows(ids) -> list:
    import pyarrow.compute as pc
    blank = _np(pc.equal(ids, ""))
    bad = ~blank & ~_np(pc.match_substring_regex(ids, ID_PATTERN))
    return [(blank, MISSING_FIELD, None, "id"), (bad, BAD_ID, ids, "id")]


def account_rows(field: str, values) -> list:
    """Account names, each distinct name tested once."""
    import pyarrow.compute as pc
    blank = _np(pc.equal(values, ""))
    enc = pc.dictionary_encode(values)
    ok = _np(pc.match_substring_regex(enc.dictionary, ACCOUNT_PATTERN))
    ctl = _np(pc.match_substring_regex(enc.dictionary, f"[{CONTROL_CHARS}]"))
    codes = _np(enc.indices)
    bad, control = ~blank & ~ok[codes], ctl[codes]
    return [(blank, MISSING_FIELD, None, field), (bad & control, ACCOUNT_CONTROL, values, field),
            (bad & ~control, ACCOUNT_NAME, values, field)]


def choice_rows(rule: Rule, values, allowed, field: str = "") -> list:
    """Values outside ``allowed`` (status, qualifier)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    return [(~_np(pc.is_in(values, value_set=pa.array(list(allowed)))), rule, values, field)]


def date_range_rows(field: str, dates, text) -> list:
    """datetime64 ``dates`` (NaT where none) outside the years; ``text``:
    the dates as written."""
    import numpy as np
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    return [(~np.isnat(dates) & ((year < FIRST_YEAR) | (year > LAST_YEAR)), DATE_RANGE, text,
             field)]


def currency_rows(codes, written) -> list:
    """ISO 4217 codes (upper case) the ledger does not know; ``written``: as
    the file writes them.  Each distinct code looked up once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    blank = _np(pc.equal(codes, ""))
    known = known_currencies()
    unknown = pa.array(sorted(c for c in pc.unique(codes).to_pylist() if c and c not in known),
                       pa.string())
    return [(blank, MISSING_FIELD, None, "currency"),
            (_np(pc.is_in(codes, value_set=unknown)), UNKNOWN_CURRENCY, written, "")]


def _np(x):
    """A pyarrow/pandas/numpy column as numpy."""
    import numpy as np
    if hasattr(x, "to_numpy") and not isinstance(x, np.ndarray):
        try:
            return x.to_numpy(zero_copy_only=False)
        except TypeError:
            return x.to_numpy()
    return np.asarray(x)
