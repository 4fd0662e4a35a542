"""The entry model: immutable records for pledges, their periods and sources.

Money is ``Decimal`` throughout; currencies are ISO 4217 codes. Accounts are
colon-separated paths (``UK:Home Office``, ``Security:Calais port``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, NamedTuple

from ledger.minor import plain_decimal

QUALIFIERS = ("exact", "up to", "at least", "about")
STATUSES = ("pledged", "committed", "disbursed", "spent")

# How one entry relates to another.  An entry with any of these links is a
# *secondary* record of money already counted by its target, so totals skip it.
LINK_KINDS = ("disburses", "part_of", "restates")
# A tag that keeps an entry in the ledger but out of every total (an FTS flow
# outside the download's boundary); a tag ``not-counted-REASON`` beside it says why.
NOT_COUNTED = "not-counted"
# how the notes of a document an FTS import keeps for its copies of 0 open
# (ledger.imports.fts): removing it makes a later import forget them
KEEPS_ZEROS = "archived by ledger-tool import --from fts for the "

# Period kinds.  Dates are inclusive.
ONE_OFF = "one-off"          # paid once, at the entry's date (or `start`)
PER_YEAR = "per-year"        # `amount` is a rate per year; optionally `years` or start/end
OVER = "over"                # `amount` is a total spread over `years` or start..end
FISCAL_YEAR = "fiscal-year"  # `amount` lands in one fiscal year, e.g. "2021-22"
PERIOD_KINDS = (ONE_OFF, PER_YEAR, OVER, FISCAL_YEAR)

# The one definition of an id (a slug) and of an account: ':'-separated
# parts, none empty or with white space at either end, and no control
# characters (C0, DEL, C1, and every format character, Unicode's category
# Cf: bidi controls, zero-width spaces, the BOM; names reach terminals and
# pages, and an invisible one made "UK" and "U\u200bK" two funders).
# Written so that Python's re and Arrow's RE2 read them alike: \xHH escapes,
# and the others as the characters themselves.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# Unicode 14's Cf (tests/ledger/rules/test_lookalike.py checks it against unicodedata)
FORMAT_CHARS = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
                "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
                "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
                "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
# the bidi controls (Unicode's Bidi_Control): escaped in every output
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# with the line and paragraph separators (Zl, Zp): they break a name's one line
CONTROL_CHARS = r"\x00-\x1f\x7f-\x9f" + "\u2028\u2029" + FORMAT_CHARS
NOT_ON_ONE_LINE = re.compile(f"[{CONTROL_CHARS}]")


def one_line(text: str) -> str:
    """``text`` inert on one line: a TOML comment (``# Imported by ...``, a
    draft's ``# TODO``), a file's name in a message, a progress line.  Every
    line break (\\n, \\r, \\x0b, \\x0c, \\x1c-\\x1e, \\x85, U+2028/9),
    control, bidi and format character is written as ``\\xNN`` /
    ``\\uNNNN``: a line break would end the comment (or the message) and
    start text of the name's choosing, a control character makes TOML
    unreadable, an escape code moves the terminal's cursor.  Here, beside
    the characters' definition, so that ``said`` shows a file's name so;
    ``ledger.text_safety`` offers it with the other guards."""
    return NOT_ON_ONE_LINE.sub(shown_char, text)


def shown_char(m: re.Match) -> str:
    """The matched character as ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN``."""
    n = ord(m.group())
    return f"\\x{n:02x}" if n < 256 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"
# What Python's str.strip() and \s take for white space, spelt out: RE2's \s
# is ASCII only (it let "UK:\u2003Home" through the bulk reader).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003"
              "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_PART = (rf"[^:{WHITESPACE}{CONTROL_CHARS}](?:[^:{CONTROL_CHARS}]*"
         rf"[^:{WHITESPACE}{CONTROL_CHARS}])?")
ACCOUNT_PART_PATTERN = rf"^{_PART}$"
ACCOUNT_PATTERN = rf"^{_PART}(?::{_PART})*$"
# How every reader words a bad account name: (what is wrong, hint).
ACCOUNT_HOLDS_CONTROL = ("holds a control or invisible character",
                         "account names are plain text: remove the invisible character")
ACCOUNT_INVALID = ("is not a valid account name",
                   "colon-separated names with no empty parts, e.g. \"UK:Home Office\"")

_SLUG = re.compile(ID_PATTERN)


def is_slug(text: str) -> bool:
    """The one test of an id (an entry's, a document's): ``ID_PATTERN``, the
    whole text (``re.match`` would let a trailing line break through)."""
    return _SLUG.fullmatch(text) is not None


FUNDERS_ROOT = "Funders"
PURPOSES_ROOT = "Purposes"


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"


@dataclass(frozen=True, slots=True)
class Period:
    """When the money flows.

    - one-off: once, at the entry date (or ``start``).
    - per-year: ``amount`` each year, for ``years`` years or from ``start`` to
      ``end``; open-ended when neither is given.
    - over: ``amount`` in total over ``years`` years from the entry date (or
      ``start``), or from ``start`` to ``end``.
    - fiscal-year: ``amount`` within fiscal year ``fiscal_year`` ("2021-22").
    """

    kind: str = ONE_OFF
    years: Decimal | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    fiscal_year: str | None = None
    # a length said in months, weeks or days ("over 18 months"): the number
    # and unit as given (``years`` is then that length in years, rounded);
    # the period ends by the calendar (``ledger.phrases.period.period_end``)
    length: Decimal | None = None
    unit: str = "year"

    @property
    def is_open_ended(self) -> bool:
        return self.kind == PER_YEAR and self.years is None and self.end is None

    def describe(self) -> str:
        """A short human description, also accepted back by the period parser."""
        if self.kind == ONE_OFF:
            return "one-off" + (f" from {self.start.isoformat()}" if self.start else "")
        if self.kind == FISCAL_YEAR:
            return f"fiscal year {self.fiscal_year}"
        if self.start and self.end:
            span = f"from {self.start.isoformat()} to {self.end.isoformat()}"
            return f"per year {span}" if self.kind == PER_YEAR else span
        if self.years is not None:
            count = self.length if self.length is not None else self.years
            n = plain_decimal(count)
            unit = self.unit if count == 1 else self.unit + "s"
            tail = f" from {self.start.isoformat()}" if self.start else ""
            return (f"per year for {n} {unit}{tail}" if self.kind == PER_YEAR
                    else f"over {n} {unit}{tail}")
        if self.kind == PER_YEAR:
            return "per year" + (f" from {self.start.isoformat()}" if self.start else "")
        return "over"


ONCE = Period()

# "over 18 months", "per year for 2 weeks from 2015-01-01": a length in
# months, weeks or days as ``Period.describe`` words it
_LENGTH_WORDS = re.compile(r"(?:over|per year for) (\d+(?:\.\d+)?) (month|week|day)s?"
                           r"(?: from \d{4}-\d{2}-\d{2})?")


def length_in_words(words: str) -> dict:
    """The ``Period`` fields ``length`` and ``unit`` that a period's words
    (``Period.describe``, the Book's ``period``) give in months, weeks or
    days: "over 18 months" -> {"length": 18, "unit": "month"}; {} otherwise.
    The tables hold a length in years: the words keep the unit it was said in."""
    m = _LENGTH_WORDS.fullmatch(words)
    return {"length": Decimal(m[1]), "unit": m[2]} if m else {}




@dataclass(frozen=True, slots=True)
class Split:
    """Part of an entry's amount assigned to one purpose account."""
    purpose: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a figure comes from: a document id, the shortest verbatim phrase
    carrying the figure, and optionally where it sits in the document."""
    doc: str
    quote: str
    locator: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    kind: str     # one of LINK_KINDS
    target: str   # another entry's id


@dataclass(frozen=True, slots=True)
class Document:
    """A source document recorded in the ledger's sources file."""
    id: str
    title: str = ""
    publisher: str = ""
    published: dt.date | None = None
    url: str = ""
    retrieved: dt.date | None = None
    path: str = ""          # relative to the ledger's source archive
    sha256: str = ""
    notes: str = ""
    text: str = ""          # a web page's or PDF's text rendering, relative to the archive
    text_sha256: str = ""   # the rendering's hash
    file: str = ""          # journal file that declares it
    line: int = 0


class Posting(NamedTuple):
    account: str
    amount: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    date: dt.date
    funder: str
    purpose: str
    amount: Decimal
    currency: str
    amount_text: str = ""            # the amount as the source writes it
    qualifier: str = "exact"
    period: Period = ONCE
    status: str = "pledged"
    splits: tuple[Split, ...] = ()   # empty: the whole amount goes to `purpose`
    restated: tuple[Money, ...] = ()
    sources: tuple[Citation, ...] = ()
    links: tuple[Link, ...] = ()
    recipient: str = ""
    location: str = ""
    tags: tuple[str, ...] = ()
    notes: str = ""
    file: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)
    value_date: dt.date | None = None   # convert at this date's rate, not the entry's date

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)

    @property
    def is_primary(self) -> bool:
        """False when this entry records money another entry already counts,
        or is recorded but not counted (tagged ``NOT_COUNTED``)."""
        return not self.links and NOT_COUNTED not in self.tags

    def link(self, kind: str) -> str | None:
        for ln in self.links:
            if ln.kind == kind:
                return ln.target
        return None

    def allocations(self) -> tuple[Split, ...]:
        """The amount per purpose account (one part unless split)."""
        return self.splits or (Split(self.purpose, self.amount),)

    def postings(self) -> tuple[Posting, ...]:
        """Balanced postings: the funder credited, each purpose debited."""
        credit = Posting(f"{FUNDERS_ROOT}:{self.funder}", -self.amount, self.currency)
        debits = tuple(Posting(f"{PURPOSES_ROOT}:{s.purpose}", s.amount, self.currency)
                       for s in self.allocations())
        return (credit, *debits)

    def where(self) -> str:
        """``file:line (entry id)`` for messages."""
        loc = f"{self.file}:{self.line}" if self.line else self.file
        return f"{loc}: entry {self.id!r}" if loc else f"entry {self.id!r}"


