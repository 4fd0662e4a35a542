"""Amounts as people say them, or exactly: the one formatter of report amounts.

``--amounts compact`` (the default where people read: charts, the HTML page,
terminal tables, notes) gives babel's compact currency form with one decimal
at most (£12m, £1.4m, €3bn, 12,5 M € in fr_FR); ``--amounts exact`` gives
babel's standard currency form (£12,000,000.00).  CSV, Parquet and workbook
cells always carry exact numbers; they do not come here.

``format_data(currency, locale)`` exports the locale's patterns (from babel)
for the HTML page's script, which formats integer minor units the same way
(tests compare the two in a real browser).
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal

from ledger.phrases.money import format_money
from rates.table import currency_digits

AMOUNTS = ("compact", "exact")
DEFAULT_AMOUNTS = "compact"
COMPACT_DIGITS = 1          # £1.4m, not £1.43m: how amounts are said


def format_amount(value, currency: str, locale: str, amounts: str = DEFAULT_AMOUNTS) -> str:
    """``value`` (Decimal, int or float) formatted for the locale, compact or
    exact (``ledger.phrases.money.format_money``, at the reports' one decimal)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if amounts == "compact":
        plain = _unabbreviated(value, currency, locale)
        if plain is not None:
            return plain
    return format_money(value, currency, locale, compact=amounts == "compact",
                        digits=COMPACT_DIGITS)


def qualified(text: str, qualifiers) -> str:
    """An amount with the qualifier of the figures behind it kept visible:
    "up to £7m" when every figure behind it says "up to"; "£5.5bn (incl. at
    least)" when only some do."""
    qs = {str(q) for q in qualifiers if q and str(q) != "exact"}
    if not qs:
        return text
    if len(qs) == 1 and "exact" not in {str(q) for q in qualifiers}:
        return f"{qs.pop()} {text}"
    return f"{text} (incl. {', '.join(sorted(qs))})"


def period_phrase(period: str) -> str:
    """The period as said after an amount: "a year", "over 3 years", ""."""
    p = str(period or "")
    if p in ("", "one-off"):
        return ""
    if p == "per year":
        return "a year"
    return p


def as_said(amount, currency: str, qualifier: str, period: str, locale: str,
            amounts: str = DEFAULT_AMOUNTS) -> str:
    """One figure as a person says it: "at least €3bn a year"."""
    text = qualified(format_amount(amount, currency, locale, amounts), [qualifier])
    tail = period_phrase(period)
    return f"{text} {tail}" if tail else text


def _fallback_pattern(other) -> str | None:
    """babel's compact currency pattern where the locale has none for a
    magnitude: the first one with the symbol, stripped to "¤0" / "0 ¤"."""
    for m in other:
        pat = other[m] if isinstance(other[m], str) else other[m].pattern
        pat = getattr(pat, "pattern", pat)
        if "¤" in pat:
            return re.sub(r"(\s)\s+", r"\1", re.sub(r"[^0\s¤]", "", pat)).strip()
    return None


@functools.lru_cache(maxsize=64)
def _plain_levels(currency: str, locale: str):
    """(the compact magnitudes, largest first, each with whether the locale
    abbreviates it, the unabbreviated pattern grouped as the locale's standard
    currency pattern) or None (no such locale: babel's own error follows)."""
    from babel import Locale
    from babel.numbers import parse_pattern

    try:
        loc = Locale.parse(locale)
        other = loc.compact_currency_formats["short"]["other"]
        fb = _fallback_pattern(other)
    except (ValueError, TypeError, KeyError, LookupError):
        return None
    if fb is None:
        return None
    pattern = parse_pattern(fb)
    pattern.grouping = parse_pattern(loc.currency_formats["standard"]).grouping
    levels = [(m, parse_pattern(other[str(m)]).pattern != "0")
              for m in sorted((int(m) for m in other), reverse=True)]
    return loc, levels, pattern


def _unabbreviated(value, currency: str, locale: str) -> str | None:
    """A compact amount where the locale abbreviates nothing (de_DE below a
    million, ja_JP below 10,000, every locale below a thousand): the number
    as the locale writes it, grouped ("510.510 £"; babel's compact form gives
    "510510 £"), its decimals only when not zero.  None where the locale
    abbreviates (then babel's compact form)."""
    found = _plain_levels(str(currency).upper(), locale)
    if found is None:
        return None
    loc, levels, pattern = found
    v = value if isinstance(value, Decimal) else Decimal(str(value))
    if not v.is_finite():
        return None
    size = abs(v)
    if next((abbr for m, abbr in levels if size >= m), False):
        return None
    return pattern.apply(v, loc, currency=str(currency).upper(), currency_digits=False,
                         decimal_quantization=False)


# ---------------------------------------------------------------- the page's copy
def _affixes(pattern, symbol: str):
    """A pattern's (positive, negative) prefixes and suffixes as printed: the
    symbol in place of ¤, CLDR quoting ('.' for a literal dot) undone."""
    def out(text: str) -> str:
        text = re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", text)
        return text.replace("¤", symbol)

    return [out(p) for p in pattern.prefix], [out(s) for s in pattern.suffix]


def format_data(currency: str, locale: str) -> dict:
    """Everything the page's script needs to format amounts exactly as
    :func:`format_amount` does: symbols, the standard pattern's affixes and
    grouping, and the compact patterns by magnitude (with the few displayed
    numbers whose plural form picks another pattern)."""
    from babel import Locale
    from babel.numbers import (
        get_currency_symbol,
        get_decimal_symbol,
        get_group_symbol,
        parse_pattern,
    )


    loc = Locale.parse(locale)
    symbol = get_currency_symbol(currency, locale=loc)
    std = parse_pattern(loc.currency_formats["standard"])
    pre, suf = _affixes(std, symbol)
    compact = loc.compact_currency_formats["short"]
    other = compact["other"]
    mags = sorted((int(m) for m in other), reverse=True)
    levels = []
    for m in mags:
        pat = other[str(m)]
        p = parse_pattern(pat)
        if p.pattern == "0":
            levels.append({"m": str(m), "plain": True})
            continue
        zeros = p.pattern.count("0")
        lv = {"m": str(m), "div": str(m // 10 ** (zeros - 1)), "pre": _affixes(p, symbol)[0],
              "suf": _affixes(p, symbol)[1], "forms": []}
        # plural forms other than "other" that change the pattern: list the
        # displayed numbers (one decimal, below 1000) that select them
        for form in sorted(compact, key=lambda f: f != "1"):   # "1" wins, as in babel
            if form == "other" or str(m) not in compact[form]:
                continue
            fp = parse_pattern(compact[form][str(m)])
            if fp.pattern == p.pattern and fp.prefix == p.prefix and fp.suffix == p.suffix:
                continue
            if form == "1":
                nums = ["1"]
            else:
                shown = (Decimal(t).scaleb(-COMPACT_DIGITS).normalize() for t in range(10_000))
                nums = [format(d, "f") for d in shown if loc.plural_form(d) == form]
            a = _affixes(fp, symbol)
            lv["forms"].append({"nums": nums, "pre": a[0], "suf": a[1]})
        levels.append(lv)
    fb = _fallback_pattern(other)
    fallback = None if fb is None else _affixes(parse_pattern(fb), symbol)
    return {"currency": currency, "symbol": symbol, "digits": currency_digits(currency),
            "decimal": get_decimal_symbol(loc), "group": get_group_symbol(loc),
            "pre": pre, "suf": suf, "grouping": list(std.grouping),
            "compactDigits": COMPACT_DIGITS, "levels": levels, "fallback": fallback}
