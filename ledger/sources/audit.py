"""Audit every figure: is each quote in its document, does it say what the
entry says, do the source's own conversions match the reference rates, do
the sources agree with each other, and which figures in the archive does no
entry record?

The checks are plain functions that return ``Problem`` records; ``audit()``
runs them all over a ledger and its source archive and returns an
``AuditResult``.  Nothing here prints or exits; ``reports.audit`` renders and
``ledger-tool audit`` decides the exit status.

Severities: ``error`` (the figure cannot be defended as recorded: quote not
found, wrong amount or period, document changed or missing), ``warning``
(needs a human look: a restatement far from the reference rate, possible
double counting, sources that disagree), ``info`` (facts worth showing:
restatement deviations within tolerance, uncovered figures, uncited
documents) and ``ok`` (a citation that verifies).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

from ledger.sources.archive import Archive, Location, SourceText
from ledger.imports.common import data_figure, data_figures
from ledger.phrases.extract import (Mention, compose, digits_across_break, find_mentions,
                                    joins_previous)
from ledger.phrases.money import FigureTooLarge, currency_digits, format_money
from ledger.phrases.period import period_end as phrase_period_end, period_years, total_minor
from ledger.rules import packages, whole_amounts, yearly_amounts
from ledger.sources.render import extract_view, locator_span, locator_verdict, render
from ledger.errors import LedgerError
from ledger.model import (FISCAL_YEAR, NOT_COUNTED, ONE_OFF, PER_YEAR, Citation, Document, Entry,
                          Money, Problem)

__all__ = ["finding", "finding_dict", "QuoteMatch", "CitationCheck", "DocumentCheck", "AuditResult",
           "SEVERITIES", "fold", "find_quote", "verify_citation", "check_document",
           "check_restatements", "check_citation_agreement", "check_double_counting",
           "check_same_figure",
           "check_packages", "uncovered_mentions", "audit", "AuditPart", "audit_part",
           "audit_whole", "read_documents"]

SEVERITIES = ("error", "warning", "info", "ok")
DEFAULT_TOLERANCE = Decimal("0.05")
DEFAULT_WINDOW_DAYS = 90
DEFAULT_SAME_AMOUNT = Decimal("0.01")


def finding(severity: str, code: str, message: str, entry_id: str = "", doc: str = "",
            line: int = 0, column: int = 0, details: dict | None = None) -> Problem:
    """An audit finding: a ``ledger.model.Problem`` whose file is the
    document (``doc``), with the character on the line (``column``) and
    details for the JSON output; printed in ``said``'s ``AUDIT`` layout."""
    return Problem(doc, line, entry_id, message, "", severity, code, column, "",
                   {} if details is None else details)


def finding_dict(f: Problem) -> dict:
    """A finding as the JSON output has it."""
    return {"severity": f.severity, "code": f.code, "entry": f.entry_id,
            "doc": f.file, "line": f.line or None, "column": f.column or None,
            "message": f.message,
            "details": {k: _jsonable(v) for k, v in (f.details or {}).items()}}


def _jsonable(v):
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


# ----------------------------------------------------------- tolerant match
# One-for-one replacements: typographic quotes, apostrophes and dashes.
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u00b4": "'", "\u02bc": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
})
# Runs of white space (any Unicode space, NBSP, line breaks) become one space;
# soft hyphens and zero-width characters vanish.
_FOLD = re.compile(r"(\s+)|[\u00ad\u200b\u200c\u200d\u2060\ufeff]+")
_SPACE_RUN = re.compile(r"\s+")
# where a paragraph ends: a page break (form feed), a paragraph separator
# (U+2029) or a file/group/record separator; or two line breaks (any of
# Unicode's: CR LF counted once) with only spaces or invisible characters
# between them
_LINE_END = r"(?:\r\n|\r(?!\n)|[\n\x0b\x85\u2028])"
_INVISIBLE = r"(?:[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]|[\u00ad\u200b\u200c\u200d\u2060\ufeff])"
_PARAGRAPH_BREAK = re.compile(rf"[\x0c\x1c-\x1e\u2029]|{_LINE_END}{_INVISIBLE}*{_LINE_END}")
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\.\.|…)\s*\]|\.\.\.|…)\s*")