# (made here: inside Problem, ``field`` is the name of one of its fields)
_NOT_COMPARED = field(default=None, compare=False)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, whoever finds it: a reader, the rules,
    the audit of the sources, an import.  There is one class: what differs
    between producers is in the fields (``severity``, ``code``, ``details``)
    and each producer has a function that builds its problems
    (``ledger.sources.audit.finding``, ``ledger.imports.table.reject``,
    ``ledger.imports.common.import_problem``).  Loaders and checks return
    these instead of raising, so a run reports every problem at once.

    ``file``, ``line``: where (line 0: the whole file; for an audit finding
    the file is the document; for a spreadsheet's reject the line is the
    row); ``column``: the character on that line (a number) or the
    spreadsheet column (its name) where known; ``entry_id`` (also
    ``entry``): the entry; ``field``: the entry's field at fault; ``code``:
    what kind of problem (e.g. "missing-link", ``ledger.rules``; an
    import's "import-reject", "import-skip"...); ``severity``: "error",
    "warning", "info" (an audit's "ok"); ``details``: particulars for
    machine-readable output and the import's counts (not compared).  Its
    line on screen: ``said``."""
    file: str
    line: int
    entry_id: str
    message: str
    hint: str = ""
    severity: str = "error"   # "error" | "warning" | "info"
    code: str = ""
    column: int | str = 0
    field: str = ""
    details: Any = _NOT_COMPARED    # a mapping, or None

    @property
    def entry(self) -> str:
        return self.entry_id

    def detail(self, key: str, default: Any = None) -> Any:
        return self.details.get(key, default) if self.details else default

    def __str__(self) -> str:
        return said(self)


# How a problem is printed, by who found it: ``said``'s layouts.
CHECK, AUDIT, IMPORT, ROW = "check", "audit", "import", "row"


def said(p: Problem, layout: str = CHECK) -> str:
    """``p`` as the one line a command prints: where (file, line, column or
    the importer's item), the entry, then what is wrong.  The layout is the
    producer's: ``CHECK`` (a reader's or the rules': ``file:line: entry
    'id': severity: message (hint: ...)``), ``AUDIT`` (``severity: entry
    'id': doc:line:column: message [code]``), ``IMPORT`` (``file: where:
    message``, the item in ``details["where"]``) and ``ROW`` (a
    spreadsheet's row: ``file: row N: column 'C': message``)."""
    entry = f"entry {p.entry_id!r}" if p.entry_id else ""
    # a file's name on one line: a line feed in it cannot print a line of its own
    p = replace(p, file=one_line(p.file)) if p.file and NOT_ON_ONE_LINE.search(p.file) else p
    if layout == AUDIT:
        at = (f"{p.file}:{p.line}:{p.column}" if p.line else p.file) if p.file else ""
        return ": ".join(x for x in (p.severity, entry, at) if x) + f": {p.message} [{p.code}]"
    if layout == IMPORT:
        where = p.detail("where", "")
        return f"{p.file}: {where + ': ' if where else ''}{p.message}"
    if layout == ROW:
        col = f": column {p.column!r}" if p.column else ""
        return f"{p.file}: row {p.line}{col}: {p.message}"
    at = p.file or "<input>"
    if p.line:
        at += f":{p.line}"
    if entry:
        at += f": {entry}"
    return f"{at}: {p.severity}: {p.message}" + (f" (hint: {p.hint})" if p.hint else "")
