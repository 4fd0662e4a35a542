"""Money phrases: "£12m", "10 million Euros", "up to £7 million",
"£12 million (€15 million, $19 million) over three years", "1 234 567,89 €".

``parse_amount(text)`` reads one whole phrase; ``iter_atoms`` and
``extend_phrase`` are the building blocks the extractor uses on running text.
Currency symbols and names come from babel's CLDR data (English and French,
singular and plural), built once on first use; a few overrides settle
ambiguous symbols ("$" is the US dollar).  See docs/phrases.md.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple
from collections.abc import Iterator

from ledger.errors import LedgerError
from ledger.limits import foreign_digits
from ledger.minor import plain_decimal
from ledger.model import ONCE, QUALIFIERS, Money, Period
from ledger.phrases.lazy import lazy_re
from ledger.phrases.period import WORD_NUMBERS, PeriodError, match_period, parse_period

__all__ = [
    "MoneyError", "FigureTooLarge", "ParsedAmount", "AmountMatch", "Phrase", "parse_amount",
    "parse_amounts", "Amounts", "parse_number", "currency_code", "known_currencies", "iter_atoms",
    "match_atom", "extend_phrase", "format_money", "format_amount_phrase",
    "plain_decimal", "CFA_FRANC", "settle_cfa", "POINT", "COMMA", "read_number",
    "DecimalMark", "decimal_mark", "plain_numbers", "contrary_number", "phrase_numbers",
    "MarkCount", "added", "Convention", "convention", "BOTH_WAYS", "AGAINST_DEFAULT",
    "with_point", "says_mark", "decided_note",
]


class MoneyError(ValueError):
    """An amount phrase that cannot be understood; the message says why."""


class NotPositive(MoneyError):
    """An amount of zero or less (readers word it by ``ledger.rules.rows``)."""


class NotANumber(MoneyError):
    """Digits that are no number ("000 000": a group never starts with 0)."""


class FigureTooLarge(MoneyError, LedgerError):
    """A figure in a text with too many digits to be held exactly; ``at``:
    where it starts (the CLI prints the message, no traceback)."""

    def __init__(self, message: str, at: int, figure: str = ""):
        super().__init__(message)
        self.at = at
        self.figure = figure or message    # what is wrong, without its place


@dataclass(frozen=True, slots=True)
class ParsedAmount:
    amount: Decimal
    currency: str                       # ISO 4217
    qualifier: str = "exact"            # one of model.QUALIFIERS
    period: Period = ONCE
    restated: tuple[Money, ...] = ()    # the same sum in other currencies, as given
    text: str = ""                      # the phrase as given

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


# ------------------------------------------------------------ currencies
# Symbols shared by several currencies, or written in ways CLDR does not list.
SYMBOL_OVERRIDES = {
    "$": "USD", "US$": "USD", "U.S.$": "USD", "$US": "USD", "US $": "USD",
    "£": "GBP", "€": "EUR", "¥": "JPY",
}
NAME_OVERRIDES = {
    "pound": "GBP", "pounds": "GBP", "pound sterling": "GBP", "pounds sterling": "GBP",
    "sterling": "GBP", "livre sterling": "GBP", "livres sterling": "GBP",
    "dollar": "USD", "dollars": "USD", "us dollar": "USD", "us dollars": "USD",
    "dollars américains": "USD", "dollar américain": "USD",
    "euro": "EUR", "euros": "EUR", "yen": "JPY",
    # French sources write pounds sterling as "livres" ("7 millions de livres")
    "livre": "GBP", "livres": "GBP",
}
# Codes that are not money in the ledger's sense (metals, test and fund codes);
# XDR is money: on IATI's Currency codelist, and multilateral banks publish in it.
_EXCLUDED = {"XAU", "XAG", "XPD", "XPT", "XTS", "XXX", "XBA", "XBB", "XBC", "XBD",
             "XRE", "XFO", "XFU", "XSU", "XUA"}
_LOCALES = ("en", "en_GB", "fr", "fr_FR")


@dataclass(frozen=True)
class _Table:
    codes: frozenset[str]
    symbols: dict[str, str]   # symbol → code
    names: dict[str, str]     # lower-case name → code


def _norm_name(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(s.lower().split())


@functools.lru_cache(maxsize=1)
def _table() -> _Table:
    from babel import Locale  # lazy: keeps `ledger-tool --help` fast
    from babel.numbers import get_currency_name, get_territory_currencies, list_currencies

    codes = frozenset(c for c in list_currencies() if c not in _EXCLUDED)
    # Only currencies in use today get symbols and names: CLDR also lists
    # historic ones whose names are ordinary words ("or", "sucre", "argent").
    current: set[str] = set()
    for territory in Locale("en").territories:
        if isinstance(territory, str) and territory.isalpha() and len(territory) == 2:
            current.update(get_territory_currencies(territory, tender=True))
    current -= _EXCLUDED

    symbols: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for loc in _LOCALES:
        locale = Locale.parse(loc)
        for code, sym in locale.currency_symbols.items():
            sym = sym.strip()
            # keep real symbols ($, £, €, CA$, $US...), not bare letters ("F", "Rs")
            if code in current and sym != code and any(
                    not (ch.isalnum() or ch.isspace() or ch == ".") for ch in sym):
                symbols.setdefault(sym, code)
        for code in current:
            forms = {locale.currencies.get(code, "")}
            forms.update(get_currency_name(code, count=n, locale=locale) for n in (1, 2, 1000000))
            for form in forms:
                if form and form != code:
                    names.setdefault(_norm_name(form), set()).add(code)
    unique = {n: next(iter(c)) for n, c in names.items() if len(c) == 1}
    symbols.update(SYMBOL_OVERRIDES)
    unique.update(NAME_OVERRIDES)
    return _Table(codes, symbols, unique)

# the ECB's reference rates give these every day: a ledger in them alone
# needs no rate table to say which entries lack rates
ALWAYS_PUBLISHED = frozenset({"EUR", "GBP", "USD"})

# "francs CFA" names two currencies: the West African CFA franc (XOF, issued
# by the BCEAO for the UEMOA) and the Central African one (XAF, BEAC, CEMAC),
# at the same parity with the euro.  An amount in "francs CFA" is read as
# money with this currency until the document says which zone it is about
# (``settle_cfa``); babel's own names ("franc CFA (BCEAO)", "Central African
# CFA franc") are read as XOF or XAF straight away.
CFA_FRANC = "XOF|XAF"
_CFA_NAMES = ("franc CFA", "francs CFA", "FCFA", "F CFA", "CFA franc", "CFA francs", "CFAF")
_CFA_KEYS = frozenset(_norm_name(n) for n in _CFA_NAMES)


def _zone_re(words) -> re.Pattern:
    body = "|".join(re.escape(w.replace("’", "'")).replace(r"\ ", r"[\s-]+").replace("'", "['’]")
                    for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


# What names a zone besides its member states (whose names, in English and
# French, come from babel with the states themselves): the issuing banks, the
# unions, the regions, other spellings of the states, their people and their
# capitals, in French and English.
_CFA_ZONE_WORDS = {
    "XOF": ["BCEAO", "UEMOA", "UMOA", "WAEMU", "Afrique de l'Ouest", "West Africa", "West African",
            "béninois", "béninoise", "burkinabè", "burkinabé", "Cote d'Ivoire", "Ivory Coast",
            "ivoirien", "ivoirienne", "ivoiriens", "malien", "malienne", "maliens", "nigérien",
            "nigérienne", "sénégalais", "sénégalaise", "togolais", "togolaise", "Porto-Novo",
            "Cotonou", "Ouagadougou", "Abidjan", "Yamoussoukro", "Bissau", "Bamako", "Niamey",
            "Dakar", "Lomé", "Lome"],
    "XAF": ["BEAC", "CEMAC", "Afrique centrale", "Central Africa", "Central African",
            "camerounais", "camerounaise", "Centrafrique", "centrafricain", "centrafricaine",
            "République du Congo", "Republic of the Congo", "Republic of Congo",
            "Congo-Brazzaville", "gabonais", "gabonaise", "tchadien", "tchadienne", "tchadiens",
            "Yaoundé", "Yaounde", "Douala", "Bangui", "Brazzaville", "Libreville", "Malabo",
            "N'Djamena", "N'Djaména", "Ndjamena"],
}


@functools.lru_cache(maxsize=1)
def _cfa_zones() -> dict[str, re.Pattern]:
    """Each zone's pattern: the states whose tender is its franc (babel's
    territory currencies), by their English and French names, and the words
    above."""
    from babel import Locale
    from babel.numbers import get_territory_currencies

    names = [Locale(loc).territories for loc in ("en", "fr")]
    zones = {}
    for code, words in _CFA_ZONE_WORDS.items():
        states = [t for t in names[0] if isinstance(t, str) and len(t) == 2 and t.isalpha()
                  and get_territory_currencies(t, tender=True) == [code]]
        zones[code] = _zone_re([*words, *(n[t] for n in names for t in states)])
    return zones


_PARAGRAPH_END = lazy_re(r"\n\s*\n")
_SENTENCE_STOP = lazy_re(r"[.!?](?=\s)|\n\s*\n")


def settle_cfa(text: str, pos: int | None = None) -> str:
    """XOF or XAF for an amount in "francs CFA" at ``text[pos]``, when the
    text names one zone only (a member state, its capital, the issuing bank,
    the union or the region) — in the sentence first, then the paragraph,
    then the whole text; ``CFA_FRANC`` when it names neither or both."""
    return _CfaText.of(text).settle(pos)


class _CfaText:
    """A text's sentence and paragraph bounds, found once, and the zones each
    span names, searched once per span: a document with many amounts in
    francs CFA is read in linear time, not once per amount."""

    @staticmethod
    @functools.lru_cache(maxsize=4)     # the audit settles many quotes against one document
    def of(text: str) -> _CfaText:
        return _CfaText(text)

    def __init__(self, text: str):
        self.text = text
        self.stops = [m.end() for m in _SENTENCE_STOP.finditer(text)]
        paragraphs = list(_PARAGRAPH_END.finditer(text))
        self.par_starts = [m.end() for m in paragraphs]
        self.par_ends = [m.start() for m in paragraphs]
        self.named = functools.lru_cache(maxsize=None)(self._named)

    def _named(self, a: int, b: int) -> frozenset[str]:
        return frozenset(code for code, rx in _cfa_zones().items() if rx.search(self.text, a, b))

    def settle(self, pos: int | None) -> str:
        n = len(self.text)
        spans = [(0, n)]
        if pos is not None:
            i = bisect.bisect_right(self.stops, pos)
            j = bisect.bisect_right(self.par_starts, pos)
            k = bisect.bisect_right(self.par_ends, pos)
            spans = [(self.stops[i - 1] if i else 0, self.stops[i] if i < len(self.stops) else n),
                     (self.par_starts[j - 1] if j else 0,
                      self.par_ends[k] if k < len(self.par_ends) else n), (0, n)]
        for a, b in spans:
            zones = self.named(a, b)
            if zones:      # both zones named: the text does not say which
                return next(iter(zones)) if len(zones) == 1 else CFA_FRANC
        return CFA_FRANC


def _code(token: str) -> str | None:
    """``currency_code``, and CFA_FRANC for the CFA franc's shared names."""
    if _norm_name(token) in _CFA_KEYS:
        return CFA_FRANC
    return currency_code(" ".join(token.split()) if not token.isupper() else token)


def known_currencies() -> frozenset[str]:
    """ISO 4217 codes accepted in amounts."""
    return _table().codes


def currency_digits(code: str) -> int:
    """Minor-unit digits of a currency (GBP 2, JPY 0, KWD 3)."""
    from babel.numbers import get_currency_precision  # babel: not loaded for --help

    return get_currency_precision(code)


def currency_code(token: str) -> str | None:
    """The ISO code for a code, symbol or name ("GBP", "£", "euros"), or None."""
    t = _table()
    s = token.strip()
    if s in t.codes:          # codes are upper case: "all" or "cup" are words
        return s
    if s in t.symbols:
        return t.symbols[s]
    return t.names.get(_norm_name(s))


