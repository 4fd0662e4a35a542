"""Find money mentions in source documents.

``find_mentions(text)`` reports every amount that carries a currency (symbol,
ISO code or name) with its position, qualifier, period and any restatement in
brackets right after it.  Bare numbers ("2.5 million refugees", "107,500
migrants", dates) are not money and are not reported.

The documents themselves are read by ``ledger.sources.render.read_document``
(as the archive keeps them); this module only reads their text.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal

from ledger.model import FISCAL_YEAR, ONE_OFF, OVER, PER_YEAR, Money, Period
from ledger.phrases.lazy import lazy_re
from ledger.phrases.money import (CFA_FRANC, COMMA, POINT, FigureTooLarge, MoneyError,
                                  extend_phrase, format_amount_phrase, iter_atoms,
                                  phrase_numbers, plain_decimal, read_number, respective_end,
                                  settle_cfa)
from ledger.phrases.period import match_period, match_rate_tail, period_years, rate_stated_before

__all__ = ["Mention", "find_mentions", "mentions_in", "unwrap", "compose", "joins_previous",
           "CSV_COLUMNS"]

CSV_COLUMNS = ("doc", "line", "column", "phrase", "amount", "currency", "qualifier",
               "per", "over_years", "fiscal_year", "restated", "start", "upper")


@dataclass(frozen=True, slots=True)
class Mention:
    doc: str
    line: int                 # 1-based
    column: int               # 1-based, in characters
    phrase: str               # the exact text span
    amount: Decimal
    currency: str
    qualifier: str = "exact"
    per: str = ""             # "year" for a rate, else ""
    over_years: Decimal | None = None
    fiscal_year: str = ""
    restated: tuple[Money, ...] = ()
    period: Period = field(default_factory=Period)
    amount_text: str = ""     # qualifier + amount as written ("up to £7 million")
    period_text: str = ""     # the period as written ("over three years")
    restated_text: tuple[str, ...] = ()   # each restatement as written
    offset: int = 0           # character offset of the phrase in the text
    upper: Decimal | None = None   # a range's upper bound (qualifier "range")
    period_before: bool = False    # the period was stated earlier in the sentence
    period_unread: str = ""   # period words after the figure the ledger cannot read ("a month")
    across_break: str = ""    # digits split by a line break at the figure ("£1⏎000 000")
    unsure: str = ""          # digits said with the figure and not read in it (AmountMatch.unsure)

    @property
    def cfa_unsettled(self) -> bool:
        """Francs CFA whose zone the text leaves open (``money.CFA_FRANC``)."""
        return CFA_FRANC in (self.currency, *(r.currency for r in self.restated))

    def settled(self, code: str) -> Mention:
        """The mention with its unsettled francs CFA read as ``code``."""
        return replace(self, currency=code if self.currency == CFA_FRANC else self.currency,
                       restated=tuple(Money(r.amount, code) if r.currency == CFA_FRANC else r
                                      for r in self.restated))

    @property
    def unread_rate(self) -> bool:
        """The period not read is a rate per month, week, day or quarter,
        which no entry can record (an end year is read by the journal)."""
        return bool(self.period_unread) and _UNREAD_RATE.match(self.period_unread) is not None

    @property
    def times_a_year(self) -> int | None:
        """12 for a rate per month, 4 per quarter: exact fractions of a year,
        so "£1m a month" is exactly £12m per year.  None otherwise (a week,
        a day: no whole number of them makes a year)."""
        if not self.unread_rate:
            return None
        w = self.period_unread.lower()
        return 12 if _MONTHLY.search(w) else 4 if _QUARTERLY.search(w) else None

    @property
    def start(self) -> str:
        """The period's start date (ISO), when the phrase gives one."""
        return self.period.start.isoformat() if self.period.start else ""

    def row(self) -> dict[str, str]:
        """The CSV row (all strings), columns as in CSV_COLUMNS."""
        return {
            "doc": self.doc, "line": str(self.line), "column": str(self.column),
            "phrase": self.phrase, "amount": plain_decimal(self.amount),
            "currency": self.currency, "qualifier": self.qualifier, "per": self.per,
            "over_years": "" if self.over_years is None else plain_decimal(self.over_years),
            "fiscal_year": self.fiscal_year,
            "restated": ";".join(f"{m.currency} {plain_decimal(m.amount)}" for m in self.restated),
            "start": self.start,
            "upper": "" if self.upper is None else plain_decimal(self.upper),
        }


