"""A one-off on the entry's own date ("£1000 one-off from 2021-01-10" on an
entry dated 2021-01-10) and a stated period "one-off" mean the same day:
accepted; on another day they still contradict."""
from __future__ import annotations

import pytest


def entry(date):
    return ('[[entry]]\nid = "e"\ndate = ' + date + '\nfunder = "UK"\npurpose = "P:x"\n'
            'amount = "£1000 one-off from 2021-01-10"\nperiod = "one-off"\n')


def test_a_one_off_on_the_entrys_date_is_a_one_off(tmp_path, run_cli):
    path = tmp_path / "j.toml"
    path.write_text(entry("2021-01-10"), encoding="utf-8")
    code, out, err = run_cli("check", path)
    assert code == 0, err
    assert "error:" not in err


@pytest.mark.parametrize("date", ["2021-01-09", "2020-06-01"])
def test_a_one_off_on_another_day_still_contradicts(tmp_path, run_cli, date):
    path = tmp_path / "j.toml"
    path.write_text(entry(date), encoding="utf-8")
    code, out, err = run_cli("check", path)
    assert code == 1
    assert [x for x in err.splitlines() if "error:" in x] == [
        f"{path}:7: entry 'e': error: period 'one-off' contradicts the amount phrase "
        "('one-off from 2021-01-10')"]