# ----------------------------------------------------------------- numbers
_WS = r"[ \t\u00a0\u2009\u202f]"
_NUM = (r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"            # 12,000,000.50
        r"|\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?"         # 1.234.567,89
        r"|\d{1,3}\.\d{3},\d+"                        # 1.234,5
        r"|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?:[.,]\d+)?"  # 1 234 567,89
        r"|\d+(?:[.,]\d+)?")                        # 12 / 1.4 / 1,5
_SCALES = {
    "thousand": 3, "thousands": 3, "k": 3, "mille": 3,
    "million": 6, "millions": 6, "m": 6, "mn": 6, "mln": 6, "mio": 6,
    "billion": 9, "billions": 9, "bn": 9, "b": 9, "milliard": 9, "milliards": 9,
    "md": 9, "mds": 9, "mrd": 9, "mrds": 9,
    "trillion": 12, "trillions": 12, "tn": 12,
}
_SCALE = "(?i:" + "|".join(sorted(_SCALES, key=len, reverse=True)) + ")"

# Written-out numbers before a scale word: "twelve million", "two hundred
# million", "douze millions", "quatre-vingts millions", "a billion" (the
# number words are ledger.phrases.period's).
_WORD_VALUES = {w: v for w, v in WORD_NUMBERS.items() if w not in ("a", "an")}  # "a" only alone
_WORD = "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
# a fraction of the scale: "half a million", "a quarter of a billion",
# "three-quarters of a million", "half of a million", "a third of a
# million", "two-thirds of a billion", "two and a half million"
_FRACTIONS = {"half": Fraction(1, 2), "quarter": Fraction(1, 4), "third": Fraction(1, 3)}
_FRACTION = (rf"(?:(?:(?:a|one)(?:{_WS}+|-))?(?:half|quarter|third)|three(?:{_WS}+|-)quarters"
             rf"|two(?:{_WS}+|-)thirds)(?:{_WS}+of)?{_WS}+an?")
_HALF = rf"(?:{_WS}+|-)and(?:{_WS}+|-)a(?:{_WS}+|-)half"
# Words join into one number by a space or a hyphen, "and" only after
# "hundred" ("one hundred and twenty") and "et" only before "un", "une",
# "onze" ("vingt et un", "vingt-et-un"): "between two and three million" is a range, and
# "twenty and thirty million" two numbers, never their sum.
_JOIN = (rf"(?:[ -]|(?<=hundred){_WS}+and{_WS}+(?!(?:{_WORD})[ -]+hundreds?\b)"
         rf"|(?:{_WS}+et{_WS}+|-et-)(?=(?:un|une|onze)\b))")
# at most this many words after the first in one number ("nine hundred and
# ninety-nine" takes four): a bound keeps a long run of number words linear
_MAX_JOINS = 8
_WORDS = rf"(?:{_WORD})(?:{_JOIN}(?:{_WORD})){{0,{_MAX_JOINS}}}"
_WORDNUM = rf"(?:{_FRACTION}|a|an|{_WORDS}(?:{_HALF})?)"
_WORD_SCALES = {"thousand": 3, "mille": 3, "million": 6, "millions": 6, "billion": 9,
                "billions": 9, "milliard": 9, "milliards": 9, "trillion": 12, "trillions": 12}
_WORD_SCALE = "|".join(sorted(_WORD_SCALES, key=len, reverse=True))
# a thousand standing on a larger scale multiplies it: "a thousand million"
# (10^9), "one hundred thousand million" (10^11), "mille milliards" (10^12)
_SCALE_RUN = (rf"(?:(?:thousand|mille){_WS}+(?:"
              + "|".join(sorted((w for w, e in _WORD_SCALES.items() if e > 3), key=len, reverse=True))
              + rf")|{_WORD_SCALE})")


def _scale_exp(words: str) -> int:
    """The power of ten of a scale word or a run of them ("thousand million": 9)."""
    return sum(_WORD_SCALES[w] for w in words.lower().split())


# a number with several scale words: "one million two hundred thousand",
# "two million and fifty thousand", "deux millions et trois cent mille",
# "one thousand and one million", "one
# million, two hundred thousand" (a comma only before a smaller scale)
_GROUP_END = rf"{_WS}+(?:{_SCALE_RUN}),?(?:{_WS}+(?:and|et))?{_WS}+"
_GROUP_SPLIT = lazy_re(rf"(?i:{_WS}+({_SCALE_RUN})(,)?({_WS}+(?:and|et))?{_WS}+)")
# digits with several scale words: "1 million 200 thousand pounds" (the
# groups before the last; no comma: "5 million, 2 thousand" is a list;
# "et" as "and", as number words join: "5 millions et 200 mille euros")
_DIGIT_GROUPS = rf"(?:[1-9]\d{{0,2}}{_WS}+(?i:{_SCALE_RUN})(?:{_WS}+(?i:and|et))?{_WS}+){{1,3}}"
_DIGIT_GROUP_RE = lazy_re(rf"([1-9]\d{{0,2}}){_WS}+({_SCALE_RUN})", re.IGNORECASE)


def _join(comma: str | None, anded: str | None) -> str:
    """How a group is joined to the one before: "", " and", "," or ", and"."""
    return ("," if comma else "") + (" and" if anded else "")


# "£2½ million", "2½m euros"
_VULGAR = {"½": Fraction(1, 2), "¼": Fraction(1, 4), "¾": Fraction(3, 4),
           "⅓": Fraction(1, 3), "⅔": Fraction(2, 3)}
_VULGAR_RE = "[" + "".join(_VULGAR) + "]"


def _number_words(text: str) -> Fraction:
    """Written-out number words, exactly: "twelve" → 12, "two hundred" →
    200, "quatre-vingt-dix" → 90, "a" → 1, "half a" → 1/2, "a third of a"
    → 1/3, "two and a half" → 5/2; NotANumber for words that are no one
    number ("two and three", "twenty thirty")."""
    t = " ".join(text.lower().replace("quatre-vingt", "quatre_vingt").replace("-", " ").split())
    m = re.fullmatch(r"(?:(a|one|two|three) )?(half|quarters?|thirds?)(?: of)? an?", t)
    if m:
        count = {None: 1, "a": 1, "one": 1, "two": 2, "three": 3}[m.group(1)]
        return count * _FRACTIONS[m.group(2).rstrip("s")]
    if t.endswith(" and a half"):
        return _number_words(t[:-len(" and a half")]) + Fraction(1, 2)
    total, last = 0, None     # "two three", "twenty thirty": no number, two of them
    words = t.replace("quatre_vingt", "quatre-vingt").split()
    for i, w in enumerate(words):
        if w in ("and", "et"):
            # within a number only: "hundred and twenty", "vingt et un"
            if (w == "and" and i and words[i - 1] == "hundred") or (
                    w == "et" and i + 1 < len(words) and words[i + 1] in ("un", "une", "onze")):
                continue
            raise NotANumber(f"not a number: {text!r} (two numbers joined by {w!r})")
        if w in ("a", "an"):
            total += 1
            continue
        v = _WORD_VALUES.get(w)
        if v is None:
            raise NotANumber(f"not a number: {text!r}")
        if v == 100:
            if total >= 100:
                raise NotANumber(f"not a number: {text!r}")
            total = last = max(total, 1) * 100
            continue
        if last is not None and v >= last:
            raise NotANumber(f"not a number: {text!r}")
        total, last = total + v, v
    return Fraction(total)


def _scaled_fraction(value: Fraction, exp: int, currency: str) -> tuple[Decimal, bool]:
    """``value`` times 10**``exp`` as an amount, and whether it is exact: a
    third of a million is no whole number of pence, so it is rounded to the
    currency's minor unit and read as "about" (``AmountMatch.inexact``)."""
    scaled = value * 10 ** exp
    if len(str(scaled.numerator // scaled.denominator)) > _MAX_DIGITS:
        raise MoneyError(f"a number in words of {len(str(scaled.numerator // scaled.denominator))} "
                         f"digits is too many to be held exactly (at most {_MAX_DIGITS} "
                         "significant digits)")
    exact = Decimal(scaled.numerator) / Decimal(scaled.denominator)
    if _ends(scaled):
        return _tidy_amount(exact), True
    digits = currency_digits(currency) if currency in _table().codes else 0
    return _tidy_amount(exact.quantize(Decimal(1).scaleb(-digits))), False


def _ends(f: Fraction) -> bool:
    """Whether a fraction has a finite decimal expansion (its denominator
    has no prime factors but 2 and 5)."""
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


# A number is written with a decimal point ("1,500,000.25") or a decimal
# comma ("1.500.000,25"); groups of three digits may also be set apart by
# spaces.  Some numbers read the same either way ("1500", "5 000"), some
# read otherwise ("1,500", "1.500": ambiguous alone), the rest one way only
# ("1,5", "2,50", "1500000,00", "1.5"): those tell a column's convention.
# The same patterns serve Python's re (a cell) and Arrow's RE2 (a column).
POINT, COMMA = ".", ","
_GAP = "[ \u00a0\u2009\u202f]"
_NUMBER_IN = {
    POINT: (r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?"
            rf"|[1-9][0-9]{{0,2}}(?:{_GAP}[0-9]{{3}})+(?:\.[0-9]+)?)"),
    COMMA: (r"[+-]?(?:[0-9]+(?:,[0-9]+)?|[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?:,[0-9]+)?"
            rf"|[1-9][0-9]{{0,2}}(?:{_GAP}[0-9]{{3}})+(?:,[0-9]+)?)"),
}
_NUMBER_RE = {mark: lazy_re(rx) for mark, rx in _NUMBER_IN.items()}
# A cell that says its column's mark on its own: two or more grouping marks
# and the decimal mark ("1.500.000,50").  One character changed, added or
# removed in a number of the other convention never gives one (two grouping
# marks of one kind survive any single edit, and the other kind's number has
# at most one of them), whereas "1.500,000" is "1,500,000" slipped and
# "1.500,50" is "1.500050" slipped (test_decimal_comma8's property).
_DECIDES_IN = {
    POINT: r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3}){2,}\.[0-9]+",
    COMMA: r"[+-]?[1-9][0-9]{0,2}(?:\.[0-9]{3}){2,},[0-9]+",
}
_DECIDES_RE = {mark: lazy_re(rx) for mark, rx in _DECIDES_IN.items()}
_MARK_NAME = {POINT: "decimal point", COMMA: "decimal comma"}


def _other(mark: str) -> str:
    return COMMA if mark == POINT else POINT


def says_mark(text: str, mark: str) -> bool:
    """Whether the cell ``text`` alone says its column's decimal ``mark``:
    no one-character slip of a number written with the other mark."""
    return bool(_DECIDES_RE[mark].fullmatch(text.strip()))


def read_number(text: str, mark: str) -> Decimal | None:
    """``text`` as a number written with the decimal ``mark`` (POINT or
    COMMA), the other mark and spaces grouping thousands; None when it is
    not one ("1,5" with a decimal point; a phrase)."""
    s = text.strip()
    if not _NUMBER_RE[mark].fullmatch(s):
        return None
    return Decimal(re.sub(_GAP, "", s).replace(_other(mark), "").replace(mark, "."))


class MarkCount(NamedTuple):
    """A column's cells that are numbers with a decimal point only, with a
    decimal comma only, and either way as different numbers ("1,500"):
    how many, and where the first of the first two is, as the caller names
    it ("line 4: '2,5'"; '' for none).  Columns read apart (a dataset's
    partitions) are one column by ``added``.  ``point_both``, ``comma_both``:
    of the first two, those that say their mark alone (``says_mark``:
    "1,500,000.50", "1.500.000,50"), no slip of a writer of the other
    convention; ``point_said_at``, ``comma_said_at``: the first of them."""
    point: int = 0
    comma: int = 0
    ambiguous: int = 0
    point_at: str = ""
    comma_at: str = ""
    point_both: int = 0
    comma_both: int = 0
    point_said_at: str = ""
    comma_said_at: str = ""