def _period_fields(period: Period) -> tuple[str, Decimal | None, str]:
    per = "year" if period.kind == PER_YEAR else ""
    years = period_years(period) if period.kind in (PER_YEAR, OVER) else period.years
    fiscal = period.fiscal_year or "" if period.kind == FISCAL_YEAR else ""
    return per, years, fiscal


def find_mentions(text: str, doc: str = "", context: str | None = None,
                  too_large: list | None = None) -> list[Mention]:
    """Every money mention in ``text``, in order of appearance.

    A mention's period is the one written right after it ("£5m a year"); when
    there is none, a period further on in the same clause ("£12 million fund
    over two years", "15 M€ versés chaque année pendant trois ans") or at the
    start of the sentence ("In FY2024 the Department committed £7m") is taken,
    as long as no other amount stands between them.

    An amount in "francs CFA" is in XOF or XAF as the text (or ``context``,
    the whole document a quote comes from) names the zone; otherwise its
    currency is ``money.CFA_FRANC`` ("XOF|XAF"), for the user to settle.

    A figure too large to hold raises ``FigureTooLarge`` naming its line
    and column; with ``too_large`` (a list) each such figure is added to it
    (``at``: its offset in ``text``) and the others are read."""
    original = text.replace("\r\n", "\n").replace("\r", "\n")
    newlines = [m.start() for m in _NEWLINE.finditer(original)]
    # read across line breaks ("£12⏎million"), as the audit reads quotes;
    # positions, line, column and the phrase are the original text's
    composed, accents = compose(original)
    text, where = unwrap(composed)
    if accents.cuts:
        where = replace(where, before=accents) if where.cuts or where.before else accents
    flat_newlines = ([m.start() for m in _NEWLINE.finditer(text)] if text is not original
                     else newlines)
    big: list[FigureTooLarge] = []
    atoms = list(iter_atoms(text, too_large=big))
    for err in big:
        at = where.original(err.at)
        i = bisect.bisect_left(newlines, at)
        column = at - (newlines[i - 1] + 1 if i else 0) + 1
        placed = FigureTooLarge(f"{doc or 'text'}:{i + 1}:{column}: {err}", at, str(err))
        if too_large is None:
            raise placed
        too_large.append(placed)
    starts = [a.start for a in atoms]    # in order: the next amount by bisection
    sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)] if atoms else []
    mentions: list[Mention] = []
    owners: list = []         # each mention's amount (AmountMatch)
    qualifiers: list[str] = []   # each mention's qualifier as written ("up to")
    consumed_to = -1
    lead: tuple[int, Period] | None = None    # (sentence start, period stated before)
    for k, atom in enumerate(atoms):
        if atom.start < consumed_to:      # part of an earlier phrase's brackets
            continue
        flat_idx = bisect.bisect_left(flat_newlines, atom.start)
        line_start = flat_newlines[flat_idx - 1] + 1 if flat_idx else 0
        try:
            ph = extend_phrase(text, atom, line_start=max(line_start, consumed_to))
        except MoneyError:  # pragma: no cover - non-strict extension does not raise
            continue
        period, period_text, end, before = ph.period, ph.period_text, ph.end, False
        # "an annual envelope of £7m", "une enveloppe annuelle de 7 millions de
        # livres": a rate said by an adjective before the amount
        adjective = period.kind in (ONE_OFF, OVER) and rate_stated_before(
            text, max(line_start, consumed_to, 0), ph.start)
        if adjective:
            before = True
            if period_text:       # "… of £2m over three years": for three years
                period = Period(PER_YEAR, years=period.years, start=period.start,
                                end=period.end)
            else:
                tail = match_rate_tail(text, ph.end)   # "… from 2025", "… pendant trois ans"
                if tail:
                    period, end = tail
                    period_text = text[ph.end:end].strip()
                else:
                    period = Period(PER_YEAR)
        if period.is_open_ended:
            # "4 millions d'euros par an … pendant cinq ans": a duration further on
            # in the clause says for how long the rate runs
            nxt = _next_start(starts, k, ph.end, len(text))
            later = _period_later(text, ph.end, nxt)
            if later and later[0].kind == OVER and later[0].years is not None:
                period = Period(PER_YEAR, years=later[0].years,
                                start=period.start or later[0].start)
                end = later[1]
                period_text = text[ph.end - len(ph.period_text):end].strip()
        if not period_text and not adjective:
            nxt = _next_start(starts, k, ph.end, len(text))
            later = _period_later(text, ph.end, nxt)
            if later:
                period, end = later
                period_text = text[ph.end:end].strip()
            else:
                i = bisect.bisect_right(sentence_ends, ph.start)
                sent = sentence_ends[i - 1] if i else 0
                earlier = _period_earlier(text, max(sent, consumed_to, 0), ph.start)
                if earlier:
                    period, before = earlier, True
                    lead = (sent, earlier)
                elif lead is not None and lead[0] == sent:
                    period, before = lead[1], True
        unread = ""
        for at in dict.fromkeys((end, ph.end)):   # after the phrase, or right after the figure
            u = _unread_period(text, at, period)
            if u:
                unread = " ".join(u.group("w").split())
                if at == end:          # quoted with the figure
                    end = u.end()
                    period_text = f"{period_text} {unread}".strip()
                break
        consumed_to = end
        per, years, fiscal = _period_fields(period)
        first, last = where.original(ph.start), where.original(end - 1) + 1
        while last < len(original) and joins_previous(original[last]):
            last += 1      # the accents of its last letter
        line_idx = bisect.bisect_left(newlines, first)
        mention = Mention(
            doc=doc, line=line_idx + 1,
            column=first - (newlines[line_idx - 1] + 1 if line_idx else 0) + 1,
            phrase=original[first:last], amount=ph.atom.amount, currency=atom.currency,
            qualifier=ph.qualifier, per=per, over_years=years, fiscal_year=fiscal,
            restated=tuple(Money(r.amount, r.currency) for r in ph.restated),
            period=period, amount_text=_spaced(ph.amount_text), period_text=_spaced(period_text),
            restated_text=tuple(_spaced(r.text) for r in ph.restated), offset=first,
            upper=ph.upper, period_before=before, period_unread=unread,
            across_break=digits_across_break(text, ph.atom.start, ph.atom.end),
            unsure="; ".join(u for u in (ph.atom.unsure, _comma_in_sentence(
                text, sentence_ends, ph.start, ph.end, ph.atom.text)) if u),
        )
        if mention.cfa_unsettled:   # the zone the whole document names, else the text
            code = settle_cfa(context) if context is not None else CFA_FRANC
            mention = mention.settled(settle_cfa(text, ph.start) if code == CFA_FRANC else code)
        mentions.append(mention)
        owners.append(atom)
        qualifiers.append(ph.qualifier_text)
    return _respective_lists(_respective_periods(mentions, owners), owners, qualifiers,
                             text, where, original, newlines)


