"""Money phrases: parsing real phrasings, errors, babel formatting, round trips."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.model import FISCAL_YEAR, ONE_OFF, OVER, PER_YEAR, Money, Period
from ledger.phrases.money import (MoneyError, currency_code, format_amount_phrase, format_money,
                          known_currencies, parse_amount, parse_number)

D = Decimal
ONCE = Period(ONE_OFF)
YEARLY = Period(PER_YEAR)

# phrase → (amount, currency, qualifier, period)
CASES = [
    ("£12m", D(12_000_000), "GBP", "exact", ONCE),
    ("£12 million", D(12_000_000), "GBP", "exact", ONCE),
    ("€10m", D(10_000_000), "EUR", "exact", ONCE),
    ("10 million Euros", D(10_000_000), "EUR", "exact", ONCE),
    ("$11.2 million", D(11_200_000), "USD", "exact", ONCE),
    ("2m Euros", D(2_000_000), "EUR", "exact", ONCE),
    ("£1.4 million", D(1_400_000), "GBP", "exact", ONCE),
    ("€3 billion", D(3_000_000_000), "EUR", "exact", ONCE),
    ("12 M€", D(12_000_000), "EUR", "exact", ONCE),
    ("12 M €", D(12_000_000), "EUR", "exact", ONCE),
    ("541 million euro", D(541_000_000), "EUR", "exact", ONCE),
    ("US$5.6m", D(5_600_000), "USD", "exact", ONCE),
    ("€62.7 million", D(62_700_000), "EUR", "exact", ONCE),
    ("£4m a year", D(4_000_000), "GBP", "exact", YEARLY),
    ("GBP 12000000", D(12_000_000), "GBP", "exact", ONCE),
    ("12,000,000 GBP", D(12_000_000), "GBP", "exact", ONCE),
    ("1 234 567,89 €", D("1234567.89"), "EUR", "exact", ONCE),
    ("1\u202f234\u202f567,89\u00a0€", D("1234567.89"), "EUR", "exact", ONCE),
    ("1.234.567,89 EUR", D("1234567.89"), "EUR", "exact", ONCE),
    ("10 millions d'euros", D(10_000_000), "EUR", "exact", ONCE),
    ("3 milliards d’euros", D(3_000_000_000), "EUR", "exact", ONCE),
    ("1,5 million €", D(1_500_000), "EUR", "exact", ONCE),
    ("USD 5.5bn", D(5_500_000_000), "USD", "exact", ONCE),
    ("250k GBP", D(250_000), "GBP", "exact", ONCE),
    ("5 million pounds", D(5_000_000), "GBP", "exact", ONCE),
    ("12 million US dollars", D(12_000_000), "USD", "exact", ONCE),
    ("CA$3m", D(3_000_000), "CAD", "exact", ONCE),
    ("a further £1.4 million (2m Euros)", D(1_400_000), "GBP", "exact", ONCE),
    ("up to £7 million", D(7_000_000), "GBP", "up to", ONCE),
    ("as much as £7m", D(7_000_000), "GBP", "up to", ONCE),
    ("more than €3 billion a year", D(3_000_000_000), "EUR", "at least", YEARLY),
    ("approximately £5m", D(5_000_000), "GBP", "about", ONCE),
    ("around £5m", D(5_000_000), "GBP", "about", ONCE),
    ("about £5m", D(5_000_000), "GBP", "about", ONCE),
    ("at least £5m", D(5_000_000), "GBP", "at least", ONCE),
    ("over £5m", D(5_000_000), "GBP", "at least", ONCE),
    ("over £5m over 3 years", D(5_000_000), "GBP", "at least", Period(OVER, years=D(3))),
    ("£12m over 18 months", D(12_000_000), "GBP", "exact",
     Period(OVER, years=D("1.5"), length=D(18), unit="month")),
    ("€62.7 million in 2021-22", D(62_700_000), "EUR", "exact",
     Period(FISCAL_YEAR, fiscal_year="2021-22")),
    ("£5m in 2021/22", D(5_000_000), "GBP", "exact", Period(FISCAL_YEAR, fiscal_year="2021-22")),
    ("£4m a year for 3 years", D(4_000_000), "GBP", "exact", Period(PER_YEAR, years=D(3))),
    ("£4m per year from 2015-01-01 to 2017-12-31", D(4_000_000), "GBP", "exact",
     Period(PER_YEAR, start=dt.date(2015, 1, 1), end=dt.date(2017, 12, 31))),
    ("£12 million over three years", D(12_000_000), "GBP", "exact", Period(OVER, years=D(3))),
    ("10 million euros ($11.2 million) over two years", D(10_000_000), "EUR", "exact",
     Period(OVER, years=D(2))),
]


@pytest.mark.parametrize("text,amount,currency,qualifier,period", CASES, ids=[c[0] for c in CASES])
def test_parse_amount_table(text, amount, currency, qualifier, period):
    p = parse_amount(text)
    assert (p.amount, p.currency, p.qualifier, p.period) == (amount, currency, qualifier, period)
    assert p.text == text
    assert "E" not in str(p.amount)          # plain, not 1.2E+7


def test_restatement_in_brackets():
    p = parse_amount("£12 million (€15 million, $19 million) over three years")
    assert p.money == Money(D(12_000_000), "GBP")
    assert p.restated == (Money(D(15_000_000), "EUR"), Money(D(19_000_000), "USD"))
    assert p.period == Period(OVER, years=D(3))
    assert parse_amount("a further £1.4 million (2m Euros)").restated == (Money(D(2_000_000), "EUR"),)
    assert parse_amount("10 million euros ($11.2 million) over two years").restated == (
        Money(D(11_200_000), "USD"),)


def test_dollar_sign_alone_is_us_dollar():
    assert parse_amount("$19 million").currency == "USD"
    assert currency_code("$") == "USD"
    assert currency_code("US$") == "USD"
    assert currency_code("$US") == "USD"


def test_currency_lookup_comes_from_babel_names_and_symbols():
    # English and French, singular and plural, as CLDR spells them
    assert currency_code("euros") == "EUR"
    assert currency_code("Euro") == "EUR"
    assert currency_code("British pounds") == "GBP"
    assert currency_code("dollars des États-Unis") == "USD"
    assert currency_code("francs suisses") == "CHF"
    assert currency_code("Japanese yen") == "JPY"
    assert currency_code("₹") == "INR"
    assert currency_code("zorkmids") is None
    assert currency_code("all") is None        # ISO codes only in capitals
    # historic currencies whose names are ordinary words are not currencies
    assert currency_code("or") is None
    assert {"GBP", "EUR", "USD", "CHF", "JPY"} <= known_currencies()
    assert "XAU" not in known_currencies()


@pytest.mark.parametrize("text,message", [
    ("12 ZZZ", "unknown currency 'ZZZ' in '12 ZZZ'"),
    ("ZZZ 12", "unknown currency 'ZZZ'"),
    ("12 dinosaurs", "unknown currency 'dinosaurs'"),
    ("twelve", "no amount found in 'twelve'"),
    ("twelve million", "no currency in 'twelve million'"),
    ("£5m–£7m", "'£5m–£7m' is a range, not one amount"),
    ("12 million", "no currency in '12 million'"),
    ("£0", "amount must be positive"),
    ("-£5m", "amount must be positive"),
    ("£-5m", "amount must be positive"),
    ("", "empty amount"),
    ("   ", "empty amount"),
    ("€62.7 million in 2021-23", "must span two consecutive years"),
    ("£5m to boost security", "cannot understand 'to boost security' after the amount"),
    ("hello £5m", "unexpected 'hello' before the amount"),
    ("£5m a fortnight", "cannot understand 'a fortnight'"),
])
def test_bad_phrases_say_what_is_wrong(text, message):
    with pytest.raises(MoneyError) as info:
        parse_amount(text)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("text,lower", [
    ("£5-7m", "at least £5 million"),
    ("£5m–£7m", "at least £5 million"),
    ("€3-4bn a year", "at least €3 billion per year"),
])
def test_a_range_message_proposes_the_lower_bound_at_its_scale(text, lower):
    """Issue 22: '£5-7m' advised 'at least £5'; the proposal keeps the scale
    (and the period) and reads back as that lower bound."""
    with pytest.raises(MoneyError) as info:
        parse_amount(text)
    assert f"'{lower}'" in str(info.value)
    back = parse_amount(lower)
    assert back.qualifier == "at least"
    assert back.amount == Decimal(5_000_000 if "5" in text else 3_000_000_000)


def test_not_text_is_a_money_error():
    with pytest.raises(MoneyError, match="must be text"):
        parse_amount(12)  # type: ignore[arg-type]


@pytest.mark.parametrize("text,value", [
    ("12", D(12)), ("12,000,000", D(12_000_000)), ("12,000,000.50", D("12000000.50")),
    ("1 234 567,89", D("1234567.89")), ("1.234.567,89", D("1234567.89")),
    ("1,5", D("1.5")), ("1,500", D(1500)), ("1.4", D("1.4")), ("1,234.5", D("1234.5")),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


# ------------------------------------------------------------- formatting
def test_babel_formatting_en_gb_and_fr_fr():
    """Our decisions: en_GB by default, the locale's standard currency pattern for
    exact amounts, its compact pattern with at most two decimals for compact ones.
    The strings themselves are CLDR's, so they are computed with babel."""
    from babel.numbers import format_compact_currency, format_currency

    assert format_money(D(12_000_000), "GBP") == format_currency(D(12_000_000), "GBP", locale="en_GB")
    assert format_money(D("1234567.89"), "USD", "en_GB") == format_currency(D("1234567.89"), "USD",
                                                                           locale="en_GB")
    assert format_money(D(12_000_000), "EUR", "fr_FR") == format_currency(D(12_000_000), "EUR",
                                                                         locale="fr_FR")
    for amount, cur, loc in [(D(12_000_000), "GBP", "en_GB"), (D(1_400_000), "GBP", "en_GB"),
                             (D(12_000_000), "EUR", "fr_FR"), (D(3_000_000_000), "EUR", "fr_FR"),
                             (D(1_234_567), "GBP", "en_GB")]:
        assert format_money(amount, cur, loc, compact=True) == format_compact_currency(
            amount, cur, locale=loc, fraction_digits=2)
    # exact amounts keep every penny; compact ones are short and keep the first decimals
    assert "12" in format_money(D(12_000_000), "GBP", compact=True)
    assert "000" not in format_money(D(12_000_000), "GBP", compact=True)
    assert "1.4" in format_money(D(1_400_000), "GBP", compact=True)
    assert "1.23" in format_money(D(1_234_567), "GBP", compact=True)
    assert "1,234,567.00" in format_money(D(1_234_567), "GBP")
    assert parse_amount(format_money(D(1_400_000), "GBP", compact=True)).money == Money(D(1_400_000), "GBP")
    assert parse_amount(format_money(D(12_000_000), "EUR", "fr_FR", compact=True)).money == \
        Money(D(12_000_000), "EUR")