def added(counts) -> MarkCount:
    """The ``MarkCount`` of columns read apart as one column."""
    point = comma = ambiguous = point_both = comma_both = 0
    point_at = comma_at = point_said_at = comma_said_at = ""
    for c in counts:
        point, comma, ambiguous = point + c.point, comma + c.comma, ambiguous + c.ambiguous
        point_at, comma_at = point_at or c.point_at, comma_at or c.comma_at
        point_both, comma_both = point_both + c.point_both, comma_both + c.comma_both
        point_said_at = point_said_at or c.point_said_at
        comma_said_at = comma_said_at or c.comma_said_at
    return MarkCount(point, comma, ambiguous, point_at, comma_at, point_both, comma_both,
                     point_said_at, comma_said_at)


BOTH_WAYS, AGAINST_DEFAULT = "both ways", "against the default"


class Convention(NamedTuple):
    """A column's decimal ``mark``; ``refused``: why its ambiguous cells are
    refused ('' when they follow ``mark``: ``BOTH_WAYS``, ``AGAINST_DEFAULT``);
    ``shown``: where a cell written only so is ('' when none: the default);
    ``default``: the mark of the file's kind (its hint); ``said_at``: where
    the cell is that says the mark against the default, which its ambiguous
    cells then follow ('' when none does)."""
    mark: str
    refused: str = ""
    shown: str = ""
    default: str = POINT
    said_at: str = ""


def convention(count: MarkCount, hint: str = POINT) -> Convention:
    """The rule for a column's decimal mark.  Cells that read one way only
    tell it (the most of them; a tie: ``hint``); none: ``hint``, the file
    kind's default.  An ambiguous cell ("1,500": 1.5 or 1500) follows the
    mark only when nothing speaks against it: it is refused when the
    column is written both ways, or when the cells that tell say the other
    mark than the default (a comma-separated file whose cells say a decimal
    comma): then the cell's own kind and the column disagree, and reading
    it either way would be a guess 1000 times off -- unless a cell that
    tells says its mark alone (``says_mark``: "1.500.000,50" in a
    comma-separated file, not "1.500,000", a slip of "1,500,000"): then
    the column's convention is said, its "24.973" follow it, and
    ``said_at`` names that cell for the warning (``decided_note``).  The ambiguous cells do not vote: each reads as either mark,
    so counting them for the default would be the guess itself."""
    if count.point and count.comma:
        mark = hint if count.point == count.comma else POINT if count.point > count.comma \
            else COMMA
        return Convention(mark, BOTH_WAYS, count.point_at if mark == POINT else count.comma_at,
                          hint)
    if count.point or count.comma:
        mark = POINT if count.point else COMMA
        said = count.point_both if mark == POINT else count.comma_both
        said_at = "" if mark == hint or not said else \
            count.point_said_at if mark == POINT else count.comma_said_at
        return Convention(mark, "" if mark == hint or said else AGAINST_DEFAULT,
                          count.point_at or count.comma_at, hint, said_at)
    return Convention(hint, default=hint)


class DecimalMark(NamedTuple):
    """The convention of a column of numbers: its decimal ``mark``, the
    index of a cell written only so (None: none here), per cell whether it
    is refused (a number only the other way; an ambiguous one the rule
    refuses: ``convention``), its ``tally`` and the ``rule`` (``Convention``);
    ``followed``: per cell whether it is ambiguous and read against the
    default because a cell says the mark (``Convention.said_at``)."""
    mark: str
    example: int | None
    contrary: Any        # numpy bool per cell
    tally: MarkCount = MarkCount()
    rule: Convention = Convention(POINT)
    followed: Any = None


def decided_note(marks: DecimalMark, text, where, limit: int = 5) -> str:
    """The one warning line naming the ambiguous cells a cell that says its
    mark decided against the file kind's default ("'1,500' (line 2) read as
    1.5 ... because line 5: '1.500.000,50' writes a decimal comma"), '' when
    none: a figure 1000 times off the default reading is never silent.
    ``text(i)``, ``where(i)``: cell i and where it is."""
    import numpy as np

    if marks.followed is None or not marks.followed.any():
        return ""
    at = np.flatnonzero(marks.followed).tolist()
    shown = ", ".join(f"{text(i).strip()!r} ({where(i)}) as "
                      f"{plain_decimal(read_number(text(i), marks.mark) or Decimal(0))}"
                      for i in at[:limit])
    more = f" and {len(at) - limit} more" if len(at) > limit else ""
    return (f"{len(at)} amount(s) that read either way are read with a "
            f"{_MARK_NAME[marks.mark]}, not the file's {_MARK_NAME[marks.rule.default]}: "
            f"{shown}{more}, because {marks.rule.said_at} is written so; check they are meant")


def _point_alone(texts) -> bool:
    """Whether no cell of an Arrow string array holds a comma, a space (or
    the lead byte of a wider one) or points three digits apart: then every
    number in it reads the same with a decimal point, and none only with a
    comma (a bulk file's common case, told from its bytes at once)."""
    import numpy as np

    for chunk in getattr(texts, "chunks", [texts]):
        data = chunk.buffers()[2]
        if data is None:
            continue
        b = np.frombuffer(data, dtype=np.uint8)
        # 0xA0, 0xE2: bytes of U+00A0, U+2009, U+202F
        if any((b == c).any() for c in (ord(","), ord(" "), 0xA0, 0xE2)):
            return False
        dot = b == ord(".")
        if (dot[:-4] & dot[4:]).any():
            return False
    return True


def decimal_mark(cells, hint: str = POINT, rule: Convention | None = None,
                 where=None, counted: bool = False) -> DecimalMark:
    """The decimal mark of a column (an Arrow string array, or a list of
    str) by ``convention`` over its cells, ``hint`` the file kind's
    default; ``rule``: the convention decided over a larger column this is
    part of (a dataset's partitions), applied here.  ``where(i)``: how a
    ``MarkCount`` names cell i (default: its index).  ``counted``: the
    count made even where the bytes alone say the column reads with a point
    (which leaves it empty)."""
    import numpy as np

    n = len(cells)
    if isinstance(cells, list):
        reads = {m: np.array([bool(_NUMBER_RE[m].fullmatch(c.strip())) for c in cells], bool)
                 for m in (POINT, COMMA)}
        marked = np.array([("," in c or "." in c) for c in cells], bool)
        says = {m: np.array([says_mark(c, m) for c in cells], bool) for m in (POINT, COMMA)}
    elif (not counted and hint == POINT and (rule is None or (rule.mark == POINT and not rule.refused))
          and _point_alone(cells)):
        # no cell only a comma reads, and the few "1.500" follow the point
        return DecimalMark(POINT, None, np.zeros(n, dtype=bool),
                           rule=rule or Convention(POINT))
    else:
        import pyarrow.compute as pc

        reads = {m: pc.match_substring_regex(cells, f"^{rx}$").to_numpy(zero_copy_only=False)
                 for m, rx in _NUMBER_IN.items()}
        marked = pc.match_substring_regex(cells, "[.,]").to_numpy(zero_copy_only=False)
        says = {m: pc.match_substring_regex(cells, f"^{rx}$").to_numpy(zero_copy_only=False)
                for m, rx in _DECIDES_IN.items()}
    point = reads[POINT] & ~reads[COMMA]
    comma = reads[COMMA] & ~reads[POINT]
    ambiguous = reads[POINT] & reads[COMMA] & marked
    where = where or str

    def first(mask) -> tuple[int | None, str]:
        if not mask.any():
            return None, ""
        i = int(np.argmax(mask))
        return i, where(i)
    count = MarkCount(int(point.sum()), int(comma.sum()), int(ambiguous.sum()),
                      first(point)[1], first(comma)[1], int(says[POINT].sum()),
                      int(says[COMMA].sum()), first(says[POINT])[1], first(says[COMMA])[1])
    rule = rule or convention(count, hint)
    example = first(point if rule.mark == POINT else comma)[0]
    contrary = comma if rule.mark == POINT else point
    if rule.refused:
        contrary = contrary | ambiguous
    followed = ambiguous if rule.said_at and not rule.refused else np.zeros(n, dtype=bool)
    return DecimalMark(rule.mark, example, contrary, count, rule, followed)


def plain_numbers(texts, mark: str):
    """Column-wise ``read_number``: the cells of an Arrow string array that
    are numbers written with ``mark`` as plain decimals ("1500000.25"), the
    other cells as they are."""
    import pyarrow.compute as pc

    if mark == POINT and _point_alone(texts):
        return texts
    bare = pc.replace_substring_regex(texts, f"{_GAP}|{re.escape(_other(mark))}", "")
    if mark == COMMA:
        bare = pc.replace_substring(bare, ",", ".")
    return pc.if_else(pc.match_substring_regex(texts, f"^{_NUMBER_IN[mark]}$"), bare, texts)


def contrary_number(text: str, marks: DecimalMark, shown: str) -> str:
    """Why a cell of a column (``decimal_mark``) is refused: what it reads
    as each way, and ``shown``, where a cell of the column shows its
    convention ("row 2: '1,5'")."""
    mark = marks.mark
    other = _other(mark)
    value, as_other = read_number(text, mark), read_number(text, other)
    said = f"{plain_decimal(as_other) if as_other is not None else '?'} with a {_MARK_NAME[other]}"
    if value is None:
        return (f"{text.strip()!r} is {said}, not a number with a {_MARK_NAME[mark]}, which "
                f"the column's other amounts are written with ({shown}); write every "
                f"amount of the column one way")
    if marks.rule.refused == AGAINST_DEFAULT:
        # the two readings as the column would write them unambiguously
        ways = " or ".join(repr(plain_decimal(v).replace(".", mark))
                           for v in sorted({value, as_other or value}, reverse=True))
        return (f"{text.strip()!r} is {said} or {plain_decimal(value)} with a "
                f"{_MARK_NAME[mark]}: the column's amounts that read one way only have a "
                f"{_MARK_NAME[mark]} ({shown}), but a file of this kind defaults to a "
                f"{_MARK_NAME[marks.rule.default]}, so nothing says which it means; "
                f"write {ways}")
    return (f"{text.strip()!r} is {said} or {plain_decimal(value)} with a {_MARK_NAME[mark]}, "
            f"and the column's amounts are written both ways (a {_MARK_NAME[mark]} at {shown}, "
            f"a {_MARK_NAME[other]} elsewhere); write every amount of the column one way")


# the numbers of an amount phrase ("£1,5m", "1.500 EUR"): digits joined by
# marks or spaces, not the sentence's commas ("£5m, over 3 years")
_NUMBER_TOKEN = lazy_re(rf"(?<![0-9A-Za-z])[0-9]+(?:(?:[.,]|{_GAP})[0-9]+)*")


def phrase_numbers(text: str) -> list[str]:
    """The numbers written in an amount cell ("1.500 EUR": ["1.500"]), each
    a cell of its column for ``decimal_mark``."""
    return _NUMBER_TOKEN.findall(text)


def with_point(text: str, mark: str) -> str:
    """An amount phrase with its numbers written with ``mark`` rewritten as
    plain decimals ("1.500 EUR" with a comma: "1500 EUR"), which
    ``parse_amount`` reads as the column means them."""
    def plain(m: re.Match) -> str:
        value = read_number(m.group(0), mark)
        return m.group(0) if value is None else format(value, "f")
    return _NUMBER_TOKEN.sub(plain, text) if mark == COMMA else text


def parse_number(text: str) -> Decimal:
    """"12,000,000" → 12000000; "1 234 567,89" → 1234567.89; "1,5" → 1.5.
    A number alone is a column of one (``decimal_mark``): read the one way
    it can be read, and an ambiguous one ("1,500", "1.500") with a decimal
    point."""
    s = text.strip()
    value = read_number(s, POINT)
    if value is None:
        value = read_number(s, COMMA)
    if value is None:
        raise NotANumber(f"not a number: {text!r}")
    return value




_MAX_DIGITS = 28   # decimal's default precision: more would be rounded silently


