"""An old journal's "£1.8m over 18 months" with period = "over 1.5 years"
was refused once lengths kept their unit (fix17): 18 months is exactly 1.5
years, so the period restates the phrase; 78 weeks is not 1.5 years."""
from __future__ import annotations

ENTRY = """
[[entry]]
id = "{id}"
date = 2015-07-01
funder = "A"
purpose = "P"
amount = "{amount}"
period = "over 1.5 years"
"""


def _check(run_cli, tmp_path, amount):
    f = tmp_path / "j.toml"
    f.write_text(ENTRY.format(id="e", amount=amount), encoding="utf-8")
    return run_cli("check", f)


def test_months_restated_in_years_are_accepted(run_cli, tmp_path):
    code, _, err = _check(run_cli, tmp_path, "£1.8m over 18 months")
    assert code == 0, err
    assert "contradicts" not in err


def test_weeks_are_not_a_whole_number_of_months(run_cli, tmp_path):
    code, _, err = _check(run_cli, tmp_path, "£1m over 78 weeks")
    assert code == 1
    assert "j.toml:" in err and "'e'" in err and "contradicts the amount phrase" in err