@functools.lru_cache(maxsize=32)
def _fold_cached(text: str) -> tuple[str, tuple[int, ...]]:
    folded, origin = fold(text)
    return folded, tuple(origin)


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` with white space collapsed, typographic quotes/dashes made
    plain and accents composed (NFC: a document in decomposed Unicode, as
    macOS and many PDFs write it, matches a quote typed composed), and for
    each character of the result its offset in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _FOLD.finditer(text):
        out.append(text[pos:m.start()])
        origin.extend(range(pos, m.start()))
        if m.group(1) is not None:
            out.append(" ")
            origin.append(m.start())
        pos = m.end()
    out.append(text[pos:])
    origin.extend(range(pos, len(text)))
    folded = "".join(out)
    composed, accents = compose(folded)
    if composed is not folded:     # a composed letter stands where its base was
        folded, origin = composed, [origin[accents.original(i)] for i in range(len(composed))]
    return folded.translate(_TRANSLATE), origin


def _fold_quote(quote: str) -> str:
    return _folded_quote(quote)[0]


def _folded_quote(quote: str) -> tuple[str, list[int], int]:
    """The quote folded and stripped, for each character of ``fold(quote)``
    its offset in ``quote``, and where the stripped quote starts in it."""
    folded, origin = fold(quote)
    q = folded.strip()
    at = len(folded) - len(folded.lstrip())
    # a quote copied with its surrounding quotation marks
    if len(q) > 2 and q[0] == q[-1] == '"' and '"' not in q[1:-1]:
        inner = q[1:-1]
        q = inner.strip()
        at += 1 + len(inner) - len(inner.lstrip())
    return q, origin, at


def _own_words(quote: str) -> str:
    """A quote's words between its outer ellipses, as the quote writes them
    (folded, "council’s" would match "council's" as if verbatim)."""
    q, origin, at = _folded_quote(quote)
    s = 0
    while (e := _ELLIPSIS.match(q, s)) is not None:
        s = e.end()
    words = [p for p in _ELLIPSIS.split(q) if p][0]
    a, b = origin[at + s], origin[at + s + len(words) - 1] + 1
    while b < len(quote) and joins_previous(quote[b]):   # its last letter's accents
        b += 1
    return quote[a:b]


@dataclass(frozen=True)
class QuoteMatch:
    """Where a quote was found: offsets in ``SourceText.text`` (end
    exclusive), how it matched, and how many times it occurs."""
    start: int
    end: int
    how: str                  # "verbatim" | "normalised" | "letter case" | "elided"
    occurrences: int = 1
    text: str = ""            # the document's own words for the quote
    # an elided quote's parts: (start, end) of each in ``SourceText.text``;
    # the words between them are the document's, not the quote's
    parts: tuple[tuple[int, int], ...] = ()

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """The stretches of the document the quote's own words cover."""
        return self.parts or ((self.start, self.end),)

    @property
    def gaps(self) -> tuple[tuple[int, int], ...]:
        """The stretches an elided quote leaves out."""
        return tuple((a[1], b[0]) for a, b in zip(self.parts, self.parts[1:]))


def find_quote(quote: str, text: str, *, gap: int = 400) -> QuoteMatch | None:
    """Find ``quote`` in ``text`` tolerating white space and line breaks,
    non-breaking spaces, curly quotes and dashes; then letter case; then a
    quote with omissions ("...", "…", "[…]") whose parts appear in order
    in one paragraph, within ``gap`` characters of each other.  The first
    occurrence; ``occurrences`` says how many there are."""
    return next(find_quotes(quote, text, gap=gap), None)


def find_quotes(quote: str, text: str, *, gap: int = 400) -> Iterator[QuoteMatch]:
    """Every occurrence of ``quote`` in ``text``, in order, found as
    ``find_quote`` finds the first (each says how many there are)."""
    q = _fold_quote(quote)
    if not q:
        return
    if quote and quote in text:
        n = text.count(quote)
        for i in _positions(text, quote):
            yield QuoteMatch(i, i + len(quote), "verbatim", n, quote)
        return
    folded, origin = _fold_cached(text)

    def bounds(i: int, j: int) -> tuple[int, int]:
        a, b = origin[i], origin[j - 1] + 1
        while b < len(text) and joins_previous(text[b]):   # its last letter's accents
            b += 1
        return a, b

    def spans(hay: str, needle: str, how: str) -> Iterator[QuoteMatch]:
        n = hay.count(needle)
        for i in _positions(hay, needle):
            a, b = bounds(i, i + len(needle))
            yield QuoteMatch(a, b, how, n, text[a:b])

    if q in folded:
        yield from spans(folded, q, "normalised")
        return
    lower = folded.lower()
    if len(lower) == len(folded) and q.lower() in lower:
        yield from spans(lower, q.lower(), "letter case")
        return
    parts = [p for p in _ELLIPSIS.split(q) if p]
    if len(parts) > 1:
        yield from _elided(parts, text, folded, origin, gap, bounds)
    elif parts and parts[0] != q:
        # "… pledged £5 million …": words left out only before and after
        # it, which is any quote's; its own words are sought as they are
        yield from find_quotes(_own_words(quote), text, gap=gap)


def _elided(parts: list[str], text: str, folded: str, origin: Sequence[int], gap: int,
            bounds) -> Iterator[QuoteMatch]:
    """Each occurrence of ``parts[0]`` that the later parts follow, each the
    nearest after the one before, within ``gap`` characters and in its
    paragraph.  In time linear in the document: each later part's nearest
    occurrence moves only forward, so it is sought again only once passed."""
    nearest = [-1] * len(parts)
    # where a later part's gap fails, the first part can start no earlier
    # than this before its nearest occurrence for the gap to hold
    before = [k * gap + sum(map(len, parts[:k])) for k in range(len(parts))]
    pos = 0
    while True:
        i = folded.find(parts[0], pos)
        if i < 0:
            return
        end = i + len(parts[0])
        found = [(i, end)]
        pos = i + 1
        for k in range(1, len(parts)):
            j = nearest[k]
            if j < end:
                j = nearest[k] = folded.find(parts[k], end)
                if j < 0:       # nor after any later start
                    return
            if j - end > gap:
                pos = max(pos, j - before[k])
                break
            # a gap stays in its paragraph: "£217 million … a year" must
            # not borrow "a year" from the next one
            if _breaks_between(text, origin[end - 1] + 1, origin[j]):
                break
            end = j + len(parts[k])
            found.append((j, end))
        else:
            a, b = bounds(i, end)
            yield QuoteMatch(a, b, "elided", 1, text[a:b],
                             tuple(bounds(x, y) for x, y in found))


@functools.lru_cache(maxsize=32)
def _paragraph_breaks(text: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _PARAGRAPH_BREAK.finditer(text))


def _breaks_between(text: str, a: int, b: int) -> bool:
    """Whether a paragraph break lies in ``text[a:b]``, a stretch between
    two visible characters (a break is only white space and invisible
    characters, so the breaks found in the whole text are its breaks)."""
    starts = _paragraph_breaks(text)
    k = bisect.bisect_left(starts, a)
    return k < len(starts) and starts[k] < b


def _positions(hay: str, needle: str) -> Iterator[int]:
    """Where ``needle`` starts in ``hay``, not overlapping (as str.count)."""
    i = hay.find(needle)
    while i >= 0:
        yield i
        i = hay.find(needle, i + max(len(needle), 1))


def _closest(quote: str, text: str) -> tuple[int, str] | None | Literal[False]:
    """The document passage most like a quote that was not found: the
    longest common stretch (at least 6 characters and a third of the
    quote), widened to the quote's length; None when there is none; False
    when it was not sought (a quote whose pieces the document holds too
    often)."""

    q = _fold_quote(quote)
    folded, origin = _fold_cached(text)
    if not q or not folded:
        return None
    need = max(6, len(q) // 3)
    found = _longest_common(folded, q, need)
    if found is False:
        if len(folded) * len(q) > _MAX_PAIRS:
            return False
        m = SequenceMatcher(None, folded, q, autojunk=False).find_longest_match(
            0, len(folded), 0, len(q))
        found = (m.a, m.b, m.size) if m.size >= need else None
    if found is None:
        return None
    i, j, _ = found
    a = max(0, i - j)
    b = min(len(folded), a + len(q))
    return origin[a], folded[a:b]


# the closest passage: past this much work widening the places that hold a
# piece of the quote (a place widened counts 5, one inside a stretch
# already widened 1), the document is compared with the quote whole if
# that is this many pairs of characters at most; else it is not sought
_MAX_WORK = 1_000_000
_MAX_PAIRS = 4_000_000


def _longest_common(hay: str, needle: str,
                    need: int) -> tuple[int, int, int] | None | Literal[False]:
    """The longest stretch ``hay`` and ``needle`` share if it has ``need``
    characters or more, as ``(start in hay, start in needle, length)``, the
    earliest in ``hay``, then in ``needle`` (as difflib's
    ``find_longest_match``); None if there is none; False if ``needle``'s
    pieces occur too often (``_MAX_WORK``).

    A shared stretch of ``need`` characters holds one of the pieces of
    ``k`` characters taken every ``need - k + 1`` of ``needle``, so it is
    found by widening each place ``hay`` holds one: in time of how often
    the pieces occur, not of ``hay``'s length times ``needle``'s."""
    if len(needle) < need:
        return None
    k = min(need, 16)
    best: tuple[int, int, int] | None = None
    covered: dict[int, int] = {}     # a diagonal (hay - needle offset): where its match ends
    work = 0
    for j in range(0, len(needle) - k + 1, need - k + 1):
        piece = needle[j:j + k]
        p = hay.find(piece)
        while p >= 0:
            work += 1
            if covered.get(p - j, -1) < p + k:
                work += 4
                left = _shared_run(hay, p, needle, j, -1)
                right = _shared_run(hay, p + k, needle, j + k, 1)
                i0, size = p - left, left + k + right
                covered[p - j] = i0 + size
                if best is None or size > best[2] or (size == best[2] and
                                                      (i0, j - left) < best[:2]):
                    best = (i0, j - left, size)
            if work > _MAX_WORK:
                return False
            p = hay.find(piece, p + 1)
    return best if best is not None and best[2] >= need else None


def _shared_run(a: str, i: int, b: str, j: int, way: int) -> int:
    """How many characters ``a`` and ``b`` share going on from ``a[i]`` and
    ``b[j]`` (``way`` 1), or back from before them (``way`` -1)."""
    lo, hi = 0, (min(len(a) - i, len(b) - j) if way > 0 else min(i, j))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        same = (a[i:i + mid] == b[j:j + mid]) if way > 0 else (a[i - mid:i] == b[j - mid:j])
        if same:
            lo = mid
        else:
            hi = mid - 1
    return lo


# ------------------------------------------------------------ citations
@dataclass(frozen=True)
class CitationCheck:
    entry_id: str
    index: int                     # 0-based position among the entry's sources
    citation: Citation
    match: QuoteMatch | None = None
    location: Location | None = None
    end_location: Location | None = None
    mentions: tuple = ()           # ledger.phrases.extract.Mention in the quoted words
    matched: Any = None            # the Mention that carries the entry's figure
    matched_as: str = ""           # "amount" | "restatement" | "total"
    findings: tuple[Problem, ...] = ()
    figure_at: tuple[int, int] | None = None   # the matched figure's span in the document
    # the quote occurs more than once and the locator does not say which
    ambiguous: bool = False
    occurrences: int = 1           # how many times the quote occurs in the document

    @property
    def doc(self) -> str:
        return self.citation.doc

    @property
    def verified(self) -> bool:
        return self.match is not None and not any(f.severity == "error" for f in self.findings)


@functools.lru_cache(maxsize=4096)
def _money_text(m: Money) -> str:
    digits = m.amount.normalize().as_tuple().digits
    try:   # compact ("£12M") only when it loses nothing
        return format_money(m.amount, m.currency, "en_GB", compact=len(digits) <= 3)
    except Exception:  # pragma: no cover - unknown currency already reported by check
        return f"{m.currency} {m.amount}"


def _period_text(p) -> str:
    return p.describe()


def _period_agrees(quoted, recorded) -> bool:
    """A quoted period is consistent with the entry's when the quote gives
    none, or the same kind with the same length (when both give one)."""
    if quoted.kind == ONE_OFF:
        return True
    if quoted.kind != recorded.kind:
        return False
    for attr in ("years", "fiscal_year"):
        a, b = getattr(quoted, attr), getattr(recorded, attr)
        if a is not None and b is not None and a != b:
            return False
    return True


def _last_day(period, on: dt.date) -> dt.date | None:
    """The last day of ``period`` from its start, or ``on`` (the entry's
    start): the calendar's end rule (``ledger.limits.length_end``) the
    reports spread by, so 52 weeks and 364 days end on the same day, which
    their rounded years (0.9966, 0.9973) do not say.  None with no end."""
    if period.kind == FISCAL_YEAR:
        return None
    return phrase_period_end(period, on)


def _total_agrees(quoted, recorded, on: dt.date) -> bool:
    """A rate read as the entry's total ("€30m a year for three years" for
    €90m) needs the entry to record money spread over the same length, not a
    one-off: the same last day, the quote's length counted from the entry's
    start ``on`` (a start the quote states is checked by ``_start_differs``)."""

    if recorded.kind in (ONE_OFF, FISCAL_YEAR):
        return False
    if quoted.end is None:
        quoted = dataclasses.replace(quoted, start=None)
    first = recorded.start or on
    a, b = _last_day(quoted, first), _last_day(recorded, first)
    if a is not None and b is not None:
        return (a - (quoted.start or first)) == (b - first)
    x, y = period_years(quoted), period_years(recorded)
    return x is None or y is None or x == y


def _start_differs(quoted, entry: Entry):
    """The start (and end) a quote states, when the entry's period says
    otherwise: ``(said, recorded)`` texts, or None."""
    if quoted.start is None and quoted.end is None:
        return None
    rec = entry.period
    rec_start = rec.start or (entry.date if rec.kind != FISCAL_YEAR else None)
    diffs = []
    if quoted.start is not None and rec_start is not None and quoted.start != rec_start:
        diffs.append(("starts", quoted.start, rec_start))
    if quoted.end is not None and rec.end is not None and quoted.end != rec.end:
        diffs.append(("ends", quoted.end, rec.end))
    if not diffs:
        return None
    said = ", ".join(f"{w} {q.isoformat()}" for w, q, _ in diffs)
    recorded = ", ".join(f"{w} {r.isoformat()}" for w, _, r in diffs)
    return said, recorded


def _cfa_as_recorded(m, entry: Entry):
    """A mention in "francs CFA" that its document leaves unsettled (XOF or
    XAF) takes the zone the entry records, when it records one."""
    codes = {entry.currency, *(r.currency for r in entry.restated)} & {"XOF", "XAF"}
    return m.settled(codes.pop()) if len(codes) == 1 and m.cfa_unsettled else m


@functools.lru_cache(maxsize=256)
def _digits(currency: str) -> int:
    """The currency's minor-unit places, looked up once."""
    return currency_digits(currency)


def _pick(mentions, entry: Entry):
    """The mention carrying the entry's figure and how it matches."""

    money = entry.money
    restated = set(entry.restated)
    mentions = [_cfa_as_recorded(m, entry) for m in mentions]
    for m in mentions:
        if Money(m.amount, m.currency) == money or (
                m.upper is not None and Money(m.upper, m.currency) == money):
            return m, "amount"
    for m in mentions:
        if money in set(m.restated):
            return m, "amount"
    for m in mentions:
        if Money(m.amount, m.currency) in restated:
            return m, "restatement"
    # in minor units, as the reports and the package rule count a total;
    # N weeks or days count the years of their own dates, from the entry's start
    on = entry.period.start or entry.date
    digits = _digits(entry.currency)
    want = total_minor(entry.amount, entry.period, digits, on)
    for m in mentions:
        if m.currency == entry.currency and want is not None:
            got = total_minor(m.amount, m.period, digits, on)
            if got is not None and got == want and m.period.kind != ONE_OFF:
                return m, "total"
    if entry.period.kind == PER_YEAR:     # "£1m a month" as £12m per year
        for m in mentions:
            n = m.times_a_year
            if n and m.currency == entry.currency and m.amount * n == entry.amount:
                return m, "yearly"
    return None, ""


# how far before a quoted part the document is read for a figure it cuts
_CUT_WINDOW = 200


def _figure_window(text: str, s: int, e: int) -> int:
    """Where to start reading the document for figures around ``text[s:e]``:
    about ``_CUT_WINDOW`` characters back, within the line, at a character
    that is neither a digit nor a letter when one is near (so the work per
    part is bounded however long the line)."""
    a = max(0, s - _CUT_WINDOW)
    line = text.rfind("\n", a, s) + 1
    a = max(line, a)
    floor = max(line, a - _CUT_WINDOW // 4)
    while a > floor and text[a - 1].isalnum():
        a -= 1
    return a


def _figure_cut(spans: Iterable[tuple[int, int]], text: str,
                read_parts: Sequence[tuple[Sequence[Mention], Sequence[int]]], doc: str = ""
                ) -> tuple[str, Mention] | None:
    """The document's figure that the quoted words (each part of an elided
    quote, with its figures as ``_read_words`` reads them) cut, read by the
    same ``find_mentions``: ``("stops", figure)`` for one that starts inside
    a part and runs on past its end ("€4" of "€4⏎million a year"),
    ``("starts", figure)`` for one a part starts strictly inside, taking a
    longer number's tail ("5 million" of "15 million", "five million" of
    "twenty-five million"); else None.  A figure is cut only when the
    quote's own reading of it, there, is another amount (not the figure nor
    one of its restatements, nor a range's other bound)."""
    for (s, e), (in_part, origin) in zip(spans, read_parts):
        a = _figure_window(text, s, e)
        # (a figure too large to hold is no amount the quote cuts: the
        # coverage of the document says where it is)
        window = find_mentions(text[a:e + _CUT_WINDOW], context=text, too_large=[])
        for d in window:
            start = a + d.offset
            end = start + len(d.phrase)
            if s <= start < e < end:
                kind = "stops"
            elif start < s < end:
                kind = "starts"
            else:
                continue
            same = {Money(d.amount, d.currency), *d.restated}
            if d.upper is not None:     # "from £2 million to £3 million": either bound
                same.add(Money(d.upper, d.currency))
            # the quote's reading of the words it shares with this figure
            there = [q for q in in_part if start <= origin[q.offset] < end
                     or origin[q.offset] <= start < origin[q.offset] + len(q.phrase)]
            if there and not any(Money(q.amount, q.currency) in same for q in there):
                return kind, d
    return None


def verify_citation(entry: Entry, index: int, source: SourceText | None,
                    document: Document | None = None) -> CitationCheck:
    """Check one citation of ``entry`` against its document's text.

    Finds the quote (tolerantly), reports where it is, reads the money
    phrase(s) in the quoted words and compares them with the entry's amount,
    restatements, qualifier and period."""

    cit = entry.sources[index]
    doc = cit.doc
    base: dict[str, Any] = dict(entry_id=entry.id, doc=doc)
    if source is None:
        # no quote (a bulk table's sources): worded as the no-quote finding
        said = f"cannot verify the quote {cit.quote!r}" if cit.quote.strip() else \
            f"cites {doc} without a quote"
        f = finding("error", "document-unavailable",
                    f"{said}: document {doc!r} is not available", **base)
        return CitationCheck(entry.id, index, cit, findings=(f,))
    if not cit.quote.strip():   # a bulk table's sources name documents, not passages
        f = finding("error", "no-quote",
                    f"cites {doc} without a quote: its figure cannot be verified in it",
                    **base)
        return CitationCheck(entry.id, index, cit, findings=(f,))
    findings: list[Problem] = []
    m = find_quote(cit.quote, source.text)
    if m is None:
        near = _closest(cit.quote, source.text)
        hint, details = "", {"quote": cit.quote}
        where: dict[str, Any] = {}
        if near is False:
            hint = ("; the closest passage was not sought: the document holds the quote's "
                    "words too often")
        elif near:
            loc = source.locate(near[0])
            hint = f"; the closest passage, at {loc}, reads {near[1]!r}"
            details.update(closest=near[1])
            where = dict(line=loc.line, column=loc.column)
        findings.append(finding("error", "quote-not-found",
                                f"quote {cit.quote!r} not found in {doc}{hint}",
                                details=details, **base, **where))
        mentions = tuple(find_mentions(fold(cit.quote)[0], context=source.text, too_large=[]))
        return CitationCheck(entry.id, index, cit, None, mentions=mentions,
                             findings=tuple(findings))
    m, ambiguous, times, fitting, past_tail = _occurrence(cit.quote, cit.locator, source, m)
    loc, end = source.locate(m.start), source.locate(max(m.start, m.end - 1))
    where = dict(line=loc.line, column=loc.column)
    if times > 1:
        # say what decided: the locator, then the first (of those it fits)
        # that is not the tail of a longer number
        first = ("the first of those" if fitting else "the first") + \
            (" that is not part of a longer number" if past_tail else "")
        said_by = ("its locator does not say which" if not fitting else
                   f"its locator fits {fitting if fitting > 0 else 'more than one'} of them "
                   "but does not say which")
        which = (f"{said_by}; {first} is at {loc}" if ambiguous
                 else f"its locator points to the one at {loc}")
        findings.append(finding("info", "quote-repeated",
                                f"the quote occurs {times} times in {doc}; {which}",
                                **base, **where))
    verdict, said = locator_verdict(cit.locator, source, m.start)
    if verdict != "ok" and (view := extract_view(source)) is not None:
        # a page read raw: extract's locators name lines of its rendering
        vm = find_quote(cit.quote, view.text)
        if vm is not None:
            vm = _occurrence(cit.quote, cit.locator, view, vm)[0]
            if locator_verdict(cit.locator, view, vm.start)[0] == "ok":
                verdict, said = "ok", ""
    if verdict == "mismatch":
        findings.append(finding("warning", "locator-mismatch",
                                f"the citation's locator says {cit.locator!r} but {said}",
                                **base, **where))
    elif verdict == "unchecked" and source.path.suffix.lower() not in (".xml", ".json"):
        # (a data file's locator names its record: "flow 123 version 2")
        findings.append(finding("info", "locator-unchecked",
                                f"the citation's locator {cit.locator!r} cannot be checked: "
                                f"{said}", **base, **where))
    if m.how == "letter case":
        findings.append(finding("warning", "quote-case",
                                f"the quote differs from the document in letter case: the "
                                f"document reads {m.text!r}", **base, **where))
    elif m.how == "elided":
        findings.append(finding("info", "quote-elided",
                                "the quote leaves words out; its parts were found in order",
                                **base, **where))
    if source.path.suffix.lower() in (".xml", ".json"):   # IATI / FTS data: a number, not prose
        wrong = data_figure(m.text, entry)
        found = tuple(Mention(doc, loc.line, loc.column, f"{x.amount} {x.currency}", x.amount,
                              x.currency) for x in data_figures(m.text, entry))
        if wrong:
            findings.append(finding("error", "amount-mismatch", wrong, **base, **where))
        else:
            findings.insert(0, finding("ok", "quote-verified", f"data value found at {loc} "
                                       f"({m.how})", details={"quote": cit.quote}, **base, **where))
        return CitationCheck(entry.id, index, cit, m, loc, end, found, None, "", tuple(findings))
    # the figure, its currency and period are read from the quote's own
    # words: an elided quote's parts one by one, never the words left out
    big: list[FigureTooLarge] = []
    read_parts = [_read_words(source.text, a, b, big) for a, b in m.spans]
    mentions = tuple(d for in_part, _ in read_parts for d in in_part)
    for err in big:     # said here, at the entry, and not again by the coverage
        at = source.locate(err.at)
        findings.append(finding("error", "figure-too-large",
                                f"the quote holds a figure it cannot read: {err.figure}",
                                **base, line=at.line, column=at.column))
    whole, whole_at = _read_words(source.text, m.start, m.end) if m.parts else ([], [])
    for gap_at, gap_end in m.gaps:
        # a figure that starts in the words left out (a restatement in
        # brackets belongs to the figure before it, which a part carries)
        skipped = [d for d in whole if gap_at <= whole_at[d.offset] < gap_end]
        if skipped:
            said = ", ".join(repr(" ".join(d.phrase.split())) for d in skipped)
            gap_loc = source.locate(gap_at)
            findings.append(finding("warning", "figure-in-omission",
                                    f"the words the quote leaves out (from {gap_loc}) hold "
                                    f"{said}: the quote must carry the figure it stands for",
                                    details={"omitted": [d.phrase for d in skipped]},
                                    **base, **where))
    picked, how = _pick(mentions, entry)
    figure_at = None
    if picked is not None:
        for in_part, origin in read_parts:
            if any(d.offset == picked.offset and d.phrase == picked.phrase for d in in_part):
                figure_at = (origin[picked.offset],
                             origin[picked.offset + max(len(picked.phrase), 1) - 1] + 1)
                break
    recorded = _money_text(entry.money)
    cut = _figure_cut(m.spans, source.text, read_parts, cit.doc) if picked is not None else None
    # "£1⏎000 000": read as £1, but it may be £1,000,000 (said beside a mismatch too)
    split_at = [d for d in ([picked] if picked else mentions) if d.across_break]
    read = split_at[0] if split_at else picked or (mentions[-1] if mentions else None)
    split = split_at[0].across_break if split_at else \
        digits_across_break(source.text, m.start, m.end) if read else ""
    if split and read:
        findings.append(finding("warning", "figure-across-break",
                                f"a line break splits digits at the figure ({split!r}); "
                                f"the quote is read as {_money_text(Money(read.amount, read.currency))}: "
                                "check the figure in the document", **base, **where))
    if cut is not None:     # "€4" quoted from "€4⏎million": the document's figure is another
        findings.append(finding("error", "amount-mismatch",
                                f"the quote {cut[0]} inside the figure: the document reads "
                                f"{' '.join(cut[1].phrase.split())!r} but the entry records "
                                f"{entry.amount_text or recorded}",
                                details={"source": cut[1].phrase, "entry": recorded},
                                **base, **where))
        picked, how = None, ""
    elif not mentions:
        if not big:     # (a figure too large to read is said above)
            findings.append(finding("error", "no-figure-in-quote",
                                    f"the quote {cit.quote!r} carries no money figure; the "
                                    f"entry records {recorded}", **base, **where))
    elif picked is None:
        said = ", ".join(mm.phrase for mm in mentions)
        findings.append(finding("error", "amount-mismatch",
                                f"the source says {said!r} but the entry records "
                                f"{entry.amount_text or recorded}"
                                + (f" (restated {', '.join(_money_text(r) for r in entry.restated)})"
                                   if entry.restated else ""),
                                details={"source": said, "entry": recorded}, **base, **where))
    else:
        period_ok = (_period_agrees(picked.period, entry.period)
                     if how in ("amount", "restatement", "yearly")
                     else _total_agrees(picked.period, entry.period, entry.date))
        if picked.unread_rate and how != "yearly":   # "£1.2m a month": not a one-off £1.2m
            period_ok = False
            n = picked.times_a_year
            findings.append(finding("error", "period-mismatch",
                                    f"the source gives the period as {picked.period_unread!r}, "
                                    f"which an entry cannot record, but the entry records "
                                    f"{_period_text(entry.period)} "
                                    + (f"(record a year's total per year: "
                                       f"{_money_text(Money(picked.amount * n, picked.currency))} "
                                       "per year)" if n else
                                       "(no whole number of them makes a year: cite a yearly "
                                       "or total figure the source gives)"), **base, **where))
        elif not period_ok:
            findings.append(finding("error", "period-mismatch",
                                    f"the source gives the period as "
                                    f"{picked.period_text or _period_text(picked.period)!r} "
                                    f"({_period_text(picked.period)}) but the entry records "
                                    f"{_period_text(entry.period)}"
                                    + (f" ({_money_text(entry.money)} in all)" if how == "total"
                                       else ""), **base, **where))
        else:
            started = _start_differs(picked.period, entry)
            if started:
                findings.append(finding("error", "period-start-mismatch",
                                        f"the source's period {started[0]} "
                                        f"({picked.period_text!r}) but the entry's "
                                        f"{started[1]}" + ("" if entry.period.start else
                                                           " (its date: it records no start)"),
                                        **base, **where))
        if picked.qualifier == "range":
            bounds = {Money(picked.amount, picked.currency),
                      Money(picked.upper, picked.currency)}
            if entry.money not in bounds or entry.qualifier not in ("at least", "up to", "about"):
                findings.append(finding("warning", "qualifier-mismatch",
                                        f"the source gives a range ({picked.phrase!r}); the entry "
                                        f"records {entry.qualifier!r} {recorded} (record the "
                                        "lower bound as 'at least' or the upper as 'up to')",
                                        **base, **where))
        elif picked.qualifier != entry.qualifier:
            findings.append(finding("warning", "qualifier-mismatch",
                                    f"the source's qualifier is {picked.qualifier!r} "
                                    f"({picked.phrase!r}); the entry's is {entry.qualifier!r}",
                                    **base, **where))
        if how == "yearly" and period_ok:
            findings.append(finding("info", "figure-as-year",
                                    f"the source gives {picked.phrase!r}, which comes to the "
                                    f"entry's {recorded} {_period_text(entry.period)}",
                                    **base, **where))
        if how == "total" and period_ok:
            findings.append(finding("info", "figure-as-total",
                                    f"the source gives {picked.phrase!r}, which comes to the "
                                    f"entry's {recorded} {_period_text(entry.period)}",
                                    **base, **where))
        have = set(entry.restated) | {entry.money}
        n = picked.times_a_year if how == "yearly" else 1
        for r, r_text in zip(picked.restated, picked.restated_text or picked.restated):
            if Money(r.amount * (n or 1), r.currency) not in have:
                findings.append(finding("warning", "restatement-not-recorded",
                                        f"the source restates the figure as {r_text!r}, which the "
                                        f"entry's 'restated' does not list", **base, **where))
    if not any(f.severity == "error" for f in findings):
        findings.insert(0, finding("ok", "quote-verified",
                                   f"quote found at {loc} ({m.how})"
                                   + (f" and carries {picked.phrase!r}" if picked else ""),
                                   details={"quote": cit.quote, "end_line": end.line,
                                            "end_column": end.column, "match": m.how},
                                   **base, **where))
    return CitationCheck(entry.id, index, cit, m, loc, end, mentions, picked, how,
                         tuple(findings), figure_at, ambiguous, times)


# past this many occurrences of one quote, the rest are not looked at
_MAX_OCCURRENCES = 100_000


# a heading locator is checked against this many occurrences at most (each
# check reads the headings before it); past them the occurrence is unknown
_MAX_ASKED = 64


@functools.lru_cache(maxsize=32)
def _occurrences(quote: str, text: str) -> tuple[tuple[QuoteMatch, ...], tuple[int, ...]]:
    """Every occurrence of ``quote`` (up to ``_MAX_OCCURRENCES``) and where
    each starts: found once for all the entries that quote it."""
    found = tuple(itertools.islice(find_quotes(quote, text), _MAX_OCCURRENCES))
    return found, tuple(o.start for o in found)


def _occurrence(quote: str, locator: str, source: SourceText,
                first: QuoteMatch) -> tuple[QuoteMatch, bool, int, int, bool]:
    """The occurrence of a quote the citation means, whether that is
    unknown, and how many there are.  A quote found once is that one; else
    the locator picks (its page, line and column, or heading); with no
    locator, or one that fits several, which one is meant is unknown (the
    first is reported), and then how many the locator fits (0: none, or no
    locator; -1: more than one heading, not all asked) and whether a longer
    number's tail was passed over."""
    if first.occurrences <= 1 and first.how != "elided":
        return first, False, 1, 0, False
    found, starts = _occurrences(quote, source.text)
    if len(found) <= 1:
        return first, False, len(found), 0, False
    fits: list[QuoteMatch] = []
    span = None
    if locator.strip():
        span = locator_span(locator, source)
        if span is not None:
            lo, hi = span
            fits = list(found[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)])
            if not fits:    # a column off: the line alone (the mismatch is said)
                lo, hi = locator_span(locator, source, column=False) or (0, 0)
                fits = list(found[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)])
        else:   # a heading: each occurrence asked in turn, until two fit
            for o in found[:_MAX_ASKED]:
                if locator_verdict(locator, source, o.start)[0] == "ok":
                    fits.append(o)
                    if len(fits) > 1:
                        break
    if not fits and (view := extract_view(source)) is not None and locator.strip():
        # a page read raw: the locator names its rendering's lines; the
        # occurrence it picks there is the same one here
        seen, _ = _occurrences(quote, view.text)
        vm = _occurrence(quote, locator, view, seen[0])[:2] if seen else None
        if vm is not None and not vm[1] and len(seen) == len(found):
            return found[seen.index(vm[0])], False, len(found), 0, False
    if len(fits) == 1:
        return fits[0], False, len(found), 1, False
    # "5 million" of "15 million" is not the one meant when another is whole
    pool = fits or [first, *found[1:_MAX_ASKED]]
    pick = next((o for o in pool if not _number_cut(o, source.text)), pool[0])
    fitting = len(fits) if not fits or span is not None else -1
    return pick, True, len(found), fitting, pick is not pool[0]


def _number_cut(m: QuoteMatch, text: str) -> bool:
    """Whether a part of the quote starts or ends inside a figure of the
    document, reading there another amount than the figure's."""
    return _figure_cut(m.spans, text, [_read_words(text, a, b) for a, b in m.spans]) is not None


def _words(text: str, a: int, b: int) -> tuple[str, list[int]]:
    """``text[a:b]`` with each run of white space one space, or one line
    break when it holds one (extract reads across a line break but never
    inside a number), and for each character its offset in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    pos = a
    for w in _SPACE_RUN.finditer(text, a, b):
        out.append(text[pos:w.start()])
        origin.extend(range(pos, w.start()))
        out.append("\n" if "\n" in w.group() else " ")
        origin.append(w.start())
        pos = w.end()
    out.append(text[pos:b])
    origin.extend(range(pos, b))
    return "".join(out), origin


def _read_words(text: str, a: int, b: int, too_large: list | None = None
                ) -> tuple[list[Mention], list[int]]:
    """The money phrases of ``text[a:b]`` (on one line each) and where its
    characters are in ``text``; a figure too large to hold is left out, and
    added to ``too_large`` with ``at`` its offset in ``text``."""
    words, origin = _words(text, a, b)
    big: list[FigureTooLarge] = []
    found = find_mentions(words, context=text, too_large=big)
    if too_large is not None:
        too_large.extend(FigureTooLarge(str(err), origin[err.at], err.figure) for err in big)
    return [dataclasses.replace(d, phrase=d.phrase.replace("\n", " ")) for d in found], origin


def restatements_unsourced(entry: Entry, checks: Sequence[CitationCheck]) -> list[Problem]:
    """Restatements the entry records that none of its quotes gives."""
    seen: set[Money] = set()
    for c in checks:
        for mm in c.mentions:
            seen.add(Money(mm.amount, mm.currency))
            seen.update(mm.restated)
    out: list[Problem] = []
    if not checks:
        return out
    for r in entry.restated:
        if r not in seen:
            out.append(finding("warning", "restatement-unsourced",
                               f"restated {_money_text(r)} appears in none of the entry's quotes",
                               entry_id=entry.id))
    return out


# ------------------------------------------------------------ documents
@dataclass(frozen=True)
class DocumentCheck:
    id: str
    path: str
    exists: bool
    sha256_recorded: str
    sha256_actual: str
    kind: str = ""
    citations: int = 0
    mentions: int = 0
    uncovered: int = 0
    title: str = ""

    @property
    def hash_ok(self) -> bool:
        return bool(self.sha256_recorded) and self.sha256_recorded.lower() == self.sha256_actual


def _rendering_news(doc: Document, source: SourceText, archive_folder: str) -> str:
    """For a changed web page or PDF: does its text still read as archived?"""
    if not doc.text or source.text is None:
        return ""
    try:   # the original where the archive keeps it (read, and so confined, already)
        fresh = render(Archive(archive_folder).path_of(doc) if archive_folder else
                       Path(source.path).parent / Path(doc.path).name,
                       inside=archive_folder or None)
    except LedgerError:
        return "; its text can no longer be rendered"
    if fresh == source.text:
        return "; its text rendering is unchanged, so the quotes still read as archived"
    return "; its text now renders differently from the archived rendering the quotes are checked against"


def check_document(doc: Document, source: SourceText | None, citations: int,
                   archive_folder: str = "") -> list[Problem]:
    """Is the document's file there, and is it the file that was recorded?"""
    base: dict[str, Any] = dict(doc=doc.id)
    where = f"{doc.file}:{doc.line}: " if doc.file else ""
    if source is None:
        return [finding("error", "document-missing",
                        f"{where}file {doc.path or doc.id!r} not found in the source archive "
                        f"{archive_folder}".rstrip(), **base)]
    out = [finding("warning", "document-warning", w, **base) for w in source.warnings]
    if not doc.sha256:
        out.append(finding("warning", "no-hash",
                           f"{where}no sha256 recorded; record it so that changes are detected "
                           f"(sha256 = \"{source.sha256}\")", **base))
    elif doc.sha256.lower() != source.sha256:
        out.append(finding("error", "hash-mismatch",
                           f"{where}the file {doc.path or source.path.name} has changed since it was "
                           f"recorded: sha256 {source.sha256[:16]}… but the ledger records "
                           f"{doc.sha256[:16]}…" + _rendering_news(doc, source, archive_folder),
                           details={"recorded": doc.sha256, "actual": source.sha256}, **base))
    if doc.text and doc.text_sha256 and source.rendering_sha256 and (
            doc.text_sha256.lower() != source.rendering_sha256):
        out.append(finding("error", "rendering-changed",
                           f"{where}the text rendering {doc.text} has changed since it was "
                           f"recorded: sha256 {source.rendering_sha256[:16]}… but the ledger "
                           f"records {doc.text_sha256[:16]}…; quotes are checked against it, "
                           "so make it again from the original (sources add)",
                           details={"recorded": doc.text_sha256,
                                    "actual": source.rendering_sha256}, **base))
    if citations == 0:
        out.append(finding("info", "document-not-cited",
                           "no entry cites this document"
                           + (f" ({doc.notes})" if doc.notes else ""), **base))
    return out


# ------------------------------------------------------------ restatements
def _pct(d: Decimal) -> str:
    return format((d * 100).normalize(), "f")


def _half_unit(d: Decimal) -> Decimal:
    """Half the unit of the last significant digit: a figure written
    '15 million' may stand for anything from 14.5 to 15.5 million."""
    exp = d.normalize().as_tuple().exponent
    return Decimal(5).scaleb(exp - 1) if isinstance(exp, int) else Decimal(0)


def check_restatements(entries: Iterable[Entry], reference, *,
                       tolerance: Decimal | float | str = DEFAULT_TOLERANCE,
                       policy: str = "previous") -> list[Problem]:
    """Compare each restatement's implied exchange rate (restated ÷ amount)
    with the reference rate at the entry's date.  A deviation above
    ``tolerance`` is a warning; within it, an info finding.  Both rates, the
    deviation and the range the sources' rounding allows are in ``details``.
    ``reference``: the rates the reports convert by (a ``rates.RateTable``,
    which the caller loads: the ledger does not import rates)."""
    tol = Decimal(str(tolerance))
    table = reference
    out: list[Problem] = []
    for e in entries:
        for r in e.restated:
            if r.currency == e.currency:
                continue
            base: dict[str, Any] = dict(entry_id=e.id)
            try:
                ref, ref_date, source = table.rate(e.currency, r.currency, e.date, policy=policy)
            except LedgerError as err:
                if table.stated_only(e.currency):
                    # nothing to compare with: the restatement is the rate reports use
                    out.append(finding("info", "no-reference-rate", (
                        f"the restatement {_money_text(r)} is the only rate for "
                        f"{e.currency} (no published rates): reports convert by it"), **base))
                else:
                    out.append(finding("warning", "no-reference-rate",
                                       f"cannot check the restatement {_money_text(r)}: {err}",
                                       **base))
                continue
            with localcontext() as ctx:
                ctx.prec = 28
                implied = r.amount / e.amount
                deviation = implied / ref - 1
                hr, ha = _half_unit(r.amount), _half_unit(e.amount)
                low = (r.amount - hr) / (e.amount + ha)
                high = (r.amount + hr) / (e.amount - ha) if e.amount > ha else None
            explained = low <= ref and (high is None or ref <= high)
            details = {"amount": e.amount, "currency": e.currency,
                       "restated": r.amount, "restated_currency": r.currency,
                       "implied_rate": implied.quantize(Decimal("1e-6")),
                       "reference_rate": ref.quantize(Decimal("1e-6")),
                       "reference_date": ref_date, "reference_source": source,
                       "deviation": deviation.quantize(Decimal("1e-6")),
                       "tolerance": tol, "rounding_low": low.quantize(Decimal("1e-6")),
                       "rounding_high": high.quantize(Decimal("1e-6")) if high else None,
                       "explained_by_rounding": explained}
            pct = f"{deviation * 100:+.2f}%"
            text = (f"{_money_text(e.money)} restated as {_money_text(r)}: implied rate "
                    f"1 {e.currency} = {implied:.4f} {r.currency}, reference "
                    f"{ref:.4f} on {ref_date.isoformat()} ({source}); deviation {pct}")
            if abs(deviation) > tol:
                text += (f", above the {_pct(tol)}% tolerance"
                         + ("; the figures' rounding could explain it" if explained else ""))
                out.append(finding("warning", "restatement-deviation", text,
                                   details=details, **base))
            else:
                out.append(finding("info", "restatement-checked",
                                   text + f", within the {_pct(tol)}% tolerance",
                                   details=details, **base))
    return out


# --------------------------------------------------------- cross-source
def check_citation_agreement(entry: Entry, checks: Sequence[CitationCheck]) -> list[Problem]:
    """Citations of one entry that disagree with each other: different
    periods, qualifiers or figures (after restatements)."""
    found = [c for c in checks if c.matched is not None]
    out: list[Problem] = []
    if len(found) < 2:
        return out
    periods = {c.doc: c.matched.period for c in found if c.matched.period.kind != ONE_OFF}
    descs = {d: p.describe() for d, p in periods.items()}
    if len(set(descs.values())) > 1:
        out.append(finding("warning", "citations-disagree",
                           "the sources give different periods: "
                           + "; ".join(f"{d} says {v!r}" for d, v in descs.items()),
                           entry_id=entry.id))
    quals = {c.doc: c.matched.qualifier for c in found}
    if len(set(quals.values())) > 1:
        out.append(finding("warning", "citations-disagree",
                           "the sources give different qualifiers: "
                           + "; ".join(f"{d} says {v!r}" for d, v in quals.items()),
                           entry_id=entry.id))
    figures: dict[str, set[Decimal]] = {}
    for c in found:
        m = Money(c.matched.amount, c.matched.currency)
        figures.setdefault(m.currency, set()).add(m.amount)
    for cur, amounts in figures.items():
        if len(amounts) > 1:
            out.append(finding("warning", "citations-disagree",
                               f"the sources give different {cur} figures: "
                               + ", ".join(_money_text(Money(a, cur)) for a in sorted(amounts)),
                               entry_id=entry.id))
    return out


# "£5 million each to Calais and Dunkirk": one figure said for several
_EACH = re.compile(r"\b(?:each|apiece|per head|respectively)\b", re.IGNORECASE)


def _more_than_said(unplaced: dict[tuple[str, str], list[CitationCheck]], by_id,
                    place) -> list[Problem]:
    """Quotes whose place is unknown (found several times, the locator
    not saying which): more counted entries citing one than the document
    says it count a figure twice, whichever occurrence each means; said once,
    on the latest entry."""
    out: list[Problem] = []
    for (doc, quote), cites in unplaced.items():
        ids = sorted({c.entry_id for c in cites},
                     key=lambda i: (by_id[i].date, place[i]))
        times = max(c.occurrences for c in cites)
        if len(ids) <= times or any(_EACH.search(c.match.text) for c in cites if c.match):
            continue
        late = next(c for c in cites if c.entry_id == ids[-1])
        here = late.location
        assert here is not None
        out.append(finding(
            "warning", "same-figure-twice",
            f"{len(ids)} entries ({', '.join(ids)}) cite {quote!r}, which {doc} says "
            f"{times} time{'s' if times > 1 else ''}, and their locators do not say which: "
            f"at least {len(ids) - times} of them count{'s' if len(ids) - times == 1 else ''} "
            f"a figure twice; give each citation "
            f"the line and column of its own occurrence, or make one entry",
            entry_id=ids[-1], doc=doc, line=here.line, column=here.column,
            details={"other": ids[0], "others": ids[:-1], "occurrences": times,
                     "figure": f"{doc}:{quote}"}))
    return out


def check_same_figure(entries: Sequence[Entry], checks: Sequence[CitationCheck]) -> list[Problem]:
    """Different entries whose citations read the same figure at the same
    place of one document (the spans of the figure each carries
    overlapping): one pledge entered twice, whatever their dates, funders
    or currencies say.  A quote found more than once whose locator does not
    say which one it means is left out (its place is unknown); a figure
    said for several ("£5 million each") is a note.  Entries not counted in
    totals (linked with restates, disburses or part_of, or tagged not
    counted) repeat money on purpose and are left out.  Each group of
    entries reading one figure is said once per entry, against the first."""
    by_id = {e.id: e for e in entries if e.is_primary}
    place = {e.id: i for i, e in enumerate(entries)}
    spans: dict[str, list[CitationCheck]] = {}
    unplaced: dict[tuple[str, str], list[CitationCheck]] = {}
    for c in checks:
        if c.match is not None and c.figure_at is not None and c.entry_id in by_id:
            if c.ambiguous:
                unplaced.setdefault((c.doc, " ".join(c.citation.quote.split())), []).append(c)
            else:
                spans.setdefault(c.doc, []).append(c)
    out: list[Problem] = _more_than_said(unplaced, by_id, place)
    said: set[str] = set()
    for doc, found in spans.items():
        found.sort(key=lambda c: c.figure_at)   # type: ignore[arg-type,return-value]
        groups: list[list[CitationCheck]] = []
        reach = -1
        for c in found:
            assert c.figure_at is not None
            fa, fb = c.figure_at
            if groups and fa < reach:     # overlaps a figure of the group
                groups[-1].append(c)
                reach = max(reach, fb)
            else:
                groups.append([c])
                reach = fb
        for group in groups:
            first: dict[str, CitationCheck] = {}
            for c in group:
                first.setdefault(c.entry_id, c)
            if len(first) < 2:
                continue
            several = any(c.match is not None and _EACH.search(c.match.text) for c in group)
            # said of each later entry, against the earliest: the one it restates
            order = sorted(first.values(), key=lambda c: (by_id[c.entry_id].date,
                                                          place[c.entry_id]))
            early_c = order[0]
            early = by_id[early_c.entry_id]
            there = early_c.location
            assert there is not None
            for late_c in order[1:]:
                late = by_id[late_c.entry_id]
                if late.id in said:
                    continue
                said.add(late.id)
                here = late_c.location
                assert here is not None
                key = f"{doc}:{there.line}:{there.column}"
                if several:
                    out.append(finding(
                        "info", "same-figure-each",
                        f"the same figure as {early.id!r} ({doc}:{there}), said for several "
                        f"(\"each\"): one amount for each entry, not counted twice",
                        entry_id=late.id, doc=doc, line=here.line, column=here.column,
                        details={"other": early.id, "figure": key}))
                    continue
                out.append(finding(
                    "warning", "same-figure-twice",
                    f"the same figure as {early.id!r}: this entry's quote ({doc}:{here}) "
                    f"and its quote ({doc}:{there}) read one figure at one place of the "
                    f"document, recorded as {_money_text(late.money)} and "
                    f"{_money_text(early.money)}, so it is counted twice; make one entry with "
                    f"both citations, or mark this one restates = {early.id!r} (a figure "
                    f"said for several, as in \"£5 million each\", is not flagged when the "
                    f"quote says \"each\")",
                    entry_id=late.id, doc=doc, line=here.line, column=here.column,
                    details={"other": early.id, "other_line": there.line,
                             "other_column": there.column, "figure": key}))
    return out


def _runs_until(e: Entry) -> dt.date:
    """The last day of the entry's period (its date for a one-off or an
    open-ended rate)."""
    p = e.period
    if p.end is not None:
        return max(p.end, e.date)
    end = _last_day(p, p.start or e.date)
    return e.date if end is None else max(end, e.date)


def _near_in_time(a: Entry, b: Entry, window_days: int) -> bool:
    """Dates within ``window_days``, or the later entry restating the
    earlier (the same purpose and the same recipient) dated within the
    earlier's period: the same £12m "over three years" said again a year on.
    Two flows of a data import to different recipients in one year are two
    flows, whatever their funder and amount; so are two records of a data
    import (FTS, IATI), whose period is the publisher's reporting year."""
    if abs((a.date - b.date).days) <= window_days:
        return True
    return _within_period(a, b)


# the tags the importers give their records (ledger.imports): a data record's
# period is the publisher's reporting year, and two records are two flows
_DATA_TAGS = frozenset({"fts", "iati"})


def _within_period(a: Entry, b: Entry) -> bool:
    first, later = (a, b) if (a.date, a.id) <= (b.date, b.id) else (b, a)
    if first.purpose != later.purpose or first.recipient != later.recipient:
        return False
    if _DATA_TAGS.intersection(first.tags) or _DATA_TAGS.intersection(later.tags):
        return False
    return later.date <= _runs_until(first)


# beyond this many candidate pairs, each entry is compared with its
# ``_NEAREST`` neighbours only (``check_double_counting``)
_MOST_PAIRS = 200_000
_NEAREST = 5


def _candidates(f, rel: float):
    """Per row of ``f`` (sorted by root, currency, amount): how many rows after
    it in its group have an amount within ``rel`` of its own."""
    import numpy as np

    amount = f["amount"].to_numpy()
    upper = np.empty(len(f), dtype=np.int64)
    for _, idx in f.groupby(["root", "currency"], sort=False).indices.items():
        lo = idx[0]    # rows of a group are contiguous after the sort
        upper[idx] = lo + np.searchsorted(amount[idx], amount[idx] / (1 - rel) * (1 + 1e-12),
                                          side="right")
    return upper - np.arange(len(f)) - 1


def check_double_counting(entries: Sequence[Entry], *, window_days: int = DEFAULT_WINDOW_DAYS,
                          same_amount: Decimal | float | str = DEFAULT_SAME_AMOUNT) -> list[Problem]:
    """Different entries that look like the same pledge: related funders
    (the same top-level account: "UK:Home Office" and "UK:Government"), the
    same amount within ``same_amount`` (relative, in exact decimals; also
    across a restatement), dates within ``window_days`` or, for the same
    purpose and recipient, the later within the earlier's period.  Linked entries
    (restates, disburses, part_of) are not counted in totals, so they are
    left out.  Candidates found vectorised with pandas, confirmed exactly."""
    import pandas as pd

    rows = []
    for e in entries:
        if not e.is_primary:
            continue   # linked entries repeat money on purpose and are not counted again
        rows.append((e.id, e.funder, e.funder.split(":", 1)[0], e.currency, float(e.amount),
                     e.date, "amount", e.amount))
        for r in e.restated:
            rows.append((e.id, e.funder, e.funder.split(":", 1)[0], r.currency, float(r.amount),
                         e.date, "restated", r.amount))
    if not rows:
        return []
    import numpy as np

    cols = ["id", "funder", "root", "currency", "amount", "date", "as", "exact"]
    f = pd.DataFrame(rows, columns=cols)
    f["date"] = pd.to_datetime(f["date"])
    f = f.sort_values(["root", "currency", "amount"], kind="stable").reset_index(drop=True)
    rel_exact = Decimal(str(same_amount))
    # the float window is a little wider than ``same_amount``: candidates
    # only, each kept or dropped by exact arithmetic below
    rel = float(rel_exact) * (1 + 1e-6) + 1e-9
    # Candidate pairs (i, j > i) of one group whose amounts are within ``rel``:
    # a window over the sorted amounts (searchsorted), not a cross join.
    counts = _candidates(f, rel)
    crowded = counts.sum() > _MOST_PAIRS
    if crowded:
        # thousands of entries of one amount (a publisher's monthly
        # instalments) would make millions of pairs: each entry is compared
        # with its nearest few in amount, then date, and the audit says so
        f = f.sort_values(["root", "currency", "amount", "date", "id"],
                          kind="stable").reset_index(drop=True)
        counts = _candidates(f, rel)
        # the entries of a pair left uncompared: the first of it, and the
        # rows its full window reaches past its nearest (a difference array)
        at = np.arange(len(f))
        cut = counts > _NEAREST
        reach = np.zeros(len(f) + 1, dtype=np.int64)
        np.add.at(reach, at[cut] + _NEAREST + 1, 1)
        np.add.at(reach, at[cut] + counts[cut] + 1, -1)
        many = int((cut | (np.cumsum(reach[:-1]) > 0)).sum())
        counts = np.minimum(counts, _NEAREST)
    ia = np.repeat(np.arange(len(f)), counts)
    ib = ia + 1 + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    a = f.iloc[ia].reset_index(drop=True).add_suffix("_a")
    b = f.iloc[ib].reset_index(drop=True).add_suffix("_b")
    pairs = pd.concat([a, b], axis=1)
    big = pairs[["amount_a", "amount_b"]].max(axis=1)
    pairs = pairs[(pairs["id_a"] != pairs["id_b"])
                  & ~((pairs["as_a"] == "restated") & (pairs["as_b"] == "restated"))
                  & ((pairs["amount_a"] - pairs["amount_b"]).abs() <= rel * big)]
    by_id = {e.id: e for e in entries}
    keep = [abs(x - y) <= rel_exact * max(x, y) and _near_in_time(by_id[a], by_id[b], window_days)
            for x, y, a, b in zip(pairs["exact_a"], pairs["exact_b"], pairs["id_a"], pairs["id_b"])]
    pairs = pairs[pd.Series(keep, index=pairs.index, dtype=bool)]
    # name each pair in id order
    swap = pairs["id_a"] > pairs["id_b"]
    pairs = pairs.assign(
        id_a=np.where(swap, pairs["id_b"], pairs["id_a"]),
        id_b=np.where(swap, pairs["id_a"], pairs["id_b"]))
    pairs = pairs.drop_duplicates(["id_a", "id_b"])
    out = []
    if crowded:
        out.append(finding("info", "double-count-crowded",
                           f"{many:,} entries are among more than {_NEAREST + 1} of nearly "
                           f"the same amount (within {(rel_exact * 100).normalize():f}%) from "
                           f"a related funder: each was compared with the {_NEAREST} nearest "
                           f"in amount and date only, so some possible double counts among "
                           f"them are not listed",
                           details={"entries": many, "compared_with": _NEAREST}))
    for a, b in zip(pairs["id_a"], pairs["id_b"]):
        ea, eb = by_id[a], by_id[b]
        if any(ln.target in (a, b) for ln in (*ea.links, *eb.links)):
            continue
        days = abs((ea.date - eb.date).days)
        why = ""
        if days > window_days:     # near only through the earlier entry's period
            first = min((ea, eb), key=lambda e: (e.date, e.id))
            why = (f", more than {window_days} days, but the later is dated within "
                   f"{first.id!r}'s period (until {_runs_until(first)}) with the same "
                   f"purpose and recipient")
        out.append(finding("warning", "possible-double-count",
                           f"looks like the same pledge as {b!r}: {ea.funder} "
                           f"{_money_text(ea.money)} on {ea.date} vs {eb.funder} "
                           f"{_money_text(eb.money)} on {eb.date} ({days} days apart{why}); "
                           f"if it is, make one entry with both citations or link it with "
                           f"restates = {a!r}", entry_id=a,
                           details={"other": b, "days_apart": days}))
    return out


def check_packages(entries: Sequence[Entry]) -> list[Problem]:
    """Phased parts (``part_of``) that do not add up to their package: the
    package rule of ``ledger.rules``, with the totals it counts (each entry
    over its whole period, in minor units, N weeks or days from its start:
    ``whole_amounts``), worded for the audit (which also says when the parts
    fall short).  A part tagged not counted is in no total, so in no package
    (``across_entries``' ``uncounted``)."""

    entries = list(entries)
    index = {e.id: i for i, e in enumerate(entries)}
    pairs = [(i, index[t]) for i, e in enumerate(entries)
             if (t := e.link("part_of")) in index and NOT_COUNTED not in e.tags]
    out = []

    def amount(i: int) -> Decimal:
        return entries[i].amount

    def currency(i: int) -> str:
        return entries[i].currency

    whole = whole_amounts(amount, lambda i: entries[i].period.describe(), currency,
                          lambda i: entries[i].period.start or entries[i].date)
    for found in packages(pairs, currency, amount, lambda i: entries[i].qualifier,
                          whole, yearly_amounts(amount, currency)):
        pkg = entries[found.package]
        if found.other:
            other = [entries[i].id for i in found.other]
            out.append(finding("warning", "parts-other-currency",
                               f"phased parts {', '.join(other)} are not in the package's "
                               f"{pkg.currency}; they cannot be added up", entry_id=pkg.id))
            continue
        parts = [entries[i] for i in found.parts]
        total, size = found.total, found.amount
        names = ", ".join(p.id for p in parts)
        details = {"parts": [p.id for p in parts], "sum": total, "package": size}
        a_year = " a year" if found.per_year else ""
        if found.exceeded and found.endless and not found.per_year and total <= size:
            endless = ", ".join(entries[i].id for i in found.endless)
            out.append(finding("error", "parts-exceed-package",
                               f"phased parts ({endless}) a year with no end add up to more "
                               f"than the package's {_money_text(Money(size, pkg.currency))}",
                               entry_id=pkg.id, details=details))
        elif found.exceeded:
            out.append(finding("error", "parts-exceed-package",
                               f"phased parts ({names}) add up to "
                               f"{_money_text(Money(total, pkg.currency))}{a_year}"
                               + (" and more each year" if found.endless and not found.per_year
                                  else "")
                               + f", more than the package's "
                               f"{_money_text(Money(size, pkg.currency))}{a_year}",
                               entry_id=pkg.id, details=details))
        elif found.short and not found.endless and not found.per_year:
            sev = "info" if pkg.qualifier in ("up to", "about") else "warning"
            out.append(finding(sev, "parts-short-of-package",
                               f"phased parts ({names}) add up to "
                               f"{_money_text(Money(total, pkg.currency))} of the package's "
                               f"{_money_text(Money(size, pkg.currency))}; "
                               f"{_money_text(Money(size - total, pkg.currency))} "
                               f"is not accounted for", entry_id=pkg.id, details=details))
    return out


# ------------------------------------------------------------- coverage
def uncovered_mentions(doc_id: str, source: SourceText, checks: Sequence[CitationCheck],
                       mentions=None) -> list[tuple]:
    """Money mentions in ``source`` (``mentions``: already found ones) that
    no found quote overlaps: ``(Mention, Location)`` pairs in document order."""

    spans = sorted((c.match.start, c.match.end) for c in checks
                   if c.doc == doc_id and c.match is not None)
    out = []
    if mentions is None:
        mentions = find_mentions(source.text, doc_id)
    for m in mentions:
        a, b = m.offset, m.offset + len(m.phrase)
        if not any(s < b and a < e for s, e in spans):
            out.append((m, source.locate(a)))
    return out


# ---------------------------------------------------------------- audit
@dataclass(frozen=True)
class AuditResult:
    entries: tuple[Entry, ...]
    documents: Mapping[str, Document]
    citations: tuple[CitationCheck, ...]
    findings: tuple[Problem, ...]          # every finding, citations' included
    document_checks: tuple[DocumentCheck, ...]
    uncovered: tuple[tuple, ...]           # (doc id, Mention, Location)
    sources: Mapping[str, SourceText]
    archive: str = ""
    tolerance: Decimal = DEFAULT_TOLERANCE

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def verified(self) -> int:
        return sum(1 for c in self.citations if c.verified)

    def failed(self, strict: bool = False) -> bool:
        bad = ("error", "warning") if strict else ("error",)
        return any(f.severity in bad for f in self.findings)

    def for_entry(self, entry_id: str) -> list[Problem]:
        return list(self._by_entry.get(entry_id, ()))

    @functools.cached_property
    def _by_entry(self) -> dict[str, list[Problem]]:
        # read once per entry by the renderers: a scan each was quadratic
        out: dict[str, list[Problem]] = {}
        for f in self.findings:
            out.setdefault(f.entry_id, []).append(f)
        return out

    def summary(self) -> str:
        return (f"{len(self.entries)} entries, {len(self.citations)} citations, "
                f"{self.verified} verified; {self.count('error')} error(s), "
                f"{self.count('warning')} warning(s), {len(self.uncovered)} uncovered figure(s)")


def audit(ledger, archive: Archive | str, *, reference, tolerance=DEFAULT_TOLERANCE,
          window_days: int = DEFAULT_WINDOW_DAYS, same_amount=DEFAULT_SAME_AMOUNT,
          entries: Sequence[Entry] | None = None) -> AuditResult:
    """Audit a loaded ``ledger.Ledger`` against its source archive.

    ``entries`` restricts the per-figure checks (coverage still uses every
    entry of the ledger, so a filtered audit does not report the others'
    figures as uncovered).  ``reference``: the rate table the restatements
    are compared with (``check_restatements``).  The checks of each entry
    (``audit_part``) and those across entries and documents
    (``audit_whole``): a partitioned dataset runs the first per partition."""
    if not isinstance(archive, Archive):
        archive = Archive(archive)
    documents = dict(ledger.documents)
    sources, unreadable = read_documents(documents, archive)
    part = audit_part(ledger, archive, reference=reference, tolerance=tolerance,
                      entries=entries, sources=sources)
    return audit_whole([part], archive, documents, sources, unreadable,
                       tolerance=tolerance, window_days=window_days, same_amount=same_amount,
                       filtered=entries is not None)


def read_documents(documents: Mapping[str, Document], archive: Archive):
    """(each readable document's text by id, {id: why not} for one that is
    in the archive but cannot be read); a missing one is in neither."""
    sources: dict[str, SourceText] = {}
    unreadable: dict[str, str] = {}
    for d in documents.values():
        try:
            sources[d.id] = archive.read(d)
        except LedgerError as err:
            if archive.path_of(d).exists():   # there but unreadable
                unreadable[d.id] = str(err)
    return sources, unreadable


@dataclass
class AuditPart:
    """The checks of each entry of one ledger, or of one partition of a
    dataset: ``entries`` (every entry, for the checks across entries),
    ``chosen`` (those the filters keep; None: all), their ``citations``
    and ``findings``, the findings on restatements (``restatements``: said
    after every entry's), the citations found in a document (``covering``,
    for coverage) and how many times each document is cited."""
    entries: list[Entry]
    chosen: list[Entry] | None
    citations: list[CitationCheck]
    findings: list[Problem]
    restatements: list[Problem]
    covering: list[CitationCheck]
    cites: dict[str, int]


def _slim(e: Entry) -> Entry:
    """What the checks across entries and the renderers read of an entry."""
    return dataclasses.replace(e, sources=(), splits=(), notes="", recipient="", location="",
                               amount_text="", tags=tuple(t for t in e.tags if t == NOT_COUNTED))


def audit_part(ledger, archive: Archive | str, *, reference, tolerance=DEFAULT_TOLERANCE,
               entries: Sequence[Entry] | None = None, filters: dict | None = None,
               sources: Mapping[str, SourceText] | None = None, slim: bool = False) -> AuditPart:
    """The checks of each entry of ``ledger`` (a Book): its citations, a
    missing source, restatements (unsourced, disagreeing, against the
    ``reference`` rates).  ``entries`` or ``filters`` (``Book.select``'s)
    choose the entries checked; ``sources``: the documents already read;
    ``slim``: keep of each entry only what ``audit_whole`` reads (a
    dataset's partitions)."""
    if not isinstance(archive, Archive):
        archive = Archive(archive)
    documents = dict(ledger.documents)
    if sources is None:
        sources = read_documents(documents, archive)[0]
    all_entries = list(ledger.entries)
    if filters:
        keep = {e.id for e in ledger.select(**filters).entries}
        entries = [e for e in all_entries if e.id in keep]
    chosen = list(entries) if entries is not None else all_entries
    chosen_ids = {e.id for e in chosen} if entries is not None else None
    cites: dict[str, int] = {}
    findings: list[Problem] = []
    citations: list[CitationCheck] = []
    covering: list[CitationCheck] = []
    for e in all_entries:
        checks = []
        for i, c in enumerate(e.sources):
            cites[c.doc] = cites.get(c.doc, 0) + 1
            if c.doc not in documents:
                f = finding("error", "undeclared-document",
                            f"cites document {c.doc!r}, which the ledger does not declare",
                            entry_id=e.id, doc=c.doc)
                checks.append(CitationCheck(e.id, i, c, findings=(f,)))
                continue
            checks.append(verify_citation(e, i, sources.get(c.doc), documents[c.doc]))
        covering.extend(c for c in checks if c.match is not None)
        if chosen_ids is not None and e.id not in chosen_ids:
            continue
        citations.extend(checks)
        for c in checks:
            findings.extend(c.findings)
        if not e.sources:
            findings.append(finding("warning", "no-source",
                                    "no source: the figure cannot be traced to a document",
                                    entry_id=e.id))
        findings.extend(restatements_unsourced(e, checks))
        findings.extend(check_citation_agreement(e, checks))
    restatements = check_restatements(chosen, reference, tolerance=tolerance)
    if slim:
        thin = {e.id: _slim(e) for e in all_entries}
        all_entries = list(thin.values())
        chosen = [thin[e.id] for e in chosen]
    return AuditPart(all_entries, chosen if entries is not None else None, citations, findings,
                     restatements, covering, cites)


def audit_whole(parts: Sequence[AuditPart], archive: Archive, documents: Mapping[str, Document],
                sources: Mapping[str, SourceText], unreadable: Mapping[str, str], *,
                tolerance=DEFAULT_TOLERANCE, window_days: int = DEFAULT_WINDOW_DAYS,
                same_amount=DEFAULT_SAME_AMOUNT, filtered: bool = False) -> AuditResult:
    """The audit of every part's entries (in order): the documents, the
    checks across entries (double counting, phased parts), coverage, files
    no document records; with each part's own findings, in the order one
    ``audit_part`` of the whole ledger gives them."""
    all_entries = tuple(e for p in parts for e in p.entries)
    chosen = tuple(e for p in parts for e in (p.entries if p.chosen is None else p.chosen))
    chosen_ids = {e.id for e in chosen}
    cites: dict[str, int] = {}
    for p in parts:
        for doc, n in p.cites.items():
            cites[doc] = cites.get(doc, 0) + n

    findings: list[Problem] = []
    for d in documents.values():
        if d.id in unreadable:
            findings.append(finding("error", "document-unreadable", unreadable[d.id], doc=d.id))
            continue
        findings.extend(check_document(d, sources.get(d.id), cites.get(d.id, 0),
                                       str(archive.folder)))
    for p in parts:
        findings.extend(p.findings)
    for p in parts:
        findings.extend(p.restatements)
    all_checks = [c for p in parts for c in p.covering]
    same = [f for f in check_same_figure(all_entries, all_checks)
            if f.entry_id in chosen_ids or f.details.get("other") in chosen_ids]
    # entries said to read one figure (twice, or "each") are not said again
    # to look like one pledge
    figures_of: dict[str | None, set[str]] = {}
    for f in same:
        for i in (f.entry_id, f.details["other"]):
            figures_of.setdefault(i, set()).add(f.details["figure"])
    findings.extend(same)
    findings.extend(f for f in check_double_counting(all_entries, window_days=window_days,
                                                     same_amount=same_amount)
                    if not f.entry_id   # the note on crowded amounts
                    or (f.entry_id in chosen_ids or f.details.get("other") in chosen_ids)
                    and not figures_of.get(f.entry_id, set()).intersection(
                        figures_of.get(f.details.get("other"), ())))
    findings.extend(f for f in check_packages(all_entries) if f.entry_id in chosen_ids
                    or not filtered)

    uncovered, doc_checks = [], []
    for d in documents.values():
        src = sources.get(d.id)
        big: list[FigureTooLarge] = []
        found = _mentions(src, d.id, big) if src is not None else []
        # where a citation said a figure it cannot read: an elided quote
        # reads its parts only, never the words it leaves out
        said = {(f.line, f.column) for c in all_checks if c.doc == d.id
                for f in c.findings if f.code == "figure-too-large"}
        for err in big:
            if src is None:
                continue
            at = src.locate(err.at)
            if (at.line, at.column) in said:
                continue     # said at the citation that quotes it
            findings.append(finding("error", "figure-too-large",
                                    f"a figure the audit cannot read: {err.figure}",
                                    doc=d.id, line=at.line, column=at.column))
        unc = uncovered_mentions(d.id, src, all_checks, found) if src is not None else []
        for m, loc in unc:
            uncovered.append((d.id, m, loc))
            if not filtered:
                findings.append(finding("info", "uncovered-figure",
                                        f"{m.phrase!r} is a money figure that no entry cites",
                                        doc=d.id, line=loc.line, column=loc.column,
                                        details={"phrase": m.phrase, "amount": m.amount,
                                                 "currency": m.currency}))
        n_mentions = len(found)
        doc_checks.append(DocumentCheck(
            d.id, d.path, src is not None, d.sha256, src.sha256 if src else "",
            src.kind if src else "", cites.get(d.id, 0), n_mentions, len(unc), d.title))

    declared = {archive.path_of(d).resolve() for d in documents.values()}
    declared |= {r.resolve() for r in map(archive.rendering_of, documents.values()) if r}
    for file in archive.files():
        if file.resolve() not in declared:
            findings.append(finding("info", "unrecorded-file",
                                    f"{file.relative_to(archive.folder).as_posix()} is in the archive "
                                    "but not recorded in the ledger's sources "
                                    "(ledger-tool sources add)", doc=file.name))
    order = {s: i for i, s in enumerate(SEVERITIES)}
    findings.sort(key=lambda f: order.get(f.severity, 9))
    return AuditResult(chosen, documents, tuple(c for p in parts for c in p.citations),
                       tuple(findings), tuple(doc_checks),
                       tuple(uncovered if not filtered else ()), sources,
                       str(archive.folder), Decimal(str(tolerance)))


def _mentions(source: SourceText, doc_id: str, too_large: list | None = None):
    return find_mentions(source.text, doc_id, too_large=too_large)
