"""A conversion (``restated``) with a period of its own is refused: it is
the entry's amount in another currency, counted over the entry's period."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("phrase", ["€5m a year", "€15m over 3 years", "EUR 5000000 per year"])
def test_a_restatement_with_a_period_of_its_own_is_refused(run_cli, tmp_path, phrase):
    """'£12m over 3 years' restated '€5m a year' was valued as-stated at €5m
    (the source's €15m): the restatement's period was dropped silently."""
    f = tmp_path / "r.toml"
    f.write_text('[[entry]]\nid = "r1"\ndate = 2016-07-01\nfunder = "F"\npurpose = "R"\n'
                 f'amount = "£12m over 3 years"\nrestated = ["{phrase}"]\n', encoding="utf-8")
    code, _, err = run_cli("check", f)
    assert code == 1
    assert f"entry 'r1': error: restated amount {phrase!r} has a period of its own" in err
    bulk = tmp_path / "r.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency,period,restated\n"
                    f"r1,2016-07-01,F,R,12000000,GBP,over 3 years,{phrase}\n", encoding="utf-8")
    code, _, err = run_cli("check", bulk)
    assert code == 1
    assert f"r.csv:2: entry 'r1': error: restated amount {phrase!r} has a period" in err