def _comma_in_sentence(text: str, sentence_ends: list[int], start: int, end: int,
                       figure: str) -> str:
    """Why a figure whose dot may group thousands ("€250.000", read 250 as
    every number that reads either way is) is not sure: its sentence
    writes another number with a decimal comma ("1,5"), as a writer who
    groups with the dot does.  Said, never guessed: "1.250" is also 1.25."""
    # "1.500.000" or "12.500,50" reads one way only: nothing to check
    if not any(POINT in n and read_number(n, POINT) is not None
               and read_number(n, COMMA) not in (None, read_number(n, POINT))
               for n in phrase_numbers(figure)):
        return ""
    i = bisect.bisect_right(sentence_ends, start)
    j = bisect.bisect_left(sentence_ends, end)
    sentence = text[sentence_ends[i - 1] if i else 0:
                    sentence_ends[j] if j < len(sentence_ends) else len(text)]
    # a number only the comma reads: never the figure's own (the dot reads
    # it), and it may be its range's upper bound ("€250.000 – 1,5 million")
    comma = next((n for n in phrase_numbers(sentence)
                  if COMMA in n and read_number(n, POINT) is None
                  and read_number(n, COMMA) is not None), None)
    if comma is None:
        return ""
    return f"the same sentence writes {comma!r} with a decimal comma: check"