def test_babel_output_reads_back():
    for locale in ("en_GB", "fr_FR"):
        for amount, cur in [(D(12_000_000), "GBP"), (D("1234567.89"), "USD"), (D(3 * 10**9), "EUR")]:
            full = format_money(amount, cur, locale)
            assert parse_amount(full).money == Money(amount, cur), full
            compact = format_money(amount.quantize(D(1)) if amount > 10**6 else amount, cur, locale,
                                   compact=True)
            p = parse_amount(compact)
            assert p.currency == cur
            assert abs(p.amount - amount) / amount < D("0.01"), compact


def test_format_errors():
    with pytest.raises(MoneyError, match="unknown currency 'ZZZ'"):
        format_money(1, "ZZZ")
    with pytest.raises(MoneyError, match="unknown locale"):
        format_money(1, "GBP", locale="xx_YY")
    with pytest.raises(MoneyError, match="positive"):
        format_amount_phrase(D(0), "GBP")


def test_format_amount_phrase_examples():
    assert format_amount_phrase(D(12_000_000), "GBP") == "£12 million"
    assert format_amount_phrase(D(1_400_000), "GBP") == "£1.4 million"
    assert format_amount_phrase(D(3_000_000_000), "EUR") == "€3 billion"
    assert format_amount_phrase(D("12345.67"), "CHF") == "CHF 12,345.67"


