"""A fiscal horizon ("--horizon 2017-18") is the ledger's own fiscal year
whatever --years: the notes say the date it ends on (a report grouped in US
fiscal years said "up to the end of 2017-18" while counting to 31 March)."""
from __future__ import annotations

import pytest

LEDGER = """\
[ledger]
currency = "GBP"
fiscal_year_start = "{start}"

[[entry]]
id = "open"
date = 2016-04-01
funder = "A"
purpose = "P:open"
amount = "£10000000 a year"
period = "per year"
"""


@pytest.mark.parametrize("start,end", [("04-01", "31 March 2018"),
                                       ("07-01", "30 June 2018")])
def test_the_notes_say_the_date_a_fiscal_horizon_ends(run_cli, tmp_path, start, end):
    f = tmp_path / "h1.toml"
    f.write_text(LEDGER.format(start=start), encoding="utf-8")
    code, _, err = run_cli("balance", f, "--currency", "GBP", "--horizon", "2017-18")
    assert code == 0, err
    assert f"counted up to {end}, the end of the ledger's fiscal year 2017-18 (" in err, err
    out = tmp_path / "R"
    code, _, err = run_cli("report", f, "--out", out, "--currency", "GBP", "--years", "fiscal-us",
                           "--horizon", "2017-18")
    assert code == 0, err
    assert f"up to {end}, the end of the ledger's fiscal year 2017-18 (" in err, err
    assert "the end of 2017-18 (" not in err


def test_a_calendar_horizon_is_the_end_of_the_year(run_cli, tmp_path):
    f = tmp_path / "h1.toml"
    f.write_text(LEDGER.format(start="04-01"), encoding="utf-8")
    code, _, err = run_cli("balance", f, "--currency", "GBP", "--horizon", "2017")
    assert code == 0, err
    assert "counted up to the end of 2017 (given with --horizon)" in err, err