def _respective_periods(mentions: list[Mention], atoms: list) -> list[Mention]:
    """"six and seven million pounds respectively over three years": the
    numbers listed before the amount take its period, said once for all."""
    out = list(mentions)
    for i in range(len(out) - 2, -1, -1):
        if atoms[i].respective and not out[i].period_text and not out[i].period_before:
            nxt = out[i + 1]
            out[i] = replace(out[i], period=nxt.period, per=nxt.per, over_years=nxt.over_years,
                             fiscal_year=nxt.fiscal_year, period_before=nxt.period_before,
                             period_unread=nxt.period_unread)
    return out


def _respective_lists(mentions: list[Mention], atoms: list, qualifiers: list[str],
                      text: str, where, original: str, newlines: list[int]) -> list[Mention]:
    """"up to 6 and 7 million pounds respectively": a qualifier before the
    list is every amount's, and a number of the list is quoted through to
    the amount and "respectively" (a bare "6" names no amount)."""
    out = list(mentions)
    i = 0
    while i < len(out):
        if not atoms[i].respective:
            i += 1
            continue
        j = i
        while j < len(out) and atoms[j].respective:
            j += 1
        if j == len(out):     # pragma: no cover - a list always ends in its amount
            break
        last = out[j]
        flat_end = respective_end(text, atoms[j].end)
        end = last.offset + len(last.phrase)
        if flat_end is not None:
            end = max(end, where.original(flat_end - 1) + 1)
        qualifier, qtext = out[i].qualifier, qualifiers[i]
        shared = qualifier not in ("exact", "range") and qtext
        own = all(atoms[k].own for k in range(i, j))
        for k in range(i, j + 1):
            m = out[k]
            if shared:
                m = replace(m, qualifier=qualifier, amount_text=f"{qtext} "
                            f"{format_amount_phrase(m.amount, m.currency)}")
            # "£600,000" of "£600,000 and £7 million respectively" names its
            # amount: each quoted alone, as before (a ledger cites them so)
            if (k < j or shared) and not own:
                first = out[i].offset if shared else m.offset
                line_idx = bisect.bisect_left(newlines, first)
                line_start = newlines[line_idx - 1] + 1 if line_idx else 0
                m = replace(m, phrase=original[first:end], offset=first, line=line_idx + 1,
                            column=first - line_start + 1)
            out[k] = m
        i = j + 1
    return out


# Period words a journal cannot record (a month's, a week's rate; an end
# year after a rate): the figure must not be drafted as one-off or as a rate
# without end.  ``match_period`` reads what the ledger can record; these are
# what it leaves behind.
_WS = r"[ \t\u00a0\u2009\u202f]"
_UNIT = r"(?:months?|weeks?|days?|quarters?|fortnights?)"
# "a week" is elapsed time, not a rate, when a time phrase follows ("£2m a
# week into the crisis", "a month on from the fire", "a week from now"; but
# "a month from the Home Office" and "a month on food" are rates)
_ELAPSED = (rf"{_WS}+(?:into|ago|earlier|later|after|before|since|hence|previously|back|of"
            rf"|from{_WS}+(?:now|then|today)|on(?!{_WS}+(?!from\b|since\b)[^\W\d_])|in(?!{_WS}+(?:19|20)\d\d))(?![^\W\d_])")