def _scaled(num: str, scale: str | None) -> Decimal:
    value = parse_number(num)
    significant = "".join(map(str, value.as_tuple().digits)).strip("0")
    if len(significant) > _MAX_DIGITS or value.adjusted() + (
            _SCALES[scale.lower()] if scale else 0) >= _MAX_DIGITS:
        shown = num if len(num) <= 40 else f"{num[:20]}… ({len(num)} characters)"
        raise MoneyError(f"{shown}{' ' + scale if scale else ''} has too many digits to be held "
                         f"exactly (at most {_MAX_DIGITS} significant digits)")
    if scale:
        value = value.scaleb(_SCALES[scale.lower()])
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


# ---------------------------------------------------------------- grammar
@dataclass(frozen=True, slots=True)
class AmountMatch:
    """One bare amount in a text: number, scale and currency, nothing else."""
    start: int
    end: int
    amount: Decimal
    currency: str
    text: str
    scale: int = 0        # the power of ten its scale word gave ("m": 6)
    prefixed: bool = False   # the currency came first ("£5", "EUR 5")
    inexact: bool = False    # a third of the scale, rounded to the minor unit: "about"
    respective: bool = False  # "six" of "six and seven million pounds respectively"
    own: bool = False        # listed and keeping its value: "£600,000" (``_keeps_own``)
    unsure: str = ""         # digits said with the figure and not read in it: why, for a warning


_QUALIFIER_WORDS = {
    "up to": ["up to", "as much as", "a maximum of", "maximum of", "no more than",
              "not more than", "at most", "less than", "under", "jusqu'à", "jusqu’à",
              "jusqu'à hauteur de", "jusqu’à hauteur de", "moins de", "au plus",
              "au maximum", "un maximum de"],
    "at least": ["at least", "more than", "over", "in excess of", "upwards of",
                 "a minimum of", "no less than", "not less than", "plus de", "plus d'",
                 "plus d’", "au moins", "pas moins de", "au minimum", "un minimum de"],
    "about": ["about", "around", "approximately", "approx.", "approx", "roughly", "some",
              "nearly", "almost", "close to", "an estimated", "estimated", "circa", "c.",
              "~", "in the region of", "environ", "près de", "près d'", "près d’",
              "quelque", "approximativement", "autour de", "de l'ordre de", "de l’ordre de",
              "presque"],
}
_QUAL_LOOKUP = {_norm_name(w): q for q, ws in _QUALIFIER_WORDS.items() for w in ws}
_QUAL = "|".join(re.escape(w).replace(r"\ ", _WS + "+")
                 for w in sorted(_QUAL_LOOKUP, key=len, reverse=True))
_QUAL_BEFORE_RE = lazy_re(rf"(?<![\w])(?P<q>{_QUAL}){_WS}*$", re.IGNORECASE)
_QUAL_START_RE = lazy_re(rf"(?P<q>{_QUAL})(?:{_WS}+|(?<=~))", re.IGNORECASE)
_NOISE_RE = lazy_re(rf"(?:a{_WS}+further|an{_WS}+additional|additional|another|further"
                       rf"|a{_WS}+total{_WS}+of|totall?ing|of){_WS}+", re.IGNORECASE)
_SEP = rf"{_WS}*(?:[,;/=]|\bor\b|\band\b|\bsoit\b){_WS}*"
_HEDGE_RE = lazy_re(rf"(?:soit|c['’]est-à-dire|i\.e\.,?|that is,?|equivalent to|équivalent à"
                       rf"|or|ou){_WS}+", re.IGNORECASE)
# Ranges: "£5m–£7m", "£5-7m", "between £5m and £7m", "10 à 15 millions d'euros"
_RANGE_TO = lazy_re(rf"{_WS}*(?:[-–—]|to|à){_WS}*|{_WS}+(?:and|et){_WS}+", re.IGNORECASE)
_RANGE_OPEN_RE = lazy_re(rf"(?<![\w])(?P<q>between|entre|from|de){_WS}+$", re.IGNORECASE)
# a range's lower bound may name its fraction alone: "between a half and
# three quarters of a million pounds"
_BARE_FRACTION = rf"(?:(?:a|one)(?:{_WS}+|-))?(?:half|quarter|third)|three(?:{_WS}+|-)quarters"
_RANGE_BARE_RE = lazy_re(
    rf"(?:(?<![\w])(?P<q>between|entre|from|de){_WS}+)?"
    rf"(?:(?<![\w.,$£€¥])(?P<dg>{_DIGIT_GROUPS})?(?P<n>{_NUM})(?:{_WS}?(?P<s>{_SCALE})(?![^\W\d_]))?"
    # in words: "between one and two million pounds", "two to three million";
    # groups before: "between one million two hundred thousand and two million"
    rf"|(?<![\w$£€¥-])(?P<wg>(?:{_WORDNUM}{_GROUP_END}){{1,3}})?(?P<w>{_FRACTION}|{_BARE_FRACTION}|(?:an?{_WS}+(?=hundred|thousand))?{_WORDS}(?:{_HALF})?)"
    rf"(?:{_WS}+(?P<ws>{_SCALE_RUN}))?)(?P<to>{_WS}*(?:[-–—]|to|à){_WS}*|{_WS}+(?:or|ou){_WS}+"
    rf"|{_WS}+(?:and|et){_WS}+)$", re.IGNORECASE)
# an upper bound that counts hundreds of its scale: its lower bound without
# scale words of its own shares them (not the tens after them: "between two
# and three hundred and fifty thousand" is 200,000 to 350,000), as a reader hears it
_HUNDREDS_OF_SCALE = lazy_re(
    rf"(?:{_WORD})(?:{_WS}+|-)(?:hundred|cents?)(?:{_JOIN}(?:{_WORD})){{0,{_MAX_JOINS}}}"
    rf"{_WS}+(?:{_SCALE_RUN})(?![^\W\d_])", re.IGNORECASE)
_BARE_HIGH_RE = lazy_re(rf"(?P<n>{_NUM})(?!\d)(?:{_WS}?(?P<s>{_SCALE}))?(?![^\W\d_])")
RANGE = "range"


def _alt(items, *, ci=False) -> str:
    parts = sorted(set(items), key=len, reverse=True)
    body = "|".join(re.escape(p).replace(r"\ ", _WS + "+") for p in parts)
    return f"(?i:{body})" if ci else f"(?:{body})"


# French "mille" is a thousand with no number before it ("mille euros",
# "mille milliards d'euros", "un million mille euros"); English "thousand"
# takes one ("a thousand")
_BARE_MILLE = r"(?=(?i:mille)(?![^\W\d_]))"
# ... but not after a number word or a word that counts the thousands: "des
# centaines de mille euros", "quelques mille euros", "mille et mille euros"
# (no amount said; "vingt-et-un mille" reads whole, never as a bare thousand)
_NO_BARE_MILLE = lazy_re(
    rf"(?<![^\W\d_])(?:(?:centaines?|dizaines?|milliers?|millions?|milliards?){_WS}+d(?:e{_WS}+|['’])"
    rf"|(?:{_WORD}|{_WORD_SCALE}|mille{_WS}+(?:et|ou)|quelques|plusieurs|des|les|ces|nombreux|maints)"
    rf"(?:{_WS}+|-))$", re.IGNORECASE)
# the groups, then the last number before the scale word or a bare "mille"
# (one pass: trying the groups twice would double the cost of number words)
_WORD_AMOUNT = rf"(?:{_WORDNUM}{_GROUP_END}){{0,3}}(?:{_WORDNUM}{_WS}+|{_BARE_MILLE})"


@functools.lru_cache(maxsize=1)
def _atom_re() -> re.Pattern:
    t = _table()
    codes = rf"(?<![A-Za-z])(?:{'|'.join(sorted(t.codes))})(?![A-Za-z])"
    syms = _alt(t.symbols)
    names = _alt([*t.names, *_CFA_NAMES], ci=True)
    letter_after = r"(?![^\W\d_])"
    prefix = (rf"(?<![\w$£€¥])(?P<pc>{syms}|{codes}){_WS}?(?P<pn>{_NUM})(?!\d)(?P<pv>{_VULGAR_RE})?"
              rf"(?:{_WS}?(?P<ps>{_SCALE}){letter_after})?")
    # digits with an optional scale, or written-out numbers with a scale word
    # ("twelve million"), then the currency: one copy of the currency table,
    # which is what compiling this pattern costs
    suffix = (rf"(?:(?<![\w.,$£€¥])(?P<dn>{_DIGIT_GROUPS})?(?P<sn>{_NUM})(?!\d)(?P<sv>{_VULGAR_RE})?"
              rf"(?:{_WS}?(?P<ss>{_SCALE}){letter_after})?"
              rf"|(?<![\w$£€¥-])(?P<wn>(?i:{_WORD_AMOUNT}))"
              rf"(?P<ws>(?i:{_SCALE_RUN})){letter_after})"
              rf"{_WS}?(?:(?:of|de){_WS}+|d['’])?(?P<sc>{syms}|{codes}|{names}){letter_after}"
              rf"(?!{_WS}?\d)")
    return re.compile(f"{prefix}|{suffix}")


# a currency word repeating a symbol's currency: "€5 million euros"
_REDUNDANT_WORD = lazy_re(rf"{_WS}(?P<w>[^\W\d_]+(?:{_WS}sterling)?)(?![^\W\d_])")


_SPACES = lazy_re(f"{_WS}*")


def _spaces_end(text: str, pos: int) -> int:
    """Where the spaces at ``pos`` end (``pos`` when there are none)."""
    m = _SPACES.match(text, pos)
    return m.end() if m else pos


def _digit_groups(groups_text: str, last_num: str, last_scale: str | None) -> int | None:
    """The value of "1 million 200 thousand" (``groups_text`` "1 million ",
    then "200" and "thousand") as said: scales descending, each group below
    the one before; None when the digits are no one number ("5 million 2
    million pounds": £2m only), and when the last group has no scale word
    ("Liberia 5 million 700 dollars per capita": a count, then $700) or an
    abbreviation ("1 million 200k pounds")."""
    if not re.fullmatch(r"[1-9]\d{0,2}", last_num) or last_scale is None \
            or last_scale.lower() not in _WORD_SCALES:
        return None
    groups = [(int(g.group(1)), _scale_exp(g.group(2)))
              for g in _DIGIT_GROUP_RE.finditer(groups_text)]
    groups.append((int(last_num), _SCALES[last_scale.lower()]))
    total, above = 0, None
    for v, exp in groups:
        if above is not None and (exp >= above or v * 10 ** exp >= 10 ** above):
            return None
        total, above = total + v * 10 ** exp, exp
    return total


# scale words only: "£2 billion 300 m tunnel", "£1m 200k" join nothing
_GROUP_AFTER = lazy_re(rf"{_WS}+([1-9]\d{{0,2}}){_WS}+({_WORD_SCALE})(?![^\W\d_])",
                          re.IGNORECASE)
# what may follow the groups of an amount: no word, or a word that is no
# count noun ("£1 million 200 thousand people" counts people: £1m; "…
# thousand euros" is an amount of its own): a function word, a period
# word ("annually"), a verb a source uses of money ("pledged"), or a noun
# no one counts ("funding"); the amount's own currency word is taken by
# the caller
_AFTER_GROUPS = lazy_re(
    rf"{_WS}*(?:$|[^\w{_WS[1:-1]}]|(?:to|for|in|into|on|of|from|by|at|over|per|each|every|a|an|"
    r"the|and|or|but|plus|was|were|is|are|has|had|have|will|would|with|as|across|between|"
    r"during|since|until|towards?|under|through|via|which|that|including|this|last|next|"
    r"annually|yearly|monthly|quarterly|"
    r"pledged|allocated|provided|committed|disbursed|granted|announced|awarded|"
    r"approved|contributed|donated|spent|earmarked|transferred|budgeted|"
    r"raised|invested|funding|financing|"
    r"en|pour|à|au|aux|de|du|des|et|ou|par|sur|dans|avec|est|était|sera|ont|"
    r"qui|dont|chaque|annuellement|versés?|alloués?|accordés?|engagés?|promis|annoncés?|"
    r"décaissés?|octroyés?)(?![^\W\d_]))", re.IGNORECASE)


