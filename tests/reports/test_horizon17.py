"""An open-ended amount ("£10m a year") is counted to one end date whatever
years the figures are grouped in (it was taken in the years asked for: to
31 December 2018 in calendar years, to 31 March 2019 in fiscal ones, £2.47m
more); its total is the rate × the span's years by anniversaries in every
grouping, a whole year the rate and the part years the rest by their days
(fix29; fix17b had each part year the rate × its days / that year's
length, so the totals differed by where the leap days fell); and
the export's ``open_ended`` column says which entries are open-ended in
every basis (it was False for all once a horizon was set)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger.book import Book
from ledger.model import Entry, Period
from ledger.phrases.period import parse_period
from reports.valuation import Spec, default_horizon, value

LEDGER = """\
[ledger]
currency = "GBP"
fiscal_year_start = "04-01"

[[entry]]
id = "ayear"
date = 2015-07-01
funder = "UK"
purpose = "P:ayear"
amount = "£10m a year"

[[entry]]
id = "over3"
date = 2015-07-01
funder = "UK"
purpose = "P:over3"
amount = "£9m over 3 years"
"""


def half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2))


# by hand: "£9m over 3 years" from 1 July 2015 ends on 30 June 2018, so the
# ledger's horizon is 31 December 2018: £10m a year for 3 + 184/365 years by
# anniversaries (1 July 2018 to 31 December, of the 365 days to 1 July 2019)
OPEN_TO_2018 = half_up(Fraction(1_000_000_000 * 184, 365)) + 3 * 1_000_000_000
TOTAL = Decimal(OPEN_TO_2018 + 900_000_000).scaleb(-2)
# in fiscal years (1 April) the same total: 2016-17 and 2017-18 whole, the
# part years 2015-16 (275 days) and 2018-19 (275 days) share the rest
TOTAL_FISCAL = TOTAL


@pytest.fixture
def ledger_file(tmp_path):
    f = tmp_path / "l.toml"
    f.write_text(LEDGER, encoding="utf-8")
    return f


def _balance(run_cli, src, *args):
    code, out, err = run_cli("balance", src, "--currency", "GBP", "--format", "csv", *args)
    assert code == 0, err
    totals = [Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
              if r["account"] == "(total)"]
    return sum(totals), err


def test_one_end_date_by_year_and_by_fiscal_year(run_cli, ledger_file):
    whole, err = _balance(run_cli, ledger_file)
    assert whole == TOTAL
    assert "counted up to the end of 2018" in err
    by_year, _ = _balance(run_cli, ledger_file, "--by", "year")
    by_fiscal, err_f = _balance(run_cli, ledger_file, "--by", "fiscal-year")
    assert by_year == TOTAL and by_fiscal == TOTAL_FISCAL
    assert "counted up to the end of 2018 " in err_f and "--years" in err_f


@pytest.mark.parametrize("horizon,extra,extra_fiscal", [
    ("2018", 0, 0),
    # 2018-19 ends on 31 March 2019: 3 + 274/365 years by anniversaries (1
    # July 2018 to 31 March 2019), rounded once, in any years
    ("2018-19", half_up(Fraction(1_000_000_000 * 274, 365))
     - half_up(Fraction(1_000_000_000 * 184, 365)),
     half_up(Fraction(1_000_000_000 * 274, 365)) - half_up(Fraction(1_000_000_000 * 184, 365))),
])
def test_a_given_horizon_is_one_end_date(run_cli, ledger_file, horizon, extra, extra_fiscal):
    want = TOTAL + Decimal(extra).scaleb(-2)
    for by in ([], ["--by", "year"]):
        got, err = _balance(run_cli, ledger_file, "--horizon", horizon, *by)
        assert got == want, (by, err)
    got, err = _balance(run_cli, ledger_file, "--horizon", horizon, "--by", "fiscal-year")
    assert got == TOTAL_FISCAL + Decimal(extra_fiscal).scaleb(-2), err


@pytest.mark.parametrize("basis", ["total", "recorded", "per-year"])
@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_the_open_ended_column_says_which_entries_are(run_cli, ledger_file, tmp_path, basis,
                                                      suffix):
    for k, extra in enumerate(([], ["--years", "calendar"], ["--horizon", "2020"])):
        out = tmp_path / f"x{k}.{suffix}"
        code, _, err = run_cli("export", ledger_file, "-o", out, "--basis", basis, *extra)
        if basis == "recorded" and "--years" in extra:     # refused: recorded does not spread
            assert code == 1 and "--basis total" in err
            continue
        assert code == 0, err
        if suffix == "csv":
            rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
            flags = {(r["id"], r["open_ended"]) for r in rows}
            assert flags == {("ayear", "True"), ("over3", "False")}, (basis, extra)
        else:
            t = pq.read_table(out).to_pandas()
            flags = {(str(i), bool(o)) for i, o in zip(t["id"], t["open_ended"])}
            assert flags == {("ayear", True), ("over3", False)}, (basis, extra)


def test_a_datasets_export_says_so_too(run_cli, ledger_file, tmp_path):
    src = tmp_path / "b.csv"
    src.write_text("id,date,funder,purpose,amount,currency,period\n"
                   "ayear,2015-07-01,UK,P:ayear,10000000,GBP,per year\n"
                   "over3,2015-07-01,UK,P:over3,9000000,GBP,over 3 years\n", encoding="utf-8")
    ds = tmp_path / "d.parquet"
    code, _, err = run_cli("import", src, "--to", ds)
    assert code == 0, err
    for basis in ("total", "recorded"):
        out = tmp_path / f"{basis}.csv"
        code, _, err = run_cli("export", ds, "-o", out, "--basis", basis)
        assert code == 0, err
        rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert {(r["id"], r["open_ended"]) for r in rows} == {("ayear", "True"),
                                                              ("over3", "False")}, basis
    total, _ = _balance(run_cli, ds, "--by", "fiscal-year")
    assert total == TOTAL_FISCAL


# ------------------------------------------------------------ generated ledgers
@st.composite
def entries(draw):
    out = []
    for i in range(draw(st.integers(1, 6))):
        leap = draw(st.booleans())
        date = (dt.date(draw(st.sampled_from([2012, 2016, 2020])), 2, 29) if leap else
                dt.date(draw(st.integers(2010, 2022)), draw(st.integers(1, 12)),
                        draw(st.integers(1, 28))))
        kind = draw(st.sampled_from(["one-off", "per-year", "open", "over", "months"]))
        n = draw(st.integers(1, 5))
        period = {"one-off": Period(), "per-year": Period("per-year", years=Decimal(n)),
                  "open": Period("per-year"), "over": Period("over", years=Decimal(n)),
                  "months": parse_period(f"over {n * 7} months")}[kind]
        out.append(Entry(f"e{i}", date, "UK", "P", Decimal(draw(st.integers(1, 10**11))).scaleb(-2),
                         "GBP", period=period))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries(), st.sampled_from([None, "2024", "2024-25"]))
def test_one_horizon_and_the_same_bounded_total_in_any_years(es, horizon):
    """One end date whatever --years; the bounded entries' total is the same
    in every grouping (an open-ended one's is by the per-year rule, checked
    against a hand model in test_valuation_invariants)."""
    book = Book.from_entries(es)
    bounded = {e.id for e in es if not (e.period.kind == "per-year" and e.period.years is None)}
    totals, horizons = set(), set()
    for years in ("calendar", "fiscal-uk", "fiscal-us"):
        spec = Spec(currency="GBP", years=years, horizon=horizon)
        horizons.add(default_horizon(book, spec))
        spread = value(book, spec, fast=True).spread
        totals.add(sum(int(v) for i, v in zip(spread["id"].astype(str), spread["value_minor"])
                       if i in bounded))
    assert len(horizons) == 1 and len(totals) == 1, (horizons, totals)
