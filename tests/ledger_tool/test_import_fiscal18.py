"""A dataset keeps the fiscal year start of the ledger its rows were listed
from, as a new journal ledger does: "£5m in fiscal year 2017-18" of a
1 July ledger, imported from its listing with ``-o`` and with ``--to``,
counts the same in both, in every grouping of years.  Before, the dataset
had no fiscal year start and read the label as April 2017 - March 2018.

Figures by hand (fiscal 2017-18 of a 1 July ledger: 2017-07-01..2018-06-30,
365 days, the £5m spread by days, pennies by largest remainder):
- its own fiscal years (``--years fiscal``): 2017-18 £5,000,000.00;
- calendar years: 184 days in 2017 (500,000,000 × 184/365 = 252,054,794.52
  pennies), 181 in 2018 (247,945,205.48): £2,520,547.95 and £2,479,452.05;
- UK fiscal years (1 April): 274 days in 2017-18 (375,342,465.75 pennies),
  91 in 2018-19 (124,657,534.25): £3,753,424.66 and £1,246,575.34.
The dataset of main read the label as April's: calendar 2017 £3,767,123.29.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

LISTING = ("id,date,funder,purpose,amount,currency,period,status,fiscal_year_start\n"
           "fy,2017-08-01,UK:A,P:F,5000000,GBP,fiscal year 2017-18,committed,07-01\n")

BY_HAND = {
    "fiscal": {"2017-18": Decimal("5000000.00")},
    "calendar": {"2017": Decimal("2520547.95"), "2018": Decimal("2479452.05")},
    "fiscal-uk": {"2017-18": Decimal("3753424.66"), "2018-19": Decimal("1246575.34")},
}


@pytest.fixture
def imported(run_cli, tmp_path):
    """(the journal ledger, the dataset, what --to said) imported from one listing."""
    src = tmp_path / "listing.csv"
    src.write_text(LISTING, encoding="utf-8")
    code, _, err = run_cli("import", src, "-o", tmp_path / "ledger")
    assert code == 0, err
    code, _, err = run_cli("import", src, "--to", tmp_path / "d.parquet")
    assert code == 0, err
    return tmp_path / "ledger", tmp_path / "d.parquet", err


def _balance(run_cli, path, by: str) -> dict[str, Decimal]:
    code, out, err = run_cli("balance", path, "--currency", "GBP", "--by", by, "--format", "csv")
    assert code == 0, err
    return {r["year"]: Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
            if r["account"] == "(total)"}


def test_balance_counts_the_listed_fiscal_year_in_the_journal_and_the_dataset(run_cli, imported):
    journal, dataset, _ = imported
    for by, want in (("fiscal-year", BY_HAND["fiscal"]), ("year", BY_HAND["calendar"])):
        assert _balance(run_cli, journal, by) == want, by
        assert _balance(run_cli, dataset, by) == want, by


def test_report_years_fiscal_are_the_listing_ledgers_own(run_cli, imported, tmp_path):
    from ledger.read import read_book
    from reports.tables import ReportOptions, build_report

    journal, dataset, _ = imported
    for years in ("fiscal", "calendar", "fiscal-uk"):
        for name, path in (("journal", journal), ("dataset", dataset)):
            code, out, err = run_cli("report", path, "--out", tmp_path / f"{name}-{years}",
                                     "--years", years, "--format", "csv")
            assert code == 0, err
            total = next(Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
                         if r["funder"] == "(total)")
            assert total == Decimal(5_000_000), (name, years)
            # the report's by-year table (its workbook's and page's years)
            report = build_report(read_book(path), ReportOptions(years=years))
            by_year = {str(y): Decimal(str(v)) for y, v in report.by_year.sum(axis=1).items()}
            assert by_year == BY_HAND[years], (name, years)
        code, out, err = run_cli("export", dataset, "--to", "csv", "-o",
                                 tmp_path / f"d-{years}.csv", "--basis", "total",
                                 "--years", years)
        assert code == 0, err
        with open(tmp_path / f"d-{years}.csv", encoding="utf-8") as fh:
            got = {r["year"]: Decimal(r["value"]) for r in csv.DictReader(fh)}
        assert got == BY_HAND[years], years


def test_the_dataset_lists_its_fiscal_year_start_back(run_cli, imported):
    _, dataset, said = imported
    assert "note: the new dataset's fiscal year starts on 07-01" in said
    code, out, err = run_cli("list", dataset, "--format", "csv")
    assert code == 0, err
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["fiscal_year_start"] == "07-01"
    assert row["period"] == "from 2017-07-01 to 2018-06-30"


def test_a_listings_fiscal_column_warnings_are_said_with_to_as_with_o(run_cli, tmp_path):
    src = tmp_path / "two.csv"
    src.write_text(LISTING + "fy2,2017-08-02,UK:A,P:F,1,GBP,,committed,10-01\n",
                   encoding="utf-8")
    said = []
    for how, out in (("-o", tmp_path / "l"), ("--to", tmp_path / "d.parquet")):
        code, _, err = run_cli("import", src, how, out)
        assert code == 0, err
        said.append([ln for ln in err.splitlines() if "several fiscal year starts" in ln])
    assert len(said[0]) == 1 and said[0] == said[1]


@pytest.mark.parametrize("text, why", [
    ('[ledger]\nfiscal_year_start = "13-01"\n', "fiscal year start '13-01'"),
    ("[ledger\n", "cannot read it"),
])
def test_a_bad_dataset_options_file_is_one_line(run_cli, imported, text, why):
    _, dataset, said = imported
    (dataset / "_ledger.toml").write_text(text, encoding="utf-8")
    code, _, err = run_cli("check", dataset)
    assert code == 1
    lines = [ln for ln in err.splitlines() if "_ledger.toml" in ln]
    assert len(lines) == 1 and why in lines[0], err
    assert "Traceback" not in err