def _groups_after(text: str, end: int, top: int, exp: int, code: str) -> tuple[int, int, str]:
    """The groups of digits and a smaller scale word right after ``end``
    that continue a number of ``top`` times 10**``exp`` as said ("£1
    million 200 thousand"), when what follows them is no noun nor another
    currency: (what they add, where they end, and, when groups were left
    out before a word that may be a noun they count, a note saying so:
    "£1 million 200 thousand went to …")."""
    more, above, at = 0, exp, end
    while (g := _GROUP_AFTER.match(text, at)) is not None:
        v, e = int(g.group(1)), _SCALES[g.group(2).lower()]
        if e >= above or v * 10 ** e >= 10 ** above:
            break
        more, above, at = more + v * 10 ** e, e, g.end()
    if more:
        said = _currency_after(text, at)
        if said == code or _AFTER_GROUPS.match(text, at):
            return more, at, ""
        if said is not None:      # "£1 million 200 thousand euros": an amount of its own
            return 0, end, ""
        nxt = _NEXT_WORD.match(text, at)
        groups = " ".join(text[end:at].split())
        return 0, end, _not_read(f"{groups!r} after it"
                                 + (f", before {nxt.group(1)!r}," if nxt else ""))
    return more, at, ""


_NEXT_WORD = lazy_re(rf"{_WS}*(\S+)")


def _not_read(said: str, count_of: str = "what follows") -> str:
    """The doubt said of digit groups or words left beside a figure."""
    return (f"{said} is not read as part of it (a count of {count_of}, or of the money: "
            "check the document)")


def _atom_from(m: re.Match) -> AmountMatch:
    end = m.end()
    if m.group("dn") is not None:
        whole = None if m.group("sv") else _digit_groups(m.group("dn"), m.group("sn"), m.group("ss"))
        code = _code(m.group("sc"))
        if whole is not None and code is not None:
            start = m.start("dn")
            exp = _SCALES[m.group("ss").lower()] if m.group("ss") else 0
            return AmountMatch(start, end, Decimal(whole), code, m.string[start:end], exp)
    if m.group("ws") is not None:
        code = _code(m.group("sc"))
        if code is None:  # pragma: no cover - the regex only admits known tokens
            raise MoneyError(f"unknown currency {m.group('sc')!r}")
        exp = _scale_exp(m.group("ws"))
        start, words = _compound_start(m)
        if not words.strip() and _NO_BARE_MILLE.search(m.string, max(0, start - 40), start):
            raise NotANumber("a count of thousands, not a thousand")
        cut = _HUNDRED_AND.search(words)
        if cut and _said_before(_BETWEEN_BEFORE, m.string, start) and not _GROUP_SPLIT.search(words) \
                and not _AND_AFTER.match(m.string, end):
            # "between nine hundred and one thousand pounds": the "and" is the
            # range's (no other follows), never 901,000
            start, words = start + cut.end(), words[cut.end():]
        value, exact = _scaled_fraction(_compound_words(words, exp), 0, code)
        return AmountMatch(start, end, value, code, m.string[start:end], exp, inexact=not exact,
                           unsure=_unsure_before(m.string, start, words=False))
    if m.group("pc") is not None:
        cur, num, scale, vulgar = m.group("pc"), m.group("pn"), m.group("ps"), m.group("pv")
        prefixed = True
    else:
        cur, num, scale, vulgar = m.group("sc"), m.group("sn"), m.group("ss"), m.group("sv")
        prefixed = False
    code = _code(cur)
    if code is None:  # pragma: no cover - the regex only admits known tokens
        raise MoneyError(f"unknown currency {cur!r}")
    if prefixed:
        w = _REDUNDANT_WORD.match(m.string, end)
        if w and currency_code(w.group("w")) == code:
            end = w.end()
        elif w and " " in w.group("w").strip():   # "£5m pounds sterling"
            first = _REDUNDANT_WORD.match(m.string, end, w.start("w") + len(w.group("w").split()[0]))
            if first and currency_code(first.group("w")) == code:
                end = first.end()
    exp = _SCALES[scale.lower()] if scale else 0
    value, exact, unsure = _scaled(num, scale), True, ""
    if not prefixed:    # "4.5 million 700 dollars", "5 million 2 million pounds"
        unsure = _unsure_before(m.string, m.start("sn"), words=True)
    if prefixed and scale and scale.lower() in _WORD_SCALES and not vulgar \
            and re.fullmatch(r"[1-9]\d{0,2}", num):
        # "£1 million 200 thousand": smaller groups said after the scale
        more, end, unsure = _groups_after(m.string, end, int(num), exp, code)
        value += more
        if more:
            w = _REDUNDANT_WORD.match(m.string, end)
            if w and currency_code(w.group("w")) == code:
                end = w.end()
    elif prefixed and scale and not vulgar and (g := _GROUP_AFTER.match(m.string, end)) \
            and _SCALES[g.group(2).lower()] < exp and _currency_after(m.string, g.end()) is None:
        # "£3.5 million 200 thousand": no groups after a decimal, and no
        # silence ("… 200 thousand pounds" or "… euros" is an amount of its own)
        unsure = _not_read(f"{' '.join(g.group(0).split())!r} after it")
    if vulgar:     # "£2½ million": whole digits and the fraction, then the scale
        if not num.isdigit():
            raise NotANumber(f"not a number: {num + vulgar!r}")
        value, exact = _scaled_fraction(int(num) + _VULGAR[vulgar], exp, code)
    begin = m.start("sn") if m.group("dn") is not None else m.start()
    return AmountMatch(begin, end, value, code, m.string[begin:end],
                       exp, prefixed, inexact=not exact, unsure=unsure)


def _currency_after(text: str, pos: int) -> str | None:
    """The currency whose word follows at ``pos`` ("… 200 thousand euros"),
    if any."""
    w = _REDUNDANT_WORD.match(text, pos)
    return currency_code(w.group("w")) if w else None


# a number with a scale word right before an amount's number, not read in it
_GROUP_BEFORE = lazy_re(rf"(?<![\w.,$£€¥])(?:{_NUM}){_WS}+(?:{_SCALE_RUN}),?(?:{_WS}+and)?{_WS}+$",
                           re.IGNORECASE)
_WORDS_BEFORE = lazy_re(rf"(?<![\w-])(?:{_WORDS}){_WS}+(?:{_SCALE_RUN})(?:{_WS}+and)?{_WS}+$",
                           re.IGNORECASE)


def _unsure_before(text: str, start: int, words: bool) -> str:
    """Why an amount starting at ``start`` is not sure: a number with a
    scale word right before it that is not part of it ("5 million 2
    million pounds", "two million 500 thousand pounds"; ``words``: number
    words count too, which a figure in words has already taken as its own
    when they join it), unless a currency sign opens that number ("GBP 1
    million 200 thousand euros": an amount of its own)."""
    before = _said_before(_GROUP_BEFORE, text, start) or (
        words and _said_before(_WORDS_BEFORE, text, start)) or None
    if before is None:
        return ""
    sign = _TOKEN_BEFORE.search(text, max(0, before.start() - 20), before.start())
    if sign and currency_code(sign.group("t")):
        return ""
    said = re.sub(r",?(?: and)?$", "", " ".join(before.group(0).split()))   # "5 million, and"
    return _not_read(f"{said!r} right before it", "something else")


def _compound_groups(words: str, exp: int) -> list[tuple[str, int, str]]:
    """"one million, two hundred" before "thousand" → [("one", 6, ""), ("two
    hundred", 3, ",")]: each group's words, its scale word's power of ten
    and how it is joined to the group before (``_join``)."""
    parts = _GROUP_SPLIT.split(words)    # words, scale, ",", "and", words, …
    return [(parts[i], _scale_exp(parts[i + 1]) if i + 1 < len(parts) else exp,
             _join(parts[i - 2], parts[i - 1]) if i else "")
            for i in range(0, len(parts), 4)]


def _compound_value(groups: list[tuple[str, int, str]]) -> Fraction:
    """Groups (words, scale, join) read as one number: a smaller scale adds
    ("one million two hundred thousand", "two million and fifty thousand",
    "one million, two hundred thousand"), a scale above all before
    multiplies them ("one hundred thousand two million" as said); NotANumber
    otherwise ("five million and two million": two amounts), for a larger
    scale after "and" or a comma ("five thousand and two million pounds" is
    £5,000 and £2m, never £5,002m), and for a group after a comma that does
    not fit below the scale before it ("one million, two thousand thousand")."""
    total, top, last = Fraction(0), -1, None
    for words, exp, join in groups:
        v = _number_words(words) if words.strip() else 1     # "un million mille"
        if last is None or exp < last:
            if "," in join and last is not None and v * 10 ** exp >= 10 ** last:
                raise NotANumber(f"not one number: {words!r}")
            total += v * 10 ** exp
        elif exp > top and not join:
            total = (total + v) * 10 ** exp
        else:
            raise NotANumber(f"not one number: {words!r}")
        top, last = max(top, exp), exp
    return total


_BETWEEN_BEFORE = lazy_re(rf"(?<![\w])(?:between|entre){_WS}+$", re.IGNORECASE)
_HUNDRED_AND = lazy_re(rf"hundred{_WS}+and{_WS}+", re.IGNORECASE)
_AND_AFTER = lazy_re(rf"{_WS}+and{_WS}+", re.IGNORECASE)
_COMMA_BEFORE = lazy_re(rf",{_WS}*$")
# how far back a word "said right before" a number is looked for: a search
# from the start of the text cost each number the whole line before it
_BEFORE_SPAN = 200


_WS_CHARS = frozenset(" \t\u00a0\u2009\u202f")     # _WS's


def _said_before(pattern: re.Pattern, text: str, end: int) -> re.Match | None:
    """``pattern`` (anchored at ``$``) ending at ``end``, looked for in the
    ``_BEFORE_SPAN`` characters before the spaces right before it (any run
    of them: "between" then 250 spaces is still said before)."""
    words_end = end
    while words_end and text[words_end - 1] in _WS_CHARS:
        words_end -= 1
    return pattern.search(text, max(0, words_end - _BEFORE_SPAN), end)


def _compound_start(m: re.Match) -> tuple[int, str]:
    """Where a number with several scale words starts, and its words: the
    longest run of its last groups that reads as one number ("five million
    and one million, two hundred thousand pounds" is £1.2m here).  After
    "between" a larger scale ends a range's lower bound, never multiplies it
    ("between five hundred thousand and one million pounds")."""
    words, start = m.group("wn"), m.start("wn")
    groups = _compound_groups(words, _scale_exp(m.group("ws")))
    if len(groups) == 1:
        return start, words
    between = _said_before(_BETWEEN_BEFORE, m.string, start) is not None
    cuts = [0, *(g.end() for g in _GROUP_SPLIT.finditer(words))]
    for i in range(len(groups) - 1):
        run = [(groups[i][0], groups[i][1], ""), *groups[i + 1:]]
        try:
            _compound_value(run)
        except NotANumber:
            continue
        if between and any(b[1] > a[1] for a, b in zip(run, run[1:])):
            continue
        listed = "," in groups[i][2] if i else _said_before(_COMMA_BEFORE, m.string, start)
        if listed and any(g[2] == ", and" for g in run[1:]):
            # "three million, two million, and five hundred thousand pounds":
            # an Oxford comma ends a list, it joins no number (£500,000)
            continue
        return start + cuts[i], words[cuts[i]:]
    return start + cuts[-1], words[cuts[-1]:]


def _compound_words(words: str, exp: int) -> Fraction:
    return _compound_value(_compound_groups(words, exp))


