"""The horizon is said as the date the figures are counted to, in the same
words everywhere: the notes, the page's basis line and its timeline
heading, the workbook's By year caption, the hledger and beancount headers
and the Fiscal Data Package.
They said "the end of 2018-19" (unclear under ``--years fiscal-us``) where
the notes said the date.

By hand: a 1 July ledger's fiscal year 2018-19 ends on 30 June 2019, so
"£1m a year" from 2017-01-01 counts £1,000,000 in 2017 and in 2018 and
181/365 of it in 2019 (1 January - 30 June): £495,890.41; £2,495,890.41 in all.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from decimal import Decimal

import pytest

END = dt.date(2019, 6, 30)
TOTAL = Decimal("2495890.41")
ARGS = ("--years", "fiscal-us", "--horizon", "2018-19")
JOURNAL = ('[ledger]\nname = "open"\ncurrency = "GBP"\nfiscal_year_start = "07-01"\n\n'
           '[[entry]]\nid = "open"\ndate = 2017-01-01\nfunder = "UK:A"\npurpose = "P:O"\n'
           'amount = "£1m"\nperiod = "a year"\nstatus = "committed"\n')


def _phrase(text: str) -> str:
    """What follows "counted (from their start) up to" / "counted to", up to
    " (" or a full stop."""
    m = re.search(r"counted (?:from their start )?(?:up )?to (.+?)(?: \(|\.(?:\s|$)|\n|$)",
                  text)
    assert m, text[:300]
    return m.group(1)


def _date(phrase: str) -> dt.date:
    return dt.datetime.strptime(phrase.split(",")[0], "%d %B %Y").date()


@pytest.fixture(params=["journal", "dataset"])
def ledger(request, tmp_path, run_cli):
    path = tmp_path / "l.toml"
    path.write_text(JOURNAL, encoding="utf-8")
    if request.param == "journal":
        return path
    code, out, err = run_cli("list", path, "--format", "csv")
    assert code == 0, err
    (tmp_path / "l.csv").write_text(out, encoding="utf-8")
    code, _, err = run_cli("import", tmp_path / "l.csv", "--to", tmp_path / "d.parquet")
    assert code == 0, err
    return tmp_path / "d.parquet"


def test_every_output_says_the_date_the_figures_are_counted_to(ledger, run_cli, tmp_path):
    code, out, err = run_cli("balance", ledger, "--currency", "GBP", "--horizon", "2018-19",
                             "--format", "csv")
    assert code == 0, err
    (total,) = [Decimal(r["amount"]) for r in csv.DictReader(io.StringIO(out))
                if r["account"] == "(total)"]
    assert total == TOTAL
    said = {"balance": _phrase(next(ln for ln in err.splitlines() if "counted" in ln))}

    code, _, err = run_cli("report", ledger, "--out", tmp_path / "r", *ARGS)
    assert code == 0, err
    said["report notes"] = _phrase(next(ln for ln in err.splitlines()
                                        if "Open-ended amounts per year" in ln))
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    basis = re.search(r'<p class="basis" id="basis">(.*?)</p>', page, re.S)[1]
    said["page basis"] = _phrase(html.unescape(basis))
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S)[1])
    said["page timeline"] = data["meta"].get("horizonSaid")
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "r" / "report.xlsx", read_only=True)
    caption = next(str(c) for row in wb["By year"].iter_rows(values_only=True, max_row=5)
                   for c in row if c and "open-ended amounts to" in str(c))
    said["workbook by year"] = _phrase(caption.replace("amounts to", "amounts counted to"))

    for fmt in ("hledger", "beancount"):
        dest = tmp_path / f"x.{fmt}"
        code, _, err = run_cli("export", ledger, "--to", fmt, "-o", dest, "--basis", "total",
                               *ARGS)
        assert code == 0, err
        head = [ln for ln in dest.read_text(encoding="utf-8").splitlines()[:8]
                if "horizon" in ln]
        said[fmt] = _phrase(head[0])
    code, _, err = run_cli("export", ledger, "--to", "fdp", "-o", tmp_path / "fdp", *ARGS)
    assert code == 0, err
    package = json.loads((tmp_path / "fdp" / "datapackage.json").read_text(encoding="utf-8"))
    said["fdp"] = _phrase(package["description"])

    assert len(set(said.values())) == 1, said
    assert _date(said["balance"]) == END, said
