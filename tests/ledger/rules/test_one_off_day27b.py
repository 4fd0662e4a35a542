"""A one-off paid on a day of its own ("£1000 one-off from 2021-03-01") says
a period: a stated period must restate it, as it must a rate's, or the
entry is refused with one line (not counted on the entry's date, nor on the
stated day, nor as a rate)."""
from __future__ import annotations

import pytest

from ledger.phrases.period import parse_period, restates

ENTRY = ('[[entry]]\nid = "e"\ndate = 2020-06-01\nfunder = "UK"\npurpose = "P:x"\n'
         'amount = "£1000 one-off from 2021-03-01"\n')


@pytest.mark.parametrize("stated", ["one-off", "one-off from 2022-01-01", "per year for 2 years",
                                    "over 2 years"])
def test_a_stated_period_against_the_day_is_refused(tmp_path, run_cli, stated):
    path = tmp_path / "j.toml"
    path.write_text(ENTRY + f'period = "{stated}"\n', encoding="utf-8")
    code, out, err = run_cli("check", path)
    assert code == 1
    lines = [x for x in err.splitlines() if "error:" in x]
    assert lines == [f"{path}:7: entry 'e': error: period {stated!r} contradicts the amount "
                     "phrase ('one-off from 2021-03-01')"]
    assert "Traceback" not in err


@pytest.mark.parametrize("stated", ["one-off from 2021-03-01", None])
def test_the_same_day_or_none_is_accepted(tmp_path, run_cli, stated):
    path = tmp_path / "j.toml"
    path.write_text(ENTRY + (f'period = "{stated}"\n' if stated else ""), encoding="utf-8")
    code, out, err = run_cli("check", path)
    assert code == 0, err
    assert "error:" not in err


def test_restates_a_one_off_day():
    day = parse_period("one-off from 2021-03-01")
    assert restates(day, parse_period("one-off from 2021-03-01"))
    assert not restates(day, parse_period("one-off"))
    assert not restates(day, parse_period("one-off from 2022-01-01"))
    assert not restates(day, parse_period("per year for 2 years"))
    # no period in the phrase: any stated one says it
    assert restates(parse_period("one-off"), parse_period("per year for 2 years"))
