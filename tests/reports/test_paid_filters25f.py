"""A payment of a pledge in another currency has one value whatever the
filter (docs/reports.md, "Paid in another currency"): it is valued against
its pledge taken from the whole book, even when --funder or --purpose
leaves the pledge out of the report, in a journal and in a dataset, and
the CLI's figures are those of the page's own filters.

Figures by hand from the entries at the ECB rates of their dates
(checked below through rates.convert): €1 = £0.778 on 1 March 2016,
£0.84098 on 1 December 2016, £0.8723 on 1 June 2017.
  P   FR:MI pledges €1,000,000 to Calais:Security   = £778,000 (the pledge's rate)
  D1  UK:HO pays €300,000 of P, for Calais:Fencing  = £233,400 as P is valued
      (£252,294 at its own rate: what --funder UK:HO gave before)
  D2  FR:MI pays €200,000 of P, for Calais:Security = £155,600 as P is valued
  G   UK:HO pledges £100,000 to Calais:Fencing
(D2 at its own rate, £174,460, is what --from 2016-06-01 gave before.)
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from rates import convert
from tests.reports.test_html import browser  # noqa: F401  (a fixture)
from tests.reports.test_outstanding12 import COLUMNS, _page_rows, _sheet
from tests.reports.test_page_depth21 import _csv

# id: (date, funder, purpose, amount, currency, status, link)
ENTRIES = {
    "P": ("2016-03-01", "FR:MI", "Calais:Security", "1000000", "EUR", "pledged", None),
    "D1": ("2016-12-01", "UK:HO", "Calais:Fencing", "300000", "EUR", "disbursed",
           ("disburses", "P")),
    "D2": ("2017-06-01", "FR:MI", "Calais:Security", "200000", "EUR", "disbursed",
           ("disburses", "P")),
    "G": ("2017-02-01", "UK:HO", "Calais:Fencing", "100000", "GBP", "pledged", None),
}
RATES = {"2016-03-01": Decimal("0.778"), "2016-12-01": Decimal("0.84098"),
         "2017-06-01": Decimal("0.8723")}
PLEDGE = 778_000                # €1,000,000 × 0.778
D1 = 233_400                    # €300,000 × 0.778, not × 0.84098 (£252,294)
D2 = 155_600                    # €200,000 × 0.778
# (total, paid, outstanding, paid for others) per funder, per filter
WANT = {
    (): {"FR:MI": (PLEDGE, D1 + D2, PLEDGE - D1 - D2, 0),
         "UK:HO": (100_000, 0, 100_000, D1)},
    ("--funder", "UK:HO"): {"UK:HO": (100_000, 0, 100_000, D1)},
    ("--funder", "FR:MI"): {"FR:MI": (PLEDGE, D1 + D2, PLEDGE - D1 - D2, 0)},
    # P left out (another purpose): D1 still paid as P is valued, on P's funder
    ("--purpose", "Calais:Fencing"): {"FR:MI": (0, D1, -D1, 0),
                                      "UK:HO": (100_000, 0, 100_000, D1)},
    ("--purpose", "Calais:Security"): {"FR:MI": (PLEDGE, D2, PLEDGE - D2, 0)},
    # P before the dates (before: paid at own rates, £252,294 + £174,460)
    ("--from", "2016-06-01"): {"FR:MI": (0, D1 + D2, -D1 - D2, 0),
                               "UK:HO": (100_000, 0, 100_000, D1)},
}


def test_the_rates_are_those_by_hand():
    for day, rate in RATES.items():
        assert convert(Decimal(1), "EUR", "GBP", dt.date.fromisoformat(day)).rate == rate
    assert Decimal(300_000) * RATES["2016-12-01"] == 252_294
    assert Decimal(200_000) * RATES["2017-06-01"] == 174_460


def _journal(path: Path, entries) -> Path:
    text = '[ledger]\nname = "fx"\ncurrency = "GBP"\n'
    for i, (date, funder, purpose, amount, cur, status, link, *period) in entries.items():
        text += (f'\n[[entry]]\nid = "{i}"\ndate = {date}\nfunder = "{funder}"\n'
                 f'amount = "{amount}"\ncurrency = "{cur}"\nstatus = "{status}"\n')
        if period:
            text += f'period = "{period[0]}"\n'
        if link:
            text += f'{link[0]} = "{link[1]}"\n'
        if isinstance(purpose, dict):     # split between purposes
            text += "".join(f'[[entry.split]]\npurpose = "{k}"\namount = "{v}"\n'
                            for k, v in purpose.items())
        else:
            text += f'purpose = "{purpose}"\n'
    path.write_text(text, encoding="utf-8")
    return path


def _dataset(root: Path, entries) -> Path:
    """One partition a year: D1 in 2016's beside P, D2 in 2017's."""
    by_year: dict[str, list[dict]] = defaultdict(list)
    for i, (date, funder, purpose, amount, cur, status, link, *period) in entries.items():
        row = dict.fromkeys([*COLUMNS, "period"], "")
        row.update(id=i, date=date, funder=funder, purpose=purpose, amount=amount,
                   currency=cur, status=status, period=period[0] if period else "")
        if link:
            row[link[0]] = link[1]
        by_year[date[:4]].append(row)
    for year, rows in by_year.items():
        (root / f"year={year}").mkdir(parents=True)
        pq.write_table(pa.table({c: [r[c] for r in rows] for c in [*COLUMNS, "period"]}),
                       root / f"year={year}" / "part-0.parquet")
    return root


def _report(run_cli, tmp_path: Path, form: str, entries, *options) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = _journal(tmp_path / "o.toml", entries) if form == "journal" else \
        _dataset(tmp_path / "o.parquet", entries)
    out = tmp_path / "r"
    code, _, err = run_cli("report", str(path), "--out", str(out), "--amounts", "exact",
                           "--currency", "GBP", *options)
    assert code == 0, err
    return out


@pytest.mark.parametrize("form", ["journal", "dataset"])
@pytest.mark.parametrize("chosen", list(WANT))
def test_a_payment_has_one_value_under_every_filter(run_cli, tmp_path, form, chosen):
    """Before: --funder UK:HO gave paid for others £252,294 and --purpose
    Calais:Fencing paid £252,294 (D1 at its own rate), against £233,400
    unfiltered."""
    out = _report(run_cli, tmp_path, form, ENTRIES, *chosen)
    assert _sheet(out) == WANT[chosen]
    if form == "dataset":
        assert _csv(out / "by_status.csv") == WANT[chosen]


@pytest.mark.parametrize("form", ["journal", "dataset"])
def test_the_page_filters_as_the_cli(browser, run_cli, tmp_path, form):  # noqa: F811
    """The page's Funder filter (built from the whole report) and the CLI's
    --funder give D1 the same value."""
    from tests.reports.test_html import _choose, _open

    out = _report(run_cli, tmp_path / "a", form, ENTRIES)
    cli = _report(run_cli, tmp_path / "b", form, ENTRIES, "--funder", "UK:HO")
    want = WANT[("--funder", "UK:HO")]
    assert _sheet(cli) == want
    _open(browser, out / "report.html")
    assert {k: v for k, v in _page_rows(browser).items() if k != "Total"} == WANT[()]
    _choose(browser, "f", "UK:HO")
    assert {k: v for k, v in _page_rows(browser).items() if k != "Total"} == want


def test_a_payment_cut_by_purpose_is_its_share(run_cli, tmp_path):
    """D3, €100,000 by UK:HO on 1 December 2016 (€40,000 for Calais:Fencing,
    €60,000 for Calais:Security), pays P: under --purpose Calais:Fencing its
    €40,000 is £31,120 as P is valued (€40,000 × 0.778; before, £33,639.20
    at its own rate), unfiltered all of it £77,800."""
    entries = {**ENTRIES, "D3": ("2016-12-01", "UK:HO",
                                 {"Calais:Fencing": "40000", "Calais:Security": "60000"},
                                 "100000", "EUR", "disbursed", ("disburses", "P"))}
    d3, cut = 77_800, 31_120
    whole = _report(run_cli, tmp_path / "a", "journal", entries)
    assert _sheet(whole) == {"FR:MI": (PLEDGE, D1 + D2 + d3, PLEDGE - D1 - D2 - d3, 0),
                             "UK:HO": (100_000, 0, 100_000, D1 + d3)}
    out = _report(run_cli, tmp_path / "b", "journal", entries, "--purpose", "Calais:Fencing")
    assert _sheet(out) == {"FR:MI": (0, D1 + cut, -D1 - cut, 0),
                           "UK:HO": (100_000, 0, 100_000, D1 + cut)}
