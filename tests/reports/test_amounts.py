"""reports.amounts: amounts as people say them (compact) or exact, with babel;
expectations computed with babel itself."""
from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_compact_currency, format_currency

from reports.amounts import as_said, format_amount, format_data, period_phrase, qualified


@pytest.mark.parametrize("locale", ["en_GB", "fr_FR", "de_DE"])
def test_compact_and_exact_are_babels(locale):
    for v in (Decimal("12000000"), Decimal("1400000"), Decimal("5099054794.52"), Decimal("950.30")):
        assert format_amount(v, "EUR", locale) == format_compact_currency(
            v, "EUR", locale=locale, fraction_digits=1)
        assert format_amount(v, "EUR", locale, "exact") == format_currency(v, "EUR", locale=locale)


def test_qualifiers_stay_visible():
    twelve = format_amount(Decimal(12_000_000), "GBP", "en_GB")
    assert qualified(twelve, ["up to"]) == f"up to {twelve}"
    assert qualified(twelve, ["exact"]) == twelve
    assert qualified(twelve, ["exact", "up to"]) == f"{twelve} (incl. up to)"
    assert qualified(twelve, ["at least", "up to"]) == f"{twelve} (incl. at least, up to)"


def test_a_figure_as_said():
    three = format_compact_currency(Decimal(3_000_000_000), "EUR", locale="en_GB",
                                    fraction_digits=1)
    assert as_said(Decimal(3_000_000_000), "EUR", "at least", "per year", "en_GB") == \
        f"at least {three} a year"
    assert period_phrase("one-off") == "" and period_phrase("over 3 years") == "over 3 years"


def test_format_data_carries_the_locales_symbols():
    d = format_data("EUR", "fr_FR")
    assert d["digits"] == 2 and d["symbol"] == "€" and d["decimal"] == ","
    millions = next(lv for lv in d["levels"] if lv["m"] == "1000000")
    assert millions["div"] == "1000000"
    # CLDR quoting undone (de_DE writes "Mio'.'")
    de = format_data("EUR", "de_DE")
    assert all("'" not in s for lv in de["levels"] if not lv.get("plain")
               for s in lv["pre"] + lv["suf"])


def test_the_audit_says_a_figure_as_the_report_does(example_ledger):
    """The audit's amount column is the exact form of the report's phrase:
    "at least €3,000,000,000.00 a year", not a second wording ("per year")."""
    import ledger
    from reports.audit import _amount

    book = ledger.load(example_ledger)
    e = next(x for x in book.entries if x.id == "france-africa-development-2015")
    exact = format_currency(Decimal(3_000_000_000), "EUR", locale="en_GB")
    assert _amount(e, "en_GB") == f"at least {exact} a year"
    for x in book.entries:
        assert _amount(x, "fr_FR") == as_said(x.amount, x.currency, x.qualifier,
                                              x.period.describe(), "fr_FR", "exact")