_UNREAD_RATE = lazy_re(
    rf"[^\S\n]*(?P<w>(?:per|each|every){_WS}+{_UNIT}\b(?!{_WS}+(?:ago|earlier|later)\b)"
    rf"|an?{_WS}+{_UNIT}\b(?!{_ELAPSED})"
    r"|(?:monthly|weekly|daily|quarterly|fortnightly)\b"
    rf"|/{_WS}?(?:month|week|day|quarter)\b"
    rf"|(?:par|chaque){_WS}+(?:mois|semaine|jour|trimestre)\b"
    rf"|(?:tous{_WS}+les{_WS}+(?:mois|jours|trimestres)|toutes{_WS}+les{_WS}+semaines)\b"
    r"|(?:mensuel|hebdomadaire|trimestriel)(?:le)?s?\b)", re.IGNORECASE)
_MONTHLY = lazy_re(r"month|mois|mensuel")
_QUARTERLY = lazy_re(r"quarter|trimestr")
_UNREAD_END = lazy_re(
    rf"[^\S\n]*(?P<w>(?P<to>until|till|through|to|by|jusqu['’](?:à|en|au))"
    rf"{_WS}+(?:(?:the{_WS}+)?end{_WS}+of{_WS}+|(?:la{_WS}+)?fin{_WS}+)?(?:FY{_WS}?)?"
    rf"(?:\d{{1,2}}(?:er|st|nd|rd|th)?{_WS}+)?(?:[^\W\d_]{{3,9}}{_WS}+)?"
    r"(?:19|20)\d\d(?:[-/](?:\d\d){1,2})?)(?![\w/-])", re.IGNORECASE)


# a thousands group split off by a line break (a tab once unwrapped): the
# figure's last group of one to three digits (no decimal mark before it)
# and three digits on the other side, that no digit follows
_GROUP_AFTER = lazy_re(r"[^\S\n]*[\n\t][^\S\n]*(\d{3}(?:[ .,'’]\d{3})*(?:[.,]\d{1,2})?)(?![\d.,]*\d)")
_GROUP_BEFORE = lazy_re(r"(?<![\d.,])((?:\d{1,3}[ .,'’])*\d{1,3})[^\S\n]*[\n\t][^\S\n]*\Z")
_LAST_GROUP = lazy_re(r"(?<![\d.,])\d{1,3}(?:[ ,'’]\d{3})*\Z")
_FIRST_GROUP = lazy_re(r"\d{3}(?![\d])")


def digits_across_break(text: str, start: int, end: int) -> str:
    """``text[start:end]`` (a figure, or a quote) and the thousands a line
    break splits from it, the break shown as ⏎ ("£1⏎000 000", "1⏎000 000 €");
    "" when it touches none ("In 2015⏎3 million", "£3.5⏎5 people").  The
    digits are never joined to the figure ("£12⏎300 families" is £12), but
    said: the figure may be £1,000,000."""
    shown = " ".join(text[start:end].split())
    if _LAST_GROUP.search(text, start, end):
        m = _GROUP_AFTER.match(text, end)
        if m:
            return f"{shown}⏎{' '.join(m.group(1).split())}"
    if _FIRST_GROUP.match(text, start, end):
        m = _GROUP_BEFORE.search(text, max(0, start - 40), start)
        if m:
            return f"{' '.join(m.group(1).split())}⏎{shown}"
    return ""


def _unread_period(text: str, pos: int, period: Period):
    """Period words at ``pos`` that ``match_period`` did not take: a rate
    per month, week, day or quarter; "until 2017" (or, after a rate, "to
    2017", "by 2017")."""
    m = _UNREAD_RATE.match(text, pos)
    if m:
        return m
    m = _UNREAD_END.match(text, pos)
    if m and (period.kind == PER_YEAR or m.group("to").lower() not in ("to", "by")):
        return m
    return None


_NEWLINE = lazy_re("\n")
# A line break inside a paragraph, with the spaces around it: a blank line
# (a paragraph break) still ends clauses and sentences.
_LINE_BREAK = lazy_re(r"(?<!\s)[^\S\n]*\n[^\S\n]*(?!\s)")
# What a line break becomes: white space between words, but never a digit
# group's separator ("£12⏎300 families" is £12, not £12,300), which a tab
# is not to the money grammar.
_BREAK = "\t"


