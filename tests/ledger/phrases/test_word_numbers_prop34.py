"""A whole number of thousands written out in English or French words, or
in digits with scale words, by a small generator here (independent of the
reader), reads back to the number; groups may be joined by a space, "and"
or a comma (English), as writers join them."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.phrases.extract import find_mentions

_EN_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
             "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def english_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    below = (_EN_UNITS[rest] if rest < 20 else
             _EN_TENS[rest // 10] + ("-" + _EN_UNITS[rest % 10] if rest % 10 else ""))
    if not hundreds:
        return below
    return f"{_EN_UNITS[hundreds]} hundred" + (f" and {below}" if rest else "")


_FR_UNITS = ("zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize "
             "quatorze quinze seize dix-sept dix-huit dix-neuf").split()
_FR_TENS = "_ _ vingt trente quarante cinquante soixante".split()


def french_below_100(n: int, plural: bool) -> str:
    if n < 20:
        return _FR_UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):      # soixante-dix, quatre-vingt-dix: the teens on 60 and 80
        head, rest = ("soixante", 10 + unit) if tens == 7 else ("quatre-vingt", 10 + unit)
        joined = " et " if tens == 7 and unit == 1 else "-"
        return head + joined + _FR_UNITS[rest]
    if tens == 8:
        return "quatre-vingt" + ("-" + _FR_UNITS[unit] if unit else "s" if plural else "")
    if unit == 1:
        return f"{_FR_TENS[tens]} et un"
    return _FR_TENS[tens] + ("-" + _FR_UNITS[unit] if unit else "")


def french_below_1000(n: int, plural: bool) -> str:
    """``plural``: "cents", "quatre-vingts" take their s (before "millions",
    at the end; not before "mille", which is no noun)."""
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return french_below_100(rest, plural)
    head = "cent" if hundreds == 1 else f"{_FR_UNITS[hundreds]} cent"
    if not rest:
        return head + ("s" if plural and hundreds > 1 else "")
    return f"{head} {french_below_100(rest, plural)}"


_SCALES = ((9, "billion", "milliard"), (6, "million", "million"), (3, "thousand", "mille"))
_groups = st.tuples(*(st.integers(0, 999) for _ in _SCALES)).filter(any)


@settings(max_examples=300, deadline=None)
@given(groups=_groups, joins=st.lists(st.sampled_from([" ", " and ", ", "]), min_size=2,
                                      max_size=2))
def test_english_words_read_back(groups, joins):
    parts = [f"{english_below_1000(g)} {word}" for g, (_, word, _) in zip(groups, _SCALES) if g]
    words = parts[0] + "".join(j + p for j, p in zip(joins, parts[1:]))
    value = sum(g * 10 ** exp for g, (exp, _, _) in zip(groups, _SCALES))
    got = find_mentions(f"The fund gave {words} pounds to the project.")
    assert [(m.phrase, m.amount, m.qualifier) for m in got] == [
        (f"{words} pounds", Decimal(value), "exact")]


@settings(max_examples=300, deadline=None)
@given(groups=_groups)
def test_french_words_read_back(groups):
    parts = []
    for g, (exp, _, word) in zip(groups, _SCALES):
        if not g:
            continue
        if exp == 3:
            parts.append("mille" if g == 1 else f"{french_below_1000(g, False)} mille")
        else:
            parts.append(f"{french_below_1000(g, True)} {word}{'s' if g > 1 else ''}")
    words = " ".join(parts)
    currency = " euros" if groups[-1] else " d'euros"      # "mille euros", "millions d'euros"
    value = sum(g * 10 ** exp for g, (exp, _, _) in zip(groups, _SCALES))
    got = find_mentions(f"L'aide est de {words}{currency} pour le projet.")
    assert [(m.phrase, m.amount) for m in got] == [(words + currency, Decimal(value))]


@settings(max_examples=200, deadline=None)
@given(groups=_groups, anded=st.booleans())
def test_digits_with_scale_words_read_back(groups, anded):
    parts = [f"{g} {word}" for g, (_, word, _) in zip(groups, _SCALES) if g]
    words = (" and " if anded else " ").join(parts)
    value = sum(g * 10 ** exp for g, (exp, _, _) in zip(groups, _SCALES))
    got = find_mentions(f"In 2019 the fund gave {words} pounds.")
    assert [(m.phrase, m.amount) for m in got] == [(f"{words} pounds", Decimal(value))]


@settings(max_examples=200, deadline=None)
@given(first=st.integers(1, 999), second=st.integers(1, 999),
       scales=st.lists(st.sampled_from(_SCALES), min_size=2, max_size=2, unique=True))
def test_a_comma_before_an_equal_or_larger_scale_never_joins(first, second, scales):
    low, high = sorted(scales)      # (3, …) before (6, …): rising
    for a, b in ((low, high), (high, high)):
        words = f"{english_below_1000(first)} {a[1]}, {english_below_1000(second)} {b[1]}"
        got = find_mentions(f"The fund gave {words} pounds.")
        last = f"{english_below_1000(second)} {b[1]} pounds"
        assert [(m.phrase, m.amount) for m in got] == [(last, Decimal(second * 10 ** b[0]))]


# "one hundred and one billion" is one number: no list ends so
_lists = st.lists(st.integers(1, 999), min_size=2, max_size=6).filter(lambda ns: ns[-2] % 100)


@settings(max_examples=200, deadline=None)
@given(numbers=_lists, scale=st.sampled_from(_SCALES))
def test_numbers_listed_respectively_read_one_amount_each(numbers, scale):
    said = [english_below_1000(n) for n in numbers]
    listed = ", ".join(said[:-1]) + " and " + said[-1]
    got = find_mentions(f"The funds got {listed} {scale[1]} pounds respectively.")
    # a number said without "hundred" that counts fewer than the last
    # number's hundreds counts hundreds, as a range's lower bound does
    # ("one and one hundred and one billion": 100 and 101 billion)
    last = numbers[-1]
    shared = [n * 100 if last >= 100 and n < 100 and n * 100 < last else n for n in numbers]
    assert [m.amount for m in got] == [Decimal(n * 10 ** scale[0]) for n in shared]
