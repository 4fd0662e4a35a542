"""Periods: when money flows ("one-off", "a year for 3 years", "over 18 months",
"in 2021-22") and the arithmetic between a rate and a total.

``parse_period(text)`` reads a whole period phrase; ``match_period(text, pos)``
finds the longest period phrase starting at ``pos`` in free text (used by the
money parser and the extractor for the tail of an amount).  Durations are
converted with pint (months, weeks, days → years) for the years they are
said to last (``years``, to 4 places); a rate counts a length's exact years
(``length_years``: a month 1/12, N weeks or days the years of their own dates),
while a period said in months, weeks or days ends by the calendar
(``length_end``: 3 months from 1 January end on 31 March); a span of dates
counts its years by anniversaries (``anniversary_years``, the reports' own count);
``total`` and ``annual_rate`` multiply/divide exactly.

pint is imported lazily and its registry is built once.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from collections.abc import Callable

from ledger.minor import round_div, to_minor
from ledger.model import FISCAL_YEAR, ONE_OFF, OVER, PER_YEAR, Money, Period
from ledger.phrases.lazy import lazy_re
from ledger.limits import NumberError, add_years, bounded_number, length_end, months_after

__all__ = ["PeriodError", "parse_period", "match_period", "match_rate_tail",
           "rate_stated_before", "duration_years", "period_years",
           "total", "total_minor", "annual_rate", "normalise_fiscal_year", "WORD_NUMBERS", "span_fraction",
           "anniversary_years", "add_years", "months_after", "length_end", "period_end",
           "length_fraction", "length_years"]


class PeriodError(ValueError):
    """A period phrase that cannot be understood; the message says why."""


# Number words, English and French: durations here ("over three years", "sur
# deux ans") and written-out amounts in ledger.phrases.money ("twelve million",
# "quatre-vingts millions"), which reads "hundred"/"cent" as a multiplier.
WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11,
    "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30,
    "quarante": 40, "cinquante": 50, "soixante": 60, "quatre-vingt": 80,
    "quatre-vingts": 80, "cent": 100, "cents": 100,
}

# pint unit for each duration word (pint's own "decade" is logarithmic, so
# decades are not offered).
_UNITS = {"year": "year", "yr": "year", "month": "month", "mo": "month",
          "week": "week", "wk": "week", "day": "day",
          # French, as the key is formed (lower case, final "s" dropped: "mois" -> "moi")
          "an": "year", "année": "year", "moi": "month", "semaine": "week", "jour": "day"}

_WS = r"[ \t\u00a0\u202f]+"
_NUM = r"\d+(?:\.\d+)?"
_NUMWORD = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
# "a year and a half", "one and a half years", "deux ans et demi": N and a half
_AND_HALF = rf"(?:{_WS}|-)and(?:{_WS}|-)a(?:{_WS}|-)half\b"
_DUR = (rf"(?P<n>{_NUM}|(?:{_NUMWORD})\b)(?P<half>{_AND_HALF})?(?:{_WS}|-)?"
        rf"(?:(?:prochaine?s|dernière?s){_WS})?"
        r"(?P<unit>years?|yrs?|months?|mos?|weeks?|wks?|days?"
        rf"|ans|an|années?|mois|semaines?|jours?)\b(?P<half2>{_AND_HALF}|{_WS}et{_WS}demie?\b)?")
_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# "2015-09-01", "2015", "April 2024", "1 April 2024", "1er avril 2024"
_DATE = (rf"(?:\d{{1,2}}(?:er|st|nd|rd|th)?{_WS})?(?:{_MONTH}){_WS}\d{{4}}(?![-/\d])"
         r"|\d{4}-\d{2}-\d{2}|\d{4}(?![-/\d])")
_PER = (r"(?:(?:a|per|each|every)" + _WS + r"(?:year|yr|annum)\b"
        r"(?!" + _WS + r"(?:ago|earlier|later|after|before|since)\b)|annually\b|yearly\b"
        r"|p\.a\.|pa\b|/" + r"[ ]?(?:year|yr|annum)\b|par" + _WS + r"an\b"
        r"|par" + _WS + r"année\b|chaque" + _WS + r"année\b|tous" + _WS + r"les" + _WS
        + r"ans\b|annuellement\b"
        # an adjective after the amount: "10 M€ annuels"
        r"|annuel(?:le)?s?\b)")
_TO = rf"{_WS}(?:to|until|till|through|-|à|au|jusqu['’]à|jusqu['’]en){_WS}"
_NEXT = (rf"(?:the{_WS}(?:next|following|same){_WS}|a{_WS}period{_WS}of{_WS}"
         rf"|(?:les|ces){_WS}|une{_WS}(?:période|durée){_WS}de{_WS})?")
# "from", "starting in", "à partir de", "à compter du", "dès", "à partir d'avril"
_FROM = (rf"(?:(?:from|starting(?:{_WS}(?:on|in|from))?|beginning(?:{_WS}(?:on|in))?|dès"
         rf"|à{_WS}(?:partir|compter){_WS}(?:de|du)){_WS}|à{_WS}(?:partir|compter){_WS}d['’])")


def _re(pattern: str) -> re.Pattern:
    return lazy_re(pattern, re.IGNORECASE)


def _number(word: str) -> Decimal:
    w = word.lower()
    if w in WORD_NUMBERS:
        return Decimal(WORD_NUMBERS[w])
    try:
        return Decimal(w)
    except InvalidOperation:  # pragma: no cover - the regex only lets numbers through
        raise PeriodError(f"not a number: {word!r}") from None


def _count(g: dict) -> Decimal:
    """A duration's number, and a half when it says so."""
    n = _number(g["n"])
    return n + Decimal("0.5") if g.get("half") or g.get("half2") else n


