"""The report page's amounts and counts in the page's locale, in a real
browser (reports/page/page.js, its patterns from reports/amounts.py).

Where a locale abbreviates nothing for a magnitude (de_DE below a million,
ja_JP below 10,000, every locale below its first compact magnitude), babel's
compact form prints the bare digits ("510510 £"); the page and the reports
then write the number as the locale groups it ("510.510 £"), its decimals
only when not zero.  Elsewhere the compact form is babel's.  The expected
strings are babel's for the same locale (format_compact_currency, and
format_decimal for the grouped number); none is written here by hand.

Skipped, with the reason shown, without chromium, chromium-driver or
selenium (see tests/reports/test_html.py)."""
from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from babel.numbers import format_compact_currency, format_decimal

import ledger
from ledger.model import Entry
from rates.table import currency_digits
from reports.amounts import format_amount
from reports.html import render_html
from reports.tables import ReportOptions, build_report
from tests.reports.test_html import _browser_or_skip, _open

CASES = [("de_DE", "GBP"), ("de_DE", "EUR"), ("fr_FR", "EUR"), ("en_IN", "INR"),
         ("ja_JP", "JPY"), ("en_GB", "GBP")]
AMOUNTS = ["510510", "5105.1", "99999.99", "999999.99", "1234", "9999", "12345.6",
           "1234567", "12500000", "999.95", "0.5", "0", "-510510", "-1234567"]


def said_by_babel(amount: Decimal, currency: str, locale: str) -> str:
    """babel's compact form; where it abbreviates nothing (the amount's own
    digits stand in it), those digits grouped as babel groups the locale's
    numbers."""
    text = format_compact_currency(amount, currency, locale=locale, fraction_digits=1)
    bare = format_decimal(abs(amount), format="0", locale=locale, decimal_quantization=False)
    if bare in text:
        grouped = format_decimal(abs(amount), locale=locale, decimal_quantization=False)
        return text.replace(bare, grouped, 1)
    return text


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser_or_skip()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _amounts(currency: str) -> list[Decimal]:
    q = Decimal(1).scaleb(-currency_digits(currency))
    return sorted({Decimal(a).quantize(q) for a in AMOUNTS})


@pytest.mark.parametrize("locale,currency", CASES)
def test_reports_say_unabbreviated_amounts_grouped(locale, currency):
    for amount in _amounts(currency):
        assert format_amount(amount, currency, locale, "compact") == \
            said_by_babel(amount, currency, locale), (amount, locale)


def test_german_thousands_are_grouped():
    """The issue's figure: £510,510 in German is 510.510 £, as babel groups it."""
    got = format_amount(Decimal(510510), "GBP", "de_DE", "compact")
    assert got == said_by_babel(Decimal(510510), "GBP", "de_DE")
    assert format_decimal(510510, locale="de_DE") in got


@pytest.mark.parametrize("locale,currency", CASES)
def test_the_page_says_amounts_as_babel(browser, tmp_path, locale, currency):
    e = Entry(id="e1", date=dt.date(2015, 1, 1), funder="F", purpose="P",
              amount=Decimal(510510), currency=currency)
    r = build_report(ledger.Ledger((e,), {}, {}, None),
                     ReportOptions(currency=currency, locale=locale))
    path = tmp_path / "fmt.html"
    path.write_text(render_html(r), encoding="utf-8")
    _open(browser, path)
    amounts = _amounts(currency)
    k = currency_digits(currency)
    got = browser.execute_script(
        "return arguments[0].map(function (v) { return window.ledgerFormat.compact(BigInt(v)); })",
        [str(int(a.scaleb(k))) for a in amounts])
    for amount, shown in zip(amounts, got):
        assert shown == said_by_babel(amount, currency, locale), (amount, locale)
    # the one entry's amount as the summary table shows it
    shown = browser.execute_script(
        "return document.querySelector('#summary-table tbody button.amt').textContent;")
    assert shown == said_by_babel(Decimal(510510), currency, locale)


def _journal(path, counts: dict[str, int]) -> None:
    rows = []
    for funder, n in counts.items():
        rows += [f'[[entry]]\nid = "{funder}{i}"\ndate = 2015-03-01\nfunder = "{funder}"\n'
                 f'purpose = "P"\namount = "{10 + i}"\ncurrency = "GBP"\n' for i in range(n)]
    path.write_text('[ledger]\ncurrency = "GBP"\n\n' + "\n".join(rows), encoding="utf-8")


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR"])
def test_the_funder_table_counts_in_the_pages_locale(browser, tmp_path, locale):
    """1,100 pledges of A and 134 of B: the by-funder and by-purpose tables
    count them as babel writes the numbers for the locale (1.100, 1.234)."""
    from ledger_tool.cli import main
    counts = {"A": 1100, "B": 134}
    _journal(tmp_path / "j.toml", counts)
    assert main(["report", str(tmp_path / "j.toml"), "--out", str(tmp_path / "r"),
                 "--locale", locale]) == 0
    _open(browser, tmp_path / "r" / "report.html")
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('#by-funder-table tbody tr')).map("
        "function (tr) { return [tr.cells[0].textContent, tr.cells[1].textContent, "
        "tr.cells[2].textContent]; });")
    want = {f: (sum(Decimal(10 + i) for i in range(n)), n) for f, n in counts.items()}
    want["Total"] = (sum(a for a, _ in want.values()), sum(n for _, n in want.values()))
    assert {r[0] for r in rows} == set(want)
    for funder, amount, count in rows:
        assert count == format_decimal(want[funder][1], locale=locale), (funder, count)
        assert amount == said_by_babel(want[funder][0], "GBP", locale), (funder, amount)
    total = browser.execute_script(
        "return document.querySelector('#by-purpose-table tr.total').cells[2].textContent;")
    assert total == format_decimal(sum(counts.values()), locale=locale)