def iter_atoms(text: str, pos: int = 0, too_large: list | None = None) -> Iterator[AmountMatch]:
    """Every bare amount (number + scale + currency) in ``text`` from
    ``pos``, left to right; digits that are no number ("000 000 €": a group
    never starts with 0) are not an amount.  A figure too large to hold
    raises ``FigureTooLarge``, or with ``too_large`` (a list) is added to it
    and left out, and the rest read."""
    # "£6 and £7 million respectively": amounts of the last's currency with
    # no scale of their own, listed right before it, wait to take its scale
    held: list[AmountMatch] = []
    for atom in _bare_atoms(text, pos, too_large):
        join = _listed(text, held, atom)
        if held and join is None:
            yield from held
            held = []
        if atom.prefixed and not atom.scale and not atom.respective \
                and len(held) < _MAX_RESPECTIVE:
            if join == "and":
                yield from held     # "£6 and £7, …": the list ended at "and"
                held = []
            held.append(atom)
            continue
        if join == "and" and atom.scale and respective_end(text, atom.end) is not None:
            # "£600,000 and £7 million respectively": an amount written in
            # full keeps its own value, only "£6" takes the scale
            held = [replace(a, respective=True, own=True) if _keeps_own(a.amount, atom) else
                    replace(a, amount=_tidy_amount(a.amount.scaleb(atom.scale)),
                            scale=atom.scale, respective=True) for a in held]
        yield from held
        held = []
        yield atom
    yield from held


def _in_full(value: Decimal) -> bool:
    """Whether a number listed before a scaled amount is written in full
    (1,000 or more as ``parse_number`` read it): it keeps its own value and
    never takes the list's scale ("600,000 and 7 million pounds
    respectively" is £600,000 and £7m).  The value decides, not the marks:
    "1.250" read as 1.25 is a number of millions like "1.5" (never €1.25)."""
    return value >= 1000


def _keeps_own(value: Decimal, last: AmountMatch) -> bool:
    """Whether a number listed before ``last`` keeps its own value: written
    in full while ``last``'s own number is not ("1,500 and 2,000 thousand
    pounds respectively" lists numbers of thousands)."""
    return _in_full(value) and not _in_full(last.amount.scaleb(-last.scale))


def _listed(text: str, held: list[AmountMatch], atom: AmountMatch) -> str | None:
    """How ``atom`` follows the amounts ``held`` in a list of one currency's
    signs: "," or "and"; None when it does not."""
    if not held or not atom.prefixed or atom.currency != held[-1].currency:
        return None
    m = _LISTED.fullmatch(text, held[-1].end, atom.start)
    return None if m is None else "and" if m.group("and") else ","


_LISTED = lazy_re(rf"{_WS}*,{_WS}+|,?{_WS}+(?P<and>and|et){_WS}+", re.IGNORECASE)


def _bare_atoms(text: str, pos: int, too_large: list | None) -> Iterator[AmountMatch]:
    for m in _atom_re().finditer(text, pos):
        try:
            atom = _atom_from(m)
            if m.group("wn") is not None and atom.start > m.start("wn"):
                before = list(_own_scale_atoms(m, atom))
            elif respective_end(text, atom.end) is not None:
                before = list(_respective_atoms(m, atom))
            else:
                before = []
        except NotANumber:
            continue
        except MoneyError as err:     # too many digits to hold: say where
            big = err if isinstance(err, FigureTooLarge) else FigureTooLarge(str(err), m.start())
            if too_large is None:
                raise big from None
            too_large.append(big)
            continue
        yield from before
        yield atom


# "six and seven million pounds respectively": each number before the
# amount takes its scale and currency (never their sum, never one range)
_RESPECTIVELY = lazy_re(rf",?{_WS}+(?:respectively|respectivement)(?![^\W\d_])", re.IGNORECASE)
_MAX_RESPECTIVE = 6     # numbers before the amount: a bound keeps the look back linear


def respective_end(text: str, pos: int) -> int | None:
    """Where "respectively" said right at ``pos``, or after a period said
    there ("£6 and £7 million a year respectively": each a year), ends, or
    None."""
    m = _RESPECTIVELY.match(text, pos)
    if m is None and (gap := _spaces_end(text, pos)) > pos:
        p = match_period(text, gap)
        m = _RESPECTIVELY.match(text, p[1]) if p else None
    return m.end() if m else None


@functools.lru_cache(maxsize=2)
def _respective_re(words: bool) -> tuple[re.Pattern, re.Pattern]:
    """The list before the amount, and a number and comma before that list
    (a list longer than the bound: read none of it)."""
    item = rf"(?:{_WORDS})" if words else rf"(?<![.,])(?:{_NUM})(?!\d)"
    return (re.compile(
        rf"(?<![\w.,:/$£€¥–—-])(?P<items>(?:{item}{_WS}*,{_WS}+){{0,{_MAX_RESPECTIVE - 1}}}{item})"
        rf",?{_WS}+(?:and|et){_WS}+$", re.IGNORECASE),
        re.compile(rf"(?<![\w.,:/$£€¥–—-]){item}{_WS}*,{_WS}+$", re.IGNORECASE))


_ITEM_SPLIT = lazy_re(rf"{_WS}*,{_WS}+")     # not "1,500"


# a label numbers what follows it ("Page 7 and 8 million pounds
# respectively", "paragraph 12, 6 and 7 million …", "Article 12, …"): its
# number is no item of a list, and the list is not read (its last figure
# only); a determiner before a list of several numbers and commas is taken
# as one too ("The 27, 6 and 7 million …").  A label numbers only the word
# right after it, so singular and with no punctuation between: "Last year,
# 6 and 7 …" and "In both years 6 and 7 …" are lists
_LABELS = frozenset("""
    page paragraph section § article chapter table figure annex annexe appendix note
    item line clause schedule part phase project no number n° nº rule step round grade
    year level volume issue row column box question point option lot tranche
    chapitre paragraphe alinéa tableau ligne colonne projet étape numéro année
""".split())
# abbreviated labels, said with their full stop: "p. 7 and 8 …"
_ABBREVIATED_LABELS = frozenset("p pp para art fig vol no nos".split())
_DETERMINERS = frozenset("""
    the a an this that these those its their his her our
    le la les un une ce cet cette ces du des
""".split())
_TOKEN_BEFORE = lazy_re(rf"(?P<t>\S+){_WS}*$")
# a year or fiscal year ends a clause before a list: "In 2019/20, 6 and 7 …"
_YEAR_TOKEN = lazy_re(r"(?:19|20)\d\d(?:[/–—-](?:(?:19|20)\d\d|\d\d))?,")


def _list_opens(text: str, window: int, start: int, commas: bool) -> bool:
    """Whether a respective list may start at ``start``: not after a number
    that ends a clause ("At 10:30, 6 and 7 …", "Of the twenty, six and
    seven …") unless it is a year, nor after a label ("Page 7 and 8 …"),
    nor, with several items before "and", after a determiner ("The 27, 6
    and 7 …")."""
    tok = _TOKEN_BEFORE.search(text, window, start)
    if tok is None:
        return True
    t = tok.group("t")
    if _YEAR_TOKEN.fullmatch(t):
        return True
    word = t.strip(",;:.()").lower()
    if re.search(r"\d", t) or word in _WORD_VALUES:
        return False
    if t.lower() in _LABELS or (t.endswith(".") and t[:-1].lower() in _ABBREVIATED_LABELS) \
            or t.lower() in _ABBREVIATED_LABELS:
        return False
    return not (commas and word in _DETERMINERS)


def _respective_atoms(m: re.Match, last: AmountMatch) -> Iterator[AmountMatch]:
    """The numbers listed before ``last`` when "respectively" follows it, as
    amounts of its scale and currency; none when the amount's own number has
    several scale words or a fraction, or a range opens the list."""
    words = m.group("wn") is not None
    if last.prefixed or (words and (
            _GROUP_SPLIT.search(m.group("wn"))
            or not re.fullmatch(_WORDS, m.group("wn").strip(), re.IGNORECASE))) \
            or (not words and (m.group("dn") or m.group("sv"))):
        return
    window = max(0, last.start - 400)
    listed, more = _respective_re(words)
    lst = listed.search(m.string, window, last.start)
    if lst is None or _BETWEEN_BEFORE.search(m.string, window, lst.start()) \
            or more.search(m.string, window, lst.start()):
        return
    items: list[tuple[int, str]] = []
    at = lst.start("items")
    for item in _ITEM_SPLIT.split(lst.group("items")):
        start = m.string.index(item, at)
        at = start + len(item)
        if not words and re.fullmatch(r"(?:19|20)\d\d", item):
            items = []     # a year before the list: "In 2020, 6 and 7 million pounds respectively"
        else:
            items.append((start, item))
    if not items or not _list_opens(m.string, window, items[0][0], len(items) > 1):
        return
    found: list[AmountMatch] = []
    for start, item in items:
        at = start + len(item)
        try:
            if words:
                number = _number_words(item)
                if _shares_hundreds(item, number, last):
                    number *= 100
                value, exact = _scaled_fraction(number, last.scale, last.currency)
            else:
                value, exact = parse_number(item), True
                if not _keeps_own(value, last):
                    value = value.scaleb(last.scale)
        except NotANumber:
            return
        if not _holdable(value) or value <= 0:
            return
        found.append(AmountMatch(start, at, _tidy_amount(value), last.currency, item, last.scale,
                                 inexact=not exact, respective=True))
    yield from found


def _own_scale_atoms(m: re.Match, last: AmountMatch) -> Iterator[AmountMatch]:
    """The amounts before ``last`` that end in a scale word of their own
    and share its currency: "five million and two million pounds" is £5m
    and £2m, each the longest run of groups that reads as one number
    (after "between" the first is a range's lower bound instead).  A run a
    comma parts from what follows is no amount ("two million, three million
    pounds" reads £3m only, as a list of numbers does: the comma joins
    only a smaller scale)."""
    if _said_before(_BETWEEN_BEFORE, m.string, m.start("wn")):
        return
    base = at = m.start("wn")
    run: list[tuple[str, int, str]] = []
    run_start = run_end = at
    join = ""     # how the group is joined to the one before (_join)
    for g in _GROUP_SPLIT.finditer(m.string[base:last.start]):
        group = (m.string[at:base + g.start()], _scale_exp(g.group(1)), join)
        join = _join(g.group(2), g.group(3))
        try:
            _compound_value([*run, group])
            run.append(group)
        except NotANumber:
            if "," not in group[2]:
                yield from _run_atom(m.string, run, run_start, run_end, last.currency)
            run, run_start = [group], at
        run_end, at = base + g.end(1), base + g.end()
    if "," not in join:
        yield from _run_atom(m.string, run, run_start, run_end, last.currency)


def _run_atom(text: str, run: list[tuple[str, int, str]], start: int, end: int,
              currency: str) -> Iterator[AmountMatch]:
    try:
        value, exact = _scaled_fraction(_compound_value(run), 0, currency)
    except NotANumber:
        return
    yield AmountMatch(start, end, value, currency, text[start:end], run[-1][1], inexact=not exact)


def match_atom(text: str, pos: int = 0) -> AmountMatch | None:
    m = _atom_re().match(text, pos)
    try:
        return _atom_from(m) if m else None
    except NotANumber:
        return None


@dataclass(frozen=True, slots=True)
class Phrase:
    """An amount with what surrounds it: qualifier before, restatement in
    brackets and period after.  ``start``/``end`` cover the whole phrase."""
    start: int
    end: int
    atom: AmountMatch
    qualifier: str = "exact"
    qualifier_text: str = ""
    period: Period = ONCE
    period_text: str = ""
    restated: tuple[AmountMatch, ...] = ()
    upper: Decimal | None = None     # a range's upper bound (qualifier "range", or "about" one)
    written_out: str = ""    # the amount when no words of the text say it ("up to £1 million")

    @property
    def amount_text(self) -> str:
        """Qualifier and amount as written ("up to £7 million")."""
        if self.written_out:
            return self.written_out
        return f"{self.qualifier_text} {self.atom.text}" if self.qualifier_text else self.atom.text


def _match_restatement(text: str, pos: int) -> tuple[tuple[AmountMatch, ...], int] | None:
    """"(€15 million, $19 million)" right at ``pos`` (after optional spaces)."""
    m = re.compile(rf"{_WS}*\({_WS}*").match(text, pos)
    if not m:
        return None
    i, found = m.end(), []
    while True:
        h = _HEDGE_RE.match(text, i)     # "(soit environ 54 M£)", "(i.e. €15m)"
        if h:
            i = h.end()
        q = _QUAL_START_RE.match(text, i)
        if q:
            i = q.end()
        atom = match_atom(text, i)
        if atom is None:
            return None
        found.append(atom)
        i = atom.end
        close = re.compile(rf"{_WS}*\)").match(text, i)
        if close:
            return tuple(found), close.end()
        sep = re.compile(_SEP).match(text, i)
        if not sep or sep.end() == i:
            return None
        i = sep.end()