def _date(text: str, *, end: bool = False) -> dt.date:
    """An ISO date, a bare year (1 January, or 31 December when ``end``), or a
    month and year with an optional day ("April 2024": the 1st, or the last
    day of the month when ``end``; "1er avril 2024")."""
    words = text.lower().split()
    if len(words) >= 2 and words[-2] in _MONTHS:
        year, month = int(words[-1]), _MONTHS[words[-2]]
        try:
            day = re.match(r"\d+", words[0])
            if len(words) == 3 and day is not None:
                return dt.date(year, month, int(day.group(0)))
            if end:
                nxt = dt.date(year + month // 12, month % 12 + 1, 1)
                return nxt - dt.timedelta(days=1)
            return dt.date(year, month, 1)
        except ValueError:
            raise PeriodError(f"not a valid date: {text!r}") from None
    try:
        if len(text) == 4:
            return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"not a valid date: {text!r} (use YYYY-MM-DD)") from None


@functools.lru_cache(maxsize=1)
def _ureg():
    import pint  # lazy: keeps `ledger-tool --help` fast

    # Only the units a period needs, with pint's own definitions (a Julian
    # year of 365.25 days, a month of a twelfth of it): pint's whole default
    # registry is slow to load and a period needs a handful of units.
    ureg = pint.UnitRegistry(None, non_int_type=Decimal)
    for definition in _TIME_UNITS:
        ureg.define(definition)
    return ureg


_TIME_UNITS = (
    "second = [time] = s",
    "minute = 60 * second = min",
    "hour = 60 * minute = h",
    "day = 24 * hour = d",
    "week = 7 * day",
    "year = 365.25 * day = a = yr = julian_year",
    "month = year / 12",
)


def _tidy(d: Decimal, places: int = 6) -> Decimal:
    """Round away pint's 28-digit noise; 1.500000… → 1.5, 3.000… → 3."""
    q = d.quantize(Decimal(1).scaleb(-places))
    q = q.normalize()
    return q.quantize(Decimal(1)) if q == q.to_integral_value() else q


def _unit_of(unit: str) -> str:
    """"months", "mos", "semaines" -> "month", "week"; PeriodError if unknown."""
    key = unit.lower().rstrip("s") if unit.lower() not in ("mos",) else "mo"
    key = "année" if key == "annee" else key
    if key not in _UNITS:
        raise PeriodError(f"unknown time unit {unit!r} (use years, months, weeks or days)")
    return _UNITS[key]


