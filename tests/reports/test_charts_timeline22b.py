"""The static timeline chart (reports/charts.py timeline_figure, PNG/SVG)
with more funders than colours draws what the page does: the 9 funders
largest over the years shown apiece, the others summed per year as one
grey bar "(other: N funders)"; every year's bars still add up to its
total.  The amounts expected are worked from the entries as written."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest

import ledger
from ledger.model import Entry
from reports.tables import ReportOptions, build_report

pytest.importorskip("matplotlib")

KEPT = 9


def _figure(rows: list[tuple[str, int, int]]):
    """One-off GBP pledges (funder, year, pounds) on 1 March: wholly in
    that calendar year.  The timeline's axes."""
    entries = tuple(Entry(id=f"e{k}", date=dt.date(year, 3, 1), funder=funder, purpose="P",
                          amount=Decimal(pounds), currency="GBP")
                    for k, (funder, year, pounds) in enumerate(rows))
    report = build_report(ledger.Ledger(entries, {}, {}, None), ReportOptions(currency="GBP"))
    from reports.charts import timeline_figure
    return timeline_figure(report).axes[0]


def _drawn(ax) -> dict[str, tuple[list[float], str]]:
    """Bar name -> (height per year, in the axis's order; its colour)."""
    from matplotlib.colors import to_hex
    return {c.get_label(): ([b.get_height() for b in c], to_hex(c[0].get_facecolor()))
            for c in ax.containers}


def _expected(rows, years):
    total: dict[str, int] = defaultdict(int)
    for funder, _, pounds in rows:
        total[funder] += pounds
    ranked = sorted(total, key=lambda f: (-total[f], f))
    kept = set(ranked[:KEPT]) if len(ranked) > KEPT + 1 else set(ranked)
    other = f"(other: {len(ranked) - len(kept)} funders)"
    out: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(years))
    for funder, year, pounds in rows:
        out[funder if funder in kept else other][years.index(year)] += pounds
    return dict(out), other


def _grey(colour: str) -> bool:
    return colour[1:3] == colour[3:5] == colour[5:7]


def test_thirty_funders_over_ten_years_draw_nine_and_the_others():
    """The largest over the ten years are not the largest in each year."""
    years = list(range(2001, 2011))
    rows = [(f"Funder {i:02d}", y, 5000 + 97 * ((i * 7 + y * 3) % 31) + i) for i in range(30) for y in years]
    want, other = _expected(rows, years)
    drawn = _drawn(_figure(rows))
    assert {name: h for name, (h, _) in drawn.items()} == want      # whole pounds: exact as floats
    assert len(drawn) == KEPT + 1 and other == "(other: 21 funders)"
    # every year's bars add up to that year's pledges
    for k, y in enumerate(years):
        assert sum(h[k] for h, _ in drawn.values()) == pytest.approx(sum(p for _, yy, p in rows if yy == y))
    colours = {name: c for name, (_, c) in drawn.items()}
    assert _grey(colours.pop(other))
    assert len(set(colours.values())) == KEPT and not any(_grey(c) for c in colours.values()), colours


def test_ten_funders_each_keep_a_bar():
    rows = [(f"F{i}", 2015, 1000 + i) for i in range(10)]
    drawn = _drawn(_figure(rows))
    assert {name: h for name, (h, _) in drawn.items()} == {f: [float(p)] for f, _, p in rows}
