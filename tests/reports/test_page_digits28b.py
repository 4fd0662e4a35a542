"""The page's counts and percentages are written in the digits babel writes
the amounts beside them in: babel formats in the Latin numbering system
unless asked otherwise (ar_EG's and fa_IR's default systems are arab and
arabext, yet format_decimal(2, locale="ar_EG") is "2"), as do the workbook
and the terminal.  The browser's Intl would follow the locale's default and
write "٢" in the by-funder count column, the percentage column and the
state line.

Expected strings are babel's (format_decimal); the shares are worked out
here from the entries' amounts.  Skipped, with the reason shown, without
chromium, chromium-driver or selenium (see tests/reports/test_html.py)."""
from __future__ import annotations

import re
import shutil
from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_decimal

from ledger_tool.cli import main
from tests.reports.test_html import _browser_or_skip, _open

# funder -> the amounts of its pledges (GBP)
PLEDGES = {"A": [Decimal(10 + i) for i in range(1003)], "B": [Decimal("7.5"), Decimal("2.5")]}


@pytest.fixture(scope="module")
def browser():
    driver, profile = _browser_or_skip()
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _journal(path) -> None:
    rows = [f'[[entry]]\nid = "{f}{i}"\ndate = 2015-03-01\nfunder = "{f}"\n'
            f'purpose = "P"\namount = "{a}"\ncurrency = "GBP"\n'
            for f, amounts in PLEDGES.items() for i, a in enumerate(amounts)]
    path.write_text('[ledger]\ncurrency = "GBP"\n\n' + "\n".join(rows), encoding="utf-8")


@pytest.mark.parametrize("locale", ["ar_EG", "fa_IR", "de_DE"])
def test_counts_and_shares_in_babels_digits(browser, tmp_path, locale):
    _journal(tmp_path / "j.toml")
    assert main(["report", str(tmp_path / "j.toml"), "--out", str(tmp_path / "r"),
                 "--locale", locale]) == 0
    _open(browser, tmp_path / "r" / "report.html")
    rows = browser.execute_script(
        "return Array.from(document.querySelectorAll('#by-funder-table tbody tr')).map("
        "function (tr) { return Array.from(tr.cells).map(function (c) { return c.textContent; }); });")
    total = sum(sum(a) for a in PLEDGES.values())
    want = {f: (len(a), sum(a)) for f, a in PLEDGES.items()}
    want["Total"] = (sum(n for n, _ in want.values()), total)
    assert {r[0] for r in rows} == set(want)
    for row in rows:
        n, amount = want[row[0]]
        assert row[2] == format_decimal(n, locale=locale), (row, locale)
        share = (amount * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP)
        assert format_decimal(share, format="0.0", locale=locale) in row[3], (row, locale)
    state = browser.execute_script("return document.getElementById('filter-state').textContent;")
    assert f" in {format_decimal(want['Total'][0], locale=locale)} entries" in state, state
    text = browser.execute_script("return document.body.innerText;")
    others = sorted({c for c in text if c.isdigit() and not re.fullmatch("[0-9]", c)})
    assert not others, (locale, others)
