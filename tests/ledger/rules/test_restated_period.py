"""A conversion (``restated``) whose phrase has a period that is not the
entry's is refused: it is the entry's amount in another currency, counted
over the entry's period, so its own would be dropped silently ('£12m over 3
years' restated '€5m a year' was valued as-stated at €5m, the source's €15m).
A conversion that repeats the entry's period, as sources write them, is
kept and valued as the entry's amount."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest


def _journal(tmp_path, amount: str, phrase: str):
    f = tmp_path / "r.toml"
    f.write_text('[[entry]]\nid = "r1"\ndate = 2016-07-01\nfunder = "F"\npurpose = "R"\n'
                 f'amount = "{amount}"\nrestated = ["{phrase}"]\n', encoding="utf-8")
    return f


@pytest.mark.parametrize(("amount", "phrase", "period"), [
    ("£12m over 3 years", "€5m a year", "per year"),
    ("£4m a year for 3 years", "€15m over 3 years", "over 3 years"),
    ("£12m", "EUR 5000000 per year", "per year"),
])
def test_a_conversion_with_another_period_is_refused(run_cli, tmp_path, amount, phrase,
                                                     period):
    code, _, err = run_cli("check", _journal(tmp_path, amount, phrase))
    assert code == 1
    assert f"entry 'r1': error: restated amount {phrase!r} is {period}, the entry " in err


def test_a_bulk_conversion_with_another_period_is_refused(run_cli, tmp_path):
    bulk = tmp_path / "r.csv"
    bulk.write_text("id,date,funder,purpose,amount,currency,period,restated\n"
                    "r1,2016-07-01,F,R,12000000,GBP,over 3 years,€5m a year\n"
                    "r2,2016-07-01,F,R,12000000,GBP,over 3 years,€15m over 3 years\n",
                    encoding="utf-8")
    code, _, err = run_cli("check", bulk)
    assert code == 1
    assert "r.csv:2: entry 'r1': error: restated amount '€5m a year' is per year, the " \
           "entry over 3 years" in err
    assert "'r2'" not in err.replace("entry 'r2': warning", "")


@pytest.mark.parametrize(("amount", "phrase", "want"), [
    ("£12m over 3 years", "€15m over three years", Decimal(15_000_000)),
    ("10 million Euros a year", "£8.5 million a year", None),
])
def test_a_conversion_repeating_the_entrys_period_is_kept(run_cli, tmp_path, amount, phrase,
                                                          want):
    f = _journal(tmp_path, amount, phrase)
    code, _, err = run_cli("check", f)
    assert code == 0, err
    if want is not None:
        code, out, err = run_cli("export", f, "--to", "csv", "-o", "-", "--currency", "EUR",
                                 "--valuation", "as-stated", "--basis", "total")
        assert code == 0, err
        assert sum(Decimal(r["value"]) for r in csv.DictReader(io.StringIO(out))) == want


def test_an_entry_whose_period_is_unread_gets_no_second_error(run_cli, tmp_path):
    """The amount's error alone: the entry's period was never read, so a
    conversion's period is not compared with a 'one-off' it does not have."""
    code, _, err = run_cli("check", _journal(tmp_path, "£12m (2016-2019)", "€15m over 3 years"))
    assert code == 1
    errors = [x for x in err.splitlines() if "error:" in x]
    assert len(errors) == 1 and "cannot understand '(2016-2019)'" in errors[0], err