def extend_phrase(text: str, atom: AmountMatch, *, line_start: int = 0,
                  strict: bool = False) -> Phrase:
    """Grow a bare amount into its phrase: a qualifier just before it, a
    bracketed restatement and a period just after it.  ``strict`` makes an
    invalid period tail ("in 2021-23") raise instead of being ignored."""
    qualifier, qtext, start = "exact", "", atom.start
    end = atom.end
    upper, written_out = None, ""
    rng = _match_range(text, atom, line_start)
    if rng:
        start, end, atom, upper, qtext = rng
        qualifier = RANGE
        q = None if qtext else _QUAL_BEFORE_RE.search(text, line_start, start)
        if q:
            # "up to £500,000-1 million" is up to £1m, "more than £5-7m" at
            # least £5m; "about £5-7m" stays about, the range kept
            qtext, start = q.group("q"), q.start("q")
            qualifier = _QUAL_LOOKUP[_norm_name(qtext)]
            if qualifier == "up to":
                atom = replace(atom, amount=upper)
            if qualifier != "about":
                upper = None
            written_out = f"{qtext} {format_amount_phrase(atom.amount, atom.currency)}"
    else:
        q = _QUAL_BEFORE_RE.search(text, line_start, atom.start)
        if q:
            qtext = q.group("q")
            qualifier = _QUAL_LOOKUP[_norm_name(qtext)]
            start = q.start("q")
        if atom.inexact and qualifier == "exact":
            qualifier = "about"    # "a third of a million pounds": about £333,333.33
    restated: tuple[AmountMatch, ...] = ()
    period, ptext = ONCE, ""
    for _ in range(2):  # "(…) over three years" or "over three years (…)"
        if not restated:
            r = _match_restatement(text, end)
            if r:
                restated, end = r
                continue
        if not ptext:
            gap = _spaces_end(text, end)
            if gap > end or text.startswith("/", end):   # "£5m a year", "£5m/year"
                try:
                    p = match_period(text, gap, strict=strict)
                except PeriodError as err:
                    raise MoneyError(str(err)) from None
                if p:
                    period, pend = p
                    ptext, end = text[gap:pend], pend
                    continue
        break
    return Phrase(start, end, atom, qualifier, qtext, period, ptext, restated, upper, written_out)


def _match_range(text: str, atom: AmountMatch, line_start: int):
    """A range around ``atom``: ``(start, end, lower, upper, opening word)``,
    ``lower`` an AmountMatch; the atom is the lower bound ("£5m–£7m", "between £5m and £7m", "£5-7m")
    or the upper one ("10 à 15 millions d'euros").  None when there is none."""
    opener = _RANGE_OPEN_RE.search(text, line_start, atom.start)
    between = opener is not None and opener.group("q").lower() in ("between", "entre")
    if not between:
        opener = None     # "from"/"de" is a preposition, not part of the range
    to = _RANGE_TO.match(text, atom.end)
    if to:
        joined_by_and = to.group(0).strip().lower() in ("and", "et")
        if joined_by_and == between:
            high = match_atom(text, to.end())
            if high is not None and high.currency == atom.currency and high.amount > atom.amount:
                start = opener.start("q") if opener else atom.start
                low = atom.amount.scaleb(high.scale)
                if not atom.scale and high.scale and low < high.amount \
                        and not _keeps_own(atom.amount, high) and _holdable(low):
                    # "between £2 and £3 million": £2m, as "between 2 and 3
                    # million pounds" is, and "entre 2 € et 3 millions €" ("between
                    # £500 and £1 million" stays 500)
                    atom = replace(atom, amount=_tidy_amount(low), scale=high.scale)
                return start, high.end, atom, high.amount, opener.group("q") if opener else ""
            bare = _BARE_HIGH_RE.match(text, to.end())
            if high is None and bare and atom.prefixed and bare.group("s"):
                # the upper bound's scale is shared back ("£5-7m"), never
                # forward: "£5m - 2016 round" is £5m, no range to £2,016m
                exp = _SCALES[bare.group("s").lower()]
                value = parse_number(bare.group("n")).scaleb(exp)
                low, low_exp = atom.amount if atom.scale else atom.amount.scaleb(exp), exp
                if low >= value and not atom.scale and atom.amount < value:
                    # "£500,000-1 million": past the upper bound with its scale,
                    # the lower keeps its own value, as "between 500 and 1
                    # million pounds" does
                    low, low_exp = atom.amount, 0
                if value > low and _holdable(value) and _holdable(low):
                    start = opener.start("q") if opener else atom.start
                    # "£5-7m": the lower bound takes the upper one's scale
                    lower = AmountMatch(atom.start, atom.end, _tidy_amount(low), atom.currency,
                                        atom.text, low_exp, True)
                    return (start, bare.end(), lower, _tidy_amount(value),
                            opener.group("q") if opener else "")
    # a bare number before the atom: "10 à 15 millions d'euros", "5 to 7 million pounds"
    b = _RANGE_BARE_RE.search(text, line_start, atom.start)
    if b and not atom.prefixed:
        joined_by_and = b.group("to").strip().lower() in ("and", "et")
        opens = (b.group("q") or "").lower()
        if joined_by_and != (opens in ("between", "entre")):
            return None
        if opens not in ("between", "entre"):
            opens = ""
        n, first = b.group("n"), "n" if b.group("n") else "w"
        if n and not b.group("s") and re.fullmatch(r"(?:19|20)\d\d", n):
            return None   # a year: "de 2023 à 5 M€" is not a range
        inexact = False
        if b.group("dg"):     # "between 1 million 200 thousand and 2 million pounds"
            whole = _digit_groups(b.group("dg"), n, b.group("s"))
            if whole is None:
                return None
            exp, low = _SCALES[b.group("s").lower()], Decimal(whole)
            first = "dg"
        elif n:
            exp = _SCALES[b.group("s").lower()] if b.group("s") else atom.scale
            low = parse_number(n).scaleb(exp)
            if not b.group("s") and low >= atom.amount:    # "between 500 and 1 million pounds"
                exp, low = 0, parse_number(n)
        elif b.group("wg"):   # "between one million two hundred thousand and two million"
            if not b.group("ws"):
                return None
            exp = _scale_exp(b.group("ws"))
            try:
                low, exact = _scaled_fraction(
                    _compound_words(b.group("wg") + b.group("w"), exp), 0, atom.currency)
            except NotANumber:
                return None
            inexact, first = not exact, "wg"
        else:
            exp = _scale_exp(b.group("ws")) if b.group("ws") else atom.scale
            words = b.group("w")
            if re.fullmatch(_BARE_FRACTION, words, re.IGNORECASE):
                words += " a"     # "between a half and three quarters of a million"
            try:
                number = _number_words(words)
            except NotANumber:
                return None
            if not b.group("ws") and _shares_hundreds(words, number, atom):
                number *= 100
            low, exact = _scaled_fraction(number, exp, atom.currency)
            if not b.group("ws") and exp and low >= atom.amount:
                # "between five hundred and a thousand pounds": 500, a number
                # of its own where sharing the scale would pass the upper bound
                exp = 0
                low, exact = _scaled_fraction(number, 0, atom.currency)
            inexact = not exact
        if low < atom.amount and _holdable(low):
            start = b.start("q") if opens else b.start(first)
            lower = AmountMatch(b.start(first), atom.end, _tidy_amount(low), atom.currency,
                                text[b.start(first):atom.end], exp, inexact=inexact)
            return start, atom.end, lower, atom.amount, b.group("q") if opens else ""
    return None


def _shares_hundreds(words: str, number: Fraction, upper: AmountMatch) -> bool:
    """Whether ``words`` (``number``, with no scale of its own) before
    ``upper`` count its hundreds: "between two and three hundred thousand"
    is 200,000, as is "two" of "two and three hundred thousand pounds
    respectively"; "ten and two hundred thousand" is 10,000 (ten is no count
    of hundreds)."""
    return bool(_HUNDREDS_OF_SCALE.match(upper.text)) and not re.search(
        r"(?i)\b(?:hundred|cents?)\b", words) \
        and number < Fraction(upper.amount) / 10 ** (upper.scale + 2)


def _holdable(value: Decimal) -> bool:
    """Within decimal's exact precision (as ``_scaled`` requires of amounts)."""
    return value.adjusted() < _MAX_DIGITS and len(value.normalize().as_tuple().digits) <= _MAX_DIGITS


