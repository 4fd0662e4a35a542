"""``ledger-tool balance`` (reports/balance.py): linked entries counted once,
and the converted balance equal to the report's totals (issue 13)."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

LINKED = """
[[document]]
id = "d"
title = "t"

[[entry]]
id = "pledge"
date = 2015-07-14
funder = "UK:Home Office"
purpose = "Security"
amount = "£10 million"
  [[entry.source]]
  doc = "d"
  quote = "£10 million"

[[entry]]
id = "paid"
date = 2016-01-10
funder = "UK:Home Office"
purpose = "Security"
amount = "£4 million"
status = "disbursed"
disburses = "pledge"
  [[entry.source]]
  doc = "d"
  quote = "£4 million"

[[entry]]
id = "phase"
date = 2016-02-10
funder = "UK:Home Office"
purpose = "Security"
amount = "£3 million"
part_of = "pledge"
  [[entry.source]]
  doc = "d"
  quote = "£3 million"

[[entry]]
id = "other"
date = 2016-03-01
funder = "France"
purpose = "Humanitarian"
amount = "€5 million"
  [[entry.source]]
  doc = "d"
  quote = "€5 million"
"""


@pytest.fixture
def linked(tmp_path, monkeypatch):
    monkeypatch.setenv("LEDGER_TOOL_CACHE", "off")
    p = tmp_path / "linked.toml"
    p.write_text(LINKED, encoding="utf-8")
    return p


def _rows(out):
    return {(r["account"], r.get("year", ""), r["currency"]): Decimal(str(r["amount"]))
            for r in json.loads(out)}


def test_linked_entries_are_not_added_on_top_of_their_target(linked, run_cli):
    code, out, err = run_cli("balance", str(linked), "--format", "json")
    assert code == 0, err
    rows = _rows(out)
    assert rows[("Funders:UK:Home Office", "", "GBP")] == Decimal("-10000000")
    assert rows[("Purposes:Security", "", "GBP")] == Decimal("10000000")
    # (total): the purposes' total per currency; Funders its negative (double entry)
    for cur in ("GBP", "EUR"):
        assert rows[("(total)", "", cur)] == rows[("Purposes", "", cur)] == \
            -rows[("Funders", "", cur)]
    note = [ln for ln in err.splitlines() if "linked entries" in ln]
    assert len(note) == 1 and "paid, phase" in note[0] and "not added on top" in note[0]


def test_converted_balance_counts_linked_entries_once(linked, run_cli):
    code, out, err = run_cli("balance", str(linked), "--currency", "GBP", "--format", "json")
    assert code == 0, err
    rows = _rows(out)
    home = rows[("Funders:UK:Home Office", "", "GBP")]
    assert home == Decimal("-10000000.00")
    assert rows[("(total)", "", "GBP")] == -(home + rows[("Funders:France", "", "GBP")])


def _report_total(run_cli, ledger, tmp_path, *extra):
    code, out, err = run_cli("report", str(ledger), "--out", str(tmp_path / "r"),
                             "--format", "json", *extra)
    assert code == 0, err
    return Decimal(str([r for r in json.loads(out) if r["funder"] == "(total)"][0]["amount"]))


@pytest.mark.parametrize("extra", [(), ("--valuation", "2016-01-04"),
                                   ("--valuation", "yearly-average")])
def test_converted_totals_equal_the_reports(example_ledger, run_cli, tmp_path, extra):
    """The example has open-ended amounts per year: the same horizon in both."""
    want = _report_total(run_cli, example_ledger, tmp_path, "--currency", "GBP", *extra)
    code, out, err = run_cli("balance", str(example_ledger), "--currency", "GBP",
                             "--format", "json", *extra)
    assert code == 0, err
    rows = _rows(out)
    assert rows[("(total)", "", "GBP")] == want
    assert rows[("Purposes", "", "GBP")] == want == -rows[("Funders", "", "GBP")]
    assert "horizon" in err and "2017" in err
    code, out, err = run_cli("balance", str(example_ledger), "--currency", "GBP",
                             "--format", "json", "--by", "year", *extra)
    by_year = _rows(out)
    years = {k[1]: v for k, v in by_year.items() if k[0] == "(total)"}
    assert set(years) == {"2014", "2015", "2016", "2017"}
    assert sum(years.values()) == want


def test_converted_balance_by_fiscal_year_and_depth(example_ledger, run_cli, tmp_path):
    want = _report_total(run_cli, example_ledger, tmp_path, "--currency", "EUR",
                         "--years", "fiscal")
    code, out, err = run_cli("balance", str(example_ledger), "--currency", "EUR", "--format",
                             "json", "--by", "fiscal-year", "--depth", "2")
    assert code == 0, err
    rows = _rows(out)
    assert all(k[0].count(":") < 2 for k in rows)
    years = {k[1]: v for k, v in rows.items() if k[0] == "(total)"}
    assert all("-" in y for y in years)          # 2014-15, …
    assert sum(years.values()) == want


def test_converted_balance_on_a_generated_ledger_equals_the_report(big, run_cli, tmp_path,
                                                                     monkeypatch):
    monkeypatch.setenv("LEDGER_TOOL_CACHE", "off")
    want = _report_total(run_cli, big, tmp_path, "--currency", "GBP")
    code, out, err = run_cli("balance", str(big / "entries.parquet"), "--currency", "GBP",
                             "--format", "json")
    assert code == 0, err
    assert _rows(out)[("(total)", "", "GBP")] == want


def test_conversion_options_need_currency(example_ledger, run_cli):
    for extra in (["--by", "year"], ["--horizon", "2018"], ["--valuation", "yearly-average"]):
        code, out, err = run_cli("balance", str(example_ledger), *extra)
        assert code == 2 and "needs --currency" in err


def test_table_output_is_indented_and_localised(example_ledger, run_cli):
    code, out, err = run_cli("balance", str(example_ledger), "--currency", "GBP")
    assert code == 0, err
    from babel.numbers import format_currency
    line = [ln for ln in out.splitlines() if "Syria crisis" in ln][0]
    assert line.startswith("    Syria crisis")
    assert line.endswith(format_currency(Decimal("100000000"), "GBP", locale="en_GB"))


def test_export_total_basis_uses_the_reports_horizon(example_ledger, run_cli, tmp_path):
    """"A year" is counted to the same horizon by report, balance and export."""
    import csv
    import io

    want = _report_total(run_cli, example_ledger, tmp_path, "--currency", "GBP")
    code, out, err = run_cli("export", str(example_ledger), "--to", "csv", "-o", "-",
                             "--basis", "total", "--currency", "GBP")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert sum(Decimal(r["value"]) for r in rows if r["primary"] == "True") == want
    assert "end of 2017 (the ledger's horizon" in err


def test_recorded_basis_equals_hledger_on_the_export(linked, run_cli, tmp_path):
    """`balance --currency GBP --basis recorded` is hledger's `bal -X GBP
    --value=then` of the export, with the linked entries (tagged secondary)
    left out: account by account, to the penny."""
    import csv
    import io
    import shutil
    import subprocess

    exe = shutil.which("hledger")
    if exe is None:
        pytest.skip("hledger not installed (apt-get install hledger)")
    journal = tmp_path / "linked.journal"
    code, _, err = run_cli("export", str(linked), "--to", "hledger", "--basis", "recorded",
                           "-o", str(journal))   # as recorded, with P directives for -X
    assert code == 0, err
    out = subprocess.run([exe, "-f", str(journal), "bal", "-X", "GBP", "--value=then", "--flat",
                          "-N", "-O", "csv", "not:tag:secondary"],
                         capture_output=True, text=True, check=True)
    theirs = {r["account"]: Decimal(r["balance"].replace("£", "").replace("GBP", "")
                                    .replace(",", "").strip() or "0")
              for r in csv.DictReader(io.StringIO(out.stdout))}
    code, out, err = run_cli("balance", str(linked), "--currency", "GBP", "--basis", "recorded",
                             "--format", "json")
    assert code == 0, err
    ours = _rows(out)
    assert len(theirs) == 4     # two funders, two purposes
    for account, value in theirs.items():
        assert ours[(account, "", "GBP")] == value, account


def test_converted_note_says_where_the_horizon_came_from(example_ledger, run_cli):
    """The note names the rule only when the horizon is the default one."""
    code, _, err = run_cli("balance", str(example_ledger), "--currency", "GBP")
    assert code == 0, err
    assert "end of 2017 (the ledger's horizon" in err
    code, _, err = run_cli("balance", str(example_ledger), "--currency", "GBP",
                           "--horizon", "2018")
    assert code == 0, err
    assert "end of 2018 (given with --horizon)" in err
    assert "the ledger's horizon" not in err


def test_a_horizon_before_open_ended_entries_leaves_them_out_and_says_so(example_ledger, run_cli,
                                                                          tmp_path):
    """--horizon 2010 ends before the two open-ended French pledges start: they
    count nothing (not a negative number of years), as in the report, and
    balance names them."""
    want = _report_total(run_cli, example_ledger, tmp_path, "--currency", "GBP",
                         "--horizon", "2010")
    code, out, err = run_cli("balance", str(example_ledger), "--currency", "GBP",
                             "--horizon", "2010", "--format", "json")
    assert code == 0, err
    rows = _rows(out)
    assert rows[("(total)", "", "GBP")] == want > 0
    assert rows[("Purposes", "", "GBP")] == want == -rows[("Funders", "", "GBP")]
    assert "france-africa-development-2015" in err and "france-calais-humanitarian-2015" in err
    assert "leaves them out" in err


def _journal(tmp_path, entries: list[tuple[str, str, str]]) -> Path:
    """A journal of (id, amount phrase, funder) entries dated 2016-01-01."""
    text = "".join(f'[[entry]]\nid = "{i}"\ndate = 2016-01-01\nfunder = "{f}"\npurpose = "X"\n'
                   f'amount = "{a}"\nstatus = "pledged"\n\n' for i, a, f in entries)
    path = tmp_path / "ledger.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_keeps_every_digit_of_a_decimal(tmp_path, run_cli):
    """Issue 22: a JSON number came back as 987654321012345.6 (a float)."""
    path = _journal(tmp_path, [("big", "£987,654,321,012,345.67", "UK")])
    code, out, err = run_cli("balance", str(path), "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert {r["account"]: r["amount"] for r in rows}["Purposes"] == "987654321012345.67"


def test_amounts_finer_than_a_penny_sum_alike_everywhere_and_are_named(tmp_path, run_cli):
    """Issue 26: 1,000 x £0.004 summed to £4.00 in balance and £0.00 in the
    report; every command now counts each amount at the penny (half up)."""
    path = _journal(tmp_path, [(f"t{i}", "£0.004", "UK") for i in range(1000)]
                    + [("h", "£0.005", "UK")])
    code, out, err = run_cli("balance", str(path), "--format", "json")
    assert code == 0, err
    assert {r["account"]: Decimal(r["amount"]) for r in json.loads(out)}["Purposes"] == \
        Decimal("0.01")
    assert "1001 amounts finer than their currency's minor unit" in err
    code, out, err = run_cli("balance", str(path), "--currency", "GBP", "--format", "json")
    assert code == 0, err
    assert {r["account"]: Decimal(r["amount"]) for r in json.loads(out)}["(total)"] == \
        Decimal("0.01")
    assert _report_total(run_cli, path, tmp_path) == Decimal("0.01")


def test_a_recorded_balance_names_the_rates_per_year_it_adds(tmp_path, run_cli):
    path = _journal(tmp_path, [("rate", "€3bn a year", "France"), ("once", "€10m", "France")])
    code, out, err = run_cli("balance", str(path))
    assert code == 0, err
    assert "1 amount per year is added as one year's rate" in err and ": rate;" in err