# a unit's exact length in years, for the units of a fixed length: a
# month is a twelfth.  Weeks and days have none: 52 weeks are 364/365 of a
# common year and 364/366 of a leap one (``length_years``).
_UNIT_YEARS = {"year": Fraction(1), "month": Fraction(1, 12)}


def length_fraction(length: Decimal, unit: str) -> Fraction | None:
    """A length in years or months as an exact number of years (18 months
    is 3/2); None for weeks and days, whose years depend on their dates
    (``length_years``)."""
    if unit not in _UNIT_YEARS:
        return None
    return Fraction(length) * _UNIT_YEARS[unit]


def length_years(start, length, unit: str):
    """The exact years a rate counts over ``length`` ``unit`` from each
    ``start`` (numpy datetime64[D]), as int64 arrays (numerator,
    denominator): years and months by their fixed length (18 months 3/2);
    weeks and days by their own dates, from the start to their end
    (``length_end``) by anniversaries (``anniversary_years``), so N weeks
    or days count what the same span written as dates counts: 1461 days
    from 2015-01-01 are 4 years, 52 weeks from it 364/365, from 2016-01-01
    364/366.  The one count the reports, the package rule and ``total``
    share."""
    import numpy as np

    s = np.asarray(start, dtype="datetime64[D]")
    fixed = length_fraction(Decimal(str(length)), unit)
    if fixed is not None:
        return (np.full(s.shape, fixed.numerator, dtype=np.int64),
                np.full(s.shape, fixed.denominator, dtype=np.int64))
    return anniversary_years(s, length_end(s, length, unit) + np.timedelta64(1, "D"))


def _length(n: Decimal, unit: str) -> dict:
    """The Period fields of a length: ``years``, and for months, weeks or
    days the length as given (``length``, ``unit``)."""
    years = duration_years(n, unit)
    u = _unit_of(unit)
    if u == "year":
        return {"years": years}
    return {"years": years, "length": _tidy(n, 4), "unit": u}


def duration_years(n: Decimal | int | str, unit: str) -> Decimal:
    """``n`` units of time as a number of years, converted by pint."""
    return _duration_years(str(n), unit)


@functools.lru_cache(maxsize=4096)  # big journals repeat a few durations many times
def _duration_years(n: str, unit: str) -> Decimal:
    u = _unit_of(unit)
    try:   # before pint or quantize sees it: 10^49 years made an InvalidOperation
        value = bounded_number(n, f"number of {unit}", most=Decimal(10) ** 9)
    except NumberError as err:
        raise PeriodError(str(err)) from None
    if u == "year":  # years to years: no conversion, so no need to load pint
        years = _tidy(value, 4)
    else:
        q = _ureg().Quantity(value, u).to("year")
        years = _tidy(Decimal(q.magnitude), 4)
    if years <= 0:
        raise PeriodError(f"a period must be longer than zero: '{n} {unit}'")
    return years