@dataclass(frozen=True, slots=True)
class Unwrapped:
    """Where each character of an unwrapped text stands in the original:
    from ``cuts[i]`` on, ``shifts[i]`` characters further on."""
    cuts: tuple[int, ...] = ()
    shifts: tuple[int, ...] = ()
    before: Unwrapped | None = None    # the map of an earlier step (composing accents)

    def original(self, pos: int) -> int:
        i = bisect.bisect_right(self.cuts, pos)
        pos += self.shifts[i - 1] if i else 0
        return pos if self.before is None else self.before.original(pos)


# a character and the marks after it: where composing can change the text
_ACCENTED = lazy_re(r"[\x00-\x7f]?[^\x00-\x7f]+")


@functools.cache
def _second_halves() -> frozenset[str]:
    """Letters of combining class 0 that compose with the letter before them
    (Unicode's NFC_Quick_Check=Maybe): Tamil's U+0BBE after U+0BC6, Hangul's
    vowel and final jamo.  Read from unicodedata's canonical pairs, once."""
    found = {chr(c) for c in range(0x1161, 0x1176)} | {chr(c) for c in range(0x11A8, 0x11C3)}
    for cp in range(0x80, 0x30000):
        d = unicodedata.decomposition(chr(cp))
        if d and d[0] != "<":
            parts = d.split()
            if len(parts) == 2 and not unicodedata.combining(second := chr(int(parts[1], 16))):
                found.add(second)
    return frozenset(found)


def joins_previous(ch: str) -> bool:
    """``ch`` may compose with what comes before it: an accent, or a second
    half (a Hangul vowel or final, Tamil's U+0BBE)."""
    return bool(unicodedata.combining(ch)) or ch in _second_halves()


def compose(text: str) -> tuple[str, Unwrapped]:
    """``text`` in NFC (a document in decomposed Unicode, as macOS and many
    PDFs write it, reads as one typed composed), each base character composed
    with the marks and second halves after it, and the map back to positions in ``text``: a
    composed letter stands where its base was."""
    if unicodedata.is_normalized("NFC", text):
        return text, Unwrapped()
    cuts: list[int] = []
    shifts: list[int] = []
    parts: list[str] = []
    pos = shift = flat = 0
    for m in _ACCENTED.finditer(text):
        parts.append(text[pos:m.start()])
        flat += m.start() - pos
        run = m.group()
        starts = [i for i, ch in enumerate(run) if i == 0 or not joins_previous(ch)]
        for a, b in zip(starts, starts[1:] + [len(run)]):
            piece = unicodedata.normalize("NFC", run[a:b])
            parts.append(piece)
            flat += len(piece)
            if len(piece) != b - a:
                shift += b - a - len(piece)
                cuts.append(flat)
                shifts.append(shift)
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), Unwrapped(tuple(cuts), tuple(shifts))


def _spaced(words: str) -> str:
    """Words read across a line break, with a space for the break."""
    return words.replace(_BREAK, " ")


def unwrap(text: str) -> tuple[str, Unwrapped]:
    """``text`` with each line break inside a paragraph (and the spaces
    around it) made one tab (``_BREAK``), so that a figure, its scale word
    and its period read the same whether or not a line wraps between them,
    while digits never join across the break; and the map back to
    positions in ``text``."""
    cuts: list[int] = []
    shifts: list[int] = []
    parts: list[str] = []
    pos = shift = 0
    for m in _LINE_BREAK.finditer(text):
        parts += [text[pos:m.start()], _BREAK]
        pos = m.end()
        if len(m.group()) > 1:     # a bare "\n" keeps every position
            shift += len(m.group()) - 1
            cuts.append(m.end() - shift)
            shifts.append(shift)
    if not parts:
        return text, Unwrapped()
    parts.append(text[pos:])
    return "".join(parts), Unwrapped(tuple(cuts), tuple(shifts))


