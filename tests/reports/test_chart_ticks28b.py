"""A chart's axis ticks are written by the same formatter as its bar labels
(reports/amounts.format_amount): grouped as babel groups the locale's numbers
where the locale abbreviates nothing ("£1,000" in ja_JP, "10.000 £" in
de_DE), with the digits a tick needs where it abbreviates ("£1.25万").

The expected strings are babel's (said_by_babel: format_compact_currency,
its bare digits grouped by format_decimal); the tick values are read back from
the SVG's text with babel's parse_decimal.  The PNG is drawn by the same
formatter."""
from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from babel.numbers import format_compact_currency, parse_decimal

import ledger
from ledger.model import Entry
from reports.charts import money_formatter, write_charts
from reports.tables import ReportOptions, build_report
from tests.reports.test_page_locale28 import said_by_babel

SVG = "{http://www.w3.org/2000/svg}"


def _report(locale: str, amounts: list[str]):
    entries = tuple(Entry(id=f"e{i}", date=dt.date(2024, 3, 14), funder=f"F:{i}",
                          purpose=f"P:{i}", amount=Decimal(a), currency="GBP")
                    for i, a in enumerate(amounts))
    return build_report(ledger.Ledger(entries, {}, {}, None),
                        ReportOptions(currency="GBP", locale=locale))


def _texts(svg) -> tuple[list[str], list[str]]:
    """(the axis tick labels, every other text) of a chart's SVG that name £."""
    root = ET.parse(svg).getroot()
    ticks: list[str] = []
    in_ticks: set[int] = set()
    for g in root.iter(f"{SVG}g"):
        if re.fullmatch(r"[xy]tick_\d+", g.get("id", "")):
            for t in g.iter(f"{SVG}text"):
                in_ticks.add(id(t))
                ticks.append("".join(t.itertext()))
    others = ["".join(t.itertext()) for t in root.iter(f"{SVG}text") if id(t) not in in_ticks]
    return [t for t in ticks if "£" in t], [t for t in others if "£" in t]


@pytest.mark.parametrize("locale,amounts", [
    ("ja_JP", ["5105.10", "2500"]),          # the review's ledger: ticks £0 … £6,000
    ("de_DE", ["5105.10", "25000"]),         # ticks 0 £ … 25.000 £
])
def test_ticks_are_grouped_as_the_bar_labels(tmp_path, locale, amounts):
    report = _report(locale, amounts)
    out = write_charts(report, tmp_path, names={"purpose"})
    ticks, labels = _texts(out["purpose"]["svg"])
    values = [parse_decimal(re.sub(r"[£\s]", "", t), locale=locale) for t in ticks]
    assert max(values) >= 1000, ticks          # grouping has something to show
    for tick, value in zip(ticks, values):
        assert tick == said_by_babel(value, "GBP", locale), (tick, locale)
    for a in amounts:
        assert said_by_babel(Decimal(a).normalize(), "GBP", locale) in labels, (a, labels)


@pytest.mark.parametrize("value", [12500, 125000, 250_000_000])
def test_a_ten_thousands_tick_keeps_its_digits(value):
    """ja_JP abbreviates by 万 (10^4) and 億 (10^8): £12,500 is £1.25万, not £1.2万."""
    want = format_compact_currency(value, "GBP", locale="ja_JP", fraction_digits=2)
    assert money_formatter("GBP", "ja_JP")(float(value)) == want
    shown = Decimal(re.sub(r"[^0-9.]", "", want))
    unit = Decimal(10_000 if "万" in want else 100_000_000)
    assert shown * unit == value