_CODES = sorted(known_currencies())


@settings(max_examples=300, deadline=None)
@given(currency=st.sampled_from(_CODES),
       units=st.integers(min_value=1, max_value=10**15),
       places=st.integers(min_value=0, max_value=2))
def test_round_trip_phrase(currency, units, places):
    amount = D(units).scaleb(-places)
    phrase = format_amount_phrase(amount, currency)
    parsed = parse_amount(phrase)
    assert (parsed.amount, parsed.currency) == (amount, currency), phrase
    assert parsed.qualifier == "exact" and parsed.period == ONCE


@settings(max_examples=200, deadline=None)
@given(currency=st.sampled_from(["GBP", "EUR", "USD", "CHF", "CAD", "AUD"]),  # 2-digit currencies
       locale=st.sampled_from(["en_GB", "fr_FR", "en_US"]),
       cents=st.integers(min_value=1, max_value=10**14))
def test_round_trip_babel_format(currency, locale, cents):
    amount = D(cents).scaleb(-2)
    text = format_money(amount, currency, locale)
    assert parse_amount(text).money == Money(amount, currency), text


# ------------------------------------------------- the fast path for simple shapes
_SIMPLE_NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**15).map(str),
    st.integers(min_value=1, max_value=10**12).map(lambda n: f"{n:,}"),
    st.tuples(st.integers(0, 10**9), st.integers(0, 999)).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(st.integers(1, 10**9), st.integers(0, 99)).map(lambda t: f"{t[0]:,}.{t[1]:02d}"),
)