def _check_order(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise PeriodError(f"end {end.isoformat()} is before start {start.isoformat()}")


def span_years(start: dt.date, end: dt.date) -> Decimal:
    """Length of the inclusive span start..end in years, as the reports count
    it (``span_fraction``), to 4 places: 2015-01-01..2017-12-31 is 3,
    2016-01-01..2016-06-30 is 182/366 (0.4973)."""
    num, den = span_fraction(start, end)
    return _tidy(Decimal(num) / Decimal(den), 4)


def span_fraction(start: dt.date, end: dt.date) -> tuple[int, int]:
    """The inclusive span start..end in years as an exact fraction
    (numerator, denominator), by ``anniversary_years``: the one definition
    of a year the reports (``rates.normalise``) and the package rule share."""
    _check_order(start, end)
    import numpy as np

    num, den = anniversary_years(np.array([start], dtype="datetime64[D]"),
                                 np.array([end + dt.timedelta(days=1)], dtype="datetime64[D]"))
    return int(num[0]), int(den[0])


def period_end(period: Period, on: dt.date | None = None) -> dt.date | None:
    """The last day of ``period`` from its start (or ``on``, the entry's
    date); None when it has no end (a one-off, an open-ended rate)."""
    import numpy as np

    if period.end is not None:
        return period.end
    first = period.start or on
    if period.years is None or first is None:
        return None
    length, unit = ((period.length, period.unit) if period.length is not None
                    else (period.years, "year"))
    return length_end(np.array([first], dtype="datetime64[D]"), length, unit)[0].item()


def anniversary_years(start, after):
    """Years from each ``start`` up to each ``after`` (the day after the
    last day), counted by anniversaries: the whole years k to the last
    anniversary on or before ``after``, then the days left as a share of
    the days from that anniversary to the next (366 across a 29 February).
    Exact, as int64 arrays (numerator, denominator): k × days + left, days.
    numpy datetime64[D] arrays in; the reports' spread and the package rule
    both count a period's years so."""
    import numpy as np

    sc = np.asarray(start, dtype="datetime64[D]")
    e1 = np.asarray(after, dtype="datetime64[D]")

    def year(x):
        return x.astype("datetime64[Y]").astype(np.int64)
    k = year(e1) - year(sc)
    k = np.where(add_years(sc, k) > e1, k - 1, k)
    k = np.maximum(k, 0)
    ak, bk = add_years(sc, k), add_years(sc, k + 1)
    left = (e1 - ak).astype(np.int64)
    days = (bk - ak).astype(np.int64)
    return k * days + left, days


def normalise_fiscal_year(text: str) -> str:
    """"2021-22", "2021/22", "2021-2022", "FY2021-22" → "2021-22"; "FY2022" and
    "FY22" (the fiscal year *ending* in 2022) → "2021-22"; a single year
    "2024" stays "2024": a budget year that is the calendar year (the French
    "exercice 2024").  Raises PeriodError unless two years are consecutive."""
    t = text.strip()
    m = re.fullmatch(r"FY[ ]?(\d{4}|\d{2})", t, re.IGNORECASE)
    if m:
        last = int(m.group(1)) if len(m.group(1)) == 4 else 2000 + int(m.group(1))
        return f"{last - 1}-{last % 100:02d}"
    if re.fullmatch(r"\d{4}", t):
        return t
    m = re.fullmatch(r"(?:FY[ ]?)?(\d{4})\s*[-/–]\s*(\d{2}|\d{4})", t, re.IGNORECASE)
    if not m:
        raise PeriodError(f"not a fiscal year: {text!r} (write it like 2021-22)")
    first, second = int(m.group(1)), m.group(2)
    expected = first + 1
    ok = (int(second) == expected) if len(second) == 4 else (int(second) == expected % 100)
    if not ok:
        raise PeriodError(f"fiscal year {text.strip()!r} must span two consecutive years "
                          f"(e.g. {first}-{expected % 100:02d})")
    return f"{first}-{expected % 100:02d}"


# ---------------------------------------------------------------- grammar
# Each form: (regex, builder, allowed_in_tail).  ``builder(match, on)`` returns
# a Period or raises PeriodError.  Tail forms are those that can follow an
# amount in running text ("£4m a year", "over three years", "in 2021-22").

def _b_one_off(m, on):
    # "one-off from 2021-03-01": paid on that day, not the entry's date (a
    # bulk file's start column, as Period.describe and a listing write it)
    return Period(ONE_OFF, start=_date(m["start"]) if m["start"] else None)


def _per_or_over(kind: str):
    def build(m, on):
        g = m.groupdict()
        years = start = end = None
        length: dict = {}
        if g.get("n"):
            length = _length(_count(g), g["unit"])
        if g.get("start"):
            start = _date(g["start"])
        if g.get("end"):
            end = _date(g["end"], end=True)
            if start is None:
                if on is None:
                    raise PeriodError(f"{m.group(0).strip()!r} needs a start date: "
                                      "write 'from YYYY-MM-DD to YYYY-MM-DD'")
                start = on
            _check_order(start, end)  # the length is worked out when it is needed
        return Period(kind, start=start, end=end, **({"years": years} | length))
    return build


def _b_per(m, on):
    g = m.groupdict()
    start = end = None
    length: dict = {"years": None}
    if g.get("n"):
        length = _length(_count(g), g["unit"])
    start_text = g.get("start") or g.get("start2")
    end_text = g.get("end2") or g.get("end3")
    if start_text:
        start = _date(start_text)
    if end_text:
        end = _date(end_text, end=True)
        if start is None:
            if on is None:
                raise PeriodError(f"{m.group(0).strip()!r} needs a start date: "
                                  "write 'per year from YYYY-MM-DD to YYYY-MM-DD'")
            start = on
        _check_order(start, end)
    return Period(PER_YEAR, start=start, end=end, **length)


def _b_fiscal(m, on):
    return Period(FISCAL_YEAR, fiscal_year=normalise_fiscal_year(m.group("fy")))


def _b_calendar_year(m, on):
    y = m.group("year")
    return Period(OVER, start=_date(y), end=_date(y, end=True))


_FY = (r"(?P<fy>(?:FY[ ]?)?\d{4}[-/–](?:\d{4}|\d{2})|FY[ ]?(?:\d{4}|\d{2}))(?![-/\d])")
# "in", "for", "en", "pour", "au titre de", then "the", "l'", "le" ...
_IN = (rf"(?:in|for|during|en|pour|au{_WS}titre{_WS}de|sur)(?:{_WS}(?:the|le|la)|{_WS}l['’]|{_WS}de{_WS}l['’])?")
_FISCAL_WORDS = (rf"(?:(?:fiscal|financial|budget){_WS}year|exercice(?:{_WS}budgétaire)?"
                 rf"|année{_WS}budgétaire)")
_EXERCICE = rf"(?:exercice(?:{_WS}budgétaire)?|année{_WS}budgétaire){_WS}(?P<fy>\d{{4}})(?![-/\d])"
_SPAN = r"(?P<start>\d{4})[-–](?P<end>\d{4})(?![-/\d])"

# what may follow a rate: " for three years [from DATE]", " from DATE [to DATE]",
# " until DATE" ("£4m a year for three years"; "an annual grant of £4m from 2025")
_PER_TAIL = (rf"{_WS}(?:for|over|pendant|sur|durant){_WS}{_NEXT}{_DUR}"
             rf"(?:{_WS}{_FROM}(?P<start>{_DATE}))?"
             rf"|{_WS}{_FROM}(?P<start2>{_DATE})(?:{_TO}(?P<end2>{_DATE}))?"
             rf"|{_WS}(?:until|till|to|through|jusqu['’](?:à|en)){_WS}(?P<end3>{_DATE})")

_FORMS: list[tuple[re.Pattern, Callable, bool]] = [
    (_re(rf"(?:one[- ]off|one[- ]time|once|(?:a[ ])?single[ ]payment|lump[- ]sum)"
         rf"(?:{_WS}from{_WS}(?P<start>\d{{4}}-\d{{2}}-\d{{2}}))?"), _b_one_off, False),
    # per year [for|over N years [from DATE]] | [from DATE [to DATE]] | [until DATE]
    (_re(rf"(?:{_PER})(?:{_PER_TAIL})?"), _b_per, True),
    # over N years [from DATE]; over a three-year period; sur trois ans; pendant deux ans
    (_re(rf"(?:over|for|sur|pendant|durant){_WS}{_NEXT}{_DUR}(?:{_WS}{_FROM}(?P<start>{_DATE}))?"),
     _per_or_over(OVER), True),
    (_re(rf"over{_WS}(?:a|an|the){_WS}(?P<n>{_NUM}|(?:{_NUMWORD}))-(?P<unit>year|month|week|day){_WS}period"),
     _per_or_over(OVER), True),
    # from DATE to DATE | between DATE and DATE  (a total over the span)
    (_re(rf"(?:over{_WS})?(?:from{_WS})?(?P<start>{_DATE}){_TO}(?P<end>{_DATE})"), _per_or_over(OVER), False),
    (_re(rf"(?:from|between|de|entre){_WS}(?P<start>{_DATE})(?:{_TO}|{_WS}(?:and|et){_WS})(?P<end>{_DATE})"),
     _per_or_over(OVER), True),
    # over the period 2024-2027; pour la période 2024-2027
    (_re(rf"(?:over|for|during|in|sur|pour|durant){_WS}(?:the{_WS}period|la{_WS}période){_WS}"
         rf"(?:of{_WS}|de{_WS})?{_SPAN}"), _per_or_over(OVER), True),
    (_re(rf"(?:over{_WS})?(?:until|till|up{_WS}to|by){_WS}(?P<end>{_DATE})"), _per_or_over(OVER), False),
    # "over" alone: what Period(OVER).describe() prints
    (_re(r"over"), _per_or_over(OVER), False),
    # fiscal years: "in 2021-22", "in FY2024", "pour l'exercice 2024" in a tail;
    # bare "2021-22" only as a whole phrase
    (_re(rf"{_IN}(?:{_WS}|(?<=['’]))(?:{_FISCAL_WORDS}{_WS})?{_FY}"), _b_fiscal, True),
    (_re(rf"(?:{_IN}(?:{_WS}|(?<=['’]))|l['’])?{_EXERCICE}"), _b_fiscal, True),
    (_re(rf"(?:{_FISCAL_WORDS}{_WS})?{_FY}"), _b_fiscal, False),
    (_re(rf"(?:fiscal|financial|budget){_WS}year{_WS}(?P<fy>\d{{4}})(?![-/\d])"), _b_fiscal, False),
    # a calendar year: "for 2024", "pour 2023" (not "in 2024": as often the pledge's date)
    (_re(rf"(?:for|pour|during|durant|au{_WS}titre{_WS}de){_WS}(?:l['’]année{_WS})?(?P<year>\d{{4}})(?![-/\d])"),
     _b_calendar_year, True),
]


def _tail_end_ok(text: str, end: int) -> bool:
    """A tail must end at a word boundary (not inside "overtime", "2015-08")."""
    return end >= len(text) or not (text[end].isalnum() or text[end] in "-/")


def match_period(text: str, pos: int = 0, *, on: dt.date | None = None,
                 strict: bool = False) -> tuple[Period, int] | None:
    """The longest period phrase that starts at ``text[pos]`` and may follow an
    amount ("a year", "over three years", "in 2021-22"...), as ``(period,
    end)``; None when there is none.  A phrase that looks like a period but is
    invalid ("in 2021-23") is ignored, or raises PeriodError when ``strict``."""
    found: list[tuple[int, int, re.Match, Callable]] = []
    for k, (rx, build, in_tail) in enumerate(_FORMS):
        if not in_tail:
            continue
        m = rx.match(text, pos)
        if m and _tail_end_ok(text, m.end()):
            found.append((-m.end(), k, m, build))
    if not found:
        return None
    found.sort(key=lambda f: (f[0], f[1]))     # the longest first
    try:
        return found[0][3](found[0][2], on), found[0][2].end()
    except PeriodError:
        if strict:
            raise
    # the longest reading is invalid ("annually until 2027" needs a start):
    # a shorter valid one ("annually") still says what it says
    for _neg_end, _k, m, build in found[1:]:
        try:
            return build(m, on), m.end()
        except PeriodError:
            continue
    # the same form, cut to its shortest valid prefix
    rx, build = _FORMS[found[0][1]][0], found[0][3]
    for end in range(-found[0][0] - 1, pos, -1):
        m = rx.fullmatch(text, pos, end)
        if m and _tail_end_ok(text, end):
            try:
                return build(m, on), end
            except PeriodError:
                continue
    return None


# A rate said by an adjective before the amount: "an annual envelope of £7m",
# "a yearly allocation of up to €4m", "an annual £2m grant", "une enveloppe
# annuelle de 7 millions de livres", "une dotation annuelle supplémentaire
# d'environ 2 M€".  The adjective, at most two words, then "of"/"de"/"d'" (or
# nothing) right before the amount (or its qualifier); "bi-annual",
# "semi-annual" are not yearly.
_RATE_BEFORE_RE = lazy_re(
    rf"(?<![\w-])(?:annual|yearly|annuel(?:le)?s?)"
    rf"(?:(?:{_WS}(?!(?:of|de|des|du|la|le|les|the|and|et|in|en|for|pour)\b)[^\W\d_][\w-]*){{0,2}}"
    rf"(?:{_WS}(?:of|de|worth|totalling|totaling)|{_WS}d['’]))?"
    rf"(?:{_WS}|(?<=['’]))$", re.IGNORECASE)


def rate_stated_before(text: str, start: int, pos: int) -> bool:
    """Whether the words just before ``text[pos]`` (not before ``start``) say
    the amount there is a yearly one by an adjective: "an annual envelope of"."""
    return _RATE_BEFORE_RE.search(text, max(start, pos - 80), pos) is not None


def match_rate_tail(text: str, pos: int) -> tuple[Period, int] | None:
    """What may follow a rate's amount when the rate was said before it (by
    an adjective): " for three years", " from April 2025", " pendant trois
    ans", " à partir de 2025", " until 2027" as ``(per-year period, end)``;
    None when there is none.  The same tail as after "a year" / "par an"."""
    m = _RATE_TAIL_RE.match(text, pos)
    if m is None or not _tail_end_ok(text, m.end()):
        return None
    try:
        return _b_per(m, None), m.end()
    except PeriodError:
        return None    # "until 2027" without a start: the rate still stands


_RATE_TAIL_RE = _re(f"(?:{_PER_TAIL})")


def parse_period(text: str, *, on: dt.date | None = None) -> Period:
    """Parse a whole period phrase.

    Accepts what ``Period.describe()`` prints and natural phrasings: "one-off",
    "once", "a year", "per year", "annually", "per year for 3 years", "per year
    from 2015-01-01 to 2017-12-31", "over three years", "over 18 months",
    "over 2 years from 2015-09-01", "from 2015-01-01 to 2016-12-31",
    "fiscal year 2021-22", "2021-22", "in 2021/22".  ``on`` is the reference
    date (usually the entry date) for phrases that give only an end
    ("until 2017-12-31").  Raises PeriodError saying what is wrong.
    """
    if not isinstance(text, str):
        raise PeriodError(f"a period must be text, not {type(text).__name__}")
    s = " ".join(text.split())
    if not s:
        raise PeriodError("empty period (write e.g. 'one-off', 'a year', 'over 3 years')")
    for rx, build, _ in _FORMS:
        m = rx.fullmatch(s)
        if m:
            return build(m, on)
    hint = ""
    if re.search(r"\b(?:0|zero)\s+(?:years?|months?)\b", s, re.I):
        raise PeriodError(f"a period must be longer than zero: {text!r}")
    if re.search(r"-\s*\d+\s+(?:years?|months?)", s):
        raise PeriodError(f"a period must be longer than zero: {text!r}")
    if re.search(r"\d{4}\s*[-/]\s*\d{2}", s):
        hint = " (a fiscal year is written like 2021-22)"
    raise PeriodError(f"cannot understand period {text!r}{hint}; write e.g. 'one-off', "
                      "'a year', 'a year for 3 years', 'over 18 months', "
                      "'from 2015-01-01 to 2016-12-31' or 'fiscal year 2021-22'")


# ------------------------------------------------------- rate <-> total
def restates(phrase: Period, stated: Period) -> bool:
    """Whether the ``period`` field ``stated`` says what the amount phrase's
    period ``phrase`` says, perhaps more precisely: "£10m a year" with
    "per year for 3 years" agree; "£10m a year" with "over 3 years" do not.
    A one-off phrase (no period in it) agrees with any period; a one-off
    paid on a day of its own ("£1000 one-off from 2021-03-01") says a
    period: only a one-off from that day restates it."""
    if phrase.kind == ONE_OFF and phrase.start is None:
        return True
    if phrase.kind != stated.kind:
        return False
    return all(getattr(phrase, f) is None or getattr(phrase, f) == getattr(stated, f)
               for f in ("years", "start", "end", "fiscal_year")) \
        and (phrase.length is None or (phrase.length, phrase.unit) == (stated.length, stated.unit)
             or _same_length_in_years(phrase, stated))


def _same_length_in_years(phrase: Period, stated: Period) -> bool:
    """"18 months" and "1.5 years" are one length (the years exactly those
    of the months); "78 weeks" and "1.4956 years" are not."""
    return (stated.length is None and stated.years is not None and phrase.length is not None
            and length_fraction(phrase.length, phrase.unit) == Fraction(stated.years))


def _amount(amount) -> Decimal:
    if isinstance(amount, Money):
        return amount.amount
    return Decimal(str(amount)) if not isinstance(amount, Decimal) else amount


def period_years(period: Period) -> Decimal | None:
    """How many years a period lasts: its length, its span, or 1 for a fiscal
    year; None when it does not say (a one-off, an open-ended rate)."""
    if period.years is not None:
        return period.years
    f = _years_fraction(period)
    return None if f is None else _tidy(f[0] / f[1], 4)


def _years_fraction(period: Period, on: dt.date | None = None) -> tuple[Decimal, Decimal] | None:
    """A period's years as an exact fraction: its length as written
    (``length_years``, weeks and days from its start or ``on``; None
    without either), its span by anniversaries (``span_fraction``), 1 for
    a fiscal year."""
    if period.length is not None:
        first = period.start or on
        fixed = length_fraction(period.length, period.unit)
        if fixed is not None:
            return Decimal(fixed.numerator), Decimal(fixed.denominator)
        if first is None:
            return None
        import numpy as np

        num, den = length_years(np.array([first], dtype="datetime64[D]"),
                                period.length, period.unit)
        return Decimal(int(num[0])), Decimal(int(den[0]))
    if period.years is not None:
        return period.years, Decimal(1)
    if period.start and period.end:
        num, den = span_fraction(period.start, period.end)
        return Decimal(num), Decimal(den)
    if period.kind == FISCAL_YEAR:
        return Decimal(1), Decimal(1)
    return None


def total(amount, period: Period, on: dt.date | None = None) -> Decimal | None:
    """Total money over the whole period: a per-year rate times its years
    ("£4m a year for 3 years" → 12000000; a span of dates by anniversaries,
    as the reports count it; N weeks or days from its start, or ``on``,
    the entry's date); a total stays as it is.  None for an open-ended
    per-year rate, or N weeks or days from no date."""
    a = _amount(amount)
    if period.kind != PER_YEAR:
        return a
    f = _years_fraction(period, on)
    if f is None:
        return None
    return _tidy(a * f[0] / f[1])


def total_minor(amount, period: Period, digits: int, on: dt.date | None = None) -> int | None:
    """``total`` in the minor units of a currency of ``digits`` places, as
    the reports count it (``rates.normalise``: the amount rounded half up to
    its minor units, times the period's exact years, rounded once, half away
    from zero): 1000000 a year for the 10 days 2016-01-01..10 is 2732240
    pence (27322.404…); N weeks or days from the period's start or ``on``
    (the entry's date).  None for an open-ended per-year rate, or N weeks
    or days from no date."""
    minor = to_minor(_amount(amount), digits)
    if period.kind != PER_YEAR:
        return minor
    f = _years_fraction(period, on)
    if f is None:
        return None
    years = Fraction(f[0]) / Fraction(f[1])
    return round_div(minor * years.numerator, years.denominator)


def annual_rate(amount, period: Period, on: dt.date | None = None) -> Decimal | None:
    """Money per year: a total spread evenly over its years ("£12m over 3
    years" → 4000000; a span of dates by anniversaries); a per-year amount
    as it is; a fiscal-year amount is its own annual rate.  None for a
    one-off (it has no duration) or an "over" without a length (or N
    weeks or days from no date: their years are those of their dates)."""
    a = _amount(amount)
    if period.kind == PER_YEAR:
        return a
    if period.kind == ONE_OFF:
        return None
    f = _years_fraction(period, on)
    if f is None:
        return None
    return _tidy(a * f[1] / f[0])