def _next_start(starts: list[int], k: int, pos: int, default: int) -> int:
    """Where the first amount after the ``k``-th that starts at or after
    ``pos`` starts (``default`` when none): a bisection, as a scan of the
    rest of the list for every mention is quadratic in the mentions."""
    j = bisect.bisect_left(starts, pos, k + 1)
    return starts[j] if j < len(starts) else default


# How far a period may stand from its amount, in words, and what ends a clause.
_REACH_WORDS = 12
_CLAUSE_END = lazy_re(r"[.!?;:](?=\s|$)|\n\s*\n|[()\[\]«»\"“”]"
                         # a relative clause is about something else
                         r"|,\s*(?:which|who|whom|whose|where|when|while|qui|que|dont|où|lorsque)\b",
                         re.IGNORECASE)
_JOIN = lazy_re(r"\s(?:and|et|but|mais|while|whereas|tandis|alors)\s", re.IGNORECASE)
_SENTENCE_END = lazy_re(r"[.!?](?=\s)|\n\s*\n")
_WORD_START = lazy_re(r"(?<![\w'’-])(?=[\w])")


def _distant_ok(period: Period, phrase: str) -> bool:
    """Periods that may be taken from a distance: durations, rates said with
    "per"/"each"/"chaque" (not "a year", as in "a year ago", nor "annuel",
    as in "le rapport annuel"), fiscal years,
    explicit spans."""
    low = phrase.lower()
    if low.startswith(("a year", "a yr", "an ")) or re.match(r"annuel(?:le)?s?\b", low):
        return False      # "annuel" is yearly only right after its amount ("10 M€ annuels")
    return period.kind != OVER or period.years is not None or (
        period.start is not None and period.end is not None)


def _period_later(text: str, pos: int, limit: int):
    """A period starting at a word in ``text[pos:limit]`` within the clause
    and a few words: ``(period, end)`` or None."""
    # searched up to the next amount (and a margin for a clause end's own
    # characters), not to the end of the text for every mention: linear
    clause = _CLAUSE_END.search(text, pos, limit + 256)
    stop = min(limit, clause.start() if clause else len(text))
    if stop == limit < len(text):
        # another amount follows in the same clause: what comes after the
        # last "and"/"et"/"but" before it is about that amount
        joins = list(_JOIN.finditer(text, pos, stop))
        if joins:
            stop = joins[-1].start()
    for n, w in enumerate(_WORD_START.finditer(text, pos, stop)):
        if n >= _REACH_WORDS:
            break
        got = match_period(text, w.start())
        if got and got[1] <= stop and _distant_ok(got[0], text[w.start():got[1]]):
            return got
    return None


def _period_earlier(text: str, start: int, pos: int):
    """A period stated between ``start`` (the sentence's start, or the end of
    the previous mention) and the amount at ``pos``: "In FY2024 ...",
    "Over the next five years ...", "Pour l'exercice 2024, ..."."""
    for w in _WORD_START.finditer(text, start, pos):
        got = match_period(text, w.start())
        if got and got[1] <= pos and _distant_ok(got[0], text[w.start():got[1]]):
            return got[0]
    return None


def mentions_in(doc, name: str = "", too_large: list | None = None) -> list[Mention]:
    """The money mentions of a document (``ledger.sources.render.read_document``), with line
    and column in the file it names (a web page's or PDF's: its rendering;
    a ``read_source`` HTML document's: where the phrase starts in the markup)
    — the positions the audit reports.  ``too_large``: as ``find_mentions``'s,
    each figure placed there too."""
    out = []
    name = name or doc.path.name
    big: list[FigureTooLarge] = []
    for m in find_mentions(doc.text, name, too_large=big):
        at = doc.locate(m.offset)
        out.append(replace(m, line=at.line, column=at.column))
    for err in big:
        at = doc.locate(err.at)
        placed = FigureTooLarge(f"{name}:{at.line}:{at.column}: {err.figure}", err.at, err.figure)
        if too_large is None:
            raise placed
        too_large.append(placed)
    return out