def _tidy_amount(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


# ----------------------------------------------------------- parse_amount
# The shapes journals and imports write most ("£12 million", "€2,289,215.82",
# "4751834.86 GBP", "JPY 69,481"): read without the full grammar, which big
# journals and imports would otherwise run on every amount.  tests/ledger/phrases/test_money.py
# checks that this path and the grammar agree on every phrase the fast path accepts.
_FAST_RE = lazy_re(
    r"(?:(?P<sym>[£€$])|(?P<pre>[A-Z]{3}) )?"
    r"(?P<num>[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"   # as _NUMBER_IN[POINT]
    r"(?: (?P<scale>thousand|million|billion))?"
    r"(?: (?P<post>[A-Z]{3}))?")
_FAST_SYMBOLS = {s: SYMBOL_OVERRIDES[s] for s in "£€$"}   # the symbols _FAST_RE admits
_ONE = Decimal(1)


def _parse_simple(text: str) -> ParsedAmount | None:
    m = _FAST_RE.fullmatch(text)
    if m is None:
        return None
    sym, pre, post = m.group("sym"), m.group("pre"), m.group("post")
    if sum(x is not None for x in (sym, pre, post)) != 1:
        return None
    code = _FAST_SYMBOLS[sym] if sym else pre or post
    if code not in _table().codes:
        return None
    num, scale = m.group("num"), m.group("scale")
    if len(num) > 18:   # near decimal's precision: leave it to the grammar's checks
        return None
    amount = Decimal(num.replace(",", ""))
    if scale:
        amount = amount.scaleb(_SCALES[scale])
    amount = amount.quantize(_ONE) if amount == amount.to_integral_value() else amount.normalize()
    if amount <= 0:
        return None
    return ParsedAmount(amount, code, "exact", ONCE, (), text)


def parse_amount(text: str) -> ParsedAmount:
    """Parse one money phrase (see docs/phrases.md); raises MoneyError."""
    if not isinstance(text, str):
        raise MoneyError(f"an amount must be text, not {type(text).__name__}")
    if foreign_digits(text):     # Decimal() would read them as 0-9
        raise MoneyError(f"{text!r} is written with digits other than 0-9")
    fast = _parse_simple(text)
    return fast if fast is not None else _parse_grammar(text)


# ---------------------------------------------------------- parse_amounts
# The column-wise form of the fast path above, for the journal's column
# reader (ledger.read.journal_columns): the same shapes plus a leading "up to",
# "at least" or "about", matched by Arrow (RE2) over a whole column.  Other
# phrases go through parse_amount, once per distinct phrase.
_FAST_COLUMN_RE = (
    r"^(?:(?P<q>up to|at least|about) )?"
    r"(?:(?P<sym>[£€$])|(?P<pre>[A-Z]{3}) )?"
    r"(?P<num>[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?: (?P<scale>thousand|million|billion))?"
    r"(?: (?P<post>[A-Z]{3}))?$")


class Amounts(NamedTuple):
    """A column of amount phrases, read: Arrow string arrays and a mask."""
    amount: Any        # plain decimal text ("184300000", "2289215.82"); "" where not read
    currency: Any      # ISO 4217 code; "" where not read
    qualifier: Any     # from the phrase: exact, up to, at least, about
    slow: Any          # numpy bool: not read here (an error, or a period in the phrase)


def parse_amounts(texts) -> Amounts:
    """``parse_amount`` over a column (an Arrow string array or a list of
    str), giving the same amount, currency and qualifier for every phrase it
    reads.  Rows marked ``slow`` are left to the one-by-one reader: phrases
    ``parse_amount`` rejects, and phrases carrying a period ("£5m a year")."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.string())
    n = len(arr)
    m = pc.extract_regex(arr, _FAST_COLUMN_RE)
    ok = m.is_valid().to_numpy(zero_copy_only=False)
    g = {k: pc.fill_null(m.field(k), "") for k in ("q", "sym", "pre", "num", "scale", "post")}
    # the symbol's code, from the same table as the one-phrase fast path
    at = pc.index_in(g["sym"], value_set=pa.array(list(_FAST_SYMBOLS)))
    sym = pc.fill_null(pc.take(pa.array(list(_FAST_SYMBOLS.values())), at), "")
    has = [pc.not_equal(g[k], "").to_numpy(zero_copy_only=False).astype(np.int8)
           for k in ("sym", "pre", "post")]
    ok &= (has[0] + has[1] + has[2]) == 1
    code = pc.binary_join_element_wise(sym, g["pre"], g["post"], "")
    ok &= pc.is_in(code, value_set=pa.array(sorted(_table().codes))).to_numpy(zero_copy_only=False)
    num = g["num"]
    ok &= (pc.utf8_length(num).to_numpy(zero_copy_only=False) <= 18)   # as _parse_simple
    digits = pc.replace_substring_regex(num, "[,.]", "")
    plain = pc.replace_substring(num, ",", "")
    dot = pc.find_substring(plain, ".").to_numpy(zero_copy_only=False)
    frac = np.where(dot >= 0, pc.utf8_length(plain).to_numpy(zero_copy_only=False) - dot - 1, 0)
    scale = np.select([pc.equal(g["scale"], w).to_numpy(zero_copy_only=False)
                       for w in ("thousand", "million", "billion")], [3, 6, 9], 0)
    shift = scale - frac   # value = int(digits) * 10**shift
    amount = pa.array(np.full(n, "", dtype=object), pa.string())
    for e in np.unique(shift[ok]):
        rows = ok & (shift == e)
        d = digits.filter(pa.array(rows))
        if e >= 0:
            part = pc.binary_join_element_wise(d, pa.scalar("0" * int(e)), "")
        else:
            part = pc.binary_join_element_wise(pc.utf8_slice_codeunits(d, 0, int(e)),
                                               pc.utf8_slice_codeunits(d, int(e)), ".")
        amount = pc.replace_with_mask(amount, pa.array(rows), part)
    # written as plain_decimal writes it, as the one-by-one reader gives it
    # ("1.000" with a decimal point is 1, not "1.000")
    amount = pc.replace_substring_regex(pc.replace_substring_regex(amount, r"(\.\d*?)0+$", r"\1"),
                                        r"\.$", "")
    # zero is not an amount (parse_amount says so): leave it to the slow path
    ok &= pc.match_substring_regex(amount, "[1-9]").to_numpy(zero_copy_only=False)
    qualifier = pc.if_else(pc.equal(g["q"], ""), pa.scalar("exact"), g["q"])
    currency = code
    slow = ~ok
    if slow.any():
        rows = np.flatnonzero(slow)
        amount_py = amount.to_numpy(zero_copy_only=False).astype(object)
        cur_py = currency.to_numpy(zero_copy_only=False).astype(object)
        qual_py = qualifier.to_numpy(zero_copy_only=False).astype(object)
        seen: dict = {}
        for r in rows:   # the unusual phrases, once each
            text = arr[int(r)].as_py()
            if text not in seen:
                try:
                    p = parse_amount(text) if text is not None else None
                except MoneyError:
                    p = None
                seen[text] = p if p is not None and p.period == ONCE else None
            p = seen[text]
            if p is not None:
                amount_py[r], cur_py[r], qual_py[r] = plain_decimal(p.amount), p.currency, p.qualifier
                slow[r] = False
        amount = pa.array(amount_py, pa.string())
        currency = pa.array(cur_py, pa.string())
        qualifier = pa.array(qual_py, pa.string())
    return Amounts(amount, currency, qualifier, slow)


def _parse_grammar(text: str) -> ParsedAmount:
    s = " ".join(text.split())
    if not s:
        raise MoneyError("empty amount (write e.g. '£12 million' or 'EUR 10000')")
    if not _MAY_HOLD_AMOUNT.search(s):
        # no figure can match without a digit or a scale word: say so
        # before needing the currency pattern (costly to compile)
        raise MoneyError(_no_amount(text))
    pos = 0
    noise = _NOISE_RE.match(s)
    if noise:
        pos = noise.end()
    q = _QUAL_START_RE.match(s, pos)
    qual_end = q.end() if q else pos
    atom = match_atom(s, qual_end)
    if atom is None and q is not None:
        atom, qual_end = match_atom(s, pos), pos   # "over" was not a qualifier after all
    if atom is None:
        # "between £5m and £7m", "between one and two million pounds": a range
        # opened before its first figure
        first = next(iter_atoms(s, pos), None)
        if first is not None:
            opened = extend_phrase(s, first, line_start=pos)
            if opened.qualifier == RANGE and opened.start == pos:
                _refuse_range(opened, text)
        why = _diagnose(s, text)
        raise (NotPositive if why.startswith(_NOT_POSITIVE) else MoneyError)(why)
    if atom.amount <= 0:
        raise NotPositive(f"{_NOT_POSITIVE} in {text!r}")
    phrase = extend_phrase(s, atom, line_start=pos, strict=True)
    if phrase.qualifier == RANGE:
        _refuse_range(phrase, text)
    rest = s[phrase.end:].strip().rstrip(".;,").strip()
    period = phrase.period
    if rest:
        if phrase.period_text:
            raise MoneyError(f"unexpected {rest!r} after the amount in {text!r}")
        try:
            period = parse_period(rest)
        except PeriodError as err:
            if str(err).startswith("cannot understand period"):
                raise MoneyError(f"cannot understand {rest!r} after the amount in {text!r} "
                                 "(a period is written e.g. 'a year', 'over 3 years', "
                                 "'in 2021-22')") from None
            raise MoneyError(f"{err} in {text!r}") from None
    if phrase.start > pos and s[pos:phrase.start].strip():
        raise MoneyError(f"unexpected {s[pos:phrase.start].strip()!r} before the amount in {text!r}")
    for r in phrase.restated:
        if r.amount <= 0:
            raise MoneyError(f"amount must be positive in {r.text!r} in {text!r}")
    for a in (atom, *phrase.restated):
        if a.currency == CFA_FRANC:
            raise MoneyError(f"{a.text!r} in {text!r}: 'francs CFA' names two currencies, "
                             "XOF (West Africa, BCEAO) and XAF (Central Africa, BEAC): "
                             "write the code, e.g. '98.4 billion XOF'")
    assert phrase.qualifier in QUALIFIERS
    return ParsedAmount(atom.amount, atom.currency, phrase.qualifier, period,
                        tuple(Money(r.amount, r.currency) for r in phrase.restated), text)


_NOT_POSITIVE = "amount must be positive"
# what every amount has (``_atom_re``): a digit, or a scale word after words
_MAY_HOLD_AMOUNT = lazy_re(rf"\d|(?i:{_WORD_SCALE})")


def _no_amount(text: str) -> str:
    return f"no amount found in {text!r} (write e.g. '£12 million' or 'twelve million pounds')"


def _refuse_range(phrase: Phrase, text: str):
    """A range is no one amount: say so, with its lower bound at the range's
    scale ("£5-7m": £5 million, not £5)."""
    lower = format_amount_phrase(phrase.atom.amount, phrase.atom.currency)
    if phrase.period.kind != "one-off":
        lower += f" {phrase.period.describe()}"
    raise MoneyError(f"{text!r} is a range, not one amount: record the lower bound as "
                     f"'at least {lower}' or the figure that was confirmed")


def _diagnose(s: str, text: str) -> str:
    """Say what is wrong with a phrase that has no recognisable amount."""
    if re.search(r"(?:^|[\s(])(?:-|−|minus\b)\s*\S*\d", s) or re.search(r"[^\w\s]\s?[-−]\d", s):
        return f"{_NOT_POSITIVE} in {text!r}"
    atoms = list(itertools.islice(iter_atoms(s), _MAX_RESPECTIVE + 1))
    if len(atoms) > 1 and atoms[0].respective and atoms[0].start == 0:
        listed = ", ".join(f"{plain_decimal(a.amount)} {a.currency}" for a in atoms)
        return (f"{text!r} is {len(atoms)} amounts ({listed}), not one: record each in an "
                "entry of its own")
    first = atoms[0] if atoms else None
    if first is not None and first.start > 0:
        return f"unexpected {s[:first.start].strip()!r} before the amount in {text!r}"
    if not re.search(r"\d", s):
        if re.search(rf"(?i:\b(?:{_WORD_SCALE})\b)", s) and not re.search(r"[$£€¥]", s):
            return f"no currency in {text!r} (write e.g. 'twelve million pounds' or '£12 million')"
        return _no_amount(text)
    after = re.search(rf"(?:{_NUM})(?:{_WS}?{_SCALE}(?![^\W\d_]))?{_WS}*(?P<cur>[^\W\d_][\w$£€.]*)", s)
    before = re.search(rf"(?P<cur>\b[A-Z]{{3}}\b|[^\w\s(]+){_WS}?(?:{_NUM})", s)
    if before and currency_code(before.group("cur")) is None and not after:
        return f"unknown currency {before.group('cur')!r} in {text!r}"
    if after:
        word = after.group("cur")
        if word.lower() in _SCALES or word.lower() in ("a", "per", "over", "in", "for"):
            return f"no currency in {text!r} (write e.g. '£12 million' or '12 million EUR')"
        if currency_code(word) is None:
            return f"unknown currency {word!r} in {text!r}"
    if re.match(rf"{_WS}*(?:{_NUM})(?:{_WS}?{_SCALE})?$", s):
        return f"no currency in {text!r} (write e.g. '£12 million' or '12 million EUR')"
    return f"cannot understand amount {text!r} (write e.g. '£12 million' or '12,000,000 GBP')"


# ------------------------------------------------------------- formatting
def _check_currency(currency: str) -> str:
    code = currency.upper() if isinstance(currency, str) else ""
    if code not in known_currencies():
        raise MoneyError(f"unknown currency {currency!r} (use an ISO 4217 code such as GBP)")
    return code


def _locale(locale: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        raise MoneyError(f"unknown locale {locale!r} (e.g. en_GB, fr_FR)") from None


def format_money(amount, currency: str, locale: str = "en_GB", compact: bool = False,
                 digits: int = 2) -> str:
    """Format with babel: "£12,000,000.00" (en_GB), "12 000 000,00 €" (fr_FR);
    ``compact`` gives the short form babel uses for the locale ("£12m",
    "12 M €"), keeping up to ``digits`` decimals ("£1.4m")."""
    from babel.numbers import format_compact_currency, format_currency

    code = _check_currency(currency)
    loc = _locale(locale)
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    if compact:
        return format_compact_currency(value, code, locale=loc, fraction_digits=digits)
    return format_currency(value, code, locale=loc)


_PHRASE_SYMBOLS = {code: sym for sym, code in SYMBOL_OVERRIDES.items() if len(sym) == 1}


def format_amount_phrase(amount, currency: str) -> str:
    """A plain English phrase that ``parse_amount`` reads back to the same
    amount and currency: "£12 million", "€1.4 billion", "CHF 12,345.67"."""
    code = _check_currency(currency)
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    if value <= 0:
        raise MoneyError("amount must be positive")
    number, word = value, ""
    for name, exp in (("billion", 9), ("million", 6)):
        scaled = value.scaleb(-exp)
        if scaled >= 1 and scaled == scaled.quantize(Decimal("0.000001")):
            number, word = scaled, f" {name}"
            break
    digits = plain_decimal(number)
    whole, _, frac = digits.partition(".")
    text = f"{int(whole):,}" + (f".{frac}" if frac else "") + word
    sym = _PHRASE_SYMBOLS.get(code)
    return f"{sym}{text}" if sym else f"{code} {text}"
