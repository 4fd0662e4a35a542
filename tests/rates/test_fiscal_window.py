"""An entry "in fiscal year 2021-22" spans the ledger's fiscal year, whatever
years a command spreads it into; a bare horizon year is refused with fiscal
years; a missing yearly average advises an option the command accepts.

Expected figures are days counted by hand from the window (1 October 2021 to
30 September 2022 for a ledger whose fiscal years start on 1 October)."""
from __future__ import annotations

import csv
import io
from decimal import ROUND_HALF_EVEN, Decimal

import pytest

JOURNAL = """[ledger]
name = "fy"
currency = "USD"
fiscal_year_start = "10-01"

[[entry]]
id = "f"
date = 2021-10-01
funder = "F"
purpose = "FY"
amount = "$1m"
period = "fiscal year 2021-22"
"""


def _share(days: int, of: int = 365) -> Decimal:
    return (Decimal(1_000_000) * days / of).quantize(Decimal("0.01"), ROUND_HALF_EVEN)


@pytest.fixture
def ledger(tmp_path):
    f = tmp_path / "fy.toml"
    f.write_text(JOURNAL, encoding="utf-8")
    return f


def _by_year(run_cli, ledger, *years) -> dict[str, Decimal]:
    code, out, err = run_cli("export", ledger, "--to", "csv", "-o", "-", "--basis", "total",
                             *years)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["id"] for r in rows} == {"f"}
    return {r["year"]: Decimal(r["value"]) for r in rows}


def test_calendar_years_split_the_ledgers_fiscal_year(run_cli, ledger):
    # 1 Oct - 31 Dec 2021: 92 days; 1 Jan - 30 Sep 2022: 273 days
    assert _by_year(run_cli, ledger, "--years", "calendar") == {
        "2021": _share(92), "2022": _share(273)}


def test_uk_fiscal_years_split_the_ledgers_fiscal_year(run_cli, ledger):
    # 1 Oct 2021 - 31 Mar 2022: 182 days; 1 Apr - 30 Sep 2022: 183 days
    assert _by_year(run_cli, ledger, "--years", "fiscal-uk") == {
        "2021-22": _share(182), "2022-23": _share(183)}


def test_the_ledgers_own_fiscal_years_hold_it_whole(run_cli, ledger):
    assert _by_year(run_cli, ledger, "--years", "fiscal") == {"2021-22": Decimal("1000000.00")}


def test_balance_by_year_agrees(run_cli, ledger):
    code, out, err = run_cli("balance", ledger, "--currency", "USD", "--by", "year")
    assert code == 0, err
    lines = [ln.split() for ln in out.splitlines() if ln.startswith("  FY")]
    assert [(y, v) for _, y, v in lines] == [
        ("2021", f"US${_share(92):,}"), ("2022", f"US${_share(273):,}")]


@pytest.mark.parametrize("years", [["--years", "fiscal-uk"], ["--years", "fiscal"]])
def test_a_bare_horizon_year_with_fiscal_years_ends_on_31_december(run_cli, tmp_path, years):
    f = tmp_path / "open.toml"
    f.write_text('[[entry]]\nid = "o"\ndate = 2016-07-01\nfunder = "F"\npurpose = "O"\n'
                 'amount = "£10m a year"\n', encoding="utf-8")
    # one end date whatever --years: 2017 is 31 December 2017.  The total is
    # £10m × the span's years by anniversaries, rounded once: 1 July 2016 to
    # 1 July 2017 is one year, then 184 days of the 365 to 1 July 2018; the
    # fiscal years (1 April) 2016-17 (274 days) and 2017-18 (275 days) are
    # both part years and share it (fix29)
    def part(days, length):
        return (Decimal(10_000_000) * days / length).quantize(Decimal("0.01"))

    code, out, err = run_cli("export", f, "--to", "csv", "-o", "-", "--horizon", "2017",
                             "--basis", "total", *years)
    assert code == 0, err
    total = sum(Decimal(r["value"]) for r in csv.DictReader(io.StringIO(out)))
    assert total == part(365 + 184, 365) == Decimal("15041095.89")
    # the fiscal year named is taken, and counts to its end (31 March 2018):
    # 2017-18 whole, £10m; 1 July 2017 to 31 March 2018 is 274 days of 365
    code, out, err = run_cli("export", f, "--to", "csv", "-o", "-", "--horizon", "2017-18",
                             "--basis", "total", *years)
    assert code == 0, err
    total = sum(Decimal(r["value"]) for r in csv.DictReader(io.StringIO(out)))
    assert total == part(274, 365) + 10_000_000


def test_a_missing_yearly_average_advises_an_option_balance_accepts(run_cli, tmp_path):
    f = tmp_path / "future.toml"
    f.write_text('[[entry]]\nid = "e"\ndate = 2025-01-01\nfunder = "EU"\npurpose = "S"\n'
                 'amount = "€3m"\nperiod = "over 3 years"\n', encoding="utf-8")
    code, _, err = run_cli("balance", f, "--currency", "GBP", "--valuation", "yearly-average")
    assert code == 1
    assert "for a yearly average" in err and "--rates CSV" in err and "clamp" not in err



def test_to_frame_takes_the_ledgers_fiscal_year(ledger):
    """The Python API (``rates.to_frame(book)``) spreads as the commands do."""
    import ledger as lt
    from rates.normalise import to_frame

    rows = to_frame(lt.load(ledger), currency="USD", years="calendar")
    assert dict(zip(rows["year"].astype(str), rows["value"])) == {
        "2021": _share(92), "2022": _share(273)}