@settings(max_examples=300, deadline=None)
@given(num=_SIMPLE_NUMBERS,
       scale=st.sampled_from(["", " thousand", " million", " billion"]),
       form=st.sampled_from(["£{}", "€{}", "${}", "{} GBP", "GBP {}", "{} JPY", "CHF {}", "{} ZZZ",
                             "{} EUR", "£{} GBP", "{}"]))
def test_fast_path_agrees_with_the_grammar(num, scale, form):
    """Simple phrases are read by a shortcut; it must give exactly what the
    full grammar gives (value, representation, currency, qualifier, period)
    and must decline whatever the grammar would reject."""
    from ledger.phrases.money import _parse_grammar, _parse_simple

    text = form.format(num + scale)
    fast = _parse_simple(text)
    try:
        full = _parse_grammar(text)
    except MoneyError:
        assert fast is None, text
        return
    if fast is not None:
        assert fast == full and str(fast.amount) == str(full.amount), text


def test_fast_path_agrees_on_a_generated_ledger(repo_root, tmp_path):
    import sys
    sys.path.insert(0, str(repo_root / "benchmarks"))
    try:
        import generate
    finally:
        sys.path.pop(0)
    from ledger.phrases.money import _parse_grammar, _parse_simple

    generate.write(tmp_path, 3000, 7)
    phrases = set()
    for f in (tmp_path / "journal").glob("*.toml"):
        phrases.update(re.findall(r'^amount = "(.*)"$', f.read_text(encoding="utf-8"), re.M))
    taken = [p for p in phrases if _parse_simple(p) is not None]
    assert len(taken) > len(phrases) // 2       # the shortcut is actually used
    for p in taken:
        full = _parse_grammar(p)
        assert _parse_simple(p) == full and str(_parse_simple(p).amount) == str(full.amount), p


@pytest.mark.parametrize("text,amount,currency,qualifier,period", [
    ("twelve million pounds a year for three years", "12000000", "GBP", "exact",
     "per year for 3 years"),
    ("douze millions d'euros sur deux ans", "12000000", "EUR", "exact", "over 2 years"),
    ("jusqu'à 7 millions de livres par an à partir d'avril 2024", "7000000", "GBP", "up to",
     "per year from 2024-04-01"),
    ("environ 63 M€ pour l'exercice 2024", "63000000", "EUR", "about", "fiscal year 2024"),
    ("£950 million in FY2024", "950000000", "GBP", "exact", "fiscal year 2023-24"),
    ("54 millions de livres sterling (soit environ 63 M€) pendant deux ans", "54000000", "GBP",
     "exact", "over 2 years"),
])
def test_english_and_french_phrases_parse_whole(text, amount, currency, qualifier, period):
    p = parse_amount(text)
    assert (p.amount, p.currency, p.qualifier, p.period.describe()) == (
        D(amount), currency, qualifier, period)
